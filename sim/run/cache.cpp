#include "sim/run/cache.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mutex>
#include <set>
#include <utility>

#include "sim/core/files.hpp"
#include "sim/run/json.hpp"

namespace fs = std::filesystem;

namespace hw {
namespace {

// Folders whose cache could not be written, process-wide: a sweep opens one ResultCache per
// variant, and each must neither warn again nor try again.
std::mutex g_unwritable_mu;
std::set<std::string> g_unwritable;
CacheWriteWarning g_warning = nullptr;
// Folders where an entry that is not a valid result for its input was met (said once each).
std::set<std::string> g_bad_entry_dirs;
CacheEntryWarning g_entry_warning = nullptr;

// The entry's format: a version of its own in every key, so that entries written in another
// format are never even opened (and one found under a key anyway is not of this schema).
constexpr const char* kEntrySchema = "hwplan-cache-entry";
constexpr int kEntryVersion = 2;  // 1: the bare RunResult, no key inside (before the key was checked)
// An entry larger than this is not one this binary wrote (a result with every histogram is a
// few hundred KB at most): it is not read.
constexpr std::uint64_t kMaxEntryBytes = 64ULL << 20;

// The entry at `path` as text, read without ever blocking: it must be a regular file (not a
// FIFO, whose open or read waits for a writer; not a device; not a symbolic link). Empty with
// `why` set when it cannot be read or is not a regular file; nullopt when there is none.
std::optional<std::string> read_entry(const std::string& path, std::string& why) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    why = errno == ELOOP ? "a symbolic link, not a regular file" : fmt::format("cannot be read: {}", std::strerror(errno));
    return std::string();
  }
  struct stat st {};
  std::string text;
  if (::fstat(fd, &st) != 0) {
    why = fmt::format("cannot be read: {}", std::strerror(errno));
  } else if (!S_ISREG(st.st_mode)) {
    why = S_ISFIFO(st.st_mode) ? "a FIFO, not a regular file" : S_ISDIR(st.st_mode) ? "a directory, not a regular file" : "not a regular file";
  } else if (static_cast<std::uint64_t>(st.st_size) > kMaxEntryBytes) {
    why = fmt::format("{} bytes, more than an entry holds", st.st_size);
  } else {
    text.resize(static_cast<std::size_t>(st.st_size));
    std::size_t off = 0;
    while (off < text.size()) {
      const ssize_t n = ::read(fd, text.data() + off, text.size() - off);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        why = fmt::format("cannot be read: {}", std::strerror(errno));
        break;
      }
      if (n == 0) {  // shorter than it was a moment ago: being replaced; read what is there
        text.resize(off);
        break;
      }
      off += static_cast<std::size_t>(n);
    }
  }
  ::close(fd);
  if (!why.empty()) text.clear();
  return text;
}

// FNV-1a, 64 bit, from two different offset bases: 128 bits of key are plenty for a cache.
// Both in one pass (two independent chains of multiplies: the build id hashes ~10 MB).
std::pair<std::uint64_t, std::uint64_t> fnv1a_twice(const std::string& s, std::uint64_t h1, std::uint64_t h2) {
  for (unsigned char c : s) {
    h1 ^= c;
    h2 ^= c;
    h1 *= 0x100000001b3ULL;
    h2 *= 0x100000001b3ULL;
  }
  return {h1, h2};
}

std::string read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

std::string hash128(const std::string& s) {
  const auto [a, b] = fnv1a_twice(s, 0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL);
  return fmt::format("{:016x}{:016x}", a, b);
}

std::string default_cache_dir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return (fs::path(x) / "hwplan" / "runs").string();
  if (const char* h = std::getenv("HOME"); h && *h) return (fs::path(h) / ".cache" / "hwplan" / "runs").string();
  return ".hwplan-cache";
}

std::string mapped_file(std::string_view name_part) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const auto at = line.find('/');
    if (at != std::string::npos && line.find(name_part, at) != std::string::npos) return line.substr(at);
  }
  return "";
}

std::string files_hash(const std::vector<std::string>& paths) {
  std::string all;
  for (const auto& p : paths) {
    if (!p.empty()) all += read_all(p);
  }
  return hash128(all);
}

ResultCache::ResultCache(std::string dir, std::string build_id) : dir_(std::move(dir)), build_id_(std::move(build_id)) {
  if (dir_.empty()) dir_ = default_cache_dir();
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create the cache folder {}: {}", dir_, ec.message()));
  if (::access(dir_.c_str(), W_OK | X_OK) != 0) {
    throw std::runtime_error(fmt::format("cannot write to the cache folder {}: {}", dir_, std::strerror(errno)));
  }
}

std::string ResultCache::key(const SimInput& in) const {
  return hash128(fmt::format("{} {}\n{}\n{}", kEntrySchema, kEntryVersion, build_id_, canonical_json(in)));
}

namespace {

// Checks of one figure of a RunResult: "" when it holds, else what is wrong.
std::string figure_problem(const std::string& path, double v, bool may_be_infinite) {
  // NaN fails both comparisons; a latency may be +inf (an LLM request that never got its
  // first token), no rate, power or count may.
  if (!(v >= 0) || (!may_be_infinite && !std::isfinite(v))) {
    return fmt::format("{} = {}: expected a {}number >= 0", path, v, may_be_infinite ? "" : "finite ");
  }
  return "";
}

}  // namespace

std::string run_result_problem(const SimInput& in, const RunResult& r) {
  if (!r.ok) return "a failed run (only successful runs are stored)";
  if (r.label != in.label) return fmt::format("label '{}', the input's is '{}'", r.label, in.label);
  if (r.streams.size() != in.streams.size()) return fmt::format("{} stream result(s) for the input's {} stream(s)", r.streams.size(), in.streams.size());
  if (r.jobs.size() != in.jobs.size()) return fmt::format("{} batch job result(s) for the input's {} job(s)", r.jobs.size(), in.jobs.size());
  std::string p;
  auto check = [&p](const std::string& path, double v, bool may_be_infinite = false) {
    if (p.empty()) p = figure_problem(path, v, may_be_infinite);
  };
  auto fraction = [&p](const std::string& path, double v) {
    if (p.empty() && !(v >= 0 && v <= 1)) p = fmt::format("{} = {}: expected a fraction from 0 to 1", path, v);
  };
  auto estimate = [&](const std::string& path, const Estimate& e) {
    check(path + ".value", e.value, true);
    check(path + ".ci_low", e.ci_low, true);
    check(path + ".ci_high", e.ci_high, true);
  };
  check("simulated_time_s", r.simulated_time_s);
  check("wall_time_s", r.wall_time_s);
  for (std::size_t i = 0; i < r.streams.size() && p.empty(); ++i) {
    const StreamResult& s = r.streams[i];
    const std::string at = fmt::format("streams[{}]", i);
    if (s.id != in.streams[i].id) return fmt::format("{}.id '{}', the input's stream {} is '{}'", at, s.id, i, in.streams[i].id);
    check(at + ".throughput_per_s", s.throughput_per_s);
    estimate(at + ".mean_s", s.mean_s);
    estimate(at + ".p50_s", s.p50_s);
    estimate(at + ".p90_s", s.p90_s);
    estimate(at + ".p95_s", s.p95_s);
    estimate(at + ".p99_s", s.p99_s);
    estimate(at + ".p999_s", s.p999_s);
    if (p.empty() && !(s.slo_percentile > 0 && s.slo_percentile < 100)) {
      p = fmt::format("{}.slo_percentile = {}: expected a percentile strictly between 0 and 100", at, s.slo_percentile);
    }
    check(at + ".slo_latency_s", s.slo_latency_s, true);
    fraction(at + ".slo_violation_rate", s.slo_violation_rate);
    if (p.empty() && (s.latency_counts.empty() ? !s.latency_edges_s.empty() : s.latency_edges_s.size() != s.latency_counts.size() + 1)) {
      p = fmt::format("{}: {} latency bin edge(s) for {} count(s)", at, s.latency_edges_s.size(), s.latency_counts.size());
    }
    for (std::size_t b = 0; b < s.latency_edges_s.size() && p.empty(); ++b) {
      check(fmt::format("{}.latency_edges_s[{}]", at, b), s.latency_edges_s[b]);
      if (p.empty() && b > 0 && !(s.latency_edges_s[b] > s.latency_edges_s[b - 1])) p = fmt::format("{}.latency_edges_s: not increasing", at);
    }
    if (s.llm) {
      const LlmResult& l = *s.llm;
      for (const auto& [name, v] : {std::pair{"ttft_p50_s", l.ttft_p50_s}, {"ttft_p99_s", l.ttft_p99_s}, {"tpot_p50_s", l.tpot_p50_s},
                                    {"tpot_p99_s", l.tpot_p99_s}, {"e2e_p50_s", l.e2e_p50_s}, {"e2e_p99_s", l.e2e_p99_s},
                                    {"ttft_at_slo_s", l.ttft_at_slo_s}, {"tpot_at_slo_s", l.tpot_at_slo_s}}) {
        check(fmt::format("{}.llm.{}", at, name), v, true);
      }
      fraction(at + ".llm.ttft_violation_rate", l.ttft_violation_rate);
      fraction(at + ".llm.tpot_violation_rate", l.tpot_violation_rate);
      check(at + ".llm.output_tokens_per_s", l.output_tokens_per_s);
      check(at + ".llm.prompt_tokens_per_s", l.prompt_tokens_per_s);
      check(at + ".llm.kv_capacity_tokens", l.kv_capacity_tokens);
      fraction(at + ".llm.stepping_share", l.stepping_share);
      fraction(at + ".llm.compute_share", l.compute_share);
    }
  }
  if (!p.empty()) return p;
  for (std::size_t k = 0; k < r.jobs.size() && p.empty(); ++k) {
    const BatchJobResult& j = r.jobs[k];
    const std::string at = fmt::format("jobs[{}]", k);
    if (j.id != in.jobs[k].id) return fmt::format("{}.id '{}', the input's job {} is '{}'", at, j.id, k, in.jobs[k].id);
    check(at + ".upload_s", j.upload_s);
    check(at + ".compute_s", j.compute_s);
    check(at + ".makespan_s", j.makespan_s);
    check(at + ".energy_j", j.energy_j);
  }
  for (const auto& [name, t] : {std::pair<const char*, const TierResult*>{"edge", &r.edge}, {"dc", &r.dc}}) {
    const std::string at = name;
    if (p.empty() && t->units_total < 0) p = fmt::format("{}.units_total = {}: expected a count >= 0", at, t->units_total);
    fraction(at + ".utilisation", t->utilisation);
    check(at + ".avg_power_w", t->avg_power_w);
    check(at + ".energy_j_per_day", t->energy_j_per_day);
    check(at + ".mean_queue_length", t->mean_queue_length);
    check(at + ".max_queue_length", t->max_queue_length);
  }
  check("backhaul_bytes_per_day", r.backhaul_bytes_per_day);
  check("backhaul_peak_utilisation", r.backhaul_peak_utilisation);
  for (std::size_t i = 0; i < r.links.size() && p.empty(); ++i) {
    check(fmt::format("links[{}].bytes_per_day", i), r.links[i].bytes_per_day);
    check(fmt::format("links[{}].peak_utilisation", i), r.links[i].peak_utilisation);
  }
  return p;
}

std::optional<RunResult> ResultCache::get(const SimInput& in) {
  const std::string k = key(in);
  const fs::path p = fs::path(dir_) / (k + ".json");
  std::string why;
  const std::optional<std::string> text = read_entry(p.string(), why);
  if (!text) {
    ++misses_;
    return std::nullopt;
  }
  if (why.empty()) {
    try {
      const auto j = nlohmann::json::parse(*text);
      if (!j.is_object() || j.value("schema", "") != kEntrySchema || !j.contains("version") || j.at("version") != kEntryVersion) {
        why = fmt::format("not a {} version {} document", kEntrySchema, kEntryVersion);
      } else if (!j.contains("key") || j.at("key") != k) {
        // A file copied or renamed from another entry: the result of another input.
        why = "the entry of another input: the key inside is not its name";
      } else {
        RunResult r = run_result_from_json(j.at("result"));
        why = run_result_problem(in, r);
        if (why.empty()) {
          ++hits_;
          return r;
        }
      }
    } catch (const std::exception& e) {
      why = fmt::format("does not read: {}", e.what());
    }
  }
  // Not a result this binary would compute for this input: a miss, recomputed and overwritten
  // by the put that follows. Said once per folder and process.
  ++misses_;
  ++rejected_;
  std::lock_guard lock(g_unwritable_mu);
  if (g_bad_entry_dirs.insert(dir_).second && g_entry_warning) g_entry_warning(dir_, p.string(), why);
  return std::nullopt;
}

void set_cache_entry_warning(CacheEntryWarning warn) {
  std::lock_guard lock(g_unwritable_mu);
  g_entry_warning = warn;
}

void set_cache_write_warning(CacheWriteWarning warn) {
  std::lock_guard lock(g_unwritable_mu);
  g_warning = warn;
}

void ResultCache::put(const SimInput& in, const RunResult& r) {
  if (!r.ok || !run_result_problem(in, r).empty()) return;
  {
    std::lock_guard lock(g_unwritable_mu);
    if (g_unwritable.count(dir_) != 0) {
      ++write_errors_;
      return;
    }
  }
  try {
    const std::string k = key(in);
    // The key inside too: an entry copied under another name is the other input's (get).
    const nlohmann::json entry = {{"schema", kEntrySchema}, {"version", kEntryVersion}, {"key", k}, {"result", to_json(r)}};
    write_file_atomic((fs::path(dir_) / (k + ".json")).string(), entry.dump());
  } catch (const std::exception& e) {
    // A cache that cannot be written only costs time; the result itself is kept. The writer
    // has removed its temporary file; the folder is not tried again by this process.
    ++write_errors_;
    const auto* fe = dynamic_cast<const FileWriteError*>(&e);
    std::lock_guard lock(g_unwritable_mu);
    if (g_unwritable.insert(dir_).second && g_warning) g_warning(dir_, fe ? fe->reason() : std::string(e.what()));
  }
}

}  // namespace hw
