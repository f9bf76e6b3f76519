"""The whole reader, photo in, code out (`make eval-detect`): the localizer and the end-to-end read on
the synthetic Test split, then on the real photos of ../shared/real-ean13 (the localizer against
their checked quads, the read against all their codes) beside zbar and zxing-cpp run on the same files
in the same run. Writes OUT/summary.md (the README's table), OUT/summary.json and
OUT/real-photos.csv (every real photo: truth, each reader's answer and time).

    python scripts/eval-detect.py --bin B --models M --data DATA --real REAL --out OUT

Times are processor time of the reading thread, one photo after another (--threads 1):
  BoostBarcode  `predict --images`: PNG decoding (libpng), then grey, localize, features, boosters,
                decoding; both parts are kept.
  zxing-cpp     the Python binding's read_barcodes(grey, formats=EAN13), defaults otherwise, after one
                warm-up call; the PNG load (Pillow, to grey) is timed apart.
  zbar          libzbar through pyzbar's decode(grey, symbols=[EAN13]), timed like zxing-cpp; and the
                zbarimg command (`-q --raw -Sdisable -Sean13.enable`), whose processor time (the child's
                user + system) includes its start and its own PNG loading.
A peer that is not installed is skipped."""
import argparse, csv, io, json, os, re, resource, statistics, subprocess, sys, time


def read_markup(path):
    raw = open(path, "rb").read()
    text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("utf-8-sig")
    return [r for r in csv.reader(io.StringIO(text)) if r]


def run(command):
    print("+ " + " ".join(command), file=sys.stderr)
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "OMP_WAIT_POLICY": "passive"})
    if done.returncode not in (0, 1):
        sys.exit(f"eval-detect: {command[1]} failed:\n{done.stderr}")
    return done.stdout


def detection(bin_, split, out, name):
    text = run([bin_, "detect", "--images", f"{split}/Images", "--truth", f"{split}/markup.csv",
                "--out", f"{out}/detect-{name}.csv", "--threads", "1", "--quiet"])
    def count(label):
        return int(re.search(re.escape(label) + r"\s+(\d+) / (\d+)", text).group(1))
    total = int(re.search(r"on (\d+) images with a true quad", text).group(1))
    return {"photos": total, "top": count("top candidate (either direction)"),
            "topRightWayRound": count("top candidate, reading direction right"),
            "none": count("no candidate at all"),
            "medianMs": float(re.search(r"median ([\d.]+) ms", text).group(1))}


def read_photos(bin_, models, images, truths, out, name):
    answer = f"{out}/answer-{name}.csv"
    run([bin_, "predict", "--images", images, "--models", models, "--out", answer,
         "--times", f"{out}/times-{name}.csv", "--threads", "1", "--quiet"])
    codes = {}
    for truth in truths:
        codes.update({r[0]: r[1] for r in read_markup(truth) if r[1]})
    answers = {r[0]: r[1] for r in read_markup(answer)}
    times = {r["path"]: r for r in csv.DictReader(open(f"{out}/times-{name}.csv"))}
    photos = {path: {"answer": answers.get(path, ""), "ms": float(t["decode_ms"]) + float(t["read_ms"]),
                     "readMs": float(t["read_ms"])} for path, t in times.items()}
    return tally({p: codes.get(p, "") for p in photos}, {p: [v["answer"]] if v["answer"] else [] for p, v in photos.items()},
                 [v["ms"] for v in photos.values()], [v["readMs"] for v in photos.values()]), photos, codes


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


def peers(images, names, truth):
    rows = {name: {} for name in names}
    found = {}
    try:
        import numpy
        from PIL import Image
        def load(name):
            return numpy.asarray(Image.open(f"{images}/{name}").convert("L"))
    except ImportError:
        print("eval-detect: Pillow/NumPy missing (scripts/setup-peers); the Python peers are skipped", file=sys.stderr)
        load = None
    def run_peer(column, label, read):
        """Times `read` on every photo (after one warm-up call), the grey loading apart."""
        read(load(names[0]))
        results, ms, call = {}, [], []
        for name in names:
            grey, load_ms = thread_ms(lambda: load(name))
            results[name], call_ms = thread_ms(lambda: read(grey))
            ms.append(load_ms + call_ms); call.append(call_ms)
            rows[name][column] = "|".join(results[name])
        found[label] = tally(truth, results, ms, call)

    if load:
        try:
            import zxingcpp
            run_peer("zxing-cpp", "zxing-cpp 3.1.1 (Python)",
                     lambda grey: [r.text for r in zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.EAN13)])
        except ImportError:
            print("eval-detect: zxing-cpp missing; skipped", file=sys.stderr)
        try:
            from pyzbar import pyzbar
            run_peer("zbar", "zbar 0.23.92 (libzbar via pyzbar)",
                     lambda grey: [s.data.decode() for s in pyzbar.decode(grey, symbols=[pyzbar.ZBarSymbol.EAN13])])
        except (ImportError, OSError):
            print("eval-detect: pyzbar or libzbar missing; skipped", file=sys.stderr)
    if subprocess.run(["sh", "-c", "command -v zbarimg"], capture_output=True).returncode == 0:
        results, ms = {}, []
        for name in names:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sean13.enable", f"{images}/{name}"],
                                  capture_output=True, text=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            ms.append(1e3 * (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime))
            results[name] = [line.strip() for line in done.stdout.splitlines() if line.strip()]
            rows[name]["zbarimg"] = "|".join(results[name])
        found["zbarimg 0.23.92 (command)"] = tally(truth, results, ms, [])
    else:
        print("eval-detect: zbarimg missing; skipped", file=sys.stderr)
    return found, rows


def percent(part, whole):
    return f"{100 * part / whole:.1f} %" if whole else "–"


def ms(value):
    return f"{value:.1f}" if value is not None else "–"


def main():
    parser = argparse.ArgumentParser()
    for option in ("bin", "models", "data", "real", "out"):
        parser.add_argument(f"--{option}", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    summary, lines = {}, []
    test = f"{args.data}/Test"
    detect = detection(args.bin, test, args.out, "test")
    synthetic, _, _ = read_photos(args.bin, args.models, f"{test}/Images", [f"{test}/markup.csv"], args.out, "test")
    summary["synthetic"] = {"detection": detect, "endToEnd": synthetic}
    lines += [f"**Synthetic Test split** ({test}, {detect['photos']} photos, read without their quads):", "",
              "| measure | count | share |", "| --- | --- | --- |",
              f"| detection: top candidate IoU ≥ 0.7 with the true quad | {detect['top']} | {percent(detect['top'], detect['photos'])} |",
              f"| … and its guessed reading direction right | {detect['topRightWayRound']} | {percent(detect['topRightWayRound'], detect['photos'])} |",
              f"| full code right, end to end | {synthetic['right']} | {percent(synthetic['right'], synthetic['photos'])} |",
              f"| wrong code | {synthetic['wrong']} | {percent(synthetic['wrong'], synthetic['photos'])} |",
              f"| empty | {synthetic['empty']} | {percent(synthetic['empty'], synthetic['photos'])} |", "",
              f"Median processor time per photo: localizer {detect['medianMs']:.1f} ms; whole read "
              f"{synthetic['medianMs']:.1f} ms ({synthetic['medianCallMs']:.1f} ms without PNG decoding).", ""]
    if os.path.exists(f"{args.real}/markup.csv"):
        truths = [f"{args.real}/markup.csv", f"{args.real}/markup-noquad.csv"]
        located = detection(args.bin, args.real, args.out, "real")
        ours, photos, codes = read_photos(args.bin, args.models, f"{args.real}/Images", truths, args.out, "real")
        names = sorted(photos)
        others, rows = peers(f"{args.real}/Images", names, {p: codes.get(p, "") for p in names})
        readers = {"BoostBarcode (this run)": ours, **others}
        summary["real"] = readers
        summary["realDetection"] = located
        published = {r["path"]: r for r in csv.DictReader(open(f"{args.real}/peers.csv"))}
        for column, label in (("zbar_result", "zbarimg, the folder's peers.csv"), ("zxing_result", "zxing-cpp, the folder's peers.csv")):
            results = {p: [c for c in published.get(p, {}).get(column, "").split("|") if c] for p in names}
            summary["real"][label] = tally({p: codes.get(p, "") for p in names}, results, [], [])
        lines += [f"**Real photos** ({args.real}, all {len(names)}, read without quads; right = the expected "
                  "code among the reader's answers):", "",
                  "| reader | right | wrong | empty | median ms / photo, file in | … image in memory |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for label, t in summary["real"].items():
            lines.append(f"| {label} | {t['right']} ({percent(t['right'], t['photos'])}) | {t['wrong']} | {t['empty']} | "
                         f"{ms(t['medianMs'])} | {ms(t['medianCallMs'])} |")
        lines += ["", f"Localizer on the {located['photos']} real photos with a checked quad: top candidate IoU ≥ 0.7 "
                  f"{located['top']} ({percent(located['top'], located['photos'])}), reading direction right "
                  f"{located['topRightWayRound']}, no candidate {located['none']}; median {located['medianMs']:.1f} ms "
                  "per photo (all photos)."]
        with open(f"{args.out}/real-photos.csv", "w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["path", "truth", "boostbarcode", "boostbarcode_ms", "zxing-cpp", "zbar", "zbarimg"])
            for p in names:
                writer.writerow([p, codes.get(p, ""), photos[p]["answer"], f"{photos[p]['ms']:.2f}",
                                 rows[p].get("zxing-cpp", ""), rows[p].get("zbar", ""), rows[p].get("zbarimg", "")])
    else:
        print(f"eval-detect: no {args.real}/markup.csv; real photos skipped", file=sys.stderr)
    json.dump(summary, open(f"{args.out}/summary.json", "w"), indent=2)
    open(f"{args.out}/summary.md", "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


main()
