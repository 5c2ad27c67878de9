#!/usr/bin/env bash
# The package test: build the .deb from a configured build tree, install it (dpkg -i as
# root; otherwise unpack it into a clean prefix), and run hwplan from outside the source
# tree on an installed scenario. Usage: tests/package/deb_install.sh [BUILD_DIR]
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build/release}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --build "$build" --target hwplan hwplan_shell_docs
(cd "$build" && cpack -G DEB -B "$work/pkg" > "$work/cpack.log") || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/pkg/hwplan_*.deb)
echo "package: $(basename "$deb")"
dpkg-deb -f "$deb" Depends
if [ "$(id -u)" -eq 0 ] && command -v dpkg > /dev/null; then
  dpkg -i "$deb"
  trap 'dpkg -r hwplan > /dev/null; rm -rf "$work"' EXIT  # leave the machine as it was
  prefix=/usr
else
  dpkg-deb -x "$deb" "$work/root"
  prefix=$work/root/usr
fi
test -f "$prefix/share/man/man1/hwplan.1"
test -f "$prefix/share/bash-completion/completions/hwplan"
test -f "$prefix/share/zsh/vendor-completions/_hwplan"
test -f "$prefix/share/hwplan/tests/validation/published/mlperf_v5.csv"  # validate-model's default set
cd "$work"  # outside the source tree: the installed catalogue must be found
env -u HWPLAN_DATA timeout 600 "$prefix/bin/hwplan" recommend "$prefix/share/hwplan/scenarios/factory-vision.yaml" \
  --out "$work/rec.csv" --no-cache --no-sensitivity > "$work/rec.txt"
grep -q "RECOMMENDED" "$work/rec.txt" || { cat "$work/rec.txt"; exit 1; }
head -5 "$work/rec.txt"
env -u HWPLAN_DATA timeout 120 "$prefix/bin/hwplan" validate-model > "$work/vm.txt" || { cat "$work/vm.txt"; exit 1; }
grep -q "mean absolute percentage error per group" "$work/vm.txt" || { cat "$work/vm.txt"; exit 1; }
echo "package test: passed ($prefix)"
