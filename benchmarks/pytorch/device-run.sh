#!/usr/bin/env bash
# The PyTorch reference on a GPU machine (no .NET there). PART=search: the search step of the demo config and of
# both spaces at the paper's input (4 segments × 2 frames at 112²) on the GPU, and the demo config on 2 CPU
# threads. PART=train: the from-scratch training step at the paper-scale training config
# (ucf101-train-paper-scale.json, 101 classes) of a searched paper-space genotype and of R(2+1)D-18 and R3D-18 at
# their published width. PART=all (default): both. Writes one JSON line per configuration to ${OUT:-.}/pytorch-device.jsonl.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-.}/pytorch-device.jsonl
part=${PART:-all}
run() { echo "== $*" >&2; timeout 240 python3 benchmarks/pytorch/"$@" | tee -a "$out"; }
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader >&2 || true
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda)" >&2
if [ "$part" != train ]; then
  run supernet.py --config docs/experiments/search-p3d.json --device cuda --steps 20
  run supernet.py --config docs/experiments/search-p3d.json --device cuda --steps 20 --partial-channels 4
  run supernet.py --config docs/experiments/search-p3d.json --device cuda --steps 10 --resolution 112
  run supernet.py --config docs/experiments/search-paper.json --device cuda --steps 10
  run supernet.py --config docs/experiments/search-p3d.json --device cuda --steps 10 --resolution 112 --partial-channels 4
  run supernet.py --config docs/experiments/search-p3d.json --device cpu --threads 2 --steps 5
fi
if [ "$part" != search ]; then
  train=docs/experiments/ucf101-train-paper-scale.json
  run network.py --config $train --classes 101 --device cuda --steps 20 --genotype docs/results/evaluation-paper-32/genotypes/searched_s0.json
  run network.py --config $train --classes 101 --device cuda --steps 20 --genotype docs/results/evaluation-p3d/genotypes/searched_s2.json
  run network.py --config $train --classes 101 --device cuda --steps 20 --model r2plus1d18 --width 1
  run network.py --config $train --classes 101 --device cuda --steps 20 --model r3d18 --width 1
fi
