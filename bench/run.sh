#!/usr/bin/env bash
# Runs the JMH benchmarks (bench/, the Deeplearning4j peer in bench-dl4j/, the LibTorch peer in bench-libtorch/)
# and regenerates bench/RESULTS.md and bench/results.json.
#
#   bash bench/run.sh                       # all benchmarks, full settings
#   bash bench/run.sh --quick               # 1 fork, 2 x 1 s warm-up, 3 x 1 s measured; training steps 3 x 2 s warm-up,
#                                           # 5 x 1 s measured (Deeplearning4j's 6 x 2 s and 6 x 2 s); under 15 minutes
#   bash bench/run.sh --quick 'Sgemm.*openblas|CacheBandwidth'   # only benchmarks matching a JMH regex
#   bash bench/run.sh -- -p shape=256x256x256_NN                  # extra JMH options after --
#
# Options: --quick, --no-build (use the benchmark jars as they are), --no-dl4j (skip the Deeplearning4j
# jar), --no-libtorch (skip the LibTorch jar), --note TEXT (quoted at the top of RESULTS.md), --out DIR (write
# RESULTS.md and results.json there).
# Results measured outside JMH (records like results.json's) in bench/target/run/extra-*.json are added.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
JAR="$BENCH/target/benchmarks.jar"
DL4J_JAR="$ROOT/bench-dl4j/target/benchmarks-dl4j.jar"
LIBTORCH_JAR="$ROOT/bench-libtorch/target/benchmarks-libtorch.jar"
WORK="$BENCH/target/run"
OUT="$BENCH"

quick=0
build=1
dl4j=1
libtorch=1
note=""
regex=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --no-dl4j) dl4j=0 ;;
    --no-libtorch) libtorch=0 ;;
    --note) note="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    -*) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) [ -z "$regex" ] || { echo "run.sh: one benchmark regex only" >&2; exit 2; }; regex="$1" ;;
  esac
  shift
done

# Build when the jar is missing or older than any source it is made from.
if [ "$build" = 1 ]; then
  if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/pom.xml" "$BENCH/pom.xml" "$BENCH/src" "$ROOT/java/pom.xml" "$ROOT/java/src" "$ROOT/native" -newer "$JAR" -type f -print -quit 2>/dev/null)" ] \
     || { [ "$dl4j" = 1 ] && { [ ! -f "$DL4J_JAR" ] || [ -n "$(find "$ROOT/bench-dl4j/pom.xml" "$ROOT/bench-dl4j/src" -newer "$DL4J_JAR" -type f -print -quit 2>/dev/null)" ]; }; } \
     || { [ "$libtorch" = 1 ] && { [ ! -f "$LIBTORCH_JAR" ] || [ -n "$(find "$ROOT/bench-libtorch/pom.xml" "$ROOT/bench-libtorch/src" -newer "$LIBTORCH_JAR" -type f -print -quit 2>/dev/null)" ]; }; }; then
    echo "run.sh: building (mvn -B -q -DskipTests package)"
    (cd "$ROOT" && mvn -B -q -DskipTests package)
  fi
fi
[ -f "$JAR" ] || { echo "run.sh: $JAR is missing; build with: mvn -B -DskipTests package" >&2; exit 1; }

# The JVM flags Agrona needs, from the one place they are kept: the parent POM.
jvm_flags="$(sed -n 's:.*<tickgrad.jvmFlags>\(.*\)</tickgrad.jvmFlags>.*:\1:p' "$ROOT/pom.xml")"
[ -n "$jvm_flags" ] || { echo "run.sh: no <tickgrad.jvmFlags> in $ROOT/pom.xml" >&2; exit 1; }
jvm_flags="$jvm_flags -Dchronicle.analytics.disable=true"

# This machine sets OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE for old OpenBLAS builds; they would force
# a slower kernel on the bundled 0.3.31. Unset them for the benchmark commands only.
clean_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)

mkdir -p "$WORK" "$OUT"
rm -f "$WORK"/jmh*.json "$WORK"/jmh*.files "$WORK"/jmh*.log "$WORK"/openblas-info.txt "$WORK"/libtorch-check.log

# Which OpenBLAS kernel runs: openblas_get_corename()/openblas_get_config() from the bundled library
# (a tiny C probe, same environment), and the JVM's own view (the dispatch table in use).
probe_dir="$WORK/openblas-probe"
rm -rf "$probe_dir" && mkdir -p "$probe_dir"
if (cd "$probe_dir" && unzip -q -o -j "$JAR" 'org/bytedeco/openblas/linux-x86_64/*.so*' \
      && printf '%s\n' '#include <stdio.h>' 'char *openblas_get_corename(void);' 'char *openblas_get_config(void);' \
         'int main(void) { printf("corename=%s\nconfig=%s\n", openblas_get_corename(), openblas_get_config()); return 0; }' > probe.c \
      && cc -O0 -o probe probe.c -L. -l:libopenblas.so.0 -Wl,-rpath,'$ORIGIN') 2>"$WORK/probe.err"; then
  "${clean_env[@]}" "$probe_dir/probe" >> "$WORK/openblas-info.txt"
else
  echo "run.sh: could not build the OpenBLAS probe (see $WORK/probe.err); the JVM's view is still recorded" >&2
fi
# shellcheck disable=SC2086
"${clean_env[@]}" java $jvm_flags -cp "$JAR" io.tickgrad.bench.OpenBlasInfo >> "$WORK/openblas-info.txt"
sed 's/^/run.sh: openblas /' "$WORK/openblas-info.txt"

# In quick mode the training benchmarks (TrainStepBench and HeadStepBench) get a longer warm-up and more measured
# time than the rest: a step takes up to milliseconds. Deeplearning4j's JIT keeps compiling its training step for
# about ten seconds, so its jar gets longer still (dl4j_train_defaults); tickgrad's and LibTorch's steps are steady
# after a few hundred iterations.
if [ "$quick" = 1 ]; then
  defaults=(-f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc)
  train_defaults=(-f 1 -wi 3 -w 2s -i 5 -r 1s -prof gc)
  dl4j_train_defaults=(-f 1 -wi 6 -w 2s -i 6 -r 2s -prof gc)
else
  defaults=(-f 2 -wi 5 -w 2s -i 10 -r 2s -prof gc)
  train_defaults=("${defaults[@]}")
  dl4j_train_defaults=("${defaults[@]}")
fi
# JMH rejects an option given twice: a default yields to the same option after --.
without_overridden() {
  local -a d=("$@")
  local i e overridden
  for ((i = 0; i < ${#d[@]}; i += 2)); do
    overridden=0
    for e in "${extra[@]}"; do [ "$e" = "${d[i]}" ] && overridden=1; done
    [ "$overridden" = 1 ] || printf '%s\n' "${d[i]}" "${d[i+1]}"
  done
}
mapfile -t jmh_opts < <(without_overridden "${defaults[@]}")
mapfile -t train_opts < <(without_overridden "${train_defaults[@]}")
mapfile -t dl4j_train_opts < <(without_overridden "${dl4j_train_defaults[@]}")

# Runs the benchmarks of one jar that match the regex (all when empty): all but the training ones with jmh_opts,
# then the training ones (TrainStepBench, HeadStepBench) with train_opts, each JMH run writing its own JSON file. Usage: run_jmh JAR OUT_PREFIX [java args...]
run_jmh() {
  local jar="$1" prefix="$2"
  shift 2
  local -a names train_names=()
  mapfile -t names < <(java -jar "$jar" -l ${regex:+"$regex"} 2>/dev/null | grep '^io\.tickgrad' || true)
  local n
  for n in "${names[@]}"; do
    case "$n" in *.TrainStepBench.*|*.HeadStepBench.*) train_names+=("$n\$") ;; esac
  done
  rm -f "$prefix".json "$prefix"-train.json
  if [ "${#names[@]}" -gt "${#train_names[@]}" ]; then
    "$@" -jar "$jar" ${regex:+"$regex"} -e 'TrainStepBench|HeadStepBench' "${jmh_opts[@]}" -foe false \
      -rf json -rff "$prefix.json" "${extra[@]}" 2>&1 | tee "$prefix.log"
  fi
  if [ "${#train_names[@]}" -gt 0 ]; then
    "$@" -jar "$jar" "${train_names[@]}" "${train_opts[@]}" -foe false \
      -rf json -rff "$prefix-train.json" "${extra[@]}" 2>&1 | tee "$prefix-train.log"
  fi
  # the JSON files this run wrote, comma-separated
  local f files=()
  for f in "$prefix.json" "$prefix-train.json"; do [ -s "$f" ] && files+=("$f"); done
  (IFS=,; echo "${files[*]}") > "$prefix.files"
}

# Peers that cannot share the core's classpath (Deeplearning4j) read tickgrad's weights, inputs and expected
# outputs from files written here, and check themselves against them before timing.
# shellcheck disable=SC2086
java $jvm_flags -cp "$JAR" io.tickgrad.bench.PeerFixtures "$BENCH/target/peer-fixtures"

start_s=$(date +%s)
# The host JVM only drives JMH; the forks get the flags. -foe false: one failing benchmark
# (e.g. a kernel that returns a non-zero status) must not stop the others.
extra=(-jvmArgsAppend "$jvm_flags" "${extra[@]}")
run_jmh "$JAR" "$WORK/jmh" "${clean_env[@]}" java
extra=("${extra[@]:2}")

jmh_files="$(cat "$WORK/jmh.files")"
[ -n "$jmh_files" ] || { echo "run.sh: JMH wrote no results ($WORK/jmh*.log)" >&2; exit 1; }
peers_note="peers run: OpenBLAS, ONNX Runtime, reference backend"

# Deeplearning4j: its own jar (javacpp 1.5.7), one thread: OMP_NUM_THREADS=1 and OPENBLAS_NUM_THREADS=1 here,
# ND4J's max threads and master threads set to 1 in each benchmark's setup. Benchmarks there have the same class
# names and parameters as their tickgrad counterparts, so results pair by name.
if [ "$dl4j" = 1 ]; then
  if [ -f "$DL4J_JAR" ] && java -jar "$DL4J_JAR" -l ${regex:+"$regex"} 2>/dev/null | grep -q '^io\.tickgrad'; then
    extra=(-jvmArgsAppend "-Dtickgrad.fixtures=$BENCH/target/peer-fixtures" "${extra[@]}")
    saved_train_opts=("${train_opts[@]}")
    train_opts=("${dl4j_train_opts[@]}")
    run_jmh "$DL4J_JAR" "$WORK/jmh-dl4j" env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 java
    train_opts=("${saved_train_opts[@]}")
    extra=("${extra[@]:2}")
    dl4j_files="$(cat "$WORK/jmh-dl4j.files")"
    if [ -n "$dl4j_files" ]; then
      jmh_files="$jmh_files,$dl4j_files"
      peers_note="$peers_note, Deeplearning4j (OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=1, ND4J max threads 1)"
    else
      echo "run.sh: the Deeplearning4j benchmarks wrote no results ($WORK/jmh-dl4j*.log)" >&2
    fi
  elif [ ! -f "$DL4J_JAR" ]; then
    echo "run.sh: $DL4J_JAR is missing; Deeplearning4j is not measured" >&2
  fi
fi
# LibTorch (org.bytedeco:pytorch 2.10.0-1.5.13): its own jar (javacpp 1.5.13). First io.tickgrad.bench.libtorch.Check
# compares it with tickgrad on the fixtures (single-sample outputs; the loss before and after 5 Adam steps, batch 32
# and 256, whole network and head only): if they disagree, LibTorch is left out of the run and the note says so.
# Each benchmark sets its own threads (at::set_num_threads and the OpenBLAS pool its GEMMs use): 1 for the plain
# rows, every core for the *_allcores rows; so no OMP/OPENBLAS_NUM_THREADS here. OMP_WAIT_POLICY=PASSIVE: with
# OpenMP's default (workers spin after each parallel region) they and OpenBLAS's own spinning workers fight for the
# 2 cores, and the batch-256 all-cores step took 141 ms against 3.9 ms on one thread; passive, 4.4 ms. It changes
# nothing on one thread (no workers). Same class names and parameters as tickgrad's counterparts, so results pair
# by name.
if [ "$libtorch" = 1 ]; then
  if [ -f "$LIBTORCH_JAR" ] && java -jar "$LIBTORCH_JAR" -l ${regex:+"$regex"} 2>/dev/null | grep -q '^io\.tickgrad'; then
    if "${clean_env[@]}" java "-Dtickgrad.fixtures=$BENCH/target/peer-fixtures" -cp "$LIBTORCH_JAR" \
         io.tickgrad.bench.libtorch.Check 2>&1 | tee "$WORK/libtorch-check.log"; then
      extra=(-jvmArgsAppend "-Dtickgrad.fixtures=$BENCH/target/peer-fixtures" "${extra[@]}")
      run_jmh "$LIBTORCH_JAR" "$WORK/jmh-libtorch" "${clean_env[@]}" OMP_WAIT_POLICY=PASSIVE java
      extra=("${extra[@]:2}")
      libtorch_files="$(cat "$WORK/jmh-libtorch.files")"
      if [ -n "$libtorch_files" ]; then
        jmh_files="$jmh_files,$libtorch_files"
        peers_note="$peers_note, LibTorch 2.10.0 (at::set_num_threads and OpenBLAS threads 1, all cores for the allcores rows, OMP_WAIT_POLICY=PASSIVE)"
      else
        echo "run.sh: the LibTorch benchmarks wrote no results ($WORK/jmh-libtorch*.log)" >&2
      fi
    else
      echo "run.sh: LibTorch disagrees with tickgrad ($WORK/libtorch-check.log); LibTorch is not measured" >&2
      note="${note:+$note }LibTorch's agreement check against tickgrad FAILED ($(grep -m1 'FAILED' "$WORK/libtorch-check.log" || echo 'see bench/target/run/libtorch-check.log')); its rows are absent."
    fi
  elif [ ! -f "$LIBTORCH_JAR" ]; then
    echo "run.sh: $LIBTORCH_JAR is missing; LibTorch is not measured" >&2
  fi
fi
# Tick appended to prediction readable through two Chronicle queues (HdrHistogram, from each tick's due time, so
# coordinated omission is accounted): not a JMH benchmark, its percentiles go in as extra records. Serving alone and
# serving with online learning (trainer thread, sleeping idle strategy) alternate in 10 rounds each, A B B A ..., in one
# process, after one warm-up round each; the measured ticks are per configuration.
if [ -z "$regex" ] || echo "QueueLatency" | grep -Eq "$regex"; then
  rm -f "$WORK/extra-queue-latency.json"
  if [ "$quick" = 1 ]; then queue_args=(20000 100000 50000 yielding); else queue_args=(20000 400000 100000 yielding); fi
  # shellcheck disable=SC2086
  "${clean_env[@]}" java $jvm_flags -cp "$JAR" io.tickgrad.bench.QueueLatencyBench "${queue_args[@]}" \
    "$WORK/extra-queue-latency.json" sleeping 10 2>&1 | tee "$WORK/queue-latency.log" \
    || echo "run.sh: the queue latency benchmark failed ($WORK/queue-latency.log)" >&2
fi
# In-process single-sample predict with every call timed (HdrHistogram), beside busy work of the same length timed
# alike (the platform's own tail): not JMH, whose SampleTime p99.9 catches the machine's periodic stalls.
if [ -z "$regex" ] || echo "PredictLatency" | grep -Eq "$regex"; then
  rm -f "$WORK/extra-predict-latency.json"
  if [ "$quick" = 1 ]; then predict_calls=2000000; else predict_calls=5000000; fi
  # shellcheck disable=SC2086
  "${clean_env[@]}" java $jvm_flags -cp "$JAR" io.tickgrad.bench.PredictLatencyBench "$predict_calls" \
    "$WORK/extra-predict-latency.json" 2>&1 | tee "$WORK/predict-latency.log" \
    || echo "run.sh: the in-process predict latency benchmark failed ($WORK/predict-latency.log)" >&2
fi
took_s=$(( $(date +%s) - start_s ))
echo "run.sh: benchmarks took $took_s s"

failed="$(cat "$WORK"/jmh*.log | grep -c '<failure>' || true)"
if [ "$failed" != 0 ] && [ -z "$note" ]; then
  note="$failed benchmark(s) failed in this run; see the JMH logs (bench/target/run/jmh*.log)."
fi
note="${note:+$note }($peers_note; JMH runs took $took_s s$([ "$quick" = 1 ] && echo ", quick mode").)"

# Non-JMH results (e.g. tick-to-prediction latency through Chronicle Queue) in results.json's record format.
extra_files="$(find "$WORK" -maxdepth 1 -name 'extra-*.json' -type f 2>/dev/null | sort | paste -sd, -)"

java -cp "$JAR" io.tickgrad.bench.report.ResultsWriter --jmh "$jmh_files" --merged "$WORK/jmh-all.json" \
  --json "$OUT/results.json" --md "$OUT/RESULTS.md" --info "$WORK/openblas-info.txt" \
  ${extra_files:+--extra "$extra_files"} --note "$note"
