#!/usr/bin/env python3
"""The VideoNas supernet and its search step (first or second order) in plain PyTorch: the reference for speed and memory.

It mirrors src/Nas/Supernet (stem, cells with pre-processing and factorized reduce, mixed ops that skip `none`,
partial channels with channel shuffle, TSN folding and consensus) and src/Nas/Search (α step: Adam on the
held-out batch; w step: momentum SGD with weight decay and gradient clipping on the training batch), reading
the same snake_case search config. It times steps on random clips of the configured shape, as
`videonas bench search` does, and prints one JSON line: seconds per step (median) and peak resident memory.

    python3 benchmarks/pytorch/supernet.py --config docs/experiments/search-p3d.json --steps 20 [--partial-channels 4] [--device cuda]
"""
import argparse, json, resource, statistics, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F

P3D = ["none", "skip_connect", "max_pool_1x3x3", "avg_pool_1x3x3", "conv_1x3x3", "conv_3x1x1", "p3d_a_3", "p3d_b_3", "p3d_c_3",
       "dil_conv_1x3x3", "p3d_a_5"]


def bn(c, affine):
    return nn.BatchNorm3d(c, affine=affine)


class ConvUnit(nn.Module):
    """ReLU -> conv (separable: depthwise then 1x1x1) -> BatchNorm, 'same' padding before the stride."""

    def __init__(self, c_in, c_out, kernel, stride, dilation=(1, 1, 1), separable=False, affine=False):
        super().__init__()
        pad = tuple(d * (k - 1) // 2 for k, d in zip(kernel, dilation))
        self.conv = nn.Conv3d(c_in, c_in if separable else c_out, kernel, stride, pad, dilation, groups=c_in if separable else 1, bias=False)
        self.point = nn.Conv3d(c_in, c_out, 1, bias=False) if separable else None
        self.bn = bn(c_out, affine)

    def forward(self, x):
        y = self.conv(F.relu(x))
        return self.bn(self.point(y) if self.point is not None else y)


class P3d(nn.Module):
    def __init__(self, variant, c, k, stride, affine=False):
        super().__init__()
        self.variant = variant
        self.spatial = ConvUnit(c, c, (1, k, k), stride, affine=affine)
        self.temporal = ConvUnit(c, c, (k, 1, 1), stride if variant == "b" else (1, 1, 1), affine=affine)

    def forward(self, x):
        s = self.spatial(x)
        if self.variant == "a":
            return self.temporal(s)
        return s + self.temporal(x if self.variant == "b" else s)


class Pool(nn.Module):
    def __init__(self, max_pool, c, stride, temporal=False):
        super().__init__()
        self.k, self.p = ((3, 3, 3), (1, 1, 1)) if temporal else ((1, 3, 3), (0, 1, 1))
        self.stride, self.max = stride, max_pool
        self.bn = bn(c, False)  # affine-free even in a derived network, as in VideoNas

    def forward(self, x):
        if self.max:
            return self.bn(F.max_pool3d(x, self.k, self.stride, self.p))
        if self.k[0] == 1:
            return self.bn(F.avg_pool3d(x, self.k, self.stride, self.p, count_include_pad=False))
        # ATen refuses an input shorter than the kernel (two frames): pad explicitly, divide by the real cells (as VideoNas does).
        pad = (1, 1, 1, 1, 1, 1)
        ones = torch.ones(1, 1, *x.shape[2:], device=x.device, dtype=x.dtype)
        return self.bn(F.avg_pool3d(F.pad(x, pad), self.k, self.stride) / F.avg_pool3d(F.pad(ones, pad), self.k, self.stride))


class FactorizedReduce(nn.Module):
    def __init__(self, c_in, c_out, stride, affine=False):
        super().__init__()
        self.stride = stride
        self.c1 = nn.Conv3d(c_in, c_out // 2, 1, stride, bias=False)
        self.c2 = nn.Conv3d(c_in, c_out // 2, 1, stride, bias=False)
        self.bn = bn(c_out, affine)

    def forward(self, x):
        x = F.relu(x)
        st, ss = (1 if self.stride[0] > 1 else 0), (1 if self.stride[1] > 1 else 0)
        shifted = F.pad(x, (0, ss, 0, ss, 0, st))[:, :, st:, ss:, ss:]
        return self.bn(torch.cat([self.c1(x), self.c2(shifted)], 1))


class Zero(nn.Module):
    def __init__(self, stride):
        super().__init__()
        self.stride = stride

    def forward(self, x):
        return x[:, :, ::self.stride[0], ::self.stride[1], ::self.stride[2]] * 0.0


def operation(name, c, stride, affine=False):
    """affine=False in the supernet (DARTS), True in a derived network."""
    one, a = stride == (1, 1, 1), affine
    return {
        "none": lambda: Zero(stride),
        "skip_connect": lambda: nn.Identity() if one else FactorizedReduce(c, c, stride, a),
        "max_pool_1x3x3": lambda: Pool(True, c, stride),
        "avg_pool_1x3x3": lambda: Pool(False, c, stride),
        "conv_1x3x3": lambda: ConvUnit(c, c, (1, 3, 3), stride, separable=True, affine=a),
        "conv_3x1x1": lambda: ConvUnit(c, c, (3, 1, 1), stride, affine=a),
        "dil_conv_1x3x3": lambda: ConvUnit(c, c, (1, 3, 3), stride, (1, 2, 2), separable=True, affine=a),
        "p3d_a_3": lambda: P3d("a", c, 3, stride, a),
        "p3d_b_3": lambda: P3d("b", c, 3, stride, a),
        "p3d_c_3": lambda: P3d("c", c, 3, stride, a),
        "p3d_a_5": lambda: P3d("a", c, 5, stride, a),
        "max_pool_3x3x3": lambda: Pool(True, c, stride, temporal=True),
        "avg_pool_3x3x3": lambda: Pool(False, c, stride, temporal=True),
        "conv_1x1x1": lambda: ConvUnit(c, c, (1, 1, 1), stride, affine=a),
        "conv_3x3x3": lambda: ConvUnit(c, c, (3, 3, 3), stride, affine=a),
        "sep_conv_3x3x3": lambda: nn.Sequential(ConvUnit(c, c, (3, 3, 3), stride, separable=True, affine=a),
                                                ConvUnit(c, c, (3, 3, 3), (1, 1, 1), separable=True, affine=a)),
        "dil_conv_3x3x3": lambda: ConvUnit(c, c, (3, 3, 3), stride, (2, 2, 2), separable=True, affine=a),
    }[name]()


class MixedOp(nn.Module):
    def __init__(self, primitives, c, stride, k):
        super().__init__()
        self.k, self.stride = k, stride
        self.keep = [i for i, p in enumerate(primitives) if p != "none"]
        self.ops = nn.ModuleList(operation(p, c // k, stride) for p in primitives)

    def forward(self, x, w):
        if self.k == 1:
            return sum(self.ops[i](x) * w[i] for i in self.keep)
        part = x.shape[1] // self.k
        active, bypass = x[:, :part], x[:, part:]
        if self.stride != (1, 1, 1):
            bypass = F.max_pool3d(bypass, self.stride, self.stride, ceil_mode=True)
        y = torch.cat([sum(self.ops[i](active) * w[i] for i in self.keep), bypass], 1)
        n, c = y.shape[:2]
        return y.reshape(n, self.k, c // self.k, *y.shape[2:]).transpose(1, 2).reshape(y.shape)


class Cell(nn.Module):
    def __init__(self, primitives, steps, cpp, cp, c, reduction, reduction_prev, reduce_stride, k):
        super().__init__()
        self.steps, self.reduction = steps, reduction
        self.pre0 = FactorizedReduce(cpp, c, reduce_stride) if reduction_prev else ConvUnit(cpp, c, (1, 1, 1), (1, 1, 1))
        self.pre1 = ConvUnit(cp, c, (1, 1, 1), (1, 1, 1))
        self.edges = nn.ModuleList(MixedOp(primitives, c, reduce_stride if reduction and j < 2 else (1, 1, 1), k)
                                   for i in range(steps) for j in range(2 + i))

    def forward(self, s0, s1, weights):
        states, offset = [self.pre0(s0), self.pre1(s1)], 0
        for _ in range(self.steps):
            node = sum(self.edges[offset + j](h, weights[offset + j]) for j, h in enumerate(states))
            offset += len(states)
            states.append(node)
        return torch.cat(states[2:], 1)


class Supernet(nn.Module):
    def __init__(self, cfg, classes):
        super().__init__()
        c, layers, steps, prims = cfg["init_channels"], cfg["layers"], cfg["steps"], cfg["primitives"]
        kt = cfg.get("stem_temporal_kernel", 3)
        cc = cfg.get("stem_multiplier", 3) * c
        self.stem = nn.Sequential(nn.Conv3d(3, cc, (kt, 3, 3), padding=(kt // 2, 1, 1), bias=False), bn(cc, True))
        cpp, cp, cc = cc, cc, c
        reduce_stride = (2 if cfg.get("reduce_time", False) else 1, 2, 2)
        self.cells, reduction_prev = nn.ModuleList(), False
        for i in range(layers):
            reduction = layers >= 3 and i in (layers // 3, 2 * layers // 3)
            cc = cc * 2 if reduction else cc
            self.cells.append(Cell(prims, steps, cpp, cp, cc, reduction, reduction_prev, reduce_stride, cfg.get("partial_channels", 1)))
            reduction_prev = reduction
            cpp, cp = cp, steps * cc
        self.classifier = nn.Linear(cp, classes)
        edges = sum(2 + i for i in range(steps))
        self.alphas_normal = nn.Parameter(1e-3 * torch.randn(edges, len(prims)))
        self.alphas_reduce = nn.Parameter(1e-3 * torch.randn(edges, len(prims)))

    def arch_parameters(self):
        return [self.alphas_normal, self.alphas_reduce]

    def weight_parameters(self):
        return [p for n, p in self.named_parameters() if not n.startswith("alphas_")]

    def forward(self, clips):
        b, k = clips.shape[:2]
        x = clips.reshape(b * k, *clips.shape[2:])
        s0 = s1 = self.stem(x)
        wn, wr = F.softmax(self.alphas_normal, -1), F.softmax(self.alphas_reduce, -1)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1, wr if cell.reduction else wn)
        logits = self.classifier(F.adaptive_avg_pool3d(s1, 1).flatten(1))
        return logits.reshape(b, k, -1).mean(1)


def saved_for_backward(net, x):
    """Bytes of the distinct tensors autograd keeps from one forward for the backward pass: the activations."""
    seen = {}

    def pack(t):
        seen[(t.data_ptr(), t.dtype, tuple(t.shape))] = t.numel() * t.element_size()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        net(x)
    return sum(seen.values())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", required=True)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--partial-channels", type=int, default=None)
    ap.add_argument("--classes", type=int, default=4)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--batch-size", type=int, default=None, help="override batch_size (e.g. a paper-scale batch on a GPU)")
    ap.add_argument("--resolution", type=int, default=None)
    ap.add_argument("--second-order", action="store_true", help="the unrolled α step (as second_order: true in the config)")
    ap.add_argument("--activations", action="store_true", help="only measure what one forward saves for backward, and exit")
    args = ap.parse_args()
    cfg = {"primitives": P3D, "steps": 4, "init_channels": 8, "layers": 3, "segments": 4, "frames_per_segment": 2, "resolution": 32,
           "batch_size": 8, "weight_lr": 0.025, "weight_momentum": 0.9, "weight_decay": 3e-4, "grad_clip": 5.0, "arch_lr": 3e-4,
           "arch_beta1": 0.5, "arch_beta2": 0.999, "arch_weight_decay": 1e-3}
    cfg.update(json.load(open(args.config)))
    if args.second_order:
        cfg["second_order"] = True
    for key, value in (("partial_channels", args.partial_channels), ("batch_size", args.batch_size), ("resolution", args.resolution)):
        if value is not None:
            cfg[key] = value
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(cfg.get("seed", 0))
    dev = torch.device(args.device)
    net = Supernet(cfg, args.classes).to(dev)
    w_opt = torch.optim.SGD(net.weight_parameters(), cfg["weight_lr"], momentum=cfg["weight_momentum"], weight_decay=cfg["weight_decay"])
    a_opt = torch.optim.Adam(net.arch_parameters(), cfg["arch_lr"], betas=(cfg["arch_beta1"], cfg["arch_beta2"]), weight_decay=cfg["arch_weight_decay"])
    shape = (cfg["batch_size"], cfg["segments"], 3, cfg["frames_per_segment"], cfg["resolution"], cfg["resolution"])

    def batch():
        return torch.randn(shape, device=dev), torch.randint(0, args.classes, (cfg["batch_size"],), device=dev)

    weights, alphas = net.weight_parameters(), net.arch_parameters()

    def second_order_grads(x_val, y_val, x_train, y_train):
        """DARTS' unrolled α gradient, as VideoNas computes it: w' = w - η(μ·buf + ∇w L_train + wd·w), then the
        Hessian-vector product by central differences at w ± R·v, R = hessian_step / ‖v‖."""
        eta, mu, wd = w_opt.param_groups[0]["lr"], cfg["weight_momentum"], cfg["weight_decay"]
        backup = [w.detach().clone() for w in weights]
        g_train = torch.autograd.grad(F.cross_entropy(net(x_train), y_train), weights)
        with torch.no_grad():
            for w, g in zip(weights, g_train):
                buf = w_opt.state.get(w, {}).get("momentum_buffer")
                w.sub_(eta * ((mu * buf if buf is not None else 0) + g + wd * w))
        grads = torch.autograd.grad(F.cross_entropy(net(x_val), y_val), alphas + weights)
        alpha_grads, v = list(grads[:len(alphas)]), grads[len(alphas):]
        r = cfg.get("hessian_step", 0.01) / torch.sqrt(sum((g * g).sum() for g in v))
        with torch.no_grad():
            for w, b, d in zip(weights, backup, v):
                w.copy_(b + r * d)
        g_plus = torch.autograd.grad(F.cross_entropy(net(x_train), y_train), alphas)
        with torch.no_grad():
            for w, b, d in zip(weights, backup, v):
                w.copy_(b - r * d)
        g_minus = torch.autograd.grad(F.cross_entropy(net(x_train), y_train), alphas)
        with torch.no_grad():
            for w, b in zip(weights, backup):
                w.copy_(b)
        return [a - eta * (gp - gm) / (2 * r) for a, gp, gm in zip(alpha_grads, g_plus, g_minus)]

    def step():
        x, y = batch()  # alpha step on the held-out batch
        a_opt.zero_grad(set_to_none=True)
        if cfg.get("second_order", False):
            xt, yt = batch()  # unrolled on the next training batch
            grads = second_order_grads(x, y, xt, yt)
        else:
            grads = torch.autograd.grad(F.cross_entropy(net(x), y), alphas)
        for p, g in zip(alphas, grads):
            p.grad = g
        a_opt.step()
        x, y = batch()  # w step on the training batch
        w_opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        for p in net.arch_parameters():
            p.grad = None
        nn.utils.clip_grad_norm_(net.weight_parameters(), cfg["grad_clip"])
        w_opt.step()

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize()

    if args.activations:
        print(json.dumps({"saved_for_backward_mib": saved_for_backward(net, batch()[0]) / 2 ** 20, "batch_size": cfg["batch_size"],
                          "resolution": cfg["resolution"], "partial_channels": cfg.get("partial_channels", 1)}))
        return 0
    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        sync()
        start = time.perf_counter()
        step()
        sync()
        times.append(time.perf_counter() - start)
    out = {
        "framework": f"pytorch {torch.__version__}", "device": args.device, "threads": torch.get_num_threads(),
        "partial_channels": cfg.get("partial_channels", 1), "batch_size": cfg["batch_size"], "resolution": cfg["resolution"],
        "second_order": cfg.get("second_order", False), "seconds_per_step_median": statistics.median(times), "clips_per_second": cfg["batch_size"] / statistics.median(times),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "parameters": sum(p.numel() for p in net.weight_parameters()),
    }
    if dev.type == "cuda":
        out["peak_cuda_mib"] = torch.cuda.max_memory_allocated() / 2 ** 20
        out["gpu"] = torch.cuda.get_device_name()
    print(json.dumps(out))


if __name__ == "__main__":
    sys.exit(main())
