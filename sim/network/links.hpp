// Access-link presets (wired, Wi-Fi 6, LTE, 5G, WAN) used when a scenario names a link
// type without figures. Figures and their sources are in docs/input-format.md and
// ../shared/reference/network_and_costs.md; the 'recalled' ones are defaults to override.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/workload/scenario.hpp"

namespace hw {

struct LinkPreset {
  std::string type;
  Seconds latency;          // one-way
  BitsPerSecond bandwidth;
  std::string source;
};

const std::vector<LinkPreset>& link_presets();
std::optional<LinkPreset> link_preset(std::string_view type);

}  // namespace hw
