#!/usr/bin/env python3
"""The notebook's band features computed with OpenCV, to check `boostbarcode features` against.

    pip install opencv-python-headless pandas numpy
    python3 tools/notebook_features.py SPLIT X_reference.npy
    boostbarcode features --data SPLIT --out X.npy
    python3 tools/notebook_features.py --compare X_reference.npy X.npy

Follows DATA.md section 3 with the intended column threshold (> 99). Rows without a quad or image are
skipped, in markup order, as `boostbarcode features` skips them.
"""
import os
import sys

import cv2
import numpy as np
import pandas as pd

COLUMNS = ['path', 'code', 'x1', 'y1', 'x2', 'y2', 'x3', 'y3', 'x4', 'y4', 'barcode']


def four_point_transform(image, corners):
    tl, tr, br, bl = corners
    width = max(int(np.linalg.norm(br - bl)), int(np.linalg.norm(tr - tl)))
    height = max(int(np.linalg.norm(tr - br)), int(np.linalg.norm(tl - bl)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype='float32')
    matrix = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(image, matrix, (width, height))


def band_features(image, corners):
    strip = cv2.resize(four_point_transform(image, corners), (1200, 1000))
    # The notebook's RGB array through BGR->grey: the weights land swapped, on purpose.
    grey = strip if strip.ndim == 2 else cv2.cvtColor(strip, cv2.COLOR_BGR2GRAY)
    white = grey > 50
    bands = [white[i * 100:(i + 1) * 100].sum(axis=0) > 99 for i in range(10)]
    return np.concatenate(bands[3:7]).astype(np.uint8)


def extract(split):
    markup = pd.read_csv(os.path.join(split, 'markup.csv'), encoding='utf-16', header=None,
                         names=COLUMNS, dtype={'code': str})
    rows = []
    for row in markup.itertuples():
        path = os.path.join(split, 'Images', row.path)
        if pd.isna(row.x1) or not os.path.exists(path):
            continue
        image = cv2.imread(path, cv2.IMREAD_UNCHANGED)
        if image.ndim == 3:
            image = cv2.cvtColor(image[:, :, :3], cv2.COLOR_BGR2RGB)
        corners = np.array([[row.x1, row.y1], [row.x2, row.y2], [row.x3, row.y3], [row.x4, row.y4]],
                           dtype='float32')
        rows.append(band_features(image, corners))
    return np.array(rows)


def main(arguments):
    if len(arguments) == 3 and arguments[0] == '--compare':
        reference, ours = np.load(arguments[1]), np.load(arguments[2])
        if reference.shape != ours.shape:
            sys.exit(f'shapes differ: {reference.shape} vs {ours.shape}')
        differing = reference != ours
        print(f'{differing.sum()} of {differing.size} bits differ, in {differing.any(axis=1).sum()} of '
              f'{len(ours)} rows')
    elif len(arguments) == 2:
        np.save(arguments[1], extract(arguments[0]))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv[1:])
