// Shared CLI plumbing: exit codes, output formats, catalogue lookup.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/files.hpp"
#include "sim/io/loaders.hpp"
#include "sim/run/cache.hpp"
#include "sim/run/runner.hpp"

namespace hw::cli {

enum Exit : int { kOk = 0, kInternal = 1, kBadInput = 2, kInfeasible = 3 };

// The action chosen by the subcommand that CLI11 parsed.
struct Dispatch {
  std::function<int()> action;
};

struct CatalogueOptions {
  std::string dir;  // folder holding hardware_profiles/ and scenarios/models/
  bool no_user_profiles = false;  // --no-user-profiles: the bundled catalogue only
};

void add_catalogue_option(CLI::App& app, CatalogueOptions& opts);
// --catalogue, else $HWPLAN_DATA, else the nearest folder above the executable that holds
// the catalogue (or its share/hwplan: an installed hwplan), else the source tree the binary
// was built from, else the current folder.
std::string data_dir(const CatalogueOptions& opts);
// The catalogue of data_dir(), with the user catalogue (sim/io/user_catalogue.hpp:
// $HWPLAN_USER_PROFILES, else $XDG_DATA_HOME/hwplan/hardware_profiles) added unless
// --no-user-profiles; a user profile that does not load or reuses an id is left out with a
// warning on stderr.
Catalogue load_default_catalogue(const CatalogueOptions& opts);

// A scenario argument: a YAML file, or "-" for standard input (relative trace paths are
// then taken from the current folder).
CLI::Validator file_or_stdin();
// Why an input file named on the command line cannot be found, in words: "file not found: X",
// "X: too many levels of symbolic links (...)", "X is a symbolic link to 'T', which does not
// exist", or the system's reason ("Permission denied"); X escaped and clipped (printable).
std::string missing_input_message(const std::string& path);
Scenario load_scenario_arg(const std::string& path, const Catalogue& cat);
// The stem a default report name takes from a scenario argument ("stdin" for "-").
std::string scenario_stem(const std::string& path);

// A path option (--out, --cache-dir, --catalogue, ...): an empty value (`--out ''`) is
// refused instead of silently meaning "the default". `expected` says what to give instead.
CLI::Validator path_given(const std::string& expected);

void add_format_option(CLI::App& app, std::string& format);
// --seed: a whole number from 0 to kMaxSeed, the range of a scenario's `seed` (CLI11 would
// wrap -1 to 2^64-1).
inline constexpr std::uint64_t kMaxSeed = std::uint64_t{1} << 62;
CLI::Validator seed_check();
// A count option (--jobs, --threads, --batch, ...): plain decimal digits from lo to hi, else
// "expected a whole number of <what>, <lo> to <hi>; got '<value>'" (no exponent, sign or
// fraction; a following option taken as the value is named as one). `zero` says what 0 means.
// Every file a run or recommend of `s` reads: the scenario (`scenario_path`), its trace
// files, and every file of the catalogue folders (bundled profiles and models, the user
// catalogue). --out may be none of them (check_output refuses it).
std::vector<std::string> input_files(const Catalogue& cat, const std::string& scenario_path, const Scenario& s);

// " (at 43%, 12% of the simulated time)": how far each running simulation is, for a
// progress line on a terminal; "" when none has said.
std::string running_progress_text(const std::vector<double>& fractions);

CLI::Validator count_check(const std::string& what, std::uint64_t lo, std::uint64_t hi, const std::string& zero = "");
// The most simulations in parallel --jobs takes (0: all cores), and the largest --max-events.
inline constexpr std::uint64_t kMaxJobs = 1024;
inline constexpr std::uint64_t kMaxEventBudget = std::numeric_limits<std::int64_t>::max();

// --out, checked before any work (UsageError naming the option and the problem), and the
// final write (UsageError with the system's reason: a full disk is the user's to fix).
OutputTarget checked_output(const std::string& option, const std::string& path, const std::vector<std::string>& inputs,
                            OutputKinds kinds = OutputKinds::file_or_stdout);
void write_report(const OutputTarget& target, const std::string& content);
// write_report for a report file written after the answer was printed: a failure says that
// only the file is missing.
void write_report_after_answer(const OutputTarget& target, const std::string& content);
// Whether the report file of `run` or `recommend` is their JSON document rather than the CSV:
// a --out name ending in .json (any case). --format chooses only what is printed.
bool json_report_file(const OutputTarget& target);

// Whether the result cache can be used, checked before any work: false with --no-cache. A
// --cache-dir given that cannot be created or written is a UsageError naming it; the
// default folder ($XDG_CACHE_HOME/hwplan/runs, ~/.cache/hwplan/runs) in that state is a
// warning naming it, and the command runs without a cache.
bool check_cache_dir(bool no_cache, const std::string& cache_dir);
// The cache options against each other and --out, before anything is read or created:
// --no-cache with --cache-dir contradict; --out naming the --cache-dir folder would put the
// report where the cache is (found only after the whole run). UsageError naming both.
void check_cache_options(bool no_cache, const std::string& cache_dir, const std::string& out);

// --no-cache and --cache-dir on a subcommand (recommend, run).
void add_cache_options(CLI::App& app, bool& no_cache, std::string& cache_dir);
// The result cache over a runner, as recommend and run use it: none when check_cache_dir
// says so (--no-cache, an unusable default folder), else the cache of the simulator's build
// (an engine that does not load: SimulatorUnusable, exit 1) in cache_dir, a folder that cannot
// hold it a UsageError. top() is what to run through: the caching runner, or the runner.
struct CacheStack {
  CacheStack(Runner& runner, bool no_cache, const std::string& cache_dir);
  CacheStack(const CacheStack&) = delete;  // caching refers to cache and the runner
  CacheStack& operator=(const CacheStack&) = delete;
  Runner& top() { return caching ? static_cast<Runner&>(*caching) : runner_; }
  std::optional<ResultCache> cache;
  std::optional<CachingRunner> caching;

 private:
  Runner& runner_;
};

// How simulations leave this process: --runner fork|process, --jobs N.
struct RunnerOptions {
  std::string kind = "fork";  // fork: a forked child per run; process: execs `hwplan simulate`
  int jobs = 0;               // simulations in parallel (0 = all cores)
  std::uint64_t max_events = EngineOptions{}.event_budget;  // --max-events: requests per simulation
};
void add_runner_options(CLI::App& app, RunnerOptions& opts);
// The runner without the event budget: wrap the top of the stack (above any CachingRunner)
// in a BudgetRunner with max_events, so that the budget is in every input the cache keys.
std::unique_ptr<Runner> make_runner(const RunnerOptions& opts);
// A simulation stopped by its event budget is a limit of the input, not a crash: the
// message to print (with how to raise the limit), or "" when `error` is something else.
std::string event_budget_message(const std::string& error);

// What the system refused, for the error message: the cause, the limit in force, the fix
// ("out of memory: WHAT (address-space limit, ulimit -v: N MiB); lower --jobs or raise the
// memory limit"; "WHAT (the process limit, ulimit -u / RLIMIT_NPROC, is N ...); lower
// --jobs or raise the limit").
std::string out_of_memory_message(const std::string& what);
std::string process_limit_message(const std::string& what);

// CLI11's "--out: At Most 1 required but received 2" for an option given twice, said as
// "--out is given twice (a.csv, b.csv); give it once"; "" when `what` is another mismatch.
// For hwplan and hwplan-mpi alike.
std::string repeated_option_message(const CLI::App& app, const std::string& what, int argc, char** argv);

// A pipe whose reader has gone (`hwplan run X | head -1`): SIGPIPE's default action killed
// the process silently (exit 141), in the middle of writing a sweep's result file (its
// temporary file left behind). Called first by hwplan and hwplan-mpi: SIGPIPE is caught by
// a handler that does nothing, so a write to the pipe fails with EPIPE instead and is
// reported ("cannot write to standard output: Broken pipe", exit 2) like any failed write.
// A handler, not SIG_IGN: exec() resets a caught signal to its default, so the programs
// this process execs (hwplan-mpi, 'simulate --serve') get the default, as the simulation
// children do (sim/run/runner.cpp resets every handler after fork). In cli/signals.cpp.
void report_broken_pipes();

// Standard output that failed (a full disk, a closed descriptor, a pipe whose reader has
// gone): the answer is lost, so the command has failed. Flushes it and says so on stderr
// ("error: cannot write to standard output: REASON"; not when `reported`: the command's own
// error named it already); false when it failed. `known`: the errno an earlier failed write
// gave (fmt's std::system_error), else 0. hwplan and hwplan-mpi call it last (cli/common.cpp).
bool stdout_written(int known, bool reported = false);
// Prints a command's answer on standard output and flushes it: false, with the system's reason
// in `problem`, when standard output did not take it (its reader gone, /dev/full; run and
// recommend then still write their report file).
bool print_answer(const std::string& text, std::string& problem);

// One line of a stream of lines meant for pipes (`run --dump-inputs | head -1 | ...`),
// written and flushed at once. False when standard output failed: stop writing. A reader that
// closed the pipe (EPIPE) ends the stream quietly: what was not written is dropped and
// standard output goes to /dev/null, so that stdout_written() says nothing and the command
// exits 0. Any other failure (a full disk) stays for stdout_written() to report.
bool write_stream_line(const std::string& line);

// SIGINT, SIGTERM and SIGHUP (a closed terminal; not when started ignoring it, as `nohup`
// does) cancel `runner` (its children are killed and reaped at once) instead of killing this
// process; the guard restores the previous handlers. signal() tells which
// arrived (0 = none). After the first, the process ends within kShutdownGrace_s whatever
// happens (a watchdog _exit()s with 128 + the signal, printing no answer), and a second
// SIGINT or SIGTERM ends it at once.
inline constexpr unsigned kShutdownGrace_s = 2;
class CancelOnSignals {
 public:
  explicit CancelOnSignals(Runner& runner);
  ~CancelOnSignals();
  CancelOnSignals(const CancelOnSignals&) = delete;
  CancelOnSignals& operator=(const CancelOnSignals&) = delete;
  [[nodiscard]] int signal() const;
  // 128 + signal number: the exit status a shell gives a process killed by it.
  [[nodiscard]] int exit_code() const { return 128 + signal(); }
  [[nodiscard]] std::string name() const;
};

// `hwplan simulate`, which runs its one simulation in this process (no runner to cancel):
// SIGINT, SIGTERM and SIGHUP (as CancelOnSignals takes them) end the process at once, from the
// handler (write() and _exit() only: a handler that did more could hang on a lock the
// simulation held), with "interrupted (SIGINT): stopped, no result" on
// stderr and exit 128 + the signal. hold() blocks them while the result is printed, so that
// the line is whole; printed() then lets one that came meanwhile end the process, saying
// "interrupted (SIGINT) after the result was printed". Restores the previous handlers.
class ExitOnSignals {
 public:
  ExitOnSignals();
  ~ExitOnSignals();
  ExitOnSignals(const ExitOnSignals&) = delete;
  ExitOnSignals& operator=(const ExitOnSignals&) = delete;
  void hold();
  void printed();
};

// While a finished answer is printed and its report file written (after CancelOnSignals):
// SIGINT, SIGTERM or SIGHUP (as CancelOnSignals takes it) no longer kills the process silently
// with the table cut mid-line. Before answer_printed(), the signal says on stderr
// "interrupted (SIGINT) while writing the answer: the answer above is incomplete; report file
// PATH not written" (or that the report on standard output is incomplete) and _exit()s with
// 128 + the signal at once (a blocked standard output cannot hold it up). After it, the
// report file's write finishes (its temporary file is never left behind) and signal() says
// the command must end with exit_code() after report_interrupted(). Restores the previous
// handlers.
class AnswerGuard {
 public:
  // `report`: the report file's path, or "" when the report is standard output.
  explicit AnswerGuard(const std::string& report);
  ~AnswerGuard();
  AnswerGuard(const AnswerGuard&) = delete;
  AnswerGuard& operator=(const AnswerGuard&) = delete;
  void answer_printed();
  [[nodiscard]] int signal() const;
  [[nodiscard]] int exit_code() const { return 128 + signal(); }
  // After answer_printed() and the report's write: says on stderr that the answer is complete
  // and the report file `written` or not.
  void report_interrupted(bool written) const;
  // After answer_printed(): writes the report file when `write` (and it is a file) and returns
  // whether a signal came meanwhile, having then said so with report_interrupted (the caller
  // returns exit_code()). A failed write is rethrown.
  [[nodiscard]] bool finish_report(const OutputTarget& target, const std::string& content, bool write) const;
};

// Standard output failed after the answer was computed (its reader gone, /dev/full): writes the
// report file all the same and one error says both; returns the exit code (cli/recommend.cpp,
// used by run too).
int answer_not_printed(const AnswerGuard& answering, const OutputTarget& target, const std::string& report,
                       const std::string& stdout_problem);

// Subcommands.
void setup_validate(CLI::App& app, Dispatch& d);
void setup_profiles(CLI::App& app, Dispatch& d);
void setup_models(CLI::App& app, Dispatch& d);
// Hidden: the man page and shell completions from these definitions. Set up last.
void setup_shell_docs(CLI::App& app, Dispatch& d);
void setup_run(CLI::App& app, Dispatch& d);
void setup_predict(CLI::App& app, Dispatch& d);
void setup_calibrate(CLI::App& app, Dispatch& d);
void setup_recommend(CLI::App& app, Dispatch& d);
void setup_simulate(CLI::App& app, Dispatch& d);
void setup_sweep(CLI::App& app, Dispatch& d);
void setup_validate_model(CLI::App& app, Dispatch& d);

}  // namespace hw::cli
