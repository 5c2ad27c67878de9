// The load-crossover bisection of the sensitivity analysis (sim/plan/sensitivity.hpp), on
// made-up outcomes: no simulation.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "sim/plan/sensitivity.hpp"

using namespace hw;

namespace {

// Runs the search against a rule "does the winner differ at load m?" and returns the loads probed.
std::vector<double> drive(LoadCrossoverSearch& s, const std::function<bool(double)>& changes_at) {
  std::vector<double> probed;
  while (const auto m = s.next()) {
    probed.push_back(*m);
    s.record(changes_at(*m));
  }
  return probed;
}

}  // namespace

TEST_CASE("load crossover: the winner changes above x1.5") {
  // Hand-worked: bracket (1, 2); probes sqrt(2) = 1.414 (same), sqrt(1.414 x 2) = 1.682 (changed),
  // sqrt(1.414 x 1.682) = 1.542 (changed), sqrt(1.414 x 1.542) = 1.477 (same); bracket
  // [1.477, 1.542], estimate sqrt(1.477 x 1.542) = 1.509.
  auto rule = [](double m) { return m >= 1.5; };
  LoadCrossoverSearch s(rule(0.5), rule(2.0));
  const auto probed = drive(s, rule);
  REQUIRE(probed.size() == 4);
  CHECK(probed[0] == doctest::Approx(1.41421).epsilon(1e-4));
  CHECK(probed[1] == doctest::Approx(1.68179).epsilon(1e-4));
  CHECK(probed[2] == doctest::Approx(1.54221).epsilon(1e-4));
  CHECK(probed[3] == doctest::Approx(1.47683).epsilon(1e-4));
  CHECK(s.found());
  CHECK(s.towards_higher_load());
  CHECK(s.low() == doctest::Approx(1.47683).epsilon(1e-4));
  CHECK(s.high() == doctest::Approx(1.54221).epsilon(1e-4));
  CHECK(s.estimate() == doctest::Approx(1.50916).epsilon(1e-4));
  CHECK(s.low() < 1.5);
  CHECK(s.high() >= 1.5);
}

TEST_CASE("load crossover: the winner changes below x0.7") {
  // Hand-worked: bracket (1, 0.5); probes 0.7071 (same), 0.5946 (changed), 0.6484 (changed),
  // 0.6771 (changed); bracket [0.6771, 0.7071], estimate 0.6919.
  auto rule = [](double m) { return m <= 0.7; };
  LoadCrossoverSearch s(rule(0.5), rule(2.0));
  const auto probed = drive(s, rule);
  REQUIRE(probed.size() == 4);
  CHECK(s.found());
  CHECK_FALSE(s.towards_higher_load());
  CHECK(s.low() == doctest::Approx(0.67710).epsilon(1e-4));
  CHECK(s.high() == doctest::Approx(0.70711).epsilon(1e-4));
  CHECK(s.estimate() == doctest::Approx(0.69194).epsilon(1e-4));
}

TEST_CASE("load crossover: the x2 side is searched when both sides change. nothing is probed when neither does") {
  LoadCrossoverSearch both(true, true);
  REQUIRE(both.next());
  CHECK(*both.next() == doctest::Approx(1.41421).epsilon(1e-4));
  CHECK(both.towards_higher_load());

  LoadCrossoverSearch none(false, false);
  CHECK_FALSE(none.next());
  CHECK_FALSE(none.found());
  none.record(true);  // ignored: nothing was asked
  CHECK_FALSE(none.found());

  LoadCrossoverSearch two_steps(false, true, 2);
  CHECK(drive(two_steps, [](double) { return true; }).size() == 2);
  CHECK(two_steps.low() == doctest::Approx(1.0));
  CHECK(two_steps.high() == doctest::Approx(std::sqrt(std::sqrt(2.0))).epsilon(1e-6));
}
