// What a sweep costs beyond its simulations: a 200-variant sweep of `hwplan run` on a small
// scenario (one site, one stream, one edge candidate, 2 simulated seconds), at --jobs 1 and
// --jobs 2, through the real `hwplan sweep` (ProcessRunner children, one shared pool, the
// CSV rewritten after every variant). Prints variants/s, the speed-up, and the overhead per
// variant: wall time per variant at --jobs 1 minus the engine's own wall_time_s (measured
// inside the simulating child, read from `hwplan run VARIANT --out X.json` of each variant).
// Then the machine's own ceiling for that shape of work, measured the same minutes: three
// small controls, each run alone and as two copies at once (speed-up = 2 x alone / pair):
// a compute loop (no memory, no system calls), a loop that forks a child that exits at
// once, and one whose child first writes `kChildPages` fresh pages (about what a sweep's
// simulating child faults in: 270-290, `perf record -e page-faults`) and computes ~2 ms.
// A sweep starts one such child per simulation, so its --jobs 2 speed-up cannot be
// expected above the last control's on the same machine.
//
//   build/release/bin/hwplan_bench_sweep [variants] [hwplan binary] [simulated seconds]   (default 200, the built one, 2)
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const char* kScenario = R"(name: sweep bench (one site, one stream, one candidate)
seed: 1
warmup: 0.2 s
sites:
  - {id: shop, count: 1, access: {type: wired}}
streams:
  - id: cam
    site: shop
    sources: 4
    arrival: {process: poisson, rate: 10 /s}
    payload: 50 KB
    result: 200 B
    pipeline:
      - {model: yolov8n, precision: int8}
    slo: {latency: 100 ms}
costs: {currency: USD, electricity: 0.12 USD/kWh}
candidates:
  - {family: edge, hardware: jetson-orin-nano-super, units_per_site: 1}
)";

// Runs `hwplan args...` with stdout and stderr discarded; returns wall seconds, or -1.
double timed(const std::string& hwplan, std::vector<std::string> args) {
  args.insert(args.begin(), hwplan);
  std::fflush(stdout);  // the child must not inherit unwritten output
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::FILE* null = std::freopen("/dev/null", "w", stdout);
    (void)null;
    null = std::freopen("/dev/null", "w", stderr);
    (void)null;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// ---- the machine's ceiling ----

constexpr int kChildPages = 280;

void compute(long n) {
  volatile double x = 0;
  for (long k = 0; k < n; ++k) x = x + static_cast<double>(k) * 0.5;
}

// `n` times: fork a child that writes `pages` fresh pages and computes `work` adds, then exits.
void fork_loop(int n, int pages, long work) {
  for (int i = 0; i < n; ++i) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      if (pages > 0) {
        auto* m = static_cast<char*>(std::malloc(static_cast<std::size_t>(pages) * 4096));
        for (int k = 0; k < pages; ++k) m[static_cast<std::size_t>(k) * 4096] = 1;
      }
      compute(work);
      ::_exit(0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
}

// Wall seconds of `copies` processes each running `work`, started together.
double copies_wall(int copies, const std::function<void()>& work) {
  std::fflush(stdout);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<pid_t> pids;
  for (int c = 0; c < copies; ++c) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      work();
      ::_exit(0);
    }
    pids.push_back(pid);
  }
  for (pid_t p : pids) {
    int status = 0;
    ::waitpid(p, &status, 0);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void ceiling_line(const char* what, const std::function<void()>& work) {
  const double alone = copies_wall(1, work);
  const double pair = copies_wall(2, work);
  fmt::print("  {:<58} alone {:.2f} s, two at once {:.2f} s: {:.2f}x\n", what, alone, pair, 2 * alone / pair);
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 200;
  const std::string hwplan = argc > 2 && *argv[2] ? argv[2] : HWPLAN_BIN;  // "" = the built one
  const double seconds = argc > 3 ? std::atof(argv[3]) : 2.0;
  const fs::path dir = fs::temp_directory_path() / ("hwplan-sweep-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "base.yaml") << kScenario << "duration: " << seconds << " s\n";
  std::ofstream(dir / "sweep.yaml") << "name: sweep bench\nscenario: base.yaml\nrun: run\naxes:\n"
                                    << "  streams.cam.arrival.rate: {from: 5 /s, to: 60 /s, steps: " << n << "}\n";
  const std::string sweep = (dir / "sweep.yaml").string();
  auto run = [&](int jobs, const std::string& format) {
    const std::string out = (dir / fmt::format("r{}.{}", jobs, format)).string();
    return timed(hwplan, {"sweep", sweep, "--jobs", std::to_string(jobs), "--no-cache", "--force", "--format", format, "--out", out});
  };
  fmt::print("sweep bench: {} variants of `hwplan run` (1 candidate, {} simulated seconds each), {}\n", n, seconds, hwplan);
  // The engine's own time per simulation. A sweep's file holds no wall times (they would make
  // it differ between identical runs), so each variant is run once more on its own, `hwplan
  // run VARIANT --out X.json`, and the engine's wall_time_s read from that document. The
  // variants are the sweep's: the base scenario at the same rates (from 5 to 60 /s, n steps).
  double engine = 0;
  std::size_t sims = 0;
  for (int i = 0; i < n; ++i) {
    const double rate = n == 1 ? 5.0 : 5.0 + 55.0 * i / (n - 1);
    std::string text = std::string(kScenario) + fmt::format("duration: {} s\n", seconds);
    text.replace(text.find("rate: 10 /s"), 11, fmt::format("rate: {} /s", rate));
    const fs::path yaml = dir / "variant.yaml", json = dir / "variant.json";
    std::ofstream(yaml) << text;
    fs::remove(json);
    if (timed(hwplan, {"run", yaml.string(), "--jobs", "1", "--out", json.string()}) < 0) {
      fmt::print(stderr, "hwplan run of variant {} failed\n", i + 1);
      return 1;
    }
    std::ifstream jf(json);
    const auto doc = nlohmann::json::parse(jf);
    for (const auto& c : doc.at("candidates")) {
      if (c.contains("run")) {
        engine += c.at("run").at("wall_time_s").get<double>();
        ++sims;
      }
    }
  }
  const double json1 = run(1, "json");
  if (json1 < 0) {
    fmt::print(stderr, "the sweep failed\n");
    return 1;
  }
  for (int round = 0; round < 2; ++round) {
    const double w1 = run(1, "csv");
    const double w2 = run(2, "csv");
    if (w1 < 0 || w2 < 0) {
      fmt::print(stderr, "the sweep failed\n");
      return 1;
    }
    fmt::print("round {}: --jobs 1: {:.2f} s ({:.1f} variants/s)   --jobs 2: {:.2f} s ({:.1f} variants/s)   speed-up {:.2f}x\n", round + 1, w1,
               n / w1, w2, n / w2, w1 / w2);
    fmt::print("         per variant at --jobs 1: {:.1f} ms wall, {:.1f} ms in the engine ({} simulations run alone): overhead {:.1f} ms\n",
               1e3 * w1 / n, 1e3 * engine / n, sims, 1e3 * (w1 - engine) / n);
  }
  fmt::print("--format json at --jobs 1: {:.2f} s, {:.1f} ms per variant, {:.1f} ms of it in the engine: overhead {:.1f} ms per variant\n",
             json1, 1e3 * json1 / n, 1e3 * engine / n, 1e3 * (json1 - engine) / n);
  fmt::print("this machine's ceiling for the same shape of work (each control alone, then two copies at once):\n");
  ceiling_line("compute loop (registers only)", [] { compute(300'000'000); });
  ceiling_line("fork + exit of an empty child, 500 times", [] { fork_loop(500, 0, 0); });
  ceiling_line(fmt::format("fork of a child that writes {} pages and computes, 200 times", kChildPages).c_str(),
               [] { fork_loop(200, kChildPages, 2'000'000); });
  fmt::print("  (a sweep forks one simulating child per variant: its --jobs 2 speed-up is bounded by the last line)\n");
  fs::remove_all(dir);
  return 0;
}
