#include "sim/plan/result_json.hpp"

namespace hw {

nlohmann::json to_json(const CostBreakdown& c) {
  return {{"currency", c.currency},
          {"capex", c.capex},
          {"capex_per_year", c.capex_per_year},
          {"energy_per_year", c.energy_per_year},
          {"bandwidth_per_year", c.bandwidth_per_year},
          {"maintenance_per_year", c.maintenance_per_year},
          {"retraining_per_year", c.retraining_per_year},
          {"opex_per_year", c.opex_per_year},
          {"tco", c.tco},
          {"cost_per_million", c.cost_per_million}};
}

}  // namespace hw
