// The candidates of a plan as a table: ranked feasible candidates first (cheapest first),
// then the rejected ones, as `hwplan recommend` prints them. Display text for people, and
// under SortRole the raw number, so that a QSortFilterProxyModel sorts by value.
#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "gui/plan_data.hpp"

namespace hwgui {

class CandidatesModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column {
    Rank, Candidate, Family, Hardware, Units, Latency, Slo, Makespan, Tco, Capex, OpexPerYear, CostPerMillion,
    EdgeUtilisation, DcUtilisation, Power, RentedPower, Verdict, Reason, ColumnCount
  };
  enum Role {
    SortRole = Qt::UserRole,  // number (or text) to sort by; missing figures sort last
    FeasibleRole,             // bool
    RecommendedRole,          // bool: the winner
    CandidateIndexRole,       // index into Plan::candidates
  };

  explicit CandidatesModel(QObject* parent = nullptr);
  void setOutcome(PlanOutcomePtr outcome);  // nullptr clears
  [[nodiscard]] const PlanOutcomePtr& outcome() const { return outcome_; }

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  struct Row {
    std::size_t candidate = 0;
    int rank = 0;  // 1-based among feasible; 0 = rejected
  };
  [[nodiscard]] QVariant value(const Row& r, int column) const;  // number or text, null when absent
  [[nodiscard]] QString text(const Row& r, int column) const;
  PlanOutcomePtr outcome_;
  std::vector<Row> rows_;
};

}  // namespace hwgui
