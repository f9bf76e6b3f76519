#!/usr/bin/env python3
"""`make eval-read`: boostbarcode read on the photos people have.

1. The real photos of REAL (../shared/real-ean13; skipped when absent) as PNG, and each converted to
   JPEG quality 85 with Pillow: right / wrong / empty for both, and the median decode time of a
   photo as PNG (libpng) and as JPEG (TurboJPEG), from `predict --images --times` on one thread.
2. Throughput of `read` over the Test split's photos, file in, on 1 thread and on 2 (wall time,
   best of --repeats runs each, interleaved), and the ratio.
3. A cold start: `read` of one photo, process start to exit (best of --repeats), as wall time.

Writes OUT/summary.md and OUT/summary.json.
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from markup import true_codes


def read_codes(binary: str, folder: Path, threads: int = 0, models: list = ()) -> dict:
    """file name -> code ('' when none), from `read --format csv`."""
    run = subprocess.run([binary, "read", str(folder), "--format", "csv", "--quiet", "--threads", str(threads), *models],
                         capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"read failed ({run.returncode}): {run.stderr}")
    rows = list(csv.DictReader(run.stdout.splitlines()))
    return {Path(row["path"]).name: row["code"] for row in rows}


def tally(answers: dict, truth: dict, rename=lambda name: name) -> dict:
    counts = {"right": 0, "wrong": 0, "empty": 0}
    for name, code in truth.items():
        answer = answers.get(rename(name), "")
        counts["empty" if not answer else "right" if answer == code else "wrong"] += 1
    return counts


def median_decode_ms(binary: str, folder: Path, models: list) -> float:
    with tempfile.TemporaryDirectory() as scratch:
        times = Path(scratch) / "times.csv"
        subprocess.run([binary, "predict", "--images", str(folder), "--out", str(Path(scratch) / "a.csv"), "--times",
                        str(times), "--threads", "1", "--quiet", *models], capture_output=True, check=False)
        with times.open() as file:
            return statistics.median(float(row["decode_ms"]) for row in csv.DictReader(file))


def wall(command: list) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True)
    parser.add_argument("--models", help="model folder (default: what read finds)")
    parser.add_argument("--real", type=Path, required=True)
    parser.add_argument("--photos", type=Path, required=True, help="folder of synthetic photos for the throughput")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    models = ["--models", args.models] if args.models else []
    args.out.mkdir(parents=True, exist_ok=True)
    summary = {}
    lines = ["# boostbarcode read", ""]

    if (args.real / "Images").is_dir():
        from PIL import Image
        truth = true_codes(p for p in (args.real / "markup.csv", args.real / "markup-noquad.csv") if p.exists())
        jpegs = args.out / "real-jpeg85"
        jpegs.mkdir(exist_ok=True)
        for png in sorted((args.real / "Images").glob("*.png")):
            target = jpegs / (png.stem + ".jpg")
            if not target.exists():
                with Image.open(png) as image:
                    image.convert("L" if image.mode in ("L", "I;16", "I") else "RGB").save(target, quality=85)
        png_answers = read_codes(args.bin, args.real / "Images", models=models)
        jpeg_answers = read_codes(args.bin, jpegs, models=models)
        as_png, as_jpeg = tally(png_answers, truth), tally(jpeg_answers, truth, lambda n: Path(n).stem + ".jpg")
        png_ms = median_decode_ms(args.bin, args.real / "Images", models)
        jpeg_ms = median_decode_ms(args.bin, jpegs, models)
        summary["real"] = {"photos": len(truth), "png": as_png, "jpeg85": as_jpeg,
                           "median_decode_ms_png": png_ms, "median_decode_ms_jpeg": jpeg_ms}
        lines += [f"Real photos ({len(truth)}, no quads), `read` with its defaults:", "",
                  "| input | right | wrong | empty | median decode ms (one thread) |", "| --- | --- | --- | --- | --- |",
                  f"| PNG (libpng) | {as_png['right']} | {as_png['wrong']} | {as_png['empty']} | {png_ms:.3f} |",
                  f"| JPEG q85 (Pillow), TurboJPEG | {as_jpeg['right']} | {as_jpeg['wrong']} | {as_jpeg['empty']} | {jpeg_ms:.3f} |", ""]
    else:
        lines += [f"Real photos: {args.real} absent, skipped.", ""]

    photos = sorted(p for p in args.photos.iterdir() if p.is_file())
    one, two = [], []
    for _ in range(args.repeats):
        one.append(wall([args.bin, "read", str(args.photos), "--quiet", "--threads", "1", *models]))
        two.append(wall([args.bin, "read", str(args.photos), "--quiet", "--threads", "2", *models]))
    ratio = min(one) / min(two)
    summary["throughput"] = {"photos": len(photos), "seconds_1_thread": min(one), "seconds_2_threads": min(two),
                             "speedup": ratio, "cores": os.cpu_count()}
    lines += [f"Throughput, {len(photos)} photos of {args.photos}, file in (best of {args.repeats}, interleaved):", "",
              "| threads | seconds | photos/s |", "| --- | --- | --- |",
              f"| 1 | {min(one):.2f} | {len(photos) / min(one):.1f} |",
              f"| 2 | {min(two):.2f} | {len(photos) / min(two):.1f} |", "", f"2 threads against 1: **{ratio:.2f}×**", ""]

    photo = photos[len(photos) // 2]
    cold = [wall([args.bin, "read", str(photo), "--quiet", *models]) for _ in range(args.repeats)]
    summary["cold_start"] = {"photo": str(photo), "seconds": min(cold), "all": cold}
    lines += [f"Cold start, `read {photo.name}` (process start, model load, decode, read; best of {args.repeats}): "
              f"**{min(cold):.3f} s** wall (all: {', '.join(f'{c:.3f}' for c in cold)})", ""]

    (args.out / "summary.md").write_text("\n".join(lines))
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
