// Device predictions against published measurements (tests/validation/published/*.csv):
// one prediction per measured point, the error, the mean absolute percentage error per
// group, and a least-squares fit of a profile's efficiency figures to its points.
// Pure functions over loaded profiles and models; reading the CSV lives in sim/io.
//
//   offline        accelerators * b_s / t(b_s),  b_s = saturation_batch(max_batch)
//   single_stream  t(1), in ms
//   server         accelerators * server_throughput(bound)   (see perf_model.hpp)
//
// error = predicted / measured - 1; a group's MAPE = mean |error| over its rows.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sim/hardware/perf_model.hpp"

namespace hw {

enum class LoadScenario { offline, single_stream, server };
std::string to_string(LoadScenario s);

struct PublishedPoint {
  std::string device;        // hardware profile id (one accelerator)
  int accelerators = 1;      // accelerators in the measured system
  std::string model;         // workload model id
  Precision precision = Precision::int8;
  LoadScenario scenario = LoadScenario::offline;
  double bound_s = 0.0;      // server: the p99 latency bound
  double value = 0.0;        // samples/s (offline, server) or ms (single_stream)
  std::string unit;
  std::string group;         // vision_offline, vision_single_stream, server, bert, ...
  std::string role;          // fit: used to fit the profile; check: never used in a fit
  std::string source;        // URL and table / row
  std::string file;
  int line = 0;
  int device_column = 1;     // where the device and model cells start (an unknown id is reported there)
  int model_column = 0;
};

struct PointResult {
  PublishedPoint point;
  double predicted = 0.0;   // same unit as point.value
  double error = 0.0;       // predicted / measured - 1
  int batch = 0;            // batch the prediction used
  std::string problem;      // why no prediction (unknown device, no compute...), else empty
};

inline constexpr int kDefaultMaxBatch = 1024;

PointResult predict_point(const HardwareProfile& hw, const WorkloadModel& m, const PublishedPoint& p,
                          int max_batch = kDefaultMaxBatch);

struct GroupError {
  std::string group;
  int rows = 0;
  double mape = 0.0;   // mean |error|
  double worst = 0.0;  // largest |error|
};
// Per group, over rows with a prediction; `role` filters ("" = every row).
std::vector<GroupError> group_errors(const std::vector<PointResult>& results, const std::string& role = "");

// Fit of one profile's efficiency_compute, launch and overhead to its `fit` points:
// minimises sum (log(predicted/measured))^2 + 1e-4 * sum (log(x/x0))^2 by coordinate
// descent (golden-section search of each figure in log space). The small second term holds
// a figure the points say nothing about at its prior value x0 (the profile's own).
struct ProfileFit {
  HardwareProfile fitted;
  int points = 0;
  double rms_log_before = 0.0;
  double rms_log_after = 0.0;
  std::vector<PointResult> residuals;  // after the fit
};
ProfileFit fit_profile(const HardwareProfile& hw, const std::map<std::string, WorkloadModel>& models,
                       const std::vector<PublishedPoint>& points, int max_batch = kDefaultMaxBatch);

}  // namespace hw
