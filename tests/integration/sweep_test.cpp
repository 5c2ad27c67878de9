// `hwplan sweep` end to end, as a user runs it: rows against `hwplan run` of the same
// edited scenario, SIGKILL then --resume against a clean run, --jobs 1 against --jobs 2
// (and mpirun -n 3 when MPI was built, in CSV and JSON; SIGTERM to MPI rank 1 alone, then
// --resume), Ctrl-C, failed variants, errors before anything runs, and boundary mode against
// recommend's exact price crossover.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

const std::string kSrc = HWPLAN_SOURCE_DIR;

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

// RFC 4180 records.
std::vector<std::vector<std::string>> csv(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> rec;
  std::string f;
  bool q = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (q) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        f += '"';
        ++i;
      } else if (c == '"') {
        q = false;
      } else {
        f += c;
      }
    } else if (c == '"') {
      q = any = true;
    } else if (c == ',') {
      rec.push_back(f);
      f.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !f.empty()) {
        rec.push_back(f);
        out.push_back(rec);
      }
      rec.clear();
      f.clear();
      any = false;
    } else {
      f += c;
      any = true;
    }
  }
  REQUIRE_FALSE(q);
  return out;
}

struct Work {
  fs::path dir;
  explicit Work(const std::string& name) {
    dir = fs::path(HWPLAN_WORK_DIR) / ("sweep-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Work() { fs::remove_all(dir); }
  [[nodiscard]] std::string operator/(const std::string& f) const { return (dir / f).string(); }
};

struct Outcome {
  int code = -1;
  std::string out, err;
};

// Runs a command (argv[0] is a path) to the end, stdout and stderr kept apart.
Outcome run(const Work& w, std::vector<std::string> argv) {
  const std::string o = w / "stdout", e = w / "stderr";
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int fo = ::open(o.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int fe = ::open(e.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fo, 1);
    ::dup2(fe, 2);
    std::vector<char*> a;
    for (auto& s : argv) a.push_back(s.data());
    a.push_back(nullptr);
    ::execv(a[0], a.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  Outcome r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(o);
  r.err = slurp(e);
  return r;
}

Outcome hwplan(const Work& w, std::vector<std::string> args) {
  args.insert(args.begin(), HWPLAN_BIN);
  return run(w, args);
}

// Starts `argv` (argv[0] a path) as the leader of a new process group.
pid_t start_argv(const Work& w, std::vector<std::string> argv) {
  const std::string o = w / "stdout", e = w / "stderr";
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setpgid(0, 0);
    const int fo = ::open(o.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int fe = ::open(e.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fo, 1);
    ::dup2(fe, 2);
    std::vector<char*> a;
    for (auto& s : argv) a.push_back(s.data());
    a.push_back(nullptr);
    ::execv(a[0], a.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  return pid;
}

// Starts `hwplan args...` as the leader of a new process group, as a shell starts a job.
pid_t start(const Work& w, const std::vector<std::string>& args) {
  std::vector<std::string> all{HWPLAN_BIN};
  all.insert(all.end(), args.begin(), args.end());
  return start_argv(w, std::move(all));
}

// Processes (not zombies) of process group `pgid`.
int group_alive(pid_t pgid) {
  int n = 0;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream f(e.path() / "stat");
    std::string line;
    std::getline(f, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    std::string state;
    long ppid = 0, pgrp = 0;
    rest >> state >> ppid >> pgrp;
    if (pgrp == pgid && state != "Z") ++n;
  }
  return n;
}

// Variants in a result CSV (distinct `variant` values), and rows per variant.
std::map<std::string, int> variants_in(const std::string& path, std::size_t variant_col) {
  std::map<std::string, int> n;
  const auto recs = csv(slurp(path));
  for (std::size_t i = 1; i < recs.size(); ++i) ++n[recs[i].at(variant_col)];
  return n;
}

void wait_for_variants(const std::string& path, std::size_t variant_col, std::size_t n, pid_t pid) {
  for (int i = 0; i < 2400; ++i) {
    std::error_code ec;
    if (fs::exists(path, ec) && variants_in(path, variant_col).size() >= n) return;
    int status = 0;
    REQUIRE(::waitpid(pid, &status, WNOHANG) == 0);  // still running
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  FAIL("the sweep wrote no variant in a minute");
}

// The factory scenario (three candidates) run for 10 simulated seconds per variant:
// 2 backhaul latencies x `sources` cameras per plant.
std::string factory_sweep(const Work& w, const std::string& sources = "[2, 3, 4, 6]") {
  const std::string path = w / "factory.yaml";
  std::ofstream(path) << "name: factory test sweep\n"
                      << "scenario: " << kSrc << "/scenarios/factory-vision.yaml\n"
                      << "run: run\nset: {duration: 10 s}\naxes:\n"
                      << "  sites.plant.backhaul.latency: [5 ms, 15 ms]\n"
                      << "  streams.inspection.sources: " << sources << "\n";
  return path;
}

// The whole number just before `marker` in `text` ("8 run now": before " run now" -> 8), or
// after it when `after` (std::regex is avoided: GCC 12 warns inside it under ASan).
unsigned long number_at(const std::string& text, const std::string& marker, bool after = false) {
  const auto at = text.find(marker);
  REQUIRE(at != std::string::npos);
  if (after) return std::stoul(text.substr(at + marker.size()));
  auto b = at;
  while (b > 0 && std::isdigit(static_cast<unsigned char>(text[b - 1]))) --b;
  REQUIRE(b < at);
  return std::stoul(text.substr(b, at - b));
}

std::vector<std::vector<std::string>> sorted_rows(const std::string& path) {
  auto r = csv(slurp(path));
  std::sort(r.begin() + 1, r.end());
  return r;
}

}  // namespace

TEST_CASE("a small sweep end to end: one row per variant x candidate, the same columns and figures as 'hwplan run'") {
  Work w("e2e");
  const std::string sweep = factory_sweep(w, "[2, 4]");
  auto r = hwplan(w, {"sweep", sweep, "--out", w / "r.csv", "--jobs", "2", "--no-cache"});
  INFO(r.out, r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("4 variant(s): 4 run now, 0 skipped") != std::string::npos);
  CHECK(r.out.find("results: " + (w / "r.csv")) != std::string::npos);
  const auto rows = csv(slurp(w / "r.csv"));
  REQUIRE(rows.size() == 1 + 4 * 3);
  CHECK(rows[0][0] == "sites.plant.backhaul.latency");
  CHECK(rows[0][1] == "streams.inspection.sources");
  CHECK(rows[0][2] == "variant");
  CHECK(rows[0][rows[0].size() - 4] == "variant_status");
  CHECK(rows[0].back() == "variant_rows");

  // Variant 1 by hand: the same edits, `hwplan run`.
  std::string text = slurp(kSrc + "/scenarios/factory-vision.yaml");
  text = replace(text, "latency: 15 ms", "latency: 5 ms");
  text = replace(text, "sources: 8", "sources: 2");
  text = replace(text, "duration: 40 s", "duration: 10 s");
  std::ofstream(w / "v1.yaml") << text;
  auto one = hwplan(w, {"run", w / "v1.yaml", "--format", "csv", "--out", w / "v1.csv"});
  REQUIRE(one.code == 0);
  const auto manual = csv(slurp(w / "v1.csv"));
  REQUIRE(manual.size() == 4);
  const std::vector<std::string> header(rows[0].begin() + 3, rows[0].end() - 4);
  CHECK(header == manual[0]);  // exactly run's columns, after the axes and `variant`
  for (std::size_t i = 1; i <= 3; ++i) {
    CHECK(rows[i][0] == "5 ms");
    CHECK(rows[i][1] == "2");
    CHECK(rows[i][2] == "1");
    CHECK(std::vector<std::string>(rows[i].begin() + 3, rows[i].end() - 4) == manual[i]);
    CHECK(rows[i].back() == "3");  // variant_rows: its three candidates
  }
  // Every variant exactly once, in order; the same variant key on each of its rows.
  std::map<std::string, std::set<std::string>> keys;
  for (std::size_t i = 1; i < rows.size(); ++i) keys[rows[i][2]].insert(rows[i][rows[i].size() - 2]);
  CHECK(keys.size() == 4);
  for (const auto& [v, k] : keys) CHECK(k.size() == 1);
}

#ifdef HWPLAN_MPIRUN
// hwplan-mpi, next to hwplan: plumbing that 'hwplan sweep --mpi' execs.
std::string hwplan_mpi() { return (fs::path(HWPLAN_BIN).parent_path() / "hwplan-mpi").string(); }

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_CASE("hwplan-mpi started by hand says once what to run instead. a repeated option as hwplan says it") {
  Work w("mpi-direct");
  const std::string sweep = factory_sweep(w, "[2, 4]");
  // Before: CLI11's "sweep: File does not exist: sweep" and "--simulator is required", once per rank.
  auto m = run(w, {HWPLAN_MPIRUN, "--allow-run-as-root", "--oversubscribe", "-n", "2", hwplan_mpi(), "sweep", sweep});
  INFO(m.out, m.err);
  CHECK(m.code == 2);
  const std::string said = "error: hwplan-mpi is started by 'mpirun ... hwplan sweep SWEEP.yaml --mpi'; run that instead";
  CHECK(count_of(m.err + m.out, said) == 1);
  CHECK(count_of(m.err + m.out, "error:") == 1);
  CHECK((m.err + m.out).find("File does not exist") == std::string::npos);
  CHECK((m.err + m.out).find("--simulator is required") == std::string::npos);
  // Alone, too.
  auto one = run(w, {hwplan_mpi(), sweep, "--out", w / "x.csv"});
  CHECK(one.code == 2);
  CHECK(one.err == said + "\n");
  CHECK_FALSE(fs::exists(w / "x.csv"));
  auto help = run(w, {hwplan_mpi(), "--help"});
  CHECK(help.code == 0);
  CHECK(help.out.find("hwplan-mpi is started by 'mpirun ... hwplan sweep SWEEP.yaml --mpi'; run that instead") != std::string::npos);
  // With the plumbing given, an option given twice is said as hwplan says it, by rank 0 only.
  auto twice = run(w, {HWPLAN_MPIRUN, "--allow-run-as-root", "--oversubscribe", "-n", "2", hwplan_mpi(), sweep, "--simulator", HWPLAN_BIN,
                       "--out", w / "a.csv", "--out=" + (w / "b.csv")});
  INFO(twice.out, twice.err);
  CHECK(twice.code == 2);
  CHECK(count_of(twice.err + twice.out, "error: --out is given twice (" + (w / "a.csv") + ", " + (w / "b.csv") + "); give it once") == 1);
  CHECK(count_of(twice.err + twice.out, "error:") == 1);
}
#endif

TEST_CASE("--jobs 1 and --jobs 2 give identical rows" * doctest::timeout(600)) {
  Work w("jobs");
  const std::string sweep = factory_sweep(w);
  auto a = hwplan(w, {"sweep", sweep, "--out", w / "j1.csv", "--jobs", "1", "--no-cache"});
  REQUIRE(a.code == 0);
  auto b = hwplan(w, {"sweep", sweep, "--out", w / "j2.csv", "--jobs", "2", "--no-cache"});
  REQUIRE(b.code == 0);
  CHECK(sorted_rows(w / "j1.csv") == sorted_rows(w / "j2.csv"));
  CHECK(slurp(w / "j1.csv") == slurp(w / "j2.csv"));  // written in variant order: the same bytes
  CHECK(csv(slurp(w / "j1.csv")).size() == 1 + 8 * 3);
#ifdef HWPLAN_MPIRUN
  // The same sweep over three MPI ranks: rank 0 gathers and writes the same rows.
  auto m = run(w, {HWPLAN_MPIRUN, "--allow-run-as-root", "--oversubscribe", "-n", "3", HWPLAN_BIN, "sweep", sweep, "--mpi", "--out",
                   w / "m3.csv", "--jobs", "1", "--no-cache"});
  INFO(m.out, m.err);
  REQUIRE(m.code == 0);
  CHECK(sorted_rows(w / "j1.csv") == sorted_rows(w / "m3.csv"));
  CHECK(slurp(w / "j1.csv") == slurp(w / "m3.csv"));
  CHECK(m.out.find("on 3 slot(s)") != std::string::npos);
  // JSON too: the documents hold every run's report, and nothing in them may depend on where
  // or how fast it ran (each simulation's engine wall_time_s differed between the two).
  auto aj = hwplan(w, {"sweep", sweep, "--format", "json", "--out", w / "j2.json", "--jobs", "2", "--no-cache"});
  REQUIRE(aj.code == 0);
  auto mj = run(w, {HWPLAN_MPIRUN, "--allow-run-as-root", "--oversubscribe", "-n", "3", HWPLAN_BIN, "sweep", sweep, "--mpi", "--format",
                    "json", "--out", w / "m3.json", "--jobs", "1", "--no-cache"});
  INFO(mj.out, mj.err);
  REQUIRE(mj.code == 0);
  const std::string local_json = slurp(w / "j2.json"), mpi_json = slurp(w / "m3.json");
  CHECK(nlohmann::json::parse(local_json)["variants"].size() == 8);
  CHECK(local_json.find("wall_time_s") == std::string::npos);
  CHECK(local_json == mpi_json);
#endif
}

TEST_CASE("SIGKILL mid-sweep, then --resume: every variant exactly once, rows equal to a clean run's" * doctest::timeout(600)) {
  Work w("kill");
  const std::string sweep = factory_sweep(w);
  auto clean = hwplan(w, {"sweep", sweep, "--out", w / "clean.csv", "--jobs", "2", "--no-cache"});
  REQUIRE(clean.code == 0);

  const pid_t pid = start(w, {"sweep", sweep, "--out", w / "k.csv", "--jobs", "1", "--no-cache"});
  wait_for_variants(w / "k.csv", 2, 2, pid);
  ::kill(-pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));
  for (int i = 0; i < 40 && group_alive(pid) > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(group_alive(pid) == 0);
  // Only complete variants: three rows each, every row complete.
  const auto partial = variants_in(w / "k.csv", 2);
  CHECK(partial.size() >= 2);
  CHECK(partial.size() < 8);
  for (const auto& [v, n] : partial) CHECK(n == 3);
  for (const auto& rec : csv(slurp(w / "k.csv"))) CHECK(rec.size() == csv(slurp(w / "clean.csv"))[0].size());

  // Without --resume or --force the file is not touched.
  auto refused = hwplan(w, {"sweep", sweep, "--out", w / "k.csv", "--no-cache"});
  CHECK(refused.code == 2);
  CHECK(refused.err.find("--resume") != std::string::npos);

  auto resumed = hwplan(w, {"sweep", sweep, "--out", w / "k.csv", "--jobs", "2", "--no-cache", "--resume"});
  INFO(resumed.out, resumed.err);
  REQUIRE(resumed.code == 0);
  CHECK(number_at(resumed.out, " skipped (already in the file)") == partial.size());  // recomputes none of them
  CHECK(number_at(resumed.out, " run now") == 8 - partial.size());
  const auto final_variants = variants_in(w / "k.csv", 2);
  CHECK(final_variants.size() == 8);
  for (const auto& [v, n] : final_variants) CHECK(n == 3);
  CHECK(sorted_rows(w / "k.csv") == sorted_rows(w / "clean.csv"));

  // A file of another sweep is not resumed into.
  const std::string other = w / "other.yaml";
  std::ofstream(other) << "scenario: " << kSrc << "/scenarios/factory-vision.yaml\nrun: run\naxes:\n  costs.pue: [1.1]\n";
  auto wrong = hwplan(w, {"sweep", other, "--out", w / "k.csv", "--resume", "--no-cache"});
  CHECK(wrong.code == 2);
  CHECK(wrong.err.find("another sweep") != std::string::npos);
}

TEST_CASE("--resume of a sweep whose axis was refined keeps every old variant, renumbered, and runs only the new ones") {
  Work w("refine");
  auto first = hwplan(w, {"sweep", factory_sweep(w, "[2, 4]"), "--out", w / "r.csv", "--jobs", "2", "--no-cache"});
  REQUIRE(first.code == 0);
  // [2, 4] -> [2, 3, 4]: the old variants 2 (5 ms, 4 sources), 3 and 4 become 3, 4 and 6.
  const std::string refined = factory_sweep(w, "[2, 3, 4]");
  auto resumed = hwplan(w, {"sweep", refined, "--out", w / "r.csv", "--jobs", "2", "--no-cache", "--resume"});
  INFO(resumed.out, resumed.err);
  REQUIRE(resumed.code == 0);
  CHECK(number_at(resumed.out, " skipped (already in the file)") == 4);
  CHECK(number_at(resumed.out, " run now") == 2);
  auto clean = hwplan(w, {"sweep", refined, "--out", w / "clean.csv", "--jobs", "2", "--no-cache"});
  REQUIRE(clean.code == 0);
  CHECK(slurp(w / "r.csv") == slurp(w / "clean.csv"));  // the same numbers, values and rows, in order
}

TEST_CASE("Ctrl-C stops a sweep within a second, keeps every completed row, exit 130, no summary, no process left" *
          doctest::timeout(300)) {
  Work w("ctrlc");
  const std::string sweep = factory_sweep(w, "[2, 3, 4, 5, 6, 7, 8]");
  const pid_t pid = start(w, {"sweep", sweep, "--out", w / "c.csv", "--jobs", "2", "--no-cache"});
  wait_for_variants(w / "c.csv", 2, 1, pid);
  const auto t0 = std::chrono::steady_clock::now();
  ::kill(-pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(seconds < 1.0);
  for (int i = 0; i < 20 && group_alive(pid) > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(group_alive(pid) == 0);
  const std::string out = slurp(w / "stdout"), err = slurp(w / "stderr");
  CHECK(out.find("sweep '") == std::string::npos);  // no summary pretending completion
  CHECK(err.find("interrupted (SIGINT)") != std::string::npos);
  const auto kept = variants_in(w / "c.csv", 2);
  CHECK(kept.size() >= 1);
  CHECK(kept.size() < 14);
  for (const auto& [v, n] : kept) CHECK(n == 3);
  CHECK(err.find(std::to_string(kept.size()) + " variant(s) are complete") != std::string::npos);
}

#ifdef HWPLAN_MPIRUN
namespace {

// The child of `parent` whose environment says OMPI_COMM_WORLD_RANK=`rank` (mpirun starts
// the ranks of one machine as its own children), or 0.
pid_t rank_pid(pid_t parent, int rank) {
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(e.path() / "stat");
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    std::string state;
    long ppid = 0;
    rest >> state >> ppid;
    if (ppid != parent) continue;
    std::ifstream env(e.path() / "environ", std::ios::binary);
    std::string var;
    while (std::getline(env, var, '\0')) {
      if (var == "OMPI_COMM_WORLD_RANK=" + std::to_string(rank)) return static_cast<pid_t>(std::stol(name));
    }
  }
  return 0;
}

}  // namespace

TEST_CASE("MPI: SIGTERM to rank 1 only interrupts the sweep: non-zero exit, no summary, the missing variants said, --resume completes it" *
          doctest::timeout(600)) {
  Work w("rank1");
  // 14 variants; rank 1 of 2 takes the 7 at odd positions, one simulation at a time.
  const std::string sweep = factory_sweep(w, "[2, 3, 4, 5, 6, 7, 8]");
  const pid_t mp = start_argv(w, {HWPLAN_MPIRUN, "--allow-run-as-root", "--oversubscribe", "-n", "2", HWPLAN_BIN, "sweep", sweep, "--mpi",
                                  "--out", w / "r.csv", "--jobs", "1", "--no-cache"});
  struct Reap {
    pid_t pgid;
    ~Reap() { ::kill(-pgid, SIGKILL); }  // whatever a failed check leaves behind
  } reap{mp};
  wait_for_variants(w / "r.csv", 2, 1, mp);  // the first variant written: rank 1 is mid-share
  pid_t r1 = 0;
  for (int i = 0; i < 100 && r1 == 0; ++i) {
    r1 = rank_pid(mp, 1);
    if (r1 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(r1 > 0);
  ::kill(r1, SIGTERM);
  int status = 0;
  ::waitpid(mp, &status, 0);
  const std::string out = slurp(w / "stdout"), err = slurp(w / "stderr");
  INFO(out, err);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) != 0);  // mpirun passes on a rank's non-zero exit (rank 0: 143)
  CHECK(out.find("sweep '") == std::string::npos);  // no summary pretending completion
  CHECK(out.find("results:") == std::string::npos);
  CHECK(err.find("interrupted (SIGTERM on MPI rank 1): no summary") != std::string::npos);
  CHECK(err.find("--resume") != std::string::npos);
  const auto kept = variants_in(w / "r.csv", 2);
  CHECK(kept.size() >= 1);
  CHECK(kept.size() < 14);
  for (const auto& [v, n] : kept) CHECK(n == 3);  // complete variants only
  // "... 5 variant(s) are complete in FILE (5 finished in this run); 9 of the sweep's 14 variant(s) are missing"
  CHECK(err.find(std::to_string(kept.size()) + " variant(s) are complete") != std::string::npos);
  CHECK(err.find(std::to_string(14 - kept.size()) + " of the sweep's 14 variant(s) are missing") != std::string::npos);

  auto resumed = run(w, {HWPLAN_MPIRUN, "--allow-run-as-root", "--oversubscribe", "-n", "2", HWPLAN_BIN, "sweep", sweep, "--mpi", "--out",
                         w / "r.csv", "--jobs", "1", "--no-cache", "--resume"});
  INFO(resumed.out, resumed.err);
  REQUIRE(resumed.code == 0);
  CHECK(number_at(resumed.out, " skipped (already in the file)") == kept.size());
  CHECK(number_at(resumed.out, " run now") == 14 - kept.size());
  auto clean = hwplan(w, {"sweep", sweep, "--out", w / "clean.csv", "--jobs", "2", "--no-cache"});
  REQUIRE(clean.code == 0);
  CHECK(slurp(w / "r.csv") == slurp(w / "clean.csv"));
}
#endif

TEST_CASE("a failed variant is a row with its reason, and the sweep goes on") {
  Work w("failed");
  const std::string path = w / "f.yaml";
  std::ofstream(path) << "scenario: " << kSrc << "/scenarios/factory-vision.yaml\nrun: run\nset: {duration: 10 s}\n"
                      << "axes:\n  warmup: [2 s, 30 s]\n";
  auto r = hwplan(w, {"sweep", path, "--out", w / "f.csv", "--no-cache"});
  INFO(r.out, r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("1 failed") != std::string::npos);
  const auto rows = csv(slurp(w / "f.csv"));
  REQUIRE(rows.size() == 1 + 3 + 1);
  const auto& h = rows[0];
  const auto col = [&](const std::string& name) { return static_cast<std::size_t>(std::find(h.begin(), h.end(), name) - h.begin()); };
  const auto& bad = rows.back();
  CHECK(bad[0] == "30 s");
  CHECK(bad[col("variant_status")] == "failed");
  CHECK(bad[col("variant_error")].find("warm-up must be shorter than the duration") != std::string::npos);
  CHECK(bad[col("reason")] == bad[col("variant_error")]);
  CHECK(bad[col("family")].empty());
  CHECK(rows[1][col("variant_status")] == "ok");
}

TEST_CASE("bad axes are reported before anything runs, with file:line:col") {
  Work w("bad");
  const std::string path = w / "b.yaml";
  std::ofstream(path) << "scenario: " << kSrc << "/scenarios/factory-vision.yaml\naxes:\n"
                      << "  sites.plant.count: [1, 2]\n  costs.electricity: [0.1 USD/kWh, 0.2]\n";
  auto r = hwplan(w, {"sweep", path, "--out", w / "b.csv"});
  CHECK(r.code == 2);
  CHECK(r.err.find(path + ":4:36: key 'axes.costs.electricity[1]', value '0.2'") != std::string::npos);
  CHECK_FALSE(fs::exists(w / "b.csv"));
}

TEST_CASE("boundary mode finds recommend's exact bandwidth-price crossover within the tolerance" * doctest::timeout(600)) {
  Work w("boundary");
  // The medical scenario with links allowed up to 100% busy (design.max_utilisation.link): at
  // the default 70% its GPU-central candidate (96% of the clinic's backhaul) is rejected and
  // no price makes another candidate win. The copy sits next to the original so that its
  // relative paths resolve.
  const std::string scen = kSrc + "/scenarios/.medical-links-100-" + std::to_string(::getpid()) + ".yaml";
  {
    std::ifstream in(kSrc + "/scenarios/medical-preprocessing.yaml");
    std::ofstream(scen) << in.rdbuf() << "design:\n  max_utilisation: {link: 100 %}\n";
  }
  struct Remove {
    std::string p;
    ~Remove() { std::remove(p.c_str()); }
  } remove_scen{scen};
  // The base answer and its exact price crossover: "bandwidth price: below xK gpu l4x4-server wins".
  auto rec = hwplan(w, {"recommend", scen, "--format", "json", "--out", w / "rec.csv", "--cache-dir", w / "cache"});
  REQUIRE(rec.code == 0);
  const auto doc = nlohmann::json::parse(rec.out);
  double k = 0;
  std::string winner_below;
  for (const auto& line : doc["price_crossovers"]) {
    // "bandwidth price: below x0.226 gpu l4x4-server wins"
    const std::string s = line.get<std::string>();
    const std::string head = "bandwidth price: below x";
    if (s.rfind(head, 0) == 0 && s.size() > 5 && s.substr(s.size() - 5) == " wins") {
      std::istringstream in(s.substr(head.size()));
      std::string family, hardware;
      in >> k >> family >> hardware;
      winner_below = family + " " + hardware;
    }
  }
  REQUIRE(k > 0);
  const double base = 0.05, crossover = k * base, rounding = 0.0005 * base;  // K is printed to 3 digits
  const double tolerance = 0.0005;
  const std::string path = w / "map.yaml";
  std::ofstream(path) << "scenario: " << scen << "\nmode: boundary\n"
                      << "axes:\n  costs.bandwidth: {from: 0.002 USD/GB, to: 0.05 USD/GB, steps: 4}\n"
                      << "  costs.electricity: {from: 0.06 USD/kWh, to: 0.18 USD/kWh, steps: 3}\n"
                      << "tolerance: {costs.bandwidth: 0.0005 USD/GB, costs.electricity: 0.06 USD/kWh}\n";
  auto r = hwplan(w, {"sweep", path, "--out", w / "map.csv", "--cache-dir", w / "cache"});
  INFO(r.out, r.err);
  REQUIRE(r.code == 0);
  // "boundary: 27 recommend call(s) in 6 round(s), against 291 on the full fine grid ..."
  CHECK(number_at(r.out, "boundary: ", true) < number_at(r.out, " on the full fine grid"));
  const auto changes = csv(slurp(w / "map-boundary.csv"));
  bool found = false;
  for (std::size_t i = 1; i < changes.size(); ++i) {
    const auto& c = changes[i];  // along, at_path, at, last_below, first_above, below, above
    if (c[0] != "costs.bandwidth" || c[2] != "0.12 USD/kWh") continue;
    found = true;
    const double lo = std::stod(c[3]), hi = std::stod(c[4]);
    CHECK(c[5] == winner_below);
    CHECK(hi - lo <= tolerance * 1.0001);
    CHECK(lo <= crossover + rounding);
    CHECK(hi >= crossover - rounding);
  }
  CHECK(found);
  // Every point of the map is a variant of the CSV, with recommend's columns.
  const auto rows = csv(slurp(w / "map.csv"));
  CHECK(rows[0][0] == "costs.bandwidth");
  CHECK(std::find(rows[0].begin(), rows[0].end(), "recommended") != rows[0].end());
}

TEST_CASE("no variant loads: the error names the sweep file's line:col of the axis value, its key and the reason") {
  Work w("noload");
  const std::string path = w / "e.yaml";
  // factory-vision's inspection stream: 15 /s, a period of 66.7 ms: a jitter of 40 ms is above half of it.
  std::ofstream(path) << "scenario: " << kSrc << "/scenarios/factory-vision.yaml\nrun: run\naxes:\n"
                      << "  streams.inspection.arrival.jitter: [40 ms, 50 ms]\n";
  auto r = hwplan(w, {"sweep", path, "--out", w / "e.csv", "--no-cache"});
  INFO(r.out, r.err);
  CHECK(r.code == 2);
  // "  streams.inspection.arrival.jitter: [40 ms, ...": '4' at column 39 of line 4.
  CHECK(r.err.find(path + ":4:39: key 'axes.streams.inspection.arrival.jitter[0]', value '40 ms'") != std::string::npos);
  CHECK(r.err.find("jitter must be at most half") != std::string::npos);
  CHECK(r.err.find("streams[0]") == std::string::npos);  // not the scenario's internal key
}

TEST_CASE("--out naming the hwplan executable itself is refused, by sweep, run and recommend, and the binary is untouched") {
  Work w("selfout");
  const std::string exe = w / "hwplan";
  fs::copy_file(HWPLAN_BIN, exe);
  fs::permissions(exe, fs::perms::owner_all);
  const std::string before = slurp(exe);
  const std::string scen = kSrc + "/scenarios/factory-vision.yaml";
  const std::string path = factory_sweep(w, "[2]");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {exe, "sweep", path, "--catalogue", kSrc, "--out", exe, "--force", "--no-cache"},
           {exe, "run", scen, "--catalogue", kSrc, "--out", exe},
           {exe, "recommend", scen, "--catalogue", kSrc, "--out", exe}}) {
    auto r = run(w, args);
    INFO(args[1], r.out, r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find("--out") != std::string::npos);
    CHECK(r.err.find("is the input file") != std::string::npos);
  }
  CHECK(slurp(exe) == before);
}

TEST_CASE("boundary mode over a falling range reports the change in rising order, matching the rows" * doctest::timeout(600)) {
  Work w("falling");
  const std::string path = w / "f.yaml";
  // The review's map had sources written 8 -> 2; here 64 -> 2, so that the answer changes
  // whatever the planner's details (the Jetson loop up to about 33 cameras, nothing feasible
  // at 64). Each change must read "A up to X, then B from Y" with X < Y and A the answer of the
  // rows at X, B that of the rows at Y ("none" where nothing is feasible).
  std::ofstream(path) << "scenario: " << kSrc << "/scenarios/factory-vision.yaml\nmode: boundary\n"
                      << "set: {duration: 5 s, warmup: 1 s}\naxes:\n"
                      << "  streams.inspection.sources: {from: 64, to: 2, steps: 2}\n"
                      << "  streams.inspection.slo.latency: {from: 100 ms, to: 200 ms, steps: 2}\n";
  auto r = hwplan(w, {"sweep", path, "--out", w / "f.csv", "--cache-dir", w / "cache"});
  INFO(r.out, r.err);
  REQUIRE(r.code == 0);
  const auto changes = csv(slurp(w / "f-boundary.csv"));
  const auto rows = csv(slurp(w / "f.csv"));
  const auto& h = rows[0];
  const auto col = [&](const std::string& name) { return static_cast<std::size_t>(std::find(h.begin(), h.end(), name) - h.begin()); };
  // The recommended row's "family hardware" (hybrid_kind train-infer-loop reads "loop edge").
  auto answer_at = [&](const std::string& sources, const std::string& latency) {
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const auto& x = rows[i];
      if (x[0] != sources || x[1] != latency || x[col("recommended")] != "true") continue;
      const std::string fam = x[col("hybrid_kind")] == "train-infer-loop" ? "loop edge" : x[col("family")];
      return fam + " " + x[col("hardware")];
    }
    return std::string("none");
  };
  int along_sources = 0;
  for (std::size_t i = 1; i < changes.size(); ++i) {
    const auto& c = changes[i];  // along, at_path, at, last_below, first_above, below, above, note
    if (c[0] != "streams.inspection.sources") continue;
    ++along_sources;
    CHECK(std::stod(c[3]) < std::stod(c[4]));
    CHECK(c[5] == answer_at(c[3], c[2]));
    CHECK(c[6] == answer_at(c[4], c[2]));
    // A change next to a candidate rejected for too few requests (5 s runs) is flagged, and
    // only then: the note must agree with the rows' reasons at both ends.
    bool thin = false;
    for (std::size_t i2 = 1; i2 < rows.size(); ++i2) {
      const auto& x = rows[i2];
      if ((x[0] == c[3] || x[0] == c[4]) && x[1] == c[2] && x[col("reason")].find("not enough requests to certify") != std::string::npos) thin = true;
    }
    CHECK(c.at(7).empty() == !thin);
    if (thin) CHECK(c[7].find("rejected for too few requests at") != std::string::npos);
  }
  CHECK(along_sources > 0);
}

TEST_CASE("a boundary map's rounds are those that ran something: on a whole-number axis finer steps round to counts already run" *
          doctest::timeout(600)) {
  Work w("rounds");
  const std::string path = w / "g.yaml";
  // 30 to 40 sources on a log scale: 16 fine steps of about 0.6 a source, so the last bisection
  // rounds to counts already asked (it was counted: "5 round(s)" after 4 batches; the review's
  // city map said 5 after 3).
  std::ofstream(path) << "scenario: " << kSrc << "/scenarios/factory-vision.yaml\nmode: boundary\n"
                      << "set: {duration: 5 s, warmup: 1 s}\naxes:\n"
                      << "  streams.inspection.sources: {from: 30, to: 40, steps: 2, scale: log}\n"
                      << "  streams.inspection.slo.latency: {from: 100 ms, to: 200 ms, steps: 2}\n"
                      << "tolerance: {streams.inspection.sources: 1}\nmax_depth: 5\n";
  auto r = hwplan(w, {"sweep", path, "--out", w / "g.csv", "--cache-dir", w / "cache", "--jobs", "1"});
  INFO(r.out, r.err);
  REQUIRE(r.code == 0);
  // The batches run: the distinct totals of the progress lines ("  [ 0.1 s] 1/4 variant 1 ...").
  std::set<std::string> totals;
  std::istringstream lines(r.err);
  for (std::string line; std::getline(lines, line);) {
    const auto v = line.find(" variant ");
    const auto slash = line.rfind('/', v);
    if (v != std::string::npos && slash != std::string::npos && line.find("] ") < slash) totals.insert(line.substr(slash + 1, v - slash - 1));
  }
  REQUIRE(totals.size() >= 2);
  CHECK(r.out.find("recommend call(s) in " + std::to_string(totals.size()) + " round(s)") != std::string::npos);
}

TEST_CASE("--out X.json writes the sweep's JSON document, as run and recommend do, unless --format csv is given") {
  Work w("json-out");
  const std::string path = w / "j.yaml";
  std::ofstream(path) << "scenario: " << kSrc << "/scenarios/factory-vision.yaml\nrun: run\nset: {duration: 2 s, warmup: 0.5 s}\n"
                      << "axes:\n  seed: [3]\n";
  auto r = hwplan(w, {"sweep", path, "--out", w / "s.json", "--no-cache"});
  INFO(r.out, r.err);
  REQUIRE(r.code == 0);
  const std::string json = slurp(w / "s.json");
  CHECK(json.rfind("{", 0) == 0);  // it wrote CSV into s.json before
  CHECK(json.find("\"schema\":\"hwplan-sweep\"") != std::string::npos);
  // --resume reads it back as JSON: nothing runs again.
  r = hwplan(w, {"sweep", path, "--out", w / "s.json", "--no-cache", "--resume"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("1 skipped") != std::string::npos);
  // An explicit --format csv is obeyed whatever the name.
  r = hwplan(w, {"sweep", path, "--out", w / "c.json", "--no-cache", "--format", "csv"});
  REQUIRE(r.code == 0);
  CHECK(slurp(w / "c.json").rfind("seed,variant,", 0) == 0);
}

#ifdef HWPLAN_MPIRUN
TEST_CASE("MPI: rank 0's summary to a pipe whose reader has gone: exit 2 with the reason, not death by SIGPIPE, every row kept") {
  // Before: `hwplan sweep X --mpi | true` (an MPI singleton, or any rank 0 whose stdout is a
  // pipe) died of SIGPIPE in hwplan-mpi (exit 141) without a word: exec() resets hwplan's
  // handler, and hwplan-mpi installed none. (Under mpirun the rank writes to mpirun's
  // forwarding pipe, which stays open whatever mpirun's own reader does.)
  Work w("mpi-pipe");
  const std::string sweep = factory_sweep(w, "[2]");
  const std::string rows = w / "r.csv", err = w / "stderr";
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int gone[2];
    if (::pipe(gone) != 0) ::_exit(126);
    ::close(gone[0]);
    ::dup2(gone[1], 1);
    ::close(gone[1]);
    const int fe = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fe, 2);
    ::signal(SIGPIPE, SIG_DFL);  // as a shell leaves it, whatever the test runner does
    std::vector<std::string> argv{HWPLAN_BIN, "sweep", sweep, "--mpi", "--out", rows, "--jobs", "2", "--no-cache"};
    std::vector<char*> a;
    for (auto& s : argv) a.push_back(s.data());
    a.push_back(nullptr);
    ::execv(a[0], a.data());
    ::_exit(127);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  const std::string said = slurp(err);
  INFO(said);
  REQUIRE_FALSE(WIFSIGNALED(status));  // was SIGPIPE
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(said.find("error: cannot write to standard output: Broken pipe") != std::string::npos);
  CHECK(said.find("internal error") == std::string::npos);
  CHECK(csv(slurp(rows)).size() == 1 + 2 * 3);  // the header and every row: only the summary was lost
}
#endif

#ifdef HWPLAN_MPIRUN
TEST_CASE("hwplan sweep --mpi without the engine module: 'error: cannot find the simulation engine', exit 1, not an internal error" *
          doctest::timeout(300)) {
  // Each rank asks its simulator for the cache's key ('hwplan simulate --build-id'): a node
  // without the module was 'internal error: ... --build-id failed: error: cannot find ...'.
  Work w("mpi-noengine");
  const std::string sweep = factory_sweep(w);
  const fs::path dir = fs::path(w / "nomod");
  fs::create_directories(dir);
  for (const char* f : {"hwplan", "hwplan-mpi"}) {
    fs::copy_file(fs::path(HWPLAN_BIN).parent_path() / f, dir / f);
    fs::permissions(dir / f, fs::perms::owner_all);
  }
  auto m = run(w, {HWPLAN_MPIRUN, "--allow-run-as-root", "--oversubscribe", "-n", "2", (dir / "hwplan").string(), "sweep", sweep, "--mpi",
                   "--out", w / "m.csv", "--jobs", "1"});
  INFO(m.out, m.err);
  CHECK(m.code == 1);
  CHECK(m.err.find("error: cannot find the simulation engine hwplan-engine.so (looked in: " + (dir / "hwplan-engine.so").string()) !=
        std::string::npos);
  CHECK(m.err.find("internal error") == std::string::npos);
  CHECK(m.err.find("--build-id failed") == std::string::npos);
  CHECK_FALSE(fs::exists(w / "m.csv"));
}
#endif
