#!/usr/bin/python3
"""The MAC-Net family in PyTorch: the CPU yardstick for `macnet bench train|infer`.

Same layers, sizes and paddings as packages/model/src/architectures.ts (full size unless
--compact), NCHW. Modes:
  infer  --batch B --runs N        → milliseconds per forward pass (median), samples/s
  train  --batch B --steps N       → samples/s of Adagrad steps (lr 0.001, class weights 1:3:1)
  onnx   --out FILE                → the same network exported to ONNX (for onnxruntime-node)
Prints one JSON object. Needs Debian's python3-torch (1.13, oneDNN 2.6).
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch
from torch import nn

FULL = dict(width=2000, spectrum=2000, spectral=(128, 64, 64, 64), image=(64, 64, 192),
            inception=(64, 96, 128, 16, 32, 32), dense=(4096, 1024))
COMPACT = dict(width=500, spectrum=500, spectral=(32, 16, 16, 16), image=(16, 16, 48),
               inception=(16, 24, 32, 4, 8, 8), dense=(256, 64))
INPUTS = {
    "SSCNN_1D": ["spectrum"], "M_NET": ["spectrum", "image"], "C_NET": ["blue", "red"],
    "MC_NET": ["blue", "red", "image"], "MAC_NET": ["blue", "red", "image"], "IMAGE_NET": ["image"],
}


class Cbam(nn.Module):
    def __init__(self, channels, reduction=8, kernel=7):
        super().__init__()
        hidden = max(1, channels // reduction)
        self.mlp = nn.Sequential(nn.Linear(channels, hidden), nn.ReLU(), nn.Linear(hidden, channels))
        self.spatial = nn.Conv2d(2, 1, kernel, padding=kernel // 2)

    def forward(self, x):
        attention = torch.sigmoid(self.mlp(x.mean(dim=(2, 3))) + self.mlp(x.amax(dim=(2, 3))))
        x = x * attention[:, :, None, None]
        pooled = torch.cat([x.mean(dim=1, keepdim=True), x.amax(dim=1, keepdim=True)], dim=1)
        return x * torch.sigmoid(self.spatial(pooled))


def spectral_branch(height, sizes, attention):
    f1, f2, f3, f4 = sizes
    kernel = (1, 20) if height == 1 else (3, 20)
    layers, rows = [], height

    def pool():
        nonlocal rows
        p = 2 if rows >= 2 else 1
        rows //= p
        return nn.MaxPool2d((p, 2))

    def conv(cin, cout):
        # TensorFlow's 'same' padding (the extra column goes right), explicit so that ONNX can take it.
        kh, kw = kernel
        pad = nn.ZeroPad2d(((kw - 1) // 2, kw // 2, (kh - 1) // 2, kh // 2))
        return [pad, nn.Conv2d(cin, cout, kernel), nn.ReLU()]

    layers += conv(1, f1) + [nn.BatchNorm2d(f1), pool(), nn.Dropout(0.5)]
    layers += conv(f1, f2) + [nn.BatchNorm2d(f2), pool(), nn.Dropout(0.5)]
    layers += conv(f2, f3) + [nn.BatchNorm2d(f3), pool()]
    if attention:
        layers.append(Cbam(f3))
    layers += conv(f3, f4) + [nn.Dropout(0.5), nn.MaxPool2d((1, 2)), nn.Flatten()]
    return nn.Sequential(*layers)


class Inception(nn.Module):
    def __init__(self, cin, b1, b3r, b3, b5r, b5, bp):
        super().__init__()
        relu = nn.ReLU
        self.b1 = nn.Sequential(nn.Conv2d(cin, b1, 1), relu())
        self.b3 = nn.Sequential(nn.Conv2d(cin, b3r, 1), relu(), nn.Conv2d(b3r, b3, 3, padding=1), relu())
        self.b5 = nn.Sequential(nn.Conv2d(cin, b5r, 1), relu(), nn.Conv2d(b5r, b5, 5, padding=2), relu())
        self.bp = nn.Sequential(nn.MaxPool2d(3, 1, padding=1), nn.Conv2d(cin, bp, 1), relu())

    def forward(self, x):
        return torch.cat([self.b1(x), self.b3(x), self.b5(x), self.bp(x)], dim=1)


def image_branch(cfg):
    stem, reduce, conv = cfg["image"]
    inception = cfg["inception"]
    out = inception[0] + inception[2] + inception[4] + inception[5]
    return nn.Sequential(
        nn.Conv2d(3, stem, 7, stride=2, padding=3), nn.ReLU(), nn.MaxPool2d(3, 2, padding=1),
        nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=1.0),
        nn.Conv2d(stem, reduce, 1), nn.ReLU(), nn.Conv2d(reduce, conv, 3, padding=1), nn.ReLU(),
        nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=1.0), nn.MaxPool2d(3, 2, padding=1),
        Inception(conv, *inception), nn.MaxPool2d(2), nn.Flatten()), out * 4 * 4


class Net(nn.Module):
    def __init__(self, arch, cfg):
        super().__init__()
        self.inputs = INPUTS[arch]
        branches, features = [], 0
        for name in self.inputs:
            if name == "image":
                branch, size = image_branch(cfg)
            else:
                height = 1 if name == "spectrum" else 11
                width = cfg["spectrum"] if name == "spectrum" else cfg["width"]
                branch = spectral_branch(height, cfg["spectral"], arch == "MAC_NET")
                size = cfg["spectral"][3] * (width // 16) * 1
            branches.append(branch)
            features += size
        self.branches = nn.ModuleList(branches)
        d1, d2 = cfg["dense"]
        self.head = nn.Sequential(nn.Linear(features, d1), nn.ReLU(), nn.Dropout(0.5), nn.Linear(d1, d2), nn.ReLU(),
                                  nn.Linear(d2, 3))

    def forward(self, *xs):
        return self.head(torch.cat([branch(x) for branch, x in zip(self.branches, xs)], dim=1))


def inputs_for(arch, cfg, batch):
    shapes = {"blue": (1, 11, cfg["width"]), "red": (1, 11, cfg["width"]), "image": (3, 64, 64),
              "spectrum": (1, 1, cfg["spectrum"])}
    return [torch.randn(batch, *shapes[name]) for name in INPUTS[arch]]


def peak_rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["infer", "train", "onnx"])
    parser.add_argument("--arch", default="MAC_NET", choices=sorted(INPUTS))
    parser.add_argument("--compact", action="store_true")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--out")
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(os.cpu_count() or 1)
    cfg = COMPACT if args.compact else FULL
    net = Net(args.arch, cfg)
    result = {"engine": f"pytorch {torch.__version__}", "arch": args.arch, "batch": args.batch,
              "threads": torch.get_num_threads(), "parameters": sum(p.numel() for p in net.parameters())}
    xs = inputs_for(args.arch, cfg, args.batch)
    if args.mode == "onnx":
        net.eval()
        names = INPUTS[args.arch]
        torch.onnx.export(net, tuple(xs), args.out, input_names=names, output_names=["logits"], opset_version=13,
                          dynamic_axes={name: {0: "batch"} for name in names + ["logits"]})
        result["onnx"] = args.out
    elif args.mode == "infer":
        net.eval()
        times = []
        with torch.no_grad():
            for i in range(args.runs + 2):
                start = time.perf_counter()
                net(*xs)
                if i >= 2:
                    times.append(time.perf_counter() - start)
        ms = statistics.median(times) * 1000
        result.update(msPerBatch=round(ms, 2), msPerSample=round(ms / args.batch, 2),
                      samplesPerS=round(args.batch * 1000 / ms, 3))
    else:
        net.train()
        optimizer = torch.optim.Adagrad(net.parameters(), lr=0.001)
        loss_fn = nn.CrossEntropyLoss(weight=torch.tensor([1.0, 3.0, 1.0]))
        labels = torch.arange(args.batch) % 3
        times = []
        for i in range(args.steps + 1):
            start = time.perf_counter()
            optimizer.zero_grad()
            loss = loss_fn(net(*xs), labels)
            loss.backward()
            optimizer.step()
            if i >= 1:
                times.append(time.perf_counter() - start)
        seconds = statistics.median(times)
        result.update(secondsPerStep=round(seconds, 3), samplesPerS=round(args.batch / seconds, 3))
    result["peakRssMB"] = peak_rss_mb()
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
