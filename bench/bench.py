#!/usr/bin/env python3
"""make bench: `boostbarcode` against the notebook's Python path on the same images, same machine,
one run of this script, the two sides interleaved so that a busy machine slows both alike.

Reported as medians of --runs runs and as ratios Swift/Python:
- feature extraction throughput, all cores on both sides (Swift: one thread per core; Python: one
  process per core, OpenCV single-threaded in each), and on one core how much of the time is PNG decoding;
- training time of the 13 boosters (same features, parameters, seed, validation split and threads),
  against XGBoost 1.7.4 (the version Swift links) and the newest XGBoost;
- prediction latency per image, decode + warp + features + 13 boosters, one image at a time on one core;
- peak RSS of training;
and a scaling table (training images → extraction time, training time, peak RSS).
"""
import argparse
import os
import re
import subprocess
import sys

import harness
from harness import REFERENCE, measured, median, table

PYTHON = sys.executable
# Both sides' XGBoost use libgomp. On a shared, oversubscribed machine its default spin-waiting makes
# training times swing tenfold from run to run; passive waiting keeps them comparable (both sides alike).
OPENMP = {'OMP_WAIT_POLICY': 'passive'}
NEWEST_PYTHON = os.path.join(harness.BENCH, '.venv-newest', 'bin', 'python')
FEATURES_SECONDS = r'features: \d+ images (?:\(\d+ rows\) )?in ([\d.]+) s'
TRAINING_SECONDS = r'trained 13 boosters in ([\d.]+) s'


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--bin', default='.build/release/boostbarcode')
    parser.add_argument('--data', default='data/synth', help='dataset root holding Train/ and Test/')
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--extract-images', type=int, default=1000, help='Test images for extraction')
    parser.add_argument('--train-images', type=int, default=1000, help='Train images for the training runs')
    parser.add_argument('--rounds', type=int, default=20, help='boosting rounds per position, both sides')
    parser.add_argument('--predict-images', type=int, default=100, help='Test images read one by one')
    parser.add_argument('--scaling', default='1000,2000,4000,8000')
    parser.add_argument('--scaling-rounds', type=int, help='rounds for the scaling table (default: --rounds)')
    parser.add_argument('--threads', type=int, default=0, help='0 = all cores, both sides')
    parser.add_argument('--work', default=os.path.join(harness.BENCH, '.work', 'bench'))
    arguments = parser.parse_args()
    work, binary = arguments.work, arguments.bin
    os.makedirs(work, exist_ok=True)
    path = lambda name: os.path.join(work, name)
    feature_options = harness.feature_options(binary)
    threads = ['--threads', str(arguments.threads)]
    rounds = ['--rounds', str(arguments.rounds)]
    train_split, test_split = os.path.join(arguments.data, 'Train'), os.path.join(arguments.data, 'Test')
    runs = range(arguments.runs)
    newest = os.path.exists(NEWEST_PYTHON) and subprocess.run([NEWEST_PYTHON, '-c', 'import cv2, PIL, xgboost']).returncode == 0
    sizes = [int(size) for size in arguments.scaling.split(',') if size]

    extract_split = require(harness.subset(test_split, arguments.extract_images, path('extract')), test_split)
    train_part = require(harness.subset(train_split, arguments.train_images, path('train')), train_split)
    predict_split = require(harness.subset(test_split, arguments.predict_images, path('predict')), test_split)
    predict_twice = require(harness.subset(test_split, 2 * arguments.predict_images, path('predict-2')), test_split)
    pool = scaling_pool(binary, train_split, max(sizes), work) if sizes else None

    print('extraction, all cores', file=sys.stderr)
    extraction = {'swift': [], 'python': []}
    for _ in runs:
        swift = measured([binary, 'features', '--data', extract_split, '--out', path('x-swift.npy'), '--quiet']
                         + threads + feature_options)
        python = measured([PYTHON, REFERENCE, 'features', extract_split, path('x-python.npy')])
        extraction['swift'].append(arguments.extract_images / swift.wall)
        extraction['python'].append(arguments.extract_images / python.wall)

    print('extraction, one core: decoding against the rest', file=sys.stderr)
    python_share = measured([PYTHON, REFERENCE, 'decode-share', predict_split]).json()
    swift_share = swift_decode_share(binary, predict_split, feature_options, path('perf.data'))

    print('training', file=sys.stderr)
    measured([binary, 'features', '--data', train_part, '--out', path('train-X.npy'), '--labels', path('train-y.npy'),
              '--quiet'] + threads + feature_options)
    training = {'swift': [], 'python': [], 'newest': []}
    memory = {'swift': [], 'python': [], 'newest': []}
    newest_version = None
    for _ in runs:
        swift = measured([binary, 'train', '--data', train_part, '--models', path('models-swift')]
                         + rounds + threads + feature_options, OPENMP)
        training['swift'].append(swift.number(TRAINING_SECONDS))
        memory['swift'].append(swift.peak_mib)
        for side, python_binary in (('python', PYTHON), ('newest', NEWEST_PYTHON)):
            if side == 'newest' and not newest:
                continue
            python = measured([python_binary, REFERENCE, 'train', path('train-X.npy'), path('train-y.npy'),
                               path(f'models-{side}')] + rounds + threads, OPENMP)
            training[side].append(python.json()['seconds'])
            memory[side].append(python.peak_mib)
            if side == 'newest':
                newest_version = python.json()['xgboost']

    print('prediction, one image at a time on one core', file=sys.stderr)
    # The notebook's full models (100 rounds, all of Train) when `make parity` has left them.
    parity = os.path.join(harness.BENCH, '.work', 'parity')
    swift_models, python_models = path('models-swift'), path('models-python')
    models_note = f'the training runs\' models ({arguments.rounds} rounds)'
    if os.path.exists(os.path.join(parity, 'swift-models', 'manifest.json')) and \
            os.path.exists(os.path.join(parity, 'python-models-on-python-features', 'digit-12.ubj')):
        swift_models = os.path.join(parity, 'swift-models')
        python_models = os.path.join(parity, 'python-models-on-python-features')
        models_note = "`make parity`'s models (each side's own, trained on all of Train)"
    one_core = ['taskset', '-c', '0'] if harness.have('taskset') else []
    single = {'OMP_NUM_THREADS': '1', **OPENMP}
    latency = {'swift': [], 'python': []}
    cpu = {'swift': [], 'python': []}
    for _ in runs:
        cpu_time = {}
        for name, split in (('once', predict_split), ('twice', predict_twice)):
            swift = measured(one_core + [binary, 'predict', '--no-search', '--data', split, '--models', swift_models,
                                         '--out', path('answer.csv'), '--threads', '1', '--batch-size', '1'], single)
            python = measured(one_core + [PYTHON, REFERENCE, 'predict', split, python_models,
                                          path('answer.npy')], single)
            cpu_time[name] = (swift.cpu, python.cpu)
            if name == 'once':
                latency['swift'].append(1000 * swift.number(r'in ([\d.]+) s \(') / arguments.predict_images)
                latency['python'].append(python.json()['ms_per_image'])
        # The second split reads the same images and as many again: the difference is their CPU
        # time alone, without start-up and model loading.
        cpu['swift'].append(1000 * (cpu_time['twice'][0] - cpu_time['once'][0]) / arguments.predict_images)
        cpu['python'].append(1000 * (cpu_time['twice'][1] - cpu_time['once'][1]) / arguments.predict_images)

    scaling_rows = []
    scaling_rounds = arguments.scaling_rounds or arguments.rounds
    if pool:
        print('scaling', file=sys.stderr)
        rounds = ['--rounds', str(scaling_rounds)]
        measured([binary, 'features', '--data', harness.subset(pool, max(sizes), path(f'pool-{max(sizes)}')),
                  '--out', path('pool-X.npy'), '--labels', path('pool-y.npy'), '--quiet'] + threads + feature_options)
        for size in sizes:
            split = harness.subset(pool, size, path(f'pool-{size}'))
            swift = measured([binary, 'train', '--data', split, '--models', path('models-scaling')]
                             + rounds + threads + feature_options, OPENMP)
            python = measured([PYTHON, REFERENCE, 'train', path('pool-X.npy'), path('pool-y.npy'),
                               path('models-scaling-python'), '--first', str(size)] + rounds + threads, OPENMP)
            scaling_rows.append([f'{size:,}', f'{swift.number(FEATURES_SECONDS):.1f}',
                                 f'{swift.number(TRAINING_SECONDS):.1f}',
                                 f'{python.json()["seconds"]:.1f}', f'{swift.peak_mib:.0f}', f'{python.peak_mib:.0f}'])

    m = {key: {side: median(values) for side, values in group.items() if values}
         for key, group in (('extraction', extraction), ('training', training), ('memory', memory),
                            ('latency', latency), ('cpu', cpu))}
    ratio = lambda key, other='python': m[key]['swift'] / m[key][other]
    share_ratio = swift_share['ours'] / swift_share['decoding'] if swift_share else None
    rows = [
        ['feature extraction, all cores (images/s, higher is better)', f"{m['extraction']['swift']:.1f}",
         f"{m['extraction']['python']:.1f}", f"**{ratio('extraction'):.2f}×**", '≥ 1.5×'],
        [f'training, 13 boosters × {arguments.rounds} rounds, {arguments.train_images:,} images (s)',
         f"{m['training']['swift']:.1f}", f"{m['training']['python']:.1f}", f"**{ratio('training'):.2f}×**", '≤ 1.1×'],
        [f'peak RSS of training (MiB)', f"{m['memory']['swift']:.0f}", f"{m['memory']['python']:.0f}",
         f"**{ratio('memory'):.2f}×**", ''],
        ['prediction, one image at a time, one core: wall ms/image', f"{m['latency']['swift']:.1f}",
         f"{m['latency']['python']:.1f}", f"**{ratio('latency'):.2f}×**", 'Swift ≤ 10 ms'],
        ['the same, CPU ms/image (start-up and model loading excluded)', f"{m['cpu']['swift']:.1f}",
         f"{m['cpu']['python']:.1f}", f"**{ratio('cpu'):.2f}×**", 'Swift ≤ 10 ms'],
    ]
    if newest:
        rows.insert(2, [f'training against XGBoost {newest_version} (s)', f"{m['training']['swift']:.1f}",
                        f"{m['training']['newest']:.1f}", f"**{ratio('training', 'newest'):.2f}×**", ''])
        rows.insert(4, [f'peak RSS of training against XGBoost {newest_version} (MiB)', f"{m['memory']['swift']:.0f}",
                        f"{m['memory']['newest']:.0f}", f"**{ratio('memory', 'newest'):.2f}×**", ''])
    raw = '\n'.join(f'- {key}: ' + '; '.join(f'{side} ' + ', '.join(f'{v:.2f}' for v in values)
                                            for side, values in group.items() if values)
                    for key, group in (('extraction images/s', extraction), ('training s', training),
                                       ('peak RSS MiB', memory), ('latency wall ms', latency), ('latency CPU ms', cpu)))
    share_text = (f"Swift, `perf` samples of `features --threads 1` on the {arguments.predict_images} prediction "
                  f"images: PNG decoding (libpng + zlib) {swift_share['decoding']:.1f} %, our code (the "
                  f"`boostbarcode` binary) {swift_share['ours']:.1f} %, the rest (libc, kernel, runtime, "
                  f"start-up) {swift_share['other']:.1f} %: our work is **{100 * share_ratio:.0f} %** of the "
                  f"decoding time (target ≤ 25 %). In time: {swift_share['cpu_ms']:.1f} ms CPU per image "
                  f"(the same run without `perf`, start-up included), so decoding "
                  f"{swift_share['cpu_ms'] * swift_share['decoding'] / 100:.1f} ms, our code "
                  f"{swift_share['cpu_ms'] * swift_share['ours'] / 100:.1f} ms. Swift decodes each picture only "
                  f"down to the lowest row its features read; the reference decodes it whole."
                  if swift_share else 'Swift: `perf` not available, not measured.')
    text = f"""### Benchmark (`make bench`)

Dataset `{arguments.data}`; {arguments.runs} runs, the sides interleaved; medians. Machine: {harness.machine()}.
Training: {arguments.rounds} rounds per position, threads {arguments.threads} (0 = all cores) on both sides,
the same features (Swift's, exported with `boostbarcode features`), the same 10 % validation split;
`OMP_WAIT_POLICY=passive` for every XGBoost run on both sides. Prediction: {arguments.predict_images} Test
images read one at a time with {models_note}, `taskset -c 0`, `OMP_NUM_THREADS=1`.

{table(['measure', 'Swift', 'Python', 'Swift/Python', 'target'], rows)}

Where one core's extraction time goes: Python reference, medians per image: decoding (PIL)
{python_share['decode_ms']:.1f} ms, the rest (OpenCV warp, resize, grey, threshold, bands)
{python_share['rest_ms']:.1f} ms ({100 * python_share['rest_ms'] / python_share['decode_ms']:.0f} % of decoding).
{share_text}

Every run:
{raw}
"""
    if scaling_rows:
        text += f"""
**Scaling** (the first N training images{'' if max(sizes) <= count_rows(train_split) else f' of Train, then of an extra generated set (`boostbarcode synth --train {max(sizes) - count_rows(train_split)} --test 0 --seed 1`)'}; {scaling_rounds} rounds; one run each):

{table(['training images', 'Swift extraction (s)', 'Swift training (s)', 'Python training (s)', 'Swift peak RSS (MiB)', 'Python peak RSS (MiB)'], scaling_rows)}
"""
    text += f'\nRun as `{harness.invocation()}`.\n'
    harness.write_section('bench', text)
    print(text)


def require(split, source):
    if split is None:
        sys.exit(f'{source} has too few usable rows for the requested sizes')
    return split


def count_rows(split):
    sys.path.insert(0, harness.BENCH)
    from notebook_reference import usable_rows
    return len(usable_rows(split, True))


def scaling_pool(binary, train_split, size, work):
    """Train's rows, then as many rows of an extra generated split (seed 1) as `size` needs."""
    have = count_rows(train_split)
    if have >= size:
        return train_split
    missing = size - have
    extra = os.path.join(harness.BENCH, '.work', f'extra-train-{missing}-seed-1')
    if not os.path.exists(os.path.join(extra, 'Train', 'markup.csv')):
        print(f'generating {missing} extra training images', file=sys.stderr)
        measured([binary, 'synth', '--out', extra, '--train', str(missing), '--test', '0', '--seed', '1', '--quiet'])
    return harness.combined([train_split, os.path.join(extra, 'Train')], os.path.join(work, 'pool'))


def swift_decode_share(binary, split, feature_options, perf_data):
    """Shares of perf samples by library for one-core feature extraction, or None without perf."""
    if not harness.have('perf'):
        return None
    command = [binary, 'features', '--data', split, '--out', perf_data + '.npy', '--threads', '1', '--quiet']
    # The same run without perf, for its CPU time, which the shares divide into milliseconds.
    cpu_ms = 1000 * measured(command + feature_options).cpu / count_rows(split)
    measured(['perf', 'record', '-q', '-o', perf_data, '--'] + command + feature_options)
    report = measured(['perf', 'report', '-i', perf_data, '--stdio', '--sort', 'dso', '--no-children'])
    shares = {}
    for line in report.stdout.splitlines():
        match = re.match(r'\s*([\d.]+)%\s+(\S+)', line)
        if match:
            shares[match.group(2)] = float(match.group(1))
    decoding = sum(v for k, v in shares.items() if k.startswith('libpng') or k.startswith('libz'))
    ours = shares.get(os.path.basename(binary), 0.0)
    return {'decoding': decoding, 'ours': ours, 'other': 100 - decoding - ours, 'cpu_ms': cpu_ms}


if __name__ == '__main__':
    main()
