// The error hierarchy. Two tiers: assertions for programming mistakes, and these
// exceptions for bad input. Each maps to a fixed exit code in the CLI:
// InputError -> 2, anything else -> 1.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace hw {

// How much of a piece of user text (a value, an id, a unit) a message quotes.
inline constexpr std::size_t kQuotedChars = 120;

// User text as a message may show it on a terminal, on one line: control characters (ESC, a
// newline, a tab), invisible ones that hide or reorder text (U+200B..U+200F, U+2028/9,
// U+202A..U+202E, U+2066..U+2069, a byte-order mark U+FEFF, C1 controls) and bytes that are
// not UTF-8 are written as visible escapes (\x1b, \u202E, \xff); after `max_chars` characters
// the rest is left out and "..." said instead. Text it has escaped comes through unchanged
// (cut again if longer than `max_chars`).
std::string printable(std::string_view text, std::size_t max_chars = kQuotedChars);

// Where in an input file something was found (1-based line and column; 0 = unknown).
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
};

// Bad input: names file, line, column, key, the bad value and the expected form. what() is
// "FILE:LINE:COLUMN: key 'KEY', value 'VALUE': PROBLEM" with every part passed through
// printable(): one line, no raw control bytes, and bounded (file 300 characters, key 160, value
// kQuotedChars, problem 1000). The accessors give the parts as they were passed.
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
