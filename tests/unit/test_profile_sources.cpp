// Every number in hardware_profiles/ carries its source: each top-level key of a profile whose
// value holds a number has an entry under 'sources:' (price_year shares the price's), and every
// source string either names where the figure comes from or says it is an estimate. An empty
// string, a placeholder (TODO, TBD, FIXME, '?') or a text that names nothing fails.
// The loader already refuses a missing source for its groups (sim/io/loaders.cpp); this also
// catches keys the loader does not list and source texts that are there but say nothing.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>
#include "yaml_files.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kProfiles = HWPLAN_SOURCE_DIR "/hardware_profiles";

// Keys that hold names, descriptions or the count that defines the unit, not figures.
const std::set<std::string> kTextKeys{"id", "name", "class", "form_factor", "environment", "interfaces",
                                      "accelerators", "sources", "calibration"};

// A figure key whose source is filed under another key.
std::string source_key_for(const std::string& key) { return key == "price_year" ? "price" : key; }

bool holds_number(const YAML::Node& n) {
  if (n.IsScalar()) {
    static const std::regex number(R"(^\s*[-+]?\.?[0-9])");
    return std::regex_search(n.Scalar(), number);
  }
  if (n.IsSequence()) {
    for (const auto& e : n)
      if (holds_number(e)) return true;
  }
  if (n.IsMap()) {
    for (const auto& kv : n)
      if (holds_number(kv.second)) return true;
  }
  return false;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// What is wrong with one source text, or "" when it is acceptable.
std::string source_text_problem(const std::string& text) {
  const std::string t = lower(text);
  if (t.find_first_not_of(" \t\r\n") == std::string::npos) return "is empty";
  static const std::regex placeholder(R"(\b(todo|tbd|fixme|xxx)\b|^\W*\?+\W*$)");
  if (std::regex_search(t, placeholder)) return "is a placeholder (TODO/TBD/FIXME/?)";
  if (t.find("estimate") != std::string::npos) return "";
  // Words by which a text names where its figure comes from: a document, a page, a
  // measurement, a derivation from named figures, or another profile it follows.
  static const std::vector<std::string> names{
      "datasheet", "data sheet", "documentation", "http", "www.", "github", "mlperf", "fitted", "derived",
      "found", "recalled", "reference/", "white paper", "page", "manual", "table", "guide", "forum",
      "deck", "readme", "product brief", "measured", "as nvidia-", "as jetson-", "as hgx-", "as amd-"};
  for (const auto& w : names)
    if (t.find(w) != std::string::npos) return "";
  return "names no source and does not say 'estimate'";
}

// Every problem with the sources of one profile file, one line each ("file: key: what").
std::vector<std::string> source_problems(const fs::path& file) {
  std::vector<std::string> out;
  const YAML::Node root = YAML::LoadFile(file.string());
  const YAML::Node sources = root["sources"];
  const std::string where = file.filename().string();
  for (const auto& kv : root) {
    const auto key = kv.first.as<std::string>();
    if (kTextKeys.contains(key) || !holds_number(kv.second)) continue;
    const auto skey = source_key_for(key);
    if (!sources || !sources.IsMap() || !sources[skey]) {
      out.push_back(where + ": " + key + ": holds a number but 'sources' has no '" + skey + "'");
    }
  }
  if (sources && sources.IsMap()) {
    for (const auto& kv : sources) {
      const auto key = kv.first.as<std::string>();
      const std::string text = kv.second.IsScalar() ? kv.second.Scalar() : std::string();
      const auto why = kv.second.IsScalar() ? source_text_problem(text) : std::string("is not a string");
      if (!why.empty()) out.push_back(where + ": sources." + key + ": " + why + " ('" + text + "')");
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Replaces the first line that starts with `prefix` by `line` (or drops it when `line` is empty).
std::string replace_line(const std::string& text, const std::string& prefix, const std::string& line) {
  std::istringstream in(text);
  std::string out, l;
  bool done = false;
  while (std::getline(in, l)) {
    if (!done && l.rfind(prefix, 0) == 0) {
      done = true;
      if (!line.empty()) out += line + "\n";
      continue;
    }
    out += l + "\n";
  }
  REQUIRE(done);
  return out;
}

}  // namespace

TEST_CASE("profile sources: every bundled profile's figures carry a source that names one or says 'estimate'") {
  const auto files = hw::test::yaml_files_in(kProfiles);
  REQUIRE(files.size() >= 18);
  for (const auto& f : files) {
    CAPTURE(f.string());
    const auto problems = source_problems(f);
    INFO(join(problems));
    CHECK(problems.empty());
  }
}

TEST_CASE("profile sources: the source texts accepted and refused") {
  CHECK(source_text_problem("estimate") == "");
  CHECK(source_text_problem("NVIDIA T4 datasheet, 16 GB GDDR6 at 320 GB/s") == "");
  CHECK(source_text_problem("as jetson-agx-orin-64gb (the same NVDEC)") == "");
  CHECK(source_text_problem("") == "is empty");
  CHECK(source_text_problem("   ") == "is empty");
  CHECK(source_text_problem("TODO") == "is a placeholder (TODO/TBD/FIXME/?)");
  CHECK(source_text_problem("todo: find the datasheet") == "is a placeholder (TODO/TBD/FIXME/?)");
  CHECK(source_text_problem("?") == "is a placeholder (TODO/TBD/FIXME/?)");
  CHECK(source_text_problem("70 W") == "names no source and does not say 'estimate'");
}

TEST_CASE("profile sources: a spoiled copy of a profile in a temp dir is refused") {
  const fs::path dir = fs::temp_directory_path() / ("hwplan_profile_sources_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string good = read_all(fs::path(kProfiles) / "nvidia-t4.yaml");
  REQUIRE_FALSE(good.empty());
  // The unspoiled copy passes: the spoils below are what makes each one fail.
  {
    std::ofstream(dir / "nvidia-t4.yaml") << good;
    CHECK(source_problems(dir / "nvidia-t4.yaml").empty());
  }
  struct Spoil {
    std::string prefix, line, expect;
    std::size_t problems;  // how many lines the spoil should produce
  };
  // Dropping the price source leaves two keys without it: price and price_year.
  const std::vector<Spoil> spoils{
      {"  compute: \"", "  compute: \"\"", "spoiled.yaml: sources.compute: is empty", 1},
      {"  memory: \"", "  memory: \"TODO\"", "spoiled.yaml: sources.memory: is a placeholder", 1},
      {"  power: \"", "  power: \"70 W TDP\"", "spoiled.yaml: sources.power: names no source", 1},
      {"  price: \"", "", "spoiled.yaml: price: holds a number but 'sources' has no 'price'", 2},
      {"  decode: \"", "", "spoiled.yaml: decode: holds a number but 'sources' has no 'decode'", 1},
  };
  for (const auto& s : spoils) {
    CAPTURE(s.expect);
    const fs::path f = dir / "spoiled.yaml";
    std::ofstream(f) << replace_line(good, s.prefix, s.line);
    const auto problems = source_problems(f);
    INFO(join(problems));
    REQUIRE(problems.size() == s.problems);
    CHECK(problems[0].rfind(s.expect, 0) == 0);
  }
  // A figure key the loader does not list (here a made-up one) is still caught.
  {
    const fs::path f = dir / "extra.yaml";
    std::ofstream(f) << good << "cooling: {airflow: 12 CFM}\n";
    const auto problems = source_problems(f);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == "extra.yaml: cooling: holds a number but 'sources' has no 'cooling'");
  }
  fs::remove_all(dir);
}
