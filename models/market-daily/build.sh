#!/usr/bin/env bash
# Rebuilds the market-daily networks and their studies from the committed CSVs (data/; rebuild-data.sh makes them
# from Debian's R data packages): records every series into a ticks queue, pretrains two networks on the 64
# pretraining series only (direction and large-move, one day ahead), then studies each on the four reserved
# series (never seen in pretraining, tuning or selection) and pools the studies. Deterministic for a given
# instruction set (native CPU backend; fixed seeds). Pretraining uses only ticks before 2008-01-01, where the test
# windows of DJIA8012, GOLD and SILVER begin. About 8 minutes on 2 shared cores, most of it recording.
# Usage: build.sh [WORK]   WORK keeps the recorded queues (WORK/pretrain, WORK/reserved) for a rerun.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/java/target/tickgrad-0.1.0-SNAPSHOT-cli.jar"
tg="$root/bin/tickgrad"
"$tg" --version >/dev/null   # builds the CLI jar on a first run
if [ $# -ge 1 ]; then
  work="$1"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi
if [ ! -d "$work/pretrain" ] || [ ! -d "$work/reserved" ]; then
  rm -rf "$work/pretrain" "$work/reserved"
  for f in "$here"/data/pretrain/*.csv; do
    "$tg" record --csv "$f" --queue "$work/pretrain/$(basename "$f" .csv)" --instrument "$(basename "$f" .csv)" >/dev/null 2>&1 \
      || { echo "build.sh: recording $f failed" >&2; exit 1; }
  done
  for f in "$here"/data/reserved/*.csv; do
    "$tg" record --csv "$f" --queue "$work/reserved/$(basename "$f" .csv)" --instrument "$(basename "$f" .csv)" >/dev/null 2>&1 \
      || { echo "build.sh: recording $f failed" >&2; exit 1; }
  done
fi
rm -rf "$here/study"
for target in direction large-move; do
  "$tg" pretrain --queues "$work/pretrain" --target "$target" --horizon 1 --hidden 32,16 --epochs 30 --batch 256 \
    --lr 0.001 --patience 4 --validation 0.2 --seed 42 --until 2008-01-01 --out "$here/$target.safetensors" > "$here/pretrain-$target.txt"
  summaries=()
  for q in "$work"/reserved/*; do
    name="$(basename "$q")"
    "$tg" study --model "$here/$target.safetensors" --queue "$q" --samples 100,300,1000,3000 --seeds 5 \
      --test-size 250 --report "$here/study/$target/$name" 2>/dev/null
    summaries+=("$here/study/$target/$name/summary.json")
  done
  java -cp "$jar" "$here/PoolStudies.java" "${summaries[@]}" > "$here/study/$target/POOLED.md"
done
(cd "$here" && sha256sum direction.safetensors large-move.safetensors)
