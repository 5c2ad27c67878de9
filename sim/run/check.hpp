#pragma once
// Range checks of a SimInput that arrives from outside the process (`hwplan simulate`,
// `simulate --serve`). The JSON reader checks names and types; this checks values, so that
// a well-typed but impossible input (zero units on a tier a stage runs on, zero slots, a
// batch of zero, a stream on a site that does not exist, a negative or non-finite time)
// is refused with the field's path instead of reaching the engine, where it would divide
// by zero, abort inside SimGrid or never end. The planner builds its inputs from a checked
// scenario and does not need this.
#include "sim/run/json.hpp"
#include "sim/run/types.hpp"

namespace hw {

// Throws JsonFieldError(path, problem) at the first value out of range, e.g.
// ("edge.slots", "0: expected an integer >= 1").
void check_sim_input(const SimInput& in);

}  // namespace hw
