#include "sim/io/user_catalogue.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "sim/core/errors.hpp"
#include "sim/core/files.hpp"

namespace fs = std::filesystem;

namespace hw {

std::string user_profiles_dir() {
  if (const char* env = std::getenv("HWPLAN_USER_PROFILES"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg && fs::path(xdg).is_absolute()) {
    return (fs::path(xdg) / "hwplan" / "hardware_profiles").string();
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return (fs::path(home) / ".local" / "share" / "hwplan" / "hardware_profiles").string();
  }
  return "";
}

int add_user_profiles(Catalogue& cat, const std::string& dir, std::vector<std::string>& problems) {
  cat.user_profiles_dir = dir;
  if (dir.empty()) return 0;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    if (fs::exists(dir, ec)) {
      problems.push_back(dir + ": the user profile folder is not a folder (a file?); no user profiles are read (point "
                         "HWPLAN_USER_PROFILES at a folder of profile YAML files)");
    }
    return 0;
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& f = it->path();
    if (f.extension() == ".yaml") files.push_back(f);
  }
  if (ec) {
    problems.push_back(dir + ": cannot list the user profile folder: " + ec.message());
    return 0;
  }
  std::sort(files.begin(), files.end());
  int added = 0;
  for (const auto& f : files) {
    // A *.yaml that is not a readable regular file (a folder, a symlink loop, a FIFO, a link to
    // /dev/zero) is left out like a file that does not load, never opened (a FIFO would block,
    // /dev/zero read without end), and a lookup of its id is told why.
    if (const std::string why = regular_input_problem(f.string(), input_limits().file_bytes); !why.empty()) {
      const std::string problem = f.string() + ": " + why;
      problems.push_back(problem + " (user profile left out)");
      cat.left_out[f.stem().string()] = problem;
      continue;
    }
    try {
      HardwareProfile p = load_profile(f.string());
      if (auto it = cat.profiles.find(p.id); it != cat.profiles.end()) {
        problems.push_back(f.string() + ":1:1: id '" + p.id + "' is already in the catalogue (" + it->second.file +
                           "); left out, give the user profile a new id");
        continue;
      }
      const std::string id = p.id;
      cat.profiles.emplace(id, std::move(p));
      ++added;
    } catch (const std::exception& e) {
      problems.push_back(std::string(e.what()) + " (user profile left out)");
      cat.left_out[f.stem().string()] = e.what();  // its id is its file name
    }
  }
  return added;
}

std::string profile_origin(const Catalogue& cat, const HardwareProfile& p) {
  const fs::path parent = fs::path(p.file).parent_path();
  auto same = [&](const std::string& d) {
    if (d.empty()) return false;
    std::error_code ec;
    return fs::equivalent(parent, d, ec) && !ec;
  };
  if (same(cat.profiles_dir)) return "bundled";
  if (same(cat.user_profiles_dir)) return "user";
  return parent.string();
}

}  // namespace hw
