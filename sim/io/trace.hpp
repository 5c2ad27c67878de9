// Arrival traces: CSV of timestamps in seconds, with an optional second column of payload
// sizes in bytes. A header line is allowed. Errors name the file and line.
#pragma once

#include <string>
#include <vector>

namespace hw {

struct Trace {
  std::vector<double> times_s;
  std::vector<double> sizes_bytes;  // empty when the trace has no size column
};

Trace load_trace(const std::string& path);

}  // namespace hw
