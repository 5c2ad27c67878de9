#pragma once
// Running one loop body on several threads of this process.

#include <cstddef>
#include <system_error>
#include <thread>
#include <vector>

namespace hw {

// Runs `work` on `threads` threads at once, this one included, and returns when all have
// returned. `work` takes its items from a shared counter of its own and keeps its own
// results and errors. When the system refuses a thread (the process limit), those that
// started share the work; with none, this thread does it all. An exception from `work`
// on this thread is rethrown once the others have finished.
template <class Work>
void run_on_threads(std::size_t threads, Work& work) {
  std::vector<std::thread> pool;
  for (std::size_t k = 1; k < threads; ++k) {
    try {
      pool.emplace_back([&work] { work(); });
    } catch (const std::system_error&) {
      break;
    }
  }
  try {
    work();
  } catch (...) {
    for (auto& t : pool) t.join();
    throw;
  }
  for (auto& t : pool) t.join();
}

}  // namespace hw
