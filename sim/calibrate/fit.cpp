#include "sim/calibrate/fit.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <utility>

namespace hw::calib {

Stage gemm_stage(double m, double n, double k, double element_bytes) {
  const double items = std::min(m, n);
  const double other = std::max(m, n);
  Stage s;
  s.items = items;
  s.flops = 2.0 * m * n * k;
  s.weight_bytes = k * other * element_bytes;  // the operand shared by all items
  s.item_bytes = (k + other) * element_bytes;  // one input row in, one output row out
  return s;
}

Stage stream_stage(double bytes) {
  Stage s;
  s.weight_bytes = bytes;
  return s;
}

double stage_time(const RooflineParams& p, const Stage& s) {
  const double b = std::max(1.0, s.items);
  // compute: F / (P * b / (b + h)) = F * (1 + h/b) / P
  const double compute =
      s.flops > 0 ? s.flops * (1.0 + p.half_batch / b) / p.compute_flops_per_s : 0.0;
  // memory: (W + b*A) / B
  const double memory = (s.weight_bytes + b * s.item_bytes) / p.bandwidth_bytes_per_s;
  return p.overhead_s + std::max(compute, memory);
}

double predict_time(const RooflineParams& p, const std::vector<Stage>& stages) {
  double t = 0.0;
  for (const auto& s : stages) t += stage_time(p, s);
  return t;
}

// ---------------------------------------------------------------- Nelder-Mead

namespace {

using Objective = std::function<double(const std::vector<double>&)>;

struct Minimum {
  std::vector<double> x;
  double f = 0.0;
};

// Nelder-Mead with the standard coefficients (reflect 1, expand 2, contract 1/2,
// shrink 1/2), started from a simplex of `step` along each axis.
Minimum nelder_mead(const Objective& f, std::vector<double> x0, double step, int max_evals,
                    int& evals) {
  const std::size_t d = x0.size();
  std::vector<std::vector<double>> pts(d + 1, x0);
  std::vector<double> val(d + 1);
  for (std::size_t i = 0; i < d; ++i) pts[i + 1][i] += step;
  for (std::size_t i = 0; i <= d; ++i) val[i] = f(pts[i]), ++evals;
  std::vector<std::size_t> order(d + 1);
  auto along = [&](const std::vector<double>& c, const std::vector<double>& w, double t) {
    std::vector<double> r(d);
    for (std::size_t j = 0; j < d; ++j) r[j] = c[j] + t * (w[j] - c[j]);
    return r;
  };
  int local = 0;
  while (local < max_evals) {
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return val[a] < val[b]; });
    const std::size_t best = order.front(), worst = order.back(), second = order[d - 1];
    if (std::abs(val[worst] - val[best]) < 1e-14 * (1.0 + std::abs(val[best]))) {
      double size = 0.0;
      for (std::size_t i = 0; i <= d; ++i)
        for (std::size_t j = 0; j < d; ++j)
          size = std::max(size, std::abs(pts[i][j] - pts[best][j]));
      if (size < 1e-9) break;
    }
    std::vector<double> c(d, 0.0);
    for (std::size_t i = 0; i <= d; ++i) {
      if (i == worst) continue;
      for (std::size_t j = 0; j < d; ++j) c[j] += pts[i][j] / static_cast<double>(d);
    }
    auto xr = along(c, pts[worst], -1.0);
    const double fr = f(xr);
    ++local;
    if (fr < val[best]) {
      auto xe = along(c, pts[worst], -2.0);
      const double fe = f(xe);
      ++local;
      if (fe < fr)
        pts[worst] = xe, val[worst] = fe;
      else
        pts[worst] = xr, val[worst] = fr;
    } else if (fr < val[second]) {
      pts[worst] = xr, val[worst] = fr;
    } else {
      const bool outside = fr < val[worst];
      auto xc = along(c, outside ? xr : pts[worst], 0.5);
      const double fc = f(xc);
      ++local;
      if (fc < (outside ? fr : val[worst])) {
        pts[worst] = xc, val[worst] = fc;
      } else {
        for (std::size_t i = 0; i <= d; ++i) {
          if (i == best) continue;
          pts[i] = along(pts[best], pts[i], 0.5);
          val[i] = f(pts[i]);
          ++local;
        }
      }
    }
  }
  evals += local;
  std::size_t best =
      static_cast<std::size_t>(std::min_element(val.begin(), val.end()) - val.begin());
  return {pts[best], val[best]};
}

double total_flops(const Observation& o) {
  double s = 0.0;
  for (const auto& st : o.stages) s += st.flops;
  return s;
}
double total_bytes(const Observation& o) {
  double s = 0.0;
  for (const auto& st : o.stages) s += st.weight_bytes + std::max(1.0, st.items) * st.item_bytes;
  return s;
}

}  // namespace

FitResult fit_roofline(const std::vector<Observation>& obs, const FitOptions& fixed) {
  assert(!obs.empty());
  // Starting values from the data: the best rates seen, a tenth of the shortest time.
  double p0 = 0.0, b0 = 0.0, tmin = std::numeric_limits<double>::max();
  for (const auto& o : obs) {
    p0 = std::max(p0, total_flops(o) / o.seconds);
    b0 = std::max(b0, total_bytes(o) / o.seconds);
    tmin = std::min(tmin, o.seconds / std::max<std::size_t>(1, o.stages.size()));
  }
  if (p0 <= 0) p0 = 1e9;
  if (b0 <= 0) b0 = 1e9;

  // Free parameters live in log space inside a box around the starting values.
  struct Axis {
    double* target;
    double lo, hi;  // bounds of the log value
    double start;
  };
  RooflineParams cur;
  std::vector<Axis> axes;
  auto axis = [&](const std::optional<double>& fix, double& target, double start, double lo,
                  double hi) {
    if (fix)
      target = *fix;
    else
      axes.push_back({&target, std::log(lo), std::log(hi), std::log(start)});
  };
  axis(fixed.compute_flops_per_s, cur.compute_flops_per_s, p0, p0 / 100, p0 * 100);
  {
    const double hi =
        fixed.max_bandwidth_bytes_per_s ? *fixed.max_bandwidth_bytes_per_s : b0 * 1000;
    const double lo = std::min(b0 / 100, hi / 100);
    axis(fixed.bandwidth_bytes_per_s, cur.bandwidth_bytes_per_s, std::min(b0, hi), lo, hi);
  }
  axis(fixed.half_batch, cur.half_batch, 4.0, 1e-4, 1e5);
  axis(fixed.overhead_s, cur.overhead_s, std::max(tmin / 10, 1e-9), kOverheadFloorS, std::max(tmin, 1e-9));

  auto apply = [&](const std::vector<double>& x) {
    for (std::size_t i = 0; i < axes.size(); ++i)
      *axes[i].target = std::exp(std::clamp(x[i], axes[i].lo, axes[i].hi));
  };
  auto sse = [&](const std::vector<double>& x) {
    apply(x);
    double s = 0.0;
    for (const auto& o : obs) {
      const double e = std::log(predict_time(cur, o.stages) / o.seconds);
      s += e * e;
    }
    // Outside the box the objective grows, so the simplex comes back in.
    for (std::size_t i = 0; i < axes.size(); ++i) {
      const double out = std::max(axes[i].lo - x[i], x[i] - axes[i].hi);
      if (out > 0) s += out * out;
    }
    return s;
  };

  FitResult r;
  if (axes.empty()) {
    r.params = cur;
  } else {
    // Several starts for h (which trades against t0 and P), each refined by restarts
    // from the best point until they stop improving.
    Minimum best{{}, std::numeric_limits<double>::max()};
    for (double h_start : {0.5, 8.0, 100.0}) {
      std::vector<double> x0;
      for (const auto& a : axes)
        x0.push_back(a.target == &cur.half_batch ? std::log(h_start) : a.start);
      Minimum m = nelder_mead(sse, x0, 0.7, 4000, r.evaluations);
      for (int restart = 0; restart < 6; ++restart) {
        Minimum again = nelder_mead(sse, m.x, 0.2, 4000, r.evaluations);
        const bool done = again.f > m.f - 1e-12;
        if (again.f < m.f) m = again;
        if (done) break;
      }
      if (m.f < best.f) best = m;
    }
    apply(best.x);
    r.params = cur;
  }
  double s = 0.0;
  for (const auto& o : obs) {
    const double e = std::log(predict_time(r.params, o.stages) / o.seconds);
    s += e * e;
  }
  r.rms_log_error = std::sqrt(s / static_cast<double>(obs.size()));
  return r;
}

// ---------------------------------------------------------------- statistics

SampleStats summarize(std::vector<double> v) {
  SampleStats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  auto q = [&](double f) {
    const double pos = f * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
  };
  s.count = static_cast<int>(v.size());
  s.min = v.front();
  s.max = v.back();
  s.median = q(0.5);
  s.p10 = q(0.1);
  s.p90 = q(0.9);
  return s;
}

RoundStats summarize_rounds(const std::vector<std::vector<double>>& rounds) {
  RoundStats r;
  std::vector<double> pooled, medians;
  for (const auto& round : rounds) {
    if (round.empty()) continue;
    pooled.insert(pooled.end(), round.begin(), round.end());
    medians.push_back(summarize(round).median);
  }
  r.all = summarize(std::move(pooled));
  if (medians.empty()) return r;
  const auto [lo, hi] = std::minmax_element(medians.begin(), medians.end());
  r.best_round = *lo;
  r.round_spread = *lo > 0 ? (*hi - *lo) / *lo : 0.0;
  return r;
}

QuietCycles quiet_cycle_times(const std::vector<std::vector<double>>& cycles, double fraction,
                              int min_cycles) {
  QuietCycles q;
  if (cycles.empty()) return q;
  const std::size_t kernels = cycles.front().size();
  std::vector<double> typical(kernels, 0.0);
  for (std::size_t k = 0; k < kernels; ++k) {
    std::vector<double> column;
    for (const auto& c : cycles) column.push_back(c.at(k));
    typical[k] = summarize(std::move(column)).median;
  }
  std::vector<std::pair<double, int>> index;
  for (std::size_t c = 0; c < cycles.size(); ++c) {
    double sum = 0.0;
    for (std::size_t k = 0; k < kernels; ++k) sum += typical[k] > 0 ? cycles[c][k] / typical[k] : 1.0;
    index.emplace_back(kernels > 0 ? sum / static_cast<double>(kernels) : 0.0, static_cast<int>(c));
  }
  std::stable_sort(index.begin(), index.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  const int n = static_cast<int>(cycles.size());
  const int take = std::clamp(static_cast<int>(std::ceil(fraction * n)), std::min(min_cycles, n), n);
  for (int i = 0; i < take; ++i) q.chosen.push_back(index[static_cast<std::size_t>(i)].second);
  for (std::size_t k = 0; k < kernels; ++k) {
    std::vector<double> column;
    for (int c : q.chosen) column.push_back(cycles[static_cast<std::size_t>(c)][k]);
    q.seconds.push_back(summarize(std::move(column)).median);
  }
  return q;
}

bool overhead_unresolved_s(double overhead_s) { return overhead_s < 2 * kOverheadFloorS; }

double relative_error(double predicted, double measured) {
  return (predicted - measured) / measured;
}

double median_abs(const std::vector<double>& values) {
  std::vector<double> a;
  for (double v : values) a.push_back(std::abs(v));
  return summarize(std::move(a)).median;
}

ProfileFactors profile_factors(const RooflineParams& fitted, double reference_flops_per_s,
                               double reference_bandwidth_bytes_per_s) {
  ProfileFactors f;
  f.peak_flops_per_s = std::max(reference_flops_per_s, fitted.compute_flops_per_s);
  f.efficiency_compute = fitted.compute_flops_per_s / f.peak_flops_per_s;
  f.bandwidth_bytes_per_s = std::max(reference_bandwidth_bytes_per_s, fitted.bandwidth_bytes_per_s);
  f.efficiency_memory = fitted.bandwidth_bytes_per_s / f.bandwidth_bytes_per_s;
  f.half_batch = fitted.half_batch;
  f.overhead_s = fitted.overhead_s;
  return f;
}

double rapl_joules(std::uint64_t before_uj, std::uint64_t after_uj, std::uint64_t max_range_uj) {
  // The counter counts up and restarts from zero after max_range_uj.
  const std::uint64_t delta =
      after_uj >= before_uj ? after_uj - before_uj : max_range_uj - before_uj + after_uj;
  return static_cast<double>(delta) * 1e-6;
}

std::string sanitize_id(const std::string& text) {
  std::string out;
  bool dash = false;
  for (char ch : text) {
    const char c = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += c;
    } else {
      dash = true;
    }
  }
  return out.empty() ? "localhost" : out;
}

}  // namespace hw::calib
