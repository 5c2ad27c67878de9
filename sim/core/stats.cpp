#include "sim/core/stats.hpp"

#include <algorithm>
#include <cmath>

namespace hw {

LogHistogram::LogHistogram(double lo, double hi, double rel_error)
    : lo_(lo), log_lo_(std::log(lo)), log_r_(std::log1p(2.0 * rel_error)), rel_error_(rel_error) {
  n_ = static_cast<std::size_t>(std::ceil((std::log(hi) - log_lo_) / log_r_)) + 2;
}

std::size_t LogHistogram::bin_of(double x) const {
  if (!(x >= lo_)) return 0;
  auto i = static_cast<std::size_t>((std::log(x) - log_lo_) / log_r_) + 1;
  return std::min(i, n_ - 1);
}

double LogHistogram::centre(std::size_t bin) const {
  if (bin == 0) return lo_;
  if (bin == n_ - 1) return max_;
  // geometric centre of [lo r^(i-1), lo r^i)
  return std::exp(log_lo_ + (static_cast<double>(bin) - 0.5) * log_r_);
}

void LogHistogram::cover(std::size_t from, std::size_t to) {
  if (bins_.empty()) {
    first_ = from;
    bins_.assign(to - from + 1, 0);
    return;
  }
  if (from < first_) {
    bins_.insert(bins_.begin(), first_ - from, 0);
    first_ = from;
  }
  if (to >= first_ + bins_.size()) bins_.resize(to - first_ + 1, 0);
}

void LogHistogram::add(double x) {
  const std::size_t b = bin_of(x);
  cover(b, b);
  ++bins_[b - first_];
  ++count_;
  sum_ += x;
  max_ = std::max(max_, x);
}

void LogHistogram::merge(const LogHistogram& o) {
  // Bins beyond our own n_ are dropped, as when both stored every bin.
  if (!o.bins_.empty() && o.first_ < n_) {
    const std::size_t last = std::min(o.first_ + o.bins_.size(), n_) - 1;
    cover(o.first_, last);
    for (std::size_t i = o.first_; i <= last; ++i) bins_[i - first_] += o.bins_[i - o.first_];
  }
  count_ += o.count_;
  sum_ += o.sum_;
  max_ = std::max(max_, o.max_);
}

double LogHistogram::quantile(double q) const {
  if (count_ == 0) return 0.0;
  // smallest bin whose cumulative count reaches ceil(q * n)
  auto rank = static_cast<std::uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(count_)));
  rank = std::max<std::uint64_t>(rank, 1);
  std::uint64_t cum = 0;
  for (std::size_t k = 0; k < bins_.size(); ++k) {
    cum += bins_[k];
    if (cum >= rank) return std::min(centre(first_ + k), max_);
  }
  return max_;
}

double LogHistogram::fraction_above(double x) const {
  if (count_ == 0) return 0.0;
  std::uint64_t above = 0;
  for (std::size_t i = std::max(bin_of(x) + 1, first_); i < first_ + bins_.size(); ++i) above += bins_[i - first_];
  return static_cast<double>(above) / static_cast<double>(count_);
}

double t_975(int dof) {
  static const double table[] = {0,     12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365,
                                 2.306, 2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
                                 2.120, 2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069,
                                 2.064, 2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
  if (dof <= 0) return INFINITY;
  if (dof <= 30) return table[dof];
  return 1.960 + 2.4 / dof;  // close to the exact values beyond 30
}

Estimate batch_means(double overall, const std::vector<double>& per_batch) {
  Estimate e{overall, overall, overall};
  const auto k = per_batch.size();
  if (k < 2) return e;
  double mean = 0.0;
  for (double v : per_batch) mean += v;
  mean /= static_cast<double>(k);
  double var = 0.0;
  for (double v : per_batch) var += (v - mean) * (v - mean);
  var /= static_cast<double>(k - 1);
  double hw = t_975(static_cast<int>(k) - 1) * std::sqrt(var / static_cast<double>(k));
  e.ci_low = overall - hw;
  e.ci_high = overall + hw;
  return e;
}

Estimate nonnegative(Estimate e) {
  e.ci_low = std::max(0.0, e.ci_low);
  return e;
}

}  // namespace hw
