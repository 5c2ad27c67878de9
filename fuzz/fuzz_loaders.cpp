// libFuzzer targets for the input loaders and the unit parser (HWPLAN_FUZZ=ON, clang).
// One source, one target per HWPLAN_FUZZ_TARGET value: scenario, profile, model, trace,
// units. A target may only ever see an InputError or UnitError: any other exception, a
// crash, a leak or a sanitizer report is a bug. See fuzz/README.md.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/core/units.hpp"
#include "sim/io/loaders.hpp"
#include "sim/io/trace.hpp"

namespace {

[[maybe_unused]] const hw::Catalogue& catalogue() {
  static const hw::Catalogue c = hw::load_catalogue(HWPLAN_SOURCE_DIR "/hardware_profiles", HWPLAN_SOURCE_DIR "/scenarios/models");
  return c;
}

template <class F>
void expect_input_errors_only(F&& f) {
  try {
    f();
  } catch (const hw::InputError&) {
  } catch (const hw::UnitError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
#if defined(HWPLAN_FUZZ_SCENARIO)
  expect_input_errors_only([&] { hw::load_scenario_text(text, HWPLAN_SOURCE_DIR "/tests/data", catalogue(), "<fuzz>"); });
#elif defined(HWPLAN_FUZZ_PROFILE)
  expect_input_errors_only([&] { hw::load_profile_text(text, "<fuzz>"); });
#elif defined(HWPLAN_FUZZ_MODEL)
  expect_input_errors_only([&] { hw::load_models_text(text, "<fuzz>"); });
#elif defined(HWPLAN_FUZZ_TRACE)
  static const std::string path = "/tmp/hwplan-fuzz-trace-" + std::to_string(::getpid()) + ".csv";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
  }
  expect_input_errors_only([&] { hw::load_trace(path); });
#elif defined(HWPLAN_FUZZ_UNITS)
  using K = hw::UnitKind;
  for (K k : {K::time, K::data, K::bitrate, K::byterate, K::flops, K::flop_rate, K::power, K::energy, K::rate, K::fraction, K::money,
              K::energy_price, K::data_price, K::time_price}) {
    expect_input_errors_only([&] { (void)hw::parse_quantity(text, k); });
  }
#else
#error "define one HWPLAN_FUZZ_<TARGET>"
#endif
  return 0;
}
