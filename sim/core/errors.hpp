// The error hierarchy. Two tiers: assertions for programming mistakes, and these
// exceptions for bad input. Each maps to a fixed exit code in the CLI:
// InputError -> 2, anything else -> 1.
#pragma once

#include <stdexcept>
#include <string>

namespace hw {

// Where in an input file something was found (1-based line and column; 0 = unknown).
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
};

// Bad input: names file, line, column, key, the bad value and the expected form.
class InputError : public std::runtime_error {
 public:
  InputError(Location where, std::string key, std::string value, std::string problem);

  [[nodiscard]] const Location& where() const { return where_; }
  [[nodiscard]] const std::string& key() const { return key_; }
  [[nodiscard]] const std::string& value() const { return value_; }
  [[nodiscard]] const std::string& problem() const { return problem_; }

 private:
  Location where_;
  std::string key_;
  std::string value_;
  std::string problem_;
};

// A usage mistake on the command line (exit 2).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace hw
