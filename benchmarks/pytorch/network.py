#!/usr/bin/env python3
"""VideoNas' from-scratch training step in plain PyTorch: a derived network (a genotype) or a video ResNet baseline.

It mirrors src/Nas/Derived (stem, cells whose nodes sum their two kept edges, drop-path on every edge but identity,
the optional auxiliary head) and src/Nas/Models/VideoResNet (torchvision's r3d_18 and r2plus1d_18 with a width
multiplier), wrapped in TSN segment consensus, and the step of src/Nas/Training/ScratchStep: cross-entropy
(+ auxiliary), gradient clipping, momentum SGD with weight decay. It reads the same snake_case training config,
times the step on one random batch as `videonas bench train` does, and prints one JSON line.

    python3 benchmarks/pytorch/network.py --config docs/experiments/train.json --genotype GENOTYPE.json
    python3 benchmarks/pytorch/network.py --config docs/experiments/train.json --model r2plus1d18 --width 0.25
"""
import argparse, json, resource, statistics, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F

from supernet import ConvUnit, FactorizedReduce, bn, operation


def drop_path(x, p, training):
    if not training or p <= 0:
        return x
    mask = torch.empty(x.shape[0], 1, 1, 1, 1, device=x.device, dtype=x.dtype).bernoulli_(1 - p)
    return x / (1 - p) * mask


class DerivedCell(nn.Module):
    def __init__(self, edges, concat, cpp, cp, c, reduction, reduction_prev, reduce_stride):
        super().__init__()
        self.edges, self.concat, self.reduction = edges, concat, reduction
        self.pre0 = FactorizedReduce(cpp, c, reduce_stride, True) if reduction_prev else ConvUnit(cpp, c, (1, 1, 1), (1, 1, 1), affine=True)
        self.pre1 = ConvUnit(cp, c, (1, 1, 1), (1, 1, 1), affine=True)
        self.ops = nn.ModuleList(operation(op, c, reduce_stride if reduction and j < 2 else (1, 1, 1), True) for op, j in edges)

    def forward(self, s0, s1, p):
        states = [self.pre0(s0), self.pre1(s1)]

        def edge(k):
            h = self.ops[k](states[self.edges[k][1]])
            return h if isinstance(self.ops[k], nn.Identity) else drop_path(h, p, self.training)

        for node in range(len(self.edges) // 2):
            states.append(edge(2 * node) + edge(2 * node + 1))
        return torch.cat([states[i] for i in self.concat], 1)


class DerivedNetwork(nn.Module):
    def __init__(self, genotype, classes, c, layers, auxiliary, stem_temporal_kernel):
        super().__init__()
        kt, cc = stem_temporal_kernel, 3 * c
        self.stem = nn.Sequential(nn.Conv3d(3, cc, (kt, 3, 3), padding=(kt // 2, 1, 1), bias=False), bn(cc, True))
        cpp, cp, cc = cc, cc, c
        self.cells, reduction_prev, self.aux_after, aux_channels = nn.ModuleList(), False, 2 * layers // 3, 0
        for i in range(layers):
            reduction = layers >= 3 and i in (layers // 3, 2 * layers // 3)
            cc = cc * 2 if reduction else cc
            kind = "reduce" if reduction else "normal"
            cell = DerivedCell(genotype[kind], genotype[kind + "_concat"], cpp, cp, cc, reduction, reduction_prev, (1, 2, 2))
            self.cells.append(cell)
            reduction_prev = reduction
            cpp, cp = cp, len(cell.concat) * cc
            if i == self.aux_after:
                aux_channels = cp
        self.classifier = nn.Linear(cp, classes)
        self.auxiliary = nn.Sequential(nn.ReLU(), nn.AdaptiveAvgPool3d((1, 2, 2)), nn.Conv3d(aux_channels, 128, 1, bias=False), bn(128, True), nn.ReLU(),
                                       nn.Flatten(), nn.Linear(128 * 4, classes)) if auxiliary and layers >= 3 else None
        self.drop_path, self.aux_logits = 0.0, None

    def forward(self, x):
        s0 = s1 = self.stem(x)
        self.aux_logits = None
        for i, cell in enumerate(self.cells):
            s0, s1 = s1, cell(s0, s1, self.drop_path)
            if i == self.aux_after and self.auxiliary is not None and self.training:
                self.aux_logits = self.auxiliary(s1)
        return self.classifier(F.adaptive_avg_pool3d(s1, 1).flatten(1))


def width(c, w):
    return max(1, round(c * w))  # Python's round, like .NET's Math.Round, rounds halves to even


class BasicBlock(nn.Module):
    def __init__(self, r3d, inplanes, planes, stride):
        super().__init__()
        mid = inplanes * planes * 27 // (inplanes * 9 + 3 * planes)

        def conv(c_in, c_out, s):
            if r3d:
                return nn.Conv3d(c_in, c_out, 3, s, 1, bias=False)
            return nn.Sequential(nn.Conv3d(c_in, mid, (1, 3, 3), (1, s, s), (0, 1, 1), bias=False), bn(mid, True), nn.ReLU(),
                                 nn.Conv3d(mid, c_out, (3, 1, 1), (s, 1, 1), (1, 0, 0), bias=False))

        self.conv1 = nn.Sequential(conv(inplanes, planes, stride), bn(planes, True), nn.ReLU())
        self.conv2 = nn.Sequential(conv(planes, planes, 1), bn(planes, True))
        self.downsample = nn.Sequential(nn.Conv3d(inplanes, planes, 1, stride, bias=False), bn(planes, True)) \
            if stride != 1 or inplanes != planes else None

    def forward(self, x):
        residual = self.downsample(x) if self.downsample is not None else x
        return F.relu(self.conv2(self.conv1(x)) + residual)


class VideoResNet(nn.Module):
    def __init__(self, r3d, classes, w):
        super().__init__()
        W = lambda c: width(c, w)
        self.stem = nn.Sequential(nn.Conv3d(3, W(64), (3, 7, 7), (1, 2, 2), (1, 3, 3), bias=False), bn(W(64), True), nn.ReLU()) if r3d else \
            nn.Sequential(nn.Conv3d(3, W(45), (1, 7, 7), (1, 2, 2), (0, 3, 3), bias=False), bn(W(45), True), nn.ReLU(),
                          nn.Conv3d(W(45), W(64), (3, 1, 1), 1, (1, 0, 0), bias=False), bn(W(64), True), nn.ReLU())
        blocks, inplanes = [], W(64)
        for planes, stride in ((W(64), 1), (W(128), 2), (W(256), 2), (W(512), 2)):
            blocks += [BasicBlock(r3d, inplanes, planes, stride), BasicBlock(r3d, planes, planes, 1)]
            inplanes = planes
        self.layers = nn.Sequential(*blocks)
        self.fc = nn.Linear(inplanes, classes)

    def forward(self, x):
        return self.fc(F.adaptive_avg_pool3d(self.layers(self.stem(x)), 1).flatten(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", required=True, help="a training config (JSON), e.g. docs/experiments/train.json")
    which = ap.add_mutually_exclusive_group(required=True)
    which.add_argument("--genotype", help="a genotype.json: the derived network")
    which.add_argument("--model", choices=["r3d18", "r2plus1d18"], help="a video ResNet baseline")
    ap.add_argument("--width", type=float, default=None, help="channel multiplier of a baseline (overrides the config's width)")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--classes", type=int, default=8)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()
    cfg = {"batch_size": 8, "lr": 0.025, "momentum": 0.9, "weight_decay": 3e-4, "grad_clip": 5.0, "segments": 3, "frames_per_segment": 4,
           "resolution": 112, "channels": 16, "layers": 8, "drop_path": 0.2, "auxiliary_weight": 0.0, "stem_temporal_kernel": 3, "width": 1.0, "seed": 2}
    cfg.update(json.load(open(args.config)))
    if args.width is not None:
        cfg["width"] = args.width
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(cfg["seed"])
    dev = torch.device(args.device)
    if args.genotype:
        net = DerivedNetwork(json.load(open(args.genotype)), args.classes, cfg["channels"], cfg["layers"], cfg["auxiliary_weight"] > 0,
                             cfg["stem_temporal_kernel"])
        net.drop_path = cfg["drop_path"]
    else:
        net = VideoResNet(args.model == "r3d18", args.classes, cfg["width"])
    net = net.to(dev).train()
    opt = torch.optim.SGD(net.parameters(), cfg["lr"], momentum=cfg["momentum"], weight_decay=cfg["weight_decay"])
    b, k = cfg["batch_size"], cfg["segments"]
    clips = torch.randn(b, k, 3, cfg["frames_per_segment"], cfg["resolution"], cfg["resolution"], device=dev)
    labels = torch.randint(0, args.classes, (b,), device=dev)

    def step():
        logits = net(clips.reshape(b * k, *clips.shape[2:])).reshape(b, k, -1).mean(1)  # TSN consensus
        loss = F.cross_entropy(logits, labels)
        aux = getattr(net, "aux_logits", None)
        if aux is not None and cfg["auxiliary_weight"] > 0:
            loss = loss + cfg["auxiliary_weight"] * F.cross_entropy(aux.reshape(b, k, -1).mean(1), labels)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), cfg["grad_clip"])
        opt.step()
        loss.item()  # VideoNas reads the loss every step (its non-finite check); so does this

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        if dev.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        step()
        if dev.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    out = {"framework": f"pytorch {torch.__version__}", "device": args.device, "threads": torch.get_num_threads(),
           "model": args.model or args.genotype, "width": cfg["width"], "parameters": sum(p.numel() for p in net.parameters()),
           "batch_size": b, "seconds_per_step_median": median, "clips_per_second": b / median,
           "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if dev.type == "cuda":
        out["peak_cuda_mib"] = torch.cuda.max_memory_allocated() / 2 ** 20
    print(json.dumps(out))


if __name__ == "__main__":
    sys.exit(main())
