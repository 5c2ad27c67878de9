// hwplan models list|show: browse the workload models of the catalogue, phases included
// ("llama2-7b:prefill", "llama2-7b:decode" are the ids a pipeline stage or --model takes).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "sim/io/plan_report.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"
#include "sim/io/report.hpp"

namespace hw::cli {
namespace {

std::string precisions_text(const WorkloadModel& m) {
  std::string s;
  for (auto p : m.precisions) s += (s.empty() ? "" : " ") + to_string(p);
  return s;
}

// Numbers as the model file writes them: '140.7 GFLOP' is 140700000000.00002 FLOP after the
// unit's factor; 15 significant digits give back the written decimal (as cli/profiles.cpp).
void tidy_numbers(nlohmann::json& j) {
  if (j.is_number_float()) {
    const double v = j.get<double>();
    if (std::isfinite(v)) j = std::strtod(fmt::format("{:.15g}", v).c_str(), nullptr);
  } else if (j.is_structured()) {
    for (auto& e : j) tidy_numbers(e);
  }
}

nlohmann::json model_json(const WorkloadModel& m) {
  nlohmann::json j;
  j["id"] = m.id;
  j["name"] = m.name;
  j["task"] = m.task;
  j["flops_per_item"] = m.flops_per_item.si();
  j["bytes_per_item"] = m.bytes_per_item.si();
  j["weights_bytes"] = m.weights.si();
  j["precision"] = to_string(m.precision);
  nlohmann::json ps = nlohmann::json::array();
  for (auto p : m.precisions) ps.push_back(to_string(p));
  j["precisions"] = ps;
  j["memory_per_item_bytes"] = m.memory_per_item.si();
  j["input_size_bytes"] = m.input_size.si();
  j["output_size_bytes"] = m.output_size.si();
  // Every key of the file: the kernels per pass (0: none given, so no per-kernel launch time)
  // and the transformer shape a split over GPUs and the KV cache use (null: not given).
  j["kernels"] = m.kernels;
  auto shape = [](int v) { return v > 0 ? nlohmann::json(v) : nlohmann::json(nullptr); };
  j["layers"] = shape(m.layers);
  j["hidden"] = shape(m.hidden);
  j["kv_heads"] = shape(m.kv_heads);
  j["head_dim"] = shape(m.head_dim);
  j["sources"] = m.sources;
  j["file"] = m.file;
  tidy_numbers(j);
  return j;
}

// A size as the model files write it: in the unit, decimal (KB, MB, GB) or binary (KiB, MiB,
// GiB), in which it is exact with the fewest digits: "682 MiB" (715,128,832 B), "150.5 KB",
// "138 GB". format_data rounds to three digits in decimal units ("715 MB", "150 KB"), which
// reads as another figure than the file's. A size exact in no unit (none in the bundled
// files) is printed by format_data, said to be rounded.
std::string size_as_written(Bytes b) {
  const double v = b.si();
  if (!(v > 0) || !std::isfinite(v)) return format_data(b);
  struct Unit {
    const char* symbol;
    double factor;
  };
  static constexpr Unit units[] = {{"B", 1.0},   {"KB", 1e3},          {"KiB", 1024.0},          {"MB", 1e6},
                                   {"MiB", 1048576.0}, {"GB", 1e9}, {"GiB", 1073741824.0}, {"TB", 1e12},
                                   {"TiB", 1099511627776.0}};
  std::string best;
  int best_digits = 0;
  for (const auto& u : units) {
    const double x = v / u.factor;
    if (x < 1 || x >= 1e6) continue;
    for (int d = 1; d <= 6; ++d) {
      const std::string s = fmt::format("{:.{}g}", x, d);
      if (s.find('e') != std::string::npos) continue;
      if (std::abs(std::strtod(s.c_str(), nullptr) - x) > 1e-9 * x) continue;
      if (best.empty() || d < best_digits) {
        best = s + " " + u.symbol;
        best_digits = d;
      }
      break;
    }
  }
  return best.empty() ? format_data(b) + " (rounded)" : best;
}

// `text`: the table for people, whose input and output cells carry their unit as the file
// writes it ("4.6 KB", "150.5 KB");
// the CSV's are numbers of bytes with the unit in the column name (input_bytes), as
// gflop_per_item and weights_mb.
Table models_table(const std::vector<const WorkloadModel*>& ms, bool text) {
  Table t;
  t.header = {"id", "task", "gflop_per_item", "weights_mb", "precision", "precisions"};
  t.header.insert(t.header.end(), {text ? "input" : "input_bytes", text ? "output" : "output_bytes"});
  auto bytes = [&](Bytes b) { return text ? size_as_written(b) : fmt::format("{}", b.si()); };
  for (const auto* m : ms) {
    t.rows.push_back({m->id, m->task, hw::sig(m->flops_per_item.si() / 1e9, 4), hw::sig(m->weights.si() / 1e6, 4),
                      to_string(m->precision), precisions_text(*m), bytes(m->input_size), bytes(m->output_size)});
  }
  return t;
}

struct ModelsOptions {
  std::string task;
  std::string format = "table";
  std::string id;
  CatalogueOptions catalogue;
};

int run_models_list(const ModelsOptions& o) {
  Catalogue cat = load_default_catalogue(o.catalogue);
  std::vector<const WorkloadModel*> ms;
  for (const auto& [id, m] : cat.models) {
    if (o.task.empty() || m.task == o.task) ms.push_back(&m);
  }
  if (!o.task.empty() && ms.empty()) {
    // A task no model has is a typo, not an empty list: name the tasks there are.
    std::vector<std::string> tasks;
    for (const auto& [id, m] : cat.models) {
      if (!m.task.empty() && std::find(tasks.begin(), tasks.end(), m.task) == tasks.end()) tasks.push_back(m.task);
    }
    std::sort(tasks.begin(), tasks.end());
    const auto near = did_you_mean(o.task, tasks);
    std::string all;
    for (const auto& t : tasks) all += (all.empty() ? "" : ", ") + t;
    throw UsageError(fmt::format("--task '{}': no model has this task{}; the tasks are: {}", printable(o.task),
                                 near ? fmt::format(" (did you mean '{}'?)", *near) : "", all));
  }
  if (o.format == "json") {
    nlohmann::json j = nlohmann::json::array();
    for (const auto* m : ms) j.push_back(model_json(*m));
    fmt::print("{}\n", j.dump(2));
  } else if (o.format == "csv") {
    fmt::print("{}", to_csv(models_table(ms, false)));
  } else {
    fmt::print("{}", to_text(models_table(ms, true)));
    fmt::print("{} models in {} (an id with ':' is one phase of a model; use it as a stage's 'model' or with --model)\n", ms.size(),
               cat.models_dir);
  }
  return kOk;
}

int run_models_show(const ModelsOptions& o) {
  Catalogue cat = load_default_catalogue(o.catalogue);
  auto it = cat.models.find(o.id);
  if (it == cat.models.end()) {
    std::vector<std::string> ids;
    for (const auto& [id, _] : cat.models) ids.push_back(id);
    auto near = did_you_mean(o.id, ids);
    throw UsageError(fmt::format("no workload model '{}'{}; 'hwplan models list' shows them all", printable(o.id),
                                 near ? fmt::format(" (did you mean '{}'?)", *near) : ""));
  }
  const WorkloadModel& m = it->second;
  if (o.format == "json") {
    fmt::print("{}\n", model_json(m).dump(2));
    return kOk;
  }
  fmt::print("{} ({})\n", shown_name(m.name), shown_name(m.id));
  if (!m.task.empty()) fmt::print("  task            {}\n", m.task);
  fmt::print("  work per item   {} GFLOP\n", hw::sig(m.flops_per_item.si() / 1e9, 4));
  fmt::print("  weights         {} at {}\n", size_as_written(m.weights), to_string(m.precision));
  fmt::print("  bytes per item  {} (activation traffic)\n", size_as_written(m.bytes_per_item));
  fmt::print("  memory per item {}\n", size_as_written(m.memory_per_item));
  fmt::print("  input, output   {}, {}\n", size_as_written(m.input_size), size_as_written(m.output_size));
  fmt::print("  precisions      {}\n", precisions_text(m));
  fmt::print("  kernels         {}\n", m.kernels > 0 ? fmt::format("{} per pass", m.kernels)
                                                     : std::string("none given (no per-kernel launch time)"));
  if (m.layers > 0 || m.hidden > 0 || m.kv_heads > 0 || m.head_dim > 0) {
    auto shape = [](int v) { return v > 0 ? std::to_string(v) : std::string("not given"); };
    fmt::print("  shape           layers {}, hidden {}, kv_heads {}, head_dim {}\n", shape(m.layers), shape(m.hidden),
               shape(m.kv_heads), shape(m.head_dim));
  }
  fmt::print("  sources:\n");
  for (const auto& [k, v] : m.sources) fmt::print("    {:<14} {}\n", k, v);
  fmt::print("  file            {}\n", m.file);
  return kOk;
}

}  // namespace

void setup_models(CLI::App& app, Dispatch& d) {
  auto o = std::make_shared<ModelsOptions>();
  auto* sub = app.add_subcommand("models", "Browse the workload models (phases such as 'llama2-7b:decode' included)");
  sub->require_subcommand(1);
  auto* list = sub->add_subcommand("list", "List workload models and their phases");
  list->add_option("--task", o->task, "Only models of this task (as written in the model file)");
  add_format_option(*list, o->format);
  add_catalogue_option(*list, o->catalogue);
  list->footer("Example:\n  hwplan models list --format csv");
  list->callback([o, &d] { d.action = [o] { return run_models_list(*o); }; });
  auto* show = sub->add_subcommand("show", "Show one model (or one phase) with its sources");
  show->add_option("id", o->id, "Model id, e.g. yolov8s or llama2-7b:decode")->required();
  show->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"table", "json"}));
  add_catalogue_option(*show, o->catalogue);
  show->footer("Example:\n  hwplan models show llama2-7b:decode");
  show->callback([o, &d] { d.action = [o] { return run_models_show(*o); }; });
}

}  // namespace hw::cli
