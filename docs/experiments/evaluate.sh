#!/usr/bin/env bash
# The evaluation protocol on the lossless motion benchmark (issue 13), for both search spaces:
# 3 search seeds, 3 random genotypes of the same space, 2 training seeds per model, and R3D-18 and
# R(2+1)D-18 at their published width and at the width that matches the searched networks.
# Resumable: run it again after an interruption and it skips what finished. SPACES names the search configs
# (search-<space>.json): p3d and paper-32 by default; p3d-pc and p3d-warmup are the two changes to the search of
# docs/results.md section 2. BASELINES=none leaves the baselines out.
set -euo pipefail
cd "$(dirname "$0")/../.."
state=${STATE:-.videonas-experiment}
out=${OUT:-$state/evaluations}
baselines=${BASELINES:-r3d18,r2plus1d18}
dotnet build src/Client -c Release -v q -nologo >/dev/null
videonas() { dotnet src/Client/bin/Release/net10.0/videonas.dll "$@"; }

data="$state/data/motion8-lossless"
[ -f "$data/ucfTrainTestlist/classInd.txt" ] || videonas dataset synth --out "$data" --classes 8 --groups 6 --clips 5 --seed 2 --lossless

for space in ${SPACES:-p3d paper-32}; do
  config="docs/experiments/search-$space.json"
  videonas evaluate --state "$state" --data "$data" --id "eval-$space" --out "$out/$space" \
    --search-config "$config" --train-config docs/experiments/train.json \
    --search-seeds 3 --random 3 --train-seeds 2 --baselines "$baselines"
done
