// The scenario being edited: its YAML source with line numbers, checked as you type by the
// same loader as `hwplan validate` (an error is shown under the editor in the CLI's words
// and marked at its line and column), and a form for the common fields. Both show the same
// scenario: a valid YAML fills the form, a form edit rewrites the YAML (sim/io's writer).
#pragma once

#include <QTimer>
#include <QWidget>
#include <memory>

#include "gui/scenario_text.hpp"

class QLabel;
class QTabWidget;

namespace hwgui {

class CodeEditor;
class ScenarioForm;
class TopologyView;

class ScenarioPage : public QWidget {
  Q_OBJECT
 public:
  explicit ScenarioPage(std::shared_ptr<const hw::Catalogue> catalogue, QWidget* parent = nullptr);

  // Replaces the document; the page is then unmodified and checked.
  void setDocument(const QString& path, const QString& text);
  void setPath(const QString& path);  // after Save As
  [[nodiscard]] const QString& path() const { return path_; }
  [[nodiscard]] QString text() const;
  [[nodiscard]] bool isModified() const;
  void setModified(bool modified);
  // Which document is in the editor: a new number at each setDocument() (another file, or a
  // new scenario), the same one through edits and Save As.
  [[nodiscard]] quint64 documentId() const { return document_; }

  // The check of the current text (checks now if an edit is still waiting for its check).
  const ScenarioCheck& check();

  [[nodiscard]] CodeEditor* editor() const { return editor_; }
  [[nodiscard]] QLabel* errorLabel() const { return error_; }
  [[nodiscard]] QLabel* summaryLabel() const { return summary_; }
  [[nodiscard]] ScenarioForm* form() const { return form_; }
  // A new catalogue (a profile was added): the text is checked again against it.
  void setCatalogue(std::shared_ptr<const hw::Catalogue> catalogue);
  [[nodiscard]] QTabWidget* tabs() const { return tabs_; }
  [[nodiscard]] TopologyView* topology() const { return topology_; }
  // Bring the Form or the Topology tab to the front (each tab is the widget under its note,
  // not form() or topology() themselves).
  void showForm();
  void showTopology();
  // Above the form and the topology while the text has an error: why the form is off, and
  // what the picture shows (the last valid version of this document, or nothing: a picture
  // of another file is never kept).
  [[nodiscard]] QLabel* formNote() const { return formNote_; }
  [[nodiscard]] QLabel* topologyNote() const { return topologyNote_; }

 Q_SIGNALS:
  void checked(bool valid);
  void modificationChanged(bool modified);

 protected:
  void changeEvent(QEvent* event) override;  // a new palette: the summary's green follows it

 private:
  void runCheck();
  void styleSummary();
  void applyForm(const hw::Scenario& s);  // rewrites the YAML from the form's scenario
  std::shared_ptr<const hw::Catalogue> catalogue_;
  QString path_;
  QTabWidget* tabs_;
  CodeEditor* editor_;
  ScenarioForm* form_;
  TopologyView* topology_;
  QLabel* error_;
  QLabel* summary_;
  QLabel* formNote_;
  QLabel* topologyNote_;
  quint64 document_ = 0;  // counts setDocument(): a new document, not an edit of this one
  quint64 pictured_ = 0;  // the document the topology's picture was drawn from (0: none)
  QTimer debounce_;
  ScenarioCheck check_;
  bool pending_ = false;
};

}  // namespace hwgui
