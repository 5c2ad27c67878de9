#include "gui/catalogue_page.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "gui/catalogue_model.hpp"
#include "gui/predict_panel.hpp"

namespace hwgui {

CataloguePage::CataloguePage(std::shared_ptr<const hw::Catalogue> catalogue, const QString& simulator, QWidget* parent)
    : QWidget(parent), model_(new CatalogueModel(this)), filter_(new CatalogueFilter(this)), class_(new QComboBox), search_(new QLineEdit),
      table_(new QTableView), detail_(new QTextBrowser), predict_(new PredictPanel(catalogue, simulator)) {
  const QString dir = catalogue ? QString::fromStdString(catalogue->profiles_dir) : QString();
  model_->setCatalogue(std::move(catalogue));
  filter_->setSourceModel(model_);
  class_->addItem(QStringLiteral("all classes"));
  for (auto c : {hw::HardwareClass::edge, hw::HardwareClass::accelerator, hw::HardwareClass::gpu_server, hw::HardwareClass::cpu_server}) {
    class_->addItem(QString::fromStdString(hw::to_string(c)), static_cast<int>(c));
  }
  connect(class_, &QComboBox::currentIndexChanged, this, [this](int i) {
    const QVariant v = class_->itemData(i);
    filter_->setClass(v.isValid() ? std::optional(static_cast<hw::HardwareClass>(v.toInt())) : std::nullopt);
  });
  search_->setPlaceholderText(QStringLiteral("search id, name, form factor, interfaces…"));
  search_->setClearButtonEnabled(true);
  connect(search_, &QLineEdit::textChanged, filter_, &CatalogueFilter::setSearch);

  table_->setModel(filter_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(CatalogueModel::Id, Qt::AscendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setAlternatingRowColors(true);
  table_->verticalHeader()->setVisible(false);
  table_->resizeColumnsToContents();
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] { showSelected(); });
  detail_->setHtml(QStringLiteral("<p style='color:#777'>Select a profile to see its figures and their sources.</p>"));

  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(QStringLiteral("Class:")));
  bar->addWidget(class_);
  bar->addWidget(search_, 1);
  auto* left = new QWidget;
  auto* ll = new QVBoxLayout(left);
  ll->setContentsMargins(0, 0, 0, 0);
  ll->addLayout(bar);
  ll->addWidget(table_, 1);
  ll->addWidget(new QLabel(QStringLiteral("<span style='color:#777'>%1 profiles from %2</span>").arg(model_->rowCount()).arg(dir.toHtmlEscaped())));
  auto* right = new QSplitter(Qt::Vertical);
  right->addWidget(detail_);
  right->addWidget(predict_);
  right->setSizes({380, 320});
  auto* split = new QSplitter;
  split->addWidget(left);
  split->addWidget(right);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  auto* l = new QVBoxLayout(this);
  l->setContentsMargins(0, 0, 0, 0);
  l->addWidget(split);
}

void CataloguePage::showSelected() {
  const QModelIndex at = filter_->mapToSource(table_->currentIndex());
  if (const hw::HardwareProfile* p = model_->profile(at.row())) {
    detail_->setHtml(profileDetailHtml(*p));
    predict_->setHardware(QString::fromStdString(p->id));
  }
}

}  // namespace hwgui
