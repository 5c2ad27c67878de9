// Any hw::Table (the CLI's CSV of a plan, say) as a Qt table model: text as written, and
// under SortRole the number a cell holds (empty cells sort after every number).
#pragma once

#include <QAbstractTableModel>

#include "sim/io/report.hpp"

namespace hwgui {

class TextTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Role { SortRole = Qt::UserRole };
  explicit TextTableModel(QObject* parent = nullptr);
  void setTable(hw::Table table);
  [[nodiscard]] const hw::Table& table() const { return table_; }

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  hw::Table table_;
};

}  // namespace hwgui
