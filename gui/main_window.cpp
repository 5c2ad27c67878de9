#include "gui/main_window.hpp"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFontMetrics>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QScreen>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStringList>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <algorithm>
#include <cmath>
#include <utility>

#include "gui/catalogue_page.hpp"
#include "gui/code_editor.hpp"
#include "gui/compare_page.hpp"
#include "gui/export.hpp"
#include "gui/paths.hpp"
#include "gui/results_page.hpp"
#include "gui/scenario_page.hpp"
#include "gui/preferences.hpp"
#include "gui/start_page.hpp"
#include "gui/sweep_page.hpp"
#include "sim/core/files.hpp"
#include "sim/io/loaders.hpp"

namespace hwgui {

namespace {
constexpr int kMaxRecent = 8;

// A new scenario: the smallest complete file, to be edited.
const char* kNewScenario = R"(# A new scenario: one kind of site, one stream, candidates of each family.
name: New scenario
description: >
  Say what is being decided, for whom, and where the figures come from.
seed: 1
duration: 30 s
warmup: 3 s
sites:
  - id: site
    count: 10
    access: {type: wired}
    backhaul: {type: wan, latency: 10 ms, bandwidth: 100 Mbps}
streams:
  - id: frames
    site: site
    sources: 4
    arrival: {process: poisson, rate: 5 /s}
    payload: 100 KB
    result: 1 KB
    pipeline:
      - {id: detect, model: yolov8s, precision: int8}
    slo: {percentile: 99, latency: 100 ms, max_violation: 1 %}
costs:
  currency: USD
  horizon: 3 y
candidates:
  - family: edge
    hardware: jetson-orin-nano-super
  - family: gpu
    hardware: l4x4-server
    batching: {max_batch: 8, max_wait: 5 ms}
)";

QString formatSeconds(double s) {
  if (s < 0) return QStringLiteral("?");
  if (s < 60) return QStringLiteral("%1 s").arg(s, 0, 'f', s < 10 ? 1 : 0);
  return QStringLiteral("%1 min %2 s").arg(static_cast<int>(s) / 60).arg(static_cast<int>(s) % 60);
}
}  // namespace

MainWindow::MainWindow(std::shared_ptr<const hw::Catalogue> catalogue, RunnerOptions runner, QWidget* parent)
    : QMainWindow(parent), catalogueData_(std::move(catalogue)), bridge_(new PlanBridge(std::move(runner), this)), nav_(new QListWidget),
      stack_(new QStackedWidget), start_(new StartPage(bundledScenarios(*catalogueData_))), scenario_(new ScenarioPage(catalogueData_)),
      results_(new ResultsPage), catalogue_(new CataloguePage(catalogueData_, bridge_->options().simulator)), compare_(new ComparePage), sweeps_(new SweepPage), progress_(new QProgressBar), progressText_(new QLabel),
      cancelButton_(new QPushButton(QStringLiteral("Cancel"))) {
  setWindowTitle(QStringLiteral("hwplan"));
  stack_->addWidget(start_);
  stack_->addWidget(scenario_);
  stack_->addWidget(results_);
  stack_->addWidget(compare_);
  stack_->addWidget(catalogue_);
  stack_->addWidget(sweeps_);
  const QStyle* st = style();
  nav_->addItem(new QListWidgetItem(st->standardIcon(QStyle::SP_DirHomeIcon), QStringLiteral("Start")));
  nav_->addItem(new QListWidgetItem(st->standardIcon(QStyle::SP_FileIcon), QStringLiteral("Scenario")));
  nav_->addItem(new QListWidgetItem(st->standardIcon(QStyle::SP_FileDialogDetailedView), QStringLiteral("Results")));
  nav_->addItem(new QListWidgetItem(st->standardIcon(QStyle::SP_FileDialogContentsView), QStringLiteral("Compare")));
  nav_->addItem(new QListWidgetItem(st->standardIcon(QStyle::SP_DriveHDIcon), QStringLiteral("Catalogue")));
  nav_->addItem(new QListWidgetItem(st->standardIcon(QStyle::SP_FileDialogListView), QStringLiteral("Sweeps")));
  nav_->setFixedWidth(120);
  nav_->setIconSize(QSize(20, 20));
  nav_->setSpacing(3);
  connect(nav_, &QListWidget::currentRowChanged, stack_, &QStackedWidget::setCurrentIndex);
  nav_->setCurrentRow(Start);

  auto* central = new QWidget;
  auto* l = new QHBoxLayout(central);
  l->setContentsMargins(4, 4, 4, 4);
  l->addWidget(nav_);
  l->addWidget(stack_, 1);
  setCentralWidget(central);

  buildActions();

  progress_->setMaximumWidth(220);
  progress_->setTextVisible(true);
  // The progress bar and Cancel keep their room in the status bar while hidden: showing
  // them at the start of a run (and hiding them at its end) then changes no geometry, where
  // a taller status bar would lay out the whole window again on the UI thread.
  for (QWidget* busyOnly : {static_cast<QWidget*>(progress_), static_cast<QWidget*>(cancelButton_)}) {
    QSizePolicy sp = busyOnly->sizePolicy();
    sp.setRetainSizeWhenHidden(true);
    busyOnly->setSizePolicy(sp);
  }
  progressText_->setMinimumWidth(200);
  connect(cancelButton_, &QPushButton::clicked, this, &MainWindow::cancelPlan);
  statusBar()->addWidget(progressText_, 1);  // hidden while a message shows
  // A message gone (its time up, or cleared): its full text goes from the tooltip too.
  connect(statusBar(), &QStatusBar::messageChanged, this, [this](const QString& shown) {
    if (!shown.isEmpty()) return;
    message_.clear();
    statusBar()->setToolTip(QString());
  });
  statusBar()->addPermanentWidget(progress_);
  statusBar()->addPermanentWidget(cancelButton_);
  setBusy(false);

  connect(start_, &StartPage::openRequested, this, [this](const QString& p) {
    if (maybeDiscard()) openFile(p);
  });
  connect(start_, &StartPage::newRequested, this, [this] {
    if (maybeDiscard()) newDocument();
  });
  connect(start_, &StartPage::openDialogRequested, this, &MainWindow::openDialog);
  connect(scenario_, &ScenarioPage::modificationChanged, this, [this] { updateTitle(); });
  // Typing, undo/redo, a form edit and a new document all change the editor's text.
  connect(scenario_->editor(), &QPlainTextEdit::textChanged, this, &MainWindow::updateStaleNotice);
  connect(results_, &ResultsPage::saveChartRequested, this, &MainWindow::exportChartDialog);
  connect(results_, &ResultsPage::loadCurveRequested, this, [this] { planLoadCurve(); });
  connect(catalogue_, &CataloguePage::catalogueChanged, this, [this](const QString& id) {
    QStringList problems;
    try {
      catalogueData_ = std::make_shared<const hw::Catalogue>(loadCatalogue(&problems));
    } catch (const std::exception& e) {
      say(QStringLiteral("Cannot reload the catalogue: %1").arg(QString::fromUtf8(e.what())));
      return;
    }
    catalogue_->setCatalogue(catalogueData_);
    scenario_->setCatalogue(catalogueData_);
    catalogue_->select(id);
    say(problems.isEmpty() ? QStringLiteral("Added profile %1 to %2").arg(id, userProfilesDir())
                                                : QStringLiteral("Added %1; left out: %2").arg(id, problems.join(QStringLiteral("; "))));
  });

  connect(bridge_, &PlanBridge::progress, this, &MainWindow::showStatus);
  connect(bridge_, &PlanBridge::finished, this, [this](const PlanOutcomePtr& out) {
    curveOnly_ = bridge_->planningLoadCurve();
    setBusy(curveOnly_);
    if (curveOnly_) progressText_->setText(QStringLiteral("planning the load curve (x0.5 to x2)…"));
    results_->setOutcome(out);
    updateCurveAction();
    shownRun_ = pendingRun_;
    shownRun_.run = ++runs_;
    updateStaleNotice();
    for (QAction* a : exportActions_) a->setEnabled(true);
    pin_->setEnabled(true);
    // The page switch (its layout, then the first paint of the results page) in the next
    // turn of the event loop, not in this one: the window answers input in between (two
    // pieces of 3-10 and 10-25 ms on the UI thread instead of one of 15-35 ms).
    QTimer::singleShot(0, this, [this] { showPage(Results); });
    // A message hides the progress text: while the load curve runs, only for a few seconds,
    // so that its probes and ETA show.
    say(QStringLiteral("Planned in %1: %2 simulated, %3 from the cache.")
                                 .arg(formatSeconds(out->wallSeconds))
                                 .arg(out->plan.simulations)
                                 .arg(out->plan.cache_hits),
                             curveOnly_ ? 4000 : 0);
  });
  connect(bridge_, &PlanBridge::loadCurveFinished, this, [this](const PlanOutcomePtr& out) {
    curveOnly_ = false;
    setBusy(false);
    results_->setLoadCurve(out);
    updateCurveAction();
    say(QStringLiteral("Load curve planned at %1 load(s): see 'TCO vs load'.").arg(out->loadCurve ? out->loadCurve->points.size() : 0), 6000);
  });
  connect(bridge_, &PlanBridge::loadCurveCancelled, this, [this](const PlanOutcomePtr& partial) {
    results_->setLoadCurve(partial);
    updateCurveAction();
  });
  connect(bridge_, &PlanBridge::cancelled, this, [this](qulonglong kept) {
    setBusy(false);
    if (curveOnly_) {
      curveOnly_ = false;
      // The loads done by the cancel are kept and drawn (loadCurveCancelled came first).
      const auto& out = results_->outcome();
      const LoadCurve* curve = out ? out->loadCurve.get() : nullptr;
      if (curve && curve->cancelled) {
        say(QStringLiteral("Cancelled the load curve after %1 of %2 loads (drawn on 'TCO vs load'); the recommendation is kept. "
                           "Run > Resume the load curve plans the rest.")
                .arg(curve->points.size())
                .arg(std::max(curve->loads.size(), curve->points.size())));
      } else {
        say(QStringLiteral("Cancelled the load curve; the recommendation is kept. Run > Plan the load curve plans it."));
      }
      return;
    }
    say(QStringLiteral("Cancelled: no recommendation. %1 simulation(s) finished and are kept in the cache; "
                                            "run again to resume.")
                                 .arg(kept));
  });
  connect(bridge_, &PlanBridge::failed, this, [this](const QString& message) {
    setBusy(false);
    curveOnly_ = false;
    say(QStringLiteral("Run failed: %1").arg(message));
    auto* box = new QMessageBox(QMessageBox::Warning, QStringLiteral("Run failed"), message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
  });

  QSettings settings;
  const bool restored = restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
  restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
  // 1280x820 where the screen has room, else the screen's free area (a restored size too: it
  // may come from a larger screen), so that the status bar, progress and Cancel are on it.
  fitToScreen(restored ? size() : QSize(1280, 820), restored);
  refreshRecent();
  newDocument();
  showPage(Start);
}

MainWindow::~MainWindow() = default;

QRect fittedWindowGeometry(const QRect& wanted, const QRect& available, bool keepPosition) {
  // The frame (title bar, borders) is the window manager's and unknown before the window is
  // shown: leave it room.
  const QSize frame(16, 40);
  const QSize room = (available.size() - frame).expandedTo(QSize(320, 240));
  QRect r(wanted.topLeft(), wanted.size().boundedTo(room));
  if (keepPosition) {
    // Kept where it was when it fits; moved onto the screen when not.
    r.moveLeft(std::clamp(r.left(), available.left(), std::max(available.left(), available.right() + 1 - frame.width() - r.width())));
    r.moveTop(std::clamp(r.top(), available.top(), std::max(available.top(), available.bottom() + 1 - frame.height() - r.height())));
  }
  return r;
}

QIcon mediaGlyph(MediaGlyph glyph, const QPalette& palette) {
  QIcon icon;
  const std::pair<QIcon::Mode, QPalette::ColorGroup> modes[] = {{QIcon::Normal, QPalette::Active}, {QIcon::Disabled, QPalette::Disabled}};
  for (const int side : {16, 20, 24, 32, 48}) {
    for (const auto& [mode, group] : modes) {
      QPixmap pm(side, side);
      pm.fill(Qt::transparent);
      QPainter p(&pm);
      p.setRenderHint(QPainter::Antialiasing);
      p.setPen(Qt::NoPen);
      p.setBrush(palette.color(group, QPalette::WindowText));
      const double m = side * 0.18;
      if (glyph == MediaGlyph::Play) {
        const QPointF tri[] = {{m * 1.3, m}, {side - m, side / 2.0}, {m * 1.3, side - m}};
        p.drawPolygon(tri, 3);
      } else {
        p.drawRoundedRect(QRectF(m * 1.2, m * 1.2, side - 2.4 * m, side - 2.4 * m), side * 0.06, side * 0.06);
      }
      p.end();
      icon.addPixmap(pm, mode);
    }
  }
  return icon;
}

void MainWindow::changeEvent(QEvent* e) {
  QMainWindow::changeEvent(e);
  if ((e->type() == QEvent::ApplicationPaletteChange || e->type() == QEvent::PaletteChange) && run_ && cancel_) {
    run_->setIcon(mediaGlyph(MediaGlyph::Play, palette()));
    cancel_->setIcon(mediaGlyph(MediaGlyph::Stop, palette()));
  }
}

void MainWindow::say(const QString& text, int timeoutMs) {
  message_ = text;
  messageTimeoutMs_ = timeoutMs;
  messageShown_.start();
  showMessageElided();
}

void MainWindow::showMessageElided() {
  QStatusBar* bar = statusBar();
  if (message_.isEmpty()) {
    bar->clearMessage();
    return;
  }
  int timeout = 0;
  if (messageTimeoutMs_ > 0) {
    timeout = messageTimeoutMs_ - static_cast<int>(messageShown_.elapsed());
    if (timeout <= 0) return;  // about to go
  }
  // Where QStatusBar draws a message: from x 6 to 12 px short of its right end, or 2 px short
  // of the first permanent widget shown (the progress bar while a plan runs).
  int right = bar->width() - 12;
  for (QWidget* permanent : {static_cast<QWidget*>(progress_), static_cast<QWidget*>(cancelButton_)}) {
    if (permanent->isVisible()) right = std::min(right, permanent->x() - 2);
  }
  const QString shown = bar->fontMetrics().elidedText(message_, Qt::ElideRight, std::max(0, right - 6));
  const QString full = message_;  // showMessage's messageChanged leaves it (not empty)
  bar->showMessage(shown, timeout);
  bar->setToolTip(full);
}

void MainWindow::resizeEvent(QResizeEvent* e) {
  QMainWindow::resizeEvent(e);
  // The status bar has its new width (the layout ran first): the message elided anew.
  if (!message_.isEmpty() && !statusBar()->currentMessage().isEmpty()) showMessageElided();
}

void MainWindow::fitToScreen(QSize wanted, bool keepPosition) {
  const QScreen* s = screen() ? screen() : QGuiApplication::primaryScreen();
  if (!s) {
    resize(wanted);
    return;
  }
  // Below the minimum the layout allows, widgets would overlap: the layout's minimum then.
  const QRect r = fittedWindowGeometry(QRect(pos(), wanted), s->availableGeometry(), keepPosition);
  resize(r.size().expandedTo(minimumSizeHint()));
  if (keepPosition) move(r.topLeft());
}

void MainWindow::buildActions() {
  const QStyle* st = style();
  QMenu* file = menuBar()->addMenu(QStringLiteral("&File"));
  QAction* newAct = file->addAction(st->standardIcon(QStyle::SP_FileIcon), QStringLiteral("&New scenario"), this, [this] {
    if (maybeDiscard()) newDocument();
  });
  newAct->setShortcut(QKeySequence::New);
  QAction* openAct = file->addAction(st->standardIcon(QStyle::SP_DialogOpenButton), QStringLiteral("&Open…"), this, &MainWindow::openDialog);
  openAct->setShortcut(QKeySequence::Open);
  recentMenu_ = file->addMenu(QStringLiteral("Open &recent"));
  QAction* openSweep = file->addAction(QStringLiteral("Open s&weep results…"), this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Open sweep results"), QStringLiteral("reports"),
                                                      QStringLiteral("Sweep results (*.csv);;All files (*)"));
    if (path.isEmpty()) return;
    showPage(Sweeps);
    const QString err = sweeps_->open(path);
    say(err.isEmpty() ? QStringLiteral("Opened %1").arg(path) : err);
  });
  openSweep->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  save_ = file->addAction(st->standardIcon(QStyle::SP_DialogSaveButton), QStringLiteral("&Save"), this, &MainWindow::save);
  save_->setShortcut(QKeySequence::Save);
  QAction* saveAs = file->addAction(QStringLiteral("Save &as…"), this, &MainWindow::saveAsDialog);
  saveAs->setShortcut(QKeySequence::SaveAs);
  file->addSeparator();
  exportActions_ << file->addAction(QStringLiteral("Export candidates as &CSV…"), this, &MainWindow::exportCsvDialog);
  exportActions_ << file->addAction(QStringLiteral("Export &PDF report…"), this, &MainWindow::exportPdfDialog);
  exportActions_ << file->addAction(QStringLiteral("Export &everything to a folder…"), this, &MainWindow::exportAllDialog);
  QMenu* charts = file->addMenu(QStringLiteral("Export c&hart"));
  for (const ChartInfo& k : chartKinds()) {
    const ChartKind kind = k.kind;
    exportActions_ << charts->addAction(k.title + QStringLiteral("…"), this, [this, kind] { exportChartDialog(kind); });
  }
  for (QAction* a : exportActions_) a->setEnabled(false);
  file->addSeparator();
  QAction* quit = file->addAction(QStringLiteral("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* edit = menuBar()->addMenu(QStringLiteral("&Edit"));
  QPlainTextEdit* editor = scenario_->editor();
  QAction* undo = edit->addAction(QStringLiteral("&Undo"), editor, &QPlainTextEdit::undo);
  undo->setShortcut(QKeySequence::Undo);
  undo->setEnabled(false);
  connect(editor, &QPlainTextEdit::undoAvailable, undo, &QAction::setEnabled);
  QAction* redo = edit->addAction(QStringLiteral("&Redo"), editor, &QPlainTextEdit::redo);
  redo->setShortcut(QKeySequence::Redo);
  redo->setEnabled(false);
  connect(editor, &QPlainTextEdit::redoAvailable, redo, &QAction::setEnabled);
  edit->addSeparator();
  QAction* prefs = edit->addAction(QStringLiteral("&Preferences…"), this, &MainWindow::editPreferences);
  prefs->setShortcuts({QKeySequence(QKeySequence::Preferences), QKeySequence(Qt::CTRL | Qt::Key_Comma)});
  prefs->setMenuRole(QAction::PreferencesRole);

  QMenu* runMenu = menuBar()->addMenu(QStringLiteral("&Run"));
  // Drawn in the palette's colours (the style's media icons are near-black, unseen on a dark
  // tool bar), again when the palette changes (changeEvent).
  run_ = runMenu->addAction(mediaGlyph(MediaGlyph::Play, palette()), QStringLiteral("&Recommend"), this, [this] { runPlan(); });
  run_->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_R)});
  run_->setToolTip(QStringLiteral("Size every candidate, price it and recommend one (F5)"));
  cancel_ = runMenu->addAction(mediaGlyph(MediaGlyph::Stop, palette()), QStringLiteral("&Cancel"), this, &MainWindow::cancelPlan);
  cancel_->setShortcut(QKeySequence(Qt::Key_Escape));
  curve_ = runMenu->addAction(QStringLiteral("Plan the &load curve"), this, [this] { planLoadCurve(); });
  curve_->setToolTip(QStringLiteral("Plan the result shown again at other loads (x0.5 to x2) for 'TCO vs load'; resumes a cancelled curve"));
  curve_->setEnabled(false);
  runMenu->addSeparator();
  pin_ = runMenu->addAction(st->standardIcon(QStyle::SP_DialogApplyButton), QStringLiteral("&Pin result for comparison"), this,
                            [this] { pinResult(); });
  pin_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
  pin_->setEnabled(false);

  QMenu* view = menuBar()->addMenu(QStringLiteral("&View"));
  const QStringList pages{QStringLiteral("&Start"), QStringLiteral("S&cenario"), QStringLiteral("&Results"), QStringLiteral("C&ompare"),
                          QStringLiteral("C&atalogue"), QStringLiteral("S&weeps")};
  for (int i = 0; i < pages.size(); ++i) {
    QAction* a = view->addAction(pages[i], this, [this, i] { showPage(static_cast<Page>(i)); });
    a->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
  }
  QAction* exportAll = exportActions_[2];
  exportAll->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  QMenu* help = menuBar()->addMenu(QStringLiteral("&Help"));
  help->addAction(QStringLiteral("&About hwplan"), this, [this] {
    QMessageBox::about(this, QStringLiteral("About hwplan"),
                       QStringLiteral("<b>hwplan-gui</b> %1<p>Chooses edge, GPU or hybrid hardware by simulation (SimGrid, in "
                                      "child processes: %2) and sizes it.</p><p>Data: %3</p>")
                           .arg(QApplication::applicationVersion(), bridge_->options().simulator.toHtmlEscaped(), dataDir().toHtmlEscaped()));
  });

  QToolBar* bar = addToolBar(QStringLiteral("Main"));
  bar->setObjectName(QStringLiteral("main toolbar"));
  bar->setMovable(false);
  bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  bar->addAction(newAct);
  bar->addAction(openAct);
  bar->addAction(save_);
  bar->addSeparator();
  bar->addAction(run_);
  bar->addAction(cancel_);
  bar->addSeparator();
  bar->addAction(pin_);
}

void MainWindow::showPage(Page p) { nav_->setCurrentRow(p); }
MainWindow::Page MainWindow::currentPage() const { return static_cast<Page>(stack_->currentIndex()); }

void MainWindow::newDocument() {
  scenario_->setDocument(QString(), QString::fromUtf8(kNewScenario));
  updateTitle();
  showPage(Scenario);
}

bool MainWindow::openFile(const QString& path) {
  // Only a regular file within the loader's size limit: opening a FIFO blocks until a writer
  // comes and /dev/zero reads without end, both on this (the window's) thread.
  if (const std::string why = hw::regular_input_problem(path.toStdString(), hw::input_limits().file_bytes); !why.empty()) {
    say(QStringLiteral("Cannot open %1: it %2").arg(path, QString::fromStdString(why)));
    return false;
  }
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
    say(QStringLiteral("Cannot open %1: %2").arg(path, f.errorString()));
    return false;
  }
  scenario_->setDocument(QFileInfo(path).absoluteFilePath(), QString::fromUtf8(f.readAll()));
  addRecent(QFileInfo(path).absoluteFilePath());
  updateTitle();
  showPage(Scenario);
  const ScenarioCheck& c = scenario_->check();
  say(c.scenario ? QStringLiteral("Opened %1. Press Recommend (F5) to plan it.").arg(QFileInfo(path).fileName())
                 : QStringLiteral("Opened %1, which has an error: %2").arg(QFileInfo(path).fileName(), c.message));
  return true;
}

bool MainWindow::saveTo(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text) || f.write(scenario_->text().toUtf8()) < 0) {
    say(QStringLiteral("Cannot save %1: %2").arg(path, f.errorString()));
    return false;
  }
  f.close();
  const QString abs = QFileInfo(path).absoluteFilePath();
  if (abs != scenario_->path()) scenario_->setPath(abs);
  scenario_->setModified(false);
  addRecent(abs);
  updateTitle();
  say(QStringLiteral("Saved %1").arg(abs), 4000);
  return true;
}

bool MainWindow::save() { return scenario_->path().isEmpty() ? saveAsDialog() : saveTo(scenario_->path()); }

bool MainWindow::saveAsDialog() {
  const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Save scenario"), scenario_->path(), QStringLiteral("Scenarios (*.yaml *.yml)"));
  return !path.isEmpty() && saveTo(path);
}

void MainWindow::openDialog() {
  if (!maybeDiscard()) return;
  const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Open scenario"), QDir(dataDir()).filePath("scenarios"),
                                                    QStringLiteral("Scenarios (*.yaml *.yml);;All files (*)"));
  if (!path.isEmpty()) openFile(path);
}

bool MainWindow::maybeDiscard() {
  if (!scenario_->isModified()) return true;
  const auto answer = QMessageBox::warning(this, QStringLiteral("Unsaved changes"),
                                           QStringLiteral("The scenario has unsaved changes. Save them first?"),
                                           QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
  if (answer == QMessageBox::Save) return save();
  return answer == QMessageBox::Discard;
}

void MainWindow::closeEvent(QCloseEvent* e) {
  if (!maybeDiscard()) {
    e->ignore();
    return;
  }
  bridge_->cancel();
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  e->accept();
}

void MainWindow::updateTitle() {
  const QString name = scenario_->path().isEmpty() ? QStringLiteral("untitled.yaml") : QFileInfo(scenario_->path()).fileName();
  setWindowTitle(QStringLiteral("%1[*] — hwplan").arg(name));
  setWindowModified(scenario_->isModified());
}

QStringList MainWindow::recentFiles() const {
  // A file moved or deleted since is not offered (it would only fail to open).
  QStringList files = QSettings().value(QStringLiteral("recentFiles")).toStringList();
  files.removeIf([](const QString& f) { return !QFileInfo::exists(f); });
  return files;
}

void MainWindow::addRecent(const QString& path) {
  QStringList files = recentFiles();
  files.removeAll(path);
  files.prepend(path);
  while (files.size() > kMaxRecent) files.removeLast();
  QSettings().setValue(QStringLiteral("recentFiles"), files);
  refreshRecent();
}

void MainWindow::refreshRecent() {
  const QStringList files = recentFiles();
  start_->setRecentFiles(files);
  recentMenu_->clear();
  for (const QString& f : files) {
    recentMenu_->addAction(QFileInfo(f).fileName(), this, [this, f] {
      if (maybeDiscard()) openFile(f);
    })->setToolTip(f);
  }
  recentMenu_->setEnabled(!files.isEmpty());
}

QString MainWindow::RunSource::label() const {
  return QStringLiteral("%1%2 (run %3)").arg(name, edited ? QStringLiteral(", edited") : QString(), time);
}

void MainWindow::updateStaleNotice() {
  // Only a result planned here has a source (none before the first run).
  if (!results_->outcome() || shownRun_.time.isEmpty()) {
    results_->setStaleNotice(QString());
    return;
  }
  // Another document: another file opened, or a new scenario, unless it is the same file
  // again (reopened: its text decides). Save As keeps the document, only renames it.
  const bool otherDocument = scenario_->documentId() != shownRun_.document && scenario_->path() != shownRun_.path;
  if (!otherDocument && scenario_->text() == shownRun_.text) {
    results_->setStaleNotice(QString());
    return;
  }
  const QString action = run_->iconText();
  const QString key = run_->shortcut().toString(QKeySequence::NativeText);
  const QString again = key.isEmpty() ? action : QStringLiteral("%1 (%2)").arg(action, key);
  // Named as its pin is: "v2x-rsu.yaml, edited, as it was at 12:44:31".
  const QString head = QStringLiteral("These results are for %1%2 as it was at %3; ")
                           .arg(shownRun_.name, shownRun_.edited ? QStringLiteral(", edited,") : QString(), shownRun_.time);
  if (otherDocument) {
    const QString now = scenario_->path().isEmpty() ? QStringLiteral("a new scenario") : QFileInfo(scenario_->path()).fileName();
    results_->setStaleNotice(head + QStringLiteral("the editor now holds %1: %2 to plan it.").arg(now, again));
  } else {
    results_->setStaleNotice(head + QStringLiteral("the scenario has been edited since: %1 again to update them.").arg(again));
  }
}

void MainWindow::updateCurveAction() {
  if (!curve_) return;
  const auto& out = results_->outcome();
  const bool resume = out && out->loadCurve && out->loadCurve->cancelled;
  curve_->setText(resume ? QStringLiteral("Resume the &load curve") : QStringLiteral("Plan the &load curve"));
  curve_->setEnabled(out != nullptr && !bridge_->busy());
}

bool MainWindow::pinResult() {
  const auto& out = results_->outcome();
  if (!out) return false;
  const ComparePage::PinResult r = compare_->pin(out, shownRun_.label(), shownRun_.run);
  if (!r.added) {
    say(QStringLiteral("Already pinned: this result is column %1 on the Compare page.").arg(r.column + 1), 6000);
    return false;
  }
  if (!r.otherScenario.isEmpty()) {
    say(QStringLiteral("Pinned beside a result of another scenario (%1): the Compare page compares different scenarios, not one change; "
                       "remove a result there (right-click its column's header).")
            .arg(r.otherScenario));
    return true;
  }
  say(QStringLiteral("Pinned: %1 result(s) on the Compare page.").arg(compare_->pinned()), 4000);
  return true;
}

bool MainWindow::runPlan() {
  if (bridge_->busy()) return false;
  const ScenarioCheck& c = scenario_->check();
  if (!c.scenario) {
    showPage(Scenario);
    say(QStringLiteral("Fix the scenario first: %1").arg(c.message));
    return false;
  }
  PlanRequest r;
  r.scenario = *c.scenario;
  r.catalogue = catalogueData_;
  const Preferences prefs = Preferences::load();
  if (prefs.loadCurve) r.loadCurve = defaultLoadCurve(prefs.loadCurvePoints);
  const QString file = QFileInfo(QString::fromStdString(c.scenario->file)).fileName();
  pendingRun_.text = scenario_->text();
  pendingRun_.path = scenario_->path();
  pendingRun_.document = scenario_->documentId();
  pendingRun_.name = file.isEmpty() ? QString::fromStdString(c.scenario->name) : file;
  pendingRun_.edited = scenario_->isModified();
  pendingRun_.time = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
  bridge_->start(std::move(r));
  setBusy(true);
  progressText_->setText(QStringLiteral("starting the simulator…"));
  return true;
}

bool MainWindow::planLoadCurve() {
  const PlanOutcomePtr out = results_->outcome();
  if (bridge_->busy() || !out) return false;
  PlanRequest r;
  r.scenario = out->scenario;
  r.catalogue = catalogueData_;
  r.curveOf = out;
  // A cancelled curve's loads again (those done come from the cache), else the preference's.
  if (out->loadCurve && !out->loadCurve->loads.empty()) {
    for (double load : out->loadCurve->loads) {
      if (load != 1.0) r.loadCurve.push_back(load);
    }
  }
  if (r.loadCurve.empty()) r.loadCurve = defaultLoadCurve(Preferences::load().loadCurvePoints);
  const bool resume = out->loadCurve && out->loadCurve->cancelled;
  bridge_->start(std::move(r));
  curveOnly_ = true;
  setBusy(true);
  progressText_->setText(resume ? QStringLiteral("resuming the load curve…") : QStringLiteral("planning the load curve…"));
  return true;
}

void MainWindow::editPreferences() {
  PreferencesDialog d(Preferences::load(), this);
  if (d.exec() != QDialog::Accepted) return;
  const Preferences p = d.value();
  const QString oldTheme = Preferences::load().theme;
  p.save();
  if (p.theme != oldTheme) {
    applyTheme(p.theme);
    results_->setOutcome(results_->outcome());  // charts take the new colours when rebuilt
  }
  say(QStringLiteral("Preferences saved."), 4000);
}

void MainWindow::cancelPlan() {
  if (!bridge_->busy()) return;
  bridge_->cancel();
  progressText_->setText(QStringLiteral("cancelling…"));
}

void MainWindow::setBusy(bool busy) {
  run_->setEnabled(!busy);
  results_->setPlanning(busy, busy && curveOnly_);
  updateCurveAction();
  cancel_->setEnabled(busy);
  progress_->setVisible(busy);
  cancelButton_->setVisible(busy);
  if (busy) {
    statusBar()->clearMessage();
    progress_->setUpdatesEnabled(false);  // see showStatus
    progress_->setRange(0, 0);  // busy indicator until the first numbers arrive
    progress_->setUpdatesEnabled(true);
  } else {
    progressText_->clear();
  }
}

void MainWindow::showStatus(const PlanStatus& s) {
  const hw::PlanProgress& p = s.progress;
  // QProgressBar::setValue repaints at once (not at the next paint) when its text changes:
  // that paints everything else waiting to be painted, inside this handler. With updates
  // off, it only schedules a paint like any other widget.
  progress_->setUpdatesEnabled(false);
  // In hundredths of a probe: a running simulation moves the bar by the share of its
  // simulated time it has done (PlanProgress::progress).
  double partial = 0;
  QStringList howFar;
  for (const double f : p.progress) {
    partial += f;
    howFar << QStringLiteral("%1%").arg(std::lround(f * 100));
  }
  progress_->setRange(0, static_cast<int>(std::max<std::size_t>(1, p.sims_total)) * 100);
  progress_->setValue(static_cast<int>(p.sims_done) * 100 + static_cast<int>(partial * 100));
  progress_->setFormat(QStringLiteral("%1/%2 probes").arg(p.sims_done).arg(p.sims_total));
  progress_->setUpdatesEnabled(true);  // and update()
  // Each running simulation's share of its own simulated time done: "2 running, each 10% and
  // 7% through its simulated time" (it read "at 10%, 7% of the simulated time": of which?).
  QString running;
  if (howFar.isEmpty()) {
    running = QStringLiteral("%1 running").arg(p.running);
  } else if (howFar.size() == 1) {
    running = QStringLiteral("%1 running, %2 through its simulated time").arg(p.running).arg(howFar.front());
  } else {
    const QString last = howFar.takeLast();
    running = QStringLiteral("%1 running, %2 and %3 through their simulated time").arg(p.running).arg(howFar.join(QStringLiteral(", ")), last);
  }
  QString text = QStringLiteral("%1 · round %2 · %3/%4 probes, %5 · %6 simulated, %7 from cache · %8")
                     .arg(QString::fromStdString(p.phase))
                     .arg(p.round)
                     .arg(p.sims_done)
                     .arg(p.sims_total)
                     .arg(running)
                     .arg(p.simulations)
                     .arg(p.cache_hits)
                     .arg(formatSeconds(s.elapsedSeconds));
  if (s.roundEtaSeconds >= 0) {
    text += QStringLiteral(" · round ETA %1").arg(formatSeconds(s.roundEtaSeconds));
  } else if (p.running > 0) {
    text += QStringLiteral(" · round ETA: estimating");  // the running simulations are too early to tell
  }
  progressText_->setText(text);
}

void MainWindow::exportCsvDialog() {
  const auto& out = results_->outcome();
  if (!out) return;
  const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export candidates"), QStringLiteral("candidates.csv"), QStringLiteral("CSV (*.csv)"));
  if (path.isEmpty()) return;
  const QString err = writeCandidatesCsv(*out, path);
  say(err.isEmpty() ? QStringLiteral("Wrote %1").arg(path) : err);
}

void MainWindow::exportChartDialog(ChartKind kind) {
  QChartView* v = results_->chartView(kind);
  if (!results_->outcome() || !v) return;
  QString id;
  for (const auto& k : chartKinds()) {
    if (k.kind == kind) id = k.id;
  }
  const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Save chart"), id + QStringLiteral(".png"),
                                                    QStringLiteral("PNG image (*.png);;SVG drawing (*.svg)"));
  if (path.isEmpty()) return;
  const QString err = saveChartView(v, path);
  say(err.isEmpty() ? QStringLiteral("Wrote %1").arg(path) : err);
}

void MainWindow::exportPdfDialog() {
  const auto& out = results_->outcome();
  if (!out) return;
  const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export report"), QStringLiteral("report.pdf"), QStringLiteral("PDF (*.pdf)"));
  if (path.isEmpty()) return;
  const QString err = writePdfReport(*out, path);
  say(err.isEmpty() ? QStringLiteral("Wrote %1").arg(path) : err);
}

void MainWindow::exportAllDialog() {
  const auto& out = results_->outcome();
  if (!out) return;
  const QString dir = QFileDialog::getExistingDirectory(this, QStringLiteral("Export everything to"));
  if (dir.isEmpty()) return;
  const QString stem = QFileInfo(QString::fromStdString(out->scenario.file)).completeBaseName();
  const ReportFiles r = writeReportFiles(*out, dir, stem.isEmpty() ? QStringLiteral("scenario") : stem);
  say(r.error.isEmpty() ? QStringLiteral("Wrote %1 file(s) to %2").arg(r.written.size()).arg(dir) : r.error);
}

}  // namespace hwgui
