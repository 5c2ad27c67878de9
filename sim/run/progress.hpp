// Progress of the one simulation a process runs, as the fraction of its simulated time done
// (0 to 1). The engine reports it; a runner's child sets a sink that forwards it to the
// parent as a line "~0.43" on the result pipe, before the result (a JSON object, so it never
// starts with '~'). With no sink set, reporting does nothing: the engine stays free of any
// output of its own.
#pragma once

#include <atomic>

namespace hw {

using SimProgressSink = void (*)(double fraction) noexcept;

inline std::atomic<SimProgressSink> g_sim_progress_sink{nullptr};

inline void set_sim_progress_sink(SimProgressSink sink) noexcept { g_sim_progress_sink.store(sink); }
inline void report_sim_progress(double fraction) noexcept {
  if (const SimProgressSink s = g_sim_progress_sink.load()) s(fraction);
}

// The first character of a progress line on a child's result pipe.
inline constexpr char kProgressMark = '~';

}  // namespace hw
