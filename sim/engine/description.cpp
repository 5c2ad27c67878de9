// The engine's network model in words: a constant, so that reports can name it without
// loading the engine (sim/engine/engine.hpp).
#include "sim/engine/engine.hpp"

namespace hw {

const char* network_model_description() {
  return "SimGrid CM02 flow model, max-min sharing, latency-factor 1, bandwidth-factor 1, "
         "TCP-gamma 0 (no window bound), no cross-traffic";
}

}  // namespace hw
