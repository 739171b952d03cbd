#!/usr/bin/env bash
# SPOS end to end on a benchmark (issue 25): a single-path supernet per search seed (search-p3d-spos.json, EPOCHS
# epochs), then evolution over its sub-networks' α-split accuracy, the picks trained from scratch and placed in the
# ground-truth table (selection.sh). Resumable: a finished search or pick is kept, a killed search resumes.
#   BENCH=mid EPOCHS=100 SEEDS="0 1 2" bash docs/experiments/spos-evolution.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
state=${STATE:-.videonas-experiment}
bench=${BENCH:-mid}
epochs=${EPOCHS:-100}
dotnet build src/Client -c Release -v q -nologo >/dev/null
# A copy of the build, so that rebuilding the tree during a search of 20 minutes does not pull files from under it.
bin="$state/bin-spos"
rm -rf "$bin" && mkdir -p "$bin" && cp -a src/Client/bin/Release/net10.0/. "$bin"
runs=()
for seed in ${SEEDS:-0 1 2}; do
  run="$state/spos$epochs-$bench-s$seed"
  [ -f "$run/genotype.json" ] && [ "$(wc -l <"$run/genotype_history.jsonl")" -ge "$epochs" ] ||
    nice -n 10 dotnet "$bin/videonas.dll" demo --state "$state/search-state-spos$epochs-s$seed" \
      --data "$state/data/motion10-$bench" --config docs/experiments/search-p3d-spos.json --seed "$seed" --epochs "$epochs" --out "$run" >"$run.log" 2>&1
  runs+=("$run")
done
METHOD=evolution RUNS="${runs[*]}" BENCH="$bench" THREADS="${THREADS:-2}" bash docs/experiments/selection.sh
