#include "gui/charts.hpp"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QHorizontalStackedBarSeries>
#include <QLegendMarker>
#include <QAreaSeries>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>
#include <QGraphicsObject>
#include <QGraphicsSceneHoverEvent>
#include <QImage>
#include <QTextDocument>
#include <QTextDocumentFragment>
#include <QFontMetrics>
#include <QToolTip>
#include <memory>
#include <algorithm>
#include <cmath>
#include <limits>

#include "gui/preferences.hpp"
#include "sim/plan/evaluate.hpp"

namespace hwgui {

namespace {

QChart* newChart(const QString& title) {
  auto* c = new QChart;
  if (darkPalette()) c->setTheme(QChart::ChartThemeDark);
  c->setTitle(title);
  c->setAnimationOptions(QChart::NoAnimation);
  c->legend()->setAlignment(Qt::AlignBottom);
  c->setMargins(QMargins(6, 6, 6, 6));
  return c;
}

QString shortLabel(const PlanOutcome& o, std::size_t i) {
  const auto& x = o.plan.candidates[i];
  // The units as bought, spares too ("1+1 srv"), as the table and the card count them: the
  // bars include the spares' cost and power.
  QString s = QStringLiteral("%1 %2").arg(QString::fromStdString(hardwareOf(x.report.candidate.spec)), QString::fromStdString(unitsText(x.report)));
  if (o.plan.winner && *o.plan.winner == i) s = QStringLiteral("★ ") + s;
  if (!x.report.feasible) s += QStringLiteral(" (rejected)");
  return s;
}

// Horizontal bars read top-down in rank order: Qt draws the first category at the bottom.
QStringList categories(const PlanOutcome& o, const std::vector<std::size_t>& shown) {
  QStringList c;
  for (auto it = shown.rbegin(); it != shown.rend(); ++it) c << shortLabel(o, *it);
  return c;
}

void attachHorizontal(QChart* chart, QAbstractBarSeries* series, const QStringList& cats, const QString& valueTitle) {
  chart->addSeries(series);
  auto* y = new QBarCategoryAxis;
  y->append(cats);
  chart->addAxis(y, Qt::AlignLeft);
  series->attachAxis(y);
  auto* x = new QValueAxis;
  x->setTitleText(valueTitle);
  x->setLabelFormat("%g");
  chart->addAxis(x, Qt::AlignBottom);
  series->attachAxis(x);
  if (x->min() > 0) x->setMin(0);
  if (!(x->max() > x->min())) x->setRange(0, 1);  // every value zero (a tier not used)
  x->applyNiceNumbers();
}

// Values in the order of categories() (reversed).
void appendReversed(QBarSet* set, const std::vector<double>& v) {
  for (auto it = v.rbegin(); it != v.rend(); ++it) set->append(*it);
}

QString currency(const PlanOutcome& o) { return QString::fromStdString(o.scenario.costs.currency); }

// Money on an axis: in units, thousands or millions (axisScale), so that ticks read "20", not "2e+04".
struct MoneyScale {
  double factor = 1;
  QString unit;  // "USD", "k USD", "M USD"
};
MoneyScale moneyScale(const PlanOutcome& o, double max) {
  const AxisScale a = axisScale(max);
  return {a.factor, a.prefix + currency(o)};
}

void emptyNote(QChart* c, const QString& why) { c->setTitle(c->title() + QStringLiteral(" — ") + why); }

// Values for the labels of a log axis from `lo` to `hi`: whole decades where the range
// spans four or more, else 1-2-5 in each decade, else finer steps, the first set that
// gives at least four labels (a latency range of 3 to 13 ms: 3, 4, 5, 7, 10 ms).
std::vector<double> logTicks(double lo, double hi) {
  static const std::vector<std::vector<double>> kSteps{
      {1}, {1, 2, 5}, {1, 2, 3, 5}, {1, 1.5, 2, 3, 4, 5, 7}, {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8}};
  std::vector<double> ticks;
  if (!(lo > 0) || !(hi > lo)) return ticks;
  for (const auto& steps : kSteps) {
    ticks.clear();
    for (int e = static_cast<int>(std::floor(std::log10(lo))); e <= static_cast<int>(std::ceil(std::log10(hi))); ++e) {
      for (double k : steps) {
        const double v = k * std::pow(10.0, e);
        if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12)) ticks.push_back(v);
      }
    }
    if (ticks.size() >= 4) break;
  }
  return ticks;
}

// A QLogValueAxis labels only whole powers of its base (a latency range of 3 to 13 ms got
// two labels, 4 and 8). The series stay on `ax` (hidden); a category axis over the same
// range in log10 units, attached to no series, draws the labels of logTicks(), their grid
// lines and the title. Both map log(value) linearly onto the plot, so the labels sit where
// the values are drawn.
void logAxisLabels(QChart* c, QLogValueAxis* ax, const QString& title, const QString& unit, Qt::Alignment side) {
  const double lo = ax->min(), hi = ax->max();
  auto* labels = new QCategoryAxis;
  labels->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
  labels->setRange(std::log10(lo), std::log10(hi));
  labels->setStartValue(std::log10(lo));
  for (double v : logTicks(lo, hi)) labels->append(unit + QString::number(v, 'g', 4), std::log10(v));
  labels->setTitleText(title);
  ax->setVisible(false);
  c->addAxis(labels, side);
}

// Hovering the Pareto chart. Above a thousand points the clouds are line series drawn as
// light markers without a line (Qt::NoPen), thinned to one point per cell. Qt 6.4 signals
// such a series' `hovered` only on entering and leaving the cloud (measured: a move onto
// one point, then across to two others, gave one signal, at the first drawn point reached),
// so the tooltip named one candidate per visit and never a point thinned away. Instead an
// item without paint over the plot area takes every hover move and finds the labelled point
// (all of them, thinned or not) drawn nearest the cursor within a few pixels: one pass over
// the points in pixel units (the axes are linear, so three mapped points give the mapping).
class ParetoHover final : public QGraphicsObject {
 public:
  using Label = std::pair<QPointF, QString>;  // the point in axis values, the candidate
  ParetoHover(QChart* chart, QAbstractSeries* mapped, std::vector<Label> labels)
      : QGraphicsObject(chart), chart_(chart), mapped_(mapped), labels_(std::move(labels)) {
    setAcceptHoverEvents(true);
    setAcceptedMouseButtons(Qt::NoButton);  // clicks, wheel and drags go to the chart as before
    setZValue(1000);                        // above the series: hover comes here first
  }
  void setArea(const QRectF& area) {
    prepareGeometryChange();
    area_ = area;
  }
  QRectF boundingRect() const override { return area_; }
  void paint(QPainter*, const QStyleOptionGraphicsItem*, QWidget*) override {}

  QString labelNear(QPointF pos, qreal radius) const {
    const QPointF o = chart_->mapToPosition(QPointF(0, 0), mapped_);
    const QPointF ex = chart_->mapToPosition(QPointF(1, 0), mapped_) - o;
    const QPointF ey = chart_->mapToPosition(QPointF(0, 1), mapped_) - o;
    const Label* best = nullptr;
    qreal bestD2 = radius * radius;
    for (const Label& l : labels_) {
      const QPointF d = o + l.first.x() * ex + l.first.y() * ey - pos;
      const qreal d2 = d.x() * d.x() + d.y() * d.y();
      if (d2 <= bestD2) {
        bestD2 = d2;
        best = &l;
      }
    }
    return best ? best->second : QString();
  }
  const QString& shown() const { return shown_; }

 protected:
  void hoverMoveEvent(QGraphicsSceneHoverEvent* e) override {
    const QString label = labelNear(e->pos(), kParetoHoverRadius);
    if (label == shown_) return;
    shown_ = label;
    if (label.isEmpty()) {
      QToolTip::hideText();
    } else {
      QToolTip::showText(e->screenPos(), label);
    }
  }
  void hoverLeaveEvent(QGraphicsSceneHoverEvent*) override {
    if (!shown_.isEmpty()) QToolTip::hideText();
    shown_.clear();
  }

 private:
  QChart* chart_;
  QAbstractSeries* mapped_;  // any series on the chart's two value axes (owned by the chart)
  std::vector<Label> labels_;
  QRectF area_;
  QString shown_;
};

const ParetoHover* paretoHover(const QChart* chart) {
  if (!chart) return nullptr;
  for (const QGraphicsItem* item : chart->childItems()) {
    if (const auto* h = dynamic_cast<const ParetoHover*>(item)) return h;
  }
  return nullptr;
}

}  // namespace

AxisScale axisScale(double maxAbs) {
  maxAbs = std::abs(maxAbs);
  if (maxAbs >= 1e6) return {1e-6, QStringLiteral("M ")};
  if (maxAbs >= 1e4) return {1e-3, QStringLiteral("k ")};
  return {};
}

QString paretoLabelAt(const QChart* chart, QPointF pos, double radius) {
  const ParetoHover* h = paretoHover(chart);
  return h ? h->labelNear(pos, radius) : QString();
}

QString paretoHoverText(const QChart* chart) {
  const ParetoHover* h = paretoHover(chart);
  return h ? h->shown() : QString();
}

const std::vector<ChartInfo>& chartKinds() {
  static const std::vector<ChartInfo> k{
      {ChartKind::Tco, QStringLiteral("tco"), QStringLiteral("Cost per year")},
      {ChartKind::Pareto, QStringLiteral("pareto"), QStringLiteral("Pareto: TCO vs latency")},
      {ChartKind::Utilisation, QStringLiteral("utilisation"), QStringLiteral("Utilisation")},
      {ChartKind::Power, QStringLiteral("power"), QStringLiteral("Power")},
      {ChartKind::Latency, QStringLiteral("latency"), QStringLiteral("Latency")},
      {ChartKind::Distribution, QStringLiteral("latency-distribution"), QStringLiteral("Latency distribution")},
      {ChartKind::Sensitivity, QStringLiteral("sensitivity"), QStringLiteral("Sensitivity")},
      {ChartKind::LoadCurve, QStringLiteral("load-curve"), QStringLiteral("TCO vs load")},
  };
  return k;
}

std::vector<std::size_t> chartedCandidates(const PlanOutcome& o, std::size_t max) {
  std::vector<std::size_t> out;
  for (std::size_t i : o.plan.ranking) {
    if (out.size() < max) out.push_back(i);
  }
  for (std::size_t i = 0; i < o.plan.candidates.size() && out.size() < max; ++i) {
    const auto& x = o.plan.candidates[i];
    const bool ran = !x.report.run.streams.empty() || !x.report.run.jobs.empty();
    if (!x.report.feasible && !x.screened_out && ran) out.push_back(i);
  }
  return out;
}

const std::vector<CostKind>& costKinds() {
  static const std::vector<CostKind> k{
      {QStringLiteral("capex / amortisation"), &hw::CostBreakdown::capex_per_year, QColor(0x20, 0x9f, 0xdf)},
      {QStringLiteral("energy"), &hw::CostBreakdown::energy_per_year, QColor(0x99, 0xca, 0x53)},
      {QStringLiteral("bandwidth"), &hw::CostBreakdown::bandwidth_per_year, QColor(0xf6, 0xa6, 0x25)},
      // Per unit-year and the visits to each site (sim/cost/tco.hpp): both, under one name that says so.
      {QStringLiteral("maintenance incl. site visits"), &hw::CostBreakdown::maintenance_per_year, QColor(0x6d, 0x5f, 0xd5)},
      {QStringLiteral("retraining"), &hw::CostBreakdown::retraining_per_year, QColor(0xbf, 0x59, 0x3e)},
      // Rented data-centre GPU-hours: a rented tier has no capex, energy or maintenance of its own.
      {QStringLiteral("rent"), &hw::CostBreakdown::rent_per_year, QColor(0x2a, 0x9d, 0x8f)},
  };
  return k;
}

QChart* tcoChart(const PlanOutcome& o) {
  const double years = o.scenario.costs.horizon.si() / hw::kSecondsPerYear;
  QChart* c = newChart(QStringLiteral("Cost per year by kind (TCO = the sum x %1 years)").arg(years, 0, 'g', 3));
  const auto shown = chartedCandidates(o);
  if (shown.empty()) {
    emptyNote(c, QStringLiteral("no candidate was priced"));
    return c;
  }
  double maxPerYear = 0;
  for (std::size_t i : shown) {
    const auto& k = o.plan.candidates[i].report.cost;
    maxPerYear = std::max(maxPerYear, k.capex_per_year + k.opex_per_year);
  }
  const MoneyScale scale = moneyScale(o, maxPerYear);
  auto* series = new QHorizontalStackedBarSeries;
  for (const CostKind& p : costKinds()) {
    std::vector<double> v;
    for (std::size_t i : shown) v.push_back(o.plan.candidates[i].report.cost.*(p.field) * scale.factor);
    if (std::all_of(v.begin(), v.end(), [](double d) { return d == 0; })) continue;  // a kind this scenario has none of
    auto* set = new QBarSet(p.name);
    set->setColor(p.colour);
    appendReversed(set, v);
    series->append(set);
  }
  attachHorizontal(c, series, categories(o, shown), QStringLiteral("%1 per year").arg(scale.unit));
  return c;
}

QChart* paretoChart(const PlanOutcome& o) {
  QChart* c = newChart(QStringLiteral("TCO against worst latency / SLO (left of 1 meets the target)"));
  auto* feasible = new QScatterSeries;
  feasible->setName(QStringLiteral("feasible"));
  feasible->setMarkerSize(9);
  auto* rejected = new QScatterSeries;
  rejected->setName(QStringLiteral("rejected"));
  rejected->setMarkerSize(7);
  rejected->setColor(QColor(0xb0, 0xb0, 0xb0));
  rejected->setBorderColor(QColor(0x80, 0x80, 0x80));
  auto* winner = new QScatterSeries;
  winner->setName(QStringLiteral("recommended"));
  winner->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
  winner->setMarkerSize(15);
  winner->setColor(QColor(0x1b, 0x9e, 0x3e));
  auto* front = new QLineSeries;
  front->setName(QStringLiteral("Pareto front"));
  std::vector<QPointF> frontPts;
  // Hovering a point names its candidate.
  std::vector<ParetoHover::Label> labels;
  double xmax = 1.0, ymax = 0, xmin = std::numeric_limits<double>::infinity();
  std::vector<QPointF> feasiblePts, rejectedPts;
  for (const auto& x : o.plan.candidates) {
    if (!x.screened_out) ymax = std::max(ymax, x.report.cost.tco);
  }
  const MoneyScale scale = moneyScale(o, ymax);
  ymax = 0;
  for (std::size_t i = 0; i < o.plan.candidates.size(); ++i) {
    const auto& x = o.plan.candidates[i];
    if (x.screened_out || (x.report.run.streams.empty() && x.report.run.jobs.empty())) continue;
    const QPointF pt(x.closeness, x.report.cost.tco * scale.factor);
    xmax = std::max(xmax, pt.x());
    xmin = std::min(xmin, pt.x());
    ymax = std::max(ymax, pt.y());
    (x.report.feasible ? feasiblePts : rejectedPts).push_back(pt);
    labels.emplace_back(pt, QString::fromStdString(x.report.candidate.label));
    if (o.plan.winner && *o.plan.winner == i) winner->append(pt);
    if (x.pareto) frontPts.push_back(pt);
  }
  // Candidates far inside the target (retail's at 0.006 to 0.25 of it) on a linear axis
  // that must reach the SLO at 1 were squeezed into its first 15%, the winner's marker half
  // cut by the axis at 0: from below a fifth of the target, a log axis.
  const bool logX = std::isfinite(xmin) && xmin > 0 && xmin < 0.2;
  const double xlo = logX ? xmin / 2 : 0, xhi = logX ? std::min(xmax * 1.5, 5.0) : std::min(xmax * 1.1, 5.0);
  std::sort(frontPts.begin(), frontPts.end(), [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); });
  for (const auto& p : frontPts) front->append(p);
  auto* target = new QLineSeries;
  target->setName(QStringLiteral("SLO"));
  QPen dashed(QColor(0xc0, 0x30, 0x30));
  dashed.setStyle(Qt::DashLine);
  dashed.setWidth(2);
  target->setPen(dashed);
  const double top = ymax > 0 ? ymax * 1.1 : 1.0;
  // Beyond a thousand points, keep one point per marker-sized cell of the plot (the cloud
  // looks the same; the winner and the front are separate series, always complete).
  const std::size_t total = feasiblePts.size() + rejectedPts.size();
  const bool thin = total > 1000;
  auto fill = [&](QXYSeries* series, const std::vector<QPointF>& pts) {
    if (!thin) {
      series->replace(QList<QPointF>(pts.begin(), pts.end()));
      return;
    }
    constexpr int kCellsX = 160, kCellsY = 80;  // about the size of a marker on a full-width chart
    std::vector<bool> used(static_cast<std::size_t>(kCellsX) * kCellsY, false);
    QList<QPointF> kept;
    for (const QPointF& p : pts) {
      const double fx = logX ? std::log(p.x() / xlo) / std::log(xhi / xlo) : p.x() / xhi;
      const int cx = std::clamp(static_cast<int>(fx * kCellsX), 0, kCellsX - 1);
      const int cy = std::clamp(static_cast<int>(p.y() / top * kCellsY), 0, kCellsY - 1);
      const std::size_t cell = static_cast<std::size_t>(cy) * kCellsX + static_cast<std::size_t>(cx);
      if (!used[cell]) {
        used[cell] = true;
        kept.push_back(p);
      }
    }
    series->replace(kept);
  };
  // Qt Charts makes a QGraphicsItem for every marker of a scatter series (created at each
  // layout, and a painter save and restore each at every paint): thinned to ~6,500 cells,
  // 10,000 candidates still drew in 60-85 ms. Beyond a thousand points the cloud is a line
  // series without a line whose points are light markers (Qt 6.2: a small image the series
  // paints at each point itself, without items; hovering still finds the point).
  QXYSeries* feasibleCloud = feasible;
  QXYSeries* rejectedCloud = rejected;
  if (thin) {
    auto cloud = [&](QScatterSeries*& scatter) {
      auto* l = new QLineSeries;
      l->setName(scatter->name());
      l->setMarkerSize(4);
      delete scatter;
      scatter = nullptr;
      return l;
    };
    feasibleCloud = cloud(feasible);
    rejectedCloud = cloud(rejected);
    c->setTitle(c->title() + QStringLiteral(" — %1 candidates").arg(total));
  }
  fill(feasibleCloud, feasiblePts);
  fill(rejectedCloud, rejectedPts);
  if (thin) {
    // A square marker of the series' colour (set before the series joins the chart: set
    // after, each change lays the series' points out again), and no line between points.
    // The colour the theme gives the feasible scatter series below a thousand points (its
    // third series): Qt's light theme 0xf6a625, its dark theme 0xeb8817.
    const QColor feasibleColour = darkPalette() ? QColor(0xeb, 0x88, 0x17) : QColor(0xf6, 0xa6, 0x25);
    for (QXYSeries* series : {feasibleCloud, rejectedCloud}) {
      const QColor colour = series == rejectedCloud ? QColor(0xb0, 0xb0, 0xb0) : feasibleColour;
      QImage marker(8, 8, QImage::Format_ARGB32_Premultiplied);
      marker.fill(colour);
      series->setLightMarker(marker);
      QPen none(colour);
      none.setStyle(Qt::NoPen);
      series->setPen(none);
    }
  }
  for (QXYSeries* s : std::initializer_list<QXYSeries*>{front, rejectedCloud, feasibleCloud, winner, target}) c->addSeries(s);
  QAbstractAxis* ax = nullptr;
  if (logX) {
    auto* l = new QLogValueAxis;
    l->setBase(10);
    l->setMinorTickCount(-1);
    l->setLabelFormat("%g");
    l->setRange(xlo, xhi);
    l->setTitleText(QStringLiteral("worst latency (or makespan) / target, log scale"));
    ax = l;
  } else {
    auto* v = new QValueAxis;
    v->setTitleText(QStringLiteral("worst latency (or makespan) / target"));
    v->setRange(xlo, xhi);
    v->applyNiceNumbers();
    v->setLabelFormat("%g");
    ax = v;
  }
  auto* ay = new QValueAxis;
  ay->setTitleText(QStringLiteral("TCO %1").arg(scale.unit));
  ay->setRange(0, top);
  ay->applyNiceNumbers();
  ay->setLabelFormat("%g");
  target->append(1.0, 0);
  target->append(1.0, ay->max());
  c->addAxis(ax, Qt::AlignBottom);
  c->addAxis(ay, Qt::AlignLeft);
  for (QAbstractSeries* s : c->series()) {
    s->attachAxis(ax);
    s->attachAxis(ay);
  }
  // Hovering names the candidate drawn nearest the cursor (see ParetoHover): the same for
  // the scatter series below a thousand points and the light-marker clouds above.
  auto* hover = new ParetoHover(c, winner, std::move(labels));
  hover->setArea(c->plotArea());
  QObject::connect(c, &QChart::plotAreaChanged, hover, [hover](const QRectF& area) { hover->setArea(area); });
  if (xmax > 5.0) c->setTitle(c->title() + QStringLiteral(" (x axis cut at 5)"));
  return c;
}

QChart* utilisationChart(const PlanOutcome& o) {
  // An LLM replica's busy share is the arithmetic it uses (stepping share x arithmetic while
  // stepping, as `hwplan recommend` says), not its slot-time: say which is drawn.
  const auto& streams = o.scenario.streams;
  const bool llm = hw::has_llm_stream(o.scenario);
  const bool allLlm = llm && std::all_of(streams.begin(), streams.end(), [](const hw::Stream& x) { return x.llm.has_value(); });
  QChart* c = newChart(allLlm ? QStringLiteral("Utilisation per tier (LLM replicas: share of the arithmetic used, not of the time stepping)")
                       : llm  ? QStringLiteral("Utilisation per tier (busy slot-time / available; LLM replicas: share of the arithmetic used)")
                              : QStringLiteral("Utilisation per tier (busy slot-time / available)"));
  const auto shown = chartedCandidates(o);
  if (shown.empty()) {
    emptyNote(c, QStringLiteral("nothing was simulated"));
    return c;
  }
  auto* series = new QHorizontalBarSeries;
  auto* edge = new QBarSet(QStringLiteral("edge tier"));
  auto* dc = new QBarSet(QStringLiteral("data-centre tier"));
  std::vector<double> e, d;
  for (std::size_t i : shown) {
    const auto& r = o.plan.candidates[i].report;
    e.push_back(r.run.edge.utilisation * 100);
    d.push_back(r.run.dc.utilisation * 100);
  }
  appendReversed(edge, e);
  appendReversed(dc, d);
  // A tier no charted candidate has is left out (LLM serving, all GPU-central: the legend had
  // an "edge tier" with no bar).
  const auto has = [&](hw::Family without) {
    return std::any_of(shown.begin(), shown.end(), [&](std::size_t i) { return o.plan.candidates[i].report.candidate.spec.family != without; });
  };
  const bool edgeTier = has(hw::Family::gpu) || std::any_of(e.begin(), e.end(), [](double v) { return v > 0; });
  const bool dcTier = has(hw::Family::edge) || std::any_of(d.begin(), d.end(), [](double v) { return v > 0; });
  if (edgeTier || !dcTier) {
    series->append(edge);
  } else {
    delete edge;
  }
  if (dcTier || !edgeTier) {
    series->append(dc);
  } else {
    delete dc;
  }
  attachHorizontal(c, series, categories(o, shown), QStringLiteral("%"));
  return c;
}

QChart* powerChart(const PlanOutcome& o) {
  // During the run, before PUE: not the candidates table's figures, which are averaged over
  // the year (a batch run's draw spread over its hours in the year), an owned data centre's
  // with PUE (the edge units' at the wall: sim/plan/evaluate.cpp), and leave a rented tier's
  // draw out of the power paid for (it is in the rent).
  QChart* c = newChart(QStringLiteral("Average IT power per tier during the simulated run (before PUE)"));
  const auto shown = chartedCandidates(o);
  if (shown.empty()) {
    emptyNote(c, QStringLiteral("nothing was simulated"));
    return c;
  }
  c->setTitle(c->title() + QStringLiteral("<br>") +
              wrappedSubtitle(QStringLiteral("The table's power columns are year averages: the edge units at the wall, an owned "
                                             "data centre x PUE; a rented data-centre tier's "
                                             "power is paid in the rent ('rented power W'), not as electricity.")));
  auto* series = new QHorizontalStackedBarSeries;
  auto* edge = new QBarSet(QStringLiteral("edge tier"));
  auto* dc = new QBarSet(QStringLiteral("data-centre tier (owned)"));
  auto* rented = new QBarSet(QStringLiteral("data-centre tier (rented: in the rent)"));
  rented->setColor(QColor(0x9a, 0x9a, 0xb8));
  std::vector<double> e, d, rt;
  bool anyRented = false, anyOwned = false;
  for (std::size_t i : shown) {
    const auto& r = o.plan.candidates[i].report;
    const bool isRented = r.rented_power_w > 0;
    anyRented = anyRented || isRented;
    anyOwned = anyOwned || (!isRented && r.run.dc.avg_power_w > 0);
    e.push_back(r.run.edge.avg_power_w / 1e3);
    d.push_back(isRented ? 0 : r.run.dc.avg_power_w / 1e3);
    rt.push_back(isRented ? r.run.dc.avg_power_w / 1e3 : 0);
  }
  appendReversed(edge, e);
  appendReversed(dc, d);
  appendReversed(rented, rt);
  series->append(edge);
  // Owned and rented sets only where some candidate has one (both when neither: the owned
  // set keeps its place in the legend).
  if (anyOwned || !anyRented) {
    series->append(dc);
  } else {
    delete dc;
  }
  if (anyRented) {
    series->append(rented);
  } else {
    delete rented;
  }
  attachHorizontal(c, series, categories(o, shown), QStringLiteral("kW"));
  return c;
}

QChart* latencyChart(const PlanOutcome& o) {
  QChart* c = newChart(QStringLiteral("Latency of the worst stream (ms) against its SLO"));
  std::vector<std::size_t> shown;
  bool llm = false;  // an LLM stream's latency is its time to first token (TTFT)
  for (std::size_t i : chartedCandidates(o)) {
    const auto& r = o.plan.candidates[i].report;
    if (!r.run.streams.empty() && r.run.streams[r.worst_stream].completed > 0) {
      shown.push_back(i);
      llm = llm || r.run.streams[r.worst_stream].llm.has_value();
    }
  }
  if (llm) c->setTitle(QStringLiteral("Time to first token (TTFT) of the worst stream (ms) against its TTFT target (TPOT: in the recommendation's "
                                    "'LLM serving' paragraph)"));
  if (shown.empty()) {
    emptyNote(c, QStringLiteral("no stream (batch jobs only)"));
    return c;
  }
  auto* series = new QHorizontalBarSeries;
  struct Part {
    const char* name;
    hw::Estimate hw::StreamResult::*field;
  };
  for (const Part& p : {Part{"p50", &hw::StreamResult::p50_s}, Part{"p95", &hw::StreamResult::p95_s}, Part{"p99", &hw::StreamResult::p99_s}}) {
    auto* set = new QBarSet(llm ? QStringLiteral("TTFT ") + QString::fromLatin1(p.name) : QString::fromLatin1(p.name));
    std::vector<double> v;
    for (std::size_t i : shown) {
      const auto& r = o.plan.candidates[i].report;
      v.push_back((r.run.streams[r.worst_stream].*(p.field)).value * 1e3);
    }
    appendReversed(set, v);
    series->append(set);
  }
  auto* slo = new QBarSet(QStringLiteral("SLO bound"));
  slo->setColor(QColor(0xc0, 0x30, 0x30));
  std::vector<double> v;
  for (std::size_t i : shown) {
    const auto& r = o.plan.candidates[i].report;
    v.push_back(r.run.streams[r.worst_stream].slo_latency_s * 1e3);
  }
  appendReversed(slo, v);
  series->append(slo);
  attachHorizontal(c, series, categories(o, shown), QStringLiteral("ms"));
  return c;
}

QChart* sensitivityChart(const PlanOutcome& o) {
  QChart* c = newChart(QStringLiteral("Winner's TCO when load or prices change"));
  if (!o.plan.winner || o.plan.sensitivity.empty()) {
    emptyNote(c, o.plan.winner ? QStringLiteral("sensitivity not run") : QStringLiteral("no recommendation"));
    return c;
  }
  QStringList cats;
  std::vector<double> same, changed;
  const auto& w = o.plan.candidates[*o.plan.winner].report;
  double top = w.cost.tco;
  for (const auto& sc : o.plan.sensitivity) top = std::max(top, sc.winner_tco);
  const MoneyScale scale = moneyScale(o, top);
  QStringList none;  // the cases with nothing feasible, each with the closest candidate's reason
  // The winner as the cases name theirs (the planner's choice, "loop edge X", without the
  // size a label carries): from a case that kept it, else the other charts' short name.
  QString given;
  for (const auto& sc : o.plan.sensitivity) {
    if (!sc.changes && !sc.winner.empty()) {
      given = QString::fromStdString(sc.winner);
      break;
    }
  }
  if (given.isEmpty()) given = shortLabel(o, *o.plan.winner).remove(QStringLiteral("★ "));
  cats << QStringLiteral("as given: %1").arg(given);
  same.push_back(w.cost.tco * scale.factor);
  changed.push_back(0);
  for (const auto& sc : o.plan.sensitivity) {
    cats << QStringLiteral("%1: %2").arg(QString::fromStdString(sc.name),
                                         sc.winner.empty() ? QStringLiteral("nothing feasible (why: above)") : QString::fromStdString(sc.winner));
    if (sc.winner.empty()) {
      none << QStringLiteral("%1: nothing feasible%2")
                  .arg(QString::fromStdString(sc.name),
                       sc.why_none.empty() ? QString() : QStringLiteral("; closest %1").arg(QString::fromStdString(sc.why_none)));
    }
    same.push_back(sc.changes ? 0 : sc.winner_tco * scale.factor);
    changed.push_back(sc.changes ? sc.winner_tco * scale.factor : 0);
  }
  std::reverse(cats.begin(), cats.end());
  auto* series = new QHorizontalStackedBarSeries;
  auto* a = new QBarSet(QStringLiteral("same winner"));
  auto* b = new QBarSet(QStringLiteral("winner changes"));
  b->setColor(QColor(0xe0, 0x80, 0x20));
  appendReversed(a, same);
  appendReversed(b, changed);
  series->append(a);
  series->append(b);
  attachHorizontal(c, series, cats, QStringLiteral("TCO %1").arg(scale.unit));
  // Subtitle lines, wrapped (a chart title does not wrap): the crossover, then why each
  // case with nothing feasible has none (its bar is empty).
  QString title = c->title();
  if (!o.plan.crossover.empty()) title += QStringLiteral("<br>") + wrappedSubtitle(QStringLiteral("crossover: ") + QString::fromStdString(o.plan.crossover));
  for (const QString& line : none) title += QStringLiteral("<br>") + wrappedSubtitle(line);
  c->setTitle(title);
  return c;
}

QString whyNoDistribution(const PlanOutcome& o) {
  if (o.scenario.streams.empty()) return QStringLiteral("this scenario has batch jobs only, no stream");
  const auto& p = o.plan;
  const auto ref = p.winner ? p.winner : p.closest;
  if (!ref) return {};
  const auto& r = p.candidates[*ref].report;
  if (!r.run.streams.empty() && r.run.streams[r.worst_stream].llm) {
    return QStringLiteral("stream '%1' is LLM serving, whose TTFT and TPOT are point estimates (p50, p99: in the recommendation's "
                          "'LLM serving' paragraph and the Latency tab); no histogram is kept")
        .arg(QString::fromStdString(r.run.streams[r.worst_stream].id));
  }
  return {};
}

QChart* distributionChart(const PlanOutcome& o) {
  QChart* c = newChart(QStringLiteral("Latency distribution"));
  const auto& p = o.plan;
  const auto ref = p.winner ? p.winner : p.closest;
  if (!ref || p.candidates[*ref].report.run.streams.empty()) {
    emptyNote(c, QStringLiteral("no stream (batch jobs only)"));
    return c;
  }
  const auto& refRun = p.candidates[*ref].report;
  const hw::StreamResult& refStream = refRun.run.streams[refRun.worst_stream];
  const std::string stream = refStream.id;
  auto* ax = new QLogValueAxis;
  ax->setTitleText(QStringLiteral("latency (ms), log scale"));
  ax->setLabelFormat("%g");
  ax->setBase(10);
  ax->setMinorTickCount(-1);
  auto* ay = new QValueAxis;
  ay->setTitleText(QStringLiteral("% of requests"));  // per bin: the title says the bins
  ay->setLabelFormat("%g");
  double lo = refStream.slo_latency_s * 1e3, hi = lo, top = 0;
  int drawn = 0;
  for (std::size_t i : chartedCandidates(o, 6)) {
    const auto& runs = p.candidates[i].report.run.streams;
    auto it = std::find_if(runs.begin(), runs.end(), [&](const hw::StreamResult& r) { return r.id == stream; });
    if (it == runs.end() || it->latency_counts.empty() || it->completed == 0) continue;
    auto* line = new QLineSeries;
    line->setName(shortLabel(o, i));
    const double n = static_cast<double>(it->completed);
    // A step line: each bin flat from its lower to its upper edge.
    for (std::size_t b = 0; b < it->latency_counts.size(); ++b) {
      const double share = static_cast<double>(it->latency_counts[b]) / n * 100;
      line->append(it->latency_edges_s[b] * 1e3, share);
      line->append(it->latency_edges_s[b + 1] * 1e3, share);
      top = std::max(top, share);
    }
    lo = std::min(lo, it->latency_edges_s.front() * 1e3);
    hi = std::max(hi, it->latency_edges_s.back() * 1e3);
    if (o.plan.winner && *o.plan.winner == i) {
      // Thick, in the text colour: black on the light theme, near-white on the dark one
      // (black there vanished into the background).
      QPen pen(darkPalette() ? QColor(0xf0, 0xf0, 0xf0) : QColor(Qt::black));
      pen.setWidth(3);
      line->setPen(pen);
    }
    c->addSeries(line);
    ++drawn;
  }
  if (drawn == 0) {
    delete ax;
    delete ay;
    // Say why: an LLM stream keeps point estimates of TTFT and TPOT, no histogram; else no
    // charted run of the stream completed a request.
    emptyNote(c, refStream.llm ? QStringLiteral("stream '%1' is LLM serving: its TTFT and TPOT are point estimates (p50, p99: in the recommendation's "
                                                "'LLM serving' paragraph and the Latency tab), no histogram is kept")
                                     .arg(QString::fromStdString(stream))
                               : QStringLiteral("no charted run of stream '%1' completed a request, so no histogram").arg(QString::fromStdString(stream)));
    return c;
  }
  ay->setRange(0, top * 1.1);
  ay->applyNiceNumbers();
  auto* slo = new QLineSeries;
  slo->setName(QStringLiteral("SLO: p%1 ≤ %2 ms").arg(refStream.slo_percentile, 0, 'g', 4).arg(refStream.slo_latency_s * 1e3, 0, 'g', 4));
  QPen dashed(QColor(0xc0, 0x30, 0x30));
  dashed.setStyle(Qt::DashLine);
  dashed.setWidth(2);
  slo->setPen(dashed);
  slo->append(refStream.slo_latency_s * 1e3, 0);
  slo->append(refStream.slo_latency_s * 1e3, ay->max());
  c->addSeries(slo);
  ax->setRange(lo / 1.2, hi * 1.2);
  c->addAxis(ax, Qt::AlignBottom);
  c->addAxis(ay, Qt::AlignLeft);
  for (QAbstractSeries* s : c->series()) {
    s->attachAxis(ax);
    s->attachAxis(ay);
  }
  logAxisLabels(c, ax, ax->titleText(), QString(), Qt::AlignBottom);
  c->setTitle(QStringLiteral("Latency distribution of stream '%1' (share of requests in bins of 1/10 decade)").arg(QString::fromStdString(stream)));
  return c;
}

namespace {
// A family in a legend in the CLI's words (hw::deployment_label): "edge-only", "GPU-central";
// a hybrid as "hybrid (split pipeline)" (its deployment label is a sentence).
QString familyLegend(const hw::Scenario& s, hw::Family f) {
  return f == hw::Family::hybrid ? familyShort(s, f) : familyWords(s, f);
}
}  // namespace

QChart* loadCurveChart(const PlanOutcome& o) {
  QChart* c = newChart(QStringLiteral("Each family's best TCO against load"));
  if (!o.loadCurve) {
    emptyNote(c, QStringLiteral("load curve not planned: 'Plan the load curve' above this chart or in the Run menu plans it "
                                "(Edit > Preferences: after each run)"));
    return c;
  }
  const LoadCurve& curve = *o.loadCurve;
  // Cancelled: the loads planned by then are drawn (the axis spans every load asked for, so
  // the loads missing show as such) and the title says so and how to resume.
  const std::size_t asked = std::max(curve.loads.size(), curve.points.size());
  const QString cancelled = curve.cancelled ? QStringLiteral("cancelled after %1 of %2 loads: 'Resume the load curve' above this chart "
                                                             "or in the Run menu plans the rest (the loads done come from the cache)")
                                                  .arg(curve.points.size())
                                                  .arg(asked)
                                            : QString();
  if (curve.points.size() < 2) {
    emptyNote(c, curve.cancelled ? cancelled : QStringLiteral("too few loads"));
    return c;
  }
  const auto& pts = curve.points;
  double top = 0, least = 0;
  for (const auto& pt : pts) {
    for (const auto& b : pt.best) {
      top = std::max(top, b.tco);
      if (b.tco > 0 && (least == 0 || b.tco < least)) least = b.tco;
    }
  }
  const MoneyScale scale = moneyScale(o, top);
  auto* ax = new QLogValueAxis;
  ax->setBase(2);
  ax->setLabelFormat("x%g");
  // What the load factor scales (docs/model.md, sensitivity): each stream's rate, each batch
  // job's work (FLOP, bytes, dataset, samples, steps).
  const bool streams = !o.scenario.streams.empty(), jobs = !o.scenario.batch_jobs.empty();
  ax->setTitleText(streams && jobs ? QStringLiteral("load (every stream's rate and batch job's work x), log scale")
                   : jobs          ? QStringLiteral("load (every batch job's work x), log scale")
                                   : QStringLiteral("load (every stream's rate x), log scale"));
  const double firstLoad = curve.loads.empty() ? pts.front().load : std::min(curve.loads.front(), pts.front().load);
  const double lastLoad = curve.loads.empty() ? pts.back().load : std::max(curve.loads.back(), pts.back().load);
  ax->setRange(firstLoad / 1.05, lastLoad * 1.05);
  ax->setMinorTickCount(-1);
  // The TCO axis: linear from 0, or logarithmic, by the Pareto chart's rule for its latency
  // axis (log when points lie below a fifth of the reference there, the target; here of the
  // highest TCO): on a linear axis up to 400k USD a winner at 1-5k USD (scientific-batch, GPU
  // against a 28-box edge fleet) was drawn flat on zero.
  const bool logY = least > 0 && least < top / 5;
  QAbstractAxis* ay = nullptr;
  double yLo = 0, yHi = 1;
  if (logY) {
    auto* l = new QLogValueAxis;
    l->setBase(10);
    l->setMinorTickCount(-1);
    l->setLabelFormat("%g");
    l->setRange(least * scale.factor / 1.3, top * scale.factor * 1.3);
    l->setTitleText(QStringLiteral("TCO %1, log scale").arg(scale.unit));
    yLo = l->min();
    yHi = l->max();
    ay = l;
  } else {
    auto* v = new QValueAxis;
    v->setTitleText(QStringLiteral("TCO %1").arg(scale.unit));
    v->setLabelFormat("%g");
    v->setRange(0, top > 0 ? top * scale.factor * 1.1 : 1);
    v->applyNiceNumbers();
    yLo = v->min();
    yHi = v->max();
    ay = v;
  }
  const QColor familyColour[] = {QColor(0x2a, 0x7a, 0xc0), QColor(0x76, 0x3e, 0xb0), QColor(0xd0, 0x80, 0x20)};
  // The interval(s) where the cheapest family changes between two sampled loads, and apart
  // from them, in grey, the loads where nothing is feasible (from the last sampled load with
  // a feasible candidate to the next one that has one, or the axis end): the end of
  // feasibility is no change of family. Where the planner's bisection found the load at which
  // feasibility ends (loadFeasibilityEnd) between those samples, the band starts (or, when
  // less load ends it, stops) there, as its dashed line: from the last feasible sample it
  // shaded x1.41 to x1.83 as infeasible where the planner found the winner feasible up to x1.76.
  const auto feasibilityEnd = loadFeasibilityEnd(o.plan);
  auto band = [&](double from, double to, const QString& name, const QColor& colour) {
    auto* upper = new QLineSeries;
    upper->append(from, yHi);
    upper->append(to, yHi);
    // Its lower edge at the axis' foot (0 on a linear axis, which a log axis cannot draw).
    auto* lower = new QLineSeries;
    lower->append(from, yLo);
    lower->append(to, yLo);
    auto* area = new QAreaSeries(upper, lower);
    area->setName(name);
    area->setColor(colour);
    area->setBorderColor(Qt::transparent);
    c->addSeries(area);
  };
  for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
    const auto& a = pts[i].best;
    const auto& b = pts[i + 1].best;
    if (!a.empty() && !b.empty() && a.front().family != b.front().family)
      band(pts[i].load, pts[i + 1].load, QStringLiteral("cheapest family changes"), QColor(0xf0, 0xc0, 0x40, 70));
  }
  for (std::size_t i = 0; i < pts.size();) {
    if (!pts[i].best.empty()) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j + 1 < pts.size() && pts[j + 1].best.empty()) ++j;
    double from = i > 0 ? pts[i - 1].load : ax->min();
    double to = j + 1 < pts.size() ? pts[j + 1].load : ax->max();
    bool planner = false;
    if (feasibilityEnd) {
      const double at = feasibilityEnd->firstNone;
      if (feasibilityEnd->upward && i > 0 && at > from && at <= pts[i].load) {
        from = at;
        planner = true;
      } else if (!feasibilityEnd->upward && j + 1 < pts.size() && at < to && at >= pts[j].load) {
        to = at;
        planner = true;
      }
    }
    band(from, to, planner ? QStringLiteral("nothing feasible") : QStringLiteral("nothing feasible (sampled loads)"), QColor(0x80, 0x80, 0x80, 70));
    i = j + 1;
  }
  auto* cheapest = new QScatterSeries;
  cheapest->setName(QStringLiteral("cheapest at that load"));
  cheapest->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
  cheapest->setMarkerSize(13);
  cheapest->setColor(QColor(0x1b, 0x9e, 0x3e));
  for (hw::Family f : {hw::Family::edge, hw::Family::gpu, hw::Family::hybrid}) {
    auto* line = new QLineSeries;
    line->setName(familyLegend(o.scenario, f));
    QPen pen(familyColour[static_cast<int>(f)]);
    pen.setWidth(2);
    line->setPen(pen);
    line->setPointsVisible(true);
    bool any = false;
    for (const auto& pt : pts) {
      auto it = std::find_if(pt.best.begin(), pt.best.end(), [f](const FamilyBest& b) { return b.family == f; });
      if (it == pt.best.end()) continue;  // nothing of this family is feasible at this load
      line->append(pt.load, it->tco * scale.factor);
      if (it == pt.best.begin()) cheapest->append(pt.load, it->tco * scale.factor);
      any = true;
    }
    if (any) {
      c->addSeries(line);
    } else {
      delete line;
    }
  }
  c->addSeries(cheapest);
  QString title = c->title();
  if (o.plan.crossover_load) {
    // The planner's bisection: a winner change (red), or the load beyond which nothing is
    // feasible (grey), which is no change of winner.
    const auto end = loadFeasibilityEnd(o.plan);
    auto* x = new QLineSeries;
    QPen dashed(end ? QColor(0x60, 0x60, 0x60) : QColor(0xc0, 0x30, 0x30));
    if (end) {
      x->setName(QStringLiteral("nothing feasible (planner): from x%1%2").arg(end->firstNone, 0, 'g', 3).arg(end->upward ? QString() : QStringLiteral(" down")));
    } else {
      x->setName(QStringLiteral("winner changes (planner): x%1").arg(*o.plan.crossover_load, 0, 'g', 3));
    }
    dashed.setStyle(Qt::DashLine);
    dashed.setWidth(2);
    x->setPen(dashed);
    const double at = end ? end->firstNone : *o.plan.crossover_load;
    x->append(at, yLo);
    x->append(at, yHi);
    c->addSeries(x);
  }
  if (!o.plan.crossover.empty()) title += QStringLiteral("<br>") + wrappedSubtitle(QString::fromStdString(o.plan.crossover));
  if (curve.cancelled) title += QStringLiteral("<br>") + wrappedSubtitle(QStringLiteral("Load curve ") + cancelled);
  c->setTitle(title);
  c->addAxis(ax, Qt::AlignBottom);
  c->addAxis(ay, Qt::AlignLeft);
  for (QAbstractSeries* s : c->series()) {
    s->attachAxis(ax);
    s->attachAxis(ay);
  }
  if (logY) logAxisLabels(c, static_cast<QLogValueAxis*>(ay), ay->titleText(), QString(), Qt::AlignLeft);
  // Each kind of band's legend entry once.
  QStringList bandsShown;
  for (QLegendMarker* m : c->legend()->markers()) {
    if (m->series()->type() != QAbstractSeries::SeriesTypeArea) continue;
    m->setVisible(!bandsShown.contains(m->series()->name()));
    bandsShown << m->series()->name();
  }
  return c;
}

QSize chartMinimumSize(const QChart* c) {
  if (!c) return {};
  // The title as Qt draws it: rich text, a line per <br>.
  QTextDocument title;
  title.setDefaultFont(c->titleFont());
  title.setDocumentMargin(0);
  title.setHtml(c->title());
  const QSizeF titleSize = c->title().isEmpty() ? QSizeF() : title.size();
  int legendH = 0, legendW = 0;
  // A legend beside the plot (placeLegend) is a column: as wide as its widest entry, beside
  // the plot rather than under it.
  int sideW = 0, sideH = 0;
  const bool beside = c->legend()->isVisible() && (c->legend()->alignment() & (Qt::AlignLeft | Qt::AlignRight));
  if (c->legend()->isVisible()) {
    const QFontMetrics fm(c->legend()->font());
    int entries = 0;
    for (const QLegendMarker* m : c->legend()->markers()) {
      if (!m->isVisible()) continue;
      const int entryW = fm.horizontalAdvance(m->label()) + fm.height() + 16;  // marker, label, spacing
      legendW += entryW;
      sideW = std::max(sideW, entryW + 8);
      ++entries;
    }
    legendH = legendW > 0 ? fm.height() + 16 : 0;
    sideH = entries * (fm.height() + 8) + 16;
    if (beside) legendW = legendH = 0;
  }
  // Each axis: its labels (the widest for a vertical one) and its title, with Qt's padding.
  int left = 0, right = 0, bottom = 0, top = 0, rows = 0, alongX = 0, alongY = 0;
  for (const QAbstractAxis* a : c->axes()) {
    if (!a->isVisible()) continue;
    const QFontMetrics lf(a->labelsFont());
    const QFontMetrics tf(a->titleFont());
    const bool titled = !a->titleText().isEmpty() && a->isTitleVisible();
    const int titleH = titled ? tf.height() + 6 : 0;
    // The title runs along its axis: the plot at least as long as it (Qt cut "share of
    // requests per bin (%)" to "share of reques..." beside a plot 170 px high).
    const int titleW = titled ? tf.horizontalAdvance(QTextDocumentFragment::fromHtml(a->titleText()).toPlainText()) + 12 : 0;
    (a->orientation() == Qt::Horizontal ? alongX : alongY) = std::max(a->orientation() == Qt::Horizontal ? alongX : alongY, titleW);
    if (a->orientation() == Qt::Horizontal) {
      const int h = lf.height() + titleH + 14;
      (a->alignment() == Qt::AlignTop ? top : bottom) += h;
    } else {
      int labelW = lf.horizontalAdvance(QStringLiteral("0000.0"));  // a value axis's widest tick
      if (auto* b = qobject_cast<QBarCategoryAxis*>(const_cast<QAbstractAxis*>(a))) {  // count() and categories() are not const
        rows = std::max(rows, static_cast<int>(b->count()));
        for (const QString& cat : b->categories()) labelW = std::max(labelW, lf.horizontalAdvance(cat));
      }
      const int w = labelW + titleH + 20;
      (a->alignment() == Qt::AlignRight ? right : left) += w;
    }
  }
  const int lineH = QFontMetrics(c->font()).height();
  // A bar per category at least a text line high with a gap, else a plot of eight lines.
  const int plotH = std::max({8 * lineH, rows * (lineH + 8), alongY, beside ? sideH - top - bottom : 0});
  const int plotW = std::max(320, alongX);
  const QMargins m = c->margins();
  constexpr int kLayout = 2 * 20 + 8;  // Qt's chart layout margins and spacing, and the view's frame
  const int h = m.top() + m.bottom() + kLayout + static_cast<int>(std::ceil(titleSize.height())) + legendH + top + bottom + plotH;
  // Qt gives the vertical axes at most about 40% of the chart's width and cuts longer
  // category names ("...srv (rej..." in a chart 840 px wide): the width for them at 38%.
  const int w = m.left() + m.right() + kLayout +
                std::max({left + right + plotW + (beside ? sideW : 0), static_cast<int>(std::ceil((left + right) / 0.38)),
                          // Qt gives a legend beside the plot at most 40% of the width too
                          // (ChartLayout's golden_ratio) and cuts longer entries.
                          beside ? static_cast<int>(std::ceil(sideW / 0.38)) : 0, static_cast<int>(std::ceil(titleSize.width())), legendW});
  return {w, h};
}

QSize placeLegend(QChart* chart, int width) {
  if (!chart) return {};
  chart->legend()->setAlignment(Qt::AlignBottom);
  const QSize under = chartMinimumSize(chart);
  if (under.width() <= width || !chart->legend()->isVisible()) return under;
  chart->legend()->setAlignment(Qt::AlignRight);
  const QSize beside = chartMinimumSize(chart);
  if (beside.width() < under.width()) return beside;
  chart->legend()->setAlignment(Qt::AlignBottom);
  return under;
}

QChart* makeChart(ChartKind kind, const PlanOutcome& o) {
  switch (kind) {
    case ChartKind::Tco: return tcoChart(o);
    case ChartKind::Pareto: return paretoChart(o);
    case ChartKind::Utilisation: return utilisationChart(o);
    case ChartKind::Power: return powerChart(o);
    case ChartKind::Latency: return latencyChart(o);
    case ChartKind::Distribution: return distributionChart(o);
    case ChartKind::Sensitivity: return sensitivityChart(o);
    case ChartKind::LoadCurve: return loadCurveChart(o);
  }
  return nullptr;
}

}  // namespace hwgui
