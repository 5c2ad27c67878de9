// The runner a subcommand simulates with (Ctrl-C / SIGTERM: cli/signals.cpp).
#include "cli/common.hpp"

#include <fmt/format.h>

#include "sim/core/errors.hpp"
#include "sim/engine/engine.hpp"

namespace hw::cli {

void add_runner_options(CLI::App& app, RunnerOptions& opts) {
  app.add_option("-j,--jobs", opts.jobs, fmt::format("Simulations in parallel, 0 to {} (default 0: all cores)", kMaxJobs))
      ->check(count_check("parallel simulations", 0, kMaxJobs, "all cores"));
  app.add_option("--runner", opts.kind,
                 "How each simulation leaves this process: fork (a forked child) or process (a child 'hwplan simulate')")
      ->check(CLI::IsMember({"fork", "process"}))
      ->default_val("fork");
  app.add_option("--max-events", opts.max_events,
                 "Event budget: the most requests one simulation may create before it stops with an error (0 = no limit)")
      ->check(count_check("requests per simulation", 0, kMaxEventBudget, "no limit"))
      ->default_val(opts.max_events);
}

void add_cache_options(CLI::App& app, bool& no_cache, std::string& cache_dir) {
  app.add_flag("--no-cache", no_cache, "Do not read or write the result cache");
  app.add_option("--cache-dir", cache_dir, "Result cache folder (default: $XDG_CACHE_HOME/hwplan/runs or ~/.cache/hwplan/runs)")
      ->check(path_given("a folder for the result cache"));
}

CacheStack::CacheStack(Runner& runner, bool no_cache, const std::string& cache_dir) : runner_(runner) {
  if (!check_cache_dir(no_cache, cache_dir)) return;
  // The engine's identity first: an engine that does not load is an installation problem
  // (SimulatorUnusable, exit 1), not the cache folder's.
  std::string build_id = simulator_build_id();
  try {
    cache.emplace(cache_dir, std::move(build_id));
  } catch (const std::runtime_error& e) {
    throw UsageError(fmt::format("--cache-dir: {} (or pass --no-cache)", e.what()));
  }
  caching.emplace(runner, *cache);
}

std::unique_ptr<Runner> make_runner(const RunnerOptions& opts) {
  std::unique_ptr<Runner> r;  // the event budget is set above it (BudgetRunner), above any cache
  if (opts.kind == "process") {
    auto process = std::make_unique<ProcessRunner>(self_exe(), opts.jobs);
    process->share_startup();  // one engine start-up for every slot (sim/run/runner.hpp)
    r = std::move(process);
  } else {
    load_engine();  // once here, not in every forked child
    r = std::make_unique<ForkRunner>(&simulate, opts.jobs);
  }
  return r;
}

std::string event_budget_message(const std::string& error) {
  const auto at = error.find(kEventBudgetExceeded);
  if (at == std::string::npos) return "";
  // "simulation of X failed: event budget exceeded: ...": it stopped at a limit, it did not fail.
  std::string before = error.substr(0, at);
  if (const std::string failed = " failed: "; before.ends_with(failed)) before.replace(before.size() - failed.size(), failed.size(), " stopped: ");
  return fmt::format("{}{} (a limit, not a failure)", before, event_budget_for_people(error.substr(at)));
}

}  // namespace hw::cli
