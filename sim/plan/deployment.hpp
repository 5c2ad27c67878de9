// Turning a scenario and one candidate into a fully resolved SimInput: which tier runs
// each stage, service times per batch size from the performance model, power per unit,
// and the reasons a candidate cannot work at all (no fit, data residency).
#pragma once

#include <optional>
#include <string>

#include "sim/run/types.hpp"
#include "sim/io/loaders.hpp"

namespace hw {

struct ResolvedCandidate {
  CandidateSpec spec;
  std::string label;               // "edge: jetson-orin-nano-super x2/site"
  SimInput input;
  std::optional<std::string> infeasible;  // set when it cannot run at all
  std::optional<std::string> infeasible_fix;  // what would let it run, where that is not other hardware
  std::vector<std::string> notes;  // precision fallbacks, batch limits
  // Accelerators in each data-centre server: a packaged card or module's count
  // (spec.gpus_per_server), a whole-server profile's `accelerators`; 0 without a data centre
  // or for a CPU server (its `accelerators` count sockets).
  int gpus_per_server = 0;
};

std::string family_label(Family f);
std::string candidate_label(const CandidateSpec& c);
// The label in a scenario: where every stream is LLM serving, the fixed-batching suffix
// ("batch 64/10 ms") says nothing (requests are batched continuously, token by token), so it
// reads "continuous batching, 2048 tokens/iter" with the stream's token budget.
std::string candidate_label(const CandidateSpec& c, const Scenario& s);
// The edge unit: its hardware, "+accelerator" when it carries one ("raspberry-pi-5+hailo-8").
std::string edge_unit_name(const CandidateSpec& c);

// A card or module alone (class accelerator) is bought inside servers: `servers` of
// `gpus_per_server` accelerators, each server one host (chassis, CPUs, memory, NICs).
// unit_* are per server, host included.
struct ServerPackaging {
  int servers = 0;
  int gpus_per_server = 0;
  double host_price = 0;       // per server, in the profile's currency
  double host_power_w = 0;     // per server, drawn whatever the load
  double unit_price = 0;       // gpus_per_server x the accelerator's price + host_price
  double unit_idle_w = 0, unit_max_w = 0;
};

// The GPU counts a server of this accelerator can hold: the profile's `server.gpus`, else
// 1, 2, 4 or 8 (a PCIe host); host price and power per server: the profile's, else the
// per-accelerator estimates of sim/cost/tco.hpp times the count.
std::vector<int> server_gpu_counts(const HardwareProfile& p);
ServerPackaging package_servers(const HardwareProfile& p, int servers, int gpus_per_server);
// The cheapest servers of one allowed size that hold at least `accelerators`:
// for each count g, m = ceil(n / g) servers; the lowest cost wins, then the fewest servers.
// Without `costs` the cost is the purchase price m x unit price. With the scenario's costs
// it is the cost over the horizon H (amortisation A) of what differs between packings:
//   m x unit price x H / A + m x maintenance per unit-year x H
//   + m x (g x accelerator idle W + host W) x PUE x electricity price x H
// (the load's own energy is the same in any packing; idle power stands for the rest).
// E.g. 39 L40S (8750 USD each, host 7.1k per GPU, maintenance 500 USD/y, horizon 3 y =
// amortisation): 39 x 1 costs 39 x 15.85k + 39 x 1.5k = 676.7k, 5 x 8 costs 5 x 126.8k +
// 5 x 1.5k = 641.5k (idle power adds ~1 GPU's idle draw to 5 x 8): 5 x 8 is bought, where
// the purchase price alone (618.2k against 634k) chose 39 x 1.
// Its cost never falls as n grows (any packaging of n + 1 also holds n).
ServerPackaging package_accelerators(const HardwareProfile& p, int accelerators, const Costs* costs = nullptr);
// The spec with `servers` counting accelerators again (gpus_per_server 0), for re-sizing.
CandidateSpec unpackaged(const CandidateSpec& c);

// Hardware its vendor's licence keeps out of data centres (profile `datacenter_use: false`,
// e.g. GeForce cards under NVIDIA's driver licence) put in the data-centre tier: why it may
// not go there, unless the scenario sets constraints.ignore_datacenter_use; else nullopt.
std::optional<std::string> datacenter_use_problem(const Scenario& s, const HardwareProfile& p);
// Hardware whose profile gives no price (a calibrated profile made without --price): it
// cannot be costed, so it cannot be ranked on cost; why, and the fix; else nullopt.
std::optional<std::string> price_problem(const HardwareProfile& p);
// The most units an edge batch job is given at its site (resolve_candidate grows them until
// its deadline is met): an engineering limit, the bound's search cap for jobs (analytic_bound).
inline constexpr int kMaxEdgeJobUnits = 4096;

inline constexpr const char* kPriceFix = "a price in its profile ('price: AMOUNT CURRENCY' with sources.price, or hwplan calibrate --price)";

ResolvedCandidate resolve_candidate(const Scenario& s, const Catalogue& cat, const CandidateSpec& c);

}  // namespace hw
