// Where the desktop app finds its data (catalogue, bundled scenarios) and the `hwplan`
// binary that simulates for it. Mirrors the CLI's lookup (cli/common.cpp).
#pragma once

#include <QString>
#include <vector>

#include "sim/io/loaders.hpp"

namespace hwgui {

// $HWPLAN_DATA, else the first folder above the executable holding hardware_profiles/ and
// scenarios/models/, else the source tree this binary was built from, else ".".
QString dataDir();

// The catalogue under dataDir(). Throws hw::InputError on a bad file.
hw::Catalogue loadCatalogue();

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
