// Small text helpers shared by parsers: case-insensitive comparison and
// "did you mean" suggestions for near-miss keys, ids and units.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hw {

bool iequals(std::string_view a, std::string_view b);

// Edit distance (optimal string alignment): insert, delete, substitute and swap two
// neighbouring characters all cost 1.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate when it is near enough to be a plausible typo
// (distance <= max(1, len/3)), else nothing. A candidate equal to the word but for case
// wins over everything else. When the word begins up to four candidates,
// all of them, as "a' or 'b" (for a message that quotes the suggestion).
std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string>& candidates);

// A figure for people: three significant digits below 1000 ("40.9", "0.282"), whole numbers
// from 1000 up ("6157", not "6.16e+03"); exponent form only below 1e-4 or from 1e15.
std::string sig3(double v);
// The same with `digits` significant digits below 10^digits ("989.5" for 4), whole numbers
// from there up ("12040", not "1.204e+04").
std::string sig(double v, int digits);

// sig(v, digits), with more digits where that would round `v` onto or past `bound` from the
// other side (a p99 of 39.96 ms against a 40 ms SLO reads "39.96", not "40"; 40.004 reads
// "40.004"): a figure beside its target never reads as meeting it exactly, or as on the wrong
// side. No bound (<= 0), or v exactly on it: sig(v, digits).
std::string sig_beside(double v, double bound, int digits);

// A count for people: as sig3 below a million, then "1.38 million", "69 billion",
// "1.2 trillion" (whole trillions above): "6.9e+10 samples" reads "69 billion samples".
std::string format_count(double n);

}  // namespace hw
