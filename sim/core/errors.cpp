#include "sim/core/errors.hpp"

#include <fmt/format.h>

namespace hw {
namespace {
// Code points shown as \uXXXX: C1 controls (a terminal may act on U+009B as on ESC [) and
// invisible characters that hide or reorder text (zero-width, bidirectional controls, line
// and paragraph separators, the byte-order mark).
bool invisible(unsigned cp) {
  return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF;
}
}  // namespace

std::string printable(std::string_view v, std::size_t max_chars) {
  std::string out;
  const auto* b = reinterpret_cast<const unsigned char*>(v.data());
  const std::size_t n = v.size();
  std::size_t shown = 0;  // characters written, an escape counting as its length
  std::size_t i = 0;
  while (i < n && shown < max_chars) {
    const unsigned char c = b[i];
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    bool ok = len > 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) ok = (b[i + k] & 0xc0) == 0x80;
    if (ok && len == 1 && (c < 0x20 || c == 0x7f)) ok = false;
    if (ok && len == 2 && c < 0xc2) ok = false;  // an overlong form of an ASCII byte (0xC0 0x9B for ESC)
    if (!ok) {
      out += fmt::format("\\x{:02x}", c);
      shown += 4;
      ++i;
      continue;
    }
    unsigned cp = c;
    if (len == 2) cp = ((c & 0x1fu) << 6) | (b[i + 1] & 0x3fu);
    if (len == 3) cp = ((c & 0x0fu) << 12) | ((b[i + 1] & 0x3fu) << 6) | (b[i + 2] & 0x3fu);
    if (invisible(cp) && len > 1) {
      out += fmt::format("\\u{:04X}", cp);
      shown += 6;
    } else {
      out.append(v.substr(i, len));
      ++shown;
    }
    i += len;
  }
  if (i < n) out += "...";
  return out;
}

namespace {
std::string compose(const Location& w, const std::string& key, const std::string& value,
                    const std::string& problem) {
  // Every part may repeat user text (a file name, a key, an id or unit quoted in the problem):
  // all are escaped and bounded, so that one error is one line of sane length on a terminal.
  // Loaders cut the user text they quote in a problem to kQuotedChars themselves; the bound
  // on the problem is a backstop for any that does not.
  std::string s = w.file.empty() ? std::string("<input>") : printable(w.file, 300);
  if (w.line > 0) s += fmt::format(":{}:{}", w.line, w.column);
  s += ": ";
  if (!key.empty()) s += fmt::format("key '{}'", printable(key, 160));
  if (!value.empty()) s += fmt::format("{}value '{}'", key.empty() ? "" : ", ", printable(value));
  if (!key.empty() || !value.empty()) s += ": ";
  return s + printable(problem, 1000);
}
}  // namespace

InputError::InputError(Location where, std::string key, std::string value, std::string problem)
    : std::runtime_error(compose(where, key, value, problem)),
      where_(std::move(where)),
      key_(std::move(key)),
      value_(std::move(value)),
      problem_(std::move(problem)) {}

}  // namespace hw
