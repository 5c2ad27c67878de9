// An edge batch job's units at its one site (TierSpec::job_units) against hand arithmetic:
// the job runs on that site's stream units and the job units beyond them, with the makespan
// it has on the same number of devices when every site has them; the tier counts the extra
// units once (not scaled by the site's count), at idle power, and out of its utilisation.
#include <doctest/doctest.h>

#include "closed_forms.hpp"
#include "sim/engine/engine.hpp"
#include "sim/plan/deployment.hpp"

using namespace hw;

namespace {

RunResult run_one(const SimInput& in) {
  auto r = simulate_forked({in}, 1);
  REQUIRE(r.size() == 1);
  REQUIRE_MESSAGE(r[0].ok, r[0].error);
  return r[0];
}

// 3 identical sites (one simulated, scaled), a stream of 50 /s with no service time on one
// 1-slot unit per site (5 W idle, 25 W at full load), and an edge job of 400 s on one device,
// 4 devices, 1.0 per doubling: 100 s of compute, on the first site.
SimInput sites_with_job() {
  SimInput in = validation::pure_queue(50.0, 0.0, 1, ServiceDistribution::deterministic, 20.0, 2.0, 4);
  in.target_precision = 0;
  in.sites[0].count = 3;
  in.edge.power_idle = Watts(5);
  in.edge.power_max = Watts(25);
  BatchJobExec j;
  j.id = "recon";
  j.kind = "scientific";
  j.tier = Tier::edge;
  j.devices = 4;
  j.single_device_s = 400.0;
  j.scaling_efficiency = 1.0;
  j.upload_site = 0;
  in.jobs.push_back(j);
  return in;
}

}  // namespace

TEST_CASE("an edge job runs on its site's stream units and job units: same makespan, the extra units counted once") {
  // Before: 4 units at every site (12 in all) for a job that runs at one site.
  SimInput every = sites_with_job();
  every.edge.units = 4;
  const RunResult old = run_one(every);
  // Now: 1 unit per site for the stream, 4 at the job site (3 beyond its stream unit).
  SimInput one = sites_with_job();
  one.edge.units = 1;
  one.edge.job_units = 4;
  const RunResult now = run_one(one);
  REQUIRE(old.jobs.size() == 1);
  REQUIRE(now.jobs.size() == 1);
  // 400 s / 4 devices = 100 s, both ways: the job has its 4 devices on 4 hosts.
  CHECK(now.jobs[0].devices == 4);
  CHECK(now.jobs[0].compute_s == doctest::Approx(100.0).epsilon(1e-9));
  CHECK(now.jobs[0].makespan_s == doctest::Approx(old.jobs[0].makespan_s).epsilon(1e-9));
  CHECK(now.jobs[0].deadline_met);
  // Energy: 4 devices at 25 W for 100 s.
  CHECK(now.jobs[0].energy_j == doctest::Approx(4 * 25.0 * 100.0).epsilon(1e-9));
  // Units: 3 sites x 1 + 3 at the job site = 6 (before 3 x 4 = 12); all idle (no service
  // time, the job's power is priced per run): 6 x 5 W = 30 W (before 60 W).
  CHECK(old.edge.units_total == 12);
  CHECK(now.edge.units_total == 6);
  CHECK(now.edge.avg_power_w == doctest::Approx(6 * 5.0).epsilon(1e-9));
  CHECK(old.edge.avg_power_w == doctest::Approx(12 * 5.0).epsilon(1e-9));
  // The stream is served as before, on its one unit.
  REQUIRE(now.streams.size() == 1);
  CHECK(now.streams[0].completed > 0);
  CHECK(now.edge.utilisation == doctest::Approx(0.0));
}

TEST_CASE("with job units too few for the devices, the job shares them: the job units are what it runs on") {
  // 4 devices on the stream unit and 1 job unit (job_units 2): two devices per host, each host
  // one core, so each device runs at half speed: 200 s, not 100.
  SimInput in = sites_with_job();
  in.edge.units = 1;
  in.edge.job_units = 2;
  const RunResult r = run_one(in);
  REQUIRE(r.jobs.size() == 1);
  CHECK(r.jobs[0].compute_s == doctest::Approx(200.0).epsilon(1e-9));
  CHECK(r.edge.units_total == 4);  // 3 x 1 + 1
}
