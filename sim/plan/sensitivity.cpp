#include "sim/plan/sensitivity.hpp"

#include <algorithm>
#include <cmath>

namespace hw {

LoadCrossoverSearch::LoadCrossoverSearch(bool changes_at_half, bool changes_at_twice, int steps) {
  if (changes_at_twice) {
    bracket_ = std::pair{1.0, 2.0};
  } else if (changes_at_half) {
    bracket_ = std::pair{1.0, 0.5};
  }
  steps_left_ = bracket_ ? std::max(0, steps) : 0;
}

std::optional<double> LoadCrossoverSearch::next() const {
  if (!bracket_ || steps_left_ == 0) return std::nullopt;
  return std::sqrt(bracket_->first * bracket_->second);
}

void LoadCrossoverSearch::record(bool changed) {
  const std::optional<double> mid = next();
  if (!mid) return;
  (changed ? bracket_->second : bracket_->first) = *mid;
  --steps_left_;
}

double LoadCrossoverSearch::low() const { return bracket_ ? std::min(bracket_->first, bracket_->second) : 1.0; }
double LoadCrossoverSearch::high() const { return bracket_ ? std::max(bracket_->first, bracket_->second) : 1.0; }
double LoadCrossoverSearch::estimate() const { return bracket_ ? std::sqrt(bracket_->first * bracket_->second) : 1.0; }

}  // namespace hw
