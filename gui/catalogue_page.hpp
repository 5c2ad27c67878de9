// The hardware catalogue: every profile in a sortable table, filtered by class and a search
// text; the selected profile's figures, each with its source, in a detail pane, and the
// performance model's prediction for it against batch size. Duplicate-and-edit copies the
// selected profile's YAML (sim/io's writer) under a new id into an editor, checked by the
// profile loader on save, into the user folder (paths.hpp: userProfilesDir()); import adds a
// profile file as it is (one that `hwplan calibrate` wrote, above all).
#pragma once

#include <QWidget>
#include <memory>

#include "sim/io/loaders.hpp"

class QComboBox;
class QLabel;
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
  // Shows a new catalogue (after a profile was added), keeping the selection where it can.
  void setCatalogue(std::shared_ptr<const hw::Catalogue> catalogue);
  // Selects a profile by id; returns whether it is there.
  bool select(const QString& id);
  // The YAML of a copy of profile `id` for editing: the writer's text under id "<id>-custom".
  [[nodiscard]] QString duplicateText(const QString& id) const;
  // Adds a profile from its YAML text / from a file to the user folder (see addUserProfile);
  // returns the error, empty when added (catalogueChanged() is then emitted).
  QString addProfileText(const QString& text, const QString& displayName);
  QString importProfile(const QString& path);

 Q_SIGNALS:
  // A profile was added to the user folder: the window reloads the catalogue.
  void catalogueChanged(const QString& id);

 private:
  void showSelected();
  void duplicateDialog();
  void importDialog();
  std::shared_ptr<const hw::Catalogue> catalogue_;
  CatalogueModel* model_;
  CatalogueFilter* filter_;
  QComboBox* class_;
  QLineEdit* search_;
  QTableView* table_;
  QTextBrowser* detail_;
  PredictPanel* predict_;
  QLabel* footer_;
};

}  // namespace hwgui
