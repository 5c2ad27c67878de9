// The main window: a start page, the scenario editor, the results and the catalogue, one
// click apart in a side bar; menus and a tool bar for open/save/run/cancel/export; a
// progress bar with probes done/total, ETA and Cancel in the status bar while a plan runs.
#pragma once

#include <QIcon>
#include <QElapsedTimer>
#include <QMainWindow>
#include <QPalette>
#include <memory>

#include "gui/charts.hpp"
#include "gui/plan_bridge.hpp"

class QAction;
class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace hwgui {

class StartPage;
class ScenarioPage;
class ResultsPage;
class CataloguePage;
class ComparePage;
class SweepPage;

// Where a window of `wanted` size goes on a screen whose free area (less panels and docks)
// is `available`: as wanted where it fits with room for the frame, smaller where not;
// at wanted's position when keepPosition (moved back onto the area where it was off it).
QRect fittedWindowGeometry(const QRect& wanted, const QRect& available, bool keepPosition);

// Recommend's and Cancel's tool-bar icons, a triangle and a square in the palette's window
// text colour (its disabled one for the disabled icon): seen on a light or a dark tool bar.
enum class MediaGlyph { Play, Stop };
QIcon mediaGlyph(MediaGlyph glyph, const QPalette& palette);

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  enum Page { Start, Scenario, Results, Compare, Catalogue, Sweeps };

  MainWindow(std::shared_ptr<const hw::Catalogue> catalogue, RunnerOptions runner, QWidget* parent = nullptr);
  ~MainWindow() override;

  // Opens a scenario file into the editor (no unsaved-changes prompt: callers ask first).
  bool openFile(const QString& path);
  void newDocument();
  bool saveTo(const QString& path);
  // Plans the scenario in the editor (when it is valid); returns whether a plan started.
  bool runPlan();
  // Plans the load curve of the result shown (Run > Plan the load curve, or the button over
  // its chart): the rest of it when it was cancelled. Returns whether it started.
  bool planLoadCurve();
  void cancelPlan();
  void showPage(Page p);
  [[nodiscard]] Page currentPage() const;

  [[nodiscard]] StartPage* startPage() const { return start_; }
  [[nodiscard]] ScenarioPage* scenarioPage() const { return scenario_; }
  [[nodiscard]] ResultsPage* resultsPage() const { return results_; }
  [[nodiscard]] CataloguePage* cataloguePage() const { return catalogue_; }
  [[nodiscard]] ComparePage* comparePage() const { return compare_; }
  [[nodiscard]] SweepPage* sweepPage() const { return sweeps_; }
  // Opens the preferences dialog (modal); applies and saves what it returns.
  void editPreferences();
  // Pins the result on the results page for the Compare page; returns whether it was added
  // (not when there is none or it is pinned already; a result of another scenario is pinned
  // with a warning).
  bool pinResult();
  [[nodiscard]] PlanBridge* bridge() const { return bridge_; }
  [[nodiscard]] QProgressBar* progressBar() const { return progress_; }
  [[nodiscard]] QLabel* progressLabel() const { return progressText_; }
  [[nodiscard]] QAction* runAction() const { return run_; }
  [[nodiscard]] QAction* cancelAction() const { return cancel_; }
  [[nodiscard]] QAction* loadCurveAction() const { return curve_; }
  // The status bar's message in full (the bar shows it elided to its width): "" when none.
  [[nodiscard]] QString statusMessage() const { return message_; }
  [[nodiscard]] QStringList recentFiles() const;

 protected:
  void closeEvent(QCloseEvent* e) override;
  void changeEvent(QEvent* e) override;
  void resizeEvent(QResizeEvent* e) override;  // the status message elided to the new width

 private:
  void buildActions();
  void fitToScreen(QSize wanted, bool keepPosition);
  // The status bar's message, elided with "…" to its width (QStatusBar cut it mid-word), the
  // full text in its tooltip; `timeoutMs` as QStatusBar::showMessage's.
  void say(const QString& text, int timeoutMs = 0);
  void showMessageElided();
  QString message_;  // the full text of the message shown, "" when none
  int messageTimeoutMs_ = 0;
  QElapsedTimer messageShown_;
  void setBusy(bool busy);
  void showStatus(const PlanStatus& s);
  void addRecent(const QString& path);
  void refreshRecent();
  void updateTitle();
  bool maybeDiscard();  // asks when the document has unsaved changes
  void openDialog();
  bool save();
  bool saveAsDialog();
  void exportCsvDialog();
  void exportChartDialog(ChartKind kind);
  void exportPdfDialog();
  void exportAllDialog();

  std::shared_ptr<const hw::Catalogue> catalogueData_;
  PlanBridge* bridge_;
  // What a run was planned from. `name` is the file (or the scenario's name when untitled),
  // `edited` whether the text run was not the saved file, `time` when the run started. The
  // Compare page calls a pinned result "NAME[, edited] (run TIME)" ("v2x-rsu.yaml, edited
  // (run 12:44:31)"). Set when a run starts (pending) and taken over when its result is shown.
  struct RunSource {
    QString text, path, name, time;
    bool edited = false;
    quint64 document = 0;  // ScenarioPage::documentId()
    quint64 run = 0;       // numbers each result shown (ComparePage::pin's `run`: one pin per run)
    [[nodiscard]] QString label() const;
  };
  RunSource pendingRun_, shownRun_;
  quint64 runs_ = 0;
  // The results page's notice: shown while the scenario in the editor is not the one the
  // results shown were planned from (another document, or its text changed since the run).
  void updateStaleNotice();
  QListWidget* nav_;
  QStackedWidget* stack_;
  StartPage* start_;
  ScenarioPage* scenario_;
  ResultsPage* results_;
  CataloguePage* catalogue_;
  ComparePage* compare_;
  SweepPage* sweeps_;
  bool curveOnly_ = false;  // the run's result is shown; only its load curve is being planned
  QAction* run_ = nullptr;
  QAction* pin_ = nullptr;
  QAction* curve_ = nullptr;  // Run > Plan (or Resume) the load curve
  void updateCurveAction();
  QAction* cancel_ = nullptr;
  QAction* save_ = nullptr;
  QList<QAction*> exportActions_;
  QMenu* recentMenu_ = nullptr;
  QProgressBar* progress_;
  QLabel* progressText_;
  QPushButton* cancelButton_;
};

}  // namespace hwgui
