// Ctrl-C / SIGTERM turned into Runner::cancel(). No SimGrid here: the MPI sweep helper
// (hwplan-mpi) links it too.
#include <fmt/format.h>
#include <signal.h>

#include <atomic>
#include <cstring>

#include "cli/common.hpp"

namespace hw::cli {

namespace {
std::atomic<Runner*> g_runner{nullptr};
std::atomic<int> g_signal{0};
struct sigaction g_old_int, g_old_term;

extern "C" void on_signal(int sig) {
  g_signal.store(sig);
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
}

CancelOnSignals::~CancelOnSignals() {
  ::sigaction(SIGINT, &g_old_int, nullptr);
  ::sigaction(SIGTERM, &g_old_term, nullptr);
  g_runner.store(nullptr);
}

int CancelOnSignals::signal() const { return g_signal.load(); }

std::string CancelOnSignals::name() const {
  switch (signal()) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return fmt::format("signal {}", signal());
  }
}

}  // namespace hw::cli
