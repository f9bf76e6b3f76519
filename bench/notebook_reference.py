#!/usr/bin/env python3
"""The notebook's XGBoost path in Python (DATA.md section 3), the reference `boostbarcode` is checked
and timed against. PIL decodes the PNG into an RGB array, as the notebook did; OpenCV warps, resizes and
(with its BGR weights on RGB data, the notebook's swap) converts to grey; numpy thresholds and counts.

    notebook_reference.py features SPLIT X.npy [--labels y.npy] [--paths names.txt] [--jobs N] [--limit N]
    notebook_reference.py compare X_reference.npy X.npy
    notebook_reference.py train X.npy y.npy MODELS [--rounds 100] [--seed 0] [--threads 0] [--val-ratio 0.1] [--first N]
    notebook_reference.py predict SPLIT MODELS ANSWER.npy [--limit N]
    notebook_reference.py predict-features X.npy MODELS ANSWER.npy
    notebook_reference.py decode-share SPLIT [--limit N]

Each command prints one JSON line of measurements on stdout. Rows are skipped as `boostbarcode`
skips them (image missing, no quad, and with --labels no code), in markup order.
"""
import argparse
import json
import math
import os
import sys
import time
from multiprocessing import Pool

import cv2
import numpy as np
from PIL import Image

WIDTH, HEIGHT, BANDS, GREY_THRESHOLD, COLUMN_WHITE_COUNT, FIRST_BAND, LAST_BAND = 1200, 1000, 10, 50, 99, 3, 6
POSITIONS, CLASSES = 13, 10


# MARK: Markup

def read_markup(split):
    """(path, code or None, 4×2 float32 corners or None) per row of SPLIT/markup.csv, in file order."""
    return read_markup_file(os.path.join(split, 'markup.csv'))


def read_markup_file(file):
    raw = open(file, 'rb').read()
    if raw.startswith(b'\xff\xfe') or raw.startswith(b'\xfe\xff'):
        text = raw.decode('utf-16')
    else:
        text = raw.decode('utf-8-sig')
    rows = []
    for line in text.splitlines():
        fields = line.strip().split(',')
        if len(fields) < 10 or not fields[0]:
            continue
        code = fields[1].strip()
        code = code[:-2] if code.endswith('.0') else code
        code = code.zfill(13) if code.isdigit() else None
        try:
            corners = np.array([float(value) for value in fields[2:10]], dtype='float32').reshape(4, 2)
        except ValueError:
            corners = None
        rows.append((fields[0], code, corners))
    return rows


def usable_rows(split, require_codes, limit=None):
    rows = [(os.path.join(split, 'Images', path), code, corners) for path, code, corners in read_markup(split)
            if corners is not None and (code is not None or not require_codes)
            and os.path.exists(os.path.join(split, 'Images', path))]
    return rows[:limit] if limit else rows


# MARK: Features

def decode(path):
    """The PNG as PIL gives it: RGB (alpha dropped) or grey, 8 bits."""
    image = Image.open(path)
    if image.mode not in ('RGB', 'L'):
        image = image.convert('L' if image.mode in ('LA', 'I;16', 'I') else 'RGB')
    return np.asarray(image)


def four_point_transform(image, corners):
    tl, tr, br, bl = corners
    width = max(int(np.linalg.norm(br - bl)), int(np.linalg.norm(tr - tl)))
    height = max(int(np.linalg.norm(tr - br)), int(np.linalg.norm(tl - bl)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype='float32')
    matrix = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(image, matrix, (width, height))


def band_features(image, corners):
    strip = cv2.resize(four_point_transform(image, corners), (WIDTH, HEIGHT))
    # The notebook's RGB array through BGR->grey: the weights land swapped, on purpose.
    grey = strip if strip.ndim == 2 else cv2.cvtColor(strip, cv2.COLOR_BGR2GRAY)
    _, white = cv2.threshold(grey, GREY_THRESHOLD, 255, cv2.THRESH_BINARY)
    band_height = HEIGHT // BANDS
    counts = (white == 255).reshape(BANDS, band_height, WIDTH).sum(axis=1)
    return (counts[FIRST_BAND:LAST_BAND + 1] > COLUMN_WHITE_COUNT).reshape(-1).astype(np.uint8)


def features_of(row):
    path, _, corners = row
    try:
        return band_features(decode(path), corners)
    except (OSError, cv2.error, ValueError):
        return None


def single_threaded_opencv():
    cv2.setNumThreads(1)


def extract(rows, jobs):
    """Features of every row on `jobs` processes (one per core), OpenCV single-threaded in each."""
    if jobs == 1:
        single_threaded_opencv()
        results = [features_of(row) for row in rows]
    else:
        with Pool(jobs, initializer=single_threaded_opencv) as pool:
            results = pool.map(features_of, rows, chunksize=8)
    kept = [i for i, result in enumerate(results) if result is not None]
    matrix = np.array([results[i] for i in kept], dtype=np.uint8).reshape(len(kept), -1)
    return matrix, kept


def command_features(arguments):
    start = time.perf_counter()
    rows = usable_rows(arguments.split, arguments.labels is not None, arguments.limit)
    matrix, kept = extract(rows, arguments.jobs or os.cpu_count())
    seconds = time.perf_counter() - start
    np.save(arguments.out, matrix)
    if arguments.labels:
        np.save(arguments.labels, np.array([[int(c) for c in rows[i][1]] for i in kept], dtype=np.uint8))
    if arguments.paths:
        with open(arguments.paths, 'w') as paths:
            paths.write(''.join(os.path.basename(rows[i][0]) + '\n' for i in kept))
    print(json.dumps({'images': len(kept), 'skipped': len(rows) - len(kept), 'seconds': seconds,
                      'jobs': arguments.jobs or os.cpu_count()}))


def command_compare(arguments):
    reference, ours = np.load(arguments.reference), np.load(arguments.ours)
    if reference.shape != ours.shape:
        sys.exit(f'shapes differ: {reference.shape} vs {ours.shape}')
    differing = reference != ours
    print(json.dumps({'bits': int(differing.size), 'differing_bits': int(differing.sum()),
                      'rows': len(ours), 'differing_rows': int(differing.any(axis=1).sum()),
                      'differing_columns': sorted({int(c) for c in np.nonzero(differing)[1]})[:40]}))


def command_decode_share(arguments):
    """Per image on one core: decoding time and the rest of the feature path, medians in ms."""
    single_threaded_opencv()
    decoding, rest = [], []
    for path, _, corners in usable_rows(arguments.split, False, arguments.limit):
        start = time.perf_counter()
        image = decode(path)
        middle = time.perf_counter()
        band_features(image, corners)
        end = time.perf_counter()
        decoding.append(middle - start)
        rest.append(end - middle)
    print(json.dumps({'images': len(decoding), 'decode_ms': 1000 * float(np.median(decoding)),
                      'rest_ms': 1000 * float(np.median(rest)),
                      'total_ms': 1000 * float(np.median(np.add(decoding, rest)))}))


# MARK: Training and prediction

class SeededRandom:
    """boostbarcode's SeededRandom (xoshiro256** seeded by SplitMix64), for the same validation split."""
    MASK = (1 << 64) - 1

    def __init__(self, seed):
        state = seed & self.MASK
        words = []
        for _ in range(4):
            state = (state + 0x9E3779B97F4A7C15) & self.MASK
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
            words.append(z ^ (z >> 31))
        self.s = words

    @staticmethod
    def rotl(value, amount):
        return ((value << amount) | (value >> (64 - amount))) & SeededRandom.MASK

    def next(self):
        s = self.s
        result = (self.rotl((s[1] * 5) & self.MASK, 7) * 9) & self.MASK
        shifted = (s[1] << 17) & self.MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= shifted
        s[3] = self.rotl(s[3], 45)
        return result

    def integer(self, low, high):
        return low + (((high - low + 1) * self.next()) >> 64)


def split_rows(count, ratio, seed):
    """The Swift trainer's split: a seeded Fisher-Yates shuffle, validation = the first ceil(ratio·n)."""
    random = SeededRandom(seed)
    order = list(range(count))
    for i in range(count - 1, 0, -1):
        j = random.integer(0, i)
        order[i], order[j] = order[j], order[i]
    validation_count = min(math.ceil(count * ratio), count - 1)
    return order[validation_count:], order[:validation_count]


def booster_parameters(seed, threads):
    """What XGBClassifier() passes to XGBoost by default with tree_method='hist', plus the class count
    fixed at 10 (the Swift side's choice: a digit absent at a position stays a class)."""
    return {'objective': 'multi:softprob', 'num_class': CLASSES, 'max_depth': 6, 'eta': 0.3,
            'tree_method': 'hist', 'seed': seed, 'nthread': threads, 'eval_metric': 'merror', 'verbosity': 0}


def command_train(arguments):
    import xgboost as xgb
    features, labels = np.load(arguments.features), np.load(arguments.labels)
    if arguments.first:
        features, labels = features[:arguments.first], labels[:arguments.first]
    training_rows, validation_rows = split_rows(len(features), arguments.val_ratio, arguments.seed)
    start = time.perf_counter()
    # XGBClassifier(tree_method='hist').fit builds QuantileDMatrix objects, the validation set
    # sharing the training bins; one pair is made here and relabelled per position, as the Swift trainer does.
    training = xgb.QuantileDMatrix(features[training_rows], nthread=arguments.threads)
    validation = (xgb.QuantileDMatrix(features[validation_rows], ref=training, nthread=arguments.threads)
                  if validation_rows else None)
    parameters = booster_parameters(arguments.seed, arguments.threads)
    accuracies = []
    os.makedirs(arguments.models, exist_ok=True)
    for position in range(POSITIONS):
        training.set_label(labels[training_rows, position].astype(np.float32))
        evals = []
        if validation is not None:
            validation.set_label(labels[validation_rows, position].astype(np.float32))
            evals = [(validation, 'eval')]
        booster = xgb.train(parameters, training, arguments.rounds, evals=evals, verbose_eval=False)
        if validation is not None:
            predicted = booster.predict(validation).argmax(axis=1)
            accuracies.append(float((predicted == labels[validation_rows, position]).mean()))
        booster.save_model(os.path.join(arguments.models, f'digit-{position:02d}.ubj'))
    seconds = time.perf_counter() - start
    print(json.dumps({'training_rows': len(training_rows), 'validation_rows': len(validation_rows),
                      'seconds': seconds, 'validation_accuracy': accuracies, 'xgboost': xgb.__version__}))


def command_predict(arguments):
    """Reads each image on its own, as a service would: decode, features, 13 boosters; ms per image."""
    import xgboost as xgb
    single_threaded_opencv()
    boosters = []
    for position in range(POSITIONS):
        booster = xgb.Booster(model_file=os.path.join(arguments.models, f'digit-{position:02d}.ubj'))
        booster.set_param({'nthread': 1})
        boosters.append(booster)
    rows = usable_rows(arguments.split, False, arguments.limit)
    digits, latencies = [], []
    start = time.perf_counter()
    for path, _, corners in rows:
        began = time.perf_counter()
        row = band_features(decode(path), corners)[np.newaxis, :]
        digits.append([int(booster.inplace_predict(row).argmax()) for booster in boosters])
        latencies.append(time.perf_counter() - began)
    seconds = time.perf_counter() - start
    np.save(arguments.answer, np.array(digits, dtype=np.uint8).reshape(len(digits), POSITIONS))
    print(json.dumps({'images': len(digits), 'seconds': seconds, 'ms_per_image': 1000 * seconds / max(1, len(digits)),
                      'median_ms': 1000 * float(np.median(latencies)) if latencies else None}))


def command_predict_features(arguments):
    """The digits the 13 boosters give for each row of a saved feature matrix."""
    import xgboost as xgb
    features = np.load(arguments.features)
    digits = np.zeros((len(features), POSITIONS), dtype=np.uint8)
    for position in range(POSITIONS):
        booster = xgb.Booster(model_file=os.path.join(arguments.models, f'digit-{position:02d}.ubj'))
        digits[:, position] = booster.inplace_predict(features).argmax(axis=1)
    np.save(arguments.answer, digits)
    print(json.dumps({'images': len(digits)}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest='command', required=True)
    features = commands.add_parser('features')
    features.add_argument('split')
    features.add_argument('out')
    features.add_argument('--labels')
    features.add_argument('--paths', help='text file to list the kept image names in')
    features.add_argument('--jobs', type=int, default=0, help='processes, 0 = one per core')
    features.add_argument('--limit', type=int)
    features.set_defaults(run=command_features)
    compare = commands.add_parser('compare')
    compare.add_argument('reference')
    compare.add_argument('ours')
    compare.set_defaults(run=command_compare)
    train = commands.add_parser('train')
    train.add_argument('features')
    train.add_argument('labels')
    train.add_argument('models')
    train.add_argument('--rounds', type=int, default=100)
    train.add_argument('--seed', type=int, default=0)
    train.add_argument('--threads', type=int, default=0)
    train.add_argument('--val-ratio', type=float, default=0.1)
    train.add_argument('--first', type=int, help='train on the first N rows only')
    train.set_defaults(run=command_train)
    predict = commands.add_parser('predict')
    predict.add_argument('split')
    predict.add_argument('models')
    predict.add_argument('answer')
    predict.add_argument('--limit', type=int)
    predict.set_defaults(run=command_predict)
    batch = commands.add_parser('predict-features')
    batch.add_argument('features')
    batch.add_argument('models')
    batch.add_argument('answer')
    batch.set_defaults(run=command_predict_features)
    share = commands.add_parser('decode-share')
    share.add_argument('split')
    share.add_argument('--limit', type=int)
    share.set_defaults(run=command_decode_share)
    arguments = parser.parse_args()
    arguments.run(arguments)


if __name__ == '__main__':
    main()
