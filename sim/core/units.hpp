// Strong quantity types with SI values inside, and a strict parser for unit text.
//
// Every physical quantity is held in SI (seconds, bytes, bit/s, FLOP, FLOP/s, W, J,
// 1/s). A quantity of one kind cannot be added to another kind by accident. Input text
// always carries its unit ("5 ms", "1.5 Gbps", "200 KB", "30/s", "28.6 GFLOP", "60 W",
// "0.12 USD/kWh", "3 y"); a bare number where a unit is required is rejected with a
// message that suggests the fix.
#pragma once

#include <compare>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace hw {

template <class Tag>
class Quantity {
 public:
  constexpr Quantity() = default;
  constexpr explicit Quantity(double si) : v_(si) {}
  [[nodiscard]] constexpr double si() const { return v_; }

  constexpr Quantity operator+(Quantity o) const { return Quantity(v_ + o.v_); }
  constexpr Quantity operator-(Quantity o) const { return Quantity(v_ - o.v_); }
  constexpr Quantity operator*(double k) const { return Quantity(v_ * k); }
  constexpr Quantity operator/(double k) const { return Quantity(v_ / k); }
  constexpr double operator/(Quantity o) const { return v_ / o.v_; }
  constexpr Quantity& operator+=(Quantity o) {
    v_ += o.v_;
    return *this;
  }
  constexpr auto operator<=>(const Quantity&) const = default;

 private:
  double v_ = 0.0;
};

template <class Tag>
constexpr Quantity<Tag> operator*(double k, Quantity<Tag> q) {
  return q * k;
}

using Seconds = Quantity<struct TimeTag>;          // s
using Bytes = Quantity<struct DataTag>;            // B
using BitsPerSecond = Quantity<struct BitrateTag>; // bit/s (network)
using BytesPerSecond = Quantity<struct ByterateTag>; // B/s (memory)
using Flops = Quantity<struct FlopTag>;            // FLOP (or integer OP)
using FlopsPerSecond = Quantity<struct FlopRateTag>; // FLOP/s
using Watts = Quantity<struct PowerTag>;           // W
using Joules = Quantity<struct EnergyTag>;         // J
using PerSecond = Quantity<struct RateTag>;        // 1/s

// Cross-kind relations that the model needs, kept explicit.
constexpr Seconds transfer_time(Bytes b, BitsPerSecond r) { return Seconds(b.si() * 8.0 / r.si()); }
constexpr Seconds compute_time(Flops f, FlopsPerSecond r) { return Seconds(f.si() / r.si()); }
constexpr Seconds memory_time(Bytes b, BytesPerSecond r) { return Seconds(b.si() / r.si()); }
constexpr Joules energy(Watts p, Seconds t) { return Joules(p.si() * t.si()); }

constexpr double kSecondsPerYear = 365.0 * 86400.0;  // a 365-day year
constexpr double kJoulesPerKwh = 3.6e6;

// Money carries its currency (ISO 4217 code, three upper-case letters).
struct Money {
  double amount = 0.0;
  std::string currency = "USD";
  friend bool operator==(const Money&, const Money&) = default;
};

// A price per unit of some quantity, stored per SI unit of that quantity
// (per J for energy, per byte for data, per second for time rates).
struct Price {
  double per_si = 0.0;
  std::string currency = "USD";
  friend bool operator==(const Price&, const Price&) = default;
};

// What a piece of unit text must denote.
enum class UnitKind {
  time,
  data,
  bitrate,
  byterate,
  flops,
  flop_rate,
  power,
  energy,
  rate,
  fraction,      // "5 %" or a bare number in [0, 1]
  money,         // "199000 USD"
  energy_price,  // "0.12 USD/kWh"
  data_price,    // "0.09 USD/GB"
  time_price,    // "50 USD/y", "2.21 USD/h"
};

// Human description of the expected form, used in error messages.
std::string expected_form(UnitKind kind);

// Thrown by the parser; carries no location: loaders add file, line, column and key.
class UnitError : public std::runtime_error {
 public:
  UnitError(std::string value, std::string why)
      : std::runtime_error(why), value_(std::move(value)) {}
  [[nodiscard]] const std::string& value() const { return value_; }

 private:
  std::string value_;
};

struct ParsedQuantity {
  double si = 0.0;
  std::string currency;  // set for money and prices
};

// Parses text of the given kind into SI. Throws UnitError with a suggestion.
ParsedQuantity parse_quantity(std::string_view text, UnitKind kind);
// The same for the value of `key` (a path such as "costs.horizon"): a bare number is told to
// take the unit that key is usually given in ("3" for a horizon: write '3 y').
ParsedQuantity parse_quantity(std::string_view text, UnitKind kind, std::string_view key);
// That unit: "y" for a horizon or amortisation, "ms" for a latency, "s" for other times,
// else (and without a key) the unit of the kind's example ("ms" for a time).
std::string typical_unit(std::string_view key, UnitKind kind);
// Why an SI value is too large for an input of this kind (each kind has a largest accepted
// magnitude, far above any real figure, so that what the planner computes from inputs
// stays finite); nothing when it is fine. The loaders apply it. `currency`: that of a money
// amount or price, named in the bound ("at most 1e15 USD").
std::optional<std::string> magnitude_problem(double si, UnitKind kind, std::string_view currency = {});

Seconds parse_time(std::string_view text);
Bytes parse_data(std::string_view text);
BitsPerSecond parse_bitrate(std::string_view text);
BytesPerSecond parse_byterate(std::string_view text);
Flops parse_flops(std::string_view text);
FlopsPerSecond parse_flop_rate(std::string_view text);
Watts parse_power(std::string_view text);
Joules parse_energy(std::string_view text);
PerSecond parse_rate(std::string_view text);
double parse_fraction(std::string_view text);
Money parse_money(std::string_view text);

// Short human formatting ("4.2 ms", "1.5 Gbps") for tables and prose: three significant
// figures (sig3) in the largest unit the value reaches, never exponent form.
// A time in us, ms, s, min, h, d or y (365 d): "1.5 s", "33.3 h", "7 d", "279 y"; every one
// of these units parses back (parse_time).
std::string format_time(Seconds t);
// From one hour to under 1000 hours in hours ("33.3 h", "720 h": a value to compare with other
// hours), otherwise as format_time ("45 min", "41.7 d", "279 y").
std::string format_long_time(Seconds t);
std::string format_data(Bytes b);
std::string format_bitrate(BitsPerSecond r);
std::string format_power(Watts p);

}  // namespace hw
