// The user catalogue folder (sim/io/user_catalogue.hpp): its lookup order, shared by the
// CLI and hwplan-gui, and how its files join the bundled catalogue.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
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

TEST_CASE("user catalogue: a scenario naming a left-out user profile is told why. a file for the folder is a problem") {
  const fs::path dir = fs::temp_directory_path() / "hwplan-user-catalogue-left-out";
  fs::remove_all(dir);
  fs::create_directories(dir);
  hw::Catalogue cat = hw::load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles", HWPLAN_SOURCE_DIR "/scenarios/models");
  std::ofstream(dir / "my-box.yaml") << "id: my-box\nname: My box\nclass: toaster\n";  // does not load: its class
  std::vector<std::string> problems;
  CHECK(hw::add_user_profiles(cat, dir.string(), problems) == 0);
  REQUIRE(problems.size() == 1);
  REQUIRE(cat.left_out.contains("my-box"));
  CHECK(cat.left_out.at("my-box").find("my-box.yaml:3:8") != std::string::npos);  // `toaster` is at line 3, column 8

  std::ifstream in(HWPLAN_TEST_DATA "/good/scenario.yaml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string from = "hardware: jetson-orin-nano-super";
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  const fs::path scenario = dir / "uses-my-box.yaml";
  std::ofstream(scenario) << text.replace(at, from.size(), "hardware: my-box");
  std::string message;
  try {
    (void)hw::load_scenario(scenario.string(), cat);
  } catch (const hw::InputError& e) {
    message = e.what();
  }
  CHECK(message.find("hardware profile 'my-box' is in the user catalogue but was left out") != std::string::npos);
  CHECK(message.find("my-box.yaml:3:8") != std::string::npos);  // where the profile's own error is
  CHECK(message.find("did you mean") == std::string::npos);

  // HWPLAN_USER_PROFILES naming a regular file: nothing added, and said so.
  std::vector<std::string> file_problems;
  hw::Catalogue other = hw::load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles", HWPLAN_SOURCE_DIR "/scenarios/models");
  CHECK(hw::add_user_profiles(other, scenario.string(), file_problems) == 0);
  REQUIRE(file_problems.size() == 1);
  CHECK(file_problems[0].find(scenario.string() + ": the user profile folder is not a folder") == 0);
  fs::remove_all(dir);
}

TEST_CASE("user catalogue: a *.yaml that is not a regular file is left out with a warning, never opened, and a lookup is told") {
  // A folder, a symlink loop, a FIFO and a link to /dev/zero were skipped silently, and
  // 'profiles show loop' said "no hardware profile 'loop'".
  const fs::path dir = fs::temp_directory_path() / ("hwplan-user-catalogue-odd-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "dir.yaml");
  fs::create_symlink("loop.yaml", dir / "loop.yaml");
  REQUIRE(::mkfifo((dir / "fifo.yaml").c_str(), 0644) == 0);  // opening it would block: the test would hang
  fs::create_symlink("/dev/zero", dir / "zero.yaml");       // reading it would never end
  hw::Catalogue cat = hw::load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles", HWPLAN_SOURCE_DIR "/scenarios/models");
  std::vector<std::string> problems;
  CHECK(hw::add_user_profiles(cat, dir.string(), problems) == 0);
  REQUIRE(problems.size() == 4);  // sorted by name: dir, fifo, loop, zero
  CHECK(problems[0].find("dir.yaml: is a directory") != std::string::npos);
  CHECK(problems[1].find("fifo.yaml: is a FIFO (named pipe), not a regular file") != std::string::npos);
  CHECK(problems[2].find("loop.yaml: cannot be read: ") != std::string::npos);
  CHECK(problems[3].find("zero.yaml: is a character device, not a regular file") != std::string::npos);
  for (const auto& p : problems) CHECK(p.find("(user profile left out)") != std::string::npos);
  CHECK(cat.left_out_message("loop").find("hardware profile 'loop' is in the user catalogue but was left out: ") == 0);
  CHECK_FALSE(cat.left_out_message("zero").empty());
  CHECK_FALSE(cat.left_out_message("dir").empty());
  fs::remove_all(dir);
}
