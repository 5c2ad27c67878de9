#include "sim/core/errors.hpp"

#include <fmt/format.h>

namespace hw {
namespace {
std::string compose(const Location& w, const std::string& key, const std::string& value,
                    const std::string& problem) {
  std::string s = w.file.empty() ? std::string("<input>") : w.file;
  if (w.line > 0) s += fmt::format(":{}:{}", w.line, w.column);
  s += ": ";
  if (!key.empty()) s += fmt::format("key '{}'", key);
  if (!value.empty()) s += fmt::format("{}value '{}'", key.empty() ? "" : ", ", value);
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
