#include "gui/catalogue_page.hpp"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QPushButton>
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
#include "gui/code_editor.hpp"
#include "gui/paths.hpp"
#include "sim/io/yaml_writer.hpp"
#include "gui/predict_panel.hpp"

namespace hwgui {

CataloguePage::CataloguePage(std::shared_ptr<const hw::Catalogue> catalogue, const QString& simulator, QWidget* parent)
    : QWidget(parent), catalogue_(catalogue), model_(new CatalogueModel(this)), filter_(new CatalogueFilter(this)), class_(new QComboBox), search_(new QLineEdit),
      table_(new QTableView), detail_(new QTextBrowser), predict_(new PredictPanel(catalogue, simulator)), footer_(new QLabel) {
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
  auto* duplicate = new QPushButton(QStringLiteral("Duplicate and edit…"));
  duplicate->setToolTip(QStringLiteral("Copy the selected profile under a new id, edit its figures, save it to %1").arg(userProfilesDir()));
  connect(duplicate, &QPushButton::clicked, this, &CataloguePage::duplicateDialog);
  auto* import = new QPushButton(QStringLiteral("Import profile…"));
  import->setToolTip(QStringLiteral("Add a profile file, such as one written by `hwplan calibrate`, to %1").arg(userProfilesDir()));
  connect(import, &QPushButton::clicked, this, &CataloguePage::importDialog);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(footer_, 1);
  buttons->addWidget(duplicate);
  buttons->addWidget(import);
  ll->addLayout(buttons);
  footer_->setText(QStringLiteral("<span style='color:#777'>%1 profiles from %2 and %3</span>")
                       .arg(model_->rowCount())
                       .arg(dir.toHtmlEscaped(), userProfilesDir().toHtmlEscaped()));
  footer_->setWordWrap(true);
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

void CataloguePage::setCatalogue(std::shared_ptr<const hw::Catalogue> catalogue) {
  const QModelIndex at = filter_->mapToSource(table_->currentIndex());
  const hw::HardwareProfile* p = model_->profile(at.row());
  const QString id = p ? QString::fromStdString(p->id) : QString();
  catalogue_ = catalogue;
  model_->setCatalogue(std::move(catalogue));
  footer_->setText(QStringLiteral("<span style='color:#777'>%1 profiles from %2 and %3</span>")
                       .arg(model_->rowCount())
                       .arg(QString::fromStdString(catalogue_->profiles_dir).toHtmlEscaped(), userProfilesDir().toHtmlEscaped()));
  if (!id.isEmpty()) select(id);
}

bool CataloguePage::select(const QString& id) {
  for (int r = 0; r < filter_->rowCount(); ++r) {
    const QModelIndex i = filter_->index(r, CatalogueModel::Id);
    if (i.data().toString() == id) {
      table_->setCurrentIndex(i);
      table_->scrollTo(i);
      showSelected();
      return true;
    }
  }
  return false;
}

QString CataloguePage::duplicateText(const QString& id) const {
  auto it = catalogue_->profiles.find(id.toStdString());
  if (it == catalogue_->profiles.end()) return {};
  hw::HardwareProfile copy = it->second;
  copy.id += "-custom";
  copy.name += " (edited copy)";
  return QStringLiteral("# A copy of '%1' to edit. Change the figures that differ for your hardware and say where each\n"
                        "# comes from in its source; the profile keys are in docs/input-format.md.\n")
             .arg(id) +
         QString::fromStdString(hw::profile_yaml(copy));
}

QString CataloguePage::addProfileText(const QString& text, const QString& displayName) {
  QString saved;
  const QString err = addUserProfile(text, displayName, *catalogue_, &saved);
  if (!err.isEmpty()) return err;
  const hw::HardwareProfile p = hw::load_profile(saved.toStdString());
  Q_EMIT catalogueChanged(QString::fromStdString(p.id));
  return {};
}

QString CataloguePage::importProfile(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) return QStringLiteral("%1: cannot open: %2").arg(path, f.errorString());
  return addProfileText(QString::fromUtf8(f.readAll()), path);
}

void CataloguePage::duplicateDialog() {
  const QModelIndex at = filter_->mapToSource(table_->currentIndex());
  const hw::HardwareProfile* p = model_->profile(at.row());
  if (!p) {
    footer_->setText(QStringLiteral("<span style='color:#c03030'>Select a profile to duplicate first.</span>"));
    return;
  }
  QDialog d(this);
  d.setWindowTitle(QStringLiteral("Duplicate and edit %1").arg(QString::fromStdString(p->id)));
  auto* editor = new CodeEditor;
  editor->setPlainText(duplicateText(QString::fromStdString(p->id)));
  auto* error = new QLabel;
  error->setWordWrap(true);
  error->setStyleSheet(QStringLiteral("color: #c03030"));
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
  auto* l = new QVBoxLayout(&d);
  l->addWidget(new QLabel(QStringLiteral("Saved to %1 as &lt;id&gt;.yaml").arg(userProfilesDir().toHtmlEscaped())));
  l->addWidget(editor, 1);
  l->addWidget(error);
  l->addWidget(buttons);
  d.resize(760, 640);
  connect(buttons, &QDialogButtonBox::rejected, &d, &QDialog::reject);
  connect(buttons, &QDialogButtonBox::accepted, &d, [&] {
    const QString err = addProfileText(editor->toPlainText(), QStringLiteral("the edited profile"));
    if (err.isEmpty()) {
      d.accept();
    } else {
      error->setText(err);  // the loader's words: line, column, key, value, what is expected
    }
  });
  d.exec();
}

void CataloguePage::importDialog() {
  const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Import a profile"), QString(), QStringLiteral("Profiles (*.yaml *.yml)"));
  if (path.isEmpty()) return;
  const QString err = importProfile(path);
  if (!err.isEmpty()) footer_->setText(QStringLiteral("<span style='color:#c03030'>%1</span>").arg(err.toHtmlEscaped()));
}

void CataloguePage::showSelected() {
  const QModelIndex at = filter_->mapToSource(table_->currentIndex());
  if (const hw::HardwareProfile* p = model_->profile(at.row())) {
    detail_->setHtml(profileDetailHtml(*p));
    predict_->setHardware(QString::fromStdString(p->id));
  }
}

}  // namespace hwgui
