// Site conditions (issue 12): edge hardware that cannot live at a site is excluded with the
// condition and both figures; sensor ports cap the sources one unit takes; a site's power
// caps the units. Each expected figure is worked by hand in the comment.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/io/loaders.hpp"
#include "sim/plan/bounds.hpp"
#include "sim/plan/explain.hpp"
#include "sim/plan/site_fit.hpp"

using namespace hw;

namespace {

const std::string kSrc = HWPLAN_SOURCE_DIR;

const Catalogue& catalogue() {
  static const Catalogue c = load_catalogue(kSrc + "/hardware_profiles", kSrc + "/scenarios/models");
  return c;
}

// One site with `conditions` (a YAML flow mapping) and one camera stream of `sources`.
std::string scenario_text(const std::string& conditions, int sources) {
  return "name: site conditions\nseed: 1\nduration: 10 s\nwarmup: 1 s\n"
         "sites:\n"
         "  - id: yard\n"
         "    access: {type: wired}\n"
         "    backhaul: {type: wan, latency: 10 ms, bandwidth: 100 Mbps}\n"
         "    conditions: " + conditions + "\n"
         "streams:\n"
         "  - id: cams\n"
         "    site: yard\n"
         "    sources: " + std::to_string(sources) + "\n"
         "    arrival: {process: periodic, rate: 5 /s}\n"
         "    payload: 50 KB\n"
         "    result: 1 KB\n"
         "    pipeline:\n"
         "      - {id: classify, model: mobilenet-v2, precision: int8}\n"
         "    slo: {percentile: 99, latency: 500 ms}\n";
}

Scenario load_text(const std::string& name, const std::string& text) {
  const std::string path = (std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "-" + name)).string();
  std::ofstream(path) << text;
  std::string error;
  Scenario s;
  try {
    s = load_scenario(path, catalogue());
  } catch (...) {
    std::remove(path.c_str());
    throw;
  }
  std::remove(path.c_str());
  return s;
}

std::string load_error(const std::string& name, const std::string& text) {
  try {
    (void)load_text(name, text);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

CandidateSpec edge(const std::string& hw, const std::string& accelerator = "") {
  CandidateSpec c;
  c.family = Family::edge;
  c.edge_hardware = hw;
  c.edge_accelerator = accelerator;
  c.units_per_site = 1;
  return c;
}

}  // namespace

TEST_CASE("site conditions: the roadside cabinet is too hot for a dev kit (v2x-rsu)") {
  const Scenario s = load_scenario(kSrc + "/scenarios/v2x-rsu.yaml", catalogue());
  // The cabinet reaches -20 C to 55 C; the Orin Nano dev kit is rated 0 C to 50 C ambient:
  // the hot side breaks first, figure 50 (the unit's max) against bound 55 (the site's).
  const AnalyticBound b = analytic_bound(s, catalogue(), edge("jetson-orin-nano-super"));
  REQUIRE(b.why_not);
  CHECK(b.why_not->kind == ReasonKind::site_conditions);
  CHECK(b.why_not->subject == "intersection");
  CHECK(b.why_not->detail == "temperature");
  CHECK(b.why_not->figure == 50);
  CHECK(b.why_not->bound == 55);
  CHECK(to_string(b.why_not->kind) == "site_conditions");
  CHECK(describe(*b.why_not) == "site intersection: ambient -20 C to 55 C (conditions.temperature), but the unit is rated 0 C to 50 C");
  // The GPU family places nothing in the cabinet: no site condition applies.
  CandidateSpec gpu;
  gpu.family = Family::gpu;
  gpu.gpu_hardware = "l4x4-server";
  CHECK(site_fit(s, catalogue(), gpu).excluded.empty());
}

TEST_CASE("site conditions: sensor ports cap the sources per unit") {
  // 5 CSI cameras; a Raspberry Pi 5 has 2 CSI ports: ceil(5 / 2) = 3 units per site at least,
  // although 5 x 5 /s of MobileNet would fit on one.
  const Scenario s = load_text("ports.yaml", scenario_text("{ports: {csi: 5}}", 5));
  const SiteFit f = site_fit(s, catalogue(), edge("raspberry-pi-5"));
  CHECK(f.excluded.empty());
  CHECK(f.min_units == 3);
  CHECK(analytic_bound(s, catalogue(), edge("raspberry-pi-5")).units_per_site >= 3);
  // Sized by hand at 2 units: 2 x 2 = 4 ports against 5 needed.
  const auto at2 = site_conditions_at(s, catalogue(), edge("raspberry-pi-5"), 2);
  REQUIRE(at2.size() == 1);
  CHECK(at2[0].detail == "ports.csi");
  CHECK(at2[0].figure == 5);
  CHECK(at2[0].bound == 4);
  CHECK(site_conditions_at(s, catalogue(), edge("raspberry-pi-5"), 3).empty());
  // The Intel IPC has no CSI port at all: excluded, not sized.
  const SiteFit ipc = site_fit(s, catalogue(), edge("intel-i7-ipc"));
  REQUIRE(ipc.excluded.size() == 1);
  CHECK(describe(ipc.excluded[0]) == "site yard: needs 5 csi ports (conditions.ports), but the unit has none");
}

TEST_CASE("site conditions: the site's power caps the units, and excludes a unit drawing more alone") {
  // 40 W available. Orin Nano Super: 25 W max, so 1 unit fits and 2 draw 50 W > 40 W.
  const Scenario s = load_text("power.yaml", scenario_text("{power: 40 W}", 1));
  CHECK(site_fit(s, catalogue(), edge("jetson-orin-nano-super")).excluded.empty());
  const auto at2 = site_conditions_at(s, catalogue(), edge("jetson-orin-nano-super"), 2);
  REQUIRE(at2.size() == 1);
  CHECK(at2[0].detail == "power");
  CHECK(at2[0].figure == doctest::Approx(50));
  CHECK(at2[0].bound == doctest::Approx(40));
  // Jetson AGX Orin 64GB: 60 W max alone, above 40 W: excluded whatever the size.
  const SiteFit agx = site_fit(s, catalogue(), edge("jetson-agx-orin-64gb"));
  REQUIRE(agx.excluded.size() == 1);
  CHECK(agx.excluded[0].figure == doctest::Approx(60));
}

TEST_CASE("site conditions: ingress digit by digit. an accelerator narrows the host's range") {
  // IEC 60529: IP65 covers IP54 (6 >= 5, 5 >= 4); IP20 does not (2 < 5); IP20 against IPX4:
  // solids not asked, water 0 < 4.
  CHECK(ingress_covers(*ingress_from("IP65"), *ingress_from("IP54")));
  CHECK_FALSE(ingress_covers(*ingress_from("IP20"), *ingress_from("IP54")));
  CHECK_FALSE(ingress_covers(*ingress_from("IP20"), *ingress_from("IPX4")));
  CHECK(to_string(*ingress_from("IPX4")) == "IPX4");
  CHECK_FALSE(ingress_from("IP75"));  // solids stop at 6
  const Scenario s = load_text("ingress.yaml", scenario_text("{ingress: IP54, temperature: {min: -30 C}}", 1));
  // Raspberry Pi 5 (0 C to 50 C, IP20) with a Hailo-8 (-40 C to 85 C): the pair lives in
  // 0 C to 50 C, so -30 C breaks (figure 0, bound -30), and IP20 breaks IP54.
  const SiteFit f = site_fit(s, catalogue(), edge("raspberry-pi-5", "hailo-8"));
  REQUIRE(f.excluded.size() == 2);
  CHECK(f.excluded[0].detail == "temperature");
  CHECK(f.excluded[0].figure == 0);
  CHECK(f.excluded[0].bound == -30);
  CHECK(describe(f.excluded[1]) == "site yard: needs IP54 (conditions.ingress), but the unit is rated IP20");
}

TEST_CASE("site conditions: a Coral USB dongle narrows its host to an indoor range") {
  // Raspberry Pi 5 (0 C to 50 C) with a Coral USB Accelerator (0 C to 35 C, an estimate in
  // its profile): the pair lives in 0 C to 35 C. A 40 C factory hall breaks it (figure 35,
  // bound 40); the Pi alone is rated to 50 C and lives there.
  const Scenario s = load_text("coral.yaml", scenario_text("{temperature: {min: 5 C, max: 40 C}}", 1));
  const SiteFit f = site_fit(s, catalogue(), edge("raspberry-pi-5", "coral-usb"));
  REQUIRE(f.excluded.size() == 1);
  CHECK(f.excluded[0].detail == "temperature");
  CHECK(f.excluded[0].figure == 35);
  CHECK(f.excluded[0].bound == 40);
  CHECK(site_fit(s, catalogue(), edge("raspberry-pi-5")).excluded.empty());
}

TEST_CASE("site conditions: bad values are refused with file:line:col, key and the expected form") {
  // The conditions are on line 9 of the text (name, seed, duration, warmup, sites, id, access, backhaul, conditions).
  const std::string bare = load_error("bare.yaml", scenario_text("{temperature: {min: -20 C, max: 55}}", 1));
  CHECK(bare.find("bare.yaml:9:") != std::string::npos);
  CHECK(bare.find("sites[0].conditions.temperature.max") != std::string::npos);
  CHECK(bare.find("degrees Celsius") != std::string::npos);
  const std::string ip = load_error("ip.yaml", scenario_text("{ingress: IP7}", 1));
  CHECK(ip.find("sites[0].conditions.ingress") != std::string::npos);
  CHECK(ip.find("IEC 60529") != std::string::npos);
  const std::string order = load_error("order.yaml", scenario_text("{temperature: {min: 30 C, max: 10 C}}", 1));
  CHECK(order.find("max must be at least min (30 C)") != std::string::npos);
  const std::string empty = load_error("empty.yaml", scenario_text("{}", 1));
  CHECK(empty.find("give at least one of temperature, ingress, power, ports") != std::string::npos);
}
