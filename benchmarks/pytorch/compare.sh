#!/usr/bin/env bash
# TorchSharp (videonas bench search) against the PyTorch reference (supernet.py) on this machine, with the
# same thread count, the same network (both print its weight parameters) and random clips of the same shape.
# Run it on an idle machine: two libtorch processes at once slow each other far more than twice.
#   bash benchmarks/pytorch/compare.sh [CONFIG] [STEPS]      SECOND_ORDER=1: the unrolled α step in both
set -euo pipefail
cd "$(dirname "$0")/../.."
config=${1:-docs/experiments/search-p3d.json}
steps=${2:-5}
threads=${THREADS:-$(nproc)}
python=${PYTHON:-/usr/bin/python3}   # Debian's python3-torch; a pyenv python on the PATH may lack torch
"$python" -c "import torch" 2>/dev/null || { echo "no PyTorch for $python: apt-get install python3-torch (or set PYTHON)"; exit 2; }
if [ "${SECOND_ORDER:-0}" = 1 ]; then
  second=$(mktemp --suffix .json)
  "$python" -c "import json,sys; c=json.load(open(sys.argv[1])); c['second_order']=True; json.dump(c,open(sys.argv[2],'w'))" "$config" "$second"
  config=$second
fi
dotnet build src/Client -c Release -v q -nologo >/dev/null
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $threads threads"
echo "-- TorchSharp"
OMP_NUM_THREADS=$threads dotnet src/Client/bin/Release/net10.0/videonas.dll bench search --config "$config" --steps "$steps" --warmup 1
echo "-- PyTorch"
for k in 1 4; do
  OMP_NUM_THREADS=$threads "$python" benchmarks/pytorch/supernet.py --config "$config" --steps "$steps" --warmup 1 --threads "$threads" --partial-channels $k
done
"$python" -c "import torch; print(torch.__config__.show())" | grep -E 'BLAS_INFO|CPU capability' | sed 's/^/PyTorch build: /' | cut -c1-160
