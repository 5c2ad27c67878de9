// hwplan sweep SWEEP.yaml: run or recommend every variant of a base scenario along axes of
// values (or map where the recommendation changes), on one shared pool of simulations,
// writing each finished variant to a CSV that survives interruption and resumes. The sweep
// itself is cli/sweep_drive.cpp; --mpi hands over to the hwplan-mpi helper.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <future>

#include "cli/sweep.hpp"
#include "sim/core/errors.hpp"
#include "sim/engine/engine.hpp"
#include "sim/run/cache.hpp"

namespace fs = std::filesystem;

namespace hw::cli {
namespace {

// The runner every simulation of the sweep goes through: one PoolRunner over ProcessRunner
// ('hwplan simulate --serve' per slot) or ForkRunner children, and the build id of the
// binary that simulates (the cache key's; not computed with --no-cache, where nothing uses
// it: it reads and hashes the binary, the engine and SimGrid, ~10 MB).
struct Pool {
  std::unique_ptr<Runner> pool;
  std::future<std::string> build_id;
};

// Made before anything else of the sweep: the servers start (each loads SimGrid), and the
// build id is read in the background, while this process loads the catalogue and the
// sweep file and checks the variants.
Pool make_pool(const RunnerOptions& o, bool no_cache) {
  if (o.kind == "fork") {
    load_engine();  // once here, not in every forked child
    auto pool = std::make_unique<PoolRunner>(std::make_unique<ForkRunner>(&simulate, o.jobs));
    return {std::move(pool), std::async(std::launch::deferred, [no_cache] { return no_cache ? std::string() : simulator_build_id(); })};
  }
  auto inner = std::make_unique<ProcessRunner>(self_exe(), o.jobs);
  inner->start_servers_early();
  inner->share_startup();  // one engine start-up for every slot (sim/run/runner.hpp)
  const ProcessRunner* simulating = inner.get();
  auto pool = std::make_unique<PoolRunner>(std::move(inner));
  // `simulating` lives as long as the pool, which outlives the future's get() below.
  return {std::move(pool), no_cache ? std::async(std::launch::deferred, [] { return std::string(); })
                                    : std::async(std::launch::async, [simulating] { return simulating->build_id(); })};
}

// `hwplan sweep --mpi` under mpirun: become hwplan-mpi (next to this binary) with the same
// options, this binary as the simulator and the engine's network model text.
[[noreturn]] void exec_mpi_helper(const SweepOptions& o) {
  if (o.runner.kind == "fork") {
    throw UsageError("--mpi runs simulations through 'hwplan simulate' children (--runner process): fork() after MPI_Init is unsafe");
  }
  const std::string exe = self_exe();
  const std::string helper = (fs::path(exe).parent_path() / "hwplan-mpi").string();
  if (::access(helper.c_str(), X_OK) != 0) {
    throw UsageError(fmt::format("--mpi: {} is missing; this hwplan was built without MPI (install libopenmpi-dev, configure and build again)",
                                 helper));
  }
  std::vector<std::string> args{helper, o.sweep, "--format", o.format, "--simulator", exe, "--network-model", network_model_description(),
                                "--catalogue", data_dir(o.catalogue)};
  if (!o.out.empty()) args.insert(args.end(), {"--out", o.out});
  if (o.catalogue.no_user_profiles) args.emplace_back("--no-user-profiles");
  if (o.resume) args.emplace_back("--resume");
  if (o.force) args.emplace_back("--force");
  if (o.runner.jobs > 0) args.insert(args.end(), {"--jobs", std::to_string(o.runner.jobs)});
  if (o.threads > 0) args.insert(args.end(), {"--threads", std::to_string(o.threads)});
  if (o.max_variants != sweep::kDefaultMaxVariants) args.insert(args.end(), {"--max-variants", std::to_string(o.max_variants)});
  if (o.runner.max_events != EngineOptions{}.event_budget) args.insert(args.end(), {"--max-events", std::to_string(o.runner.max_events)});
  if (o.no_cache) args.emplace_back("--no-cache");
  if (!o.cache_dir.empty()) args.insert(args.end(), {"--cache-dir", o.cache_dir});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  ::execv(helper.c_str(), argv.data());
  throw std::runtime_error(fmt::format("cannot run {}: {}", helper, std::strerror(errno)));
}

int run_sweep(const SweepOptions& o) {
  check_cache_options(o.no_cache, o.cache_dir, o.out);  // before anything is read or created
  if (o.mpi) exec_mpi_helper(o);
  Pool p = make_pool(o.runner, o.no_cache);
  Catalogue cat = load_default_catalogue(o.catalogue);
  const sweep::SweepSpec spec = sweep::load_sweep(o.sweep, cat, o.max_variants);
  LocalBackend backend(spec, cat, *p.pool, exec_options(o, p.build_id.get(), network_model_description()));
  return drive_sweep(o, cat, spec, backend, *p.pool);
}

}  // namespace

void setup_sweep(CLI::App& app, Dispatch& d) {
  auto o = std::make_shared<SweepOptions>();
  o->runner.kind = "process";
  auto* sub = app.add_subcommand("sweep", "Run or recommend every variant of a scenario along axes of values, or map where the answer changes");
  sub->add_option("sweep", o->sweep, "Sweep YAML file (see docs/sweeps.md)")->required()->check(CLI::ExistingFile);
  add_sweep_options(*sub, *o);
  sub->add_option("--runner", o->runner.kind, "process (a 'hwplan simulate --serve' per slot; default) or fork")
      ->check(CLI::IsMember({"fork", "process"}))
      ->default_val("process");
  sub->add_flag("--mpi", o->mpi, "Run under mpirun (Open MPI): ranks share the variants, rank 0 writes the file");
  sub->footer("Examples:\n  hwplan sweep scenarios/sweeps/factory-slo-electricity.yaml --jobs 2\n"
              "  hwplan sweep scenarios/sweeps/city-cameras-wan.yaml --out reports/city-map.csv --resume\n"
              "  mpirun -n 4 hwplan sweep scenarios/sweeps/llm-rate-gpu.yaml --mpi\n"
              "Exit 0 when every variant has its row (failed variants included), 2 on bad input, 130/143 when interrupted.");
  sub->callback([o, &d] { d.action = [o] { return run_sweep(*o); }; });
}

}  // namespace hw::cli
