// The charts of a plan (Qt Charts), each built from the plan's figures as the planner
// computed them. Each function returns a new chart that the caller (or the QChartView it
// is given to) owns.
#pragma once

#include <QColor>
#include <QPointF>
#include <QSize>
#include <QString>
#include <vector>

#include "gui/plan_data.hpp"

class QChart;

namespace hwgui {

enum class ChartKind { Tco, Pareto, Utilisation, Power, Latency, Distribution, Sensitivity, LoadCurve };

struct ChartInfo {
  ChartKind kind;
  QString id;     // file-name friendly: "tco", "pareto", ...
  QString title;  // for tabs and the report
};
const std::vector<ChartInfo>& chartKinds();

// Candidates shown in the bar charts: the feasible ones cheapest first, then the rejected
// ones that were simulated, at most `max` in all.
std::vector<std::size_t> chartedCandidates(const PlanOutcome& o, std::size_t max = 12);

// The kinds of yearly cost (hw::CostBreakdown) that the cost charts stack, in this order:
// capex/amortisation, energy, bandwidth, maintenance (site visits included), retraining and rented data-centre
// GPU-hours. Their sum is capex_per_year + opex_per_year, so TCO = the sum x the horizon.
struct CostKind {
  QString name;
  double hw::CostBreakdown::*field;
  QColor colour;  // the same on the Results and Compare pages, in either palette
};
const std::vector<CostKind>& costKinds();

// Large figures on an axis in units, thousands or millions, so that ticks read "1.2", not
// "1.2e+06" (Qt's "%g" above 999,999): multiply by `factor`, put `prefix` before the unit in
// the axis title ("k USD", "M items/s"). Below 10,000 the figures stay as they are.
struct AxisScale {
  double factor = 1;
  QString prefix;  // "", "k " or "M "
};
AxisScale axisScale(double maxAbs);

// TCO per year by kind (costKinds()).
QChart* tcoChart(const PlanOutcome& o);
// TCO against worst latency / SLO (1 = on target), feasible and rejected, the Pareto front
// as a line, the winner marked.
QChart* paretoChart(const PlanOutcome& o);
// Hovering the Pareto chart shows the label of the candidate drawn nearest the cursor, within
// kParetoHoverRadius pixels (a marker's half-width at most). paretoLabelAt is that lookup:
// `pos` in the chart's own coordinates (as QChart::mapToPosition gives), empty if no point is
// that close or `chart` is not a Pareto chart. paretoHoverText is the label the last hover
// showed (empty after the cursor left the points or the plot).
inline constexpr double kParetoHoverRadius = 8;
QString paretoLabelAt(const QChart* chart, QPointF pos, double radius = kParetoHoverRadius);
QString paretoHoverText(const QChart* chart);
// Utilisation of the edge and data-centre tiers, per candidate.
QChart* utilisationChart(const PlanOutcome& o);
// Average power of the edge and data-centre tiers (before PUE), per candidate.
QChart* powerChart(const PlanOutcome& o);
// Worst stream's p50, p95 and p99 latency per candidate, against its SLO.
QChart* latencyChart(const PlanOutcome& o);
// The latency distribution (the run's histogram, as the share of requests per bin on a log
// time axis) of one stream, the winner's worst, for each charted candidate that ran it, with
// that stream's SLO bound as a vertical line.
QChart* distributionChart(const PlanOutcome& o);
// Why the latency distribution has nothing to draw, "" when it has: batch jobs only, or the
// reference stream (the winner's, else the closest's, worst) is LLM serving, whose TTFT and
// TPOT are point estimates (no histogram is kept). The Results tab is off and a report skips
// the chart's files for the same reason.
QString whyNoDistribution(const PlanOutcome& o);
// The winner's TCO in each sensitivity case; cases where the winner changes stand out.
QChart* sensitivityChart(const PlanOutcome& o);
// Each family's best TCO against load (the load curve: the scenario planned again at each
// load), the cheapest at each load marked, the planner's crossover load as a vertical line
// and the interval where the cheapest family changes shaded.
QChart* loadCurveChart(const PlanOutcome& o);

QChart* makeChart(ChartKind kind, const PlanOutcome& o);

// The smallest view in which `chart` draws every label whole: its title and subtitle lines,
// the legend, each axis's labels and title, and a plot tall enough for every category of a
// bar chart (Qt cuts what does not fit to "..." and hides category names that would
// overlap). The Results page keeps its chart views at least this size and scrolls below it.
QSize chartMinimumSize(const QChart* chart);
// The legend under the plot (one row) where the chart's minimum size with it fits `width`,
// else beside the plot (a column, on the right) where that is narrower: at 1008x660 the
// latency distribution of four candidates and its SLO line had a one-row legend wider than
// its tab, the SLO entry behind a scroll bar. Returns chartMinimumSize with the legend placed.
QSize placeLegend(QChart* chart, int width);

}  // namespace hwgui
