#!/usr/bin/env bash
# City-scale engine benchmark: the GPU-central candidate of scenarios/city-cctv.yaml
# (10,000 cameras at 15 frames/s in 200 districts, 8 x l4x4-server, batching 32 / 10 ms)
# simulated until its p99 confidence interval is within +-2%, on one core.
# Prints wall and CPU time, the engine's own wall time, the stop reason and the p99 with its
# full precision (to check that a change leaves results alone).
# Usage: bench/city.sh [path/to/hwplan] [runs]        (defaults: build/release/bin/hwplan, 2)
set -euo pipefail
hwplan=${1:-build/release/bin/hwplan}
runs=${2:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
command -v jq >/dev/null || { echo "bench/city.sh needs jq" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The scenario without its edge candidate.
sed '/family: edge/,$d' "$here/scenarios/city-cctv.yaml" >"$work/citygpu.yaml"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e %U" -o "$work/time" \
    "$hwplan" run "$work/citygpu.yaml" --jobs 1 --out "$work/cg.csv" --format json >"$work/cg.json" 2>"$work/log"
  read -r wall user <"$work/time"
  jq -r --arg wall "$wall" --arg user "$user" '.candidates[0] |
    "run: wall \($wall) s (CPU \($user) s), engine \(.run.wall_time_s * 10 | round / 10) s, \(.run.events) requests; " +
    "p99 \(.run.streams[0].p99_s.value) s; \(.run.stop_reason)"' "$work/cg.json"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
