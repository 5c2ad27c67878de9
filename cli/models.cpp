// hwplan models list|show: browse the workload models of the catalogue, phases included
// ("llama2-7b:prefill", "llama2-7b:decode" are the ids a pipeline stage or --model takes).
#include <fmt/format.h>

#include <algorithm>

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
  j["sources"] = m.sources;
  j["file"] = m.file;
  return j;
}

// `text`: the table for people, whose input and output cells carry their unit ("4.6 KB");
// the CSV's are numbers of bytes with the unit in the column name (input_bytes), as
// gflop_per_item and weights_mb.
Table models_table(const std::vector<const WorkloadModel*>& ms, bool text) {
  Table t;
  t.header = {"id", "task", "gflop_per_item", "weights_mb", "precision", "precisions"};
  t.header.insert(t.header.end(), {text ? "input" : "input_bytes", text ? "output" : "output_bytes"});
  auto bytes = [&](Bytes b) { return text ? format_data(b) : fmt::format("{}", b.si()); };
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
  fmt::print("  weights         {} at {}\n", format_data(m.weights), to_string(m.precision));
  fmt::print("  bytes per item  {} (activation traffic)\n", format_data(m.bytes_per_item));
  fmt::print("  memory per item {}\n", format_data(m.memory_per_item));
  fmt::print("  input, output   {}, {}\n", format_data(m.input_size), format_data(m.output_size));
  fmt::print("  precisions      {}\n", precisions_text(m));
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
