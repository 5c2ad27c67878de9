// Runs the hwplan binary like a user and checks what it prints, writes and returns.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// The commands these tests run would otherwise fill the user's own result cache
// (~/.cache/hwplan/runs, or $XDG_CACHE_HOME's): the binary gets a private one, removed at exit.
// A test that names its own XDG_CACHE_HOME in the command still does.
struct PrivateCache {
  std::string dir;
  PrivateCache() {
    std::string t = (fs::temp_directory_path() / "hwplan-cli-test-cache-XXXXXX").string();
    if (::mkdtemp(t.data()) != nullptr) {
      dir = t;
      ::setenv("XDG_CACHE_HOME", dir.c_str(), 1);
    }
  }
  ~PrivateCache() {
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
  }
  PrivateCache(const PrivateCache&) = delete;
  PrivateCache& operator=(const PrivateCache&) = delete;
} private_cache;

struct Outcome {
  int code = -1;
  std::string out;  // stdout and stderr together
};

// env: assignments put before the command ("XDG_CACHE_HOME=/x").
Outcome sh(const std::string& args, const std::string& env = "") {
  std::string cmd = (env.empty() ? std::string() : env + " ") + std::string(HWPLAN_BIN) + " " + args + " 2>&1";
  Outcome o;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) o.out.append(buf, n);
  int st = pclose(p);
  o.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return o;
}

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) {
      cells.push_back(cell);
      cell.clear();
    } else cell += c;
  }
  cells.push_back(cell);
  return cells;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    rows.push_back(split_csv(line));
  }
  return rows;
}

const std::string kSrc = HWPLAN_SOURCE_DIR;

}  // namespace

TEST_CASE("validate accepts every bundled file, sweep files included") {
  std::string files;
  for (const char* dir : {"hardware_profiles", "scenarios/models", "scenarios", "scenarios/sweeps"}) {
    for (const auto& e : fs::directory_iterator(kSrc + "/" + dir)) {
      if (e.path().extension() == ".yaml") files += " " + e.path().string();
    }
  }
  auto o = sh("validate -q" + files);
  INFO(o.out);
  CHECK(o.code == 0);
}

TEST_CASE("validate rejects a broken file with exit 2 and file:line:column") {
  fs::create_directories(HWPLAN_WORK_DIR);
  const std::string bad = std::string(HWPLAN_WORK_DIR) + "/broken.yaml";
  std::ofstream(bad) << "name: broken\nsites:\n  - id: a\n    access: {latency: 5, bandwidth: 1 Gbps}\n";
  auto o = sh("validate " + bad);
  INFO(o.out);
  CHECK(o.code == 2);
  CHECK(o.out.find("broken.yaml:4:") != std::string::npos);
  CHECK(o.out.find("has no unit") != std::string::npos);
}

TEST_CASE("profiles list shows the catalogue") {
  auto o = sh("profiles list --format csv");
  CHECK(o.code == 0);
  for (const char* id : {"raspberry-pi-5", "jetson-orin-nano-super", "nvidia-l4", "dgx-h100", "l4x4-server"}) {
    CHECK(o.out.find(id) != std::string::npos);
  }
  CHECK(sh("profiles show no-such-device").code == 2);
}

TEST_CASE("run writes a CSV report where edge beats GPU latency when the WAN dominates") {
  fs::create_directories(HWPLAN_WORK_DIR);
  const std::string csv = std::string(HWPLAN_WORK_DIR) + "/factory.csv";
  fs::remove(csv);
  auto o = sh("run " + kSrc + "/scenarios/factory-vision.yaml --duration \"12 s\" --jobs 2 --out " + csv);
  INFO(o.out);
  REQUIRE(o.code == 0);
  CHECK(o.out.find("wrote " + csv) != std::string::npos);
  auto rows = read_csv(csv);
  REQUIRE(rows.size() >= 3);
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < rows[0].size(); ++i) col[rows[0][i]] = i;
  for (const char* c : {"family", "hardware", "p50_latency_ms", "p95_latency_ms", "p99_latency_ms", "slo_met",
                        "throughput_per_s", "avg_power_w", "energy_kwh_per_day", "backhaul_gb_per_day", "capex_usd",
                        "opex_per_year_usd", "tco_usd", "feasible", "reason"}) {
    CHECK_MESSAGE(col.count(c) == 1, c);
  }
  double edge_p99 = -1, gpu_p99 = -1, gpu_backhaul = -1, edge_backhaul = -1;
  for (size_t r = 1; r < rows.size(); ++r) {
    REQUIRE(rows[r].size() == rows[0].size());
    // The factory retrains its models (the loop): its edge candidates are the loop hybrid.
    if (rows[r][col["family"]] == "edge" || rows[r][col["hybrid_kind"]] == "train-infer-loop") {
      edge_p99 = std::stod(rows[r][col["p99_latency_ms"]]);
      edge_backhaul = std::stod(rows[r][col["backhaul_gb_per_day"]]);
    }
    if (rows[r][col["family"]] == "gpu") {
      gpu_p99 = std::stod(rows[r][col["p99_latency_ms"]]);
      gpu_backhaul = std::stod(rows[r][col["backhaul_gb_per_day"]]);
    }
  }
  REQUIRE(edge_p99 > 0);
  REQUIRE(gpu_p99 > 0);
  // The scenario's WAN is 15 ms each way: the GPU path cannot beat 30 ms; the edge path can.
  CHECK(gpu_p99 > 30.0);
  CHECK(edge_p99 < gpu_p99);
  // No frame leaves a plant at the edge; its backhaul carries only the loop's traffic:
  // samples 12 x 8 x 15 /s x 150 KB x 0.1% x 86400 s = 18.662 GB/day, plus the 37 MB model
  // pushed to 12 units every 30 d = 0.0148 GB/day.
  CHECK(edge_backhaul == doctest::Approx(18.677).epsilon(1e-3));
  CHECK(gpu_backhaul > 1000.0);  // 12 plants x 8 cameras x 15 fps x 150 KB is ~18.7 TB/day
}

TEST_CASE("run --duration: a negative or bare-number value names the value and the unit to write") {
  // Before: '-5 s' said only "--duration must exceed the scenario's warm-up (3 s)"; '5' was told to write '5 ms'.
  auto o = sh("run " + kSrc + "/scenarios/factory-vision.yaml --duration '-5 s' --out /dev/null");
  CHECK(o.code == 2);
  CHECK(o.out.find("--duration -5 s: a simulated time must be positive") != std::string::npos);
  o = sh("run " + kSrc + "/scenarios/factory-vision.yaml --duration 5 --out /dev/null");
  CHECK(o.code == 2);
  CHECK(o.out.find("'5 s'") != std::string::npos);
  CHECK(o.out.find("'5 ms'") == std::string::npos);
}

TEST_CASE("run is deterministic for a seed") {
  fs::create_directories(HWPLAN_WORK_DIR);
  const std::string a = std::string(HWPLAN_WORK_DIR) + "/seed_a.csv";
  const std::string b = std::string(HWPLAN_WORK_DIR) + "/seed_b.csv";
  REQUIRE(sh("run " + kSrc + "/scenarios/factory-vision.yaml --duration \"12 s\" --seed 3 --no-cache --out " + a).code == 0);
  REQUIRE(sh("run " + kSrc + "/scenarios/factory-vision.yaml --duration \"12 s\" --seed 3 --no-cache --out " + b).code == 0);
  std::ifstream fa(a), fb(b);
  std::stringstream sa, sb;
  sa << fa.rdbuf();
  sb << fb.rdbuf();
  CHECK(sa.str() == sb.str());
}

TEST_CASE("bad usage exits 2 and every subcommand has help with an example") {
  CHECK(sh("run").code == 2);
  CHECK(sh("no-such-command").code == 2);
  for (const char* sub : {"validate", "run", "profiles list", "profiles show"}) {
    auto o = sh(std::string(sub) + " --help");
    CHECK(o.code == 0);
    CHECK(o.out.find("Example") != std::string::npos);
  }
}

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("recommend names edge for the factory, rejects GPU-central with the WAN numbers, and writes the CSV") {
  fs::create_directories(HWPLAN_WORK_DIR);
  const std::string csv = std::string(HWPLAN_WORK_DIR) + "/factory-rec.csv";
  const std::string json = std::string(HWPLAN_WORK_DIR) + "/factory-rec.json";
  fs::remove(csv);
  const std::string cmd = std::string(HWPLAN_BIN) + " recommend " + kSrc +
                          "/scenarios/factory-vision.yaml --no-cache --jobs 2 --format json --out " + csv + " > " + json;
  const int st = std::system(cmd.c_str());
  REQUIRE(WIFEXITED(st));
  REQUIRE(WEXITSTATUS(st) == 0);
  const auto j = nlohmann::json::parse(slurp(json));
  REQUIRE(j["recommendation"].is_object());
  CHECK(j["recommendation"]["family"] == "hybrid");  // edge inference, retrained in the DC: the loop
  CHECK(j["recommendation"]["hybrid_kind"] == "train-infer-loop");
  CHECK(j["recommendation"]["tco"].get<double>() > 0);
  // The factory's only feasible deployment is the edge loop (GPU-central and the split
  // hybrid are rejected): "the only deployment that meets", not "the cheapest of 1".
  CHECK(j["recommendation"]["why"].get<std::string>().find("is the only deployment that meets every target") != std::string::npos);
  bool gpu_rejected = false;
  for (const auto& c : j["candidates"]) {
    for (const char* k : {"family", "hardware", "units", "feasible", "reason", "p99_latency_s", "tco"}) CHECK_MESSAGE(c.contains(k), k);
    if (c["family"] == "gpu") {
      // With the WAN numbers: the 40 ms target, or the plant's backhaul busier than the 70% the
      // design allows (144 Mbps of frames on 200 Mbps, 72%), which screens it out first.
      const std::string why = c["reason"].get<std::string>();
      gpu_rejected = !c["feasible"].get<bool>() && (why.find("40 ms") != std::string::npos || why.find("backhaul link of site plant") != std::string::npos);
    }
  }
  CHECK(gpu_rejected);
  CHECK(j["sensitivity"].size() == 4);
  auto rows = read_csv(csv);
  REQUIRE(rows.size() == j["candidates"].size() + 1);
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < rows[0].size(); ++i) col[rows[0][i]] = i;
  for (const char* c : {"family", "hardware", "units", "p50_latency_ms", "p95_latency_ms", "p99_latency_ms", "p99_ci_low_ms",
                        "p95_ci_low_ms", "slo_met", "avg_power_w", "energy_kwh_per_day", "backhaul_gb_per_day", "capex_usd",
                        "opex_per_year_usd", "tco_usd", "cost_per_million_usd", "feasible", "reason", "recommended"}) {
    CHECK_MESSAGE(col.count(c) == 1, c);
  }
  int recommended = 0;
  for (size_t r = 1; r < rows.size(); ++r) recommended += rows[r][col["recommended"]] == "true";
  CHECK(recommended == 1);
}

TEST_CASE("recommend reuses cached simulations and gives the same report") {
  fs::create_directories(HWPLAN_WORK_DIR);
  const std::string cache = std::string(HWPLAN_WORK_DIR) + "/cache";
  fs::remove_all(cache);
  const std::string a = std::string(HWPLAN_WORK_DIR) + "/cache_a.csv", b = std::string(HWPLAN_WORK_DIR) + "/cache_b.csv";
  const std::string scen = kSrc + "/tests/data/planner/queue-sizing.yaml";
  auto first = sh("recommend " + scen + " --no-sensitivity --cache-dir " + cache + " --out " + a);
  INFO(first.out);
  REQUIRE(first.code == 0);
  CHECK(first.out.find("0 from the cache") != std::string::npos);
  auto second = sh("recommend " + scen + " --no-sensitivity --cache-dir " + cache + " --out " + b);
  INFO(second.out);
  REQUIRE(second.code == 0);
  CHECK(second.out.find("0 simulated") != std::string::npos);
  CHECK(second.out.find("(100% hit rate)") != std::string::npos);
  CHECK(slurp(a) == slurp(b));
}

TEST_CASE("recommend never reports a hand-edited cache entry: it is simulated again, said once, and overwritten") {
  // The review set p99 to -5 s in every entry (valid JSON of the right types): the next run
  // exited 0 with "p99 -5000 ms ... RECOMMENDED" (sim/run/cache.cpp trusted whatever parsed).
  fs::create_directories(HWPLAN_WORK_DIR);
  const std::string cache = std::string(HWPLAN_WORK_DIR) + "/cache-edited";
  fs::remove_all(cache);
  const std::string a = std::string(HWPLAN_WORK_DIR) + "/cache_edit_a.csv", b = std::string(HWPLAN_WORK_DIR) + "/cache_edit_b.csv";
  const std::string scen = kSrc + "/tests/data/planner/queue-sizing.yaml";
  const std::string args = "recommend " + scen + " --no-sensitivity --jobs 2 --cache-dir " + cache + " --out ";
  auto first = sh(args + a);
  INFO(first.out);
  REQUIRE(first.code == 0);
  std::function<void(nlohmann::json&)> edit = [&](nlohmann::json& j) {
    if (j.is_object() && j.contains("p99_s") && j["p99_s"].is_object()) j["p99_s"]["value"] = -5.0;
    if (j.is_object() || j.is_array()) {
      for (auto& v : j) edit(v);
    }
  };
  std::size_t entries = 0;
  for (const auto& e : fs::directory_iterator(cache)) {
    if (e.path().extension() != ".json") continue;
    auto j = nlohmann::json::parse(slurp(e.path().string()));
    edit(j);
    std::ofstream(e.path(), std::ios::trunc) << j.dump();
    ++entries;
  }
  REQUIRE(entries > 0);
  auto second = sh(args + b);
  INFO(second.out);
  CHECK(second.code == 0);
  CHECK(slurp(a) == slurp(b));  // the same report as the first run's, not one with -5000 ms
  CHECK(second.out.find("-5000") == std::string::npos);
  const std::string warning = "warning: result cache at " + cache + ": entry ";
  const auto at = second.out.find(warning);
  CHECK(at != std::string::npos);
  CHECK(second.out.find(warning, at + 1) == std::string::npos);  // said once
  CHECK(second.out.find("p99_s.value = -5") != std::string::npos);
  // The entries were overwritten with the simulated results: a third run simulates nothing.
  auto third = sh(args + b);
  INFO(third.out);
  CHECK(third.code == 0);
  CHECK(third.out.find("(100% hit rate)") != std::string::npos);
  CHECK(third.out.find("warning: result cache") == std::string::npos);
  CHECK(slurp(a) == slurp(b));
  fs::remove_all(cache);
}

TEST_CASE("recommend exits 3 when nothing is feasible and says what came closest") {
  fs::create_directories(HWPLAN_WORK_DIR);
  auto o = sh("recommend " + kSrc + "/tests/data/planner/impossible.yaml --no-cache --out " + std::string(HWPLAN_WORK_DIR) +
              "/impossible.csv");
  INFO(o.out);
  CHECK(o.code == 3);
  CHECK(o.out.find("No recommendation") != std::string::npos);
  CHECK(o.out.find("Closest: gpu l4x4-server") != std::string::npos);
  // The fix is re-checked before it is printed: a looser target alone (51 ms, past the 45.7 ms
  // floor) does not hold, because the 10 s run completes too few requests to certify a p99;
  // with a run long enough for them as well it does, and the answer names both changes.
  CHECK(o.out.find("It becomes feasible with streams[frames].slo.latency = 51 ms, measured over a longer simulation (duration = ") != std::string::npos);
}

TEST_CASE("run and recommend name the same hardware for the same candidate, and say which schema they write") {
  // retail-footfall has an edge unit with an accelerator (raspberry-pi-5 + hailo-8) and a
  // hybrid: the two cases where the run report used to name only the edge profile.
  fs::create_directories(HWPLAN_WORK_DIR);
  const std::string dir = HWPLAN_WORK_DIR;
  const std::string scen = kSrc + "/scenarios/retail-footfall.yaml";
  const std::string run_cmd = std::string(HWPLAN_BIN) + " run " + scen + " --jobs 2 --format json --out " + dir +
                              "/retail-run.csv > " + dir + "/retail-run.json 2> " + dir + "/retail-run.log";
  const std::string rec_cmd = std::string(HWPLAN_BIN) + " recommend " + scen + " --no-cache --jobs 2 --format json --out " + dir +
                              "/retail-rec.csv > " + dir + "/retail-rec.json 2> " + dir + "/retail-rec.log";
  for (const auto& cmd : {run_cmd, rec_cmd}) {
    INFO(cmd);
    const int st = std::system(cmd.c_str());
    REQUIRE(WIFEXITED(st));
    REQUIRE(WEXITSTATUS(st) == 0);
  }
  const auto run = nlohmann::json::parse(slurp(dir + "/retail-run.json"));
  const auto rec = nlohmann::json::parse(slurp(dir + "/retail-rec.json"));
  CHECK(run["schema"] == "hwplan-run-report");
  CHECK(rec["schema"] == "hwplan-recommendation");
  REQUIRE(run["version"].is_number_integer());
  REQUIRE(rec["version"].is_number_integer());
  CHECK(run["version"].get<int>() >= 1);
  CHECK(rec["version"].get<int>() >= 1);

  // The same hardware choice: family and the three profile ids (sizes differ: recommend sizes them).
  auto key = [](const nlohmann::json& c) {
    return c["family"].get<std::string>() + "|" + c["edge_hardware"].get<std::string>() + "|" +
           c["edge_accelerator"].get<std::string>() + "|" + c["gpu_hardware"].get<std::string>();
  };
  std::map<std::string, std::string> rec_hardware;
  for (const auto& c : rec["candidates"]) rec_hardware[key(c)] = c["hardware"].get<std::string>();
  std::map<std::string, std::string> run_hardware;
  for (const auto& c : run["candidates"]) {
    INFO(key(c));
    REQUIRE(rec_hardware.count(key(c)) == 1);
    CHECK(c["hardware"] == rec_hardware[key(c)]);
    run_hardware[key(c)] = c["hardware"].get<std::string>();
  }
  CHECK(run_hardware["edge|raspberry-pi-5|hailo-8|"] == "raspberry-pi-5+hailo-8");
  CHECK(run_hardware["edge|raspberry-pi-5||"] == "raspberry-pi-5");
  CHECK(run_hardware["hybrid|jetson-orin-nano-super||l4x4-server"] == "jetson-orin-nano-super+l4x4-server");
  CHECK(run_hardware["gpu|||l4x4-server"] == "l4x4-server");

  // And both CSVs agree with their JSON, row by row.
  for (const auto& [csv, doc] : {std::pair{dir + "/retail-run.csv", &run}, std::pair{dir + "/retail-rec.csv", &rec}}) {
    INFO(csv);
    const auto rows = read_csv(csv);
    REQUIRE(rows.size() == (*doc)["candidates"].size() + 1);
    const auto h = static_cast<std::size_t>(std::find(rows[0].begin(), rows[0].end(), "hardware") - rows[0].begin());
    REQUIRE(h < rows[0].size());
    for (std::size_t r = 1; r < rows.size(); ++r) CHECK(rows[r][h] == (*doc)["candidates"][r - 1]["hardware"]);
  }
}

TEST_CASE("cli: --out never destroys: not the scenario, not a FIFO or a symlink, not a device. unwritable is an error before any work") {
  const fs::path dir = fs::path(HWPLAN_WORK_DIR) / "out-safety";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path scen = dir / "factory.yaml";
  fs::copy_file(kSrc + "/scenarios/factory-vision.yaml", scen);
  const std::string before = [&] {
    std::ifstream f(scen);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }();
  auto o = sh("recommend " + scen.string() + " --no-sensitivity --out " + scen.string());
  CHECK(o.code == 2);
  CHECK(o.out.find("writing the report there would destroy it") != std::string::npos);
  CHECK(o.out.find("planning") == std::string::npos);  // refused before any work
  std::ifstream f(scen);
  CHECK(std::string(std::istreambuf_iterator<char>(f), {}) == before);

  o = sh("recommend " + scen.string() + " --out /proc/hwplan-x.csv");
  CHECK(o.code == 2);
  CHECK(o.out.find("error: --out: cannot write to the folder of /proc/hwplan-x.csv") != std::string::npos);

  o = sh("recommend " + scen.string() + " --out " + dir.string());
  CHECK(o.code == 2);
  CHECK(o.out.find("is a directory") != std::string::npos);

  // A symlink stays a symlink; its target gets the report.
  fs::create_symlink("real.csv", dir / "link.csv");
  o = sh("recommend " + scen.string() + " --no-sensitivity --out " + (dir / "link.csv").string());
  CHECK(o.code == 0);
  CHECK(fs::is_symlink(dir / "link.csv"));
  CHECK(read_csv((dir / "real.csv").string()).at(0).at(0) == "family");

  // A FIFO, a device (/dev/full as root would be replaced by a renamed file) and a symlink
  // to a device are refused before any work; the nodes stay as they were.
  const fs::path fifo = dir / "fifo.csv";
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  fs::create_symlink("/dev/full", dir / "full.csv");
  for (const std::string& out : std::vector<std::string>{fifo.string(), "/dev/full", (dir / "full.csv").string()}) {
    INFO(out);
    o = sh("recommend " + scen.string() + " --no-sensitivity --out " + out);
    CHECK(o.code == 2);
    CHECK(o.out.rfind("error: --out: " + out, 0) == 0);
    CHECK(o.out.find("not a regular file") != std::string::npos);
    CHECK(o.out.find("planning") == std::string::npos);  // refused before any work
  }
  CHECK(fs::is_fifo(fifo));
  CHECK(fs::is_character_file("/dev/full"));
  CHECK(fs::is_symlink(dir / "full.csv"));

  // /dev/null takes the report in place (discarded); "-" writes the CSV to standard output.
  o = sh("run " + scen.string() + " --duration '10 s' --out /dev/null");
  CHECK(o.code == 0);
  CHECK(fs::is_character_file("/dev/null"));
  o = sh("run " + scen.string() + " --duration '10 s' --out - 2>/dev/null; echo rc=$?");  // sh's 2>&1 goes to the echo
  CHECK(o.out.rfind("family,", 0) == 0);  // the CSV report and nothing else
  CHECK(o.out.find("rc=0") != std::string::npos);
  o = sh("run " + scen.string() + " --out - --format json");
  CHECK(o.code == 2);
  CHECK(o.out.find("error: --out - writes the CSV report to standard output") != std::string::npos);

  // An explicit --cache-dir that cannot be used is an error before any work; an unusable
  // default cache folder is a warning naming it, and the run goes on without a cache.
  o = sh("recommend " + scen.string() + " --no-sensitivity --cache-dir /proc/hwplan-cache --out " + (dir / "r.csv").string());
  CHECK(o.code == 2);
  CHECK(o.out.rfind("error: --cache-dir: cannot create the cache folder /proc/hwplan-cache", 0) == 0);
  o = sh("recommend " + scen.string() + " --no-sensitivity --out " + (dir / "r.csv").string(), "XDG_CACHE_HOME=/proc/hwplan-xdg");
  CHECK(o.code == 0);
  CHECK(o.out.find("warning: cannot create the cache folder /proc/hwplan-xdg/hwplan/runs") != std::string::npos);
  CHECK(o.out.find("running without the result cache") != std::string::npos);
  fs::remove_all(dir);
}

namespace {

// A sweep of factory-vision over two electricity prices, 10 s runs each.
void write_two_variant_sweep(const fs::path& sweep) {
  std::ofstream f(sweep);
  f << "scenario: " << kSrc << "/scenarios/factory-vision.yaml\nrun: run\nset: {duration: 10 s}\n"
    << "axes:\n  costs.electricity: [0.1 USD/kWh, 0.2 USD/kWh]\n";
}

}  // namespace

TEST_CASE("cli: a sweep's --out is a regular file and no input of the sweep. checked before any work") {
  const fs::path dir = fs::path(HWPLAN_WORK_DIR) / "sweep-out-safety";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path sweep = dir / "sweep.yaml";
  write_two_variant_sweep(sweep);
  const fs::path fifo = dir / "fifo.csv";
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  const std::vector<std::pair<std::string, std::string>> cases{
      {sweep.string(), "writing the report there would destroy it"},
      {kSrc + "/scenarios/factory-vision.yaml", "writing the report there would destroy it"},
      {fifo.string(), "not a regular file"},
      {"/dev/full", "not a regular file"},
      {"-", "a sweep's result file is rewritten after every variant"},
      {"/proc/hwplan-x.csv", "cannot write to the folder of /proc/hwplan-x.csv"},
      {dir.string(), "is a directory"}};
  for (const auto& [out, why] : cases) {
    INFO(out);
    auto o = sh("sweep " + sweep.string() + " --force --out " + out);
    CHECK(o.code == 2);
    CHECK(o.out.rfind("error: --out", 0) == 0);
    CHECK(o.out.find(why) != std::string::npos);
    CHECK(o.out.find("checking them") == std::string::npos);  // nothing ran
  }
  CHECK(fs::is_fifo(fifo));
  auto o = sh("sweep " + sweep.string() + " --out " + (dir / "s.csv").string() + " --cache-dir /proc/hwplan-cache");
  CHECK(o.code == 2);
  CHECK(o.out.rfind("error: --cache-dir: cannot create the cache folder /proc/hwplan-cache", 0) == 0);
  // A symlink stays; its target gets the rows.
  fs::create_symlink("rows.csv", dir / "link.csv");
  o = sh("sweep " + sweep.string() + " --no-cache --out " + (dir / "link.csv").string());
  CHECK(o.code == 0);
  CHECK(fs::is_symlink(dir / "link.csv"));
  CHECK(read_csv((dir / "rows.csv").string()).size() >= 3);
  // --resume and --force together: refused, the file untouched.
  const std::string rows_before = slurp((dir / "rows.csv").string());
  o = sh("sweep " + sweep.string() + " --no-cache --resume --force --out " + (dir / "rows.csv").string());
  CHECK(o.code == 2);
  CHECK(o.out.find("--resume excludes --force") != std::string::npos);
  CHECK(slurp((dir / "rows.csv").string()) == rows_before);
  // A boundary map's side file OUT-boundary.csv is checked before any work too.
  const fs::path map = dir / "map.yaml";
  std::ofstream(map) << "scenario: " << kSrc << "/scenarios/factory-vision.yaml\nmode: boundary\n"
                     << "axes:\n  costs.bandwidth: {from: 0.002 USD/GB, to: 0.05 USD/GB, steps: 2}\n"
                     << "  costs.electricity: {from: 0.06 USD/kWh, to: 0.18 USD/kWh, steps: 2}\n";
  fs::create_directories(dir / "bx-boundary.csv");
  o = sh("sweep " + map.string() + " --no-cache --out " + (dir / "bx.csv").string());
  CHECK(o.code == 2);
  CHECK(o.out.find("bx-boundary.csv, which exists and is not a regular file") != std::string::npos);
  CHECK(o.out.find("boundary map of") == std::string::npos);  // nothing ran
  std::ofstream(dir / "by-boundary.csv") << "an earlier map's boundary\n";
  o = sh("sweep " + map.string() + " --no-cache --out " + (dir / "by.csv").string());
  CHECK(o.code == 2);
  CHECK(o.out.find("by-boundary.csv exists (the boundary of an earlier map)") != std::string::npos);
  CHECK(slurp((dir / "by-boundary.csv").string()) == "an earlier map's boundary\n");
  CHECK_FALSE(fs::exists(dir / "by.csv"));
  fs::remove_all(dir);
}

TEST_CASE("cli: a sweep variant stopped by the event budget is a row that says so, not a generic failure") {
  const fs::path dir = fs::path(HWPLAN_WORK_DIR) / "sweep-budget";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path sweep = dir / "sweep.yaml";
  write_two_variant_sweep(sweep);
  auto o = sh("sweep " + sweep.string() + " --no-cache --max-events 50 --out " + (dir / "s.csv").string());
  CHECK(o.code == 0);  // every variant has its row
  const auto rows = read_csv((dir / "s.csv").string());
  REQUIRE(rows.size() >= 3);
  const auto err = static_cast<std::size_t>(std::find(rows[0].begin(), rows[0].end(), "variant_error") - rows[0].begin());
  REQUIRE(err < rows[0].size());
  for (std::size_t r = 1; r < rows.size(); ++r) {
    INFO(r);
    CHECK(rows[r][err].rfind("over the event budget: the simulation of ", 0) == 0);
    CHECK(rows[r][err].find("raise it with --max-events") != std::string::npos);
  }
  // run and recommend: a limit of the input, exit 2, with how to raise it.
  for (const char* cmd : {"run", "recommend"}) {
    INFO(cmd);
    const std::string extra = std::string(cmd) == "recommend" ? " --no-cache --no-sensitivity" : "";
    o = sh(std::string(cmd) + " " + kSrc + "/scenarios/factory-vision.yaml" + extra + " --max-events 50 --out " + (dir / "r.csv").string());
    CHECK(o.code == 2);
    CHECK(o.out.find("event budget exceeded") != std::string::npos);
    CHECK(o.out.find("raise it with --max-events") != std::string::npos);
  }
  fs::remove_all(dir);
}

TEST_CASE("cli: a run whose simulations all stop early keeps an earlier report and shows no figure measured on a fragment") {
  const fs::path dir = fs::path(HWPLAN_WORK_DIR) / "run-all-failed";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path out = dir / "r.csv";
  std::ofstream(out) << "an earlier report\n";
  auto o = sh("run " + kSrc + "/scenarios/factory-vision.yaml --max-events 10 --out " + out.string());
  CHECK(o.code == 2);
  CHECK(slurp(out.string()) == "an earlier report\n");  // not replaced by rows of failures
  CHECK(o.out.find("no report written to " + out.string() + ": none of the 3 simulation(s) finished") != std::string::npos);
  CHECK(o.out.find("precision target") == std::string::npos);  // no 'time cap reached' for a run the budget stopped
  // Each failed row: capex (the size's price) but no utilisation, power, opex or TCO.
  for (const auto& line : split_lines(o.out)) {
    if (line.find("simulation stopped") == std::string::npos) continue;
    INFO(line);
    CHECK(line.find('%') == std::string::npos);
    CHECK(line.find(" -           -        simulation stopped") != std::string::npos);
  }
  // The CSV of the same rows (to standard output): empty figures, not zeros.
  o = sh("run " + kSrc + "/scenarios/factory-vision.yaml --max-events 10 --format csv --out " + (dir / "c.csv").string());
  std::vector<std::vector<std::string>> rows;
  for (const auto& line : split_lines(o.out)) {
    if (line.rfind("family,", 0) == 0 || line.find(",false,\"simulation stopped") != std::string::npos) rows.push_back(split_csv(line));
  }
  REQUIRE(rows.size() == 4);
  auto col = [&](const std::string& name) {
    const auto at = std::find(rows[0].begin(), rows[0].end(), name);
    REQUIRE(at != rows[0].end());
    return static_cast<std::size_t>(at - rows[0].begin());
  };
  for (std::size_t r = 1; r < rows.size(); ++r) {
    INFO(r);
    CHECK(rows[r][col("throughput_per_s")].empty());
    CHECK(rows[r][col("dc_utilisation")].empty());
    CHECK(rows[r][col("tco_usd")].empty());
    CHECK(rows[r][col("cost_per_million_usd")].empty());
    CHECK_FALSE(rows[r][col("capex_usd")].empty());
  }
  fs::remove_all(dir);
}

TEST_CASE("cli: no command lists the commands. a typo gets a suggestion. bad options say 'error:'") {
  auto o = sh("");
  CHECK(o.code == 2);
  CHECK(o.out.rfind("error: no command given", 0) == 0);
  CHECK(o.out.find("recommend") != std::string::npos);
  CHECK(o.out.find("Advanced:") != std::string::npos);
  o = sh("recomend x.yaml");
  CHECK(o.code == 2);
  CHECK(o.out.find("error: unknown command 'recomend'; did you mean 'recommend'?") != std::string::npos);
  o = sh("run " + kSrc + "/scenarios/factory-vision.yaml --seed -1");
  CHECK(o.code == 2);
  CHECK(o.out.find("a seed is a whole number from 0 to 4611686018427387904 (2^62, as a scenario's 'seed'), got '-1'") != std::string::npos);
  o = sh("run " + kSrc + "/scenarios/no-such.yaml");
  CHECK(o.code == 2);
  CHECK(o.out.rfind("error: ", 0) == 0);
}

TEST_CASE("cli: validate checks every file even when one is missing, and reads a pipe once") {
  auto o = sh("validate " + kSrc + "/scenarios/factory-vision.yaml /nonexistent.yaml " + kSrc + "/hardware_profiles/nvidia-l4.yaml");
  CHECK(o.code == 2);
  CHECK(o.out.find("error: /nonexistent.yaml: no such file") != std::string::npos);
  CHECK(o.out.find("ok  " + kSrc + "/hardware_profiles/nvidia-l4.yaml") != std::string::npos);
  CHECK(o.out.find("1 of 3 files invalid") != std::string::npos);
  FILE* p = popen(("bash -c '" + std::string(HWPLAN_BIN) + " validate <(cat " + kSrc + "/scenarios/factory-vision.yaml)' 2>&1").c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  CHECK(WEXITSTATUS(pclose(p)) == 0);
  CHECK(out.find("(scenario 'Factory visual inspection") != std::string::npos);
  // One kind of site with count: 12 read "1 site" (a review took it for a single plant).
  CHECK(out.find(": 1 site kind (12 sites in all), 1 stream, ") != std::string::npos);
}

TEST_CASE("validate-model prints every group's error. json and a bad set as a user sees them") {
  auto t = sh("validate-model");
  REQUIRE(t.code == 0);
  for (const char* g : {"vision_offline", "vision_single_stream", "server", "bert", "mean absolute percentage error"})
    CHECK(t.out.find(g) != std::string::npos);
  auto j = sh("validate-model --format json --role check");
  REQUIRE(j.code == 0);
  const auto doc = nlohmann::json::parse(j.out);
  REQUIRE(doc["rows"].size() > 0);
  for (const auto& r : doc["rows"]) CHECK(r["role"] == "check");
  for (const auto& g : doc["groups"]) CHECK(g["mape"].get<double>() < 0.25);
  const std::string bad = std::string(HWPLAN_SOURCE_DIR) + "/tests/validation/data/bad_published";
  auto b = sh("validate-model --set " + bad);
  CHECK(b.code == 2);
  CHECK(b.out.find("bad_scenario.csv:2:") != std::string::npos);
  CHECK(b.out.find("scenario") != std::string::npos);
}

TEST_CASE("predict reports the offline figure at the saturation batch, whatever batches are listed") {
  auto a = sh("predict --hardware nvidia-l4 --model resnet50 --precision int8 --batch 1 --format json");
  auto b = sh("predict --hardware nvidia-l4 --model resnet50 --precision int8 --batch 1,8,1024 --format json");
  REQUIRE(a.code == 0);
  REQUIRE(b.code == 0);
  const auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
  CHECK(ja["offline"]["batch"] == jb["offline"]["batch"]);
  CHECK(ja["offline"]["throughput_per_s"].get<double>() == jb["offline"]["throughput_per_s"].get<double>());
  CHECK(ja["offline"]["batch"].get<int>() > 1);
  auto c = sh("predict --hardware nvidia-l4 --model resnet50 --precision int8 --max-batch 8 --format json");
  REQUIRE(c.code == 0);
  CHECK(nlohmann::json::parse(c.out)["offline"]["batch"].get<int>() <= 8);
}

TEST_CASE("every command reads the user catalogue ($HWPLAN_USER_PROFILES), and lists where each profile came from") {
  const fs::path user = fs::path(HWPLAN_WORK_DIR) / "user-profiles";
  fs::remove_all(user);
  fs::create_directories(user);
  // A copy of a bundled profile under a new id (the loader wants id = file name), a broken
  // file and one that reuses a bundled id: the good one is added, the others are warned about.
  std::ifstream in(kSrc + "/hardware_profiles/nvidia-l4.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  const auto at = yaml.find("id: nvidia-l4");
  REQUIRE(at != std::string::npos);
  yaml.replace(at, std::string("id: nvidia-l4").size(), "id: my-l4");
  std::ofstream(user / "my-l4.yaml") << yaml;
  std::ofstream(user / "broken.yaml") << "id: broken\nname: [\n";
  std::ofstream(user / "nvidia-t4.yaml") << text.str().replace(at, std::string("id: nvidia-l4").size(), "id: nvidia-t4");
  const char* before = std::getenv("HWPLAN_USER_PROFILES");
  const std::string saved = before ? before : "";
  ::setenv("HWPLAN_USER_PROFILES", user.c_str(), 1);
  auto list = sh("profiles list --format csv");
  auto predict = sh("predict --hardware my-l4 --model resnet50 --precision int8 --format json");
  auto show = sh("profiles show my-l4");
  auto without = sh("profiles list --format csv --no-user-profiles");
  if (before) ::setenv("HWPLAN_USER_PROFILES", saved.c_str(), 1);
  else ::unsetenv("HWPLAN_USER_PROFILES");
  INFO(list.out);
  CHECK(list.code == 0);
  CHECK(list.out.find("my-l4,") != std::string::npos);
  CHECK(list.out.find("origin") != std::string::npos);
  // The user profile is marked user, a bundled one bundled.
  bool user_row = false, bundled_row = false;
  std::istringstream lines(list.out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // RFC 4180 line ends
    if (line.rfind("my-l4,", 0) == 0) user_row = line.size() > 5 && line.substr(line.size() - 5) == ",user";
    if (line.rfind("nvidia-l4,", 0) == 0) bundled_row = line.find(",bundled") != std::string::npos;
  }
  CHECK(user_row);
  CHECK(bundled_row);
  CHECK(list.out.find("warning: ") != std::string::npos);
  CHECK(list.out.find("broken.yaml:") != std::string::npos);
  CHECK(list.out.find("id 'nvidia-t4' is already in the catalogue") != std::string::npos);
  INFO(predict.out);
  CHECK(predict.code == 0);
  CHECK(predict.out.find("my-l4") != std::string::npos);
  CHECK(show.code == 0);
  CHECK(show.out.find("(user)") != std::string::npos);
  CHECK(without.code == 0);
  CHECK(without.out.find("my-l4") == std::string::npos);
  CHECK(without.out.find("warning") == std::string::npos);
}

TEST_CASE("calibrate --add installs the profile into the user catalogue, refuses to overwrite, prices ResNet-50 per image") {
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "calibrate-add";
  fs::remove_all(work);
  fs::create_directories(work / "user");
  const char* before = std::getenv("HWPLAN_USER_PROFILES");
  const std::string saved = before ? before : "";
  ::setenv("HWPLAN_USER_PROFILES", (work / "user").c_str(), 1);
  // Refused before any benchmark: an id of the bundled catalogue would be left out.
  auto bundled = sh("calibrate --quick --add --out " + (work / "nvidia-l4.yaml").string());
  auto first = sh("calibrate --quick --add --format json --out " + (work / "calib-box.yaml").string());
  auto listed = sh("profiles show calib-box");
  auto again = sh("calibrate --quick --add --out " + (work / "calib-box.yaml").string());
  auto predict = sh("predict --hardware calib-box --model resnet50 --batch 1 --format json");
  if (before) ::setenv("HWPLAN_USER_PROFILES", saved.c_str(), 1);
  else ::unsetenv("HWPLAN_USER_PROFILES");

  INFO(bundled.out);
  CHECK(bundled.code == 2);
  CHECK(bundled.out.find("bundled catalogue") != std::string::npos);
  INFO(first.out);
  REQUIRE(first.code == 0);
  CHECK(fs::exists(work / "calib-box.yaml"));
  CHECK(fs::exists(work / "user" / "calib-box.yaml"));
  CHECK(listed.code == 0);
  CHECK(listed.out.find("(user)") != std::string::npos);
  INFO(again.out);
  CHECK(again.code == 2);
  CHECK(again.out.find("exists already; not overwritten") != std::string::npos);
  CHECK(again.out.find("calibrate: timing") == std::string::npos);  // refused before the benchmark
  CHECK(predict.code == 0);

  // The networks are held out and priced per image, as predict prices a model. The bound is
  // a guard against the old unit error (a half_batch in GEMM rows read as images made
  // ResNet-50 about 50x too slow), not the accuracy claim: on a shared machine timings move,
  // and docs/calibration.md reports the measured errors with the command that gives them.
  // The unit error gave +4,900%; a loaded fresh-clone run of the suite gave +96% (ResNet-50
  // measured while other tests ran on both cores), so the guard sits at 200%.
  const auto j = nlohmann::json::parse(first.out.substr(first.out.find('{')));
  int networks = 0;
  for (const auto& k : j.at("kernels")) {
    if (k.at("family") != "cnn") continue;
    ++networks;
    CHECK(k.at("held_out").get<bool>());
    CHECK(k.at("model") == "image");
    CHECK(std::abs(k.at("error").get<double>()) < 2.0);
  }
  CHECK(networks == 2);
}

TEST_CASE("calibrate checks --out before the benchmark: no overwrite without --force, no path it cannot write") {
  // A review lost a 38 s run to "Not a directory" (exit 1), and a rerun silently replaced an
  // earlier calibration. Both are refused now with exit 2 before any kernel is timed.
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "calibrate-out";
  fs::remove_all(work);
  fs::create_directories(work);
  { std::ofstream(work / "box.yaml") << "earlier calibration\n"; }
  { std::ofstream(work / "afile") << ""; }
  auto exists = sh("calibrate --quick --no-user-profiles --out " + (work / "box.yaml").string());
  auto notdir = sh("calibrate --quick --no-user-profiles --out " + (work / "afile" / "box4.yaml").string());
  auto price = sh("calibrate --quick --no-user-profiles --price 'cheap' --out " + (work / "box5.yaml").string());
  auto apply = sh("calibrate --quick --no-user-profiles --apply-to '' --out " + (work / "box6.yaml").string());
  INFO(exists.out);
  CHECK(exists.code == 2);
  CHECK(exists.out.find("--out") != std::string::npos);
  CHECK(exists.out.find("exists already; not overwritten (add --force") != std::string::npos);
  CHECK(exists.out.find("calibrate: timing") == std::string::npos);
  CHECK(slurp((work / "box.yaml").string()) == "earlier calibration\n");
  INFO(notdir.out);
  CHECK(notdir.code == 2);
  CHECK(notdir.out.find("--out") != std::string::npos);
  CHECK(notdir.out.find("calibrate: timing") == std::string::npos);
  INFO(price.out);
  CHECK(price.code == 2);
  CHECK(price.out.find("--price 'cheap'") != std::string::npos);
  INFO(apply.out);
  CHECK(apply.code == 2);
  CHECK(apply.out.find("empty") != std::string::npos);
}

TEST_CASE("calibrate whose --out cannot be written after the benchmark prints the report and the profile, exit 2") {
  // A review filled the disk under --out: after the whole benchmark calibrate printed only
  // "internal error: cannot write ..." (exit 1), the table and the profile lost. Here the
  // folder of --out is replaced by a plain file while the benchmark runs.
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "calibrate-lost";
  fs::remove_all(work);
  fs::create_directories(work / "gone");
  const std::string out = (work / "gone" / "lostbox.yaml").string();
  const std::string script = "(exec " + std::string(HWPLAN_BIN) + " calibrate --quick --no-user-profiles --out " + out + " >" +
                             (work / "stdout").string() + " 2>" + (work / "stderr").string() +
                             // once the benchmark runs (the checks of --out are behind it; slow under ASan)
                             ") & pid=$!; for i in $(seq 600); do grep -q 'timing round' " + (work / "stderr").string() +
                             " 2>/dev/null && break; sleep 0.2; done; rm -rf " +
                             (work / "gone").string() + "; touch " + (work / "gone").string() + "; wait $pid; echo rc=$?";
  { std::ofstream(work / "lost.sh") << script << "\n"; }
  FILE* p = popen(("bash " + (work / "lost.sh").string()).c_str(), "r");
  REQUIRE(p != nullptr);
  std::string text;
  char buf[256];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  pclose(p);
  const std::string sout = slurp((work / "stdout").string()), serr = slurp((work / "stderr").string());
  INFO(text);
  INFO(serr);
  CHECK(text.find("rc=2") != std::string::npos);
  CHECK(sout.find("held-out median |error|") != std::string::npos);  // the report
  CHECK(serr.find("--out " + out + ": the profile could not be written") != std::string::npos);
  CHECK(serr.find("# the measured profile (not saved):") != std::string::npos);
  CHECK(serr.find("id: lostbox") != std::string::npos);
  CHECK(serr.find("internal error") == std::string::npos);
}

TEST_CASE("calibrate --out naming a folder says it is a folder") {
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "calibrate-dir";
  fs::remove_all(work);
  fs::create_directories(work / "box.yaml");
  auto r = sh("calibrate --quick --no-user-profiles --out " + (work / "box.yaml").string());
  INFO(r.out);
  CHECK(r.code == 2);
  CHECK(r.out.find("director") != std::string::npos);
  CHECK(r.out.find("the file name is the profile id") == std::string::npos);
}

TEST_CASE("calibrate stops on SIGINT even when started with SIGINT ignored, and writes nothing") {
  // A background job of a non-interactive shell starts with SIGINT ignored; a review's
  // 'kill -INT' left calibrate running to the end. Exit 130 = 128 + SIGINT (2).
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "calibrate-int";
  fs::remove_all(work);
  fs::create_directories(work);
  const std::string out = (work / "intbox.yaml").string();
  const std::string script = "(trap '' INT; exec " + std::string(HWPLAN_BIN) + " calibrate --quick --no-user-profiles --out " +
                             out + " >" + (work / "log").string() + " 2>&1) & pid=$!; sleep 3; kill -INT $pid; wait $pid; echo rc=$?";
  { std::ofstream(work / "int.sh") << script << "\n"; }  // a file: no quoting of $! and $? for popen's sh
  FILE* p = popen(("bash " + (work / "int.sh").string()).c_str(), "r");
  REQUIRE(p != nullptr);
  std::string text;
  char buf[256];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  pclose(p);
  const std::string log = slurp((work / "log").string());
  INFO(text);
  INFO(log);
  CHECK(text.find("rc=130") != std::string::npos);
  CHECK(log.find("stopped by SIGINT; no profile written") != std::string::npos);
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("calibrate --price writes the price with its source. --format csv is numbers, files and notes on stderr. --apply-to keeps launch") {
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "calibrate-price";
  fs::remove_all(work);
  fs::create_directories(work);
  const std::string out = (work / "pricebox.yaml").string();
  const std::string cmd = std::string(HWPLAN_BIN) + " calibrate --quick --no-user-profiles --format csv --price '1200 USD' --apply-to nvidia-l4 --out " +
                          out + " >" + (work / "out.csv").string() + " 2>" + (work / "err.txt").string();
  const int st = std::system(cmd.c_str());
  const std::string csv = slurp((work / "out.csv").string());
  const std::string err = slurp((work / "err.txt").string());
  INFO(err);
  REQUIRE(WIFEXITED(st));
  REQUIRE(WEXITSTATUS(st) == 0);
  const auto lines = split_lines(csv);
  REQUIRE(!lines.empty());
  CHECK(lines[0].rfind("kernel,role,model,measured_s,spread_pct,rounds_spread_pct,predicted_s,error_pct,rate_gflop_per_s,rate_gb_per_s", 0) == 0);
  CHECK(csv.find(" us") == std::string::npos);  // no units inside the cells
  CHECK(csv.find("GFLOP/s") == std::string::npos);
  CHECK(err.find("profile: " + out) != std::string::npos);
  CHECK(err.find("note: ") != std::string::npos);  // at least the power estimate or the overhead note on a VM
  // The headline is the profile's own held-out rows; the separately fitted models apart, labelled.
  CHECK(err.find("held-out median |error|: ") != std::string::npos);
  CHECK(err.find("over the profile's ") != std::string::npos);
  CHECK(err.find("model fp64: held-out median |error| ") != std::string::npos);
  const std::string profile = slurp(out);
  CHECK(profile.find("held_out_median_abs_error: \"") != std::string::npos);
  CHECK(profile.find(" kernels\"") != std::string::npos);
  CHECK(profile.find("price: 1200 USD") != std::string::npos);
  CHECK(profile.find("given on the command line") != std::string::npos);
  const std::string applied = slurp((work / "nvidia-l4-calibrated.yaml").string());
  CHECK(applied.find("launch: 6 us") != std::string::npos);  // the catalogue's, kept
  CHECK(applied.find("999999") == std::string::npos);  // no unrounded figures (0.09999999999999996 ns)
  CHECK(profile.find("999999") == std::string::npos);
}

TEST_CASE("calibrate refuses before the benchmark: a user catalogue path that is a file, --out in the catalogue's folders") {
  // A review (rev-calib items 2 and 4): HWPLAN_USER_PROFILES naming a plain file benchmarked,
  // then died with "internal error: ... Not a directory" (exit 1, table lost); --out into the
  // catalogue's hardware_profiles/ was accepted and listed as bundled at 0.00 USD.
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "calibrate-refuse";
  fs::remove_all(work);
  fs::create_directories(work / "cat" / "hardware_profiles");
  fs::create_directories(work / "cat" / "scenarios" / "models");
  { std::ofstream(work / "ufile") << ""; }
  const std::string src = std::string(HWPLAN_TEST_DATA) + "/../../";
  fs::copy_file(src + "hardware_profiles/nvidia-l4.yaml", work / "cat" / "hardware_profiles" / "nvidia-l4.yaml");
  fs::copy_file(src + "scenarios/models/resnet50.yaml", work / "cat" / "scenarios" / "models" / "resnet50.yaml");
  auto ufile = sh("calibrate --quick --add --out " + (work / "box1.yaml").string(), "HWPLAN_USER_PROFILES=" + (work / "ufile").string());
  auto under = sh("calibrate --quick --add --out " + (work / "box2.yaml").string(),
                  "HWPLAN_USER_PROFILES=" + (work / "ufile" / "sub").string());
  const std::string cat = " --no-user-profiles --catalogue " + (work / "cat").string();
  auto incat = sh("calibrate --quick" + cat + " --out " + (work / "cat" / "hardware_profiles" / "mybox.yaml").string());
  auto inmodels = sh("calibrate --quick" + cat + " --out " + (work / "cat" / "scenarios" / "models" / "mybox.yaml").string());
  INFO(ufile.out);
  CHECK(ufile.code == 2);
  CHECK(ufile.out.find("--add: the user catalogue folder " + (work / "ufile").string() + " (HWPLAN_USER_PROFILES)") != std::string::npos);
  CHECK(ufile.out.find("is not a folder; expected a folder of profile YAML files") != std::string::npos);
  CHECK(ufile.out.find("calibrate: timing") == std::string::npos);  // refused before the benchmark
  CHECK_FALSE(fs::exists(work / "box1.yaml"));
  INFO(under.out);
  CHECK(under.code == 2);
  CHECK(under.out.find((work / "ufile").string() + " is not a folder") != std::string::npos);
  CHECK(under.out.find("calibrate: timing") == std::string::npos);
  INFO(incat.out);
  CHECK(incat.code == 2);
  CHECK(incat.out.find("the bundled catalogue's profile folder") != std::string::npos);
  CHECK(incat.out.find("calibrate: timing") == std::string::npos);
  CHECK_FALSE(fs::exists(work / "cat" / "hardware_profiles" / "mybox.yaml"));
  INFO(inmodels.out);
  CHECK(inmodels.code == 2);
  CHECK(inmodels.out.find("the catalogue's model folder") != std::string::npos);
  CHECK_FALSE(fs::exists(work / "cat" / "scenarios" / "models" / "mybox.yaml"));
}

TEST_CASE("calibrate --gpu-power-max: checked before the benchmark. refused where no GPU profile can be written") {
  // rev-calib item 7: the GPU profile's power.max was a fixed 300 W for any card; the option
  // gives the board power. A build without the CUDA path refuses it (nothing would use it);
  // one with it refuses here too, as gbox-gpu.yaml exists (no overwrite without --force).
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "calibrate-gpu-power";
  fs::remove_all(work);
  fs::create_directories(work);
  { std::ofstream(work / "gbox-gpu.yaml") << "earlier GPU calibration\n"; }
  const std::string out = " --no-user-profiles --out " + (work / "gbox.yaml").string();
  auto bad = sh("calibrate --quick --gpu-power-max lots" + out);
  auto neg = sh("calibrate --quick --gpu-power-max '-5 W'" + out);
  auto good = sh("calibrate --quick --gpu-power-max '700 W'" + out);
  INFO(bad.out);
  CHECK(bad.code == 2);
  CHECK(bad.out.find("--gpu-power-max 'lots'") != std::string::npos);
  CHECK(bad.out.find("expected the board power, like '700 W'") != std::string::npos);
  INFO(neg.out);
  CHECK(neg.code == 2);
  CHECK(neg.out.find("--gpu-power-max '-5 W'") != std::string::npos);
  INFO(good.out);
  CHECK(good.code == 2);
  CHECK((good.out.find("this hwplan has no GPU path") != std::string::npos ||
         good.out.find((work / "gbox-gpu.yaml").string() + " exists already") != std::string::npos));
  for (const auto* r : {&bad, &neg, &good}) CHECK(r->out.find("calibrate: timing") == std::string::npos);
  CHECK(slurp((work / "gbox-gpu.yaml").string()) == "earlier GPU calibration\n");
  CHECK_FALSE(fs::exists(work / "gbox.yaml"));
}

TEST_CASE("calibrate --add with --out naming the user catalogue file writes it once and prints the report") {
  // A review (rev-calib item 1): it benchmarked, wrote the file, then refused its own file
  // ("exists already; not overwritten", exit 2) and printed no report.
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "calibrate-add-self";
  fs::remove_all(work);
  fs::create_directories(work / "user");
  const std::string file = (work / "user" / "selfbox.yaml").string();
  auto r = sh("calibrate --quick --add --format json --out " + file, "HWPLAN_USER_PROFILES=" + (work / "user").string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("exists already") == std::string::npos);
  const auto j = nlohmann::json::parse(r.out.substr(r.out.find('{')));
  CHECK(j.at("profile") == file);
  CHECK(j.at("user_catalogue_profile") == file);
  CHECK(j.at("kernels").size() > 10);  // the report is there
  auto shown = sh("profiles show selfbox", "HWPLAN_USER_PROFILES=" + (work / "user").string());
  CHECK(shown.code == 0);
  CHECK(shown.out.find("(user)") != std::string::npos);
}

TEST_CASE("profiles show/list --format json carry every group the table prints") {
  // Review (rev-catalogue item 2): the JSON left out power modes, gpu_hour, server,
  // interconnect, decode, render, operating, reliability and datacenter_use, which the table
  // printed (and whose sources the JSON did print).
  auto list = sh("profiles list --no-user-profiles --format json");
  REQUIRE(list.code == 0);
  const auto all = nlohmann::json::parse(list.out);
  REQUIRE(all.size() >= 31);
  // The table's own lines; any other group it prints must have a JSON key.
  const std::map<std::string, std::string> json_key{
      {"gpu_hour", "gpu_hour"},   {"server", "server"},           {"interconnect", "interconnect"},
      {"decode", "decode_1080p30_streams"}, {"render", "render"}, {"operating", "operating"},
      {"reliability", "reliability"}, {"datacenter_use", "datacenter_use"}, {"on-chip", "on_chip_bytes"}};
  const std::vector<std::string> fixed{"class", "form", "accelerators", "peak", "memory", "efficiency", "overhead",
                                       "power", "price", "interfaces", "environment", "sources:", "file"};
  int groups = 0;
  for (const auto& p : all) {
    const std::string id = p.at("id").get<std::string>();
    auto table = sh("profiles show " + id + " --no-user-profiles");
    auto one = sh("profiles show " + id + " --no-user-profiles --format json");
    REQUIRE(one.code == 0);
    const auto j = nlohmann::json::parse(one.out);
    CHECK(j == p);  // show and list give the same object
    for (const auto& l : split_lines(table.out)) {
      if (l.rfind("  ", 0) != 0 || l.rfind("   ", 0) == 0) continue;  // group lines only, not sources
      const std::string k = l.substr(2, l.find(' ', 2) - 2);
      if (std::find(fixed.begin(), fixed.end(), k) != fixed.end()) continue;
      INFO(id << ": table prints '" << k << "'");
      REQUIRE(json_key.contains(k));
      CHECK(j.contains(json_key.at(k)));
      ++groups;
    }
    if (table.out.find(", modes ") != std::string::npos) CHECK(!j.at("power_modes_w").empty());
  }
  CHECK(groups > 30);
  auto find = [&](const std::string& id) {
    for (const auto& p : all)
      if (p.at("id") == id) return p;
    FAIL("no profile " << id);
    return nlohmann::json();
  };
  const auto dgx = find("dgx-h100");
  CHECK(dgx.at("gpu_hour").at("on_demand_per_hour").at("amount").get<double>() == doctest::Approx(4.25));
  CHECK(dgx.at("interconnect").at("kind") == "nvlink4");
  CHECK(dgx.at("interconnect").at("bandwidth_bytes_per_s").get<double>() == doctest::Approx(450e9));
  const auto agx = find("jetson-agx-orin-64gb");
  CHECK(agx.at("power_modes_w") == nlohmann::json({15.0, 30.0, 50.0, 60.0}));
  CHECK(agx.at("decode_1080p30_streams").at("h265").get<double>() == 22);
  CHECK(agx.at("operating").at("temperature_c").at("max").get<double>() == 50);
  CHECK(agx.at("operating").at("ingress") == "IP20");
  CHECK(agx.at("reliability").at("mtbf_s").get<double>() == doctest::Approx(50000.0 * 3600));
  CHECK(find("nvidia-rtx-4090").at("datacenter_use") == false);
  CHECK(find("nvidia-l4").at("datacenter_use") == true);
  CHECK(find("amd-mi300x").at("server").at("gpus") == nlohmann::json({8}));
}

TEST_CASE("profiles list shows a profile without a price as none, not 0.00 USD") {
  // A review (rev-calib item 3): list said "0.00 USD" (JSON amount 0.0) for a calibrated
  // profile without --price, while show said "none given".
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "list-no-price";
  fs::remove_all(work);
  fs::create_directories(work / "user");
  {
    std::ifstream in(std::string(HWPLAN_TEST_DATA) + "/../../hardware_profiles/hailo-8.yaml");
    REQUIRE(in.good());
    std::ofstream out(work / "user" / "np-box.yaml");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("price", 0) == 0 || line.rfind("  price:", 0) == 0) continue;  // price, price_year, sources.price
      if (line.rfind("id:", 0) == 0) line = "id: np-box";
      out << line << "\n";
    }
  }
  const std::string env = "HWPLAN_USER_PROFILES=" + (work / "user").string();
  auto table = sh("profiles list --class accelerator", env);
  auto csv = sh("profiles list --class accelerator --format csv", env);
  auto json = sh("profiles list --class accelerator --format json", env);
  INFO(table.out);
  REQUIRE(table.code == 0);
  std::string row;
  for (const auto& l : split_lines(table.out))
    if (l.rfind("np-box ", 0) == 0) row = l;
  REQUIRE(!row.empty());
  CHECK(row.find(" none ") != std::string::npos);
  CHECK(row.find("0.00") == std::string::npos);
  CHECK(row.find("USD") == std::string::npos);
  INFO(csv.out);
  std::vector<std::string> header, cells;
  for (const auto& l : split_lines(csv.out)) {
    if (l.rfind("id,", 0) == 0) header = split_csv(l);
    if (l.rfind("np-box,", 0) == 0) cells = split_csv(l);
  }
  REQUIRE(header.size() == cells.size());
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == "price" || header[i] == "currency") CHECK(cells[i].empty());
  }
  const auto j = nlohmann::json::parse(json.out.substr(json.out.find('[')));
  bool seen = false, priced_seen = false;
  for (const auto& p : j) {
    if (p.at("id") == "np-box") {
      seen = true;
      CHECK(p.at("price").is_null());
    } else if (p.at("id") == "hailo-8") {
      priced_seen = true;
      CHECK(p.at("price").at("amount").get<double>() > 0);  // a priced profile keeps its amount
    }
  }
  CHECK(seen);
  CHECK(priced_seen);
}

TEST_CASE("validate-model with --catalogue DIR (no tests/ there) uses the bundled set") {
  // A review (rev-calib item 5): exit 2, "DIR/tests/validation/published: not a folder of
  // published-measurement CSV files", though the help promised the bundled set.
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "validate-model-catalogue";
  fs::remove_all(work);
  fs::create_directories(work / "cat" / "scenarios");
  const fs::path src = fs::path(HWPLAN_TEST_DATA) / ".." / "..";
  fs::create_directory_symlink(fs::canonical(src / "hardware_profiles"), work / "cat" / "hardware_profiles");
  fs::create_directory_symlink(fs::canonical(src / "scenarios" / "models"), work / "cat" / "scenarios" / "models");
  auto r = sh("validate-model --no-user-profiles --format json --catalogue " + (work / "cat").string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out.substr(r.out.find('{')));
  CHECK(fs::equivalent(j.at("set").get<std::string>(), src / "tests" / "validation" / "published"));
  CHECK(!j.at("rows").empty());
}

TEST_CASE("predict: a device with no precision the model allows suggests --precision") {
  // A review (rev-calib item 10): a calibrated (fp32-only) profile and llama2-7b:decode ended
  // in "no compute at any precision" with no way out named. raspberry-pi-5 has fp32 only;
  // llama2-7b allows fp16, int8, fp8, fp4.
  auto r = sh("predict --no-user-profiles --hardware raspberry-pi-5 --model llama2-7b:decode");
  INFO(r.out);
  CHECK(r.code == 2);
  CHECK(r.out.find("has no compute at any precision") != std::string::npos);
  CHECK(r.out.find("llama2-7b:decode allows fp16, int8, fp8, fp4: add --precision fp32") != std::string::npos);
  auto ok = sh("predict --no-user-profiles --hardware raspberry-pi-5 --model mobilenet-v2 --precision fp32");
  CHECK(ok.code == 0);
}

TEST_CASE("validate-model: an unknown device is an error at its cell. a row that cannot be predicted is counted") {
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "validate-model-rows";
  fs::remove_all(work);
  fs::create_directories(work / "typo");
  fs::create_directories(work / "nofit");
  const std::string header = "device,accelerators,model,precision,scenario,bound,value,unit,group,role,source\n";
  { std::ofstream(work / "typo" / "a.csv") << header << "nvidia-l4,1,resnet50,int8,offline,,3000,samples/s,vision_offline,check,x\n"
                                           << "nvidia-l4x,1,resnet50,int8,offline,,100,samples/s,vision_offline,check,x\n"; }
  { std::ofstream(work / "nofit" / "a.csv") << header << "nvidia-l4,1,resnet50,int8,offline,,3000,samples/s,vision_offline,check,x\n"
                                            << "coral-usb,1,bert-large,fp16,offline,,100,samples/s,bert,check,y\n"; }
  auto typo = sh("validate-model --no-user-profiles --set " + (work / "typo").string());
  auto nofit = sh("validate-model --no-user-profiles --set " + (work / "nofit").string());
  auto csv = sh("validate-model --no-user-profiles --format csv --set " + (work / "nofit").string());
  INFO(typo.out);
  CHECK(typo.code == 2);
  CHECK(typo.out.find((work / "typo" / "a.csv").string() + ":3:1") != std::string::npos);  // line 3, column 1
  CHECK(typo.out.find("nvidia-l4x") != std::string::npos);
  INFO(nofit.out);
  CHECK(nofit.code == 0);
  CHECK(nofit.out.find((work / "nofit" / "a.csv").string() + ":3: bert-large on coral-usb: not predicted") != std::string::npos);
  CHECK(nofit.out.find("(1 rows, fit and check rows together") != std::string::npos);
  CHECK(nofit.out.find("1 more not predicted") != std::string::npos);
  INFO(csv.out);
  CHECK(csv.out.find("bound_ms") != std::string::npos);
  CHECK(csv.out.find(",source,problem") != std::string::npos);
}

TEST_CASE("validate-model --format csv: measured and predicted as plain numbers at full precision") {
  // A source's 760715 samples/s was printed 7.607e+05 (four digits, exponent form).
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "validate-model-plain";
  fs::remove_all(work);
  fs::create_directories(work);
  { std::ofstream(work / "a.csv") << "device,accelerators,model,precision,scenario,bound,value,unit,group,role,source\n"
                                  << "nvidia-h200-sxm,8,resnet50,int8,offline,,760715,samples/s,vision_offline,check,x\n"
                                  << "nvidia-l4,1,resnet50,int8,offline,,3456.789,samples/s,vision_offline,check,y\n"; }
  auto r = sh("validate-model --no-user-profiles --format csv --set " + work.string());
  INFO(r.out);
  REQUIRE(r.code == 0);
  std::vector<std::string> header, big, small;
  for (const auto& line : split_lines(r.out)) {
    if (line.rfind("device,", 0) == 0) header = split_csv(line);
    if (line.rfind("nvidia-h200-sxm,", 0) == 0) big = split_csv(line);
    if (line.rfind("nvidia-l4,", 0) == 0) small = split_csv(line);
  }
  const auto col = [&](const std::string& name) { return std::size_t(std::find(header.begin(), header.end(), name) - header.begin()); };
  REQUIRE(col("predicted") < header.size());
  REQUIRE(big.size() == header.size());
  REQUIRE(small.size() == header.size());
  CHECK(big[col("measured")] == "760715");
  CHECK(small[col("measured")] == "3456.789");
  for (const auto& row : {big, small}) {
    const std::string& p = row[col("predicted")];
    CHECK(p.find_first_of("eE") == std::string::npos);
    CHECK(std::strtod(p.c_str(), nullptr) > 0);
  }
  // The predicted figure has more than the table's four significant digits.
  std::string digits;
  for (char ch : big[col("predicted")]) if (std::isdigit(static_cast<unsigned char>(ch))) digits += ch;
  CHECK(digits.size() > 4);
}

TEST_CASE("a user profile without a price is warned about: recommend rejects the candidates that use it") {
  // A review's calibrated profile (no price) was costed at 0 USD with no warning.
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "user-no-price";
  fs::remove_all(work);
  fs::create_directories(work / "user");
  {
    std::ifstream in(std::string(HWPLAN_TEST_DATA) + "/../../hardware_profiles/hailo-8.yaml");
    REQUIRE(in.good());
    std::ofstream out(work / "user" / "my-npu.yaml");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("price", 0) == 0 || line.rfind("  price:", 0) == 0) continue;  // price, price_year, sources.price
      if (line.rfind("id:", 0) == 0) line = "id: my-npu";
      out << line << "\n";
    }
  }
  auto shown = sh("profiles show my-npu", "HWPLAN_USER_PROFILES=" + (work / "user").string());
  INFO(shown.out);
  CHECK(shown.code == 0);
  CHECK(shown.out.find("warning: user profile 'my-npu'") != std::string::npos);
  CHECK(shown.out.find("has no price: recommend rejects the candidates that use it") != std::string::npos);
  CHECK(shown.out.find("price        none given") != std::string::npos);
}

TEST_CASE("recommend rejects hardware whose profile has no price instead of costing it at 0") {
  // A review: jetson-orin-nano-super without its price won retail-footfall at "capex 0 USD".
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "catalogue-no-price";
  fs::remove_all(work);
  fs::create_directories(work / "cat" / "scenarios");
  fs::copy(kSrc + "/hardware_profiles", work / "cat" / "hardware_profiles", fs::copy_options::recursive);
  fs::copy(kSrc + "/scenarios/models", work / "cat" / "scenarios" / "models", fs::copy_options::recursive);
  const fs::path jetson = work / "cat" / "hardware_profiles" / "jetson-orin-nano-super.yaml";
  {
    std::ifstream in(kSrc + "/hardware_profiles/jetson-orin-nano-super.yaml");
    REQUIRE(in.good());
    std::ofstream out(jetson, std::ios::trunc);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("price", 0) == 0 || line.rfind("  price:", 0) == 0) continue;  // price, price_year, sources.price
      out << line << "\n";
    }
  }
  auto o = sh("recommend " + kSrc + "/scenarios/retail-footfall.yaml --no-sensitivity --no-user-profiles --catalogue " +
              (work / "cat").string() + " --cache-dir " + (work / "cache").string() + " --out " + (work / "r.csv").string());
  INFO(o.out);
  CHECK(o.code == 0);
  CHECK(o.out.find("jetson-orin-nano-super has no price in its profile (" + jetson.string() + "), so its cost cannot be computed") !=
        std::string::npos);
  // It is neither ranked nor recommended; priced hardware wins.
  CHECK(o.out.find("edge jetson-orin-nano-super x1/site                                    -") != std::string::npos);
  const auto rec = o.out.find("Recommendation\n  ");
  REQUIRE(rec != std::string::npos);
  CHECK(o.out.compare(rec + 17, 20, "edge jetson-orin-nan") != 0);
}

TEST_CASE("predict notes a precision fallback and its JSON max_batch is the memory cap. profiles show prints every sourced group") {
  // Review 40: fp4 on nvidia-h100-sxm silently ran int8; llama2-7b:decode JSON said
  // max_batch 1024 while the text said 61; profiles show printed sources of figures it did
  // not show, and hailo-8 (no capacity given = no limit) as 0 B.
  auto fp4 = sh("predict --no-user-profiles --hardware nvidia-h100-sxm --model resnet50 --precision fp4");
  INFO(fp4.out);
  CHECK(fp4.code == 0);
  CHECK(fp4.out.find("note: --precision fp4: nvidia-h100-sxm has no fp4 compute for this model: runs at int8") != std::string::npos);
  auto llm = sh("predict --no-user-profiles --hardware nvidia-h100-sxm --model llama2-7b:decode --format json");
  auto llm_text = sh("predict --no-user-profiles --hardware nvidia-h100-sxm --model llama2-7b:decode");
  const auto j = nlohmann::json::parse(llm.out);
  const int cap = j.at("offline").at("max_batch").get<int>();
  CHECK(cap < 1024);
  CHECK(j.at("offline").at("max_batch_requested").get<int>() == 1024);
  CHECK(llm_text.out.find("max batch " + std::to_string(cap) + ", the most that fits in memory") != std::string::npos);
  auto hailo = sh("profiles show hailo-8 --no-user-profiles");
  CHECK(hailo.out.find("memory       no limit given") != std::string::npos);
  CHECK(hailo.out.find("0 B") == std::string::npos);
  auto dgx = sh("profiles show dgx-h100 --no-user-profiles");
  CHECK(dgx.out.find("  gpu_hour     {on_demand: 4.25 USD/h}") != std::string::npos);
  CHECK(dgx.out.find("  interconnect {kind: nvlink4") != std::string::npos);
  auto exact = sh("profiles show NVIDIA-L4 --no-user-profiles");
  CHECK(exact.out.find("did you mean 'nvidia-l4'?") != std::string::npos);
}

TEST_CASE("cli: --limit takes one NAME=VALUE, before or after the subcommand, and leaves the scenario after it alone") {
  const fs::path dir = fs::temp_directory_path() / ("hwplan-cli-limit-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  // 2500 sites of one camera each: above the default limit of 2000 sites.
  const fs::path f = dir / "many.yaml";
  std::ofstream(f) << "name: many sites\nduration: 20 s\nwarmup: 2 s\nsites:\n  - id: shop\n    count: 2500\n"
                      "    access: {type: wifi6}\n    backhaul: {type: wan, bandwidth: 100 Mbps}\nstreams:\n  - id: cam\n"
                      "    site: shop\n    sources: 1\n    arrival: {process: poisson, rate: 1 /s}\n    payload: 10 KB\n"
                      "    pipeline:\n      - {id: detect, model: yolov8n, precision: int8}\n"
                      "    slo: {percentile: 99, latency: 80 ms, max_violation: 1 %}\ncosts:\n  currency: USD\n"
                      "candidates:\n  - {family: edge, hardware: jetson-orin-nano-super}\n";
  CHECK(sh("run " + f.string() + " --dump-inputs").code == 2);  // over the limit
  // Before the file (it read "error: scenario is required"), after it, before the subcommand.
  for (const std::string& args : {"run --limit sites=10000 " + f.string() + " --dump-inputs",
                                 "run " + f.string() + " --limit sites=10000 --dump-inputs",
                                 "--limit sites=10000 run " + f.string() + " --dump-inputs",
                                 "run --limit sites=10000 --limit sources=3000000 " + f.string() + " --dump-inputs"}) {
    const auto o = sh(args);
    CHECK_MESSAGE(o.code == 0, args, "\n", o.out);
    CHECK(o.out.find("\"duration_s\"") != std::string::npos);
  }
  // The default limits in --help read as docs/input-format.md gives them.
  const auto help = sh("--help");
  CHECK(help.out.find("duration=7 d") != std::string::npos);  // was "duration=6.05e+05 s"
  fs::remove_all(dir);
}

TEST_CASE("cli: output for people has no exponent form. run on batch jobs alone shows makespan and says what it simulated") {
  const fs::path dir = fs::temp_directory_path() / ("hwplan-cli-people-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto models = sh("models list");
  CHECK(models.code == 0);
  CHECK(models.out.find("e+") == std::string::npos);  // llama2-70b weights_mb read "1.38e+05"
  auto o = sh("run " + kSrc + "/scenarios/film-rendering.yaml --out " + (dir / "film.csv").string());
  REQUIRE(o.code == 0);
  CHECK(o.out.find("e+") == std::string::npos);  // "8.957e+06 s simulated", "6.9e+10 samples take 4.6e+05 h"
  CHECK(o.out.find("20 s simulated") == std::string::npos);
  CHECK(o.out.find("batch jobs only: each until its last job finishes") != std::string::npos);
  CHECK(o.out.find("69 billion samples take") != std::string::npos);
  // The table: makespan and deadline columns, not columns of "-" for latency.
  const auto lines = split_lines(o.out);
  const auto header = std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l.rfind("candidate", 0) == 0; });
  REQUIRE(header != lines.end());
  CHECK(header->find("makespan h") != std::string::npos);
  CHECK(header->find("deadline h") != std::string::npos);
  CHECK(header->find("p99 ms") == std::string::npos);
  // 5 servers of 8 L40S: its job line says 2787 h as days, against the 2880 h (120 d) deadline.
  CHECK(o.out.find("deadline 120 d met") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("cli: a run stopped by --max-events names the option, not the engine's field") {
  const fs::path dir = fs::temp_directory_path() / ("hwplan-cli-budget-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto o = sh("run " + kSrc + "/scenarios/factory-vision.yaml --max-events 50 --out " + (dir / "r.csv").string());
  CHECK(o.code == 2);
  CHECK(o.out.find("EngineOptions") == std::string::npos);
  CHECK(o.out.find("(--max-events 50)") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("cli: a misspelt command or option is named with the nearest one, wherever it stands") {
  const std::string scenario = kSrc + "/scenarios/factory-vision.yaml";
  // After a global option: CLI11 said only "A subcommand is required".
  auto o = sh("--limit sites=10 recomend x.yaml");
  CHECK(o.code == 2);
  CHECK(o.out.find("error: unknown command 'recomend'; did you mean 'recommend'?") != std::string::npos);
  o = sh("--verison");
  CHECK(o.code == 2);
  CHECK(o.out.find("error: unknown option '--verison'; did you mean '--version'?") != std::string::npos);
  CHECK(o.out.find("subcommand is required") == std::string::npos);
  // After the command's argument, with a value: was "not expected: 1 --jbos".
  o = sh("recommend " + scenario + " --jbos 1");
  CHECK(o.code == 2);
  CHECK(o.out.find("error: unknown option '--jbos' for 'hwplan recommend'; did you mean '--jobs'?") != std::string::npos);
  CHECK(o.out.find("Run 'hwplan recommend --help'") != std::string::npos);
  o = sh("recommend --jbos=1 " + scenario);
  CHECK(o.out.find("unknown option '--jbos' for 'hwplan recommend'; did you mean '--jobs'?") != std::string::npos);
  // Extra words in the order given.
  o = sh("recommend " + scenario + " extra1 extra2");
  CHECK(o.code == 2);
  CHECK(o.out.find("error: unexpected arguments 'extra1' 'extra2'") != std::string::npos);
  // A subcommand's typo, and its help named with the whole path.
  o = sh("profiles lst");
  CHECK(o.code == 2);
  CHECK(o.out.find("error: unknown command 'profiles lst'; did you mean 'profiles list'?") != std::string::npos);
  o = sh("profiles list --clas edge");
  CHECK(o.out.find("unknown option '--clas' for 'hwplan profiles list'; did you mean '--class'?") != std::string::npos);
  CHECK(o.out.find("Run 'hwplan profiles list --help'") != std::string::npos);
  // An empty word: no "hwplan  --help" with two spaces.
  o = sh("''");
  CHECK(o.code == 2);
  CHECK(o.out.find("error: an empty word where a command was expected") != std::string::npos);
  CHECK(o.out.find("hwplan  ") == std::string::npos);
  o = sh("--limit sites=10");
  CHECK(o.code == 2);
  CHECK(o.out.find("error: no command given") != std::string::npos);
  // What is right still parses: short options, '=' values, option groups, a value starting with '-'.
  CHECK(sh("validate -q " + scenario).code == 0);
  CHECK(sh("--limit=sites=100 validate --quiet " + scenario).code == 0);
  CHECK(sh("generate-docs --bash").code == 0);
  CHECK(sh("--version").code == 0);
}

TEST_CASE("calibrate refuses a --price or --gpu-power-max the profile loader would refuse, before the benchmark") {
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "calibrate-bounds";
  fs::remove_all(work);
  fs::create_directories(work);
  const std::string out = " --out " + (work / "box.yaml").string();
  // 1e30 USD started the benchmark, and the profile written would have failed validate.
  auto price = sh("calibrate --quick --no-user-profiles --price '1e30 USD'" + out);
  CHECK(price.code == 2);
  CHECK(price.out.find("error: --price '1e30 USD': the value is too large: at most 1e15 USD is accepted") != std::string::npos);
  CHECK(price.out.find("calibrate: ") == std::string::npos);  // no benchmark started
  auto power = sh("calibrate --quick --no-user-profiles --gpu-power-max '1e11 W'" + out);
  CHECK(power.code == 2);
  CHECK(power.out.find("error: --gpu-power-max '1e11 W': the value is too large: at most 1e10 W") != std::string::npos);
  CHECK(power.out.find("calibrate: ") == std::string::npos);
  CHECK_FALSE(fs::exists(work / "box.yaml"));
  fs::remove_all(work);
}

TEST_CASE("a failed standard output is said once, with the system's reason, exit 2 as --help says") {
  const std::string scenario = kSrc + "/scenarios/factory-vision.yaml";
  const fs::path work = fs::path(HWPLAN_WORK_DIR) / "stdout-full";
  fs::create_directories(work);
  auto count = [](const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
  };
  // Standard output to /dev/full, standard error read (sh() sends both to one pipe).
  auto full_stdout = [](const std::string& args) {
    Outcome o;
    FILE* p = popen((std::string(HWPLAN_BIN) + " " + args + " 2>&1 >/dev/full").c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[4096];
    size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) o.out.append(buf, n);
    const int st = pclose(p);
    o.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return o;
  };
  // The report as standard output: was this line and then "cannot write to standard output:
  // Input/output error".
  auto o = full_stdout("recommend " + scenario + " --jobs 1 --no-cache --out -");
  CHECK(o.code == 2);
  CHECK(o.out.find("error: cannot write the report to standard output: No space left on device") != std::string::npos);
  CHECK(count(o.out, "error: ") == 1);
  CHECK(o.out.find("Input/output error") == std::string::npos);
  // The table to standard output, the report to a file: the reason was "Input/output error"
  // (recommend's own unchecked flush had taken it).
  o = full_stdout("recommend " + scenario + " --jobs 1 --no-cache --out " + (work / "r.csv").string());
  CHECK(o.code == 2);
  CHECK(o.out.find("error: cannot write to standard output: No space left on device") != std::string::npos);
  CHECK(count(o.out, "error: ") == 1);
  CHECK(o.out.find("Input/output error") == std::string::npos);
  // Standard error that cannot be written: exit 2, not SIGABRT (134) from an error message
  // that threw while another was handled.
  CHECK(sh("validate /nonexistent.yaml 2>/dev/full; echo rc=$?").out.find("rc=2") != std::string::npos);
  // --help says which exit code that is.
  const auto help = sh("--help");
  CHECK(help.out.find("2 bad input or usage, or a problem of the") != std::string::npos);
  CHECK(help.out.find("standard output that cannot be written") != std::string::npos);
  fs::remove_all(work);
}

// The man page and completions of 'hwplan generate-docs' (cli/shell_docs.cpp), read by
// groff, bash and zsh as a user's system would.
namespace {

// A shell command line, stdout and stderr together.
Outcome shell(const std::string& cmd) {
  Outcome o;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) o.out.append(buf, n);
  int st = pclose(p);
  o.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return o;
}

bool have(const std::string& tool) { return shell("command -v " + tool + " >/dev/null").code == 0; }

std::string squeeze(const std::string& s) {  // runs of white space as one space
  std::string out;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else out += c;
  }
  return out;
}

// Writes 'hwplan generate-docs --WHAT' to the work folder; returns the path.
std::string generated(const std::string& what) {
  fs::create_directories(HWPLAN_WORK_DIR);
  const std::string path = std::string(HWPLAN_WORK_DIR) + "/generated." + what;
  REQUIRE(sh("generate-docs --" + what + " > " + path).code == 0);
  return path;
}

// The words bash's completion offers with COMP_WORDS = hwplan + words (the last one the
// word under the cursor), run in a folder with one file, 'afile'.
std::string bash_offers(const std::string& script, const std::vector<std::string>& words) {
  const fs::path dir = fs::path(HWPLAN_WORK_DIR) / "completion-cwd";
  fs::create_directories(dir);
  std::ofstream(dir / "afile") << "";
  std::string arr = "hwplan";
  for (const auto& w : words) arr += " '" + w + "'";
  const std::string prog = "cd " + dir.string() + " && source " + script + " && COMP_WORDS=(" + arr +
                           ") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && { _hwplan; echo \"[${COMPREPLY[*]}]\"; }";
  std::ofstream(dir / "run.sh") << prog << "\n";
  auto o = shell("bash " + (dir / "run.sh").string());
  REQUIRE(o.code == 0);
  return o.out;
}

}  // namespace

TEST_CASE("the man page keeps every line and gives hwplan --help's exit status") {
  const std::string page = generated("man");
  const std::string src = slurp(page);
  // No line roff reads as a macro call other than those the generator writes: a line that
  // starts with ' or . is dropped (the footer's "'hwplan calibrate --add' write; ..." was).
  for (const auto& line : split_lines(src)) {
    if (line.empty() || (line[0] != '.' && line[0] != '\'')) continue;
    const std::string macro = line.substr(0, line.find(' '));
    CHECK_MESSAGE((macro == ".TH" || macro == ".SH" || macro == ".SS" || macro == ".TP" || macro == ".PP" || macro == ".nf" ||
                   macro == ".fi"),
                  line);
  }
  CHECK(src.find("\n\\&'hwplan calibrate \\-\\-add' write;") != std::string::npos);
  const auto help = sh("--help");
  const auto exit_at = help.out.find("Exit status:");
  REQUIRE(exit_at != std::string::npos);
  const std::string exit_status = squeeze(help.out.substr(exit_at));
  CHECK(exit_status.find("130/143 interrupted") != std::string::npos);
  if (!have("groff")) {
    MESSAGE("groff not installed: the page is not rendered");
    return;
  }
  // groff warns of nothing (an undefined macro was "macro 'hwplan' not defined").
  auto warnings = shell("groff -man -ww -z " + page);
  CHECK(warnings.code == 0);
  CHECK(warnings.out == "");
  // Rendered on one long line per paragraph: the footer line and --help's exit status, word for word.
  auto text = shell("groff -man -Tascii -P-cbou -rLL=3000n " + page);
  REQUIRE(text.code == 0);
  const std::string rendered = squeeze(text.out);
  CHECK(rendered.find("which hwplan-gui and 'hwplan calibrate --add' write; --no-user-profiles leaves it out") != std::string::npos);
  CHECK(rendered.find("EXIT STATUS " + exit_status) != std::string::npos);
  CHECK(rendered.find("NAME hwplan - choose edge, GPU or hybrid hardware") != std::string::npos);
}

TEST_CASE("the bash completion finds the (nested) command after global options and offers its options") {
  const std::string script = generated("bash");
  // A nested command's options, not its parent's subcommands.
  auto o = bash_offers(script, {"profiles", "list", "--"});
  CHECK(o.find("--class") != std::string::npos);
  CHECK(o.find("--format") != std::string::npos);
  CHECK(o.find("list") == std::string::npos);
  CHECK(bash_offers(script, {"models", "list", "--t"}) == "[--task]\n");
  CHECK(bash_offers(script, {"profiles", ""}) == "[list show]\n");
  // A global option and its value before the command, as bash splits them (COMP_WORDBREAKS
  // has '='): hwplan --limit sites=10 run --d, and --limit=sites=10.
  CHECK(bash_offers(script, {"--limit", "sites", "=", "10", "run", "--d"}) == "[--duration --dump-inputs]\n");
  CHECK(bash_offers(script, {"--limit", "=", "sites", "=", "10", "run", "--d"}) == "[--duration --dump-inputs]\n");
  CHECK(bash_offers(script, {"--limit", "sites", "=", "10", "pro"}) == "[profiles]\n");
  CHECK(bash_offers(script, {"--limit", "sites", "=", "10", "profiles", "--limit", "x", "list", "--cl"}) == "[--class]\n");
  // An option's value is a file, not an option or a command; so is a scenario.
  CHECK(bash_offers(script, {"run", "--format", "a"}) == "[afile]\n");
  CHECK(bash_offers(script, {"run", "a"}) == "[afile]\n");
  CHECK(bash_offers(script, {"r"}) == "[run recommend]\n");
}

TEST_CASE("the zsh completion quotes descriptions with apostrophes and finds nested commands") {
  const std::string script = generated("zsh");
  // The arrays as a shell reads them (bash's single quotes are zsh's): every element intact.
  const fs::path dir = fs::path(HWPLAN_WORK_DIR);
  {
    std::ofstream arrays(dir / "zsh-arrays.sh");
    for (const auto& line : split_lines(slurp(script))) {
      const auto at = line.find_first_not_of(' ');
      if (at != std::string::npos && line.compare(at, 6, "subs=(") == 0) arrays << line << "\nprintf '<%s>\\n' \"${subs[@]}\"\n";
    }
  }
  auto subs = shell("bash " + (dir / "zsh-arrays.sh").string());
  REQUIRE(subs.code == 0);
  CHECK(subs.out.find("<run:Simulate the scenario's candidate deployments and compare them>\n") != std::string::npos);
  CHECK(subs.out.find("<models:Browse the workload models (phases such as 'llama2-7b:decode' included)>\n") != std::string::npos);
  CHECK(subs.out.find("<list:List hardware profiles>\n") != std::string::npos);
  if (!have("zsh")) {
    MESSAGE("zsh not installed: the completion is not run in zsh");
    return;
  }
  auto syntax = shell("zsh -n " + script);
  CHECK(syntax.code == 0);
  CHECK(syntax.out == "");
  // _hwplan run by zsh with compsys' _describe and _files stubbed: what each would be given.
  auto offers = [&](const std::string& words, int current, const std::string& prefix) {
    std::ofstream(dir / "zsh-run.zsh") << "_describe() { printf '<%s>\\n' \"${(@P)${@[-1]}}\"; }\n"
                                       << "_files() { print FILES; }\n"
                                       << "words=(hwplan " << words << "); CURRENT=" << current << "; PREFIX='" << prefix << "'\n"
                                       << "source " << script << "\n";
    auto o = shell("zsh -f " + (dir / "zsh-run.zsh").string());
    CHECK(o.code == 0);
    return o.out;
  };
  auto o = offers("r", 2, "r");
  CHECK(o.find("<run:Simulate the scenario's candidate deployments and compare them>\n") != std::string::npos);
  o = offers("--limit sites=10 profiles list --", 6, "--");
  CHECK(o.find("<--class:") != std::string::npos);
  CHECK(o.find("<list:") == std::string::npos);
  CHECK(offers("profiles ''", 3, "").find("<show:Show one profile with its sources>\n") != std::string::npos);
  CHECK(offers("run --format ''", 4, "") == "FILES\n");
}

TEST_CASE("recommend and sweep refuse --out naming the --cache-dir folder, and --no-cache with --cache-dir, before any work") {
  const fs::path w = fs::path(HWPLAN_WORK_DIR) / "cache-vs-out";
  fs::remove_all(w);
  fs::create_directories(w);
  const std::string factory = std::string(HWPLAN_SOURCE_DIR) + "/scenarios/factory-vision.yaml";
  const std::string sweep = std::string(HWPLAN_SOURCE_DIR) + "/scenarios/sweeps/factory-slo-electricity.yaml";
  const std::string c4 = (w / "c4").string();
  // Was: the whole run, the answer, then "cannot write c4: Is a directory" (recommend); the
  // folder created, then "--out: c4 is a directory" (sweep).
  Outcome r = sh("recommend " + factory + " --jobs 1 --cache-dir " + c4 + " --out " + c4);
  CHECK(r.code == 2);
  CHECK(r.out.find("error: --out " + c4 + " and --cache-dir " + c4 + " name the same path") != std::string::npos);
  CHECK(r.out.find("planning") == std::string::npos);  // nothing ran
  CHECK_FALSE(fs::exists(c4));                          // nothing created
  r = sh("sweep " + sweep + " --cache-dir " + c4 + " --out " + c4 + "/");
  CHECK(r.code == 2);
  CHECK(r.out.find("name the same path") != std::string::npos);
  CHECK_FALSE(fs::exists(c4));
  for (const std::string& cmd : {"recommend " + factory, "sweep " + sweep}) {
    CAPTURE(cmd);
    r = sh(cmd + " --no-cache --cache-dir " + c4 + " --out " + (w / "x.csv").string());
    CHECK(r.code == 2);
    CHECK(r.out.find("error: --no-cache and --cache-dir " + c4 + " contradict each other") != std::string::npos);
    CHECK_FALSE(fs::exists(c4));
    CHECK_FALSE(fs::exists(w / "x.csv"));
  }
  fs::remove_all(w);
}

TEST_CASE("an option given twice is named with both values, not CLI11's 'At Most 1 required but received 2'") {
  const std::string factory = std::string(HWPLAN_SOURCE_DIR) + "/scenarios/factory-vision.yaml";
  Outcome r = sh("recommend " + factory + " --out a.csv --out=b.csv");
  CHECK(r.code == 2);
  CHECK(r.out.find("error: --out is given twice (a.csv, b.csv); give it once") != std::string::npos);
  CHECK(r.out.find("At Most") == std::string::npos);
  r = sh("run " + factory + " --seed 1 --seed 2 --seed 3");
  CHECK(r.code == 2);
  CHECK(r.out.find("error: --seed is given 3 times (1, 2, 3); give it once") != std::string::npos);
  r = sh("sweep " + std::string(HWPLAN_SOURCE_DIR) + "/scenarios/sweeps/factory-slo-electricity.yaml -j 2 --jobs 3");
  CHECK(r.code == 2);
  CHECK(r.out.find("error: --jobs is given twice (2, 3); give it once") != std::string::npos);
}

TEST_CASE("simulate refuses a finite but absurd duration or rate with the field's name, exit 2") {
  // 'duration_s: 1e308' gave exit 0 and "about inf requests ... 7.93e+298 y".
  const std::string factory = std::string(HWPLAN_SOURCE_DIR) + "/scenarios/factory-vision.yaml";
  const fs::path w = fs::path(HWPLAN_WORK_DIR) / "absurd";
  fs::create_directories(w);
  Outcome d = sh("run " + factory + " --dump-inputs");
  REQUIRE(d.code == 0);
  auto first = nlohmann::json::parse(d.out.substr(0, d.out.find('\n')));
  REQUIRE(first.contains("duration_s"));
  auto huge = first;
  huge["duration_s"] = 1e308;
  std::ofstream(w / "duration.json") << huge.dump();
  Outcome r = sh("simulate < " + (w / "duration.json").string());
  CHECK(r.code == 2);
  CHECK(r.out.find("field 'duration_s': 1e+308: the value is too large: at most 1e10 s") != std::string::npos);
  CHECK(r.out.find("inf") == std::string::npos);
  fs::remove_all(w);
}

TEST_CASE("run --dump-inputs ends quietly, exit 0, when its reader closes the pipe after one line") {
  // `hwplan run X --dump-inputs | head -1 | hwplan simulate` (the README's example) printed
  // "error: cannot write to standard output: Broken pipe" and exited 2 about half the time.
  // 63 candidates, about 98 KB of lines: more than a pipe holds, so the writer is still
  // writing when the reader closes, every time.
  const fs::path w = fs::path(HWPLAN_WORK_DIR) / "dump-pipe";
  fs::create_directories(w);
  std::string text;
  {
    std::ifstream in(std::string(HWPLAN_SOURCE_DIR) + "/scenarios/factory-vision.yaml");
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  REQUIRE(text.rfind("\ncandidates:") != std::string::npos);  // the last key: more candidates append
  for (int i = 0; i < 60; ++i) text += "  - {family: gpu, hardware: l4x4-server, servers: " + std::to_string(i % 4 + 1) + "}\n";
  const std::string scenario = (w / "many.yaml").string();
  std::ofstream(scenario) << text;
  // Writes `args` to a pipe whose reader takes one line, byte by byte, and closes it.
  auto first_line_then_close = [&](const std::vector<std::string>& args, std::string& err) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const std::string err_file = (w / "stderr").string();
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(fds[0]);
      ::dup2(fds[1], 1);
      ::close(fds[1]);
      if (std::FILE* e = std::freopen(err_file.c_str(), "w", stderr); e == nullptr) ::_exit(126);
      std::vector<std::string> a{HWPLAN_BIN};
      a.insert(a.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& s : a) argv.push_back(s.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    std::string line;
    char c = 0;
    while (::read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(fds[0]);
    int st = 0;
    ::waitpid(pid, &st, 0);
    std::ifstream in(err_file);
    err.assign(std::istreambuf_iterator<char>(in), {});
    REQUIRE_FALSE(line.empty());
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  };
  for (int i = 0; i < 3; ++i) {
    std::string err;
    const int code = first_line_then_close({"run", scenario, "--dump-inputs"}, err);
    INFO(err);
    CHECK(code == 0);
    CHECK(err.find("error:") == std::string::npos);
  }
  // An answer cut short (run's table, recommend's) still fails with the reason: the pipe test
  // in reliability_test.cpp.
  fs::remove_all(w);
}

TEST_CASE("profiles and models lists in CSV hold numbers in numeric columns. the bf16 mark is a column of its own") {
  // A reviewer loading the CSVs in Python: fp16_tflops held '14.7 (bf16)' and models' input
  // and output '4.6 KB', '1.92 MB'; the JSON listed a bf16 peak under fp16 with no marker.
  auto is_number = [](const std::string& v) {
    if (v.empty()) return true;  // not given
    std::size_t used = 0;
    try {
      (void)std::stod(v, &used);
    } catch (...) {
      return false;
    }
    return used == v.size();
  };
  auto rows_of = [](const std::string& out) {
    std::vector<std::vector<std::string>> rows;
    for (auto l : split_lines(out)) {
      if (!l.empty() && l.back() == '\r') l.pop_back();  // RFC 4180 line ends
      if (!l.empty()) rows.push_back(split_csv(l));
    }
    return rows;
  };
  auto col = [](const std::vector<std::string>& header, const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    REQUIRE_MESSAGE(it != header.end(), name);
    return static_cast<std::size_t>(it - header.begin());
  };
  auto profiles = sh("profiles list --no-user-profiles --format csv");
  REQUIRE(profiles.code == 0);
  const auto p = rows_of(profiles.out);
  REQUIRE(p.size() > 2);
  const std::size_t fp16 = col(p[0], "fp16_tflops"), half = col(p[0], "half_precision");
  bool epyc = false;
  for (std::size_t i = 1; i < p.size(); ++i) {
    INFO(p[i][0]);
    for (const char* k : {"fp32_tflops", "fp16_tflops", "int8_tops", "idle_w", "max_w"}) CHECK(is_number(p[i][col(p[0], k)]));
    CHECK(p[i][half] == (p[i][fp16].empty() ? "" : p[i][0] == "epyc-9654-2s" ? "bf16" : "fp16"));
    if (p[i][0] == "epyc-9654-2s") epyc = p[i][fp16] == "14.7";
  }
  CHECK(epyc);
  auto json = sh("profiles show epyc-9654-2s --no-user-profiles --format json");
  REQUIRE(json.code == 0);
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j["half_precision"] == "bf16");
  CHECK(j["peak_flops_per_s"].contains("fp16"));
  CHECK(nlohmann::json::parse(sh("profiles show nvidia-t4 --no-user-profiles --format json").out)["half_precision"] == "fp16");
  auto models = sh("models list --format csv");
  REQUIRE(models.code == 0);
  const auto m = rows_of(models.out);
  REQUIRE(m.size() > 2);
  CHECK(std::find(m[0].begin(), m[0].end(), "input") == m[0].end());
  const std::size_t in = col(m[0], "input_bytes"), out = col(m[0], "output_bytes");
  for (std::size_t i = 1; i < m.size(); ++i) {
    INFO(m[i][0]);
    CHECK(is_number(m[i][in]));
    CHECK(is_number(m[i][out]));
    CHECK(is_number(m[i][col(m[0], "gflop_per_item")]));
    CHECK(is_number(m[i][col(m[0], "weights_mb")]));
    if (m[i][0] == "resnet50") CHECK(m[i][in] == "150500");  // the catalogue's 150.5 KB
  }
  // The table for people keeps its units.
  CHECK(sh("models list").out.find(" KB") != std::string::npos);
}

TEST_CASE("profiles show and list say a bf16 peak is bf16, used for fp16 work") {
  // A review: epyc-9654-2s declares 'bf16: 14.7 TFLOP/s' (Zen 4 has no FP16 arithmetic), but
  // show said 'peak fp16 14.7 TFLOP/s' and list put it in fp16_tflops unmarked.
  auto show = sh("profiles show epyc-9654-2s --no-user-profiles");
  INFO(show.out);
  CHECK(show.code == 0);
  CHECK(show.out.find("peak bf16    14.7 TFLOP/s per accelerator (used for fp16 work)") != std::string::npos);
  CHECK(show.out.find("peak fp16") == std::string::npos);
  auto list = sh("profiles list --no-user-profiles");
  CHECK(list.code == 0);
  CHECK(list.out.find("14.7 (bf16)") != std::string::npos);
  // A profile that declares fp16 is shown as before.
  auto t4 = sh("profiles show nvidia-t4 --no-user-profiles");
  CHECK(t4.out.find("peak fp16 ") != std::string::npos);
  CHECK(t4.out.find("used for fp16 work") == std::string::npos);
}

TEST_CASE("profiles show: a device with on-chip memory says so, in words and in JSON (null for one fed from its own memory)") {
  // Before: the Hailo-8's 'memory.on_chip' and its bandwidth were used by the model but shown
  // nowhere; 'memory no limit given at 4 GB/s' read as if the PCIe link fed every weight.
  auto text = sh("profiles show hailo-8 --no-user-profiles");
  INFO(text.out);
  REQUIRE(text.code == 0);
  CHECK(text.out.find("on-chip      32 MB for weights and activations (memory.on_chip), moved at 44 GB/s; the bandwidth above is the host link") !=
        std::string::npos);
  auto hailo = sh("profiles show hailo-8 --format json --no-user-profiles");
  auto l4 = sh("profiles show nvidia-l4 --format json --no-user-profiles");
  REQUIRE(hailo.code == 0);
  REQUIRE(l4.code == 0);
  auto first = [](const nlohmann::json& j) { return j.is_array() ? j.at(0) : j; };
  const auto h = first(nlohmann::json::parse(hailo.out)), g = first(nlohmann::json::parse(l4.out));
  CHECK(h.at("on_chip_bytes").get<double>() == 32e6);
  CHECK(h.at("on_chip_bandwidth_bytes_per_s").get<double>() == 44e9);
  CHECK(g.at("on_chip_bytes").is_null());
  CHECK(g.at("on_chip_bandwidth_bytes_per_s").is_null());
}

TEST_CASE("predict: a dataflow device's footer gives the on-chip formula its figures come from") {
  // Before: the roofline's (W + b*A)/(BW*eff_m) was printed under the Hailo-8's and Coral's
  // figures, which no longer send weights and activations over their host link.
  auto hailo = sh("predict --hardware hailo-8 --model resnet50 --precision int8 --batch 1,8 --no-user-profiles");
  auto l4 = sh("predict --hardware nvidia-l4 --model resnet50 --precision int8 --batch 1,8 --no-user-profiles");
  INFO(hailo.out);
  REQUIRE(hailo.code == 0);
  REQUIRE(l4.code == 0);
  CHECK(hailo.out.find("(Ws + b*(in + out))/(BW*eff_m), b*A/(BW_chip*eff_m)), Ws = weights beyond the 32 MB on chip, BW = the host link") !=
        std::string::npos);
  CHECK(hailo.out.find("(W + b*A)/(BW*eff_m)") == std::string::npos);
  CHECK(l4.out.find("(W + b*A)/(BW*eff_m)") != std::string::npos);
}

TEST_CASE("validate, run and recommend show a scenario's and a sweep's name escaped, as error messages quote user text") {
  // Before: `hwplan validate esc.yaml` printed ESC [2J (clear the screen), ESC [31m, a BEL and a
  // newline from the scenario's name; run and recommend printed them on stderr and as the
  // report's title; U+202E reordered the rest of the line.
  fs::create_directories(HWPLAN_WORK_DIR);
  const std::string dir = std::string(HWPLAN_WORK_DIR) + "/escaped-name";
  fs::create_directories(dir);
  {
    std::ofstream(dir + "/esc.yaml") << "name: \"T\\e[2J\\e[31mPWNED\\a\\nX\\u202e\"\nduration: 10 s\nsites:\n  - {id: plant, count: 1}\n"
                                        "streams:\n  - id: s1\n    site: plant\n    arrival: {process: periodic, rate: 15 /s}\n"
                                        "    payload: 150 KB\n    pipeline:\n      - {id: detect, model: yolov8s}\n"
                                        "    slo: {latency: 40 ms}\ncandidates:\n  - {family: gpu, hardware: l4x4-server}\n";
    std::ofstream(dir + "/sweep.yaml") << "name: \"S\\e]0;title\\a\"\nscenario: esc.yaml\naxes:\n  sites.plant.count: [1, 2]\n";
  }
  auto raw = [](const std::string& text) {
    for (char c : text) {
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\n') || u == 0x7f) return true;
    }
    return text.find("\xe2\x80\xae") != std::string::npos;
  };
  const std::string shown = "T\\x1b[2J\\x1b[31mPWNED\\x07\\x0aX\\u202E";
  const auto v = sh("validate --no-user-profiles " + dir + "/esc.yaml " + dir + "/sweep.yaml");
  INFO(v.out);
  CHECK(v.code == 0);
  CHECK_FALSE(raw(v.out));
  CHECK(v.out.find("(scenario '" + shown + "': ") != std::string::npos);
  CHECK(v.out.find("(sweep 'S\\x1b]0;title\\x07' of ") != std::string::npos);
  const auto r = sh("run --no-user-profiles " + dir + "/esc.yaml --no-cache --out " + dir + "/esc.csv");
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK_FALSE(raw(r.out));
  CHECK(r.out.find("simulating 1 candidate(s) of '" + shown + "' (") != std::string::npos);
  CHECK(r.out.find("\n" + shown + "\ncandidate ") != std::string::npos);  // the report's title
  const auto p = sh("recommend --no-user-profiles " + dir + "/esc.yaml --no-cache --no-sensitivity --out " + dir + "/plan.csv");
  INFO(p.out);
  CHECK(p.code == 0);
  CHECK_FALSE(raw(p.out));
  CHECK(p.out.find("planning '" + shown + "' (") != std::string::npos);
  CHECK(p.out.find(shown + "\n\n") != std::string::npos);
}

TEST_CASE("models show/list give every key of the model file, sizes in the file's unit") {
  // An audit: JSON left out kernels and the LLM shape (layers, hidden, kv_heads, head_dim);
  // 'models show llama2-70b:decode' printed '715 MB' for the file's '682 MiB', and 'models
  // list' '150 KB' for resnet50's '150.5 KB'.
  auto show = sh("models show llama2-70b:decode");
  INFO(show.out);
  REQUIRE(show.code == 0);
  CHECK(show.out.find("bytes per item  682 MiB") != std::string::npos);
  CHECK(show.out.find("memory per item 640 MiB") != std::string::npos);
  CHECK(show.out.find("weights         138 GB at fp16") != std::string::npos);
  CHECK(show.out.find("715 MB") == std::string::npos);
  CHECK(show.out.find("shape           layers 80, hidden 8192, kv_heads 8, head_dim 128") != std::string::npos);
  CHECK(show.out.find("kernels         none given") != std::string::npos);
  auto resnet = sh("models show resnet50");
  CHECK(resnet.out.find("input, output   150.5 KB, 1 KB") != std::string::npos);
  CHECK(resnet.out.find("kernels         54 per pass") != std::string::npos);
  CHECK(resnet.out.find("shape ") == std::string::npos);  // a CNN gives no transformer shape
  auto list = sh("models list");
  CHECK(list.out.find("150.5 KB") != std::string::npos);
  CHECK(list.out.find("150 KB") == std::string::npos);

  const auto j = nlohmann::json::parse(sh("models show llama2-70b:decode --format json").out);
  CHECK(j.at("kernels") == 0);
  CHECK(j.at("layers") == 80);
  CHECK(j.at("hidden") == 8192);
  CHECK(j.at("kv_heads") == 8);
  CHECK(j.at("head_dim") == 128);
  CHECK(j.at("bytes_per_item").get<double>() == 682.0 * 1024 * 1024);
  CHECK(j.at("memory_per_item_bytes").get<double>() == 640.0 * 1024 * 1024);
  const auto all = nlohmann::json::parse(sh("models list --format json").out);
  bool seen_resnet = false;
  for (const auto& m : all) {
    INFO(m.at("id"));
    for (const char* k : {"kernels", "layers", "hidden", "kv_heads", "head_dim"}) CHECK(m.contains(k));
    if (m.at("id") == "resnet50") {
      seen_resnet = true;
      CHECK(m.at("kernels") == 54);
      CHECK(m.at("layers").is_null());  // not given: null, not 0
    }
  }
  CHECK(seen_resnet);
}

TEST_CASE("profiles list has fp8 and fp4 columns. JSON says 'no limit' as null and prints figures as written") {
  // An audit: the list had no fp8/fp4 column though the catalogue shows them; coral-usb and
  // hailo-8 listed "memory_bytes": 0.0 for no limit; jetson-agx-thor's launch_s printed as
  // 9.999999999999999e-06 (10 us after the unit conversion).
  auto csv = sh("profiles list --no-user-profiles --format csv");
  REQUIRE(csv.code == 0);
  std::vector<std::vector<std::string>> rows;
  for (auto l : split_lines(csv.out)) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    if (!l.empty()) rows.push_back(split_csv(l));
  }
  REQUIRE(rows.size() > 2);
  const auto& h = rows[0];
  const auto fp8 = std::find(h.begin(), h.end(), "fp8_tflops"), fp4 = std::find(h.begin(), h.end(), "fp4_tflops");
  REQUIRE(fp8 != h.end());
  REQUIRE(fp4 != h.end());
  bool thor = false, t4 = false;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    REQUIRE(r.size() == h.size());
    if (r[0] == "jetson-agx-thor") {
      thor = true;
      CHECK(r[fp8 - h.begin()] == "517");
      CHECK(r[fp4 - h.begin()] == "1035");
    }
    if (r[0] == "nvidia-t4") {
      t4 = true;
      CHECK(r[fp8 - h.begin()].empty());  // none: an empty cell, not 0
    }
  }
  CHECK(thor);
  CHECK(t4);
  CHECK(sh("profiles list --no-user-profiles").out.find("fp4_tflops") != std::string::npos);

  const auto all = nlohmann::json::parse(sh("profiles list --no-user-profiles --format json").out);
  int unlimited = 0;
  for (const auto& p : all) {
    if (p.at("id") == "coral-usb" || p.at("id") == "hailo-8") {
      INFO(p.at("id"));
      CHECK(p.at("memory_bytes").is_null());
      ++unlimited;
    } else {
      CHECK(p.at("memory_bytes").get<double>() > 0);
    }
  }
  CHECK(unlimited == 2);
  auto thor_json = sh("profiles show jetson-agx-thor --no-user-profiles --format json");
  INFO(thor_json.out);
  CHECK(thor_json.out.find("\"launch_s\": 1e-05") != std::string::npos);
  CHECK(thor_json.out.find("9.999999999999999e-06") == std::string::npos);
  // No other round-off tails (0.00010000000000000002, 1.2999999999999998) anywhere in the list.
  const std::regex tail(R"(\.\d*(0{6,}[1-9]|9{6,}))");
  CHECK_FALSE(std::regex_search(thor_json.out, tail));
  CHECK_FALSE(std::regex_search(all.dump(), tail));
}
