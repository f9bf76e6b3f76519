"""The course layout's markup.csv for the evaluation scripts: UTF-16 (either byte order) or UTF-8."""
import csv
import io


def read_markup(path):
    """The rows of a markup file, each a list of its fields (no header)."""
    raw = open(path, "rb").read()
    text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("utf-8-sig")
    return [r for r in csv.reader(io.StringIO(text)) if r]


def true_codes(truths):
    """path -> code over the markup files `truths`, rows without a code left out."""
    codes = {}
    for truth in truths:
        codes.update({r[0]: r[1] for r in read_markup(truth) if r[1]})
    return codes
