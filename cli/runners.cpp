// The runner a subcommand simulates with (Ctrl-C / SIGTERM: cli/signals.cpp).
#include "cli/common.hpp"

#include <fmt/format.h>
#include "sim/engine/engine.hpp"

namespace hw::cli {

void add_runner_options(CLI::App& app, RunnerOptions& opts) {
  app.add_option("-j,--jobs", opts.jobs, "Simulations in parallel (default: all cores)")->check(CLI::NonNegativeNumber);
  app.add_option("--runner", opts.kind,
                 "How each simulation leaves this process: fork (a forked child) or process (a child 'hwplan simulate')")
      ->check(CLI::IsMember({"fork", "process"}))
      ->default_val("fork");
  app.add_option("--max-events", opts.max_events,
                 "Event budget: the most requests one simulation may create before it stops with an error (0 = no limit)")
      ->default_val(opts.max_events);
}

namespace {
// Sets every input's event budget, then hands the batch to the runner it wraps.
class BudgetRunner : public Runner {
 public:
  BudgetRunner(std::unique_ptr<Runner> inner, std::uint64_t budget) : inner_(std::move(inner)), budget_(budget) {}
  std::vector<RunResult> run(const std::vector<SimInput>& inputs, const OnResult& on_result = {},
                             const OnProgress& on_progress = {}) override {
    std::vector<SimInput> budgeted = inputs;
    for (auto& in : budgeted) in.engine.event_budget = budget_;
    return inner_->run(budgeted, on_result, on_progress ? on_progress : progress_);
  }
  void cancel() noexcept override { inner_->cancel(); }
  [[nodiscard]] bool cancelled() const noexcept override { return inner_->cancelled(); }
  [[nodiscard]] int slots() const override { return inner_->slots(); }

 private:
  std::unique_ptr<Runner> inner_;
  std::uint64_t budget_;
};
}  // namespace

std::unique_ptr<Runner> make_runner(const RunnerOptions& opts) {
  std::unique_ptr<Runner> r;
  if (opts.kind == "process") {
    r = std::make_unique<ProcessRunner>(self_exe(), opts.jobs);
  } else {
    r = std::make_unique<ForkRunner>(&simulate, opts.jobs);
  }
  if (opts.max_events == EngineOptions{}.event_budget) return r;
  return std::make_unique<BudgetRunner>(std::move(r), opts.max_events);
}

std::string event_budget_message(const std::string& error) {
  const auto at = error.find(kEventBudgetExceeded);
  if (at == std::string::npos) return "";
  return fmt::format("{} (a limit, not a failure: raise it with --max-events N, or 0 for none)", error);
}

}  // namespace hw::cli
