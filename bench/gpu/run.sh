#!/usr/bin/env bash
# GPU run of tickgrad's CUDA code against the CPU kernels and PyTorch, self-checking, in a few minutes:
#   1. builds libtickgrad, libtickgrad_cuda, the CUDA harness, the layout test and the kernel lab with CMake
#      (arch from nvidia-smi);
#   2. runs cuda_layout_test (the runner's offsets = Java's ParamTable offsets) and the harness: every CUDA kernel
#      against the CPU kernel (forward, backward, optimizers, losses), whole training steps and predictions of the
#      400-256x5-6 network and of awkward widths with a frozen layer (fails the run on any mismatch), then times
#      the batch-256 training step and single-sample predict (graph replay, host-device copies included);
#   3. runs the kernel lab (native/cuda/lab: the cluster forward against the production block kernel);
#   4. runs the Java tests of the CUDA backend (Cuda*Test) when java and mvn are on PATH (skipped otherwise);
#   5. runs bench/gpu/torch_bench.py (PyTorch eager and CUDA graphs) on the same shapes and precision;
#   6. writes bench/gpu/RESULTS.md (a markdown table, GPU named) and prints it.
#
#   bash bench/gpu/run.sh [--iters N] [--batch B] [--build DIR]
# Needs: an NVIDIA GPU and driver, the CUDA toolkit (nvcc), cmake >= 3.20, a C++17 compiler, python3 with torch;
# optionally a JDK 17 and Maven with a filled ~/.m2 for step 4.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$ROOT/bench/gpu/build"
ITERS=200
BATCH=256
while [ $# -gt 0 ]; do
  case "$1" in
    --iters) ITERS="$2"; shift ;;
    --batch) BATCH="$2"; shift ;;
    --build) BUILD="$2"; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
cmake --build "$BUILD" -j"$(nproc)" --target cuda_harness cuda_layout_test lab_mlp_forward_cluster \
  > "$LOGS/build.log" 2>&1 || { tail -50 "$LOGS/build.log"; exit 1; }

echo "== layout, harness: checks, then timings"
set +e
"$BUILD/test_cuda/cuda_layout_test" > "$LOGS/layout.txt" 2>&1
lrc=$?
tail -1 "$LOGS/layout.txt"
timeout 300 "$BUILD/test_cuda/cuda_harness" --bench --iters "$ITERS" --batch "$BATCH" 2>&1 | tee "$LOGS/harness.txt"
hrc=${PIPESTATUS[0]}
echo "== kernel lab"
timeout 120 "$BUILD/cuda_lab/lab_mlp_forward_cluster" --iters 2000 2>&1 | tee "$LOGS/lab.txt"
labrc=${PIPESTATUS[0]}
grep '^RESULT' "$LOGS/lab.txt" >> "$LOGS/harness.txt"
jrc=0
if command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then
  echo "== Java tests of the CUDA backend"
  (cd "$ROOT" && timeout 400 mvn -B -ntp -o -q -pl java -am test -Dtest='Cuda*Test' \
     -Dsurefire.failIfNoSpecifiedTests=false) > "$LOGS/java.txt" 2>&1
  jrc=$?
  cat "$ROOT"/java/target/surefire-reports/*Cuda*.txt 2>/dev/null | grep 'Tests run' | tee -a "$LOGS/java.txt"
else
  echo "== Java tests skipped: no java or mvn on PATH"
fi
echo "== PyTorch $(python3 -c 'import torch; print(torch.__version__)')"
timeout 180 python3 "$ROOT/bench/gpu/torch_bench.py" --iters "$ITERS" --batch "$BATCH" 2>&1 | tee "$LOGS/torch.txt"
prc=${PIPESTATUS[0]}
set -e

echo "== table"
trc=0
python3 "$ROOT/bench/gpu/make_table.py" "$LOGS/harness.txt" "$LOGS/torch.txt" "$ROOT/bench/gpu/RESULTS.md" "$SMI" || trc=$?
echo "run.sh: $(( $(date +%s) - start )) s; layout exit $lrc, harness exit $hrc, lab exit $labrc, java exit $jrc," \
  "torch exit $prc; table in bench/gpu/RESULTS.md"
[ "$lrc" -eq 0 ] && [ "$hrc" -eq 0 ] && [ "$labrc" -eq 0 ] && [ "$jrc" -eq 0 ] && [ "$prc" -eq 0 ] && [ "$trc" -eq 0 ]
