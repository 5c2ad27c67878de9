#include "sim/plan/cache.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/io/report.hpp"
#include "sim/plan/result_json.hpp"

namespace fs = std::filesystem;

namespace hw {
namespace {

// FNV-1a, 64 bit, from two different offset bases: 128 bits of key are plenty for a cache.
std::uint64_t fnv1a(const std::string& s, std::uint64_t h) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string hash128(const std::string& s) {
  return fmt::format("{:016x}{:016x}", fnv1a(s, 0xcbf29ce484222325ULL), fnv1a(s, 0x84222325cbf29ce4ULL));
}

std::string read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void put_link(std::string& o, const LinkSpec& l) {
  o += fmt::format("link {} {} {}\n", l.type, l.latency.si(), l.bandwidth.si());
}

void put_tier(std::string& o, const char* name, const TierSpec& t) {
  o += fmt::format("tier {} {} {} {} {} {} {} {} {}\n", name, t.hardware, t.units, t.slots, t.power_idle.si(), t.power_max.si(),
                   t.max_batch, t.max_wait.si(), t.queue_capacity);
}

}  // namespace

std::string canonical_text(const SimInput& in) {
  // "{}" prints the shortest text that reads back to the same double: exact.
  std::string o = fmt::format("hwplan-siminput 1\nlabel {}\nseed {}\nduration {}\nwarmup {}\nfabric {}\nbatch_means {}\nprecision {}\n",
                              in.label, in.seed, in.duration.si(), in.warmup.si(), in.dc_fabric_latency.si(), in.batch_means,
                              in.target_precision);
  put_tier(o, "edge", in.edge);
  put_tier(o, "dc", in.dc);
  for (const auto& s : in.sites) {
    o += fmt::format("site {} {} {}\n", s.id, s.count, s.simulated);
    put_link(o, s.access);
    put_link(o, s.backhaul);
  }
  for (const auto& st : in.streams) {
    const auto& a = st.arrival;
    o += fmt::format("stream {} {} {} {} {} {} {}\n", st.id, st.site, st.sources, st.payload.si(), st.result.si(),
                     st.return_result, to_string(a.kind));
    o += fmt::format("arrival {} {} {} {} {} {}\n", a.rate.si(), a.jitter.si(), a.on_time.si(), a.off_time.si(), a.burst_factor,
                     fmt::join(a.hourly, ","));
    o += fmt::format("slo {} {} {}\n", st.slo.percentile, st.slo.latency.si(), st.slo.max_violation);
    o += fmt::format("trace {} {}\n", fmt::join(st.trace_times, ","), fmt::join(st.trace_sizes, ","));
    for (const auto& g : st.stages) {
      o += fmt::format("stage {} {} {} {} {} {} [{}]\n", g.id, static_cast<int>(g.tier), g.output.si(), g.fraction,
                       static_cast<int>(g.variability.distribution), g.variability.cv, fmt::join(g.service_s, ","));
    }
  }
  for (const auto& j : in.jobs) {
    o += fmt::format("job {} {} {} {} {} {} {} {} {}\n", j.id, j.kind, static_cast<int>(j.tier), j.devices, j.single_device_s,
                     j.scaling_efficiency, j.dataset.si(), j.upload_site, j.deadline_s);
  }
  return o;
}

ResultCache::ResultCache(std::string dir) : dir_(std::move(dir)) {
  if (dir_.empty()) {
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) {
      dir_ = (fs::path(x) / "hwplan" / "runs").string();
    } else if (const char* h = std::getenv("HOME"); h && *h) {
      dir_ = (fs::path(h) / ".cache" / "hwplan" / "runs").string();
    } else {
      dir_ = ".hwplan-cache";
    }
  }
  // Any change of code changes the executable, and so every key; so does a different
  // SimGrid library (linked dynamically) or engine configuration from the environment.
  std::string id = read_all("/proc/self/exe");
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const auto at = line.find('/');
    if (at != std::string::npos && line.find("libsimgrid", at) != std::string::npos) {
      id += read_all(line.substr(at));
      break;
    }
  }
  for (const char* var : {"HWPLAN_SIMGRID_CFG", "HWPLAN_SIMGRID_CONTEXT"}) {
    const char* v = std::getenv(var);
    id += fmt::format("\n{}={}", var, v ? v : "");
  }
  build_id_ = hash128(id);
}

std::string ResultCache::key(const SimInput& in) const { return hash128(build_id_ + "\n" + canonical_text(in)); }

std::optional<RunResult> ResultCache::get(const SimInput& in) {
  const fs::path p = fs::path(dir_) / (key(in) + ".json");
  std::error_code ec;
  if (!fs::exists(p, ec)) {
    ++misses_;
    return std::nullopt;
  }
  try {
    RunResult r = run_result_from_json(nlohmann::json::parse(read_all(p.string())));
    ++hits_;
    return r;
  } catch (const std::exception&) {
    ++misses_;  // a damaged entry is recomputed and overwritten
    return std::nullopt;
  }
}

void ResultCache::put(const SimInput& in, const RunResult& r) {
  if (!r.ok) return;
  try {
    write_file_atomic((fs::path(dir_) / (key(in) + ".json")).string(), to_json(r).dump());
  } catch (const std::exception&) {
    // A cache that cannot be written only costs time; the result itself is kept.
  }
}

}  // namespace hw
