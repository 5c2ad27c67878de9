#include "sim/core/files.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <fmt/format.h>
#include <poll.h>
#include <stdio_ext.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace hw {

FileWriteError::FileWriteError(std::string path, std::string reason)
    : std::runtime_error(fmt::format("cannot write {}: {}", path, reason)), path_(std::move(path)), reason_(std::move(reason)) {}

void write_file_atomic(const std::string& path, const std::string& content, bool durable) {
  namespace fs = std::filesystem;
  fs::path target(path);
  if (target.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
  }
  // Unique per call: threads of one process (a sweep's variants, each caching the same
  // result) may write the same path at once; each renames its own complete file.
  static std::atomic<unsigned long> counter{0};
  const std::string tmp = fmt::format("{}.tmp.{}.{}", path, ::getpid(), counter.fetch_add(1));
  // The file it replaces keeps its permission bits (a 0640 report stays 0640, not the new
  // file's 0644), and its owner and group where this process may give them (as root).
  struct stat old {};
  const bool replaces = ::stat(path.c_str(), &old) == 0 && S_ISREG(old.st_mode);
  // A new file is created with no permission for others until its bits are set: nobody can
  // open it meanwhile through the bits it would have had.
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, replaces ? 0600 : 0644);
  if (fd < 0) throw FileWriteError(path, std::strerror(errno));
  // Every failure from here on removes the temporary file: a full disk leaves no debris.
  auto fail = [&](int err, bool open) {
    if (open) ::close(fd);
    ::unlink(tmp.c_str());
    throw FileWriteError(path, std::strerror(err));
  };
  if (replaces) {
    if (old.st_uid != ::geteuid() || old.st_gid != ::getegid()) {
      // Only root may give a file away; a user may give it a group of theirs. When the old
      // group cannot be kept, the new file has this user's group: the group's bits are
      // dropped, so that no other group gains access.
      if (::fchown(fd, old.st_uid, old.st_gid) != 0 && ::fchown(fd, static_cast<uid_t>(-1), old.st_gid) != 0) {
        old.st_mode &= ~static_cast<mode_t>(S_IRWXG);
      }
    }
    // A file system without permission bits (vfat) refuses: the file stays 0600, never more
    // open than the old one.
    (void)::fchmod(fd, old.st_mode & 0777);
  }
  std::size_t off = 0;
  while (off < content.size()) {
    const ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(n < 0 ? errno : ENOSPC, true);
    off += static_cast<std::size_t>(n);
  }
  if (durable && ::fdatasync(fd) != 0) fail(errno, true);
  if (::close(fd) != 0) fail(errno, false);  // NFS and some full disks report here
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail(errno, false);
}

namespace {

// What a node that is not a regular file is, for the message that refuses it.
std::string node_kind(const std::filesystem::file_status& st) {
  namespace fs = std::filesystem;
  if (fs::is_fifo(st)) return "a FIFO (named pipe)";
  if (fs::is_character_file(st)) return "a character device";
  if (fs::is_block_file(st)) return "a block device";
  if (fs::is_socket(st)) return "a socket";
  return "not a regular file";
}

bool is_dev_null(const std::filesystem::path& p) {
  struct stat a {}, b {};
  return ::stat(p.c_str(), &a) == 0 && ::stat("/dev/null", &b) == 0 && S_ISCHR(a.st_mode) && a.st_rdev == b.st_rdev;
}

}  // namespace

OutputTarget check_output(const std::string& path, const std::vector<std::string>& inputs, OutputKinds kinds) {
  namespace fs = std::filesystem;
  OutputTarget t{path, path, false, false};
  if (path.empty()) throw std::runtime_error("no output path given");
  if (path == "-" || path == "/dev/stdout" || path == "/dev/fd/1" || path == "/proc/self/fd/1") {  // not the file it points to
    t.to_stdout = true;
    return t;
  }
  std::error_code ec;
  fs::path p(path);
  for (int hops = 0; fs::is_symlink(fs::symlink_status(p, ec)); ++hops) {  // even a dangling one: write its target
    if (hops == 40) throw std::runtime_error(fmt::format("{}: too many levels of symbolic links", path));
    const fs::path to = fs::read_symlink(p, ec);
    if (ec) throw std::runtime_error(fmt::format("{}: cannot follow the symbolic link: {}", path, ec.message()));
    p = to.is_absolute() ? to : p.parent_path() / to;
    t.resolved = p.string();
  }
  const auto st = fs::status(p, ec);
  if (fs::exists(st)) {
    if (fs::is_directory(st)) throw std::runtime_error(fmt::format("{} is a directory; give a file path", path));
    for (const auto& in : inputs) {
      if (!in.empty() && in != "-" && fs::equivalent(p, in, ec)) {
        throw std::runtime_error(fmt::format("{} is the input file {}; writing the report there would destroy it", path, in));
      }
    }
    if (!fs::is_regular_file(st)) {
      if (is_dev_null(p)) {
        t.in_place = true;
        return t;
      }
      throw std::runtime_error(fmt::format("{}{} is {}, not a regular file; give a file path (a new file is written, then renamed "
                                           "over it){}",
                                           path, t.resolved != path ? " (via " + t.resolved + ")" : std::string(), node_kind(st),
                                           kinds == OutputKinds::file_or_stdout ? ", or - for standard output" : ""));
    }
  }
  // The folder must exist (it is created) and take a new file: try one.
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (!fs::create_directories(dir, ec) && ec) {
    // Name the folder that could not be made (the first missing one: 'ro/new' inside an
    // immutable 'ro'), with the system's reason, not the probe's later "No such file".
    fs::path missing = dir;
    for (fs::path up = dir; up.has_parent_path() && up.parent_path() != up; up = up.parent_path()) {
      std::error_code e2;
      if (fs::exists(fs::symlink_status(up.parent_path(), e2))) break;
      missing = up.parent_path();
    }
    std::error_code e3;
    const fs::path above = missing.has_parent_path() ? missing.parent_path() : fs::path(".");
    if (const auto st_above = fs::status(above, e3); fs::exists(st_above) && !fs::is_directory(st_above)) {
      throw std::runtime_error(fmt::format("cannot create the folder of {}: {} is a file, not a folder", path, above.string()));
    }
    throw std::runtime_error(fmt::format("cannot create the folder {} for {}: {}", missing.string(), path, ec.message()));
  }
  const std::string probe = (dir / fmt::format(".hwplan-write-test.{}", ::getpid())).string();
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    // The folder exists, yet creating a file in it says "No such file or directory": a virtual
    // file system (/proc, /sys) that takes no new files. Say that, not the misleading errno.
    struct statfs fsinfo {};
    if (err == ENOENT && fs::is_directory(dir, ec) && ::statfs(dir.c_str(), &fsinfo) == 0) {
      const char* kind = fsinfo.f_type == PROC_SUPER_MAGIC ? "the proc file system"
                         : fsinfo.f_type == SYSFS_MAGIC   ? "sysfs"
                                                          : "a file system";
      throw std::runtime_error(fmt::format("cannot write to the folder of {}: {} is on {}, which takes no new files "
                                           "(creating one there fails with \"{}\"); give a path on an ordinary disk",
                                           path, dir.string(), kind, std::strerror(err)));
    }
    throw std::runtime_error(fmt::format("cannot write to the folder of {}: {}", path, std::strerror(err)));
  }
  ::close(fd);
  ::unlink(probe.c_str());
  return t;
}

void write_output(const OutputTarget& t, const std::string& content) {
  if (t.to_stdout) {
    std::fflush(stdout);
    if (std::fwrite(content.data(), 1, content.size(), stdout) != content.size() || std::fflush(stdout) != 0) {
      throw FileWriteError("the report to standard output", std::strerror(errno));
    }
    return;
  }
  if (!t.in_place) {
    write_file_atomic(t.resolved, content);
    return;
  }
  const int fd = ::open(t.resolved.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw FileWriteError(t.path, std::strerror(errno));
  std::size_t off = 0;
  while (off < content.size()) {
    const ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      throw FileWriteError(t.path, why);
    }
    off += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw FileWriteError(t.path, std::strerror(errno));
}

bool flush_stdout(std::string& reason, int known) {
  errno = 0;
  if (std::fflush(stdout) == 0 && std::ferror(stdout) == 0) return true;
  int err = known != 0 ? known : errno;
  if (err == 0) {
    // The write that failed was an earlier one whose errno is gone: an empty write asks the
    // descriptor again (ENOSPC from /dev/full, EBADF from a closed one) without writing.
    errno = 0;
    if (::write(STDOUT_FILENO, "", 0) < 0) err = errno;
  }
  if (err == 0) {
    // An empty write to a pipe succeeds even when its reader has gone: poll() says so (POLLERR).
    pollfd p{STDOUT_FILENO, POLLOUT, 0};
    if (::poll(&p, 1, 0) == 1 && (p.revents & POLLERR) != 0) err = EPIPE;
  }
  reason = err != 0 ? std::strerror(err) : "a write failed (the system gave no reason)";
  ::__fpurge(stdout);
  std::clearerr(stdout);
  return false;
}

std::string regular_input_problem(const std::string& path, std::uint64_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (!fs::exists(st)) return ec && ec != std::errc::no_such_file_or_directory ? "cannot be read: " + ec.message() : "does not exist";
  if (fs::is_directory(st)) return "is a directory, expected a file";
  if (!fs::is_regular_file(st)) {
    const std::string kind = node_kind(st);
    return kind == "not a regular file" ? "is " + kind : fmt::format("is {}, not a regular file", kind);
  }
  const auto bytes = fs::file_size(path, ec);
  if (ec) return "cannot be read: " + ec.message();
  if (bytes > max_bytes) return fmt::format("has {} bytes, above the limit of {}", bytes, max_bytes);
  return "";
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace hw
