#include "cli/common.hpp"

#include <fcntl.h>
#include <poll.h>
#include <stdio_ext.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <system_error>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>

#include <fmt/format.h>

#include "sim/core/files.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/user_catalogue.hpp"
#include "sim/run/cache.hpp"

namespace fs = std::filesystem;

namespace hw::cli {

void add_catalogue_option(CLI::App& app, CatalogueOptions& opts) {
  app.add_option("--catalogue", opts.dir,
                 "Folder with hardware_profiles/ and scenarios/models/ (default: $HWPLAN_DATA or the bundled one)")
      ->check(path_given("a folder holding hardware_profiles/ and scenarios/models/"));
  app.add_flag("--no-user-profiles", opts.no_user_profiles,
               "Leave out the user catalogue ($HWPLAN_USER_PROFILES, else $XDG_DATA_HOME/hwplan/hardware_profiles: "
               "profiles added by hwplan-gui or 'hwplan calibrate --add'), read by default");
}

std::string data_dir(const CatalogueOptions& opts) {
  auto ok = [](const fs::path& d) {
    std::error_code ec;
    return fs::is_directory(d / "hardware_profiles", ec) && fs::is_directory(d / "scenarios" / "models", ec);
  };
  if (!opts.dir.empty()) return opts.dir;
  if (const char* env = std::getenv("HWPLAN_DATA"); env && *env) return env;
  fs::path exe = hw::self_exe();
  // Up from the executable: a source or build tree holds the catalogue itself; an installed
  // hwplan (PREFIX/bin/hwplan) finds it in PREFIX/share/hwplan.
  for (fs::path d = exe.parent_path(); !d.empty() && d != d.root_path(); d = d.parent_path()) {
    if (ok(d)) return d.string();
    if (ok(d / "share" / "hwplan")) return (d / "share" / "hwplan").string();
  }
  if (ok(HWPLAN_SOURCE_DIR)) return HWPLAN_SOURCE_DIR;
  return ".";
}

Catalogue load_default_catalogue(const CatalogueOptions& opts) {
  fs::path d = data_dir(opts);
  // A folder named by --catalogue or $HWPLAN_DATA that is not a catalogue: say which of the
  // two chose it (the loader's "catalogue folder not found ... set HWPLAN_DATA" read as if
  // HWPLAN_DATA were unset).
  const char* env = std::getenv("HWPLAN_DATA");
  const bool from_env = opts.dir.empty() && env != nullptr && *env != '\0';
  if (!opts.dir.empty() || from_env) {
    std::string why;
    std::error_code ec;
    for (const fs::path& sub : {d, d / "hardware_profiles", d / "scenarios" / "models"}) {
      const auto st = fs::status(sub, ec);
      if (fs::is_directory(st)) continue;
      const int err = ec ? ec.value() : 0;
      why = fmt::format("{} {}", printable(sub.string(), 300),
                        fs::exists(st) ? "is not a folder" : err != 0 && err != ENOENT ? fmt::format("cannot be read: {}", std::strerror(err)) : "does not exist");
      break;
    }
    if (!why.empty()) {
      if (from_env) {
        throw UsageError(fmt::format("HWPLAN_DATA is set to '{}', which is not a catalogue folder ({}; one holds hardware_profiles/ and "
                                     "scenarios/models/): set it to one, unset it to use the bundled catalogue, or pass --catalogue DIR",
                                     printable(env, 300), why));
      }
      throw UsageError(fmt::format("--catalogue {}: not a catalogue folder ({}; one holds hardware_profiles/ and scenarios/models/)",
                                   printable(opts.dir, 300), why));
    }
  }
  Catalogue cat = load_catalogue((d / "hardware_profiles").string(), (d / "scenarios" / "models").string());
  if (!opts.no_user_profiles) {
    std::vector<std::string> problems;
    add_user_profiles(cat, user_profiles_dir(), problems);
    for (const auto& p : problems) fmt::print(stderr, "warning: {}\n", p);
    // A user profile without a price (hwplan calibrate without --price) cannot be costed: the
    // planner rejects every candidate that uses it (sim/plan price_problem). Say so up front.
    for (const auto& [id, p] : cat.profiles) {
      if (!p.priced && profile_origin(cat, p) == "user") {
        fmt::print(stderr,
                   "warning: user profile '{}' ({}) has no price: recommend rejects the candidates that use it, as "
                   "their cost is unknown (add 'price: AMOUNT CURRENCY' and sources.price to the file, or calibrate again "
                   "with --price)\n",
                   id, p.file);
      }
    }
  }
  return cat;
}

OutputTarget checked_output(const std::string& option, const std::string& path, const std::vector<std::string>& inputs,
                            OutputKinds kinds) {
  try {
    return check_output(path, inputs, kinds);
  } catch (const std::runtime_error& e) {
    throw UsageError(fmt::format("{}: {}", option, e.what()));
  }
}

void write_report(const OutputTarget& target, const std::string& content) {
  try {
    write_output(target, content);
  } catch (const FileWriteError&) {
    throw;  // as it is: main knows from it that standard output has been reported (one message)
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
}

void write_report_after_answer(const OutputTarget& target, const std::string& content) {
  try {
    write_report(target, content);
  } catch (const std::runtime_error& e) {
    throw UsageError(fmt::format("{} (the answer above is complete; only the report file is missing)", e.what()));
  }
}

bool json_report_file(const OutputTarget& target) {
  if (target.to_stdout) return false;
  std::string ext = fs::path(target.path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".json";
}

bool check_cache_dir(bool no_cache, const std::string& cache_dir) {
  if (no_cache) return false;
  try {
    ResultCache probe(cache_dir, "probe");  // creates the folder and checks that it takes files
    return true;
  } catch (const std::runtime_error& e) {
    if (!cache_dir.empty()) throw UsageError(fmt::format("--cache-dir: {} (or pass --no-cache)", e.what()));
    fmt::print(stderr, "warning: {}; running without the result cache (choose one with --cache-dir, or pass --no-cache)\n", e.what());
    return false;
  }
}

namespace {
// Whether two paths name the same place, existing or not ("c4", "./c4/", "/abs/c4").
bool same_path(const std::string& a, const std::string& b) {
  auto norm = [](const std::string& p) {
    std::error_code ec;
    fs::path abs = fs::absolute(p, ec);
    if (ec) abs = p;
    fs::path n = fs::weakly_canonical(abs, ec);
    if (ec) n = abs;
    n = n.lexically_normal();
    if (!n.has_filename() && n.has_parent_path() && n != n.root_path()) n = n.parent_path();  // "c4/" as "c4"
    return n;
  };
  return norm(a) == norm(b);
}
}  // namespace

void check_cache_options(bool no_cache, const std::string& cache_dir, const std::string& out) {
  if (cache_dir.empty()) return;
  if (no_cache) {
    throw UsageError(fmt::format("--no-cache and --cache-dir {} contradict each other: --no-cache reads and writes no result cache, "
                                 "--cache-dir chooses its folder; give one of them",
                                 cache_dir));
  }
  if (!out.empty() && out != "-" && same_path(out, cache_dir)) {
    throw UsageError(fmt::format("--out {} and --cache-dir {} name the same path: the report file cannot be the result cache's folder; "
                                 "give --out a file of its own",
                                 out, cache_dir));
  }
}

CLI::Validator seed_check() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        std::uint64_t seed = 0;
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seed);
        if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || ec != std::errc() || end != v.data() + v.size() ||
            seed > kMaxSeed) {
          return fmt::format("a seed is a whole number from 0 to {} (2^62, as a scenario's 'seed'), got '{}'", kMaxSeed, v);
        }
        return "";
      },
      "UINT");
}

CLI::Validator path_given(const std::string& expected) {
  return CLI::Validator(
      [expected](std::string& v) -> std::string {
        if (v.empty()) return fmt::format("the path is empty (''); expected {} (leave the option out for the default)", expected);
        return "";
      },
      "PATH");
}

CLI::Validator count_check(const std::string& what, std::uint64_t lo, std::uint64_t hi, const std::string& zero) {
  return CLI::Validator(
      [=](std::string& v) -> std::string {
        std::uint64_t n = 0;
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        const bool digits = !v.empty() && v.find_first_not_of("0123456789") == std::string::npos;
        if (digits && ec == std::errc() && end == v.data() + v.size() && n >= lo && n <= hi) return "";
        const std::string range = lo == 0 && !zero.empty() ? fmt::format("0 ({}) to {}", zero, hi) : fmt::format("{} to {}", lo, hi);
        std::string got = fmt::format("got '{}'", printable(v));
        if (v.size() > 1 && v[0] == '-' && (v[1] == '-' || std::isalpha(static_cast<unsigned char>(v[1])) != 0)) {
          got += ", which is the next option: the number is missing";
        }
        return fmt::format("expected a whole number of {}, {}; {}", what, range, got);
      },
      "UINT");
}

std::string missing_input_message(const std::string& path) {
  const std::string shown = printable(path, 300);
  struct stat l {};
  if (::lstat(path.c_str(), &l) == 0 && S_ISLNK(l.st_mode)) {
    struct stat st {};
    errno = 0;
    if (::stat(path.c_str(), &st) != 0) {
      const int err = errno;
      if (err == ELOOP) return fmt::format("{}: too many levels of symbolic links (a link that leads back to itself)", shown);
      std::error_code ec;
      const fs::path to = fs::read_symlink(path, ec);
      if (!ec && err == ENOENT) return fmt::format("{} is a symbolic link to '{}', which does not exist", shown, printable(to.string(), 300));
      return fmt::format("{}: {}", shown, std::strerror(err));
    }
  }
  errno = 0;
  if (struct stat st {}; ::stat(path.c_str(), &st) != 0 && errno != ENOENT && errno != 0) {
    return fmt::format("{}: {}", shown, std::strerror(errno));  // a loop in a folder of the path, a folder not searchable
  }
  return fmt::format("file not found: {}", shown);
}

CLI::Validator file_or_stdin() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        if (v == "-") return "";
        std::error_code ec;
        if (!fs::exists(v, ec)) return missing_input_message(v);
        if (fs::is_directory(v, ec)) return fmt::format("{} is a directory, expected a file", v);
        return "";
      },
      "FILE|-");
}

Scenario load_scenario_arg(const std::string& path, const Catalogue& cat) {
  if (path != "-") return load_scenario(path, cat);
  return load_scenario_text(read_input_text(path), ".", cat, input_display_name(path));
}

std::string scenario_stem(const std::string& path) { return path == "-" ? "stdin" : fs::path(path).stem().string(); }

void add_format_option(CLI::App& app, std::string& format) {
  app.add_option("--format", format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->default_val("table");
}

std::vector<std::string> input_files(const Catalogue& cat, const std::string& scenario_path, const Scenario& s) {
  std::vector<std::string> files{scenario_path};
  // The running executable: a process runner execs it for every simulation ('hwplan simulate
  // --serve'), so a report written over it would destroy the simulator mid-run.
  try {
    files.push_back(self_exe());
  } catch (const std::exception&) {  // no /proc: nothing to protect by this name
  }
  for (const auto& st : s.streams) {
    if (!st.arrival.trace_file.empty()) files.push_back(st.arrival.trace_file);
  }
  for (const std::string& dir : {cat.profiles_dir, cat.models_dir, cat.user_profiles_dir}) {
    std::error_code ec;
    if (dir.empty() || !fs::is_directory(dir, ec)) continue;
    for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec)) files.push_back(it->path().string());
    }
  }
  return files;
}

std::string running_progress_text(const std::vector<double>& fractions) {
  std::string how_far;
  for (const double f : fractions) how_far += fmt::format("{}{:.0f}%", how_far.empty() ? "" : ", ", f * 100);
  return how_far.empty() ? "" : fmt::format(" (at {} of the simulated time)", how_far);
}

namespace {
// A limit of this process as a message names it: "unlimited", a count, or MiB.
std::string limit_text(int resource, bool bytes) {
  rlimit r{};
  if (::getrlimit(resource, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return "unlimited";
  return bytes ? fmt::format("{} MiB", r.rlim_cur >> 20) : fmt::format("{}", r.rlim_cur);
}
}  // namespace

std::string out_of_memory_message(const std::string& what) {
  return fmt::format("out of memory: {} (address-space limit, ulimit -v: {}); lower --jobs or raise the memory limit", what,
                     limit_text(RLIMIT_AS, true));
}

std::string process_limit_message(const std::string& what) {
  return fmt::format("{} (the process limit, ulimit -u / RLIMIT_NPROC, is {} for this user and counts every process and "
                     "thread); lower --jobs or raise the limit",
                     what, limit_text(RLIMIT_NPROC, false));
}

// Standard output that failed (a full disk, a closed descriptor): the answer is lost, so
// the command has failed. Flushes it and says so (unless `reported`: the command's own error
// named it already); false when it failed.
// `known`: the reason an earlier failed write gave (fmt's std::system_error), else 0.
bool stdout_written(int known, bool reported) {
  std::string reason;
  if (flush_stdout(reason, known)) return true;  // sim/core/files: the reason asked of the descriptor
  if (!reported) fmt::print(stderr, "error: cannot write to standard output: {}\n", reason);
  return false;
}

bool print_answer(const std::string& text, std::string& problem) {
  int print_errno = 0;
  try {
    fmt::print("{}", text);
  } catch (const std::system_error& e) {
    if (std::ferror(stdout) == 0) throw;
    print_errno = e.code().value();
  }
  return flush_stdout(problem, print_errno);
}

bool write_stream_line(const std::string& line) {
  errno = 0;
  if (std::fwrite(line.data(), 1, line.size(), stdout) == line.size() && std::fflush(stdout) == 0) return true;
  if (errno == EPIPE) {
    __fpurge(stdout);  // the unwritten rest: no later flush tries it again
    const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0) {
      ::dup2(null, STDOUT_FILENO);
      ::close(null);
    }
    std::clearerr(stdout);
  }
  return false;
}

std::string repeated_option_message(const CLI::App& app, const std::string& what, int argc, char** argv) {
  const std::string tail = ": At Most 1 required but received ";
  const auto at = what.find(tail);
  if (at == std::string::npos) return "";
  const std::string name = what.substr(0, at);
  // Every spelling of that option in the command given (-j and --jobs), and its values.
  std::vector<std::string> spellings{name};
  auto add_spellings = [&](const CLI::Option* opt) {
    if (opt == nullptr) return;
    for (const auto& l : opt->get_lnames()) spellings.push_back("--" + l);
    for (const auto& sn : opt->get_snames()) spellings.push_back("-" + sn);
  };
  add_spellings(app.get_option_no_throw(name));  // an option of the program itself (hwplan-mpi's)
  for (const CLI::App* sub : app.get_subcommands()) {
    for (; sub != nullptr; sub = sub->get_subcommands().empty() ? nullptr : sub->get_subcommands().front()) {
      add_spellings(sub->get_option_no_throw(name));
    }
  }
  std::vector<std::string> values;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--") break;
    for (const auto& sp : spellings) {
      if (a == sp) {
        if (i + 1 < argc) values.emplace_back(argv[i + 1]);
        ++i;
        break;
      }
      if (a.rfind(sp + "=", 0) == 0) {
        values.push_back(a.substr(sp.size() + 1));
        break;
      }
    }
  }
  const std::size_t n = values.size();
  if (n < 2) return fmt::format("{} is given more than once; give it once", name);
  return fmt::format("{} is given {} ({}); give it once", name, n == 2 ? std::string("twice") : fmt::format("{} times", n),
                     fmt::join(values, ", "));
}

}  // namespace hw::cli
