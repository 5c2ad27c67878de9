// Ranking, the Pareto front and price crossovers: pure arithmetic on sized candidates'
// costs and closeness, tested without simulation (tests/unit/test_rank.cpp).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace hw {

struct RankEntry {
  bool feasible = false;
  double tco = 0;
  double closeness = 0;  // worst latency / SLO (or makespan / deadline): 1 is on target
};

// Indices of the feasible entries, cheapest first.
std::vector<std::size_t> rank_by_tco(const std::vector<RankEntry>& e);

// For each entry: on the Pareto front of TCO against closeness among the ranked ones (no
// other ranked entry is at least as good on both and better on one). Unranked: false.
std::vector<bool> pareto_front(const std::vector<RankEntry>& e, const std::vector<std::size_t>& ranking);

// TCO is linear in a price multiplier m: TCO_i(m) = A_i + m B_i. From every candidate's
// TCO at m = 1 and m = 2, the nearest multipliers above and below 1 at which a ranked
// candidate becomes cheaper than the winner, and which one.
struct PriceFlip {
  double multiplier = 0;
  std::size_t candidate = 0;
};
struct PriceCrossover {
  std::optional<PriceFlip> below, above;
};
PriceCrossover price_crossover(const std::vector<double>& tco_at_1, const std::vector<double>& tco_at_2,
                               const std::vector<std::size_t>& ranking, std::size_t winner);

}  // namespace hw
