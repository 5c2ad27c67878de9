// Engine speed: simulated requests per wall-clock second on reference scenarios, against
// a bare priority-queue event loop on the same workload, and the child's peak memory.
//
//   build/release/bin/hwplan_bench_engine [requests]      (default 1,000,000)
#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <queue>
#include <random>
#include <string>

#include "sim/engine/engine.hpp"

using namespace hw;

namespace {

SimInput single_queue(double requests, bool network) {
  const double lambda = 800.0, service = 1e-3;
  SimInput in;
  in.label = network ? "queue+uplink+reply" : "single queue";
  in.seed = 1;
  in.warmup = Seconds(1.0);
  in.duration = Seconds(requests / lambda + 1.0);
  SiteExec site;
  site.id = "s";
  site.access = network ? LinkSpec{"wired", Seconds(0.25e-3), BitsPerSecond(1e9)}
                        : LinkSpec{"custom", Seconds(0), BitsPerSecond(1e15)};
  site.backhaul = site.access;
  in.sites.push_back(site);
  in.edge.hardware = "server";
  in.edge.units = 1;
  in.edge.slots = 1;
  StreamExec st;
  st.id = "q";
  st.arrival.kind = ArrivalKind::poisson;
  st.arrival.rate = PerSecond(lambda);
  st.payload = Bytes(network ? 10e3 : 1);
  st.result = Bytes(network ? 1e3 : 1);
  st.return_result = network;
  st.slo.latency = Seconds(1);
  StageExec stage;
  stage.id = "serve";
  stage.service_s = {service};
  stage.variability.distribution = ServiceDistribution::exponential;
  stage.variability.cv = 1;
  st.stages.push_back(stage);
  in.streams.push_back(st);
  return in;
}

// The same M/M/1 workload on a binary heap of events: the floor any engine pays.
double bare_heap_loop(long requests, double& mean_out) {
  struct Ev {
    double t;
    int kind;  // 0 arrival, 1 departure
    bool operator>(const Ev& o) const { return t > o.t; }
  };
  std::mt19937_64 rng(1);
  std::exponential_distribution<double> arr(800.0), svc(1000.0);
  std::priority_queue<Ev, std::vector<Ev>, std::greater<>> pq;
  std::queue<double> waiting;  // arrival times
  bool busy = false;
  double busy_since_arrival = 0, sum = 0;
  long done = 0, created = 0;
  const auto t0 = std::chrono::steady_clock::now();
  pq.push({arr(rng), 0});
  while (done < requests) {
    Ev e = pq.top();
    pq.pop();
    if (e.kind == 0) {
      if (created < requests) {
        ++created;
        pq.push({e.t + arr(rng), 0});
        if (!busy) {
          busy = true;
          busy_since_arrival = e.t;
          pq.push({e.t + svc(rng), 1});
        } else {
          waiting.push(e.t);
        }
      }
    } else {
      sum += e.t - busy_since_arrival;
      ++done;
      if (waiting.empty()) {
        busy = false;
      } else {
        busy_since_arrival = waiting.front();
        waiting.pop();
        pq.push({e.t + svc(rng), 1});
      }
    }
  }
  mean_out = sum / static_cast<double>(done);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  const double requests = argc > 1 ? std::atof(argv[1]) : 1e6;
  double heap_mean = 0;
  const double heap_s = bare_heap_loop(static_cast<long>(requests), heap_mean);
  const double heap_rate = requests / heap_s;
  fmt::print("bare heap loop      {:>9.0f} requests in {:6.2f} s = {:>10.0f} req/s (mean response {:.6f} s)\n", requests,
             heap_s, heap_rate, heap_mean);
  for (bool network : {false, true}) {
    SimInput in = single_queue(requests, network);
    const auto t0 = std::chrono::steady_clock::now();
    auto r = simulate_forked({in}, 1);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!r[0].ok) {
      fmt::print(stderr, "simulation failed: {}\n", r[0].error);
      return 1;
    }
    rusage ru{};
    getrusage(RUSAGE_CHILDREN, &ru);
    const double rate = static_cast<double>(r[0].events) / wall;
    fmt::print("{:<19} {:>9} requests in {:6.2f} s = {:>10.0f} req/s ({:.1f}x slower than the heap loop), "
               "mean response {:.6f} s, peak RSS of children so far {:.0f} MB\n",
               in.label, r[0].events, wall, rate, heap_rate / rate, r[0].streams[0].mean_s.value, ru.ru_maxrss / 1024.0);
  }
  return 0;
}
