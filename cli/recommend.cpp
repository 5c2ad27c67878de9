// hwplan recommend SCENARIO: size every candidate deployment, price it over its life, and
// recommend one, saying why.
#include <fmt/format.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "cli/common.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/files.hpp"
#include "sim/engine/engine.hpp"
#include "sim/io/plan_report.hpp"
#include "sim/plan/planner.hpp"
#include "sim/run/cache.hpp"

namespace fs = std::filesystem;

namespace hw::cli {

struct RecommendOptions {
  std::string scenario;
  std::optional<std::uint64_t> seed;
  std::string format = "table";
  std::string out;
  RunnerOptions runner;
  bool no_cache = false;
  std::string cache_dir;
  bool no_sensitivity = false;
  CatalogueOptions catalogue;
};

// The answer was computed but standard output did not take it (its reader gone, /dev/full):
// the report file is written all the same, and one error says both (exit 2). Shared with
// cli/run.cpp (declared in cli/common.hpp).
int answer_not_printed(const AnswerGuard& answering, const OutputTarget& target, const std::string& report,
                       const std::string& stdout_problem) {
  std::string file;
  bool written = false;
  if (target.to_stdout) {
    file = "";  // the report was the standard output
  } else {
    try {
      write_report(target, report);
      written = true;
      file = fmt::format("; the report was written to {}", target.path);
    } catch (const FileWriteError& e) {
      file = fmt::format("; the report file {} could not be written either: {}", target.path, e.reason());
    } catch (const std::exception& e) {
      file = fmt::format("; the report file {} could not be written either: {}", target.path, e.what());
    }
  }
  fmt::print(stderr, "error: cannot write to standard output: {}{}\n", stdout_problem, file);
  if (answering.signal() != 0) {
    if (!target.to_stdout) answering.report_interrupted(written);
    return answering.exit_code();
  }
  return kBadInput;
}

int run_recommend(const RecommendOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  check_cache_options(o.no_cache, o.cache_dir, o.out);  // before anything is read or created
  Catalogue cat = load_default_catalogue(o.catalogue);
  Scenario s = load_scenario_arg(o.scenario, cat);
  const OutputTarget target = checked_output(
      "--out", o.out.empty() ? (fs::path("reports") / (scenario_stem(o.scenario) + "-recommendation.csv")).string() : o.out,
      input_files(cat, o.scenario, s));
  if (target.to_stdout && o.format == "json") {
    throw UsageError("--out - writes the CSV report to standard output, in place of the table; drop --format json, or give --out a file");
  }
  if (o.seed) s.seed = *o.seed;
  auto runner = make_runner(o.runner);
  CacheStack stack(*runner, o.no_cache, o.cache_dir);
  const auto& cache = stack.cache;
  // The budget above the cache: it is part of every input the cache keys.
  BudgetRunner r(stack.top(), o.runner.max_events);
  PlanOptions po;
  po.sensitivity = !o.no_sensitivity;
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  std::string last_step;
  po.progress = [&](const PlanProgress& p) {
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const std::string step = fmt::format("{}: round {}, {} simulation(s)", p.phase, p.round, p.sims_total);
    if (step != last_step) {
      if (tty && !last_step.empty()) fmt::print(stderr, "\n");
      last_step = step;
      fmt::print(stderr, fmt::runtime(tty ? "  [{:5.1f} s] {}" : "  [{:5.1f} s] {}\n"), t, step);
    } else if (tty) {
      fmt::print(stderr, "\r  [{:5.1f} s] {}: {}/{} done, {} running{}\x1b[K", t, step, p.sims_done, p.sims_total, p.running,
                 running_progress_text(p.progress));
    }
  };
  fmt::print(stderr, "planning '{}' ({} candidate choice(s), seed {})\n", shown_name(s.name), enumerate_candidates(s, cat).size(), s.seed);
  Plan plan;
  int signal_exit = 0;
  std::string signal_name;
  {
    CancelOnSignals guard(r);
    plan = make_plan(s, cat, r, po);
    signal_exit = guard.signal() ? guard.exit_code() : 0;
    signal_name = guard.name();
  }
  if (tty && !last_step.empty()) fmt::print(stderr, "\n");
  if (plan.cancelled) {
    fmt::print(stderr,
               "interrupted ({}): no recommendation. {} simulation(s) finished and {}{}; running ones were stopped. {}\n",
               signal_exit ? signal_name : "cancelled", plan.simulations,
               cache ? fmt::format("are kept in the cache {}", cache->dir()) : std::string("are lost (--no-cache)"),
               plan.cache_hits > 0 ? fmt::format(" ({} more came from the cache)", plan.cache_hits) : std::string(),
               // Without a cache nothing was kept: a rerun starts over.
               cache ? "Run the same command again to resume." : "Run it again without --no-cache to keep finished simulations next time.");
    return signal_exit ? signal_exit : kInternal;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // From here a signal no longer cancels a run: it would cut the answer mid-line. It is said
  // on stderr, with whether the report file was written (cli/common.hpp AnswerGuard).
  AnswerGuard answering(target.to_stdout ? std::string() : target.path);

  const std::string csv = to_csv(plan_table(s, plan, TableStyle::csv));
  // The report file is the CSV, or the JSON document when its name ends in .json.
  const bool json_file = json_report_file(target);
  const std::string json = json_file || o.format == "json" ? plan_json(s, plan, network_model_description(), wall).dump(2) + "\n" : "";
  // Standard output as the report: that is the answer. A file: the answer is printed first and
  // the file written after it, so that a file that cannot be written (a full disk) does not
  // take the finished answer with it; the error then says so, exit 2. Standard output that
  // cannot be written (its reader gone, /dev/full) does not take the file with it either: the
  // file is written all the same and the error names it.
  if (target.to_stdout) write_report(target, json_file ? json : csv);
  // (Nothing more to print when the CSV report was the standard output.)
  const std::string answer = target.to_stdout         ? std::string()
                             : o.format == "json"     ? json
                             : o.format == "csv"      ? csv
                                                      : plan_text(s, plan, network_model_description(), wall);
  std::string stdout_problem;
  const bool printed = print_answer(answer, stdout_problem);
  answering.answer_printed();
  if (!printed) return answer_not_printed(answering, target, json_file ? json : csv, stdout_problem);
  if (answering.finish_report(target, json_file ? json : csv, true)) return answering.exit_code();
  fmt::print(stderr, "wrote {}\n", target.to_stdout ? std::string("the report to standard output") : target.path);
  return plan.winner ? kOk : kInfeasible;
}

void setup_recommend(CLI::App& app, Dispatch& d) {
  auto o = std::make_shared<RecommendOptions>();
  auto* sub = app.add_subcommand("recommend", "Size every candidate deployment, price it over its life, and recommend one");
  sub->add_option("scenario", o->scenario, "Scenario YAML file, or - for standard input")->required()->check(file_or_stdin());
  sub->add_option("--seed", o->seed, "Random seed, a whole number from 0 to 2^62 (default: the scenario's)")->check(seed_check());
  add_format_option(*sub, o->format);
  sub->add_option("--out", o->out,
                  "Report file: CSV, or the JSON document when the name ends in .json; - writes the CSV to standard output "
                  "(default: reports/<scenario>-recommendation.csv)")
      ->check(path_given("a file path, or - for standard output"));
  add_runner_options(*sub, o->runner);
  add_cache_options(*sub, o->no_cache, o->cache_dir);
  sub->add_flag("--no-sensitivity", o->no_sensitivity, "Skip the load and price sensitivity analysis");
  add_catalogue_option(*sub, o->catalogue);
  sub->footer("Examples:\n  hwplan recommend scenarios/factory-vision.yaml --format json --out reports/factory.csv\n"
              "  hwplan recommend scenarios/factory-vision.yaml --out reports/factory.json   (the table on screen, JSON in the file)\n"
              "--format chooses what is printed; --out's name chooses the file's format (.json: JSON, else CSV).\n"
              "Exit 0 with a recommendation, 3 when no candidate is feasible, 2 on bad input, 1 on an internal error.");
  sub->callback([o, &d] { d.action = [o] { return run_recommend(*o); }; });
}

}  // namespace hw::cli
