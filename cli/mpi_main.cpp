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
#include <new>

int main(int argc, char** argv) {
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
  try {
    return run_sweep_mpi(o);
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
  } catch (const std::bad_alloc& e) {
    fmt::print(stderr, "error: {}\n", out_of_memory_message(e.what()));
    return kBadInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "internal error: {}\n", e.what());
    return kInternal;
  }
}
