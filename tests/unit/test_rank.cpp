// Ranking, Pareto front and price crossovers on hand-made numbers.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/plan/rank.hpp"

using namespace hw;

TEST_CASE("rank: feasible candidates only, cheapest first") {
  const std::vector<RankEntry> e{{true, 300, 0.9}, {false, 100, 1.5}, {true, 200, 0.95}, {true, 250, 0.5}};
  CHECK(rank_by_tco(e) == std::vector<std::size_t>{2, 3, 0});
}

TEST_CASE("rank: the Pareto front keeps what no other candidate beats on both cost and tail latency") {
  const std::vector<RankEntry> e{{true, 300, 0.9}, {false, 100, 0.1}, {true, 200, 0.95}, {true, 250, 0.5}, {true, 260, 0.5}};
  const auto r = rank_by_tco(e);
  const auto f = pareto_front(e, r);
  CHECK(f[2]);         // cheapest
  CHECK(f[3]);         // faster than the cheapest, cheaper than anything faster
  CHECK_FALSE(f[0]);   // 3 is cheaper and faster
  CHECK_FALSE(f[4]);   // same closeness as 3, dearer
  CHECK_FALSE(f[1]);   // infeasible: never on the front
}

TEST_CASE("rank: price crossovers are where the linear TCO lines cross") {
  // Winner 0: 100 + 20 m (TCO 120 at x1, 140 at x2). Candidate 1: 60 + 70 m (130, 200): it is
  // cheaper below m = 0.8. Candidate 2: 150 + 5 m (155, 160): cheaper above m = 50/15 = 3.33.
  const std::vector<double> at1{120, 130, 155}, at2{140, 200, 160};
  const PriceCrossover x = price_crossover(at1, at2, {0, 1, 2}, 0);
  REQUIRE(x.below);
  CHECK(x.below->candidate == 1);
  CHECK(x.below->multiplier == doctest::Approx(0.8));
  REQUIRE(x.above);
  CHECK(x.above->candidate == 2);
  CHECK(x.above->multiplier == doctest::Approx(50.0 / 15.0));
  // Parallel lines never cross.
  const PriceCrossover none = price_crossover({120, 130}, {140, 150}, {0, 1}, 0);
  CHECK_FALSE(none.below);
  CHECK_FALSE(none.above);
  // Slopes equal but for the last bit of a 62 500 USD TCO (one ulp, 7.3e-12 USD): the
  // winner 30 800 + 4 200 m and 58 300 + (4 200 - 7.3e-12) m are parallel, not crossing at
  // m = 27 500 / 7.3e-12 = 3.8e15 (adas' bandwidth line before this rule).
  const PriceCrossover noise =
      price_crossover({30800, 58300}, {35000, std::nextafter(62500.0, 0.0)}, {0, 1}, 0);
  CHECK_FALSE(noise.below);
  CHECK_FALSE(noise.above);
}
