// The sweep itself, over a SweepBackend (this process's pool, or MPI ranks): the result
// file and --resume, the grid or the rounds of a boundary map, progress, Ctrl-C, summary.
// No SimGrid here (hwplan-mpi links it).
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "cli/sweep.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/threads.hpp"
#include "sim/io/plan_report.hpp"
#include "sim/io/report.hpp"
#include "sim/sweep/boundary.hpp"
#include "sim/sweep/results.hpp"

namespace fs = std::filesystem;

namespace hw::cli {

using sweep::Outcome;
using sweep::ResolvedVariant;
using sweep::Status;

void add_sweep_options(CLI::App& app, SweepOptions& o) {
  app.add_option("--out", o.out, "Result file (default: reports/<sweep>.csv, or .json)")->check(path_given("a file path"));
  auto* format = app.add_option("--format", o.format,
                                "Result file format: csv (one row per variant x candidate) or json (default: json when --out ends in .json, else csv)")
                     ->check(CLI::IsMember({"csv", "json"}))
                     ->default_val("csv");
  // As run and recommend do: an --out ending in .json gets the JSON document unless --format
  // says otherwise (it wrote CSV into X.json).
  app.parse_complete_callback([&o, format] {
    if (format->count() == 0 && fs::path(o.out).extension() == ".json") o.format = "json";
  });
  auto* resume = app.add_flag("--resume", o.resume, "Continue the sweep in --out: skip the variants already there");
  auto* force = app.add_flag("--force", o.force, "Overwrite an existing --out (not with --resume)");
  resume->excludes(force);
  app.add_option("-j,--jobs", o.runner.jobs,
                 "Simulations in parallel, 0 to 1024 (default 0: all cores; under --mpi: per rank, the node's cores shared by its ranks)")
      ->check(count_check("parallel simulations", 0, kMaxJobs, "all cores"));
  app.add_option("--threads", o.threads, "Variants in flight at once, 0 to 4096 (default 0: 2 x jobs + 1)")
      ->check(count_check("variants in flight", 0, 4096, "2 x jobs + 1"));
  app.add_option("--max-variants", o.max_variants,
                 fmt::format("The most variants a grid may have, 1 to {} (default {}: each is checked before the first simulation, "
                             "a few ms each)",
                             sweep::kMaxVariantsLimit, sweep::kDefaultMaxVariants))
      ->check(count_check("variants", 1, sweep::kMaxVariantsLimit, ""));
  app.add_option("--max-events", o.runner.max_events,
                 "Event budget: the most requests one simulation may create; a variant over it is a failed row saying so (0 = no limit)")
      ->check(count_check("requests per simulation", 0, kMaxEventBudget, "no limit"))
      ->default_val(o.runner.max_events);
  app.add_flag("--no-cache", o.no_cache, "Do not read or write the result cache");
  app.add_option("--cache-dir", o.cache_dir, "Result cache folder (default: $XDG_CACHE_HOME/hwplan/runs or ~/.cache/hwplan/runs)")->check(path_given("a folder for the result cache"));
  add_catalogue_option(app, o.catalogue);
}

sweep::ExecOptions exec_options(const SweepOptions& o, const std::string& build_id, const std::optional<std::string>& network_model) {
  check_cache_options(o.no_cache, o.cache_dir, o.out);  // hwplan-mpi too
  sweep::ExecOptions e;
  e.threads = o.threads;
  e.cache = check_cache_dir(o.no_cache, o.cache_dir);  // before any work: an explicit folder that cannot be used is exit 2
  e.cache_dir = o.cache_dir;
  e.event_budget = o.runner.max_events;
  e.build_id = build_id;
  if (o.format == "json") e.json_network_model = network_model;
  return e;
}

namespace {

std::string duration_text(double s) {
  if (s < 60) return fmt::format("{:.1f} s", s);
  if (s < 3600) return fmt::format("{} min {:02d} s", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  return fmt::format("{} h {:02d} min", static_cast<int>(s) / 3600, (static_cast<int>(s) % 3600) / 60);
}

// Progress on stderr: a line rewritten in place on a terminal, plain lines otherwise.
class Progress {
 public:
  explicit Progress(const sweep::SweepSpec& spec) : spec_(spec), tty_(::isatty(STDERR_FILENO) != 0) {}
  void set_total(std::size_t total, std::string what) {
    total_ = total;
    what_ = std::move(what);
  }
  // One variant finished (called under the caller's lock).
  void done(const Outcome& o, std::size_t done_now, std::size_t done_all) {
    done_now_ = done_now;
    done_all_ = done_all;
    if (tty_) {
      if (o.status == Status::failed) {
        clear();
        fmt::print(stderr, "  variant {} failed ({}): {}\n", o.index + 1, sweep::describe_values(spec_, o.values), o.error);
      }
      return;
    }
    const std::string verdict = o.status == Status::failed ? "failed: " + o.error
                                : !o.answer.empty()        ? sweep::shown_answer(o.answer)
                                                           : to_string(o.status);
    fmt::print(stderr, "  [{:7.1f} s] {}/{} variant {} ({}): {}\n", elapsed(), done_all_, total_, o.index + 1,
               sweep::describe_values(spec_, o.values), verdict);
  }
  void tick(std::size_t running, std::size_t simulated) {
    if (!tty_) return;
    const double t = elapsed();
    std::string eta = "-";
    if (done_now_ > 0 && total_ > done_all_) eta = duration_text(t / static_cast<double>(done_now_) * static_cast<double>(total_ - done_all_));
    const std::string line = fmt::format("  [{:7.1f} s] {}/{} {} done, {} running, {:.1f} simulations/s, ETA {}", t, done_all_, total_, what_,
                                         running, t > 0 ? static_cast<double>(simulated) / t : 0.0, eta);
    fmt::print(stderr, "\r{:<{}}", line, width_);
    width_ = std::max(width_, line.size());
    shown_ = true;
  }
  void clear() {
    if (tty_ && shown_) fmt::print(stderr, "\r{:<{}}\r", "", width_);
    shown_ = false;
  }
  [[nodiscard]] double elapsed() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count(); }

 private:
  const sweep::SweepSpec& spec_;
  bool tty_;
  std::size_t total_ = 0, done_now_ = 0, done_all_ = 0, width_ = 0;
  std::string what_ = "variants";
  bool shown_ = false;
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
};

// Progress of checking a grid's variants (before anything runs).
class CheckProgress {
 public:
  explicit CheckProgress(std::size_t total) : total_(total), tty_(::isatty(STDERR_FILENO) != 0) {}
  // Variant i (0-based) is about to be checked.
  void at(std::size_t i) {
    checked_ = i + 1;  // this one is checked next, whatever comes
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < (tty_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(5000))) return;
    last_ = now;
    if (i == 0) return;
    const double t = std::chrono::duration<double>(now - t0_).count();
    const double left = t / static_cast<double>(i) * static_cast<double>(total_ - i);
    const std::string line = fmt::format("  checking variants: {}/{} ({}, about {} left)", i, total_, duration_text(t), duration_text(left));
    if (tty_) {
      fmt::print(stderr, "\r{:<{}}", line, width_);
      width_ = std::max(width_, line.size());
      shown_ = true;
    } else {
      fmt::print(stderr, "{}\n", line);
      shown_ = true;
    }
  }
  void clear() {
    if (tty_ && shown_) fmt::print(stderr, "\r{:<{}}\r", "", width_);
    if (tty_) shown_ = false;
  }
  // Checking is over (all checked, or stopped by Ctrl-C): says how far it got and how long it
  // took, when that was long enough to show progress.
  void finish(bool all) {
    clear();
    if (shown_ || (tty_ && width_ > 0)) {
      const std::size_t n = all ? total_ : checked_;
      fmt::print(stderr, "  checked {} of {} variant(s) in {}\n", n, total_,
                 duration_text(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count()));
    }
  }

 private:
  std::size_t total_, checked_ = 0;
  bool tty_;
  bool shown_ = false;
  std::size_t width_ = 0;
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = t0_;
};

std::string default_out(const SweepOptions& o) {
  return (fs::path("reports") / (fs::path(o.sweep).stem().string() + (o.format == "json" ? ".json" : ".csv"))).string();
}

// "sites.district.backhaul.latency" -> "backhaul.latency" is too clever; paths are shown as written.
// thin(p): the candidates that point p rejected for too few requests (a change next to one
// may be a sampling artefact of a short duration, not a decision).
std::string boundary_text(const sweep::SweepSpec& spec, const sweep::Refinement& ref,
                          const std::function<std::vector<std::string>(sweep::LatticePoint)>& thin, nlohmann::json& data) {
  const auto& ax = spec.axes[0];
  const auto& ay = spec.axes[1];
  auto xv = [&](long i) { return ax.value_at_t(static_cast<double>(i) / static_cast<double>(ref.fine_x())); };
  auto yv = [&](long j) { return ay.value_at_t(static_cast<double>(j) / static_cast<double>(ref.fine_y())); };
  const auto changes = ref.changes();
  std::string out;
  data = nlohmann::json::array();
  for (int pass = 0; pass < 2; ++pass) {
    const bool along_x = pass == 0;
    const auto& moving = along_x ? ax : ay;
    const auto& fixed = along_x ? ay : ax;
    out += fmt::format("  along {} (at each coarse value of {}):\n", moving.path, fixed.path);
    const long lines = along_x ? ref.fine_y() / ref.step_y() : ref.fine_x() / ref.step_x();
    for (long k = 0; k <= lines; ++k) {
      const long line = k * (along_x ? ref.step_y() : ref.step_x());
      const std::string at = along_x ? yv(line) : xv(line);
      std::vector<const sweep::Refinement::Change*> here;
      for (const auto& c : changes) {
        if (c.along_x == along_x && c.line == line) here.push_back(&c);
      }
      if (here.empty()) {
        const auto l = along_x ? ref.label({0, line}) : ref.label({line, 0});
        out += fmt::format("    at {}: {} everywhere from {} to {}\n", at, sweep::shown_answer(l.value_or("?")), moving.values.front(),
                           moving.values.back());
        continue;
      }
      std::string s = fmt::format("    at {}: {}", at, sweep::shown_answer(here.front()->below));
      for (const auto* c : here) {
        const std::string lo = along_x ? xv(c->from) : yv(c->from);
        const std::string hi = along_x ? xv(c->to) : yv(c->to);
        s += fmt::format(" up to {}, then {} from {}", lo, sweep::shown_answer(c->above), hi);
        // Uncertain when either side rejected a candidate for too few requests.
        std::string note;
        for (const auto& [pos, value] : {std::pair{c->from, lo}, std::pair{c->to, hi}}) {
          const sweep::LatticePoint p = along_x ? sweep::LatticePoint{pos, line} : sweep::LatticePoint{line, pos};
          for (const auto& cand : thin(p)) {
            note += fmt::format("{}{} rejected for too few requests at {}", note.empty() ? "" : "; ", cand, value);
          }
        }
        if (!note.empty()) {
          note = "uncertain: " + note + ": raise the duration";
          s += fmt::format(" ({})", note);
        }
        data.push_back({{"along", moving.path}, {"at_path", fixed.path}, {"at", at}, {"last_below", lo}, {"first_above", hi},
                        {"below", c->below}, {"above", c->above}, {"note", note}});
      }
      out += s + "\n";
    }
  }
  return out;
}

}  // namespace

// Checks every variant (its scenario loaded, its key made: a few ms each) on `threads`
// threads, each with its own copy of the base scenario's YAML tree; the results in the
// variants' order. Stops when `cancelled()` says so: variants not checked by then are
// nullopt (the first of them ends the list that counts).
std::vector<std::optional<ResolvedVariant>> resolve_all(const sweep::SweepSpec& spec, const Catalogue& cat, const std::vector<sweep::Variant>& variants,
                                                        int threads, CheckProgress& progress, const std::function<bool()>& cancelled) {
  std::vector<std::optional<ResolvedVariant>> out(variants.size());
  std::mutex mu;  // next, progress, error, and the shared YAML tree while it is cloned
  std::size_t next = 0;
  std::exception_ptr error;
  auto work = [&] {
    try {
      sweep::SweepSpec mine;
      {
        std::lock_guard<std::mutex> lock(mu);
        mine = spec;  // mine.base now shares spec.base's tree: reset, not assign (which would write into that tree)
        mine.base.reset(YAML::Clone(spec.base));
      }
      for (;;) {
        std::size_t i = 0;
        {
          std::lock_guard<std::mutex> lock(mu);
          if (next >= variants.size() || error || cancelled()) return;
          i = next++;
          progress.at(i);
        }
        out[i] = sweep::resolve_variant(mine, cat, variants[i]);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu);
      if (!error) error = std::current_exception();
    }
  };
  run_on_threads(std::min<std::size_t>(static_cast<std::size_t>(std::max(1, threads)), variants.size()), work);
  if (error) std::rethrow_exception(error);
  return out;
}

int drive_sweep(const SweepOptions& o, const Catalogue& cat, const sweep::SweepSpec& spec, SweepBackend& backend, Runner& cancel_target) {
  const auto t0 = std::chrono::steady_clock::now();
  // The result file is rewritten after every variant and read back by --resume: a regular
  // file only, never an input of the sweep (a symlink is followed; its target is written).
  std::vector<std::string> inputs = input_files(cat, spec.scenario, spec.base_scenario);
  inputs.push_back(spec.file);
  if (!o.simulator.empty()) inputs.push_back(o.simulator);  // hwplan-mpi: the hwplan binary its ranks exec
  const OutputTarget target = checked_output("--out", o.out.empty() ? default_out(o) : o.out, inputs, OutputKinds::file_only);
  if (target.to_stdout || target.in_place) {
    throw UsageError(fmt::format("--out {}: a sweep's result file is rewritten after every variant and read back by --resume; give a file path",
                                 target.path));
  }
  const std::string out = target.resolved;
  // One sweep at a time per result file: two would each rewrite it with their own variants.
  const sweep::OutputLock out_lock(out);
  const auto format = o.format == "json" ? sweep::Format::json : sweep::Format::csv;
  nlohmann::json meta = {{"sweep", spec.name}, {"sweep_file", spec.file}, {"scenario", spec.scenario}, {"run", to_string(spec.action)}};
  sweep::ResultFile file(out, format, spec.axis_paths(), sweep::report_header(spec), meta);

  std::error_code ec;
  // A boundary map's CSV also writes OUT-boundary.csv beside it: checked now, not after the map.
  const std::string side = spec.mode == sweep::Mode::boundary && format == sweep::Format::csv
                               ? (fs::path(out).parent_path() / (fs::path(out).stem().string() + "-boundary.csv")).string()
                               : std::string();
  if (!side.empty() && fs::exists(fs::symlink_status(side, ec))) {
    if (!fs::is_regular_file(side, ec)) {
      throw UsageError(fmt::format("--out {}: a boundary map also writes {}, which exists and is not a regular file; give another --out", out, side));
    }
    if (!o.resume && !o.force) {
      throw UsageError(fmt::format("{} exists (the boundary of an earlier map): pass --resume to continue that sweep, or --force to overwrite it",
                                   side));
    }
  }

  std::map<std::string, Outcome> resumed;  // by key
  if (fs::exists(out, ec)) {
    if (o.resume) {
      try {
        for (auto& x : file.load_existing()) resumed[x.key] = std::move(x);
        // One line a variant: a torn last record and the rows of its variant before it are one story.
        const auto& torn = file.torn();
        const std::string cut = torn ? fmt::format("{} ends inside record {} (the file was cut short; hwplan ends every line it writes): "
                                                   "that record is dropped",
                                                   out, torn->record)
                                     : std::string();
        bool told = false;
        for (const auto& c : file.incomplete()) {
          if (!c.why.empty()) {
            fmt::print(stderr, "--resume: variant {} {} in {}: it runs again\n", c.index + 1, c.why, out);
          } else if (torn && torn->variant == c.index + 1) {
            fmt::print(stderr, "--resume: {}; variant {} then has {} of its {} rows: it runs again\n", cut, c.index + 1, c.rows, c.expected);
            told = true;
          } else {
            fmt::print(stderr, "--resume: variant {} has {} of its {} rows in {}: it runs again\n", c.index + 1, c.rows, c.expected, out);
          }
        }
        if (torn && !told) {
          fmt::print(stderr, "--resume: {}; {} runs again\n", cut,
                     torn->variant > 0 ? fmt::format("variant {}", torn->variant) : std::string("its variant"));
        }
      } catch (const std::exception& e) {
        throw UsageError(fmt::format("--resume: {}; use another --out, or --force to start it again", e.what()));
      }
    } else if (!o.force) {
      throw UsageError(fmt::format("{} exists: pass --resume to continue that sweep, or --force to overwrite it", out));
    }
  }

  // From here on a finished variant's rewrite of the file is the writer thread's: the
  // variants' threads go on at once (flushed below, before anything is reported).
  file.write_in_background();

  Progress progress(spec);
  std::mutex mu;
  std::size_t done_now = 0, done_all = 0, failed = 0, infeasible = 0, resumed_used = 0;
  std::size_t cache_hits = 0;
  std::map<std::string, std::string> answers;  // key -> answer
  for (const auto& [k, x] : resumed) answers[k] = x.answer;
  // key -> the candidates its rows rejected for too few requests (boundary notes)
  const std::vector<std::string> report_hdr = sweep::report_header(spec);
  std::map<std::string, std::vector<std::string>> thin;
  for (const auto& [k, x] : resumed) thin[k] = sweep::rejected_for_too_few_requests(report_hdr, x.rows);
  std::set<std::string> counted_resumed;
  auto count = [&](const Outcome& x) {
    if (x.status == Status::failed) ++failed;
    if (x.status == Status::infeasible) ++infeasible;
  };
  auto on_done = [&](Outcome x) {
    std::lock_guard<std::mutex> lock(mu);
    ++done_now;
    ++done_all;
    count(x);
    cache_hits += x.cache_hits;
    answers[x.key] = x.answer;
    thin[x.key] = sweep::rejected_for_too_few_requests(report_hdr, x.rows);
    file.add(x);
    progress.done(x, done_now, done_all);
  };
  auto tick = [&] {
    std::lock_guard<std::mutex> lock(mu);
    progress.tick(backend.running(), backend.simulated());
  };

  std::optional<sweep::Refinement> ref;
  std::map<std::pair<std::string, std::string>, std::string> key_of;  // boundary: values -> key
  std::size_t calls = 0, fine_points = 0;
  int rounds = 0;  // boundary rounds that asked for a new point (on a whole-number axis a round's points may all round to values already run)
  std::size_t duplicates = 0;  // grid: variants that are the same scenario as an earlier one (run once)
  std::size_t planned = 0;  // variants this sweep has asked for so far (grid: all; map: up to this round)
  int signal_exit = 0;
  std::string signal_name;
  {
    CancelOnSignals guard(cancel_target);
    if (spec.mode == sweep::Mode::grid) {
      const auto variants = sweep::expand(spec);
      fmt::print(stderr, "sweep '{}': {} variant(s) of {} ({}), checking them\n", shown_name(spec.name), variants.size(), shown_name(spec.scenario),
                 to_string(spec.action));
      std::vector<ResolvedVariant> resolved;
      resolved.reserve(variants.size());
      std::map<std::string, std::size_t> by_key;
      std::size_t loadable = 0, same = 0;
      // Checking is a few ms a variant: a large grid says how far it is (a line rewritten on a
      // terminal, a plain line every few seconds otherwise).
      CheckProgress checking(variants.size());
      auto checked = resolve_all(spec, cat, variants, std::max(1, cancel_target.slots()), checking, [&] { return cancel_target.cancelled(); });
      for (auto& c : checked) {
        if (!c) break;  // Ctrl-C while checking a large sweep: the rest were not checked
        ResolvedVariant r = std::move(*c);
        const sweep::Variant& v = r.variant;
        loadable += r.scenario ? 1 : 0;
        if (auto it = by_key.find(r.key); it != by_key.end()) {
          checking.clear();
          fmt::print(stderr, "note: variant {} ({}) is the same scenario as variant {}; it is run once\n", v.index + 1,
                     sweep::describe_values(spec, v.values), it->second + 1);
          ++same;
          continue;
        }
        by_key[r.key] = v.index;
        resolved.push_back(std::move(r));
      }
      std::vector<std::optional<ResolvedVariant>>().swap(checked);  // moved out: ~1 KB a variant not held through the sweep
      checking.finish(!cancel_target.cancelled());
      if (loadable == 0 && !cancel_target.cancelled()) {
        // At the axis value at fault (e2.yaml:4:39, key 'axes.streams.inspection.arrival.jitter[0]').
        const auto& first = *resolved.front().placed;
        throw InputError(first.where(), first.key(), first.value(),
                         fmt::format("no variant of this sweep loads; the first ({}): {}", sweep::describe_values(spec, resolved.front().variant.values),
                                     first.problem()));
      }
      std::size_t stale = 0;
      const Outcome* first_stale = nullptr;  // the lowest-numbered, as the file lists them
      for (const auto& [k, x] : resumed) {
        if (by_key.contains(k)) continue;
        ++stale;
        if (first_stale == nullptr || x.index < first_stale->index) first_stale = &x;
      }
      if (stale > 0) {
        throw UsageError(fmt::format("--resume: {} holds {} variant(s) that this sweep does not produce (the sweep or its scenario changed "
                                     "since), the first variant {} ({}, key '{}'); use another --out, or --force to start it again",
                                     out, stale, first_stale->index + 1, printable(sweep::describe_values(spec, first_stale->values)),
                                     printable(first_stale->key)));
      }
      bool moved = false;
      std::vector<const ResolvedVariant*> todo;
      for (const auto& r : resolved) {
        if (resumed.contains(r.key)) {
          // A kept variant may have another number in this sweep (an axis refined): it takes
          // this sweep's number and values.
          moved = file.place(r.key, r.variant.index, r.variant.values) || moved;
          ++done_all;
          ++resumed_used;
          count(resumed[r.key]);
        } else {
          todo.push_back(&r);
        }
      }
      progress.set_total(resolved.size(), "variants");
      planned = variants.size() - same;  // = resolved.size() unless Ctrl-C came while checking
      duplicates = same;
      if (!resumed.empty()) fmt::print(stderr, "resuming: {} variant(s) already in {}, {} to run\n", resumed_used, out, todo.size());
      if (!fs::exists(out, ec) || !o.resume || moved) file.write();  // the header at once (and --force empties the file)
      calls = resolved.size();
      backend.evaluate(todo, on_done, tick);
    } else {
      // Boundary: the coarse grid, then rounds of refinement.
      const auto& ax = spec.axes[0];
      const auto& ay = spec.axes[1];
      const int kx = sweep::depth_for(ax.range->from, ax.range->to, ax.range->steps, ax.range->log, ax.tolerance, spec.max_depth);
      const int ky = sweep::depth_for(ay.range->from, ay.range->to, ay.range->steps, ay.range->log, ay.tolerance, spec.max_depth);
      ref.emplace(ax.range->steps, kx, ay.range->steps, ky);
      {
        std::set<std::string> xs, ys;
        for (long i = 0; i <= ref->fine_x(); ++i) xs.insert(ax.value_at_t(static_cast<double>(i) / static_cast<double>(ref->fine_x())));
        for (long j = 0; j <= ref->fine_y(); ++j) ys.insert(ay.value_at_t(static_cast<double>(j) / static_cast<double>(ref->fine_y())));
        fine_points = xs.size() * ys.size();
      }
      fmt::print(stderr, "sweep '{}': boundary map of {} x {} on {} ({} x {} coarse points, fine steps of 1/{} and 1/{} of a coarse step)\n",
                 shown_name(spec.name), ax.path, ay.path, shown_name(spec.scenario), ax.values.size(), ay.values.size(), ref->step_x(), ref->step_y());
      // A tolerance that max_depth does not let the lattice reach: say what it reaches.
      for (const auto& [a, k] : {std::pair<const sweep::Axis&, int>{ax, kx}, std::pair<const sweep::Axis&, int>{ay, ky}}) {
        const double widest = sweep::widest_step(a.range->from, a.range->to, a.range->steps, a.range->log, k);
        if (widest <= a.tolerance * (1 + 1e-9)) continue;
        const int needed = sweep::depth_for(a.range->from, a.range->to, a.range->steps, a.range->log, a.tolerance, 20);
        const std::string like = a.range->like;
        auto text = [&](double v) {
          return a.schema().kind == sweep::ValueKind::integer ? fmt::format("{:.3g}", v) : sweep::format_like(a.schema(), v, like);
        };
        fmt::print(stderr, "note: {} is located to {} at its widest fine step, not to its tolerance {}: max_depth {} caps the bisections (max_depth: {} would reach it)\n",
                   a.path, text(widest), text(a.tolerance), spec.max_depth, needed);
      }
      if (!fs::exists(out, ec) || !o.resume) file.write();
      std::vector<std::unique_ptr<ResolvedVariant>> all;
      std::size_t next_index = 0;
      bool moved = false;  // a kept point renumbered (a map resumed with other steps)
      while (!backend.cancelled()) {
        const auto points = ref->next_round();
        if (points.empty()) break;
        std::vector<const ResolvedVariant*> todo;
        std::vector<std::pair<sweep::LatticePoint, std::pair<std::string, std::string>>> pv;
        const std::size_t known = key_of.size();
        for (const auto& p : points) {
          std::pair<std::string, std::string> values{ax.value_at_t(static_cast<double>(p.x) / static_cast<double>(ref->fine_x())),
                                                     ay.value_at_t(static_cast<double>(p.y) / static_cast<double>(ref->fine_y()))};
          pv.emplace_back(p, values);
          if (key_of.contains(values)) continue;
          sweep::Variant v{next_index++, {values.first, values.second}};
          auto r = std::make_unique<ResolvedVariant>(sweep::resolve_variant(spec, cat, v));
          key_of[values] = r->key;
          if (auto it = resumed.find(r->key); it != resumed.end()) {
            moved = file.place(r->key, v.index, v.values) || moved;
            ++resumed_used;
            ++done_all;
            count(it->second);
          } else if (!answers.contains(r->key)) {
            todo.push_back(r.get());
          }
          all.push_back(std::move(r));
        }
        if (key_of.size() > known) ++rounds;
        if (moved) file.write();
        moved = false;
        progress.set_total(done_all + todo.size(), fmt::format("points (round {})", rounds));
        planned = done_all + todo.size();
        backend.evaluate(todo, on_done, tick);
        if (backend.cancelled()) break;
        for (const auto& [p, values] : pv) {
          const auto a = answers.find(key_of.at(values));
          if (a == answers.end()) {  // a backend that returned without this point and without a cancel
            throw std::runtime_error(fmt::format("boundary round {}: the point ({}, {}) came back without an answer", rounds,
                                                 values.first, values.second));
          }
          ref->record(p, a->second);
        }
      }
      calls = key_of.size();
    }
    progress.clear();
    backend.finish();
    file.flush();  // every finished variant on disk before the summary or the interruption's count
    signal_exit = guard.signal() ? guard.exit_code() : 0;
    signal_name = guard.name();
  }
  if (backend.cancelled()) {
    // A runner that failed from within (a simulation process that could not start): that
    // error, not "interrupted". The completed variants are in the file for --resume.
    if (!signal_exit) {
      if (const auto failure = cancel_target.failure()) std::rethrow_exception(failure);
    }
    // Not this process's signal: another MPI rank's (its share was cut short), or a cancel
    // from within.
    const auto remote = backend.interruption();
    const std::string why = signal_exit ? signal_name : !remote.why.empty() ? remote.why : "cancelled";
    const int code = signal_exit ? signal_exit : !remote.why.empty() ? remote.exit_code : kInternal;
    const std::size_t missing = planned > done_all ? planned - done_all : 0;
    const std::string missing_text =
        ref ? fmt::format("{} point(s) of boundary round {} and any later rounds are missing", missing, rounds)
            : fmt::format("{} of the sweep's {} variant(s) are missing", missing, planned);
    fmt::print(stderr,
               "interrupted ({}): no summary. {} variant(s) are complete in {} ({} finished in this run); {}; running ones were "
               "stopped. Run the same command with --resume to continue.\n",
               why, file.variants(), out, done_now, missing_text);
    return code;
  }

  std::string boundary;
  if (ref) {
    nlohmann::json data;
    auto thin_at = [&](sweep::LatticePoint p) -> std::vector<std::string> {
      const std::pair<std::string, std::string> values{
          spec.axes[0].value_at_t(static_cast<double>(p.x) / static_cast<double>(ref->fine_x())),
          spec.axes[1].value_at_t(static_cast<double>(p.y) / static_cast<double>(ref->fine_y()))};
      const auto k = key_of.find(values);
      if (k == key_of.end()) return {};
      const auto t = thin.find(k->second);
      return t == thin.end() ? std::vector<std::string>{} : t->second;
    };
    boundary = boundary_text(spec, *ref, thin_at, data);
    const double saved = fine_points > calls ? static_cast<double>(fine_points - calls) : 0.0;
    nlohmann::json b = {{"x", spec.axes[0].path},
                        {"y", spec.axes[1].path},
                        {"recommend_calls", calls},
                        {"fine_grid_points", fine_points},
                        {"rounds", rounds},
                        {"changes", data}};
    if (format == sweep::Format::json) {
      file.set_field("boundary", b);
      file.write();
    } else {
      // The changes as a CSV next to the results, for a chart.
      Table t;
      t.header = {"along", "at_path", "at", "last_below", "first_above", "below", "above", "note"};
      for (const auto& c : data) {
        std::vector<std::string> row;
        for (const auto& h : t.header) row.push_back(c.at(h).get<std::string>());
        t.rows.push_back(std::move(row));
      }
      try {
        sweep::write_durably(side, to_csv(t));
        boundary += fmt::format("  (these changes are also in {})\n", side);
      } catch (const std::exception& e) {  // the map is in the result file and printed here: say so, lose nothing
        boundary += fmt::format("  (not written to {}: {})\n", side, e.what());
      }
    }
    boundary = fmt::format("boundary: {} recommend call(s) in {} round(s), against {} on the full fine grid of the same resolution ({:.0f} "
                           "saved, {:.0f}%)\n",
                           calls, rounds, fine_points, saved, fine_points ? 100.0 * saved / static_cast<double>(fine_points) : 0.0) +
               boundary;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("sweep '{}' ({}): {} variant(s): {} run now, {} skipped (already in the file), {} failed, {} with nothing feasible\n", shown_name(spec.name),
             to_string(spec.action), done_all, done_now, resumed_used, failed, infeasible);
  if (duplicates > 0) {
    fmt::print("({} more variant(s) of the grid repeat another variant's scenario (a value given twice, or written two ways): each such "
               "scenario ran once and has one variant in the file)\n",
               duplicates);
  }
  fmt::print("simulations: {} run, {} from the cache, on {} slot(s); wall time {}\n", backend.simulated(), cache_hits, backend.slots(),
             duration_text(wall));
  fmt::print("{}", boundary);
  fmt::print("results: {} ({} variant(s))\n", out, file.variants());
  return kOk;
}

}  // namespace hw::cli
