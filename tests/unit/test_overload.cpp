// The overload rule (sim/engine/overload): long-run loads from the input, and the windows
// that make a backlog certain to grow.
#include <doctest/doctest.h>

#include <string>

#include "sim/engine/overload.hpp"

using namespace hw;

namespace {

StageExec stage(const std::string& id, Tier tier, std::vector<double> service, double fraction = 1.0, double output = 0) {
  StageExec s;
  s.id = id;
  s.tier = tier;
  s.service_s = std::move(service);
  s.fraction = fraction;
  s.output = Bytes(output);
  return s;
}

// Site kinds "a" (count 4, 2 simulated) and "b"; one stream on "a": 10/s per source, 3
// sources, 1 MB payload, 2 KB result, edge detect (10 ms) then, for 20% of items, a
// data-centre classify (batches of 1..4 take 8, 10, 12, 20 ms).
SimInput hybrid() {
  SimInput in;
  in.duration = Seconds(100);
  SiteExec a;
  a.id = "a";
  a.count = 4;
  a.simulated = 2;
  a.access = LinkSpec{"wired", Seconds(1e-3), BitsPerSecond(1e9)};
  a.backhaul = LinkSpec{"wan", Seconds(10e-3), BitsPerSecond(50e6)};
  SiteExec b = a;
  b.id = "b";
  in.sites = {a, b};
  StreamExec st;
  st.id = "cams";
  st.site = 0;
  st.sources = 3;
  st.arrival.kind = ArrivalKind::periodic;
  st.arrival.rate = PerSecond(10);
  st.payload = Bytes(1e6);
  st.result = Bytes(2e3);
  st.stages = {stage("detect", Tier::edge, {0.010}, 1.0, 20e3), stage("classify", Tier::dc, {0.008, 0.010, 0.012, 0.020}, 0.2)};
  in.streams = {st};
  in.edge.units = 1;
  in.edge.slots = 1;
  in.dc.units = 1;
  in.dc.slots = 2;
  in.dc.max_batch = 4;
  return in;
}

OverloadWindow window(double seconds, double offered, bool saturated, double backlog) {
  OverloadWindow w;
  w.seconds = seconds;
  w.offered = offered;
  w.saturated = saturated;
  w.backlog = backlog;
  return w;
}

}  // namespace

TEST_CASE("a stream's long-run arrival rate per simulated site") {
  StreamExec s;
  s.sources = 3;
  s.arrival.rate = PerSecond(10);
  for (ArrivalKind k : {ArrivalKind::periodic, ArrivalKind::poisson, ArrivalKind::bursty}) {
    s.arrival.kind = k;
    CHECK(stream_rate(s, 100) == doctest::Approx(30));
  }
  // Diurnal from midnight (start_hour 0): multiplier 1 in the first hour, 3 in the second;
  // over 1.5 h the mean is (3600 + 3 x 1800) / 5400 = 5/3, over 2 h it is 2.
  s.arrival.kind = ArrivalKind::diurnal;
  s.arrival.hourly = std::vector<double>(24, 1.0);
  s.arrival.hourly[1] = 3.0;
  s.arrival.start_hour = 0;
  CHECK(stream_rate(s, 5400) == doctest::Approx(30 * 5.0 / 3));
  CHECK(stream_rate(s, 7200) == doctest::Approx(60));
  CHECK(stream_rate(s, 600) == doctest::Approx(30));
  // Unset, the run starts at the busiest hour (1): 3 for an hour, then 1.
  s.arrival.start_hour.reset();
  CHECK(stream_rate(s, 600) == doctest::Approx(90));
  CHECK(stream_rate(s, 5400) == doctest::Approx(30 * (3 * 3600 + 1800) / 5400.0));
  // Trace: its timestamps before the horizon, over the horizon (not per source).
  s.arrival.kind = ArrivalKind::trace;
  s.trace_times = {0.5, 1.0, 2.0, 9.0, 12.0};
  CHECK(stream_rate(s, 10) == doctest::Approx(0.4));
}

TEST_CASE("a tier's long-run load: stage visits against slots x units over the best per-item time") {
  const SimInput in = hybrid();
  // Edge, one simulated site of kind "a": 30 items/s of 10 ms on one slot.
  const LongRunLoad e = tier_load(in, Tier::edge, 0);
  CHECK(e.offered == doctest::Approx(30));
  CHECK(e.capacity == doctest::Approx(100));
  // Kind "b" has no stream.
  CHECK(tier_load(in, Tier::edge, 1).offered == 0.0);
  // Data centre: 20% of 30/s from each of the 2 simulated sites = 12 items/s; the best
  // per-item time is 12 ms / 3 = 4 ms (20 ms / 4 = 5 ms is worse), so 2 slots serve 500/s.
  const LongRunLoad d = tier_load(in, Tier::dc, 0);
  CHECK(d.offered == doctest::Approx(12));
  CHECK(d.capacity == doctest::Approx(500));
  // Two edge stages with different times: the capacity is over the visit-weighted mean,
  // 30 visits of 10 ms and 15 of 40 ms: 0.9 s of work per second, 45 items -> 50 items/s.
  SimInput two = in;
  two.streams[0].stages[1] = stage("classify", Tier::edge, {0.040}, 0.5);
  const LongRunLoad t = tier_load(two, Tier::edge, 0);
  CHECK(t.offered == doctest::Approx(45));
  CHECK(t.capacity == doctest::Approx(50));
  // No units: no capacity.
  SimInput none = in;
  none.edge.units = 0;
  CHECK(tier_load(none, Tier::edge, 0).capacity == 0.0);
}

TEST_CASE("a link's long-run load per direction, against its bandwidth") {
  const SimInput in = hybrid();
  // Access up: 30 payloads of 1 MB per second = 240 Mbps; down: 30 results of 2 KB = 480 kbps.
  CHECK(link_load(in, 0, false, true).offered == doctest::Approx(240e6));
  CHECK(link_load(in, 0, false, true).capacity == doctest::Approx(1e9));
  CHECK(link_load(in, 0, false, false).offered == doctest::Approx(480e3));
  // Backhaul up: 20% of items forward detect's 20 KB output = 6 x 160 kbit = 960 kbps;
  // down: the results of those 6 per second = 96 kbps.
  CHECK(link_load(in, 0, true, true).offered == doctest::Approx(960e3));
  CHECK(link_load(in, 0, true, true).capacity == doctest::Approx(50e6));
  CHECK(link_load(in, 0, true, false).offered == doctest::Approx(96e3));
  // All in the data centre: the payload crosses the backhaul, every result comes back over it.
  SimInput dc = in;
  dc.streams[0].stages[0].tier = Tier::dc;
  CHECK(link_load(dc, 0, true, true).offered == doctest::Approx(240e6));
  CHECK(link_load(dc, 0, true, false).offered == doctest::Approx(480e3));
  // No result returned: nothing comes down.
  dc.streams[0].return_result = false;
  CHECK(link_load(dc, 0, false, false).offered == 0.0);
  CHECK(link_load(dc, 0, true, false).offered == 0.0);
  // Trace sizes (0 = the payload) set the mean payload.
  SimInput tr = in;
  tr.streams[0].arrival.kind = ArrivalKind::trace;
  tr.streams[0].trace_times = {1, 2, 3, 4};
  tr.streams[0].trace_sizes = {0, 3e6, 0, 0};
  CHECK(link_load(tr, 0, false, true).offered == doctest::Approx(0.04 * 1.5e6 * 8));
}

TEST_CASE("the rule fires on the 4th saturated window of growth in a row, and only if the input overloads") {
  OverloadWatch w("edge tier", "", "items/s", LongRunLoad{130, 100});
  CHECK(w.certain());
  // Growth at saturation: 130 offered per 1 s window, the backlog up 30 each time.
  CHECK_FALSE(w.observe(window(1, 130, true, 30)));
  CHECK_FALSE(w.observe(window(1, 130, true, 60)));
  CHECK_FALSE(w.observe(window(1, 130, true, 90)));
  CHECK(w.observe(window(1, 130, true, 120)));
  CHECK(w.measured_offered() == doctest::Approx(130));
  const Overload o = w.overload(7.5);
  CHECK(o.where == "edge tier");
  CHECK(o.unit == "items/s");
  CHECK(o.offered == doctest::Approx(130));
  CHECK(o.capacity == 100);
  CHECK(o.at_s == 7.5);
  // The measured rate is over the last 4 windows only.
  CHECK(w.observe(window(2, 300, true, 200)));
  CHECK(w.measured_offered() == doctest::Approx((130 * 3 + 300) / 5.0));
  CHECK(describe(w.overload(9), "site a") ==
        "edge tier (site a) overloaded, offered 138 items/s against a capacity of 100 items/s");
}

TEST_CASE("one window without saturation or without growth starts the count again") {
  OverloadWatch w("dc tier", "", "items/s", LongRunLoad{130, 100});
  CHECK_FALSE(w.observe(window(1, 130, true, 30)));
  CHECK_FALSE(w.observe(window(1, 130, true, 60)));
  CHECK_FALSE(w.observe(window(1, 130, true, 90)));
  CHECK_FALSE(w.observe(window(1, 130, false, 120)));  // not saturated
  CHECK_FALSE(w.observe(window(1, 130, true, 150)));
  CHECK_FALSE(w.observe(window(1, 130, true, 180)));
  CHECK_FALSE(w.observe(window(1, 130, true, 210)));
  CHECK_FALSE(w.observe(window(1, 130, true, 210)));  // the same backlog: no strict growth
  CHECK_FALSE(w.observe(window(1, 130, true, 240)));
  CHECK_FALSE(w.observe(window(1, 130, true, 270)));
  CHECK_FALSE(w.observe(window(1, 130, true, 300)));
  CHECK(w.observe(window(1, 130, true, 330)));
}

TEST_CASE("a stable input never fires, however its windows look. nor measured arrivals within capacity") {
  // Long-run offered 95 against 100 (a stable queue near saturation): a hundred windows of
  // growth at saturation (a long busy period, a burst) are not an overload.
  OverloadWatch stable("edge tier", "", "items/s", LongRunLoad{95, 100});
  CHECK_FALSE(stable.certain());
  for (int i = 1; i <= 100; ++i) CHECK_FALSE(stable.observe(window(1, 140, true, 40.0 * i)));
  // Exactly at capacity is not certain to grow either.
  CHECK_FALSE(OverloadWatch("x", "", "items/s", LongRunLoad{100, 100}).certain());
  // No capacity (no units): never.
  CHECK_FALSE(OverloadWatch("x", "", "items/s", LongRunLoad{10, 0}).certain());
  // Overloaded input, but the arrivals measured in the windows are within capacity.
  OverloadWatch w("access:a", "uplink", "bit/s", LongRunLoad{13e6, 10e6});
  for (int i = 1; i <= 10; ++i) CHECK_FALSE(w.observe(window(1, 9.9e6, true, i)));
  // Then a window that lifts the last four's mean above it (10.8 Mbps) fires.
  CHECK(w.observe(window(1, 13.5e6, true, 11)));
}

TEST_CASE("rates in sentences: items with 4 digits (no exponent), bits as a bit rate") {
  CHECK(format_rate(130, "items/s") == "130 items/s");
  CHECK(format_rate(227.83035, "items/s") == "227.8 items/s");
  CHECK(format_rate(150012.4, "items/s") == "150012 items/s");
  CHECK(format_rate(15.6e6, "bit/s") == "15.6 Mbps");
  CHECK(describe(Overload{"backhaul:plant", 19.5e6, 15e6, "bit/s", 12.4}, "uplink") ==
        "backhaul:plant (uplink) overloaded, offered 19.5 Mbps against a capacity of 15 Mbps");
}

TEST_CASE("budget_exceeded_before_any_stop: an absurd load is refused before it starts, a load that might fit never") {
  SimInput in = hybrid();  // 3 sources x 10 /s x 2 simulated sites = 60 /s, 100 s, no warm-up
  in.target_precision = 0.02;  // 40 batches of 2.5 s: the earliest stop is min(100, 0 + 2.5, 3 x 2.5) = 2.5 s
  in.engine.event_budget = 1000;
  CHECK(budget_exceeded_before_any_stop(in).empty());  // 150 requests by then
  in.streams[0].arrival.rate = PerSecond(1e6);  // 6e6 /s: 1.5e7 by 2.5 s
  const std::string why = budget_exceeded_before_any_stop(in);
  CHECK(why.rfind(kEventBudgetExceeded, 0) == 0);
  CHECK(why.find("about 1.5e+07 requests (6e+06 a simulated second) would be created by 2.5 s simulated") != std::string::npos);
  CHECK(why.find("nothing was simulated (EngineOptions.event_budget = 1000)") != std::string::npos);
  // Just under twice the budget (plus 100) at the earliest stop: it might fit, so it runs.
  in.streams[0].arrival.rate = PerSecond(2099.0 / 2.5 / 6);  // 2099 requests by 2.5 s
  CHECK(budget_exceeded_before_any_stop(in).empty());
  in.streams[0].arrival.rate = PerSecond(2101.0 / 2.5 / 6);
  CHECK_FALSE(budget_exceeded_before_any_stop(in).empty());
  // No budget, or a stream whose rate is not its rate (bursty): never refused here.
  in.engine.event_budget = 0;
  CHECK(budget_exceeded_before_any_stop(in).empty());
  in.engine.event_budget = 1000;
  in.streams[0].arrival.kind = ArrivalKind::bursty;
  CHECK(budget_exceeded_before_any_stop(in).empty());
  // Fixed-length runs: batch_means batches; a short run's duration bounds it.
  in.streams[0].arrival.kind = ArrivalKind::periodic;
  in.target_precision = 0;
  in.batch_means = 10;  // batches of 10 s: earliest min(100, 10, 30) = 10 s
  in.streams[0].arrival.rate = PerSecond(100.0 / 6);  // 1000 requests by 10 s
  CHECK(budget_exceeded_before_any_stop(in).empty());
  in.duration = Seconds(1);
  in.streams[0].arrival.rate = PerSecond(1e4);  // 6e4 /s but the run lasts 1 s... with batches of 0.1 s: by 0.1 s, 6000
  CHECK_FALSE(budget_exceeded_before_any_stop(in).empty());
}

