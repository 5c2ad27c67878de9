// Overload stops a run early (EngineOptions::stop_on_overload, sim/engine/overload.hpp): a
// queue or a link offered more than it can serve stops with the figures; a stable system,
// however close to saturation or bursty, never does; with the option off a run is as before.
#include <doctest/doctest.h>

#include <string>

#include "closed_forms.hpp"
#include "sim/engine/engine.hpp"

using namespace hw;
using namespace hw::validation;

namespace {

RunResult run_one(const SimInput& in) {
  auto r = simulate_forked({in}, 1);
  REQUIRE(r.size() == 1);
  REQUIRE_MESSAGE(r[0].ok, r[0].error);
  REQUIRE(r[0].streams.size() == 1);
  return r[0];
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// The queue's stage runs in the data centre: one server of `slots` slots behind links that
// are no network to speak of, as in pure_queue.
SimInput dc_queue(double lambda, double service_s, int slots, ServiceDistribution dist, double duration_s, std::uint64_t seed) {
  SimInput in = pure_queue(lambda, service_s, slots, dist, duration_s, 5.0, seed);
  in.dc = in.edge;
  in.edge.units = 0;
  in.streams[0].stages[0].tier = Tier::dc;
  return in;
}

// Requests of `payload` bytes at `lambda` per second over a site link of 10 Mbps with 1 ms
// latency, to a unit that serves them in 0.1 ms (never the bottleneck): the access link
// (edge unit) or the backhaul (data-centre server; the access link is then 10 Gbps).
SimInput link_queue(double lambda, double payload, bool backhaul, double duration_s, std::uint64_t seed) {
  SimInput in = pure_queue(lambda, 1e-4, 1, ServiceDistribution::deterministic, duration_s, 5.0, seed);
  const LinkSpec slow{"custom", Seconds(1e-3), BitsPerSecond(10e6)};
  in.sites[0].access = backhaul ? LinkSpec{"custom", Seconds(1e-4), BitsPerSecond(10e9)} : slow;
  in.sites[0].backhaul = slow;
  in.streams[0].payload = Bytes(payload);
  if (backhaul) {
    in.dc = in.edge;
    in.edge.units = 0;
    in.streams[0].stages[0].tier = Tier::dc;
  }
  return in;
}

void check_overloaded(const RunResult& r, const SimInput& in, const std::string& where, const std::string& unit, double capacity,
                      double ratio) {
  INFO("stop reason: " << r.stop_reason);
  REQUIRE(r.overload);
  const Overload& o = *r.overload;
  INFO("offered " << o.offered << " capacity " << o.capacity << " at " << o.at_s << " s");
  CHECK(o.where == where);
  CHECK(o.unit == unit);
  CHECK(o.capacity == doctest::Approx(capacity).epsilon(1e-9));
  CHECK(std::abs(o.offered / o.capacity - ratio) <= 0.1 * ratio);
  // Stopped long before the duration, where it says, and the run counts what is stuck.
  CHECK(r.simulated_time_s < 0.3 * in.duration.si());
  // The clock may pass the stop by a service in progress (its timer still fires).
  CHECK(o.at_s <= r.simulated_time_s);
  CHECK(r.simulated_time_s - o.at_s < 0.1);
  CHECK(contains(r.stop_reason, "stopped at"));
  CHECK(contains(r.stop_reason, where));
  CHECK(contains(r.stop_reason, "grows without bound"));
  const StreamResult& s = r.streams[0];
  CHECK(s.unfinished > 0);
  CHECK_FALSE(s.slo_met);
  CHECK(s.slo_violation_rate > 0);
}

}  // namespace

TEST_CASE("an M/M/1 queue at utilisation 1.3 stops early with the offered load and the capacity") {
  const SimInput in = pure_queue(1300, 1e-3, 1, ServiceDistribution::exponential, 200.0, 10.0, 21);
  check_overloaded(run_one(in), in, "edge tier", "items/s", 1000.0, 1.3);
}

TEST_CASE("a data-centre tier that batches is judged at its best batch: capacity slots x b / t(b)") {
  // Batches of up to 4 items take 10, 12, 14, 16 ms: at best 4 ms per item, 250 items/s per
  // slot. Two slots offered 1.3 x 500 items/s (deterministic service: queueing from batches).
  SimInput in = dc_queue(650, 0.010, 2, ServiceDistribution::deterministic, 200.0, 4);
  in.dc.max_batch = 4;
  in.dc.max_wait = Seconds(0.005);
  in.streams[0].stages[0].service_s = {0.010, 0.012, 0.014, 0.016};
  check_overloaded(run_one(in), in, "dc tier", "items/s", 500.0, 1.3);
}

TEST_CASE("an overloaded access link or backhaul stops with where = access:<site> or backhaul:<site>") {
  // 12.5 KB (100 kbit) at 130 per second: 13 Mbps offered to a 10 Mbps link.
  for (bool backhaul : {false, true}) {
    CAPTURE(backhaul);
    const SimInput in = link_queue(130, 12500, backhaul, 100.0, 8);
    check_overloaded(run_one(in), in, backhaul ? "backhaul:s" : "access:s", "bit/s", 10e6, 1.3);
  }
}

TEST_CASE("stable systems near saturation run their whole duration, whatever the seed") {
  auto check_full = [](const RunResult& r, const SimInput& in) {
    INFO("stop reason: " << r.stop_reason);
    CHECK_FALSE(r.overload);
    CHECK(r.simulated_time_s >= 0.99 * in.duration.si());  // arrivals end at the duration, the last ones drain
    CHECK(contains(r.stop_reason, "fixed duration"));
  };
  for (std::uint64_t seed : {1, 2, 3}) {
    CAPTURE(seed);
    // M/M/1 and M/D/1 at 0.95: the queue often grows for a while at full utilisation.
    const SimInput mm1 = pure_queue(950, 1e-3, 1, ServiceDistribution::exponential, 200.0, 10.0, seed);
    check_full(run_one(mm1), mm1);
    const SimInput md1 = pure_queue(950, 1e-3, 1, ServiceDistribution::deterministic, 200.0, 10.0, seed);
    check_full(run_one(md1), md1);
    // A 10 Mbps link offered 9.5 Mbps (Poisson).
    const SimInput link = link_queue(95, 12500, false, 100.0, seed);
    check_full(run_one(link), link);
  }
  // On/off arrivals whose on periods (mean 20 s) offer 1.6 x the capacity: the queue grows at
  // full utilisation for many windows in a row, then drains; the mean load is 0.8.
  SimInput bursty = pure_queue(800, 1e-3, 1, ServiceDistribution::exponential, 400.0, 10.0, 5);
  bursty.streams[0].arrival.kind = ArrivalKind::bursty;
  bursty.streams[0].arrival.on_time = Seconds(20);
  bursty.streams[0].arrival.off_time = Seconds(20);
  bursty.batch_means = 40;  // windows of 9.75 s: two in a row fit in one on period
  const RunResult rb = run_one(bursty);
  check_full(rb, bursty);
  CHECK(rb.edge.max_queue_length > 1000);  // it did build a large backlog
}

TEST_CASE("with stop_on_overload off, an overloaded run goes to its cap as before. a stable one is the same either way") {
  SimInput in = pure_queue(1300, 1e-3, 1, ServiceDistribution::exponential, 200.0, 10.0, 21);
  in.streams[0].slo.latency = Seconds(0.5);  // drain cap: duration + max(10 s, min(20 x 0.5 s, duration)) = 210 s
  in.engine.stop_on_overload = false;
  const RunResult r = run_one(in);
  INFO("stop reason: " << r.stop_reason);
  CHECK_FALSE(r.overload);
  // Arrivals until 200 s, then the drain cap, where some 47,000 requests are still queued.
  CHECK(r.simulated_time_s == doctest::Approx(210.0).epsilon(1e-3));
  CHECK(r.stop_reason == "fixed duration 200 s");
  CHECK(r.streams[0].unfinished > 40000);
  // The rule watches only resources whose input load exceeds their capacity, and reads
  // counters without adding events: a stable run is identical, bit for bit, either way.
  SimInput stable = pure_queue(950, 1e-3, 1, ServiceDistribution::exponential, 100.0, 10.0, 2);
  const RunResult on = run_one(stable);
  stable.engine.stop_on_overload = false;
  const RunResult off = run_one(stable);
  CHECK(on.streams[0].completed == off.streams[0].completed);
  CHECK(on.streams[0].p99_s.value == off.streams[0].p99_s.value);
  CHECK(on.streams[0].mean_s.ci_high == off.streams[0].mean_s.ci_high);
  CHECK(on.edge.mean_queue_length == off.edge.mean_queue_length);
  CHECK(on.simulated_time_s == off.simulated_time_s);
}
