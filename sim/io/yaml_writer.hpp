// Writing scenarios and hardware profiles as the YAML that load_scenario and load_profile
// read: the one writer of those formats (calibrate and the GUI use it too).
//
// Every figure is written with a unit, in the shortest decimal text that the unit parser
// turns back into exactly the same double, so load(write(x)) == x field for field. The
// unit is the natural SI prefix ("150 KB", "4 ms", "17 TFLOP/s"), or a binary or calendar
// unit when that needs fewer digits ("512 KiB", "3 y", "7 d"). Comments, key order and
// the unit text of the original file are not kept. See docs/input-format.md, "Writing
// files".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/core/units.hpp"
#include "sim/hardware/profile.hpp"
#include "sim/workload/scenario.hpp"

namespace hw {

// The shortest decimal text that reads back as exactly `v` ("0.1", "1e-05", "94608000").
std::string number_text(double v);

// `si` (SI units; a price per SI unit) as text with a unit that parse_quantity(text, kind)
// turns back into exactly `si`: "5 ms", "100 Mbps", "2 %", "0.12 USD/kWh".
// `currency` is used only by money and the price kinds.
std::string quantity_text(double si, UnitKind kind, std::string_view currency = {});

// A hardware profile. The groups efficiency, overhead and price are written when they
// differ from the loader's defaults or have an entry in `sources`; a group written without
// a source fails to load (the sources rule), as it would in a hand-written file.
std::string profile_yaml(const HardwareProfile& p);

// A scenario. Trace files are written relative to `base_dir`, the folder the text will be
// read against (load_scenario_text's base_dir, or the folder of the file it is saved as).
std::string scenario_yaml(const Scenario& s, const std::string& base_dir);
// The same, with trace files relative to the folder of `s.file`.
std::string scenario_yaml(const Scenario& s);

// What differs between two scenarios, as written by scenario_yaml (so in its units, defaults
// filled in): one line per changed value, "streams[cam].slo.latency: 40 ms -> 54 ms", with a
// list item named by its id ("[cam]") or, without one, its position ("candidates[2]"), and
// "added" / "removed" for a key or item only one side has. In the order of `from`'s text, then
// what only `to` has. Empty when they are the same.
std::vector<std::string> scenario_changes(const Scenario& from, const Scenario& to);

}  // namespace hw
