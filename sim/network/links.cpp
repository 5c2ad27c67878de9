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
      {"5g", Seconds(18e-3), BitsPerSecond(20e6),
       "5G NR NSA: about 18 ms uplink under load (found: Rohde & Schwarz drive test 2022, "
       "reference/network_and_costs.md); 20 Mb/s uplink: estimate, that test's uplink ran at "
       "15 Mbps under load; arXiv 2507.18834's '60% of users < 50 Mb/s' is a downlink figure. "
       "Was 50 Mb/s, that downlink threshold"},
      {"wan", Seconds(15e-3), BitsPerSecond(1e9),
       "WAN to a cloud region on the same continent: 10-50 ms RTT (recalled; "
       "reference/network_and_costs.md) -> 15 ms one-way; 1 Gb/s: estimate, a business fibre "
       "line (the reference gives no WAN bandwidth; set the site's own)"},
      {"metro", Seconds(1.5e-3), BitsPerSecond(10e9),
       "metro fibre: 5 us/km + ~1 ms equipment (recalled; reference/network_and_costs.md); "
       "100 km -> 1.5 ms; 10 Gb/s: estimate, one 10GbE port onto the ring (the reference gives "
       "no metro bandwidth; set the site's own)"},
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
