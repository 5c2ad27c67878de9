// RunResult <-> JSON, used between a simulation child and its parent, and in reports.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/cost/tco.hpp"
#include "sim/engine/types.hpp"

namespace hw {

nlohmann::json to_json(const RunResult& r);
RunResult run_result_from_json(const nlohmann::json& j);
nlohmann::json to_json(const Estimate& e);
// A priced deployment: capex, yearly costs by kind, TCO, cost per million, currency.
nlohmann::json to_json(const CostBreakdown& c);

}  // namespace hw
