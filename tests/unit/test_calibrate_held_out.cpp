// calibrate's headline held-out error is the written profile's: the median over the held-out
// rows that the profile predicts (models "profile" and "image"), never mixed with the rows of
// the separately fitted models (fp64, 1-thread, the GPU's), whose medians are kept apart.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/calibrate/calibrate.hpp"

using namespace hw::calib;

namespace {

KernelResult row(const std::string& model, Role role, double error) {
  KernelResult k;
  k.name = model + " row";
  k.model = model;
  k.role = role;
  k.error = error;
  return k;
}

}  // namespace

TEST_CASE("calibrate: the held-out median is over the written profile's rows. other models apart") {
  // The profile's five held-out rows have |errors| 0.1 ... 0.5 (median 0.3); the other models'
  // are small, so a median over every held-out row (the old headline) read 0.1.
  const std::vector<KernelResult> rows = {
      row("profile", Role::fit, 2.0),         // fit rows are not held out
      row("profile", Role::held_out, 0.2),    //
      row("profile", Role::held_out, -0.3),   //
      row("profile", Role::reference, 0.0),   // the triad defines bandwidth
      row("profile", Role::held_out, 0.1),    //
      row("image", Role::held_out, 0.4),      // the networks, priced on the profile as written
      row("image", Role::held_out, -0.5),     //
      row("fp64", Role::held_out, 0.01),      // fitted apart
      row("fp64", Role::fit, 3.0),            //
      row("1-thread", Role::held_out, 0.02),  //
      row("1-thread", Role::held_out, 0.03),  //
      row("1-thread", Role::held_out, -0.04), //
      row("gpu-fp32", Role::held_out, 0.06),  //
  };
  const HeldOutSummary s = held_out_summary(rows);
  CHECK(s.profile_kernels == 5);
  CHECK(s.profile_median_abs_error == doctest::Approx(0.3));
  REQUIRE(s.others.size() == 3);
  CHECK(s.others[0].model == "fp64");
  CHECK(s.others[0].kernels == 1);
  CHECK(s.others[0].median_abs_error == doctest::Approx(0.01));
  CHECK(s.others[1].model == "1-thread");
  CHECK(s.others[1].kernels == 3);
  CHECK(s.others[1].median_abs_error == doctest::Approx(0.03));
  CHECK(s.others[2].model == "gpu-fp32");
  CHECK(predicted_by_profile(rows[5]));
  CHECK_FALSE(predicted_by_profile(rows[7]));
}

TEST_CASE("calibrate: no held-out rows of the profile: a median of 0 over 0 kernels") {
  const HeldOutSummary s = held_out_summary({row("fp64", Role::held_out, 0.5), row("profile", Role::fit, 0.5)});
  CHECK(s.profile_kernels == 0);
  CHECK(s.profile_median_abs_error == 0.0);
  REQUIRE(s.others.size() == 1);
  CHECK(s.others[0].median_abs_error == doctest::Approx(0.5));
}
