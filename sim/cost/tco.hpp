// Total cost of ownership of a deployment over the scenario's horizon. Pure arithmetic.
//
//   capex            = sum over tiers of units * unit price
//   capex per year   = capex / amortisation_years
//   energy per year  = (P_edge + P_dc * PUE) * 8760 h * electricity price
//   bandwidth / year = (backhaul bytes per day * 365 + the loop's uploaded sample bytes per
//                      day * 365 + runs/year * model push bytes) * price per byte: every byte
//                      over the backhaul, the loop's traffic as any other; the streams' bytes
//                      are the offered ones (sim/plan/evaluate.hpp OfferedLoad), not a sample
//   maintenance/year = units * maintenance per unit-year + sites * visits/year * visit cost
//   retraining/year  = training per year (the loop's sized training hardware, owned or rented:
//                      sim/plan/loop.hpp; or, with a hand figure, runs/year * GPU-hours * GPU-hour price)
//
// Rent or buy, for the data-centre tier (when a rented price is known: the profile's
// gpu_hour, else the scenario's costs.gpu_hour unless a part compared that is no dearer to
// buy rents for more: sim/plan/evaluate.hpp dc_rent_price):
//   own / year       = servers * server price / amortisation + DC energy with PUE + servers * maintenance
//   on demand / year = GPUs * busy share of the year * 8760 h * on-demand price per GPU-hour
//                      (busy share 1 when the data centre serves streams: the GPUs must stay
//                      up; else the share of the year its batch jobs compute, whatever the sites run)
//   reserved / year  = GPUs * 8760 h * reserved price per GPU-hour (when the profile gives one)
//   break-even utilisation = own / year / (GPUs * 8760 h * on-demand price): owning is cheaper
//                      when the GPUs would be rented more than that share of the year
//   The cheapest of the three is taken: when renting, the DC's capex, energy and maintenance
//   leave the breakdown and `rent` carries the rented GPU-hours.
//   opex per year    = energy + bandwidth + maintenance + retraining
//   TCO              = (capex per year + opex per year) * horizon_years
//   cost per million = TCO / (inferences per second * horizon seconds) * 1e6, the rate being
//                      the offered one (the scenario's mean arrival rate, all sites), not the
//                      requests a simulated window happened to complete
//   per million output tokens = TCO / (offered output tokens per second * horizon seconds) * 1e6
#pragma once

#include <string>

#include "sim/workload/scenario.hpp"

namespace hw {

// A bare accelerator (class `accelerator`: a PCIe card or an SXM/OAM module) placed in the
// data centre needs a host. Its share per accelerator is an estimate derived from
// ../shared/reference: an 8x H100 HGX server quotes ~310-317k USD (network_and_costs.md,
// Thinkmate, Aug 2024) against 8 modules at the 25-40k USD midpoint (hardware_specs.csv):
// (317k - 8 x 32.5k) / 8 = ~7.1k USD per accelerator for chassis, CPUs, memory, NICs.
constexpr double kHostPricePerAcceleratorUsd = 7100.0;
// Host power per accelerator, estimate: DGX H100 typical 6.5-8.5 kW under load minus
// 8 x 700 W GPUs leaves 0.9-2.9 kW for the host, 110-360 W per GPU; 150 W taken.
constexpr double kHostPowerPerAcceleratorW = 150.0;

struct CostInputs {
  int edge_units = 0;          // total over all sites
  double edge_unit_price = 0;
  int dc_units = 0;
  double dc_unit_price = 0;
  int sites_with_edge = 0;     // sites that need visits
  double edge_power_w = 0;     // average, all edge units
  double dc_power_w = 0;       // average, IT power before PUE
  double backhaul_bytes_per_day = 0;  // offered: the streams' expected bytes over the backhaul (OfferedLoad), all sites
  double inferences_per_s = 0;  // offered: requests per second the scenario sends (sim/plan/evaluate.hpp offered_load)
  double output_tokens_per_s = 0;  // offered: LLM output tokens per second (0 without an LLM stream)
  // Train-infer-iterate loop (all zero without one).
  double retraining_runs_per_year = 0;
  double retraining_gpu_hours = 0;        // per run
  double sample_upload_bytes_per_day = 0; // samples sent from the sites (not already in the DC)
  double model_push_bytes = 0;            // per run, all edge units together
  double training_per_year = 0;           // the loop's sized training (owned or rented); replaces GPU-hours
  // Rent or buy for the data-centre tier.
  int dc_devices = 0;                     // GPUs (accelerators) in the data centre
  double dc_busy_share = 1.0;             // share of the year the DC works (1 when it serves streams; else its batch jobs' compute time)
  double dc_job_power_w = 0;              // batch jobs beside streams: their DC power above idle, averaged over the year (in dc_power_w too)
  double gpu_hour_on_demand = 0;          // per GPU-second; 0 = no rented price known
  double gpu_hour_reserved = 0;           // per GPU-second; 0 = none
};

struct CostBreakdown {
  std::string currency;
  double capex = 0;
  double capex_per_year = 0;
  double energy_per_year = 0;
  double bandwidth_per_year = 0;
  double maintenance_per_year = 0;
  double retraining_per_year = 0;  // the training (its uploads and pushes are in bandwidth_per_year)
  double training_per_year = 0;    // the same figure (kept: the JSON has carried it since version 2)
  double rent_per_year = 0;        // rented data-centre GPU-hours (when renting is cheaper)
  // Rent or buy for the data-centre tier ("" when there is none or no rented price).
  std::string dc_choice;           // "buy", "rent on demand" or "rent reserved"
  double dc_own_per_year = 0;
  double dc_on_demand_per_year = 0;
  double dc_reserved_per_year = 0; // 0 when no reserved price is known
  double break_even_utilisation = 0;
  double dc_busy_share = 0;
  double opex_per_year = 0;
  double tco = 0;
  double cost_per_million = 0;
  double cost_per_million_output_tokens = 0;  // 0 without offered output tokens
};

CostBreakdown price_deployment(const Costs& costs, const CostInputs& in);

}  // namespace hw
