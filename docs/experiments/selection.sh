#!/usr/bin/env bash
# A selection method of issue 25 measured on a benchmark: each search run's trained supernet → `genotype select` →
# the pick trained from scratch under train.json with training seeds 0 and 1 (as the ground-truth table's rows are),
# then `groundtruth compare` against the table. Resumable: a pick or a training already done is kept.
#   METHOD=evolution RUNS="runs/spos-s0 runs/spos-s1 runs/spos-s2" BENCH=mid bash docs/experiments/selection.sh
# SELECT_ARGS passes options to `genotype select` (e.g. "--clips 16 --tune-steps 1"); THREADS=1 and nice leave a core.
set -euo pipefail
cd "$(dirname "$0")/../.."
state=${STATE:-.videonas-experiment}
bench=${BENCH:-mid}
method=${METHOD:?METHOD must be one of argmax, perturbation, perturbation_uniform, evolution}
data="$state/data/motion10-$bench"
out=${OUT:-$state/selection-$bench}
dotnet build src/Client -c Release -v q -nologo >/dev/null
bin="$state/bin-selection"
rm -rf "$bin" && mkdir -p "$bin" "$out" && cp -a src/Client/bin/Release/net10.0/. "$bin"
videonas() { nice -n 10 dotnet "$bin/videonas.dll" "$@"; }
picks=()
for run in ${RUNS:?RUNS must list search output folders}; do
  name="$(basename "$run")-$method"
  [ -f "$out/$name.json" ] ||
    videonas genotype select --run "$run" --data "$data" --method "$method" ${SELECT_ARGS:-} --threads "${THREADS:-1}" \
      --out "$out/$name.json" 2>"$out/$name.log"
  mkdir -p "$out/train/$name"
  for seed in 0 1; do
    dir="$out/train/$name/seed-$seed"
    [ -f "$dir/result.json" ] ||
      videonas train --genotype "$out/$name.json" --data "$data" --config docs/experiments/train.json --seed "$seed" --out "$dir" >"$dir.log" 2>&1
  done
  picks+=("$out/train/$name")
done
videonas groundtruth compare --table "docs/results/groundtruth-p3d-$bench" --picks "${picks[@]}" --name "$method"
