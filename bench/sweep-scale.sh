#!/usr/bin/env bash
# How tickgrad sweeps scale: tasks per second with 1 and 2 workers, embedded and Spark local[N], and Spark's fixed
# start-up cost (a 1-task sweep on Spark minus the same on the embedded runner). Not a test: a measurement, to be
# run on a quiet machine. Needs bin/tickgrad's jar and, for Spark, `mvn -pl spark -am package -DskipTests`.
# Usage: [SWEEP_SEEDS=32] [SWEEP_REPEAT=2] [SWEEP_SPARK=no] bench/sweep-scale.sh [work-dir]
# (default target/sweep-scale; 28 tasks per seed; each sweep runs SWEEP_REPEAT times, 1 and 2 slots alternating, and
# the least wall time is kept; about 12 minutes with Spark)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$root/target/sweep-scale}"
rm -rf "$work"; mkdir -p "$work"
tg="$root/bin/tickgrad"
"$tg" record --queue "$work/ticks" > "$work/record.log" 2>&1
model="$root/models/updown/updown.safetensors"

# a grid of online replays of the 8-hour windows after the model's training span (7 windows, each task replays the
# queue from its start to warm the features, then predicts and learns online through its window), for every
# learning rate and seed: 7 x 4 x SWEEP_SEEDS tasks (default 32: 896, under two minutes on one core). A sweep pays
# once for the JVM's start, about 5 s of CPU for JIT compilation (8 s with Spark) and the report, which one worker
# leaves to the idle second core and two workers must share; the default is large enough that this fixed cost does
# not hide how the tasks themselves scale, and long enough (a minute or more a run) that this VM's slow spells of
# tens of seconds average out (README, Sweeps: the speed-up at 448 and 896 tasks).
seeds="${SWEEP_SEEDS:-32}"
repeat="${SWEEP_REPEAT:-2}"
seed_list=$(seq -s, 1 "$seeds")
cat > "$work/grid.json" <<JSON
{"name": "scale", "model": "$model", "data": [{"name": "btc", "queue": "$work/ticks"}],
 "walk_forward": {"start": "2013-11-29T00:00:00Z", "end": "2013-12-01T16:00:00Z", "window": "8h"},
 "arms": ["online"], "online": {"lr": [0.001, 0.002, 0.003, 0.004]}, "seeds": [$seed_list]}
JSON
cat > "$work/single.json" <<JSON
{"name": "one", "model": "$model", "data": [{"name": "btc", "queue": "$work/ticks"}],
 "walk_forward": {"start": "2013-11-29T00:00:00Z", "end": "2013-11-29T04:00:00Z", "window": "2h"},
 "arms": ["frozen"]}
JSON
tasks=$((7 * 4 * seeds))

# label -> least wall time (s) over SWEEP_REPEAT runs; steady -> the greatest steady rate (tasks/s)
declare -A best_wall best_steady
run_once() {  # $1 label, rest: sweep options. This VM's noise (a neighbour slowing its cores for tens of seconds)
  # only ever adds time, so the least wall time (and the greatest rate) over the runs is the best estimate of what
  # the sweep itself costs
  local out="$work/out-$1" t0 t1 steady
  rm -rf "$out"
  t0=$(date +%s.%N)
  "$tg" sweep --out "$out" "${@:2}" > "$work/$1.log" 2>&1 || { tail -3 "$work/$1.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  t1=$(echo "$t1 - $t0" | bc -l)
  # the sweep's own timing line: "... tasks/s; R tasks/s after the first tenth), ..."
  steady=$(sed -n 's/.*; \([0-9.]*\) tasks\/s after the first tenth.*/\1/p' "$work/$1.log")
  if [ -z "${best_wall[$1]:-}" ] || [ "$(echo "$t1 < ${best_wall[$1]}" | bc -l)" = 1 ]; then best_wall[$1]=$t1; fi
  if [ -n "$steady" ] && { [ -z "${best_steady[$1]:-}" ] || [ "$(echo "$steady > ${best_steady[$1]}" | bc -l)" = 1 ]; }; then
    best_steady[$1]=$steady
  fi
}
pair() {  # $1 label of 1 slot, $2 label of 2 slots, $3 and $4 their options as one string each; alternates which
  # runs first from round to round, so that a slow spell does not always fall on the same one
  local i -
  set -f   # the options are split on spaces, and local[1] must not be taken for a file pattern
  for i in $(seq 1 "$repeat"); do
    if [ $((i % 2)) = 1 ]; then run_once "$1" $3; run_once "$2" $4; else run_once "$2" $4; run_once "$1" $3; fi
  done
}
"$tg" sweep --grid "$work/single.json" --out "$work/warm" > /dev/null 2>&1   # page cache, JIT-independent files

pair emb1 emb2 "--grid $work/grid.json --workers 1" "--grid $work/grid.json --workers 2"
cmp -s "$work/out-emb1/results.csv" "$work/out-emb2/results.csv" && same=identical || same=DIFFERENT
for i in $(seq 1 "$repeat"); do run_once single-emb --grid "$work/single.json" --workers 1; done
have_spark=no
if [ "${SWEEP_SPARK:-yes}" != no ] && ls "$root"/spark/target/tickgrad-spark-*-job.jar > /dev/null 2>&1; then
  have_spark=yes
  pair spark1 spark2 "--grid $work/grid.json --runner spark --master local[1]" \
    "--grid $work/grid.json --runner spark --master local[2]"
  for i in $(seq 1 "$repeat"); do run_once single-spark --grid "$work/single.json" --runner spark --master 'local[1]'; done
  cmp -s "$work/out-emb1/results.csv" "$work/out-spark2/results.csv" && sames=identical || sames=DIFFERENT
fi
rate() { echo "scale=2; $tasks / $1" | bc -l; }
row() {  # $1 runner name, $2 label, $3 label of its 1-slot run (speed-up against it)
  local w=${best_wall[$2]} st=${best_steady[$2]:-} st1=${best_steady[$3]:-}
  printf '%-22s %8.1f %10s %8.2f %12s %8s\n' "$1" "$w" "$(rate "$w")" "$(echo "${best_wall[$3]} / $w" | bc -l)" \
    "${st:-n/a}" "$( [ -n "$st" ] && [ -n "$st1" ] && printf '%.2f' "$(echo "$st / $st1" | bc -l)" || echo n/a)"
}
printf 'machine: %s cores, %s; load average now: %s\n' "$(nproc)" "$(uname -m)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s tasks; each sweep run %s times, alternating 1 and 2 slots; least wall time, greatest steady rate\n' \
  "$tasks" "$repeat"
printf '%-22s %8s %10s %8s %12s %8s\n' runner "wall s" "tasks/s" speed-up "steady t/s" speed-up
row "embedded, 1 worker" emb1 emb1
row "embedded, 2 workers" emb2 emb1
if [ "$have_spark" = yes ]; then
  row "spark local[1]" spark1 spark1
  row "spark local[2]" spark2 spark1
  printf 'spark fixed start-up cost (1-task sweep, spark minus embedded): %.1f s\n' \
    "$(echo "${best_wall[single-spark]} - ${best_wall[single-emb]}" | bc -l)"
  echo "results.csv embedded 1 vs spark local[2]: $sames"
fi
echo "results.csv embedded 1 vs 2 workers: $same"
echo "wall: the whole command, JVM start to exit; steady: the sweep's own rate after its first tenth of tasks had"
echo "finished (JIT warm-up, start-up and report excluded; what a long sweep gets per slot)"
