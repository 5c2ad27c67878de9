// Bounded queues: a request arriving at a unit whose waiting queue is full is dropped.
// One server with exponential service and queue_capacity = K - 1 is M/M/1/K, whose
// blocking probability is known in closed form.
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
  REQUIRE(r[0].streams.size() == 1);
  return r[0];
}

}  // namespace

TEST_CASE("M/M/1/K: the share of dropped requests is the blocking probability" * doctest::skip(kSanitized)) {
  // About a million arrivals per case (fixed seed). K = 5 places: 4 waiting + 1 in service.
  const double mu = 1000.0;
  const int k = 5;
  for (double rho : {0.8, 1.2}) {
    CAPTURE(rho);
    const double lambda = rho * mu;
    SimInput in = pure_queue(lambda, 1.0 / mu, 1, ServiceDistribution::exponential, 1e6 / lambda + 10.0, 10.0, 17);
    in.edge.queue_capacity = k - 1;
    const auto r = run_one(in);
    const auto& s = r.streams[0];
    const double created = static_cast<double>(s.completed + s.dropped + s.unfinished);
    const double blocked = static_cast<double>(s.dropped) / created;
    const double exact = mm1k_blocking(lambda, mu, k);
    INFO("created " << created << " dropped " << s.dropped << " blocking " << blocked << " exact " << exact);
    CHECK(s.dropped > 0);
    CHECK(std::abs(blocked - exact) / exact <= 0.03);
    // Drops count as SLO violations (the bound here is huge, so nothing else is late).
    CHECK(s.slo_violation_rate == doctest::Approx(static_cast<double>(s.dropped + s.unfinished) / created));
    // Even overloaded, a bounded queue keeps the system stable: throughput = lambda (1 - P_K).
    CHECK(s.throughput_per_s == doctest::Approx(lambda * (1 - exact)).epsilon(0.02));
    CHECK(s.unfinished <= static_cast<std::uint64_t>(k));
  }
}

TEST_CASE("an unbounded queue drops nothing. a full one refuses exactly what it cannot hold") {
  // Ten requests at t = 1 s onto one server of 0.1 s each with room for 3 waiting: one is
  // served at once, three wait, six are dropped.
  SimInput in = pure_queue(1.0, 0.1, 1, ServiceDistribution::deterministic, 10.0, 0.5, 1);
  in.streams[0].arrival.kind = ArrivalKind::trace;
  in.streams[0].trace_times.assign(10, 1.0);
  in.target_precision = 0;
  auto unbounded = run_one(in);
  CHECK(unbounded.streams[0].dropped == 0);
  CHECK(unbounded.streams[0].completed == 10);
  in.edge.queue_capacity = 3;
  auto bounded = run_one(in);
  CHECK(bounded.streams[0].completed == 4);
  CHECK(bounded.streams[0].dropped == 6);
  CHECK(bounded.streams[0].slo_violation_rate == doctest::Approx(0.6));
  CHECK_FALSE(bounded.streams[0].slo_met);
  // The four served wait 0, 0.1, 0.2, 0.3 s: sojourns 0.1..0.4 s, mean 0.25 s.
  CHECK(bounded.streams[0].mean_s.value == doctest::Approx(0.25).epsilon(1e-6));
}
