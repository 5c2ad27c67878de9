// hwplan: hardware selection and capacity planning. main only wires subcommands.
#include <fmt/format.h>

#include "cli/common.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"
#include "sim/engine/engine.hpp"
#include "sim/io/loaders.hpp"
#include "sim/plan/planner.hpp"
#include "sim/run/cache.hpp"
#include "sim/run/runner.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iostream>
#include <new>
#include <system_error>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

// OpenBLAS (linked for 'calibrate') starts one server thread per core when it is loaded,
// before main(), and each at once allocates a 128 MiB buffer. Under an address-space limit
// (ulimit -v) that allocation fails and OpenBLAS retries it for ever; the next fork(), and
// exit(), then wait for that thread in OpenBLAS's handlers: every simulating command hung.
// Under a small process limit (ulimit -u) a thread cannot start, and OpenBLAS raise()s
// SIGINT: every command died at once, looking interrupted.
// OPENBLAS_NUM_THREADS=1 starts no such thread ('calibrate' sets the count it measures with,
// openblas_set_num_threads, which starts them only then), but the environment can no longer
// be changed for OpenBLAS by the time any initialiser of ours runs (libc resets it after
// .preinit_array). So, under a finite RLIMIT_AS or an RLIMIT_NPROC below kFewProcesses (the
// usual limit of a user is tens of thousands: no cost there), and when the variable is not set, this
// process execs itself once with it set, before any library's initialiser has run: a few
// milliseconds of loading, once. The variable stays set for the processes it starts (the
// 'hwplan simulate' servers), which therefore do not exec again. A value the user set is kept.
constexpr rlim_t kFewProcesses = 4096;
void before_libraries(int, char** argv, char** envp) {
  rlimit as{}, nproc{};
  const bool memory_limited = ::getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY;
  const bool process_limited = ::getrlimit(RLIMIT_NPROC, &nproc) == 0 && nproc.rlim_cur < kFewProcesses;
  if (argv == nullptr || envp == nullptr || !(memory_limited || process_limited)) return;
  std::size_t n = 0;
  for (; envp[n] != nullptr; ++n) {
    if (std::strncmp(envp[n], "OPENBLAS_NUM_THREADS=", 21) == 0) return;
  }
  // No C++ yet (libstdc++ is not initialised): plain C.
  auto** env = static_cast<char**>(std::calloc(n + 2, sizeof(char*)));
  if (env == nullptr) return;
  for (std::size_t i = 0; i < n; ++i) env[i] = envp[i];
  static char setting[] = "OPENBLAS_NUM_THREADS=1";
  env[n] = setting;
  ::execve("/proc/self/exe", argv, env);  // only returns when it failed (no /proc): carry on as we are
  std::free(static_cast<void*>(env));
}
[[gnu::section(".preinit_array"), gnu::used]] void (*const g_before_libraries)(int, char**, char**) = before_libraries;

}  // namespace
extern "C" [[gnu::weak]] int blas_thread_shutdown_(void);  // OpenBLAS's, absent from other BLAS
namespace {

// A standard stream that is closed (`>&-`) must not be reused by the next open() (a report
// would then be written into whatever file got its number): it is held by a descriptor
// that cannot be written, so writing to it fails (EBADF) and is reported.
void hold_closed_std_streams() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int held = ::open("/dev/null", O_RDONLY);
    if (held >= 0 && held != fd) {
      ::dup2(held, fd);
      ::close(held);
    }
  }
}


void warn_cache_not_written(const std::string& dir, const std::string& reason) {
  fmt::print(stderr, "warning: result cache at {}: cannot write: {}; continuing without caching\n", dir, reason);
}

// A cache entry that is not a valid result for its input (hand-edited, copied under another
// key's name, a FIFO at its path: sim/run/cache.hpp) is recomputed and overwritten; said once
// per folder, by every command that reads the cache (run, recommend, sweep).
void warn_cache_entry_not_used(const std::string& dir, const std::string& entry, const std::string& why) {
  fmt::print(stderr, "warning: result cache at {}: entry {} is not used ({}); it is simulated again and the entry overwritten\n", dir,
             hw::printable(std::filesystem::path(entry).filename().string()), hw::printable(why, 300));
}


// Runs the chosen command and maps what it throws to the exit codes of --help.
int run_action(const std::function<int()>& action) {
  using namespace hw::cli;
  int rc = kBadInput;
  int stdout_err = 0;
  bool stdout_reported = false;  // the error printed was that standard output failed
  try {
    rc = action ? action() : kBadInput;
  } catch (const hw::InputError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    rc = kBadInput;
  } catch (const hw::UsageError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    rc = kBadInput;
  } catch (const hw::FileWriteError& e) {  // the system's reason (a full disk): the user's to fix
    fmt::print(stderr, "error: {}\n", e.what());
    stdout_reported = e.path() == "the report to standard output";  // files.cpp, write_output
    rc = kBadInput;
  } catch (const hw::SimulationFailed& e) {  // a crashed or killed simulation: no verdict drawn from it
    if (auto limit = event_budget_message(e.what()); !limit.empty()) {  // the input is too large: exit 2
      fmt::print(stderr, "error: {}\n", limit);
      rc = kBadInput;
    } else {
      fmt::print(stderr, "error: {}\n", e.what());
      rc = kInternal;
    }
  } catch (const hw::SpawnError& e) {
    fmt::print(stderr, "error: {}\n", e.error() == ENOMEM ? out_of_memory_message(e.what()) : process_limit_message(e.what()));
    rc = kBadInput;
  } catch (const hw::SimulatorUnusable& e) {  // an installation problem (the engine module): said as it is, with the file
    fmt::print(stderr, "error: {}\n", e.what());
    rc = kInternal;
  } catch (const std::bad_alloc& e) {
    fmt::print(stderr, "error: {}\n", out_of_memory_message(e.what()));
    rc = kBadInput;
  } catch (const std::system_error& e) {
    const int err = e.code().category() == std::generic_category() || e.code().category() == std::system_category() ? e.code().value() : 0;
    if (std::ferror(stdout) != 0) {  // fmt::print to a failed stdout: "cannot write to file"
      stdout_err = err;
      rc = kBadInput;  // said below
    } else if (err == EPIPE && std::ferror(stderr) != 0) {  // progress or a note to stderr whose reader has gone: nothing can be said
      rc = kBadInput;
    } else if (err == EAGAIN) {
      fmt::print(stderr, "error: {}\n", process_limit_message(fmt::format("cannot start a thread: {}", e.what())));
      rc = kBadInput;
    } else if (err == ENOMEM) {
      fmt::print(stderr, "error: {}\n", out_of_memory_message(e.what()));
      rc = kBadInput;
    } else {
      fmt::print(stderr, "internal error: {}\n", e.what());
      rc = kInternal;
    }
  } catch (const std::exception& e) {
    if (std::ferror(stdout) == 0) {
      fmt::print(stderr, "internal error: {}\n", e.what());
      rc = kInternal;
    }
  }
  // A command that succeeded (or found no feasible answer) but whose answer could not be
  // printed has failed: exit 2, as 'run --out -' that cannot write.
  if (!stdout_written(stdout_err, stdout_reported) && (rc == kOk || rc == kInfeasible || rc == kInternal)) rc = kBadInput;
  return rc;
}


// What the words of the command line name, read before CLI11 parses them: the command (and
// subcommand) given, or what is wrong with them. CLI11 alone said "A subcommand is required"
// for a misspelt command after an option ('--limit sites=10 recomend') or a misspelt global
// option ('--verison'), and listed an unknown option after its value ("1 --jbos").
struct CommandLine {
  std::string path = "hwplan";  // "hwplan recommend", for "Run 'hwplan recommend --help'"
  std::string problem;          // empty when nothing is wrong
};

// Visible subcommands of `app` (generate-docs, in no group, is left out of suggestions).
std::vector<std::string> visible_commands(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); })) {
    names.push_back(sub->get_name());
  }
  return names;
}

// The options of `app`, those of its option groups (nameless subcommands) included.
std::vector<const CLI::Option*> options_of(const CLI::App& app) {
  std::vector<const CLI::Option*> all = app.get_options();
  for (const auto* group : app.get_subcommands([](const CLI::App* a) { return a->get_name().empty(); })) {
    const auto more = options_of(*group);
    all.insert(all.end(), more.begin(), more.end());
  }
  return all;
}

CommandLine scan_command_line(CLI::App& app, int argc, char** argv) {
  CommandLine line;
  std::vector<CLI::App*> chain{&app};
  auto find_option = [&](const std::string& word) -> const CLI::Option* {
    const bool is_long = word.size() > 2 && word[1] == '-';
    const std::string name = is_long ? word.substr(2, word.find('=') == std::string::npos ? std::string::npos : word.find('=') - 2)
                                     : word.substr(1, 1);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      for (const auto* opt : options_of(**it)) {
        if (is_long ? opt->check_lname(name) : opt->check_sname(name)) return opt;
      }
    }
    return nullptr;
  };
  auto option_names = [&] {
    std::vector<std::string> names;
    for (const auto* a : chain) {
      for (const auto* opt : options_of(*a)) {
        for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
      }
    }
    return names;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--") break;
    const bool option_like = word.size() >= 2 && word[0] == '-' &&
                             (std::isalpha(static_cast<unsigned char>(word[1])) != 0 ||
                              (word[1] == '-' && word.size() > 2 && std::isalpha(static_cast<unsigned char>(word[2])) != 0));
    if (option_like) {
      const CLI::Option* opt = find_option(word);
      if (opt == nullptr) {
        const std::string name = word.substr(0, word.find('='));
        const auto near = hw::did_you_mean(name, option_names());
        line.problem = fmt::format("unknown option '{}'{}{}\nRun '{} --help' for {}.", name,
                                   chain.size() > 1 ? fmt::format(" for '{}'", line.path) : "",
                                   near ? fmt::format("; did you mean '{}'?", *near) : "", line.path,
                                   chain.size() > 1 ? "its options" : "the commands and options");
        return line;
      }
      // Its value is the next word, unless given with '=' (or attached to a short name).
      const bool takes_value = opt->get_expected_min() > 0 && opt->get_type_size_max() > 0;
      const bool attached = word.find('=') != std::string::npos || (word[1] != '-' && word.size() > 2);
      if (takes_value && !attached) ++i;
      continue;
    }
    CLI::App* cur = chain.back();
    if (cur->get_require_subcommand_min() == 0) continue;  // an argument of the command
    // This word must name a command of `cur`.
    CLI::App* next = nullptr;
    for (auto* sub : cur->get_subcommands({})) {
      if (!word.empty() && sub->get_name() == word) next = sub;
    }
    if (next != nullptr) {
      chain.push_back(next);
      line.path += " " + word;
      continue;
    }
    const auto commands = visible_commands(*cur);
    const std::string prefix = chain.size() > 1 ? line.path.substr(7) + " " : "";  // "profiles "
    const auto near = hw::did_you_mean(word, commands);
    line.problem = fmt::format("{}{}\ncommands{}: {}\nRun '{} --help' for what each does.",
                               word.empty() ? fmt::format("an empty word where a {}command was expected",
                                                          chain.size() > 1 ? "sub" : "")
                                            : fmt::format("unknown command '{}{}'", prefix, word),
                               near ? fmt::format("; did you mean '{}{}'?", prefix, *near) : "",
                               chain.size() > 1 ? fmt::format(" of '{}'", line.path) : "", fmt::join(commands, ", "),
                               line.path);
    return line;
  }
  if (chain.back()->get_require_subcommand_min() > 0) {
    const std::string help_flag = "--help", version_flag = "--version";
    for (int i = 1; i < argc; ++i) {  // --help and --version need no command
      if (argv[i] == help_flag || argv[i] == std::string("-h") || (chain.size() == 1 && argv[i] == version_flag)) return line;
    }
    line.problem = fmt::format("no {}command given\ncommands{}: {}\nRun '{} --help' for what each does.",
                               chain.size() > 1 ? "sub" : "", chain.size() > 1 ? fmt::format(" of '{}'", line.path) : "",
                               fmt::join(visible_commands(*chain.back()), ", "), line.path);
  }
  return line;
}
}  // namespace

namespace {
int hwplan_main(int argc, char** argv) {
  using namespace hw::cli;
  hold_closed_std_streams();
  report_broken_pipes();
  hw::set_cache_write_warning(&warn_cache_not_written);
  hw::set_cache_entry_warning(&warn_cache_entry_not_used);  // every command that reads the cache: run, recommend, sweep
  CLI::App app{"hwplan: choose edge, GPU or hybrid hardware by simulation, and size it"};
  app.set_version_flag("--version", "hwplan 0.1.0");
  app.require_subcommand(1);
  app.footer("Run 'hwplan SUBCOMMAND --help' for details and an example.\n"
             "Hardware profiles come from the catalogue (--catalogue, $HWPLAN_DATA or the bundled one) and from the user\n"
             "catalogue ($HWPLAN_USER_PROFILES, else $XDG_DATA_HOME/hwplan/hardware_profiles), which hwplan-gui and\n"
             "'hwplan calibrate --add' write; --no-user-profiles leaves it out, 'hwplan profiles list' shows each origin.\n"
             "Exit status: 0 success; 1 a failed simulation or a fault of hwplan; 2 bad input or usage, or a problem of the\n"
             "system the user must fix (a file or standard output that cannot be written, out of memory, the process\n"
             "limit); 3 no candidate meets the targets; 130/143 interrupted (SIGINT/SIGTERM).");
  // --limit NAME=VALUE (repeatable), accepted before or after the subcommand.
  app.fallthrough();
  std::vector<std::string> limits;
  app.add_option("--limit", limits,
                 fmt::format("Change a limit on input size, NAME=VALUE, repeatable. Defaults: {}", fmt::join(hw::describe_input_limits(), "; ")))
      ->type_name("NAME=VALUE")
      // One NAME=VALUE per --limit: a scenario file after it stays the subcommand's argument.
      ->allow_extra_args(false);
  Dispatch d;
  setup_validate(app, d);
  setup_profiles(app, d);
  setup_models(app, d);
  setup_run(app, d);
  setup_predict(app, d);
  setup_validate_model(app, d);
  setup_recommend(app, d);
  setup_sweep(app, d);
  setup_calibrate(app, d);
  setup_simulate(app, d);
  setup_shell_docs(app, d);
  if (argc < 2) {  // no command: say so, then which there are
    fmt::print(stderr, "error: no command given; run 'hwplan COMMAND --help' for one of these:\n\n{}", app.help());
    return kBadInput;
  }
  const CommandLine line = scan_command_line(app, argc, argv);
  if (!line.problem.empty()) {
    fmt::print(stderr, "error: {}\n", line.problem);
    return kBadInput;
  }
  // OpenBLAS's server threads, started when it loaded, spin (sched_yield) whenever this
  // process is busy: a sweep lost a tenth of its CPU time to them. Only 'calibrate' runs BLAS
  // kernels, and OpenBLAS starts its threads again on its first call that wants them.
  if (blas_thread_shutdown_ != nullptr && line.path.rfind("hwplan calibrate", 0) != 0) blas_thread_shutdown_();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // --help, --version: printed (to std::cout), and only ok once it is written
      const int rc = app.exit(e) == 0 ? kOk : kBadInput;
      std::cout.flush();
      // >/dev/full: exit 2 with "cannot write to standard output", as every command says.
      if (!hw::cli::stdout_written(0, false)) return kBadInput;
      return rc;
    }
    std::string what = e.what();
    // CLI11 lists unexpected words last first ("1 --jbos"): name them in the order given.
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
      std::vector<std::string> extra = app.remaining(true);
      if (!extra.empty()) {
        what = fmt::format("unexpected argument{} '{}'", extra.size() > 1 ? "s" : "", fmt::join(extra, "' '"));
      }
    }
    // CLI::ExistingFile's "sweep: File does not exist: a", for a symbolic link that loops or
    // leads nowhere too: say which (as --out does).
    if (const auto at = what.find("File does not exist: "); at != std::string::npos) {
      what = what.substr(0, at) + hw::cli::missing_input_message(what.substr(at + 21));
    }
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr) {
      if (auto twice = repeated_option_message(app, what, argc, argv); !twice.empty()) what = twice;
    }
    fmt::print(stderr, "error: {}\nRun '{} --help' for usage and an example.\n", what, line.path);
    return kBadInput;
  }
  for (const auto& l : limits) {
    try {
      hw::set_input_limit(l);
    } catch (const std::invalid_argument& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      return kBadInput;
    }
  }
  return run_action(d.action);
}
}  // namespace

int main(int argc, char** argv) {
  try {
    return hwplan_main(argc, argv);
  } catch (const std::system_error&) {
    // Standard error itself cannot be written (2>/dev/full): an error message, printed from a
    // handler, threw again and the process died of SIGABRT (exit 134, a core file). Nothing can
    // be said; the command has failed.
    return hw::cli::kBadInput;
  }
}
