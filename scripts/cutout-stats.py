#!/usr/bin/python3
"""Compares simulated cutouts with real SkyServer JPEGs: sky level and noise at the image edges and
the RGB of the central 6 x 6 pixels, per class (median over up to 60 images each).

Usage: /usr/bin/python3 scripts/cutout-stats.py SIMULATED_SURVEY_DIR [REAL_JPEG_DIR]
REAL_JPEG_DIR defaults to ../shared/data/real/sdss/images_skyserver_jpeg (folders star/galaxy/qso).
Needs Debian's python3-pil and python3-numpy.
"""
import csv
import glob
import os
import sys

import numpy as np
from PIL import Image


def stats(files):
    edges, noise, centres = [], [], []
    for path in files[:60]:
        image = np.asarray(Image.open(path).convert("RGB")).astype(float)
        height, width, _ = image.shape
        border = np.concatenate([image[:8].reshape(-1, 3), image[-8:].reshape(-1, 3)])
        edges.append(border.mean(0))
        noise.append(border.std(0))
        centres.append(image[height // 2 - 3 : height // 2 + 3, width // 2 - 3 : width // 2 + 3].reshape(-1, 3).mean(0))
    return {
        "n": len(edges),
        "sky": np.median(edges, 0).round(1).tolist(),
        "noise": np.median(noise, 0).round(1).tolist(),
        "centre": np.median(centres, 0).round(0).tolist(),
    }


survey = sys.argv[1]
real = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "../../shared/data/real/sdss/images_skyserver_jpeg")
truth = {row["obsid"]: row["true_class"] for row in csv.DictReader(open(os.path.join(survey, "truth.csv")))}
simulated = sorted(glob.glob(os.path.join(survey, "cutouts", "*.jpg")))
print("class    source     n   sky (R,G,B)          noise (R,G,B)        centre (R,G,B)")
for name, folder in (("STAR", "star"), ("GALAXY", "galaxy"), ("QSO", "qso")):
    for source, files in (
        ("real", sorted(glob.glob(os.path.join(real, folder, "*.jpg")))),
        ("simulated", [p for p in simulated if truth.get(os.path.basename(p)[:-4]) == name]),
    ):
        s = stats(files)
        print(f"{name:8} {source:9} {s['n']:3}   {str(s['sky']):20} {str(s['noise']):20} {s['centre']}")
