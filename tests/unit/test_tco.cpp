// Total cost of ownership (sim/cost/tco): price_deployment against hand-computed numbers.
#include <doctest/doctest.h>

#include "sim/cost/tco.hpp"
#include "sim/plan/evaluate.hpp"

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

TEST_CASE("tco: retraining loop prices GPU time. its sample upload and model push are bandwidth") {
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

TEST_CASE("tco: cost per million output tokens is the TCO over the offered tokens of the horizon") {
  auto in = hybrid_inputs();
  in.output_tokens_per_s = 4000;
  auto b = hw::price_deployment(factory_costs(), in);
  // 4000 tokens/s over 3 years = 3.78432e11 tokens; TCO 60771.832
  CHECK(b.cost_per_million_output_tokens == doctest::Approx(60771.832 / (4000.0 * 3 * kYear) * 1e6));
  in.output_tokens_per_s = 0;
  CHECK(hw::price_deployment(factory_costs(), in).cost_per_million_output_tokens == 0.0);
}

namespace {

// 8 offices of 25 sources each at 0.059 /s (the LLM chat scenario's load), plus a second site
// kind of 2 that carries the other streams below.
hw::Scenario offered_scenario(hw::ArrivalKind kind) {
  hw::Scenario s;
  hw::Site office;
  office.id = "office";
  office.count = 8;
  hw::Site plant;
  plant.id = "plant";
  plant.count = 2;
  s.sites = {office, plant};
  hw::Stream st;
  st.id = "chat";
  st.site = "office";
  st.sources = 25;
  st.arrival.kind = kind;
  st.arrival.rate = hw::PerSecond(0.059);
  s.streams.push_back(st);
  return s;
}

hw::SimInput sim_window(double duration_s) {
  hw::SimInput in;
  in.duration = hw::Seconds(duration_s);
  return in;
}

}  // namespace

TEST_CASE("offered load: sources x sites x the mean rate per source, whatever the arrival process") {
  // 8 x 25 x 0.059 = 11.8 requests/s for periodic, Poisson and bursty (whose rate is its mean).
  for (auto kind : {hw::ArrivalKind::periodic, hw::ArrivalKind::poisson, hw::ArrivalKind::bursty}) {
    CHECK(hw::offered_load(offered_scenario(kind), sim_window(60)).requests_per_s == doctest::Approx(11.8));
  }
  // Diurnal: the rate x the day's mean multiplier (12 hours at 2, 12 at 0: mean 1; 0.5 for all: 0.5).
  auto d = offered_scenario(hw::ArrivalKind::diurnal);
  d.streams[0].arrival.hourly.assign(24, 0.0);
  for (int h = 0; h < 12; ++h) d.streams[0].arrival.hourly[static_cast<std::size_t>(h)] = 2.0;
  CHECK(hw::offered_load(d, sim_window(3600)).requests_per_s == doctest::Approx(11.8));
  d.streams[0].arrival.hourly.assign(24, 0.5);
  CHECK(hw::offered_load(d, sim_window(3600)).requests_per_s == doctest::Approx(5.9));
  // A second stream on the other site kind adds its own: 2 sites x 3 sources x 1 /s.
  auto two = offered_scenario(hw::ArrivalKind::poisson);
  hw::Stream cam;
  cam.id = "cam";
  cam.site = "plant";
  cam.sources = 3;
  cam.arrival.rate = hw::PerSecond(1.0);
  two.streams.push_back(cam);
  CHECK(hw::offered_load(two, sim_window(60)).requests_per_s == doctest::Approx(11.8 + 6.0));
  CHECK(hw::offered_load(two, sim_window(60)).output_tokens_per_s == 0.0);
}

TEST_CASE("offered load: a trace offers its arrivals before the duration, once per site") {
  auto s = offered_scenario(hw::ArrivalKind::trace);
  hw::SimInput in = sim_window(10);
  hw::StreamExec ex;
  ex.trace_times = {0.5, 1, 2, 3, 9.9, 10, 12};  // 5 before 10 s
  in.streams.push_back(ex);
  CHECK(hw::offered_load(s, in).requests_per_s == doctest::Approx(5.0 / 10.0 * 8));
}

TEST_CASE("offered load: an LLM stream offers its requests x the mean output tokens") {
  auto s = offered_scenario(hw::ArrivalKind::poisson);
  hw::LlmServing llm;
  llm.output_tokens = {hw::LengthShape::lognormal, 338, 0.8, 1, 2048, {}};
  s.streams[0].llm = llm;
  const hw::OfferedLoad o = hw::offered_load(s, sim_window(60));
  CHECK(o.requests_per_s == doctest::Approx(11.8));
  CHECK(o.output_tokens_per_s == doctest::Approx(11.8 * 338));  // 3988.4
}
