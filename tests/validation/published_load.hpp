// A folder of published measurements (tests/validation/published*), each row predicted on the
// bundled catalogue: shared by the published-measurement test files.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/hardware/validation.hpp"
#include "sim/io/loaders.hpp"
#include "sim/io/validation_set.hpp"

namespace hw::test {

struct Loaded {
  hw::Catalogue cat;
  std::vector<hw::PublishedPoint> points;
  std::vector<hw::PointResult> results;
};

inline Loaded load_published_set(const std::string& dir) {
  Loaded l;
  l.cat = hw::load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles", HWPLAN_SOURCE_DIR "/scenarios/models");
  l.points = hw::load_published_dir(dir);
  for (const auto& p : l.points) {
    REQUIRE_MESSAGE(l.cat.profiles.contains(p.device), p.file, ":", p.line, " names no profile ", p.device);
    REQUIRE_MESSAGE(l.cat.models.contains(p.model), p.file, ":", p.line, " names no model ", p.model);
    l.results.push_back(hw::predict_point(l.cat.profile(p.device), l.cat.model(p.model), p));
  }
  return l;
}

}  // namespace hw::test
