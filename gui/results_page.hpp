// Results of a plan: the recommendation card, the sortable candidates table and the charts.
#pragma once

#include <QWidget>
#include <vector>

#include "gui/charts.hpp"
#include "gui/plan_data.hpp"

class QChartView;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QSplitter;
class QTextBrowser;

namespace hwgui {

class CandidatesModel;
class TextTableModel;
class TopologyView;

class ResultsPage : public QWidget {
  Q_OBJECT
 public:
  explicit ResultsPage(QWidget* parent = nullptr);
  void setOutcome(PlanOutcomePtr outcome);  // nullptr: nothing to show yet
  // The same plan with its load curve now planned: only the load-curve chart is redrawn
  // (ignored when `withCurve` is not the plan shown).
  void setLoadCurve(PlanOutcomePtr withCurve);
  [[nodiscard]] const PlanOutcomePtr& outcome() const { return outcome_; }
  // A one-line notice above the card: what the results shown were planned from, when that is
  // no longer the scenario in the editor ("" hides it). The main window words and sets it.
  void setStaleNotice(const QString& text);
  [[nodiscard]] QLabel* staleNotice() const { return stale_; }

  [[nodiscard]] QTextBrowser* card() const { return card_; }
  [[nodiscard]] QTableView* table() const { return table_; }
  [[nodiscard]] CandidatesModel* model() const { return model_; }
  [[nodiscard]] QSortFilterProxyModel* sorted() const { return proxy_; }
  [[nodiscard]] QTabWidget* tabs() const { return tabs_; }
  // Every column of the CLI's CSV (filled when its tab is first shown, or here).
  [[nodiscard]] QTableView* csvTable();
  [[nodiscard]] TextTableModel* csvModel();
  // The winner's (else the closest candidate's) run drawn on the topology (drawn when its
  // tab is first shown, or here).
  [[nodiscard]] TopologyView* topology();
  // The view of a chart, made and its chart built if they were not yet (both are made when
  // their tab is first shown, so that showing a result costs the UI thread at most the
  // chart on screen, not eight).
  [[nodiscard]] QChartView* chartView(ChartKind kind);
  // Brings a chart's tab to the front (its page holds chartView(kind)).
  void showChart(ChartKind kind);
  // Over the 'TCO vs load' chart while the result shown has no load curve or a cancelled one:
  // a line saying so and a button to plan it ("Plan the load curve") or the rest of it
  // ("Resume the load curve"), which emits loadCurveRequested. Off while a plan runs; while
  // the curve of the result shown is planned (`curve`), the line says so.
  void setPlanning(bool planning, bool curve = false);
  [[nodiscard]] QPushButton* loadCurveButton() const { return curveButton_; }

 Q_SIGNALS:
  void saveChartRequested(hwgui::ChartKind kind);
  void loadCurveRequested();

 protected:
  void changeEvent(QEvent* event) override;  // a new palette: the card's colours follow it
  void showEvent(QShowEvent* event) override;  // a new result's card fitted to its text (fitCard)
  void resizeEvent(QResizeEvent* event) override;

 private:
  PlanOutcomePtr outcome_;
  QWidget* curveBar_ = nullptr;
  QLabel* curveText_ = nullptr;
  QPushButton* curveButton_ = nullptr;
  bool planning_ = false, planningCurve_ = false;
  void updateCurveBar();
  QLabel* stale_;
  QTextBrowser* card_;
  QSplitter* split_ = nullptr;
  bool cardFitPending_ = false;  // a result's card not yet fitted to its text
  void fitCard();
  bool columnsFitPending_ = false;  // a result's table not yet fitted to the page's width
  void fitColumns();
  QTabWidget* tabs_;
  QTableView* table_;
  CandidatesModel* model_;
  QSortFilterProxyModel* proxy_;
  QTableView* csvTable_;
  TextTableModel* csvModel_;
  TopologyView* topology_;
  bool topologyStale_ = true;
  bool csvStale_ = true;
  void showCurrentTab();  // makes what the current tab shows
  // Why the latency distribution has nothing to draw for this outcome ("" when it has).
  [[nodiscard]] QString whyNoHistogram() const;
  QChartView* ensureView(std::size_t i);
  void ensureChart(std::size_t i);
  // The width chart i's view has (its scroll area's viewport), and its legend placed to fit
  // it (placeLegend) for every chart built, on a resize.
  [[nodiscard]] int chartWidth(std::size_t i) const;
  void refitLegends();
  void ensureTopology();
  void ensureCsv();
  std::vector<QWidget*> pages_;      // the chart tabs, in chartKinds() order
  std::vector<QChartView*> views_;   // their views, nullptr until first shown
  std::vector<bool> built_;
};

}  // namespace hwgui
