#!/usr/bin/env bash
# Times `hwplan calibrate --quick` and the full run, and prints the figures that
# bench/calibrate.md records. Usage: bench/calibrate.sh [path/to/hwplan] [output folder]
set -euo pipefail
hwplan=${1:-build/release/bin/hwplan}
out=${2:-$(mktemp -d)}
mkdir -p "$out"
command -v jq >/dev/null || { echo "bench/calibrate.sh needs jq" >&2; exit 2; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in quick full; do
  flag=$([ "$mode" = quick ] && echo --quick || true)
  start=$(date +%s.%N)
  "$hwplan" calibrate $flag --format json --force --out "$out/bench-$mode.yaml" >"$out/$mode.json" 2>"$out/$mode.log"
  end=$(date +%s.%N)
  "$hwplan" validate -q "$out/bench-$mode.yaml"
  jq -r --arg wall "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" --arg mode "$mode" '
    (.models[] | select(.name == "profile")) as $p |
    "\($mode): wall \($wall | tonumber | . * 10 | round / 10) s, held-out median |error| \(.held_out_median_abs_error * 1000 | round / 10) %" +
    " over \([.kernels[] | select(.held_out)] | length) kernels, fp32 peak \($p.peak_flops_per_s / 1e8 | round / 10) GFLOP/s" +
    " (fitted P \($p.compute_flops_per_s / 1e8 | round / 10)), triad \($p.reference_bandwidth_bytes_per_s / 1e8 | round / 10) GB/s" +
    " (fitted B \($p.bandwidth_bytes_per_s / 1e8 | round / 10)), h \($p.half_batch * 10 | round / 10), t0 \($p.overhead_s * 1e7 | round / 10) us," +
    " fp64 \(.calibration.fp64_peak), 1 core \(.calibration.single_thread_fp32_peak), load at start \(.calibration.load_average_at_start)"' \
    "$out/$mode.json"
  jq -r '.kernels[] | select(.held_out) | "    held out  \(.name): measured \(.measured_s * 1e6 | round) us, predicted \(.predicted_s * 1e6 | round) us, error \(.error * 1000 | round / 10) %"' "$out/$mode.json"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "results in $out"
