// Running plans from the app: a small scenario fills the card, the table and every chart;
// its CSV is the CLI's byte for byte; exports write real files; Cancel stops every child
// process and shows no result; a run after a cancel works.
#include <QAction>
#include <QChart>
#include <QChartView>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTextCursor>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>

#include "gui/candidates_model.hpp"
#include "gui/charts.hpp"
#include "gui/code_editor.hpp"
#include "gui/compare_page.hpp"
#include "gui/scenario_page.hpp"
#include "gui/export.hpp"
#include "gui/main_window.hpp"
#include "gui/preferences.hpp"
#include "gui/results_page.hpp"
#include "gui/scenario_form.hpp"
#include "gui/topology_view.hpp"
#include "support.hpp"

using namespace hwgui;

namespace {

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

const char* kSmall = "planner/queue-sizing.yaml";  // 3 candidates, ~9 probes

// Waits until the window's plan has ended (finished, cancelled or failed).
void waitIdle(MainWindow& w) {
  while (w.bridge()->busy()) QTest::qWait(50);
}

}  // namespace

class RunTest : public QObject {
  Q_OBJECT
  QTemporaryDir cache_;

 private Q_SLOTS:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

  void cancelStopsEveryChildAndShowsNoResult() {
    QTemporaryDir emptyCache;  // nothing cached: the plan must simulate
    QVERIFY(test::childrenOf(getpid()).empty());
    {
      MainWindow w(test::catalogue(), test::runnerOptions(emptyCache.path()));
      w.show();
      QVERIFY(w.openFile(test::sourceFile("scenarios/city-cctv.yaml")));
      QSignalSpy progress(w.bridge(), &PlanBridge::progress);
      QSignalSpy cancelled(w.bridge(), &PlanBridge::cancelled);
      QVERIFY(w.runPlan());
      QVERIFY(!w.runAction()->isEnabled());
      QVERIFY(w.cancelAction()->isEnabled());
      // Wait until simulations are running in grandchildren (server -> forked simulation).
      std::set<int> seen;
      for (;;) {
        QTest::qWait(20);
        const auto d = test::descendantsOf(getpid());
        seen.insert(d.begin(), d.end());
        // A simulation is running, and the window has heard about it (queued signal).
        if (d.size() > test::childrenOf(getpid()).size() && !progress.isEmpty()) break;
        QVERIFY2(w.bridge()->busy(), "the plan ended before a simulation was seen running");
      }
      QVERIFY(w.progressLabel()->text().contains(QStringLiteral("probes")));
      // The simulations run nicer than the window's thread (RunnerOptions::childNice, 5):
      // field 19 of /proc/PID/stat is the niceness.
      errno = 0;
      const int own = getpriority(PRIO_PROCESS, 0);
      QCOMPARE(errno, 0);
      for (int pid : test::descendantsOf(getpid())) {
        const int nice = test::niceness(pid);
        if (nice == std::numeric_limits<int>::min()) continue;  // gone meanwhile
        QVERIFY2(nice >= std::min(19, own + 5), qPrintable(QStringLiteral("child %1 at nice %2, the app at %3").arg(pid).arg(nice).arg(own)));
      }
      w.cancelAction()->trigger();
      QVERIFY(cancelled.wait(60000));
      // Every direct child (the `hwplan simulate --serve` servers) is killed and reaped by
      // the time the plan reports cancelled.
      QVERIFY2(test::childrenOf(getpid()).empty(), "a child process survived Cancel");
      // Their forked simulations die with them (PR_SET_PDEATHSIG): wait for each to go.
      for (int pid : seen) {
        while (test::alive(pid)) QTest::qWait(20);
      }
      QVERIFY(w.resultsPage()->outcome() == nullptr);  // a cancelled plan is not a result
      QVERIFY(w.statusBar()->currentMessage().startsWith(QStringLiteral("Cancelled")));
      QVERIFY(w.runAction()->isEnabled());
      QVERIFY(!w.cancelAction()->isEnabled());

      // The next run works (the cancelled runner is replaced).
      QSignalSpy finished(w.bridge(), &PlanBridge::finished);
      QVERIFY(w.openFile(test::dataFile(kSmall)));
      QVERIFY(w.runPlan());
      waitIdle(w);
      QCOMPARE(finished.size(), 1);
      QVERIFY(w.resultsPage()->outcome() != nullptr);
    }
    QVERIFY(test::childrenOf(getpid()).empty());  // closing the window ends the servers
  }

  // Esc while the load curve ran (city-cctv, at x1.41) left "load curve not planned (Edit >
  // Preferences: plan it after each run)" with the preference on, and the loads already
  // planned were thrown away. Now the loads done are kept and drawn, the status bar and the
  // chart say it was cancelled, and Resume plans the rest (the loads done from the cache)
  // without planning the scenario again.
  void cancellingTheLoadCurveKeepsTheLoadsDoneAndResumes() {
    QTemporaryDir emptyCache;  // nothing cached: each load simulates
    Preferences prefs = Preferences::load();
    prefs.loadCurve = true;
    prefs.loadCurvePoints = 5;
    prefs.save();
    MainWindow w(test::catalogue(), test::runnerOptions(emptyCache.path()));
    w.show();
    QVERIFY(w.openFile(test::dataFile(kSmall)));
    QSignalSpy finished(w.bridge(), &PlanBridge::finished);
    QSignalSpy cancelled(w.bridge(), &PlanBridge::cancelled);
    bool sent = false;
    // Cancel once the third load of four (x1.41) is being planned: x0.5, x0.71 and x1 are done.
    connect(w.bridge(), &PlanBridge::progress, &w, [&](const PlanStatus& st) {
      if (!sent && QString::fromStdString(st.progress.phase).contains(QStringLiteral("x1.41"))) {
        sent = true;
        w.cancelAction()->trigger();
      }
    });
    QVERIFY(w.runPlan());
    waitIdle(w);
    QCOMPARE(finished.size(), 1);
    QVERIFY2(sent && cancelled.size() == 1, "the load curve ended before x1.41 was cancelled");
    const PlanOutcomePtr out = w.resultsPage()->outcome();
    QVERIFY(out && out->loadCurve);
    QVERIFY(out->loadCurve->cancelled);
    QCOMPARE(out->loadCurve->loads.size(), std::size_t{5});
    QCOMPARE(out->loadCurve->points.size(), std::size_t{3});
    QCOMPARE(out->loadCurve->points.back().load, 1.0);
    QVERIFY2(w.statusMessage().startsWith(QStringLiteral("Cancelled the load curve after 3 of 5 loads")), qPrintable(w.statusMessage()));
    w.showPage(MainWindow::Results);
    w.resultsPage()->showChart(ChartKind::LoadCurve);
    QChartView* v = w.resultsPage()->chartView(ChartKind::LoadCurve);
    const QString title = plainTitle(v->chart()->title());
    QVERIFY2(!title.contains(QStringLiteral("not planned")) && title.contains(QStringLiteral("cancelled after 3 of 5 loads")), qPrintable(title));
    QVERIFY(!v->chart()->series().isEmpty());
    QVERIFY(w.resultsPage()->loadCurveButton()->isVisible() && w.resultsPage()->loadCurveButton()->isEnabled());
    QVERIFY(w.loadCurveAction()->isEnabled());
    QVERIFY2(w.loadCurveAction()->text().startsWith(QStringLiteral("Resume")), qPrintable(w.loadCurveAction()->text()));

    // Resume: the rest of the curve, no new plan (finished() does not come again).
    QSignalSpy curve(w.bridge(), &PlanBridge::loadCurveFinished);
    w.resultsPage()->loadCurveButton()->click();
    QVERIFY(w.bridge()->busy());
    QVERIFY(!w.resultsPage()->loadCurveButton()->isVisible());
    waitIdle(w);
    QCOMPARE(curve.size(), 1);
    QCOMPARE(finished.size(), 1);
    const PlanOutcomePtr whole = w.resultsPage()->outcome();
    QVERIFY(whole->loadCurve && !whole->loadCurve->cancelled);
    QCOMPARE(whole->loadCurve->points.size(), std::size_t{5});
    QCOMPARE(whole->plan.winner, out->plan.winner);
    // The loads done before the cancel came from the cache: the curve's x0.5 and x0.71 equal.
    for (std::size_t i = 0; i < 3; ++i) {
      QCOMPARE(whole->loadCurve->points[i].load, out->loadCurve->points[i].load);
      QCOMPARE(whole->loadCurve->points[i].best.size(), out->loadCurve->points[i].best.size());
      if (!whole->loadCurve->points[i].best.empty()) QCOMPARE(whole->loadCurve->points[i].best.front().tco, out->loadCurve->points[i].best.front().tco);
    }
    QVERIFY(!w.resultsPage()->loadCurveButton()->isVisibleTo(w.resultsPage()));  // nothing to offer: the curve is whole
  }

  // The progress line: each running simulation's share of its own simulated time ("2
  // running (at 10%, 7% of the simulated time)": of which?), and the load curve's load
  // number apart from the round's probe counts ("x1.41 (3/4): sizing · round 1 · 3/4
  // probes" read as two unrelated 3/4).
  void theProgressLineSaysWhatEachFigureCounts() {
    MainWindow w(test::catalogue(), test::runnerOptions(cache_.path()));
    PlanStatus st;
    st.progress.phase = "load curve: load 3 of 4, x1.41: sizing";
    st.progress.round = 1;
    st.progress.sims_done = 3;
    st.progress.sims_total = 4;
    st.progress.running = 2;
    st.progress.progress = {0.10, 0.07};
    Q_EMIT w.bridge()->progress(st);
    const QString text = w.progressLabel()->text();
    QVERIFY2(text.contains(QStringLiteral("2 running, 10% and 7% through their simulated time")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("of the simulated time")), qPrintable(text));
    st.progress.running = 1;
    st.progress.progress = {0.43};
    Q_EMIT w.bridge()->progress(st);
    QVERIFY2(w.progressLabel()->text().contains(QStringLiteral("1 running, 43% through its simulated time")), qPrintable(w.progressLabel()->text()));
  }

  void aRunFillsCardTableAndCharts() {
    MainWindow w(test::catalogue(), test::runnerOptions(cache_.path()));
    w.show();
    QVERIFY(w.openFile(test::dataFile(kSmall)));
    QSignalSpy progress(w.bridge(), &PlanBridge::progress);
    QVERIFY(w.runPlan());
    waitIdle(w);
    const PlanOutcomePtr out = w.resultsPage()->outcome();
    QVERIFY(out);
    QVERIFY(!out->plan.cancelled);
    QVERIFY(out->plan.winner.has_value());
    QVERIFY(!progress.isEmpty());
    QCOMPARE(w.currentPage(), MainWindow::Results);
    // Card.
    const auto& winner = out->plan.candidates[*out->plan.winner].report.candidate.label;
    const QString card = w.resultsPage()->card()->toPlainText();
    QVERIFY2(card.contains(QStringLiteral("Recommended: ") + QString::fromStdString(winner)), qPrintable(card));
    QVERIFY(card.contains(QStringLiteral("margin over runner-up")));
    // Table: one row per candidate, the winner first.
    QTableView* t = w.resultsPage()->table();
    QCOMPARE(t->model()->rowCount(), static_cast<int>(out->plan.candidates.size()));
    QCOMPARE(t->model()->index(0, CandidatesModel::Candidate).data().toString(), QString::fromStdString(winner));
    QVERIFY(t->model()->index(0, 0).data(CandidatesModel::RecommendedRole).toBool());
    // Pinning it puts it on the Compare page.
    QVERIFY(w.pinResult());
    QCOMPARE(w.comparePage()->pinned(), 1);
    // Ctrl+P again on the same result added a second, identical column: now it says so.
    QVERIFY(!w.pinResult());
    QCOMPARE(w.comparePage()->pinned(), 1);
    QVERIFY2(w.statusMessage().startsWith(QStringLiteral("Already pinned")), qPrintable(w.statusMessage()));
    // The topology, coloured by the winner's run.
    QCOMPARE(w.resultsPage()->topology()->drawnSites(), static_cast<int>(out->scenario.sites.size()));
    // Every chart has data.
    for (const ChartInfo& k : chartKinds()) {
      QChartView* v = w.resultsPage()->chartView(k.kind);
      QVERIFY(v && v->chart());
      QVERIFY2(!v->chart()->series().isEmpty(), qPrintable(k.id));
      // Its tab shows that view (views are made when first asked for, inside the tab's page).
      w.resultsPage()->showChart(k.kind);
      QVERIFY2(w.resultsPage()->tabs()->currentWidget()->isAncestorOf(v), qPrintable(k.id));
    }
    // A run of an edited text, pinned, is named so: two pins of one file in the same minute
    // both read "FILE (HH:mm:ss)" (the time of pinning), whatever ran.
    {
      QTextCursor cur(w.scenarioPage()->editor()->document());
      cur.movePosition(QTextCursor::End);
      cur.insertText(QStringLiteral("\n# an edit\n"));
    }
    QVERIFY(w.runPlan());
    waitIdle(w);
    QVERIFY(w.pinResult());
    QCOMPARE(w.comparePage()->pinned(), 2);
    const QString first = w.comparePage()->table()->horizontalHeaderItem(0)->text();
    const QString second = w.comparePage()->table()->horizontalHeaderItem(1)->text();
    QVERIFY2(first.contains(QStringLiteral(" (run ")) && !first.contains(QStringLiteral("edited")), qPrintable(first));
    QVERIFY2(second.contains(QStringLiteral(", edited (run ")), qPrintable(second));
    w.scenarioPage()->setModified(false);
  }

  // The results page says when the scenario in the editor is no longer the one its results
  // were planned from: an edit (YAML or form), another file; not once the text is back to
  // what ran, nor after a new run.
  void theResultsSayWhenTheScenarioHasChangedSinceTheRun() {
    MainWindow w(test::catalogue(), test::runnerOptions(cache_.path()));
    w.show();
    QVERIFY(w.openFile(test::dataFile(kSmall)));
    QLabel* notice = w.resultsPage()->staleNotice();
    QVERIFY(notice->isHidden());
    QVERIFY(w.runPlan());
    waitIdle(w);
    QVERIFY(w.resultsPage()->outcome());
    QVERIFY2(notice->isHidden(), qPrintable(notice->text()));
    // The pin's name gives the run's time: the notice names the same run.
    QVERIFY(w.pinResult());
    const QString pinned = w.comparePage()->table()->horizontalHeaderItem(0)->text();
    static const QRegularExpression runAt(QStringLiteral("\\(run (\\d\\d:\\d\\d:\\d\\d)\\)"));
    const QString time = runAt.match(pinned).captured(1);
    QVERIFY2(!time.isEmpty(), qPrintable(pinned));
    const QString action = w.runAction()->iconText();  // the tool bar's word for a run
    QCOMPARE(action, QStringLiteral("Recommend"));

    // Typed in the YAML: the notice names the file, the run's time, the change and the action.
    CodeEditor* editor = w.scenarioPage()->editor();
    {
      QTextCursor cur(editor->document());
      cur.movePosition(QTextCursor::End);
      cur.insertText(QStringLiteral("\n# an edit\n"));
    }
    QVERIFY(!notice->isHidden());
    const QString edited = notice->text();
    for (const QString& part : {QStringLiteral("queue-sizing.yaml as it was at ") + time, QStringLiteral("edited since"), action + QStringLiteral(" (F5) again")}) {
      QVERIFY2(edited.contains(part), qPrintable(QStringLiteral("'%1' not in: %2").arg(part, edited)));
    }
    QVERIFY2(!edited.contains(QStringLiteral("\n")), qPrintable(edited));  // one line
    // Undone, the text is exactly what ran: no notice.
    editor->undo();
    QVERIFY2(notice->isHidden(), qPrintable(notice->text()));
    // An edit in the form (a second site) likewise, and its undo.
    QVERIFY(w.scenarioPage()->form()->addRow(w.scenarioPage()->form()->sites(), 0).isEmpty());
    QVERIFY(!notice->isHidden());
    QVERIFY(notice->text().contains(QStringLiteral("edited since")));
    editor->undo();
    QVERIFY2(notice->isHidden(), qPrintable(notice->text()));

    // Another file in the editor: the notice names both.
    QVERIFY(w.openFile(test::dataFile(QStringLiteral("planner/crossover.yaml"))));
    QVERIFY(!notice->isHidden());
    const QString other = notice->text();
    QVERIFY2(other.contains(QStringLiteral("queue-sizing.yaml as it was at ") + time) && other.contains(QStringLiteral("crossover.yaml")) &&
                 other.contains(action),
             qPrintable(other));
    // The result shown is still the old one: pinned already (one column per result); pinned
    // again after Clear all, under its own name.
    QVERIFY(!w.pinResult());
    w.comparePage()->clear();
    QVERIFY(w.pinResult());
    QCOMPARE(w.comparePage()->table()->horizontalHeaderItem(0)->text().section(QStringLiteral(": "), 1),
             pinned.section(QStringLiteral(": "), 1));  // "N: NAME (run TIME)"
    // The same file opened again, unchanged: the results are its own again.
    QVERIFY(w.openFile(test::dataFile(kSmall)));
    QVERIFY2(notice->isHidden(), qPrintable(notice->text()));

    // A run of an edited text: the notice stays while it runs (the old result is shown) and
    // goes when its result comes; that result is "edited", in its pin and in a later notice.
    {
      QTextCursor cur(editor->document());
      cur.movePosition(QTextCursor::End);
      cur.insertText(QStringLiteral("\n# another edit\n"));
    }
    QVERIFY(!notice->isHidden());
    QVERIFY(w.runPlan());
    QVERIFY(!notice->isHidden());
    waitIdle(w);
    QVERIFY2(notice->isHidden(), qPrintable(notice->text()));
    editor->undo();
    QVERIFY(!notice->isHidden());
    QVERIFY2(notice->text().contains(QStringLiteral("queue-sizing.yaml, edited, as it was at ")), qPrintable(notice->text()));
    w.scenarioPage()->setModified(false);
  }

  void csvIsTheClisAndExportsWriteFiles() {
    PlanBridge bridge(test::runnerOptions(cache_.path()));
    PlanRequest r;
    r.scenario = hw::load_scenario(test::dataFile(kSmall).toStdString(), *test::catalogue());
    r.catalogue = test::catalogue();
    const PlanOutcomePtr out = test::planAndWait(bridge, r);
    QVERIFY(out);
    QTemporaryDir dir;
    // The CLI on the same scenario and cache (its results are the same simulations).
    const QString cliCsv = dir.filePath("cli.csv");
    QProcess cli;
    cli.start(test::simulator(), {QStringLiteral("recommend"), test::dataFile(kSmall), QStringLiteral("--cache-dir"), cache_.path(),
                                  QStringLiteral("--out"), cliCsv, QStringLiteral("--format"), QStringLiteral("csv")});
    QVERIFY(cli.waitForFinished(-1));
    QCOMPARE(cli.exitCode(), 0);
    const ReportFiles files = writeReportFiles(*out, dir.filePath("report"), QStringLiteral("queue-sizing"));
    QVERIFY2(files.error.isEmpty(), qPrintable(files.error));
    QCOMPARE(files.written.size(), 1 + 2 * static_cast<int>(chartKinds().size()) + 1);
    for (const QString& f : files.written) QVERIFY2(QFileInfo(f).size() > 0, qPrintable(f));
    QCOMPARE(readAll(dir.filePath("report/queue-sizing-candidates.csv")), readAll(cliCsv));
    for (const ChartInfo& k : chartKinds()) {
      const QImage png(dir.filePath(QStringLiteral("report/queue-sizing-%1.png").arg(k.id)));
      QVERIFY2(test::looksLikeAPicture(png), qPrintable(k.id));
      const QByteArray svg = readAll(dir.filePath(QStringLiteral("report/queue-sizing-%1.svg").arg(k.id)));
      QVERIFY2(svg.contains("<svg") && svg.size() > 2000, qPrintable(k.id));
      // Well-formed XML (a rich-text chart title once put "<br>" into <title>).
      const QString why = test::xmlError(dir.filePath(QStringLiteral("report/queue-sizing-%1.svg").arg(k.id)));
      QVERIFY2(why.isEmpty(), qPrintable(k.id + QStringLiteral(": ") + why));
    }
    const QByteArray pdf = readAll(dir.filePath("report/queue-sizing-report.pdf"));
    QVERIFY(pdf.startsWith("%PDF"));
    QVERIFY(pdf.size() > 10000);
    // Interrupted while the files are made (`stop` true at the 6th look, as a Ctrl-C sets it):
    // the folder keeps the earlier report, whole, with no file of the new one (before, a
    // signal left a 0-byte chart and a mix of old and new files), and nothing hidden is left.
    for (const QString& f : files.written) {
      QFile file(f);
      QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
      file.write("an earlier report");
    }
    int looks = 0;
    const ReportFiles cut = writeReportFiles(*out, dir.filePath("report"), QStringLiteral("queue-sizing"), [&] { return ++looks >= 6; });
    QVERIFY(cut.stopped);
    QVERIFY(cut.written.isEmpty());
    for (const QString& f : files.written) QCOMPARE(readAll(f), QByteArray("an earlier report"));
    const QStringList left = QDir(dir.filePath("report")).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    QCOMPARE(left.size(), files.written.size());  // no .hwplan-report-PID folder left behind
    // Not stopped: every file replaced at once.
    const ReportFiles again = writeReportFiles(*out, dir.filePath("report"), QStringLiteral("queue-sizing"), [] { return false; });
    QVERIFY2(again.error.isEmpty(), qPrintable(again.error));
    QVERIFY(!again.stopped);
    QCOMPARE(again.written, files.written);
    for (const QString& f : again.written) QVERIFY2(readAll(f) != QByteArray("an earlier report"), qPrintable(f));
    QCOMPARE(QDir(dir.filePath("report")).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size(), files.written.size());
  }

  void withoutADisplayHelpPrintsAndTheWindowSaysWhy() {
    // Before, Qt's xcb plugin aborted ("could not connect to display") before --help printed.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) env.remove(QString::fromLatin1(v));
    QProcess help;
    help.setProcessEnvironment(env);
    help.start(QStringLiteral(HWPLAN_GUI_BIN), {QStringLiteral("--help")});
    QVERIFY(help.waitForFinished(60000));
    QCOMPARE(help.exitStatus(), QProcess::NormalExit);
    QCOMPARE(help.exitCode(), 0);
    QVERIFY(help.readAllStandardOutput().contains("--report"));
    QProcess window;
    window.setProcessEnvironment(env);
    window.start(QStringLiteral(HWPLAN_GUI_BIN), {});
    QVERIFY(window.waitForFinished(60000));
    QCOMPARE(window.exitStatus(), QProcess::NormalExit);
    QCOMPARE(window.exitCode(), 2);
    const QByteArray err = window.readAllStandardError();
    QVERIFY2(err.contains("no display") && err.contains("--report SCENARIO --out DIR"), err.constData());
  }

  void headlessReportMode() {
    QTemporaryDir dir;
    QProcess gui;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), dir.filePath("cache"));
    env.insert(QStringLiteral("HWPLAN_SIMULATOR"), test::simulator());
    gui.setProcessEnvironment(env);
    gui.start(QStringLiteral(HWPLAN_GUI_BIN), {QStringLiteral("--report"), test::dataFile(kSmall), QStringLiteral("--out"), dir.filePath("out")});
    QVERIFY(gui.waitForFinished(-1));
    const QString err = QString::fromUtf8(gui.readAllStandardError());
    QVERIFY2(gui.exitCode() == 0, qPrintable(err));
    const QStringList written = QString::fromUtf8(gui.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(written.size(), 1 + 2 * static_cast<int>(chartKinds().size()) + 1);
    for (const QString& f : written) QVERIFY2(QFileInfo(f).size() > 0, qPrintable(f));
    QVERIFY(QFileInfo::exists(dir.filePath("out/queue-sizing-report.pdf")));
    // "wrote N file(s) to DIR in T s": T is the whole report's time, not less than the last
    // progress line's "[ 12.3 s]" (it printed the main plan's time alone: 0.4 s after 18 s).
    double lastProgress = 0;
    for (auto it = QRegularExpression(QStringLiteral("\\[\\s*([0-9.]+) s\\]")).globalMatch(err); it.hasNext();) {
      lastProgress = std::max(lastProgress, it.next().captured(1).toDouble());
    }
    const auto wrote = QRegularExpression(QStringLiteral("wrote \\d+ file\\(s\\) to .* in ([0-9.]+) s")).match(err);
    QVERIFY2(wrote.hasMatch(), qPrintable(err));
    QVERIFY2(wrote.captured(1).toDouble() >= lastProgress, qPrintable(err));
  }

  // --out that cannot be a folder is refused before any planning, with the reason and the
  // CLI's exit status for bad input (it planned first, then said "cannot create" with no
  // reason and exit 1, and the plan was lost).
  void reportRefusesABadOutBeforePlanning() {
    QTemporaryDir dir;
    const QString file = dir.filePath("afile");
    {
      QFile f(file);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("hi\n");
    }
    QProcess gui;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), dir.filePath("cache"));
    env.insert(QStringLiteral("HWPLAN_SIMULATOR"), test::simulator());
    gui.setProcessEnvironment(env);
    gui.start(QStringLiteral(HWPLAN_GUI_BIN), {QStringLiteral("--report"), test::dataFile(kSmall), QStringLiteral("--out"), file,
                                               QStringLiteral("--no-sensitivity")});
    QVERIFY(gui.waitForFinished(-1));
    const QString err = QString::fromUtf8(gui.readAllStandardError());
    QCOMPARE(gui.exitCode(), 2);
    QVERIFY2(err.contains(QStringLiteral("%1 is a file, not a folder").arg(file)), qPrintable(err));
    QVERIFY2(!err.contains(QStringLiteral("planning")), qPrintable(err));  // nothing was planned
    QCOMPARE(readAll(file), QByteArray("hi\n"));
  }

  // Ctrl-C in a terminal (SIGINT to the whole process group, the simulator children too) and
  // SIGTERM to the app alone: "interrupted", 130 or 143 as the CLI, no simulation blamed, no
  // child left. Before: SIGINT to the group printed "A simulation of '...' failed: simulation
  // process killed by signal 2" and exited 1.
  void reportInterruptedBySignal() {
    for (const int sig : {SIGINT, SIGTERM}) {
      QTemporaryDir dir;  // an empty cache: the plan must simulate
      QProcess gui;
      QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
      env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
      env.insert(QStringLiteral("XDG_CACHE_HOME"), dir.filePath("cache"));
      env.insert(QStringLiteral("HWPLAN_SIMULATOR"), test::simulator());
      gui.setProcessEnvironment(env);
      gui.setChildProcessModifier([] { ::setsid(); });  // its own group, as a shell's job
      gui.start(QStringLiteral(HWPLAN_GUI_BIN), {QStringLiteral("--report"), test::sourceFile(QStringLiteral("scenarios/city-cctv.yaml")),
                                                 QStringLiteral("--out"), dir.filePath("out")});
      QVERIFY(gui.waitForStarted());
      const int pid = static_cast<int>(gui.processId());
      // Wait until simulations run (the app has children).
      QElapsedTimer t;
      t.start();
      while (test::childrenOf(pid).empty() && t.elapsed() < 60000 && gui.state() == QProcess::Running) QTest::qWait(50);
      QVERIFY2(!test::childrenOf(pid).empty(), "no simulation started");
      QTest::qWait(300);
      QCOMPARE(::kill(sig == SIGINT ? -pid : pid, sig), 0);
      QVERIFY(gui.waitForFinished(30000));
      const QString err = QString::fromUtf8(gui.readAllStandardError());
      QCOMPARE(gui.exitStatus(), QProcess::NormalExit);
      QVERIFY2(gui.exitCode() == 128 + sig, qPrintable(QStringLiteral("exit %1: %2").arg(gui.exitCode()).arg(err)));
      QVERIFY2(err.contains(sig == SIGINT ? QStringLiteral("interrupted (SIGINT)") : QStringLiteral("interrupted (SIGTERM)")), qPrintable(err));
      QVERIFY2(!err.contains(QStringLiteral("failed")), qPrintable(err));
      QVERIFY(!QFileInfo::exists(dir.filePath("out/city-cctv-report.pdf")));
      // No simulator left behind: nothing is left in the app's process group.
      QElapsedTimer gone;
      gone.start();
      while (::kill(-pid, 0) == 0 && gone.elapsed() < 5000) QTest::qWait(50);
      QVERIFY2(::kill(-pid, 0) != 0 && errno == ESRCH, "a process of the app's group survived");
    }
  }
};

QTEST_MAIN(RunTest)
#include "run_test.moc"
