// Tabular output: RFC 4180 CSV and aligned text tables.
#pragma once

#include <string>
#include <vector>

#include "sim/core/files.hpp"  // write_file_atomic

namespace hw {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break.
std::string to_csv(const Table& t);
// Columns padded to width; numbers right-aligned.
std::string to_text(const Table& t);

}  // namespace hw
