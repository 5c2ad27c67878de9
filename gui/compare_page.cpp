#include "gui/compare_page.hpp"

#include <QRegularExpression>

#include <algorithm>

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QStackedBarSeries>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include "gui/charts.hpp"
#include "gui/preferences.hpp"
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

const std::vector<Row>& rows() {
  static const std::vector<Row> all{
      {QStringLiteral("scenario"), [](const PlanOutcome& o) { return q(o.scenario.name); }},
      {QStringLiteral("winner"), [](const PlanOutcome& o) { return winner(o) ? q(winner(o)->candidate.label) : QStringLiteral("none feasible"); }},
      {QStringLiteral("family"), [](const PlanOutcome& o) { return winner(o) ? familyWords(o.scenario, winner(o)->candidate.spec.family) : QString(); }},
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
      {QStringLiteral("latency at the SLO percentile"),
       [](const PlanOutcome& o) {
         const auto* w = winner(o);
         if (!w || w->run.streams.empty()) return QStringLiteral("-");
         const auto& st = w->run.streams[w->worst_stream];
         return QStringLiteral("%1: p%2 %3 ms (SLO %4 ms)")
             .arg(q(st.id))
             .arg(st.slo_percentile)
             .arg(hw::slo_estimate(st).value * 1e3, 0, 'g', 3)
             .arg(st.slo_latency_s * 1e3, 0, 'g', 4);
       }},
      {QStringLiteral("feasible candidates"),
       [](const PlanOutcome& o) { return QStringLiteral("%1 of %2").arg(o.plan.ranking.size()).arg(o.plan.candidates.size()); }},
      {QStringLiteral("families with nothing feasible"),
       [](const PlanOutcome& o) {
         QStringList f;
         // The card's words for them ("GPU servers in the data centre", "hybrid: split pipeline").
         for (const auto& r : o.plan.rejected_families) f << familyWords(o.scenario, r.family);
         return f.isEmpty() ? QStringLiteral("-") : f.join(QStringLiteral(", "));
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

ComparePage::ComparePage(QWidget* parent) : QWidget(parent), table_(new QTableWidget), chart_(new QChartView) {
  auto* help = new QLabel(QStringLiteral("Pin results from the Results page (<b>Pin for comparison</b>) before and after a change; "
                                         "figures that differ from the first pinned result are highlighted."));
  help->setWordWrap(true);
  auto* clearButton = new QPushButton(QStringLiteral("Clear"));
  connect(clearButton, &QPushButton::clicked, this, &ComparePage::clear);
  auto* top = new QHBoxLayout;
  top->addWidget(help, 1);
  top->addWidget(clearButton);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setWordWrap(true);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  chart_->setRenderHint(QPainter::Antialiasing);
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(table_);
  split->addWidget(chart_);
  split->setSizes({380, 320});
  auto* l = new QVBoxLayout(this);
  l->setContentsMargins(0, 0, 0, 0);
  l->addLayout(top);
  l->addWidget(split, 1);
  rebuild();
}

QString compareCategory(std::size_t number, const QString& name) {
  static const QRegularExpression run(QStringLiteral("^(.*) \\(run ([^)]+)\\)$"));
  const auto m = run.match(name);
  if (!m.hasMatch()) return QStringLiteral("%1: %2").arg(number).arg(name);
  return QStringLiteral("%1 · %2 · %3").arg(number).arg(m.captured(2), m.captured(1));
}

void ComparePage::pin(PlanOutcomePtr outcome, const QString& name) {
  if (!outcome) return;
  // Numbered: two pins of the same file in the same second would otherwise share a name,
  // and the chart's category axis would fold their bars into one.
  const std::size_t number = pinned_.size() + 1;
  pinned_.push_back({std::move(outcome), QStringLiteral("%1: %2").arg(number).arg(name), compareCategory(number, name)});
  rebuild();
}

void ComparePage::clear() {
  pinned_.clear();
  rebuild();
}

int ComparePage::row(const QString& label) const {
  const auto& r = rows();
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (r[i].label == label) return static_cast<int>(i);
  }
  return -1;
}

bool ComparePage::differs(int r, int c) const {
  const QTableWidgetItem* it = table_->item(r, c);
  return it && it->data(kDiffers).toBool();
}

void ComparePage::rebuild() {
  const auto& r = rows();
  table_->clear();
  table_->setRowCount(static_cast<int>(r.size()));
  table_->setColumnCount(static_cast<int>(pinned_.size()));
  QStringList labels;
  for (const auto& x : r) labels << x.label;
  table_->setVerticalHeaderLabels(labels);
  QStringList names, categories;
  for (const auto& p : pinned_) {
    names << p.name;
    categories << p.category;
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
  }
  table_->resizeRowsToContents();

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
