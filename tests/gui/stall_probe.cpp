// Measures how responsive the window stays while a plan runs: a 5 ms timer on the UI
// thread records the gaps between its ticks (a gap is how long the UI thread was busy);
// optionally cancels after a while and measures how long until every child is gone.
// Not a test (the figures depend on the machine): a measurement with a documented command.
//
//   QT_QPA_PLATFORM=offscreen hwplan_gui_stall_probe SCENARIO [--cancel-after SECONDS] [--no-load-curve] [--cache DIR] [--trace MS]
//     --cache DIR: keep the results in DIR (a second run takes them from there: the result
//       display alone, without the simulations); default a fresh folder (every probe simulated)
//     --trace MS: list every event the UI thread handled for MS ms or more (what a gap was)
//   QT_QPA_PLATFORM=offscreen hwplan_gui_stall_probe --points 10000 [--save DIR]   (chart build and draw times; --save: a PNG of each)
//   QT_QPA_PLATFORM=offscreen hwplan_gui_stall_probe --sweep-rows 10000   (the sweep page on a big CSV)
#include <QApplication>
#include <cmath>
#include <QChartView>
#include <QDir>
#include <QElapsedTimer>
#include <QEvent>
#include <QFile>
#include <QTabWidget>
#include <QEventLoop>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string>
#include <tuple>
#include <unistd.h>
#include <vector>

#include "gui/charts.hpp"
#include "gui/main_window.hpp"
#include "gui/preferences.hpp"
#include "gui/results_page.hpp"
#include "gui/sweep_page.hpp"
#include <sys/resource.h>

#include "support.hpp"

using namespace hwgui;

namespace {
double threadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}
// The UI thread's context switches so far: voluntary (it waited: poll, a lock, I/O) and
// involuntary (it was runnable and another task took its core).
std::pair<long, long> threadSwitches() {
  rusage u{};
  ::getrusage(RUSAGE_THREAD, &u);
  return {u.ru_nvcsw, u.ru_nivcsw};
}
std::string loadAverage() {
  QFile f(QStringLiteral("/proc/loadavg"));
  if (!f.open(QIODevice::ReadOnly)) return "?";
  return f.readAll().split(' ').mid(0, 3).join(' ').toStdString();
}

// Times every event the UI thread delivers (QApplication::notify) once `clock` is set, and
// keeps those that took `minMs` or more, nested ones (a paint inside an update request)
// included.
class TracingApp : public QApplication {
 public:
  using QApplication::QApplication;
  struct Slow {
    double at_s;  // when it started, from `clock`
    double ms;
    int depth;    // 0: dispatched by the event loop; 1: inside another event's handling, ...
    const char* receiver;
    QEvent::Type type;
  };
  double minMs = -1;
  const QElapsedTimer* clock = nullptr;
  std::vector<Slow> slow;
  bool notify(QObject* o, QEvent* e) override {
    if (minMs < 0 || clock == nullptr || !clock->isValid() || QThread::currentThread() != thread()) return QApplication::notify(o, e);
    const char* cls = o->metaObject()->className();  // static: safe after `o` is gone
    const QEvent::Type type = e->type();
    const qint64 t0 = clock->nsecsElapsed();
    ++depth_;
    const bool r = QApplication::notify(o, e);
    --depth_;
    const double ms = static_cast<double>(clock->nsecsElapsed() - t0) / 1e6;
    if (ms >= minMs) slow.push_back(Slow{static_cast<double>(t0) / 1e9, ms, depth_, cls, type});
    return r;
  }

 private:
  int depth_ = 0;
};

// `hwplan_gui_stall_probe --points N`: a made-up plan with N priced candidates; times
// building each chart and drawing it once at 1000 x 600.
int chartsWithManyPoints(int n, const QString& saveDir) {
  auto o = std::make_shared<PlanOutcome>();
  o->scenario.name = "many points";
  hw::Site site;
  site.id = "s";
  o->scenario.sites.push_back(site);
  for (int i = 0; i < n; ++i) {
    hw::SizedCandidate x;
    x.report.candidate.label = "candidate " + std::to_string(i);
    x.report.candidate.spec.family = i % 2 ? hw::Family::edge : hw::Family::gpu;
    x.report.feasible = i % 3 != 0;
    x.report.cost.tco = 1000.0 + (i * 7919 % 10007);
    x.report.cost.capex_per_year = x.report.cost.tco / 6;
    x.closeness = 0.2 + (i * 104729 % 1000) / 1000.0;
    x.pareto = i % 97 == 0;
    hw::StreamResult st;
    st.id = "frames";
    st.completed = 100;
    st.slo_latency_s = 0.05;
    st.p99_s = hw::Estimate{0.05 * x.closeness, 0, 0};
    // A latency histogram of 30 bins (1/10 decade each from 1 ms) for the distribution chart.
    for (int b = 0; b <= 30; ++b) st.latency_edges_s.push_back(1e-3 * std::pow(10.0, b / 10.0));
    for (int b = 0; b < 30; ++b) st.latency_counts.push_back(static_cast<std::uint64_t>(1 + (i + b * 31) % 17));
    x.report.run.streams.push_back(st);
    o->plan.candidates.push_back(std::move(x));
    if (o->plan.candidates.back().report.feasible) o->plan.ranking.push_back(static_cast<std::size_t>(i));
  }
  o->plan.winner = o->plan.ranking.front();
  auto curve = std::make_shared<LoadCurve>();
  for (double load : {0.5, 0.71, 1.0, 1.41, 2.0}) {
    curve->points.push_back(LoadPoint{load, {FamilyBest{hw::Family::edge, "e", 1000 * load}, FamilyBest{hw::Family::gpu, "g", 1500 + 200 * load}}});
  }
  o->loadCurve = curve;
  for (const ChartInfo& k : chartKinds()) {
    QElapsedTimer t;
    t.start();
    QChartView v(makeChart(k.kind, *o));
    const double build = static_cast<double>(t.nsecsElapsed()) / 1e6;
    v.resize(1000, 600);
    t.restart();
    const QPixmap pix = v.grab();
    const double draw = static_cast<double>(t.nsecsElapsed()) / 1e6;
    t.restart();
    (void)v.grab();  // again: a repaint (the layout done)
    std::printf("%-12s %d candidates: built in %.1f ms, drawn in %.1f ms, again in %.1f ms\n", qPrintable(k.id), n, build, draw,
                static_cast<double>(t.nsecsElapsed()) / 1e6);
    if (!saveDir.isEmpty()) pix.save(QDir(saveDir).filePath(k.id + QStringLiteral(".png")));
  }
  return 0;
}
// `hwplan_gui_stall_probe --sweep-rows N`: a made-up two-axis sweep CSV of N variants (a
// square grid, the answer changing along a diagonal); times opening it on the sweep page
// (reading, the plot and the map) and drawing the plot and the map once.
int sweepWithManyRows(int n) {
  const int side = std::max(2, static_cast<int>(std::sqrt(static_cast<double>(n))));
  std::string csv = "costs.electricity,streams.cams.sources,variant,family,hardware,recommended,tco_usd,variant_status\n";
  int v = 0;
  for (int i = 0; i < side; ++i) {
    for (int j = 0; j < side; ++j) {
      const bool edge = i + j < side;
      csv += std::to_string(0.05 + 0.01 * i) + " USD/kWh," + std::to_string(1 + j) + "," + std::to_string(++v) + "," +
             (edge ? "edge,jetson-orin-nano-super" : "gpu,l4x4-server") + ",true," + std::to_string(1000 + 37 * i + 11 * j) + ",ok\n";
    }
  }
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("sweep.csv"));
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly) || f.write(csv.data(), static_cast<qint64>(csv.size())) < 0) return 1;
  f.close();
  SweepPage page;
  page.resize(1200, 760);
  page.show();
  QElapsedTimer t;
  t.start();
  const QString err = page.open(path);
  if (!err.isEmpty()) {
    std::fprintf(stderr, "%s\n", qPrintable(err));
    return 1;
  }
  const double open = static_cast<double>(t.nsecsElapsed()) / 1e6;
  page.tabs()->setCurrentIndex(0);
  t.restart();
  const QPixmap plot = page.grab();
  const double plotDraw = static_cast<double>(t.nsecsElapsed()) / 1e6;
  page.tabs()->setCurrentIndex(1);
  t.restart();
  const QPixmap map = page.grab();
  const double mapDraw = static_cast<double>(t.nsecsElapsed()) / 1e6;
  std::printf("sweep page, %d variants (%d x %d): opened (read, plot, map) in %.1f ms; plot drawn in %.1f ms, map (%zu x %zu cells) in %.1f ms\n", v,
              side, side, open, plotDraw, page.map()->columns(), page.map()->rows(), mapDraw);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  TracingApp app(argc, argv);
  QStandardPaths::setTestModeEnabled(true);
  QStringList args = QApplication::arguments().mid(1);
  if (const auto i = args.indexOf(QStringLiteral("--points")); i >= 0 && i + 1 < args.size()) {
    const auto save = args.indexOf(QStringLiteral("--save"));  // --save DIR: a PNG of each chart
    return chartsWithManyPoints(args[i + 1].toInt(), save >= 0 && save + 1 < args.size() ? args[save + 1] : QString());
  }
  if (const auto i = args.indexOf(QStringLiteral("--sweep-rows")); i >= 0 && i + 1 < args.size()) return sweepWithManyRows(args[i + 1].toInt());
  double cancelAfter = -1;
  if (const auto i = args.indexOf(QStringLiteral("--cancel-after")); i >= 0 && i + 1 < args.size()) {
    cancelAfter = args[i + 1].toDouble();
    args.remove(i, 2);
  }
  QString cacheDir;
  if (const auto i = args.indexOf(QStringLiteral("--cache")); i >= 0 && i + 1 < args.size()) {
    cacheDir = args[i + 1];
    args.remove(i, 2);
  }
  if (const auto i = args.indexOf(QStringLiteral("--trace")); i >= 0 && i + 1 < args.size()) {
    app.minMs = args[i + 1].toDouble();
    args.remove(i, 2);
  }
  // The load curve after the result (a preference, on by default) is part of the run.
  const bool noCurve = args.removeAll(QStringLiteral("--no-load-curve")) > 0;
  {
    Preferences p = Preferences::load();
    p.loadCurve = !noCurve;
    p.save();
  }
  if (args.size() != 1) {
    std::fprintf(stderr, "usage: hwplan_gui_stall_probe SCENARIO [--cancel-after SECONDS] [--no-load-curve] [--cache DIR] [--trace MS]\n");
    return 2;
  }
  QTemporaryDir cache;  // cold: every probe is simulated
  MainWindow w(test::catalogue(), RunnerOptions{test::simulator(), cacheDir.isEmpty() ? cache.path() : cacheDir, 0});
  w.resize(1280, 820);
  w.show();
  if (!QTest::qWaitForWindowExposed(&w) || !w.openFile(args[0])) return 1;

  {
    // Let the window draw the opened scenario first: that is opening, not running.
    QEventLoop settle;
    QTimer::singleShot(500, &settle, &QEventLoop::quit);
    settle.exec();
  }
  std::vector<double> gaps_ms;
  std::vector<std::tuple<double, double, double>> long_gaps;  // (at s, gap ms, UI-thread CPU ms in it) over 50 ms
  QElapsedTimer clock;
  qint64 last = 0;
  // The UI thread's own CPU time in each gap: on a busy machine a gap is also the time the
  // thread waited for a core, and this tells the two apart.
  std::vector<double> cpu_ms;
  double lastCpu = threadCpuMs();
  auto lastSwitches = threadSwitches();
  std::vector<std::pair<long, long>> long_gap_switches;
  QTimer tick;
  tick.setTimerType(Qt::PreciseTimer);
  tick.setInterval(5);
  QObject::connect(&tick, &QTimer::timeout, [&] {
    const qint64 now = clock.nsecsElapsed();
    const double cpu = threadCpuMs();
    gaps_ms.push_back(static_cast<double>(now - last) / 1e6);
    cpu_ms.push_back(cpu - lastCpu);
    const auto switches = threadSwitches();
    if (gaps_ms.back() > 50) {
      long_gaps.emplace_back(static_cast<double>(last) / 1e9, gaps_ms.back(), cpu - lastCpu);
      long_gap_switches.emplace_back(switches.first - lastSwitches.first, switches.second - lastSwitches.second);
    }
    last = now;
    lastCpu = cpu;
    lastSwitches = switches;
  });
  QSignalSpy cancelled(w.bridge(), &PlanBridge::cancelled);
  clock.start();
  app.clock = &clock;
  tick.start();
  QElapsedTimer startCall;
  startCall.start();
  if (!w.runPlan()) return 1;
  const double start_ms = static_cast<double>(startCall.nsecsElapsed()) / 1e6;
  // A real event loop (QTest::qWait would sleep 10 ms between its turns and show up as gaps).
  QEventLoop loop;
  double resultAt = -1;
  QObject::connect(w.bridge(), &PlanBridge::finished, &loop, [&] {
    resultAt = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    if (!w.bridge()->planningLoadCurve()) loop.quit();
  });
  QObject::connect(w.bridge(), &PlanBridge::loadCurveFinished, &loop, &QEventLoop::quit);
  QObject::connect(w.bridge(), &PlanBridge::cancelled, &loop, &QEventLoop::quit);
  QObject::connect(w.bridge(), &PlanBridge::failed, &loop, &QEventLoop::quit);
  qint64 cancelAt = -1;
  if (cancelAfter >= 0) {
    QTimer::singleShot(static_cast<int>(cancelAfter * 1000), &w, [&] {
      cancelAt = clock.nsecsElapsed();
      w.cancelPlan();
    });
  }
  if (w.bridge()->busy()) loop.exec();
  // The window shows the result (or the cancel) before the timer stops.
  QTimer::singleShot(300, &loop, &QEventLoop::quit);
  loop.exec();
  const double total_s = static_cast<double>(clock.nsecsElapsed()) / 1e9;
  tick.stop();
  app.clock = nullptr;
  std::sort(gaps_ms.begin(), gaps_ms.end());
  auto pct = [&](double p) { return gaps_ms.empty() ? 0.0 : gaps_ms[std::min(gaps_ms.size() - 1, static_cast<std::size_t>(p * static_cast<double>(gaps_ms.size())))]; };
  const auto over50 = std::count_if(gaps_ms.begin(), gaps_ms.end(), [](double g) { return g > 50; });
  if (resultAt >= 0) std::printf("result shown after %.1f s%s\n", resultAt, noCurve ? "" : " (then the load curve)");
  std::printf("run: %.1f s, %zu ticks of a 5 ms timer; UI-thread gap median %.1f ms, p99 %.1f ms, max %.1f ms; %ld gap(s) over 50 ms\n", total_s,
              gaps_ms.size(), pct(0.5), pct(0.99), gaps_ms.empty() ? 0.0 : gaps_ms.back(), static_cast<long>(over50));
  for (std::size_t i = 0; i < long_gaps.size(); ++i) {
    const auto& [at, gap, cpu] = long_gaps[i];
    std::printf("  gap of %.0f ms starting at %.2f s (%.0f ms of it on the CPU; the UI thread waited %ld time(s), was preempted %ld time(s))\n", gap,
                at, cpu, long_gap_switches[i].first, long_gap_switches[i].second);
  }
  {
    // The distribution of the gaps (the timer's 5 ms period is the floor).
    const double edges[] = {6, 10, 20, 30, 40, 50};
    std::printf("gaps:");
    double lo = 0;
    for (double hi : edges) {
      const auto n = std::count_if(gaps_ms.begin(), gaps_ms.end(), [&](double g) { return g > lo && g <= hi; });
      std::printf(" %.0f-%.0f ms: %ld;", lo, hi, static_cast<long>(n));
      lo = hi;
    }
    std::printf(" over 50 ms: %ld\n", static_cast<long>(over50));
    std::sort(cpu_ms.begin(), cpu_ms.end());
    std::printf("UI-thread CPU time within one gap: median %.2f ms, max %.1f ms; load average at the end: %s\n",
                cpu_ms.empty() ? 0.0 : cpu_ms[cpu_ms.size() / 2], cpu_ms.empty() ? 0.0 : cpu_ms.back(), loadAverage().c_str());
    std::printf("largest gaps:");
    for (std::size_t i = 0; i < std::min<std::size_t>(5, gaps_ms.size()); ++i) std::printf(" %.1f", gaps_ms[gaps_ms.size() - 1 - i]);
    std::printf(" ms\n");
  }
  for (const TracingApp::Slow& e : app.slow) {
    std::printf("  event %-3d to %-28s at %7.3f s took %6.1f ms%s\n", static_cast<int>(e.type), e.receiver, e.at_s, e.ms,
                e.depth == 0 ? "" : qPrintable(QStringLiteral(" (nested, depth %1)").arg(e.depth)));
  }
  if (cancelAt >= 0) {
    const double took_ms = static_cast<double>(clock.nsecsElapsed() - cancelAt) / 1e6;
    std::printf("cancel: plan reported cancelled %s; children left: %zu\n",
                cancelled.isEmpty() ? "NOT (it finished first)" : qPrintable(QStringLiteral("within %1 ms").arg(took_ms, 0, 'f', 0)),
                test::childrenOf(getpid()).size());
  } else {
    std::printf("result: %s\n", w.resultsPage()->outcome() ? "shown" : "none");
  }
  std::printf("runPlan() on the UI thread: %.1f ms\n", start_ms);
  if (w.resultsPage()->outcome()) {
    // The first chart tab opened after the result: its view and chart made, laid out and
    // painted (a process's first chart also pays Qt Charts' one-time costs, unless they were
    // paid at start-up).
    // Qt Charts lays a chart out in posted events: everything pending is handled.
    auto settle = [&w] {
      for (int k = 0; k < 4; ++k) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
      }
      w.repaint();
    };
    for (ChartKind k : {ChartKind::Tco, ChartKind::Pareto, ChartKind::Distribution, ChartKind::Latency}) {
      QElapsedTimer t;
      t.start();
      const double cpu0 = threadCpuMs();
      w.resultsPage()->showChart(k);
      settle();
      std::printf("chart tab '%s' first shown (made, laid out, painted): %.1f ms (%.1f ms CPU)\n", qPrintable(chartKinds()[static_cast<std::size_t>(k)].id),
                  static_cast<double>(t.nsecsElapsed()) / 1e6, threadCpuMs() - cpu0);
    }
  }
  if (const auto out = w.resultsPage()->outcome()) {
    // Showing a result again, timed: card, table, CSV tab, topology and every chart.
    QElapsedTimer t;
    t.start();
    w.resultsPage()->setOutcome(out);
    std::printf("showing the result (ResultsPage::setOutcome): %.1f ms\n", static_cast<double>(t.nsecsElapsed()) / 1e6);
  }
  return 0;
}
