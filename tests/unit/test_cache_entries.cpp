// The result cache's entries as files a person (or another program) may have changed: an
// entry is used only when it is this binary's result for this very input (sim/run/cache.hpp).
// And the report files written over an existing one keep its permission bits (sim/core/files).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include "sim/core/files.hpp"
#include "sim/run/cache.hpp"
#include "sim/run/json.hpp"

using namespace hw;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// One site, one stream, no jobs: what the engine takes.
SimInput small_input(std::uint64_t seed = 3) {
  SimInput in;
  in.label = "edge jetson x1/site";
  in.seed = seed;
  in.duration = Seconds(10);
  SiteExec site;
  site.id = "plant";
  site.access = LinkSpec{"lan", Seconds(1e-4), BitsPerSecond(1e9)};
  site.backhaul = LinkSpec{"wan", Seconds(5e-3), BitsPerSecond(1e8)};
  in.sites.push_back(site);
  StreamExec st;
  st.id = "cams";
  st.arrival.rate = PerSecond(10);
  st.slo = Slo{99, Seconds(0.05), 0.01};
  StageExec g;
  g.id = "detect";
  g.tier = Tier::edge;
  g.service_s = {0.004};
  st.stages.push_back(g);
  in.streams.push_back(st);
  in.edge = TierSpec{"jetson", 1, 1, Watts(5), Watts(25), 1, Seconds(0), 16};
  return in;
}

// A result the engine could have given for small_input().
RunResult small_result(const SimInput& in) {
  RunResult r;
  r.label = in.label;
  r.simulated_time_s = 10;
  r.wall_time_s = 0.1;
  r.events = 100;
  StreamResult s;
  s.id = in.streams.at(0).id;
  s.completed = 10;
  s.throughput_per_s = 10;
  s.mean_s = Estimate{0.006, 0.005, 0.007};
  s.p50_s = Estimate{0.005, 0.004, 0.006};
  s.p90_s = s.p95_s = Estimate{0.008, 0.007, 0.009};
  s.p99_s = Estimate{0.012, 0.011, 0.013};
  s.p999_s = Estimate{0.013, 0.012, 0.014};
  s.slo_percentile = 99;
  s.slo_latency_s = 0.05;
  s.slo_met = true;
  s.latency_edges_s = {0.00398, 0.00501, 0.00631};
  s.latency_counts = {7, 3};
  r.streams.push_back(s);
  r.edge = TierResult{"jetson", 1, 0.06, 6.2, 6.2 * 86400, 0.01, 1};
  r.backhaul_bytes_per_day = 1e6;
  r.backhaul_peak_utilisation = 0.01;
  r.links.push_back(LinkResult{"backhaul:plant", 1e6, 0.01});
  r.stop_reason = "fixed duration 10 s";
  return r;
}

struct TempDir {
  std::string path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "hwplan-cache-entries-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void spit(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
}

// Calls f on every object of j (and j itself) that holds `key`.
void each_with(json& j, const std::string& key, const std::function<void(json&)>& f) {
  if (j.is_object()) {
    if (j.contains(key)) f(j);
    for (auto& [k, v] : j.items()) each_with(v, key, f);
  } else if (j.is_array()) {
    for (auto& v : j) each_with(v, key, f);
  }
}

std::size_t g_warnings = 0;
std::string g_last_why;
void count_warning(const std::string&, const std::string&, const std::string& why) {
  ++g_warnings;
  g_last_why = why;
}

}  // namespace

TEST_CASE("result cache: a hand-edited entry that still reads is a miss, said once, then recomputed and overwritten") {
  const SimInput in = small_input();
  const RunResult good = small_result(in);
  REQUIRE(run_result_problem(in, good).empty());
  // What the review did to every entry (p99 -5 s, utilisation -2, no streams), and more of the
  // same kind: each leaves valid JSON of the right types.
  const std::vector<std::pair<std::string, std::function<void(json&)>>> edits = {
      {"streams[0].p99_s.value", [](json& j) { each_with(j, "p99_s", [](json& s) { s["p99_s"]["value"] = -5.0; }); }},
      {"edge.utilisation", [](json& j) { each_with(j, "utilisation", [](json& t) { t["utilisation"] = -2; }); }},
      {"stream count", [](json& j) { each_with(j, "streams", [](json& r) { r["streams"] = json::array(); }); }},
      {"stream id", [](json& j) { each_with(j, "slo_met", [](json& s) { s["id"] = "other"; }); }},
      {"label", [](json& j) { each_with(j, "streams", [](json& r) { r["label"] = "another candidate"; }); }},
      {"not a number", [](json& j) { each_with(j, "throughput_per_s", [](json& s) { s["throughput_per_s"] = "nan"; }); }},
      {"a violation share above 1", [](json& j) { each_with(j, "slo_violation_rate", [](json& s) { s["slo_violation_rate"] = 3; }); }},
      {"histogram", [](json& j) { each_with(j, "latency_counts", [](json& s) { s["latency_counts"] = json::array({1}); }); }},
      {"a failed run", [](json& j) { each_with(j, "streams", [](json& r) { r["ok"] = false; }); }},
  };
  for (const auto& [what, edit] : edits) {
    CAPTURE(what);
    TempDir dir;
    g_warnings = 0;
    set_cache_entry_warning(&count_warning);
    ResultCache cache(dir.path, "build");
    cache.put(in, good);
    const std::string entry = (fs::path(dir.path) / (cache.key(in) + ".json")).string();
    REQUIRE(fs::is_regular_file(entry));
    json j = json::parse(slurp(entry));
    edit(j);
    spit(entry, j.dump());
    ResultCache again(dir.path, "build");
    CHECK_FALSE(again.get(in));
    CHECK(again.misses() == 1);
    CHECK(again.rejected() == 1);
    CHECK(g_warnings == 1);
    CHECK_FALSE(g_last_why.empty());
    // A second bad entry in the same folder is not said again.
    CHECK_FALSE(again.get(in));
    CHECK(g_warnings == 1);
    // Recomputed and put: the entry is overwritten, and used from then on.
    again.put(in, good);
    const auto hit = ResultCache(dir.path, "build").get(in);
    REQUIRE(hit);
    CHECK(to_json(*hit) == to_json(good));
    set_cache_entry_warning(nullptr);
  }
}

TEST_CASE("result cache: an entry copied under another input's name, or written in an older format, is a miss") {
  TempDir dir;
  ResultCache cache(dir.path, "build");
  const SimInput a = small_input(1), b = small_input(2);
  RunResult rb = small_result(b);
  rb.streams[0].p99_s = Estimate{0.5, 0.4, 0.6};  // b's own figures
  cache.put(b, rb);
  const fs::path ka = fs::path(dir.path) / (cache.key(a) + ".json"), kb = fs::path(dir.path) / (cache.key(b) + ".json");
  REQUIRE(cache.get(b));
  // The same label and streams (only the seed differs): every check of the figures passes;
  // the key inside says whose entry it is.
  fs::copy_file(kb, ka);
  CHECK_FALSE(cache.get(a));
  // The entry before it held its key: a bare RunResult document.
  spit(ka.string(), to_json(small_result(a)).dump());
  CHECK_FALSE(cache.get(a));
  // The entry format's version is part of the key: another format is never even opened.
  CHECK(cache.key(a) != hash128(std::string("build") + "\n" + canonical_json(a)));
}

TEST_CASE("result cache: a FIFO, a device or a folder at an entry's path is a miss, at once") {
  TempDir dir;
  ResultCache cache(dir.path, "build");
  const SimInput in = small_input();
  const std::string entry = (fs::path(dir.path) / (cache.key(in) + ".json")).string();
  REQUIRE(::mkfifo(entry.c_str(), 0644) == 0);
  // get() on a thread: were it to block on the FIFO (opening it for reading waits for a
  // writer), the test would fail after 5 s and then release it by opening the writing end.
  std::mutex mu;
  std::condition_variable cv;
  bool done = false, hit = true;
  std::thread t([&] {
    const bool h = cache.get(in).has_value();
    std::lock_guard lock(mu);
    hit = h;
    done = true;
    cv.notify_all();
  });
  {
    std::unique_lock lock(mu);
    const bool finished = cv.wait_for(lock, std::chrono::seconds(5), [&] { return done; });
    CHECK_MESSAGE(finished, "get() blocked on a FIFO at the entry's path");
    if (!finished) {
      lock.unlock();
      const int w = ::open(entry.c_str(), O_WRONLY | O_NONBLOCK);
      if (w >= 0) ::close(w);
    }
  }
  t.join();
  CHECK_FALSE(hit);
  // Recomputed and put: the FIFO is replaced by the entry.
  cache.put(in, small_result(in));
  CHECK(fs::is_regular_file(fs::symlink_status(entry)));
  CHECK(cache.get(in));
  // A symbolic link to a device that reads without end, and a folder.
  fs::remove(entry);
  fs::create_symlink("/dev/zero", entry);
  CHECK_FALSE(cache.get(in));
  fs::remove(entry);
  fs::create_directory(entry);
  CHECK_FALSE(cache.get(in));
}

TEST_CASE("run_result_problem: a latency may be +inf, no figure may be negative or NaN, the streams are the input's") {
  const SimInput in = small_input();
  RunResult r = small_result(in);
  CHECK(run_result_problem(in, r).empty());
  r.streams[0].p99_s = Estimate{std::numeric_limits<double>::infinity(), 1, std::numeric_limits<double>::infinity()};
  CHECK(run_result_problem(in, r).empty());  // an LLM request that never got its first token
  r.streams[0].p99_s.value = -5;
  CHECK(run_result_problem(in, r).find("streams[0].p99_s.value = -5") != std::string::npos);
  r = small_result(in);
  r.streams[0].throughput_per_s = std::numeric_limits<double>::infinity();
  CHECK(run_result_problem(in, r).find("streams[0].throughput_per_s") != std::string::npos);
  r = small_result(in);
  r.edge.utilisation = -2;
  CHECK(run_result_problem(in, r).find("edge.utilisation") != std::string::npos);
  r = small_result(in);
  r.streams.clear();
  CHECK(run_result_problem(in, r).find("0 stream result(s) for the input's 1") != std::string::npos);
  r = small_result(in);
  r.dc.avg_power_w = std::nan("");
  CHECK(run_result_problem(in, r).find("dc.avg_power_w") != std::string::npos);
  // put() stores nothing get() would refuse.
  TempDir dir;
  ResultCache cache(dir.path, "build");
  r = small_result(in);
  r.streams[0].p50_s.value = -1;
  cache.put(in, r);
  CHECK_FALSE(fs::exists(fs::path(dir.path) / (cache.key(in) + ".json")));
}

TEST_CASE("write_file_atomic: a file it replaces keeps its permission bits. a new one is 0644 less the umask") {
  TempDir dir;
  const std::string report = (fs::path(dir.path) / "report.csv").string();
  spit(report, "old\n");
  REQUIRE(::chmod(report.c_str(), 0640) == 0);
  write_file_atomic(report, "new\n");
  struct stat st {};
  REQUIRE(::stat(report.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);  // was 0644: a private report became world-readable
  CHECK(slurp(report) == "new\n");
  REQUIRE(::chmod(report.c_str(), 0600) == 0);
  write_output(OutputTarget{report, report, false, false}, "newer\n");
  REQUIRE(::stat(report.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  // A read-only report stays read-only (the folder allows the rename).
  REQUIRE(::chmod(report.c_str(), 0444) == 0);
  write_file_atomic(report, "newest\n");
  REQUIRE(::stat(report.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0444);
  const mode_t mask = ::umask(022);
  ::umask(mask);
  const std::string fresh = (fs::path(dir.path) / "fresh.csv").string();
  write_file_atomic(fresh, "x\n");
  REQUIRE(::stat(fresh.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == (0644 & ~mask));
}
