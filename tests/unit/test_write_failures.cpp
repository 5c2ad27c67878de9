// The atomic writer, the result cache and the sweep's --out lock when the system refuses:
// a write that fails leaves no temporary file and names the file and the reason; a cache
// that cannot be written warns once per folder; a second lock on one file is refused.
// A full disk is stood in for by RLIMIT_FSIZE, set in a forked child (write() then fails
// with EFBIG, as it fails with ENOSPC on a full disk).
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/core/files.hpp"
#include "sim/run/cache.hpp"
#include "sim/sweep/results.hpp"

namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("hwplan-write-failures-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

int temp_files(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) n += e.path().filename().string().find(".tmp.") != std::string::npos ? 1 : 0;
  return n;
}

// Runs `body` in a child whose files may hold at most `bytes`; its exit status.
template <class F>
int with_file_size_limit(rlim_t bytes, F body) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit l{bytes, bytes};
    ::setrlimit(RLIMIT_FSIZE, &l);
    ::_exit(body());
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

int g_warnings = 0;
std::string g_warned_dir, g_warned_reason;
void count_warning(const std::string& dir, const std::string& reason) {
  ++g_warnings;
  g_warned_dir = dir;
  g_warned_reason = reason;
}

}  // namespace

TEST_CASE("a write that fails names the file and the reason, removes its temporary file and keeps the old content") {
  const fs::path d = scratch("atomic");
  const std::string path = (d / "out.csv").string();
  { std::ofstream(path) << "old\n"; }
  // 1000 bytes into files of at most 64: the write fails part way.
  const int rc = with_file_size_limit(64, [&] {
    try {
      hw::write_file_atomic(path, std::string(1000, 'x'));
      return 1;  // it should have thrown
    } catch (const hw::FileWriteError& e) {
      const bool named = e.path() == path && e.reason() == "File too large" &&
                         std::string(e.what()) == "cannot write " + path + ": File too large";
      return named ? 0 : 2;
    }
  });
  CHECK(rc == 0);
  CHECK(temp_files(d) == 0);  // before: a 64-byte out.csv.tmp.PID.0 stayed
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);
  CHECK(line == "old");
  // The durable variant (a sweep's result file) the same.
  CHECK(with_file_size_limit(64, [&] {
          try {
            hw::write_file_atomic(path, std::string(1000, 'x'), true);
            return 1;
          } catch (const hw::FileWriteError&) {
            return 0;
          }
        }) == 0);
  CHECK(temp_files(d) == 0);
  fs::remove_all(d);
}

TEST_CASE("a result cache that cannot be written warns once per folder, stops trying and leaves nothing") {
  const fs::path d = scratch("cache");
  hw::SimInput in;
  in.label = "a";
  hw::RunResult r;
  r.ok = true;
  r.label = "a";
  const int rc = with_file_size_limit(16, [&] {
    hw::set_cache_write_warning(&count_warning);
    hw::ResultCache one(d.string(), "build");
    hw::ResultCache two(d.string(), "build");  // a sweep's next variant: same folder, its own cache
    one.put(in, r);
    in.label = "b";
    r.label = "b";  // the result of that input (the cache stores no other: run_result_problem)
    one.put(in, r);
    two.put(in, r);
    hw::set_cache_write_warning(nullptr);
    const bool ok = g_warnings == 1 && g_warned_dir == d.string() && g_warned_reason == "File too large" && one.write_errors() == 2 &&
                    two.write_errors() == 1;
    return ok ? 0 : 1;
  });
  CHECK(rc == 0);
  CHECK(temp_files(d) == 0);
  fs::remove_all(d);
}

TEST_CASE("a second lock on a sweep's result file is refused with the holder's pid. a stale lock file is taken over") {
  const fs::path d = scratch("lock");
  const std::string out = (d / "s.csv").string();
  const fs::path lock_file = d / ".s.csv.lock";
  { std::ofstream(lock_file) << "12345\n"; }  // left by a sweep that died: no flock on it
  {
    hw::sweep::OutputLock held(out);
    CHECK(held.lock_path() == lock_file.string());
    // The same process opens the file anew: flock locks belong to the open file, so this
    // is refused as another process would be.
    std::string msg;
    try {
      hw::sweep::OutputLock second(out);
    } catch (const hw::UsageError& e) {
      msg = e.what();
    }
    CHECK(msg == out + " is being written by another hwplan sweep (pid " + std::to_string(::getpid()) +
                     "); wait for it or choose another --out");
  }
  CHECK_FALSE(fs::exists(lock_file));  // removed with the lock
  fs::remove_all(d);
}

TEST_CASE("an output in /proc names the file system that takes no new files, not a missing folder") {
  if (!std::filesystem::is_directory("/proc/self")) return;  // no /proc here
  for (const std::string path : {"/proc/version", "/proc/hwplan-x.csv"}) {
    CAPTURE(path);
    std::string why;
    try {
      hw::check_output(path, {}, hw::OutputKinds::file_only);
    } catch (const std::runtime_error& e) {
      why = e.what();
    }
    // Was "cannot write to the folder of /proc/version: No such file or directory".
    CHECK(why.find("cannot write to the folder of " + path + ": /proc is on the proc file system, which takes no new files") !=
          std::string::npos);
  }
}

namespace {
std::string output_refusal(const std::string& path) {
  try {
    (void)hw::check_output(path, {}, hw::OutputKinds::file_only);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "accepted";
}
}  // namespace

TEST_CASE("an output whose folder cannot be created names that folder and the system's reason") {
  const fs::path d = scratch("mkdir");
  const fs::path ro = d / "ro";
  fs::create_directories(ro);
  // Made unwritable the way this user can: immutable as root (a root process writes through
  // mode bits), else mode 0555.
  bool locked = false;
  if (::geteuid() == 0) {
    locked = std::system(("chattr +i '" + ro.string() + "' 2>/dev/null").c_str()) == 0;
  } else {
    fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
    locked = true;
  }
  if (locked) {
    const std::string path = (ro / "new" / "deeper" / "x.csv").string();
    const std::string why = output_refusal(path);
    CAPTURE(why);
    // Was "cannot write to the folder of ro/new/x.csv: No such file or directory".
    CHECK(why.rfind("cannot create the folder " + (ro / "new").string() + " for " + path + ": ", 0) == 0);
    CHECK(why.find(::geteuid() == 0 ? "Operation not permitted" : "Permission denied") != std::string::npos);
    CHECK(why.find("No such file") == std::string::npos);
    if (::geteuid() == 0) {
      [[maybe_unused]] const int rc = std::system(("chattr -i '" + ro.string() + "'").c_str());
    } else {
      fs::permissions(ro, fs::perms::owner_all);
    }
  } else {
    MESSAGE("chattr +i is not available here: the unwritable-folder case is not checked");
  }
  // A file where a folder should be: named as such.
  std::ofstream(d / "a.txt") << "x";
  const std::string why = output_refusal((d / "a.txt" / "new" / "x.csv").string());
  CAPTURE(why);
  CHECK(why.find((d / "a.txt").string() + " is a file, not a folder") != std::string::npos);
  fs::remove_all(d);
}
