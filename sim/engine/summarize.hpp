// From what a run collected to its RunResult: the arithmetic that turns the engine's raw
// counters (per-batch latency histograms and counts, busy time, queue areas, bytes per link,
// clocks) into percentiles with confidence intervals, throughput, utilisation, energy and
// traffic scaled to every represented site. Pure: no SimGrid, no clock, no files, so that
// it can be unit-tested on hand-built counters (tests/unit/test_summarize.cpp). The engine
// (sim/engine/engine.cpp) fills a Collected while it simulates and calls summarize() once.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/stats.hpp"
#include "sim/run/types.hpp"

namespace hw {

// One stream, per batch of the measured window (batches by the requests' creation time;
// vectors as long as the run's batch count, of which the first Collected::counted_batches
// count).
struct StreamCounts {
  std::vector<LogHistogram> latency;        // latencies of the requests completed
  std::vector<std::uint64_t> created;       // requests created (after warm-up)
  std::vector<std::uint64_t> above_slo;     // completed with a latency above the SLO bound
  std::vector<std::uint64_t> dropped;       // refused by a full queue
};

// One unit (an edge unit of a simulated site, or a data-centre server).
// UnitCounts::site_kind of one of the edge job site's units beyond its stream units
// (TierSpec::job_units): it stands for itself alone (that one site has it), serves no stream,
// and counts in the tier's units and power, not in its utilisation or queues.
inline constexpr int kJobSiteUnit = -2;

struct UnitCounts {
  Tier tier = Tier::edge;
  int slots = 1;
  double busy_slot_s = 0;               // service time on its slots over the run
  double energy_j = 0;                  // from t = 0 to the end of the streams' measurement
  std::vector<double> queue_area;       // per batch: integral of the number of waiting requests (request-seconds)
  std::vector<std::size_t> queue_max;   // per batch: the most requests waiting at once
  int site_kind = -1;                   // edge: index into SimInput::sites of its site (-1: unknown, scaled by all sites;
                                        // kJobSiteUnit: a job site's unit for batch jobs only, standing for itself)
  double decoder_s = 0;                 // video decoder work that reached its decoders (all sets), seconds
};

// One simulated site instance; bytes sent over its links (counted when sent).
struct SiteCounts {
  int kind = 0;  // index into SimInput::sites
  double access_up = 0, access_down = 0, backhaul_up = 0, backhaul_down = 0;
  double backhaul_bytes = 0;  // both directions (summed as sent, in that order)
};

struct JobTimes {
  double upload_end = 0, compute_start = 0, compute_end = 0;  // simulated seconds from t = 0
};

// A stream with fewer completed requests than its SLO percentile needs to be certified
// (min_samples_for_percentile, sim/core/certify.hpp).
struct ShortStream {
  std::string id;
  std::uint64_t done = 0;
  double needed = 0;
  double percentile = 99;
};

struct Collected {
  double clock = 0;                 // simulated time when the run ended (batch jobs may run on)
  double end_time = 0;              // end of the streams' measurement: tier and link figures cover [0, end_time]
  double arrival_end = 0;           // when the streams stopped creating requests (the duration, or an early
                                    // stop); the work and traffic of [0, end_time] is theirs, so rates are
                                    // taken over [0, arrival_end] (0: use end_time)
  std::uint64_t requests = 0;       // requests simulated (RunResult::events)
  std::size_t counted_batches = 0;  // batches of the measured window that count
  double batch_len = 0;             // seconds per batch
  std::string stop_reason;          // an early stop's sentence (precision, overload); empty: ran to its cap
  double last_precision = INFINITY; // the last precision check's relative half-width (precision runs)
  std::string unchecked_stream;     // when that check could not be made: the stream with a batch that completed no request
  std::optional<ShortStream> short_stream;  // at the last check: a stream too short to certify (precision runs)
  std::optional<Overload> overload; // set when the run was stopped for a growing backlog
  std::vector<StreamCounts> streams;  // one per SimInput::streams
  std::vector<UnitCounts> units;      // every simulated unit, in a fixed order
  std::vector<SiteCounts> sites;      // every simulated site instance, in order
  std::vector<JobTimes> jobs;         // one per SimInput::jobs
};

// The result of a run from its input and what it collected. wall_time_s is left at 0 (the
// caller measures it). Deterministic: the same Collected gives the same bits.
RunResult summarize(const SimInput& in, const Collected& c);

// A simulated time for a stop reason: "9.75 s" and "3600 s" (four significant figures) below
// 10,000 s, then in the largest unit it reaches ("2.78 h", "104 d"), never in exponent form.
std::string format_sim_time(double seconds);

// How many batches a run's measured window is cut into (batch means): 40 for a run that stops
// on precision, else the input's batch_means (at least 2). The engine's batches, and the
// earliest-stop bound of budget_exceeded_before_any_stop (overload.hpp).
std::size_t run_batches(const SimInput& in);

// A CI's relative half-width (a fraction) as a percentage for a stop reason: two figures
// ("1.4%", "0.25%"), "under 0.01%" below that (a run whose every batch had the same
// latency has a half-width of 1e-16, which read "1.4e-14%"), never in exponent form.
std::string format_half_width_percent(double fraction);

}  // namespace hw
