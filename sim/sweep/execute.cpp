#include "sim/sweep/execute.hpp"

#include <fmt/format.h>

#include <chrono>
#include <exception>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include "sim/io/plan_report.hpp"
#include "sim/plan/evaluate.hpp"
#include "sim/plan/planner.hpp"
#include "sim/run/cache.hpp"
#include "sim/run/json.hpp"

namespace hw::sweep {

std::vector<std::string> report_header(const SweepSpec& spec) {
  if (spec.action == Action::recommend) return plan_table(spec.base_scenario, Plan{}, TableStyle::csv).header;
  return run_table(spec.base_scenario, {}, TableStyle::csv).header;
}

namespace {

Outcome failed(const ResolvedVariant& v, std::string why) {
  Outcome o;
  o.index = v.variant.index;
  o.values = v.variant.values;
  o.key = v.key;
  o.status = Status::failed;
  o.error = std::move(why);
  o.answer = "failed";
  return o;
}

// Why a simulation of `candidate` failed, as the variant's reason: a run stopped by its
// event budget is a limit of this variant (too many requests), not a crash, and says how
// to raise it.
std::string failure_reason(const std::string& candidate, const std::string& cause) {
  if (cause.find(kEventBudgetExceeded) != std::string::npos) {
    return fmt::format("over the event budget: the simulation of {} stopped: {} (a limit, not a crash)", candidate,
                       event_budget_for_people(cause));
  }
  return fmt::format("the simulation of {} failed: {}", candidate, cause);
}

Outcome over_budget_or_failed(const ResolvedVariant& v, const std::string& candidate, const std::string& cause) {
  Outcome o = failed(v, failure_reason(candidate, cause));
  if (cause.find(kEventBudgetExceeded) != std::string::npos) o.answer = "over event budget";
  return o;
}

}  // namespace

Outcome evaluate_variant(const SweepSpec& spec, const Catalogue& cat, const ResolvedVariant& v, Runner& runner,
                         const std::optional<std::string>& network_model, bool& cancelled) {
  cancelled = false;
  if (!v.scenario) return failed(v, v.error);
  const Scenario& s = *v.scenario;
  try {
    if (spec.action == Action::recommend) {
      PlanOptions po;
      po.sensitivity = spec.sensitivity;
      const auto t0 = std::chrono::steady_clock::now();
      Plan plan = make_plan(s, cat, runner, po);
      if (plan.cancelled || runner.cancelled()) {
        cancelled = true;
        return {};
      }
      Outcome o;
      o.index = v.variant.index;
      o.values = v.variant.values;
      o.key = v.key;
      o.rows = plan_table(s, plan, TableStyle::csv).rows;
      o.simulations = plan.simulations;
      o.cache_hits = plan.cache_hits;
      if (plan.winner) {
        const auto& w = plan.candidates[*plan.winner].report.candidate.spec;
        o.answer = answer_words(family_json(s, w.family), hybrid_kind(s, w), hardware_name(w));
      } else {
        o.status = Status::infeasible;
        o.error = plan.why;
        o.answer = "none";
      }
      if (network_model) {
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        o.report = plan_json(s, plan, *network_model, wall);
        o.report.erase("stats");  // wall time and cache hits differ between identical runs
      }
      return o;
    }
    if (s.candidates.empty()) return failed(v, "the scenario lists no candidate deployments to run");
    std::vector<CandidateReport> reports = evaluate_candidates(s, cat, s.candidates, runner);
    if (runner.cancelled()) {
      cancelled = true;
      return {};
    }
    Outcome o;
    o.index = v.variant.index;
    o.values = v.variant.values;
    o.key = v.key;
    o.rows = run_table(s, reports, TableStyle::csv).rows;
    bool any_feasible = false;
    for (const auto& r : reports) {
      any_feasible = any_feasible || r.feasible;
      if (!r.run.ok && !r.candidate.infeasible && o.status != Status::failed) {
        o.status = Status::failed;
        o.error = failure_reason(r.candidate.label, r.run.error);
      }
    }
    if (o.status == Status::ok && !any_feasible) {
      o.status = Status::infeasible;
      o.error = "no candidate is feasible";
    }
    o.answer = o.status != Status::failed                                 ? ""
               : o.error.find(kEventBudgetExceeded) != std::string::npos ? "over event budget"
                                                                         : "failed";
    if (network_model) o.report = run_report_json(s, reports, *network_model);
    return o;
  } catch (const SimulationFailed& e) {
    if (runner.cancelled()) {
      cancelled = true;
      return {};
    }
    return over_budget_or_failed(v, e.candidate(), e.cause());
  } catch (const std::exception& e) {
    if (runner.cancelled()) {
      cancelled = true;
      return {};
    }
    return failed(v, e.what());
  }
}

std::vector<RunResult> CountingRunner::run(const std::vector<SimInput>& inputs, const OnResult& on_result, const OnProgress& on_progress) {
  auto counting = [&](std::size_t i, const RunResult& r) {
    if (r.ok) simulated_.fetch_add(1);
    if (on_result) on_result(i, r);
  };
  return inner_.run(inputs, counting, on_progress);
}

std::vector<RunResult> InFlightRunner::run(const std::vector<SimInput>& inputs, const OnResult& on_result, const OnProgress& on_progress) {
  std::vector<RunResult> out(inputs.size());
  std::vector<std::size_t> mine;                                 // positions this call simulates
  std::vector<std::promise<RunResult>> promises;                 // for mine
  std::vector<std::string> keys(inputs.size());
  std::vector<std::pair<std::size_t, std::shared_future<RunResult>>> theirs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      keys[i] = hash128(canonical_json(inputs[i]));
      if (auto it = flying_.find(keys[i]); it != flying_.end()) {
        theirs.emplace_back(i, it->second);
        continue;
      }
      mine.push_back(i);
      promises.emplace_back();
      flying_[keys[i]] = promises.back().get_future().share();
    }
  }
  std::vector<SimInput> batch;
  batch.reserve(mine.size());
  for (std::size_t i : mine) batch.push_back(inputs[i]);
  std::vector<bool> delivered(mine.size(), false);
  auto finish = [&](std::size_t k, const RunResult& r) {
    if (delivered[k]) return;
    delivered[k] = true;
    out[mine[k]] = r;
    promises[k].set_value(r);
    {
      std::lock_guard<std::mutex> lock(mu_);
      flying_.erase(keys[mine[k]]);
    }
    if (on_result) on_result(mine[k], r);
  };
  std::vector<RunResult> got;
  try {
    got = inner_.run(batch, [&](std::size_t k, const RunResult& r) { finish(k, r); }, on_progress);
  } catch (...) {
    RunResult r;
    r.ok = false;
    r.error = "the runner failed";
    for (std::size_t k = 0; k < mine.size(); ++k) finish(k, r);
    throw;
  }
  for (std::size_t k = 0; k < mine.size() && k < got.size(); ++k) finish(k, got[k]);
  for (auto& [i, f] : theirs) {
    out[i] = f.get();
    shared_.fetch_add(1);
    if (on_result) on_result(i, out[i]);
  }
  return out;
}

Executor::Executor(const SweepSpec& spec, const Catalogue& cat, Runner& shared, ExecOptions o)
    : spec_(spec), cat_(cat), counter_(shared), in_flight_(counter_), o_(std::move(o)) {
  threads_ = o_.threads > 0 ? o_.threads : 2 * std::max(1, shared.slots()) + 1;
}

void Executor::run(const std::vector<const ResolvedVariant*>& todo, const std::function<void(Outcome)>& on_done,
                   const std::function<void()>& tick, int tick_ms) {
  std::mutex mu;          // the queue position and thread bookkeeping
  std::mutex deliver_mu;  // on_done, one at a time, without holding up threads that take the next variant
  std::condition_variable cv;
  std::size_t next = 0, finished_threads = 0;
  std::exception_ptr thread_error;  // the first, rethrown as it was (a FileWriteError stays one)
  const int n = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(threads_), todo.size()));
  auto worker = [&] {
    try {
      std::optional<ResultCache> cache;
      std::optional<CachingRunner> caching;
      if (o_.cache) {
        cache.emplace(o_.cache_dir, o_.build_id);
        caching.emplace(in_flight_, *cache);
      }
      // The event budget above the cache: it is part of every input the cache keys.
      BudgetRunner r(caching ? static_cast<Runner&>(*caching) : static_cast<Runner&>(in_flight_), o_.event_budget);
      while (!counter_.cancelled()) {
        std::size_t i = 0;
        {
          std::lock_guard<std::mutex> lock(mu);
          if (next >= todo.size()) break;
          i = next++;
        }
        running_.fetch_add(1);
        bool cancelled = false;
        const std::size_t hits_before = cache ? cache->hits() : 0;
        Outcome o = evaluate_variant(spec_, cat_, *todo[i], r, o_.json_network_model, cancelled);
        running_.fetch_sub(1);
        if (cancelled) break;
        if (cache) o.cache_hits = cache->hits() - hits_before;  // this thread's cache served only this variant meanwhile
        cache_hits_.fetch_add(o.cache_hits);
        std::lock_guard<std::mutex> lock(deliver_mu);
        on_done(std::move(o));
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu);
      if (!thread_error) thread_error = std::current_exception();
      counter_.cancel();  // the sweep cannot go on without this thread's work
    }
    std::lock_guard<std::mutex> lock(mu);
    ++finished_threads;
    cv.notify_all();
  };
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) {
    try {
      pool.emplace_back(worker);
    } catch (const std::system_error&) {
      // No thread at all: the caller says why (the process limit). Fewer than asked: those
      // running take every variant from the shared queue.
      if (pool.empty()) throw;
      break;
    }
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    while (finished_threads < pool.size()) {
      cv.wait_for(lock, std::chrono::milliseconds(tick_ms));
      if (tick && finished_threads < pool.size()) {
        lock.unlock();
        tick();
        lock.lock();
      }
    }
  }
  for (auto& t : pool) t.join();
  if (thread_error) std::rethrow_exception(thread_error);
}

}  // namespace hw::sweep
