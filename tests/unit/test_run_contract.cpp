// The run contract (sim/run): JSON both ways for SimInput and RunResult, a strict reader
// that names the field, and a cache key that changes with every field.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <limits>
#include <set>
#include <string>

#include "sim/run/cache.hpp"
#include "sim/run/json.hpp"

using namespace hw;
using nlohmann::json;

namespace {

// Every field away from its default, so that a field dropped by the writer or the reader
// shows up as a difference.
SimInput full_input() {
  SimInput in;
  in.label = "hybrid a+b x2/site, 3 servers";
  in.seed = 7;
  in.duration = Seconds(30);
  in.warmup = Seconds(2);
  in.dc_fabric_latency = Seconds(5e-5);
  in.batch_means = 12;
  in.target_precision = 0.02;
  in.engine.context_factory = "raw";
  in.engine.simgrid_cfg = {"network/optim:Full"};
  in.engine.energy_plugin = true;
  in.engine.keep_sends_above = 17;
  in.engine.stop_on_overload = false;
  SiteExec site;
  site.id = "plant";
  site.count = 40;
  site.simulated = 2;
  site.access = LinkSpec{"wifi6", Seconds(2e-3), BitsPerSecond(6e8)};
  site.backhaul = LinkSpec{"wan", Seconds(8e-3), BitsPerSecond(1e9)};
  in.sites.push_back(site);
  StreamExec st;
  st.id = "cams";
  st.site = 1;
  st.sources = 12;
  st.arrival.kind = ArrivalKind::bursty;
  st.arrival.rate = PerSecond(15);
  st.arrival.jitter = Seconds(1e-3);
  st.arrival.on_time = Seconds(2);
  st.arrival.off_time = Seconds(3);
  st.arrival.burst_factor = 2.5;
  st.arrival.hourly = {0.5, 1.5};
  st.arrival.trace_file = "trace.csv";
  st.arrival.time_scale = 2;
  st.payload = Bytes(2e5);
  st.result = Bytes(100);
  st.return_result = false;
  st.slo = Slo{95, Seconds(0.04), 0.05};
  st.trace_times = {0.1, 0.2};
  st.trace_sizes = {10, 20};
  st.decode_s = 0.003;
  StageExec g;
  g.id = "detect";
  g.tier = Tier::dc;
  g.service_s = {0.004, 0.006};
  g.output = Bytes(512);
  g.fraction = 0.3;
  g.variability = Variability{ServiceDistribution::lognormal, 0.4};
  st.stages.push_back(g);
  StreamExec llm = st;
  llm.id = "chat";
  hw::LlmExec le;
  le.prompt_tokens = LengthDistribution{LengthShape::lognormal, 161, 1.5, 2, 4096, {1, 2}};
  le.output_tokens = LengthDistribution{LengthShape::uniform, 300, 0.5, 100, 500, {3}};
  le.replicas_per_unit = 4;
  le.gpus_per_replica = 2;
  le.kv_capacity_tokens = 4.5e5;
  le.token_budget = 1024;
  le.max_sequences = 128;
  le.cost = LlmIterationCost{1e-4, 8e-5, 3, 1e-11, 0.02, 4e-8, 6e-6};
  le.ttft = Slo{99, Seconds(2), 0.01};
  le.tpot = Slo{95, Seconds(0.2), 0.05};
  llm.llm = le;
  in.streams.push_back(st);
  in.streams.push_back(llm);
  BatchJobExec j;
  j.id = "train";
  j.kind = "training";
  j.tier = Tier::edge;
  j.devices = 8;
  j.single_device_s = 3600;
  j.scaling_efficiency = 0.85;
  j.dataset = Bytes(1e9);
  j.upload_site = 1;
  j.deadline_s = 7200;
  in.jobs.push_back(j);
  in.edge = TierSpec{"jetson", 2, 3, Watts(5), Watts(25), 4, Seconds(0.002), 16};
  in.dc = TierSpec{"h100", 3, 8, Watts(500), Watts(5000), 8, Seconds(0.004), 64};
  return in;
}

RunResult full_result() {
  RunResult r;
  r.label = "x";
  r.ok = false;
  r.error = "boom";
  r.simulated_time_s = 12;
  r.wall_time_s = 0.5;
  r.events = 99;
  StreamResult s;
  s.id = "cams";
  s.completed = 10;
  s.unfinished = 2;
  s.dropped = 1;
  s.throughput_per_s = 3.5;
  s.p99_s = Estimate{0.02, 0.019, 0.021};
  s.p999_s = Estimate{0.03, 0.02, 0.04};
  s.slo_percentile = 95;
  s.slo_latency_s = 0.04;
  s.slo_violation_rate = 0.01;
  s.slo_met = true;
  s.latency_edges_s = {0.01, 0.0126, 0.0158};
  s.latency_counts = {7, 3};
  r.streams.push_back(s);
  StreamResult chat = s;
  chat.id = "chat";
  chat.llm = LlmResult{90, 2, 1, 0.1, 0.5, 0.015, 0.02, 5, 9, 0.45, 0.004, true, 0.019, 0.002, true, 3200, 1500, 800, 3200, 4, 2, 4.5e5, 60};
  r.streams.push_back(chat);
  r.jobs.push_back(BatchJobResult{"t", "training", 4, 1, 2, 3, 4, true, 5});
  r.edge = TierResult{"jetson", 24, 0.5, 100, 8.64e6, 0.3, 4};
  r.links.push_back(LinkResult{"backhaul:plant", 1e9, 0.4});
  r.backhaul_bytes_per_day = 1e9;
  r.backhaul_peak_utilisation = 0.4;
  r.scaling_note = "note";
  r.stop_reason = "why";
  r.overload = Overload{"edge tier", 130, 100, "items/s", 12.5};
  return r;
}

// Calls f(json pointer) for every leaf (scalar) of j.
void leaves(const json& j, const json::json_pointer& at, const std::function<void(const json::json_pointer&)>& f) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) leaves(it.value(), at / it.key(), f);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) leaves(j[i], at / i, f);
  } else if (!j.is_null()) {  // null: an absent optional (the other stream has it, so its fields are covered)
    f(at);
  }
}

// A different value of the same type that the reader accepts.
json mutated(const json& v, const std::string& key) {
  if (v.is_boolean()) return !v.get<bool>();
  if (v.is_number_unsigned() || v.is_number_integer()) return v.get<std::int64_t>() + 1;
  if (v.is_number()) return v.get<double>() * 1.5 + 1;
  const std::string s = v.get<std::string>();
  if (key == "kind" && s == "bursty") return "poisson";
  if (key == "tier") return s == "edge" ? "dc" : "edge";
  if (key == "distribution") return s == "lognormal" ? "exponential" : "lognormal";
  if (key == "shape") return s == "lognormal" ? "uniform" : "lognormal";
  return s + "x";
}

}  // namespace

TEST_CASE("run contract: every struct member is in the JSON field list") {
  for (const auto& c : contract_field_counts()) {
    INFO(c.type);
    CHECK(c.listed == c.members);
    CHECK(c.members > 0);
  }
}

TEST_CASE("run contract: SimInput and RunResult go through JSON and back unchanged") {
  const SimInput in = full_input();
  const json j = to_json(in);
  CHECK(j.at("schema") == "hwplan-siminput");
  CHECK(j.at("version") == kSimInputSchema);
  const SimInput back = sim_input_from_json(json::parse(j.dump()));
  CHECK(to_json(back) == j);
  CHECK(back.streams.at(0).stages.at(0).variability.distribution == ServiceDistribution::lognormal);
  CHECK(back.engine.keep_sends_above == 17);

  const RunResult r = full_result();
  const RunResult rb = run_result_from_json(json::parse(to_json(r).dump()));
  CHECK(to_json(rb) == to_json(r));
  REQUIRE(rb.overload);
  CHECK(rb.overload->capacity == 100);
  RunResult none = r;
  none.overload.reset();
  CHECK_FALSE(run_result_from_json(to_json(none)).overload);
}

TEST_CASE("run contract: infinite and NaN numbers survive the trip (JSON has none)") {
  SimInput in = full_input();
  in.streams[0].stages[0].service_s = {std::numeric_limits<double>::infinity(), 1};
  const SimInput back = sim_input_from_json(json::parse(to_json(in).dump()));
  CHECK(std::isinf(back.streams[0].stages[0].service_s[0]));
}

TEST_CASE("run contract: changing any field of SimInput or EngineOptions changes the cache key") {
  const std::string dir = (std::filesystem::temp_directory_path() / ("hwplan-key-" + std::to_string(::getpid()))).string();
  ResultCache cache(dir, "build-id");
  const SimInput in = full_input();
  const json j = to_json(in);
  const std::string key = cache.key(in);
  std::size_t checked = 0;
  std::set<std::string> engine_fields;
  leaves(j, json::json_pointer(), [&](const json::json_pointer& p) {
    const std::string where = p.to_string();
    if (where == "/schema" || where == "/version") return;
    json changed = j;
    changed[p] = mutated(j[p], p.back());
    const SimInput other = sim_input_from_json(changed);
    INFO(where);
    CHECK(cache.key(other) != key);
    if (where.rfind("/engine/", 0) == 0) engine_fields.insert(where);
    ++checked;
  });
  CHECK(checked > 60);
  CHECK(engine_fields.size() == 6);  // every EngineOptions field but the empty list, which has its element
  // The same input gives the same key; another binary gives another.
  CHECK(cache.key(full_input()) == key);
  CHECK(ResultCache(dir, "other-build").key(in) != key);
  std::filesystem::remove_all(dir);
}

TEST_CASE("run contract: the reader names the field that is missing, unknown or of the wrong type") {
  json j = to_json(full_input());
  SUBCASE("missing") {
    j["streams"][0]["arrival"].erase("rate_per_s");
    try {
      (void)sim_input_from_json(j);
      FAIL("accepted a missing field");
    } catch (const JsonFieldError& e) {
      CHECK(e.path() == "streams[0].arrival.rate_per_s");
      CHECK(e.problem() == "missing field");
    }
  }
  SUBCASE("unknown") {
    j["edge"]["unitz"] = 3;
    try {
      (void)sim_input_from_json(j);
      FAIL("accepted an unknown field");
    } catch (const JsonFieldError& e) {
      CHECK(e.path() == "edge.unitz");
    }
  }
  SUBCASE("wrong type") {
    j["sites"][0]["count"] = "forty";
    try {
      (void)sim_input_from_json(j);
      FAIL("accepted a string for a count");
    } catch (const JsonFieldError& e) {
      CHECK(e.path() == "sites[0].count");
      CHECK(std::string(e.what()).find("whole number") != std::string::npos);
    }
  }
  SUBCASE("bad enum") {
    j["streams"][0]["stages"][0]["tier"] = "cloud";
    CHECK_THROWS_WITH_AS((void)sim_input_from_json(j), doctest::Contains("expected one of edge, dc"), JsonFieldError);
  }
  SUBCASE("other schema or version") {
    j["version"] = 1;
    CHECK_THROWS_AS((void)sim_input_from_json(j), JsonFieldError);
    CHECK_THROWS_AS((void)sim_input_from_json(to_json(full_result())), JsonFieldError);
  }
}

TEST_CASE("result cache: a put result is there at once. failures are not stored. a bad folder is an error") {
  const std::string dir = (std::filesystem::temp_directory_path() / ("hwplan-cache-" + std::to_string(::getpid()))).string();
  ResultCache cache(dir, "b");
  const SimInput in = full_input();
  CHECK_FALSE(cache.get(in));
  RunResult ok = full_result();
  ok.ok = true;
  // A result of this input (the cache refuses another's: tests/unit/test_cache_entries.cpp).
  ok.label = in.label;
  ok.jobs.at(0).id = in.jobs.at(0).id;
  cache.put(in, ok);
  const auto hit = ResultCache(dir, "b").get(in);  // another instance: it is on disk
  REQUIRE(hit);
  CHECK(to_json(*hit) == to_json(ok));
  SimInput other = in;
  other.seed = 8;
  cache.put(other, full_result());  // ok = false
  CHECK_FALSE(cache.get(other));
  std::filesystem::remove_all(dir);
  CHECK_THROWS_WITH_AS(ResultCache("/proc/hwplan-no-such-dir", "b"), doctest::Contains("/proc/hwplan-no-such-dir"), std::runtime_error);
}

// ---- Range checks of an input that comes from outside (hwplan simulate) -------------------

#include "sim/run/check.hpp"

namespace {

// A small input every check accepts: one site, one Poisson stream of one stage on the edge
// (batches up to 2), one data-centre job.
SimInput valid_input() {
  SimInput in;
  in.duration = Seconds(10);
  in.warmup = Seconds(1);
  SiteExec site;
  site.id = "plant";
  site.count = 3;
  site.access = LinkSpec{"wired", Seconds(1e-4), BitsPerSecond(1e9)};
  site.backhaul = LinkSpec{"wan", Seconds(5e-3), BitsPerSecond(1e8)};
  in.sites.push_back(site);
  StreamExec st;
  st.id = "cams";
  st.arrival.rate = PerSecond(10);
  st.payload = Bytes(1e5);
  st.slo = Slo{99, Seconds(0.05), 0.01};
  StageExec g;
  g.id = "detect";
  g.service_s = {0.004, 0.006};
  st.stages.push_back(g);
  in.streams.push_back(st);
  BatchJobExec j;
  j.id = "train";
  j.single_device_s = 100;
  in.jobs.push_back(j);
  in.edge = TierSpec{"jetson", 1, 1, Watts(5), Watts(25), 2, Seconds(0.002), 0};
  in.dc = TierSpec{"h100", 1, 8, Watts(500), Watts(5000), 1, Seconds(0), 0};
  return in;
}

// The path of the first field check_sim_input refuses, or "" when it accepts the input.
std::string refused_field(const SimInput& in) {
  try {
    check_sim_input(in);
  } catch (const JsonFieldError& e) {
    return e.path();
  }
  return "";
}

}  // namespace

TEST_CASE("check_sim_input accepts a well-formed input and names the field of each impossible value") {
  CHECK(refused_field(valid_input()) == "");
  struct Case {
    const char* field;
    std::function<void(SimInput&)> spoil;
  };
  const std::vector<Case> cases = {
      // The three inputs that crashed or hung the engine through `hwplan simulate`:
      {"streams[0].stages[0].tier", [](SimInput& in) { in.edge.units = 0; }},   // SIGFPE (division by the units)
      {"edge.units", [](SimInput& in) { in.edge.units = -3; }},
      {"edge.slots", [](SimInput& in) { in.edge.slots = 0; }},                  // abort inside SimGrid
      {"edge.max_batch", [](SimInput& in) { in.edge.max_batch = 0; }},          // never ended
      {"streams[0].stages[0].service_s", [](SimInput& in) { in.edge.max_batch = 3; }},  // batch of 3 has no time
      {"streams[0].stages[0].service_s[1]", [](SimInput& in) { in.streams[0].stages[0].service_s[1] = -1; }},
      {"streams[0].site", [](SimInput& in) { in.streams[0].site = 1; }},
      {"streams[0].sources", [](SimInput& in) { in.streams[0].sources = 0; }},
      {"streams[0].arrival.rate_per_s", [](SimInput& in) { in.streams[0].arrival.rate = PerSecond(0); }},
      {"streams[0].arrival.rate_per_s", [](SimInput& in) { in.streams[0].arrival.rate = PerSecond(std::numeric_limits<double>::infinity()); }},
      {"streams[0].arrival.hourly",
       [](SimInput& in) {
         in.streams[0].arrival.kind = ArrivalKind::diurnal;
         in.streams[0].arrival.hourly = {1, 2};
       }},
      {"streams[0].arrival.start_hour",
       [](SimInput& in) {
         in.streams[0].arrival.kind = ArrivalKind::diurnal;
         in.streams[0].arrival.hourly.assign(24, 1.0);
         in.streams[0].arrival.start_hour = 24;
       }},
      {"streams[0].trace_times", [](SimInput& in) { in.streams[0].arrival.kind = ArrivalKind::trace; }},
      {"streams[0].slo.percentile", [](SimInput& in) { in.streams[0].slo.percentile = 100; }},
      {"streams[0].stages[0].fraction", [](SimInput& in) { in.streams[0].stages[0].fraction = 1.5; }},
      {"streams[0].stages", [](SimInput& in) { in.streams[0].stages.clear(); }},
      {"sites[0].simulated", [](SimInput& in) { in.sites[0].simulated = 4; }},  // more than the 3 sites
      {"sites[0].backhaul.bandwidth_bps", [](SimInput& in) { in.sites[0].backhaul.bandwidth = BitsPerSecond(0); }},
      {"duration_s", [](SimInput& in) { in.duration = Seconds(-1); }},
      {"warmup_s", [](SimInput& in) { in.warmup = Seconds(10); }},
      {"batch_means", [](SimInput& in) { in.batch_means = 1; }},
      {"engine.event_budget", [](SimInput& in) { in.engine.event_budget = 0; }},
      {"jobs[0].devices", [](SimInput& in) { in.jobs[0].devices = 0; }},
      {"jobs[0].scaling_efficiency", [](SimInput& in) { in.jobs[0].scaling_efficiency = 0; }},
      {"jobs[0].tier", [](SimInput& in) { in.dc.units = 0; }},
  };
  for (const auto& c : cases) {
    SimInput in = valid_input();
    c.spoil(in);
    CAPTURE(c.field);
    CHECK(refused_field(in) == c.field);
  }
}

// Whether `path` ("streams[0].arrival.rate_per_s") names a value of the JSON document.
bool names_a_json_value(const json& doc, const std::string& path) {
  const json* cur = &doc;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') ++i;
    if (path[i] == '[') {
      const std::size_t end = path.find(']', i);
      const std::size_t k = std::stoul(path.substr(i + 1, end - i - 1));
      if (!cur->is_array() || k >= cur->size()) return false;
      cur = &(*cur)[k];
      i = end + 1;
      continue;
    }
    const std::size_t end = path.find_first_of(".[", i);
    const std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
    if (!cur->is_object() || !cur->contains(key)) return false;
    cur = &(*cur)[key];
    i = end == std::string::npos ? path.size() : end;
  }
  return true;
}

TEST_CASE("check_sim_input names each field by its JSON key, as 'hwplan simulate' reads it (duration_s, not duration)") {
  // `hwplan simulate` said "stdin: field 'duration': ..." for a document whose key is duration_s.
  const std::vector<std::pair<const char*, std::function<void(SimInput&)>>> cases = {
      {"duration_s", [](SimInput& in) { in.duration = Seconds(1e308); }},
      {"warmup_s", [](SimInput& in) { in.warmup = Seconds(-1); }},
      {"warmup_s", [](SimInput& in) { in.warmup = Seconds(10); }},
      {"dc_fabric_latency_s", [](SimInput& in) { in.dc_fabric_latency = Seconds(-1); }},
      {"edge.max_wait_s", [](SimInput& in) { in.edge.max_wait = Seconds(-1); }},
      {"edge.power_idle_w", [](SimInput& in) { in.edge.power_idle = Watts(-1); }},
      {"dc.power_max_w", [](SimInput& in) { in.dc.power_max = Watts(-1); }},
      {"sites[0].access.latency_s", [](SimInput& in) { in.sites[0].access.latency = Seconds(-1); }},
      {"sites[0].backhaul.bandwidth_bps", [](SimInput& in) { in.sites[0].backhaul.bandwidth = BitsPerSecond(1e300); }},
      {"streams[0].slo.latency_s", [](SimInput& in) { in.streams[0].slo.latency = Seconds(-1); }},
      {"streams[0].arrival.rate_per_s", [](SimInput& in) { in.streams[0].arrival.rate = PerSecond(1e308); }},
      {"streams[0].arrival.jitter_s", [](SimInput& in) { in.streams[0].arrival.jitter = Seconds(-1); }},
      {"streams[0].arrival.on_time_s",
       [](SimInput& in) {
         in.streams[0].arrival.kind = ArrivalKind::bursty;
         in.streams[0].arrival.on_time = Seconds(0);
       }},
      {"streams[0].arrival.off_time_s",
       [](SimInput& in) {
         in.streams[0].arrival.kind = ArrivalKind::bursty;
         in.streams[0].arrival.on_time = Seconds(1);
         in.streams[0].arrival.off_time = Seconds(0);
       }},
      {"streams[0].payload_bytes", [](SimInput& in) { in.streams[0].payload = Bytes(-1); }},
      {"streams[0].result_bytes", [](SimInput& in) { in.streams[0].result = Bytes(-1); }},
      {"streams[0].stages[0].output_bytes", [](SimInput& in) { in.streams[0].stages[0].output = Bytes(-1); }},
      {"jobs[0].dataset_bytes", [](SimInput& in) { in.jobs[0].dataset = Bytes(-1); }},
      {"jobs[0].deadline_s", [](SimInput& in) { in.jobs[0].deadline_s = -1; }},
      {"engine.event_budget", [](SimInput& in) { in.engine.event_budget = 0; }},
  };
  for (const auto& [field, spoil] : cases) {
    SimInput in = valid_input();
    spoil(in);
    CAPTURE(field);
    const std::string path = refused_field(in);
    CHECK(path == field);
    CHECK(names_a_json_value(to_json(in), path));
  }
}

TEST_CASE("check_sim_input: finite but absurd magnitudes get the loaders' bounds (1e10 s, 1e9 /s, 1e15 bit/s)") {
  // 'duration_s: 1e308' gave exit 0 and "about inf requests ... 7.93e+298 y".
  const std::vector<std::pair<const char*, std::function<void(SimInput&)>>> cases = {
      {"duration_s", [](SimInput& in) { in.duration = Seconds(1e308); }},
      {"streams[0].arrival.rate_per_s", [](SimInput& in) { in.streams[0].arrival.rate = PerSecond(1e308); }},
      {"sites[0].backhaul.bandwidth_bps", [](SimInput& in) { in.sites[0].backhaul.bandwidth = BitsPerSecond(1e300); }},
      {"sites[0].access.latency_s", [](SimInput& in) { in.sites[0].access.latency = Seconds(1e300); }},
  };
  for (const auto& [field, spoil] : cases) {
    SimInput in = valid_input();
    spoil(in);
    CAPTURE(field);
    CHECK(refused_field(in) == field);
  }
  SimInput in = valid_input();
  in.streams[0].arrival.rate = PerSecond(1e308);
  try {
    check_sim_input(in);
    FAIL("accepted a rate of 1e308 /s");
  } catch (const JsonFieldError& e) {
    CHECK(std::string(e.what()) == "streams[0].arrival.rate_per_s: 1e+308: the value is too large: at most 1e9 /s is accepted");
  }
  in = valid_input();
  in.streams[0].arrival.rate = PerSecond(1e9);  // the bound itself is accepted
  CHECK(refused_field(in) == "");
}

TEST_CASE("check_sim_input: the message gives the bad value and what is expected") {
  SimInput in = valid_input();
  in.edge.slots = 0;
  try {
    check_sim_input(in);
    FAIL("accepted zero slots");
  } catch (const JsonFieldError& e) {
    CHECK(std::string(e.what()) == "edge.slots: 0: expected an integer >= 1");
  }
}

#include "sim/io/loaders.hpp"
#include "sim/plan/evaluate.hpp"

TEST_CASE("check_sim_input accepts what the planner resolves for every candidate of every bundled scenario") {
  const Catalogue cat = load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles", HWPLAN_SOURCE_DIR "/scenarios/models");
  std::size_t checked = 0;
  for (const auto& e : std::filesystem::directory_iterator(HWPLAN_SOURCE_DIR "/scenarios")) {
    if (e.path().extension() != ".yaml") continue;
    const Scenario s = load_scenario(e.path().string(), cat);
    for (const auto& spec : s.candidates) {
      const ResolvedCandidate c = resolve_for_simulation(s, cat, spec);
      if (c.infeasible) continue;  // never simulated
      CAPTURE(e.path().string());
      CAPTURE(c.label);
      CHECK(refused_field(c.input) == "");
      ++checked;
    }
  }
  CHECK(checked >= 20);  // the loop cannot pass by finding nothing
}
