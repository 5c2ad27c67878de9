#include "sim/engine/arrivals.hpp"

#include <algorithm>
#include <cmath>
#include <queue>

namespace hw {
namespace {

// Periodic sources, each with a random phase in [0, T) and uniform jitter +-j per item.
class Periodic final : public ArrivalGenerator {
 public:
  Periodic(int sources, double period, double jitter, std::uint64_t seed)
      : period_(period), jitter_(jitter), rng_(seed) {
    std::uniform_real_distribution<double> phase(0.0, period);
    for (int i = 0; i < sources; ++i) heap_.push({phase(rng_), 0});
  }
  bool next(ArrivalEvent& ev) override {
    auto [base, k] = heap_.top();
    heap_.pop();
    heap_.push({base + period_, k + 1});
    double j = 0.0;
    if (jitter_ > 0) j = std::uniform_real_distribution<double>(-jitter_, jitter_)(rng_);
    // Jitter is bounded by half a period, so order between items of one source holds;
    // across sources a jittered item may precede the previous one: clamp to keep time monotone.
    last_ = std::max(last_, base + j);
    ev = {last_, 0.0};
    return true;
  }

 private:
  struct Item {
    double t;
    long k;
    bool operator>(const Item& o) const { return t > o.t; }
  };
  double period_, jitter_;
  double last_ = 0.0;
  std::mt19937_64 rng_;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap_;
};

// Poisson with a rate that may vary in time: rate(t) = base * m(t), by thinning.
class Poisson final : public ArrivalGenerator {
 public:
  Poisson(double rate, std::vector<double> hourly, int start_hour, std::uint64_t seed)
      : rate_(rate), hourly_(std::move(hourly)), start_(start_hour), rng_(seed) {
    max_mult_ = hourly_.empty() ? 1.0 : *std::max_element(hourly_.begin(), hourly_.end());
  }
  bool next(ArrivalEvent& ev) override {
    if (rate_ * max_mult_ <= 0) return false;
    std::exponential_distribution<double> gap(rate_ * max_mult_);
    while (true) {
      t_ += gap(rng_);
      if (hourly_.empty()) break;
      double m = hourly_[hour_of_day(t_, start_) % hourly_.size()];
      if (std::uniform_real_distribution<double>(0, max_mult_)(rng_) < m) break;
    }
    ev = {t_, 0.0};
    return true;
  }

 private:
  double rate_;
  std::vector<double> hourly_;
  int start_ = 0;  // diurnal: the hour of day simulated time 0 falls in
  double max_mult_ = 1.0;
  double t_ = 0.0;
  std::mt19937_64 rng_;
};

// On/off modulated Poisson (MMPP-2 with a silent off state): exponential on and off
// sojourns; Poisson at rate*factor while on, so the mean rate is `rate`.
class OnOff final : public ArrivalGenerator {
 public:
  OnOff(double rate, double on, double off, std::uint64_t seed)
      : on_rate_(rate * (on + off) / on), on_(on), off_(off), rng_(seed) {
    on_end_ = std::exponential_distribution<double>(1.0 / on_)(rng_);
  }
  bool next(ArrivalEvent& ev) override {
    while (true) {
      double gap = std::exponential_distribution<double>(on_rate_)(rng_);
      if (t_ + gap <= on_end_) {
        t_ += gap;
        ev = {t_, 0.0};
        return true;
      }
      // Memoryless: restart the next on period after an off sojourn.
      t_ = on_end_ + std::exponential_distribution<double>(1.0 / off_)(rng_);
      on_end_ = t_ + std::exponential_distribution<double>(1.0 / on_)(rng_);
    }
  }

 private:
  double on_rate_, on_, off_;
  double t_ = 0.0, on_end_ = 0.0;
  std::mt19937_64 rng_;
};

class Trace final : public ArrivalGenerator {
 public:
  explicit Trace(const StreamExec& s) : times_(s.trace_times), sizes_(s.trace_sizes) {}
  bool next(ArrivalEvent& ev) override {
    if (i_ >= times_.size()) return false;
    ev = {times_[i_], i_ < sizes_.size() ? sizes_[i_] : 0.0};
    ++i_;
    return true;
  }

 private:
  const std::vector<double>& times_;
  const std::vector<double>& sizes_;
  std::size_t i_ = 0;
};

}  // namespace

std::unique_ptr<ArrivalGenerator> make_arrivals(const StreamExec& s, std::uint64_t seed) {
  const Arrival& a = s.arrival;
  const double total = a.rate.si() * s.sources;
  switch (a.kind) {
    case ArrivalKind::periodic:
      return std::make_unique<Periodic>(s.sources, 1.0 / a.rate.si(), a.jitter.si(), seed);
    case ArrivalKind::poisson: return std::make_unique<Poisson>(total, std::vector<double>{}, 0, seed);
    case ArrivalKind::diurnal: return std::make_unique<Poisson>(total, a.hourly, diurnal_start_hour(a), seed);
    case ArrivalKind::bursty:
      return std::make_unique<OnOff>(total, a.on_time.si(), a.off_time.si(), seed);
    case ArrivalKind::trace: return std::make_unique<Trace>(s);
  }
  return nullptr;
}

}  // namespace hw
