// Tabular output: RFC 4180 CSV, aligned text tables, and atomic file writes.
#pragma once

#include <string>
#include <vector>

namespace hw {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break.
std::string to_csv(const Table& t);
// Columns padded to width; numbers right-aligned.
std::string to_text(const Table& t);

// Writes to PATH.tmp.<pid> then renames over PATH, so readers never see half a file.
void write_file_atomic(const std::string& path, const std::string& content);

}  // namespace hw
