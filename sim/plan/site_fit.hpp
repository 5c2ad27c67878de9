// Site conditions: which edge hardware can live at a site (`sites[i].conditions` against a
// profile's `operating`), and how many units the site's sensor ports need.
//
//   temperature  the unit's ambient range covers the site's: unit.min <= site.min, unit.max >= site.max
//   ingress      each IEC 60529 digit of the unit is at least the site's ('X' counts as 0)
//   power        units per site x power.max (host + accelerator) <= the site's power
//   ports        units per site >= ceil(ports needed / ports per unit), kind by kind: the
//                sensors one unit can take are capped by its ports
//
// An edge unit carrying an accelerator lives in the tighter of both ranges (the accelerator
// sits inside the host); its ports are the host's. A condition the site states and the
// profile does not cannot be certified: the unit is excluded and the reason says what to add.
// Only the edge units of the edge and hybrid families are placed at the sites.
#pragma once

#include <optional>
#include <vector>

#include "sim/io/loaders.hpp"
#include "sim/plan/explain.hpp"

namespace hw {

struct SiteFit {
  // Every condition broken whatever the fleet size (kind site_conditions), site by site.
  std::vector<Reason> excluded;
  int min_units = 0;                 // units per site the sites' ports need (0: none asked)
  std::optional<double> power_w;     // the least power any site offers its edge units
  double unit_power_w = 0;           // power.max of one edge unit (accelerator included)
};

SiteFit site_fit(const Scenario& s, const Catalogue& cat, const CandidateSpec& c);

// Every condition broken with `units_per_site` units (exclusions, then power and ports).
std::vector<Reason> site_conditions_at(const Scenario& s, const Catalogue& cat, const CandidateSpec& c, int units_per_site);

}  // namespace hw
