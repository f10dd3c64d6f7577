#!/usr/bin/env bash
# GPU benchmark of tickgrad's CUDA kernels against PyTorch, self-checking, in a few minutes:
#   1. builds libtickgrad, libtickgrad_cuda and the CUDA harness with CMake (arch from nvidia-smi);
#   2. runs the harness: every CUDA kernel against the CPU kernel, whole training steps and predictions of the
#      400-256x5-6 network (fails the run on any mismatch), then times the batch-4096 training step and
#      single-sample predict (graph replay, host-device copies included);
#   3. runs bench/gpu/torch_bench.py on the same shapes and precision;
#   4. writes bench/gpu/RESULTS.md (a markdown table, GPU named) and prints it.
#
#   bash bench/gpu/run.sh [--iters N] [--build DIR]
# Needs: an NVIDIA GPU and driver, the CUDA toolkit (nvcc), cmake >= 3.20, a C++17 compiler, python3 with torch.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$ROOT/bench/gpu/build"
ITERS=200
while [ $# -gt 0 ]; do
  case "$1" in
    --iters) ITERS="$2"; shift ;;
    --build) BUILD="$2"; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
LOGS="$BUILD/logs"
mkdir -p "$LOGS"
start=$(date +%s)

need() { command -v "$1" >/dev/null 2>&1 || { echo "run.sh: $1 not found ($2)" >&2; exit 2; }; }
need cmake "install CMake 3.20 or newer"
need python3 "install Python 3 with PyTorch"
if ! command -v nvcc >/dev/null 2>&1; then
  for d in /usr/local/cuda/bin /opt/cuda/bin; do [ -x "$d/nvcc" ] && export PATH="$d:$PATH" && break; done
fi
need nvcc "install the CUDA toolkit or put its bin/ on PATH"
python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' \
  || { echo "run.sh: python3 cannot import torch with CUDA" >&2; exit 2; }

# sm_XY of GPU 0 as machine code, plus its PTX for newer chips; 90 when nvidia-smi cannot say
ARCH="90-real;90-virtual"
SMI=""
if command -v nvidia-smi >/dev/null 2>&1; then
  cc=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -1 | tr -d ' .' || true)
  [ -n "$cc" ] && ARCH="${cc}-real;${cc}-virtual"
  SMI=$(nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader 2>/dev/null | head -1 || true)
fi
echo "== build ($ARCH) in $BUILD"
cmake -S "$ROOT/native" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DTICKGRAD_CUDA_ARCHITECTURES="$ARCH" \
  -DCMAKE_CUDA_ARCHITECTURES="${ARCH%%;*}" > "$LOGS/cmake.log" 2>&1 || { cat "$LOGS/cmake.log"; exit 1; }
grep -q "CUDA kernels enabled" "$LOGS/cmake.log" || { cat "$LOGS/cmake.log"; echo "run.sh: CMake did not enable CUDA" >&2; exit 1; }
cmake --build "$BUILD" -j"$(nproc)" --target cuda_harness > "$LOGS/build.log" 2>&1 || { tail -50 "$LOGS/build.log"; exit 1; }

echo "== harness: checks, then timings"
set +e
timeout 300 "$BUILD/test_cuda/cuda_harness" --bench --iters "$ITERS" 2>&1 | tee "$LOGS/harness.txt"
hrc=${PIPESTATUS[0]}
echo "== PyTorch $(python3 -c 'import torch; print(torch.__version__)')"
timeout 180 python3 "$ROOT/bench/gpu/torch_bench.py" --iters "$ITERS" 2>&1 | tee "$LOGS/torch.txt"
prc=${PIPESTATUS[0]}
set -e

echo "== table"
trc=0
python3 "$ROOT/bench/gpu/make_table.py" "$LOGS/harness.txt" "$LOGS/torch.txt" "$ROOT/bench/gpu/RESULTS.md" "$SMI" || trc=$?
echo "run.sh: $(( $(date +%s) - start )) s; harness exit $hrc, torch exit $prc; table in bench/gpu/RESULTS.md"
[ "$hrc" -eq 0 ] && [ "$prc" -eq 0 ] && [ "$trc" -eq 0 ]
