#include "gui/report_mode.hpp"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "gui/export.hpp"
#include "gui/paths.hpp"
#include "gui/plan_bridge.hpp"
#include "sim/core/errors.hpp"

namespace hwgui {

namespace {

// SIGINT and SIGTERM while planning: the handler only records the signal; the event loop
// sees it within a timer tick and cancels the plan (as the CLI's CancelOnSignals, which
// cancels its runner from the handler; here the runner lives in the bridge's worker).
// The previous handlers come back when the guard goes.
std::atomic<int> g_signal{0};

extern "C" void onReportSignal(int sig) { g_signal.store(sig); }

class SignalGuard {
 public:
  SignalGuard() {
    g_signal.store(0);
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_handler = onReportSignal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, &oldInt_);
    ::sigaction(SIGTERM, &sa, &oldTerm_);
  }
  ~SignalGuard() {
    ::sigaction(SIGINT, &oldInt_, nullptr);
    ::sigaction(SIGTERM, &oldTerm_, nullptr);
  }
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;
  [[nodiscard]] static int signal() { return g_signal.load(); }

 private:
  struct sigaction oldInt_ {}, oldTerm_ {};
};

const char* signalName(int sig) { return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal"; }

}  // namespace

int runReport(const QString& scenarioPath, const QString& outDir, bool sensitivity) {
  std::shared_ptr<const hw::Catalogue> cat;
  PlanRequest req;
  try {
    cat = std::make_shared<const hw::Catalogue>(loadCatalogue());
    req.scenario = hw::load_scenario(scenarioPath.toStdString(), *cat);
  } catch (const hw::InputError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  // --out before any planning: a plan that cannot be written is not worth its minutes.
  if (const QString why = checkReportFolder(outDir); !why.isEmpty()) {
    std::fprintf(stderr, "error: --out: %s\n", qPrintable(why));
    return 2;
  }
  req.catalogue = cat;
  req.sensitivity = sensitivity;
  if (sensitivity) req.loadCurve = defaultLoadCurve();

  QElapsedTimer clock;  // the whole report: the plan, its sensitivity and load curve, the files
  clock.start();
  PlanBridge bridge(RunnerOptions{simulatorPath(), QString(), 0});
  QEventLoop loop;
  PlanOutcomePtr outcome;
  QString error;
  qulonglong kept = 0;
  QObject::connect(&bridge, &PlanBridge::finished, &loop, [&](const PlanOutcomePtr& o) {
    outcome = o;
    if (!bridge.planningLoadCurve()) loop.quit();
  });
  QObject::connect(&bridge, &PlanBridge::loadCurveFinished, &loop, [&](const PlanOutcomePtr& o) {
    outcome = o;
    loop.quit();
  });
  QObject::connect(&bridge, &PlanBridge::failed, &loop, [&](const QString& m) {
    // A Ctrl-C in a terminal reaches the simulator children too (one process group): their
    // deaths are the interrupt's doing, not a failed simulation.
    if (SignalGuard::signal() == 0) {
      if (outcome) std::fprintf(stderr, "warning: the load curve failed: %s\n", qPrintable(m));
      error = m;
    }
    loop.quit();
  });
  QObject::connect(&bridge, &PlanBridge::cancelled, &loop, [&](qulonglong simulationsKept) {
    kept = simulationsKept;
    if (!outcome) error = QStringLiteral("cancelled");  // else: the load curve only
    loop.quit();
  });
  std::string lastStep;
  QObject::connect(&bridge, &PlanBridge::progress, &loop, [&](const PlanStatus& s) {
    const std::string step = s.progress.phase + ", round " + std::to_string(s.progress.round);
    if (step != lastStep) {
      std::fprintf(stderr, "  [%5.1f s] %s: %zu simulation(s)\n", s.elapsedSeconds, step.c_str(), s.progress.sims_total);
      lastStep = step;
    }
  });
  int sig = 0;
  ReportFiles r;
  {
    SignalGuard guard;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
      if (SignalGuard::signal() != 0 && bridge.busy()) bridge.cancel();
    });
    poll.start(20);
    std::fprintf(stderr, "planning '%s' (simulator %s)\n", req.scenario.name.c_str(), qPrintable(simulatorPath()));
    bridge.start(std::move(req));
    loop.exec();
    // A signal during the plan or its load curve stops the report; the children are gone.
    if (SignalGuard::signal() != 0 && bridge.busy()) bridge.cancel();
    sig = SignalGuard::signal();
    if (sig != 0) {
      std::fprintf(stderr, "interrupted (%s): no report written. %s; running ones were stopped. Run the same command again to resume.\n",
                   signalName(sig),
                   kept > 0 ? qPrintable(QStringLiteral("%1 simulation(s) finished and are kept in the result cache").arg(kept))
                            : "Simulations that finished are kept in the result cache");
      return 128 + sig;
    }
    if (!outcome) {
      std::fprintf(stderr, "error: %s\n", qPrintable(error));
      return 1;
    }
    // Still guarded: a signal while the files are made leaves the folder as it was (the files
    // are made aside and renamed into place at the end, export.hpp), never a 0-byte chart or
    // a mix of this report and an earlier one.
    r = writeReportFiles(*outcome, outDir, QFileInfo(scenarioPath).completeBaseName(), [] { return SignalGuard::signal() != 0; });
    if (r.stopped) {
      sig = SignalGuard::signal();
      std::fprintf(stderr, "interrupted (%s) while writing the report: no file written, %s is as it was. "
                   "The simulations are kept in the result cache: run the same command again to write it.\n",
                   signalName(sig), qPrintable(outDir));
      return 128 + sig;
    }
  }
  for (const QString& f : r.written) std::printf("%s\n", qPrintable(f));
  for (const QString& f : r.skipped) std::fprintf(stderr, "not written: %s\n", qPrintable(f));
  if (!r.error.isEmpty()) {
    std::fprintf(stderr, "error: %s\n", qPrintable(r.error));
    return 1;
  }
  // The time of it all (outcome->wallSeconds is the main plan's alone: "in 0.4 s" after an 18 s
  // report whose load curve took the rest).
  std::fprintf(stderr, "wrote %lld file(s) to %s in %.1f s\n", static_cast<long long>(r.written.size()), qPrintable(outDir),
               static_cast<double>(clock.elapsed()) / 1e3);
  return outcome->plan.winner ? 0 : 3;
}

}  // namespace hwgui
