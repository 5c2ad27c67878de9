// The engine as a loadable module (hwplan-engine.so): the table of module_api.hpp over
// engine.cpp. Its only exported symbol is hwplan_engine_module (the static libraries it
// contains are linked with --exclude-libs,ALL).
#include "sim/engine/engine.hpp"
#include "sim/engine/module_api.hpp"
#include "sim/run/cache.hpp"

namespace {

hw::RunResult module_simulate(const hw::SimInput& in) { return hw::simulate(in); }
void module_set_progress_sink(hw::SimProgressSink sink) { hw::set_sim_progress_sink(sink); }
std::string module_simgrid_library() { return hw::mapped_file("libsimgrid"); }

const hw::EngineModuleApi kApi{
    hw::kEngineModuleAbi, HWPLAN_VERSION, sizeof(hw::SimInput), sizeof(hw::RunResult), &module_simulate, &module_set_progress_sink,
    &module_simgrid_library,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const hw::EngineModuleApi* hwplan_engine_module() { return &kApi; }
