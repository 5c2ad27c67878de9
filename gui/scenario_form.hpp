// A form for what people change most in a scenario: name and story, run length, sites and
// their links, streams (sources, rate, payload, SLO), batch jobs, costs and the candidate
// hardware. It edits a copy of the last valid scenario of the YAML tab and hands the
// changed scenario back (edited()); the page rewrites the YAML from it with sim/io's writer,
// so both views always show the same scenario. Every figure is text with a unit, read by
// the library's unit parser; a figure it cannot read is marked and not applied.
#pragma once

#include <QWidget>
#include <functional>
#include <optional>
#include <vector>

#include "sim/io/loaders.hpp"

class QFormLayout;
class QLabel;
class QVBoxLayout;
class QLineEdit;
class QPlainTextEdit;
class QTableWidget;
class QTableWidgetItem;

namespace hwgui {

class ScenarioForm : public QWidget {
  Q_OBJECT
 public:
  explicit ScenarioForm(QWidget* parent = nullptr);

  // Shows `s`; nullopt (the YAML has an error) disables the form until the YAML is fixed.
  void setScenario(const std::optional<hw::Scenario>& s);
  [[nodiscard]] const std::optional<hw::Scenario>& scenario() const { return scenario_; }

  // For tests and the page: the widgets.
  [[nodiscard]] QLineEdit* field(const QString& name) const;  // "name", "duration", "costs.horizon", ...
  [[nodiscard]] QTableWidget* sites() const { return sites_; }
  [[nodiscard]] QTableWidget* streams() const { return streams_; }
  [[nodiscard]] QTableWidget* jobs() const { return jobs_; }
  [[nodiscard]] QTableWidget* candidates() const { return candidates_; }

  // Adds a row to the sites, streams or candidates table: a copy of row `from` (-1: the
  // last) under a new id; removes row `row`. Each returns why not (a site that a stream or
  // batch job uses, the only site or stream), empty when the scenario changed.
  QString addRow(QTableWidget* t, int from = -1);
  QString removeRow(QTableWidget* t, int row);

  // Column of a table by its header text ("count", "backhaul latency", ...); -1 if none.
  static int column(QTableWidget* t, const QString& header);

 Q_SIGNALS:
  void edited(const hw::Scenario& s);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;
  void changeEvent(QEvent* event) override;  // a new palette: the read-only cells follow it

 private:
  // A field: how to show it from a scenario and how to apply text to one (returns an
  // error message, empty when applied).
  using Show = std::function<QString(const hw::Scenario&)>;
  using Apply = std::function<QString(hw::Scenario&, const QString&)>;
  void addField(QFormLayout* form, const QString& name, const QString& label, Show show, Apply apply);
  struct Column {
    QString header;
    std::function<QString(const hw::Scenario&, int row)> show;
    std::function<QString(hw::Scenario&, int row, const QString&)> apply;  // empty: read-only
  };
  using RowEdit = std::function<QString(hw::Scenario&, int row)>;
  QTableWidget* addTable(const QString& title, std::vector<Column> columns, std::function<int(const hw::Scenario&)> rows,
                         QVBoxLayout* into, RowEdit add = {}, RowEdit remove = {});
  void refresh();
  void applyCell(QTableWidget* t, QTableWidgetItem* item);
  void mark(QWidget* w, const QString& error);

  std::optional<hw::Scenario> scenario_;
  bool refreshing_ = false;
  QLabel* note_;
  QPlainTextEdit* description_;
  bool descriptionDirty_ = false;
  struct Field {
    QString name;
    QLineEdit* edit;
    Show show;
    Apply apply;
  };
  std::vector<Field> fields_;
  struct Table {
    QTableWidget* widget;
    std::vector<Column> columns;
    std::function<int(const hw::Scenario&)> rows;
    RowEdit add, remove;
    QLabel* status = nullptr;
    std::vector<QWidget*> buttons;  // Add a copy, Remove: off with the form
  };
  std::vector<Table> tables_;
  void colourReadOnlyCells();
  QString editRows(Table& tab, const std::function<QString(hw::Scenario&)>& edit);
  QTableWidget* sites_ = nullptr;
  QTableWidget* streams_ = nullptr;
  QTableWidget* jobs_ = nullptr;
  QTableWidget* candidates_ = nullptr;
};

}  // namespace hwgui
