#include "sim/network/links.hpp"

namespace hw {

const std::vector<LinkPreset>& link_presets() {
  static const std::vector<LinkPreset> presets{
      {"wired", Seconds(0.25e-3), BitsPerSecond(0.94e9),
       "GbE to an on-site box: < 0.5 ms, 0.94 Gb/s goodput (recalled; reference/network_and_costs.md)"},
      {"wired10g", Seconds(0.1e-3), BitsPerSecond(9.4e9),
       "10GbE: 9.4 Gb/s goodput (recalled; reference/network_and_costs.md)"},
      {"wifi6", Seconds(3e-3), BitsPerSecond(300e6),
       "Wi-Fi 6 LAN: 1-5 ms one-way, hundreds of Mb/s (recalled; reference/network_and_costs.md)"},
      {"lte", Seconds(22.5e-3), BitsPerSecond(20e6),
       "LTE round trip 30-60 ms typical (recalled) -> 22.5 ms one-way; 20 Mb/s uplink (estimate)"},
      {"5g", Seconds(18e-3), BitsPerSecond(50e6),
       "5G NR NSA: about 18 ms uplink under load (Rohde & Schwarz drive test 2022); "
       "60% of users < 50 Mb/s (arXiv 2507.18834)"},
      {"wan", Seconds(15e-3), BitsPerSecond(1e9),
       "WAN to a cloud region on the same continent: 10-50 ms RTT (recalled) -> 15 ms one-way"},
      {"metro", Seconds(1.5e-3), BitsPerSecond(10e9),
       "metro fibre: 5 us/km + ~1 ms equipment (recalled); 100 km -> 1.5 ms"},
  };
  return presets;
}

std::optional<LinkPreset> link_preset(std::string_view type) {
  for (const auto& p : link_presets()) {
    if (p.type == type) return p;
  }
  return std::nullopt;
}

}  // namespace hw
