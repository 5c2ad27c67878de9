// Ctrl-C / SIGTERM / SIGHUP turned into Runner::cancel(). No SimGrid here: the MPI sweep helper
// (hwplan-mpi) links it too.
//
// An interrupt always ends the process: the first signal cancels the runner and arms a
// watchdog (alarm) of kShutdownGrace_s; if the command has not returned by then (a thread
// stuck in a library, a child that does not die), the watchdog says so on stderr and
// _exit()s with 128 + the signal, printing no answer. A second SIGINT or SIGTERM ends the
// process at once the same way.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <string>

#include "cli/common.hpp"

namespace hw::cli {

namespace {
std::atomic<Runner*> g_runner{nullptr};
std::atomic<int> g_signal{0};
struct sigaction g_old_int, g_old_term, g_old_hup;
bool g_hup_installed = false;

// Async-signal-safe: write() and _exit() only.
void say(const char* text) {
  std::size_t n = 0;
  while (text[n] != '\0') ++n;
  [[maybe_unused]] const ssize_t w = ::write(2, text, n);
}

std::atomic<bool> g_watchdog_fired{false};

// Its message may block too (stderr a pipe nobody reads): a second alarm, delivered into
// this handler (SA_NODEFER), ends the process without it.
extern "C" void on_watchdog(int) {
  if (g_watchdog_fired.exchange(true)) ::_exit(128 + g_signal.load());
  ::alarm(1);
  say("hwplan: interrupted, but stopping did not finish in time; exiting now\n");
  ::_exit(128 + g_signal.load());
}

extern "C" void on_signal(int sig) {
  if (g_signal.exchange(sig) != 0) {  // the second interrupt: no more waiting
    say("hwplan: interrupted again; exiting now\n");
    ::_exit(128 + sig);
  }
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_watchdog;
  sa.sa_flags = SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGALRM, &sa, nullptr);  // kept after the guard: the watchdog outlives it
  ::alarm(kShutdownGrace_s);
  if (Runner* r = g_runner.load()) r->cancel();  // async-signal-safe: an atomic store and a write()
}
}  // namespace

CancelOnSignals::CancelOnSignals(Runner& runner) {
  g_signal.store(0);
  g_runner.store(&runner);
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocking poll() returns EINTR and sees the cancel
  ::sigaction(SIGINT, &sa, &g_old_int);
  ::sigaction(SIGTERM, &sa, &g_old_term);
  // SIGHUP (the terminal closed) stops the same way, unless it is ignored (`nohup`: the user
  // asked the command to outlive the terminal).
  ::sigaction(SIGHUP, nullptr, &g_old_hup);
  g_hup_installed = !((g_old_hup.sa_flags & SA_SIGINFO) == 0 && g_old_hup.sa_handler == SIG_IGN);
  if (g_hup_installed) ::sigaction(SIGHUP, &sa, nullptr);
}

CancelOnSignals::~CancelOnSignals() {
  // After an interrupt, a later one must still end the process at once: keep our handler
  // (it _exit()s on the second) and the armed watchdog.
  if (g_signal.load() == 0) {
    ::sigaction(SIGINT, &g_old_int, nullptr);
    ::sigaction(SIGTERM, &g_old_term, nullptr);
    if (g_hup_installed) ::sigaction(SIGHUP, &g_old_hup, nullptr);
  }
  g_runner.store(nullptr);
}

int CancelOnSignals::signal() const { return g_signal.load(); }

std::string CancelOnSignals::name() const {
  switch (signal()) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return fmt::format("signal {}", signal());
  }
}

namespace {
// AnswerGuard's state: its messages, formatted before any signal (a handler only write()s).
std::string g_answer_cut[3];  // SIGINT, SIGTERM, SIGHUP
std::atomic<bool> g_answer_printed{false};
std::atomic<int> g_answer_signal{0};
struct sigaction g_answer_old_int, g_answer_old_term, g_answer_old_hup;
bool g_answer_hup = false;
std::string g_answer_report;

const char* signal_name(int sig) {
  switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return "a signal";
  }
}

extern "C" void on_answer_signal(int sig) {
  if (g_answer_signal.exchange(sig) != 0 || !g_answer_printed.load()) {
    // The answer is being printed (or this is the second signal): what was printed is not the
    // whole answer; say so and end now, whatever standard output is doing.
    ::alarm(1);  // stderr may block too: SIGALRM's default action then ends the process
    const int i = sig == SIGTERM ? 1 : sig == SIGHUP ? 2 : 0;
    if (g_answer_printed.load()) say("hwplan: interrupted again; exiting now\n");
    else say(g_answer_cut[i].c_str());
    ::_exit(128 + sig);
  }
  // The answer is complete; the report file's write finishes, then the command ends with 128 + sig.
}
}  // namespace

AnswerGuard::AnswerGuard(const std::string& report) {
  g_answer_report = report;
  for (int i = 0; i < 3; ++i) {
    const int sig = i == 0 ? SIGINT : i == 1 ? SIGTERM : SIGHUP;
    g_answer_cut[i] = report.empty()
                          ? fmt::format("interrupted ({}) while writing the answer: the report on standard output is incomplete\n",
                                        signal_name(sig))
                          : fmt::format("interrupted ({}) while writing the answer: the answer above is incomplete; report file {} "
                                        "not written\n",
                                        signal_name(sig), report);
  }
  g_answer_printed.store(false);
  g_answer_signal.store(0);
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_answer_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // after the answer: the report file's write goes on
  ::sigaction(SIGINT, &sa, &g_answer_old_int);
  ::sigaction(SIGTERM, &sa, &g_answer_old_term);
  ::sigaction(SIGHUP, nullptr, &g_answer_old_hup);
  g_answer_hup = !((g_answer_old_hup.sa_flags & SA_SIGINFO) == 0 && g_answer_old_hup.sa_handler == SIG_IGN);
  if (g_answer_hup) ::sigaction(SIGHUP, &sa, nullptr);
}

AnswerGuard::~AnswerGuard() {
  ::sigaction(SIGINT, &g_answer_old_int, nullptr);
  ::sigaction(SIGTERM, &g_answer_old_term, nullptr);
  if (g_answer_hup) ::sigaction(SIGHUP, &g_answer_old_hup, nullptr);
}

void AnswerGuard::answer_printed() { g_answer_printed.store(true); }

int AnswerGuard::signal() const { return g_answer_signal.load(); }

bool AnswerGuard::finish_report(const OutputTarget& target, const std::string& content, bool write) const {
  if (write && !target.to_stdout) {
    try {
      write_report_after_answer(target, content);
    } catch (const std::exception&) {
      if (signal() != 0) report_interrupted(false);
      throw;
    }
  }
  if (signal() == 0) return false;
  if (!target.to_stdout) report_interrupted(write);
  return true;
}

void AnswerGuard::report_interrupted(bool written) const {
  fmt::print(stderr, "interrupted ({}) while writing the report file: the answer above is complete; report file {} {}\n",
             signal_name(signal()), g_answer_report, written ? "written" : "not written");
}

namespace {
// ExitOnSignals' state: its messages are constants (a handler only write()s).
std::atomic<bool> g_exit_printed{false};
struct sigaction g_exit_old_int, g_exit_old_term, g_exit_old_hup;
bool g_exit_hup = false;
sigset_t g_exit_held;

extern "C" void on_exit_signal(int sig) {
  const bool printed = g_exit_printed.load();
  switch (sig) {
    case SIGINT: say(printed ? "interrupted (SIGINT) after the result was printed\n" : "interrupted (SIGINT): stopped, no result\n"); break;
    case SIGTERM: say(printed ? "interrupted (SIGTERM) after the result was printed\n" : "interrupted (SIGTERM): stopped, no result\n"); break;
    default: say(printed ? "interrupted (SIGHUP) after the result was printed\n" : "interrupted (SIGHUP): stopped, no result\n"); break;
  }
  ::_exit(128 + sig);
}
}  // namespace

ExitOnSignals::ExitOnSignals() {
  g_exit_printed.store(false);
  sigemptyset(&g_exit_held);
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_exit_signal;
  sigfillset(&sa.sa_mask);  // one message, one exit: a second signal waits for the _exit
  sa.sa_flags = 0;
  ::sigaction(SIGINT, &sa, &g_exit_old_int);
  ::sigaction(SIGTERM, &sa, &g_exit_old_term);
  sigaddset(&g_exit_held, SIGINT);
  sigaddset(&g_exit_held, SIGTERM);
  ::sigaction(SIGHUP, nullptr, &g_exit_old_hup);
  g_exit_hup = !((g_exit_old_hup.sa_flags & SA_SIGINFO) == 0 && g_exit_old_hup.sa_handler == SIG_IGN);
  if (g_exit_hup) {
    ::sigaction(SIGHUP, &sa, nullptr);
    sigaddset(&g_exit_held, SIGHUP);
  }
}

ExitOnSignals::~ExitOnSignals() {
  ::sigaction(SIGINT, &g_exit_old_int, nullptr);
  ::sigaction(SIGTERM, &g_exit_old_term, nullptr);
  if (g_exit_hup) ::sigaction(SIGHUP, &g_exit_old_hup, nullptr);
}

void ExitOnSignals::hold() { ::pthread_sigmask(SIG_BLOCK, &g_exit_held, nullptr); }

void ExitOnSignals::printed() {
  g_exit_printed.store(true);
  ::pthread_sigmask(SIG_UNBLOCK, &g_exit_held, nullptr);
}

extern "C" void hwplan_on_broken_pipe(int) {}

void report_broken_pipes() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = hwplan_on_broken_pipe;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  ::sigaction(SIGPIPE, &sa, nullptr);
}

}  // namespace hw::cli
