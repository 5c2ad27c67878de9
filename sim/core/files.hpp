// Whole-file reads and atomic whole-file writes.
#pragma once

#include <string>

namespace hw {

// Writes to PATH.tmp.<pid> then renames over PATH, so readers never see half a file.
void write_file_atomic(const std::string& path, const std::string& content);

// The whole file as bytes; throws std::runtime_error naming the file when it cannot be read.
std::string read_file(const std::string& path);

}  // namespace hw
