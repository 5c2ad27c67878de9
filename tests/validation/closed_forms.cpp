#include "closed_forms.hpp"

#include <quadmath.h>

#include <cmath>

namespace hw::validation {

double mm1_mean_sojourn(double lambda, double mu) { return 1.0 / (mu - lambda); }
double mm1_sojourn_quantile(double lambda, double mu, double q) { return -std::log(1.0 - q) / (mu - lambda); }

double md1_mean_sojourn(double lambda, double mu) {
  const double rho = lambda / mu;
  return rho / (2.0 * mu * (1.0 - rho)) + 1.0 / mu;
}

namespace {
// The alternating sum loses about log10(e^{lambda x}) digits to cancellation (19 digits at
// rho = 0.95, x = 45 D), so it is summed in binary128 (34 digits).
double md1_wait_cdf(double lambda, double d, double x) {
  using q = __float128;
  const q rho = static_cast<q>(lambda) * d;
  q sum = 0;
  const int n = static_cast<int>(std::floor(x / d));
  for (int k = 0; k <= n; ++k) {
    const q y = static_cast<q>(lambda) * (static_cast<q>(k) * d - x);  // <= 0
    if (y == 0) {
      if (k == 0) sum += 1;
      continue;
    }
    const q mag = expq(static_cast<q>(k) * logq(-y) - lgammaq(static_cast<q>(k) + 1) - y);
    sum += (k % 2 == 0) ? mag : -mag;
  }
  return static_cast<double>((1 - rho) * sum);
}
}  // namespace

double md1_sojourn_quantile(double lambda, double mu, double q) {
  const double d = 1.0 / mu;
  // P(W <= 0) = 1 - rho; bisection on the waiting time.
  if (q <= 1.0 - lambda * d) return d;
  double lo = 0.0, hi = d;
  while (md1_wait_cdf(lambda, d, hi) < q) hi *= 2.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (md1_wait_cdf(lambda, d, mid) < q ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi) + d;
}

double erlang_c(int c, double a) {
  // Erlang B by the stable recursion, then C = B / (1 - (a/c)(1 - B)).
  double b = 1.0;
  for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
  const double rho = a / c;
  return b / (1.0 - rho * (1.0 - b));
}

double mmc_mean_wait(int c, double lambda, double mu) { return erlang_c(c, lambda / mu) / (c * mu - lambda); }

double mm1k_blocking(double lambda, double mu, int k) {
  const double rho = lambda / mu;
  if (std::abs(rho - 1.0) < 1e-12) return 1.0 / (k + 1);
  return (1.0 - rho) * std::pow(rho, k) / (1.0 - std::pow(rho, k + 1));
}

double mm1k_mean_waiting(double lambda, double mu, int k) {
  const double rho = lambda / mu;
  const double rk1 = std::pow(rho, k + 1);
  const double l = rho / (1.0 - rho) - (k + 1) * rk1 / (1.0 - rk1);
  const double p0 = (1.0 - rho) / (1.0 - rk1);
  return l - (1.0 - p0);
}

SimInput pure_queue(double lambda, double service_s, int servers, ServiceDistribution dist, double duration_s,
                    double warmup_s, std::uint64_t seed) {
  SimInput in;
  in.label = "pure queue";
  in.seed = seed;
  in.duration = Seconds(duration_s);
  in.warmup = Seconds(warmup_s);
  in.batch_means = 20;
  SiteExec site;
  site.id = "s";
  // No network to speak of: zero latency and a link so fast a 1-byte message takes 8e-15 s.
  site.access = LinkSpec{"custom", Seconds(0), BitsPerSecond(1e15)};
  site.backhaul = site.access;
  in.sites.push_back(site);
  in.edge.hardware = "server";
  in.edge.units = 1;
  in.edge.slots = servers;
  in.edge.power_idle = Watts(0);
  in.edge.power_max = Watts(0);
  StreamExec st;
  st.id = "q";
  st.arrival.kind = ArrivalKind::poisson;
  st.arrival.rate = PerSecond(lambda);
  st.payload = Bytes(1);
  st.return_result = false;
  st.slo.latency = Seconds(1e9);
  StageExec stage;
  stage.id = "serve";
  stage.tier = Tier::edge;
  stage.service_s = {service_s};
  stage.variability.distribution = dist;
  stage.variability.cv = dist == ServiceDistribution::exponential ? 1.0 : 0.0;
  st.stages.push_back(stage);
  in.streams.push_back(st);
  return in;
}

}  // namespace hw::validation
