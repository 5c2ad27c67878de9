// hwplan run SCENARIO: simulate the scenario's candidate deployments and compare them.
#include <fmt/format.h>

#include <system_error>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

#include "cli/common.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/files.hpp"
#include "sim/engine/engine.hpp"
#include "sim/io/plan_report.hpp"
#include "sim/plan/evaluate.hpp"
#include "sim/run/cache.hpp"
#include "sim/run/json.hpp"

namespace fs = std::filesystem;

namespace hw::cli {

struct RunOptions {
  std::string scenario;
  std::optional<std::uint64_t> seed;
  std::string duration;
  std::string format = "table";
  std::string out;
  RunnerOptions runner;
  bool no_cache = false;
  std::string cache_dir;
  bool dump_inputs = false;
  CatalogueOptions catalogue;
};

int run_run(const RunOptions& o) {
  check_cache_options(o.no_cache, o.cache_dir, o.out);  // before anything is read or created
  Catalogue cat = load_default_catalogue(o.catalogue);
  Scenario s = load_scenario_arg(o.scenario, cat);
  if (o.seed) s.seed = *o.seed;
  if (!o.duration.empty()) {
    try {
      s.duration = Seconds(parse_quantity(o.duration, UnitKind::time, "duration").si);  // a bare '5' is told to write '5 s'
    } catch (const UnitError& e) {
      throw UsageError(fmt::format("--duration: {}", e.what()));
    }
    if (s.duration.si() <= 0) {
      throw UsageError(fmt::format("--duration {}: a simulated time must be positive (and exceed the scenario's warm-up, {})", o.duration,
                                   format_time(s.warmup)));
    }
    if (s.duration.si() > input_limits().duration_s) {
      throw UsageError(fmt::format("--duration {}: above the limit of {}; raise it with --limit duration=T if this is meant", o.duration,
                                   format_time(Seconds(input_limits().duration_s))));
    }
    if (s.warmup >= s.duration) throw UsageError(fmt::format("--duration must exceed the scenario's warm-up ({})", format_time(s.warmup)));
  }
  if (s.candidates.empty()) {
    throw InputError(Location{o.scenario, 0, 0}, "candidates", "",
                     "the scenario lists no candidate deployments; add a 'candidates:' list (see docs/input-format.md)");
  }
  if (o.dump_inputs) {
    // One resolved SimInput per candidate, JSON Lines, in the scenario's order: each line
    // reproduces that run with `hwplan simulate`.
    for (const auto& spec : s.candidates) {
      const ResolvedCandidate c = resolve_for_simulation(s, cat, spec);
      if (c.infeasible) fmt::print(stderr, "note: {} cannot run: {}\n", shown_name(c.label), printable(*c.infeasible, std::string::npos));
      // A reader that has had enough (`| head -1 | hwplan simulate`) ends the stream: the
      // lines are for pipes, and the ones it took are whole. (An answer cut short is an error.)
      if (!write_stream_line(canonical_json(c.input) + "\n")) break;
    }
    return kOk;
  }
  const OutputTarget target = checked_output(
      "--out", o.out.empty() ? (fs::path("reports") / (scenario_stem(o.scenario) + ".csv")).string() : o.out, input_files(cat, o.scenario, s));
  if (target.to_stdout && o.format == "json") {
    throw UsageError("--out - writes the CSV report to standard output, in place of the table; drop --format json, or give --out a file");
  }
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  // What each run simulates: the streams for the scenario's duration; batch jobs until the
  // last one finishes (a film render: months of simulated time).
  const std::string what_runs =
      s.streams.empty() ? std::string("batch jobs only: each until its last job finishes")
      : s.batch_jobs.empty()
          ? fmt::format("{} simulated each", format_time(s.duration))
          : fmt::format("streams for {} each, batch jobs until the last one finishes", format_time(s.duration));
  fmt::print(stderr, "simulating {} candidate(s) of '{}' ({}, seed {})\n", s.candidates.size(), shown_name(s.name), what_runs, s.seed);
  auto runner = make_runner(o.runner);
  // The result cache, as recommend's (cli/recommend.cpp): each simulation that finishes is kept
  // the moment it does, so that a rerun after an interrupt simulates only what had not.
  CacheStack stack(*runner, o.no_cache, o.cache_dir);
  const auto& cache = stack.cache;
  Runner& top = stack.top();
  std::size_t from_cache = 0;
  // On a terminal one line, rewritten, with how far each running simulation is (the fraction
  // of its simulated time); otherwise a line each time a simulation starts or ends.
  // Progress is best-effort: a stderr that cannot be written (its reader gone) stops no run;
  // the answer's own output then fails and says so (exit 2).
  top.set_progress([&, last = std::pair<std::size_t, std::size_t>{SIZE_MAX, SIZE_MAX}](const RunnerProgress& p) mutable {
    from_cache = p.cached;
    try {
      if (tty) {
        fmt::print(stderr, "\r  {}/{} simulations done, {} running{}\x1b[K", p.done, p.total, p.running, running_progress_text(p.progress));
      } else if (std::pair{p.done, p.running} != last) {
        fmt::print(stderr, "  {}/{} simulations done, {} running\n", p.done, p.total, p.running);
      }
    } catch (const std::system_error&) {
    }
    last = {p.done, p.running};
  });
  std::vector<CandidateReport> reports;
  {
    CancelOnSignals guard(top);
    // The budget above the cache: it is part of every input the cache keys.
    BudgetRunner budgeted(top, o.runner.max_events);
    reports = evaluate_candidates(s, cat, s.candidates, budgeted);
    if (tty) fmt::print(stderr, "\n");
    if (runner->cancelled()) {
      std::size_t kept = 0;
      for (const auto& r : reports) kept += r.run.ok && !r.candidate.infeasible ? 1 : 0;
      fmt::print(stderr, "interrupted ({}): no report. {} of {} simulation(s) had finished{}; running ones were stopped. {}\n",
                 guard.signal() ? guard.name() : "cancelled", kept, reports.size(),
                 cache ? fmt::format(" and are kept in the cache {}", cache->dir()) : std::string(" and are lost (--no-cache)"),
                 cache ? "Run the same command again to reuse them." : "Run it again without --no-cache to keep finished simulations next time.");
      return guard.signal() ? guard.exit_code() : kInternal;
    }
  }
  if (cache && from_cache > 0) fmt::print(stderr, "{} of {} simulation(s) from the cache {}\n", from_cache, reports.size(), cache->dir());

  // From here a signal no longer cancels a run: it would cut the answer mid-line. It is said
  // on stderr, with whether the report file was written (cli/common.hpp AnswerGuard).
  AnswerGuard answering(target.to_stdout ? std::string() : target.path);
  // When no simulation finished there is nothing to report: an earlier report at --out is
  // kept, not replaced by rows of failures (the table and the errors below say what failed).
  std::size_t finished = 0, simulated = 0;
  for (const auto& r : reports) {
    if (r.candidate.infeasible) continue;
    ++simulated;
    finished += r.run.ok ? 1 : 0;
  }
  const bool nothing = simulated > 0 && finished == 0;
  const std::string csv = to_csv(run_table(s, reports, TableStyle::csv));
  // The report file is the CSV, or the JSON document when its name ends in .json.
  const bool json_file = json_report_file(target);
  const std::string json = json_file || o.format == "json" ? run_report_json(s, reports, network_model_description()).dump(2) + "\n" : "";
  // Standard output as the report: that is the answer. A file: the answer is printed first and
  // the file written after it, so that a file that cannot be written (a full disk) does not
  // take the finished answer with it; the error then says so, exit 2. Standard output that
  // cannot be written does not take the file with it either (cli/recommend.cpp).
  if (!nothing && target.to_stdout) write_report(target, json_file ? json : csv);
  // (Nothing more to print when the CSV report was the standard output.)
  const std::string answer = target.to_stdout     ? std::string()
                             : o.format == "json" ? json
                             : o.format == "csv"  ? csv
                                                  : run_text(s, reports, network_model_description());
  std::string stdout_problem;
  const bool printed = print_answer(answer, stdout_problem);
  answering.answer_printed();
  if (!printed && !nothing) return answer_not_printed(answering, target, json_file ? json : csv, stdout_problem);
  if (!printed) {
    fmt::print(stderr, "error: cannot write to standard output: {}\n", stdout_problem);
    return kBadInput;
  }
  if (answering.finish_report(target, json_file ? json : csv, !nothing)) return answering.exit_code();
  if (nothing) {
    fmt::print(stderr, "no report written{}: none of the {} simulation(s) finished\n",
               target.to_stdout ? std::string() : " to " + target.path, simulated);
  } else {
    fmt::print(stderr, "wrote {}\n", target.to_stdout ? std::string("the report to standard output") : target.path);
  }
  int rc = kOk;
  for (const auto& r : reports) {
    if (r.run.ok || r.candidate.infeasible) continue;
    if (auto limit = event_budget_message(r.run.error); !limit.empty()) {
      fmt::print(stderr, "error: {}: {}\n", shown_name(r.candidate.label), printable(limit, std::string::npos));
      if (rc == kOk) rc = kBadInput;
    } else {
      rc = kInternal;
    }
  }
  return rc;
}

void setup_run(CLI::App& app, Dispatch& d) {
  auto o = std::make_shared<RunOptions>();
  auto* sub = app.add_subcommand("run", "Simulate the scenario's candidate deployments and compare them");
  sub->add_option("scenario", o->scenario, "Scenario YAML file, or - for standard input")->required()->check(file_or_stdin());
  sub->add_option("--seed", o->seed, "Random seed, a whole number from 0 to 2^62 (default: the scenario's)")->check(seed_check());
  sub->add_option("--duration", o->duration, "Simulated time cap per candidate, e.g. '10 s' (default: the scenario's)");
  add_format_option(*sub, o->format);
  sub->add_option("--out", o->out,
                  "Report file: CSV, or the JSON document when the name ends in .json; - writes the CSV to standard output "
                  "(default: reports/<scenario>.csv)")
      ->check(path_given("a file path, or - for standard output"));
  add_runner_options(*sub, o->runner);
  add_cache_options(*sub, o->no_cache, o->cache_dir);
  sub->add_flag("--dump-inputs", o->dump_inputs,
                "Print each candidate's resolved SimInput as JSON Lines (one per candidate, in order) and simulate nothing; "
                "pipe a line into 'hwplan simulate' to reproduce that run");
  add_catalogue_option(*sub, o->catalogue);
  sub->footer("Examples:\n  hwplan run scenarios/factory-vision.yaml --seed 7 --out reports/factory.csv\n"
              "  hwplan run scenarios/factory-vision.yaml --format json --out reports/factory.json\n"
              "--format chooses what is printed; --out's name chooses the file's format (.json: JSON, else CSV).\n"
              "Exit 0 on success, 2 on bad input or a simulation stopped by the event budget (--max-events), 1 if a simulation "
              "failed. When no simulation finishes, no report is written (an earlier one at --out is kept).");
  sub->callback([o, &d] { d.action = [o] { return run_run(*o); }; });
}

}  // namespace hw::cli
