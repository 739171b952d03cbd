#!/usr/bin/env python3
"""Cross-checks VideoNas against the PyTorch reference: loads the file `videonas bench export-step` writes
(weights, a batch, VideoNas' float32 loss and gradients), runs one forward and backward of supernet.py's network
on the same weights and batch in float64, and compares the loss and every gradient with it. Exit 0 when
VideoNas agrees within float32 tolerance, 1 otherwise, naming the worst parameter. The same comparison of
PyTorch's own float32 run is printed beside it, for scale.

    videonas bench export-step --config tiny.json --out step.json && python3 benchmarks/pytorch/crosscheck.py step.json
"""
import json, os, sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from supernet import Supernet  # noqa: E402


def tensor(t):
    return torch.tensor(t["data"], dtype=torch.float32).reshape(t["shape"])


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    exported = json.load(open(sys.argv[1]))
    cfg = json.loads(exported["config"])
    torch.set_num_threads(1)
    clips, labels = tensor(exported["clips"]), torch.tensor(exported["labels"])
    reference, pairs = run(exported, cfg, clips, labels, torch.float64)
    if reference is None:
        print(pairs)
        return 1
    pytorch32, pairs32 = run(exported, cfg, clips, labels, torch.float32)
    ours = {our_name: tensor(o["grad"]) for our_name, _, _, o in pairs if "grad" in o}
    theirs32 = {our_name: p.grad for our_name, _, p, _ in pairs32}
    worst = worst_of(pairs, ours)
    worst32 = worst_of(pairs, theirs32)
    loss_error = abs(reference - exported["loss"])
    print(json.dumps({"loss_videonas": exported["loss"], "loss_float64": reference, "loss_pytorch_float32": pytorch32,
                      "videonas_worst_gradient_relative_error": worst[0], "videonas_worst_parameter": worst[1],
                      "pytorch_float32_worst_gradient_relative_error": worst32[0], "tensors": len(pairs)}))
    return 0 if loss_error < 1e-5 and worst[0] < 1e-3 else 1


def run(exported, cfg, clips, labels, dtype):
    """The reference on VideoNas' weights: the loss and (VideoNas name, reference name, parameter, exported entry) per tensor."""
    net = Supernet(cfg, exported["classes"]).to(dtype)
    net.train()
    # Alphas by name; the rest in registration order, which both builds follow, each checked by shape.
    ours = [p for p in exported["parameters"] if not p["name"].startswith("alphas_")]
    theirs = [(n, p) for n, p in net.named_parameters() if not n.startswith("alphas_")]
    if len(ours) != len(theirs):
        return None, f"VideoNas has {len(ours)} weight tensors, the reference {len(theirs)}"
    pairs = [(o["name"], n, p, o) for o, (n, p) in zip(ours, theirs)]
    pairs += [(o["name"], o["name"], getattr(net, o["name"]), o) for o in exported["parameters"] if o["name"].startswith("alphas_")]
    with torch.no_grad():
        for our_name, name, p, o in pairs:
            value = tensor(o["value"])
            if tuple(value.shape) != tuple(p.shape):
                return None, f"{our_name} {tuple(value.shape)} does not match the reference's {name} {tuple(p.shape)}"
            p.copy_(value)
    loss = F.cross_entropy(net(clips.to(dtype)), labels)
    loss.backward()
    return loss.item(), pairs


def worst_of(reference_pairs, grads):
    """The largest error of <grads> against the float64 gradients, relative to each tensor's largest gradient."""
    worst = (0.0, None)
    for our_name, name, p, _ in reference_pairs:
        if our_name not in grads:
            continue
        error = ((grads[our_name].double() - p.grad).abs().max() / (p.grad.abs().max() + 1e-12)).item()
        if error > worst[0]:
            worst = (error, f"{our_name} (reference: {name})")
    return worst


if __name__ == "__main__":
    sys.exit(main())
