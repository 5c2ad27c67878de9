#include "sim/core/units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <span>
#include <utility>

#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"

namespace hw {
namespace {

struct UnitDef {
  std::string_view symbol;
  double factor;  // multiply the number by this to get SI
};

// Decimal prefixes for data (KB = 1000 B) and binary ones (KiB = 1024 B), as IEC says.
constexpr std::array kTime{
    UnitDef{"ns", 1e-9}, UnitDef{"us", 1e-6},  UnitDef{"µs", 1e-6},   UnitDef{"ms", 1e-3},
    UnitDef{"s", 1.0},   UnitDef{"min", 60.0}, UnitDef{"h", 3600.0},  UnitDef{"d", 86400.0},
    UnitDef{"y", kSecondsPerYear}, UnitDef{"yr", kSecondsPerYear},
    UnitDef{"years", kSecondsPerYear}, UnitDef{"year", kSecondsPerYear},
};
constexpr std::array kData{
    UnitDef{"B", 1.0},     UnitDef{"KB", 1e3},   UnitDef{"kB", 1e3},  UnitDef{"MB", 1e6},
    UnitDef{"GB", 1e9},    UnitDef{"TB", 1e12},  UnitDef{"KiB", 1024.0},
    UnitDef{"MiB", 1048576.0}, UnitDef{"GiB", 1073741824.0}, UnitDef{"TiB", 1099511627776.0},
};
constexpr std::array kBitrate{
    UnitDef{"bps", 1.0},    UnitDef{"Kbps", 1e3},  UnitDef{"kbps", 1e3},  UnitDef{"Mbps", 1e6},
    UnitDef{"Gbps", 1e9},   UnitDef{"Tbps", 1e12}, UnitDef{"bit/s", 1.0}, UnitDef{"kbit/s", 1e3},
    UnitDef{"Mbit/s", 1e6}, UnitDef{"Gbit/s", 1e9}, UnitDef{"B/s", 8.0},  UnitDef{"KB/s", 8e3},
    UnitDef{"MB/s", 8e6},   UnitDef{"GB/s", 8e9},
};
constexpr std::array kByterate{
    UnitDef{"B/s", 1.0},   UnitDef{"KB/s", 1e3},   UnitDef{"MB/s", 1e6},
    UnitDef{"GB/s", 1e9},  UnitDef{"TB/s", 1e12},  UnitDef{"GiB/s", 1073741824.0},
    UnitDef{"Gbps", 1e9 / 8}, UnitDef{"Mbps", 1e6 / 8},
};
constexpr std::array kFlops{
    UnitDef{"FLOP", 1.0},   UnitDef{"KFLOP", 1e3},  UnitDef{"MFLOP", 1e6},  UnitDef{"GFLOP", 1e9},
    UnitDef{"TFLOP", 1e12}, UnitDef{"PFLOP", 1e15}, UnitDef{"EFLOP", 1e18}, UnitDef{"OP", 1.0},
    UnitDef{"MOP", 1e6},    UnitDef{"GOP", 1e9},    UnitDef{"TOP", 1e12},   UnitDef{"POP", 1e15},
};
constexpr std::array kFlopRate{
    UnitDef{"FLOP/s", 1.0},   UnitDef{"GFLOP/s", 1e9},  UnitDef{"TFLOP/s", 1e12},
    UnitDef{"PFLOP/s", 1e15}, UnitDef{"GFLOPS", 1e9},   UnitDef{"TFLOPS", 1e12},
    UnitDef{"PFLOPS", 1e15},  UnitDef{"GOP/s", 1e9},    UnitDef{"TOP/s", 1e12},
    UnitDef{"TOPS", 1e12},    UnitDef{"GOPS", 1e9},     UnitDef{"POP/s", 1e15},
};
constexpr std::array kPower{
    UnitDef{"mW", 1e-3}, UnitDef{"W", 1.0}, UnitDef{"kW", 1e3}, UnitDef{"MW", 1e6},
};
constexpr std::array kEnergy{
    UnitDef{"J", 1.0},          UnitDef{"kJ", 1e3},         UnitDef{"MJ", 1e6},
    UnitDef{"Wh", 3600.0},      UnitDef{"kWh", kJoulesPerKwh}, UnitDef{"MWh", 3.6e9},
};
constexpr std::array kRate{
    UnitDef{"/s", 1.0},        UnitDef{"/min", 1.0 / 60}, UnitDef{"/h", 1.0 / 3600},
    UnitDef{"/d", 1.0 / 86400}, UnitDef{"Hz", 1.0},       UnitDef{"fps", 1.0},
};

std::span<const UnitDef> table_for(UnitKind kind) {
  switch (kind) {
    case UnitKind::time: return kTime;
    case UnitKind::data: return kData;
    case UnitKind::bitrate: return kBitrate;
    case UnitKind::byterate: return kByterate;
    case UnitKind::flops: return kFlops;
    case UnitKind::flop_rate: return kFlopRate;
    case UnitKind::power: return kPower;
    case UnitKind::energy: return kEnergy;
    case UnitKind::rate: return kRate;
    case UnitKind::energy_price: return kEnergy;
    case UnitKind::data_price: return kData;
    case UnitKind::time_price: return kTime;
    default: return {};
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits "1.5 Gbps" into 1.5 and "Gbps". Throws when no number leads the text.
std::pair<double, std::string_view> split_number(std::string_view text, UnitKind kind) {
  std::string_view s = trim(text);
  if (s.empty()) throw UnitError(std::string(text), "empty value; expected " + expected_form(kind));
  double v = 0.0;
  const char* first = s.data();
  const char* last = s.data() + s.size();
  if (*first == '+') ++first;
  // "0x10 Mbps": from_chars reads the 0 and leaves "x10" for the unit ("unknown unit 'x10 Mbps'").
  if (const char* d = (*first == '-' ? first + 1 : first); last - d >= 2 && d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) {
    throw UnitError(std::string(text), fmt::format("'{}': hexadecimal numbers are not accepted; write the number in decimal, as {}",
                                                   printable(text), expected_form(kind)));
  }
  auto [ptr, ec] = std::from_chars(first, last, v);
  if (ec == std::errc::result_out_of_range) {  // "1e400 y": a number, but no double holds it
    throw UnitError(std::string(text),
                    fmt::format("the number '{}' is out of range (a number from about 1e-308 to 1e308 is expected)",
                                printable(std::string_view(s.data(), static_cast<size_t>(ptr - s.data())))));
  }
  if (ec != std::errc() || ptr == first) {
    throw UnitError(std::string(text), fmt::format("'{}' does not start with a number; expected {}",
                                                   printable(text), expected_form(kind)));
  }
  if (!std::isfinite(v)) {  // "inf s", "nan ms": from_chars takes them
    throw UnitError(std::string(text), fmt::format("the number is not finite; expected a finite number, as {}",
                                                   expected_form(kind)));
  }
  if (v == 0.0) v = 0.0;  // "-0": zero, not a negative zero that passes 'v < 0' and prints as "-0"
  return {v, trim(std::string_view(ptr, static_cast<size_t>(last - ptr)))};
}

// Words and symbols people write that the tables do not take, with what to write instead:
// `times` of unit `to` make one of them ("1 w" is "7 d", "50 PB" is "50000 TB").
struct Alias {
  std::string_view symbol, to;
  double times;
};
constexpr std::array kTimeAliases{
    Alias{"w", "d", 7},       Alias{"wk", "d", 7},        Alias{"week", "d", 7},      Alias{"weeks", "d", 7},
    Alias{"hour", "h", 1},    Alias{"hours", "h", 1},     Alias{"hr", "h", 1},        Alias{"hrs", "h", 1},
    Alias{"sec", "s", 1},     Alias{"secs", "s", 1},      Alias{"second", "s", 1},    Alias{"seconds", "s", 1},
    Alias{"minute", "min", 1}, Alias{"minutes", "min", 1}, Alias{"mins", "min", 1},   Alias{"msec", "ms", 1},
    Alias{"day", "d", 1},     Alias{"days", "d", 1},
};
constexpr std::array kDataAliases{
    Alias{"PB", "TB", 1000}, Alias{"EB", "TB", 1e6}, Alias{"PiB", "TiB", 1024}, Alias{"byte", "B", 1}, Alias{"bytes", "B", 1},
};
constexpr std::array kBitrateAliases{
    Alias{"Pbps", "Tbps", 1000}, Alias{"Kb/s", "kbps", 1}, Alias{"kb/s", "kbps", 1}, Alias{"Mb/s", "Mbps", 1}, Alias{"Gb/s", "Gbps", 1},
};
constexpr std::array kRateAliases{
    Alias{"/sec", "/s", 1}, Alias{"/second", "/s", 1}, Alias{"/minute", "/min", 1}, Alias{"/hour", "/h", 1},
    Alias{"/hr", "/h", 1},  Alias{"/day", "/d", 1},    Alias{"/week", "/d", 1.0 / 7}, Alias{"/w", "/d", 1.0 / 7},
};

std::span<const Alias> aliases_for(UnitKind kind) {
  switch (kind) {
    case UnitKind::time:
    case UnitKind::time_price: return kTimeAliases;
    case UnitKind::data:
    case UnitKind::data_price: return kDataAliases;
    case UnitKind::bitrate: return kBitrateAliases;
    case UnitKind::rate: return kRateAliases;
    default: return {};
  }
}

// "(did you mean '7 d'?)" for "1 w": the same value in a unit that is taken. A price's unit
// is the one after its '/': "2 EUR/hour" is "2 EUR/h", "70 USD/w" is "10 USD/d".
std::string alias_hint(std::string_view unit, std::string_view text, UnitKind kind) {
  for (const auto& a : aliases_for(kind)) {
    if (a.symbol != unit) continue;
    const std::string_view t = trim(text);
    double v = 0;
    const char* b = t.data() + (t.starts_with('+') ? 1 : 0);
    const auto [end, ec] = std::from_chars(b, t.data() + t.size(), v);
    if (ec != std::errc()) return fmt::format(" (write '{}' for {})", a.to, printable(unit));
    const bool price = kind == UnitKind::time_price || kind == UnitKind::data_price;
    const std::string_view between = trim(std::string_view(end, static_cast<std::size_t>(t.data() + t.size() - end)));
    if (price) {
      const auto slash = between.rfind('/');
      return fmt::format(" (did you mean '{:.6g} {}/{}'?)", v / a.times, printable(trim(between.substr(0, slash))), a.to);
    }
    return fmt::format(" (did you mean '{:.6g} {}'?)", v * a.times, a.to);
  }
  return "";
}

double lookup(std::span<const UnitDef> table, std::string_view unit, std::string_view text,
              UnitKind kind) {
  // The Greek small letter mu (U+03BC, "μs") looks like the micro sign (U+00B5, "µs") and
  // keyboards give either: both mean micro.
  std::string micro;
  if (unit.starts_with("\xce\xbc")) {
    micro = "\xc2\xb5" + std::string(unit.substr(2));
    unit = micro;
  }
  for (const auto& u : table) {
    if (u.symbol == unit) return u.factor;
  }
  // "1,000 /s", "10_000 /s", "1'000 /s": digit groups. The number ended at the separator, so
  // the "unit" starts with it; say what was meant rather than "unknown unit ',000 /s'". Only
  // groups of three digits are digit groups: "1,5 s" is a decimal comma (1.5, not 15).
  if (unit.size() >= 2 && (unit[0] == ',' || unit[0] == '_' || unit[0] == '\'') &&
      std::isdigit(static_cast<unsigned char>(unit[1]))) {
    const std::string_view t = trim(text);
    std::size_t k = 0;
    while (k < t.size() && (t[k] == '+' || t[k] == '-')) ++k;
    const std::size_t lead = k;
    while (k < t.size() && std::isdigit(static_cast<unsigned char>(t[k]))) ++k;
    const std::size_t first_sep = k;
    bool groups = k - lead >= 1 && k - lead <= 3;
    std::string plain(t.substr(0, k));
    while (groups && k < t.size() && t[k] == unit[0]) {
      std::size_t d = k + 1;
      while (d < t.size() && std::isdigit(static_cast<unsigned char>(t[d]))) ++d;
      groups = d - k - 1 == 3;
      plain += t.substr(k + 1, d - k - 1);
      k = d;
    }
    if (groups) {
      plain += t.substr(k);
      throw UnitError(std::string(text), fmt::format("'{}' groups its digits with '{}', which a number here may not; write '{}'",
                                                     printable(text), unit[0], printable(plain)));
    }
    if (unit[0] == ',') {
      std::string dotted(t);
      if (first_sep < dotted.size() && dotted[first_sep] == ',') dotted[first_sep] = '.';
      throw UnitError(std::string(text), fmt::format("'{}': a number here takes no ','; the decimal mark is '.' (write '{}' if that "
                                                     "is meant)",
                                                     printable(text), printable(dotted)));
    }
  }
  std::vector<std::string> names;
  for (const auto& u : table) names.emplace_back(u.symbol);
  std::string hint = alias_hint(unit, text, kind);
  // A case slip ("Ms" for "ms") is the commonest mistake; say which was meant.
  for (const auto& u : table) {
    if (!hint.empty()) break;
    if (iequals(u.symbol, unit)) {
      hint = fmt::format(" (did you mean '{}'? unit symbols are case-sensitive)", u.symbol);
      break;
    }
  }
  if (hint.empty()) {
    if (auto near = did_you_mean(unit, names)) hint = fmt::format(" (did you mean '{}'?)", *near);
  }
  throw UnitError(std::string(text), fmt::format("unknown unit '{}' in '{}'{}; expected {}", printable(unit),
                                                 printable(text), hint, expected_form(kind)));
}

std::string example_for(UnitKind kind) {
  switch (kind) {
    case UnitKind::time: return "5 ms";
    case UnitKind::data: return "200 KB";
    case UnitKind::bitrate: return "1.5 Gbps";
    case UnitKind::byterate: return "102 GB/s";
    case UnitKind::flops: return "28.6 GFLOP";
    case UnitKind::flop_rate: return "30.3 TFLOP/s";
    case UnitKind::power: return "60 W";
    case UnitKind::energy: return "1.2 kWh";
    case UnitKind::rate: return "30 /s";
    case UnitKind::fraction: return "5 %";
    case UnitKind::money: return "199000 USD";
    case UnitKind::energy_price: return "0.12 USD/kWh";
    case UnitKind::data_price: return "0.09 USD/GB";
    case UnitKind::time_price: return "50 USD/y";
  }
  return "";
}

bool is_currency(std::string_view c) {
  return c.size() == 3 && std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

}  // namespace

std::string expected_form(UnitKind kind) {
  std::string units;
  switch (kind) {
    case UnitKind::fraction: return "a percentage like '5 %' or a fraction between 0 and 1";
    case UnitKind::money: return "an amount and an ISO currency code, like '199000 USD'";
    case UnitKind::energy_price: return "a price per energy, like '0.12 USD/kWh'";
    case UnitKind::data_price: return "a price per data volume, like '0.09 USD/GB'";
    case UnitKind::time_price: return "a price per time, like '50 USD/y' or '2.21 USD/h'";
    default: break;
  }
  for (const auto& u : table_for(kind)) {
    if (!units.empty()) units += ", ";
    units += u.symbol;
  }
  return fmt::format("a number with a unit, like '{}' (units: {})", example_for(kind), units);
}

namespace {
// The largest magnitude each kind may have (in SI), far above any real figure, so that every
// product and quotient the planner forms from inputs stays finite: a rate of 1e308 /s
// would otherwise turn into "inf Gbps" in a message. Small values have no bound here: the
// loaders give the divisors (bandwidths, rates, peaks) a floor of their own.
struct Magnitude {
  double max;
  const char* unit;     // after the figure: "s", "/s", "per J, B or s"; money has its currency
  const char* example;  // said in parentheses when not empty
};
Magnitude magnitude_of(UnitKind kind) {
  switch (kind) {
    case UnitKind::time: return {1e10, "s", "about 317 years"};
    case UnitKind::data: return {1e24, "B", "1 million EB"};
    case UnitKind::bitrate: return {1e15, "bit/s", "1 Pbps"};
    case UnitKind::byterate: return {1e15, "B/s", "1 PB/s"};
    case UnitKind::flops: return {1e30, "FLOP", ""};
    case UnitKind::flop_rate: return {1e21, "FLOP/s", ""};
    case UnitKind::power: return {1e10, "W", "10 GW"};
    case UnitKind::energy: return {1e15, "J", "1 PJ"};
    case UnitKind::rate: return {1e9, "/s", ""};
    case UnitKind::money: return {1e15, "", ""};
    case UnitKind::fraction: return {1.0, "", ""};
    case UnitKind::energy_price:
    case UnitKind::data_price:
    case UnitKind::time_price: return {1e6, "per J, B or s", ""};
  }
  return {1e30, "", ""};
}

// A bound as people write it: "1e15", not fmt's "1e+15"; "1" for one.
std::string bound_text(double v) {
  const double e = std::round(std::log10(v));
  if (v >= 1e4 && v == std::pow(10.0, e)) return fmt::format("1e{}", static_cast<int>(e));
  return fmt::format("{:g}", v);
}

// Any bound so: "3.6e12", not "3.6e+12"; "1e15" for a power of ten.
std::string number_text(double v) {
  std::string t = bound_text(v);
  if (const auto e = t.find("e+"); e != std::string::npos) {
    std::size_t d = e + 2;
    while (d + 1 < t.size() && t[d] == '0') ++d;
    t = t.substr(0, e + 1) + t.substr(d);
  }
  return t;
}
}  // namespace

namespace {
ParsedQuantity parse_unchecked(std::string_view text, UnitKind kind, std::string_view key);
}  // namespace

std::optional<std::string> magnitude_problem(double si, UnitKind kind, std::string_view currency) {
  const Magnitude m = magnitude_of(kind);
  if (std::isnan(si)) {
    return fmt::format("the value is not a number; expected a finite number, as {}", expected_form(kind));
  }
  // An infinite value is one that overflowed once its unit was applied ("1e300 TB/s"): too large.
  if (std::fabs(si) <= m.max) return std::nullopt;
  // Money and prices in the value's currency: "at most 1e15 USD", "at most 1e6 USD per J, B or s".
  std::string unit = m.unit;
  if (kind == UnitKind::money) unit = currency.empty() ? std::string("in its currency") : std::string(currency);
  else if (!currency.empty()) unit = fmt::format("{} {}", currency, unit);
  return fmt::format("the value is too large: at most {}{}{}{} is accepted", bound_text(m.max), unit.empty() ? "" : " ", unit,
                     *m.example != '\0' ? fmt::format(" ({})", m.example) : "");
}

std::string typical_unit(std::string_view key, UnitKind kind) {
  // The last name of the path: "costs.horizon" -> horizon, "streams[0].slo.p99" -> p99.
  if (const auto dot = key.rfind('.'); dot != std::string_view::npos) key.remove_prefix(dot + 1);
  if (const auto bracket = key.find('['); bracket != std::string_view::npos) key = key.substr(0, bracket);
  if (kind == UnitKind::time && !key.empty()) {
    if (key == "horizon" || key == "amortisation") return "y";
    if (key == "deadline" || key == "mtbf" || key == "repair") return "h";
    if (key == "every") return "d";
    if (key == "launch") return "us";
    if (key.find("latency") != std::string_view::npos || key == "jitter" || key == "overhead" || key == "max_wait" ||
        (key.size() >= 2 && key[0] == 'p' && std::isdigit(static_cast<unsigned char>(key[1])) != 0)) {
      return "ms";
    }
    return "s";
  }
  const std::string example = example_for(kind);
  const auto space = example.find(' ');
  return space == std::string::npos ? std::string() : example.substr(space + 1);
}

ParsedQuantity parse_quantity(std::string_view text, UnitKind kind) { return parse_quantity(text, kind, {}); }

ParsedQuantity parse_quantity(std::string_view text, UnitKind kind, std::string_view key) {
  ParsedQuantity q = parse_unchecked(text, kind, key);
  // "1e300 TB/s": the number is finite, but not once the unit is applied. Say the bound.
  if (!std::isfinite(q.si)) throw UnitError(std::string(text), *magnitude_problem(q.si, kind, q.currency));
  return q;
}

namespace {
ParsedQuantity parse_unchecked(std::string_view text, UnitKind kind, std::string_view key) {
  auto [number, unit] = split_number(text, kind);
  switch (kind) {
    case UnitKind::fraction: {
      if (unit == "%") {
        if (number < 0 || number > 100) throw UnitError(std::string(text), "a percentage must lie between 0 % and 100 %");
        return {number / 100.0, {}};
      }
      if (!unit.empty()) throw UnitError(std::string(text), fmt::format("unknown unit '{}'; expected {}", printable(unit), expected_form(kind)));
      if (number < 0 || number > 1) {
        throw UnitError(std::string(text), fmt::format("{} is not a fraction between 0 and 1; write '{} %' if a percentage was meant", number, number));
      }
      return {number, {}};
    }
    case UnitKind::money: {
      if (!is_currency(unit)) {
        throw UnitError(std::string(text), unit.empty()
            ? fmt::format("'{}' has no currency; write it like '{} USD'", printable(text), number)
            : fmt::format("'{}' is not an ISO currency code; expected {}", printable(unit), expected_form(kind)));
      }
      return {number, std::string(unit)};
    }
    case UnitKind::energy_price:
    case UnitKind::data_price:
    case UnitKind::time_price: {
      auto slash = unit.find('/');
      if (slash == std::string_view::npos) {
        throw UnitError(std::string(text), fmt::format("'{}' is not a price per unit; expected {}", printable(text), expected_form(kind)));
      }
      auto cur = trim(unit.substr(0, slash));
      auto per = trim(unit.substr(slash + 1));
      if (!is_currency(cur)) {
        throw UnitError(std::string(text), fmt::format("'{}' is not an ISO currency code; expected {}", printable(cur), expected_form(kind)));
      }
      double f = lookup(table_for(kind), per, text, kind);
      // The bound in the unit written ("at most 3.6e12 USD/kWh"), not in SI ("per J, B or s"):
      // for an input's value (a key given: the loaders, sweeps, --limit) and for one that
      // overflows. Without a key a finite value passes, as before (the YAML writer asks the
      // parser how a figure reads back, whatever its size).
      if (const double max = magnitude_of(kind).max * f; std::fabs(number) > max && (!key.empty() || !std::isfinite(number / f))) {
        throw UnitError(std::string(text), fmt::format("the value is too large: at most {} {}/{} is accepted ({} {} per {})", number_text(max),
                                                       printable(cur), printable(per), bound_text(magnitude_of(kind).max), printable(cur),
                                                       kind == UnitKind::energy_price ? "J" : kind == UnitKind::data_price ? "B" : "s"));
      }
      return {number / f, std::string(cur)};
    }
    default: break;
  }
  if (unit.empty()) {
    // Said once, with the unit this key is usually given in ("3" for a horizon: '3 y').
    const std::string example_unit = typical_unit(key, kind);
    std::string units;
    for (const auto& u : table_for(kind)) units += (units.empty() ? "" : ", ") + std::string(u.symbol);
    throw UnitError(std::string(text), fmt::format("'{}' has no unit; write it with one, like '{}{}{}' (units: {})", printable(text), number,
                                                   example_unit.front() == '/' ? "" : " ", example_unit, units));
  }
  double f = lookup(table_for(kind), unit, text, kind);
  return {number * f, {}};
}
}  // namespace

Seconds parse_time(std::string_view t) { return Seconds(parse_quantity(t, UnitKind::time).si); }
Bytes parse_data(std::string_view t) { return Bytes(parse_quantity(t, UnitKind::data).si); }
BitsPerSecond parse_bitrate(std::string_view t) { return BitsPerSecond(parse_quantity(t, UnitKind::bitrate).si); }
BytesPerSecond parse_byterate(std::string_view t) { return BytesPerSecond(parse_quantity(t, UnitKind::byterate).si); }
Flops parse_flops(std::string_view t) { return Flops(parse_quantity(t, UnitKind::flops).si); }
FlopsPerSecond parse_flop_rate(std::string_view t) { return FlopsPerSecond(parse_quantity(t, UnitKind::flop_rate).si); }
Watts parse_power(std::string_view t) { return Watts(parse_quantity(t, UnitKind::power).si); }
Joules parse_energy(std::string_view t) { return Joules(parse_quantity(t, UnitKind::energy).si); }
PerSecond parse_rate(std::string_view t) { return PerSecond(parse_quantity(t, UnitKind::rate).si); }
double parse_fraction(std::string_view t) { return parse_quantity(t, UnitKind::fraction).si; }
Money parse_money(std::string_view t) {
  auto q = parse_quantity(t, UnitKind::money);
  return Money{q.si, q.currency};
}

namespace {
std::string scaled(double v, std::span<const UnitDef> units) {
  // units in ascending factor order; pick the largest with |v| >= factor.
  const UnitDef* best = &units.front();
  for (const auto& u : units) {
    if (std::abs(v) >= u.factor) best = &u;
  }
  return fmt::format("{} {}", sig3(v / best->factor), best->symbol);
}
}  // namespace

std::string format_time(Seconds t) {
  // The largest unit the time reaches: 1.5 s, not 0.000415 h; 7 d, not 6.05e+05 s.
  static constexpr std::array u{UnitDef{"us", 1e-6}, UnitDef{"ms", 1e-3}, UnitDef{"s", 1.0},  UnitDef{"min", 60.0},
                                UnitDef{"h", 3600.0}, UnitDef{"d", 86400.0}, UnitDef{"y", kSecondsPerYear}};
  if (t.si() == 0) return "0 s";
  return scaled(t.si(), u);
}
std::string format_long_time(Seconds t) {
  // Hours from 1 h to under 1000 h (deadlines and makespans of batch jobs are thought of in hours); beyond,
  // days or years ("41.7 d", "279 y"), as format_time.
  return t.si() >= 3600 && t.si() < 1000 * 3600.0 ? sig3(t.si() / 3600) + " h" : format_time(t);
}
std::string format_data(Bytes b) {
  static constexpr std::array u{UnitDef{"B", 1}, UnitDef{"KB", 1e3}, UnitDef{"MB", 1e6},
                                UnitDef{"GB", 1e9}, UnitDef{"TB", 1e12}};
  return scaled(b.si(), u);
}
std::string format_bitrate(BitsPerSecond r) {
  static constexpr std::array u{UnitDef{"bps", 1}, UnitDef{"Kbps", 1e3}, UnitDef{"Mbps", 1e6},
                                UnitDef{"Gbps", 1e9}};
  return scaled(r.si(), u);
}
std::string format_power(Watts p) {
  static constexpr std::array u{UnitDef{"W", 1}, UnitDef{"kW", 1e3}, UnitDef{"MW", 1e6}};
  return scaled(p.si(), u);
}

}  // namespace hw
