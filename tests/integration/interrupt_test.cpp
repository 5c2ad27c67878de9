// Interruption as a terminal sends it: SIGINT to the whole process group (Ctrl-C), SIGTERM,
// SIGKILL. An interrupted `hwplan recommend` prints no recommendation, exits 130 / 143,
// says how many simulations it kept, leaves no process behind, and a rerun re-simulates
// none of the simulations that had finished.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

const std::string kSrc = HWPLAN_SOURCE_DIR;

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

struct Work {
  fs::path dir, cache, out, err;
  explicit Work(const std::string& name) {
    dir = fs::path(HWPLAN_WORK_DIR) / ("interrupt-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    cache = dir / "cache";
    out = dir / "stdout";
    err = dir / "stderr";
  }
  ~Work() { fs::remove_all(dir); }
};

// Starts `hwplan args...` as the leader of a new process group, as a shell does for a job;
// with `ignore_sigint`, as a non-interactive shell starts a background job: SIGINT ignored.
// `in`: a file for its stdin (else this process's).
pid_t start(const Work& w, const std::vector<std::string>& args, bool ignore_sigint = false, bool ignore_sighup = false,
            const fs::path& in = {}) {
  std::vector<std::string> all{HWPLAN_BIN};
  all.insert(all.end(), args.begin(), args.end());
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setpgid(0, 0);
    if (ignore_sigint) ::signal(SIGINT, SIG_IGN);  // kept across execv
    if (ignore_sighup) ::signal(SIGHUP, SIG_IGN);  // as nohup
    const int o = ::open(w.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = ::open(w.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(o, 1);
    ::dup2(e, 2);
    if (!in.empty()) ::dup2(::open(in.c_str(), O_RDONLY), 0);
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  return pid;
}

std::size_t entries(const fs::path& cache) {
  std::size_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(cache, ec)) n += e.path().extension() == ".json" ? 1 : 0;
  return n;
}

struct Proc {
  std::string pid, comm, state;
  long ppid = 0;
};

// The processes of process group `pgid` (zombies included), from /proc.
std::vector<Proc> group_of(pid_t pgid) {
  std::vector<Proc> out;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream f(e.path() / "stat");
    std::string line;
    std::getline(f, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    Proc p;
    long pgrp = 0;
    rest >> p.state >> p.ppid >> pgrp;
    p.pid = name;
    p.comm = line.substr(0, close + 1);
    if (pgrp == pgid) out.push_back(p);
  }
  return out;
}

// Processes (not zombies) of process group `pgid`.
int group_alive(pid_t pgid) {
  int n = 0;
  for (const auto& p : group_of(pgid)) n += p.state != "Z" ? 1 : 0;
  return n;
}

// "pid state (comm) ppid N" of each process of group `pgid` still there, for a failure's message.
std::string group_listing(pid_t pgid) {
  std::string out;
  for (const auto& p : group_of(pgid)) out += p.pid + " " + p.state + " " + p.comm + " ppid " + std::to_string(p.ppid) + "\n";
  return out.empty() ? "(none)" : out;
}

std::vector<std::string> recommend_args(const Work& w, const std::string& runner = "fork") {
  return {"recommend", kSrc + "/scenarios/city-cctv.yaml", "--cache-dir", w.cache.string(), "--out", (w.dir / "r.csv").string(),
          "--runner", runner};
}

// Waits until `n` simulations have finished (their results are in the cache).
void wait_for_results(const Work& w, std::size_t n) {
  for (int i = 0; i < 1200 && entries(w.cache) < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  REQUIRE(entries(w.cache) >= n);
}

struct Stopped {
  int status = 0;
  double seconds = 0;
};

Stopped signal_and_wait(pid_t target, int sig, pid_t pid) {
  const auto t0 = std::chrono::steady_clock::now();
  ::kill(target, sig);
  Stopped s;
  ::waitpid(pid, &s.status, 0);
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s;
}

// "N probe(s): X simulated, Y from the cache" of a finished recommend.
std::size_t cache_hits(const std::string& out) {
  std::smatch m;
  REQUIRE(std::regex_search(out, m, std::regex(R"((\d+) probe\(s\): (\d+) simulated, (\d+) from the cache)")));
  return std::stoul(m[3]);
}

void rerun_uses_every_kept_result(const Work& w, std::size_t kept) {
  const pid_t again = start(w, recommend_args(w));
  int status = 0;
  ::waitpid(again, &status, 0);
  INFO("rerun's stdout: " << slurp(w.out));
  INFO("rerun's stderr: " << slurp(w.err));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(cache_hits(slurp(w.out)) >= kept);
}

}  // namespace

namespace {

void ctrl_c(const std::string& runner) {
  Work w("sigint-" + runner);
  const pid_t pid = start(w, recommend_args(w, runner));
  wait_for_results(w, 2);
  const Stopped s = signal_and_wait(-pid, SIGINT, pid);
  MESSAGE("stopped " << s.seconds << " s after SIGINT");
  // Shown only if a check below fails (one failed once under a loaded full-suite run, and
  // what it had printed was not kept).
  const std::string listing = group_listing(pid);
  INFO("status " << s.status << "; stdout: " << slurp(w.out));
  INFO("stderr: " << slurp(w.err));
  INFO("cache entries after exit: " << entries(w.cache) << "; processes of the group: " << listing);
  REQUIRE(WIFEXITED(s.status));
  CHECK(WEXITSTATUS(s.status) == 130);
  CHECK(s.seconds < 1.0);
  CHECK(slurp(w.out).empty());  // no table, no recommendation
  const std::string err = slurp(w.err);
  CHECK(err.find("interrupted (SIGINT): no recommendation") != std::string::npos);
  std::smatch m;
  REQUIRE(std::regex_search(err, m, std::regex(R"((\d+) simulation\(s\) finished and are kept in the cache)")));
  const std::size_t kept = entries(w.cache);
  CHECK(std::stoul(m[1]) == kept);
  CHECK(group_alive(pid) == 0);  // no child left
  rerun_uses_every_kept_result(w, kept);
}

}  // namespace

TEST_CASE("interrupt: Ctrl-C (SIGINT to the process group) stops recommend at once, with no answer and nothing lost") {
  ctrl_c("fork");
}

TEST_CASE("interrupt: Ctrl-C stops recommend the same way when simulations run in 'hwplan simulate --serve' children") {
  ctrl_c("process");
}

// Whether process `pid` ignores signal `sig` (the SigIgn mask of /proc/PID/status).
bool ignores(const std::string& pid, int sig) {
  std::ifstream f("/proc/" + pid + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("SigIgn:", 0) == 0) return (std::stoull(line.substr(7), nullptr, 16) >> (sig - 1)) & 1U;
  }
  return false;
}

TEST_CASE("interrupt: started with SIGINT ignored (a script's background job), the simulating children ignore it too, and Ctrl-C still stops the run") {
  // Before, every child reset SIGINT to its default: a `kill -INT` to the group that came
  // before hwplan's own handler was in place (which hwplan then ignored) killed a child alone
  // and failed its work ("internal error" from a sweep's build-id child).
  Work w("sigign");
  const pid_t pid = start(w, recommend_args(w, "process"), true);
  // A server once it runs its own code: its command line says --serve (between vfork and exec
  // a child still has ours, and our handlers until it resets them).
  auto serving = [](const std::string& p) {
    std::ifstream f("/proc/" + p + "/cmdline");
    const std::string cmd((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    return cmd.find(std::string("simulate\0--serve", 16)) != std::string::npos;
  };
  std::string child;
  for (int i = 0; i < 400 && child.empty(); ++i) {
    for (const auto& p : group_of(pid)) {
      if (p.pid != std::to_string(pid) && p.state != "Z" && serving(p.pid)) child = p.pid;
    }
    if (child.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE_FALSE(child.empty());
  CHECK(ignores(child, SIGINT));
  CHECK_FALSE(ignores(child, SIGTERM));  // only what hwplan was started ignoring
  // hwplan itself still answers Ctrl-C once it runs: it stops, says so, keeps what finished.
  wait_for_results(w, 2);
  const Stopped s = signal_and_wait(-pid, SIGINT, pid);
  INFO("status " << s.status << "; stdout: " << slurp(w.out) << "; stderr: " << slurp(w.err));
  REQUIRE(WIFEXITED(s.status));
  CHECK(WEXITSTATUS(s.status) == 130);
  CHECK(s.seconds < 1.0);
  CHECK(slurp(w.out).empty());
  CHECK(slurp(w.err).find("interrupted (SIGINT): no recommendation") != std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(group_alive(pid) == 0);
}

TEST_CASE("interrupt: Ctrl-C of recommend --no-cache says nothing was kept, and does not offer a resume") {
  Work w("nocache");
  // Without --cache-dir: --no-cache with --cache-dir is refused as a contradiction.
  std::vector<std::string> args{"recommend", kSrc + "/scenarios/city-cctv.yaml", "--out", (w.dir / "r.csv").string(), "--no-cache"};
  const pid_t pid = start(w, args);
  for (int i = 0; i < 600 && slurp(w.err).find("planning '") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // planning: the handler is in place
  const Stopped s = signal_and_wait(-pid, SIGINT, pid);
  const std::string err = slurp(w.err);
  INFO("status " << s.status << "; stderr: " << err);
  REQUIRE(WIFEXITED(s.status));
  CHECK(WEXITSTATUS(s.status) == 130);
  CHECK(slurp(w.out).empty());
  CHECK(err.find("are lost (--no-cache)") != std::string::npos);
  CHECK(err.find("to resume") == std::string::npos);  // nothing was kept to resume from
  CHECK(err.find("without --no-cache") != std::string::npos);
  CHECK_FALSE(fs::exists(w.cache));
}

TEST_CASE("interrupt: SIGTERM to the process stops it the same way, exit 143") {
  Work w("sigterm");
  const pid_t pid = start(w, recommend_args(w));
  wait_for_results(w, 1);
  const Stopped s = signal_and_wait(pid, SIGTERM, pid);
  INFO("status " << s.status << " after " << s.seconds << " s; stdout: " << slurp(w.out));
  INFO("stderr: " << slurp(w.err));
  REQUIRE(WIFEXITED(s.status));
  CHECK(WEXITSTATUS(s.status) == 143);
  CHECK(s.seconds < 1.0);
  CHECK(slurp(w.out).empty());
  CHECK(slurp(w.err).find("interrupted (SIGTERM)") != std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(group_alive(pid) == 0);
}

TEST_CASE("interrupt: SIGHUP (the terminal closed) stops it the same way, exit 129. under nohup (SIGHUP ignored) it runs on") {
  Work w("sighup");
  const pid_t pid = start(w, recommend_args(w));
  wait_for_results(w, 1);
  const Stopped s = signal_and_wait(-pid, SIGHUP, pid);
  INFO("status " << s.status << " after " << s.seconds << " s; stdout: " << slurp(w.out));
  INFO("stderr: " << slurp(w.err));
  REQUIRE(WIFEXITED(s.status));  // before: killed by SIGHUP, with no word and a sweep's lock left
  CHECK(WEXITSTATUS(s.status) == 129);
  CHECK(s.seconds < 1.0);
  CHECK(slurp(w.out).empty());
  CHECK(slurp(w.err).find("interrupted (SIGHUP)") != std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(group_alive(pid) == 0);

  Work n("nohup");
  const pid_t kept = start(n, recommend_args(n), false, true);
  wait_for_results(n, 1);
  ::kill(-kept, SIGHUP);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  int status = 0;
  CHECK(::waitpid(kept, &status, WNOHANG) == 0);  // still running, children too
  const Stopped t = signal_and_wait(kept, SIGTERM, kept);
  REQUIRE(WIFEXITED(t.status));
  CHECK(WEXITSTATUS(t.status) == 143);
}

TEST_CASE("interrupt: after SIGKILL of the parent alone its children exit, and a rerun keeps what had finished") {
  Work w("sigkill");
  const pid_t pid = start(w, recommend_args(w));
  wait_for_results(w, 1);
  const Stopped s = signal_and_wait(pid, SIGKILL, pid);
  CHECK(WIFSIGNALED(s.status));
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    gone = group_alive(pid) == 0;
  }
  CHECK(gone);  // the simulations died with their parent
  const std::size_t kept = entries(w.cache);
  rerun_uses_every_kept_result(w, kept);
}

TEST_CASE("interrupt: Ctrl-C while the answer is printed to a blocked pipe says the answer is cut and the report not written, exit 130") {
  // Before, the default action was back in place while printing: the process died of the
  // signal with the table cut mid-line, no report file and nothing said.
  Work w("answer");
  const fs::path report = w.dir / "r.csv";
  const std::vector<std::string> args{"recommend", kSrc + "/scenarios/factory-vision.yaml", "--cache-dir", w.cache.string(), "--out",
                                      report.string(), "--format", "json"};
  {  // fill the cache: the second run prints its answer at once
    const pid_t first = start(w, args);
    int status = 0;
    ::waitpid(first, &status, 0);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    REQUIRE(slurp(w.out).size() > 8192);  // the JSON answer is more than the pipe below holds
    fs::remove(report);
  }
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  REQUIRE(::fcntl(fds[1], F_SETPIPE_SZ, 4096) >= 4096);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setpgid(0, 0);
    ::close(fds[0]);
    ::dup2(fds[1], 1);
    const int e = ::open(w.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(e, 2);
    std::vector<std::string> all{HWPLAN_BIN};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  ::close(fds[1]);
  // Nobody reads: the pipe fills and hwplan blocks writing the answer.
  int queued = 0;
  for (int i = 0; i < 600 && queued < 4096; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    REQUIRE(::ioctl(fds[0], FIONREAD, &queued) == 0);
  }
  REQUIRE(queued >= 4096);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const Stopped s = signal_and_wait(-pid, SIGINT, pid);
  ::close(fds[0]);
  const std::string err = slurp(w.err);
  INFO("status " << s.status << "; stderr: " << err);
  REQUIRE(WIFEXITED(s.status));  // not killed by the signal
  CHECK(WEXITSTATUS(s.status) == 130);
  CHECK(s.seconds < 2.0);
  CHECK(err.find("interrupted (SIGINT) while writing the answer: the answer above is incomplete; report file " + report.string() +
                 " not written") != std::string::npos);
  CHECK(err.find("wrote ") == std::string::npos);
  CHECK_FALSE(fs::exists(report));
}

namespace {

// Waits at most `limit_s` for `pid`; past it, kills its group and fails (a hang, not a slow exit).
Stopped wait_at_most(pid_t pid, double limit_s, std::chrono::steady_clock::time_point t0) {
  Stopped s;
  for (;;) {
    if (::waitpid(pid, &s.status, WNOHANG) == pid) break;
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (s.seconds > limit_s) {
      const std::string listing = group_listing(pid);
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &s.status, 0);
      FAIL("still running " << limit_s << " s after the signal (hung); its group: " << listing);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s;
}

// Waits until process `pid` has its own SIGINT handler in place (SigCgt of /proc/PID/status):
// before it, as in any program, the signal takes the action it was started with.
// Only once it runs hwplan: between fork and exec a child has this test's handlers (doctest's).
void wait_for_handler(pid_t pid) {
  bool caught = false;
  for (int i = 0; i < 2000 && !caught; ++i) {
    std::ifstream c("/proc/" + std::to_string(pid) + "/cmdline");
    const std::string cmd((std::istreambuf_iterator<char>(c)), std::istreambuf_iterator<char>());
    std::ifstream f("/proc/" + std::to_string(pid) + "/status");
    if (cmd.find(std::string("\0simulate", 9)) == std::string::npos) f.close();
    std::string line;
    while (std::getline(f, line)) {
      if (line.rfind("SigCgt:", 0) == 0) caught = (std::stoull(line.substr(7), nullptr, 16) >> (SIGINT - 1)) & 1U;
    }
    if (!caught) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  REQUIRE(caught);
}

// One resolved SimInput of city-cctv (its first candidate: about 7 s of simulation), in `w.dir`.
fs::path sim_input(const Work& w) {
  const fs::path in = w.dir / "sim.json";
  const pid_t pid = start(w, {"run", kSrc + "/scenarios/city-cctv.yaml", "--dump-inputs"});
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  const std::string all = slurp(w.out);
  std::ofstream(in) << all.substr(0, all.find('\n') + 1);
  REQUIRE(fs::file_size(in) > 100);
  return in;
}

}  // namespace

TEST_CASE("interrupt: Ctrl-C of 'hwplan simulate' at any moment ends it at once, exit 130, no result, saying so") {
  // Before, SimGrid's own SIGINT handler (installed by the engine) called exit() from the
  // handler: exit 1 with nothing said, or, when the signal came while the simulation held
  // malloc's lock, a process hung for good. At random early moments, to land in the engine's
  // start and its sends; half of them started ignoring SIGINT, as a script's background job is.
  Work w("simulate");
  const fs::path in = sim_input(w);
  std::mt19937 rng(20261203);
  std::uniform_int_distribution<int> ms(0, 600);
  for (int i = 0; i < 20; ++i) {
    const int delay = i == 0 ? 0 : ms(rng);
    CAPTURE(i);
    CAPTURE(delay);
    const pid_t pid = start(w, {"simulate"}, i % 2 == 1, false, in);
    wait_for_handler(pid);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    const auto t0 = std::chrono::steady_clock::now();
    ::kill(-pid, SIGINT);
    const Stopped s = wait_at_most(pid, 5.0, t0);
    INFO("status " << s.status << " after " << s.seconds << " s; stderr: " << slurp(w.err));
    REQUIRE(WIFEXITED(s.status));
    CHECK(WEXITSTATUS(s.status) == 130);
    CHECK(s.seconds < 1.0);
    CHECK(slurp(w.out).empty());  // no result, not even a part of one
    CHECK(slurp(w.err) == "interrupted (SIGINT): stopped, no result\n");
  }
  // SIGTERM the same way, 143.
  const pid_t pid = start(w, {"simulate"}, false, false, in);
  wait_for_handler(pid);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto t0 = std::chrono::steady_clock::now();
  ::kill(pid, SIGTERM);
  const Stopped s = wait_at_most(pid, 5.0, t0);
  REQUIRE(WIFEXITED(s.status));
  CHECK(WEXITSTATUS(s.status) == 143);
  CHECK(slurp(w.out).empty());
  CHECK(slurp(w.err) == "interrupted (SIGTERM): stopped, no result\n");
}

TEST_CASE("interrupt: Ctrl-C of 'hwplan simulate --serve' prints no result for the simulation it stopped, exit 130") {
  // Before, the server answered with a failed RunResult ("simulation process exited with
  // status 1 and no result": SimGrid's handler in its child) and exited 0.
  Work w("serve");
  const fs::path in = sim_input(w);
  for (const bool ignoring : {false, true}) {  // started ignoring SIGINT: the reviewer's `setsid hwplan ... &` in a script
    CAPTURE(ignoring);
    fs::remove(w.out);  // no progress line of the round before
    const pid_t pid = start(w, {"simulate", "--serve"}, ignoring, false, in);
    wait_for_handler(pid);
    // Until it runs the simulation (its first progress line).
    for (int i = 0; i < 600 && slurp(w.out).find('~') == std::string::npos; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(slurp(w.out).find('~') != std::string::npos);
    const auto t0 = std::chrono::steady_clock::now();
    ::kill(-pid, SIGINT);
    const Stopped s = wait_at_most(pid, 5.0, t0);
    const std::string out = slurp(w.out);
    INFO("status " << s.status << "; stdout: " << out << "; stderr: " << slurp(w.err));
    REQUIRE(WIFEXITED(s.status));
    CHECK(WEXITSTATUS(s.status) == 130);
    CHECK(s.seconds < 1.0);
    CHECK(out.find('{') == std::string::npos);  // progress lines only: no RunResult
    CHECK(slurp(w.err) == "interrupted (SIGINT): the simulation of stdin line 1 was stopped, no result for it\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(group_alive(pid) == 0);  // its simulation's child too
  }
}

TEST_CASE("interrupt: Ctrl-C of run keeps the simulations that finished in the result cache, and a rerun reuses them") {
  // Before, run had no cache: "no report. 1 of 4 simulation(s) had finished" and a rerun
  // simulated all four again, though the README said finished simulations are kept.
  Work w("run");
  const std::vector<std::string> args{"run", kSrc + "/scenarios/city-cctv.yaml", "--cache-dir", w.cache.string(), "--out",
                                      (w.dir / "r.csv").string(), "--jobs", "1"};
  const pid_t pid = start(w, args);
  wait_for_results(w, 1);
  const Stopped s = signal_and_wait(-pid, SIGINT, pid);
  const std::string err = slurp(w.err);
  INFO("status " << s.status << "; stderr: " << err);
  REQUIRE(WIFEXITED(s.status));
  CHECK(WEXITSTATUS(s.status) == 130);
  CHECK(s.seconds < 1.0);
  CHECK(slurp(w.out).empty());
  std::smatch m;
  REQUIRE(std::regex_search(err, m, std::regex(R"(interrupted \(SIGINT\): no report\. (\d+) of 4 simulation\(s\) had finished and are kept in the cache )")));
  const std::size_t kept = entries(w.cache);
  CHECK(kept >= 1);
  CHECK(std::stoul(m[1]) == kept);
  CHECK(err.find("Run the same command again to reuse them.") != std::string::npos);
  CHECK_FALSE(fs::exists(w.dir / "r.csv"));

  const pid_t again = start(w, args);
  int status = 0;
  ::waitpid(again, &status, 0);
  const std::string err2 = slurp(w.err);
  INFO("rerun's stderr: " << err2);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  REQUIRE(std::regex_search(err2, m, std::regex(R"((\d+) of 4 simulation\(s\) from the cache )")));
  CHECK(std::stoul(m[1]) >= kept);
  CHECK(fs::exists(w.dir / "r.csv"));
}
