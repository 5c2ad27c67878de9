#include "gui/results_page.hpp"

#include <QChart>
#include <QChartView>
#include <QHeaderView>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "gui/candidates_model.hpp"
#include "gui/recommendation.hpp"
#include "gui/table_model.hpp"
#include "gui/topology_view.hpp"

namespace hwgui {

ResultsPage::ResultsPage(QWidget* parent)
    : QWidget(parent), card_(new QTextBrowser), tabs_(new QTabWidget), table_(new QTableView), model_(new CandidatesModel(this)),
      proxy_(new QSortFilterProxyModel(this)), csvTable_(new QTableView), csvModel_(new TextTableModel(this)),
      topology_(new TopologyView) {
  card_->setOpenLinks(false);
  card_->setHtml(QStringLiteral("<h2 style='color:#777'>No results yet</h2><p>Open a scenario and press <b>Run</b> (F5).</p>"));
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
  for (const ChartInfo& k : chartKinds()) {
    auto* v = new QChartView;
    v->setRenderHint(QPainter::Antialiasing);
    v->setContextMenuPolicy(Qt::CustomContextMenu);
    const ChartKind kind = k.kind;
    connect(v, &QWidget::customContextMenuRequested, this, [this, v, kind](const QPoint& at) {
      QMenu menu;
      menu.addAction(QStringLiteral("Save chart as PNG or SVG…"), this, [this, kind] { Q_EMIT saveChartRequested(kind); });
      menu.exec(v->mapToGlobal(at));
    });
    views_.push_back(v);
    built_.push_back(false);
    tabs_->addTab(v, k.title);
  }
  tabs_->addTab(topology_, QStringLiteral("Topology"));
  tabs_->addTab(csvTable_, QStringLiteral("All columns (CSV)"));
  connect(tabs_, &QTabWidget::currentChanged, this, [this](int) {
    for (std::size_t i = 0; i < views_.size(); ++i) {
      if (tabs_->currentWidget() == views_[i]) ensureChart(i);
    }
  });
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(card_);
  split->addWidget(tabs_);
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 3);
  split->setSizes({340, 460});
  auto* l = new QVBoxLayout(this);
  l->setContentsMargins(0, 0, 0, 0);
  l->addWidget(split);
  setOutcome(nullptr);
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

void ResultsPage::ensureChart(std::size_t i) {
  if (built_[i] || !outcome_) return;
  built_[i] = true;
  QChart* old = views_[i]->chart();
  views_[i]->setChart(makeChart(chartKinds()[i].kind, *outcome_));
  delete old;
}

void ResultsPage::setLoadCurve(PlanOutcomePtr withCurve) {
  if (!outcome_ || !withCurve || &withCurve->plan == &outcome_->plan) return;
  // The same plan: the same scenario, the same candidates at the same sizes and prices.
  if (withCurve->scenario.name != outcome_->scenario.name || withCurve->plan.candidates.size() != outcome_->plan.candidates.size() ||
      withCurve->plan.winner != outcome_->plan.winner || withCurve->wallSeconds != outcome_->wallSeconds) {
    return;
  }
  outcome_ = std::move(withCurve);  // the table's model keeps the same plan's first copy
  const auto& k = chartKinds();
  for (std::size_t i = 0; i < k.size(); ++i) {
    if (k[i].kind != ChartKind::LoadCurve) continue;
    built_[i] = false;
    if (tabs_->currentWidget() == views_[i]) ensureChart(i);
  }
}

void ResultsPage::setOutcome(PlanOutcomePtr outcome) {
  outcome_ = std::move(outcome);
  model_->setOutcome(outcome_);
  built_.assign(views_.size(), false);
  for (QChartView* v : views_) {
    QChart* old = v->chart();
    v->setChart(new QChart);
    delete old;
  }
  for (std::size_t i = 0; i < views_.size(); ++i) {
    if (tabs_->currentWidget() == views_[i]) ensureChart(i);
  }
  csvModel_->setTable(outcome_ ? candidatesCsv(outcome_->scenario, outcome_->plan) : hw::Table{});
  if (outcome_) {
    const auto& p = outcome_->plan;
    const auto shown = p.winner ? p.winner : p.closest;
    topology_->draw(&outcome_->scenario, shown ? &p.candidates[*shown].report : nullptr);
  } else {
    topology_->draw(nullptr);
  }
  if (outcome_) {
    // Columns that mean nothing for this scenario (latency without streams, makespan
    // without batch jobs) are hidden.
    const bool streams = !outcome_->scenario.streams.empty(), jobs = !outcome_->scenario.batch_jobs.empty();
    for (int c : {CandidatesModel::Latency, CandidatesModel::Slo, CandidatesModel::CostPerMillion}) table_->setColumnHidden(c, !streams);
    table_->setColumnHidden(CandidatesModel::Makespan, !jobs);
    card_->setHtml(recommendationHtml(*outcome_));
    table_->sortByColumn(CandidatesModel::Rank, Qt::AscendingOrder);
    table_->resizeColumnsToContents();
    for (int c = 0; c < model_->columnCount(); ++c) table_->setColumnWidth(c, std::min(table_->columnWidth(c), 360));
    csvTable_->resizeColumnsToContents();
    for (int c = 0; c < csvModel_->columnCount(); ++c) csvTable_->setColumnWidth(c, std::min(csvTable_->columnWidth(c), 260));
  }
  tabs_->setEnabled(outcome_ != nullptr);
}

}  // namespace hwgui
