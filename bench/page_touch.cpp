// What it costs a new process to touch memory, by the kind of page: the part of a forked
// simulating child's time that does not depend on the simulation. Each line forks `reps`
// children; each child writes one byte to each of `pages` 4 KiB pages and reports the time
// of those writes alone (not the fork, not the mapping):
//   fresh        private anonymous memory the child maps (a page fault that allocates and zeroes)
//   shared       MAP_SHARED memory the parent mapped and wrote before the fork (the page exists:
//                the child's fault only installs the mapping)
//   cow          private memory the parent wrote before the fork (the child's write copies it)
//   populated    fresh memory the child first fills in one madvise(MADV_POPULATE_WRITE) call
//                (Linux 5.14+), then writes: the call's cost per page, then the writes'
//   huge         fresh memory in 2 MiB transparent huge pages (madvise MADV_HUGEPAGE)
// On a bare machine or a VM whose hypervisor maps guest memory with nested paging, "shared"
// and "populated" writes cost well under a microsecond a page. Where the writes to pages that
// already exist still cost microseconds, the cost is the first touch of a page in a new
// address space itself, which every process per simulation pays (bench/results.md).
//
//   build/release/bin/hwplan_bench_page_touch [pages] [reps]   (default 512, 50)
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace {

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

enum class Kind { Fresh, Shared, Cow, Populated, Huge };

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void* map_anon(std::size_t len, int flags) {
  void* p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    std::perror("mmap");
    std::exit(1);
  }
  return p;
}

// Microseconds per page for the child's writes, and for its populate call (Populated only).
struct Cost {
  double write_us = 0, populate_us = 0;
};

Cost measure(Kind kind, std::size_t pages, int reps) {
  const std::size_t len = pages * 4096;
  char* inherited = nullptr;
  if (kind == Kind::Shared || kind == Kind::Cow) {
    inherited = static_cast<char*>(map_anon(len, kind == Kind::Shared ? MAP_SHARED : MAP_PRIVATE));
    std::memset(inherited, 1, len);
  }
  Cost total;
  for (int r = 0; r < reps; ++r) {
    int fd[2];
    if (::pipe(fd) != 0) {
      std::perror("pipe");
      std::exit(1);
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
      char* m = inherited;
      Cost c;
      if (kind == Kind::Fresh || kind == Kind::Populated) m = static_cast<char*>(map_anon(len, MAP_PRIVATE));
      if (kind == Kind::Huge) {
        const std::size_t huge = std::size_t{2} << 20;
        auto base = reinterpret_cast<std::uintptr_t>(map_anon(len + huge, MAP_PRIVATE));
        m = reinterpret_cast<char*>((base + huge - 1) & ~(huge - 1));
        ::madvise(m, len, MADV_HUGEPAGE);
      }
      if (kind == Kind::Populated) {
        const auto t0 = std::chrono::steady_clock::now();
        if (::madvise(m, len, MADV_POPULATE_WRITE) != 0) c.populate_us = -1;
        else c.populate_us = seconds_since(t0) * 1e6 / static_cast<double>(pages);
      }
      const auto t0 = std::chrono::steady_clock::now();
      for (std::size_t k = 0; k < pages; ++k) m[k * 4096] = 2;
      c.write_us = seconds_since(t0) * 1e6 / static_cast<double>(pages);
      (void)!::write(fd[1], &c, sizeof c);
      ::_exit(0);
    }
    Cost c;
    if (pid < 0 || ::read(fd[0], &c, sizeof c) != static_cast<ssize_t>(sizeof c)) {
      std::fprintf(stderr, "a child failed\n");
      std::exit(1);
    }
    ::waitpid(pid, nullptr, 0);
    ::close(fd[0]);
    ::close(fd[1]);
    total.write_us += c.write_us / reps;
    total.populate_us += c.populate_us / reps;
  }
  if (inherited) ::munmap(inherited, len);
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t pages = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 512;
  const int reps = argc > 2 ? std::atoi(argv[2]) : 50;
  if (pages == 0 || reps <= 0) {
    std::fprintf(stderr, "usage: %s [pages > 0] [reps > 0]\n", argv[0]);
    return 2;
  }
  fmt::print("first writes of a forked child to {} pages, mean of {} children (microseconds a 4 KiB page)\n", pages, reps);
  fmt::print("  fresh private memory (fault, allocate, zero)       {:6.2f}\n", measure(Kind::Fresh, pages, reps).write_us);
  fmt::print("  shared memory the parent wrote (map only)          {:6.2f}\n", measure(Kind::Shared, pages, reps).write_us);
  fmt::print("  private memory the parent wrote (copy on write)    {:6.2f}\n", measure(Kind::Cow, pages, reps).write_us);
  const Cost p = measure(Kind::Populated, pages, reps);
  if (p.populate_us < 0) fmt::print("  populated first: MADV_POPULATE_WRITE not supported by this kernel\n");
  else fmt::print("  populated first (madvise {:.2f}), then the writes    {:6.2f}\n", p.populate_us, p.write_us);
  fmt::print("  fresh 2 MiB huge pages (per 4 KiB of them)         {:6.2f}\n", measure(Kind::Huge, pages, reps).write_us);
  return 0;
}
