#include "gui/paths.hpp"

#include "sim/core/files.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <algorithm>

#include "sim/core/errors.hpp"
#include "sim/io/user_catalogue.hpp"

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

QString userProfilesDir() { return QString::fromStdString(hw::user_profiles_dir()); }

hw::Catalogue loadCatalogue(QStringList* problems) {
  const QDir d(dataDir());
  hw::Catalogue cat = hw::load_catalogue(d.filePath("hardware_profiles").toStdString(), d.filePath("scenarios/models").toStdString());
  // The same user catalogue as the CLI (sim/io/user_catalogue.hpp).
  std::vector<std::string> found;
  hw::add_user_profiles(cat, hw::user_profiles_dir(), found);
  if (problems) {
    for (const auto& p : found) *problems << QString::fromStdString(p);
  }
  return cat;
}

QString addUserProfile(const QString& yamlText, const QString& displayName, const hw::Catalogue& current, QString* saved) {
  hw::HardwareProfile p;
  try {
    p = hw::load_profile_text(yamlText.toStdString(), displayName.toStdString());
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  const QString id = QString::fromStdString(p.id);
  if (current.profiles.count(p.id)) return QStringLiteral("%1: id '%2' is already in the catalogue; give the profile a new id").arg(displayName, id);
  const QDir user(userProfilesDir());
  if (!user.exists() && !QDir().mkpath(user.path())) return QStringLiteral("cannot create %1").arg(user.path());
  const QString path = user.filePath(id + QStringLiteral(".yaml"));
  if (QFileInfo::exists(path)) return QStringLiteral("%1 exists already; not overwritten").arg(path);
  try {
    hw::write_file_atomic(path.toStdString(), yamlText.toStdString());
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  if (saved) *saved = path;
  return {};
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
