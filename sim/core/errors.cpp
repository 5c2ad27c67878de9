#include "sim/core/errors.hpp"

#include <fmt/format.h>

namespace hw {
namespace {
// A value as it may be shown on a terminal: control bytes and bytes that are not UTF-8 as
// \xNN, and at most 120 characters.
std::string printable(const std::string& v) {
  std::string out;
  const auto* b = reinterpret_cast<const unsigned char*>(v.data());
  const std::size_t n = v.size();
  for (std::size_t i = 0; i < n && out.size() < 120;) {
    const unsigned char c = b[i];
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    bool ok = len > 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) ok = (b[i + k] & 0xc0) == 0x80;
    if (ok && len == 1 && (c < 0x20 || c == 0x7f) && c != '\t') ok = false;
    if (!ok) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
      continue;
    }
    out.append(v, i, len);
    i += len;
  }
  if (out.size() >= 120 && v.size() > out.size()) out += "...";
  return out;
}

std::string compose(const Location& w, const std::string& key, const std::string& value,
                    const std::string& problem) {
  std::string s = w.file.empty() ? std::string("<input>") : w.file;
  if (w.line > 0) s += fmt::format(":{}:{}", w.line, w.column);
  s += ": ";
  if (!key.empty()) s += fmt::format("key '{}'", key);
  if (!value.empty()) s += fmt::format("{}value '{}'", key.empty() ? "" : ", ", printable(value));
  if (!key.empty() || !value.empty()) s += ": ";
  return s + problem;
}
}  // namespace

InputError::InputError(Location where, std::string key, std::string value, std::string problem)
    : std::runtime_error(compose(where, key, value, problem)),
      where_(std::move(where)),
      key_(std::move(key)),
      value_(std::move(value)),
      problem_(std::move(problem)) {}

}  // namespace hw
