// The views added on top of the run: the latency distribution (the run's histogram), the
// load curve (the scenario planned again from x0.5 to x2), the sweep page (plot and
// decision map of a real `hwplan sweep` CSV, tests/gui/data/map-sweep.csv), preferences,
// the dark palette and the keyboard shortcuts.
#include <QAction>
#include <QAbstractBarSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QGraphicsRectItem>
#include <QGraphicsTextItem>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsView>
#include <QLabel>
#include <QPushButton>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTableView>
#include <QAreaSeries>
#include <QCategoryAxis>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QScreen>
#include <QScrollBar>
#include <QScrollArea>
#include <QSignalSpy>
#include <QTest>
#include <QRegularExpression>
#include <QAbstractTextDocumentLayout>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextLayout>
#include <QValueAxis>
#include <algorithm>
#include <set>

#include "gui/candidates_model.hpp"
#include "gui/catalogue_page.hpp"
#include "gui/charts.hpp"
#include "gui/compare_page.hpp"
#include "gui/export.hpp"
#include "gui/paths.hpp"
#include "gui/plan_bridge.hpp"
#include "gui/plan_data.hpp"
#include "gui/main_window.hpp"
#include "gui/preferences.hpp"
#include "gui/recommendation.hpp"
#include "gui/results_page.hpp"
#include "gui/start_page.hpp"
#include "gui/table_model.hpp"
#include "gui/topology_view.hpp"
#include "gui/scenario_form.hpp"
#include "gui/scenario_page.hpp"
#include "gui/sweep_data.hpp"
#include "gui/sweep_page.hpp"
#include "sim/io/loaders.hpp"
#include "sim/sweep/results.hpp"
#include "support.hpp"

using namespace hwgui;

namespace {

const char* kSmall = "planner/queue-sizing.yaml";

QString sweepCsv() { return QStringLiteral(HWPLAN_GUI_TEST_DATA "/map-sweep.csv"); }
QString boundaryCsv() { return QStringLiteral(HWPLAN_GUI_TEST_DATA "/map-sweep-boundary.csv"); }

std::vector<QLineSeries*> lines(QChart* c) {
  std::vector<QLineSeries*> out;
  for (QAbstractSeries* s : c->series()) {
    if (s->type() == QAbstractSeries::SeriesTypeLine) out.push_back(static_cast<QLineSeries*>(s));
  }
  return out;
}

}  // namespace

class ViewsTest : public QObject {
  Q_OBJECT
  QTemporaryDir cache_;
  PlanOutcomePtr withCurve_;

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    PlanBridge bridge(test::runnerOptions(cache_.path()));
    PlanRequest r;
    r.scenario = hw::load_scenario(test::dataFile(kSmall).toStdString(), *test::catalogue());
    r.catalogue = test::catalogue();
    r.loadCurve = defaultLoadCurve(5);
    withCurve_ = test::planAndWait(bridge, r);
    QVERIFY(withCurve_);
  }

  // On a 1024x700 screen the window opens at 1008x660 and the Results page's charts had
  // about 200 px: the Power and Sensitivity charts, with their subtitles, cut every tick
  // label, axis title and most category names to "...". Each chart keeps a minimum size
  // (the page scrolls below it) at which nothing is cut.
  void theChartsKeepTheirLabelsOnASmallScreen() {
    auto o = std::make_shared<PlanOutcome>(*withCurve_);
    QVERIFY(o->plan.winner);
    // Five sensitivity cases and a two-line crossover, as ADAS train-infer-iterate has.
    while (o->plan.sensitivity.size() < 4) o->plan.sensitivity.push_back(o->plan.sensitivity.empty() ? hw::SensitivityCase{} : o->plan.sensitivity.back());
    o->plan.crossover = "loop edge jetson-orin-nx-16gb stays the winner from load x0.5 to x2 (the cheapest family at every load sampled; "
                        "no bisection needed)";
    // A category as long as ADAS's rejected split pipeline's.
    const std::size_t runnerUp = o->plan.runner_up ? *o->plan.runner_up : *o->plan.winner;
    for (std::string* h : {&o->plan.candidates[runnerUp].report.candidate.spec.edge_hardware, &o->plan.candidates[runnerUp].report.candidate.spec.gpu_hardware}) *h = "jetson-orin-nx-16gb+l4x4-server-and-a-long-name";
    ResultsPage page;
    page.resize(873, 563);  // the page in a 1008x660 window
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setOutcome(o);
    for (ChartKind kind : {ChartKind::Power, ChartKind::Sensitivity, ChartKind::Tco, ChartKind::Utilisation, ChartKind::Latency, ChartKind::Pareto,
                           ChartKind::Distribution, ChartKind::LoadCurve}) {
      page.showChart(kind);
      QChartView* v = page.chartView(kind);
      QVERIFY(v);
      QTest::qWait(50);
      QCoreApplication::processEvents();
      const QStringList cut = test::elidedTexts(v);
      QVERIFY2(cut.isEmpty(), qPrintable(QStringLiteral("%1 at %2x%3: %4").arg(plainTitle(v->chart()->title())).arg(v->width()).arg(v->height()).arg(cut.join(QStringLiteral(" | ")))));
      // Every category name of a bar chart is drawn: Qt hides those that would overlap.
      for (QAbstractAxis* a : v->chart()->axes()) {
        if (auto* b = qobject_cast<QBarCategoryAxis*>(a)) QVERIFY2(v->chart()->plotArea().height() >= b->count() * QFontMetrics(b->labelsFont()).height(), qPrintable(plainTitle(v->chart()->title())));
      }
    }
  }

  // The Start page's "New scenario" button had its text's width, its edge on the last "o":
  // both buttons leave room (half a text line at least) on either side of their text.
  void theStartPageButtonsLeaveRoomAroundTheirText() {
    StartPage page({});
    page.resize(900, 600);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    const auto buttons = page.findChildren<QPushButton*>();
    QVERIFY(buttons.size() >= 2);
    bool sawNew = false;
    for (const QPushButton* b : buttons) {
      const QFontMetrics fm(b->font());
      sawNew = sawNew || b->text() == QStringLiteral("New scenario");
      QVERIFY2(b->width() >= fm.horizontalAdvance(b->text()) + fm.height(),
               qPrintable(QStringLiteral("'%1': %2 px for %3 px of text").arg(b->text()).arg(b->width()).arg(fm.horizontalAdvance(b->text()))));
    }
    QVERIFY(sawNew);
  }

  // The load axis says what the load factor scales: a batch-only scenario's jobs' work, not
  // "every stream's rate" (scientific-batch has no stream).
  void theLoadAxisSaysWhatTheLoadScales() {
    auto title = [](const PlanOutcome& o) {
      std::unique_ptr<QChart> c(loadCurveChart(o));
      for (QAbstractAxis* a : c->axes(Qt::Horizontal)) return a->titleText();
      return QString();
    };
    auto o = std::make_shared<PlanOutcome>(*withCurve_);
    QVERIFY(!o->scenario.streams.empty());
    o->scenario.batch_jobs.clear();
    QCOMPARE(title(*o), QStringLiteral("load (every stream's rate x), log scale"));
    o->scenario.batch_jobs.push_back(hw::BatchJob{});
    QCOMPARE(title(*o), QStringLiteral("load (every stream's rate and batch job's work x), log scale"));
    o->scenario.streams.clear();
    QCOMPARE(title(*o), QStringLiteral("load (every batch job's work x), log scale"));
  }

  void theDistributionChartShowsEachCandidatesHistogramAndTheSlo() {
    const PlanOutcome& o = *withCurve_;
    QVERIFY(o.plan.winner);
    std::unique_ptr<QChart> c(distributionChart(o));
    const auto ls = lines(c.get());
    QVERIFY2(ls.size() >= 2, "a line per simulated candidate and the SLO line");
    const auto& w = o.plan.candidates[*o.plan.winner].report;
    const hw::StreamResult& st = w.run.streams[w.worst_stream];
    // The SLO line: vertical at the bound, in ms.
    QLineSeries* slo = ls.back();
    QVERIFY(slo->name().startsWith(QStringLiteral("SLO")));
    QCOMPARE(slo->at(0).x(), st.slo_latency_s * 1e3);
    QCOMPARE(slo->at(1).x(), st.slo_latency_s * 1e3);
    // Each candidate's line is a step per bin; the shares add up to 100% (the histogram's
    // counts add up to the requests completed), and the bins are on the 1/10-decade grid.
    for (std::size_t k = 0; k + 1 < ls.size(); ++k) {
      QLineSeries* l = ls[k];
      QVERIFY(l->count() >= 2 && l->count() % 2 == 0);
      double sum = 0;
      for (int i = 0; i < l->count(); i += 2) {
        QCOMPARE(l->at(i).y(), l->at(i + 1).y());
        QVERIFY(std::abs(l->at(i + 1).x() / l->at(i).x() - std::pow(10.0, 0.1)) < 1e-9);
        sum += l->at(i).y();
      }
      QVERIFY2(std::abs(sum - 100.0) < 1e-6, qPrintable(QStringLiteral("%1: %2%").arg(l->name()).arg(sum)));
    }
    // The latency axis: labels at 1-2-5 (or finer) steps, at least four, each placed at the
    // log10 of its value (the series stay on the hidden log axis, which maps log10 linearly
    // too), inside the axis range. V2X's latencies, 1.7 to 12 ms, gave two labels (4, 8) on a
    // base-2 log axis; now 2, 3, 5, 10.
    QLogValueAxis* logAxis = nullptr;
    QCategoryAxis* labels = nullptr;
    for (QAbstractAxis* a : c->axes(Qt::Horizontal)) {
      if (auto* l = qobject_cast<QCategoryAxis*>(a)) labels = l;
      if (auto* l = qobject_cast<QLogValueAxis*>(a)) logAxis = l;
    }
    QVERIFY(logAxis && labels);
    QVERIFY(!logAxis->isVisible());
    QVERIFY2(labels->count() >= 4, qPrintable(labels->categoriesLabels().join(QStringLiteral(", "))));
    QVERIFY(std::abs(labels->min() - std::log10(logAxis->min())) < 1e-9);
    QVERIFY(std::abs(labels->max() - std::log10(logAxis->max())) < 1e-9);
    for (const QString& label : labels->categoriesLabels()) {
      bool ok = false;
      const double v = label.toDouble(&ok);
      QVERIFY2(ok, qPrintable(label));
      QVERIFY(std::abs(labels->endValue(label) - std::log10(v)) < 1e-9);
      QVERIFY(v >= logAxis->min() && v <= logAxis->max());
      // 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7 or 8 times a power of ten.
      const double mantissa = v / std::pow(10.0, std::floor(std::log10(v) + 1e-12));
      QVERIFY2(std::abs(mantissa * 10 - std::round(mantissa * 10)) < 1e-6, qPrintable(label));
    }
    // The winner's own histogram: its p99 lies in a bin with requests, below the SLO.
    QVERIFY(!st.latency_counts.empty());
    QVERIFY(st.latency_edges_s.front() <= st.p99_s.value * 1.01 && st.p99_s.value <= st.latency_edges_s.back() * 1.01);
  }

  void theLoadCurvePlansEachFamilyFromHalfToTwiceTheLoad() {
    const PlanOutcome& o = *withCurve_;
    QVERIFY(o.loadCurve);
    const auto& pts = o.loadCurve->points;
    QCOMPARE(pts.size(), std::size_t{5});
    QVERIFY(std::abs(pts.front().load - 0.5) < 1e-12);
    QVERIFY(std::abs(pts.back().load - 2.0) < 1e-12);
    for (std::size_t i = 0; i + 1 < pts.size(); ++i) QVERIFY(pts[i].load < pts[i + 1].load);
    // x1 is the plan itself: its winner first.
    const LoadPoint& one = pts[2];
    QCOMPARE(one.load, 1.0);
    QVERIFY(!one.best.empty());
    QCOMPARE(one.best.front().label, o.plan.candidates[*o.plan.winner].report.candidate.label);
    QCOMPARE(one.best.front().tco, o.plan.candidates[*o.plan.winner].report.cost.tco);
    // More load never costs a family less (more units or the same).
    for (hw::Family f : {hw::Family::edge, hw::Family::gpu}) {
      double last = 0;
      for (const auto& pt : pts) {
        for (const auto& b : pt.best) {
          if (b.family != f) continue;
          QVERIFY2(b.tco >= last * (1 - 1e-9), qPrintable(QStringLiteral("%1 at x%2").arg(QString::fromStdString(b.label)).arg(pt.load)));
          last = b.tco;
        }
      }
    }
    // The chart: one line per family with a feasible candidate, a point per load where it is.
    std::unique_ptr<QChart> c(loadCurveChart(o));
    // Each family in the CLI's words, as the card and README name them.
    std::set<QString> families;
    for (QLineSeries* l : lines(c.get())) families.insert(l->name());
    QVERIFY(families.count(QStringLiteral("edge-only")) == 1);
    QVERIFY(families.count(QStringLiteral("GPU-central")) == 1);
    for (QLineSeries* l : lines(c.get())) {
      if (l->name() != QStringLiteral("edge-only")) continue;
      QCOMPARE(l->count(), 5);
      QCOMPARE(l->at(2).x(), 1.0);
    }
    // Without the curve the chart says so instead of drawing.
    PlanOutcome bare = o;
    bare.loadCurve.reset();
    std::unique_ptr<QChart> none(loadCurveChart(bare));
    QVERIFY(none->series().isEmpty());
    QVERIFY(none->title().contains(QStringLiteral("not planned")));
  }

  // The card grows to its text (the "Why." paragraph was cut off in a fixed 340 px pane),
  // up to 40% of the page (at 60% the charts had about 200 px at 1008x660); set while the
  // page is hidden, it is fitted when shown. A card too long for that scrolls.
  void theCardGrowsToItsText() {
    // A long "Why." as an LLM plan's (its reasons run to several lines).
    auto o = std::make_shared<PlanOutcome>(*withCurve_);
    for (int i = 0; i < 6; ++i) o->plan.why += " GPU-central: no feasible deployment; closest gpu l4x4-server x1 batch 8/4 ms: the round trip to the data centre takes 41 ms against a 40 ms target.";
    for (const bool shownFirst : {true, false}) {
      ResultsPage page;
      page.resize(1100, 760);
      if (shownFirst) {
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
      }
      page.setOutcome(o);
      if (!shownFirst) {
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
      }
      QCoreApplication::processEvents();
      QTextBrowser* card = page.card();
      const int text = static_cast<int>(card->document()->size().height());
      const QString why = QStringLiteral("shown %1: text %2 px, card %3 of %4 px, scroll max %5")
                              .arg(shownFirst).arg(text).arg(card->height()).arg(page.height()).arg(card->verticalScrollBar()->maximum());
      QVERIFY2(text > 340, qPrintable(why));  // a card that the old pane cut
      QVERIFY2(card->verticalScrollBar()->maximum() == 0 || card->height() >= page.height() * 36 / 100, qPrintable(why));
      QVERIFY2(card->height() <= page.height() * 41 / 100, qPrintable(why));
      // Scrolling, the card ends between lines and table rows, never through one (the first
      // "Rejected families" row showed cut in half at 1280x820).
      if (card->verticalScrollBar()->maximum() > 0) {
        const qreal bottom = card->viewport()->height();
        QAbstractTextDocumentLayout* layout = card->document()->documentLayout();
        for (QTextBlock b = card->document()->begin(); b.isValid(); b = b.next()) {
          const QRectF r = layout->blockBoundingRect(b);
          for (int i = 0; i < b.layout()->lineCount(); ++i) {
            const QRectF line = b.layout()->lineAt(i).rect().translated(r.topLeft());
            QVERIFY2(!(line.top() < bottom - 1 && line.bottom() > bottom + 1),
                     qPrintable(QStringLiteral("%1; a line from %2 to %3 px across the card's bottom at %4: %5")
                                    .arg(why).arg(line.top()).arg(line.bottom()).arg(bottom).arg(b.text().left(60))));
          }
        }
      }
    }
  }

  // At 1008x660 (the window on a 1024x700 screen) the candidates table ran past "laten..."
  // and TCO needed horizontal scrolling, and every chart had about 200 px of a 563 px page
  // (the card took 60%). The columns up to TCO fit the page, the long text columns narrowed
  // (their whole text in the tooltip), and a chart has most of the height.
  void theKeyColumnsAndTheChartsFitASmallWindow() {
    auto o = std::make_shared<PlanOutcome>(*withCurve_);
    for (int i = 0; i < 6; ++i) o->plan.why += " GPU-central: no feasible deployment; closest gpu l4x4-server x1 batch 8/4 ms: the round trip to the data centre takes 41 ms against a 40 ms target.";
    for (auto& c : o->plan.candidates) {
      c.report.candidate.label = "hybrid jetson-orin-nano-super x1/site + l4x4-server x1 batch 8/4 ms queue 64";
      c.report.candidate.spec.edge_hardware = "jetson-orin-nano-super";
      c.report.candidate.spec.gpu_hardware = "l4x4-server-with-a-long-name";
      c.report.candidate.spec.family = hw::Family::hybrid;
    }
    ResultsPage page;
    page.resize(873, 563);  // the page in a 1008x660 window
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setOutcome(o);
    QCoreApplication::processEvents();
    QTableView* t = page.table();
    const int right = t->columnViewportPosition(CandidatesModel::Tco) + t->columnWidth(CandidatesModel::Tco);
    QVERIFY2(!t->isColumnHidden(CandidatesModel::Latency) && !t->isColumnHidden(CandidatesModel::Tco), "latency and TCO shown");
    QVERIFY2(right <= t->viewport()->width(),
             qPrintable(QStringLiteral("TCO ends at %1 px of a %2 px table; candidate %3, family %4, hardware %5 px")
                            .arg(right).arg(t->viewport()->width()).arg(t->columnWidth(CandidatesModel::Candidate))
                            .arg(t->columnWidth(CandidatesModel::Family)).arg(t->columnWidth(CandidatesModel::Hardware))));
    QVERIFY(t->columnWidth(CandidatesModel::Candidate) >= 100);
    const QModelIndex cell = t->model()->index(0, CandidatesModel::Hardware);
    QVERIFY2(cell.data(Qt::ToolTipRole).toString().startsWith(cell.data().toString()), qPrintable(cell.data(Qt::ToolTipRole).toString()));
    QVERIFY2(page.card()->height() <= page.height() * 41 / 100, qPrintable(QStringLiteral("card %1 of %2 px").arg(page.card()->height()).arg(page.height())));
    page.showChart(ChartKind::Tco);
    QCoreApplication::processEvents();
    QChartView* v = page.chartView(ChartKind::Tco);
    QVERIFY2(v->height() >= page.height() / 2, qPrintable(QStringLiteral("chart %1 of %2 px").arg(v->height()).arg(page.height())));
  }

  void aNewResultRebuildsTheChartsAndTabsMadeForTheOldOne() {
    // Tabs are made when first shown: a chart built for one result must not survive the
    // next one. The second result is the first priced in EUR, so every money axis of the
    // cost chart and the Pareto chart must say EUR, not USD (the file's currency).
    ResultsPage page;
    page.setOutcome(withCurve_);
    auto axisTitles = [](QChart* c) {
      QStringList t;
      for (QAbstractAxis* a : c->axes()) t << a->titleText();
      return t.join(QStringLiteral(" | "));
    };
    QVERIFY(axisTitles(page.chartView(ChartKind::Tco)->chart()).contains(QStringLiteral("USD")));
    QVERIFY(axisTitles(page.chartView(ChartKind::Pareto)->chart()).contains(QStringLiteral("USD")));
    QCOMPARE(page.csvModel()->rowCount(), static_cast<int>(withCurve_->plan.candidates.size()));
    auto eur = std::make_shared<PlanOutcome>(*withCurve_);
    eur->scenario.costs.currency = "EUR";
    page.setOutcome(eur);
    for (ChartKind k : {ChartKind::Tco, ChartKind::Pareto}) {
      const QString titles = axisTitles(page.chartView(k)->chart());
      QVERIFY2(titles.contains(QStringLiteral("EUR")) && !titles.contains(QStringLiteral("USD")), qPrintable(titles));
    }
    // An empty page again: the tabs say nothing of the old result.
    page.setOutcome(nullptr);
    QCOMPARE(page.csvModel()->rowCount(), 0);
    QCOMPARE(page.topology()->drawnSites(), 0);
  }

  // Every chart saved as SVG is well-formed XML. The sensitivity and load-curve charts' titles
  // are rich text ("...<br><small>crossover: ...</small>"): QSvgGenerator wrote the title into
  // <title> as given, "<br>" opened an element that never closed, and xmllint refused the file.
  // A crossover with "<" and "&" in it must come out escaped.
  void everySvgExportIsWellFormedXml() {
    auto o = std::make_shared<PlanOutcome>(*withCurve_);
    o->plan.crossover = "edge up to x1.3 < gpu & hybrid";
    QVERIFY(o->plan.winner && !o->plan.sensitivity.empty());  // else the sensitivity chart has no crossover line
    std::unique_ptr<QChart> sens(sensitivityChart(*o));
    QVERIFY2(sens->title().contains(QStringLiteral("<br>")), qPrintable(sens->title()));
    QCOMPARE(plainTitle(sens->title()), QStringLiteral("Winner's TCO when load or prices change — crossover: edge up to x1.3 < gpu & hybrid"));
    QTemporaryDir dir;
    for (const ChartInfo& k : chartKinds()) {
      const QString path = dir.filePath(k.id + QStringLiteral(".svg"));
      QVERIFY2(saveChart(k.kind, *o, path).isEmpty(), qPrintable(k.id));
      const QString why = test::xmlError(path);
      QVERIFY2(why.isEmpty(), qPrintable(k.id + QStringLiteral(": ") + why));
    }
    QFile f(dir.filePath(QStringLiteral("sensitivity.svg")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString svg = QString::fromUtf8(f.readAll());
    QVERIFY2(svg.contains(QStringLiteral("<title>Winner's TCO when load or prices change — crossover: edge up to x1.3 &lt; gpu &amp; hybrid</title>")),
             qPrintable(svg.left(600)));
  }

  // The bar charts name each candidate by the units bought, spares too, as the table and the
  // card do: a GPU winner with one spare server is "... 1+1 srv", not "... 1 srv" beside a bar
  // that includes the spare's cost.
  void chartLabelsCountTheSpares() {
    auto o = std::make_shared<PlanOutcome>(*withCurve_);
    QVERIFY(o->plan.winner);
    auto& w = o->plan.candidates[*o->plan.winner].report;
    w.availability.site_spares = 1;
    w.availability.dc_spares = 1;
    const QString units = QString::fromStdString(unitsText(w));
    QVERIFY2(units.contains(QStringLiteral("+1")), qPrintable(units));
    for (ChartKind kind : {ChartKind::Tco, ChartKind::Utilisation, ChartKind::Power, ChartKind::Latency}) {
      std::unique_ptr<QChart> c(makeChart(kind, *o));
      QBarCategoryAxis* cats = nullptr;
      for (QAbstractAxis* a : c->axes()) {
        if (auto* b = qobject_cast<QBarCategoryAxis*>(a)) cats = b;
      }
      QVERIFY(cats);
      const QStringList labels = cats->categories();
      QVERIFY2(std::any_of(labels.begin(), labels.end(), [&](const QString& l) { return l.startsWith(QStringLiteral("★ ")) && l.endsWith(units); }),
               qPrintable(labels.join(QStringLiteral(" | ")) + QStringLiteral(" without ") + units));
    }
  }

  // Large figures on an axis read in thousands or millions, the unit saying which: Qt's "%g"
  // printed 1,000,000 as "1e+06".
  void largeAxisFiguresAreScaled() {
    // Hand-worked: 9,999 stays; 10,000 is 10 k; 2,500,000 is 2.5 M.
    QCOMPARE(axisScale(9999).factor, 1.0);
    QCOMPARE(axisScale(9999).prefix, QString());
    QCOMPARE(axisScale(1e4).factor * 1e4, 10.0);
    QCOMPARE(axisScale(1e4).prefix, QStringLiteral("k "));
    QCOMPARE(axisScale(2.5e6).factor * 2.5e6, 2.5);
    QCOMPARE(axisScale(2.5e6).prefix, QStringLiteral("M "));
    // Compare: the winners' yearly costs in the results' currency, scaled.
    auto big = std::make_shared<PlanOutcome>(*withCurve_);
    auto& cost = big->plan.candidates[*big->plan.winner].report.cost;
    const double k = 3e6 / (cost.capex_per_year + cost.opex_per_year);  // a winner of 3 M USD a year
    for (const CostKind& kind : costKinds()) cost.*(kind.field) *= k;  // capex_per_year among them
    cost.opex_per_year *= k;
    ComparePage compare;
    compare.pin(big, QStringLiteral("big"));
    QValueAxis* y = nullptr;
    for (QAbstractAxis* a : compare.chart()->chart()->axes(Qt::Vertical)) y = qobject_cast<QValueAxis*>(a);
    QVERIFY(y);
    QCOMPARE(y->titleText(), QStringLiteral("M %1 per year").arg(QString::fromStdString(big->scenario.costs.currency)));
    QVERIFY2(y->max() >= 3 && y->max() < 10, qPrintable(QString::number(y->max())));
    // The sweep plot: a column past 10,000 in thousands, its unit saying so.
    SweepPage page;
    QVERIFY(page.open(sweepCsv()).isEmpty());
    page.recommendedOnly()->setChecked(false);
    const SweepTable& t = *page.table();
    const auto yc = static_cast<std::size_t>(page.yColumn()->currentData().toInt());
    double top = 0;
    for (std::size_t r = 0; r < t.rowCount(); ++r) {
      if (auto v = t.number(r, yc)) top = std::max(top, std::abs(*v));
    }
    QVERIFY2(top >= 1e4, qPrintable(QString::number(top)));  // else this check shows nothing
    // "TCO (k USD)", named for the column (it read a bare "tco_usd"; the cells carry no
    // unit, the name does).
    QCOMPARE(page.yColumn()->currentText(), QStringLiteral("tco_usd"));
    QVERIFY(t.unit(yc).isEmpty());
    const QString expect = QStringLiteral("TCO (%1USD)").arg(axisScale(top).prefix);
    for (QAbstractAxis* a : page.plot()->chart()->axes(Qt::Vertical)) {
      QVERIFY2(a->titleText().startsWith(expect), qPrintable(a->titleText()));
      if (auto* v = qobject_cast<QValueAxis*>(a)) QVERIFY2(v->max() < 1e4, qPrintable(QString::number(v->max())));
    }
  }

  // Latency distribution: nothing to draw for LLM serving (point estimates, no histogram), so
  // its tab is off and says why.
  void theDistributionTabIsOffForLlmServing() {
    ResultsPage page;
    page.setOutcome(withCurve_);
    int tab = -1;
    for (int i = 0; i < page.tabs()->count(); ++i) {
      if (page.tabs()->tabText(i) == QStringLiteral("Latency distribution")) tab = i;
    }
    QVERIFY(tab >= 0);
    QVERIFY(page.tabs()->isTabEnabled(tab));
    auto llm = std::make_shared<PlanOutcome>(*withCurve_);
    auto& w = llm->plan.candidates[*llm->plan.winner].report;
    QVERIFY(!w.run.streams.empty());
    w.run.streams[w.worst_stream].llm.emplace();
    page.setOutcome(llm);
    QVERIFY(!page.tabs()->isTabEnabled(tab));
    QVERIFY2(page.tabs()->tabToolTip(tab).contains(QStringLiteral("no histogram")), qPrintable(page.tabs()->tabToolTip(tab)));
    page.setOutcome(withCurve_);
    QVERIFY(page.tabs()->isTabEnabled(tab));
  }

  void theLoadCurveMarksWhereTheCheapestFamilyChanges() {
    // A made-up curve: edge cheapest up to x1, GPU-central from x1.41; the planner's
    // bisection put the change at x1.2.
    PlanOutcome o;
    o.scenario.costs.currency = "USD";
    o.plan.crossover_load = 1.2;
    o.plan.crossover = "the winner changes between load x1.19 and x1.21";
    auto curve = std::make_shared<LoadCurve>();
    const double loads[] = {0.5, 0.71, 1.0, 1.41, 2.0};
    for (double load : loads) {
      LoadPoint pt{load, {}};
      const FamilyBest edge{hw::Family::edge, "edge x", 100 * load}, gpu{hw::Family::gpu, "gpu x", 100 + 10 * load};
      if (edge.tco < gpu.tco) {
        pt.best = {edge, gpu};
      } else {
        pt.best = {gpu, edge};
      }
      curve->points.push_back(pt);
    }
    o.loadCurve = curve;
    std::unique_ptr<QChart> c(loadCurveChart(o));
    int bands = 0;
    QLineSeries* crossover = nullptr;
    QScatterSeries* cheapest = nullptr;
    for (QAbstractSeries* s : c->series()) {
      if (s->type() == QAbstractSeries::SeriesTypeArea) {
        ++bands;
        const auto* band = static_cast<QAreaSeries*>(s);
        QCOMPARE(band->upperSeries()->at(0).x(), 1.0);
        QCOMPARE(band->upperSeries()->at(1).x(), 1.41);
      }
      if (s->name().startsWith(QStringLiteral("winner changes"))) crossover = static_cast<QLineSeries*>(s);
      if (s->type() == QAbstractSeries::SeriesTypeScatter) cheapest = static_cast<QScatterSeries*>(s);
    }
    QCOMPARE(bands, 1);
    QVERIFY(crossover);
    QCOMPARE(crossover->at(0).x(), 1.2);
    QCOMPARE(crossover->at(1).x(), 1.2);
    QVERIFY(cheapest);
    QCOMPARE(cheapest->count(), 5);
    // TCO on a k USD axis below 10,000: the cheapest at x2 is GPU-central's 120.
    QCOMPARE(cheapest->at(4).y(), 120.0);
    QCOMPARE(cheapest->at(0).y(), 50.0);
  }

  // Scientific-batch's curve: a 28-box edge fleet at 70-285k USD against the GPU winner at
  // 1.1-4.5k. On a linear axis from 0 to 400k the winner's line lay flat on zero; with the
  // Pareto chart's rule (points below a fifth of the reference) the TCO axis is logarithmic,
  // every value inside it, labelled at 1-2-5 steps. Within a factor of five it stays linear.
  void theLoadCurveDrawsAFarCheaperWinnerOnALogAxis() {
    PlanOutcome o;
    o.scenario.costs.currency = "USD";
    auto curve = std::make_shared<LoadCurve>();
    for (double load : {0.5, 0.71, 1.0, 1.41, 2.0}) {
      curve->points.push_back({load, {FamilyBest{hw::Family::gpu, "gpu x", 2243 * load * load}, FamilyBest{hw::Family::edge, "edge x", 140000 * load}}});
    }
    o.loadCurve = curve;
    std::unique_ptr<QChart> c(loadCurveChart(o));
    QLogValueAxis* logY = nullptr;
    for (QAbstractAxis* a : c->axes(Qt::Vertical)) {
      if (auto* l = qobject_cast<QLogValueAxis*>(a)) logY = l;
      QVERIFY2(!qobject_cast<QValueAxis*>(a) || qobject_cast<QCategoryAxis*>(a), "a linear TCO axis");  // the labels' axis is a QCategoryAxis
    }
    QVERIFY(logY);
    for (QLineSeries* l : lines(c.get())) {
      if (l->name().startsWith(QStringLiteral("nothing")) || l->name().startsWith(QStringLiteral("winner"))) continue;
      for (int i = 0; i < l->count(); ++i) QVERIFY(l->at(i).y() > logY->min() && l->at(i).y() < logY->max());
    }
    // The winner's lowest and the edge fleet's highest TCO (k USD): 0.56 and 280 on one axis.
    QVERIFY(logY->min() < 2243 * 0.25 / 1e3 && logY->max() > 280);
    QCategoryAxis* labels = nullptr;
    for (QAbstractAxis* a : c->axes(Qt::Vertical)) {
      if (auto* l = qobject_cast<QCategoryAxis*>(a)) labels = l;
    }
    QVERIFY(labels && labels->count() >= 4);
    QVERIFY2(labels->titleText().contains(QStringLiteral("log scale")), qPrintable(labels->titleText()));
    // Within a factor of five: linear from 0, as before.
    auto close = std::make_shared<LoadCurve>();
    for (double load : {0.71, 1.0, 1.41}) close->points.push_back({load, {FamilyBest{hw::Family::gpu, "gpu x", 100 * load}, FamilyBest{hw::Family::edge, "edge x", 150 * load}}});
    o.loadCurve = close;
    std::unique_ptr<QChart> c2(loadCurveChart(o));
    bool linear = false;
    for (QAbstractAxis* a : c2->axes(Qt::Vertical)) linear = linear || (qobject_cast<QValueAxis*>(a) && static_cast<QValueAxis*>(a)->min() == 0);
    QVERIFY(linear);
  }

  // Cancelling the load curve (city-cctv: Esc at x1.41) showed "load curve not planned (Edit >
  // Preferences: plan it after each run)" with the preference on, and threw the loads done
  // away. A cancelled curve draws the loads done over the axis of every load asked for, says
  // it was cancelled and how to resume; the page offers the button.
  void aCancelledLoadCurveDrawsTheLoadsDoneAndOffersToResume() {
    auto o = std::make_shared<PlanOutcome>(*withCurve_);
    auto partial = std::make_shared<LoadCurve>(*withCurve_->loadCurve);
    QCOMPARE(partial->loads.size(), std::size_t{5});
    partial->points.resize(3);  // x0.5, x0.71, x1 done; cancelled at x1.41
    partial->cancelled = true;
    o->loadCurve = partial;
    std::unique_ptr<QChart> c(loadCurveChart(*o));
    const QString title = plainTitle(c->title());
    QVERIFY2(!title.contains(QStringLiteral("not planned")), qPrintable(title));
    QVERIFY2(title.contains(QStringLiteral("cancelled after 3 of 5 loads")) && title.contains(QStringLiteral("Resume the load curve")), qPrintable(title));
    bool drawn = false;
    for (QLineSeries* l : lines(c.get())) {
      if (l->name() != QStringLiteral("edge-only")) continue;
      drawn = true;
      QCOMPARE(l->count(), 3);
    }
    QVERIFY(drawn);
    QLogValueAxis* x = nullptr;
    for (QAbstractAxis* a : c->axes(Qt::Horizontal)) {
      if (auto* l = qobject_cast<QLogValueAxis*>(a)) x = l;
    }
    QVERIFY(x && x->max() >= 2.0);  // the loads not done show as such
    // The page: a line and "Resume the load curve" over the chart; none for a whole curve.
    ResultsPage page;
    QSignalSpy asked(&page, &ResultsPage::loadCurveRequested);
    page.resize(1000, 700);
    page.show();
    page.setOutcome(o);
    page.showChart(ChartKind::LoadCurve);
    QVERIFY(page.loadCurveButton()->isVisible() && page.loadCurveButton()->isEnabled());
    QCOMPARE(page.loadCurveButton()->text(), QStringLiteral("Resume the load curve"));
    page.loadCurveButton()->click();
    QCOMPARE(asked.size(), 1);
    page.setPlanning(true, true);
    QVERIFY(!page.loadCurveButton()->isVisible());
    page.setPlanning(false);
    page.setLoadCurve(withCurve_);  // (a copy of the same plan: accepted as it)
    page.setOutcome(withCurve_);
    QVERIFY(!page.loadCurveButton()->isVisible());
    // No curve at all: "Plan the load curve".
    auto bare = std::make_shared<PlanOutcome>(*withCurve_);
    bare->loadCurve.reset();
    page.setOutcome(bare);
    QVERIFY(page.loadCurveButton()->isVisible());
    QCOMPARE(page.loadCurveButton()->text(), QStringLiteral("Plan the load curve"));
  }

  // At 1008x660 (the Results page 873 px wide) the latency distribution of city-cctv's four
  // candidates and its SLO line had a one-row legend wider than the tab: the SLO entry sat
  // behind a horizontal scroll bar. The legend goes beside the plot where one row does not
  // fit, and under it again where it does.
  void theDistributionLegendFitsASmallWindow() {
    auto o = std::make_shared<PlanOutcome>(*withCurve_);
    QVERIFY(o->plan.winner);
    // Four charted candidates with city-cctv's long names ("jetson-orin-nano-super 5/site").
    const char* names[] = {"jetson-orin-nx-16gb", "jetson-orin-nano-super", "jetson-agx-orin-64gb", "l4x4-server"};
    std::vector<std::size_t> ran;
    for (std::size_t i = 0; i < o->plan.candidates.size(); ++i) {
      if (!o->plan.candidates[i].report.run.streams.empty()) ran.push_back(i);
    }
    QVERIFY(!ran.empty());
    while (ran.size() < 4) {
      o->plan.candidates.push_back(o->plan.candidates[ran.front()]);
      o->plan.candidates.back().report.feasible = true;
      o->plan.ranking.push_back(o->plan.candidates.size() - 1);
      ran.push_back(o->plan.candidates.size() - 1);
    }
    for (std::size_t k = 0; k < 4; ++k) {
      auto& spec = o->plan.candidates[ran[k]].report.candidate.spec;
      (spec.family == hw::Family::gpu ? spec.gpu_hardware : spec.edge_hardware) = std::string(names[k]) + "-long";
    }
    ResultsPage page;
    page.resize(873, 563);  // the page in a 1008x660 window
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setOutcome(o);
    page.showChart(ChartKind::Distribution);
    QChartView* v = page.chartView(ChartKind::Distribution);
    QTest::qWait(50);
    QCoreApplication::processEvents();
    QVERIFY(v->chart()->legend()->markers().size() >= 5);
    auto* scroll = qobject_cast<QScrollArea*>(v->parentWidget()->parentWidget());
    QVERIFY(scroll);
    QVERIFY2(v->minimumWidth() <= scroll->viewport()->width(),
             qPrintable(QStringLiteral("the chart wants %1 px, its tab has %2").arg(v->minimumWidth()).arg(scroll->viewport()->width())));
    QVERIFY(!scroll->horizontalScrollBar()->isVisible());
    const QStringList cut = test::elidedTexts(v);
    QVERIFY2(cut.isEmpty(), qPrintable(cut.join(QStringLiteral(" | "))));
    // Wide enough for one row: the legend under the plot again.
    page.resize(1800, 700);
    QTest::qWait(50);
    QCoreApplication::processEvents();
    QCOMPARE(v->chart()->legend()->alignment(), Qt::AlignBottom);
    // Also for a chart made on its tab's first show, in a scroll area not yet laid out (the
    // legends of a 1280x820 window went beside their plots).
    ResultsPage wide;
    wide.resize(1800, 700);
    wide.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wide));
    wide.setOutcome(o);
    wide.showChart(ChartKind::Distribution);
    QCOMPARE(wide.chartView(ChartKind::Distribution)->chart()->legend()->alignment(), Qt::AlignBottom);
  }

  void aSweepCsvReadsBackWithItsAxesAndAnswers() {
    const SweepTable t = SweepTable::read(sweepCsv());
    QCOMPARE(t.axisCount(), std::size_t{2});
    QCOMPARE(t.header()[0], std::string("streams.frames.arrival.rate"));
    QCOMPARE(t.variants().size(), std::size_t{25});
    QCOMPARE(t.unit(0), QStringLiteral("/s"));
    QCOMPARE(t.unit(1), QStringLiteral("ms"));
    QCOMPARE(*t.number(0, 0), 0.25);
    QCOMPARE(*t.number(0, 1), 100.0);
    std::set<std::string> answers;
    for (const auto& v : t.variants()) answers.insert(v.answer);
    QCOMPARE(answers, (std::set<std::string>{"edge jetson-orin-nano-super", "edge raspberry-pi-5"}));
    // The sweep's own boundary file agrees with the answers read back: on each side of every
    // change it found, the variant there has the answer it names.
    QFile f(boundaryCsv());
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto rows = hw::sweep::parse_csv(f.readAll().toStdString());
    QVERIFY(rows.size() >= 3);
    const auto& h = rows.front();
    auto col = [&](const char* n) { return static_cast<std::size_t>(std::find(h.begin(), h.end(), n) - h.begin()); };
    int checked = 0;
    for (std::size_t r = 1; r < rows.size(); ++r) {
      const auto& b = rows[r];
      const std::size_t alongAxis = b[col("along")] == t.header()[0] ? 0 : 1;
      for (const auto& [value, want] : {std::pair{b[col("last_below")], b[col("below")]}, std::pair{b[col("first_above")], b[col("above")]}}) {
        bool found = false;
        for (const auto& v : t.variants()) {
          if (t.cell(v.firstRow, alongAxis) == value && t.cell(v.firstRow, 1 - alongAxis) == b[col("at")]) {
            QCOMPARE(v.answer, want);
            found = true;
          }
        }
        QVERIFY2(found, (value + " at " + b[col("at")]).c_str());
        ++checked;
      }
    }
    QVERIFY(checked >= 4);
  }

  void aBrokenSweepCsvIsRefusedWithItsName() {
    try {
      SweepTable::fromText("a,b\n1,2\n", QStringLiteral("x.csv"));
      QFAIL("accepted a CSV without a variant column");
    } catch (const std::runtime_error& e) {
      QVERIFY2(QString::fromUtf8(e.what()).startsWith(QStringLiteral("x.csv:1: no `variant` column")), e.what());
    }
    try {
      SweepTable::fromText("a,variant,b\n1,1,2\n3,2\n", QStringLiteral("y.csv"));
      QFAIL("accepted a short row");
    } catch (const std::runtime_error& e) {
      QVERIFY2(QString::fromUtf8(e.what()).startsWith(QStringLiteral("y.csv:3: 2 field(s), the header has 3")), e.what());
    }
    SweepPage page;
    QVERIFY(!page.open(QStringLiteral("/nonexistent/sweep.csv")).isEmpty());
    QVERIFY(page.table() == nullptr);
    // The boundary table a boundary-mode sweep writes beside its CSV said only "no `variant`
    // column": it names the main CSV to open.
    const QString why = page.open(boundaryCsv());
    QVERIFY2(why.contains(QStringLiteral("no `variant` column")) && why.contains(QStringLiteral("boundary table")) &&
                 why.contains(QStringLiteral("open map-sweep.csv")),
             qPrintable(why));
  }

  // An LLM-serving plan (every candidate GPU-central) drew an "edge tier" legend entry with
  // no bar: a tier no charted candidate has is left out.
  void theUtilisationChartLeavesOutATierNoCandidateHas() {
    auto o = std::make_shared<PlanOutcome>(*withCurve_);
    auto sets = [](QChart* c) {
      QStringList names;
      for (QAbstractSeries* s : c->series()) {
        if (auto* b = qobject_cast<QAbstractBarSeries*>(s)) {
          for (QBarSet* set : b->barSets()) names << set->label();
        }
      }
      return names;
    };
    {
      std::unique_ptr<QChart> c(utilisationChart(*o));
      QCOMPARE(sets(c.get()), (QStringList{QStringLiteral("edge tier"), QStringLiteral("data-centre tier")}));
    }
    for (auto& x : o->plan.candidates) {
      x.report.candidate.spec.family = hw::Family::gpu;
      x.report.run.edge.utilisation = 0;
    }
    std::unique_ptr<QChart> c(utilisationChart(*o));
    QCOMPARE(sets(c.get()), QStringList{QStringLiteral("data-centre tier")});
  }

  void theDecisionMapColoursEveryEvaluatedPointByItsAnswerAndDrawsTheBoundary() {
    SweepPage page;
    page.resize(1100, 700);
    page.show();
    QVERIFY(page.open(sweepCsv()).isEmpty());
    QCOMPARE(page.tabs()->currentIndex(), 1);  // two axes: the map first
    DecisionMap* m = page.map();
    const SweepTable& t = *page.table();
    QCOMPARE(m->answers().size(), std::size_t{2});
    QVERIFY(m->boundarySegments() > 0);
    // Every evaluated point's cell has that point's answer (the map's cells are the distinct
    // values evaluated along each axis).
    std::set<double> xs, ys;
    for (const auto& v : t.variants()) {
      xs.insert(*t.number(v.firstRow, 0));
      ys.insert(*t.number(v.firstRow, 1));
    }
    QCOMPARE(m->columns(), xs.size());
    QCOMPARE(m->rows(), ys.size());
    for (const auto& v : t.variants()) {
      const auto i = static_cast<std::size_t>(std::distance(xs.begin(), xs.find(*t.number(v.firstRow, 0))));
      const auto j = static_cast<std::size_t>(std::distance(ys.begin(), ys.find(*t.number(v.firstRow, 1))));
      QCOMPARE(m->cellAnswer(i, j), v.answer);
    }
    QCOMPARE(m->colourOf("edge raspberry-pi-5") == m->colourOf("edge jetson-orin-nano-super"), false);
    // Pictures of it.
    QTemporaryDir dir;
    QVERIFY(page.savePicture(dir.filePath("map.png")).isEmpty());
    QVERIFY(test::looksLikeAPicture(QImage(dir.filePath("map.png")), 6));
    QVERIFY(page.savePicture(dir.filePath("map.svg")).isEmpty());
    QVERIFY(QFileInfo(dir.filePath("map.svg")).size() > 2000);
  }

  void theDecisionMapsBoundaryStandsOutOnEitherPalette() {
    // The boundary line and its legend entry are drawn on the palette's base colour: a
    // fixed dark grey (0x202020) had a contrast of 1.0 on the dark palette's base, invisible.
    // WCAG's minimum for graphics: 3.
    for (const QString& theme : {QStringLiteral("light"), QStringLiteral("dark")}) {
      applyTheme(theme);
      SweepPage page;
      page.resize(1100, 700);
      page.show();
      QVERIFY(page.open(sweepCsv()).isEmpty());
      const QColor base = page.map()->palette().color(QPalette::Base);
      const double c = test::contrast(page.map()->boundaryColour(), base);
      QVERIFY2(c >= 3, qPrintable(QStringLiteral("%1: %2 on %3, contrast %4").arg(theme, page.map()->boundaryColour().name(), base.name()).arg(c)));
    }
    applyTheme(QStringLiteral("light"));
  }

  void thePlotDrawsAnyColumnAgainstAnAxisOneLinePerValue() {
    SweepPage page;
    QVERIFY(page.open(sweepCsv()).isEmpty());
    const SweepTable& t = *page.table();
    QCOMPARE(page.xColumn()->currentText(), QStringLiteral("streams.frames.arrival.rate"));
    QCOMPARE(page.yColumn()->currentText(), QStringLiteral("tco_usd"));
    QCOMPARE(page.seriesBy()->currentText(), QStringLiteral("streams.frames.slo.latency"));
    QVERIFY(page.recommendedOnly()->isChecked());
    // One line per latency target evaluated; together one point per variant (its winner).
    std::set<std::string> slos;
    for (const auto& v : t.variants()) slos.insert(t.cell(v.firstRow, 1));
    auto ls = lines(page.plot()->chart());
    QCOMPARE(ls.size(), slos.size());
    int points = 0;
    for (QLineSeries* l : ls) {
      points += l->count();
      for (int i = 1; i < l->count(); ++i) QVERIFY(l->at(i - 1).x() <= l->at(i).x());
    }
    QCOMPARE(points, static_cast<int>(t.variants().size()));
    // Lines that coincide stay visible ("slo.latency = 100 ms" was hidden under 175 ms): each
    // line has its own dashes and its own point marker, an earlier line's marker no smaller.
    QVERIFY(ls.size() >= 2);
    for (std::size_t i = 0; i < ls.size(); ++i) {
      QVERIFY2(!ls[i]->lightMarker().isNull(), qPrintable(ls[i]->name()));
      for (std::size_t j = i + 1; j < std::min<std::size_t>(ls.size(), 5); ++j) {
        QVERIFY2(ls[i]->pen().style() != ls[j]->pen().style(), qPrintable(ls[i]->name() + QStringLiteral(" / ") + ls[j]->name()));
        QVERIFY2(ls[i]->lightMarker() != ls[j]->lightMarker(), qPrintable(ls[i]->name() + QStringLiteral(" / ") + ls[j]->name()));
        QVERIFY(ls[i]->markerSize() >= ls[j]->markerSize());
      }
    }
    // Every candidate's row, one line per hardware.
    page.recommendedOnly()->setChecked(false);
    page.seriesBy()->setCurrentIndex(page.seriesBy()->findText(QStringLiteral("hardware")));
    ls = lines(page.plot()->chart());
    std::set<QString> names;
    for (QLineSeries* l : ls) names.insert(l->name());
    QVERIFY(names.count(QStringLiteral("hardware = raspberry-pi-5")) == 1);
    QVERIFY(names.count(QStringLiteral("hardware = l4x4-server")) == 1);
  }

  void preferencesPersistAndTheDarkPaletteApplies() {
    Preferences p;
    p.loadCurve = false;
    p.loadCurvePoints = 7;
    p.parallel = 3;
    p.theme = QStringLiteral("dark");
    p.save();
    const Preferences back = Preferences::load();
    QCOMPARE(back.loadCurve, false);
    QCOMPARE(back.loadCurvePoints, 7);
    QCOMPARE(back.parallel, 3);
    QCOMPARE(back.theme, QStringLiteral("dark"));
    applyTheme(QStringLiteral("dark"));
    QVERIFY(darkPalette());
    std::unique_ptr<QChart> c(tcoChart(*withCurve_));
    QCOMPARE(c->theme(), QChart::ChartThemeDark);
    applyTheme(QStringLiteral("light"));
    QVERIFY(!darkPalette());
    std::unique_ptr<QChart> l(tcoChart(*withCurve_));
    QCOMPARE(l->theme(), QChart::ChartThemeLight);
    QSettings().clear();
    QCOMPARE(Preferences::load().loadCurve, true);
  }

  // The dark palette makes the palette's text near-white: whatever paints its own pale
  // background must pick its own dark text, and colours fixed under the light palette must
  // follow a palette change. WCAG contrast: 4.5 for text, 3 for the greyed read-only cells.
  void theDarkPaletteKeepsEveryTextReadable() {
    applyTheme(QStringLiteral("dark"));
    // The topology's boxes (pale fills, coloured by utilisation after a run).
    TopologyView topo;
    QVERIFY(withCurve_->plan.winner.has_value());
    topo.draw(&withCurve_->scenario, &withCurve_->plan.candidates[*withCurve_->plan.winner].report);
    int boxes = 0;
    for (QGraphicsItem* item : topo.scene()->items()) {
      auto* text = dynamic_cast<QGraphicsTextItem*>(item);
      auto* box = text ? dynamic_cast<QGraphicsRectItem*>(text->parentItem()) : nullptr;
      if (!box) continue;
      ++boxes;
      const double c = test::contrast(text->defaultTextColor(), box->brush().color());
      QVERIFY2(c >= 4.5, qPrintable(QStringLiteral("%1 on %2: contrast %3").arg(text->defaultTextColor().name(), box->brush().color().name()).arg(c)));
    }
    QVERIFY(boxes >= 3);  // sources, the site, the data centre

    // Compare: a changed figure is highlighted in pale yellow; its text stays dark.
    ComparePage compare;
    auto after = std::make_shared<PlanOutcome>(*withCurve_);
    after->plan.candidates[*after->plan.winner].report.cost.tco *= 2;
    compare.pin(withCurve_, QStringLiteral("before"));
    compare.pin(after, QStringLiteral("after"));
    const int tco = compare.row(QStringLiteral("TCO"));
    QVERIFY(compare.differs(tco, 1));
    const QTableWidgetItem* cell = compare.table()->item(tco, 1);
    const QColor fg = cell->data(Qt::ForegroundRole).isValid() ? cell->foreground().color() : compare.table()->palette().color(QPalette::Text);
    QVERIFY2(test::contrast(fg, cell->background().color()) >= 4.5, qPrintable(fg.name() + QStringLiteral(" on ") + cell->background().color().name()));
    QCOMPARE(compare.chart()->chart()->theme(), QChart::ChartThemeDark);
    // The sweep plot too (it stayed light on the dark palette).
    SweepPage sweep;
    QCOMPARE(sweep.plot()->chart()->theme(), QChart::ChartThemeDark);

    // The scenario page: the form's read-only cells and the YAML tab's "valid" line, made
    // under the light palette, then the palette turns dark; and Compare's chart with them.
    compare.show();  // as in the window: shown, so polished
    sweep.show();
    applyTheme(QStringLiteral("light"));
    QCoreApplication::processEvents();
    QCOMPARE(compare.chart()->chart()->theme(), QChart::ChartThemeLight);
    QCOMPARE(sweep.plot()->chart()->theme(), QChart::ChartThemeLight);
    MainWindow w(test::catalogue(), test::runnerOptions(cache_.path()));
    QVERIFY(w.openFile(test::dataFile(kSmall)));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    applyTheme(QStringLiteral("dark"));
    QCoreApplication::processEvents();
    QTableWidget* sites = w.scenarioPage()->form()->sites();
    const QTableWidgetItem* id = sites->item(0, 0);  // the site's id: shown, not edited here
    QVERIFY(id && !(id->flags() & Qt::ItemIsEditable));
    const double idContrast = test::contrast(id->foreground().color(), sites->palette().color(QPalette::Base));
    QVERIFY2(idContrast >= 3, qPrintable(QString::number(idContrast)));
    QLabel* summary = w.scenarioPage()->summaryLabel();
    summary->ensurePolished();
    const double summaryContrast = test::contrast(summary->palette().color(QPalette::WindowText), QApplication::palette().color(QPalette::Window));
    QVERIFY2(summaryContrast >= 4.5, qPrintable(QString::number(summaryContrast)));
    QCOMPARE(compare.chart()->chart()->theme(), QChart::ChartThemeDark);
    QCOMPARE(sweep.plot()->chart()->theme(), QChart::ChartThemeDark);
    // Every colour of the results card (scenario name, figure names, the green heading) and
    // the start page's subtitle, made under the light palette: readable on the dark one
    // (#555 on near-black was 2.4).
    const QRegularExpression colour(QStringLiteral("color:\\s*(#[0-9a-fA-F]{6})"));
    auto readable = [&](const QString& html, const QColor& background, int atLeast) {
      int n = 0;
      for (auto it = colour.globalMatch(html); it.hasNext();) {
        const auto m = it.next();
        ++n;
        const double c = test::contrast(QColor(m.captured(1)), background);
        if (c < 4.5) return QStringLiteral("%1 on %2: contrast %3").arg(m.captured(1), background.name()).arg(c);
      }
      return n >= atLeast ? QString() : QStringLiteral("%1 colour(s) in %2").arg(n).arg(html.left(2000));
    };
    w.resultsPage()->setOutcome(withCurve_);
    const QColor cardBase = w.resultsPage()->card()->palette().color(QPalette::Base);
    const QString htmlWhy = readable(recommendationHtml(*withCurve_, true), cardBase, 4);
    QVERIFY2(htmlWhy.isEmpty(), qPrintable(htmlWhy));
    const QString cardWhy = readable(w.resultsPage()->card()->toHtml(), cardBase, 1);  // what the page shows: the dark colours
    QVERIFY2(cardWhy.isEmpty(), qPrintable(cardWhy));
    const QString titleWhy = readable(w.startPage()->title()->text(), QApplication::palette().color(QPalette::Window), 1);
    QVERIFY2(titleWhy.isEmpty(), qPrintable(titleWhy));
    // Recommend's and Cancel's tool-bar icons (the style's media icons were near-black on the
    // dark tool bar), enabled and disabled; and again once the palette is light.
    auto ink = [](const QIcon& icon, QIcon::Mode mode) {
      const QImage img = icon.pixmap(24, mode).toImage().convertToFormat(QImage::Format_ARGB32);
      double r = 0, g = 0, b = 0;
      int n = 0;
      for (int y = 0; y < img.height(); ++y) {
        for (int x = 0; x < img.width(); ++x) {
          const QColor c = img.pixelColor(x, y);
          if (c.alpha() < 200) continue;
          r += c.redF(), g += c.greenF(), b += c.blueF();
          ++n;
        }
      }
      return n == 0 ? QColor() : QColor::fromRgbF(static_cast<float>(r / n), static_cast<float>(g / n), static_cast<float>(b / n));
    };
    for (const QString& theme : {QStringLiteral("dark"), QStringLiteral("light")}) {
      applyTheme(theme);
      QCoreApplication::processEvents();
      const QColor bar = QApplication::palette().color(QPalette::Window);
      // Disabled: as plain as the palette's disabled text, no plainer.
      const double disabledText = test::contrast(QApplication::palette().color(QPalette::Disabled, QPalette::WindowText), bar);
      for (QAction* a : {w.runAction(), w.cancelAction()}) {
        const double on = test::contrast(ink(a->icon(), QIcon::Normal), bar), off = test::contrast(ink(a->icon(), QIcon::Disabled), bar);
        QVERIFY2(on >= 4.5 && off >= 0.9 * disabledText && off >= 1.4, qPrintable(QStringLiteral("%1, %2: contrast %3 enabled, %4 disabled").arg(theme, a->text()).arg(on).arg(off)));
      }
    }
    applyTheme(QStringLiteral("light"));
  }

  // Two results pinned under the same name (one file, run and pinned twice in one second)
  // keep a column and a bar each. (The same result pinned twice is one column: see
  // theSameResultIsPinnedOnceAndOneCanBeRemoved.)
  void resultsPinnedUnderOneNameKeepTheirOwnBars() {
    ComparePage compare;
    compare.pin(withCurve_, QStringLiteral("queue-sizing.yaml (14:02:03)"));
    compare.pin(std::make_shared<PlanOutcome>(*withCurve_), QStringLiteral("queue-sizing.yaml (14:02:03)"));
    QCOMPARE(compare.table()->columnCount(), 2);
    QVERIFY(compare.table()->horizontalHeaderItem(0)->text() != compare.table()->horizontalHeaderItem(1)->text());
    const auto axes = compare.chart()->chart()->axes(Qt::Horizontal);
    QCOMPARE(axes.size(), 1);
    auto* categories = qobject_cast<QBarCategoryAxis*>(axes.front());
    QVERIFY(categories);
    QCOMPARE(categories->count(), 2);
  }

  void theFormAddsAndRemovesSitesStreamsAndCandidates() {
    MainWindow w(test::catalogue(), test::runnerOptions(cache_.path()));
    QVERIFY(w.openFile(test::dataFile(kSmall)));
    ScenarioPage* page = w.scenarioPage();
    ScenarioForm* form = page->form();
    // A copy of the site under a new id, in the form, the YAML and the loaded scenario.
    QVERIFY(form->addRow(form->sites(), 0).isEmpty());
    QCOMPARE(form->sites()->rowCount(), 2);
    QVERIFY(page->text().contains(QStringLiteral("id: shop-2")));
    QVERIFY(page->check().scenario.has_value());
    QCOMPARE(page->check().scenario->sites.size(), std::size_t{2});
    QCOMPARE(page->check().scenario->sites[1].count, page->check().scenario->sites[0].count);
    // A stream copied, then moved to the new site through its cell... and the old site,
    // still used by the first stream, cannot go.
    QVERIFY(form->addRow(form->streams()).isEmpty());
    QCOMPARE(page->check().scenario->streams.size(), std::size_t{2});
    QCOMPARE(page->check().scenario->streams[1].id, std::string("frames-2"));
    const QString err = form->removeRow(form->sites(), 0);
    QVERIFY2(err.contains(QStringLiteral("stream 'frames' runs at site 'shop'")), qPrintable(err));
    QCOMPARE(page->check().scenario->sites.size(), std::size_t{2});
    // The unused copy of the site can.
    QVERIFY(form->removeRow(form->sites(), 1).isEmpty());
    QCOMPARE(page->check().scenario->sites.size(), std::size_t{1});
    QVERIFY(!page->text().contains(QStringLiteral("shop-2")));
    QVERIFY(form->removeRow(form->streams(), 1).isEmpty());
    QCOMPARE(page->check().scenario->streams.size(), std::size_t{1});
    QVERIFY(form->removeRow(form->streams(), 0).contains(QStringLiteral("needs a stream")));
    // Candidates: one more, then one fewer; the YAML loads each time.
    const std::size_t n = page->check().scenario->candidates.size();
    QVERIFY(form->addRow(form->candidates(), 2).isEmpty());
    QCOMPARE(page->check().scenario->candidates.size(), n + 1);
    QCOMPARE(page->check().scenario->candidates.back().gpu_hardware, std::string("l4x4-server"));
    QVERIFY(form->removeRow(form->candidates(), 0).isEmpty());
    QCOMPARE(page->check().scenario->candidates.size(), n);
    QCOMPARE(page->check().scenario->candidates.front().edge_hardware, std::string("jetson-orin-nano-super"));
    QVERIFY(page->isModified());
  }

  void theCatalogueDuplicatesEditsAndImportsProfilesIntoTheUserFolder() {
    QTemporaryDir user;
    qputenv("HWPLAN_USER_PROFILES", user.path().toUtf8());
    MainWindow w(test::catalogue(), test::runnerOptions(cache_.path()));
    CataloguePage* page = w.cataloguePage();
    const int before = page->table()->model()->rowCount();
    // A copy of a bundled profile under a new id, edited.
    QString text = page->duplicateText(QStringLiteral("jetson-orin-nano-super"));
    QVERIFY(text.contains(QStringLiteral("id: jetson-orin-nano-super-custom")));
    // An edit the loader refuses: its message names the text, the line and the key.
    QString broken = text;
    broken.replace(QStringLiteral("id: jetson-orin-nano-super-custom"), QStringLiteral("id: jetson-orin-nano-super-custom\nbogus_key: 1"));
    const QString err = page->addProfileText(broken, QStringLiteral("the edited profile"));
    QVERIFY2(err.startsWith(QStringLiteral("the edited profile:")) && err.contains(QStringLiteral("bogus_key")), qPrintable(err));
    QVERIFY(QDir(user.path()).entryList(QDir::Files).isEmpty());  // nothing written
    // The same id as a bundled profile: refused.
    QVERIFY(page->addProfileText(page->duplicateText(QStringLiteral("raspberry-pi-5")).replace(QStringLiteral("raspberry-pi-5-custom"), QStringLiteral("raspberry-pi-5")),
                                 QStringLiteral("x")).contains(QStringLiteral("already in the catalogue")));
    QVERIFY(page->addProfileText(text, QStringLiteral("the edited profile")).isEmpty());
    QVERIFY(QFileInfo::exists(QDir(user.path()).filePath(QStringLiteral("jetson-orin-nano-super-custom.yaml"))));
    QCOMPARE(page->table()->model()->rowCount(), before + 1);
    QVERIFY(page->select(QStringLiteral("jetson-orin-nano-super-custom")));
    // A scenario may now name it (the scenario page checks against the new catalogue).
    QVERIFY(w.openFile(test::dataFile(kSmall)));
    QTableWidget* cands = w.scenarioPage()->form()->candidates();
    cands->item(1, ScenarioForm::column(cands, QStringLiteral("edge hardware")))->setText(QStringLiteral("jetson-orin-nano-super-custom"));
    QVERIFY2(w.scenarioPage()->check().scenario.has_value(), qPrintable(w.scenarioPage()->check().message));
    QCOMPARE(w.scenarioPage()->check().scenario->candidates[1].edge_hardware, std::string("jetson-orin-nano-super-custom"));
    // A profile that `hwplan calibrate --quick` wrote (tests/gui/data/gui-test-box.yaml), imported as it is.
    const QString calibrated = QStringLiteral(HWPLAN_GUI_TEST_DATA "/gui-test-box.yaml");
    QVERIFY(page->importProfile(calibrated).isEmpty());
    QVERIFY(page->select(QStringLiteral("gui-test-box")));
    QFile original(calibrated), copy(QDir(user.path()).filePath(QStringLiteral("gui-test-box.yaml")));
    QVERIFY(original.open(QIODevice::ReadOnly) && copy.open(QIODevice::ReadOnly));
    QCOMPARE(copy.readAll(), original.readAll());
    QVERIFY(page->importProfile(calibrated).contains(QStringLiteral("already in the catalogue")));
    // A fresh start loads the user folder too.
    QStringList problems;
    const hw::Catalogue again = loadCatalogue(&problems);
    QVERIFY(again.profiles.count("gui-test-box") == 1);
    QVERIFY(again.profiles.count("jetson-orin-nano-super-custom") == 1);
    QVERIFY(problems.isEmpty());
    qunsetenv("HWPLAN_USER_PROFILES");
  }

  void theWindowHasShortcutsForOpenSaveRunCancelAndItsLayoutPersists() {
    QSettings().clear();
    QSize kept;
    {
      MainWindow w(test::catalogue(), test::runnerOptions(cache_.path()));
      std::map<QString, QKeySequence> keys;
      for (QAction* a : w.findChildren<QAction*>()) {
        for (const QKeySequence& k : a->shortcuts()) keys[k.toString()] = k;
      }
      for (const char* k : {"Ctrl+O", "Ctrl+S", "F5", "Esc", "Ctrl+Shift+O", "Ctrl+,", "Ctrl+E", "Ctrl+6"}) {
        QVERIFY2(keys.count(QString::fromLatin1(k)) == 1, k);
      }
      // A size that fits this screen (the window is fitted to it when restored) and is not the
      // one it opens at.
      const QSize room = w.screen()->availableGeometry().size() - QSize(16, 40);
      kept = QSize(1210, 700).boundedTo(room).expandedTo(w.minimumSizeHint());
      QVERIFY(kept != w.size());
      w.resize(kept);
      w.show();
      QVERIFY(QTest::qWaitForWindowExposed(&w));
      w.showPage(MainWindow::Sweeps);
      QCOMPARE(w.currentPage(), MainWindow::Sweeps);
      w.close();
    }
    QSettings s;
    QVERIFY(s.contains(QStringLiteral("window/geometry")));
    QVERIFY(s.contains(QStringLiteral("window/state")));
    MainWindow again(test::catalogue(), test::runnerOptions(cache_.path()));
    QCOMPARE(again.size(), kept);
  }

  // A load beyond which nothing is feasible is no winner change: the planner said "X stays the
  // winner up to load x1.76; from x1.83 no candidate is feasible", and the chart drew a
  // "winner changes (planner): x1.79" line and shaded "cheapest family changes" up to x2.
  void theLoadCurveTellsTheEndOfFeasibilityFromAWinnerChange() {
    PlanOutcome o;
    o.scenario.costs.currency = "USD";
    o.plan.crossover_load = 1.79;
    o.plan.crossover = "edge x stays the winner up to load x1.76; from x1.83 no candidate is feasible (closest edge x: access link 70% busy)";
    auto curve = std::make_shared<LoadCurve>();
    for (double load : {0.5, 0.71, 1.0, 1.41, 2.0}) {
      LoadPoint pt{load, {}};
      if (load < 1.9) pt.best = {FamilyBest{hw::Family::edge, "edge x", 100 * load}, FamilyBest{hw::Family::gpu, "gpu x", 1000 * load}};
      curve->points.push_back(pt);
    }
    o.loadCurve = curve;
    const auto end = loadFeasibilityEnd(o.plan);
    QVERIFY(end && end->upward);
    QCOMPARE(end->lastFeasible, 1.76);
    QCOMPARE(end->firstNone, 1.83);
    std::unique_ptr<QChart> c(loadCurveChart(o));
    QLineSeries* limit = nullptr;
    int changeBands = 0, noneBands = 0;
    for (QAbstractSeries* s : c->series()) {
      QVERIFY2(!s->name().startsWith(QStringLiteral("winner changes")), qPrintable(s->name()));
      if (s->name().startsWith(QStringLiteral("nothing feasible (planner)"))) limit = static_cast<QLineSeries*>(s);
      if (s->type() != QAbstractSeries::SeriesTypeArea) continue;
      const auto* band = static_cast<QAreaSeries*>(s);
      if (s->name() == QStringLiteral("cheapest family changes")) ++changeBands;
      if (s->name().startsWith(QStringLiteral("nothing feasible"))) {
        ++noneBands;
        // From where the planner found nothing feasible (x1.83), not the last feasible sample
        // (x1.41: the band called x1.41 to x1.76 infeasible, where the winner still wins).
        QCOMPARE(band->upperSeries()->at(0).x(), 1.83);
        QCOMPARE(s->name(), QStringLiteral("nothing feasible"));
        QVERIFY(band->upperSeries()->at(1).x() >= 2.0);   // to the axis end
      }
    }
    QCOMPARE(changeBands, 0);
    QCOMPARE(noneBands, 1);
    QVERIFY(limit);
    QCOMPARE(limit->name(), QStringLiteral("nothing feasible (planner): from x1.83"));
    QCOMPARE(limit->at(0).x(), 1.83);
    // A real winner change is still one.
    o.plan.crossover = "the winner changes between load x1.76 and x1.83: edge x becomes gpu x";
    QVERIFY(!loadFeasibilityEnd(o.plan));
    std::unique_ptr<QChart> c2(loadCurveChart(o));
    bool change = false;
    for (QAbstractSeries* s : c2->series()) change = change || s->name() == QStringLiteral("winner changes (planner): x1.79");
    QVERIFY(change);
  }

  // A sensitivity case with nothing feasible says why (the closest candidate's reason,
  // Plan's why_none), and the subtitle lines are wrapped, not cut at "72% ...".
  void aSensitivityCaseWithNothingFeasibleSaysWhyAndTheSubtitleWraps() {
    auto o = std::make_shared<PlanOutcome>(*withCurve_);
    QVERIFY(o->plan.winner);
    hw::SensitivityCase none;
    none.name = "load x2";
    none.why_none = "edge jetson-orin-nx-16gb x3/site: access link of site district: 660 Mbps on a 940 Mbps link is 70% busy, above the 70% the design allows";
    o->plan.sensitivity.push_back(none);
    o->plan.crossover = "edge jetson-orin-nx-16gb stays the winner up to load x1.76; from x1.83 no candidate is feasible (closest edge jetson-orin-nx-16gb "
                        "x3/site: access link of site district: 660 Mbps on a 940 Mbps link is 70% busy, above the 70% the design allows (design.max_utilisation.link))";
    std::unique_ptr<QChart> c(sensitivityChart(*o));
    const QString plain = plainTitle(c->title());
    QVERIFY2(plain.contains(QStringLiteral("load x2: nothing feasible; closest ") + QString::fromStdString(none.why_none)), qPrintable(plain));
    QVERIFY2(plain.contains(QStringLiteral("(design.max_utilisation.link))")), qPrintable(plain));  // the crossover whole
    // Every line of the title fits: at most 120 characters of text between breaks.
    QString t = c->title();
    t.replace(QRegularExpression(QStringLiteral("<br/?>")), QStringLiteral("\n"));
    t.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
    for (const QString& line : t.split(QLatin1Char('\n'))) QVERIFY2(line.size() <= 125, qPrintable(line));
    // The category names the case and points at the reason.
    QStringList cats;
    for (QAbstractAxis* a : c->axes()) {
      if (auto* b = qobject_cast<QBarCategoryAxis*>(a)) cats = b->categories();
    }
    QVERIFY2(cats.contains(QStringLiteral("load x2: nothing feasible (why: above)")), qPrintable(cats.join(QStringLiteral(" | "))));
  }

  // A rented data-centre tier is drawn as rented, not as owned data-centre power, and the
  // chart says its figures are not the table's (run average before PUE against year average
  // with PUE).
  void thePowerChartDrawsARentedTierApartAndSaysWhatItsFiguresAre() {
    auto o = std::make_shared<PlanOutcome>(*withCurve_);
    QVERIFY(o->plan.winner);
    auto& w = o->plan.candidates[*o->plan.winner].report;
    w.run.dc.avg_power_w = 7200;
    w.rented_power_w = 427;
    std::unique_ptr<QChart> c(powerChart(*o));
    // PUE applies to an owned data centre only (sim/plan/evaluate.cpp): the edge units at the wall.
    const QString t = plainTitle(c->title());
    QVERIFY2(t.contains(QStringLiteral("year averages")) && t.contains(QStringLiteral("edge units at the wall")) &&
                 t.contains(QStringLiteral("owned data centre x PUE")) && !t.contains(QStringLiteral("averages with PUE")),
             qPrintable(c->title()));
    QBarSet *owned = nullptr, *rented = nullptr;
    for (QAbstractSeries* s : c->series()) {
      for (QBarSet* b : static_cast<QAbstractBarSeries*>(s)->barSets()) {
        if (b->label() == QStringLiteral("data-centre tier (owned)")) owned = b;
        if (b->label().startsWith(QStringLiteral("data-centre tier (rented"))) rented = b;
      }
    }
    QVERIFY(rented);
    // Categories are drawn reversed: the winner (charted first) is the last bar.
    QCOMPARE(rented->at(rented->count() - 1), 7.2);
    if (owned) QCOMPARE(owned->at(owned->count() - 1), 0.0);  // present when another candidate owns its DC tier
  }

  // Batch jobs alone: no Latency tab and no blank latency files in a report.
  void aBatchOnlyScenarioHasNoLatencyTabOrFiles() {
    auto o = std::make_shared<PlanOutcome>(*withCurve_);
    o->scenario.streams.clear();
    ResultsPage page;
    page.setOutcome(o);
    int latencyTab = -1;
    for (int i = 0; i < page.tabs()->count(); ++i) {
      if (page.tabs()->tabText(i) == QStringLiteral("Latency")) latencyTab = i;
    }
    QVERIFY(latencyTab >= 0);
    QVERIFY(!page.tabs()->isTabEnabled(latencyTab));
    QVERIFY2(page.tabs()->tabToolTip(latencyTab).contains(QStringLiteral("batch jobs only")), qPrintable(page.tabs()->tabToolTip(latencyTab)));
    page.setOutcome(withCurve_);
    QVERIFY(page.tabs()->isTabEnabled(latencyTab));
    QTemporaryDir dir;
    const ReportFiles r = writeReportFiles(*o, dir.path(), QStringLiteral("batch"));
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("batch-latency.png"))));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("batch-latency.svg"))));
    QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("batch-tco.png"))));
    QCOMPARE(r.skipped.size(), 2);
    QVERIFY2(r.skipped.front().contains(QStringLiteral("no stream")), qPrintable(r.skipped.front()));
  }

  // An LLM serving stream keeps no histogram: `--report` wrote a blank latency-distribution
  // PNG and SVG for llm-chat-serving, whose only text was its title, cut off. Skipped and
  // said so, as for batch jobs alone; the Latency chart stays.
  void anLlmStreamHasNoLatencyDistributionFiles() {
    auto o = std::make_shared<PlanOutcome>(*withCurve_);
    QVERIFY(o->plan.winner);
    auto& r = o->plan.candidates[*o->plan.winner].report;
    QVERIFY(!r.run.streams.empty());
    r.run.streams[r.worst_stream].llm = hw::LlmResult{};
    QTemporaryDir dir;
    const ReportFiles files = writeReportFiles(*o, dir.path(), QStringLiteral("llm"));
    QVERIFY2(files.error.isEmpty(), qPrintable(files.error));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("llm-latency-distribution.png"))));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("llm-latency-distribution.svg"))));
    QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("llm-latency.png"))));
    QCOMPARE(files.skipped.size(), 1);
    QVERIFY2(files.skipped.front().startsWith(QStringLiteral("latency-distribution")) && files.skipped.front().contains(QStringLiteral("LLM serving")),
             qPrintable(files.skipped.front()));
    // The same reason turns the Results tab off.
    ResultsPage page;
    page.setOutcome(o);
    int tab = -1;
    for (int i = 0; i < page.tabs()->count(); ++i) {
      if (page.tabs()->tabText(i) == QStringLiteral("Latency distribution")) tab = i;
    }
    QVERIFY(tab >= 0);
    QVERIFY(!page.tabs()->isTabEnabled(tab));
    QVERIFY2(page.tabs()->tabToolTip(tab).contains(QStringLiteral("LLM serving")), qPrintable(page.tabs()->tabToolTip(tab)));
  }

  // Link presets' latencies read as people write them: the 10 GbE preset's 0.1 ms showed as
  // "100.00000000000001 us" and 5G's 18 ms as "18000 us" (the writer's exact text).
  void theFormShowsLinkLatenciesInAReadableUnit() {
    const hw::Scenario s = hw::load_scenario(QStringLiteral(HWPLAN_TEST_DATA "/../../scenarios/adas-train-infer-iterate.yaml").toStdString(), *test::catalogue());
    ScenarioForm f;
    f.setScenario(s);
    QTableWidget* t = f.sites();
    QCOMPARE(t->item(0, ScenarioForm::column(t, QStringLiteral("access latency")))->text(), QStringLiteral("100 us"));
    QCOMPARE(t->item(0, ScenarioForm::column(t, QStringLiteral("backhaul latency")))->text(), QStringLiteral("18 ms"));
    // Unedited, the scenario keeps the preset's figures exactly.
    QCOMPARE(f.scenario()->sites[0].access.latency.si(), s.sites[0].access.latency.si());
  }

  // The running status: an ETA from the running simulations' pace, not from the probes done
  // (two from the cache and one 2-minute simulation at 1% read "round ETA 0.2 s").
  void theRoundEtaFollowsTheRunningSimulations() {
    hw::PlanProgress p;
    p.sims_total = 3;
    p.sims_done = 2;
    p.running = 1;
    p.progress = {0.01};
    QVERIFY(roundEtaSeconds(p, 0.3) < 0);  // too early: "estimating"
    p.progress = {0.25};
    QCOMPARE(roundEtaSeconds(p, 30), 90.0);  // 30 s for a quarter: 90 s to go
    // Two running at a time and two queued: the slower one's rest, then one more batch.
    p.sims_total = 6;
    p.sims_done = 2;
    p.running = 2;
    p.progress = {0.5, 0.25};
    QCOMPARE(roundEtaSeconds(p, 10), 30.0 + (20.0 + 40.0) / 2);
    p.progress.clear();
    QVERIFY(roundEtaSeconds(p, 10) < 0);
  }

  // Too many ticks for the map's axis: the round ones are labelled. Kept from the left, a
  // log axis of 0.7071, 1, 1.414 labelled 0.7071 and 1.414 and dropped the 1.
  void theDecisionMapLabelsRoundTicksFirst() {
    const QStringList l{QStringLiteral("0.7071"), QStringLiteral("1"), QStringLiteral("1.414")};
    QCOMPARE(thinTicks({0, 30, 60}, l, 48), (std::vector<std::size_t>{1}));
    QCOMPARE(thinTicks({0, 50, 100}, l, 48), (std::vector<std::size_t>{0, 1, 2}));  // room for all
    // 0.25 ... 4 in steps of sqrt(2), 30 px apart: 0.5, 1, 2 and 4 (one digit) first, then
    // 0.25 (two), 60 px from 0.5; no four-digit label fits between them.
    const QStringList h{QStringLiteral("0.25"), QStringLiteral("0.3536"), QStringLiteral("0.5"), QStringLiteral("0.7071"), QStringLiteral("1"),
                        QStringLiteral("1.414"), QStringLiteral("2"), QStringLiteral("2.828"), QStringLiteral("4")};
    std::vector<double> pos;
    for (int i = 0; i < h.size(); ++i) pos.push_back(30.0 * i);
    QCOMPARE(thinTicks(pos, h, 48), (std::vector<std::size_t>{0, 2, 4, 6, 8}));
    // From 0.3536: the old thinning kept 0.3536, 0.7071, 1.414 and 2.828, not one round value.
    pos.erase(pos.begin());
    QCOMPARE(thinTicks(pos, h.mid(1), 48), (std::vector<std::size_t>{1, 3, 5, 7}));
  }

  // A train-infer loop's answer ("loop edge X") and a split pipeline's ("hybrid Y") are two
  // answers: two colours (both took the hybrid family's first orange).
  void theDecisionMapGivesEachAnswerItsOwnColour() {
    DecisionMap m;
    QVERIFY(m.colourOf("loop edge jetson-orin-nano-super") != m.colourOf("hybrid jetson-orin-nano-super+l4x4-server"));
    QVERIFY(m.colourOf("loop edge jetson-orin-nano-super") != m.colourOf("edge jetson-orin-nano-super"));
  }
};

QTEST_MAIN(ViewsTest)
#include "views_test.moc"
