// Facts about the machine calibrate runs on (for the profile's provenance) and RAPL
// energy counters (/sys/class/powercap) for its power figures.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace hw::calib::detail {

struct MachineFacts {
  std::string host;              // gethostname()
  std::string cpu_model;         // /proc/cpuinfo "model name" (or "Hardware"/"CPU part" elsewhere)
  int cpus = 1;                  // online logical CPUs
  double memory_bytes = 0;       // MemTotal, or the cgroup limit when smaller
  std::string kernel;            // uname -sr
  std::string date_utc;          // ISO 8601
  double load_average = 0;       // 1-minute load average when calibration started
  bool virtual_machine = false;  // "hypervisor" CPU flag
};

MachineFacts read_machine();

// Average power of all RAPL package zones while `busy` runs repeatedly (or the process
// sleeps, when `busy` is empty) for about `seconds`. Nothing when no zone is readable
// (no powercap driver, a virtual machine, or energy_uj readable only by root).
// `tick` (if set) is called between busy calls or 50 ms sleeps: a stop request may throw
// from it, so Ctrl-C does not wait out the 2 s idle and 3 s busy measurements.
std::optional<double> rapl_power_w(const std::function<void()>& busy, double seconds,
                                   const std::function<void()>& tick = {});
// Why rapl_power_w gives nothing, for the report.
std::string rapl_unreadable_reason();

}  // namespace hw::calib::detail
