// Running a sweep's variants: several variants in flight on worker threads, all of their
// simulations on ONE shared runner (a PoolRunner: its slots are the sweep's --jobs), each
// thread with its own ResultCache and CachingRunner over it. A variant that fails (does not
// load, a simulation crashes) is an outcome with its reason, never an exception.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sim/io/loaders.hpp"
#include "sim/run/runner.hpp"
#include "sim/sweep/results.hpp"
#include "sim/sweep/spec.hpp"

namespace hw::sweep {

// The report columns of the sweep's action (recommend's or run's CSV), for the scenario's currency.
std::vector<std::string> report_header(const SweepSpec& spec);

// Evaluates one variant through `runner` (recommend: make_plan; run: evaluate_candidates)
// and turns it into an outcome with the report's CSV rows, and its JSON document when
// `network_model` is given (the engine's network_model_description(), which the JSON
// documents carry). Returns with `cancelled` set when the runner was cancelled: such an
// outcome is not a result.
Outcome evaluate_variant(const SweepSpec& spec, const Catalogue& cat, const ResolvedVariant& v, Runner& runner,
                         const std::optional<std::string>& network_model, bool& cancelled);

// Decorates the shared runner and counts what it simulated (thread-safe).
class CountingRunner final : public Runner {
 public:
  explicit CountingRunner(Runner& inner) : inner_(inner) {}
  std::vector<RunResult> run(const std::vector<SimInput>& inputs, const OnResult& on_result = {},
                             const OnProgress& on_progress = {}) override;
  void cancel() noexcept override { inner_.cancel(); }
  [[nodiscard]] bool cancelled() const noexcept override { return inner_.cancelled(); }
  [[nodiscard]] int slots() const override { return inner_.slots(); }
  [[nodiscard]] std::exception_ptr failure() const override { return inner_.failure(); }
  [[nodiscard]] std::size_t simulated() const { return simulated_.load(); }

 private:
  Runner& inner_;
  std::atomic<std::size_t> simulated_{0};
};

// Decorates the shared runner so that a simulation asked for by several threads at once
// runs once: a thread whose input is already in flight for another thread waits for that
// result instead of submitting it again (variants that differ only in prices ask for the
// same simulations). Thread-safe.
class InFlightRunner final : public Runner {
 public:
  explicit InFlightRunner(Runner& inner) : inner_(inner) {}
  std::vector<RunResult> run(const std::vector<SimInput>& inputs, const OnResult& on_result = {},
                             const OnProgress& on_progress = {}) override;
  void cancel() noexcept override { inner_.cancel(); }
  [[nodiscard]] bool cancelled() const noexcept override { return inner_.cancelled(); }
  [[nodiscard]] int slots() const override { return inner_.slots(); }
  [[nodiscard]] std::exception_ptr failure() const override { return inner_.failure(); }
  [[nodiscard]] std::size_t shared() const { return shared_.load(); }  // results taken from another thread's run

 private:
  Runner& inner_;
  std::mutex mu_;
  std::map<std::string, std::shared_future<RunResult>> flying_;
  std::atomic<std::size_t> shared_{0};
};

struct ExecOptions {
  int threads = 0;             // variants in flight (0: twice the runner's slots, plus one)
  bool cache = true;           // each thread reads and writes the result cache
  std::string cache_dir;       // "" = default
  std::string build_id;        // of the simulating binary (ProcessRunner::build_id() or simulator_build_id())
  std::uint64_t event_budget = EngineOptions{}.event_budget;  // set on every input above the cache (BudgetRunner)
  std::optional<std::string> json_network_model;  // set: keep each report's JSON document
};

class Executor {
 public:
  Executor(const SweepSpec& spec, const Catalogue& cat, Runner& shared, ExecOptions o);

  // Evaluates `todo` on worker threads. on_done is called for each finished variant, one
  // at a time (under a lock), in a worker thread; tick is called in the calling thread
  // about every `tick_ms` while they run. Returns when all are done, or soon after the
  // shared runner is cancelled (variants cut short are not passed to on_done).
  void run(const std::vector<const ResolvedVariant*>& todo, const std::function<void(Outcome)>& on_done,
           const std::function<void()>& tick = {}, int tick_ms = 200);

  [[nodiscard]] std::size_t simulated() const { return counter_.simulated(); }
  [[nodiscard]] std::size_t shared() const { return in_flight_.shared(); }
  [[nodiscard]] std::size_t cache_hits() const { return cache_hits_.load(); }
  [[nodiscard]] std::size_t running() const { return running_.load(); }
  [[nodiscard]] int threads() const { return threads_; }

 private:
  const SweepSpec& spec_;
  const Catalogue& cat_;
  CountingRunner counter_;
  InFlightRunner in_flight_;
  ExecOptions o_;
  int threads_;
  std::atomic<std::size_t> cache_hits_{0};
  std::atomic<std::size_t> running_{0};
};

}  // namespace hw::sweep
