// LLM serving with continuous batching, stepped iteration by iteration. Pure (no SimGrid):
// an LLM stream's requests only meet each other inside a replica, so the engine runs them
// here instead of as SimGrid actors, and adds the network's fixed latency to each request.
//
// A replica (one model copy over k accelerators, LlmExec) repeats iterations while it has
// work. At the start of an iteration it admits waiting requests, first come first served,
// while it runs fewer than max_sequences and the KV cache has room for the request's prompt
// plus its whole answer (reserved at admission, so nothing is ever evicted: TensorRT-LLM's
// GUARANTEED_NO_EVICT policy; vLLM instead reserves block by block and preempts). The
// iteration then takes one decode token from every sequence past its prompt and fills the
// rest of the token budget with prompt chunks (chunked prefill, oldest first). Its time is
// llm_iteration_time() (sim/hardware/llm_cost.hpp). When it ends, each decoding sequence has
// one more token; a sequence whose last prompt chunk ran has its first token; a sequence
// with all its tokens leaves and frees its KV cache.
//
// Static batching (for comparison, `continuous = false`): a replica admits only when it runs
// nothing, and runs that batch to its last token before admitting again.
//
// Requests go to the replica with the fewest requests (waiting plus running); one that could
// never fit a replica's KV cache is rejected.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "sim/run/types.hpp"

namespace hw {

struct LlmRequest {
  double arrival_s = 0;  // at the replicas
  int prompt = 1;        // tokens
  int output = 1;        // tokens (the first comes with the end of the prompt)
};

struct LlmOutcome {
  double first_token_s = -1;  // -1: not reached by the end
  double finish_s = -1;
  bool rejected = false;
};

struct LlmServeOptions {
  bool continuous = true;
  double stop_s = 0;                      // nothing happens after this
  // The measured window's earliest place and its length: tokens and busy time are counted over
  // [measured_from, measured_from + window_to - window_from], which starts at window_from or,
  // if the replicas are not yet in steady state then, once they are (LlmServeStats).
  double window_from = 0, window_to = 0;
};

struct LlmServeStats {
  std::vector<LlmOutcome> outcomes;  // per request, in the order given
  // The measured window, as long as [window_from, window_to]: it starts at the first arrival
  // plus the longest stay (arrival to last token) of the requests arriving in [window_from,
  // window_to) that finished, when that is later than window_from, so that it holds no ramp-up
  // (the replicas start empty); in whole 1/1000ths of the window, and it ends no later than the
  // stop nor than the last arrival (past window_to). When such a request is unfinished at the
  // stop though it would have finished at the pace of those that did (no first token, or its
  // first token + (output - 1) x their slowest TPOT <= the stop: overloaded replicas, no steady
  // state) it is [window_from, window_to].
  double measured_from = 0, measured_to = 0;
  double busy_s = 0;                 // iteration time inside the measured window (a batch in flight), all replicas
  double compute_s = 0;              // the same x each iteration's compute share (roofline compute term / iteration time)
  double output_tokens = 0;          // generated inside the measured window (by iteration end time)
  double prompt_tokens = 0;          // prefilled inside the measured window
  double iterations = 0;
  double running_sum = 0;            // sequences per iteration, summed over iterations
};

// Serves `requests` (sorted by arrival) on `replicas` replicas of `e`.
LlmServeStats serve_llm(const LlmExec& e, int replicas, const std::vector<LlmRequest>& requests, const LlmServeOptions& o);

// One draw of a token count (at least 1).
int draw_tokens(const LengthDistribution& d, std::mt19937_64& rng);

// The nearest-rank percentile p (0-100) of v (sorted here); 0 for an empty v.
double percentile_of(std::vector<double> v, double p);

// The LLM stream `stream_index` of `in`, run on its own: arrivals from every represented site,
// served by the stream's tier (SimInput::dc or ::edge, per site), with the network's one-way
// latency and transfer time added on the way there and back. Sets busy_fraction to the share
// of the measured window the replicas spend stepping (an iteration in flight), averaged over
// the replicas; returns the stream's result. With `traffic`, the stream's bytes are added to its
// links there as the engine counts every stream's (LinkResult bytes per day and peak
// utilisation, and backhaul_bytes_per_day): each request created in [0, duration) sends its
// payload and gets one `result` back per output token, over the site's access link, and over
// its backhaul too when the data centre serves it.
StreamResult run_llm_stream(const SimInput& in, std::size_t stream_index, double& busy_fraction, std::uint64_t& requests,
                            RunResult* traffic = nullptr);

// With a precision target (SimInput::target_precision > 0): what an LLM stream's result says
// about it. LLM streams are served apart from the event simulation, always over the whole
// duration (no early stop shortens them), so the run's stop sentence cannot speak for them:
// this phrase does. "not certified" when the stream completed fewer requests than its SLO
// percentile needs (min_samples_for_percentile) or its CI is wider than the target.
std::string llm_precision_note(const StreamResult& sr, double target_precision, double duration_s);

}  // namespace hw
