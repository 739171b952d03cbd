#!/usr/bin/env bash
# The paper-scale search on real UCF101, on a GPU cluster built with -p:TorchBackend=cuda (docs/cluster.md):
# the paper's space (3 nodes, 4 segments × 2 frames at 112²), 50 epochs, batch 8 per trial, three seeds
# as parallel trials, one GPU each. Expected cost: benchmarks/pytorch/README.md (about 4 GPU-hours per
# seed of compute alone, from the PyTorch reference's step time on an H100), then about 3.7 GPU-hours per
# training of a searched network at the paper's size (ucf101-train-paper-scale.json: 684 k parameters, 100 epochs).
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
# Each searched genotype and as many random ones of the same space, trained from scratch under one config on
# this machine's GPU (a CUDA build), twice each: the evaluation protocol of docs/results.md at UCF101 scale.
runs=${OUT:-/runs/ucf101-paper}
for s in 0 1 2; do
  videonas genotype random --primitives paper --steps 3 --seed "$s" --out "$runs/random-$s.json"
  for pair in "searched-$s=$runs/seed-$s/genotype.json" "random-$s=$runs/random-$s.json"; do
    for t in 0 1; do
      videonas train --genotype "${pair#*=}" --config docs/experiments/ucf101-train-paper-scale.json --data "$DATA" --seed "$t" \
        --out "$runs/train/${pair%%=*}/seed-$t"
    done
  done
done
videonas report "$runs"/train/*/seed-* --out "$runs/report"   # one row per run; evaluate gives mean ± std on one machine
