#!/usr/bin/env bash
# Reproduces docs/results.md: the paper's claim on the synthetic motion benchmark, on CPU.
# 0. the benchmark: 8 motion classes (direction, speed, growth, rhythm), lossless video, so that no
#    compression artefact tells a single frame which way the square moves;
# 1. two searches with the same settings: the P3D space and the 2D-only ablation. Both use a 1×3×3 stem,
#    so the primitive list is the only difference and only cell ops can see motion within a segment;
# 2. both derived networks and the four manual baselines trained from scratch under one protocol;
# 3. the comparison table and plot.
set -euo pipefail
cd "$(dirname "$0")/../.."
state=${STATE:-.videonas-experiment}
out=${OUT:-docs/results}
dotnet build src/Client -c Release -v q -nologo >/dev/null
videonas() { dotnet src/Client/bin/Release/net10.0/videonas.dll "$@"; }

data="$state/data/motion8-lossless"
[ -f "$data/ucfTrainTestlist/classInd.txt" ] || videonas dataset synth --out "$data" --classes 8 --groups 6 --clips 5 --seed 2 --lossless

videonas demo --state "$state" --data "$data" --config docs/experiments/search-p3d.json --out "$state/search/p3d"
videonas demo --state "$state" --data "$data" --config docs/experiments/search-2d.json --out "$state/search/2d"

train() { videonas train --state "$state" --data "$data" "$@"; }
train --genotype "$state/search/p3d/genotype.json" --config docs/experiments/train.json --out "$state/train/searched-p3d"
train --genotype "$state/search/2d/genotype.json" --config docs/experiments/train.json --out "$state/train/searched-2d"
for model in c3d p3d r2plus1d18 r3d18; do
  train --model "$model" --config docs/experiments/train.json --out "$state/train/$model"
done

videonas report "$state"/train/* --out "$out"
