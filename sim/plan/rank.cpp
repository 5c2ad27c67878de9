#include "sim/plan/rank.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hw {

std::vector<std::size_t> rank_by_tco(const std::vector<RankEntry>& e) {
  std::vector<std::size_t> r;
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (e[i].feasible) r.push_back(i);
  }
  std::sort(r.begin(), r.end(), [&](std::size_t a, std::size_t b) { return e[a].tco < e[b].tco; });
  return r;
}

std::vector<bool> pareto_front(const std::vector<RankEntry>& e, const std::vector<std::size_t>& ranking) {
  std::vector<bool> front(e.size(), false);
  for (std::size_t i : ranking) {
    bool dominated = false;
    for (std::size_t j : ranking) {
      if (i == j) continue;
      const double ti = e[i].tco, tj = e[j].tco;
      const double pi = e[i].closeness, pj = e[j].closeness;
      if (tj <= ti && pj <= pi && (tj < ti || pj < pi)) dominated = true;
    }
    front[i] = !dominated;
  }
  return front;
}

PriceCrossover price_crossover(const std::vector<double>& tco_at_1, const std::vector<double>& tco_at_2,
                               const std::vector<std::size_t>& ranking, std::size_t winner) {
  const double bw = tco_at_2[winner] - tco_at_1[winner], aw = tco_at_1[winner] - bw;
  double up = std::numeric_limits<double>::infinity(), down = 0;
  std::size_t up_by = winner, down_by = winner;
  for (std::size_t i : ranking) {
    if (i == winner) continue;
    const double bi = tco_at_2[i] - tco_at_1[i], ai = tco_at_1[i] - bi;
    // Parallel lines never cross; slopes equal within the rounding of the TCOs they come
    // from count as parallel (adas: two boxes with the same traffic read "above x3.78e+15").
    const double scale = std::max({std::abs(tco_at_2[i]), std::abs(tco_at_2[winner]), 1.0});
    if (std::abs(bi - bw) <= 1e-9 * scale) continue;
    const double m = (aw - ai) / (bi - bw);
    if (m <= 0) continue;
    if (bi < bw && m > 1 && m < up) {  // i gains as the price rises
      up = m;
      up_by = i;
    }
    if (bi > bw && m < 1 && m > down) {  // i gains as the price falls
      down = m;
      down_by = i;
    }
  }
  PriceCrossover x;
  if (down_by != winner) x.below = PriceFlip{down, down_by};
  if (up_by != winner) x.above = PriceFlip{up, up_by};
  return x;
}

}  // namespace hw
