#!/bin/sh
# Link rules: the hwplan binary starts without SimGrid and ns-3 (24 of the 28 ms a process
# took to start); it loads them with its engine module, hwplan-engine.so, when it first
# simulates. Checks both dynamic sections (readelf) and the module's one entry point (nm).
# Usage: check_engine_module.sh HWPLAN_BINARY ENGINE_MODULE
set -eu
exe=$1
module=$2
status=0
if readelf -d "$exe" | grep -i -E 'NEEDED.*(simgrid|ns3)'; then
  echo "link rules: $exe needs SimGrid or ns-3 (only its engine module may)"
  status=1
fi
if ! readelf -d "$module" | grep -q -i 'NEEDED.*simgrid'; then
  echo "link rules: $module does not need libsimgrid: is it the engine?"
  status=1
fi
if ! nm -D --defined-only "$module" | grep -q ' T hwplan_engine_module$'; then
  echo "link rules: $module does not export hwplan_engine_module"
  status=1
fi
[ $status -eq 0 ] && echo "link rules: $(basename "$exe") needs $(readelf -d "$exe" | grep -c NEEDED) libraries, no SimGrid; $(basename "$module") needs SimGrid and exports its entry point"
exit $status
