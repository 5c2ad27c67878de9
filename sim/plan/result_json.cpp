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
          {"training_per_year", c.training_per_year},
          {"rent_per_year", c.rent_per_year},
          {"opex_per_year", c.opex_per_year},
          {"tco", c.tco},
          {"cost_per_million", c.cost_per_million},
          {"rent_or_buy", c.dc_choice.empty() ? nlohmann::json(nullptr)
                                              : nlohmann::json{{"choice", c.dc_choice},
                                                               {"own_per_year", c.dc_own_per_year},
                                                               {"on_demand_per_year", c.dc_on_demand_per_year},
                                                               {"reserved_per_year", c.dc_reserved_per_year > 0 ? nlohmann::json(c.dc_reserved_per_year)
                                                                                                                : nlohmann::json(nullptr)},
                                                               {"break_even_utilisation", c.break_even_utilisation},
                                                               {"busy_share", c.dc_busy_share}}}};
}

}  // namespace hw
