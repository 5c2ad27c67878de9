// Latency statistics: a log-binned histogram with bounded relative error, and
// percentile estimates with 95% confidence intervals by batch means.
#pragma once

#include <cstdint>
#include <vector>

namespace hw {

// Bins are geometric: bin i covers [lo * r^i, lo * r^(i+1)) with r = 1 + 2*rel_error, so
// a value reported at its bin's geometric centre is within rel_error of the truth.
// Values below lo land in an underflow bin reported as lo; above hi in an overflow bin.
class LogHistogram {
 public:
  explicit LogHistogram(double lo = 1e-7, double hi = 1e5, double rel_error = 0.0025);
  void add(double x);
  void merge(const LogHistogram& o);
  [[nodiscard]] std::uint64_t count() const { return count_; }
  [[nodiscard]] double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  [[nodiscard]] double max() const { return max_; }
  // q in [0, 1]; 0 when empty.
  [[nodiscard]] double quantile(double q) const;
  // Fraction of values strictly above x (to bin resolution).
  [[nodiscard]] double fraction_above(double x) const;
  // The relative error of a reported value (its bin's half-width, relative).
  [[nodiscard]] double rel_error() const { return rel_error_; }

 private:
  [[nodiscard]] std::size_t bin_of(double x) const;
  [[nodiscard]] double centre(std::size_t bin) const;
  // Bins 0 .. n_-1 ([0] underflow, [n_-1] overflow, 5,500 bins with the defaults), of which
  // only the range that holds values is stored: bins_[k] is bin first_ + k. A simulation
  // keeps one histogram per stream and batch (40 batches); storing all bins made each one
  // 44 KB, allocated, copied and merged whole in every simulation's child.
  [[nodiscard]] std::uint64_t at(std::size_t bin) const {
    return bin >= first_ && bin - first_ < bins_.size() ? bins_[bin - first_] : 0;
  }
  void cover(std::size_t from, std::size_t to);  // makes bins [from, to] stored
  double lo_, log_lo_, log_r_;
  double rel_error_ = 0.0025;
  std::size_t n_ = 0;
  std::size_t first_ = 0;
  std::vector<std::uint64_t> bins_;
  std::uint64_t count_ = 0;
  double sum_ = 0.0;
  double max_ = 0.0;
};

struct Estimate {
  double value = 0.0;    // point estimate over all batches
  double ci_low = 0.0;   // 95% confidence interval
  double ci_high = 0.0;
  [[nodiscard]] double half_width() const { return 0.5 * (ci_high - ci_low); }
};

// Student t quantile t_{0.975, dof} (exact table for small dof, normal limit beyond).
double t_975(int dof);

// Batch means: the point estimate is the statistic over all samples; the CI comes from
// the spread of the per-batch statistics (batches long enough to be nearly independent).
Estimate batch_means(double overall, const std::vector<double>& per_batch);

// The interval of a quantity that cannot be negative (a latency): a symmetric interval that
// reaches below zero (a few wildly different batches) starts at zero instead.
Estimate nonnegative(Estimate e);

}  // namespace hw
