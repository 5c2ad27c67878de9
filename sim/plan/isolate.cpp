#include "sim/plan/isolate.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "sim/engine/engine.hpp"
#include "sim/plan/result_json.hpp"

namespace hw {
namespace {

struct Child {
  pid_t pid = -1;
  int fd = -1;
  std::size_t index = 0;
  std::string out;
};

void write_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    off += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void child_main(const SimInput& in, int fd) {
  std::string payload;
  try {
    payload = to_json(simulate(in)).dump();
  } catch (const std::exception& e) {
    RunResult r;
    r.label = in.label;
    r.ok = false;
    r.error = e.what();
    payload = to_json(r).dump();
  }
  write_all(fd, payload);
  ::close(fd);
  std::fflush(nullptr);
  ::_exit(0);
}

RunResult failed(const SimInput& in, const std::string& why) {
  RunResult r;
  r.label = in.label;
  r.ok = false;
  r.error = why;
  return r;
}

}  // namespace

std::vector<RunResult> simulate_isolated(const std::vector<SimInput>& inputs, int jobs,
                                         const std::function<void(std::size_t, std::size_t)>& progress) {
  if (jobs <= 0) jobs = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  std::vector<RunResult> results(inputs.size());
  std::vector<Child> running;
  std::size_t next = 0, done = 0;
  while (done < inputs.size()) {
    while (next < inputs.size() && static_cast<int>(running.size()) < jobs) {
      int fds[2];
      if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
      std::fflush(nullptr);  // no buffered output may be duplicated into the child
      pid_t pid = ::fork();
      if (pid < 0) throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
      if (pid == 0) {
        ::close(fds[0]);
        child_main(inputs[next], fds[1]);
      }
      ::close(fds[1]);
      running.push_back(Child{pid, fds[0], next, {}});
      ++next;
    }
    std::vector<pollfd> pfds;
    for (const auto& c : running) pfds.push_back(pollfd{c.fd, POLLIN, 0});
    if (::poll(pfds.data(), pfds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(fmt::format("poll: {}", std::strerror(errno)));
    }
    for (std::size_t i = 0; i < running.size();) {
      Child& c = running[i];
      bool finished = false;
      if (pfds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
        char buf[65536];
        ssize_t n = ::read(c.fd, buf, sizeof buf);
        if (n > 0) {
          c.out.append(buf, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
          finished = true;
        }
      }
      if (!finished) {
        ++i;
        continue;
      }
      ::close(c.fd);
      int status = 0;
      while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
      }
      const SimInput& in = inputs[c.index];
      if (WIFSIGNALED(status)) {
        results[c.index] = failed(in, fmt::format("simulation process killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status))));
      } else if (c.out.empty()) {
        results[c.index] = failed(in, fmt::format("simulation process exited with status {} and no result", WEXITSTATUS(status)));
      } else {
        try {
          results[c.index] = run_result_from_json(nlohmann::json::parse(c.out));
        } catch (const std::exception& e) {
          results[c.index] = failed(in, std::string("unreadable result from simulation process: ") + e.what());
        }
      }
      ++done;
      if (progress) progress(done, inputs.size());
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
      pfds.erase(pfds.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  return results;
}

}  // namespace hw
