// Golden tests: `hwplan recommend` on every bundled scenario, with its fixed seed and no
// cache, must recommend the recorded family and hardware, with units, TCO and the main
// latency or makespan within tolerances (tests/golden/expected.json; regenerate a row only
// after explaining the change in the scenario's README).
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

const std::string kSrc = HWPLAN_SOURCE_DIR;

nlohmann::json expected(const std::string& scenario) {
  std::ifstream f(kSrc + "/tests/golden/expected.json");
  REQUIRE(f.good());
  const auto all = nlohmann::json::parse(f);
  REQUIRE_MESSAGE(all.contains(scenario), scenario);
  return all[scenario];
}

nlohmann::json recommend(const std::string& scenario, const std::string& extra) {
  fs::create_directories(HWPLAN_WORK_DIR);
  const std::string out = std::string(HWPLAN_WORK_DIR) + "/" + scenario + ".json";
  const std::string cmd = std::string(HWPLAN_BIN) + " recommend " + kSrc + "/scenarios/" + scenario +
                          ".yaml --no-cache --format json " + extra + " --out " + HWPLAN_WORK_DIR + "/" + scenario +
                          ".csv > " + out + " 2> " + out + ".log";
  const int st = std::system(cmd.c_str());
  REQUIRE(WIFEXITED(st));
  INFO(cmd);
  REQUIRE(WEXITSTATUS(st) == 0);
  std::ifstream f(out);
  return nlohmann::json::parse(f);
}

void within(double got, double want, double rel, const char* what) {
  INFO(what << ": got " << got << ", expected " << want << " +-" << rel * 100 << "%");
  CHECK(std::abs(got - want) <= rel * std::abs(want));
}

void check_scenario(const std::string& scenario) {
  const auto want = expected(scenario);
  const auto got = recommend(scenario, want.value("args", std::string()));
  REQUIRE(got["recommendation"].is_object());
  const auto& rec = got["recommendation"];
  CHECK(rec["family"] == want["family"]);
  CHECK(rec["hardware"] == want["hardware"]);
  within(rec["units"].get<double>(), want["units"].get<double>(), 0.25, "units");
  within(rec["tco"].get<double>(), want["tco"].get<double>(), 0.10, "tco");
  const nlohmann::json* winner = nullptr;
  for (const auto& c : got["candidates"]) {
    if (c["recommended"].get<bool>()) winner = &c;
  }
  REQUIRE(winner != nullptr);
  CHECK((*winner)["feasible"].get<bool>());
  if (want.contains("p99_ms")) within((*winner)["p99_latency_s"].get<double>() * 1e3, want["p99_ms"].get<double>(), 0.15, "p99 ms");
  if (want.contains("makespan_h")) {
    double mk = 0;
    for (const auto& j : (*winner)["run"]["jobs"]) mk = std::max(mk, j["makespan_s"].get<double>());
    within(mk / 3600, want["makespan_h"].get<double>(), 0.10, "makespan h");
  }
  if (want.contains("feasible")) {
    int feasible = 0;
    for (const auto& c : got["candidates"]) feasible += c["feasible"].get<bool>() ? 1 : 0;
    CHECK(feasible == want["feasible"].get<int>());
  }
}

}  // namespace

#define HWPLAN_GOLDEN(name, file) \
  TEST_CASE("golden: " name) { check_scenario(file); }

HWPLAN_GOLDEN("factory vision", "factory-vision")
HWPLAN_GOLDEN("industrial IoT predictive maintenance", "iot-predictive-maintenance")
HWPLAN_GOLDEN("V2X road-side unit", "v2x-rsu")
HWPLAN_GOLDEN("smart-retail footfall", "retail-footfall")
HWPLAN_GOLDEN("remote medical pre-processing", "medical-preprocessing")
HWPLAN_GOLDEN("city-scale security video", "city-cctv")
HWPLAN_GOLDEN("autonomous-driving train-infer-iterate", "adas-train-infer-iterate")
HWPLAN_GOLDEN("LLM chat serving", "llm-chat-serving")
HWPLAN_GOLDEN("LLM fine-tuning", "llm-finetune")
HWPLAN_GOLDEN("film rendering", "film-rendering")
HWPLAN_GOLDEN("scientific batch", "scientific-batch")
