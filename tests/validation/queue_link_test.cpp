// Queue lengths and link traffic in the results: time-averaged waiting requests per unit
// against M/M/1 (Lq = rho^2 / (1 - rho)) and M/M/c (Lq = lambda Wq, Little's law, with Wq
// from Erlang C), on both the single-slot fast path and the receiver path; an exact
// deterministic case; bytes per day and utilisation of access and backhaul links.
#include <doctest/doctest.h>

#include "closed_forms.hpp"
#include "sim/engine/engine.hpp"

using namespace hw;
using namespace hw::validation;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

namespace {

RunResult run_one(const SimInput& in) {
  auto r = simulate_forked({in}, 1);
  REQUIRE(r.size() == 1);
  REQUIRE_MESSAGE(r[0].ok, r[0].error);
  return r[0];
}

const LinkResult* link(const RunResult& r, const std::string& name) {
  for (const auto& l : r.links) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("M/M/1 mean queue length is rho^2/(1-rho), on the fast path and the receiver path" * doctest::skip(kSanitized)) {
  const double mu = 1000.0;
  for (double rho : {0.5, 0.8}) {
    for (bool receiver_path : {false, true}) {
      CAPTURE(rho);
      CAPTURE(receiver_path);
      const double lambda = rho * mu;
      SimInput in = pure_queue(lambda, 1.0 / mu, 1, ServiceDistribution::exponential, 1e6 / lambda + 20.0, 20.0, 11);
      // A bound no queue reaches takes the receiver path without changing the model.
      if (receiver_path) in.edge.queue_capacity = 1000000000;
      const auto r = run_one(in);
      const double exact = rho * rho / (1 - rho);
      INFO("mean queue " << r.edge.mean_queue_length << " exact " << exact << " max " << r.edge.max_queue_length);
      // About a million requests: the same 3% the mean sojourn gets (Lq = lambda Wq), a
      // little more since Lq is the smaller part of the number in system.
      CHECK(std::abs(r.edge.mean_queue_length - exact) / exact <= 0.03);
      CHECK(r.edge.max_queue_length >= 10);
      CHECK(r.streams[0].dropped == 0);
    }
  }
}

TEST_CASE("M/M/c mean queue length is lambda Wq with Erlang C's Wq (receiver path)" * doctest::skip(kSanitized)) {
  const double mu = 100.0;
  const int c = 4;
  const double lambda = 0.85 * c * mu;
  const auto r = run_one(pure_queue(lambda, 1.0 / mu, c, ServiceDistribution::exponential, 1000.0, 20.0, 7));
  const double exact = lambda * mmc_mean_wait(c, lambda, mu);
  INFO("mean queue " << r.edge.mean_queue_length << " exact " << exact);
  CHECK(std::abs(r.edge.mean_queue_length - exact) / exact <= 0.04);
}

TEST_CASE("queue length of a deterministic burst is exact on both paths") {
  // Ten requests at t = 1 s on one server of 0.1 s each: 9 wait, then 8, ... each for
  // 0.1 s: area 4.5 request-seconds over the 9.5 s window [0.5 s, 10 s].
  for (bool receiver_path : {false, true}) {
    CAPTURE(receiver_path);
    SimInput in = pure_queue(1.0, 0.1, 1, ServiceDistribution::deterministic, 10.0, 0.5, 1);
    in.streams[0].arrival.kind = ArrivalKind::trace;
    in.streams[0].trace_times.assign(10, 1.0);
    if (receiver_path) in.edge.queue_capacity = 100;
    const auto r = run_one(in);
    CHECK(r.streams[0].completed == 10);
    CHECK(r.edge.max_queue_length == 9.0);
    CHECK(r.edge.mean_queue_length == doctest::Approx(4.5 / 9.5).epsilon(1e-6));
  }
}

TEST_CASE("an overloaded queue's length grows linearly, and the requests never served count") {
  // lambda = 3 mu, deterministic: the waiting line grows by (lambda - mu) t from t = 0; over
  // the window [w, D] its time average is (lambda - mu) (w + D) / 2. The run stops at its
  // drain cap (D + 20 s) with 2000 requests that arrived in the window never taken: their
  // waiting must still count.
  const double mu = 100.0, lambda = 300.0, w = 2.0, d = 20.0;
  for (bool receiver_path : {false, true}) {
    CAPTURE(receiver_path);
    SimInput in = pure_queue(lambda, 1.0 / mu, 1, ServiceDistribution::deterministic, d, w, 3);
    in.streams[0].arrival.kind = ArrivalKind::periodic;  // exactly lambda per second
    in.engine.stop_on_overload = false;                  // run to the drain cap (an overload stop is tested in overload_test.cpp)
    if (receiver_path) in.edge.queue_capacity = 1000000000;
    const auto r = run_one(in);
    const double exact = (lambda - mu) * (w + d) / 2.0;
    INFO("mean queue " << r.edge.mean_queue_length << " expected " << exact << ", max " << r.edge.max_queue_length);
    CHECK(r.streams[0].unfinished > 0);
    CHECK(r.edge.mean_queue_length == doctest::Approx(exact).epsilon(0.01));
    CHECK(r.edge.max_queue_length == doctest::Approx((lambda - mu) * d).epsilon(0.01));
  }
}

TEST_CASE("bytes per day and utilisation of access and backhaul links") {
  // 3 sites, one camera each: a 1 MB frame every 100 ms to the data centre, 1 KB back.
  // Per site: up 10 MB/s on access and backhaul, down 10 KB/s; all 3 sites per day:
  // 3 x 10.01 MB/s x 86400 s. Access 1 Gbps: utilisation 8e7 / 1e9; backhaul 200 Mbps: 0.4.
  SimInput in = pure_queue(10.0, 1e-3, 1, ServiceDistribution::deterministic, 100.0, 1.0, 5);
  in.sites[0].id = "shop";
  in.sites[0].count = 3;
  in.sites[0].simulated = 3;
  in.sites[0].access = LinkSpec{"wired", Seconds(1e-3), BitsPerSecond(1e9)};
  in.sites[0].backhaul = LinkSpec{"wan", Seconds(10e-3), BitsPerSecond(200e6)};
  in.dc = in.edge;
  in.edge.units = 0;
  in.dc.units = 1;
  in.dc.slots = 4;
  auto& st = in.streams[0];
  st.arrival.kind = ArrivalKind::periodic;
  st.payload = Bytes(1e6);
  st.result = Bytes(1e3);
  st.return_result = true;
  st.stages[0].tier = Tier::dc;
  const auto r = run_one(in);
  const LinkResult* access = link(r, "access:shop");
  const LinkResult* backhaul = link(r, "backhaul:shop");
  REQUIRE(access);
  REQUIRE(backhaul);
  const double per_day = 3 * 10 * (1e6 + 1e3) * 86400.0;
  // The run lasts a little longer than 100 s (the last requests drain): 1% covers that.
  CHECK(access->bytes_per_day == doctest::Approx(per_day).epsilon(0.01));
  CHECK(backhaul->bytes_per_day == doctest::Approx(per_day).epsilon(0.01));
  CHECK(backhaul->bytes_per_day == doctest::Approx(r.backhaul_bytes_per_day).epsilon(1e-9));
  CHECK(access->peak_utilisation == doctest::Approx(0.08).epsilon(0.01));
  CHECK(backhaul->peak_utilisation == doctest::Approx(0.4).epsilon(0.01));

  // Edge-only: nothing crosses the backhaul; one site simulated, traffic scaled to three.
  SimInput edge = pure_queue(10.0, 1e-3, 1, ServiceDistribution::deterministic, 100.0, 1.0, 5);
  edge.sites[0].id = "shop";
  edge.sites[0].count = 3;
  edge.sites[0].simulated = 1;
  edge.streams[0].arrival.kind = ArrivalKind::periodic;
  edge.streams[0].payload = Bytes(1e6);
  const auto re = run_one(edge);
  REQUIRE(link(re, "access:shop"));
  REQUIRE(link(re, "backhaul:shop"));
  CHECK(link(re, "access:shop")->bytes_per_day == doctest::Approx(3 * 10 * 1e6 * 86400.0).epsilon(0.01));
  CHECK(link(re, "backhaul:shop")->bytes_per_day == 0.0);
}
