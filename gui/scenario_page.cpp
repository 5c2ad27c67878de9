#include "gui/scenario_page.hpp"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QTextCursor>
#include <QTabWidget>
#include <QVBoxLayout>

#include "gui/code_editor.hpp"
#include "gui/preferences.hpp"
#include "gui/scenario_form.hpp"
#include "gui/topology_view.hpp"
#include "sim/io/yaml_writer.hpp"

namespace hwgui {

ScenarioPage::ScenarioPage(std::shared_ptr<const hw::Catalogue> catalogue, QWidget* parent)
    : QWidget(parent), catalogue_(std::move(catalogue)), tabs_(new QTabWidget), editor_(new CodeEditor), form_(new ScenarioForm), topology_(new TopologyView),
      error_(new QLabel), summary_(new QLabel), formNote_(new QLabel), topologyNote_(new QLabel) {
  auto* yaml = new QWidget;
  auto* yl = new QVBoxLayout(yaml);
  yl->setContentsMargins(0, 0, 0, 0);
  yl->addWidget(editor_, 1);
  error_->setWordWrap(true);
  error_->setTextInteractionFlags(Qt::TextBrowserInteraction);
  error_->setStyleSheet(QStringLiteral("QLabel { background: #fde8e8; color: #8a1010; padding: 6px; border: 1px solid #e6b0b0; }"));
  error_->setVisible(false);
  connect(error_, &QLabel::linkActivated, this, [this] { editor_->goTo(check_.line, check_.column); });
  yl->addWidget(error_);
  styleSummary();
  summary_->setWordWrap(true);
  yl->addWidget(summary_);
  tabs_->addTab(yaml, QStringLiteral("YAML"));
  // The form and the topology, each under a note shown while the text has an error.
  auto noted = [](QLabel* note, QWidget* content) {
    auto* w = new QWidget;
    auto* l = new QVBoxLayout(w);
    l->setContentsMargins(0, 0, 0, 0);
    note->setWordWrap(true);
    note->setStyleSheet(QStringLiteral("QLabel { background: #fff4d6; color: #5a4300; padding: 6px; border: 1px solid #e6d090; }"));
    note->setVisible(false);
    l->addWidget(note);
    l->addWidget(content, 1);
    return w;
  };
  tabs_->addTab(noted(formNote_, form_), QStringLiteral("Form"));
  tabs_->addTab(noted(topologyNote_, topology_), QStringLiteral("Topology"));
  connect(form_, &ScenarioForm::edited, this, &ScenarioPage::applyForm);
  auto* l = new QVBoxLayout(this);
  l->setContentsMargins(0, 0, 0, 0);
  l->addWidget(tabs_);

  debounce_.setSingleShot(true);
  debounce_.setInterval(350);
  connect(&debounce_, &QTimer::timeout, this, [this] { runCheck(); });
  connect(editor_, &QPlainTextEdit::textChanged, this, [this] {
    pending_ = true;
    debounce_.start();
  });
  connect(editor_->document(), &QTextDocument::modificationChanged, this, &ScenarioPage::modificationChanged);
  // An error's message names the text as unsaved or as the file: checked again when that
  // changes (a save; an undo back to the file), where nothing else changed the text.
  connect(editor_->document(), &QTextDocument::modificationChanged, this, [this] {
    if (!pending_ && !check_.scenario) runCheck();
  });
}

void ScenarioPage::setCatalogue(std::shared_ptr<const hw::Catalogue> catalogue) {
  catalogue_ = std::move(catalogue);
  runCheck();
}

void ScenarioPage::setDocument(const QString& path, const QString& text) {
  path_ = path;
  ++document_;
  editor_->setPlainText(text);
  editor_->document()->setModified(false);
  runCheck();
}

void ScenarioPage::setPath(const QString& path) {
  path_ = path;
  runCheck();
}

QString ScenarioPage::text() const { return editor_->toPlainText(); }
bool ScenarioPage::isModified() const { return editor_->document()->isModified(); }
void ScenarioPage::setModified(bool modified) { editor_->document()->setModified(modified); }

const ScenarioCheck& ScenarioPage::check() {
  if (pending_) runCheck();
  return check_;
}

void ScenarioPage::runCheck() {
  debounce_.stop();
  pending_ = false;
  check_ = checkScenarioText(text(), path_, *catalogue_, isModified());
  const bool ok = check_.scenario.has_value();
  editor_->markError(ok ? 0 : check_.line, check_.column);
  form_->setScenario(check_.scenario);
  // An error keeps the last good picture of this document only, and says so; a picture of
  // another file (the one opened before) is cleared.
  if (ok) {
    topology_->draw(&*check_.scenario);
    pictured_ = document_;
  } else if (pictured_ != document_) {
    topology_->draw(nullptr);
    pictured_ = 0;
  }
  const QString atLine = check_.line > 0 ? QStringLiteral(" (line %1)").arg(check_.line) : QString();
  topologyNote_->setText(pictured_ != 0 ? QStringLiteral("The YAML has an error%1: this picture is of its last valid version. See the YAML tab.").arg(atLine)
                                        : QStringLiteral("No picture: the YAML has an error%1. See the YAML tab.").arg(atLine));
  topologyNote_->setVisible(!ok);
  formNote_->setText(QStringLiteral("The form is off while the YAML has an error%1: fix it in the YAML tab, then the form shows the scenario again.").arg(atLine));
  formNote_->setVisible(!ok);
  tabs_->setTabToolTip(1, ok ? QString() : QStringLiteral("Fix the error in the YAML tab first"));
  if (ok) {
    error_->setVisible(false);
    const hw::Scenario& s = *check_.scenario;
    int sites = 0;
    for (const auto& x : s.sites) sites += x.count;
    summary_->setText(QStringLiteral("✓ valid: %1 · %2 site(s) · %3 stream(s) · %4 batch job(s) · %5 candidate(s)")
                          .arg(QString::fromStdString(s.name).toHtmlEscaped())
                          .arg(sites)
                          .arg(s.streams.size())
                          .arg(s.batch_jobs.size())
                          .arg(s.candidates.size()));
    summary_->setVisible(true);
  } else {
    summary_->setVisible(false);
    const QString where = check_.line > 0 ? QStringLiteral(" <a href='#goto'>go&nbsp;to&nbsp;line&nbsp;%1</a>").arg(check_.line) : QString();
    error_->setText(QStringLiteral("<b>error:</b> %1%2").arg(check_.message.toHtmlEscaped(), where));
    error_->setVisible(true);
  }
  Q_EMIT checked(ok);
}

void ScenarioPage::applyForm(const hw::Scenario& s) {
  const QString base = path_.isEmpty() ? QDir::tempPath() : QFileInfo(path_).absolutePath();
  const QString yaml = QString::fromStdString(hw::scenario_yaml(s, base.toStdString()));
  // One undoable edit of the document, as if typed.
  QTextCursor c(editor_->document());
  c.beginEditBlock();
  c.select(QTextCursor::Document);
  c.insertText(yaml);
  c.endEditBlock();
  runCheck();
}

void ScenarioPage::styleSummary() {
  // Dark green on a light window, light green on a dark one.
  summary_->setStyleSheet(darkPalette() ? QStringLiteral("QLabel { color: #8fd88f; padding: 2px 6px; }")
                                        : QStringLiteral("QLabel { color: #2a6a2a; padding: 2px 6px; }"));
}

void ScenarioPage::showForm() { tabs_->setCurrentWidget(form_->parentWidget()); }

void ScenarioPage::showTopology() { tabs_->setCurrentWidget(topology_->parentWidget()); }

void ScenarioPage::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::ApplicationPaletteChange || event->type() == QEvent::PaletteChange) styleSummary();
}

}  // namespace hwgui
