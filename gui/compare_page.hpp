// Compare: results pinned from the results page (before and after a change) side by side,
// one column each, the figures that differ from the first pinned result highlighted, a last
// row saying which inputs changed from the first (hw::scenario_changes), and the winners'
// yearly costs by kind in one chart.
#pragma once

#include <QWidget>
#include <vector>

#include "gui/plan_data.hpp"

class QChartView;
class QLabel;
class QPushButton;
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
  // What pin() did.
  struct PinResult {
    bool added = false;
    int column = -1;           // the result's column (the one it already had when not added)
    QString otherScenario;     // the scenario of the first pin when this one's is another ("" when the same)
  };
  // Adds a result under `name` (e.g. "factory-vision.yaml, 14:02"). A result already pinned
  // is not added twice: the same outcome, or the same `run` (non-zero: the window's number
  // for a run, whose outcome is copied when its load curve comes). A result of another
  // scenario than the first pinned is added, and the page says the columns compare
  // different scenarios (the caller warns too).
  PinResult pin(PlanOutcomePtr outcome, const QString& name, quint64 run = 0);
  // Removes one pinned result (its column); the others keep their numbers.
  void unpin(int column);
  void clear();
  [[nodiscard]] int pinned() const { return static_cast<int>(pinned_.size()); }
  [[nodiscard]] QTableWidget* table() const { return table_; }
  [[nodiscard]] QChartView* chart() const { return chart_; }
  // "Remove" (the selected column's result) and the note shown while the pins are of more
  // than one scenario.
  [[nodiscard]] QPushButton* removeButton() const { return remove_; }
  [[nodiscard]] QLabel* scenarioNote() const { return note_; }
  // Rows of the table, by label ("winner", "TCO", ...): -1 if none.
  [[nodiscard]] int row(const QString& label) const;
  // Whether a cell is marked as different from the first pinned result.
  [[nodiscard]] bool differs(int row, int column) const;

 protected:
  void changeEvent(QEvent* event) override;  // a new palette: the chart takes its theme
  void resizeEvent(QResizeEvent* event) override;  // rows fitted again to the new column widths

 private:
  void rebuild();
  struct Pinned {
    PlanOutcomePtr outcome;
    quint64 run = 0;
    QString name;      // "2: factory-vision.yaml, edited (run 18:22:34)": the table's header
    QString category;  // the chart's: compareCategory
  };
  std::vector<Pinned> pinned_;
  std::size_t nextNumber_ = 1;
  QTableWidget* table_;
  QChartView* chart_;
  QPushButton* remove_;
  QLabel* note_;
  bool rowsFitPending_ = false;
  void fitRowsLater();  // resizeRowsToContents once the columns have their widths
};

}  // namespace hwgui
