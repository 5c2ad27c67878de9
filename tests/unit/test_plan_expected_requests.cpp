// The planner's estimate of the requests a run creates (expected_requests), which decides
// whether a fix is re-checked: a diurnal stream's hours weighted by its multipliers from its
// start hour (review 22). Each expected figure is worked from the inputs in its comment.
#include <doctest/doctest.h>

#include "sim/plan/planner.hpp"
#include "sim/run/types.hpp"

using namespace hw;

TEST_CASE("expected_requests weights a diurnal stream's hours by its multipliers from its start hour") {
  SimInput in;
  in.duration = Seconds(7200);  // two hours
  in.sites.push_back(SiteExec{"a", 4, 2, {}, {}});  // 2 sites simulated
  StreamExec ex;
  ex.site = 0;
  ex.sources = 3;
  ex.arrival.kind = ArrivalKind::diurnal;
  ex.arrival.rate = PerSecond(0.5);
  ex.arrival.hourly.assign(24, 1.0);
  ex.arrival.hourly[6] = 0.25;
  ex.arrival.hourly[7] = 2.0;
  ex.arrival.start_hour = 6;
  in.streams.push_back(ex);
  // 0.5 /s x 3 sources x 2 sites = 3 /s at multiplier 1; hours 6 and 7: 3 x 3600 x (0.25 + 2)
  // = 24300 (rate x duration alone would say 21600).
  CHECK(expected_requests(in) == doctest::Approx(24300));
  // A run of 1 d + 1 h from hour 6: a whole day (3 x 3600 x (22 + 0.25 + 2) = 261900) and hour 6
  // again (2700).
  in.duration = Seconds(90000);
  CHECK(expected_requests(in) == doctest::Approx(261900 + 2700));
  // A poisson stream keeps rate x sources x sites x duration.
  in.streams[0].arrival.kind = ArrivalKind::poisson;
  CHECK(expected_requests(in) == doctest::Approx(3.0 * 90000));
}
