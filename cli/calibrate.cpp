// hwplan calibrate: benchmark this machine and write a measured hardware profile.
#include "sim/calibrate/calibrate.hpp"
#include "sim/calibrate/fit.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"
#include "sim/core/units.hpp"
#include "sim/io/report.hpp"
#include "sim/io/user_catalogue.hpp"

namespace fs = std::filesystem;

namespace hw::cli {

struct CalibrateOptions {
  std::string out;  // default: <id>.yaml in the current folder
  bool quick = false;
  std::string format = "table";
  std::string apply_to;
  std::string klass;
  bool add = false;    // --add: also install the profile into the user catalogue
  bool force = false;  // --force: replace existing files (--out, --apply-to's, --add's)
  std::string price;   // --price: the machine's price, "1200 USD"; none: the profile has no price
  std::string gpu_power_max;  // --gpu-power-max: the GPU profile's power.max, "700 W"
  CatalogueOptions catalogue;
};

namespace {

// SIGINT and SIGTERM stop the benchmark at the next kernel visit, and nothing is written.
// Installed whatever the inherited disposition: a background job of a non-interactive shell
// starts with SIGINT ignored, and `kill -INT` must still stop it.
std::atomic<int> g_stop_signal{0};
extern "C" void on_calibrate_signal(int sig) { g_stop_signal.store(sig); }

struct Interrupted {};

class StopOnSignals {
 public:
  StopOnSignals() {
    g_stop_signal.store(0);
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_calibrate_signal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, &old_int_);
    ::sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopOnSignals() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;
  static int signal() { return g_stop_signal.load(); }
  static void throw_if_stopped() {
    if (signal() != 0) throw Interrupted{};
  }

 private:
  struct sigaction old_int_, old_term_;
};

CLI::Validator non_empty(const std::string& expected) {
  return CLI::Validator(
      [expected](std::string& v) -> std::string {
        if (v.empty()) return fmt::format("the value is empty (''); expected {}", expected);
        return "";
      },
      "TEXT");
}

std::string signal_name(int sig) {
  return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : fmt::format("signal {}", sig);
}

std::string seconds_text(double s) { return format_time(Seconds(s)); }

std::string rate_text(const calib::KernelResult& k) {
  if (k.measured_s <= 0) return "";
  if (k.family == "triad" || k.family == "cuda-copy")
    return fmt::format("{:.1f} GB/s", k.bytes / k.measured_s / 1e9);
  return fmt::format("{:.1f} GFLOP/s", k.flops / k.measured_s / 1e9);
}

// `numeric` (CSV): plain numbers with the unit in the column name, a rate in the column of
// its unit (GFLOP/s for compute kernels, GB/s for the bandwidth references).
Table kernel_table(const calib::CalibrationResult& r, bool numeric = false) {
  Table t;
  if (numeric) {
    t.header = {"kernel",     "role",      "model",           "measured_s", "spread_pct", "rounds_spread_pct",
                "predicted_s", "error_pct", "rate_gflop_per_s", "rate_gb_per_s"};
    for (const auto& k : r.kernels) {
      const bool bandwidth = k.family == "triad" || k.family == "cuda-copy";
      const std::string rate = k.measured_s > 0 ? fmt::format("{:.4g}", (bandwidth ? k.bytes : k.flops) / k.measured_s / 1e9)
                                                : "";
      t.rows.push_back({k.name, to_string(k.role), k.model, fmt::format("{:.4g}", k.measured_s),
                        fmt::format("{:.1f}", 100 * k.time.spread()), fmt::format("{:.1f}", 100 * k.round_spread),
                        fmt::format("{:.4g}", k.predicted_s), fmt::format("{:.1f}", 100 * k.error),
                        bandwidth ? "" : rate, bandwidth ? rate : ""});
    }
    return t;
  }
  t.header = {"kernel", "role",      "model", "measured", "spread",
              "rounds", "predicted", "error", "rate"};
  for (const auto& k : r.kernels) {
    t.rows.push_back({k.name, to_string(k.role), k.model, seconds_text(k.measured_s),
                      fmt::format("{:.1f}%", 100 * k.time.spread()),
                      fmt::format("{:.1f}%", 100 * k.round_spread), seconds_text(k.predicted_s),
                      fmt::format("{:+.1f}%", 100 * k.error), rate_text(k)});
  }
  return t;
}

nlohmann::json result_json(const calib::CalibrationResult& r,
                           const std::map<std::string, std::string>& files) {
  nlohmann::json j;
  for (const auto& [k, v] : files) j[k] = v;
  j["id"] = r.profile.id;
  // The written profile's held-out rows only; the separately fitted models' apart.
  j["held_out_median_abs_error"] = r.held_out.profile_median_abs_error;
  j["held_out_kernels"] = r.held_out.profile_kernels;
  j["held_out_other_models"] = nlohmann::json::array();
  for (const auto& m : r.held_out.others) {
    j["held_out_other_models"].push_back(
        {{"model", m.model}, {"median_abs_error", m.median_abs_error}, {"kernels", m.kernels}});
  }
  j["wall_s"] = r.wall_s;
  j["kernels"] = nlohmann::json::array();
  for (const auto& k : r.kernels) {
    j["kernels"].push_back({{"name", k.name},
                            {"family", k.family},
                            {"threads", k.threads},
                            {"role", to_string(k.role)},
                            {"held_out", k.role == calib::Role::held_out},
                            {"model", k.model},
                            {"measured_s", k.measured_s},
                            {"median_s", k.time.median},
                            {"p10_s", k.time.p10},
                            {"p90_s", k.time.p90},
                            {"samples", k.time.count},
                            {"round_spread", k.round_spread},
                            {"predicted_s", k.predicted_s},
                            {"error", k.error},
                            {"flops", k.flops},
                            {"bytes", k.bytes}});
  }
  j["models"] = nlohmann::json::array();
  for (const auto& m : r.models) {
    j["models"].push_back({{"name", m.name},
                           {"fit_kernels", m.fit_kernels},
                           {"rms_log_error", m.rms_log_error},
                           {"compute_flops_per_s", m.params.compute_flops_per_s},
                           {"bandwidth_bytes_per_s", m.params.bandwidth_bytes_per_s},
                           {"half_batch", m.params.half_batch},
                           {"overhead_s", m.params.overhead_s},
                           {"peak_flops_per_s", m.factors.peak_flops_per_s},
                           {"reference_bandwidth_bytes_per_s", m.factors.bandwidth_bytes_per_s},
                           {"efficiency_compute", m.factors.efficiency_compute},
                           {"efficiency_memory", m.factors.efficiency_memory}});
  }
  j["calibration"] = r.profile.calibration;
  j["notes"] = r.notes;
  return j;
}

// The headline is the written profile's: its own held-out rows (models profile and image).
// The other models are fitted apart and not in the profile: their medians are labelled so.
std::string held_out_text(const calib::CalibrationResult& r) {
  std::string out = fmt::format(
      "held-out median |error|: {:.1f} % over the profile's {} held-out kernels (models profile and image; "
      "target <= 15 %)\n",
      100 * r.held_out.profile_median_abs_error, r.held_out.profile_kernels);
  for (const auto& m : r.held_out.others) {
    out += fmt::format("  model {}: held-out median |error| {:.1f} % over {} kernel{} (fitted apart; not the profile)\n",
                       m.model, 100 * m.median_abs_error, m.kernels, m.kernels == 1 ? "" : "s");
  }
  return out;
}

void print_table(const calib::CalibrationResult& r,
                 const std::map<std::string, std::string>& files) {
  fmt::print("{}", to_text(kernel_table(r)));
  fmt::print("\n");
  for (const auto& m : r.models) {
    if (m.fit_kernels == 0) continue;
    fmt::print(
        "model {:<9} P = {:.1f} GFLOP/s (reference {:.1f}), B = {:.2f} GB/s (reference {:.2f}), "
        "h = {} rows, t0 = {}, {} fit kernels, rms log error {:.3f}\n",
        m.name, m.params.compute_flops_per_s / 1e9, m.factors.peak_flops_per_s / 1e9,
        m.params.bandwidth_bytes_per_s / 1e9, m.factors.bandwidth_bytes_per_s / 1e9,
        hw::sig3(m.params.half_batch), seconds_text(m.params.overhead_s), m.fit_kernels, m.rms_log_error);
  }
  fmt::print("{}", held_out_text(r));
  const auto& p = r.profile;
  fmt::print(
      "profile {}: fp32 {:.1f} GFLOP/s, bandwidth {:.1f} GB/s, efficiency compute {:.3f} memory "
      "{:.3f}, "
      "half_batch {}, overhead {}, power {:.0f}-{:.0f} W\n",
      p.id, p.peak.at(Precision::fp32).si() / 1e9, p.memory_bandwidth.si() / 1e9,
      p.efficiency_compute, p.efficiency_memory, hw::sig3(p.half_efficiency_batch),
      seconds_text(p.overhead.si()), p.power_idle.si(), p.power_max.si());
  for (const auto& [what, path] : files) fmt::print("{}: {}\n", what, path);
  for (const auto& n : r.notes) fmt::print("note: {}\n", n);
  fmt::print("wall time {:.1f} s\n", r.wall_s);
}

// Writes YAML and reads it back with the strict loader: a file we cannot load is our bug.
void write_profile(const std::string& path, const std::string& yaml) {
  write_file_atomic(path, yaml);
  try {
    load_profile(path);
  } catch (const InputError& e) {
    throw std::runtime_error(
        fmt::format("the profile written to {} does not load: {}", path, e.what()));
  }
}

// Where --add puts profile `id`; UsageError when it cannot (no folder, an id of the bundled
// catalogue, a user profile of that id without --force). `bundled`: the catalogue without
// the user folder.
std::string add_target(const std::string& id, const Catalogue& bundled, bool force) {
  const std::string dir = user_profiles_dir();
  if (dir.empty()) {
    throw UsageError("--add: no user catalogue folder: set HWPLAN_USER_PROFILES (or HOME or XDG_DATA_HOME)");
  }
  // The folder, or the nearest part of its path that exists, must be a folder: a plain file
  // there made create_directories fail after the benchmark ("internal error", table lost).
  {
    std::error_code ec;
    fs::path p = fs::absolute(fs::path(dir), ec);
    while (!p.empty() && !fs::exists(fs::symlink_status(p, ec)) && p != p.parent_path()) p = p.parent_path();
    if (!p.empty() && fs::exists(p, ec) && !fs::is_directory(p, ec)) {
      const char* env = std::getenv("HWPLAN_USER_PROFILES");
      throw UsageError(fmt::format(
          "--add: the user catalogue folder {}{} cannot be used: {} is not a folder; expected a folder of profile "
          "YAML files, or a path where one can be created (point HWPLAN_USER_PROFILES at one)",
          dir, env && *env ? " (HWPLAN_USER_PROFILES)" : "", p.string()));
    }
  }
  if (auto it = bundled.profiles.find(id); it != bundled.profiles.end()) {
    throw UsageError(fmt::format("--add: '{}' is a profile of the bundled catalogue ({}); a user profile of that id "
                                 "would be left out. Give the calibration another id with --out NEW-ID.yaml",
                                 id, it->second.file));
  }
  const std::string target = (fs::path(dir) / (id + ".yaml")).string();
  std::error_code ec;
  if (!force && fs::exists(target, ec)) {
    throw UsageError(fmt::format("--add: {} exists already; not overwritten (add --force to replace it, or give "
                                 "another id with --out NEW-ID.yaml)",
                                 target));
  }
  return target;
}

}  // namespace

int run_calibrate(const CalibrateOptions& o) {
  // Find the catalogue profile first: a typo should not cost a benchmark run.
  std::string apply_file;
  std::optional<HardwareClass> apply_class;
  const Catalogue cat = load_default_catalogue(o.catalogue);
  if (!o.apply_to.empty()) {
    auto it = cat.profiles.find(o.apply_to);
    if (it == cat.profiles.end()) {
      if (auto why = cat.left_out_message(o.apply_to); !why.empty()) throw UsageError("--apply-to: " + why);
      std::vector<std::string> ids;
      for (const auto& [id, _] : cat.profiles) ids.push_back(id);
      auto near = did_you_mean(o.apply_to, ids);
      throw UsageError(fmt::format(
          "--apply-to: no hardware profile '{}'{}; 'hwplan profiles list' shows them all",
          o.apply_to, near ? fmt::format(" (did you mean '{}'?)", *near) : ""));
    }
    apply_file = it->second.file;
    apply_class = it->second.klass;
  }

  // The loader wants a profile's id to equal its file name, so --out names the id.
  calib::CalibrateOptions copts;
  if (!o.out.empty()) {
    {
      // A folder or a device named as --out: say so first (the rule on its name below read as
      // if only the name were wrong, where run, recommend and sweep say "is a directory").
      std::error_code ec;
      const auto st = fs::status(o.out, ec);
      if (!ec && fs::exists(st) && !fs::is_regular_file(st)) checked_output("--out", o.out, {}, OutputKinds::file_only);
    }
    copts.id = fs::path(o.out).stem().string();
    const bool ok = fs::path(o.out).extension() == ".yaml" && !copts.id.empty() &&
                    std::all_of(copts.id.begin(), copts.id.end(), [](char c) {
                      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                             c == '_' || c == '.';
                    });
    if (!ok) {
      throw UsageError(fmt::format(
          "--out {}: the file name is the profile id, so it must be ID.yaml with an id of "
          "lower-case letters, digits, '-', '_' or '.' (for example --out calib/edge-box.yaml)",
          o.out));
    }
  }
  // Without --out the id is the host name, known now: every file is checked before the benchmark.
  if (copts.id.empty()) {
    char host[256] = {};
    copts.id = calib::sanitize_id(::gethostname(host, sizeof host - 1) == 0 ? std::string(host) : std::string());
  }
  const std::string out = o.out.empty() ? copts.id + ".yaml" : o.out;  // id = file name
  std::optional<Money> price;
  if (!o.price.empty()) {
    try {
      price = parse_money(o.price);
    } catch (const UnitError& e) {
      throw UsageError(fmt::format("--price '{}': {}", o.price, e.what()));
    }
    if (!std::isfinite(price->amount) || price->amount <= 0) {
      throw UsageError(fmt::format("--price '{}': expected a price above 0, like '1200 USD'", o.price));
    }
    // The bound the profile loader applies to 'price:' (else the profile written after the
    // benchmark would not load).
    if (auto why = magnitude_problem(price->amount, UnitKind::money, price->currency)) {
      throw UsageError(fmt::format("--price '{}': {}", o.price, *why));
    }
  }
  if (!o.gpu_power_max.empty()) {
    double w = 0;
    try {
      w = parse_power(o.gpu_power_max).si();
    } catch (const UnitError& e) {
      throw UsageError(fmt::format("--gpu-power-max '{}': {}; expected the board power, like '700 W'", o.gpu_power_max,
                                   e.what()));
    }
    if (!std::isfinite(w) || w <= 0) {
      throw UsageError(fmt::format("--gpu-power-max '{}': expected a power above 0, like '700 W'", o.gpu_power_max));
    }
    if (auto why = magnitude_problem(w, UnitKind::power)) {  // the loader's bound on power.max
      throw UsageError(fmt::format("--gpu-power-max '{}': {}; expected the board power, like '700 W'", o.gpu_power_max, *why));
    }
    if (!calib::gpu_path_built()) {
      throw UsageError(fmt::format("--gpu-power-max '{}': this hwplan has no GPU path (built without "
                                   "-DHWPLAN_CALIBRATE_CUDA=ON), so no GPU profile is written; leave the option out",
                                   o.gpu_power_max));
    }
    copts.gpu_power_max_w = w;
  }
  // --out and the files written next to it, checked before the benchmark (a review lost a
  // 38 s run to "Not a directory", and a rerun replaced an earlier calibration): a path
  // that cannot be written, a file of the catalogue, or an existing file without --force.
  std::vector<std::string> inputs;
  for (const auto& [id, prof] : cat.profiles) inputs.push_back(prof.file);
  auto check_target = [&](const std::string& option, const std::string& path) {
    checked_output(option, path, inputs, OutputKinds::file_only);
    std::error_code ec;
    if (!o.force && fs::exists(path, ec)) {
      throw UsageError(fmt::format("{}: {} exists already; not overwritten (add --force to replace it, or choose "
                                   "another file)",
                                   option, path));
    }
  };
  check_target("--out", out);
  const fs::path out_dir = fs::path(out).parent_path();
  // Not into the catalogue's own folders: a profile written there was listed as "bundled"
  // (unpriced, at 0.00 USD), and one in the model folder breaks every command that loads
  // the catalogue. The folder exists now (checked_output made it).
  {
    std::error_code ec;
    const fs::path folder = out_dir.empty() ? fs::path(".") : out_dir;
    const std::pair<std::string, std::string> folders[] = {
        {cat.profiles_dir, "the bundled catalogue's profile folder, which changes only on purpose (a profile there is "
                           "listed as bundled)"},
        {cat.models_dir, "the catalogue's model folder (every command would read the profile as a model and fail)"}};
    for (const auto& [dir, what] : folders) {
      if (!dir.empty() && fs::equivalent(folder, dir, ec) && !ec) {
        throw UsageError(fmt::format(
            "--out {}: {} is {}; expected a path outside it: write the profile elsewhere and install it with --add "
            "(the user catalogue), or copy it in by hand",
            out, dir, what));
      }
    }
  }
  if (!o.apply_to.empty()) check_target("--apply-to", (out_dir / (o.apply_to + "-calibrated.yaml")).string());
  if (calib::gpu_path_built()) {
    // The CUDA path writes ID-gpu.yaml next to --out when it finds a device: same rules.
    check_target("--out (the GPU profile next to it)", (out_dir / (copts.id + "-gpu.yaml")).string());
  }
  // --add: refuse before the benchmark when the id is known already (--out names it), when
  // the user catalogue folder cannot take the file, and find out whether --out is that file.
  std::optional<Catalogue> bundled;
  bool out_is_added = false;  // --out names the user catalogue file itself: write it once
  if (o.add) {
    CatalogueOptions only_bundled = o.catalogue;
    only_bundled.no_user_profiles = true;
    bundled.emplace(load_default_catalogue(only_bundled));
    const std::string target = add_target(copts.id, *bundled, o.force);
    checked_output("--add", target, inputs, OutputKinds::file_only);
    std::error_code e1, e2;
    const fs::path a = fs::weakly_canonical(fs::absolute(out), e1), b = fs::weakly_canonical(fs::absolute(target), e2);
    out_is_added = !e1 && !e2 && a == b;
  }
  copts.quick = o.quick;
  if (!o.klass.empty()) copts.klass = hardware_class_from(o.klass);
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  bool dirty = false;  // a status line is showing
  copts.progress = [&](const std::string& msg, bool detail) {
    if (detail) {
      if (!tty) return;
      fmt::print(stderr, "\r\033[K{}", msg);
      dirty = true;
      return;
    }
    fmt::print(stderr, "{}{}\n", dirty ? "\r\033[K" : "", msg);
    dirty = false;
  };
  calib::CalibrationResult r;
  {
    StopOnSignals stop;
    auto progress = copts.progress;
    copts.progress = [&](const std::string& msg, bool detail) {
      StopOnSignals::throw_if_stopped();
      progress(msg, detail);
    };
    // Between kernel stretches and every 50 ms of the RAPL waits: a review's Ctrl-C took
    // 2.2 s when it was checked once per interleaved cycle.
    copts.check_stop = [] { StopOnSignals::throw_if_stopped(); };
    try {
      r = calib::run_calibration(copts);
      StopOnSignals::throw_if_stopped();
    } catch (const Interrupted&) {
      if (dirty) fmt::print(stderr, "\r\033[K");
      const int sig = StopOnSignals::signal();
      fmt::print(stderr, "calibrate: stopped by {}; no profile written\n", signal_name(sig));
      return 128 + sig;
    }
  }
  if (dirty) fmt::print(stderr, "\r\033[K");

  if (price) {
    r.profile.price = *price;
    r.profile.sources["price"] = fmt::format("given on the command line (hwplan calibrate --price '{}')", o.price);
  } else {
    r.notes.push_back(
        "the profile has no price (give one with --price, like --price '1200 USD', or add 'price:' and "
        "'sources: {price: ...}' to the file): recommend rejects the candidates that use it, as their cost is unknown");
  }

  std::map<std::string, std::string> files;
  // A profile that cannot be written (a full disk, a folder gone since the check) must not
  // take the measurement with it: the report is printed, then the profile's YAML and the error.
  std::optional<std::string> write_failed;
  try {
    write_profile(out, calib::profile_yaml(r.profile));
    files["profile"] = out;
  } catch (const std::exception& e) {
    write_failed = fmt::format("--out {}: the profile could not be written: {}", out, e.what());
  }
  const fs::path& dir = out_dir;
  if (write_failed) {
    // nothing more is written: the GPU, --apply-to and --add files would fail the same way
  } else if (r.gpu_profile) {
    if (price) {
      r.gpu_profile->price = *price;
      r.gpu_profile->sources["price"] = r.profile.sources.at("price");
    }
    const std::string gpu = (dir / (r.gpu_profile->id + ".yaml")).string();
    write_profile(gpu, calib::profile_yaml(*r.gpu_profile));
    files["gpu_profile"] = gpu;
  }
  if (!write_failed && !apply_file.empty()) {
    // A new id next to --out, never over the catalogue file: the catalogue changes only on
    // purpose, and under the new id both profiles can sit in it side by side.
    const std::string id = o.apply_to + "-calibrated";
    const std::string applied = (dir / (id + ".yaml")).string();
    write_profile(applied, calib::apply_calibration_yaml(apply_file, r.profile, id));
    files["applied_profile"] = applied;
    if (apply_class != r.profile.klass) {
      r.notes.push_back(
          fmt::format("--apply-to: {} is class {} but this machine is {}; its factors describe a "
                      "different kind of device, use them with care",
                      o.apply_to, to_string(*apply_class), to_string(r.profile.klass)));
    }
  }

  // The profile is written to --out already, so a refusal here loses nothing measured; the
  // report is still printed, then the refusal (a review lost the table to one).
  std::optional<UsageError> add_failed;
  if (write_failed) {
    // reported below
  } else if (o.add && out_is_added) {
    files["user_catalogue_profile"] = out;  // --out is the user catalogue file: written once, above
  } else if (o.add) {
    try {
      const std::string target = add_target(r.profile.id, *bundled, o.force);
      const OutputTarget checked = checked_output("--add", target, {}, OutputKinds::file_only);
      write_profile(checked.resolved, calib::profile_yaml(r.profile));
      files["user_catalogue_profile"] = target;
    } catch (const UsageError& e) {
      add_failed.emplace(e);
    } catch (const std::exception& e) {
      add_failed.emplace(fmt::format("--add: {} (the profile is in {})", e.what(), out));
    }
  }

  if (o.format == "json") {
    fmt::print("{}\n", result_json(r, files).dump(2));
  } else if (o.format == "csv") {
    fmt::print("{}", to_csv(kernel_table(r, true)));
    // Standard output holds the table alone; the headline, where the files went and the notes
    // go to stderr.
    fmt::print(stderr, "{}", held_out_text(r));
    for (const auto& [what, path] : files) fmt::print(stderr, "{}: {}\n", what, path);
    for (const auto& n : r.notes) fmt::print(stderr, "note: {}\n", n);
  } else {
    print_table(r, files);
  }
  if (write_failed) {
    // The measured profile, whole, on stderr (stdout holds the report in its format): copy it
    // into a file by hand, or rerun with another --out.
    fmt::print(stderr, "{}\n# the measured profile (not saved):\n{}", *write_failed, calib::profile_yaml(r.profile));
    throw UsageError(fmt::format("{}; the measured profile is printed above", *write_failed));
  }
  if (add_failed) throw *add_failed;
  return kOk;
}

void setup_calibrate(CLI::App& app, Dispatch& d) {
  auto o = std::make_shared<CalibrateOptions>();
  auto* sub = app.add_subcommand("calibrate",
                                 "Benchmark this machine and write a measured hardware profile");
  sub->add_option("--out", o->out,
                  "Profile file to write, ID.yaml: its name is the profile id (default: <host "
                  "name>.yaml here)")
      ->check(path_given("a profile file path, ID.yaml"));
  sub->add_flag("--quick", o->quick,
                "Fewer shapes and rounds: under a minute on 2 cores (default run: a few minutes)");
  add_format_option(*sub, o->format);
  sub->add_option(
      "--apply-to", o->apply_to,
      "Also write catalogue profile ID with this calibration's efficiency (and per-call cost as launch when ID is of "
      "the same class; ID's overhead is kept), as "
      "ID-calibrated.yaml (id ID-calibrated) next to --out")
      ->check(non_empty("a catalogue profile id (hwplan profiles list)"));
  sub->add_option("--class", o->klass,
                  "Class of the written profile (default: guessed from the CPU)")
      ->check(CLI::IsMember({"edge", "cpu_server"}));
  sub->add_flag("--add", o->add,
                "Also install the profile into the user catalogue ($HWPLAN_USER_PROFILES, else "
                "$XDG_DATA_HOME/hwplan/hardware_profiles) that every command and hwplan-gui read; refuses an existing "
                "file or a bundled id");
  sub->add_flag("--force", o->force,
                "Replace existing files: the --out profile, the --apply-to profile next to it, and with --add a user "
                "profile of the same id");
  sub->add_option("--price", o->price,
                  "The machine's price, AMOUNT CURRENCY (for example '1200 USD'), written with the source 'given on the "
                  "command line'; without it the profile has no price and recommend rejects the candidates that use it")
      ->check(non_empty("a price like '1200 USD'"));
  sub->add_option("--gpu-power-max", o->gpu_power_max,
                  "Builds with the GPU path: the GPU's board power from its datasheet (for example '700 W'), written as the "
                  "GPU profile's power.max; without it a labelled 300 W estimate (this build reads no NVML)")
      ->check(non_empty("a power like '700 W'"));
  add_catalogue_option(*sub, o->catalogue);
  sub->footer(
      "Times OpenBLAS SGEMM/DGEMM (square and skinny, all cores and one), a STREAM triad, 3x3 "
      "convolutions, a\n"
      "small CNN and ResNet-50's convolutions; fits the roofline of the performance model; writes a profile whose\n"
      "compute efficiency is per image (a model's item) and reports, per kernel, measured vs predicted time\n"
      "(held-out kernels were not used in the fit; the two networks are priced as 'hwplan predict' prices a\n"
      "model). Progress goes to stderr.\n"
      "Run it on a quiet machine: other work on the cores lowers every figure.\n"
      "Examples:\n"
      "  hwplan calibrate --quick --out edge-box.yaml\n"
      "  hwplan calibrate --quick --out edge-box.yaml --add   # then: hwplan predict --hardware edge-box ...\n"
      "  hwplan calibrate --format json --apply-to intel-i7-ipc --out calib/edge-box.yaml");
  sub->callback([o, &d] { d.action = [o] { return run_calibrate(*o); }; });
}

}  // namespace hw::cli
