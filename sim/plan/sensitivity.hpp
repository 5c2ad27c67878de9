// Where the recommendation changes with load, as a state machine: the planner sizes each
// family's best candidate at load x0.5 and x2; if the winner differs on one side, the load
// multiplier where it changes is bisected (geometric midpoints, a fixed number of steps)
// between x1 and that side. Pure: the planner runs the probes, this only says which load to
// probe next and what the bracket is (tests/unit/test_sensitivity.cpp checks it on made-up
// outcomes, no simulation).
#pragma once

#include <optional>
#include <utility>

namespace hw {

class LoadCrossoverSearch {
 public:
  // changes_at_half / changes_at_twice: whether the winner at load x0.5 / x2 differs from the
  // winner at x1. When both do, the x2 side is searched (growth is the question people ask).
  LoadCrossoverSearch(bool changes_at_half, bool changes_at_twice, int steps = 4);

  // The load multiplier to probe next, or nothing when done (or when neither side changes).
  [[nodiscard]] std::optional<double> next() const;
  // The outcome at next(): does the winner there differ from the winner at x1?
  void record(bool changed);

  [[nodiscard]] bool found() const { return bracket_.has_value(); }  // the winner changes within x0.5..x2
  [[nodiscard]] bool towards_higher_load() const { return found() && bracket_->second > 1.0; }
  // The bracket: the winner is the base winner at one end and another at the other end.
  [[nodiscard]] double low() const;
  [[nodiscard]] double high() const;
  [[nodiscard]] double estimate() const;  // geometric mean of the bracket's ends

 private:
  std::optional<std::pair<double, double>> bracket_;  // (load where the winner is the same, load where it changed)
  int steps_left_ = 0;
};

}  // namespace hw
