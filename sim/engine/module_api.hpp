// What the engine module (hwplan-engine.so, module.cpp) hands the loader (loader.cpp): one
// C entry point returning this table. Both sides are built from the same tree, so C++
// types cross it as they are; the loader still checks the ABI number, the version and the
// sizes of the two documents before it calls anything, to refuse a module of another build.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/run/progress.hpp"
#include "sim/run/types.hpp"

namespace hw {

inline constexpr std::uint32_t kEngineModuleAbi = 1;  // bump when this table changes

struct EngineModuleApi {
  std::uint32_t abi = kEngineModuleAbi;
  const char* version = nullptr;  // the project version it was built as (HWPLAN_VERSION)
  std::size_t sim_input_size = 0;
  std::size_t run_result_size = 0;
  RunResult (*simulate)(const SimInput&) = nullptr;
  // The module has its own copy of the progress sink (sim/run/progress.hpp): the loader
  // passes the caller's on before each simulation.
  void (*set_progress_sink)(SimProgressSink) = nullptr;
  // The path of the SimGrid library the module loaded, for the build id.
  std::string (*simgrid_library)() = nullptr;
};

}  // namespace hw

// The module's one exported symbol.
extern "C" const hw::EngineModuleApi* hwplan_engine_module();
inline constexpr const char* kEngineModuleEntry = "hwplan_engine_module";
