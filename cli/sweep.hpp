// hwplan sweep, in three files:
//   sweep_drive.cpp  the sweep itself (result file, resume, progress, boundary rounds,
//                    summary) over a SweepBackend; no SimGrid
//   sweep.cpp        the subcommand in `hwplan`: a local pool, or for --mpi an exec of the
//                    `hwplan-mpi` helper next to the binary
//   sweep_mpi.cpp    `hwplan-mpi` (mpi_main.cpp): the MPI backend and the ranks' loop. It
//                    links no SimGrid: libsimgrid exports SMPI's own MPI_* symbols, which
//                    would shadow Open MPI's in a process that links both.
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
  std::size_t max_variants = sweep::kDefaultMaxVariants;  // the most variants a grid may have (see load_sweep)
  bool no_cache = false;
  std::string cache_dir;
  CatalogueOptions catalogue;
  // hwplan-mpi only: the hwplan binary that simulates, and the engine's network model text
  // (for the JSON documents), both handed over by `hwplan sweep --mpi`.
  std::string simulator;
  std::string network_model;
};

// The sweep's options (all but the sweep file), shared by `hwplan sweep` and `hwplan-mpi`.
void add_sweep_options(CLI::App& app, SweepOptions& o);

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
  // A cancel that came from elsewhere than this process's own signal (MPI: another rank was
  // sent SIGTERM or SIGINT): what to say ("SIGTERM on MPI rank 1") and the exit code; empty
  // `why` when there was none.
  struct Interruption {
    std::string why;
    int exit_code = 0;
  };
  [[nodiscard]] virtual Interruption interruption() const { return {}; }
};

// This process's executor over one shared pool.
class LocalBackend final : public SweepBackend {
 public:
  LocalBackend(const sweep::SweepSpec& spec, const Catalogue& cat, Runner& pool, const sweep::ExecOptions& e)
      : pool_(pool), ex_(spec, cat, pool, e) {}
  void evaluate(const std::vector<const sweep::ResolvedVariant*>& todo, const std::function<void(sweep::Outcome)>& on_done,
                const std::function<void()>& tick) override {
    ex_.run(todo, on_done, tick);
  }
  [[nodiscard]] std::size_t simulated() const override { return ex_.simulated(); }
  [[nodiscard]] std::size_t running() const override { return ex_.running(); }
  [[nodiscard]] bool cancelled() const override { return pool_.cancelled(); }
  [[nodiscard]] int slots() const override { return pool_.slots(); }

 private:
  Runner& pool_;
  sweep::Executor ex_;
};

// Executor settings from the options; network_model set: JSON output (the documents carry it).
sweep::ExecOptions exec_options(const SweepOptions& o, const std::string& build_id, const std::optional<std::string>& network_model);

// Drives a sweep on a backend (this process, or rank 0 under MPI): the result file and
// --resume, the grid or the boundary rounds, progress, Ctrl-C (cancels `cancel_target`),
// the summary. Returns the exit code.
int drive_sweep(const SweepOptions& o, const Catalogue& cat, const sweep::SweepSpec& spec, SweepBackend& backend, Runner& cancel_target);

// hwplan-mpi: every rank calls this under mpirun; rank 0 returns the sweep's exit code.
int run_sweep_mpi(const SweepOptions& o);

}  // namespace hw::cli
