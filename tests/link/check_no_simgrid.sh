#!/bin/sh
# Link rules: the libraries a SimGrid-free front end (the desktop app) links must not pull
# in SimGrid. Checks the probe binary's dynamic section (readelf) and the static
# libraries' undefined symbols (nm).
# Usage: check_no_simgrid.sh PROBE_BINARY LIB.a...
set -eu
probe=$1
shift
status=0
if readelf -d "$probe" | grep -i 'NEEDED.*simgrid'; then
  echo "link rules: $probe needs libsimgrid (plan, report, io and run must not link SimGrid)"
  status=1
fi
for lib in "$@"; do
  if nm -C --undefined-only "$lib" 2>/dev/null | grep -E 'simgrid::|sg_host|xbt_' | head -3 | grep .; then
    echo "link rules: $lib refers to SimGrid symbols"
    status=1
  fi
done
[ $status -eq 0 ] && readelf -d "$probe" | grep -c NEEDED | sed 's/^/link rules: probe needs /; s/$/ libraries, none of them SimGrid/'
exit $status
