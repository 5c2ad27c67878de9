// The hardware catalogue as a table (one row per profile, sorted by id), and a proxy that
// filters it by class and by a search text.
#pragma once

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <memory>
#include <optional>
#include <vector>

#include "sim/io/loaders.hpp"

namespace hwgui {

class CatalogueModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Id, Name, Class, Accelerators, PeakFp16, PeakInt8, Memory, Bandwidth, PowerIdle, PowerMax, Price, ColumnCount };
  enum Role {
    SortRole = Qt::UserRole,  // number or text
    ClassRole,                // the class as the YAML spells it ("gpu_server")
    ProfileIdRole,
  };

  explicit CatalogueModel(QObject* parent = nullptr);
  void setCatalogue(std::shared_ptr<const hw::Catalogue> catalogue);
  [[nodiscard]] const hw::HardwareProfile* profile(int row) const;

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  std::shared_ptr<const hw::Catalogue> catalogue_;
  std::vector<const hw::HardwareProfile*> rows_;
};

class CatalogueFilter : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  explicit CatalogueFilter(QObject* parent = nullptr);
  void setClass(std::optional<hw::HardwareClass> c);  // nullopt: every class
  void setSearch(const QString& text);                 // matches id, name, form factor, interfaces

 protected:
  [[nodiscard]] bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

 private:
  std::optional<hw::HardwareClass> class_;
  QString search_;
};

// Every figure of a profile with its source, as HTML for the detail pane.
QString profileDetailHtml(const hw::HardwareProfile& p);

}  // namespace hwgui
