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
#include <cstdlib>
#include <string>
#include <new>
#include <system_error>

namespace {

constexpr const char* kStartedBy = "hwplan-mpi is started by 'mpirun ... hwplan sweep SWEEP.yaml --mpi'; run that instead";

// This process's rank as mpirun's environment gives it (Open MPI, PMIx, MPICH's Hydra), read
// before MPI_Init (which a command line that does not parse never reaches); 0 when started
// alone. Only rank 0 speaks of the command line: every rank sees the same one.
int launch_rank() {
  for (const char* v : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"}) {
    if (const char* s = std::getenv(v); s != nullptr && *s != '\0') return std::atoi(s);
  }
  return 0;
}

bool given(int argc, char** argv, const std::string& option) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--") break;
    if (a == option || a.rfind(option + "=", 0) == 0) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  hw::cli::report_broken_pipes();
  using namespace hw::cli;
  const bool speaks = launch_rank() == 0;
  CLI::App app{"hwplan-mpi: the ranks of 'hwplan sweep --mpi' (start it through 'mpirun ... hwplan sweep SWEEP.yaml --mpi')"};
  app.footer(fmt::format("{}.\n'hwplan sweep SWEEP.yaml --mpi' starts this helper in every rank with the options above and the\n"
                         "plumbing ones (--simulator, --network-model); its own options are in 'hwplan sweep --help'.\n"
                         "Example:\n  mpirun -n 4 hwplan sweep scenarios/sweeps/llm-rate-gpu.yaml --mpi",
                         kStartedBy));
  SweepOptions o;
  o.runner.kind = "process";
  o.mpi = true;
  app.add_option("sweep", o.sweep, "Sweep YAML file")->required()->check(CLI::ExistingFile);
  add_sweep_options(app, o);
  app.add_option("--simulator", o.simulator, "The hwplan binary whose 'simulate --serve' runs each simulation")->required();
  app.add_option("--network-model", o.network_model, "The engine's network model text, for the JSON output");
  const bool help = given(argc, argv, "--help") || given(argc, argv, "-h");
  // Started by hand (`mpirun -n 2 hwplan-mpi sweep X.yaml`): not CLI11's "File does not
  // exist: sweep" and "--simulator is required" once per rank, but what to run instead.
  // The other ranks end quietly with 0: one that exited 2 first would have mpirun abort the
  // job, perhaps before rank 0's message is out; mpirun's own exit is then rank 0's 2.
  if (!help && !given(argc, argv, "--simulator")) {
    if (!speaks) return kOk;
    fmt::print(stderr, "error: {}\n", kStartedBy);
    return kBadInput;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return speaks ? (app.exit(e) == 0 ? kOk : kBadInput) : kOk;  // --help
    if (!speaks) return kOk;  // as above: rank 0 says it, and exits 2
    std::string what = e.what();
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr) {
      if (auto twice = repeated_option_message(app, what, argc, argv); !twice.empty()) what = twice;
    }
    fmt::print(stderr, "error: {}\n", what);
    return kBadInput;
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
