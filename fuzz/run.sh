#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each from the repository's seed corpus (new inputs go
# to a scratch folder, not into the repository). Usage: fuzz/run.sh BUILD_DIR [SECONDS] [RUNS] [TARGETS...]
# RUNS > 0: stop each target after RUNS executions (or SECONDS, whichever comes first);
# TARGETS: a subset of the targets (default: all).
set -euo pipefail
build=$1
secs=${2:-30}
runs=${3:-0}
shift $(( $# < 3 ? $# : 3 ))
targets=${*:-scenario profile model trace units sweep}
limit=()
if [ "$runs" -gt 0 ]; then limit=(-runs="$runs"); fi
here=$(cd "$(dirname "$0")" && pwd)
# Findings (crash-*, leak-*, timeout-*) are written here, not into the scratch folder that is
# removed at the end: FUZZ_ARTIFACTS (default: the folder the script was started from).
artifacts=$(cd "${FUZZ_ARTIFACTS:-.}" && pwd)
# Per-input time limit in seconds (libFuzzer -timeout, wall clock): raise FUZZ_TIMEOUT for
# long runs on a loaded machine, where a starved process can pass 10 s on an ordinary input.
timeout_s=${FUZZ_TIMEOUT:-10}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0
for t in $targets; do
  mkdir -p "$scratch/$t"
  echo "== $t"
  if ! (cd "$scratch" && "$build/bin/hwplan_fuzz_$t" -max_total_time="$secs" "${limit[@]}" -max_len=65536 -timeout="$timeout_s" -rss_limit_mb=2048 \
        -artifact_prefix="$artifacts/" \
        -print_final_stats=1 "$scratch/$t" "$here/corpus/$t" 2>&1 | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)|cov:" | tail -4); then
    status=1
  fi
  if ls "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-* > /dev/null 2>&1; then
    echo "fuzz: $t found a problem (reproduce: $build/bin/hwplan_fuzz_$t FILE):"
    ls "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-* 2>/dev/null
    status=1
  fi
done
exit $status
