#include "sim/run/runner.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <stdexcept>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "sim/run/cache.hpp"
#include "sim/run/json.hpp"
#include "sim/run/progress.hpp"

namespace hw {
namespace {

constexpr std::size_t kErrKeep = 4096;  // bytes of a child's stderr kept for its error message

[[noreturn]] void sys_fail(const char* what) { throw std::runtime_error(fmt::format("{}: {}", what, std::strerror(errno))); }

// A child that cannot start for want of processes or memory is the system's limit, not a
// bug: SpawnError, which the CLI explains.
[[noreturn]] void spawn_fail(const char* what) {
  const int err = errno;
  if (err == EAGAIN || err == ENOMEM) throw SpawnError(fmt::format("cannot start a simulation process: {}: {}", what, std::strerror(err)), err);
  sys_fail(what);
}

void set_nonblock(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

void write_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    const ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    off += static_cast<std::size_t>(n);
  }
}

// In a forked child: where progress lines go (its result pipe), and when the last one went.
int g_progress_fd = -1;
std::chrono::steady_clock::time_point g_progress_last{};

// The child's progress sink: a line "~0.430" at most every 0.2 s of wall time (the first at
// once).
void child_progress(double fraction) noexcept {
  const auto now = std::chrono::steady_clock::now();
  if (g_progress_fd < 0 || now - g_progress_last < std::chrono::milliseconds(200)) return;
  g_progress_last = now;
  char line[32];
  const int n = std::snprintf(line, sizeof line, "%c%.3f\n", kProgressMark, fraction);
  if (n > 0) write_all(g_progress_fd, std::string(line, static_cast<std::size_t>(n)));
}

// The signals a child resets, and whether this process was started with each ignored: a
// background job of a script starts with SIGINT ignored, and its children must ignore it
// too, or a `kill -INT` to the job's group, sent before this process's own handler is in
// place (which this process then ignores), kills a child alone and fails its work for no
// reason. Read once at start-up, before main() (a static initialiser), before anything
// installs a handler.
constexpr int kResetSignals[] = {SIGINT, SIGTERM, SIGPIPE, SIGHUP};
struct StartedIgnoring {
  bool ignored[std::size(kResetSignals)] = {};
  StartedIgnoring() {
    for (std::size_t k = 0; k < std::size(kResetSignals); ++k) {
      struct sigaction sa {};
      ignored[k] = ::sigaction(kResetSignals[k], nullptr, &sa) == 0 && (sa.sa_flags & SA_SIGINFO) == 0 && sa.sa_handler == SIG_IGN;
    }
  }
};
const StartedIgnoring g_started_ignoring;

// In a new child, before anything else: die with the parent (no orphan burning a core),
// and take, on the signals the parent catches, the action this process started with (the
// default, or ignored where it was started ignoring the signal).
void child_setup(pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(1);  // the parent died before prctl
  for (std::size_t k = 0; k < std::size(kResetSignals); ++k) {
    ::signal(kResetSignals[k], g_started_ignoring.ignored[k] ? SIG_IGN : SIG_DFL);
  }
  // Any other handler of the parent's, too (a vfork child would run it in the parent's
  // memory; system calls only: no allocation).
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction sa {};
    if (::sigaction(sig, nullptr, &sa) != 0) continue;
    if ((sa.sa_flags & SA_SIGINFO) == 0 && (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN)) continue;
    sa = {};
    sa.sa_handler = SIG_DFL;
    ::sigaction(sig, &sa, nullptr);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

// The children of `pid` (a `hwplan simulate --serve` server forks one per simulation), from
// /proc; empty where the kernel does not list them.
std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> out;
  std::ifstream f("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  pid_t c = 0;
  while (f >> c) out.push_back(c);
  return out;
}

// True once `pid` has exited (gone, or a zombie waiting for whoever adopted it).
bool exited(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(f, line)) return true;
  const auto close = line.rfind(')');
  if (close == std::string::npos || close + 2 >= line.size()) return true;
  return line[close + 2] == 'Z' || line[close + 2] == 'X';
}

RunResult failed(const SimInput& in, std::string why) {
  RunResult r;
  r.label = in.label;
  r.ok = false;
  r.error = std::move(why);
  return r;
}

std::string last_line(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  const auto at = s.rfind('\n');
  return at == std::string::npos ? s : s.substr(at + 1);
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

SpawnError::SpawnError(const std::string& what, int err) : std::runtime_error(what), err_(err) {}

std::string self_exe() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) sys_fail("readlink /proc/self/exe");
  return std::string(buf, static_cast<std::size_t>(n));
}

// ---- ChildRunner ----

ChildRunner::ChildRunner(int slots)
    : slots_(slots > 0 ? slots : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()))) {
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) sys_fail("pipe");
}

ChildRunner::~ChildRunner() {
  kill_all();
  close_fd(wake_[0]);
  close_fd(wake_[1]);
}

void ChildRunner::cancel() noexcept {
  cancelled_.store(true);
  wake();
}

void ChildRunner::wake() noexcept {
  if (wake_[1] >= 0) {
    const char c = 'x';
    [[maybe_unused]] const ssize_t n = ::write(wake_[1], &c, 1);  // async-signal-safe
  }
}

void ChildRunner::kill_all() noexcept {
  // A server's own simulation child dies with it (PR_SET_PDEATHSIG), but only some time after
  // the server is reaped: killed here too, and waited for below, so that when this returns no
  // process of the run is left (a Ctrl-C'd recommend exits with nothing still running).
  std::vector<pid_t> grandchildren;
  for (auto& c : procs_) {
    for (pid_t g : children_of(c.s.pid)) grandchildren.push_back(g);
  }
  for (auto& c : procs_) ::kill(c.s.pid, SIGKILL);
  for (pid_t g : grandchildren) ::kill(g, SIGKILL);
  for (auto& c : procs_) {
    close_fd(c.s.out_fd);
    close_fd(c.s.err_fd);
    close_fd(c.s.in_fd);
    (void)wait_child(c.s.pid);
  }
  procs_.clear();
  // Killed with SIGKILL, they exit within milliseconds; wait at most 1 s.
  for (int i = 0; i < 200 && !std::all_of(grandchildren.begin(), grandchildren.end(), exited); ++i) ::usleep(5000);
  after_kill_all();
}

ChildRunner::Spawned ChildRunner::spawned(int pid, int in_fd, int out_fd, int err_fd) {
  Spawned s;
  s.pid = pid;
  s.in_fd = in_fd;
  s.out_fd = out_fd;
  s.err_fd = err_fd;
  for (int fd : {in_fd, out_fd, err_fd}) {
    if (fd >= 0) set_nonblock(fd);
  }
  return s;
}

int ChildRunner::wait_child(int pid) noexcept {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 0;
  }
  return status;
}

namespace {

// Why a child that ended without a (complete) result ended. A child that ran out of memory
// says so, whatever it died of (SimGrid aborts when it cannot allocate an actor's stack;
// C++ throws std::bad_alloc): the fix is fewer parallel simulations or more memory, not a
// bug report. SimGrid's backtrace is not kept: it names addresses only.
std::string exit_reason(int status, const std::string& err) {
  const std::string tail = last_line(err);
  static const std::pair<const char*, const char*> kOutOfMemory[] = {
      {"Failed to allocate stack", "SimGrid could not allocate an actor's stack"},
      {"std::bad_alloc", "an allocation failed (std::bad_alloc)"},
      {"Cannot allocate memory", "an allocation failed (Cannot allocate memory)"},
  };
  for (const auto& [needle, what] : kOutOfMemory) {
    if (err.find(needle) == std::string::npos) continue;
    const std::string how = WIFSIGNALED(status) ? fmt::format("killed by signal {}, {}", WTERMSIG(status), strsignal(WTERMSIG(status)))
                                                : fmt::format("exited with status {}", WEXITSTATUS(status));
    return fmt::format("simulation ran out of memory: {} (the process was {}); lower --jobs or raise the memory limit", what, how);
  }
  if (WIFSIGNALED(status)) {
    return fmt::format("simulation process killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
  }
  return fmt::format("simulation process exited with status {}{}", WEXITSTATUS(status), tail.empty() ? " and no result" : ": " + tail);
}

RunResult parse_result(const SimInput& in, const std::string& text) {
  try {
    return run_result_from_json(nlohmann::json::parse(text));
  } catch (const std::exception& e) {
    return failed(in, std::string("unreadable result from simulation process: ") + e.what());
  }
}

}  // namespace

void ChildRunner::submit(std::vector<Job> jobs) {
  {
    std::lock_guard lock(queue_mu_);
    for (auto& j : jobs) queue_.push_back(std::move(j));
  }
  wake();
}

std::size_t ChildRunner::busy() const {
  std::size_t k = 0;
  for (const auto& c : procs_) k += c.job ? 1 : 0;
  return k;
}

void ChildRunner::deliver(Job& job, RunResult r) {
  // After cancel(), a child that failed (killed by the same Ctrl-C, say) gives no result;
  // one that finished cleanly still does.
  if (cancelled() && !r.ok) r = failed(job.input, kCancelled);
  job.done(std::move(r));
}

void ChildRunner::drive(const std::function<bool()>& until) {
  const bool persistent = servers();
  auto fail_everything = [&] {
    kill_all_jobs();
  };
  try {
    if (persistent && start_early_) {
      while (procs_.size() < static_cast<std::size_t>(slots_) && !cancelled() && !until()) {
        try {
          procs_.push_back(Proc{spawn(nullptr), std::nullopt, {}, {}, 0});
        } catch (const std::exception&) {
          break;  // tried again, and said, when a job needs this slot
        }
      }
    }
    while (!until()) {
      if (cancelled()) {
        fail_everything();
        if (until()) break;
        // Nothing can run any more: sleep until someone submits (to be failed) or stops us.
        pollfd w{wake_[0], POLLIN, 0};
        if (::poll(&w, 1, -1) > 0) {
          char buf[64];
          while (::read(wake_[0], buf, sizeof buf) > 0) {
          }
        }
        continue;
      }
      // Hand out work: to an idle server, a new server, or a new forked child.
      while (busy() < static_cast<std::size_t>(slots_) && !cancelled()) {
        Job job;
        {
          std::lock_guard lock(queue_mu_);
          if (queue_.empty()) break;
          job = std::move(queue_.front());
          queue_.pop_front();
        }
        Proc* to = nullptr;
        if (persistent) {
          for (auto& c : procs_) {
            if (!c.job && c.s.out_fd >= 0) to = &c;
          }
        }
        if (!to) {
          try {
            procs_.push_back(Proc{spawn(persistent ? nullptr : &job.input), std::nullopt, {}, {}, 0});
          } catch (...) {
            // Back in the queue, so that the cleanup below fails it: its caller must not
            // wait for ever for a job nobody holds.
            std::lock_guard lock(queue_mu_);
            queue_.push_front(std::move(job));
            throw;
          }
          to = &procs_.back();
        }
        if (persistent) to->s.in_data += canonical_json(job.input) + "\n";
        to->progress = -1;
        if (job.started) job.started();
        to->job = std::move(job);
        if (on_start_) on_start_();
      }
      if (cancelled()) continue;
      std::vector<pollfd> pfds{pollfd{wake_[0], POLLIN, 0}};
      struct Slot {
        std::size_t proc;
        int which;  // 0 out, 1 err, 2 in
      };
      std::vector<Slot> slots;
      for (std::size_t i = 0; i < procs_.size(); ++i) {
        const auto& s = procs_[i].s;
        if (s.out_fd >= 0) pfds.push_back({s.out_fd, POLLIN, 0}), slots.push_back({i, 0});
        if (s.err_fd >= 0) pfds.push_back({s.err_fd, POLLIN, 0}), slots.push_back({i, 1});
        if (s.in_fd >= 0 && procs_[i].in_off < s.in_data.size()) pfds.push_back({s.in_fd, POLLOUT, 0}), slots.push_back({i, 2});
      }
      if (::poll(pfds.data(), pfds.size(), -1) < 0) {
        if (errno == EINTR) continue;  // a signal: its handler may have cancelled
        sys_fail("poll");
      }
      if (pfds[0].revents) {
        char buf[64];
        while (::read(wake_[0], buf, sizeof buf) > 0) {
        }
      }
      for (std::size_t k = 0; k < slots.size(); ++k) {
        const short ev = pfds[k + 1].revents;
        if (!ev) continue;
        Proc& c = procs_[slots[k].proc];
        if (slots[k].which == 2) {
          std::string& d = c.s.in_data;
          const ssize_t w = ::send(c.s.in_fd, d.data() + c.in_off, d.size() - c.in_off, MSG_NOSIGNAL);
          if (w > 0) c.in_off += static_cast<std::size_t>(w);
          if (w < 0 && errno != EAGAIN && errno != EINTR) {
            close_fd(c.s.in_fd);  // the child is gone: its exit says why
          } else if (c.in_off >= d.size()) {
            d.clear();
            c.in_off = 0;
            if (!persistent) close_fd(c.s.in_fd);  // a one-shot child reads to the end of its input
          }
          continue;
        }
        int& fd = slots[k].which == 0 ? c.s.out_fd : c.s.err_fd;
        char buf[65536];
        const ssize_t r = ::read(fd, buf, sizeof buf);
        if (r > 0) {
          std::string& to = slots[k].which == 0 ? c.out : c.err;
          to.append(buf, static_cast<std::size_t>(r));
          if (slots[k].which == 1 && to.size() > 2 * kErrKeep) to.erase(0, to.size() - kErrKeep);
          // Progress lines come before the result (sim/run/progress.hpp).
          bool moved = false;
          while (slots[k].which == 0 && !c.out.empty() && c.out[0] == kProgressMark) {
            const auto nl = c.out.find('\n');
            if (nl == std::string::npos) break;
            const double f = std::strtod(c.out.c_str() + 1, nullptr);
            if (c.job && std::isfinite(f)) c.progress = std::clamp(f, 0.0, 1.0), moved = true;
            c.out.erase(0, nl + 1);
          }
          if (moved && on_start_) on_start_();  // the same "report now" hook as a start
        } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
          close_fd(fd);
        }
      }
      // Results: a complete line from a server, or the whole output of a finished child.
      for (std::size_t i = 0; i < procs_.size();) {
        Proc& c = procs_[i];
        if (persistent && c.job) {
          const auto nl = c.out.find('\n');
          if (nl != std::string::npos) {
            Job job = std::move(*c.job);
            c.job.reset();
            const std::string line = c.out.substr(0, nl);
            c.out.erase(0, nl + 1);
            deliver(job, parse_result(job.input, line));
            continue;  // look at the same server again
          }
        }
        if (c.s.out_fd >= 0 || (!persistent && c.s.err_fd >= 0)) {
          ++i;
          continue;
        }
        // The child has ended (a server only ends by dying).
        if (persistent) ::kill(c.s.pid, SIGKILL);  // a server that closed its stdout is of no further use
        close_fd(c.s.in_fd);
        close_fd(c.s.err_fd);
        const int status = wait_child(c.s.pid);
        std::optional<Job> job = std::move(c.job);
        // A server that cannot simulate at all (no process, no memory, no engine) ends the run
        // with its reason: its job goes back in the queue, which the cleanup fails as cancelled.
        if (const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
            persistent && (code == kServeNoProcess || code == kServeNoMemory || code == kServeUnusable)) {
          const std::string why = last_line(c.err);
          procs_.erase(procs_.begin() + static_cast<std::ptrdiff_t>(i));
          if (job) {
            std::lock_guard lock(queue_mu_);
            queue_.push_front(std::move(*job));
          }
          if (code == kServeUnusable) throw SimulatorUnusable(why.empty() ? std::string("the simulation server cannot simulate") : why);
          throw SpawnError(why.empty() ? std::string("cannot start a simulation process") : why, code == kServeNoProcess ? EAGAIN : ENOMEM);
        }
        RunResult r;
        if (job) {
          const bool clean = !persistent && WIFEXITED(status) && WEXITSTATUS(status) == 0 && !c.out.empty();
          r = clean ? parse_result(job->input, c.out) : failed(job->input, exit_reason(status, c.err));
          // A simulation that succeeded: what it said on stderr (a warning) is passed on.
          if (clean && !c.err.empty()) std::fputs(c.err.c_str(), stderr);
        }
        procs_.erase(procs_.begin() + static_cast<std::ptrdiff_t>(i));
        if (job) deliver(*job, std::move(r));
      }
    }
  } catch (...) {
    kill_all_jobs();
    throw;
  }
}

// Kills every child and fails every running and queued job as cancelled.
void ChildRunner::kill_all_jobs() noexcept {
  std::vector<Job> orphans;
  for (auto& c : procs_) {
    if (c.job) orphans.push_back(std::move(*c.job));
  }
  kill_all();
  {
    std::lock_guard lock(queue_mu_);
    for (auto& j : queue_) orphans.push_back(std::move(j));
    queue_.clear();
  }
  // Each is failed, whatever a caller's callback throws (a progress line to a closed stderr,
  // say): this runs while an exception unwinds, where a second one would end the process.
  for (auto& j : orphans) {
    try {
      j.done(failed(j.input, kCancelled));
    } catch (...) {
    }
  }
}

std::vector<double> ChildRunner::running_progress() const {
  std::vector<double> v;
  for (const auto& c : procs_) {
    if (c.job && c.progress >= 0) v.push_back(c.progress);
  }
  return v;
}

std::vector<RunResult> ChildRunner::run(const std::vector<SimInput>& inputs, const OnResult& on_result, const OnProgress& on_progress) {
  const std::size_t n = inputs.size();
  std::vector<RunResult> results(n);
  std::size_t finished = 0, done = 0, nfailed = 0;
  const OnProgress& progress = on_progress ? on_progress : progress_;
  auto report = [&] {
    if (progress) progress(RunnerProgress{done, n, busy(), 0, nfailed, running_progress()});
  };
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < n; ++i) {
    jobs.push_back(Job{inputs[i], [&, i](RunResult r) {
                         ++finished;
                         const bool counted = !(cancelled() && !r.ok && r.error == kCancelled);
                         results[i] = std::move(r);
                         if (!counted) return;
                         ++done;
                         if (!results[i].ok) ++nfailed;
                         report();
                         if (on_result) on_result(i, results[i]);
                       },
                       {}});
  }
  if (cancelled()) {
    for (std::size_t i = 0; i < n; ++i) results[i] = failed(inputs[i], kCancelled);
    report();
    return results;
  }
  on_start_ = report;
  submit(std::move(jobs));
  try {
    drive([&] { return finished == n; });
  } catch (...) {
    on_start_ = {};
    throw;
  }
  on_start_ = {};
  report();
  return results;
}

// ---- PoolRunner ----

PoolRunner::PoolRunner(std::unique_ptr<ChildRunner> inner) : inner_(std::move(inner)) {
  thread_ = std::thread([this] {
    try {
      inner_->drive([this] { return stop_.load(); });
    } catch (const std::exception&) {
      {
        std::lock_guard lock(mu_);
        error_ = std::current_exception();
      }
      inner_->cancel();
      // Keep failing what callers submit from now on (cancelled: nothing starts), until
      // destruction: a caller that submits after this must not wait for ever.
      try {
        inner_->drive([this] { return stop_.load(); });
      } catch (const std::exception&) {  // nothing left to report it to
      }
    }
    inner_->kill_all_jobs();  // fails what is left, so no caller waits for ever
  });
}

std::exception_ptr PoolRunner::failure() const {
  std::lock_guard lock(mu_);
  return error_;
}

PoolRunner::~PoolRunner() {
  stop_.store(true);
  inner_->wake();
  thread_.join();
}

std::vector<RunResult> PoolRunner::run(const std::vector<SimInput>& inputs, const OnResult& on_result, const OnProgress& on_progress) {
  const std::size_t n = inputs.size();
  const OnProgress& progress = on_progress ? on_progress : progress_;
  std::vector<RunResult> results(n);
  std::vector<bool> arrived(n, false);
  std::size_t finished = 0, started = 0;
  bool moved = false;  // something started or arrived since the last report
  std::mutex mu;
  std::condition_variable cv;
  std::vector<ChildRunner::Job> jobs;
  for (std::size_t i = 0; i < n; ++i) {
    jobs.push_back(ChildRunner::Job{inputs[i],
                                    [&, i](RunResult r) {
                                      std::lock_guard lock(mu);
                                      results[i] = std::move(r);
                                      arrived[i] = true;
                                      ++finished;
                                      moved = true;
                                      cv.notify_all();
                                    },
                                    [&] {
                                      std::lock_guard lock(mu);
                                      ++started;
                                      moved = true;
                                      cv.notify_all();
                                    }});
  }
  if (inner_->cancelled() || stop_.load()) {
    for (std::size_t i = 0; i < n; ++i) results[i] = failed(inputs[i], kCancelled);
    return results;
  }
  inner_->submit(std::move(jobs));
  // Results are handed over in this (the calling) thread, in the order they arrive.
  std::vector<bool> handed(n, false);
  std::size_t done = 0, nfailed = 0;
  std::unique_lock lock(mu);
  while (true) {
    cv.wait(lock, [&] { return moved || finished == n; });
    moved = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (!arrived[i] || handed[i]) continue;
      handed[i] = true;
      const RunResult r = results[i];
      if (r.error == kCancelled && !r.ok && inner_->cancelled()) continue;
      ++done;
      if (!r.ok) ++nfailed;
      lock.unlock();
      if (on_result) on_result(i, r);
      lock.lock();
    }
    const std::size_t running = started - std::min(started, finished);
    const bool all = finished == n;
    lock.unlock();
    if (progress) progress(RunnerProgress{done, n, running, 0, nfailed, {}});
    lock.lock();
    if (all) break;
  }
  return results;
}

// ---- ForkRunner ----

ChildRunner::Spawned ForkRunner::spawn(const SimInput* input) {
  const SimInput& in = *input;
  int fds[2], errs[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) sys_fail("pipe");
  if (::pipe2(errs, O_CLOEXEC) != 0) {
    const int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    errno = err;
    sys_fail("pipe");
  }
  std::fflush(nullptr);  // no buffered output may be duplicated into the child
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    for (int fd : {fds[0], fds[1], errs[0], errs[1]}) ::close(fd);
    errno = err;
    spawn_fail("fork");
  }
  if (pid == 0) {
    child_setup(parent);
    ::close(fds[0]);
    // Its stderr goes to the parent, which passes it on when the simulation succeeds and
    // keeps it for the reason when it fails (SimGrid's abort prints a long backtrace).
    ::dup2(errs[1], 2);
    ::close(errs[0]);
    ::close(errs[1]);
    g_progress_fd = fds[1];
    set_sim_progress_sink(&child_progress);
    std::string payload;
    try {
      payload = to_json(simulate_(in)).dump();
    } catch (const std::exception& e) {
      payload = to_json(failed(in, e.what())).dump();
    }
    write_all(fds[1], payload);
    ::close(fds[1]);
    ::_exit(0);
  }
  ::close(fds[1]);
  ::close(errs[1]);
  return spawned(pid, -1, fds[0], errs[0]);
}

// ---- ProcessRunner ----

namespace {

struct Exec {
  pid_t pid;
  int in, out, err;
};

// The environment of a `hwplan simulate` process: ours, plus two settings that make each
// simulation's forked child cheaper (measured in bench/results.md, 'Sweeps: the hand-off'):
// LD_BIND_NOW=1 resolves every library symbol once in the server, so children do not each
// repeat SimGrid's and ns-3's lazy binding; glibc.malloc.hugetlb=1 lets malloc ask for
// transparent huge pages, so a child's heap is faulted in 2 MB at a time instead of 4 KB
// (page faults are the dearest part of a fork on a virtual machine). Neither changes a
// result. A GLIBC_TUNABLES of the caller's is kept (its own settings come first). And
// kServeSlotEnv: the server leaves interrupts to us.
std::vector<std::string> simulator_environment() {
  std::vector<std::string> env;
  bool bind = false, tunables = false;
  for (char** e = environ; e && *e; ++e) {
    std::string v = *e;
    if (v.rfind(std::string(kServeSlotEnv) + "=", 0) == 0) continue;  // set below
    if (v.rfind("LD_BIND_NOW=", 0) == 0) bind = true;
    if (v.rfind("GLIBC_TUNABLES=", 0) == 0) {
      tunables = true;
      if (v.find("glibc.malloc.hugetlb") == std::string::npos) v += v.back() == '=' ? "glibc.malloc.hugetlb=1" : ":glibc.malloc.hugetlb=1";
    }
    env.push_back(std::move(v));
  }
  if (!bind) env.emplace_back("LD_BIND_NOW=1");
  if (!tunables) env.emplace_back("GLIBC_TUNABLES=glibc.malloc.hugetlb=1");
  env.emplace_back(std::string(kServeSlotEnv) + "=1");
  return env;
}

// Starts `argv` with stdin on a socket (written with MSG_NOSIGNAL: a child that dies early
// must not SIGPIPE us) and stdout and stderr on pipes.
// A child's stdin (a socket) and its stdout and stderr (pipes), close-on-exec; nothing is
// left open when one cannot be made.
void child_channels(int in[2], int out[2], int err[2]) {
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0) sys_fail("socketpair");
  if (::pipe2(out, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(in[0]), ::close(in[1]);
    errno = e;
    sys_fail("pipe");
  }
  if (::pipe2(err, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(in[0]), ::close(in[1]), ::close(out[0]), ::close(out[1]);
    errno = e;
    sys_fail("pipe");
  }
}

Exec start(const std::vector<std::string>& argv) {
  int in[2], out[2], err[2];
  child_channels(in, out, err);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env = simulator_environment();  // built before fork: the child only calls execve
  std::vector<char*> envp;
  for (auto& v : env) envp.push_back(v.data());
  envp.push_back(nullptr);
  std::fflush(nullptr);
  const pid_t parent = ::getpid();
  // vfork, not fork: the child borrows this process's memory until execve (this thread
  // waits until then). After a fork() every page of this process is copy-on-write, and the
  // next write to each one, by any thread, takes a page fault: measured 25 us per 4 KiB page
  // on the 2-vCPU VM (a 33 MB memset: 1 ms before a fork+exec, 180-220 ms after). The
  // desktop app's UI thread paid it on its next full repaint (its 4 MB window buffer:
  // ~25 ms) after each start of a server. The child makes system calls only: another thread
  // may hold malloc's lock, and the memory it would write is ours. Signals stay blocked
  // until child_setup has reset the handlers (ours must not run in the child).
  const std::string cannot = fmt::format("cannot run {}: ", argv[0]);
  sigset_t all, old;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  const pid_t pid = ::vfork();
  if (pid == 0) {
    child_setup(parent);
    ::dup2(in[1], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::execve(args[0], args.data(), envp.data());
    const char* why = std::strerror(errno);
    [[maybe_unused]] ssize_t w = ::write(2, cannot.data(), cannot.size());
    w = ::write(2, why, std::strlen(why));
    w = ::write(2, "\n", 1);
    ::_exit(127);
  }
  const int spawnErrno = errno;
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (pid < 0) {
    errno = spawnErrno;
    spawn_fail("vfork");
  }
  ::close(in[1]);
  ::close(out[1]);
  ::close(err[1]);
  set_nonblock(in[0]);
  set_nonblock(out[0]);
  set_nonblock(err[0]);
  return Exec{pid, in[0], out[0], err[0]};
}

}  // namespace

// ---- the zygote (share_startup) ----
// Requests on the zygote's stdin (a stream socket), one at a time, each answered with one
// line on its stdout before the next is sent: 'S' with three descriptors attached
// (SCM_RIGHTS: the new server's stdin, stdout, stderr) -> "pid N" or "error ERRNO"; 'W'
// with a pid -> "status S" (its waitpid status) or "status none".
namespace {
struct ZygoteRequest {
  char op = 0;
  std::int32_t pid = 0;
};
constexpr const char* kZygoteReady = "zygote ready";
}  // namespace

int serve_as_zygote(const std::function<int()>& serve) {
  const pid_t self = ::getpid();
  auto reply = [](const std::string& line) { write_all(1, line + "\n"); };
  reply(kZygoteReady);
  while (true) {
    ZygoteRequest q;
    std::vector<int> fds;
    std::size_t got = 0;
    while (got < sizeof q) {
      iovec iov{reinterpret_cast<char*>(&q) + got, sizeof q - got};
      alignas(cmsghdr) char control[CMSG_SPACE(3 * sizeof(int))];
      msghdr m{};
      m.msg_iov = &iov;
      m.msg_iovlen = 1;
      m.msg_control = control;
      m.msg_controllen = sizeof control;
      const ssize_t n = ::recvmsg(0, &m, MSG_CMSG_CLOEXEC);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {  // our ProcessRunner is gone or done with us
        for (int fd : fds) ::close(fd);
        return 0;
      }
      for (cmsghdr* c = CMSG_FIRSTHDR(&m); c != nullptr; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        const std::size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (std::size_t i = 0; i < k; ++i) {
          int fd = -1;
          std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
          fds.push_back(fd);
        }
      }
      got += static_cast<std::size_t>(n);
    }
    if (q.op == 'S' && fds.size() == 3) {
      const pid_t pid = ::fork();
      if (pid == 0) {
        // The new server: dies with the zygote (which dies with the ProcessRunner's thread),
        // on the descriptors it was sent.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != self) ::_exit(1);
        for (int k = 0; k < 3; ++k) ::dup2(fds[static_cast<std::size_t>(k)], k);
        for (int fd : fds) {
          if (fd > 2) ::close(fd);
        }
        return serve();
      }
      reply(pid < 0 ? fmt::format("error {}", errno) : fmt::format("pid {}", pid));
    } else if (q.op == 'W') {
      int status = 0;
      pid_t r;
      while ((r = ::waitpid(q.pid, &status, 0)) < 0 && errno == EINTR) {
      }
      reply(r < 0 ? std::string("status none") : fmt::format("status {}", status));
    } else {
      reply(fmt::format("error {}", EINVAL));
    }
    for (int fd : fds) ::close(fd);  // the new server has its copies
  }
}

ProcessRunner::~ProcessRunner() { stop_zygote(); }

// One reply line of the zygote, within timeout_ms; false when it ended or timed out, or,
// with watch_cancel, once this runner is cancelled (polled in slices: a cancel() during
// the zygote's start-up is seen within 50 ms). Reaping after a cancel waits for its answer.
bool ProcessRunner::zygote_line(std::string& line, int timeout_ms, bool watch_cancel) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    const auto nl = zygote_.buf.find('\n');
    if (nl != std::string::npos) {
      line = zygote_.buf.substr(0, nl);
      zygote_.buf.erase(0, nl + 1);
      return true;
    }
    if ((watch_cancel && cancelled()) || std::chrono::steady_clock::now() >= deadline) return false;
    pollfd p{zygote_.reply, POLLIN, 0};
    if (::poll(&p, 1, 50) < 0 && errno != EINTR) return false;
    char buf[256];
    const ssize_t n = ::read(zygote_.reply, buf, sizeof buf);
    if (n > 0) zygote_.buf.append(buf, static_cast<std::size_t>(n));
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return false;
  }
}

void ProcessRunner::stop_zygote() noexcept {
  if (zygote_.pid < 0) return;
  // Its servers die with it (PR_SET_PDEATHSIG); a caller that still holds one reaps nothing
  // of it (wait_child then reports it killed).
  ::kill(zygote_.pid, SIGKILL);
  close_fd(zygote_.ctl);
  close_fd(zygote_.reply);
  close_fd(zygote_.err);
  while (::waitpid(zygote_.pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  zygote_.pid = -1;
  zygote_.buf.clear();
}

std::optional<ChildRunner::Spawned> ProcessRunner::spawn_from_zygote() {
  if (zygote_.given_up) return std::nullopt;
  auto give_up = [&] {
    stop_zygote();
    zygote_.given_up = true;
    return std::nullopt;
  };
  std::string line;
  if (zygote_.pid < 0) {
    try {
      const Exec e = start({exe_, "simulate", "--zygote"});
      zygote_.pid = e.pid;
      zygote_.ctl = e.in;
      zygote_.reply = e.out;
      zygote_.err = e.err;
    } catch (const std::exception&) {
      zygote_.given_up = true;  // the exec'd server below meets the same problem and says it
      return std::nullopt;
    }
    // The engine loads in ~50 ms; a minute covers a loaded machine or a sanitizer build.
    if (!zygote_line(line, 60'000, true) || line != kZygoteReady) return give_up();
  }
  int in[2], out[2], err[2];
  child_channels(in, out, err);
  ZygoteRequest q;
  q.op = 'S';
  iovec iov{&q, sizeof q};
  alignas(cmsghdr) char control[CMSG_SPACE(3 * sizeof(int))] = {};
  msghdr m{};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = control;
  m.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(3 * sizeof(int));
  const int theirs[3] = {in[1], out[1], err[1]};
  std::memcpy(CMSG_DATA(c), theirs, sizeof theirs);
  ssize_t sent;
  while ((sent = ::sendmsg(zygote_.ctl, &m, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
  }
  for (int fd : theirs) ::close(fd);
  const bool answered = sent == static_cast<ssize_t>(sizeof q) && zygote_line(line, 60'000, true);
  int pid = -1, code = 0;
  if (!answered || (std::sscanf(line.c_str(), "pid %d", &pid) != 1 && std::sscanf(line.c_str(), "error %d", &code) != 1)) {
    ::close(in[0]), ::close(out[0]), ::close(err[0]);
    return give_up();
  }
  if (pid <= 0) {
    ::close(in[0]), ::close(out[0]), ::close(err[0]);
    errno = code;
    spawn_fail("fork");
  }
  zygote_.born.push_back(pid);
  return spawned(pid, in[0], out[0], err[0]);
}

int ProcessRunner::wait_child(int pid) noexcept {
  const auto it = std::find(zygote_.born.begin(), zygote_.born.end(), pid);
  if (it == zygote_.born.end()) return ChildRunner::wait_child(pid);
  zygote_.born.erase(it);
  // Gone with the zygote: it was killed (SIGKILL, by PR_SET_PDEATHSIG or by us).
  const int killed = SIGKILL;
  if (zygote_.pid < 0) return killed;
  ZygoteRequest q;
  q.op = 'W';
  q.pid = pid;
  std::string line;
  int status = 0;
  if (::send(zygote_.ctl, &q, sizeof q, MSG_NOSIGNAL) != static_cast<ssize_t>(sizeof q) || !zygote_line(line, 10'000, false) ||
      std::sscanf(line.c_str(), "status %d", &status) != 1) {
    stop_zygote();
    zygote_.given_up = true;
    return killed;
  }
  return status;
}

ChildRunner::Spawned ProcessRunner::spawn(const SimInput*) {
  if (share_) {
    if (auto s = spawn_from_zygote()) return *s;
  }
  const Exec e = start({exe_, "simulate", "--serve"});
  return spawned(e.pid, e.in, e.out, e.err);
}

std::string ProcessRunner::build_id() const {
  const Exec e = start({exe_, "simulate", "--build-id"});
  ::close(e.in);
  std::string out, err;
  for (int fd : {e.out, e.err}) {
    const int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  }
  char buf[4096];
  ssize_t r;
  while ((r = ::read(e.out, buf, sizeof buf)) > 0 || (r < 0 && errno == EINTR)) {
    if (r > 0) out.append(buf, static_cast<std::size_t>(r));
  }
  while ((r = ::read(e.err, buf, sizeof buf)) > 0 || (r < 0 && errno == EINTR)) {
    if (r > 0) err.append(buf, static_cast<std::size_t>(r));
  }
  ::close(e.out);
  ::close(e.err);
  int status = 0;
  while (::waitpid(e.pid, &status, 0) < 0 && errno == EINTR) {
  }
  out = last_line(out);
  // Its engine does not load (cli/simulate.cpp): an installation problem, said as it is.
  if (WIFEXITED(status) && WEXITSTATUS(status) == kServeUnusable) {
    throw SimulatorUnusable(err.empty() ? fmt::format("{} cannot simulate (its simulation engine does not load)", exe_) : last_line(err));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || out.empty()) {
    throw std::runtime_error(fmt::format("{} simulate --build-id failed: {}", exe_, err.empty() ? "no output" : last_line(err)));
  }
  return out;
}

// ---- CachingRunner ----

std::vector<RunResult> CachingRunner::run(const std::vector<SimInput>& inputs, const OnResult& on_result, const OnProgress& on_progress) {
  const OnProgress& progress = on_progress ? on_progress : progress_;
  const std::size_t n = inputs.size();
  std::vector<RunResult> results(n);
  std::vector<SimInput> todo;
  std::vector<std::vector<std::size_t>> owners;  // todo[k] answers these inputs
  std::map<std::string, std::size_t> seen;       // canonical JSON -> index in todo
  std::size_t cached = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (auto hit = cache_.get(inputs[i])) {
      results[i] = std::move(*hit);
      ++cached;
      if (on_result) on_result(i, results[i]);
      continue;
    }
    auto [it, fresh] = seen.emplace(canonical_json(inputs[i]), todo.size());
    if (fresh) {
      todo.push_back(inputs[i]);
      owners.emplace_back();
    }
    owners[it->second].push_back(i);
  }
  std::size_t done = cached, nfailed = 0, running = 0;
  std::vector<double> running_progress;
  auto report = [&] {
    if (progress) progress(RunnerProgress{done, n, running, cached, nfailed, running_progress});
  };
  report();
  if (todo.empty()) return results;
  auto inner_progress = [&](const RunnerProgress& p) {
    running = p.running;
    running_progress = p.progress;
    report();
  };
  auto fresh = inner_.run(
      todo,
      [&](std::size_t k, const RunResult& r) {
    cache_.put(todo[k], r);  // now, not at the end: an interrupted batch keeps it
    if (!r.ok) ++nfailed;
    for (std::size_t i : owners[k]) {
      results[i] = r;
      ++done;
      if (on_result) on_result(i, r);
    }
  },
      inner_progress);
  for (std::size_t k = 0; k < todo.size(); ++k) {
    for (std::size_t i : owners[k]) results[i] = fresh[k];
  }
  running = 0;
  running_progress.clear();
  report();
  return results;
}

std::vector<RunResult> BudgetRunner::run(const std::vector<SimInput>& inputs, const OnResult& on_result, const OnProgress& on_progress) {
  std::vector<SimInput> budgeted = inputs;
  for (auto& in : budgeted) in.engine.event_budget = budget_;
  return inner_.run(budgeted, on_result, on_progress ? on_progress : progress_);
}

}  // namespace hw
