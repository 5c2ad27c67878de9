// hwplan validate-model: the device model against published measurements. Per row the
// prediction, the measurement and the error; per group the mean absolute percentage
// error; with --fit, each profile's efficiency figures fitted to its `fit` rows.
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"
#include "sim/hardware/validation.hpp"
#include "sim/io/report.hpp"
#include "sim/io/validation_set.hpp"
#include "sim/run/runner.hpp"

namespace hw::cli {

struct ValidateModelOptions {
  std::string set;  // folder of CSV files
  std::string format = "table";
  std::string role = "all";
  int max_batch = kDefaultMaxBatch;
  bool fit = false;
  CatalogueOptions catalogue;
};

namespace {

std::string pct(double e) { return fmt::format("{:+.1f}%", e * 100.0); }

// A CSV figure: the shortest decimal text that reads back as exactly `v`, never in exponent
// form (a source's 760715 stays "760715", not "7.607e+05"; 14568.6 stays "14568.6").
std::string plain_number(double v) {
  if (!std::isfinite(v)) return fmt::format("{}", v);
  std::string s = fmt::format("{}", v);
  if (s.find_first_of("eE") == std::string::npos) return s;
  for (int decimals = 0; decimals <= 340; ++decimals) {
    s = fmt::format("{:.{}f}", v, decimals);
    if (std::strtod(s.c_str(), nullptr) == v) return s;
  }
  return s;
}

// The default --set: tests/validation/published of the catalogue folder when it has one,
// else the bundled set (above the executable: a build or source tree; else the source
// tree hwplan was built from). A --catalogue or HWPLAN_DATA folder holding only
// hardware_profiles/ and scenarios/ used to end in "not a folder of published-measurement
// CSV files" although the help promised the bundled set.
std::string default_set(const CatalogueOptions& opts) {
  namespace fs = std::filesystem;
  const fs::path rel = fs::path("tests") / "validation" / "published";
  std::vector<fs::path> tried{fs::path(data_dir(opts)) / rel};
  const fs::path exe = hw::self_exe();
  for (fs::path d = exe.parent_path(); !d.empty() && d != d.root_path(); d = d.parent_path()) tried.push_back(d / rel);
  tried.push_back(fs::path(HWPLAN_SOURCE_DIR) / rel);
  std::error_code ec;
  for (const auto& d : tried) {
    if (fs::is_directory(d, ec)) return d.string();
  }
  throw UsageError(fmt::format("validate-model: no set of published measurements found ({} has no {}, and no bundled set "
                               "is above {} or in {}); expected --set FOLDER, a folder of measurement CSV files",
                               data_dir(opts), rel.string(), exe.parent_path().string(), HWPLAN_SOURCE_DIR));
}

std::vector<PointResult> predict_all(const Catalogue& cat, const std::vector<PublishedPoint>& pts, int max_batch) {
  std::vector<PointResult> out;
  for (const auto& p : pts) {
    PointResult r;
    r.point = p;
    // An id that is not in the catalogue is a typo in the set: an error at its cell, not a
    // row left out of the summary (a review saw 'nvidia-l4x' dropped with exit 0).
    if (!cat.profiles.contains(p.device)) {
      std::vector<std::string> ids;
      for (const auto& [id, _] : cat.profiles) ids.push_back(id);
      const auto near = did_you_mean(p.device, ids);
      throw InputError({p.file, p.line, p.device_column}, "device", p.device,
                       fmt::format("expected a hardware profile id (hwplan profiles list){}",
                                   near ? fmt::format("; did you mean '{}'?", *near) : ""));
    }
    if (!cat.models.contains(p.model)) {
      std::vector<std::string> ids;
      for (const auto& [id, _] : cat.models) ids.push_back(id);
      const auto near = did_you_mean(p.model, ids);
      throw InputError({p.file, p.line, p.model_column}, "model", p.model,
                       fmt::format("expected a model id (hwplan models list){}",
                                   near ? fmt::format("; did you mean '{}'?", *near) : ""));
    }
    {
      r = predict_point(cat.profile(p.device), cat.model(p.model), p, max_batch);
    }
    out.push_back(r);
  }
  return out;
}

int run_fit(const Catalogue& cat, const std::vector<PublishedPoint>& pts, const ValidateModelOptions& o) {
  std::vector<std::string> devices;
  for (const auto& p : pts)
    if (p.role == "fit" && std::find(devices.begin(), devices.end(), p.device) == devices.end()) devices.push_back(p.device);
  nlohmann::json j = nlohmann::json::array();
  for (const auto& id : devices) {
    if (!cat.profiles.contains(id)) continue;
    const auto f = fit_profile(cat.profile(id), cat.models, pts, o.max_batch);
    nlohmann::json row{{"profile", id},
                       {"points", f.points},
                       {"efficiency_compute", f.fitted.efficiency_compute},
                       {"launch_s", f.fitted.launch.si()},
                       {"overhead_s", f.fitted.overhead.si()},
                       {"rms_log_error_before", f.rms_log_before},
                       {"rms_log_error_after", f.rms_log_after},
                       {"residuals", nlohmann::json::array()}};
    for (const auto& r : f.residuals)
      row["residuals"].push_back({{"model", r.point.model}, {"scenario", to_string(r.point.scenario)},
                                  {"measured", r.point.value}, {"predicted", r.predicted}, {"error", r.error}});
    j.push_back(row);
    if (o.format != "json") {
      fmt::print("{}: {} points; efficiency.compute {:.3f}, efficiency.launch {:.2f} us, overhead {:.3f} ms; rms log error {:.3f} -> {:.3f}\n",
                 id, f.points, f.fitted.efficiency_compute, f.fitted.launch.si() * 1e6, f.fitted.overhead.si() * 1e3,
                 f.rms_log_before, f.rms_log_after);
      for (const auto& r : f.residuals)
        fmt::print("    {:<14} {:<13} measured {:<10.4g} predicted {:<10.4g} {}\n", r.point.model, to_string(r.point.scenario),
                   r.point.value, r.predicted, pct(r.error));
    }
  }
  if (o.format == "json") fmt::print("{}\n", j.dump(2));
  return kOk;
}

}  // namespace

int run_validate_model(const ValidateModelOptions& o) {
  Catalogue cat = load_default_catalogue(o.catalogue);
  const std::string set = o.set.empty() ? default_set(o.catalogue) : o.set;
  auto pts = load_published_dir(set);
  if (pts.empty()) throw UsageError(fmt::format("no measurements in {} (expected *.csv files)", set));
  const auto results = predict_all(cat, pts, o.max_batch);  // throws on an unknown device or model
  if (o.fit) return run_fit(cat, pts, o);
  std::vector<PointResult> shown;
  for (const auto& r : results)
    if (o.role == "all" || r.point.role == o.role) shown.push_back(r);
  const auto groups = group_errors(shown);
  // Rows the model cannot predict (the model does not fit in the device's memory, no compute
  // at that precision...) are shown with their reason, counted, and said on stderr: the
  // per-group MAPE leaves them out.
  std::size_t not_predicted = 0;
  for (const auto& r : shown) {
    if (r.problem.empty()) continue;
    ++not_predicted;
    fmt::print(stderr, "warning: {}:{}: {} on {}: not predicted: {}; left out of the MAPE\n", r.point.file, r.point.line,
               r.point.model, r.point.device, r.problem);
  }

  if (o.format == "json") {
    nlohmann::json j{{"set", set}, {"max_batch", o.max_batch}, {"rows", nlohmann::json::array()}, {"groups", nlohmann::json::array()}};
    for (const auto& r : shown) {
      nlohmann::json row{{"device", r.point.device}, {"accelerators", r.point.accelerators}, {"model", r.point.model},
                         {"precision", to_string(r.point.precision)}, {"scenario", to_string(r.point.scenario)},
                         {"measured", r.point.value}, {"unit", r.point.unit}, {"group", r.point.group},
                         {"role", r.point.role}, {"source", r.point.source}};
      if (r.point.scenario == LoadScenario::server) row["bound_s"] = r.point.bound_s;
      if (r.problem.empty()) {
        row["predicted"] = r.predicted;
        row["error"] = r.error;
        row["batch"] = r.batch;
      } else {
        row["problem"] = r.problem;
      }
      j["rows"].push_back(row);
    }
    j["rows_not_predicted"] = not_predicted;
    for (const auto& g : groups) j["groups"].push_back({{"group", g.group}, {"rows", g.rows}, {"mape", g.mape}, {"worst", g.worst}});
    fmt::print("{}\n", j.dump(2));
    return kOk;
  }
  Table t;
  t.header = {"device", "n", "model", "prec", "scenario", "bound", "measured", "predicted", "unit", "error", "batch", "group", "role", "source"};
  for (const auto& r : shown) {
    const auto& p = r.point;
    t.rows.push_back({p.device, std::to_string(p.accelerators), p.model, to_string(p.precision), to_string(p.scenario),
                      p.scenario == LoadScenario::server ? fmt::format("{:g} ms", p.bound_s * 1e3) : "",
                      hw::sig(p.value, 4), r.problem.empty() ? hw::sig(r.predicted, 4) : "-", p.unit,
                      r.problem.empty() ? pct(r.error) : r.problem, r.problem.empty() ? std::to_string(r.batch) : "",
                      p.group, p.role, p.source});
  }
  // CSV: plain numbers, the unit in the column name (bound_ms, error_pct), the reason a row
  // was not predicted in its own column, and where each row comes from.
  Table c;
  c.header = {"device", "accelerators", "model",     "precision", "scenario", "bound_ms", "measured", "predicted",
              "unit",   "error_pct",    "batch",     "group",     "role",     "source",   "problem"};
  for (const auto& r : shown) {
    const auto& p = r.point;
    const bool ok = r.problem.empty();
    c.rows.push_back({p.device, std::to_string(p.accelerators), p.model, to_string(p.precision), to_string(p.scenario),
                      p.scenario == LoadScenario::server ? fmt::format("{:g}", p.bound_s * 1e3) : "",
                      plain_number(p.value), ok ? plain_number(r.predicted) : "", p.unit,
                      ok ? fmt::format("{:.1f}", r.error * 100) : "", ok ? std::to_string(r.batch) : "", p.group, p.role,
                      p.source, r.problem});
  }
  Table g;
  g.header = {"group", "rows", "mape", "worst"};
  for (const auto& e : groups)
    g.rows.push_back({e.group, std::to_string(e.rows), fmt::format("{:.1f}%", e.mape * 100), fmt::format("{:.1f}%", e.worst * 100)});
  if (o.format == "csv") {
    fmt::print("{}", to_csv(c));
    return kOk;
  }
  fmt::print("{}", to_text(t));
  fmt::print("\nmean absolute percentage error per group ({} rows{}{}):\n{}", shown.size() - not_predicted,
             o.role == "all" ? ", fit and check rows together (--role check: only rows no profile was fitted to)"
                             : ", role " + o.role,
             not_predicted ? fmt::format("; {} more not predicted, see the error column", not_predicted) : "", to_text(g));
  return kOk;
}

void setup_validate_model(CLI::App& app, Dispatch& d) {
  auto o = std::make_shared<ValidateModelOptions>();
  auto* sub = app.add_subcommand("validate-model", "Compare device predictions with published measurements (MAPE per group)");
  sub->add_option("--set", o->set, "Folder of measurement CSV files (default: tests/validation/published of --catalogue's folder if it has one, "
                  "else the bundled set)")
      ->check(path_given("a folder of measurement CSV files"));
  sub->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"table", "csv", "json"}));
  sub->add_option("--role", o->role, "Rows shown: all, fit (used to fit profiles) or check (never fitted)")
      ->check(CLI::IsMember({"all", "fit", "check"}));
  sub->add_option("--max-batch", o->max_batch, "Largest batch a server runs (offline and server rows)")->check(count_check("requests per batch", 1, 1 << 16));
  sub->add_flag("--fit", o->fit, "Fit each profile's efficiency.compute, efficiency.launch and overhead to its fit rows and print them");
  add_catalogue_option(*sub, o->catalogue);
  sub->footer("Examples:\n  hwplan validate-model\n  hwplan validate-model --role check --format csv\n  hwplan validate-model --fit");
  sub->callback([o, &d] { d.action = [o] { return run_validate_model(*o); }; });
}

}  // namespace hw::cli
