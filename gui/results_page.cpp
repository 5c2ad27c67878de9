#include "gui/results_page.hpp"

#include <algorithm>
#include <cmath>

#include <QEvent>

#include <QChart>
#include <QChartView>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QStyle>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QAbstractTextDocumentLayout>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextLayout>
#include <QTextTable>
#include <QHBoxLayout>
#include <QVBoxLayout>

#include "gui/candidates_model.hpp"
#include "gui/preferences.hpp"
#include "gui/recommendation.hpp"
#include "gui/table_model.hpp"
#include "gui/topology_view.hpp"

namespace hwgui {

ResultsPage::ResultsPage(QWidget* parent)
    : QWidget(parent), stale_(new QLabel), card_(new QTextBrowser), tabs_(new QTabWidget), table_(new QTableView), model_(new CandidatesModel(this)),
      proxy_(new QSortFilterProxyModel(this)), csvTable_(new QTableView), csvModel_(new TextTableModel(this)),
      topology_(new TopologyView) {
  card_->setOpenLinks(false);
  card_->setHtml(QStringLiteral("<h2 style='color:#777'>No results yet</h2><p>Open a scenario and press <b>Recommend</b> (F5).</p>"));
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(CandidatesModel::SortRole);
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(CandidatesModel::Rank, Qt::AscendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setAlternatingRowColors(true);
  table_->setWordWrap(false);
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setStretchLastSection(true);
  tabs_->addTab(table_, QStringLiteral("Candidates"));
  auto* csvProxy = new QSortFilterProxyModel(this);
  csvProxy->setSourceModel(csvModel_);
  csvProxy->setSortRole(TextTableModel::SortRole);
  csvTable_->setModel(csvProxy);
  csvTable_->setSortingEnabled(true);
  csvTable_->setAlternatingRowColors(true);
  csvTable_->setWordWrap(false);
  csvTable_->verticalHeader()->setVisible(false);
  // Each chart tab starts as an empty page; its QChartView is made the first time the tab
  // is shown (or asked for), so that neither start-up nor a result pays for views nobody
  // looked at.
  for (const ChartInfo& k : chartKinds()) {
    auto* page = new QWidget;
    auto* pl = new QVBoxLayout(page);
    pl->setContentsMargins(0, 0, 0, 0);
    if (k.kind == ChartKind::LoadCurve) {
      curveBar_ = new QWidget;
      auto* bl = new QHBoxLayout(curveBar_);
      bl->setContentsMargins(6, 4, 6, 4);
      curveText_ = new QLabel;
      curveText_->setWordWrap(true);
      curveButton_ = new QPushButton(QStringLiteral("Plan the load curve"));
      bl->addWidget(curveText_, 1);
      bl->addWidget(curveButton_);
      connect(curveButton_, &QPushButton::clicked, this, &ResultsPage::loadCurveRequested);
      curveBar_->setVisible(false);
      pl->addWidget(curveBar_);
    }
    pages_.push_back(page);
    views_.push_back(nullptr);
    built_.push_back(false);
    tabs_->addTab(page, k.title);
  }
  tabs_->addTab(topology_, QStringLiteral("Topology"));
  tabs_->addTab(csvTable_, QStringLiteral("All columns (CSV)"));
  connect(tabs_, &QTabWidget::currentChanged, this, [this](int) { showCurrentTab(); });
  auto* split = split_ = new QSplitter(Qt::Vertical);
  split->addWidget(card_);
  split->addWidget(tabs_);
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 3);
  split->setSizes({340, 460});  // until a result fits the card to its text (fitCard)
  // Amber with dark text, as the scenario page's notes: readable on either palette.
  stale_->setObjectName(QStringLiteral("staleNotice"));
  stale_->setTextFormat(Qt::PlainText);
  stale_->setWordWrap(true);  // one line at any usual width; wraps rather than widen the window
  stale_->setStyleSheet(QStringLiteral("QLabel { background: #fff4d6; color: #5a4300; padding: 6px; border: 1px solid #e6d090; font-weight: bold; }"));
  stale_->setVisible(false);
  auto* l = new QVBoxLayout(this);
  l->setContentsMargins(0, 0, 0, 0);
  l->addWidget(stale_);
  l->addWidget(split, 1);
  setOutcome(nullptr);
}

void ResultsPage::setStaleNotice(const QString& text) {
  if (stale_->text() != text) stale_->setText(text);
  stale_->setVisible(!text.isEmpty());
}

QChartView* ResultsPage::chartView(ChartKind kind) {
  const auto& k = chartKinds();
  for (std::size_t i = 0; i < k.size(); ++i) {
    if (k[i].kind == kind) {
      ensureChart(i);
      return views_[i];
    }
  }
  return nullptr;
}

void ResultsPage::showChart(ChartKind kind) {
  const auto& k = chartKinds();
  for (std::size_t i = 0; i < k.size(); ++i) {
    if (k[i].kind == kind) tabs_->setCurrentWidget(pages_[i]);
  }
}

TopologyView* ResultsPage::topology() {
  ensureTopology();
  return topology_;
}

QTableView* ResultsPage::csvTable() {
  ensureCsv();
  return csvTable_;
}

TextTableModel* ResultsPage::csvModel() {
  ensureCsv();
  return csvModel_;
}

void ResultsPage::showCurrentTab() {
  QWidget* current = tabs_->currentWidget();
  for (std::size_t i = 0; i < pages_.size(); ++i) {
    if (current == pages_[i]) ensureChart(i);
  }
  if (current == topology_) ensureTopology();
  if (current == csvTable_) ensureCsv();
}

QChartView* ResultsPage::ensureView(std::size_t i) {
  if (views_[i] != nullptr) return views_[i];
  auto* v = new QChartView;
  v->setRenderHint(QPainter::Antialiasing);
  v->setContextMenuPolicy(Qt::CustomContextMenu);
  const ChartKind kind = chartKinds()[i].kind;
  connect(v, &QWidget::customContextMenuRequested, this, [this, v, kind](const QPoint& at) {
    QMenu menu;
    menu.addAction(QStringLiteral("Save chart as PNG or SVG…"), this, [this, kind] { Q_EMIT saveChartRequested(kind); });
    menu.exec(v->mapToGlobal(at));
  });
  // In a scroll area: below the chart's minimum size (chartMinimumSize, set when a chart is
  // made) the page scrolls rather than Qt cutting every label to "...".
  auto* scroll = new QScrollArea;
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidgetResizable(true);
  scroll->setWidget(v);
  pages_[i]->layout()->addWidget(scroll);
  views_[i] = v;
  return v;
}

void ResultsPage::ensureChart(std::size_t i) {
  QChartView* v = ensureView(i);
  if (built_[i] || !outcome_) return;
  built_[i] = true;
  QChart* old = v->chart();
  QChart* chart = makeChart(chartKinds()[i].kind, *outcome_);
  v->setChart(chart);
  v->setMinimumSize(placeLegend(chart, chartWidth(i)));
  delete old;
}

int ResultsPage::chartWidth(std::size_t i) const {
  // The tab's page (the tab widget's stack gives every page its geometry, shown or not), not
  // the scroll area's viewport: a view made on the tab's first show is in a scroll area not
  // yet laid out (about 100 px wide), which put every legend beside its plot at 1280x820.
  const int page = pages_[i]->width();
  return page >= 100 ? page : std::max(0, tabs_->width() - 8);
}

void ResultsPage::refitLegends() {
  for (std::size_t i = 0; i < views_.size(); ++i) {
    if (!views_[i] || !built_[i] || !views_[i]->chart()) continue;
    const QSize min = placeLegend(views_[i]->chart(), chartWidth(i));
    if (min != views_[i]->minimumSize()) views_[i]->setMinimumSize(min);
  }
}

void ResultsPage::ensureTopology() {
  if (!topologyStale_) return;
  topologyStale_ = false;
  if (outcome_) {
    const auto& p = outcome_->plan;
    const auto shown = p.winner ? p.winner : p.closest;
    topology_->draw(&outcome_->scenario, shown ? &p.candidates[*shown].report : nullptr);
  } else {
    topology_->draw(nullptr);
  }
}

void ResultsPage::ensureCsv() {
  if (!csvStale_) return;
  csvStale_ = false;
  csvModel_->setTable(outcome_ ? candidatesCsv(outcome_->scenario, outcome_->plan) : hw::Table{});
  if (outcome_) {
    csvTable_->resizeColumnsToContents();
    for (int c = 0; c < csvModel_->columnCount(); ++c) csvTable_->setColumnWidth(c, std::min(csvTable_->columnWidth(c), 260));
  }
}

void ResultsPage::setLoadCurve(PlanOutcomePtr withCurve) {
  if (!outcome_ || !withCurve || &withCurve->plan == &outcome_->plan) return;
  // The same plan: the same scenario, the same candidates at the same sizes and prices.
  if (withCurve->scenario.name != outcome_->scenario.name || withCurve->plan.candidates.size() != outcome_->plan.candidates.size() ||
      withCurve->plan.winner != outcome_->plan.winner || withCurve->wallSeconds != outcome_->wallSeconds) {
    return;
  }
  outcome_ = std::move(withCurve);  // the table's model keeps the same plan's first copy
  updateCurveBar();
  const auto& k = chartKinds();
  for (std::size_t i = 0; i < k.size(); ++i) {
    if (k[i].kind == ChartKind::LoadCurve) built_[i] = false;
  }
  showCurrentTab();
}

void ResultsPage::setPlanning(bool planning, bool curve) {
  planning_ = planning;
  planningCurve_ = curve;
  updateCurveBar();
}

void ResultsPage::updateCurveBar() {
  const LoadCurve* curve = outcome_ ? outcome_->loadCurve.get() : nullptr;
  const bool offer = outcome_ && (!curve || curve->cancelled);
  curveBar_->setVisible(offer);
  curveButton_->setVisible(!planningCurve_);
  curveButton_->setEnabled(offer && !planning_);
  if (!offer) return;
  if (planningCurve_) {
    curveText_->setText(curve ? QStringLiteral("Resuming the load curve (progress in the status bar); the loads done so far are drawn.")
                              : QStringLiteral("Planning the load curve (progress in the status bar)."));
  } else if (curve) {
    curveButton_->setText(QStringLiteral("Resume the load curve"));
    curveText_->setText(QStringLiteral("The load curve was cancelled after %1 of %2 loads; the loads done are drawn.")
                            .arg(curve->points.size())
                            .arg(std::max(curve->loads.size(), curve->points.size())));
  } else {
    curveButton_->setText(QStringLiteral("Plan the load curve"));
    curveText_->setText(QStringLiteral("The load curve is not planned for this result."));
  }
}

void ResultsPage::setOutcome(PlanOutcomePtr outcome) {
  // Only what is on screen is made now: the card, the candidates table and the tab shown.
  // Charts, the topology and the CSV tab are marked out of date and made when their tab is
  // first shown (each view keeps its old chart until then: hidden, never drawn).
  outcome_ = std::move(outcome);
  model_->setOutcome(outcome_);
  built_.assign(views_.size(), false);
  topologyStale_ = true;
  csvStale_ = true;
  if (outcome_) {
    // Columns that mean nothing for this scenario (latency without streams, makespan
    // without batch jobs) are hidden.
    const bool streams = !outcome_->scenario.streams.empty(), jobs = !outcome_->scenario.batch_jobs.empty();
    for (int c : {CandidatesModel::Latency, CandidatesModel::Slo, CandidatesModel::CostPerMillion}) table_->setColumnHidden(c, !streams);
    table_->setColumnHidden(CandidatesModel::Makespan, !jobs);
    // Rented power only where some candidate rents its data-centre tier.
    const auto& cs = outcome_->plan.candidates;
    table_->setColumnHidden(CandidatesModel::RentedPower,
                            std::none_of(cs.begin(), cs.end(), [](const hw::SizedCandidate& x) { return x.report.rented_power_w > 0; }));
    card_->setHtml(recommendationHtml(*outcome_, darkPalette()));
    cardFitPending_ = true;
    fitCard();
    table_->sortByColumn(CandidatesModel::Rank, Qt::AscendingOrder);
    table_->resizeColumnsToContents();
    for (int c = 0; c < model_->columnCount(); ++c) table_->setColumnWidth(c, std::min(table_->columnWidth(c), 360));
    columnsFitPending_ = true;
    fitColumns();
  }
  tabs_->setEnabled(outcome_ != nullptr);
  updateCurveBar();
  // The latency distribution has nothing to draw for an LLM stream (TTFT and TPOT are point
  // estimates, no histogram is kept) or batch jobs alone: its tab is off and says why.
  const QString noHistogram = whyNoHistogram();
  const auto& k = chartKinds();
  // The Latency tab likewise when there is no stream (batch jobs only).
  const QString noStream = outcome_ && outcome_->scenario.streams.empty()
                               ? QStringLiteral("No latency: this scenario has batch jobs only, no stream (their makespan is in the Candidates table)")
                               : QString();
  for (std::size_t i = 0; i < k.size(); ++i) {
    if (k[i].kind != ChartKind::Distribution && k[i].kind != ChartKind::Latency) continue;
    const QString why = k[i].kind == ChartKind::Distribution ? noHistogram : noStream;
    const int tab = tabs_->indexOf(pages_[i]);
    tabs_->setTabEnabled(tab, why.isEmpty());
    tabs_->setTabToolTip(tab, why);
    if (!why.isEmpty() && tabs_->currentIndex() == tab) tabs_->setCurrentIndex(0);
  }
  showCurrentTab();
}

QString ResultsPage::whyNoHistogram() const {
  if (!outcome_) return {};
  const QString why = whyNoDistribution(*outcome_);
  return why.isEmpty() ? why : QStringLiteral("No latency distribution: ") + why;
}

void ResultsPage::fitColumns() {
  // The columns up to TCO (rank, candidate, family, hardware, units, latency, SLO, makespan,
  // TCO) within the page's width where they fit: at 1008x660 the candidate, family and
  // hardware columns at their text's width pushed latency and TCO off the right edge. The
  // widest of those three text columns gives way first, none below kFloor (elided, the full
  // text in its tooltip). Once per result, when the page is shown at its size.
  if (!columnsFitPending_ || !isVisible() || table_->viewport()->width() < 100) return;
  columnsFitPending_ = false;
  constexpr int kFloor = 110;
  const int scrollBar = table_->verticalScrollBar()->isVisible() ? 0 : style()->pixelMetric(QStyle::PM_ScrollBarExtent);
  const int room = table_->viewport()->width() - scrollBar;
  int used = 0;
  for (int c = 0; c <= CandidatesModel::Tco; ++c) {
    if (!table_->isColumnHidden(c)) used += table_->columnWidth(c);
  }
  const int text[] = {CandidatesModel::Candidate, CandidatesModel::Family, CandidatesModel::Hardware};
  while (used > room) {
    int widest = -1;
    for (int c : text) {
      if (!table_->isColumnHidden(c) && table_->columnWidth(c) > kFloor && (widest < 0 || table_->columnWidth(c) > table_->columnWidth(widest))) widest = c;
    }
    if (widest < 0) break;  // every one at its floor: the table scrolls
    // Down to the next widest (or the floor, or just enough), a step at a time.
    int next = kFloor;
    for (int c : text) {
      if (c != widest && !table_->isColumnHidden(c) && table_->columnWidth(c) < table_->columnWidth(widest)) next = std::max(next, table_->columnWidth(c));
    }
    const int cut = std::max(1, std::min(table_->columnWidth(widest) - next, used - room));
    table_->setColumnWidth(widest, table_->columnWidth(widest) - cut);
    used -= cut;
  }
}

void ResultsPage::fitCard() {
  // The card as tall as its text (the "Why." paragraph was cut off at a fixed 340 px), up to
  // 40% of the page: the tabs keep the rest (at 60% a 1008x660 window left the charts about
  // 200 px, their legend and axis titles below the fold), and a longer card scrolls. Once per
  // result, when the page is shown at its size: a splitter the user dragged then stays where
  // it is.
  if (!cardFitPending_ || !isVisible() || split_->height() < 100) return;
  cardFitPending_ = false;
  QTextDocument* doc = card_->document();
  doc->setTextWidth(card_->viewport()->width());
  const int text = static_cast<int>(std::ceil(doc->size().height())) + 2 * card_->frameWidth() + 4;
  const int total = split_->height() - split_->handleWidth();
  int card = std::clamp(text, std::min(120, total / 3), total * 2 / 5);
  if (text > card) {
    // A card that scrolls ends where a line or a table row ends, not through one (at
    // 1280x820 the first row of "Rejected families" showed cut in half): the lowest such
    // bottom in the card's last tenth, else the card as it was.
    const int chrome = 2 * card_->frameWidth() + 4;
    const qreal room = card - chrome, lowest = room * 0.9;
    qreal best = -1;
    QAbstractTextDocumentLayout* layout = doc->documentLayout();
    auto consider = [&](qreal bottom) {
      if (bottom <= room && bottom >= lowest) best = std::max(best, bottom);
    };
    for (auto it = doc->rootFrame()->begin(); !it.atEnd(); ++it) {
      if (QTextFrame* f = it.currentFrame()) {
        if (auto* t = qobject_cast<QTextTable*>(f)) {
          for (int r = 0; r < t->rows(); ++r) {
            qreal bottom = 0;
            for (int c = 0; c < t->columns(); ++c) {
              const QTextBlock last = doc->findBlock(t->cellAt(r, c).lastPosition());
              bottom = std::max(bottom, layout->blockBoundingRect(last).bottom());
            }
            consider(bottom);
          }
        } else {
          consider(layout->frameBoundingRect(f).bottom());
        }
      } else {
        const QTextBlock b = it.currentBlock();
        const QRectF r = layout->blockBoundingRect(b);
        const QTextLayout* l = b.layout();
        for (int i = 0; l && i < l->lineCount(); ++i) consider(r.top() + l->lineAt(i).rect().bottom());
      }
    }
    // The viewport exactly to that bottom (the frame around it; no slack, which showed the
    // next line's top).
    if (best > 0) card = static_cast<int>(std::ceil(best)) + 2 * card_->frameWidth();
  }
  split_->setSizes({card, total - card});
}

void ResultsPage::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  fitCard();
  fitColumns();
}

void ResultsPage::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  fitCard();
  fitColumns();
  refitLegends();
}

void ResultsPage::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if ((event->type() == QEvent::ApplicationPaletteChange || event->type() == QEvent::PaletteChange) && outcome_) {
    card_->setHtml(recommendationHtml(*outcome_, darkPalette()));
  }
}

}  // namespace hwgui
