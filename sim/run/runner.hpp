// Runners: how a batch of simulations leaves this process. SimGrid allows one engine per
// process, so every simulation runs in a child:
// - ForkRunner forks a child that calls the simulate function it was given (the engine's
//   hw::simulate in the hwplan binary); never use it after MPI_Init or from a process that
//   must not fork with threads running (a GUI): use ProcessRunner there.
// - ProcessRunner execs `hwplan simulate --serve` (SimInput JSON Lines on stdin, one
//   RunResult JSON line back for each), one per slot; it needs no SimGrid in this process.
// - CachingRunner decorates either with the on-disk ResultCache: hits are not simulated,
//   identical inputs of a batch are simulated once, and each fresh result is stored the
//   moment it arrives (an interrupted batch loses nothing that finished).
// A crashed or killed child is a failed RunResult (ok = false, error says why), never a
// lost batch. cancel() is thread- and async-signal-safe: it stops every child at once
// (SIGKILL), reaps them, and makes run() return; results not obtained come back failed
// with error kCancelled. Cancellation is sticky: later run() calls return at once.
#pragma once

#include <atomic>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/run/types.hpp"

namespace hw {

class ResultCache;

inline constexpr const char* kCancelled = "cancelled";

// A simulation process (or the thread that drives them) could not be started for want of a
// resource: errno() is EAGAIN (the process limit, RLIMIT_NPROC) or ENOMEM (memory). The
// message says what could not start and the system's reason; the CLI adds the fix.
// A `simulate --serve` server that cannot fork a simulation for want of processes (EAGAIN)
// or memory (ENOMEM) writes the SpawnError's text on stderr and exits with one of these;
// a ChildRunner rethrows it as that SpawnError, as if it had failed to fork the child
// itself: the system's limit ends the run with the reason, never a row per simulation.
inline constexpr int kServeNoProcess = 75;
inline constexpr int kServeNoMemory = 76;
// A server that cannot simulate at all (its engine does not load) writes why on stderr and
// exits with this: a ChildRunner rethrows it as SimulatorUnusable, ending the run.
inline constexpr int kServeUnusable = 77;
// Set in the environment of each `simulate --serve` a ProcessRunner starts: such a server
// leaves interrupts to its parent (which cancels the run and kills it), and takes SIGINT as it
// was started (ignored in a script's background job). A server started by hand answers them
// itself (cli/simulate.cpp).
inline constexpr const char* kServeSlotEnv = "HWPLAN_SERVE_SLOT";

// The simulating code cannot run at all (an installation problem: sim/engine's module is
// missing or from another build). Said as it is, with the file; never a row per simulation.
class SimulatorUnusable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SpawnError : public std::runtime_error {
 public:
  SpawnError(const std::string& what, int err);
  [[nodiscard]] int error() const { return err_; }

 private:
  int err_;
};

struct RunnerProgress {
  std::size_t done = 0;     // results obtained (simulated, failed or from the cache)
  std::size_t total = 0;    // inputs in the batch
  std::size_t running = 0;  // children alive now
  std::size_t cached = 0;   // of done: taken from the cache
  std::size_t failed = 0;   // of done: simulations that failed (crash, signal, bad output)
  // Each running simulation that has said how far it is (sim/run/progress.hpp): the fraction
  // of its simulated time done, in the order they started. ForkRunner and ProcessRunner
  // fill it (PoolRunner does not).
  std::vector<double> progress;
};

class Runner {
 public:
  using OnResult = std::function<void(std::size_t index, const RunResult& result)>;
  using OnProgress = std::function<void(const RunnerProgress&)>;

  Runner() = default;
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;
  virtual ~Runner() = default;

  // Runs every input; calls on_result in the calling thread as each result arrives (in
  // any order) and returns all results in input order. on_progress (else the one given
  // to set_progress) is called in the calling thread whenever a child starts or a result
  // arrives.
  virtual std::vector<RunResult> run(const std::vector<SimInput>& inputs, const OnResult& on_result = {},
                                     const OnProgress& on_progress = {}) = 0;
  virtual void cancel() noexcept = 0;
  [[nodiscard]] virtual bool cancelled() const noexcept = 0;
  // The progress callback of run() calls that pass none. Not for runners shared between
  // threads (pass on_progress to run() there).
  void set_progress(OnProgress p) { progress_ = std::move(p); }
  // Simulations in parallel.
  [[nodiscard]] virtual int slots() const = 0;
  // What cancelled this runner from within, when something did (PoolRunner: its driving
  // thread could not start a child, say a SpawnError); null after a cancel() from outside.
  [[nodiscard]] virtual std::exception_ptr failure() const { return nullptr; }

 protected:
  OnProgress progress_;
};

// Runs children, at most `slots` simulations at a time, and collects their JSON results.
// A subclass either starts one child per simulation (its whole output is the result) or
// keeps one server per slot that takes SimInput JSON Lines on stdin and answers each with
// one RunResult line (servers() true); servers live until cancel() or destruction.
class ChildRunner : public Runner {
 public:
  explicit ChildRunner(int slots);  // 0 = all cores
  ~ChildRunner() override;
  std::vector<RunResult> run(const std::vector<SimInput>& inputs, const OnResult& on_result = {},
                             const OnProgress& on_progress = {}) override;
  void cancel() noexcept override;
  [[nodiscard]] bool cancelled() const noexcept override { return cancelled_.load(); }
  [[nodiscard]] int slots() const override { return slots_; }
  // Servers (servers() true) only: start every slot's server as soon as drive() runs, before
  // any job arrives, so that their start-up overlaps the caller's own work (a sweep loads
  // and checks its variants meanwhile). A server that cannot start then is tried again,
  // and its error reported, when a job needs it. Call before drive() (before a PoolRunner
  // takes this runner).
  void start_servers_early() { start_early_ = true; }

 protected:
  struct Spawned {
    int pid = -1;
    int out_fd = -1;        // the child's results (JSON)
    int err_fd = -1;        // the child's stderr (kept for the error message), or -1
    int in_fd = -1;         // the child's stdin, or -1
    std::string in_data;    // still to write to in_fd
  };
  // The parent's ends of a started child (-1: none), made non-blocking, as drive() polls them.
  static Spawned spawned(int pid, int in_fd, int out_fd, int err_fd);
  // Starts one child: for `in` (one-shot), or a server (in == nullptr, when servers()).
  // Throws std::runtime_error when it cannot.
  virtual Spawned spawn(const SimInput* in) = 0;
  [[nodiscard]] virtual bool servers() const { return false; }
  // Waits for a child this runner started and has killed or seen close its output; returns
  // its wait status. The default is waitpid; a subclass whose children are another
  // process's (ProcessRunner's servers forked by its zygote) asks that process.
  virtual int wait_child(int pid) noexcept;
  // Called at the end of kill_all(): anything else of the run's to stop (a zygote).
  virtual void after_kill_all() noexcept {}

 private:
  friend class PoolRunner;
  // A simulation to run and what to do with its result (called in the driving thread).
  struct Job {
    SimInput input;
    std::function<void(RunResult)> done;
    std::function<void()> started;  // optional
  };
  struct Proc {
    Spawned s;
    std::optional<Job> job;  // the simulation it runs now
    std::string out, err;
    std::size_t in_off = 0;
    double progress = -1;  // the job's last progress line (sim/run/progress.hpp); -1 before the first
  };
  [[nodiscard]] std::vector<double> running_progress() const;
  void submit(std::vector<Job> jobs);  // thread-safe
  // The poll loop: starts queued jobs on free slots and delivers results, until `until()`
  // holds. After cancel() it kills every child and fails every job as cancelled.
  void drive(const std::function<bool()>& until);
  void deliver(Job& job, RunResult r);
  [[nodiscard]] std::size_t busy() const;
  void wake() noexcept;
  void kill_all() noexcept;       // SIGKILL every child, close its pipes, reap it
  void kill_all_jobs() noexcept;  // the same, and fail every running and queued job as cancelled
  int slots_;
  bool start_early_ = false;
  std::atomic<bool> cancelled_{false};
  int wake_[2] = {-1, -1};  // self-pipe: cancel() and submit() write, drive() polls
  std::vector<Proc> procs_;
  std::mutex queue_mu_;
  std::deque<Job> queue_;
  std::function<void()> on_start_;
};

class ForkRunner final : public ChildRunner {
 public:
  using SimulateFn = RunResult (*)(const SimInput&);
  ForkRunner(SimulateFn simulate, int slots = 0) : ChildRunner(slots), simulate_(simulate) {}

 private:
  Spawned spawn(const SimInput* in) override;
  SimulateFn simulate_;
};

// Each slot is one `hwplan simulate --serve` process, started on first use and kept: it
// pays the binary's start-up (about 45 ms of CPU, most of it the dynamic linker binding
// SimGrid's and ns-3's symbols as the engine module loads) once, then forks a child per
// simulation. A server that dies fails the simulation it held, with the reason, and is
// replaced.
//
// With share_startup(), that start-up is paid once for all slots: the first spawn execs
// one `hwplan simulate --zygote`, which loads the engine and then forks every server on
// request (each a copy of a process with the engine already loaded: ~1 ms instead of one
// more start-up, which on 2 cores competes with the caller's own start). The servers are
// the zygote's children, die with it (PR_SET_PDEATHSIG), and are reaped through it, so
// their exit status still says why one died. If the zygote cannot start, or dies, servers
// are exec'd one by one as without it. Only for an `exe` that is hwplan: a stand-in
// server does not answer the zygote's protocol.
class ProcessRunner final : public ChildRunner {
 public:
  // exe: the hwplan binary (its `simulate` subcommand is the entry point).
  explicit ProcessRunner(std::string exe, int slots = 0) : ChildRunner(slots), exe_(std::move(exe)) {}
  ~ProcessRunner() override;
  [[nodiscard]] const std::string& exe() const { return exe_; }
  // `exe simulate --build-id`: the identity to key a cache of this binary's results by.
  [[nodiscard]] std::string build_id() const;
  // Fork the servers from one zygote (above). Call before the first run().
  void share_startup() { share_ = true; }
  // The zygote's process id while one runs, else -1 (for tests).
  [[nodiscard]] int zygote_pid() const { return zygote_.pid; }

 private:
  struct Zygote {
    int pid = -1;
    int ctl = -1;    // its stdin: requests, with the new server's descriptors
    int reply = -1;  // its stdout: one line per request
    int err = -1;
    std::string buf;          // reply bytes read past the last line
    std::vector<int> born;    // servers it forked that are not reaped yet
    bool given_up = false;    // it could not start or died: exec servers from now on
  };
  Spawned spawn(const SimInput* in) override;
  [[nodiscard]] bool servers() const override { return true; }
  int wait_child(int pid) noexcept override;
  void after_kill_all() noexcept override { stop_zygote(); }
  std::optional<Spawned> spawn_from_zygote();
  bool zygote_line(std::string& line, int timeout_ms, bool watch_cancel);
  void stop_zygote() noexcept;
  std::string exe_;
  bool share_ = false;
  Zygote zygote_;
};

// The loop of `hwplan simulate --zygote` (cli/simulate.cpp), after the engine has loaded:
// says it is ready on stdout, then forks one server per request of a ProcessRunner's
// (stdin: a socket carrying the new server's stdin, stdout and stderr) and reaps them on
// request. Returns, in the zygote, when its stdin ends; in each forked server, serve()'s
// exit code.
int serve_as_zygote(const std::function<int()>& serve);

// A ChildRunner driven by a thread of its own, so that any number of threads can call
// run() at once and share its slots (a sweep's variants, the GUI). Its children are
// forked from that thread, which lives as long as the PoolRunner (PR_SET_PDEATHSIG is
// tied to the forking thread). run() hands each caller its results in its own thread.
class PoolRunner final : public Runner {
 public:
  explicit PoolRunner(std::unique_ptr<ChildRunner> inner);
  ~PoolRunner() override;
  std::vector<RunResult> run(const std::vector<SimInput>& inputs, const OnResult& on_result = {},
                             const OnProgress& on_progress = {}) override;
  void cancel() noexcept override { inner_->cancel(); }
  [[nodiscard]] bool cancelled() const noexcept override { return inner_->cancelled(); }
  [[nodiscard]] int slots() const override { return inner_->slots(); }
  [[nodiscard]] std::exception_ptr failure() const override;

 private:
  std::unique_ptr<ChildRunner> inner_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::exception_ptr error_;
  std::thread thread_;
};

class CachingRunner final : public Runner {
 public:
  CachingRunner(Runner& inner, ResultCache& cache) : inner_(inner), cache_(cache) {}
  std::vector<RunResult> run(const std::vector<SimInput>& inputs, const OnResult& on_result = {},
                             const OnProgress& on_progress = {}) override;
  void cancel() noexcept override { inner_.cancel(); }
  [[nodiscard]] bool cancelled() const noexcept override { return inner_.cancelled(); }
  [[nodiscard]] int slots() const override { return inner_.slots(); }
  [[nodiscard]] std::exception_ptr failure() const override { return inner_.failure(); }
  [[nodiscard]] ResultCache& cache() { return cache_; }

 private:
  Runner& inner_;
  ResultCache& cache_;
};

// Sets EngineOptions::event_budget of every input, then hands the batch on. Put it above a
// CachingRunner (wrapping it), never under it: the budget is then part of each input as
// the cache keys it, so a result computed under one budget is never served under another.
class BudgetRunner final : public Runner {
 public:
  BudgetRunner(Runner& inner, std::uint64_t event_budget) : inner_(inner), budget_(event_budget) {}
  std::vector<RunResult> run(const std::vector<SimInput>& inputs, const OnResult& on_result = {},
                             const OnProgress& on_progress = {}) override;
  void cancel() noexcept override { inner_.cancel(); }
  [[nodiscard]] bool cancelled() const noexcept override { return inner_.cancelled(); }
  [[nodiscard]] int slots() const override { return inner_.slots(); }
  [[nodiscard]] std::exception_ptr failure() const override { return inner_.failure(); }

 private:
  Runner& inner_;
  std::uint64_t budget_;
};

// The path of the running executable (/proc/self/exe resolved).
std::string self_exe();

}  // namespace hw
