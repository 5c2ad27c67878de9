#include "gui/table_model.hpp"

#include <limits>

namespace hwgui {

TextTableModel::TextTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void TextTableModel::setTable(hw::Table table) {
  beginResetModel();
  table_ = std::move(table);
  endResetModel();
}

int TextTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(table_.rows.size()); }
int TextTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(table_.header.size()); }

QVariant TextTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) return {};
  const auto& row = table_.rows[static_cast<std::size_t>(index.row())];
  const QString cell = static_cast<std::size_t>(index.column()) < row.size() ? QString::fromStdString(row[static_cast<std::size_t>(index.column())]) : QString();
  bool number = false;
  const double v = cell.toDouble(&number);
  switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole: return cell;
    case SortRole:
      if (number) return v;
      if (cell.isEmpty()) return std::numeric_limits<double>::infinity();
      return cell;
    case Qt::TextAlignmentRole:
      return QVariant::fromValue(Qt::Alignment((number ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter));
    default: return {};
  }
}

QVariant TextTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 && section < columnCount()) {
    return QString::fromStdString(table_.header[static_cast<std::size_t>(section)]);
  }
  return QAbstractTableModel::headerData(section, orientation, role);
}

}  // namespace hwgui
