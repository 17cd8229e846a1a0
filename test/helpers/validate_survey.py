"""Independent validation of a simulated survey with astropy and Pillow (Debian packages).

Reads every file the simulator wrote with readers that share no code with it and prints one JSON
object of facts for the TypeScript test to assert on.
"""
import csv
import glob
import json
import os
import sys

import numpy as np
from astropy.io import fits
from PIL import Image

out = sys.argv[1]
facts = {"errors": []}


def error(message):
    facts["errors"].append(message)


catalogue = list(csv.DictReader(open(os.path.join(out, "catalogue.csv"))))
truth = {row["obsid"]: row for row in csv.DictReader(open(os.path.join(out, "truth.csv")))}
facts["catalogue_rows"] = len(catalogue)
facts["catalogue_columns"] = list(catalogue[0].keys())
facts["true_classes"] = {c: sum(1 for t in truth.values() if t["true_class"] == c) for c in ("STAR", "GALAXY", "QSO")}
facts["flipped"] = sum(1 for t in truth.values() if t["label_flipped"] == "1")
facts["flipped_consistent"] = all(
    (t["label_flipped"] == "1") == (t["true_class"] != row["class"]) for row in catalogue for t in [truth[row["obsid"]]]
)

# Frames: layout, fibre table, wavelength solution, sky lines where the header says they are.
sky_lines = json.loads(sys.argv[2])
frame_files = sorted(glob.glob(os.path.join(out, "frames", "*", "*.fits")))
facts["frames"] = len(frame_files)
sky_checks = []
for path in frame_files:
    with fits.open(path) as hdul:
        header = hdul[0].header
        data = hdul[0].data.astype(np.float64)
        table = hdul["FIBRES"].data
        if header["BITPIX"] != 16 or header["BZERO"] != 32768 or data.shape[1] != 4096:
            error(f"{path}: unexpected image layout {header['BITPIX']} {data.shape}")
        if data.shape[0] != len(table) * 14 + 48:
            error(f"{path}: {data.shape[0]} rows for {len(table)} fibres")
        coefficients = [header[f"WAVEC{k}"] for k in range(header["WAVEDEG"] + 1)]
        x = np.arange(4096)
        wavelength = sum(c * x**k for k, c in enumerate(coefficients))
        if not np.all(np.diff(wavelength) > 0):
            error(f"{path}: wavelength not monotonic")
        bias = header["BIASLEV"]
        sky_rows = [i for i, kind in enumerate(table["OBJTYPE"]) if kind.strip() == "SKY"]
        for fibre in sky_rows[:2]:
            c0, c1, c2 = table["TRACE"][fibre]
            for line in sky_lines:
                # Only where the arm receives light: the dichroic splits the arms near 5800 A.
                in_arm = line < 5800 if header["ARM"].strip() == "b" else line > 5800
                if not in_arm or not (wavelength[30] < line < wavelength[-30]):
                    continue
                expected = int(np.interp(line, wavelength, x))
                row = int(round(c0 + c1 * expected + c2 * expected**2))
                profile = data[row - 2 : row + 3, :].sum(axis=0) - 5 * bias
                window = profile[expected - 8 : expected + 9]
                peak = expected - 8 + int(np.argmax(window))
                surroundings = np.median(profile[max(0, expected - 80) : expected + 80])
                sky_checks.append(
                    {"line": line, "offset_px": peak - expected, "contrast": float(window.max() / max(surroundings, 1.0))}
                )
facts["sky_checks"] = sky_checks

# 1D spectra: the DR7 layout, header labels equal to the catalogue's.
spectra = sorted(glob.glob(os.path.join(out, "spectra", "*.fits")))
facts["spectra"] = len(spectra)
by_obsid = {row["obsid"]: row for row in catalogue}
for path in spectra:
    with fits.open(path) as hdul:
        header = hdul[0].header
        data = hdul[0].data
        if data.shape != (5, 3909) or data.dtype.kind != "f":
            error(f"{path}: shape {data.shape}")
        grid = 10 ** (header["COEFF0"] + header["COEFF1"] * np.arange(3909))
        if np.max(np.abs(data[2] - grid)) > 1e-3 * 9100:
            error(f"{path}: wavelength row differs from COEFF0/COEFF1")
        if not np.all(np.diff(data[2]) > 0) or np.any(data[1] < 0) or not np.all(np.isfinite(data)):
            error(f"{path}: bad wavelength, ivar or non-finite values")
        row = by_obsid.get(str(header["OBSID"]))
        if row is None or row["class"] != header["CLASS"].strip() or row["filename"] != os.path.basename(path):
            error(f"{path}: header does not match the catalogue")

# Cutouts: decodable 64x64 RGB JPEGs for exactly the objects that have one.
cutouts = sorted(glob.glob(os.path.join(out, "cutouts", "*.jpg")))
facts["cutouts"] = len(cutouts)
for path in cutouts:
    image = Image.open(path)
    image.load()
    if image.format != "JPEG" or image.size != (64, 64) or image.mode != "RGB":
        error(f"{path}: {image.format} {image.size} {image.mode}")
with_cutout = {obsid for obsid, t in truth.items() if t["has_cutout"] == "1"}
facts["cutouts_match_truth"] = {os.path.basename(p)[:-4] for p in cutouts} == with_cutout

# Pre-cut strips and g/r/i FITS, when written.
strips = sorted(glob.glob(os.path.join(out, "strips", "*.fits")))
facts["strips"] = len(strips)
for path in strips:
    with fits.open(path) as hdul:
        if hdul[0].data.shape != (15, 4096):
            error(f"{path}: strip shape {hdul[0].data.shape}")
band_fits = sorted(glob.glob(os.path.join(out, "cutouts", "*-[gri].fits")))
facts["band_fits"] = len(band_fits)
print(json.dumps(facts))
