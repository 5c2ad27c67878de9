// The hardware catalogue: every profile in a sortable table, filtered by class and a search
// text; the selected profile's figures, each with its source, in a detail pane, and the
// performance model's prediction for it against batch size.
#pragma once

#include <QWidget>
#include <memory>

#include "sim/io/loaders.hpp"

class QComboBox;
class QLineEdit;
class QTableView;
class QTextBrowser;

namespace hwgui {

class CatalogueModel;
class CatalogueFilter;
class PredictPanel;

class CataloguePage : public QWidget {
  Q_OBJECT
 public:
  // simulator: the hwplan binary, for `hwplan predict`.
  CataloguePage(std::shared_ptr<const hw::Catalogue> catalogue, const QString& simulator, QWidget* parent = nullptr);
  [[nodiscard]] QComboBox* classFilter() const { return class_; }
  [[nodiscard]] QLineEdit* search() const { return search_; }
  [[nodiscard]] QTableView* table() const { return table_; }
  [[nodiscard]] QTextBrowser* detail() const { return detail_; }
  [[nodiscard]] CatalogueFilter* filter() const { return filter_; }
  [[nodiscard]] PredictPanel* predict() const { return predict_; }

 private:
  void showSelected();
  CatalogueModel* model_;
  CatalogueFilter* filter_;
  QComboBox* class_;
  QLineEdit* search_;
  QTableView* table_;
  QTextBrowser* detail_;
  PredictPanel* predict_;
};

}  // namespace hwgui
