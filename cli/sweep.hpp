// Where a sweep's variants are evaluated: in this process's pool (LocalBackend), or spread
// over MPI ranks (cli/sweep_mpi.cpp). The sweep command (cli/sweep.cpp) drives either.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/common.hpp"
#include "sim/sweep/execute.hpp"
#include "sim/sweep/spec.hpp"

namespace hw::cli {

struct SweepOptions {
  std::string sweep;
  std::string out;
  std::string format = "csv";
  bool resume = false;
  bool force = false;
  bool mpi = false;
  RunnerOptions runner;  // kind defaults to "process" here
  int threads = 0;       // variants in flight per process (0: 2 x jobs + 1)
  bool no_cache = false;
  std::string cache_dir;
  CatalogueOptions catalogue;
};

class SweepBackend {
 public:
  virtual ~SweepBackend() = default;
  // Evaluates every variant of `todo`; on_done gets each outcome (from any thread, one at
  // a time); tick is called in this thread a few times a second. Returns when all are
  // done or the sweep was cancelled.
  virtual void evaluate(const std::vector<const sweep::ResolvedVariant*>& todo, const std::function<void(sweep::Outcome)>& on_done,
                        const std::function<void()>& tick) = 0;
  [[nodiscard]] virtual std::size_t simulated() const = 0;  // simulations run (not from the cache), all ranks
  [[nodiscard]] virtual std::size_t running() const = 0;    // variants in flight here
  [[nodiscard]] virtual bool cancelled() const = 0;
  [[nodiscard]] virtual int slots() const = 0;              // simulations in parallel, all ranks
  virtual void finish() {}                                  // no more batches (MPI: releases the other ranks)
};

// The runner the sweep's simulations go through (a PoolRunner over ProcessRunner or
// ForkRunner children), the build id of the binary that simulates, and the executor.
struct SweepPool {
  std::unique_ptr<Runner> pool;
  std::string build_id;
};
SweepPool make_sweep_pool(const RunnerOptions& o);
sweep::ExecOptions exec_options(const SweepOptions& o, const std::string& build_id);

int run_sweep(const SweepOptions& o);

#ifdef HWPLAN_HAVE_MPI
// Under mpirun: every rank calls this. Rank 0 returns the sweep's exit code after running it
// with an MPI backend; the other ranks serve its batches and return 0.
int run_sweep_mpi(const SweepOptions& o);
#endif

// Drives a sweep on a backend (rank 0 under MPI, or this process).
int drive_sweep(const SweepOptions& o, const Catalogue& cat, const sweep::SweepSpec& spec, SweepBackend& backend, Runner& cancel_target);

}  // namespace hw::cli
