#!/usr/bin/env bash
# Every hostile input of docs/hostile-inputs.md, run against a built hwplan.
#
#   bash tests/hostile/cases.sh build/release/bin/hwplan
#
# Each case builds its input in a scratch folder (removed on exit), runs hwplan under
# `timeout`, and checks the exit code, a substring of the message and, where the case is
# about a file or node that must survive, that it did. One line per case:
#   ID PASS|FAIL rc=N [what] MESSAGE
# MESSAGE is the stderr (or stdout) line holding the expected text, else the first stderr line.
# Exit 0 when every case passes, 1 otherwise. CTest runs it (label `hostile`).
set -u

if [[ $# -ne 1 || ! -x $1 ]]; then
  echo "usage: $0 PATH/TO/hwplan" >&2
  exit 2
fi
HWPLAN=$(readlink -f "$1")
SRC=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$SRC/tests/data
LIMIT_S=60

W=$(mktemp -d "${TMPDIR:-/tmp}/hwplan-hostile.XXXXXX")
trap 'chmod -R u+w "$W" 2>/dev/null; rm -rf "$W"' EXIT
cd "$W" || exit 2
# Keep the runner's own cache and user catalogue out of it.
export XDG_CACHE_HOME=$W/xdg-cache
export HWPLAN_USER_PROFILES=$W/no-user-profiles

failures=0
count=0

# check ID "what" RC "substring" "post-check (bash, may be empty)" CMD...
# Runs CMD (stdin from $W/stdin if that file exists, else /dev/null).
check() {
  local id=$1 what=$2 want_rc=$3 want=$4 post=$5
  shift 5
  count=$((count + 1))
  local in=/dev/null
  [[ -f $W/stdin ]] && in=$W/stdin
  timeout "$LIMIT_S" "$@" <"$in" >"$W/out" 2>"$W/err"
  local rc=$?
  rm -f "$W/stdin"
  local why=""
  if [[ $rc -ne $want_rc ]]; then
    why="exit $rc, expected $want_rc"
    [[ $rc -eq 124 ]] && why="$why (timed out after ${LIMIT_S} s)"
  fi
  if ! grep -qF -- "$want" "$W/err" "$W/out"; then
    why="${why:+$why; }message lacks '$want'"
  fi
  if grep -q "internal error" "$W/err" "$W/out"; then
    why="${why:+$why; }internal error"
  fi
  local post_out
  if [[ -n $post ]] && ! post_out=$( (eval "$post") 2>&1 ); then
    why="${why:+$why; }post-check failed: $post${post_out:+ (found: $(printf '%s' "$post_out" | head -n1 | cat -v))}"
  fi
  local msg
  msg=$(grep -hF -m1 -- "$want" "$W/err" "$W/out" | head -n1)
  [[ -z $msg ]] && msg=$(grep -v -e '^simulating ' -e 'simulations done' -e '^planning ' -e '^  \[' "$W/err" | head -n1)
  msg=$(printf '%s' "$msg" | tr -d '\r' | cat -v)
  if [[ -z $why ]]; then
    printf '%s PASS rc=%d [%s] %s\n' "$id" "$rc" "$what" "$msg"
  else
    printf '%s FAIL rc=%d [%s] %s\n      why: %s\n' "$id" "$rc" "$what" "$msg" "$why"
    failures=$((failures + 1))
  fi
}

# No "inf" or "nan" as a word in what hwplan wrote (messages, tables, reports).
finite() {
  local hits
  hits=$(grep -hiwE 'inf|nan|-nan|infinity' "$W/out" "$W/err" "$@")
  [[ -z $hits ]] || { printf '%s\n' "$hits" | head -n1; return 1; }
}

# --- inputs -----------------------------------------------------------------------------
# s.yaml: tests/data/good/scenario.yaml (one plant, one camera stream, one edge candidate).
cp "$DATA/good/scenario.yaml" s.yaml
cp s.yaml s.orig
edit() { sed "$1" s.yaml >"$2"; }   # a one-line change of s.yaml
prefix_sites() { sed -n '1,/^sites:/p' s.yaml | grep -v '^sites:'; }

# ======================== 1. hangs and blow-ups ========================================
edit 's/^duration: 40 s/duration: 1e308 s/' dur_1e308.yaml
check H01 "duration: 1e308 s, recommend" 2 "the value is too large: at most 1e10 s (about 317 years)" "" \
  "$HWPLAN" recommend dur_1e308.yaml --no-cache
edit 's/^duration: 40 s/duration: 8 d/' dur_8d.yaml
check H02 "duration: 8 d, above the 7 d limit" 2 "is above the limit of 7 d; raise it with --limit duration=N" "" \
  "$HWPLAN" validate dur_8d.yaml
check H03 "duration: 8 d with --limit duration=8d" 0 "ok  dur_8d.yaml" "" \
  "$HWPLAN" validate dur_8d.yaml --limit duration=8d
edit 's/^duration: 40 s/duration: inf s/' dur_inf.yaml
check H04 "duration: inf s" 2 "key 'duration', value 'inf s': the number is not finite; expected a finite number" "" \
  "$HWPLAN" validate dur_inf.yaml
edit 's/^duration: 40 s/duration: 0 s/' dur_0.yaml
check H05 "duration: 0 s" 2 "duration must be positive" "" \
  "$HWPLAN" validate dur_0.yaml
{ prefix_sites; echo "sites:"
  awk 'BEGIN { for (i = 0; i < 25000; i++) printf "  - {id: idle%d}\n", i }'
  sed -n '/^  - id: plant/,$p' s.yaml; } >sites_25k.yaml
check H06 "25,000 stream-less sites, recommend" 2 "25001 entries is above the limit of 2000 sites; raise it with --limit sites=N" "" \
  "$HWPLAN" recommend sites_25k.yaml --no-cache
edit 's/^    backhaul:/    count: 25000\n    backhaul:/' count_25k.yaml
check H07 "one site with count: 25000" 2 "25000 represented sites (the sum of the counts so far) is above the limit of 2000 sites" "" \
  "$HWPLAN" validate count_25k.yaml
{ prefix_sites; echo "sites:"
  awk 'BEGIN { for (i = 0; i < 2999; i++) printf "  - {id: idle%d}\n", i }'
  sed -n '/^  - id: plant/,$p' s.yaml; } >sites_3k.yaml
check H08 "3,000 idle sites with --limit sites=3000, run" 0 "wrote sites_3k.csv" "test -s sites_3k.csv" \
  "$HWPLAN" run sites_3k.yaml --limit sites=3000 --out sites_3k.csv
edit 's/^    payload:/    sources: 2000000\n    payload:/' sources_2m.yaml
check H09 "sources: 2000000" 2 "2000000 sources (every stream's sources times its site's count, so far) is above the limit of 1000000 sources" "" \
  "$HWPLAN" validate sources_2m.yaml
{ sed -n '1,/^streams:/p' s.yaml
  awk 'BEGIN { for (i = 0; i < 1001; i++) printf "  - {id: st%d, site: plant, arrival: {process: periodic, rate: 1 /s}, payload: 1 KB, pipeline: [{model: yolov8s}], slo: {latency: 40 ms}}\n", i }'
  sed -n '/^costs:/,$p' s.yaml; } >streams_1001.yaml
check H10 "1,001 streams" 2 "1001 entries is above the limit of 1000 streams" "" \
  "$HWPLAN" validate streams_1001.yaml
{ cat s.yaml; awk 'BEGIN { for (i = 0; i < 300000; i++) printf "# padding %d xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", i }'; } >big_20mb.yaml
check H11 "a 20 MB YAML file" 2 "the file is larger than the limit of 8000000 bytes (raise it with --limit file-size=N)" "" \
  "$HWPLAN" validate big_20mb.yaml
rm -f big_20mb.yaml
{ cat s.yaml; printf 'description: ['; awk 'BEGIN { for (i = 0; i < 210000; i++) printf "1," }'; echo '1]'; } >nodes.yaml
check H12 "210,000 YAML nodes in 420 KB" 2 "the file has more than 200000 YAML nodes (values, lists and mappings); raise the limit with --limit yaml-nodes=N" "" \
  "$HWPLAN" validate nodes.yaml
{ cat s.yaml; awk 'BEGIN { for (i = 0; i < 1000000; i++) print "  - {family: edge, hardware: jetson-orin-nano-super}" }'; } >cand_1m.yaml
check H13 "1,000,000 candidates (53 MB)" 2 "the file is larger than the limit of 8000000 bytes" "" \
  "$HWPLAN" validate cand_1m.yaml
check H14 "1,000,000 candidates, --limit file-size=100MB" 2 "the file has more than 200000 YAML nodes" "" \
  "$HWPLAN" validate cand_1m.yaml --limit file-size=100MB
rm -f cand_1m.yaml
{ cat s.yaml; awk 'BEGIN { for (i = 0; i < 1000; i++) print "  - {family: edge, hardware: jetson-orin-nano-super}" }'; } >cand_1001.yaml
check H15 "1,001 candidates" 2 "1001 entries is above the limit of 1000 candidates; raise it with --limit candidates=N" "" \
  "$HWPLAN" validate cand_1001.yaml
{ sed '/^name:/d' s.yaml; echo 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'
  for i in 1 2 3 4 5 6 7 8 9; do p="*a$((i - 1))"; echo "a$i: &a$i [$p, $p, $p, $p, $p, $p, $p, $p, $p, $p]"; done
  echo 'name: *a9'; } >alias_bomb.yaml
check H16 "YAML alias bomb (10^10 nodes by reference)" 2 "key 'a0': unknown key 'a0' (known keys here: batch_jobs," "" \
  "$HWPLAN" validate alias_bomb.yaml
check H17 "event budget: --max-events 10" 2 "event budget exceeded: 10 requests created by" "" \
  "$HWPLAN" run s.yaml --max-events 10 --out budget.csv
edit 's|rate: 15 /s|rate: 1e9 /s|; s|jitter: 2 ms|jitter: 0 s|; s|duration: 40 s|duration: 7 d|' absurd.yaml
check H17b "rate 1e9 /s for 7 d under the default budget (ran for hours)" 2 "would be created by 4.2 h simulated, before the earliest this 7 d run could stop; nothing was simulated (--max-events 100000000)" "" \
  "$HWPLAN" run absurd.yaml --out absurd.csv
awk 'BEGIN { printf "x: "; for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; print "" }' >deep_flow.yaml
check H18 "100,000 nested flow lists" 2 "the YAML nests lists and mappings too deeply here" "" \
  "$HWPLAN" validate deep_flow.yaml
awk 'BEGIN { for (i = 0; i < 3000; i++) { for (j = 0; j < i; j++) printf " "; printf "k%d:\n", i } }' >deep_block.yaml
check H19 "3,000 nested block mappings (4.5 MB)" 2 "the YAML nests lists and mappings too deeply here" "" \
  "$HWPLAN" validate deep_block.yaml
check H20 "--limit bogus=1" 2 "unknown limit 'bogus'; known: file-size, yaml-nodes" "" \
  "$HWPLAN" run s.yaml --limit bogus=1
check H21 "--limit sites=-1" 2 "error: --limit sites=-1: expected a whole number >= 1" "" \
  "$HWPLAN" run s.yaml --limit sites=-1

# ======================== 2. non-finite values =========================================
edit 's|rate: 15 /s|rate: 1e308 /s|' rate_1e308.yaml
check N01 "rate: 1e308 /s, recommend" 2 "the value is too large: at most 1e9 /s is accepted" "finite" \
  "$HWPLAN" recommend rate_1e308.yaml --no-cache
edit 's|payload: 150 KB|payload: 1e308 B|' payload_1e308.yaml
check N02 "payload: 1e308 B, recommend" 2 "the value is too large: at most 1e24 B (1 million EB)" "finite" \
  "$HWPLAN" recommend payload_1e308.yaml --no-cache
edit 's|rate: 15 /s|rate: nan /s|' rate_nan.yaml
check N03 "rate: nan /s" 2 "value 'nan /s': the number is not finite; expected a finite number" "" \
  "$HWPLAN" validate rate_nan.yaml
edit 's|rate: 15 /s|rate: .inf /s|' rate_inf.yaml
check N04 "rate: .inf /s (YAML's infinity)" 2 "'.inf /s' does not start with a number" "" \
  "$HWPLAN" validate rate_inf.yaml
edit 's/^    backhaul:/    count: 99999999999999999999\n    backhaul:/' count_huge.yaml
check N05 "count: 99999999999999999999" 2 "expected a whole number between 1 and 1000000" "" \
  "$HWPLAN" validate count_huge.yaml
mkdir -p tr
sed 's|process: periodic|process: trace\n      file: tr/t.csv|; /rate: 15/d; /jitter/d' s.yaml >trace.yaml
trace_case() { sed "s|tr/t.csv|tr/$1|" trace.yaml >"trace_$1.yaml"; }
printf '0.0\nnan\n' >tr/nan.csv; trace_case nan.csv
check N06 "trace timestamp nan" 2 "tr/nan.csv:2:1: key 'time_s', value 'nan': expected a non-negative number of seconds" "" \
  "$HWPLAN" run trace_nan.csv.yaml --out t.csv
printf '0.0\n1e308\n' >tr/far.csv; trace_case far.csv
check N07 "trace timestamp 1e308 s" 0 "wrote far.csv" "finite far.csv" \
  "$HWPLAN" run trace_far.csv.yaml --out far.csv

# ======================== 3. --out, --cache-dir =========================================
check O01 "run --out the scenario file" 2 "error: --out: s.yaml is the input file s.yaml; writing the report there would destroy it" "cmp -s s.yaml s.orig" \
  "$HWPLAN" run s.yaml --out s.yaml
check O02 "recommend --out the scenario file" 2 "error: --out: s.yaml is the input file s.yaml" "cmp -s s.yaml s.orig" \
  "$HWPLAN" recommend s.yaml --no-cache --out s.yaml
ln -s s.yaml link_to_s.yaml
check O03 "--out a symlink to the scenario" 2 "error: --out: link_to_s.yaml is the input file s.yaml" "cmp -s s.yaml s.orig && test -L link_to_s.yaml" \
  "$HWPLAN" run s.yaml --out link_to_s.yaml
mkfifo fifo
check O04 "--out a FIFO" 2 "error: --out: fifo is a FIFO (named pipe), not a regular file" "test -p fifo" \
  "$HWPLAN" run s.yaml --out fifo
echo keep >target.csv; ln -s target.csv link.csv
check O05 "--out a symlink to a regular file" 0 "wrote link.csv" "test -L link.csv && head -n1 target.csv | grep -q '^family,'" \
  "$HWPLAN" run s.yaml --out link.csv
ln -s /dev/full link_full.csv
check O06 "--out a symlink to /dev/full" 2 "error: --out: link_full.csv (via /dev/full) is a character device" "test -L link_full.csv && test -c /dev/full" \
  "$HWPLAN" run s.yaml --out link_full.csv
check O07 "--out /dev/full (as $(id -un))" 2 "error: --out: /dev/full is a character device, not a regular file" "test -c /dev/full" \
  "$HWPLAN" run s.yaml --out /dev/full
check O08 "--out /proc/x.csv" 2 "error: --out: cannot write to the folder of /proc/x.csv" "! test -s $W/out" \
  "$HWPLAN" run s.yaml --out /proc/x.csv
mkdir outdir
check O09 "--out a directory" 2 "error: --out: outdir is a directory; give a file path" "test -d outdir" \
  "$HWPLAN" run s.yaml --out outdir
check O10 "--out - (standard output)" 0 "family,hardware," "" \
  "$HWPLAN" run s.yaml --out -
check O11 "--out in a folder that does not exist yet" 0 "wrote new/r.csv" "test -s new/r.csv" \
  "$HWPLAN" run s.yaml --out new/r.csv
printf 'name: hostile sweep\nscenario: s.yaml\nrun: run\naxes:\n  duration: [10 s, 20 s]\n' >sweep.yaml
cp sweep.yaml sweep.orig
check O12 "sweep --out the sweep file --force" 2 "error: --out: sweep.yaml is the input file sweep.yaml" "cmp -s sweep.yaml sweep.orig" \
  "$HWPLAN" sweep sweep.yaml --out sweep.yaml --force
check O13 "sweep --out its base scenario --force" 2 "error: --out: s.yaml is the input file s.yaml" "cmp -s s.yaml s.orig" \
  "$HWPLAN" sweep sweep.yaml --out s.yaml --force
check O14 "sweep --out /proc/x.csv" 2 "error: --out: cannot write to the folder of /proc/x.csv" "" \
  "$HWPLAN" sweep sweep.yaml --out /proc/x.csv
echo "a file, not a folder" >afile
check O15 "recommend --cache-dir that cannot be created" 2 "error: --cache-dir: cannot create the cache folder afile/c: Not a directory (or pass --no-cache)" "! test -e rec.csv" \
  "$HWPLAN" recommend s.yaml --cache-dir afile/c --out rec.csv
check O16 "sweep --cache-dir that cannot be created" 2 "error: --cache-dir: cannot create the cache folder afile/c" "" \
  "$HWPLAN" sweep sweep.yaml --cache-dir afile/c --out sweep.csv
check O17 "default cache folder unusable (XDG_CACHE_HOME is a file)" 0 "warning: cannot create the cache folder $W/afile/hwplan/runs: Not a directory; running without the result cache" "test -s rec.csv" \
  env XDG_CACHE_HOME="$W/afile" "$HWPLAN" recommend s.yaml --out rec.csv
check O18 "run --out '' (empty path)" 2 "error: --out: the path is empty (''); expected a file path, or - for standard output" "! test -e reports/s.csv" \
  "$HWPLAN" run s.yaml --out ''
check O19 "sweep --out '' (empty path)" 2 "error: --out: the path is empty (''); expected a file path (leave the option out" "! test -e reports/sweep.csv" \
  "$HWPLAN" sweep sweep.yaml --out ''
check O20 "recommend --cache-dir '' (empty path)" 2 "error: --cache-dir: the path is empty (''); expected a folder for the result cache" "! test -e rec0.csv" \
  "$HWPLAN" recommend s.yaml --cache-dir '' --out rec0.csv
check O21 "run --catalogue '' (empty path)" 2 "error: --catalogue: the path is empty ('')" "" \
  "$HWPLAN" run s.yaml --catalogue '' --out cat0.csv
check O22 "sweep --out a FIFO offers no '-'" 2 "error: --out: fifo is a FIFO (named pipe), not a regular file; give a file path (a new file is written, then renamed over it)" "test -p fifo && ! grep -q 'standard output' $W/err" \
  "$HWPLAN" sweep sweep.yaml --out fifo
cp tr/far.csv far.orig
check O23 "run --out the scenario's trace file" 2 "error: --out: tr/far.csv is the input file" "cmp -s tr/far.csv far.orig" \
  "$HWPLAN" run trace_far.csv.yaml --out tr/far.csv
mkdir -p cat/scenarios && cp -r "$SRC/hardware_profiles" cat/ && cp -r "$SRC/scenarios/models" cat/scenarios/ && cp cat/hardware_profiles/nvidia-l4.yaml l4.orig
check O24 "recommend --out a profile of its catalogue" 2 "error: --out: cat/hardware_profiles/nvidia-l4.yaml is the input file" "cmp -s cat/hardware_profiles/nvidia-l4.yaml l4.orig" \
  "$HWPLAN" recommend s.yaml --no-cache --catalogue cat --out cat/hardware_profiles/nvidia-l4.yaml
check O25 "sweep --out a profile of its catalogue --force" 2 "error: --out: cat/hardware_profiles/nvidia-l4.yaml is the input file" "cmp -s cat/hardware_profiles/nvidia-l4.yaml l4.orig" \
  "$HWPLAN" sweep sweep.yaml --catalogue cat --force --out cat/hardware_profiles/nvidia-l4.yaml
printf 'earlier calibration\n' >box.yaml
check O26 "calibrate --out an existing profile" 2 "error: --out: box.yaml exists already; not overwritten (add --force" "grep -q 'earlier calibration' box.yaml && ! grep -q 'calibrate: timing' $W/err" \
  "$HWPLAN" calibrate --quick --out box.yaml
: >afile
check O27 "calibrate --out below a regular file" 2 "error: --out:" "! grep -q 'calibrate: timing' $W/err" \
  "$HWPLAN" calibrate --quick --out afile/box4.yaml

# ======================== 4. CLI rough edges ===========================================
check C01 "no argument" 2 "error: no command given; run 'hwplan COMMAND --help' for one of these:" "grep -q '^  recommend ' $W/err" \
  "$HWPLAN"
check C02 "typo: recomend" 2 "error: unknown command 'recomend'; did you mean 'recommend'?" "grep -q '^commands: validate, ' $W/err" \
  "$HWPLAN" recomend s.yaml
check C03 "validate a.yaml missing.yaml b.yaml" 2 "error: missing.yaml: no such file" "test \$(grep -c '^ok ' $W/out) -eq 2" \
  "$HWPLAN" validate s.yaml missing.yaml dur_8d.yaml --limit duration=8d
check C04 "validate a directory" 2 "error: outdir: is a directory; give YAML files" "" \
  "$HWPLAN" validate outdir
check C05 "run a directory" 2 "error: scenario: outdir is a directory, expected a file" "" \
  "$HWPLAN" run outdir
check C06 "run a missing file" 2 "error:" "grep -q '^error: .*nope.yaml' $W/err" \
  "$HWPLAN" run nope.yaml
check C07 "predict --model llama2-7b" 2 "error: no model 'llama2-7b' (did you mean 'llama2-7b:decode' or 'llama2-7b:prefill'?)" "" \
  "$HWPLAN" predict --model llama2-7b --hardware nvidia-h100-sxm
check C08 "predict --hardware nvidia-h100" 2 "error: no hardware profile 'nvidia-h100' (did you mean 'nvidia-h100-pcie' or 'nvidia-h100-sxm'?)" "" \
  "$HWPLAN" predict --model llama2-7b:decode --hardware nvidia-h100
mkdir -p up && printf 'id: my-box\nname: My box\nclass: toaster\n' >up/my-box.yaml
check C08b "predict --hardware a user profile that did not load" 2 "error: --hardware: hardware profile 'my-box' is in the user catalogue but was left out: $W/up/my-box.yaml:3:8: key 'class', value 'toaster'" "! grep -q 'did you mean' $W/err" \
  env HWPLAN_USER_PROFILES="$W/up" "$HWPLAN" predict --model resnet50 --hardware my-box
edit 's/hardware: jetson-orin-nano-super/hardware: nvidia-h100/' hw_prefix.yaml
check C09 "scenario candidate hardware: nvidia-h100" 2 "unknown hardware profile 'nvidia-h100'; did you mean 'nvidia-h100-pcie' or 'nvidia-h100-sxm'?" "" \
  "$HWPLAN" validate hw_prefix.yaml
check C10 "models list" 0 "llama2-7b:decode" "" \
  "$HWPLAN" models list
check C11 "models show llama2-7b" 2 "error: no workload model 'llama2-7b' (did you mean 'llama2-7b:decode' or 'llama2-7b:prefill'?)" "" \
  "$HWPLAN" models show llama2-7b
printf 'time_s\n0.0\n0.1\n0.2\x1b[31m\x07\x00zz\n' >tr/binary.csv; trace_case binary.csv
check C12 "binary bytes in a trace line" 2 "tr/binary.csv:4:1: key 'time_s', value '0.2\\x1b[31m\\x07\\x00zz'" "! grep -q \$'\\x1b' $W/err" \
  "$HWPLAN" run trace_binary.csv.yaml --out t.csv
check C13 "--seed -1" 2 "error: --seed: a seed is a whole number from 0 to 4611686018427387904 (2^62, as a scenario's 'seed'), got '-1'" "" \
  "$HWPLAN" run s.yaml --seed -1
check C14 "--seed 99999999999999999999999 (above 2^64-1)" 2 "error: --seed: a seed is a whole number from 0 to 4611686018427387904 (2^62, as a scenario's 'seed'), got '99999999999999999999999'" "! grep -h 'seed 18446744073709551615' $W/err" \
  "$HWPLAN" run s.yaml --seed 99999999999999999999999 --out seed.csv
check C15 "validate <(cat s.yaml)" 0 "ok  /dev/fd/" "" \
  bash -c "\"$HWPLAN\" validate <(cat s.yaml)"
cp s.yaml stdin
check C16 "validate - < s.yaml" 0 "ok  - (scenario 'Bad input'" "" \
  "$HWPLAN" validate -
cp s.yaml stdin
check C17 "run - < s.yaml" 0 "wrote stdin.csv" "test -s stdin.csv" \
  "$HWPLAN" run - --out stdin.csv
check C18 "--format xml" 2 "error: --format: xml not in {table,csv,json}" "" \
  "$HWPLAN" run s.yaml --format xml
check C19 "--jobs -1" 2 "error: --jobs: expected a whole number of parallel simulations, 0 (all cores) to 1024; got '-1'" "! grep -q 17976931348623157 $W/err" \
  "$HWPLAN" run s.yaml --jobs -1 --out j.csv
check C20 "--jobs abc" 2 "error: --jobs: expected a whole number of parallel simulations, 0 (all cores) to 1024; got 'abc'" "" \
  "$HWPLAN" run s.yaml --jobs abc --out j.csv
check C21 "--jobs 1e9" 2 "error: --jobs: expected a whole number of parallel simulations, 0 (all cores) to 1024; got '1e9'" "" \
  "$HWPLAN" run s.yaml --jobs 1e9 --out j.csv
check C22 "-j with no number before --out" 2 "got '--out', which is the next option: the number is missing" "! test -e j.csv" \
  "$HWPLAN" run s.yaml -j --out j.csv
check C23 "sweep --threads -1" 2 "error: --threads: expected a whole number of variants in flight, 0 (2 x jobs + 1) to 4096; got '-1'" "" \
  "$HWPLAN" sweep sweep.yaml --threads -1 --out j.csv
check C24 "--max-events -5" 2 "error: --max-events: expected a whole number of requests per simulation, 0 (no limit) to 9223372036854775807; got '-5'" "" \
  "$HWPLAN" recommend s.yaml --max-events -5 --out j.csv
check C25 "predict --batch 0" 2 "error: --batch: expected a whole number of requests per batch, 1 to 1048576; got '0'" "" \
  "$HWPLAN" predict --hardware nvidia-l4 --model resnet50 --batch 1,0
check C26 "predict --batch 1,,2" 2 "error: --batch: an empty item in '1,,2'" "" \
  "$HWPLAN" predict --hardware nvidia-l4 --model resnet50 --batch 1,,2
check C27 "models list --task foo" 2 "error: --task 'foo': no model has this task" "" \
  "$HWPLAN" models list --task foo
check C28 "calibrate --price without a currency" 2 "error: --price 'cheap'" "" \
  "$HWPLAN" calibrate --quick --price cheap --out box5.yaml
check C29 "calibrate --apply-to ''" 2 "--apply-to: the value is empty" "" \
  "$HWPLAN" calibrate --quick --apply-to '' --out box6.yaml
mkdir -p vm-set
printf 'device,accelerators,model,precision,scenario,bound,value,unit,group,role,source\nnvidia-l4x,1,resnet50,int8,offline,,100,samples/s,vision_offline,check,x\n' >vm-set/a.csv
check C30 "validate-model with an unknown device" 2 "vm-set/a.csv:2:1: key 'device', value 'nvidia-l4x'" "" \
  "$HWPLAN" validate-model --set vm-set

# ======================== 5. malformed and wrong YAML ==================================
printf 'name: [unclosed\nsites: {\n' >malformed.yaml
check Y01 "malformed YAML (unclosed [ and {)" 2 "malformed.yaml:2:6: YAML syntax error: end of sequence flow not found" "" \
  "$HWPLAN" validate malformed.yaml
printf 'name: x\n\tsites: []\n' >tab.yaml
check Y02 "tab indentation" 2 "tab.yaml:2:1: YAML syntax error: illegal tab when looking for indentation" "" \
  "$HWPLAN" validate tab.yaml
: >empty.yaml
check Y03 "empty file" 2 "empty.yaml:1:1: the file is empty; expected a YAML mapping" "" \
  "$HWPLAN" validate empty.yaml
printf '   \n\n' >blank.yaml
check Y04 "only blank lines" 2 "blank.yaml:1:1: the file is empty; expected a YAML mapping" "" \
  "$HWPLAN" validate blank.yaml
check Y05 "comments only (tests/data/bad)" 2 "error:" "" \
  "$HWPLAN" validate "$DATA/bad/comments_only.yaml"
check Y06 "top-level list (tests/data/bad)" 2 "expected a mapping of keys at the top of the file (a hwplan file is 'key: value' lines), got a list" "" \
  "$HWPLAN" validate "$DATA/bad/top_level_list.yaml"
check Y07 "duplicate key" 2 "key 'duration', value '1 s': key 'duration' is given twice in this mapping (first at line 3, value '40 s'); keep one" "" \
  "$HWPLAN" validate "$DATA/bad_but_accepted/duplicate_key.yaml"
check Y08 "duplicate stream id" 2 "key 'streams[1].id', value 'inspection': duplicate stream id 'inspection'" "" \
  "$HWPLAN" validate "$DATA/bad_but_accepted/duplicate_stream_id.yaml"
check Y09 "negative payload" 2 "key 'streams[0].payload', value '-150 KB': must not be negative" "" \
  "$HWPLAN" validate "$DATA/bad_but_accepted/negative_payload.yaml"
edit 's|rate: 15 /s|rate: -15 /s|' neg_rate.yaml
check Y10 "negative rate" 2 "value '-15 /s': must not be negative" "" \
  "$HWPLAN" validate neg_rate.yaml
check Y11 "negative model flops" 2 "key 'flops_per_item', value '-8.7 GFLOP': must not be negative" "" \
  "$HWPLAN" validate "$DATA/bad_but_accepted/model_negative_flops.yaml"
check Y12 "negative profile power" 2 "key 'power.idle', value '-5 W': must not be negative" "" \
  "$HWPLAN" validate "$DATA/bad_but_accepted/profile_negative_power.yaml"
check Y13 "bursty on: 0 s" 2 "key 'streams[0].arrival.on', value '0 s': the mean on-period must be at least 1 us" "" \
  "$HWPLAN" validate "$DATA/bad_but_accepted/bursty_zero_on.yaml"
edit 's/^duration:/durration:/' unknown_top.yaml
check Y14 "unknown top-level key durration" 2 "unknown key 'durration'; did you mean 'duration'?" "" \
  "$HWPLAN" validate unknown_top.yaml
edit 's/^    payload: 150 KB/    payload: 150 KB\n    paylod: 3 KB/' unknown_nested.yaml
check Y15 "unknown nested key paylod" 2 "key 'streams[0].paylod': unknown key 'paylod'; did you mean 'payload'?" "" \
  "$HWPLAN" validate unknown_nested.yaml
edit 's/latency: 15 ms/latency: 15 kg/' unit_kg.yaml
check Y16 "wrong unit: latency 15 kg" 2 "value '15 kg': unknown unit 'kg' in '15 kg'" "" \
  "$HWPLAN" validate unit_kg.yaml
edit 's/latency: 15 ms/latency: 15/' unit_none.yaml
check Y17 "no unit: latency 15" 2 "value '15': '15' has no unit; write it with one, like '15 ms'" "" \
  "$HWPLAN" validate unit_none.yaml
edit 's/bandwidth: 200 Mbps/bandwidth: 200 MB/' unit_bytes.yaml
check Y18 "bandwidth in bytes: 200 MB" 2 "value '200 MB': unknown unit 'MB' in '200 MB'" "" \
  "$HWPLAN" validate unit_bytes.yaml
edit 's/^warmup: 5 s/warmup: 50 s/' warmup.yaml
check Y19 "warmup longer than duration" 2 "key 'warmup', value '50 s': warm-up must be shorter than the duration" "" \
  "$HWPLAN" validate warmup.yaml
edit 's/^    backhaul:/    count: -3\n    backhaul:/' count_neg.yaml
check Y20 "count: -3" 2 "key 'sites[0].count', value '-3': expected a whole number between 1 and 1000000" "" \
  "$HWPLAN" validate count_neg.yaml
printf 'name: a\x00b\n' >nul.yaml
check Y21 "NUL byte in a value" 2 "nul.yaml:1:8: not a text file: NUL byte (0x00) here" "" \
  "$HWPLAN" validate nul.yaml
{ printf '\xef\xbb\xbf'; cat s.yaml; } >bom.yaml
check Y22 "UTF-8 byte-order mark" 0 "ok  bom.yaml" "" \
  "$HWPLAN" validate bom.yaml
sed 's/$/\r/' s.yaml >crlf.yaml
check Y23 "Windows line endings" 0 "ok  crlf.yaml" "" \
  "$HWPLAN" validate crlf.yaml
printf 'time_s\n' >tr/header.csv; trace_case header.csv
check Y24 "trace with a header only" 2 "tr/header.csv: trace file has no timestamps" "" \
  "$HWPLAN" run trace_header.csv.yaml --out t.csv
printf '0.0\n0.5\n0.4\n' >tr/back.csv; trace_case back.csv
check Y25 "trace going backwards" 2 "tr/back.csv:3:1: key 'time_s', value '0.4': time goes backwards (previous line had 0.5)" "" \
  "$HWPLAN" run trace_back.csv.yaml --out t.csv
trace_case missing.csv
check Y26 "trace file missing" 2 "value 'tr/missing.csv': trace file not found: tr/missing.csv" "" \
  "$HWPLAN" validate trace_missing.csv.yaml
printf 'name: t\nscenario: s.yaml\nrun: run\naxes:\n  durration: [10 s, 20 s]\n' >sweep_typo.yaml
check Y27 "sweep axis typo durration" 2 "'durration' is not a value a sweep can change; did you mean 'duration'?" "" \
  "$HWPLAN" sweep sweep_typo.yaml --out typo.csv

# ======================== 6. a new user's mistakes (review of 2026-12-02) ==============
hours=$(printf ', 1%.0s' $(seq 23))
sed "s|      process: periodic|      process: diurnal\n      hourly: [inf$hours]|; /jitter/d" s.yaml >hourly_inf.yaml
check U01 "hourly: [inf, ...]" 2 "hourly_inf.yaml:16:16: key 'streams[0].arrival.hourly[0]', value 'inf': expected a multiplier: a plain number from 0 to 1e6" "" \
  "$HWPLAN" validate hourly_inf.yaml
check U02 "hourly: [inf, ...], run --max-events 1000 (hung)" 2 "value 'inf': expected a multiplier" "" \
  "$HWPLAN" run hourly_inf.yaml --max-events 1000 --out hourly.csv
sed "s|      process: periodic|      process: diurnal\n      hourly: [1e300$hours]|; /jitter/d" s.yaml >hourly_big.yaml
check U03 "hourly: [1e300, ...]" 2 "value '1e300': expected a multiplier: a plain number from 0 to 1e6" "" \
  "$HWPLAN" validate hourly_big.yaml
edit 's/^name: Bad input/name: "Bad input/' quote.yaml
check U04 "unclosed double quote" 2 "quote.yaml:2:7: YAML syntax error: the value opened with a double quote" "" \
  "$HWPLAN" validate quote.yaml
{ cat s.yaml; printf -- '---\nname: second\n'; } >multi_doc.yaml
check U05 "a second YAML document" 2 "multi_doc.yaml:33:1: a second YAML document starts here (after '---')" "" \
  "$HWPLAN" validate multi_doc.yaml
printf 'id: dup-llm\nname: Dup\nweights: 13 GB\nphases:\n  prefill: {flops_per_item: 14 GFLOP}\n  prefill: {flops_per_item: 1 GFLOP}\nsources: {flops: "x"}\n' >dup_phase.yaml
check U06 "two phases of one name" 2 "dup_phase.yaml:6:3: key 'phases.prefill', value '<a mapping>': key 'prefill' is given twice in this mapping (first at line 5" "" \
  "$HWPLAN" validate dup_phase.yaml
mkdir -p dupsrc && sed 's/^  power: "test figure"/  memory: "other"\n  power: "test figure"/' "$DATA/good/test_device.yaml" >dupsrc/test_device.yaml
check U07 "a source given twice" 2 "key 'sources.memory', value 'other': key 'memory' is given twice in this mapping (first at line 16, value 'test figure')" "" \
  "$HWPLAN" validate dupsrc/test_device.yaml
check U08 "--limit file-size=1e20B" 2 "error: --limit file-size=1e20B: expected at most 1 TB" "" \
  "$HWPLAN" --limit file-size=1e20B validate s.yaml
printf '0x10\n20\n' >tr/hex.csv; trace_case hex.csv
check U09 "hexadecimal trace time" 2 "tr/hex.csv:1:1: key 'time_s', value '0x10': expected a non-negative number of seconds" "" \
  "$HWPLAN" run trace_hex.csv.yaml --out t.csv
edit 's/^  - id: plant/  - id: plant\n    conditions: {temperature: {min: 0x10 C}}/' temp_hex.yaml
check U10 "hexadecimal temperature" 2 "key 'sites[0].conditions.temperature.min', value '0x10 C': expected a temperature in degrees Celsius" "" \
  "$HWPLAN" validate temp_hex.yaml
edit 's/family: edge/family: gpu/; s/hardware: jetson-orin-nano-super/hardware: nvidia-l4\n    accelerator: no-such-thing/' gpu_accel.yaml
check U11 "accelerator on a gpu candidate" 2 "key 'candidates[0].accelerator', value 'no-such-thing': a gpu candidate has no edge units" "" \
  "$HWPLAN" validate gpu_accel.yaml
mkdir -p py0 && sed 's/^price: 500 USD/price: 500 USD\nprice_year: 0/' "$DATA/good/test_device.yaml" >py0/test_device.yaml
check U12 "price_year: 0 (unknown, the documented default)" 0 "ok  py0/test_device.yaml" "" \
  "$HWPLAN" validate py0/test_device.yaml
check U13 "--seed 2^62 + 1" 2 "error: --seed: a seed is a whole number from 0 to 4611686018427387904" "" \
  "$HWPLAN" run s.yaml --seed 4611686018427387905 --out seed.csv
check U14 "validate a sweep file" 0 "ok  sweep.yaml (sweep 'hostile sweep' of s.yaml: 1 axis, 2 variants to run)" "" \
  "$HWPLAN" validate sweep.yaml
check U15 "validate a FIFO (waited for ever)" 2 "error: fifo: is a named pipe (FIFO), not a regular file" "test -p fifo" \
  "$HWPLAN" validate fifo
sed 's|tr/t.csv|.|' trace.yaml >trace_dir.yaml
check U16 "trace file: . (a directory)" 2 "value '.': . is a directory; expected a trace CSV file" "" \
  "$HWPLAN" validate trace_dir.yaml
sed 's/^duration: 40 s/duration: 3 s/; /^warmup:/d' s.yaml >short.yaml
check U17 "duration within the default warm-up" 2 "short.yaml:3:11: key 'duration', value '3 s': the duration must be longer than the warm-up, 5 s by default" "" \
  "$HWPLAN" validate short.yaml
check U18 "run --out NAME.json writes JSON" 0 "wrote report.json" "head -c1 report.json | grep -q '{' && grep -q '\"schema\": \"hwplan-run-report\"' report.json" \
  "$HWPLAN" run s.yaml --duration '10 s' --out report.json
check U20 "recommend --format json --out NAME.json: JSON in both" 0 "wrote rec.json" "grep -q '\"schema\": \"hwplan-recommendation\"' rec.json && cmp -s rec.json $W/out" \
  "$HWPLAN" recommend s.yaml --no-sensitivity --no-cache --format json --out rec.json
printf 'foo: 1\n' >foo.yaml
check U19 "not a hwplan file names every marker" 2 "a scenario 'sites', 'streams' or 'candidates', a sweep 'scenario'" "" \
  "$HWPLAN" validate foo.yaml

# ======================== loader messages (review of 2026-12-02, branch loaderfix) ========
edit 's/^name: Bad input/name: Caf\xe9 input/' latin1.yaml
check L01 "Latin-1 byte in a value (not UTF-8)" 2 "latin1.yaml:2:10: the text is not valid UTF-8 (byte 0xE9)" "" \
  "$HWPLAN" validate latin1.yaml
tr '\n' '\r' <s.yaml >cronly.yaml
check L02 "CR-only line endings" 2 "the file's lines end with a carriage return (CR, \\r) alone" "" \
  "$HWPLAN" validate cronly.yaml
{ head -n 2 s.yaml; printf 'sites: '; head -c 100000 /dev/zero | tr '\0' '['; echo; } >deeplist.yaml
check L03 "sites: followed by 100000 '['" 2 "deeplist.yaml:3:506: the YAML nests lists and mappings too deeply" "" \
  "$HWPLAN" validate deeplist.yaml
mkdir -p bwh && sed 's/^  bandwidth: 100 GB\/s/  bandwidth: 1e300 TB\/s/' "$DATA/good/test_device.yaml" >bwh/test_device.yaml
check L04 "bandwidth: 1e300 TB/s (overflows with its unit)" 2 "value '1e300 TB/s': the value is too large: at most 1e15 B/s (1 PB/s) is accepted" "" \
  "$HWPLAN" validate bwh/test_device.yaml
edit 's/^      latency: 40 ms/      latency: 40 \xce\xbcs/' mu.yaml
check L05 "latency: 40 μs (Greek mu, not the micro sign)" 0 "ok  mu.yaml" "grep -q \"latency: 40 \$(printf '\\xce\\xbc')s\" mu.yaml" \
  "$HWPLAN" validate mu.yaml

# ======================== error text (review 18, branch s18-input) ========================
# No raw control byte, one line of error: the whole message is escaped, not only the value.
ESC=$(printf '\033')
clean() { ! grep -q "[$ESC$(printf '\007')]" "$W/err" && [[ $(grep -c '' "$W/err") -le 2 ]] && [[ $(wc -c <"$W/err") -lt 1000 ]]; }
edit "s/^duration: 40 s/duration: \"40 \\\\e[2J\\\\e[31mPWNED\\\\a\"/" esc_unit.yaml
check E01 "a unit that clears the screen" 2 "unknown unit '\\x1b[2J\\x1b[31mPWNED\\x07' in '40 \\x1b[2J\\x1b[31mPWNED\\x07'" "clean" \
  "$HWPLAN" validate esc_unit.yaml
edit 's/^duration: 40 s/duration: |\n  40 s\n  extra/' nl_unit.yaml
check E02 "a block scalar with newlines as the duration" 2 "unknown unit 's\\x0aextra' in '40 s\\x0aextra\\x0a'" "clean" \
  "$HWPLAN" validate nl_unit.yaml
{ sed -n '1,/^warmup:/p' s.yaml | grep -v -e '^duration:' -e '^warmup:'
  printf 'duration: 4'; head -c 5000000 /dev/zero | tr '\0' '0'; printf ' s\nwarmup: 5 s\n'
  sed -n '/^sites:/,$p' s.yaml; } >long_number.yaml
check E03 "duration: 4 and five million zeros" 2 "...' is out of range" "clean" \
  "$HWPLAN" validate long_number.yaml
{ sed -n '1,/^streams:/p' s.yaml | grep -v '^streams:'; echo 'streams: []'; sed -n '/^costs:/,$p' s.yaml; } >no_streams.yaml
check E04 "streams: []" 2 "no_streams.yaml:11:10: key 'streams', value '[]': a scenario needs at least one stream or one batch job" "" \
  "$HWPLAN" validate no_streams.yaml
{ cat s.yaml; printf '...\nname: second\n'; } >doc_end.yaml
check E05 "more keys after a document end '...'" 2 "doc_end.yaml:34:1: a second YAML document starts here, after the document end marker '...' at line 33" "" \
  "$HWPLAN" validate doc_end.yaml
{ printf '\357\273\277\357\273\277'; cat s.yaml; } >two_boms.yaml
check E06 "a file starting with two byte-order marks" 2 "two_boms.yaml:1:1: a second byte-order mark (U+FEFF, bytes EF BB BF) here" "clean" \
  "$HWPLAN" validate two_boms.yaml

# ======================== sweep files, ids, output (review 21, branch s21-host) ============
# The sweep of section 3 (sweep.yaml: 'run' of s.yaml for two durations) gives the result files.
printf 'precious\n' >precious
ln -s "$W/precious" .k01.csv.lock
check K01 "sweep lock file: a planted symbolic link" 2 "the lock file of k01.csv is a symbolic link" "grep -qx precious precious && test -L .k01.csv.lock" \
  "$HWPLAN" sweep sweep.yaml --out k01.csv --resume
mkfifo .k02.csv.lock
check K02 "sweep lock file: a planted FIFO" 2 "the lock file of k02.csv is a named pipe (FIFO), not a regular file" "test -p .k02.csv.lock" \
  "$HWPLAN" sweep sweep.yaml --out k02.csv
"$HWPLAN" sweep sweep.yaml --out k03.full.csv >/dev/null 2>&1
head -c -10 k03.full.csv >k03.csv
check K03 "sweep --resume of a CSV cut mid-line" 0 "k03.csv ends inside record 3 (the file was cut short" "cmp -s k03.csv k03.full.csv" \
  "$HWPLAN" sweep sweep.yaml --out k03.csv --resume
{ printf '\357\273\277'; cat k03.full.csv; } >k04.csv
check K04 "sweep --resume of a CSV with a byte-order mark (Excel)" 0 "resuming: 2 variant(s) already in k04.csv, 0 to run" "" \
  "$HWPLAN" sweep sweep.yaml --out k04.csv --resume
"$HWPLAN" sweep sweep.yaml --format json --out k05.full.json >/dev/null 2>&1
sed '0,/"answer":"[^"]*"/s//"answer":null/' k05.full.json >k05.json
check K05 "sweep --resume of JSON with answer: null" 2 "k05.json: variants[0] (variant 1): key 'answer', value 'null': expected a string" "" \
  "$HWPLAN" sweep sweep.yaml --format json --out k05.json --resume
sed '0,/"status":"ok"/s//"status":"weird"/' k05.full.json >k06.json
check K06 "sweep --resume of JSON with status: weird" 2 "key 'status', value 'weird': expected 'ok', 'infeasible' or 'failed'" "grep -q 'k06.json: variants\\[[01]\\] (variant [12]): key' $W/err" \
  "$HWPLAN" sweep sweep.yaml --format json --out k06.json --resume
awk '/^\{"answer"/ && !d { print; d = 1 } 1' k05.full.json >k07.json
check K07 "sweep --resume of JSON with a variant given twice" 0 "variant 1 is given twice in k07.json: it runs again" '[[ $(grep -c "^{.answer" k07.json) -eq 2 ]]' \
  "$HWPLAN" sweep sweep.yaml --format json --out k07.json --resume
sed 's/\[10 s, 20 s\]/[10 s, 30 s]/' sweep.yaml >k08.yaml
check K08 "sweep --resume of a file with a variant this sweep does not produce" 2 "holds 1 variant(s) that this sweep does not produce (the sweep or its scenario changed since), the first variant 2 (" "" \
  "$HWPLAN" sweep k08.yaml --out k03.full.csv --resume
check K09 "profiles show an id that clears the screen" 2 "no hardware profile 'x\\x1b[2J'" "clean" \
  "$HWPLAN" profiles show "x${ESC}[2J"
check K10 "predict --hardware with ESC" 2 "no hardware profile 'x\\x1b[31m'" "clean" \
  "$HWPLAN" predict --hardware "x${ESC}[31m" --model yolov8s
check K11 "predict --model with BEL" 2 "no model 'x\\x07'" "clean" \
  "$HWPLAN" predict --hardware jetson-orin-nano-super --model "x$(printf '\007')"
check K12 "models show an id with ESC" 2 "no workload model 'x\\x1b[31m'" "clean" \
  "$HWPLAN" models show "x${ESC}[31m"
check K13 "profiles show a 100,000-character id" 2 "no hardware profile 'xxxx" "clean" \
  "$HWPLAN" profiles show "$(head -c 100000 /dev/zero | tr '\0' x)"
check K14 "--help >/dev/full" 2 "error: cannot write to standard output: No space left on device" "" \
  bash -c '"$0" --help >/dev/full' "$HWPLAN"
check K15 "--version >/dev/full" 2 "error: cannot write to standard output: No space left on device" "" \
  bash -c '"$0" --version >/dev/full' "$HWPLAN"
check K16 "HWPLAN_DATA set to a folder that does not exist" 2 "HWPLAN_DATA is set to '/nonexistent', which is not a catalogue folder (/nonexistent does not exist" "" \
  env HWPLAN_DATA=/nonexistent "$HWPLAN" validate s.yaml
ln -s loop_b loop_a && ln -s loop_a loop_b
check K17 "sweep of a symbolic link loop" 2 "loop_a: too many levels of symbolic links" "test -L loop_a" \
  "$HWPLAN" sweep loop_a --out k17.csv
sed 's|tr/t.csv|/proc/sys/vm/drop_caches|' trace.yaml >trace_unreadable.yaml
check K18 "a trace file that cannot be read (write-only, even for root)" 2 "trace file cannot be opened: Permission denied" "" \
  "$HWPLAN" run trace_unreadable.yaml --out tu.csv
edit 's|^  electricity: 0.12 USD/kWh|  electricity: 1e308 USD/kWh|' el_huge.yaml
check K19 "electricity: 1e308 USD/kWh" 2 "value '1e308 USD/kWh': the value is too large: at most 3.6e12 USD/kWh is accepted" "" \
  "$HWPLAN" validate el_huge.yaml
edit 's|^      bandwidth: 200 Mbps|      bandwidth: 0x10 Mbps|' bw_hex.yaml
check K20 "bandwidth: 0x10 Mbps" 2 "value '0x10 Mbps': '0x10 Mbps': hexadecimal numbers are not accepted" "" \
  "$HWPLAN" validate bw_hex.yaml

echo "$((count - failures)) of $count hostile cases pass"
[[ $failures -eq 0 ]]
