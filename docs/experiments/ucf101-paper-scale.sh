#!/usr/bin/env bash
# The paper-scale search on real UCF101, on a GPU cluster built with -p:TorchBackend=cuda (docs/cluster.md):
# the paper's space (3 nodes, 4 segments × 2 frames at 112²), 50 epochs, batch 8 per trial, three seeds
# as parallel trials, one GPU each. Expected cost: benchmarks/pytorch/README.md (about 4 GPU-hours per
# seed of compute alone, from the PyTorch reference's step time on an H100).
#   REDIS=redis:6379 DATA=/data/ucf101 bash docs/experiments/ucf101-paper-scale.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${REDIS:?set REDIS=host:port of the cluster}" "${DATA:?set DATA to the UCF101 root every silo mounts}"
videonas() { dotnet src/Client/bin/Release/net10.0/videonas.dll "$@"; }
dotnet build src/Client -c Release -v q -nologo >/dev/null
videonas dataset check --root "$DATA" --split 1
id=$(videonas experiment submit --config docs/experiments/ucf101-paper-scale.json --data "$DATA" --seeds 3 --parallel 3 \
  --stop-below-median-after 15 --id "${ID:-ucf101-paper}" --out "${OUT:-/runs/ucf101-paper}" --redis "$REDIS")
videonas experiment watch "$id" --redis "$REDIS"
# Then train each seed's genotype (and random ones: videonas genotype random --primitives paper --steps 3 --seed S)
# with one training config: videonas train --genotype /runs/ucf101-paper/seed-S/genotype.json --data "$DATA" ...
