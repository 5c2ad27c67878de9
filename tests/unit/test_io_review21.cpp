// Review 21 of the inputs and the text outputs: user text on a terminal, messages that send the
// user to the right key, file or folder, and the LLM lines of the recommendation.
#include <doctest/doctest.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/io/loaders.hpp"
#include "sim/io/plan_report.hpp"
#include "sim/sweep/paths.hpp"

namespace {

const hw::Catalogue& bundled() {
  static const hw::Catalogue c = hw::load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles", HWPLAN_SOURCE_DIR "/scenarios/models");
  return c;
}

// The problem of the InputError `f` throws ("" when it throws none).
template <class F>
std::string problem_of(F&& f) {
  try {
    f();
  } catch (const hw::InputError& e) {
    return e.problem();
  }
  return "";
}

bool has_raw_control(const std::string& text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n') || u == 0x7f) return true;
  }
  return text.find("\xe2\x80\xae") != std::string::npos;  // U+202E, right-to-left override
}

// One candidate, simulated, feasible, the plan's winner: the text outputs' smallest input.
struct OneCandidate {
  hw::Scenario s;
  hw::CandidateReport r;
  hw::Plan plan;

  explicit OneCandidate(hw::Family family) {
    s.name = "chat";
    s.file = "chat.yaml";
    s.sites.push_back(hw::Site{"office", 12, {}, {}, {}});
    s.streams.emplace_back();
    s.streams[0].id = "chat";
    hw::LlmServing llm;
    llm.ttft = hw::Slo{99, hw::Seconds(2), 0.01};
    llm.tpot = hw::Slo{99, hw::Seconds(0.1), 0.01};
    s.streams[0].llm = llm;
    hw::CandidateSpec spec;
    spec.family = family;
    spec.edge_hardware = family == hw::Family::gpu ? "" : "jetson-agx-thor";
    spec.gpu_hardware = family == hw::Family::gpu ? "l4x4-server" : "";
    spec.units_per_site = 1;
    spec.servers = 3;
    r.candidate.spec = spec;
    r.candidate.label = hw::candidate_label(spec);
    r.feasible = true;
    hw::StreamResult st;
    st.id = "chat";
    st.completed = 100;
    st.p99_s = {0.1, 0.09, 0.11};
    st.slo_latency_s = 2;
    st.slo_met = true;
    hw::LlmResult l;
    l.ttft_p50_s = 0.04;
    l.ttft_p99_s = 0.1;
    l.tpot_p50_s = 0.02;
    l.tpot_p99_s = 0.025;
    l.ttft_met = l.tpot_met = true;
    l.output_tokens_per_s = 1942;
    l.output_tokens_per_s_per_unit = 162;
    l.replicas = 12;
    st.llm = l;
    r.run.streams.push_back(st);
    // The tier that serves the stream, as the resolver sets it (its first stage).
    hw::StreamExec ex;
    ex.id = "chat";
    hw::StageExec serve;
    serve.tier = family == hw::Family::gpu ? hw::Tier::dc : hw::Tier::edge;
    ex.stages.push_back(serve);
    r.candidate.input.streams.push_back(ex);
    r.cost.currency = "USD";
    r.cost.tco = 142000;
    r.cost_inputs.output_tokens_per_s = 1680;  // offered: requests/s x mean output tokens
    r.cost.cost_per_million_output_tokens = r.cost.tco / (1680.0 * 4 * 365 * 86400) * 1e6;
    s.costs.horizon = hw::Seconds(4 * 365 * 86400.0);
    hw::SizedCandidate x;
    x.report = r;
    plan.candidates.push_back(x);
    plan.ranking = {0};
    plan.winner = 0;
    plan.why = "cheapest";
  }
  void sync() { plan.candidates[0].report = r; }
};

}  // namespace

TEST_CASE("review 21: a scenario's name reaches the text reports escaped, as error messages quote user text") {
  OneCandidate f(hw::Family::gpu);
  f.s.name = "T\x1b[2J\x1b[31mPWNED\a\nX \xe2\x80\xae";
  f.r.candidate.notes.push_back("stage de\ttect\x1b[0m runs on the host");  // a stage id is not checked for form
  f.sync();
  const std::string run = hw::run_text(f.s, {f.r}, "flow model");
  const std::string plan = hw::plan_text(f.s, f.plan, "flow model", 1.0);
  for (const std::string& text : {run, plan}) {
    INFO(text);
    CHECK_FALSE(has_raw_control(text));
    CHECK(text.rfind("T\\x1b[2J\\x1b[31mPWNED\\x07\\x0aX \\u202E\n", 0) == 0);  // the title, one line
    CHECK(text.find("stage de\\x09tect\\x1b[0m runs on the host") != std::string::npos);
  }
  // The JSON keeps the name as written (its writer escapes it).
  CHECK(hw::run_report_json(f.s, {f.r}, "flow model").at("scenario").get<std::string>() == f.s.name);
  CHECK(hw::shown_name("T\x1b[2J") == "T\\x1b[2J");
  CHECK(hw::terminal_lines("a\x07\nb\n") == "a\\x07\nb\n");
}

TEST_CASE("review 21: the recommendation says where its winner runs a stage at another precision than asked") {
  OneCandidate f(hw::Family::edge);
  f.r.candidate.notes.push_back("jetson-agx-thor runs llama2-7b:decode at fp4 (jetson-agx-thor lacks int8)");
  f.sync();
  const std::string text = hw::plan_text(f.s, f.plan, "flow model", 1.0);
  INFO(text);
  const std::size_t rec = text.find("\nRecommendation\n");
  REQUIRE(rec != std::string::npos);
  const std::size_t note = text.find("  note: jetson-agx-thor runs llama2-7b:decode at fp4 (jetson-agx-thor lacks int8)\n");
  CHECK(note != std::string::npos);
  CHECK(note > rec);
}

TEST_CASE("review 21: the LLM lines label measured and offered tokens, per unit at the edge, and price tokens only for a lone stream") {
  OneCandidate edge(hw::Family::edge);
  std::string text = hw::llm_lines(edge.s, edge.r, "");
  INFO(text);
  CHECK(text.find("1942 output tokens/s measured in the simulated window (162 per unit, 12 replica(s)") != std::string::npos);
  CHECK(text.find("per server") == std::string::npos);
  // The lone stream: the whole TCO is its tokens' (142000 / (1680 x 4 x 365 x 86400) x 1e6 = 0.670).
  CHECK(text.find("0.67 USD per million output tokens (TCO 142k over the 212 billion output tokens offered in 4 years, 1680/s offered)") !=
        std::string::npos);

  OneCandidate dc(hw::Family::gpu);
  text = hw::llm_lines(dc.s, dc.r, "");
  CHECK(text.find("(162 per server, 12 replica(s)") != std::string::npos);

  // A second stream shares the deployment: the TCO is not the LLM's alone.
  edge.s.streams.emplace_back();
  edge.s.streams[1].id = "transcribe";
  hw::StreamResult other;
  other.id = "transcribe";
  edge.r.run.streams.push_back(other);
  text = hw::llm_lines(edge.s, edge.r, "");
  CHECK(text.find("per million output tokens (") == std::string::npos);
  CHECK(text.find("no cost per million output tokens: 2 streams share this deployment and its TCO (142k USD) is not split per stream") !=
        std::string::npos);
  // So do batch jobs.
  OneCandidate jobs(hw::Family::gpu);
  jobs.s.batch_jobs.emplace_back();
  text = hw::llm_lines(jobs.s, jobs.r, "");
  CHECK(text.find("per million output tokens (") == std::string::npos);
  CHECK(text.find("this stream and 1 batch job(s) share this deployment") != std::string::npos);
}

TEST_CASE("review 21: a phase that lacks flops_per_item is told so, not that a valid key is unknown") {
  const std::string model = "id: m\nname: M\nweights: 6 MB\nflops_per_item: 1 GFLOP\nphases: {pre: {bytes_per_item: 1 MB}}\nsources: {flops: x}\n";
  CHECK(problem_of([&] { (void)hw::load_models_text(model, "phase2.yaml"); }) ==
        "required key 'flops_per_item' is missing (keys given here: bytes_per_item)");
  // A misspelt key is still named as one.
  const std::string typo = "id: m\nname: M\nweights: 6 MB\nphases: {pre: {flop_per_item: 1 GFLOP}}\nsources: {flops: x}\n";
  CHECK(problem_of([&] { (void)hw::load_models_text(typo, "typo.yaml"); }).find("unknown key 'flop_per_item'; did you mean 'flops_per_item'?") == 0);
  // A model without phases: the same.
  const std::string flat = "id: m\nname: M\nweights: 6 MB\nbytes_per_item: 1 MB\nsources: {flops: x}\n";
  CHECK(problem_of([&] { (void)hw::load_models_text(flat, "flat.yaml"); }) ==
        "required key 'flops_per_item' is missing (keys given here: id, name, weights, bytes_per_item, sources)");
}

TEST_CASE("review 21: every refused price_year is told the same range") {
  const std::string base = "id: ok\nname: T\nclass: accelerator\ncompute: {fp16: 100 TFLOP/s}\nmemory: {capacity: 24 GB, bandwidth: 300 GB/s}\n"
                           "power: {idle: 10 W, max: 70 W}\nsources: {compute: x, memory: x, power: x}\n";
  for (const char* year : {"2101", "1989", "-5", "2024.5", "recent", "99999999999999999999"}) {
    INFO(year);
    CHECK(problem_of([&] { (void)hw::load_profile_text(base + "price_year: " + year + "\n", "ok.yaml"); }) ==
          "expected 0 (unknown) or a year from 1990 to 2100");
  }
  CHECK(hw::load_profile_text(base + "price_year: 2100\n", "ok.yaml").price_year == 2100);
  CHECK(hw::load_profile_text(base + "price_year: 1990\n", "ok.yaml").price_year == 1990);
  CHECK(hw::load_profile_text(base + "price_year: 0\n", "ok.yaml").price_year == 0);
}

TEST_CASE("review 21: an unknown model names the models folder searched and how to add one") {
  const std::string scenario =
      "name: calls\nduration: 40 s\nsites: [{id: centre, count: 1}]\n"
      "streams:\n  - id: transcribe\n    site: centre\n    arrival: {process: periodic, rate: 1 /s}\n    payload: 1 KB\n"
      "    pipeline: [{id: asr, model: whisper-large-v3}]\n    slo: {latency: 5 s}\n"
      "candidates: [{family: gpu, hardware: l4x4-server}]\n";
  const std::string p = problem_of([&] { (void)hw::load_scenario_text(scenario, ".", bundled(), "calls.yaml"); });
  INFO(p);
  CHECK(p.find("unknown model 'whisper-large-v3' (known: ") == 0);
  CHECK(p.find("Models are read from " HWPLAN_SOURCE_DIR "/scenarios/models: add a model file there (docs/input-format.md, Workload "
               "model), or read another catalogue with --catalogue DIR") != std::string::npos);
  // The llm block's model too.
  const std::string llm =
      "name: chat\nduration: 40 s\nsites: [{id: office, count: 1}]\n"
      "streams:\n  - id: chat\n    site: office\n    arrival: {process: poisson, rate: 1 /s}\n    payload: 1 KB\n"
      "    llm: {model: gpt-9, prompt_tokens: {distribution: fixed, value: 100}, output_tokens: {distribution: fixed, value: 100}}\n"
      "    slo: {ttft: {latency: 2 s}, tpot: {latency: 100 ms}}\n"
      "candidates: [{family: gpu, hardware: l4x4-server}]\n";
  const std::string q = problem_of([&] { (void)hw::load_scenario_text(llm, ".", bundled(), "chat.yaml"); });
  INFO(q);
  CHECK(q.find("unknown model 'gpt-9'") == 0);
  CHECK(q.find("Models are read from " HWPLAN_SOURCE_DIR "/scenarios/models") != std::string::npos);
}

TEST_CASE("review 21: a sweep path in other words for a key suggests that key, not the nearest in letters") {
  const YAML::Node root = YAML::Load(
      "name: calls\nsites: [{id: centre, count: 12}]\n"
      "streams: [{id: transcribe, site: centre, sources: 300, pipeline: [{id: asr, model: resnet50}]}]\n"
      "candidates: [{family: edge, hardware: jetson-agx-thor}]\n");
  auto message = [&](const std::string& path) {
    try {
      (void)hw::sweep::resolve_path(root, path);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(message("streams.transcribe.agents").find("did you mean 'streams.*.sources'?") != std::string::npos);
  CHECK(message("streams.transcribe.cameras").find("did you mean 'streams.*.sources'?") != std::string::npos);
  CHECK(message("sites.centre.stores").find("did you mean 'sites.*.count'?") != std::string::npos);
  CHECK(message("candidates.0.boxes").find("did you mean 'candidates.*.units_per_site'?") != std::string::npos);
  // A slip of the spelling is still found by its letters.
  CHECK(message("streams.transcribe.sorces").find("did you mean 'streams.*.sources'?") != std::string::npos);
}

TEST_CASE("a catalogue folder holding a link that loops is a clear input error, not an internal error") {
  // HOSTILE review: `ln -s loop.yaml hardware_profiles/loop.yaml` gave "internal error:
  // filesystem error: status: Too many levels of symbolic links", exit 1.
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("hwplan-loop-catalogue-" + std::to_string(::getpid()));
  fs::create_directories(dir / "hardware_profiles");
  fs::create_directories(dir / "models");
  fs::create_symlink("loop.yaml", dir / "hardware_profiles" / "loop.yaml");
  std::string message;
  bool input_error = false;
  try {
    (void)hw::load_catalogue((dir / "hardware_profiles").string(), (dir / "models").string());
  } catch (const hw::InputError& e) {
    input_error = true;
    message = e.what();
  } catch (const std::exception& e) {
    message = e.what();
  }
  fs::remove_all(dir);
  CHECK(input_error);
  CHECK(message.find("loop.yaml") != std::string::npos);
  CHECK(message.find("cannot be read") != std::string::npos);
}
