#include "gui/scenario_text.hpp"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryFile>

#include "sim/core/errors.hpp"

namespace hwgui {

ScenarioCheck checkScenarioText(const QString& text, const QString& path, const hw::Catalogue& catalogue) {
  ScenarioCheck out;
  const QString shown = path.isEmpty() ? QStringLiteral("untitled.yaml") : path;
  // The loader reads files (and resolves trace files against the file's folder), so the
  // text goes to a hidden file beside the document, or to the temp folder when that
  // folder is not writable or the document has no file yet.
  const QString folder = path.isEmpty() ? QDir::tempPath() : QFileInfo(path).absolutePath();
  QTemporaryFile tmp(QDir(folder).filePath(".hwplan-gui-XXXXXX.yaml"));
  if (!tmp.open()) {
    tmp.setFileTemplate(QDir(QDir::tempPath()).filePath("hwplan-gui-XXXXXX.yaml"));
    if (!tmp.open()) {
      out.message = QStringLiteral("cannot write a temporary file to check the scenario: %1").arg(tmp.errorString());
      return out;
    }
  }
  tmp.write(text.toUtf8());
  tmp.flush();
  try {
    hw::Scenario s = hw::load_scenario(tmp.fileName().toStdString(), catalogue);
    s.file = shown.toStdString();
    out.scenario = std::move(s);
  } catch (const hw::InputError& e) {
    // The same error, naming the document instead of the temporary file.
    hw::Location at = e.where();
    if (at.file != tmp.fileName().toStdString()) {  // an error in another file (a trace, say)
      out.message = QString::fromStdString(e.what());
      return out;
    }
    at.file = shown.toStdString();
    out.message = QString::fromStdString(hw::InputError(at, e.key(), e.value(), e.problem()).what());
    out.line = at.line;
    out.column = at.column;
  } catch (const std::exception& e) {
    out.message = QString::fromStdString(e.what());
  }
  return out;
}

}  // namespace hwgui
