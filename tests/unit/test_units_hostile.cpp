// Units as a hostile input writes them (review of 2026-12-03): a price over its bound is told
// the bound in the unit written, a hexadecimal number is named as such, "-0" is zero.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "sim/core/units.hpp"

using namespace hw;

namespace {
// As the loaders ask: for the value of a key.
std::string why(std::string_view text, UnitKind kind) {
  try {
    parse_quantity(text, kind, "costs.electricity");
  } catch (const UnitError& e) {
    return e.what();
  }
  return "(accepted)";
}
}  // namespace

TEST_CASE("units: a price over its bound states the bound in the unit written, not per J, B or s") {
  // 1e6 USD per J (sim/core/units.cpp magnitude_of) is 3.6e12 USD per kWh (3.6e6 J).
  const std::string kwh = why("1e308 USD/kWh", UnitKind::energy_price);
  CHECK(kwh.find("at most 3.6e12 USD/kWh is accepted") != std::string::npos);
  CHECK(kwh.find("per J, B or s") == std::string::npos);
  CHECK(why("2e6 EUR/J", UnitKind::energy_price).find("at most 1e6 EUR/J is accepted") != std::string::npos);
  CHECK(why("0.12 USD/kWh", UnitKind::energy_price) == "(accepted)");
  CHECK(why("3.6e12 USD/kWh", UnitKind::energy_price) == "(accepted)");  // on the bound
}

TEST_CASE("units: a hexadecimal number is said to be one, not an unknown unit 'x10 Mbps'") {
  for (const char* t : {"0x10 Mbps", "0X1f Mbps", "-0x10 Mbps", "+0x10 Mbps"}) {
    const std::string m = why(t, UnitKind::bitrate);
    INFO(t << ": " << m);
    CHECK(m.find("hexadecimal numbers are not accepted") != std::string::npos);
    CHECK(m.find("unknown unit") == std::string::npos);
  }
  CHECK(why("0 Mbps", UnitKind::bitrate) == "(accepted)");
  CHECK(why("0.5 Mbps", UnitKind::bitrate) == "(accepted)");
}

TEST_CASE("units: -0 is zero, without a sign") {
  for (auto [t, k] : {std::pair{"-0 ms", UnitKind::time}, std::pair{"-0 USD/kWh", UnitKind::energy_price}, std::pair{"-0.0e5 W", UnitKind::power},
                      std::pair{"-0", UnitKind::fraction}, std::pair{"-0 %", UnitKind::fraction}}) {
    const double v = parse_quantity(t, k).si;
    INFO(t);
    CHECK(v == 0.0);
    CHECK_FALSE(std::signbit(v));
  }
}
