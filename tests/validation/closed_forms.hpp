// Exact results for the queues the validation tests simulate.
#pragma once

#include "sim/run/types.hpp"

namespace hw::validation {

// M/M/1: sojourn time is exponential with rate mu - lambda.
double mm1_mean_sojourn(double lambda, double mu);
double mm1_sojourn_quantile(double lambda, double mu, double q);

// M/D/1 (Pollaczek-Khinchine): W_q = rho / (2 mu (1 - rho)); sojourn = W_q + 1/mu.
double md1_mean_sojourn(double lambda, double mu);
// Sojourn-time quantile from Erlang's exact waiting-time distribution
// P(W <= x) = (1 - rho) sum_{k=0}^{floor(x/D)} [lambda (k D - x)]^k / k! e^{-lambda (k D - x)}.
double md1_sojourn_quantile(double lambda, double mu, double q);

// M/M/c (Erlang C): mean waiting time in queue C(c, a) / (c mu - lambda), a = lambda / mu.
double erlang_c(int c, double a);
double mmc_mean_wait(int c, double lambda, double mu);

// M/M/1/K (K = places in the system, the one in service included): an arrival is refused
// with probability P_K = (1 - rho) rho^K / (1 - rho^(K+1)) (rho = 1: 1 / (K + 1)).
double mm1k_blocking(double lambda, double mu, int k);
// Mean number waiting (not in service) in M/M/1/K: L - (1 - P_0), with
// L = rho/(1-rho) - (K+1) rho^(K+1) / (1 - rho^(K+1)) and P_0 = (1 - rho) / (1 - rho^(K+1)).
double mm1k_mean_waiting(double lambda, double mu, int k);

// A single-site, no-network SimInput: Poisson arrivals at `lambda`, one unit with `servers`
// parallel slots, service time `service_s` with the given variability; latency = sojourn.
SimInput pure_queue(double lambda, double service_s, int servers, ServiceDistribution dist,
                    double duration_s, double warmup_s, std::uint64_t seed);

}  // namespace hw::validation
