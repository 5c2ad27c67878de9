#include "sim/cost/tco.hpp"

namespace hw {

CostBreakdown price_deployment(const Costs& c, const CostInputs& in) {
  CostBreakdown b;
  b.currency = c.currency;
  const double year = kSecondsPerYear;
  const double horizon_years = c.horizon.si() / year;
  const double amort_years = c.amortisation.si() / year;
  b.capex = in.edge_units * in.edge_unit_price + in.dc_units * in.dc_unit_price;
  b.capex_per_year = amort_years > 0 ? b.capex / amort_years : b.capex;
  // energy: W * s/year = J/year, times price per J; the data centre pays PUE on top.
  b.energy_per_year = (in.edge_power_w + in.dc_power_w * c.pue) * year * c.electricity.per_si;
  b.bandwidth_per_year = in.backhaul_bytes_per_day * 365.0 * c.bandwidth.per_si;
  b.maintenance_per_year = (in.edge_units + in.dc_units) * c.maintenance_per_unit.per_si * year +
                           in.sites_with_edge * c.visits_per_site_per_year * c.site_visit.amount;
  b.retraining_per_year =
      in.retraining_runs_per_year * (in.retraining_gpu_hours * 3600.0 * c.gpu_hour.per_si + in.model_push_bytes * c.bandwidth.per_si) +
      in.sample_upload_bytes_per_day * 365.0 * c.bandwidth.per_si;
  b.opex_per_year = b.energy_per_year + b.bandwidth_per_year + b.maintenance_per_year + b.retraining_per_year;
  b.tco = (b.capex_per_year + b.opex_per_year) * horizon_years;
  const double items = in.inferences_per_s * c.horizon.si();
  b.cost_per_million = items > 0 ? b.tco / items * 1e6 : 0.0;
  return b;
}

}  // namespace hw
