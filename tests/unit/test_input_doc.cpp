// docs/input-format.md kept true by the loaders themselves. Each key table of the page is
// preceded by a marker `<!-- keys: CONTEXT ... -->`. For every context the test asks the
// loader which keys it accepts there (it adds an unknown key to a valid file and reads the
// "known keys here: ..." list of the error) and compares that set with the table's keys;
// every documented default written as one literal (`60 s`, `fp16`, `true`) is compared with
// what the loader gives when the key is left out; the limits table is compared with
// InputLimits.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/core/units.hpp"
#include "sim/io/loaders.hpp"
#include "sim/network/links.hpp"

namespace {

const hw::Catalogue& catalogue() {
  static const hw::Catalogue c = hw::load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles", HWPLAN_SOURCE_DIR "/scenarios/models");
  return c;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(s.begin());
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  return s;
}

std::vector<std::string> backticked(const std::string& cell) {
  std::vector<std::string> out;
  for (std::size_t a = cell.find('`'); a != std::string::npos; a = cell.find('`', a + 1)) {
    const std::size_t b = cell.find('`', a + 1);
    if (b == std::string::npos) break;
    out.push_back(cell.substr(a + 1, b - a - 1));
    a = b;
  }
  return out;
}

std::vector<std::string> cells_of(const std::string& row) {
  std::vector<std::string> cells;
  std::string cur;
  bool tick = false;
  for (std::size_t i = 1; i < row.size(); ++i) {  // the row starts with '|'
    const char c = row[i];
    if (c == '`') tick = !tick;
    if (c == '|' && !tick) {
      cells.push_back(trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  return cells;
}

struct DocRow {
  std::string context, key, default_cell;
};

// Key rows of every marked table: `sites[i].count` in context scenario.site is key `count`
// there; `compute.fp32` / `.fp16` in context profile are keys of context profile.compute.
std::vector<DocRow> doc_rows(const std::string& marker_word) {
  std::ifstream in(HWPLAN_SOURCE_DIR "/docs/input-format.md");
  REQUIRE(in);
  std::vector<DocRow> rows;
  std::string line, context;
  int table_line = -1;
  while (std::getline(in, line)) {
    const std::string marker = "<!-- " + marker_word + ":";
    if (line.rfind(marker, 0) == 0) {
      std::istringstream ss(line.substr(marker.size()));
      ss >> context;
      table_line = 0;
      continue;
    }
    if (table_line < 0) continue;
    if (line.empty() || line[0] != '|') {
      if (table_line > 0) table_line = -1;
      continue;
    }
    if (++table_line <= 2) continue;  // header and separator
    const auto cells = cells_of(line);
    REQUIRE_MESSAGE(cells.size() >= 3, "a table row with fewer than 3 cells: " << line);
    const auto names = backticked(cells[0]);
    REQUIRE_MESSAGE(!names.empty(), "a table row without a `key`: " << line);
    for (std::string name : names) {
      if (name.front() == '.') {  // `.fp16` after `compute.fp32`
        const std::string first = names.front();
        name = first.substr(0, first.rfind('.')) + name;
      }
      if (const auto b = name.find("[i]."); b != std::string::npos) name = name.substr(b + 4);
      std::string ctx = context;
      if (const auto dot = name.find('.'); dot != std::string::npos && marker_word == "keys") {
        ctx += "." + name.substr(0, dot);
        name = name.substr(dot + 1);
      }
      rows.push_back({ctx, name, marker_word == "limits" ? cells[1] : cells[2]});
    }
  }
  return rows;
}

// ---------------------------------------------------------------- what the loader accepts

const char* kProfile = R"(id: doc-device
name: Doc device
class: accelerator
compute: {fp16: 10 TFLOP/s}
memory: {capacity: 8 GB, bandwidth: 100 GB/s}
efficiency: {compute: 0.5}
power: {idle: 5 W, max: 50 W}
sources: {compute: x, memory: x, power: x, efficiency: x}
)";

const char* kModel = R"(id: doc-model
name: Doc model
weights: 1 MB
phases:
  p: {flops_per_item: 1 GFLOP}
sources: {flops: x}
)";

const char* kScenario = R"(name: doc
sites:
  - id: s
    access: {type: wired}
streams:
  - id: a
    site: s
    arrival: {process: periodic, rate: 10 /s}
    payload: 1 KB
    pipeline:
      - model: yolov8n
        variability: {distribution: lognormal}
    slo: {latency: 100 ms}
batch_jobs:
  - {id: j, kind: training, total_flops: 1 PFLOP, deadline: 1 d}
costs: {currency: USD}
retraining: {interval: 7 d}
constraints: {data_residency: false}
candidates:
  - family: gpu
    hardware: nvidia-l4
    batching: {max_batch: 2}
)";

enum class Kind { profile, model, scenario };

std::string load_error(Kind k, const YAML::Node& root) {
  const std::string text = YAML::Dump(root);
  try {
    switch (k) {
      case Kind::profile: hw::load_profile_text(text, "<doc>"); break;
      case Kind::model: hw::load_models_text(text, "<doc>"); break;
      case Kind::scenario: hw::load_scenario_text(text, HWPLAN_TEST_DATA, catalogue(), "<doc>"); break;
    }
  } catch (const hw::InputError& e) {
    return e.what();
  }
  return "";
}

// The keys the loader accepts in one mapping: add an unknown key there and read the list.
std::set<std::string> known_keys(Kind k, const char* base, const std::function<YAML::Node(YAML::Node&)>& at) {
  YAML::Node root = YAML::Load(base);
  REQUIRE_MESSAGE(load_error(k, root).empty(), "the test's base file does not load: " << load_error(k, root));
  YAML::Node target = at(root);
  target["zz_undocumented"] = "1";
  const std::string e = load_error(k, root);
  const std::string tag = "known keys here: ";
  const auto a = e.find(tag);
  REQUIRE_MESSAGE((e.find("unknown key 'zz_undocumented'") != std::string::npos && a != std::string::npos),
                  "expected an unknown-key error, got: " << e);
  std::set<std::string> keys;
  std::string list = e.substr(a + tag.size());
  list = list.substr(0, list.find(')'));
  std::stringstream ss(list);
  std::string item;
  while (std::getline(ss, item, ',')) keys.insert(trim(item));
  return keys;
}

std::map<std::string, std::set<std::string>> loader_keys() {
  std::map<std::string, std::set<std::string>> m;
  auto add = [&](const std::string& ctx, Kind k, const char* base, const std::function<YAML::Node(YAML::Node&)>& at) {
    for (const auto& key : known_keys(k, base, at)) m[ctx].insert(key);
  };
  add("profile", Kind::profile, kProfile, [](YAML::Node& r) { return r; });
  for (const char* sub : {"compute", "memory", "efficiency", "power"}) {
    add(std::string("profile.") + sub, Kind::profile, kProfile, [sub](YAML::Node& r) { return r[sub]; });
  }
  add("profile.interconnect", Kind::profile, kProfile, [](YAML::Node& r) {
    r["interconnect"] = YAML::Load("{kind: nvlink4, bandwidth: 450 GB/s}");
    return r["interconnect"];
  });
  add("profile.render", Kind::profile, kProfile, [](YAML::Node& r) {
    r["render"] = YAML::Load("{speed: 100 /min}");
    r["sources"]["render"] = "x";
    return r["render"];
  });
  add("profile.decode", Kind::profile, kProfile, [](YAML::Node& r) {
    r["decode"] = YAML::Load("{h264: 10}");
    r["sources"]["decode"] = "x";
    return r["decode"];
  });
  add("model", Kind::model, kModel, [](YAML::Node& r) { return r; });
  add("model.phase", Kind::model, kModel, [](YAML::Node& r) { return r["phases"]["p"]; });
  add("scenario", Kind::scenario, kScenario, [](YAML::Node& r) { return r; });
  add("scenario.site", Kind::scenario, kScenario, [](YAML::Node& r) { return r["sites"][0]; });
  add("scenario.link", Kind::scenario, kScenario, [](YAML::Node& r) { return r["sites"][0]["access"]; });
  add("scenario.stream", Kind::scenario, kScenario, [](YAML::Node& r) { return r["streams"][0]; });
  // The arrival keys depend on the process: the union over all of them.
  const std::vector<std::string> arrivals{"{process: periodic, rate: 10 /s}", "{process: poisson, rate: 10 /s}",
                                          "{process: bursty, rate: 10 /s, on: 1 s, off: 1 s}",
                                          "{process: diurnal, rate: 10 /s, hourly: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}",
                                          "{process: trace, file: traces/times.csv}"};
  for (const auto& a : arrivals) {
    add("scenario.arrival", Kind::scenario, kScenario, [a](YAML::Node& r) {
      r["streams"][0]["arrival"] = YAML::Load(a);
      return r["streams"][0]["arrival"];
    });
  }
  add("scenario.stream.video", Kind::scenario, kScenario, [](YAML::Node& r) {
    r["streams"][0]["video"] = YAML::Load("{codec: h264}");
    return r["streams"][0]["video"];
  });
  add("scenario.stage", Kind::scenario, kScenario, [](YAML::Node& r) { return r["streams"][0]["pipeline"][0]; });
  add("scenario.variability", Kind::scenario, kScenario, [](YAML::Node& r) { return r["streams"][0]["pipeline"][0]["variability"]; });
  add("scenario.slo", Kind::scenario, kScenario, [](YAML::Node& r) { return r["streams"][0]["slo"]; });
  // An LLM stream: its `llm` block, its length distributions (union over the shapes), its two SLOs.
  auto llm_stream = [](YAML::Node& r) {
    YAML::Node st = r["streams"][0];
    st.remove("pipeline");
    st["llm"] = YAML::Load("{model: llama2-70b, prompt_tokens: {distribution: fixed, value: 100}, "
                           "output_tokens: {distribution: fixed, value: 10}}");
    st["slo"] = YAML::Load("{ttft: {percentile: 99, latency: 2 s}, tpot: {percentile: 99, latency: 200 ms}}");
    return st;
  };
  add("scenario.llm", Kind::scenario, kScenario, [llm_stream](YAML::Node& r) { return llm_stream(r)["llm"]; });
  add("scenario.llm_slo", Kind::scenario, kScenario, [llm_stream](YAML::Node& r) { return llm_stream(r)["slo"]; });
  const std::vector<std::string> lengths{"{distribution: fixed, value: 100}", "{distribution: uniform, min: 1, max: 9}",
                                         "{distribution: lognormal, mean: 100, cv: 1}", "{distribution: empirical, values: [3, 4]}"};
  for (const auto& l : lengths) {
    add("scenario.length", Kind::scenario, kScenario, [llm_stream, l](YAML::Node& r) {
      YAML::Node st = llm_stream(r);
      st["llm"]["prompt_tokens"] = YAML::Load(l);
      return st["llm"]["prompt_tokens"];
    });
  }
  add("scenario.batch_job", Kind::scenario, kScenario, [](YAML::Node& r) { return r["batch_jobs"][0]; });
  add("scenario.batch_job.render", Kind::scenario, kScenario, [](YAML::Node& r) {
    r["batch_jobs"][0]["render"] = YAML::Load("{samples: 1000}");
    return r["batch_jobs"][0]["render"];
  });
  for (const char* sub : {"costs", "retraining", "constraints"}) {
    add(std::string("scenario.") + sub, Kind::scenario, kScenario, [sub](YAML::Node& r) { return r[sub]; });
  }
  const std::vector<std::string> candidates{"{family: gpu, hardware: nvidia-l4, batching: {max_batch: 2}}",
                                            "{family: edge, hardware: jetson-orin-nano-super}",
                                            "{family: hybrid, edge: jetson-orin-nano-super, gpu: nvidia-l4}"};
  for (const auto& c : candidates) {
    add("scenario.candidate", Kind::scenario, kScenario, [c](YAML::Node& r) {
      r["candidates"][0] = YAML::Load(c);
      return r["candidates"][0];
    });
  }
  add("scenario.candidate.batching", Kind::scenario, kScenario, [](YAML::Node& r) { return r["candidates"][0]["batching"]; });
  return m;
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
  return out;
}

}  // namespace

TEST_CASE("docs/input-format.md documents exactly the keys each loader accepts") {
  std::map<std::string, std::set<std::string>> documented;
  for (const auto& r : doc_rows("keys")) documented[r.context].insert(r.key);
  const auto accepted = loader_keys();
  CHECK(documented.size() >= 20);
  std::set<std::string> contexts;
  for (const auto& [c, _] : documented) contexts.insert(c);
  for (const auto& [c, _] : accepted) contexts.insert(c);
  for (const auto& c : contexts) {
    std::set<std::string> undocumented, unknown;
    for (const auto& k : accepted.count(c) ? accepted.at(c) : std::set<std::string>{}) {
      if (!documented[c].count(k)) undocumented.insert(k);
    }
    for (const auto& k : documented[c]) {
      if (!accepted.count(c) || !accepted.at(c).count(k)) unknown.insert(k);
    }
    CHECK_MESSAGE(undocumented.empty(), c << ": accepted by the loader but not documented: " << join(undocumented));
    CHECK_MESSAGE(unknown.empty(), c << ": documented but not accepted by the loader: " << join(unknown));
  }
}

// ---------------------------------------------------------------- defaults

namespace {

using Value = std::variant<double, std::string>;

struct DefaultCheck {
  hw::UnitKind kind;  // how the documented literal is read when the value is a number
  std::function<Value()> loaded;
};

const char* kMinimalProfile = R"(id: d
name: D
class: accelerator
compute: {fp16: 10 TFLOP/s}
memory: {bandwidth: 100 GB/s}
power: {idle: 5 W, max: 50 W}
sources: {compute: x, memory: x, power: x}
)";
const char* kMinimalModel = R"(id: m
name: M
weights: 1 MB
flops_per_item: 1 GFLOP
sources: {flops: x}
)";
std::string minimal_scenario(const std::string& stage_extra = "", const std::string& extra = "") {
  return R"(name: d
sites:
  - id: s
    access: {latency: 1 ms, bandwidth: 1 Gbps}
streams:
  - id: a
    site: s
    arrival: {process: periodic, rate: 10 /s}
    payload: 1 KB
    pipeline:
      - {model: yolov8n)" + stage_extra + R"(}
    slo: {latency: 100 ms}
batch_jobs:
  - {id: j, kind: training, total_flops: 1 PFLOP, deadline: 1 d}
retraining: {interval: 7 d}
constraints: {site_power_budget: 1 kW}
candidates:
  - {family: hybrid, edge: jetson-orin-nano-super, gpu: nvidia-l4, batching: {}}
)" + extra;
}
hw::HardwareProfile profile() {
  std::ofstream("d.yaml") << kMinimalProfile;
  return hw::load_profile("d.yaml");
}
// The minimal profile plus `extra` top-level lines (their group's source added).
hw::HardwareProfile profile_with(const std::string& extra) {
  std::string text = kMinimalProfile;
  const std::string sources = "sources: {compute: x, memory: x, power: x}";
  text.replace(text.find(sources), sources.size(), extra + "sources: {compute: x, memory: x, power: x, interconnect: x}");
  std::ofstream("d.yaml") << text;
  return hw::load_profile("d.yaml");
}
hw::WorkloadModel model() {
  std::ofstream("m.yaml") << kMinimalModel;
  return hw::load_models("m.yaml").front();
}
hw::Scenario scenario(const std::string& stage_extra = "") {
  return hw::load_scenario_text(minimal_scenario(stage_extra), ".", catalogue(), "<doc>");
}
std::string text_of(bool b) { return b ? "true" : "false"; }

std::map<std::string, DefaultCheck> default_checks() {
  using K = hw::UnitKind;
  std::map<std::string, DefaultCheck> m;
  auto num = [&](const std::string& key, K kind, std::function<double()> f) { m[key] = {kind, [f] { return Value(f()); }}; };
  auto str = [&](const std::string& key, std::function<std::string()> f) { m[key] = {K::fraction, [f] { return Value(f()); }}; };
  num("profile.accelerators", K::fraction, [] { return profile().accelerators; });
  num("profile.memory.capacity", K::data, [] { return profile().memory_capacity.si(); });
  num("profile.efficiency.compute", K::fraction, [] { return profile().efficiency_compute; });
  num("profile.efficiency.memory", K::fraction, [] { return profile().efficiency_memory; });
  num("profile.efficiency.half_batch", K::fraction, [] { return profile().half_efficiency_batch; });
  num("profile.overhead", K::time, [] { return profile().overhead.si(); });
  num("profile.price_year", K::fraction, [] { return profile().price_year; });
  str("model.precision", [] { return hw::to_string(model().precision); });
  num("model.bytes_per_item", K::data, [] { return model().bytes_per_item.si(); });
  num("model.memory_per_item", K::data, [] { return model().memory_per_item.si(); });
  num("model.input_size", K::data, [] { return model().input_size.si(); });
  num("model.output_size", K::data, [] { return model().output_size.si(); });
  num("scenario.seed", K::fraction, [] { return static_cast<double>(scenario().seed); });
  num("scenario.duration", K::time, [] { return scenario().duration.si(); });
  num("scenario.warmup", K::time, [] { return scenario().warmup.si(); });
  num("scenario.dc_fabric_latency", K::time, [] { return scenario().dc_fabric_latency.si(); });
  num("scenario.precision", K::fraction, [] { return scenario().precision; });
  num("scenario.site.count", K::fraction, [] { return scenario().sites[0].count; });
  str("scenario.link.type", [] { return scenario().sites[0].access.type; });
  num("scenario.stream.sources", K::fraction, [] { return scenario().streams[0].sources; });
  num("scenario.stream.result", K::data, [] { return scenario().streams[0].result.si(); });
  str("scenario.stream.return_result", [] { return text_of(scenario().streams[0].return_result); });
  str("scenario.stream.raw_data_local", [] { return text_of(scenario().streams[0].raw_data_local); });
  num("scenario.arrival.jitter", K::time, [] { return scenario().streams[0].arrival.jitter.si(); });
  num("scenario.stage.fraction", K::fraction, [] { return scenario().streams[0].pipeline[0].fraction; });
  num("scenario.variability.cv", K::fraction, [] { return scenario(", variability: {distribution: lognormal}").streams[0].pipeline[0].variability.cv; });
  num("scenario.slo.percentile", K::fraction, [] { return scenario().streams[0].slo.percentile; });
  num("scenario.batch_job.total_bytes", K::data, [] { return scenario().batch_jobs[0].total_bytes.si(); });
  num("scenario.batch_job.dataset", K::data, [] { return scenario().batch_jobs[0].dataset.si(); });
  str("scenario.batch_job.precision", [] { return hw::to_string(scenario().batch_jobs[0].precision); });
  num("scenario.batch_job.min_devices", K::fraction, [] { return scenario().batch_jobs[0].min_devices; });
  num("scenario.batch_job.scaling_efficiency", K::fraction, [] { return scenario().batch_jobs[0].scaling_efficiency; });
  str("scenario.costs.currency", [] { return scenario().costs.currency; });
  num("scenario.costs.horizon", K::time, [] { return scenario().costs.horizon.si(); });
  num("scenario.costs.pue", K::fraction, [] { return scenario().costs.pue; });
  num("scenario.costs.maintenance_per_unit", K::fraction, [] { return scenario().costs.maintenance_per_unit.per_si; });
  num("scenario.costs.site_visit", K::money, [] { return scenario().costs.site_visit.amount; });
  num("scenario.costs.visits_per_site_per_year", K::fraction, [] { return scenario().costs.visits_per_site_per_year; });
  num("scenario.costs.gpu_hour", K::fraction, [] { return scenario().costs.gpu_hour.per_si; });
  num("scenario.retraining.upload_fraction", K::fraction, [] { return scenario().retraining->upload_fraction; });
  num("scenario.retraining.gpu_hours", K::fraction, [] { return scenario().retraining->gpu_hours; });
  num("scenario.retraining.model_size", K::data, [] { return scenario().retraining->model_size.si(); });
  num("scenario.retraining.epochs", K::fraction, [] { return scenario().retraining->epochs; });
  str("scenario.retraining.precision", [] { return hw::to_string(scenario().retraining->precision); });
  num("scenario.retraining.scaling_efficiency", K::fraction, [] { return scenario().retraining->scaling_efficiency; });
  num("profile.efficiency.launch", K::time, [] { return profile().launch.si(); });
  num("model.kernels", K::fraction, [] { return model().kernels; });
  num("profile.interconnect.latency", K::time, [] { return profile_with("interconnect: {kind: pcie4, bandwidth: 25 GB/s}\n").interconnect_latency.si(); });
  num("profile.interconnect.scale_out", K::byterate, [] { return profile_with("interconnect: {kind: pcie4, bandwidth: 25 GB/s}\n").scale_out_bandwidth.si(); });
  num("model.layers", K::fraction, [] { return model().layers; });
  num("model.hidden", K::fraction, [] { return model().hidden; });
  num("model.kv_heads", K::fraction, [] { return model().kv_heads; });
  num("model.head_dim", K::fraction, [] { return model().head_dim; });
  // An LLM stream with neither token_budget nor max_sequences.
  auto llm = [] {
    std::string text = minimal_scenario();
    const auto a = text.find("streams:");
    const auto b = text.find("batch_jobs:");
    text.replace(a, b - a, R"(streams:
  - id: chat
    site: s
    arrival: {process: poisson, rate: 1 /s}
    payload: 1 KB
    llm: {model: llama2-70b, prompt_tokens: {distribution: fixed, value: 10}, output_tokens: {distribution: fixed, value: 10}}
    slo: {ttft: {latency: 2 s}, tpot: {latency: 200 ms}}
)");
    return *hw::load_scenario_text(text, ".", catalogue(), "<doc>").streams.at(0).llm;
  };
  num("scenario.llm.token_budget", K::fraction, [llm] { return llm().token_budget; });
  num("scenario.llm.max_sequences", K::fraction, [llm] { return llm().max_sequences; });
  num("scenario.batch_job.parameters", K::fraction, [] { return scenario().batch_jobs[0].parameters; });
  num("scenario.batch_job.steps", K::fraction, [] { return scenario().batch_jobs[0].steps; });
  str("scenario.constraints.data_residency", [] { return text_of(scenario().constraints.data_residency); });
  str("scenario.constraints.ignore_datacenter_use", [] { return text_of(scenario().constraints.ignore_datacenter_use); });
  str("profile.datacenter_use", [] { return text_of(profile().datacenter_use); });
  num("scenario.candidate.edge_stages", K::fraction, [] { return scenario().candidates[0].edge_stages; });
  num("scenario.candidate.units_per_site", K::fraction, [] { return scenario().candidates[0].units_per_site; });
  num("scenario.candidate.servers", K::fraction, [] { return scenario().candidates[0].servers; });
  num("scenario.candidate.queue_capacity", K::fraction, [] { return scenario().candidates[0].queue_capacity; });
  num("scenario.candidate.batching.max_batch", K::fraction, [] { return scenario().candidates[0].batching.max_batch; });
  num("scenario.candidate.batching.max_wait", K::time, [] { return scenario().candidates[0].batching.max_wait.si(); });
  return m;
}

// A documented default given as one literal, read as the loader reads that kind.
double read_literal(const std::string& lit, hw::UnitKind kind) {
  std::size_t pos = 0;
  try {
    const double v = std::stod(lit, &pos);
    if (pos == lit.size()) return v;
  } catch (const std::exception&) {
  }
  return hw::parse_quantity(lit, kind).si;
}

}  // namespace

TEST_CASE("every default docs/input-format.md gives as a literal is the loader's") {
  const auto checks = default_checks();
  const auto saved = std::filesystem::current_path();
  const auto dir = std::filesystem::temp_directory_path() / ("hwplan-doc-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::current_path(dir);
  std::set<std::string> seen;
  int compared = 0;
  for (const auto& r : doc_rows("keys")) {
    const std::string full = r.context + "." + r.key;
    const std::string cell = trim(r.default_cell);
    const auto lits = backticked(cell);
    // One literal; a placeholder such as `0.12 <currency>/kWh` is prose, not a value.
    const bool literal = lits.size() == 1 && cell == "`" + lits[0] + "`" && lits[0].find('<') == std::string::npos;
    if (!literal) continue;
    seen.insert(full);
    auto it = checks.find(full);
    CHECK_MESSAGE(it != checks.end(), full << ": documented default `" << lits[0] << "` has no check in this test");
    if (it == checks.end()) continue;
    const Value v = it->second.loaded();
    if (const auto* s = std::get_if<std::string>(&v)) {
      CHECK_MESSAGE(*s == lits[0], full << ": documented default `" << lits[0] << "`, the loader gives '" << *s << "'");
    } else {
      const double d = std::get<double>(v);
      CHECK_MESSAGE(read_literal(lits[0], it->second.kind) == doctest::Approx(d), full << ": documented default `" << lits[0]
                                                                                        << "`, the loader gives " << d);
    }
    ++compared;
  }
  for (const auto& [k, _] : checks) CHECK_MESSAGE(seen.count(k), k << ": checked here, but its documented default is not one literal");
  CHECK(compared >= 40);
  std::filesystem::current_path(saved);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a profile's price: absent is no price (the planner rejects it), 0 USD is a price") {
  // docs/input-format.md: "absent = no price"; "`0 USD` is a price (hardware already owned)".
  const auto saved = std::filesystem::current_path();
  const auto dir = std::filesystem::temp_directory_path() / ("hwplan-doc-price-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::current_path(dir);
  CHECK_FALSE(profile().priced);
  auto with_price = [](const std::string& price) {
    std::string text = kMinimalProfile;
    const std::string sources = "sources: {compute: x, memory: x, power: x}";
    text.replace(text.find(sources), sources.size(), "price: " + price + "\nsources: {compute: x, memory: x, power: x, price: x}");
    std::ofstream("d.yaml") << text;
    return hw::load_profile("d.yaml");
  };
  const auto owned = with_price("0 USD");
  CHECK(owned.priced);
  CHECK(owned.price.amount == 0);
  const auto bought = with_price("3000 USD");
  CHECK(bought.priced);
  CHECK(bought.price.amount == 3000);
  std::filesystem::current_path(saved);
  std::filesystem::remove_all(dir);
}

TEST_CASE("the limits table of docs/input-format.md gives InputLimits' defaults") {
  const hw::InputLimits l;
  std::map<std::string, std::string> doc;
  for (const auto& r : doc_rows("limits")) doc[r.key] = backticked(r.default_cell).empty() ? trim(r.default_cell) : backticked(r.default_cell)[0];
  CHECK(doc.at("file-size") == std::to_string(l.file_bytes));
  CHECK(doc.at("yaml-nodes") == std::to_string(l.yaml_nodes));
  CHECK(hw::parse_time(doc.at("duration")).si() == doctest::Approx(l.duration_s));
  CHECK(doc.at("sites") == std::to_string(l.sites));
  CHECK(doc.at("sources") == std::to_string(l.sources));
  CHECK(doc.at("streams") == std::to_string(l.streams));
  CHECK(doc.at("candidates") == std::to_string(l.candidates));
  CHECK(doc.at("batch-jobs") == std::to_string(l.batch_jobs));
  CHECK(doc.at("trace-rows") == std::to_string(l.trace_rows));
  CHECK(doc.size() == 9);
}

TEST_CASE("the link-preset table of docs/input-format.md is link_presets(), and each bandwidth has its source") {
  // Review (rev-catalogue item 4): the wan and metro bandwidths had no source, and the 5g
  // preset's 50 Mbit/s uplink was a downlink percentile ("60% of users < 50 Mb/s").
  std::ifstream in(HWPLAN_SOURCE_DIR "/docs/input-format.md");
  REQUIRE(in);
  auto plain = [](std::string s) {  // the doc's typography, the code's ASCII
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{{"\xE2\x80\x93", "-"}, {"\xE2\x86\x92", "->"}}) {
      for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at)) s.replace(at, from.size(), to);
    }
    return s;
  };
  std::map<std::string, std::vector<std::string>> doc;
  std::string line;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (line.rfind("### ", 0) == 0) in_table = line == "### Link presets";
    if (in_table && line.rfind("| `", 0) == 0) {
      const auto cells = cells_of(line);
      REQUIRE(cells.size() == 4);
      doc[backticked(cells[0]).at(0)] = cells;
    }
  }
  REQUIRE(doc.size() == hw::link_presets().size());
  for (const auto& p : hw::link_presets()) {
    INFO(p.type);
    REQUIRE(doc.contains(p.type));
    const auto& c = doc.at(p.type);
    CHECK(hw::parse_time(c[1]).si() == doctest::Approx(p.latency.si()));
    std::string bw = c[2];
    bw.replace(bw.find("bit/s"), 5, "bps");
    CHECK(hw::parse_bitrate(bw).si() == doctest::Approx(p.bandwidth.si()));
    CHECK(plain(c[3]) == p.source);
    // The source names the bandwidth figure itself (Wi-Fi 6: "hundreds of Mb/s").
    const double b = p.bandwidth.si();
    const std::string figure = fmt::format("{:g} Mb/s", b / 1e6);
    const bool named = p.source.find(figure) != std::string::npos || p.source.find(fmt::format("{:g} Gb/s", b / 1e9)) != std::string::npos ||
                       (b >= 100e6 && b < 1e9 && p.source.find("hundreds of Mb/s") != std::string::npos);
    CHECK_MESSAGE(named, p.type << ": the source does not give the " << figure << " bandwidth");
    // A downlink figure does not source an uplink preset.
    if (p.source.find("60% of users") != std::string::npos) CHECK(p.source.find("downlink") != std::string::npos);
  }
  CHECK(hw::link_preset("5g")->bandwidth.si() <= 20e6);  // the R&S 2022 drive test's uplink ran at 15 Mbps
}

TEST_CASE("the cost defaults of docs/input-format.md are Costs{}'s, and bandwidth is the 0.09 USD/GB egress tier") {
  // Review (rev-catalogue item 3): 0.05 USD/GB was AWS's cheapest egress tier (above
  // 150 TB a month); ordinary volumes pay 0.09 (first 10 TB, reference/network_and_costs.md).
  const hw::Costs c;
  CHECK(c.bandwidth.per_si == doctest::Approx(0.09 / 1e9));
  CHECK(c.electricity.per_si * 3.6e6 == doctest::Approx(0.12));
  CHECK(c.pue == doctest::Approx(1.5));
  std::map<std::string, std::string> doc;
  for (const auto& r : doc_rows("keys"))
    if (r.context == "scenario.costs") doc[r.key] = trim(r.default_cell);
  CHECK(doc.at("bandwidth") == "`0.09 <currency>/GB`");
  CHECK(doc.at("electricity") == "`0.12 <currency>/kWh`");
}
