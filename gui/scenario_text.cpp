#include "gui/scenario_text.hpp"

#include <QDir>
#include <QFileInfo>

#include "sim/core/errors.hpp"

namespace hwgui {

ScenarioCheck checkScenarioText(const QString& text, const QString& path, const hw::Catalogue& catalogue, bool edited) {
  ScenarioCheck out;
  // Errors name the document as `hwplan validate` names the file; relative trace files
  // resolve against the document's folder (the temp folder for an unsaved one).
  const QString shown = path.isEmpty() ? QStringLiteral("untitled.yaml")
                        : edited       ? QStringLiteral("%1 (unsaved edits)").arg(QFileInfo(path).fileName())
                                       : path;
  const QString base = path.isEmpty() ? QDir::tempPath() : QFileInfo(path).absolutePath();
  try {
    hw::Scenario s = hw::load_scenario_text(text.toStdString(), base.toStdString(), catalogue, shown.toStdString());
    s.file = path.toStdString();
    out.scenario = std::move(s);
  } catch (const hw::InputError& e) {
    out.message = QString::fromStdString(e.what());
    if (e.where().file == shown.toStdString()) {  // not an error inside a trace file
      out.line = e.where().line;
      out.column = e.where().column;
    }
  } catch (const std::exception& e) {
    out.message = QString::fromStdString(e.what());
  }
  return out;
}

}  // namespace hwgui
