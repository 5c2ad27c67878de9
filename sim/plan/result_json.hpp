// A priced deployment as JSON; RunResult JSON is part of the run contract (sim/run/json.hpp).
#pragma once

#include <nlohmann/json.hpp>

#include "sim/cost/tco.hpp"
#include "sim/run/json.hpp"

namespace hw {

// Capex, yearly costs by kind, TCO, cost per million, currency.
nlohmann::json to_json(const CostBreakdown& c);

}  // namespace hw
