#!/usr/bin/env python3
"""How much do the SDSS cutouts say about their class without a CNN? (issue #32)

Hand-made features of each 128 px cutout at its native resolution: the sky level (median beyond
40 px), and for the centred object the background-subtracted light in rings of radius 1, 2, 3, 4,
6, 8, 12 and 16 px per channel (log) with the ring's two colour ratios, and the colour of the
brightest central pixel. A one-hidden-layer network (64 ReLU units, plain gradient descent) is
trained on a random 80 % and tested on the other 20 %, for three seeds. A yardstick for the image
network: what aperture colours and sizes alone reach on the same files.

Run: /usr/bin/python3 docs/real-image/aperture-colours.py [../shared/data/real]   (numpy, PIL)
"""
import os
import sys

import numpy as np
from PIL import Image

root = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/real", "sdss/images_skyserver_jpeg")
yy, xx = np.mgrid[:128, :128]
radius = np.hypot(yy - 63.5, xx - 63.5)
features, labels = [], []
for label, cls in enumerate(["galaxy", "qso", "star"]):
    for name in sorted(os.listdir(os.path.join(root, cls))):
        image = np.asarray(Image.open(os.path.join(root, cls, name)).convert("RGB"), dtype=np.float32)
        if image.shape[:2] != (128, 128):
            continue
        sky = np.median(image[radius > 40], axis=0)
        light = image - sky
        row, inside = list(sky), np.zeros(3)
        for r in [1, 2, 3, 4, 6, 8, 12, 16]:
            total = light[radius < r].sum(0)
            ring = np.maximum(total - inside, 0)
            inside = total
            row += list(np.log1p(ring))
            q = ring + 5
            row += [np.log(q[0] / q[1]), np.log(q[1] / q[2])]
        centre = light[60:68, 60:68].reshape(-1, 3)
        row += list(centre[centre.sum(1).argmax()])
        features.append(row)
        labels.append(label)
X = np.array(features)
X = (X - X.mean(0)) / (X.std(0) + 1e-6)
Y = np.array(labels)


def run(seed):
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(Y))
    cut = int(0.8 * len(Y))
    train, test = order[:cut], order[cut:]
    w1, b1 = rng.normal(0, 0.1, (X.shape[1], 64)), np.zeros(64)
    w2, b2 = rng.normal(0, 0.1, (64, 3)), np.zeros(3)
    for _ in range(4000):
        h = np.maximum(X[train] @ w1 + b1, 0)
        z = h @ w2 + b2
        z -= z.max(1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(1, keepdims=True)
        g = (p - np.eye(3)[Y[train]]) / len(train)
        gh = g @ w2.T * (h > 0)
        w2 -= 0.05 * (h.T @ g + 1e-3 * w2)
        b2 -= 0.05 * g.sum(0)
        w1 -= 0.05 * (X[train].T @ gh + 1e-3 * w1)
        b1 -= 0.05 * gh.sum(0)
    predicted = (np.maximum(X[test] @ w1 + b1, 0) @ w2 + b2).argmax(1)
    confusion = np.zeros((3, 3), int)
    for t, p in zip(Y[test], predicted):
        confusion[t, p] += 1
    return (predicted == Y[test]).mean(), confusion


for seed in range(3):
    accuracy, confusion = run(seed)
    print(f"seed {seed}: accuracy {accuracy:.3f} on {len(Y) - int(0.8 * len(Y))} cutouts, confusion (rows GALAXY/QSO/STAR) {confusion.tolist()}")
