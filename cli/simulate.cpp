// hwplan simulate: the one entry point of every out-of-process runner. One SimInput JSON
// document on stdin, one RunResult JSON document on stdout. This process is the child:
// it runs exactly one SimGrid engine and exits.
#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "sim/core/errors.hpp"
#include "sim/engine/engine.hpp"
#include "sim/run/cache.hpp"
#include "sim/run/check.hpp"
#include "sim/run/json.hpp"
#include "sim/run/progress.hpp"
#include "sim/run/runner.hpp"

namespace hw::cli {

struct SimulateOptions {
  bool build_id = false;
  bool serve = false;
  bool zygote = false;
};

namespace {

RunResult failed(std::string label, std::string why) {
  RunResult r;
  r.label = std::move(label);
  r.ok = false;
  r.error = std::move(why);
  return r;
}

// One JSON line in, one RunResult line out, until end of input. This process starts
// SimGrid's libraries once; each simulation runs in a forked child (one engine per
// process), so a crash fails that line only.
// A server (or --build-id) that cannot simulate at all says why, bare, on stderr and exits
// with `code` (sim/run/runner.hpp): the driving process rethrows it and says it once.
int cannot_simulate(int code, const std::exception& e) {
  fmt::print(stderr, "{}\n", e.what());
  std::fflush(stderr);
  return code;
}

int serve() {
  try {
    load_engine();  // once, before the first fork: each child starts with SimGrid loaded (a no-op in a zygote's server)
  } catch (const EngineLoadError& e) {
    return cannot_simulate(kServeUnusable, e);  // nothing here can simulate: the parent ends its run
  }
  ForkRunner runner(&simulate, 1);
  // Started by a ProcessRunner (kServeSlotEnv), the interrupts are its parent's: they cancel
  // the parent's run, which kills this server. Started by hand, Ctrl-C or SIGTERM stops the
  // simulation in progress (its child killed and reaped), prints no result for it, and ends
  // with 128 + the signal, saying so. No SA_RESTART: a read of stdin returns and sees it.
  std::optional<CancelOnSignals> interrupts;
  if (std::getenv(kServeSlotEnv) == nullptr) interrupts.emplace(runner);
  const auto interrupted = [&] { return interrupts && interrupts->signal() != 0; };
  bool simulating = false;  // whether the interrupt stopped a simulation
  std::string line;
  std::size_t number = 0;
  while (!interrupted() && std::getline(std::cin, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    RunResult r;
    try {
      SimInput in = sim_input_from_json(nlohmann::json::parse(line));
      check_sim_input(in);
      // The child's progress goes on to our parent as the same "~0.43" lines
      // (sim/run/progress.hpp), before the result line.
      simulating = true;
      r = runner.run({std::move(in)}, {}, [](const RunnerProgress& p) {
             if (p.running == 0 || p.progress.empty()) return;
             fmt::print("{}{:.3f}\n", kProgressMark, p.progress.front());
             std::fflush(stdout);
           }).at(0);
      if (interrupted()) break;  // a simulation stopped has no result, not a failed one
      simulating = false;
    } catch (const nlohmann::json::parse_error& e) {
      r = failed("", fmt::format("stdin line {}: not valid JSON at byte {}: {}", number, e.byte, e.what()));
    } catch (const JsonFieldError& e) {
      r = failed("", fmt::format("stdin line {}: field '{}': {}", number, e.path(), e.problem()));
    } catch (const SpawnError& e) {
      // The system's limit, not this simulation's fault: the parent ends its run with it.
      return cannot_simulate(e.error() == ENOMEM ? kServeNoMemory : kServeNoProcess, e);
    }
    fmt::print("{}\n", to_json(r).dump());
    std::fflush(stdout);
  }
  if (interrupted()) {
    fmt::print(stderr, "interrupted ({}){}\n", interrupts->name(),
               simulating ? fmt::format(": the simulation of stdin line {} was stopped, no result for it", number) : std::string());
    return interrupts->exit_code();
  }
  return kOk;
}

// In a server forked by the zygote: its command line (ps, /proc/PID/cmdline) reads
// `hwplan simulate --serve`, as an exec'd server's does, not `--zygote`: the bytes of the
// argument strings are rewritten in place ("--serve" and a NUL fill "--zygote"'s 8 bytes).
void as_server_in_ps() {
  char* args = program_invocation_name;  // argv[0]; the other arguments follow it in memory
  if (args == nullptr) return;
  char* p = args + std::strlen(args) + 1;
  static constexpr char kWas[] = "simulate\0--zygote";  // sizeof: both strings and their NULs
  if (std::memcmp(p, kWas, sizeof kWas) != 0) return;
  static constexpr char kNow[] = "simulate\0--serve\0";
  static_assert(sizeof kNow == sizeof kWas);
  std::memcpy(p, kNow, sizeof kNow);
}

}  // namespace

int run_simulate(const SimulateOptions& o) {
  if (o.build_id) {
    std::string id;
    try {
      id = simulator_build_id();
    } catch (const EngineLoadError& e) {
      return cannot_simulate(kServeUnusable, e);  // ProcessRunner::build_id rethrows it as SimulatorUnusable
    }
    fmt::print("{}\n", id);
    return kOk;
  }
  if (o.serve) return serve();
  if (o.zygote) {
    try {
      load_engine();  // once: every server forked from here starts with it loaded
    } catch (const EngineLoadError& e) {
      return cannot_simulate(kServeUnusable, e);  // the ProcessRunner then execs servers, which say it
    }
    return serve_as_zygote([] {
      as_server_in_ps();
      return serve();
    });
  }
  // Before the engine, which keeps this handler (sim/engine/engine.cpp): Ctrl-C ends the
  // simulation at once, exit 130, no result.
  ExitOnSignals interrupts;
  const std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw UsageError("stdin: no input; expected one SimInput JSON document (see 'hwplan run SCENARIO --dump-inputs')");
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw UsageError(fmt::format("stdin: not valid JSON at byte {}: {}", e.byte, e.what()));
  }
  SimInput in;
  try {
    in = sim_input_from_json(j);
    check_sim_input(in);
  } catch (const JsonFieldError& e) {
    throw UsageError(e.path().empty() ? fmt::format("stdin: {}", e.problem())
                                      : fmt::format("stdin: field '{}': {}", e.path(), e.problem()));
  }
  RunResult r;
  try {
    r = simulate(in);
  } catch (const std::exception& e) {
    r = RunResult{};
    r.label = in.label;
    r.ok = false;
    r.error = e.what();
  }
  interrupts.hold();  // the result line whole, or not at all
  fmt::print("{}\n", to_json(r).dump());
  std::fflush(stdout);
  interrupts.printed();
  return kOk;
}

void setup_simulate(CLI::App& app, Dispatch& d) {
  auto o = std::make_shared<SimulateOptions>();
  auto* sub = app.add_subcommand("simulate", "Run one simulation: SimInput JSON on stdin, RunResult JSON on stdout (plumbing)");
  sub->group("Advanced");
  sub->add_flag("--serve", o->serve,
                "Take SimInput JSON Lines on stdin and answer each with one RunResult line, after progress lines '~0.43' (the fraction of the simulated time done) while it runs (what ProcessRunner runs per slot)");
  sub->add_flag("--zygote", o->zygote,
                "Load the engine once, then fork a --serve server for each request of the ProcessRunner that started it (its stdin: a socket carrying each server's descriptors); plumbing, not for use by hand");
  sub->add_flag("--build-id", o->build_id, "Print the identity of this binary and its SimGrid (the result cache's key part) and exit");
  sub->footer("Example:\n  hwplan run scenarios/factory-vision.yaml --dump-inputs | head -1 | hwplan simulate\n"
              "Exit 0 with a RunResult (ok: false says the simulation itself failed), 2 on bad JSON or a value out of range (the message names the field), "
              "130 / 143 when interrupted (Ctrl-C / SIGTERM): no result for the simulation stopped.");
  sub->callback([o, &d] { d.action = [o] { return run_simulate(*o); }; });
}

}  // namespace hw::cli
