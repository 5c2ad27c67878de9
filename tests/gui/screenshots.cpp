// Looks at the app: opens the window, shows each page, runs a scenario, and saves a PNG of
// every page and chart tab into OUTDIR. With --check it fails unless the results page is a
// real picture (size, many distinct colours): the CI check that the app draws something.
//
//   hwplan_gui_screenshots [--check] [--size WxH|screen] OUTDIR SCENARIO
//
// The window is 1280x820 unless --size (or $HWPLAN_GUI_SCREENSHOT_SIZE) says otherwise:
// WxH for that size, "screen" for the size the app itself opens at on this screen (fitted to
// its free area: run under `xvfb-run -a -s "-screen 0 1024x700x24"` to see a small screen).
#include <cstring>
#include <QApplication>
#include <QChartView>
#include <QDir>
#include <QFileInfo>
#include <QListWidget>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextCursor>
#include <QTest>
#include <cstdio>

#include "gui/catalogue_page.hpp"
#include "gui/predict_panel.hpp"
#include "gui/preferences.hpp"
#include "gui/sweep_page.hpp"
#include <QSignalSpy>
#include "gui/charts.hpp"
#include "gui/code_editor.hpp"
#include "gui/main_window.hpp"
#include "gui/results_page.hpp"
#include "gui/scenario_form.hpp"
#include "gui/scenario_page.hpp"
#include "gui/topology_view.hpp"
#include "support.hpp"

using namespace hwgui;

namespace {
const char* kUsage =
    "usage: hwplan_gui_screenshots [--check] [--size WxH|screen] OUTDIR SCENARIO\n"
    "  Grabs every page of the app after a run of SCENARIO into OUTDIR (PNG), at 1280x820 unless --size\n"
    "  or $HWPLAN_GUI_SCREENSHOT_SIZE says otherwise ('screen': the size the app opens at on that screen).\n"
    "  Needs a display: run it under xvfb-run -a, or with QT_QPA_PLATFORM=offscreen.\n"
    "  --check: also check that the results page is a real picture (exit 1 if not).\n";
}  // namespace

int main(int argc, char** argv) {
  // --help before the application: without a display QApplication aborts ("could not
  // connect to display"), and the usage needs none.
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::fputs(kUsage, stdout);
      return 0;
    }
  }
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("hwplan"));
  QStandardPaths::setTestModeEnabled(true);
  // Settings (Recent files, preferences) in a folder of this run alone: neither the user's
  // nor a previous run's (the Start page listed the bad files an earlier run had opened).
  QTemporaryDir settingsDir;
  QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
  QStringList args = QApplication::arguments().mid(1);
  const bool check = args.removeAll(QStringLiteral("--check")) > 0;
  QString size = qEnvironmentVariable("HWPLAN_GUI_SCREENSHOT_SIZE", QStringLiteral("1280x820"));
  if (const qsizetype i = args.indexOf(QStringLiteral("--size")); i >= 0 && i + 1 < args.size()) {
    size = args[i + 1];
    args.remove(i, 2);
  }
  static const QRegularExpression wxh(QStringLiteral("^([0-9]+)x([0-9]+)$"));
  const auto sizeMatch = wxh.match(size);
  if (args.size() != 2 || (size != QStringLiteral("screen") && !sizeMatch.hasMatch())) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const QDir out(args[0]);
  QDir().mkpath(out.path());
  QTemporaryDir cache;
  const QString cacheDir = qEnvironmentVariableIsSet("HWPLAN_GUI_CACHE") ? qEnvironmentVariable("HWPLAN_GUI_CACHE") : cache.path();

  MainWindow w(test::catalogue(), test::runnerOptions(cacheDir));
  if (sizeMatch.hasMatch()) w.resize(sizeMatch.captured(1).toInt(), sizeMatch.captured(2).toInt());
  w.show();
  if (!QTest::qWaitForWindowExposed(&w)) return 1;
  std::printf("window: %dx%d\n", w.width(), w.height());
  auto shot = [&](const QString& name) {
    QTest::qWait(100);
    const QString path = out.filePath(name + QStringLiteral(".png"));
    w.grab().save(path);
    std::printf("%s\n", qPrintable(path));
    return path;
  };
  w.showPage(MainWindow::Start);
  shot(QStringLiteral("start"));

  // A broken scenario, as the YAML tab shows it.
  w.openFile(test::dataFile(QStringLiteral("bad/key_typo.yaml")));
  w.scenarioPage()->check();
  shot(QStringLiteral("scenario-error"));

  w.openFile(args[1]);
  const QString scenarioShot = shot(QStringLiteral("scenario"));
  // setCurrentWidget(form()) did nothing (the tab is the widget holding the form under its
  // note): three pictures of the YAML tab.
  w.scenarioPage()->showForm();
  const QString formShot = shot(QStringLiteral("scenario-form"));
  w.scenarioPage()->showTopology();
  const QString topologyShot = shot(QStringLiteral("scenario-topology"));
  w.scenarioPage()->tabs()->setCurrentIndex(0);
  if (!w.runPlan()) return 1;
  // One picture while it runs.
  bool during = false;
  while (w.bridge()->busy()) {
    QTest::qWait(100);
    if (!during && w.progressBar()->maximum() > 1 && w.progressBar()->value() > 0) {
      shot(QStringLiteral("running"));
      during = true;
    }
  }
  if (!w.resultsPage()->outcome()) {
    std::fprintf(stderr, "the plan did not finish\n");
    return 1;
  }
  w.resultsPage()->tabs()->setCurrentIndex(0);
  const QString results = shot(QStringLiteral("results"));
  const auto& kinds = chartKinds();
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    w.resultsPage()->showChart(kinds[i].kind);
    shot(QStringLiteral("results-") + kinds[i].id);
  }
  w.resultsPage()->tabs()->setCurrentWidget(static_cast<QWidget*>(w.resultsPage()->topology()));
  shot(QStringLiteral("results-topology"));

  // Compare: the result as given, pinned, against the same scenario with a dearer
  // bandwidth price (a change an architect tries; it moves TCO, maybe the winner).
  w.pinResult();
  {
    QString text = w.scenarioPage()->text();
    static const QRegularExpression bandwidth(QStringLiteral("(\\n\\s+bandwidth:\\s*)([0-9.]+)(\\s*USD/GB)"));
    const auto m = bandwidth.match(text);
    if (m.hasMatch()) {
      text.replace(m.capturedStart(2), m.capturedLength(2), QString::number(m.captured(2).toDouble() * 4));
      // As typed (an undoable edit: the text is then modified, and the pin says "edited").
      QTextCursor cur(w.scenarioPage()->editor()->document());
      cur.select(QTextCursor::Document);
      cur.insertText(text);
    }
    if (w.runPlan()) {
      while (w.bridge()->busy()) QTest::qWait(100);
      w.pinResult();
      w.scenarioPage()->setModified(false);  // nothing to save or discard on the way out
      w.showPage(MainWindow::Compare);
      shot(QStringLiteral("compare"));
      // The results of the dearer bandwidth with the editor back at the given price: the
      // notice over the results says they are of another version of the scenario.
      w.scenarioPage()->editor()->undo();
      w.showPage(MainWindow::Results);
      w.resultsPage()->tabs()->setCurrentIndex(0);
      shot(QStringLiteral("results-stale"));
      w.scenarioPage()->editor()->redo();
    }
  }
  w.showPage(MainWindow::Catalogue);
  {
    QSignalSpy predicted(w.cataloguePage()->predict(), &PredictPanel::predicted);
    w.cataloguePage()->table()->selectRow(10);
    predicted.wait(30000);
  }
  shot(QStringLiteral("catalogue"));

  // The sweep page on the small boundary sweep of the tests: the decision map, the plot.
  w.showPage(MainWindow::Sweeps);
  if (!w.sweepPage()->open(QStringLiteral(HWPLAN_GUI_TEST_DATA "/map-sweep.csv")).isEmpty()) return 1;
  w.sweepPage()->tabs()->setCurrentIndex(1);
  shot(QStringLiteral("sweep-map"));
  w.sweepPage()->tabs()->setCurrentIndex(0);
  shot(QStringLiteral("sweep-plot"));

  // The dark palette (what a dark desktop gets): the results page again.
  applyTheme(QStringLiteral("dark"));
  w.resultsPage()->setOutcome(w.resultsPage()->outcome());
  w.showPage(MainWindow::Results);
  // The latency distribution, or where it has nothing to draw (LLM serving: its tab is off),
  // the latency percentiles.
  w.resultsPage()->showChart(ChartKind::Distribution);
  if (!w.resultsPage()->tabs()->isTabEnabled(w.resultsPage()->tabs()->currentIndex())) w.resultsPage()->showChart(ChartKind::Latency);
  shot(QStringLiteral("results-dark"));
  w.resultsPage()->tabs()->setCurrentWidget(static_cast<QWidget*>(w.resultsPage()->topology()));
  shot(QStringLiteral("results-topology-dark"));
  w.showPage(MainWindow::Start);
  shot(QStringLiteral("start-dark"));
  w.showPage(MainWindow::Scenario);
  w.scenarioPage()->showForm();
  shot(QStringLiteral("scenario-form-dark"));
  w.scenarioPage()->tabs()->setCurrentIndex(0);
  shot(QStringLiteral("scenario-dark"));
  w.showPage(MainWindow::Compare);
  shot(QStringLiteral("compare-dark"));
  w.showPage(MainWindow::Catalogue);
  shot(QStringLiteral("catalogue-dark"));
  w.showPage(MainWindow::Sweeps);
  w.sweepPage()->tabs()->setCurrentIndex(1);
  shot(QStringLiteral("sweep-map-dark"));
  applyTheme(QStringLiteral("light"));

  if (check) {
    for (const QString& other : {formShot, topologyShot}) {
      if (QImage(other) == QImage(scenarioShot)) {
        std::fprintf(stderr, "%s is the same picture as %s (its tab was not shown)\n", qPrintable(other), qPrintable(scenarioShot));
        return 1;
      }
    }
    const QImage img(results);
    const int colours = test::distinctColours(img);
    std::printf("results page: %dx%d, %d distinct colours\n", img.width(), img.height(), colours);
    if (!test::looksLikeAPicture(img, 64, 400)) {
      std::fprintf(stderr, "the results page looks blank\n");
      return 1;
    }
  }
  return 0;
}
