#include "sim/cost/tco.hpp"

namespace hw {

CostBreakdown price_deployment(const Costs& c, const CostInputs& in) {
  CostBreakdown b;
  b.currency = c.currency;
  const double year = kSecondsPerYear;
  const double horizon_years = c.horizon.si() / year;
  const double amort_years = c.amortisation.si() / year;
  const double dc_capex = in.dc_units * in.dc_unit_price;
  const double dc_energy = in.dc_power_w * c.pue * year * c.electricity.per_si;
  const double dc_maintenance = in.dc_units * c.maintenance_per_unit.per_si * year;
  b.capex = in.edge_units * in.edge_unit_price + dc_capex;
  // energy: W * s/year = J/year, times price per J; the data centre pays PUE on top.
  b.energy_per_year = in.edge_power_w * year * c.electricity.per_si + dc_energy;
  // Every byte over the backhaul: the streams' traffic, and the loop's sample uploads and model
  // pushes (not simulated: computed from the scenario, sim/plan/evaluate.cpp).
  b.bandwidth_per_year = (in.backhaul_bytes_per_day * 365.0 + in.sample_upload_bytes_per_day * 365.0 +
                          in.retraining_runs_per_year * in.model_push_bytes) *
                         c.bandwidth.per_si;
  b.maintenance_per_year = in.edge_units * c.maintenance_per_unit.per_si * year + dc_maintenance +
                           in.sites_with_edge * c.visits_per_site_per_year * c.site_visit.amount;
  // Rent or buy the data-centre tier.
  if (in.dc_units > 0 && in.dc_devices > 0 && in.gpu_hour_on_demand > 0) {
    const double amort = amort_years > 0 ? amort_years : 1.0;
    b.dc_own_per_year = dc_capex / amort + dc_energy + dc_maintenance;
    b.dc_busy_share = in.dc_busy_share;
    b.dc_on_demand_per_year = in.dc_devices * in.dc_busy_share * year * in.gpu_hour_on_demand;
    b.dc_reserved_per_year = in.gpu_hour_reserved > 0 ? in.dc_devices * year * in.gpu_hour_reserved : 0.0;
    b.break_even_utilisation = b.dc_own_per_year / (in.dc_devices * year * in.gpu_hour_on_demand);
    b.dc_choice = "buy";
    double best = b.dc_own_per_year;
    if (b.dc_on_demand_per_year < best) {
      best = b.dc_on_demand_per_year;
      b.dc_choice = "rent on demand";
    }
    if (b.dc_reserved_per_year > 0 && b.dc_reserved_per_year < best) {
      best = b.dc_reserved_per_year;
      b.dc_choice = "rent reserved";
    }
    if (b.dc_choice != "buy") {
      b.capex -= dc_capex;
      b.energy_per_year -= dc_energy;
      b.maintenance_per_year -= dc_maintenance;
      b.rent_per_year = best;
    }
  }
  b.capex_per_year = amort_years > 0 ? b.capex / amort_years : b.capex;
  b.training_per_year = in.training_per_year + in.retraining_runs_per_year * in.retraining_gpu_hours * 3600.0 * c.gpu_hour.per_si;
  b.retraining_per_year = b.training_per_year;
  b.opex_per_year = b.energy_per_year + b.bandwidth_per_year + b.maintenance_per_year + b.retraining_per_year + b.rent_per_year;
  b.tco = (b.capex_per_year + b.opex_per_year) * horizon_years;
  const double items = in.inferences_per_s * c.horizon.si();
  b.cost_per_million = items > 0 ? b.tco / items * 1e6 : 0.0;
  const double tokens = in.output_tokens_per_s * c.horizon.si();
  b.cost_per_million_output_tokens = tokens > 0 ? b.tco / tokens * 1e6 : 0.0;
  return b;
}

}  // namespace hw
