// Where the desktop app finds its data (catalogue, bundled scenarios) and the `hwplan`
// binary that simulates for it. Mirrors the CLI's lookup (cli/common.cpp).
#pragma once

#include <QString>
#include <QStringList>
#include <vector>

#include "sim/io/loaders.hpp"

namespace hwgui {

// $HWPLAN_DATA, else the first folder above the executable holding hardware_profiles/ and
// scenarios/models/, else the source tree this binary was built from, else ".".
QString dataDir();

// Where profiles duplicated or imported in the app are kept: the user catalogue the CLI
// reads too (hw::user_profiles_dir(): $HWPLAN_USER_PROFILES, else
// $XDG_DATA_HOME/hwplan/hardware_profiles, ~/.local/share/hwplan/hardware_profiles).
QString userProfilesDir();

// The catalogue under dataDir(), with the profiles of userProfilesDir() added. Throws
// hw::InputError on a bad bundled file; a user profile that does not load, or reuses an id,
// is left out and its problem appended to `problems` (when given).
hw::Catalogue loadCatalogue(QStringList* problems = nullptr);

// Adds a profile to the user folder as <id>.yaml, its text kept as given (comments too),
// after checking that it loads (errors name `displayName`, line and column) and that its id
// is new to `current`; never overwrites a file. Returns the error, empty when saved (then
// *saved is the file written).
QString addUserProfile(const QString& yamlText, const QString& displayName, const hw::Catalogue& current, QString* saved = nullptr);

// The `hwplan` binary: $HWPLAN_SIMULATOR, else `hwplan` next to this executable, else the
// one built in the same build tree, else "hwplan" (found on PATH by exec).
QString simulatorPath();

struct BundledScenario {
  QString path;
  QString name;         // the scenario's `name`
  QString description;  // its `description` (the story), may be empty
};

// The scenarios shipped in dataDir()/scenarios, sorted by file name; the factory scenario
// (the README's default) first. A file that does not load is listed with its error as
// description, so the start page shows it instead of hiding it.
std::vector<BundledScenario> bundledScenarios(const hw::Catalogue& catalogue);

}  // namespace hwgui
