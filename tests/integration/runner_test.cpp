// Runners: fork and exec give the same results; cancel() stops and reaps every child at
// once; a crashed child is a failed result, not a lost batch; a child whose parent dies
// exits too; the caching runner stores each result the moment it arrives.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "../validation/closed_forms.hpp"
#include "sim/engine/engine.hpp"
#include "sim/io/loaders.hpp"
#include "sim/plan/evaluate.hpp"
#include "sim/plan/planner.hpp"
#include "sim/run/cache.hpp"
#include "sim/run/json.hpp"
#include "sim/run/progress.hpp"
#include "sim/run/runner.hpp"

using namespace hw;
namespace fs = std::filesystem;

namespace {

const std::string kSrc = HWPLAN_SOURCE_DIR;

Catalogue catalogue() { return load_catalogue(kSrc + "/hardware_profiles", kSrc + "/scenarios/models"); }

// Children of this process that are still alive or not yet reaped.
int children_left() {
  int n = 0;
  const std::string me = std::to_string(::getpid());
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream f(e.path() / "stat");
    std::string pid, comm, state, ppid;
    if (f >> pid >> comm >> state >> ppid && ppid == me) ++n;
  }
  return n;
}

bool alive(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string p, comm, state;
  return f >> p >> comm >> state && state != "Z";
}

RunResult sleep_forever(const SimInput&) {
  for (;;) ::pause();
}
RunResult crash(const SimInput& in) {
  if (in.seed == 2) {
    ::signal(SIGABRT, SIG_DFL);  // doctest catches it in this (forked) process otherwise
    std::abort();
  }
  RunResult r;
  r.label = in.label;
  return r;
}

// Says it is a quarter through, then half-way (0.3 s later: past the child's 0.2 s
// throttle), then finishes.
RunResult halfway(const SimInput& in) {
  report_sim_progress(0.25);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  report_sim_progress(0.5);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  RunResult r;
  r.label = in.label;
  return r;
}

std::vector<SimInput> seeds(int n) {
  std::vector<SimInput> v(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    v[static_cast<std::size_t>(i)].label = "input " + std::to_string(i);
    v[static_cast<std::size_t>(i)].seed = static_cast<std::uint64_t>(i + 1);
  }
  return v;
}

nlohmann::json without_wall(const RunResult& r) {
  auto j = to_json(r);
  j.erase("wall_time_s");
  return j;
}

}  // namespace

TEST_CASE("runners: a plan through ForkRunner and through ProcessRunner gives identical results") {
  const auto cat = catalogue();
  const auto s = load_scenario(kSrc + "/tests/data/planner/queue-sizing.yaml", cat);
  PlanOptions o;
  o.sensitivity = false;
  ForkRunner fork(&simulate, 2);
  ProcessRunner exec(HWPLAN_BIN, 2);
  const Plan a = make_plan(s, cat, fork, o);
  const Plan b = make_plan(s, cat, exec, o);
  REQUIRE(a.candidates.size() == b.candidates.size());
  REQUIRE(a.simulations > 0);
  CHECK(a.simulations == b.simulations);
  for (std::size_t i = 0; i < a.candidates.size(); ++i) {
    const auto& x = a.candidates[i].report;
    const auto& y = b.candidates[i].report;
    INFO(x.candidate.label);
    CHECK(x.candidate.label == y.candidate.label);
    CHECK(x.feasible == y.feasible);
    CHECK(x.cost.tco == y.cost.tco);
    CHECK(without_wall(x.run) == without_wall(y.run));
  }
  CHECK(a.winner == b.winner);
}

TEST_CASE("runners: how far a running simulation is reaches the parent, from a forked child and through 'hwplan simulate --serve'") {
  {
    ForkRunner r(&halfway, 1);
    std::vector<std::vector<double>> seen;
    RunnerProgress last;
    const auto results = r.run(seeds(1), {}, [&](const RunnerProgress& p) {
      if (!p.progress.empty()) seen.push_back(p.progress);
      last = p;
    });
    REQUIRE(results.size() == 1);
    CHECK(results[0].ok);
    REQUIRE(seen.size() >= 2);
    CHECK(seen.front() == std::vector<double>{0.25});
    CHECK(seen.back() == std::vector<double>{0.5});
    CHECK(last.done == 1);
    CHECK(last.progress.empty());  // nothing runs any more
  }
  {
    // A real simulation through the server: its progress lines (the first at 1% of its
    // simulated time, at once) come before its result and do not change it.
    const auto cat = catalogue();
    const auto s = load_scenario(kSrc + "/tests/data/planner/queue-sizing.yaml", cat);
    const SimInput in = resolve_for_simulation(s, cat, s.candidates.at(0)).input;
    ProcessRunner exec(HWPLAN_BIN, 1);
    double most = -1;
    const auto via_server = exec.run({in}, {}, [&](const RunnerProgress& p) {
      for (const double f : p.progress) most = std::max(most, f);
    });
    ForkRunner fork(&simulate, 1);
    const auto direct = fork.run({in});
    REQUIRE(via_server.at(0).ok);
    CHECK(most > 0);
    CHECK(most <= 1);
    CHECK(without_wall(via_server.at(0)) == without_wall(direct.at(0)));
  }
}

TEST_CASE("runners: cancel() stops every child within a second and reaps them all") {
  for (int kind = 0; kind < 2; ++kind) {
    std::unique_ptr<ChildRunner> r;
    if (kind == 0) r = std::make_unique<ForkRunner>(&sleep_forever, 3);
    // A script that sleeps stands in for a long `hwplan simulate`: it never answers.
    const fs::path script = fs::temp_directory_path() / ("hwplan-sleeper-" + std::to_string(::getpid()));
    if (kind == 1) {
      std::ofstream(script) << "#!/bin/sh\nexec sleep 1000\n";
      fs::permissions(script, fs::perms::owner_all);
      r = std::make_unique<ProcessRunner>(script.string(), 3);
    }
    INFO((kind == 0 ? "fork" : "process"));
    RunnerProgress seen;
    r->set_progress([&](const RunnerProgress& p) { seen = p; });
    std::thread canceller([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      r->cancel();
    });
    const auto t0 = std::chrono::steady_clock::now();
    const auto results = r->run(seeds(5));
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    canceller.join();
    CHECK(r->cancelled());
    CHECK(took < 1.3);  // 0.3 s before the cancel, then the children go at once
    REQUIRE(results.size() == 5);
    for (const auto& x : results) {
      CHECK_FALSE(x.ok);
      CHECK(x.error == kCancelled);
    }
    CHECK(seen.running == 0);
    CHECK(children_left() == 0);  // no orphans, no zombies
    // Sticky: a later batch returns at once, simulating nothing.
    CHECK(r->run(seeds(2)).at(1).error == kCancelled);
    fs::remove(script);
  }
}

TEST_CASE("runners: a crashed child is a failed result with its reason; the rest of the batch is kept") {
  ForkRunner r(&crash, 2);
  std::size_t calls = 0;
  const auto results = r.run(seeds(4), [&](std::size_t, const RunResult&) { ++calls; });
  CHECK(calls == 4);
  REQUIRE(results.size() == 4);
  CHECK(results[0].ok);
  CHECK_FALSE(results[1].ok);
  CHECK(results[1].error.find("signal 6") != std::string::npos);
  CHECK(results[2].ok);
  CHECK(results[3].ok);
  CHECK(children_left() == 0);

  ProcessRunner missing("/nonexistent/hwplan", 1);
  const auto m = missing.run(seeds(1));
  CHECK_FALSE(m[0].ok);
  CHECK(m[0].error.find("cannot run /nonexistent/hwplan") != std::string::npos);

  // `hwplan simulate` refuses a bad document with the field's name; the runner says so.
  ProcessRunner bad("/bin/sh", 1);  // 'sh simulate' fails: no such script
  CHECK_FALSE(bad.run(seeds(1))[0].ok);
}

TEST_CASE("runners: a ProcessRunner server that answers garbage or dies fails that simulation only, and is replaced") {
  const fs::path script = fs::temp_directory_path() / ("hwplan-bad-server-" + std::to_string(::getpid()));
  std::ofstream(script) << "#!/bin/sh\nread l\necho '{bad'\nread l\necho 'server dying' >&2\nexit 3\n";
  fs::permissions(script, fs::perms::owner_all);
  ProcessRunner r(script.string(), 1);
  const auto results = r.run(seeds(3));
  CHECK(results[0].error.find("unreadable result") != std::string::npos);
  CHECK(results[1].error == "simulation process exited with status 3: server dying");
  CHECK(results[2].error.find("unreadable result") != std::string::npos);  // a new server took it
  fs::remove(script);
}

TEST_CASE("runners: starting a ProcessRunner child leaves this process's pages as they were (no copy-on-write)") {
  // After a fork() every page of the parent is copy-on-write until it is written again: a
  // 16 MiB buffer written after it takes one page fault per 4 KiB page, 16 MiB / 4 KiB =
  // 4,096 faults (the desktop app's UI thread paid ~25 us each on its window buffer). The
  // child is started with vfork (it borrows the parent's memory until execve): writing the
  // buffer again then faults on (almost) none of its pages. Bound: a quarter of them.
  std::vector<char> buffer(std::size_t{16} << 20, 1);
  auto minor_faults = [] {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return u.ru_minflt;
  };
  const ProcessRunner r(HWPLAN_BIN, 1);
  CHECK_FALSE(r.build_id().empty());  // a child was started (and has exited)
  const long before = minor_faults();
  std::memset(buffer.data(), 2, buffer.size());
  const long faults = minor_faults() - before;
  INFO("page faults writing 16 MiB after the child's start: " << faults);
  CHECK(faults < 1024);
  CHECK(buffer[buffer.size() / 2] == 2);
}

TEST_CASE("runners: a ProcessRunner whose program cannot be run says which and why") {
  // The child's error path after a failed execve (written with system calls only).
  const ProcessRunner r("/nonexistent/hwplan", 1);
  CHECK_THROWS_WITH(r.build_id(), doctest::Contains("cannot run /nonexistent/hwplan: No such file or directory"));
}

TEST_CASE("runners: a child whose parent dies exits too") {
  const fs::path pidfile = fs::temp_directory_path() / ("hwplan-orphan-" + std::to_string(::getpid()));
  fs::remove(pidfile);
  const pid_t mid = ::fork();
  REQUIRE(mid >= 0);
  if (mid == 0) {
    // The middle process runs a batch whose child records its pid, then sleeps forever.
    static std::string path;
    path = pidfile.string();
    ForkRunner r(
        [](const SimInput&) -> RunResult {
          std::ofstream(path) << ::getpid() << "\n";
          for (;;) ::pause();
        },
        1);
    (void)r.run(seeds(1));
    ::_exit(0);
  }
  pid_t grandchild = 0;
  for (int i = 0; i < 100 && grandchild == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::ifstream f(pidfile);
    f >> grandchild;
  }
  REQUIRE(grandchild > 0);
  CHECK(alive(grandchild));
  ::kill(mid, SIGKILL);
  ::waitpid(mid, nullptr, 0);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    gone = !alive(grandchild);
  }
  CHECK(gone);
  fs::remove(pidfile);
}

TEST_CASE("caching runner: each result is stored as it arrives, duplicates run once, hits are not simulated") {
  const fs::path dir = fs::temp_directory_path() / ("hwplan-caching-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  ResultCache cache(dir.string(), "test");
  ForkRunner inner(&crash, 2);
  CachingRunner r(inner, cache);
  auto in = seeds(4);
  in[3] = in[0];  // a duplicate
  std::size_t stored_when_seen = 0;
  const auto first = r.run(in, [&](std::size_t i, const RunResult& x) {
    if (x.ok && cache.get(in[i])) ++stored_when_seen;  // already on disk when reported
  });
  CHECK(stored_when_seen == 3);  // inputs 0, 2 and the duplicate 3; input 1 crashed
  CHECK_FALSE(first[1].ok);
  RunnerProgress last;
  r.set_progress([&](const RunnerProgress& p) { last = p; });
  const auto second = r.run(in);
  CHECK(last.cached == 3);  // the crash was not stored: it is retried
  CHECK(last.done == 4);
  CHECK(second[0].ok);
  fs::remove_all(dir);
}

TEST_CASE("budget runner above the cache: the event budget is part of the key, so a cached result never escapes a budget") {
  const fs::path dir = fs::temp_directory_path() / ("hwplan-budget-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  ResultCache cache(dir.string(), "test");
  ForkRunner inner(&simulate, 1);
  CachingRunner caching(inner, cache);
  // A few hundred requests: fine under the default budget, over a budget of 50.
  const std::vector<SimInput> in{validation::pure_queue(400, 1e-3, 1, ServiceDistribution::exponential, 0.5, 0.05, 3)};
  BudgetRunner unlimited(caching, EngineOptions{}.event_budget);
  const auto first = unlimited.run(in);
  REQUIRE(first[0].ok);
  CHECK(cache.misses() == 1);
  BudgetRunner tight(caching, 50);
  const auto second = tight.run(in);
  CHECK_FALSE(second[0].ok);  // simulated again under the budget, not served from the cache
  CHECK(second[0].error.find(kEventBudgetExceeded) != std::string::npos);
  CHECK(cache.hits() == 0);
  const auto third = unlimited.run(in);  // the first budget's result is still there
  CHECK(third[0].ok);
  CHECK(cache.hits() == 1);
  fs::remove_all(dir);
}

TEST_CASE("pool runner: threads share one pool; each gets its own results, identical to a serial run") {
  std::vector<SimInput> all;
  for (std::uint64_t s = 1; s <= 12; ++s) {
    all.push_back(validation::pure_queue(400, 1e-3, 1, ServiceDistribution::exponential, 0.5, 0.05, s));  // a few hundred requests
  }
  ForkRunner serial(&simulate, 1);
  const auto expected = serial.run(all);
  for (int kind = 0; kind < 2; ++kind) {
    INFO((kind == 0 ? "fork" : "process"));
    PoolRunner pool(kind == 0 ? std::unique_ptr<ChildRunner>(std::make_unique<ForkRunner>(&simulate, 2))
                              : std::unique_ptr<ChildRunner>(std::make_unique<ProcessRunner>(HWPLAN_BIN, 2)));
    std::vector<std::vector<RunResult>> got(4);
    std::vector<std::size_t> seen(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        std::vector<SimInput> mine(all.begin() + static_cast<std::ptrdiff_t>(3 * t), all.begin() + static_cast<std::ptrdiff_t>(3 * t + 3));
        got[t] = pool.run(mine, [&, t](std::size_t, const RunResult&) { ++seen[t]; });
      });
    }
    for (auto& th : threads) th.join();
    for (std::size_t t = 0; t < 4; ++t) {
      CHECK(seen[t] == 3);
      for (std::size_t k = 0; k < 3; ++k) {
        REQUIRE(got[t][k].ok);
        CHECK(without_wall(got[t][k]) == without_wall(expected[3 * t + k]));
      }
    }
  }
  CHECK(children_left() == 0);  // the pools are gone, and so are their children
}

TEST_CASE("pool runner: cancel() releases every waiting thread within a second, with no child left") {
  PoolRunner pool(std::make_unique<ForkRunner>(&sleep_forever, 2));
  std::vector<std::vector<RunResult>> got(3);
  std::vector<std::thread> threads;
  const auto t0 = std::chrono::steady_clock::now();
  for (std::size_t t = 0; t < 3; ++t) threads.emplace_back([&, t] { got[t] = pool.run(seeds(2)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  pool.cancel();
  for (auto& th : threads) th.join();
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(took < 1.3);
  for (const auto& g : got) {
    for (const auto& r : g) CHECK(r.error == kCancelled);
  }
  CHECK(children_left() == 0);
  CHECK(pool.run(seeds(1)).at(0).error == kCancelled);  // sticky
}

TEST_CASE("planner: a simulation that crashes is an error naming the candidate and the cause, never a verdict") {
  const auto cat = catalogue();
  const auto s = load_scenario(kSrc + "/tests/data/planner/queue-sizing.yaml", cat);
  ForkRunner crashing(
      [](const SimInput&) -> RunResult {
        ::signal(SIGSEGV, SIG_DFL);
        ::raise(SIGSEGV);
        return {};
      },
      1);
  PlanOptions o;
  o.sensitivity = false;
  try {
    (void)make_plan(s, cat, crashing, o);
    FAIL("a plan was drawn from crashed simulations");
  } catch (const SimulationFailed& e) {
    CHECK_FALSE(e.candidate().empty());
    CHECK(e.cause().find("killed by signal 11") != std::string::npos);
    CHECK(std::string(e.what()).find(e.candidate()) != std::string::npos);
  }
}
