#!/usr/bin/env python3
"""The real photos redrawn seven ways, to see how the reader holds on photos unlike the ones it was
built on: turned by 30° and 45° (bicubic, the canvas grown, grey corners), darkened (levels to the
power 1.8, times 0.55), sensor noise (Gaussian, σ 14 levels, seed 5), blurred (Gaussian, σ 1.5 px),
low contrast (Pillow's contrast at 0.35) and keystoned (the top edge shrunk by a fifth).

    scripts/.venv-peers/bin/python scripts/redraw-real.py ../shared/real-ean13/Images OUT

writes OUT/<way>/<photo>.png for each way; then, for one of them,
`boostbarcode read OUT/blur --format csv -q` and score against ../shared/real-ean13/peers.csv.
Needs Pillow and NumPy (scripts/setup-peers makes that environment).
"""
import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter

GREY = (128, 128, 128)


def turned(angle):
    return lambda image: image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=GREY)


def darkened(image):
    levels = np.asarray(image).astype(np.float32) / 255
    return Image.fromarray((np.clip(levels ** 1.8 * 0.55, 0, 1) * 255).astype(np.uint8))


def noisy(random):
    def draw(image):
        levels = np.asarray(image).astype(np.float32)
        levels += random.normal(0, 14, levels.shape)
        return Image.fromarray(np.clip(levels, 0, 255).astype(np.uint8))
    return draw


def keystoned(image):
    """The top edge shrunk by a fifth of the width (10 % each side), the bottom kept."""
    w, h = image.size
    inset = 0.1 * w
    # PIL's perspective transform maps output pixels to input ones: solve for the 8 coefficients.
    output = [(0, 0), (w, 0), (w, h), (0, h)]
    source = [(inset, 0), (w - inset, 0), (w, h), (0, h)]
    rows, values = [], []
    for (x, y), (u, v) in zip(output, source):
        rows += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
        values += [u, v]
    coefficients = np.linalg.solve(np.array(rows, float), np.array(values, float))
    return image.transform((w, h), Image.PERSPECTIVE, coefficients.tolist(), Image.BICUBIC, fillcolor=GREY)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("images", type=Path, help="folder of the real photos")
    parser.add_argument("out", type=Path, help="folder to write the redrawn sets into")
    args = parser.parse_args()
    ways = {
        "rot30": turned(30), "rot45": turned(45), "dark": darkened, "noise": noisy(np.random.default_rng(5)),
        "blur": lambda image: image.filter(ImageFilter.GaussianBlur(1.5)),
        "lowc": lambda image: ImageEnhance.Contrast(image).enhance(0.35), "persp": keystoned,
    }
    photos = sorted(p for p in args.images.iterdir() if p.suffix.lower() in (".png", ".jpg", ".jpeg"))
    for name, redraw in ways.items():
        folder = args.out / name
        folder.mkdir(parents=True, exist_ok=True)
        for photo in photos:
            redraw(Image.open(photo).convert("RGB")).save(folder / (photo.stem + ".png"))
        print(f"{name}: {len(photos)} photos", flush=True)


if __name__ == "__main__":
    main()
