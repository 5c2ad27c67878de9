// The user catalogue: a folder of hardware profiles a user added (duplicated and edited in
// hwplan-gui, imported, or installed by `hwplan calibrate --add`), read by every command
// next to the bundled catalogue. One lookup for the CLI and the GUI.
#pragma once

#include <string>
#include <vector>

#include "sim/io/loaders.hpp"

namespace hw {

// $HWPLAN_USER_PROFILES when set and not empty, else $XDG_DATA_HOME/hwplan/hardware_profiles
// (XDG_DATA_HOME when set and absolute), else $HOME/.local/share/hwplan/hardware_profiles;
// "" when none of these can be formed (no HOME). The folder need not exist.
std::string user_profiles_dir();

// Adds every *.yaml profile of `dir` (sorted by name) to `cat`. A file that does not load,
// or whose id is already in `cat`, is left out and its problem (file, line, column, key,
// value) appended to `problems`, and a file that does not load is recorded in cat.left_out
// under its file name: a broken user file never hides the bundled catalogue. A missing or
// empty `dir` adds nothing; a `dir` that is a file adds nothing and is a problem. Records
// `dir` as cat.user_profiles_dir. Returns how many profiles were added.
int add_user_profiles(Catalogue& cat, const std::string& dir, std::vector<std::string>& problems);

// "bundled" for a profile loaded from cat.profiles_dir, "user" for one from
// cat.user_profiles_dir, else the folder it came from.
std::string profile_origin(const Catalogue& cat, const HardwareProfile& p);

}  // namespace hw
