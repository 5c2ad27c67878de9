// Total cost of ownership (sim/cost/tco): price_deployment against hand-computed numbers.
#include <doctest/doctest.h>

#include "sim/cost/tco.hpp"

namespace {

constexpr double kYear = 365.0 * 86400.0;

// The factory-vision cost block: 3-year horizon and amortisation, 0.12 USD/kWh, PUE 1.5,
// 0.05 USD/GB, 100 USD per unit-year, one 300 USD visit per site and year.
hw::Costs factory_costs() {
  hw::Costs c;
  c.currency = "USD";
  c.horizon = hw::Seconds(3 * kYear);
  c.amortisation = hw::Seconds(3 * kYear);
  c.electricity = hw::Price{0.12 / 3.6e6, "USD"};
  c.pue = 1.5;
  c.bandwidth = hw::Price{0.05 / 1e9, "USD"};
  c.maintenance_per_unit = hw::Price{100.0 / kYear, "USD"};
  c.site_visit = hw::Money{300.0, "USD"};
  c.visits_per_site_per_year = 1.0;
  return c;
}

// 12 Jetsons at 249 USD on 12 sites plus one 32500 USD server; 120 W at the edge, 1 kW of
// IT power in the data centre; 100 GB a day of backhaul; 1440 inferences/s.
hw::CostInputs hybrid_inputs() {
  hw::CostInputs in;
  in.edge_units = 12;
  in.edge_unit_price = 249;
  in.dc_units = 1;
  in.dc_unit_price = 32500;
  in.sites_with_edge = 12;
  in.edge_power_w = 120;
  in.dc_power_w = 1000;
  in.backhaul_bytes_per_day = 100e9;
  in.inferences_per_s = 1440;
  return in;
}

}  // namespace

TEST_CASE("tco: capex and capex per year") {
  auto b = hw::price_deployment(factory_costs(), hybrid_inputs());
  CHECK(b.capex == doctest::Approx(12 * 249 + 32500));          // 35488
  CHECK(b.capex_per_year == doctest::Approx(35488.0 / 3));
}

TEST_CASE("tco: energy per year pays PUE on the data-centre share only") {
  // (120 W + 1000 W x 1.5) x 8760 h = 14191.2 kWh x 0.12 USD = 1702.944 USD
  auto b = hw::price_deployment(factory_costs(), hybrid_inputs());
  CHECK(b.energy_per_year == doctest::Approx(1702.944));
}

TEST_CASE("tco: bandwidth per year") {
  // 100 GB/day x 365 x 0.05 USD/GB = 1825 USD
  auto b = hw::price_deployment(factory_costs(), hybrid_inputs());
  CHECK(b.bandwidth_per_year == doctest::Approx(1825.0));
}

TEST_CASE("tco: maintenance per year counts units and site visits") {
  // 13 units x 100 USD + 12 sites x 1 visit x 300 USD = 4900 USD
  auto b = hw::price_deployment(factory_costs(), hybrid_inputs());
  CHECK(b.maintenance_per_year == doctest::Approx(4900.0));
}

TEST_CASE("tco: opex, TCO and cost per million inferences") {
  auto b = hw::price_deployment(factory_costs(), hybrid_inputs());
  const double opex = 1702.944 + 1825.0 + 4900.0;               // 8427.944
  const double tco = (35488.0 / 3 + opex) * 3;                  // 60771.832
  CHECK(b.opex_per_year == doctest::Approx(opex));
  CHECK(b.tco == doctest::Approx(60771.832));
  CHECK(b.tco == doctest::Approx(tco));
  // 1440/s over 3 years = 1.36236e11 inferences
  CHECK(b.cost_per_million == doctest::Approx(60771.832 / (1440.0 * 3 * kYear) * 1e6));
  CHECK(b.cost_per_million == doctest::Approx(0.44608).epsilon(1e-4));
}

TEST_CASE("tco: the breakdown carries the scenario's currency") {
  auto c = factory_costs();
  c.currency = "EUR";
  CHECK(hw::price_deployment(c, hybrid_inputs()).currency == "EUR");
}

TEST_CASE("tco: a horizon longer than the amortisation buys the hardware again") {
  auto c = factory_costs();
  c.horizon = hw::Seconds(6 * kYear);  // amortised over 3 years, run for 6
  hw::CostInputs in;
  in.dc_units = 1;
  in.dc_unit_price = 30000;
  auto b = hw::price_deployment(c, in);
  CHECK(b.capex == doctest::Approx(30000));
  CHECK(b.tco == doctest::Approx(60000 + 6 * 100.0));  // two purchases + 6 years of maintenance
}

TEST_CASE("tco: zero amortisation counts the whole capex every year") {
  auto c = factory_costs();
  c.amortisation = hw::Seconds(0);
  hw::CostInputs in;
  in.edge_units = 2;
  in.edge_unit_price = 100;
  auto b = hw::price_deployment(c, in);
  CHECK(b.capex_per_year == doctest::Approx(200));
}

TEST_CASE("tco: no inferences gives a cost per million of 0, not a division by zero") {
  auto in = hybrid_inputs();
  in.inferences_per_s = 0;
  auto b = hw::price_deployment(factory_costs(), in);
  CHECK(b.cost_per_million == 0.0);
  CHECK(b.tco > 0.0);
}

TEST_CASE("tco: an empty deployment costs nothing") {
  auto b = hw::price_deployment(factory_costs(), hw::CostInputs{});
  CHECK(b.capex == 0.0);
  CHECK(b.opex_per_year == 0.0);
  CHECK(b.tco == 0.0);
}

TEST_CASE("tco: retraining loop prices GPU time; its sample upload and model push are bandwidth") {
  hw::Costs c = factory_costs();
  c.gpu_hour = hw::Price{2.5 / 3600.0, "USD"};  // 2.5 USD per GPU-hour
  hw::CostInputs in;
  in.edge_units = 40;
  in.retraining_runs_per_year = 52;           // weekly
  in.retraining_gpu_hours = 64;               // per run
  in.sample_upload_bytes_per_day = 20e9;      // 20 GB of samples a day
  in.model_push_bytes = 40 * 100e6;           // 100 MB to each of 40 units
  const auto b = hw::price_deployment(c, in);
  // training: 52 x 64 x 2.5 = 8320; backhaul: (20 GB x 365 + 52 x 4 GB) x 0.05 = 375.4
  const double expected = 52 * 64 * 2.5;
  CHECK(b.retraining_per_year == doctest::Approx(expected));
  CHECK(b.bandwidth_per_year == doctest::Approx((20.0 * 365 + 52 * 4.0) * 0.05));
  CHECK(b.opex_per_year == doctest::Approx(b.energy_per_year + b.bandwidth_per_year + b.maintenance_per_year + expected));
  hw::CostInputs none = in;
  none.retraining_runs_per_year = 0;
  none.sample_upload_bytes_per_day = 0;
  CHECK(hw::price_deployment(c, none).retraining_per_year == doctest::Approx(0.0));
}
