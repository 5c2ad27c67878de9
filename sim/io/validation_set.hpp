// Reading the published-measurement set (tests/validation/published/*.csv; format in
// docs/model.md, "Validation against published measurements").
#pragma once

#include <string>
#include <vector>

#include "sim/hardware/validation.hpp"

namespace hw {

// One CSV file. Bad input: InputError naming the file, line, column, key and value.
std::vector<PublishedPoint> load_published(const std::string& path);
// Every *.csv in a folder, in name order.
std::vector<PublishedPoint> load_published_dir(const std::string& dir);

}  // namespace hw
