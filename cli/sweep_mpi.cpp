// hwplan-mpi (`hwplan sweep --mpi` execs it): the same sweep spread over MPI ranks (Open
// MPI). It links no SimGrid (see cli/sweep.hpp). Every rank loads the
// sweep and runs its simulations through its own pool of ProcessRunner children (a
// 'hwplan simulate --serve' per slot: no fork() of a simulating child after MPI_Init). Rank 0
// drives the sweep (cli/sweep.cpp's drive_sweep, as a local run does), and for each batch
// (the whole grid, or one round of a boundary map) broadcasts the variants to evaluate; rank
// r takes those at positions p with p % size == r (deterministic), sends each outcome to
// rank 0 as it finishes, and says when its share is done. Rank 0 writes every row, so the
// file holds the same rows as a local run. Only this process's main thread calls MPI
// (MPI_THREAD_FUNNELED): worker threads hand outcomes over through a queue.
#include <fmt/format.h>
#include <mpi.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "cli/sweep.hpp"
#include "sim/core/errors.hpp"

namespace hw::cli {
namespace {

using sweep::Outcome;
using sweep::ResolvedVariant;

constexpr int kTagOutcome = 11;    // a finished variant: rank r -> 0
constexpr int kTagShareDone = 12;  // rank r finished its share of the batch (or was cancelled: then it says why)
constexpr int kTagCancel = 13;     // rank 0 -> r: stop

// A broadcast that waits by polling with short sleeps: a blocking MPI_Bcast spins on a
// core, which the rank's own simulations (and, oversubscribed, the other ranks') need.
void wait_polling(MPI_Request& req) {
  int done = 0;
  while (true) {
    MPI_Test(&req, &done, MPI_STATUS_IGNORE);
    if (done) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void bcast_text(std::string& s) {
  std::uint64_t n = s.size();
  MPI_Request req;
  MPI_Ibcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD, &req);
  wait_polling(req);
  s.resize(n);
  if (n > 0) {
    MPI_Ibcast(s.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD, &req);
    wait_polling(req);
  }
}

void send_text(const std::string& s, int to, int tag) {
  MPI_Send(s.data(), static_cast<int>(s.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD);
}

std::string recv_text(const MPI_Status& probed) {
  int n = 0;
  MPI_Get_count(&probed, MPI_CHAR, &n);
  std::string s(static_cast<std::size_t>(n), '\0');
  MPI_Recv(s.data(), n, MPI_CHAR, probed.MPI_SOURCE, probed.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return s;
}

nlohmann::json outcome_json(const Outcome& o) {
  return {{"index", o.index},     {"values", o.values},      {"key", o.key},
          {"status", to_string(o.status)}, {"error", o.error}, {"rows", o.rows},
          {"answer", o.answer},   {"report", o.report},      {"simulations", o.simulations},
          {"cache_hits", o.cache_hits}};
}

Outcome outcome_from(const nlohmann::json& j) {
  Outcome o;
  o.index = j.at("index").get<std::size_t>();
  o.values = j.at("values").get<std::vector<std::string>>();
  o.key = j.at("key").get<std::string>();
  const std::string st = j.at("status").get<std::string>();
  o.status = st == "ok" ? sweep::Status::ok : st == "infeasible" ? sweep::Status::infeasible : sweep::Status::failed;
  o.error = j.at("error").get<std::string>();
  o.rows = j.at("rows").get<std::vector<std::vector<std::string>>>();
  o.answer = j.at("answer").get<std::string>();
  o.report = j.at("report");
  o.simulations = j.at("simulations").get<std::size_t>();
  o.cache_hits = j.at("cache_hits").get<std::size_t>();
  return o;
}

struct World {
  int rank = 0, size = 1;
};

std::string signal_name(int sig) {
  switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return fmt::format("signal {}", sig);
  }
}

// Rank 0's backend: broadcasts each batch, evaluates its own share here, receives the others'.
class MpiBackend final : public SweepBackend {
 public:
  MpiBackend(World w, const sweep::SweepSpec& spec, const Catalogue& cat, Runner& pool, const sweep::ExecOptions& e, int slots_all)
      : w_(w), pool_(pool), ex_(spec, cat, pool, e), slots_all_(slots_all) {}

  void evaluate(const std::vector<const ResolvedVariant*>& todo, const std::function<void(Outcome)>& on_done,
                const std::function<void()>& tick) override {
    nlohmann::json batch = {{"done", false}, {"variants", nlohmann::json::array()}};
    for (const auto* v : todo) batch["variants"].push_back({{"index", v->variant.index}, {"values", v->variant.values}});
    std::string text = batch.dump();
    bcast_text(text);
    std::vector<const ResolvedVariant*> mine;
    for (std::size_t p = 0; p < todo.size(); ++p) {
      if (static_cast<int>(p % static_cast<std::size_t>(w_.size)) == 0) mine.push_back(todo[p]);
    }
    int owing = w_.size - 1;
    auto poll = [&] {
      int flag = 1;
      while (owing > 0) {
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (!flag) break;
        const auto j = nlohmann::json::parse(recv_text(st));
        remote_simulated_[st.MPI_SOURCE] = j.at("rank_simulated").get<std::size_t>();
        if (st.MPI_TAG == kTagOutcome) on_done(outcome_from(j.at("outcome")));
        if (st.MPI_TAG == kTagShareDone) {
          --owing;
          // A share cut short is no share done: unless this rank was cancelled first (its own
          // Ctrl-C, which it reports itself), the sweep is interrupted by that rank, and this
          // rank stops its own share (the cancel below then reaches every other rank).
          if (j.value("cancelled", false) && !pool_.cancelled() && interruption_.why.empty()) {
            const int sig = j.value("signal", 0);
            interruption_.why = sig != 0 ? fmt::format("{} on MPI rank {}", signal_name(sig), st.MPI_SOURCE)
                                         : fmt::format("MPI rank {} stopped its share", st.MPI_SOURCE);
            interruption_.exit_code = sig != 0 ? 128 + sig : kInternal;
            pool_.cancel();
          }
        }
      }
      if (pool_.cancelled() && !cancel_sent_) {
        cancel_sent_ = true;
        for (int r = 1; r < w_.size; ++r) MPI_Send(nullptr, 0, MPI_CHAR, r, kTagCancel, MPI_COMM_WORLD);
      }
    };
    ex_.run(mine, on_done, [&] { poll(); if (tick) tick(); }, 100);
    const auto t_cancel = std::chrono::steady_clock::now();
    while (owing > 0) {
      poll();
      if (tick) tick();
      if (pool_.cancelled() && std::chrono::steady_clock::now() - t_cancel > std::chrono::milliseconds(800)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  [[nodiscard]] std::size_t simulated() const override {
    std::size_t n = ex_.simulated();
    for (const auto& [r, k] : remote_simulated_) n += k;
    return n;
  }
  [[nodiscard]] std::size_t running() const override { return ex_.running(); }
  [[nodiscard]] bool cancelled() const override { return pool_.cancelled(); }
  [[nodiscard]] int slots() const override { return slots_all_; }
  [[nodiscard]] Interruption interruption() const override { return interruption_; }
  void finish() override {
    if (finished_) return;
    finished_ = true;
    std::string done = nlohmann::json{{"done", true}}.dump();
    bcast_text(done);
  }

 private:
  World w_;
  Runner& pool_;
  sweep::Executor ex_;
  int slots_all_;
  bool cancel_sent_ = false, finished_ = false;
  std::map<int, std::size_t> remote_simulated_;
  Interruption interruption_;
};

// Ranks 1..n-1: evaluate the broadcast batches' shares until rank 0 says done. Returns
// whether this rank cut a share short because it was itself signalled (`guard`).
bool serve(World w, const sweep::SweepSpec& spec, const Catalogue& cat, Runner& pool, const sweep::ExecOptions& e,
           const CancelOnSignals& guard) {
  sweep::Executor ex(spec, cat, pool, e);
  std::mutex mu;
  std::deque<Outcome> ready;
  auto flush = [&] {
    std::deque<Outcome> out;
    {
      std::lock_guard<std::mutex> lock(mu);
      out.swap(ready);
    }
    for (const auto& o : out) {
      send_text(nlohmann::json{{"outcome", outcome_json(o)}, {"rank_simulated", ex.simulated()}}.dump(), 0, kTagOutcome);
    }
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(0, kTagCancel, MPI_COMM_WORLD, &flag, &st);
    if (flag) {
      MPI_Recv(nullptr, 0, MPI_CHAR, 0, kTagCancel, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      pool.cancel();
    }
  };
  bool cut_short = false;
  while (true) {
    std::string text;
    bcast_text(text);
    const auto batch = nlohmann::json::parse(text);
    if (batch.at("done").get<bool>()) break;
    std::vector<ResolvedVariant> mine;
    const auto& vs = batch.at("variants");
    for (std::size_t p = 0; p < vs.size(); ++p) {
      if (static_cast<int>(p % static_cast<std::size_t>(w.size)) != w.rank) continue;
      sweep::Variant v{vs[p].at("index").get<std::size_t>(), vs[p].at("values").get<std::vector<std::string>>()};
      mine.push_back(sweep::resolve_variant(spec, cat, v));
    }
    std::vector<const ResolvedVariant*> todo;
    for (const auto& r : mine) todo.push_back(&r);
    ex.run(
        todo,
        [&](Outcome o) {
          std::lock_guard<std::mutex> lock(mu);
          ready.push_back(std::move(o));
        },
        flush, 100);
    flush();
    const bool cancelled = pool.cancelled();
    // signal: this rank's own SIGTERM/SIGINT (0 when rank 0 told it to stop), for rank 0's message.
    send_text(nlohmann::json{{"rank_simulated", ex.simulated()}, {"cancelled", cancelled}, {"signal", guard.signal()}}.dump(), 0,
              kTagShareDone);
    cut_short = cut_short || (cancelled && guard.signal() != 0);
  }
  // A cancel that arrived after the last share: consume it.
  int flag = 0;
  MPI_Status st;
  MPI_Iprobe(0, kTagCancel, MPI_COMM_WORLD, &flag, &st);
  if (flag) MPI_Recv(nullptr, 0, MPI_CHAR, 0, kTagCancel, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return cut_short;
}

// Simulations per rank by default: this node's cores shared by the ranks on it.
int default_jobs() {
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  int local = 1;
  MPI_Comm_size(node, &local);
  MPI_Comm_free(&node);
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::max(1, cores / std::max(1, local));
}

// Every rank learns whether all ranks got this far; the first error is rank 0's to report.
bool all_ok(bool ok) {
  int mine = ok ? 1 : 0, all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return all == 1;
}

}  // namespace

int run_sweep_mpi(const SweepOptions& given) {
  if (given.simulator.empty()) throw UsageError("--simulator: the hwplan binary that simulates is required");
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  World w;
  MPI_Comm_rank(MPI_COMM_WORLD, &w.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &w.size);
  struct Finalize {
    ~Finalize() { MPI_Finalize(); }
  } finalize;

  SweepOptions o = given;
  if (o.runner.jobs == 0) o.runner.jobs = default_jobs();
  // Load everything on every rank; if any rank fails, every rank stops (rank 0 says why).
  std::optional<Catalogue> cat;
  std::optional<sweep::SweepSpec> spec;
  std::exception_ptr error;
  try {
    cat.emplace(load_default_catalogue(o.catalogue));
    spec.emplace(sweep::load_sweep(o.sweep, *cat, o.max_variants));
  } catch (...) {
    error = std::current_exception();
  }
  if (!all_ok(!error)) {
    if (w.rank == 0 && error) std::rethrow_exception(error);
    if (w.rank == 0) throw std::runtime_error("another MPI rank could not load the sweep (see its message)");
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const InputError&) {
        // the same file, the same error: rank 0 reports it
      } catch (const std::exception& e) {
        fmt::print(stderr, "rank {}: {}\n", w.rank, e.what());
      }
    }
    return w.rank == 0 ? kBadInput : kOk;
  }
  // Each rank's simulations: one 'hwplan simulate --serve' per slot, forked by one zygote this
  // rank starts with vfork+exec (nothing else: no fork of a process that called MPI_Init).
  auto inner = std::make_unique<ProcessRunner>(o.simulator, o.runner.jobs);
  inner->share_startup();
  // Each rank's simulator must load its engine (a node without the module, or with another
  // build's): if any cannot, every rank stops, rank 0 with its reason or a pointer to the
  // other rank's, which says its own.
  std::string build_id;
  try {
    build_id = inner->build_id();
  } catch (...) {
    error = std::current_exception();
  }
  if (!all_ok(!error)) {
    if (w.rank == 0 && error) std::rethrow_exception(error);
    if (w.rank == 0) throw SimulatorUnusable("another MPI rank cannot run its simulator (see its message)");
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        fmt::print(stderr, "rank {}: {}\n", w.rank, e.what());
      }
    }
    return kOk;
  }
  struct {
    std::unique_ptr<Runner> pool;
  } pool{std::make_unique<PoolRunner>(std::move(inner))};
  const sweep::ExecOptions e = exec_options(o, build_id, o.network_model);
  int slots = pool.pool->slots(), slots_all = 0;
  MPI_Allreduce(&slots, &slots_all, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  if (w.rank != 0) {
    CancelOnSignals guard(*pool.pool);
    // Signalled mid-share: this rank exits as a signalled local sweep does (rank 0 reports
    // the interruption); signalled after its last share, the sweep is whole and it exits 0.
    return serve(w, *spec, *cat, *pool.pool, e, guard) ? guard.exit_code() : kOk;
  }
  fmt::print(stderr, "MPI: {} rank(s), {} simulation slot(s) in all\n", w.size, slots_all);
  MpiBackend backend(w, *spec, *cat, *pool.pool, e, slots_all);
  try {
    const int rc = drive_sweep(o, *cat, *spec, backend, *pool.pool);
    backend.finish();
    return rc;
  } catch (...) {
    backend.finish();  // release the other ranks before reporting
    throw;
  }
}

}  // namespace hw::cli
