// The engine against queueing theory: M/M/1, M/D/1 (Pollaczek-Khinchine) and M/M/c
// (Erlang C), simulated by the real engine in forked children.
#include <doctest/doctest.h>

#include "closed_forms.hpp"
#include "sim/engine/engine.hpp"

using namespace hw;
using namespace hw::validation;

// The statistical cases simulate millions of requests; under the sanitizers that takes
// several times longer, and they check numbers, not memory safety, so the sanitizer
// build runs only the short cases.
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

// Within `tol` relative, and the reported 95% CI holds the exact value (the CI is widened
// by the histogram's 0.25% bin resolution, which bounds the quantile's own error).
void check_estimate(const char* what, const Estimate& e, double exact, double tol) {
  INFO(what << ": simulated " << e.value << " [" << e.ci_low << ", " << e.ci_high << "], exact " << exact);
  CHECK(std::abs(e.value - exact) / exact <= tol);
  CHECK(e.ci_low * (1 - 0.0025) <= exact);
  CHECK(e.ci_high * (1 + 0.0025) >= exact);
}

}  // namespace

// Service rate 1000/s; durations give every case about a million measured requests
// (more at rho = 0.95, where correlation between successive sojourns is strong).
TEST_CASE("M/M/1 mean and p99 match the exponential sojourn time" * doctest::skip(kSanitized)) {
  const double mu = 1000.0;
  for (double rho : {0.5, 0.8}) {
    CAPTURE(rho);
    const double lambda = rho * mu;
    auto r = run_one(pure_queue(lambda, 1.0 / mu, 1, ServiceDistribution::exponential, 1200.0 / rho, 20.0, 11));
    const auto& s = r.streams[0];
    check_estimate("mean", s.mean_s, mm1_mean_sojourn(lambda, mu), 0.02);
    check_estimate("p99", s.p99_s, mm1_sojourn_quantile(lambda, mu, 0.99), 0.02);
  }
}

TEST_CASE("M/M/1 at utilisation 0.95: the CI holds the exact value" * doctest::skip(kSanitized)) {
  // At rho = 0.95 the relative asymptotic variance of the mean sojourn is about 1500 per
  // request, so +-2% at 95% needs ~15 million requests; we run 2.4 million and require the
  // reported CI to contain the exact value and the estimate to be within 5%.
  const double mu = 1000.0, lambda = 950.0;
  auto r = run_one(pure_queue(lambda, 1.0 / mu, 1, ServiceDistribution::exponential, 2500.0, 50.0, 5));
  const auto& s = r.streams[0];
  check_estimate("mean", s.mean_s, mm1_mean_sojourn(lambda, mu), 0.05);
  check_estimate("p99", s.p99_s, mm1_sojourn_quantile(lambda, mu, 0.99), 0.05);
}

TEST_CASE("M/D/1 mean follows Pollaczek-Khinchine and p99 Erlang's exact distribution" * doctest::skip(kSanitized)) {
  const double mu = 1000.0;
  for (double rho : {0.5, 0.8, 0.95}) {
    CAPTURE(rho);
    const double lambda = rho * mu;
    auto r = run_one(pure_queue(lambda, 1.0 / mu, 1, ServiceDistribution::deterministic, rho > 0.9 ? 2500.0 : 1200.0 / rho, 20.0, 3));
    const auto& s = r.streams[0];
    check_estimate("mean", s.mean_s, md1_mean_sojourn(lambda, mu), rho > 0.9 ? 0.05 : 0.02);
    check_estimate("p99", s.p99_s, md1_sojourn_quantile(lambda, mu, 0.99), rho > 0.9 ? 0.05 : 0.02);
  }
}

TEST_CASE("M/M/c mean waiting time matches Erlang C" * doctest::skip(kSanitized)) {
  const double mu = 100.0;
  for (int c : {4, 8}) {
    CAPTURE(c);
    const double lambda = 0.85 * c * mu;
    auto r = run_one(pure_queue(lambda, 1.0 / mu, c, ServiceDistribution::exponential, 4000.0 / c, 20.0, 7));
    const auto& s = r.streams[0];
    const double wq = mmc_mean_wait(c, lambda, mu);
    const double sim_wq = s.mean_s.value - 1.0 / mu;  // sojourn minus mean service
    INFO("Wq simulated " << sim_wq << " exact " << wq);
    CHECK(std::abs(sim_wq - wq) / wq <= 0.03);
  }
}

TEST_CASE("closed forms themselves") {
  // Erlang C for c = 1 is rho; M/D/1 at rho -> 0 is the service time.
  CHECK(erlang_c(1, 0.7) == doctest::Approx(0.7));
  CHECK(erlang_c(2, 1.0) == doctest::Approx(1.0 / 3.0));
  CHECK(md1_mean_sojourn(1e-9, 1000.0) == doctest::Approx(1e-3));
  // M/D/1 waiting-time CDF at 0 is 1 - rho; the median of a lightly loaded queue is D.
  CHECK(md1_sojourn_quantile(100.0, 1000.0, 0.5) == doctest::Approx(1e-3));
  CHECK(md1_sojourn_quantile(500.0, 1000.0, 0.99) > md1_mean_sojourn(500.0, 1000.0));
}

TEST_CASE("same seed gives identical results, different seeds differ with overlapping CIs") {
  auto a = run_one(pure_queue(800, 1e-3, 1, ServiceDistribution::exponential, 100, 5, 1));
  auto b = run_one(pure_queue(800, 1e-3, 1, ServiceDistribution::exponential, 100, 5, 1));
  auto c = run_one(pure_queue(800, 1e-3, 1, ServiceDistribution::exponential, 100, 5, 2));
  CHECK(a.streams[0].p99_s.value == b.streams[0].p99_s.value);
  CHECK(a.streams[0].completed == b.streams[0].completed);
  CHECK(a.streams[0].mean_s.value != c.streams[0].mean_s.value);
  CHECK(a.streams[0].mean_s.ci_low <= c.streams[0].mean_s.ci_high);
  CHECK(c.streams[0].mean_s.ci_low <= a.streams[0].mean_s.ci_high);
}
