#include "gui/compare_page.hpp"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <exception>

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QTimer>
#include <QFileInfo>
#include <QPushButton>
#include <QSplitter>
#include <QStackedBarSeries>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include "gui/charts.hpp"
#include "gui/preferences.hpp"
#include "sim/core/units.hpp"
#include "sim/io/yaml_writer.hpp"
#include "sim/plan/evaluate.hpp"

namespace hwgui {

namespace {

constexpr int kDiffers = Qt::UserRole + 1;

QString q(const std::string& s) { return QString::fromStdString(s); }

// The rows: a label and the text of a result for it.
struct Row {
  QString label;
  std::function<QString(const PlanOutcome&)> text;
  bool compared = true;  // false: bookkeeping that differs between any two runs, never highlighted
};

const hw::CandidateReport* winner(const PlanOutcome& o) {
  return o.plan.winner ? &o.plan.candidates[*o.plan.winner].report : nullptr;
}

QString money(const PlanOutcome& o, double v) {
  return QStringLiteral("%1 %2").arg(QLocale().toString(v, 'f', 0), q(o.scenario.costs.currency));
}

// A time as the CLI writes a makespan or a deadline: hours from one hour (four figures:
// "507.4 h", as the table's makespan column), else "45 min", "12 s".
QString longTime(double s) {
  if (s >= 3600 && s < 1000 * 3600.0) return QStringLiteral("%1 h").arg(s / 3600, 0, 'g', 4);
  return q(hw::format_long_time(hw::Seconds(s)));
}

QString ms(double s) {
  if (!std::isfinite(s)) return QStringLiteral("never");
  // Three figures, as the CLI, never in exponent form ("2000 ms", not "2e+03 ms").
  const double v = s * 1e3;
  return QStringLiteral("%1 ms").arg(std::abs(v) >= 1000 ? QString::number(v, 'f', 0) : QString::number(v, 'g', 3));
}

const std::vector<Row>& rows() {
  static const std::vector<Row> all{
      {QStringLiteral("scenario"), [](const PlanOutcome& o) { return q(o.scenario.name); }},
      {QStringLiteral("winner"), [](const PlanOutcome& o) { return winner(o) ? q(winner(o)->candidate.label) : QStringLiteral("none feasible"); }},
      {QStringLiteral("family"), [](const PlanOutcome& o) { return winner(o) ? familyWords(o.scenario, winner(o)->candidate.spec) : QString(); }},
      {QStringLiteral("units"),
       // Every unit bought, spares included, as the recommendation card: "2 (1+1 srv)".
       [](const PlanOutcome& o) {
         const auto* w = winner(o);
         return w ? QStringLiteral("%1 (%2)").arg(unitsBought(o.scenario, *w)).arg(q(unitsText(*w))) : QString();
       }},
      {QStringLiteral("TCO"), [](const PlanOutcome& o) { return winner(o) ? money(o, winner(o)->cost.tco) : QString(); }},
      {QStringLiteral("capex"), [](const PlanOutcome& o) { return winner(o) ? money(o, winner(o)->cost.capex) : QString(); }},
      {QStringLiteral("opex per year"), [](const PlanOutcome& o) { return winner(o) ? money(o, winner(o)->cost.opex_per_year) : QString(); }},
      {QStringLiteral("margin over runner-up"),
       [](const PlanOutcome& o) { return o.plan.runner_up ? QStringLiteral("%1 %").arg(o.plan.margin * 100, 0, 'f', 1) : QStringLiteral("-"); }},
      // As `hwplan recommend` says them: a stream's latency at its SLO percentile, an LLM
      // stream's TTFT and TPOT (each against its own target), the last batch job's makespan
      // against its deadline (the table's "makespan h" column); a scenario with both, both.
      {QStringLiteral("latency or makespan against target"), [](const PlanOutcome& o) { return compareLatencyText(o); }},
      {QStringLiteral("feasible candidates"),
       [](const PlanOutcome& o) { return QStringLiteral("%1 of %2").arg(o.plan.ranking.size()).arg(o.plan.candidates.size()); }},
      {QStringLiteral("families with nothing feasible"),
       [](const PlanOutcome& o) {
         QStringList f;
         // The card's words for them ("GPU-central", "hybrid: split pipeline").
         // Joined by "; ": a label holds a comma ("hybrid: split pipeline, retrained in the
         // data centre").
         for (const auto& r : o.plan.rejected_families) f << familyWords(o.scenario, r.family);
         return f.isEmpty() ? QStringLiteral("-") : f.join(QStringLiteral("; "));
       }},
      {QStringLiteral("load crossover"), [](const PlanOutcome& o) { return q(o.plan.crossover); }},
      {QStringLiteral("simulations"),
       // The second run of a scenario takes its simulations from the cache: not a change of
       // the answer, so not highlighted.
       [](const PlanOutcome& o) { return QStringLiteral("%1 (+%2 from the cache)").arg(o.plan.simulations).arg(o.plan.cache_hits); }, false},
  };
  return all;
}

}  // namespace

ComparePage::ComparePage(QWidget* parent)
    : QWidget(parent), table_(new QTableWidget), chart_(new QChartView), remove_(new QPushButton(QStringLiteral("Remove"))), note_(new QLabel) {
  auto* help = new QLabel(QStringLiteral("Pin results from the Results page (<b>Pin for comparison</b>) before and after a change; "
                                         "figures that differ from the first pinned result are highlighted."));
  help->setWordWrap(true);
  auto* clearButton = new QPushButton(QStringLiteral("Clear all"));
  connect(clearButton, &QPushButton::clicked, this, &ComparePage::clear);
  remove_->setToolTip(QStringLiteral("Remove the selected result (click its column's header; or right-click the header)"));
  remove_->setEnabled(false);
  connect(remove_, &QPushButton::clicked, this, [this] {
    const QModelIndexList cols = table_->selectionModel()->selectedColumns();
    int column = cols.isEmpty() ? table_->currentColumn() : cols.front().column();
    if (column >= 0) unpin(column);
  });
  auto* top = new QHBoxLayout;
  top->addWidget(help, 1);
  top->addWidget(remove_);
  top->addWidget(clearButton);
  // Amber with dark text, as the results page's notice: readable on either palette.
  note_->setWordWrap(true);
  note_->setTextFormat(Qt::PlainText);
  note_->setStyleSheet(QStringLiteral("QLabel { background: #fff4d6; color: #5a4300; padding: 4px; border: 1px solid #e6d090; }"));
  note_->setVisible(false);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setWordWrap(true);
  table_->setTextElideMode(Qt::ElideNone);
  table_->setSelectionBehavior(QAbstractItemView::SelectColumns);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(table_->horizontalHeader(), &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
    const int column = table_->horizontalHeader()->logicalIndexAt(at);
    if (column < 0) return;
    QMenu menu;
    menu.addAction(QStringLiteral("Remove this result"), this, [this, column] { unpin(column); });
    menu.exec(table_->horizontalHeader()->mapToGlobal(at));
  });
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          [this] { remove_->setEnabled(!pinned_.empty() && (table_->currentColumn() >= 0 || !table_->selectionModel()->selectedColumns().isEmpty())); });
  // A wrapped cell's height depends on its column's width, which the stretched header sets
  // after the rows were measured: measured again then (the load crossover was cut to "...").
  connect(table_->horizontalHeader(), &QHeaderView::sectionResized, this, [this] { fitRowsLater(); });
  chart_->setRenderHint(QPainter::Antialiasing);
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(table_);
  split->addWidget(chart_);
  split->setSizes({380, 320});
  auto* l = new QVBoxLayout(this);
  l->setContentsMargins(0, 0, 0, 0);
  l->addLayout(top);
  l->addWidget(note_);
  l->addWidget(split, 1);
  rebuild();
}

void ComparePage::fitRowsLater() {
  if (rowsFitPending_) return;
  rowsFitPending_ = true;
  QTimer::singleShot(0, this, [this] {
    rowsFitPending_ = false;
    table_->resizeRowsToContents();
  });
}

void ComparePage::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  fitRowsLater();
}

QString compareLatencyText(const PlanOutcome& o) {
  const auto* w = winner(o);
  if (!w) return QStringLiteral("-");
  QStringList parts;
  if (!w->run.streams.empty()) {
    const auto& st = w->run.streams[w->worst_stream];
    if (st.llm) {
      // TTFT and TPOT at their targets' percentiles (the stream's TTFT figures are the ones
      // the plain latency fields hold).
      const hw::Stream* spec = nullptr;
      for (const auto& x : o.scenario.streams) {
        if (x.id == st.id && x.llm) spec = &x;
      }
      const double ttftP = spec ? spec->llm->ttft.percentile : st.slo_percentile;
      const double tpotP = spec ? spec->llm->tpot.percentile : 99;
      QString tpot = QStringLiteral("TPOT p%1 %2").arg(tpotP).arg(ms(spec ? st.llm->tpot_at_slo_s : st.llm->tpot_p99_s));
      if (spec) tpot += QStringLiteral(" (target %1)").arg(ms(spec->llm->tpot.latency.si()));
      parts << QStringLiteral("%1: TTFT p%2 %3 (target %4), %5")
                   .arg(q(st.id))
                   .arg(ttftP)
                   .arg(ms(spec ? st.llm->ttft_at_slo_s : hw::slo_estimate(st).value))
                   .arg(ms(st.slo_latency_s))
                   .arg(tpot);
    } else {
      parts << QStringLiteral("%1: p%2 %3 ms (SLO %4 ms)")
                   .arg(q(st.id))
                   .arg(st.slo_percentile)
                   .arg(hw::slo_estimate(st).value * 1e3, 0, 'g', 3)
                   .arg(st.slo_latency_s * 1e3, 0, 'g', 4);
    }
  }
  // The job that finished last, as the CLI's makespan column.
  const hw::BatchJobResult* last = nullptr;
  for (const auto& j : w->run.jobs) {
    if (!last || j.makespan_s > last->makespan_s) last = &j;
  }
  if (last) {
    QString t = QStringLiteral("%1: makespan %2").arg(q(last->id), longTime(last->makespan_s));
    t += last->deadline_s > 0 ? QStringLiteral(" (deadline %1)").arg(longTime(last->deadline_s)) : QStringLiteral(" (no deadline)");
    parts << t;
  }
  return parts.isEmpty() ? QStringLiteral("-") : parts.join(QStringLiteral("; "));
}

QString compareCategory(std::size_t number, const QString& name) {
  static const QRegularExpression run(QStringLiteral("^(.*) \\(run ([^)]+)\\)$"));
  const auto m = run.match(name);
  if (!m.hasMatch()) return QStringLiteral("%1: %2").arg(number).arg(name);
  return QStringLiteral("%1 · %2 · %3").arg(number).arg(m.captured(2), m.captured(1));
}

namespace {
// The last row: each result's inputs against the first's (hw::scenario_changes), at most
// kInputsShown lines in the cell, all of them in its tooltip.
const QString kInputsRow = QStringLiteral("inputs changed from result 1");
constexpr int kInputsShown = 6;

// One scenario before and after a change keeps its file or its name (an edit of the text
// keeps both; a "Save as" of an edit keeps the name); another scenario has neither.
bool sameScenario(const PlanOutcome& a, const PlanOutcome& b) {
  return (!a.scenario.file.empty() && a.scenario.file == b.scenario.file) || a.scenario.name == b.scenario.name;
}
QString scenarioName(const PlanOutcome& o) {
  const QString file = QFileInfo(q(o.scenario.file)).fileName();
  return file.isEmpty() ? q(o.scenario.name) : QStringLiteral("%1 (%2)").arg(q(o.scenario.name), file);
}
}  // namespace

ComparePage::PinResult ComparePage::pin(PlanOutcomePtr outcome, const QString& name, quint64 run) {
  PinResult r;
  if (!outcome) return r;
  for (std::size_t i = 0; i < pinned_.size(); ++i) {
    if (pinned_[i].outcome == outcome || (run != 0 && pinned_[i].run == run)) {
      r.column = static_cast<int>(i);
      return r;
    }
  }
  if (!pinned_.empty() && !sameScenario(*pinned_.front().outcome, *outcome)) r.otherScenario = scenarioName(*pinned_.front().outcome);
  // Numbered: two pins of the same file in the same second would otherwise share a name,
  // and the chart's category axis would fold their bars into one. A number is never reused
  // (after a removal the others keep theirs) until Clear all.
  const std::size_t number = nextNumber_++;
  pinned_.push_back({std::move(outcome), run, QStringLiteral("%1: %2").arg(number).arg(name), compareCategory(number, name)});
  r.added = true;
  r.column = static_cast<int>(pinned_.size()) - 1;
  rebuild();
  return r;
}

void ComparePage::unpin(int column) {
  if (column < 0 || column >= static_cast<int>(pinned_.size())) return;
  pinned_.erase(pinned_.begin() + column);
  if (pinned_.empty()) nextNumber_ = 1;
  rebuild();
}

void ComparePage::clear() {
  pinned_.clear();
  nextNumber_ = 1;
  rebuild();
}

int ComparePage::row(const QString& label) const {
  const auto& r = rows();
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (r[i].label == label) return static_cast<int>(i);
  }
  if (label == kInputsRow) return static_cast<int>(r.size());
  return -1;
}

bool ComparePage::differs(int r, int c) const {
  const QTableWidgetItem* it = table_->item(r, c);
  return it && it->data(kDiffers).toBool();
}

void ComparePage::rebuild() {
  const auto& r = rows();
  table_->clear();
  table_->setRowCount(static_cast<int>(r.size()) + 1);
  table_->setColumnCount(static_cast<int>(pinned_.size()));
  QStringList labels;
  for (const auto& x : r) labels << x.label;
  labels << kInputsRow;
  table_->setVerticalHeaderLabels(labels);
  QStringList names, categories;
  for (const auto& p : pinned_) {
    names << p.name;
    // On two lines when there are several: Qt cuts a category's label at well under its bar's
    // width ("1 · 13:18:20 · city-cctv...." with three pins at 1008x660). The number and time
    // on the first, the file under it.
    QString shown = p.category;
    if (pinned_.size() > 1) {
      const qsizetype second = shown.indexOf(QStringLiteral(" · "), shown.indexOf(QStringLiteral(" · ")) + 1);
      if (second > 0) shown = shown.left(second).toHtmlEscaped() + QStringLiteral("<br>") + shown.mid(second + 3).toHtmlEscaped();
    }
    categories << shown;
  }
  table_->setHorizontalHeaderLabels(names);
  for (std::size_t c = 0; c < pinned_.size(); ++c) {
    for (std::size_t i = 0; i < r.size(); ++i) {
      const QString text = r[i].text(*pinned_[c].outcome);
      auto* item = new QTableWidgetItem(text);
      const bool differs = c > 0 && r[i].compared && text != r[i].text(*pinned_[0].outcome);
      item->setData(kDiffers, differs);
      if (differs) {
        // Dark text on the pale yellow in either palette (the dark palette's text is near-white).
        item->setBackground(QColor(0xff, 0xf0, 0xb0));
        item->setForeground(QColor(0x20, 0x20, 0x20));
        QFont f = item->font();
        f.setBold(true);
        item->setFont(f);
      }
      table_->setItem(static_cast<int>(i), static_cast<int>(c), item);
    }
    // What was changed between the first result's inputs and this one's (the scenario as the
    // planner read it, defaults filled in): the cause beside the highlighted effects.
    QString inputs = QStringLiteral("the reference");
    QString all;
    if (c > 0) {
      std::vector<std::string> changes;
      try {
        changes = hw::scenario_changes(pinned_[0].outcome->scenario, pinned_[c].outcome->scenario);
      } catch (const std::exception& e) {  // a scenario the writer cannot print: said, not a crash
        changes = {std::string("(the inputs could not be compared: ") + e.what() + ")"};
      }
      QStringList shown;
      for (const auto& line : changes) {
        all += (all.isEmpty() ? QString() : QStringLiteral("\n")) + q(line);
        if (shown.size() < kInputsShown) shown << q(line);
      }
      if (changes.size() > static_cast<std::size_t>(kInputsShown)) {
        shown << QStringLiteral("and %1 more (hover to see all)").arg(changes.size() - static_cast<std::size_t>(kInputsShown));
      }
      inputs = changes.empty() ? QStringLiteral("none: the same inputs") : shown.join(QStringLiteral("\n"));
    }
    auto* item = new QTableWidgetItem(inputs);
    if (!all.isEmpty()) item->setToolTip(all);
    item->setData(kDiffers, false);
    table_->setItem(static_cast<int>(r.size()), static_cast<int>(c), item);
  }
  table_->resizeRowsToContents();
  fitRowsLater();
  remove_->setEnabled(false);
  // Pins of more than one scenario: said over the table (every row may differ, not from one change).
  QStringList scenarios;
  for (const auto& p : pinned_) {
    bool seen = false;
    for (const auto& x : pinned_) {
      if (&x == &p) break;
      seen = seen || sameScenario(*x.outcome, *p.outcome);
    }
    if (!seen) scenarios << scenarioName(*p.outcome);
  }
  note_->setText(scenarios.size() > 1 ? QStringLiteral("These results are of %1 different scenarios (%2): the highlights compare the scenarios, "
                                                       "not one change. Remove a result (right-click its column's header) or Clear all.")
                                            .arg(scenarios.size())
                                            .arg(scenarios.join(QStringLiteral("; ")))
                                      : QString());
  note_->setVisible(scenarios.size() > 1);

  // The winners' yearly costs by kind, one bar per pinned result.
  auto* chart = new QChart;
  chart->setAnimationOptions(QChart::NoAnimation);
  if (darkPalette()) chart->setTheme(QChart::ChartThemeDark);
  chart->setTitle(QStringLiteral("Winner's cost per year by kind (each result's currency)"));
  chart->legend()->setAlignment(Qt::AlignBottom);
  if (!pinned_.empty()) {
    auto* series = new QStackedBarSeries;
    double top = 0;
    QString cur;  // the pinned results' currency, empty when they differ
    for (std::size_t i = 0; i < pinned_.size(); ++i) {
      const PlanOutcome& o = *pinned_[i].outcome;
      if (const auto* w = winner(o)) top = std::max(top, w->cost.capex_per_year + w->cost.opex_per_year);
      if (i == 0 || cur == q(o.scenario.costs.currency)) {
        cur = q(o.scenario.costs.currency);
      } else {
        cur.clear();
      }
    }
    // Thousands or millions past 10,000 (ticks read "250", not "2.5e+05").
    const AxisScale scale = axisScale(top);
    if (!cur.isEmpty()) chart->setTitle(QStringLiteral("Winner's cost per year by kind"));
    // The same kinds as the results page's cost chart (rent included); a kind no pinned
    // winner has is left out of the legend.
    for (const CostKind& p : costKinds()) {
      auto* set = new QBarSet(p.name);
      set->setColor(p.colour);
      bool any = false;
      for (const auto& x : pinned_) {
        const auto* w = winner(*x.outcome);
        const double v = w ? w->cost.*(p.field) * scale.factor : 0.0;
        any = any || v != 0;
        set->append(v);
      }
      if (any) series->append(set);
      else delete set;
    }
    chart->addSeries(series);
    auto* ax = new QBarCategoryAxis;
    ax->append(categories);
    chart->addAxis(ax, Qt::AlignBottom);
    series->attachAxis(ax);
    auto* ay = new QValueAxis;
    ay->setTitleText(cur.isEmpty() ? QStringLiteral("%1per year (each result's currency)").arg(scale.prefix)
                                    : QStringLiteral("%1%2 per year").arg(scale.prefix, cur));
    ay->setLabelFormat("%g");
    chart->addAxis(ay, Qt::AlignLeft);
    series->attachAxis(ay);
    ay->setRange(0, top > 0 ? top * scale.factor : 1);  // every winner free (or none feasible): still an axis
    ay->applyNiceNumbers();
  }
  QChart* old = chart_->chart();
  chart_->setChart(chart);
  // Tall enough for the axis title along the plot ("k USD per year" was cut to "k USD per
  // y..." in a 1008x660 window): the splitter gives the table less, which scrolls.
  chart_->setMinimumHeight(chartMinimumSize(chart).height());
  delete old;
}

void ComparePage::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if ((event->type() == QEvent::ApplicationPaletteChange || event->type() == QEvent::PaletteChange) && chart_->chart() &&
      (chart_->chart()->theme() == QChart::ChartThemeDark) != darkPalette()) {
    rebuild();
  }
}

}  // namespace hwgui
