#include "gui/candidates_model.hpp"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>
#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/io/plan_report.hpp"
#include "sim/plan/evaluate.hpp"

namespace hwgui {

namespace {


double longestMakespan(const hw::RunResult& run) {
  double m = 0;
  for (const auto& j : run.jobs) m = std::max(m, j.makespan_s);
  return m;
}

// The deadline of the job that finished last (0 = none), as the CLI's table pairs them.
double deadlineOfLongest(const hw::RunResult& run) {
  double m = 0, d = 0;
  for (const auto& j : run.jobs) {
    if (j.makespan_s > m) {
      m = j.makespan_s;
      d = j.deadline_s;
    }
  }
  return d;
}

// `digits` significant digits without exponent form or trailing zeros, whole numbers from
// 10^digits up, as the CLI's sig(): "0.0488", "16.6", "119.6" (4), "1,234".
QString sigText(const QLocale& loc, double d, int digits) {
  const int decimals = d == 0 ? 0 : std::clamp(digits - 1 - static_cast<int>(std::floor(std::log10(std::abs(d)))), 0, 6);
  QString t = loc.toString(d, 'f', decimals);
  if (decimals > 0) {
    while (t.endsWith(QLatin1Char('0'))) t.chop(1);
    if (t.endsWith(loc.decimalPoint())) t.chop(loc.decimalPoint().size());
  }
  return t;
}

// A figure within 1% of its bound (a makespan near its deadline, a latency near its SLO)
// with as many more decimals as it takes not to round onto or over the bound: 119.996 h
// against 120 h reads "119.996", not "120", and 120.4 reads "120.4", not "120". Elsewhere,
// or exactly on the bound, `usual` as it is.
QString besideBound(const QLocale& loc, double v, double bound, const QString& usual) {
  if (!(bound > 0) || v == bound || std::abs(v - bound) > 0.01 * bound) return usual;
  const bool under = v < bound;
  const double shown = loc.toDouble(usual);
  if (under ? shown < bound : shown > bound) return usual;
  for (int decimals = 1; decimals <= 9; ++decimals) {
    QString t = loc.toString(v, 'f', decimals);
    const double r = loc.toDouble(t);
    if (under ? r < bound : r > bound) {
      while (t.endsWith(QLatin1Char('0'))) t.chop(1);
      if (t.endsWith(loc.decimalPoint())) t.chop(loc.decimalPoint().size());
      return t;
    }
  }
  return loc.toString(v, 'g', 12);
}

}  // namespace

CandidatesModel::CandidatesModel(QObject* parent) : QAbstractTableModel(parent) {}

void CandidatesModel::setOutcome(PlanOutcomePtr outcome) {
  beginResetModel();
  outcome_ = std::move(outcome);
  rows_.clear();
  if (outcome_) {
    const hw::Plan& p = outcome_->plan;
    int rank = 0;
    for (std::size_t i : p.ranking) rows_.push_back({i, ++rank});
    for (std::size_t i = 0; i < p.candidates.size(); ++i) {
      if (!p.candidates[i].report.feasible) rows_.push_back({i, 0});
    }
  }
  endResetModel();
}

int CandidatesModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(rows_.size()); }
int CandidatesModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant CandidatesModel::value(const Row& row, int column) const {
  const hw::Plan& p = outcome_->plan;
  const hw::SizedCandidate& x = p.candidates[row.candidate];
  const hw::CandidateReport& r = x.report;
  const hw::CandidateSpec& c = r.candidate.spec;
  const hw::StreamResult* st = hw::worst_completed(r);
  const bool sized = !x.screened_out && (!r.run.streams.empty() || !r.run.jobs.empty());
  // Measured and priced on a finished run only (one stopped by the event budget measured a
  // fragment); capex, the size's price, is shown either way, as in the CLI's tables.
  const bool priced = sized && !hw::run_failed(r);
  switch (column) {
    case Rank: return row.rank > 0 ? QVariant(row.rank) : QVariant();
    case Candidate: return QString::fromStdString(r.candidate.label);
    case Family: return familyShort(outcome_->scenario, c);
    case Hardware: return QString::fromStdString(hardwareOf(c));
    case Units: return x.screened_out ? QVariant() : QVariant(unitsBought(outcome_->scenario, r));
    case Latency: return st ? QVariant(hw::slo_estimate(*st).value * 1e3) : QVariant();
    case Slo: return st ? QVariant(st->slo_latency_s * 1e3) : QVariant();
    case Makespan: return r.run.jobs.empty() ? QVariant() : QVariant(longestMakespan(r.run) / 3600);
    case Tco: return priced ? QVariant(r.cost.tco) : QVariant();
    case Capex: return sized ? QVariant(r.cost.capex) : QVariant();
    case OpexPerYear: return priced ? QVariant(r.cost.opex_per_year) : QVariant();
    case CostPerMillion: return priced && r.feasible && r.cost.cost_per_million > 0 ? QVariant(r.cost.cost_per_million) : QVariant();
    case EdgeUtilisation: return priced && c.family != hw::Family::gpu ? QVariant(r.run.edge.utilisation * 100) : QVariant();
    case DcUtilisation: return priced && c.family != hw::Family::edge ? QVariant(r.run.dc.utilisation * 100) : QVariant();
    case Power: return priced ? QVariant(r.total_power_w) : QVariant();
    // Only where a data-centre tier is rented (the CSV's rented_power_w, blank elsewhere here).
    case RentedPower: return priced && r.rented_power_w > 0 ? QVariant(r.rented_power_w) : QVariant();
    case Verdict: return text(row, Verdict);
    case Reason: return text(row, Reason);
    default: return {};
  }
}

QString CandidatesModel::text(const Row& row, int column) const {
  const hw::Plan& p = outcome_->plan;
  const hw::SizedCandidate& x = p.candidates[row.candidate];
  const hw::CandidateReport& r = x.report;
  const QLocale loc;
  switch (column) {
    case Units: return x.screened_out ? QStringLiteral("-") : QString::fromStdString(unitsText(r));
    case Latency: {
      const hw::StreamResult* st = hw::worst_completed(r);
      if (!st) return QStringLiteral("-");
      const hw::Estimate e = hw::slo_estimate(*st);
      // As the CLI's table: the 95% CI half-width, "<0.01" when it rounds away.
      const double hw_ms = e.half_width() * 1e3;
      // Three figures, more when that would round onto or over the SLO target.
      const QString ms = besideBound(loc, e.value * 1e3, st->slo_latency_s * 1e3, sigText(loc, e.value * 1e3, 3));
      return QStringLiteral("p%1 %2 ±%3")
          .arg(st->slo_percentile)
          .arg(ms)
          .arg(hw_ms < 0.005 ? QStringLiteral("<0.01") : QString::number(hw_ms, 'g', 2));
    }
    case Tco:
    case Capex:
    case OpexPerYear: {
      const QVariant v = value(row, column);
      return v.isValid() ? shortMoney(v.toDouble()) : QStringLiteral("-");
    }
    case Power:
    case RentedPower: {
      // Whole watts, grouped ("43,220"), never exponent form.
      const QVariant v = value(row, column);
      return v.isValid() ? loc.toString(v.toDouble(), 'f', 0) : QStringLiteral("-");
    }
    case EdgeUtilisation:
    case DcUtilisation: {
      const QVariant v = value(row, column);
      return v.isValid() ? QStringLiteral("%1 %").arg(v.toDouble(), 0, 'f', 0) : QStringLiteral("-");
    }
    case Slo: {
      // Four figures, as the CLI's "SLO ms".
      const QVariant v = value(row, column);
      return v.isValid() ? sigText(loc, v.toDouble(), 4) : QStringLiteral("-");
    }
    case Makespan: {
      // Four figures as the CLI's "makespan h" ("119.6"), and never rounded onto or over
      // the deadline of that job ("119.6" against 120, not "120").
      const QVariant v = value(row, column);
      if (!v.isValid()) return QStringLiteral("-");
      return besideBound(loc, v.toDouble(), deadlineOfLongest(r.run) / 3600, sigText(loc, v.toDouble(), 4));
    }
    case Verdict:
      if (r.feasible) {
        if (p.winner && *p.winner == row.candidate) return QStringLiteral("RECOMMENDED");
        return x.pareto ? QStringLiteral("feasible, Pareto") : QStringLiteral("feasible");
      }
      return x.screened_out ? QStringLiteral("rejected (screen)") : QStringLiteral("rejected");
    case Reason: {
      if (r.feasible) return {};
      // Every binding reason and the fix as the planner re-checked it, as `hwplan recommend` prints them.
      QString s = QString::fromStdString(hw::binding_text(x));
      const std::string fix = hw::fix_text(x);
      if (!fix.empty()) s += QStringLiteral(" (%1)").arg(QString::fromStdString(fix));
      return s;
    }
    default: {
      const QVariant v = value(row, column);
      if (!v.isValid()) return QStringLiteral("-");
      // Three significant digits without exponent form or trailing zeros: "0.0488",
      // "16.6", "10", "1,234".
      if (v.typeId() == QMetaType::Double) return sigText(loc, v.toDouble(), 3);
      return v.toString();
    }
  }
}

QVariant CandidatesModel::data(const QModelIndex& index, int role) const {
  if (!outcome_ || !index.isValid() || index.row() >= static_cast<int>(rows_.size())) return {};
  const Row& row = rows_[static_cast<std::size_t>(index.row())];
  const hw::Plan& p = outcome_->plan;
  const hw::SizedCandidate& x = p.candidates[row.candidate];
  const bool recommended = p.winner && *p.winner == row.candidate;
  switch (role) {
    case Qt::DisplayRole: return text(row, index.column());
    case SortRole: {
      const QVariant v = value(row, index.column());
      if (v.isValid()) return v;
      // Missing figures after every real one in ascending order (rejected after ranked).
      return index.column() == Rank ? QVariant(std::numeric_limits<int>::max()) : QVariant(std::numeric_limits<double>::infinity());
    }
    case FeasibleRole: return x.report.feasible;
    case RecommendedRole: return recommended;
    case CandidateIndexRole: return static_cast<qulonglong>(row.candidate);
    case Qt::ToolTipRole: {
      // The text columns may be narrowed to fit the page (ResultsPage::fitColumns): their
      // whole text, then a rejected candidate's reason.
      const int c = index.column();
      const QString reason = x.report.feasible ? QString() : text(row, Reason);
      if (c == Candidate || c == Family || c == Hardware) return reason.isEmpty() ? text(row, c) : text(row, c) + QLatin1Char('\n') + reason;
      if (!x.report.feasible) return reason;
      return QString::fromStdString(x.report.candidate.label);
    }
    case Qt::ForegroundRole:
      if (!x.report.feasible) return QBrush(QColor(0xb0, 0x30, 0x30));
      return {};
    case Qt::BackgroundRole:
      if (recommended) return QBrush(QColor(0xd8, 0xf0, 0xd8));
      return {};
    case Qt::FontRole:
      if (recommended) {
        QFont f;
        f.setBold(true);
        return f;
      }
      return {};
    case Qt::TextAlignmentRole: {
      const int c = index.column();
      const bool number = c == Rank || (c >= Units && c <= RentedPower);
      return QVariant::fromValue(Qt::Alignment(number ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter));
    }
    default: return {};
  }
}

QVariant CandidatesModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
    // What the two power figures are, and how they differ from the Power chart's.
    if (section == Power)
      return QStringLiteral("Power paid for, averaged over the year: the edge units' draw at the wall plus an owned data "
                            "centre's x PUE (the CSV's avg_power_w). A rented data-centre tier is not in it: see 'rented power W'. "
                            "The Power chart shows IT power during the simulated run, before PUE.");
    if (section == RentedPower)
      return QStringLiteral("A rented data-centre tier's draw during the rented hours, averaged over the year, with PUE: "
                            "the provider pays it, in the rent (the CSV's rented_power_w). '-' when the data centre is owned or absent.");
    return {};
  }
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
  const QString cur = outcome_ ? QString::fromStdString(outcome_->scenario.costs.currency) : QStringLiteral("USD");
  switch (section) {
    case Rank: return QStringLiteral("#");
    case Candidate: return QStringLiteral("candidate");
    case Family: return QStringLiteral("family");
    case Hardware: return QStringLiteral("hardware");
    case Units: return QStringLiteral("units");
    case Latency: return QStringLiteral("latency ms");
    case Slo: return QStringLiteral("SLO ms");
    case Makespan: return QStringLiteral("makespan h");
    case Tco: return QStringLiteral("TCO %1").arg(cur);
    case Capex: return QStringLiteral("capex %1").arg(cur);
    case OpexPerYear: return QStringLiteral("opex %1/y").arg(cur);
    case CostPerMillion: {
      // Per million requests when an LLM stream is served (its answers are counted in tokens
      // elsewhere), per million inferences otherwise: the same words as recommend's table.
      const bool llm = outcome_ && hw::has_llm_stream(outcome_->scenario);
      return QStringLiteral("%1/M %2").arg(cur, llm ? QStringLiteral("req") : QStringLiteral("inf"));
    }
    case EdgeUtilisation: return QStringLiteral("edge util");
    case DcUtilisation: return QStringLiteral("DC util");
    case Power: return QStringLiteral("paid power W");
    case RentedPower: return QStringLiteral("rented power W");
    case Verdict: return QStringLiteral("verdict");
    case Reason: return QStringLiteral("binding reason");
    default: return {};
  }
}

}  // namespace hwgui
