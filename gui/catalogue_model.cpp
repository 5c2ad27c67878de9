#include "gui/catalogue_model.hpp"

#include <QLocale>
#include <cmath>

namespace hwgui {

namespace {

double peak(const hw::HardwareProfile& p, hw::Precision q) {
  const auto it = p.peak.find(q);
  return it == p.peak.end() ? 0.0 : it->second.si();
}

// Three significant figures without an exponent: 1310, 45.2, 0.125.
QString num(double v, int digits = 3) {
  const double a = std::abs(v);
  if (a >= 1000 || a == 0) return QLocale().toString(v, 'f', 0);
  int decimals = digits - 1;
  for (double t = 10; t <= a && decimals > 0; t *= 10) --decimals;
  return QLocale().toString(v, 'f', decimals);
}

}  // namespace

CatalogueModel::CatalogueModel(QObject* parent) : QAbstractTableModel(parent) {}

void CatalogueModel::setCatalogue(std::shared_ptr<const hw::Catalogue> catalogue) {
  beginResetModel();
  catalogue_ = std::move(catalogue);
  rows_.clear();
  if (catalogue_) {
    for (const auto& [id, p] : catalogue_->profiles) rows_.push_back(&p);
  }
  endResetModel();
}

const hw::HardwareProfile* CatalogueModel::profile(int row) const {
  return row >= 0 && row < static_cast<int>(rows_.size()) ? rows_[static_cast<std::size_t>(row)] : nullptr;
}

int CatalogueModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(rows_.size()); }
int CatalogueModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant CatalogueModel::data(const QModelIndex& index, int role) const {
  const hw::HardwareProfile* p = profile(index.row());
  if (!p || !index.isValid()) return {};
  if (role == ClassRole) return QString::fromStdString(hw::to_string(p->klass));
  if (role == ProfileIdRole) return QString::fromStdString(p->id);
  const bool sort = role == SortRole;
  if (role != Qt::DisplayRole && !sort) {
    if (role == Qt::TextAlignmentRole && index.column() >= Accelerators) {
      return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    }
    if (role == Qt::ToolTipRole) return QString::fromStdString(p->name);
    return {};
  }
  auto figure = [&](double v, int digits = 3) -> QVariant { return sort ? QVariant(v) : (v > 0 ? QVariant(num(v, digits)) : QVariant("-")); };
  switch (index.column()) {
    case Id: return QString::fromStdString(p->id);
    case Name: return QString::fromStdString(p->name);
    case Class: return QString::fromStdString(hw::to_string(p->klass));
    case Accelerators: return sort ? QVariant(p->accelerators) : QVariant(QString::number(p->accelerators));
    case PeakFp16: return figure(peak(*p, hw::Precision::fp16) / 1e12);
    case PeakInt8: return figure(peak(*p, hw::Precision::int8) / 1e12);
    case Memory: return figure(p->memory_capacity.si() / 1e9);
    case Bandwidth: return figure(p->memory_bandwidth.si() / 1e9);
    case PowerIdle: return figure(p->power_idle.si());
    case PowerMax: return figure(p->power_max.si());
    case Price:
      if (sort) return p->price.amount;
      return QStringLiteral("%1 %2").arg(QLocale().toString(p->price.amount, 'f', 0), QString::fromStdString(p->price.currency));
    default: return {};
  }
}

QVariant CatalogueModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
  switch (section) {
    case Id: return QStringLiteral("id");
    case Name: return QStringLiteral("name");
    case Class: return QStringLiteral("class");
    case Accelerators: return QStringLiteral("accel.");
    case PeakFp16: return QStringLiteral("fp16 TFLOP/s");
    case PeakInt8: return QStringLiteral("int8 TOP/s");
    case Memory: return QStringLiteral("memory GB");
    case Bandwidth: return QStringLiteral("mem. BW GB/s");
    case PowerIdle: return QStringLiteral("idle W");
    case PowerMax: return QStringLiteral("max W");
    case Price: return QStringLiteral("price");
    default: return {};
  }
}

CatalogueFilter::CatalogueFilter(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortRole(CatalogueModel::SortRole);
  setFilterCaseSensitivity(Qt::CaseInsensitive);
}

void CatalogueFilter::setClass(std::optional<hw::HardwareClass> c) {
  class_ = c;
  invalidateFilter();
}

void CatalogueFilter::setSearch(const QString& text) {
  search_ = text.trimmed();
  invalidateFilter();
}

bool CatalogueFilter::filterAcceptsRow(int row, const QModelIndex& parent) const {
  const auto* m = qobject_cast<const CatalogueModel*>(sourceModel());
  const hw::HardwareProfile* p = m ? m->profile(row) : nullptr;
  if (!p || parent.isValid()) return false;
  if (class_ && p->klass != *class_) return false;
  if (search_.isEmpty()) return true;
  QStringList hay{QString::fromStdString(p->id), QString::fromStdString(p->name), QString::fromStdString(p->form_factor),
                  QString::fromStdString(p->environment)};
  for (const auto& i : p->interfaces) hay << QString::fromStdString(i);
  for (const QString& h : hay) {
    if (h.contains(search_, Qt::CaseInsensitive)) return true;
  }
  return false;
}

QString profileDetailHtml(const hw::HardwareProfile& p) {
  auto esc = [](const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); };
  auto source = [&](const char* group) -> QString {
    const auto it = p.sources.find(group);
    if (it != p.sources.end()) return esc(it->second);
    // The loader requires sources for these; others are often covered by a neighbour.
    static const QStringList required{"compute", "memory", "power", "price"};
    return required.contains(QLatin1String(group)) ? QStringLiteral("<i>no source given</i>") : QString();
  };
  QString h;
  h += QStringLiteral("<h2>%1</h2><p><b>%2</b> &middot; class <b>%3</b>%4</p>")
           .arg(esc(p.name), esc(p.id), esc(hw::to_string(p.klass)),
                p.form_factor.empty() ? QString() : QStringLiteral(" &middot; %1").arg(esc(p.form_factor)));
  h += QStringLiteral("<table cellspacing='0' cellpadding='3' border='0'>");
  auto row = [&](const QString& what, const QString& value, const QString& src) {
    h += QStringLiteral("<tr><td valign='top'><b>%1</b></td><td valign='top'>%2</td><td valign='top' style='color:#666'>%3</td></tr>")
             .arg(what, value, src);
  };
  QStringList compute;
  for (const auto& [prec, v] : p.peak) {
    compute << QStringLiteral("%1: %2 %3").arg(esc(hw::to_string(prec)), num(v.si() / 1e12, 4), prec == hw::Precision::int8 ? "TOP/s" : "TFLOP/s");
  }
  row(QStringLiteral("peak compute"), compute.join("<br>") + (p.accelerators > 1 ? QStringLiteral("<br>(per accelerator)") : QString()),
      source("compute"));
  row(QStringLiteral("accelerators"), QString::number(p.accelerators), source("accelerators"));
  row(QStringLiteral("memory"),
      QStringLiteral("%1 GB at %2 GB/s").arg(num(p.memory_capacity.si() / 1e9, 4), num(p.memory_bandwidth.si() / 1e9, 4)), source("memory"));
  row(QStringLiteral("efficiency"),
      QStringLiteral("compute %1, memory %2, half-efficiency batch %3")
          .arg(num(p.efficiency_compute), num(p.efficiency_memory), num(p.half_efficiency_batch)),
      source("efficiency"));
  row(QStringLiteral("overhead"), QStringLiteral("%1 ms per batch").arg(num(p.overhead.si() * 1e3)), source("overhead"));
  QStringList modes;
  for (const auto& w : p.power_modes) modes << num(w.si());
  row(QStringLiteral("power"),
      QStringLiteral("idle %1 W, max %2 W%3")
          .arg(num(p.power_idle.si()), num(p.power_max.si()), modes.isEmpty() ? QString() : QStringLiteral("; modes %1 W").arg(modes.join(", "))),
      source("power"));
  row(QStringLiteral("price"),
      QStringLiteral("%1 %2%3").arg(QLocale().toString(p.price.amount, 'f', 0), esc(p.price.currency),
                                    p.price_year > 0 ? QStringLiteral(" (%1)").arg(p.price_year) : QString()),
      source("price"));
  QStringList ifs;
  for (const auto& i : p.interfaces) ifs << esc(i);
  if (!ifs.isEmpty()) row(QStringLiteral("interfaces"), ifs.join(", "), source("interfaces"));
  if (!p.environment.empty()) row(QStringLiteral("environment"), esc(p.environment), source("environment"));
  // Sources for groups not shown above.
  for (const auto& [group, text] : p.sources) {
    static const QStringList shown{"compute", "accelerators", "memory", "efficiency", "overhead", "power", "price", "interfaces", "environment"};
    if (!shown.contains(QString::fromStdString(group))) row(esc(group), QString(), esc(text));
  }
  h += QStringLiteral("</table>");
  if (!p.calibration.empty()) {
    h += QStringLiteral("<h3>Calibration</h3><table cellpadding='2'>");
    for (const auto& [k, v] : p.calibration) h += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(esc(k), esc(v));
    h += QStringLiteral("</table>");
  }
  h += QStringLiteral("<p style='color:#666'>file: %1</p>").arg(esc(p.file));
  return h;
}

}  // namespace hwgui
