"""The whole reader, photo in, code out (`make eval-detect`): the localizer and the end-to-end read on
the synthetic Test split, then on the real photos of ../shared/real-ean13 (the localizer against
their checked quads, the read against all their codes) beside zbar and zxing-cpp run on the same files
in the same run. Writes OUT/summary.md (the README's table), OUT/summary.json and
OUT/real-photos.csv (every real photo: truth, each reader's answer and time).

    python scripts/eval-detect.py --bin B --models M --data DATA --real REAL --out OUT [--repeats 3]

Detection is measured twice: the localizer alone (its own ranking of the candidates), and as `detect
--models` chooses, by reading the candidates (the detection target's figure).

Times are processor time of the reading thread, one photo after another (--threads 1). The real photos
are timed --repeats times, each reader in turn (BoostBarcode, zxing-cpp, zbar, zbarimg, then again), and
each photo keeps its least time per reader: the machine is shared, and a single pass moves by up to a
third between runs. The answers of every pass must agree.
  BoostBarcode  `predict --images`: PNG decoding (libdeflate and the project's row filters; libpng for
                any other PNG), then grey, localize, features, boosters, decoding; both parts are kept.
  zxing-cpp     the Python binding's read_barcodes(grey, formats=EAN13), defaults otherwise, after one
                warm-up call; the PNG load (Pillow, to grey) is timed apart.
  zbar          libzbar through pyzbar's decode(grey, symbols=[EAN13]), timed like zxing-cpp; and the
                zbarimg command (`-q --raw -Sdisable -Sean13.enable`), whose processor time (the child's
                user + system) includes its start and its own PNG loading.
A peer that is not installed is skipped."""
import argparse, csv, json, os, re, resource, statistics, subprocess, sys, time

from markup import read_markup, true_codes


def run(command):
    print("+ " + " ".join(command), file=sys.stderr)
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "OMP_WAIT_POLICY": "passive"})
    if done.returncode not in (0, 1):
        sys.exit(f"eval-detect: {command[1]} failed:\n{done.stderr}")
    return done.stdout


def detection(bin_, split, out, name, models=None):
    text = run([bin_, "detect", "--images", f"{split}/Images", "--truth", f"{split}/markup.csv",
                "--out", f"{out}/detect-{name}.csv", "--threads", "1", "--quiet"] + (["--models", models] if models else []))
    def count(label):
        return int(re.search(re.escape(label) + r"\s+(\d+) / (\d+)", text).group(1))
    total = int(re.search(r"on (\d+) images with a true quad", text).group(1))
    return {"photos": total, "top": count("top candidate (either direction)"),
            "topRightWayRound": count("top candidate, reading direction right"),
            "none": count("no candidate at all"),
            "medianMs": float(re.search(r"median ([\d.]+) ms", text).group(1))}


def read_photos(bin_, models, images, out, name):
    """One `predict --images` pass: per photo the answer, the time file in and the time of the read alone."""
    answer = f"{out}/answer-{name}.csv"
    run([bin_, "predict", "--images", images, "--models", models, "--out", answer,
         "--times", f"{out}/times-{name}.csv", "--threads", "1", "--quiet"])
    answers = {r[0]: r[1] for r in read_markup(answer)}
    times = {r["path"]: r for r in csv.DictReader(open(f"{out}/times-{name}.csv"))}
    return {path: {"answers": [answers[path]] if answers.get(path) else [],
                   "ms": float(t["decode_ms"]) + float(t["read_ms"]), "callMs": float(t["read_ms"])}
            for path, t in times.items()}


def least_times(passes, reader):
    """Merges passes of one reader ({photo: {answers, ms, callMs}}): the answers must agree, each photo keeps its least times."""
    merged = {}
    for photos in passes:
        for path, v in photos.items():
            if path in merged and merged[path]["answers"] != v["answers"]:
                sys.exit(f"eval-detect: {reader} answered {path} differently in two passes")
            kept = merged.setdefault(path, dict(v))
            kept["ms"] = min(kept["ms"], v["ms"])
            kept["callMs"] = None if v["callMs"] is None else min(kept["callMs"], v["callMs"])
    return merged


def tally_photos(truth, photos):
    return tally(truth, {p: v["answers"] for p, v in photos.items()}, [v["ms"] for v in photos.values()],
                 [v["callMs"] for v in photos.values() if v["callMs"] is not None])


def tally(truth, results, ms, call_ms):
    """A reader is right when the true code is among its results, wrong when it gave others only."""
    labelled = [p for p in truth if truth[p]]
    right = sum(1 for p in labelled if truth[p] in results.get(p, []))
    wrong = sum(1 for p in labelled if results.get(p) and truth[p] not in results[p])
    return {"photos": len(labelled), "right": right, "wrong": wrong, "empty": len(labelled) - right - wrong,
            "medianMs": statistics.median(ms) if ms else None,
            "medianCallMs": statistics.median(call_ms) if call_ms else None}


def thread_ms(call):
    begin = time.thread_time_ns()
    value = call()
    return value, (time.thread_time_ns() - begin) / 1e6


def peer_readers(images, names):
    """The peers that are installed: label -> one timed pass over `names` ({photo: {answers, ms, callMs}})."""
    readers = {}
    try:
        import numpy
        from PIL import Image
        def load(name):
            return numpy.asarray(Image.open(f"{images}/{name}").convert("L"))
    except ImportError:
        print("eval-detect: Pillow/NumPy missing (scripts/setup-peers); the Python peers are skipped", file=sys.stderr)
        load = None
    def timed(read):
        """Times `read` on every photo (after one warm-up call), the grey loading apart."""
        def one_pass():
            read(load(names[0]))
            photos = {}
            for name in names:
                grey, load_ms = thread_ms(lambda: load(name))
                answers, call_ms = thread_ms(lambda: read(grey))
                photos[name] = {"answers": answers, "ms": load_ms + call_ms, "callMs": call_ms}
            return photos
        return one_pass

    if load:
        try:
            import zxingcpp
            readers["zxing-cpp 3.1.1 (Python binding)"] = timed(
                lambda grey: [r.text for r in zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.EAN13)])
        except ImportError:
            print("eval-detect: zxing-cpp missing; skipped", file=sys.stderr)
        try:
            from pyzbar import pyzbar
            readers["zbar 0.23.92 (libzbar through pyzbar)"] = timed(
                lambda grey: [s.data.decode() for s in pyzbar.decode(grey, symbols=[pyzbar.ZBarSymbol.EAN13])])
        except (ImportError, OSError):
            print("eval-detect: pyzbar or libzbar missing; skipped", file=sys.stderr)
    if subprocess.run(["sh", "-c", "command -v zbarimg"], capture_output=True).returncode == 0:
        def zbarimg_pass():
            photos = {}
            for name in names:
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                done = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sean13.enable", f"{images}/{name}"],
                                      capture_output=True, text=True)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                photos[name] = {"answers": [line.strip() for line in done.stdout.splitlines() if line.strip()],
                                "ms": 1e3 * (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime),
                                "callMs": None}
            return photos
        readers["zbarimg 0.23.92 (the command)"] = zbarimg_pass
    else:
        print("eval-detect: zbarimg missing; skipped", file=sys.stderr)
    return readers


def percent(part, whole):
    return f"{100 * part / whole:.1f} %" if whole else "–"


def ms(value):
    return f"{value:.1f}" if value is not None else "–"


def synthetic_section(args, summary, lines):
    """Detection and end-to-end reading on the Test split."""
    test = f"{args.data}/Test"
    localizer = detection(args.bin, test, args.out, "test-localizer")
    detect = detection(args.bin, test, args.out, "test", args.models)
    synthetic = tally_photos(true_codes([f"{test}/markup.csv"]), read_photos(args.bin, args.models, f"{test}/Images", args.out, "test"))
    summary["synthetic"] = {"detection": detect, "localizerAlone": localizer, "endToEnd": synthetic}
    lines += [f"**Synthetic Test split** ({test}, {detect['photos']} photos, read without their quads):", "",
              "| measure | count | share |", "| --- | --- | --- |",
              f"| detection: chosen candidate (`detect --models`) IoU ≥ 0.7 with the true quad | {detect['top']} | {percent(detect['top'], detect['photos'])} |",
              f"| … and its reading direction right | {detect['topRightWayRound']} | {percent(detect['topRightWayRound'], detect['photos'])} |",
              f"| the localizer's own top candidate (no model) IoU ≥ 0.7 | {localizer['top']} | {percent(localizer['top'], localizer['photos'])} |",
              f"| … and its guessed reading direction right | {localizer['topRightWayRound']} | {percent(localizer['topRightWayRound'], localizer['photos'])} |",
              f"| full code right, end to end | {synthetic['right']} | {percent(synthetic['right'], synthetic['photos'])} |",
              f"| wrong code | {synthetic['wrong']} | {percent(synthetic['wrong'], synthetic['photos'])} |",
              f"| empty | {synthetic['empty']} | {percent(synthetic['empty'], synthetic['photos'])} |", "",
              f"Median processor time per photo (one pass): localizer {localizer['medianMs']:.1f} ms; whole read "
              f"{synthetic['medianMs']:.1f} ms ({synthetic['medianCallMs']:.1f} ms without PNG decoding).", ""]


def main():
    parser = argparse.ArgumentParser()
    for option in ("bin", "models", "data", "real", "out"):
        parser.add_argument(f"--{option}", required=True)
    parser.add_argument("--repeats", type=int, default=3, help="timed passes over the real photos per reader")
    parser.add_argument("--real-only", action="store_true",
                        help="only the real photos beside the peers (the Test split's detection and reading take about an hour)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    summary, lines = {}, []
    if not args.real_only:
        synthetic_section(args, summary, lines)
    if os.path.exists(f"{args.real}/markup.csv"):
        codes = true_codes([f"{args.real}/markup.csv", f"{args.real}/markup-noquad.csv"])
        located = detection(args.bin, args.real, args.out, "real", args.models)
        names = sorted(n for n in os.listdir(f"{args.real}/Images") if n.lower().endswith(".png"))
        truth = {p: codes.get(p, "") for p in names}
        peers = peer_readers(f"{args.real}/Images", names)
        ours_label = "BoostBarcode (`predict --images`)"
        passes = {label: [] for label in [ours_label, *peers]}
        for _ in range(max(1, args.repeats)):
            passes[ours_label].append(read_photos(args.bin, args.models, f"{args.real}/Images", args.out, "real"))
            for label, one_pass in peers.items():
                passes[label].append(one_pass())
        photos = {label: least_times(p, label) for label, p in passes.items()}
        summary["real"] = {label: tally_photos(truth, p) for label, p in photos.items()}
        summary["realDetection"] = located
        published = {r["path"]: r for r in csv.DictReader(open(f"{args.real}/peers.csv"))}
        for column, label in (("zbar_result", "zbarimg, the folder's peers.csv"), ("zxing_result", "zxing-cpp, the folder's peers.csv")):
            results = {p: [c for c in published.get(p, {}).get(column, "").split("|") if c] for p in names}
            summary["real"][label] = tally(truth, results, [], [])
        lines += [f"**Real photos** ({args.real}, all {len(names)}, read without quads; right = the expected "
                  f"code among the reader's answers; times: each photo's least over {max(1, args.repeats)} interleaved passes):", "",
                  "| reader | right | wrong | empty | median ms / photo, file in | … image in memory |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for label, t in summary["real"].items():
            lines.append(f"| {label} | {t['right']} ({percent(t['right'], t['photos'])}) | {t['wrong']} | {t['empty']} | "
                         f"{ms(t['medianMs'])} | {ms(t['medianCallMs'])} |")
        zxing = next((t for label, t in summary["real"].items() if label.startswith("zxing-cpp 3")), None)
        ours = summary["real"][ours_label]
        if zxing and zxing["medianMs"]:
            summary["timeRatioToZxing"] = {"fileIn": ours["medianMs"] / zxing["medianMs"],
                                           "inMemory": ours["medianCallMs"] / zxing["medianCallMs"]}
            lines += ["", f"Median time against zxing-cpp's: {summary['timeRatioToZxing']['fileIn']:.2f} × file in, "
                      f"{summary['timeRatioToZxing']['inMemory']:.2f} × image in memory."]
        lines += ["", f"Detection on the {located['photos']} real photos with a checked quad (`detect --models`): IoU ≥ 0.7 "
                  f"{located['top']} ({percent(located['top'], located['photos'])}), reading direction right "
                  f"{located['topRightWayRound']}, no candidate {located['none']}; localizer median {located['medianMs']:.1f} ms "
                  "per photo (all photos)."]
        with open(f"{args.out}/real-photos.csv", "w", newline="") as file:
            writer = csv.writer(file)
            labels = list(photos)
            writer.writerow(["path", "truth"] + [f"{label} {part}" for label in labels for part in ("answer", "ms")])
            for p in names:
                writer.writerow([p, truth[p]] + [value for label in labels for value in
                                                 ("|".join(photos[label][p]["answers"]), f"{photos[label][p]['ms']:.2f}")])
    else:
        print(f"eval-detect: no {args.real}/markup.csv; real photos skipped", file=sys.stderr)
    json.dump(summary, open(f"{args.out}/summary.json", "w"), indent=2)
    open(f"{args.out}/summary.md", "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


main()
