// hwplan-mpi: the MPI side of `hwplan sweep --mpi` (which execs this helper with the same
// options, so `mpirun -n N hwplan sweep SWEEP.yaml --mpi` is all a user types). It links no
// SimGrid: its simulations run in 'hwplan simulate --serve' children of the binary given
// by --simulator.
#include <fmt/format.h>

#include "cli/sweep.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/files.hpp"
#include "sim/run/runner.hpp"

#include <cerrno>
#include <cstdio>
#include <new>
#include <system_error>

int main(int argc, char** argv) {
  hw::cli::report_broken_pipes();
  using namespace hw::cli;
  CLI::App app{"hwplan-mpi: the ranks of 'hwplan sweep --mpi' (start it through 'mpirun ... hwplan sweep SWEEP.yaml --mpi')"};
  SweepOptions o;
  o.runner.kind = "process";
  o.mpi = true;
  app.add_option("sweep", o.sweep, "Sweep YAML file")->required()->check(CLI::ExistingFile);
  add_sweep_options(app, o);
  app.add_option("--simulator", o.simulator, "The hwplan binary whose 'simulate --serve' runs each simulation")->required();
  app.add_option("--network-model", o.network_model, "The engine's network model text, for the JSON output");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kOk : kBadInput;
  }
  int rc = kInternal;
  try {
    rc = run_sweep_mpi(o);
  } catch (const hw::InputError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kBadInput;
  } catch (const hw::UsageError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kBadInput;
  } catch (const hw::FileWriteError& e) {  // a full disk: the user's to fix
    fmt::print(stderr, "error: {}\n", e.what());
    return kBadInput;
  } catch (const hw::SpawnError& e) {
    fmt::print(stderr, "error: {}\n", e.error() == ENOMEM ? out_of_memory_message(e.what()) : process_limit_message(e.what()));
    return kBadInput;
  } catch (const hw::SimulatorUnusable& e) {  // an installation problem (the engine module): said as hwplan says it
    fmt::print(stderr, "error: {}\n", e.what());
    return kInternal;
  } catch (const std::bad_alloc& e) {
    fmt::print(stderr, "error: {}\n", out_of_memory_message(e.what()));
    return kBadInput;
  } catch (const std::system_error& e) {
    const int err = e.code().category() == std::generic_category() || e.code().category() == std::system_category() ? e.code().value() : 0;
    if (std::ferror(stdout) != 0) {  // fmt::print of the summary to a failed stdout ("cannot write to file")
      hw::cli::stdout_written(err);
      return kBadInput;
    }
    if (err == EPIPE && std::ferror(stderr) != 0) return kBadInput;  // stderr's reader has gone: nothing can be said
    fmt::print(stderr, "internal error: {}\n", e.what());
    return kInternal;
  } catch (const std::exception& e) {
    fmt::print(stderr, "internal error: {}\n", e.what());
    return kInternal;
  }
  // A sweep that ran but whose summary could not be printed has failed: exit 2, as hwplan's.
  if (!hw::cli::stdout_written(0) && (rc == kOk || rc == kInternal)) rc = kBadInput;
  return rc;
}
