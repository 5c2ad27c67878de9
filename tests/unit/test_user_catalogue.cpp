// The user catalogue folder (sim/io/user_catalogue.hpp): its lookup order, shared by the
// CLI and hwplan-gui, and how its files join the bundled catalogue.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "sim/io/user_catalogue.hpp"

namespace fs = std::filesystem;

namespace {

// Sets (or unsets, for nullopt) an environment variable for one scope.
class EnvGuard {
 public:
  EnvGuard(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* v = std::getenv(name)) old_ = v;
    if (value) ::setenv(name, value->c_str(), 1);
    else ::unsetenv(name);
  }
  ~EnvGuard() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("user catalogue: $HWPLAN_USER_PROFILES, else $XDG_DATA_HOME/hwplan, else ~/.local/share/hwplan") {
  EnvGuard home("HOME", std::string("/home/someone"));
  {
    EnvGuard a("HWPLAN_USER_PROFILES", std::string("/srv/profiles"));
    EnvGuard b("XDG_DATA_HOME", std::string("/xdg"));
    CHECK(hw::user_profiles_dir() == "/srv/profiles");
  }
  {
    EnvGuard a("HWPLAN_USER_PROFILES", std::string(""));
    EnvGuard b("XDG_DATA_HOME", std::string("/xdg"));
    CHECK(hw::user_profiles_dir() == "/xdg/hwplan/hardware_profiles");
  }
  {
    EnvGuard a("HWPLAN_USER_PROFILES", std::nullopt);
    EnvGuard b("XDG_DATA_HOME", std::string("relative/not/allowed"));  // the XDG spec ignores a relative path
    CHECK(hw::user_profiles_dir() == "/home/someone/.local/share/hwplan/hardware_profiles");
  }
  {
    EnvGuard a("HWPLAN_USER_PROFILES", std::nullopt);
    EnvGuard b("XDG_DATA_HOME", std::nullopt);
    EnvGuard c("HOME", std::nullopt);
    CHECK(hw::user_profiles_dir().empty());
  }
}

TEST_CASE("user catalogue: good files join, a broken file or a reused id is reported and left out") {
  const fs::path dir = fs::temp_directory_path() / "hwplan-user-catalogue-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string bundled = HWPLAN_SOURCE_DIR "/hardware_profiles";
  hw::Catalogue cat = hw::load_catalogue(bundled, HWPLAN_SOURCE_DIR "/scenarios/models");
  const std::size_t before = cat.profiles.size();
  {
    std::ifstream in(bundled + "/raspberry-pi-5.yaml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string from = "id: raspberry-pi-5";
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    std::ofstream(dir / "raspberry-pi-5.yaml") << text;  // reuses a bundled id
    std::ofstream(dir / "my-pi.yaml") << std::string(text).replace(at, from.size(), "id: my-pi");
    std::ofstream(dir / "bad.yaml") << "id: bad\nclass: toaster\n";
    std::ofstream(dir / "notes.txt") << "not a profile";
  }
  std::vector<std::string> problems;
  CHECK(hw::add_user_profiles(cat, dir.string(), problems) == 1);
  CHECK(cat.profiles.size() == before + 1);
  REQUIRE(cat.profiles.contains("my-pi"));
  CHECK(hw::profile_origin(cat, cat.profile("my-pi")) == "user");
  CHECK(hw::profile_origin(cat, cat.profile("raspberry-pi-5")) == "bundled");
  CHECK(cat.profile("raspberry-pi-5").file.find(bundled) == 0);  // the bundled one kept
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].find("bad.yaml:") != std::string::npos);
  CHECK(problems[1].find("'raspberry-pi-5' is already in the catalogue") != std::string::npos);

  std::vector<std::string> none;
  hw::Catalogue empty = hw::load_catalogue(bundled, HWPLAN_SOURCE_DIR "/scenarios/models");
  CHECK(hw::add_user_profiles(empty, (dir / "missing").string(), none) == 0);
  CHECK(none.empty());
  fs::remove_all(dir);
}
