// Latency statistics (sim/core/stats): LogHistogram quantiles, batch means, t_975.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

#include "sim/core/stats.hpp"

namespace {

// Portable uniform in (0, 1) and normal draws from a fixed-seed mt19937_64 (the
// std distributions are not specified bit-for-bit across libraries).
struct Rng {
  std::mt19937_64 g;
  explicit Rng(std::uint64_t seed) : g(seed) {}
  double uniform() { return (static_cast<double>(g() >> 11) + 0.5) * 0x1.0p-53; }
  double normal() {
    const double u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
};

// Latency-like sample: lognormal around 10 ms with a heavy-ish tail.
std::vector<double> lognormal_sample(std::size_t n, std::uint64_t seed) {
  Rng r(seed);
  std::vector<double> v(n);
  for (auto& x : v) x = 0.010 * std::exp(0.8 * r.normal());
  return v;
}

// Nearest-rank quantile: the ceil(q n)-th smallest value (what LogHistogram estimates).
double exact_quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  rank = std::max<std::size_t>(rank, 1);
  return v[rank - 1];
}

double rel_err(double estimate, double truth) { return std::abs(estimate - truth) / truth; }

}  // namespace

// ------------------------------------------------------------------ LogHistogram

TEST_CASE("stats: LogHistogram quantiles are within 0.25% of the exact quantiles") {
  const auto sample = lognormal_sample(100000, 7);
  hw::LogHistogram h;  // rel_error 0.0025
  for (double x : sample) h.add(x);
  for (double q : {0.0, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0}) {
    CAPTURE(q);
    const double truth = exact_quantile(sample, q);
    CHECK(rel_err(h.quantile(q), truth) <= 0.0025 * (1 + 1e-9));
  }
}

TEST_CASE("stats: LogHistogram honours a coarser relative error (1%)") {
  const auto sample = lognormal_sample(20000, 11);
  hw::LogHistogram h(1e-6, 10.0, 0.01);
  for (double x : sample) h.add(x);
  bool some_error = false;
  for (double q : {0.5, 0.9, 0.99}) {
    CAPTURE(q);
    const double e = rel_err(h.quantile(q), exact_quantile(sample, q));
    CHECK(e <= 0.01 * (1 + 1e-9));
    some_error = some_error || e > 0.0;
  }
  CHECK(some_error);  // the bins really are coarse: the answers are not exact
}

TEST_CASE("stats: LogHistogram count, mean and max are exact") {
  hw::LogHistogram h;
  for (double x : {0.001, 0.002, 0.003, 0.010}) h.add(x);
  CHECK(h.count() == 4);
  CHECK(h.mean() == doctest::Approx(0.004));
  CHECK(h.max() == doctest::Approx(0.010));
}

TEST_CASE("stats: an empty LogHistogram reports zeros") {
  hw::LogHistogram h;
  CHECK(h.count() == 0);
  CHECK(h.mean() == 0.0);
  CHECK(h.quantile(0.99) == 0.0);
  CHECK(h.fraction_above(1.0) == 0.0);
}

TEST_CASE("stats: LogHistogram values below lo are reported as lo") {
  hw::LogHistogram h(1e-3, 1.0, 0.0025);
  h.add(1e-5);
  h.add(2e-5);
  h.add(0.5);
  CHECK(h.quantile(0.5) == doctest::Approx(1e-3));
  CHECK(h.mean() == doctest::Approx((1e-5 + 2e-5 + 0.5) / 3));  // the mean stays exact
}

TEST_CASE("stats: LogHistogram values above hi are reported as the maximum seen") {
  hw::LogHistogram h(1e-3, 1.0, 0.0025);
  h.add(0.5);
  h.add(50.0);
  CHECK(h.quantile(1.0) == doctest::Approx(50.0));
  CHECK(h.quantile(0.5) == doctest::Approx(0.5).epsilon(0.0025));
}

TEST_CASE("stats: LogHistogram quantile never exceeds the maximum") {
  hw::LogHistogram h;
  h.add(0.0123);
  CHECK(h.quantile(1.0) <= 0.0123);
  CHECK(h.quantile(1.0) == doctest::Approx(0.0123).epsilon(0.0025));
}

TEST_CASE("stats: LogHistogram fraction_above counts values in higher bins") {
  hw::LogHistogram h;
  for (int i = 1; i <= 100; ++i) h.add(0.001 * i);  // 1 ms .. 100 ms
  CHECK(h.fraction_above(0.0505) == doctest::Approx(0.5));
  CHECK(h.fraction_above(0.2) == doctest::Approx(0.0));
  CHECK(h.fraction_above(0.0001) == doctest::Approx(1.0));
}

TEST_CASE("stats: merging two LogHistograms equals one fed with both halves") {
  const auto sample = lognormal_sample(10000, 3);
  hw::LogHistogram all, a, b;
  for (std::size_t i = 0; i < sample.size(); ++i) {
    all.add(sample[i]);
    (i % 2 ? a : b).add(sample[i]);
  }
  a.merge(b);
  CHECK(a.count() == all.count());
  CHECK(a.mean() == doctest::Approx(all.mean()));
  CHECK(a.max() == all.max());
  for (double q : {0.5, 0.99}) CHECK(a.quantile(q) == all.quantile(q));
}

// A histogram stores only the range of bins that holds values (a simulation keeps one per
// stream and batch). Ranges that do not overlap, values that arrive high then low (the
// stored range grows at its front), the underflow and overflow bins, and empty
// histograms merged in must all give what one histogram fed every value gives.
TEST_CASE("stats: merges of LogHistograms with disjoint ranges and either order of arrival equal one fed every value") {
  const hw::LogHistogram proto(1e-3, 1.0, 0.0025);
  hw::LogHistogram all = proto, low = proto, high = proto, edges = proto, empty = proto;
  std::vector<double> values;
  for (int i = 0; i < 50; ++i) values.push_back(0.002 * (1 + 0.01 * i));  // 2.00 .. 2.98 ms
  for (int i = 0; i < 50; ++i) values.push_back(0.3 * (1 + 0.01 * i));    // 300 .. 447 ms
  values.push_back(1e-4);                                                  // below lo: underflow bin
  values.push_back(5.0);                                                   // above hi: overflow bin
  for (double x : values) all.add(x);
  for (int i = 49; i >= 0; --i) low.add(values[static_cast<std::size_t>(i)]);  // descending: front growth
  for (int i = 50; i < 100; ++i) high.add(values[static_cast<std::size_t>(i)]);
  edges.add(5.0);
  edges.add(1e-4);  // overflow first, then underflow: the range grows from the top bin to bin 0
  hw::LogHistogram merged = empty;
  merged.merge(high);
  merged.merge(empty);
  merged.merge(low);
  merged.merge(edges);
  CHECK(merged.count() == 102);
  CHECK(merged.max() == 5.0);
  for (double q : {0.0, 0.005, 0.01, 0.25, 0.49, 0.5, 0.51, 0.75, 0.99, 1.0}) {
    CAPTURE(q);
    CHECK(merged.quantile(q) == all.quantile(q));
  }
  // q = 0: the underflow bin, reported as lo; the 51st of 102 values is the 50th of the low
  // ones (2.98 ms, to 0.25%); q = 1: the overflow bin, reported as the maximum seen.
  CHECK(merged.quantile(0.0) == 1e-3);
  CHECK(merged.quantile(0.5) == doctest::Approx(0.00298).epsilon(0.0025));
  CHECK(merged.quantile(1.0) == 5.0);
  for (double x : {1e-5, 0.0025, 0.01, 0.35, 2.0}) {
    CAPTURE(x);
    CHECK(merged.fraction_above(x) == all.fraction_above(x));
  }
  // Above 10 ms: the 50 high values and the overflow one, 51 of 102.
  CHECK(merged.fraction_above(0.01) == doctest::Approx(0.5));
  CHECK(empty.quantile(0.5) == 0.0);
  CHECK(empty.fraction_above(0.01) == 0.0);
}

// ------------------------------------------------------------------ t_975

TEST_CASE("stats: t_975 matches the Student t table for small dof") {
  CHECK(hw::t_975(1) == doctest::Approx(12.706));
  CHECK(hw::t_975(2) == doctest::Approx(4.303));
  CHECK(hw::t_975(4) == doctest::Approx(2.776));
  CHECK(hw::t_975(9) == doctest::Approx(2.262));
  CHECK(hw::t_975(19) == doctest::Approx(2.093));
  CHECK(hw::t_975(30) == doctest::Approx(2.042));
}

TEST_CASE("stats: t_975 beyond the table stays close to the exact values") {
  // Exact t_{0.975}: dof 31 -> 2.0395, 40 -> 2.0211, 60 -> 2.0003, 120 -> 1.9799, 1e4 -> 1.9602.
  CHECK(std::abs(hw::t_975(31) - 2.0395) < 0.005);
  CHECK(std::abs(hw::t_975(40) - 2.0211) < 0.005);
  CHECK(std::abs(hw::t_975(60) - 2.0003) < 0.005);
  CHECK(std::abs(hw::t_975(120) - 1.9799) < 0.005);
  CHECK(std::abs(hw::t_975(10000) - 1.9602) < 0.005);
}

TEST_CASE("stats: t_975 decreases with the degrees of freedom") {
  for (int dof = 1; dof < 200; ++dof) {
    CAPTURE(dof);
    CHECK(hw::t_975(dof + 1) <= hw::t_975(dof));
  }
}

TEST_CASE("stats: t_975 with no degrees of freedom is infinite") {
  CHECK(std::isinf(hw::t_975(0)));
}

// ------------------------------------------------------------------ batch means

TEST_CASE("stats: batch_means by hand on five batches") {
  // mean 3, sample variance 2.5, s/sqrt(k) = sqrt(0.5), t_975(4) = 2.776
  const auto e = hw::batch_means(3.2, {1, 2, 3, 4, 5});
  const double half = 2.776 * std::sqrt(0.5);
  CHECK(e.value == doctest::Approx(3.2));
  CHECK(e.ci_low == doctest::Approx(3.2 - half));   // centred on the overall estimate
  CHECK(e.ci_high == doctest::Approx(3.2 + half));
  CHECK(e.half_width() == doctest::Approx(half));
}

TEST_CASE("stats: a latency's interval starts at zero, not below") {
  // Batches 0.1, 0.1, 0.1, 10 (one slow batch): mean 2.575, sample variance 24.5,
  // s/sqrt(4) = 2.475, t_975(3) = 3.182: half-width 7.875 around 1.0, so [-6.875, 8.875].
  const auto raw = hw::batch_means(1.0, {0.1, 0.1, 0.1, 10});
  REQUIRE(raw.ci_low < 0);
  const auto e = hw::nonnegative(raw);
  CHECK(e.ci_low == 0.0);
  CHECK(e.ci_high == doctest::Approx(raw.ci_high));
  CHECK(e.value == 1.0);
  const auto kept = hw::nonnegative(hw::batch_means(3.2, {1, 2, 3, 4, 5}));  // above zero: unchanged
  CHECK(kept.ci_low == doctest::Approx(3.2 - 2.776 * std::sqrt(0.5)));
}

TEST_CASE("stats: batch_means with fewer than two batches has no interval") {
  const auto e = hw::batch_means(7.0, {6.5});
  CHECK(e.ci_low == 7.0);
  CHECK(e.ci_high == 7.0);
  CHECK(hw::batch_means(7.0, {}).half_width() == 0.0);
}

TEST_CASE("stats: batch_means of identical batches has zero width") {
  CHECK(hw::batch_means(4.0, {4, 4, 4, 4}).half_width() == doctest::Approx(0.0));
}

TEST_CASE("stats: batch_means 95% intervals cover the true mean about 95% of the time") {
  // 2000 experiments of 10 batches; each batch mean ~ N(5, 1). Expected coverage 0.95,
  // standard error of the observed coverage ~0.005.
  Rng r(2024);
  int covered = 0;
  const int experiments = 2000;
  for (int k = 0; k < experiments; ++k) {
    std::vector<double> batches(10);
    double overall = 0.0;
    for (auto& b : batches) {
      b = 5.0 + r.normal();
      overall += b / 10.0;
    }
    const auto e = hw::batch_means(overall, batches);
    if (e.ci_low <= 5.0 && 5.0 <= e.ci_high) ++covered;
  }
  const double coverage = static_cast<double>(covered) / experiments;
  CAPTURE(coverage);
  CHECK(coverage > 0.93);
  CHECK(coverage < 0.97);
}

TEST_CASE("stats: batch_means interval narrows with more batches") {
  Rng r(5);
  std::vector<double> few(5), many(80);
  for (auto& b : few) b = 5.0 + r.normal();
  for (auto& b : many) b = 5.0 + r.normal();
  CHECK(hw::batch_means(5.0, many).half_width() < hw::batch_means(5.0, few).half_width());
}
