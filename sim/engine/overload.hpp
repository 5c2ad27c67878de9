// Overload: a tier or a link offered more than it can serve, whose backlog can only grow.
// The engine stops such a run early (EngineOptions::stop_on_overload); this is the rule it
// applies, pure (no SimGrid) so that unit tests can feed it windows by hand.
//
// A resource (the edge tier of one simulated site, the data-centre tier, one direction of a
// site's access or backhaul link) is declared overloaded when both hold:
//  1. Certain by the input: its long-run offered load, from the input alone (arrival rates,
//     stage fractions, sizes), exceeds the most it can serve (a tier: slots x units over the
//     mean per-item service time at the best batch size; a link: its bandwidth). A queue
//     offered more than it can serve is not stable, whatever the noise; one offered less is,
//     so a stable system near saturation can never be stopped, however its samples fall.
//  2. Seen in the run: in each of the last kOverloadWindows consecutive windows the resource
//     was saturated (a tier busy at least kSaturated of its slot-time; a link carrying at
//     least kSaturated of its bandwidth when sampled at the window's end) and its backlog
//     (requests at the tier: in transit to it, waiting or in service; transfers on the link
//     not yet received) was strictly higher at the window's end than at its start, and the
//     arrivals measured over those windows exceed the capacity.
// The figures reported (Overload) are the measured arrival rate over those windows and the
// capacity of rule 1.
#pragma once

#include <deque>
#include <string>

#include "sim/run/types.hpp"

namespace hw {

inline constexpr int kOverloadWindows = 4;  // consecutive windows of growth at saturation
inline constexpr double kSaturated = 0.99;  // busy (tier) or carried (link) share that counts as saturated

// Mean arrivals per second of one stream at one simulated site over [0, horizon_s], as its
// generator produces them: rate x sources (periodic, Poisson, bursty: the long-run mean;
// diurnal: times the mean hourly multiplier over the horizon; trace: its timestamps before
// the horizon, over the horizon).
double stream_rate(const StreamExec& s, double horizon_s);

// The same stream's mean arrivals per second over a whole day: a diurnal stream's rate x
// sources x the mean of its 24 multipliers, whatever hours the run covers; any other's
// stream_rate over the horizon.
double stream_day_rate(const StreamExec& s, double horizon_s);

// What a run's per-day figures are scaled by so that a diurnal stream counts at its day's mean,
// not at the hours its window [0, horizon_s] covers (by default its busiest: the figures that
// size a deployment, utilisation and peak link use, stay the window's): the offered work on a
// tier (every represented site, each stream at stream_day_rate) over the same at stream_rate,
// and for one site kind's link the offered bytes of both directions likewise. 1 without a
// diurnal stream, or where the window was offered nothing.
double tier_day_scale(const SimInput& in, Tier tier, double horizon_s);
double link_day_scale(const SimInput& in, int site_kind, bool backhaul, double horizon_s);

// Long-run load of one resource, from the input alone.
struct LongRunLoad {
  double offered = 0;   // mean arrivals into it: items/s (a tier: stage visits) or bit/s (a link)
  double capacity = 0;  // the most it can serve, in the same unit
};

// A tier's load. Edge: the units of one simulated site of kind `site_kind` (index into
// SimInput::sites); dc: the whole data centre (site_kind ignored), fed by every simulated site.
// Per-item service: a stage's best service_s[b-1] / b for b up to the tier's max_batch.
LongRunLoad tier_load(const SimInput& in, Tier tier, int site_kind);

// One direction of one link of one simulated site of kind `site_kind`: payloads and
// hybrid forwards go up (towards the data centre), results down.
LongRunLoad link_load(const SimInput& in, int site_kind, bool backhaul, bool up);

// One measurement window of one resource.
struct OverloadWindow {
  double seconds = 0;   // its length
  double offered = 0;   // arrivals into the resource during it (items or bits)
  bool saturated = false;
  double backlog = 0;   // at its end
};

// Rule 2 over the windows seen so far, and rule 1 from the long-run load.
class OverloadWatch {
 public:
  // `note` qualifies `where` in sentences (a link's direction: "uplink", "downlink").
  OverloadWatch(std::string where, std::string note, std::string unit, LongRunLoad load);
  // Feeds the next window; true when the resource is overloaded by the rule above.
  bool observe(const OverloadWindow& w);
  // Rule 1 alone.
  [[nodiscard]] bool certain() const;
  // Arrival rate measured over the current run of saturated windows with growth.
  [[nodiscard]] double measured_offered() const;
  [[nodiscard]] Overload overload(double at_s) const;
  [[nodiscard]] const std::string& where() const { return where_; }
  [[nodiscard]] const std::string& note() const { return note_; }

 private:
  std::string where_, note_, unit_;
  LongRunLoad load_;
  double last_backlog_ = 0;  // the system starts empty
  std::deque<OverloadWindow> streak_;
};

// "edge tier overloaded, offered 130 items/s against a capacity of 100 items/s"; with a
// note, "backhaul:plant (uplink) overloaded, offered 19.5 Mbps against a capacity of 15 Mbps".
std::string describe(const Overload& o, const std::string& note = "");
// A rate in its unit for a sentence: "130 items/s", "150012 items/s", "15.6 Mbps".
std::string format_rate(double value, const std::string& unit);

// A run that would create more requests than its event budget before it could possibly stop
// is refused before it starts (the engine's simulate(): an error that starts with
// kEventBudgetExceeded, as a run the budget stops): the budget would stop it anyway, but only
// after creating them all, hours of wall time for an absurd load (1e6 /s x 1000 sources).
// The earliest any run can stop is bounded below by its duration, the warm-up and one batch
// (a precision stop) and kOverloadWindows - 1 batch-long windows (an overload stop). Only
// periodic and Poisson streams are counted (bursty, diurnal and trace streams are left out: a
// lower bound), and the refusal needs more than twice the budget (plus 100), so a run that
// might fit is never refused. Empty: go ahead. Pure.
std::string budget_exceeded_before_any_stop(const SimInput& in);

}  // namespace hw
