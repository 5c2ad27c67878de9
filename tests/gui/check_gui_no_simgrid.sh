#!/bin/sh
# hwplan-gui must not load SimGrid: its simulations run in `hwplan simulate` children.
# Checks the binary's own dynamic section (readelf -d) and everything it loads (ldd).
# Usage: check_gui_no_simgrid.sh PATH/TO/hwplan-gui
set -eu
gui=$1
needed=$(readelf -d "$gui" | grep NEEDED || true)
# Guard against a vacuous pass: this must be the Qt app.
if ! printf '%s\n' "$needed" | grep -q 'libQt6Widgets'; then
  echo "check: $gui does not look like hwplan-gui (no libQt6Widgets in its NEEDED entries)"
  exit 1
fi
status=0
if printf '%s\n' "$needed" | grep -i simgrid; then
  echo "check: $gui needs libsimgrid directly"
  status=1
fi
if ldd "$gui" | grep -i simgrid; then
  echo "check: $gui loads libsimgrid through a dependency"
  status=1
fi
[ $status -eq 0 ] && echo "check: hwplan-gui needs $(printf '%s\n' "$needed" | wc -l) libraries and loads $(ldd "$gui" | wc -l) objects, none of them SimGrid"
exit $status
