#include "gui/paths.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <algorithm>

#include "sim/core/errors.hpp"

namespace hwgui {

namespace {
bool holdsData(const QDir& d) { return d.exists("hardware_profiles") && d.exists("scenarios/models"); }
}  // namespace

QString dataDir() {
  const QString env = qEnvironmentVariable("HWPLAN_DATA");
  if (!env.isEmpty()) return env;
  QDir d(QCoreApplication::applicationDirPath());
  do {
    if (holdsData(d)) return d.absolutePath();
  } while (d.cdUp());
  if (holdsData(QDir(QStringLiteral(HWPLAN_SOURCE_DIR)))) return QStringLiteral(HWPLAN_SOURCE_DIR);
  return QStringLiteral(".");
}

hw::Catalogue loadCatalogue() {
  const QDir d(dataDir());
  return hw::load_catalogue(d.filePath("hardware_profiles").toStdString(), d.filePath("scenarios/models").toStdString());
}

QString simulatorPath() {
  const QString env = qEnvironmentVariable("HWPLAN_SIMULATOR");
  if (!env.isEmpty()) return env;
  const QFileInfo beside(QDir(QCoreApplication::applicationDirPath()).filePath("hwplan"));
  if (beside.isExecutable()) return beside.absoluteFilePath();
#ifdef HWPLAN_BUILD_SIMULATOR
  const QFileInfo built(QStringLiteral(HWPLAN_BUILD_SIMULATOR));
  if (built.isExecutable()) return built.absoluteFilePath();
#endif
  return QStringLiteral("hwplan");
}

std::vector<BundledScenario> bundledScenarios(const hw::Catalogue& catalogue) {
  std::vector<BundledScenario> out;
  const QDir dir(QDir(dataDir()).filePath("scenarios"));
  QStringList files = dir.entryList({"*.yaml"}, QDir::Files, QDir::Name);
  // The README's default scenario first.
  std::stable_partition(files.begin(), files.end(), [](const QString& f) { return f == "factory-vision.yaml"; });
  for (const QString& f : files) {
    BundledScenario b;
    b.path = dir.filePath(f);
    try {
      const hw::Scenario s = hw::load_scenario(b.path.toStdString(), catalogue);
      b.name = QString::fromStdString(s.name);
      b.description = QString::fromStdString(s.description).simplified();
    } catch (const std::exception& e) {
      b.name = f;
      b.description = QString::fromStdString(e.what());
    }
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace hwgui
