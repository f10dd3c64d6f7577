#!/usr/bin/env bash
# Runs the JMH benchmarks and regenerates bench/RESULTS.md and bench/results.json.
#
#   bash bench/run.sh                       # all benchmarks, full settings
#   bash bench/run.sh --quick               # fewer forks and iterations (a few minutes)
#   bash bench/run.sh --quick 'Sgemm.*openblas|CacheBandwidth'   # only benchmarks matching a JMH regex
#   bash bench/run.sh -- -p shape=256x256x256_NN                  # extra JMH options after --
#
# Options: --quick, --no-build (use bench/target/benchmarks.jar as is), --note TEXT (quoted at the
# top of RESULTS.md), --out DIR (write RESULTS.md and results.json there instead of bench/).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
JAR="$BENCH/target/benchmarks.jar"
WORK="$BENCH/target/run"
OUT="$BENCH"

quick=0
build=1
note=""
regex=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --note) note="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# {0,1}//'; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    -*) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) [ -z "$regex" ] || { echo "run.sh: one benchmark regex only" >&2; exit 2; }; regex="$1" ;;
  esac
  shift
done

# Build when the jar is missing or older than any source it is made from.
if [ "$build" = 1 ]; then
  if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/pom.xml" "$BENCH/pom.xml" "$BENCH/src" "$ROOT/java/pom.xml" "$ROOT/java/src" "$ROOT/native" -newer "$JAR" -type f -print -quit 2>/dev/null)" ]; then
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

mkdir -p "$WORK"
rm -f "$WORK"/jmh.json "$WORK"/openblas-info.txt

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

if [ "$quick" = 1 ]; then
  defaults=(-f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc)
else
  defaults=(-f 2 -wi 5 -w 2s -i 10 -r 2s -prof gc)
fi
# JMH rejects an option given twice: a default yields to the same option after --.
jmh_opts=()
for ((i = 0; i < ${#defaults[@]}; i += 2)); do
  overridden=0
  for e in "${extra[@]}"; do [ "$e" = "${defaults[i]}" ] && overridden=1; done
  [ "$overridden" = 1 ] || jmh_opts+=("${defaults[i]}" "${defaults[i+1]}")
done

# The host JVM only drives JMH; the forks get the flags. -foe false: one failing benchmark
# (e.g. a kernel that returns a non-zero status) must not stop the others.
# shellcheck disable=SC2086
"${clean_env[@]}" java -jar "$JAR" ${regex:+"$regex"} "${jmh_opts[@]}" -foe false \
  -jvmArgsAppend "$jvm_flags" -rf json -rff "$WORK/jmh.json" "${extra[@]}" 2>&1 | tee "$WORK/jmh.log"

[ -s "$WORK/jmh.json" ] || { echo "run.sh: JMH wrote no results ($WORK/jmh.log)" >&2; exit 1; }
failed="$(grep -c '<failure>' "$WORK/jmh.log" || true)"
if [ "$failed" != 0 ] && [ -z "$note" ]; then
  note="$failed benchmark(s) failed in this run; see the JMH log (bench/target/run/jmh.log)."
fi

java -cp "$JAR" io.tickgrad.bench.report.ResultsWriter --jmh "$WORK/jmh.json" --json "$OUT/results.json" \
  --md "$OUT/RESULTS.md" --info "$WORK/openblas-info.txt" ${note:+--note "$note"}
