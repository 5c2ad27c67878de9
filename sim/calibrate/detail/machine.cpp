#include "sim/calibrate/detail/machine.hpp"

#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "sim/calibrate/detail/timing.hpp"
#include "sim/calibrate/fit.hpp"

namespace fs = std::filesystem;

namespace hw::calib::detail {
namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

// Value of the first "key : value" line of /proc/cpuinfo whose key is one of `keys`.
std::string cpuinfo_field(const std::vector<std::string>& keys) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = trim(line.substr(0, colon));
    for (const auto& k : keys) {
      if (key == k) return trim(line.substr(colon + 1));
    }
  }
  return "";
}

std::optional<double> read_number(const std::string& path) {
  std::ifstream in(path);
  double v = 0;
  if (in >> v) return v;
  return std::nullopt;
}

struct Zone {
  std::string energy;
  std::uint64_t max_range = 0;
};

// Top-level package zones (intel-rapl:0, intel-rapl:1, ...), not their sub-zones
// (intel-rapl:0:0 = cores), which the package already counts.
std::vector<Zone> package_zones() {
  std::vector<Zone> zones;
  std::error_code ec;
  const fs::path root = "/sys/class/powercap";
  if (!fs::is_directory(root, ec)) return zones;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("intel-rapl:", 0) != 0 || name.find(':', 11) != std::string::npos) continue;
    auto energy = read_number((e.path() / "energy_uj").string());
    auto range = read_number((e.path() / "max_energy_range_uj").string());
    if (!energy || !range) continue;
    zones.push_back({(e.path() / "energy_uj").string(), static_cast<std::uint64_t>(*range)});
  }
  return zones;
}

}  // namespace

MachineFacts read_machine() {
  MachineFacts m;
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) m.host = host;
  m.cpu_model = cpuinfo_field({"model name", "Hardware", "cpu model", "Model"});
  if (m.cpu_model.empty()) m.cpu_model = "unknown CPU";
  m.virtual_machine = cpuinfo_field({"flags"}).find(" hypervisor") != std::string::npos;
  m.cpus = std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN));
  if (auto kb =
          [] {
            std::ifstream in("/proc/meminfo");
            std::string key;
            double v = 0;
            while (in >> key >> v) {
              if (key == "MemTotal:") return v;
              in.ignore(256, '\n');
            }
            return 0.0;
          }();
      kb > 0) {
    m.memory_bytes = kb * 1024.0;
  }
  if (auto limit = read_number("/sys/fs/cgroup/memory.max");
      limit && *limit > 0 && *limit < m.memory_bytes) {
    m.memory_bytes = *limit;
  }
  utsname u{};
  if (::uname(&u) == 0) m.kernel = fmt::format("{} {}", u.sysname, u.release);
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  m.date_utc = buf;
  if (auto la = read_number("/proc/loadavg")) m.load_average = *la;
  return m;
}

std::optional<double> rapl_power_w(const std::function<void()>& busy, double seconds,
                                   const std::function<void()>& tick) {
  auto zones = package_zones();
  if (zones.empty()) return std::nullopt;
  auto read_all = [&] {
    std::vector<std::uint64_t> v;
    for (const auto& z : zones)
      v.push_back(static_cast<std::uint64_t>(read_number(z.energy).value_or(0)));
    return v;
  };
  const auto before = read_all();
  const double t0 = now_s();
  while (now_s() - t0 < seconds) {
    if (tick) tick();
    if (busy)
      busy();
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto after = read_all();
  const double elapsed = now_s() - t0;
  double joules = 0;
  for (std::size_t i = 0; i < zones.size(); ++i)
    joules += rapl_joules(before[i], after[i], zones[i].max_range);
  if (joules <= 0 || elapsed <= 0) return std::nullopt;
  return joules / elapsed;
}

std::string rapl_unreadable_reason() {
  std::error_code ec;
  if (!fs::is_directory("/sys/class/powercap", ec))
    return "/sys/class/powercap does not exist (no powercap driver; usual in virtual machines)";
  bool any = false;
  for (const auto& e : fs::directory_iterator("/sys/class/powercap", ec)) {
    if (e.path().filename().string().rfind("intel-rapl:", 0) == 0) any = true;
  }
  if (!any) return "no intel-rapl zone under /sys/class/powercap";
  return "intel-rapl energy_uj is not readable by this user (root only since Linux 5.10; try sudo)";
}

}  // namespace hw::calib::detail
