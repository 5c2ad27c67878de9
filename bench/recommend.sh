#!/usr/bin/env bash
# Times `hwplan recommend` on every bundled scenario: first with an empty result cache,
# then again with the cache the first run filled. Prints one markdown row per scenario:
# wall seconds, probes, simulations run, cache hits, and the same for the second run.
# Usage: bench/recommend.sh [path/to/hwplan] [jobs]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/bin/hwplan}
jobs=${2:-0}
cache=$(mktemp -d)
out=$(mktemp -d)
trap 'rm -rf "$cache" "$out"' EXIT
echo "| scenario | recommendation | wall s (cold) | probes | simulated | wall s (warm) | simulated | cache hits | hit rate |"
echo "|---|---|---|---|---|---|---|---|---|"
for f in scenarios/*.yaml; do
  name=$(basename "$f" .yaml)
  run() {
    "$bin" recommend "$f" --format json --jobs "$jobs" --cache-dir "$cache" --out "$out/$name.csv" > "$out/$name.$1.json" 2> "$out/$name.$1.err" || true
  }
  s0=$(date +%s.%N); run cold; s1=$(date +%s.%N); run warm; s2=$(date +%s.%N)
  python3 - "$out/$name.cold.json" "$out/$name.warm.json" "$name" "$s0" "$s1" "$s2" <<'PY'
import json, sys
cold, warm = (json.load(open(p)) for p in sys.argv[1:3])
name, s0, s1, s2 = sys.argv[3], *map(float, sys.argv[4:7])
rec = cold.get("recommendation") or {}
label = rec.get("label", "none feasible")
c, w = cold["stats"], warm["stats"]
rate = 100.0 * w["cache_hits"] / w["probes"] if w["probes"] else 0.0
print(f"| {name} | {label} | {s1 - s0:.1f} | {c['probes']} | {c['simulations']} | {s2 - s1:.1f} | {w['simulations']} | {w['cache_hits']} | {rate:.0f}% |")
PY
done
