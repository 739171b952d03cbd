#!/usr/bin/env bash
# The PyTorch reference on a GPU machine (no .NET there): the search step of the demo config and of both
# spaces at the paper's input (4 segments × 2 frames at 112²) on the GPU, and the demo config on 2 CPU threads.
# Writes one JSON line per configuration to ${OUT:-.}/pytorch-device.jsonl.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-.}/pytorch-device.jsonl
run() { echo "== $*" >&2; timeout 240 python3 benchmarks/pytorch/supernet.py "$@" | tee -a "$out"; }
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader >&2 || true
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda)" >&2
run --config docs/experiments/search-p3d.json --device cuda --steps 20
run --config docs/experiments/search-p3d.json --device cuda --steps 20 --partial-channels 4
run --config docs/experiments/search-p3d.json --device cuda --steps 10 --resolution 112
run --config docs/experiments/search-paper.json --device cuda --steps 10
run --config docs/experiments/search-p3d.json --device cuda --steps 10 --resolution 112 --partial-channels 4
run --config docs/experiments/search-p3d.json --device cpu --threads 2 --steps 5
