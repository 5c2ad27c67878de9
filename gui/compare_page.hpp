// Compare: results pinned from the results page (before and after a change) side by side,
// one column each, the figures that differ from the first pinned result highlighted, and
// the winners' yearly costs by kind in one chart.
#pragma once

#include <QWidget>
#include <vector>

#include "gui/plan_data.hpp"

class QChartView;
class QTableWidget;

namespace hwgui {

// A pinned result's category on the chart, where the width of a bar cuts a long name at its
// end: what tells pins apart first, the number and the time of the run ("2 · 18:22:34 ·
// factory-vision.yaml, edited" for "factory-vision.yaml, edited (run 18:22:34)").
QString compareCategory(std::size_t number, const QString& name);

// The winner's row "latency or makespan against target", as `hwplan recommend` says it: the
// worst stream's latency at its SLO percentile ("cam: p99 31.2 ms (SLO 50 ms)"), an LLM
// stream's TTFT and TPOT against their targets ("chat: TTFT p99 282 ms (target 2000 ms),
// TPOT p99 22.2 ms (target 200 ms)"), the batch job that finished last against its deadline
// ("md-campaign: makespan 507.4 h (deadline 720 h)"); "-" without a winner.
QString compareLatencyText(const PlanOutcome& o);

class ComparePage : public QWidget {
  Q_OBJECT
 public:
  explicit ComparePage(QWidget* parent = nullptr);
  // Adds a result under `name` (e.g. "factory-vision.yaml, 14:02").
  void pin(PlanOutcomePtr outcome, const QString& name);
  void clear();
  [[nodiscard]] int pinned() const { return static_cast<int>(pinned_.size()); }
  [[nodiscard]] QTableWidget* table() const { return table_; }
  [[nodiscard]] QChartView* chart() const { return chart_; }
  // Rows of the table, by label ("winner", "TCO", ...): -1 if none.
  [[nodiscard]] int row(const QString& label) const;
  // Whether a cell is marked as different from the first pinned result.
  [[nodiscard]] bool differs(int row, int column) const;

 protected:
  void changeEvent(QEvent* event) override;  // a new palette: the chart takes its theme

 private:
  void rebuild();
  struct Pinned {
    PlanOutcomePtr outcome;
    QString name;      // "2: factory-vision.yaml, edited (run 18:22:34)": the table's header
    QString category;  // the chart's: compareCategory
  };
  std::vector<Pinned> pinned_;
  QTableWidget* table_;
  QChartView* chart_;
};

}  // namespace hwgui
