// libFuzzer targets for the input loaders and the unit parser (HWPLAN_FUZZ=ON, clang).
// One source, one target per HWPLAN_FUZZ_TARGET value: scenario, profile, model, trace,
// units, sweep. A target may only ever see an InputError or UnitError: any other exception, a
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
#if defined(HWPLAN_FUZZ_SWEEP)
#include <filesystem>

#include "sim/sweep/spec.hpp"
#endif

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
#elif defined(HWPLAN_FUZZ_SWEEP)
  // A sweep file names its base scenario by a path relative to itself: the fuzzed file is
  // written into a scratch folder beside links to the bundled scenarios, so that the seeds
  // (scenarios/sweeps/*.yaml, "scenario: ../city-cctv.yaml") load as they do in the tree.
  namespace fs = std::filesystem;
  static const std::string path = [] {
    const fs::path root = fs::temp_directory_path() / ("hwplan-fuzz-sweep-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::create_directories(root / "sweeps", ec);
    for (const auto& e : fs::directory_iterator(HWPLAN_SOURCE_DIR "/scenarios", ec)) {
      if (e.path().extension() == ".yaml") fs::create_symlink(e.path(), root / e.path().filename(), ec);
    }
    fs::create_symlink(HWPLAN_SOURCE_DIR "/scenarios/models", root / "models", ec);
    return (root / "sweeps" / "fuzz.yaml").string();
  }();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
  }
  expect_input_errors_only([&] {
    const hw::sweep::SweepSpec spec = hw::sweep::load_sweep(path, catalogue());
    // Expanding and resolving the first variants runs the path editing and the variant key.
    const auto variants = hw::sweep::expand(spec);
    for (std::size_t i = 0; i < variants.size() && i < 2; ++i) (void)hw::sweep::resolve_variant(spec, catalogue(), variants[i]);
  });
#else
#error "define one HWPLAN_FUZZ_<TARGET>"
#endif
  return 0;
}
