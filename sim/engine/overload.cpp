#include "sim/engine/overload.hpp"

#include "sim/engine/summarize.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace hw {

namespace {

// Streams generated at each simulated site of kind `kind` (the engine matches them by site id).
bool at_kind(const SimInput& in, const StreamExec& st, std::size_t kind) {
  return in.sites[static_cast<std::size_t>(st.site)].id == in.sites[kind].id;
}

// Mean bytes of a request's payload at the source (trace sizes where given, 0 = payload).
double mean_payload(const StreamExec& s, double horizon_s) {
  if (s.arrival.kind != ArrivalKind::trace || s.trace_sizes.empty()) return s.payload.si();
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.trace_times.size() && s.trace_times[i] < horizon_s; ++i) {
    const double b = i < s.trace_sizes.size() ? s.trace_sizes[i] : 0.0;
    sum += b > 0 ? b : s.payload.si();
    ++n;
  }
  return n ? sum / static_cast<double>(n) : s.payload.si();
}

// Share of a stream's requests that reach stage k (stage 0's own fraction is not applied,
// as in the engine: fractions filter between stages).
double reach(const StreamExec& s, std::size_t k) {
  double r = 1.0;
  for (std::size_t i = 1; i <= k && i < s.stages.size(); ++i) r *= s.stages[i].fraction;
  return r;
}

// Best per-item service time of a stage on a tier that batches up to max_batch (the engine
// runs a batch of b items in service_s[min(b, size) - 1]).
double best_per_item(const StageExec& st, int max_batch) {
  const std::size_t m = st.service_s.size();
  if (m == 0) return 0.0;
  double best = INFINITY;
  for (int b = 1; b <= std::max(1, max_batch); ++b) {
    const std::size_t i = std::min(static_cast<std::size_t>(b), m) - 1;
    best = std::min(best, st.service_s[i] / b);
  }
  return best;
}

}  // namespace

double stream_rate(const StreamExec& s, double horizon_s) {
  const Arrival& a = s.arrival;
  const double total = a.rate.si() * s.sources;
  switch (a.kind) {
    case ArrivalKind::periodic:
    case ArrivalKind::poisson:
    case ArrivalKind::bursty: return total;
    case ArrivalKind::diurnal: {
      if (a.hourly.empty() || horizon_s <= 0) return total;
      double area = 0;  // integral of the hourly multiplier over [0, horizon], from the start hour
      for (double t = 0; t < horizon_s; t += 3600.0) area += hourly_multiplier(a, t) * std::min(3600.0, horizon_s - t);
      return total * area / horizon_s;
    }
    case ArrivalKind::trace: {
      if (horizon_s <= 0) return 0;
      const auto n = std::count_if(s.trace_times.begin(), s.trace_times.end(), [&](double t) { return t < horizon_s; });
      return static_cast<double>(n) / horizon_s;
    }
  }
  return total;
}

LongRunLoad tier_load(const SimInput& in, Tier tier, int site_kind) {
  const TierSpec& ts = tier == Tier::dc ? in.dc : in.edge;
  const double horizon = in.duration.si();
  double visits = 0, work = 0;  // items/s, busy slot-seconds per second
  for (std::size_t kind = 0; kind < in.sites.size(); ++kind) {
    if (tier == Tier::edge && static_cast<int>(kind) != site_kind) continue;
    const double instances = tier == Tier::dc ? in.sites[kind].simulated : 1;
    for (const auto& st : in.streams) {
      if (!at_kind(in, st, kind)) continue;
      const double lambda = stream_rate(st, horizon) * instances;
      for (std::size_t k = 0; k < st.stages.size(); ++k) {
        if (st.stages[k].tier != tier) continue;
        const double v = lambda * reach(st, k);
        visits += v;
        work += v * best_per_item(st.stages[k], ts.max_batch);
      }
    }
  }
  LongRunLoad l;
  const double servers = static_cast<double>(ts.slots) * ts.units;
  l.offered = visits;
  if (servers > 0) l.capacity = work > 0 ? servers * visits / work : INFINITY;
  return l;
}

namespace {

// Bytes per second over one direction of one link of a simulated site of kind `kind`, each
// stream at rate(stream) requests per second (link_load: its rate over the run).
template <class Rate> double link_bytes(const SimInput& in, std::size_t kind, bool backhaul, bool up, double horizon, Rate rate) {
  double bytes = 0;  // per second
  for (const auto& st : in.streams) {
    if (!at_kind(in, st, kind) || st.stages.empty()) continue;
    const double lambda = rate(st);
    const std::size_t n = st.stages.size();
    if (!backhaul && up) bytes += lambda * mean_payload(st, horizon);  // every payload leaves the source
    if (!backhaul && !up && st.return_result) bytes += lambda * st.result.si();  // every request's result comes back
    if (backhaul && up) {
      if (st.stages[0].tier == Tier::dc) bytes += lambda * mean_payload(st, horizon);
      for (std::size_t k = 1; k < n; ++k) {  // a stage's output forwarded to the data centre
        if (st.stages[k].tier != st.stages[k - 1].tier) bytes += lambda * reach(st, k) * st.stages[k - 1].output.si();
      }
    }
    if (backhaul && !up && st.return_result) {
      // Results of the requests whose last stage ran in the data centre.
      for (std::size_t k = 0; k < n; ++k) {
        if (st.stages[k].tier != Tier::dc) continue;
        const double last_here = reach(st, k) * (k + 1 < n ? 1.0 - st.stages[k + 1].fraction : 1.0);
        bytes += lambda * last_here * st.result.si();
      }
    }
  }
  return bytes;
}

// Busy slot-seconds per second a tier is offered by every represented site (each stream
// weighted by its site kind's count), each stream at rate(stream) requests per second.
template <class Rate> double tier_work(const SimInput& in, Tier tier, Rate rate) {
  const TierSpec& ts = tier == Tier::dc ? in.dc : in.edge;
  double work = 0;
  for (const auto& st : in.streams) {
    if (st.site < 0 || static_cast<std::size_t>(st.site) >= in.sites.size()) continue;
    const double lambda = rate(st) * in.sites[static_cast<std::size_t>(st.site)].count;
    for (std::size_t k = 0; k < st.stages.size(); ++k) {
      if (st.stages[k].tier == tier) work += lambda * reach(st, k) * best_per_item(st.stages[k], ts.max_batch);
    }
  }
  return work;
}

bool any_diurnal(const SimInput& in) {
  return std::any_of(in.streams.begin(), in.streams.end(),
                     [](const StreamExec& st) { return st.arrival.kind == ArrivalKind::diurnal && !st.arrival.hourly.empty(); });
}

// The day's figure over the window's; 1 where the window offered nothing (nothing to scale).
double ratio(double day, double window) { return window > 0 && std::isfinite(day / window) ? day / window : 1.0; }

}  // namespace

double stream_day_rate(const StreamExec& s, double horizon_s) {
  const Arrival& a = s.arrival;
  if (a.kind != ArrivalKind::diurnal || a.hourly.empty()) return stream_rate(s, horizon_s);
  double sum = 0;
  for (double m : a.hourly) sum += m;
  return a.rate.si() * s.sources * sum / static_cast<double>(a.hourly.size());
}

double tier_day_scale(const SimInput& in, Tier tier, double horizon_s) {
  if (!any_diurnal(in) || horizon_s <= 0) return 1.0;
  return ratio(tier_work(in, tier, [&](const StreamExec& st) { return stream_day_rate(st, horizon_s); }),
               tier_work(in, tier, [&](const StreamExec& st) { return stream_rate(st, horizon_s); }));
}

double link_day_scale(const SimInput& in, int site_kind, bool backhaul, double horizon_s) {
  if (!any_diurnal(in) || horizon_s <= 0 || site_kind < 0 || static_cast<std::size_t>(site_kind) >= in.sites.size()) return 1.0;
  const auto kind = static_cast<std::size_t>(site_kind);
  auto both = [&](auto rate) { return link_bytes(in, kind, backhaul, true, horizon_s, rate) + link_bytes(in, kind, backhaul, false, horizon_s, rate); };
  return ratio(both([&](const StreamExec& st) { return stream_day_rate(st, horizon_s); }),
               both([&](const StreamExec& st) { return stream_rate(st, horizon_s); }));
}

LongRunLoad link_load(const SimInput& in, int site_kind, bool backhaul, bool up) {
  const auto kind = static_cast<std::size_t>(site_kind);
  const double horizon = in.duration.si();
  const double bytes = link_bytes(in, kind, backhaul, up, horizon, [&](const StreamExec& st) { return stream_rate(st, horizon); });
  const SiteExec& se = in.sites[kind];
  return LongRunLoad{bytes * 8.0, (backhaul ? se.backhaul : se.access).bandwidth.si()};
}

OverloadWatch::OverloadWatch(std::string where, std::string note, std::string unit, LongRunLoad load)
    : where_(std::move(where)), note_(std::move(note)), unit_(std::move(unit)), load_(load) {}

bool OverloadWatch::certain() const {
  return load_.capacity > 0 && std::isfinite(load_.capacity) && load_.offered > load_.capacity * (1 + 1e-9);
}

bool OverloadWatch::observe(const OverloadWindow& w) {
  const bool grew = w.backlog > last_backlog_;
  last_backlog_ = w.backlog;
  if (w.saturated && grew && w.seconds > 0) {
    streak_.push_back(w);
    if (streak_.size() > static_cast<std::size_t>(kOverloadWindows)) streak_.pop_front();
  } else {
    streak_.clear();
  }
  return certain() && streak_.size() == static_cast<std::size_t>(kOverloadWindows) && measured_offered() > load_.capacity;
}

double OverloadWatch::measured_offered() const {
  double offered = 0, seconds = 0;
  for (const auto& w : streak_) {
    offered += w.offered;
    seconds += w.seconds;
  }
  return seconds > 0 ? offered / seconds : 0.0;
}

Overload OverloadWatch::overload(double at_s) const { return Overload{where_, measured_offered(), load_.capacity, unit_, at_s}; }

std::string format_rate(double value, const std::string& unit) {
  if (unit == "bit/s") return format_bitrate(BitsPerSecond(value));
  // Four significant digits, without an exponent for large rates.
  return value >= 1e4 ? fmt::format("{:.0f} {}", value, unit) : fmt::format("{:.4g} {}", value, unit);
}

std::string describe(const Overload& o, const std::string& note) {
  return fmt::format("{}{} overloaded, offered {} against a capacity of {}", o.where, note.empty() ? "" : " (" + note + ")",
                     format_rate(o.offered, o.unit), format_rate(o.capacity, o.unit));
}

std::string budget_exceeded_before_any_stop(const SimInput& in) {
  const std::uint64_t budget = in.engine.event_budget;
  if (budget == 0) return "";
  const double duration = in.duration.si(), warmup = in.warmup.si();
  const double batch = (duration - warmup) / static_cast<double>(run_batches(in));
  const double earliest = std::min({duration, warmup + batch, (kOverloadWindows - 1) * batch});
  double rate = 0;
  for (const auto& st : in.streams) {
    if (st.llm || (st.arrival.kind != ArrivalKind::poisson && st.arrival.kind != ArrivalKind::periodic)) continue;
    if (st.site < 0 || static_cast<std::size_t>(st.site) >= in.sites.size()) continue;
    rate += st.arrival.rate.si() * st.sources * in.sites[static_cast<std::size_t>(st.site)].simulated;
  }
  const double expected = rate * earliest;
  if (!(expected > 2.0 * static_cast<double>(budget) + 100.0)) return "";
  return fmt::format("{}: about {:.3g} requests ({:.3g} a simulated second) would be created by {} simulated, before the "
                     "earliest this {} run could stop; nothing was simulated (EngineOptions.event_budget = {}); "
                     "shorten the duration, lower the load or raise the budget",
                     kEventBudgetExceeded, expected, rate, format_sim_time(earliest), format_sim_time(duration), budget);
}

}  // namespace hw
