#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each from the repository's seed corpus (new inputs go
# to a scratch folder, not into the repository). Usage: fuzz/run.sh BUILD_DIR [SECONDS]
set -euo pipefail
build=$1
secs=${2:-30}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0
for t in scenario profile model trace units; do
  mkdir -p "$scratch/$t"
  echo "== $t"
  if ! (cd "$scratch" && "$build/bin/hwplan_fuzz_$t" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 "$scratch/$t" "$here/corpus/$t" 2>&1 | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)|cov:" | tail -4); then
    status=1
  fi
  if ls "$scratch"/crash-* "$scratch"/leak-* "$scratch"/timeout-* > /dev/null 2>&1; then
    echo "fuzz: $t found a problem:"; ls "$scratch"/crash-* "$scratch"/leak-* "$scratch"/timeout-* 2>/dev/null
    status=1
  fi
done
exit $status
