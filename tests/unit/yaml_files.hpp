// The YAML files (.yaml, .yml) directly in a folder, sorted: the bundled catalogue and
// scenarios, for tests that walk them all.
#pragma once

#include <algorithm>
#include <filesystem>
#include <vector>

namespace hw::test {

inline std::vector<std::filesystem::path> yaml_files_in(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace hw::test
