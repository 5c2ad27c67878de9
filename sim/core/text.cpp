#include "sim/core/text.hpp"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace hw {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: insertions, deletions, substitutions and swaps of two
  // neighbouring characters each cost one edit ("jetosn" is one slip from "jetson").
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) row[j] = std::min(row[j], before[j - 2] + 1);
    }
    std::swap(before, prev);
    std::swap(prev, row);
  }
  return prev[b.size()];
}

std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  // A word that differs from a candidate only in case names that one, before any prefix
  // ("NVIDIA-L4" is nvidia-l4, not nvidia-l40s).
  for (const auto& c : candidates) {
    if (iequals(word, c)) return c;
  }
  // A word that begins several candidates names them all ("nvidia-h100" -> the SXM and the
  // PCIe one): a prefix is a stronger hint than a small edit distance to something else.
  std::vector<std::string> prefixed;
  for (const auto& c : candidates) {
    if (word.size() >= 5 && 2 * word.size() >= c.size() && c.size() > word.size() && iequals(word, std::string_view(c).substr(0, word.size()))) prefixed.push_back(c);
  }
  if (!prefixed.empty() && prefixed.size() <= 4) {
    std::sort(prefixed.begin(), prefixed.end());
    std::string all = prefixed.front();
    for (std::size_t i = 1; i < prefixed.size(); ++i) all += (i + 1 == prefixed.size() ? "' or '" : "', '") + prefixed[i];
    return all;
  }
  std::optional<std::string> best;
  std::size_t best_d = std::max<std::size_t>(1, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (iequals(word, c)) d = 0;
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string sig3(double v) { return sig(v, 3); }

std::string sig(double v, int digits) {
  const double a = std::abs(v);
  if (a >= 1e15 || !std::isfinite(v)) return fmt::format("{:.{}g}", v, digits);
  if (a >= std::pow(10.0, digits)) return fmt::format("{:.0f}", v);
  std::string s = fmt::format("{:.{}g}", v, digits);
  // 999.96 rounds up to "1e+03" at three digits: whole numbers then as well.
  return s.find("e+") == std::string::npos ? s : fmt::format("{:.0f}", v);
}

std::string sig_beside(double v, double bound, int digits) {
  std::string s = sig(v, digits);
  if (!(bound > 0) || !std::isfinite(v) || v == bound) return s;
  const bool under = v < bound;
  auto wrong_side = [&](const std::string& t) {
    const double r = std::strtod(t.c_str(), nullptr);
    return under ? r >= bound : r <= bound;
  };
  for (int d = digits + 1; d <= 15 && wrong_side(s); ++d) s = sig(v, d);
  return s;
}

std::string format_count(double n) {
  const double a = std::abs(n);
  if (a >= 1e12) return sig3(n / 1e12) + " trillion";
  if (a >= 1e9) return sig3(n / 1e9) + " billion";
  if (a >= 1e6) return sig3(n / 1e6) + " million";
  return sig3(n);
}

}  // namespace hw
