// The runner a subcommand simulates with (Ctrl-C / SIGTERM: cli/signals.cpp).
#include "cli/common.hpp"
#include "sim/engine/engine.hpp"

namespace hw::cli {

void add_runner_options(CLI::App& app, RunnerOptions& opts) {
  app.add_option("-j,--jobs", opts.jobs, "Simulations in parallel (default: all cores)")->check(CLI::NonNegativeNumber);
  app.add_option("--runner", opts.kind,
                 "How each simulation leaves this process: fork (a forked child) or process (a child 'hwplan simulate')")
      ->check(CLI::IsMember({"fork", "process"}))
      ->default_val("fork");
}

std::unique_ptr<Runner> make_runner(const RunnerOptions& opts) {
  if (opts.kind == "process") return std::make_unique<ProcessRunner>(self_exe(), opts.jobs);
  return std::make_unique<ForkRunner>(&simulate, opts.jobs);
}

}  // namespace hw::cli
