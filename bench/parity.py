#!/usr/bin/env python3
"""make parity: does `boostbarcode` compute what the notebook's Python path computes?

1. Features: both sides extract the notebook's features of every Train and Test image; the share of
   equal bits, and where the others are.
2. Models: both sides train 13 boosters with the same parameters, seed and validation split on
   Train (the reference on its own features), then read Test; the share of test digits on which the
   two agree. A third model, the reference trained and read on the Swift features, separates what
   feature bits change from what the two XGBoost builds change.
"""
import argparse
import os
import sys

import numpy as np

import harness

sys.path.insert(0, harness.BENCH)
from harness import REFERENCE, measured, table

PYTHON = sys.executable
OPENMP = {'OMP_WAIT_POLICY': 'passive'}  # see bench.py


def darkest(split, name, bit):
    """The reference's darkest grey level in the band column of feature `bit`: 50 or 51 means the
    bit hangs on one grey level at the threshold (> 50 is white)."""
    from notebook_reference import (BANDS, FIRST_BAND, HEIGHT, WIDTH, decode, four_point_transform,
                                    read_markup)
    import cv2
    corners = next(c for p, _, c in read_markup(split) if p == name)
    strip = cv2.resize(four_point_transform(decode(os.path.join(split, 'Images', name)), corners), (WIDTH, HEIGHT))
    grey = strip if strip.ndim == 2 else cv2.cvtColor(strip, cv2.COLOR_BGR2GRAY)
    band, column = FIRST_BAND + bit // WIDTH, bit % WIDTH
    height = HEIGHT // BANDS
    return int(grey[band * height:(band + 1) * height, column].min())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--bin', default='.build/release/boostbarcode')
    parser.add_argument('--data', default='data/synth', help='dataset root holding Train/ and Test/')
    parser.add_argument('--rounds', type=int, default=100)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--threads', type=int, default=0, help='0 = all cores, both sides')
    parser.add_argument('--work', default=os.path.join(harness.BENCH, '.work', 'parity'))
    parser.add_argument('--reuse', action='store_true',
                        help='take the outputs of commands already run with the same arguments from --work')
    arguments = parser.parse_args()
    work = arguments.work
    harness.RECORD_FOLDER, harness.REUSE = os.path.join(work, 'runs'), arguments.reuse
    os.makedirs(work, exist_ok=True)
    feature_options = harness.feature_options(arguments.bin)
    splits = {'Train': os.path.join(arguments.data, 'Train'), 'Test': os.path.join(arguments.data, 'Test')}
    path = lambda name: os.path.join(work, name)

    print('features', file=sys.stderr)
    bit_rows, differing_images = [], []
    for name, split in splits.items():
        measured([arguments.bin, 'features', '--data', split, '--out', path(f'swift-{name}-X.npy'),
                  '--labels', path(f'swift-{name}-y.npy'), '--quiet'] + feature_options)
        measured([PYTHON, REFERENCE, 'features', split, path(f'python-{name}-X.npy'),
                  '--labels', path(f'python-{name}-y.npy'), '--paths', path(f'python-{name}-paths.txt')])
        swift, python = np.load(path(f'swift-{name}-X.npy')), np.load(path(f'python-{name}-X.npy'))
        if swift.shape != python.shape:
            sys.exit(f'{name}: Swift has {swift.shape} features, the reference {python.shape}')
        differing = swift != python
        names = open(path(f'python-{name}-paths.txt')).read().split()
        for row in np.nonzero(differing.any(axis=1))[0]:
            columns = np.nonzero(differing[row])[0]
            differing_images.append(f'{name}/{names[row]}: ' + ', '.join(
                f'bit {c} (band {3 + c // 1200}, column {c % 1200}): Swift {swift[row, c]}, reference {python[row, c]}, '
                f'darkest reference grey in that band column {darkest(split, names[row], c)}' for c in columns[:6]))
        bit_rows.append([name, f'{len(swift):,}', f'{differing.size:,}', f'{int(differing.sum()):,}',
                         f'{100 * (1 - differing.mean()):.5f} %', int(differing.any(axis=1).sum())])

    print('models', file=sys.stderr)
    common = ['--rounds', str(arguments.rounds), '--seed', str(arguments.seed), '--threads', str(arguments.threads)]
    swift_train = measured([arguments.bin, 'train', '--data', splits['Train'], '--models', path('swift-models'),
                            '--quiet'] + common + feature_options, OPENMP)
    # Every position's most probable digit, as the reference predicts: no check-digit decoding and no
    # confidence floor (predict's defaults leave doubtful codes empty), each quad read once (no search).
    measured([arguments.bin, 'predict', '--no-search', '--data', splits['Test'], '--models', path('swift-models'),
              '--out', path('swift-answer.csv'), '--threads', str(arguments.threads), '--quiet',
              '--unconstrained', '--min-confidence', '0'])
    for features in ('python', 'swift'):
        python_train = measured([PYTHON, REFERENCE, 'train', path(f'{features}-Train-X.npy'),
                                 path(f'{features}-Train-y.npy'), path(f'python-models-on-{features}-features')] + common, OPENMP)
        measured([PYTHON, REFERENCE, 'predict-features', path(f'{features}-Test-X.npy'),
                  path(f'python-models-on-{features}-features'), path(f'python-on-{features}-digits.npy')])
        if features == 'python':
            python_validation = python_train.json()['validation_accuracy']

    sys.path.insert(0, harness.BENCH)
    from notebook_reference import read_markup_file
    answers = {p: code for p, code, _ in read_markup_file(path('swift-answer.csv'))}
    names = open(path('python-Test-paths.txt')).read().split()
    swift_digits = np.array([[int(d) for d in answers[n]] for n in names], dtype=np.uint8)
    truth = np.load(path('python-Test-y.npy'))
    model_rows = []
    for features in ('python', 'swift'):
        python_digits = np.load(path(f'python-on-{features}-digits.npy'))
        agree = swift_digits == python_digits
        model_rows.append([f'reference trained and read on its own features' if features == 'python'
                           else 'reference trained and read on the Swift features',
                           f'{100 * agree.mean():.2f} %', f'{int((~agree).sum())} of {agree.size:,}',
                           f'{100 * agree.all(axis=1).mean():.2f} %',
                           f'{100 * (python_digits == truth).mean():.2f} %'])
    swift_accuracy = 100 * (swift_digits == truth).mean()

    swift_validation = [float(line.split()[2]) for line in swift_train.stdout.splitlines()
                        if len(line.split()) == 3 and line.split()[0].isdigit()]
    text = f"""### Parity (`make parity`)

Dataset `{arguments.data}`; feature settings: the notebook's ({' '.join(feature_options) or 'the default'});
{arguments.rounds} rounds, seed {arguments.seed}, 10 % validation split (the same rows on both sides),
XGBoost 1.7.4 on both sides. Machine: {harness.machine()}.

**Features** (Swift `boostbarcode features` against the reference's OpenCV path, same images):

{table(['split', 'images', 'bits', 'differing bits', 'equal', 'images with a differing bit'], bit_rows)}

{chr(10).join('- ' + line for line in differing_images[:20]) or '- no differing bit'}
{'' if len(differing_images) <= 20 else f'- … and {len(differing_images) - 20} more images'}

**Models** (Swift model vs the reference's, {len(truth):,} Test images × 13 digits):

{table(['reference model', 'same digit as Swift', 'digits that differ', 'same whole code', 'reference digit accuracy'], model_rows)}

Swift digit accuracy on Test: {swift_accuracy:.2f} %. Validation accuracy per position, Swift:
{', '.join(f'{a:.3f}' for a in swift_validation)}; reference: {', '.join(f'{a:.3f}' for a in python_validation)}.
"""
    text += f'\nRun as `{harness.invocation()}`.\n'
    harness.write_section('parity', text)
    print(text)


if __name__ == '__main__':
    main()
