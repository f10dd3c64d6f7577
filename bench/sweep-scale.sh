#!/usr/bin/env bash
# How tickgrad sweeps scale: tasks per second with 1 and 2 workers, embedded and Spark local[N], and Spark's fixed
# start-up cost (a 1-task sweep on Spark minus the same on the embedded runner). Not a test: a measurement, to be
# run on a quiet machine. Needs bin/tickgrad's jar and, for Spark, `mvn -pl spark -am package -DskipTests`.
# Usage: [SWEEP_SEEDS=16] [SWEEP_REPEAT=2] bench/sweep-scale.sh [work-dir]   (default target/sweep-scale; 28 tasks
# per seed; each sweep runs SWEEP_REPEAT times and the least wall time is kept; about 8 minutes with Spark)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$root/target/sweep-scale}"
rm -rf "$work"; mkdir -p "$work"
tg="$root/bin/tickgrad"
"$tg" record --queue "$work/ticks" > "$work/record.log" 2>&1
model="$root/models/updown/updown.safetensors"

# a grid of online replays of the 8-hour windows after the model's training span (7 windows, each task replays the
# queue from its start to warm the features, then predicts and learns online through its window), for every
# learning rate and seed: 7 x 4 x SWEEP_SEEDS tasks (default 16: 448, about a minute on one core). A sweep pays
# once for the JVM's start, about 5 s of JIT compilation (11 s with Spark) and the report, which one worker leaves
# to the idle second core and two workers must share; the default is large enough that this fixed cost does not
# hide how the tasks themselves scale (README, Sweeps: the speed-up at 112, 224 and 448 tasks).
seeds="${SWEEP_SEEDS:-16}"
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

run() {  # $1 label, rest: sweep options; prints the least of SWEEP_REPEAT wall times in seconds: this VM's noise
  # (a neighbour slowing its cores for tens of seconds at a time) only ever adds time, so the least is the best
  # estimate of what the sweep itself costs
  local best="" i t0 t1 out="$work/out-$1"
  for i in $(seq 1 "$repeat"); do
    rm -rf "$out"
    t0=$(date +%s.%N)
    "$tg" sweep --out "$out" "${@:2}" > "$work/$1.log" 2>&1 || { tail -3 "$work/$1.log" >&2; exit 1; }
    t1=$(date +%s.%N)
    t1=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t1 < $best" | bc -l)" = 1 ]; then best=$t1; fi
  done
  echo "$best"
}
"$tg" sweep --grid "$work/single.json" --out "$work/warm" > /dev/null 2>&1   # page cache, JIT-independent files

e1=$(run emb1 --grid "$work/grid.json" --workers 1)
e2=$(run emb2 --grid "$work/grid.json" --workers 2)
cmp -s "$work/out-emb1/results.csv" "$work/out-emb2/results.csv" && same=identical || same=DIFFERENT
s0e=$(run single-emb --grid "$work/single.json" --workers 1)
have_spark=no
if ls "$root"/spark/target/tickgrad-spark-*-job.jar > /dev/null 2>&1; then
  have_spark=yes
  s1=$(run spark1 --grid "$work/grid.json" --runner spark --master 'local[1]')
  s2=$(run spark2 --grid "$work/grid.json" --runner spark --master 'local[2]')
  s0s=$(run single-spark --grid "$work/single.json" --runner spark --master 'local[1]')
  cmp -s "$work/out-emb1/results.csv" "$work/out-spark2/results.csv" && sames=identical || sames=DIFFERENT
fi
rate() { echo "scale=3; $tasks / $1" | bc -l; }
printf 'machine: %s cores, %s; load average now: %s\n' "$(nproc)" "$(uname -m)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %8s %10s %8s\n' runner "wall s" "tasks/s" speed-up
printf '%-22s %8.1f %10s %8s\n' "embedded, 1 worker" "$e1" "$(rate "$e1")" 1.00
printf '%-22s %8.1f %10s %8.2f\n' "embedded, 2 workers" "$e2" "$(rate "$e2")" "$(echo "$e1 / $e2" | bc -l)"
if [ "$have_spark" = yes ]; then
  printf '%-22s %8.1f %10s %8s\n' "spark local[1]" "$s1" "$(rate "$s1")" 1.00
  printf '%-22s %8.1f %10s %8.2f\n' "spark local[2]" "$s2" "$(rate "$s2")" "$(echo "$s1 / $s2" | bc -l)"
  printf 'spark fixed start-up cost (1-task sweep, spark minus embedded): %.1f s\n' "$(echo "$s0s - $s0e" | bc -l)"
  echo "results.csv embedded 1 vs spark local[2]: $sames"
fi
echo "results.csv embedded 1 vs 2 workers: $same ($tasks tasks; wall time includes JVM start, ~1 s)"
