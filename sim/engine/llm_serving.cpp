#include "sim/engine/llm_serving.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/certify.hpp"
#include "sim/engine/overload.hpp"
#include "sim/engine/arrivals.hpp"
#include "sim/engine/summarize.hpp"
#include "sim/hardware/llm_cost.hpp"

namespace hw {
namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();

struct Seq {
  int req = 0;
  int prompt = 1, output = 1;
  int prefilled = 0;   // prompt tokens whose KV cache is written
  int generated = 0;   // output tokens produced (the first with the last prompt chunk)
  int chunk = 0;       // this iteration: -1 = one decode token, > 0 = prompt tokens, 0 = idle
};

struct Replica {
  std::deque<int> waiting;  // request indices
  std::vector<Seq> running;
  double kv_used = 0;       // tokens reserved
  bool busy = false;
  double iter_end = kNever;
};

// Time inside [a, b] of the interval [x, y].
double overlap(double x, double y, double a, double b) { return std::max(0.0, std::min(y, b) - std::max(x, a)); }

class Server {
 public:
  Server(const LlmExec& e, int replicas, const std::vector<LlmRequest>& reqs, const LlmServeOptions& o)
      : e_(e), reqs_(reqs), o_(o), reps_(static_cast<std::size_t>(std::max(1, replicas))) {
    st_.outcomes.resize(reqs.size());
    // The counters go into bins of 1/m of the window from window_from on, up to the stop, so
    // that the window can slide whole bins later once the steady state is known (measured()).
    const double window = o_.window_to - o_.window_from;
    const double span = o_.stop_s - o_.window_from;
    if (window > 0 && span > 0) {
      constexpr double kMaxBins = 1 << 20;
      m_ = static_cast<std::size_t>(std::clamp(std::floor(kMaxBins * window / span), 1.0, 1000.0));
      bin_s_ = window / static_cast<double>(m_);
      bins_.resize(static_cast<std::size_t>(std::ceil(span / bin_s_)) + 2);
    }
  }

  LlmServeStats run() {
    std::size_t next = 0;
    for (;;) {
      const double t_arr = next < reqs_.size() ? reqs_[next].arrival_s : kNever;
      Replica* first = nullptr;
      for (auto& r : reps_) {
        if (r.busy && (first == nullptr || r.iter_end < first->iter_end)) first = &r;
      }
      const double t_it = first ? first->iter_end : kNever;
      const double t = std::min(t_arr, t_it);
      if (!std::isfinite(t) || t > o_.stop_s) break;
      if (t_arr <= t_it) {
        // Every request arriving at this instant first, so that they can share an iteration.
        while (next < reqs_.size() && reqs_[next].arrival_s == t_arr) route(static_cast<int>(next++));
        for (auto& r : reps_) {
          if (!r.busy && !r.waiting.empty()) start_iteration(r, t_arr);
        }
      } else {
        end_iteration(*first, t_it);
        start_iteration(*first, t_it);
      }
    }
    measured();
    return std::move(st_);
  }

 private:
  struct Bin {
    double output = 0, prompt = 0, busy = 0, compute = 0;
  };

  // The bin of an instant at or after window_from (and at or before the stop); null otherwise.
  Bin* bin_at(double t) {
    if (bins_.empty() || t < o_.window_from || t > o_.stop_s) return nullptr;
    return &bins_[std::min(bins_.size() - 1, static_cast<std::size_t>((t - o_.window_from) / bin_s_))];
  }

  // Spreads an iteration's stepping [t, end] over the bins it overlaps.
  void add_stepping(double t, double end, double compute_share) {
    if (bins_.empty() || end <= o_.window_from) return;
    auto k = static_cast<std::size_t>(std::max(0.0, (t - o_.window_from) / bin_s_));
    for (; k < bins_.size(); ++k) {
      const double from = o_.window_from + static_cast<double>(k) * bin_s_;
      if (from >= end || from >= o_.stop_s) break;
      const double in = overlap(t, end, from, std::min(from + bin_s_, o_.stop_s));
      bins_[k].busy += in;
      bins_[k].compute += in * compute_share;
    }
  }

  // The measured window: as long as [window_from, window_to], starting once the replicas are in
  // steady state. They start empty at the first arrival, so the tokens emitted per second ramp
  // up until the requests in flight are as many as they will stay: until the first arrival plus
  // the longest time a request arriving in [window_from, window_to) stays (arrival to last
  // token), over those that finished by the stop. Measured earlier, the window would hold part
  // of the ramp and report fewer tokens per second than arrive, the fewer the slower the
  // replicas (a longer ramp). The window slides that late, in whole bins, but it ends no later
  // than the arrivals do (the last arrival, when that is past window_to: after it the replicas
  // drain, emitting fewer tokens than arrived) nor than the stop.
  // A measured request may be unfinished at the stop only because its answer is longer than
  // the time left (2048 tokens at 15 ms each take 31 s), while the replicas keep up. They are
  // overloaded when a measured request is unfinished at the stop though it would have finished
  // at the pace of those that did: it still waits for its first token, or its first token plus
  // its other tokens at the slowest TPOT (last token - first token over output - 1) of the
  // finished measured requests come before the stop. Then the requests wait ever longer in a
  // queue that grows, or decode ever slower in a batch that grows: there is no steady state to
  // wait for, and the window stays where it is (what the replicas delivered while the measured
  // requests arrived, less than what arrived).
  void measured() {
    if (bins_.empty()) return;
    double first = kNever, last = -kNever, stay = 0, tpot = 0;
    auto measured_at = [&](std::size_t i) {
      const double a = reqs_[i].arrival_s;
      return a >= o_.window_from && a < o_.window_to && !st_.outcomes[i].rejected;
    };
    for (std::size_t i = 0; i < reqs_.size(); ++i) {
      const double a = reqs_[i].arrival_s;
      first = std::min(first, a);
      last = std::max(last, a);
      const LlmOutcome& out = st_.outcomes[i];
      if (!measured_at(i) || out.finish_s < 0) continue;
      stay = std::max(stay, out.finish_s - a);
      if (reqs_[i].output > 1) tpot = std::max(tpot, (out.finish_s - out.first_token_s) / (reqs_[i].output - 1));
    }
    bool overloaded = false;
    for (std::size_t i = 0; i < reqs_.size() && !overloaded; ++i) {
      const LlmOutcome& out = st_.outcomes[i];
      if (!measured_at(i) || out.finish_s >= 0) continue;
      overloaded = out.first_token_s < 0 || out.first_token_s + (reqs_[i].output - 1) * tpot <= o_.stop_s;
    }
    const double end = std::min(o_.stop_s, std::max(o_.window_to, last));
    const double latest = std::floor((end - o_.window_to) / bin_s_ + 1e-9);
    double k = overloaded ? 0.0 : std::ceil((first + stay - o_.window_from) / bin_s_ - 1e-9);
    k = std::clamp(k, 0.0, std::max(0.0, latest));
    const auto k0 = static_cast<std::size_t>(k);
    for (std::size_t j = k0; j < std::min(bins_.size(), k0 + m_); ++j) {
      st_.output_tokens += bins_[j].output;
      st_.prompt_tokens += bins_[j].prompt;
      st_.busy_s += bins_[j].busy;
      st_.compute_s += bins_[j].compute;
    }
    st_.measured_from = o_.window_from + k * bin_s_;
    st_.measured_to = st_.measured_from + static_cast<double>(m_) * bin_s_;
  }

  void route(int i) {
    const LlmRequest& q = reqs_[static_cast<std::size_t>(i)];
    if (q.prompt + q.output > e_.kv_capacity_tokens) {
      st_.outcomes[static_cast<std::size_t>(i)].rejected = true;
      return;
    }
    Replica* best = &reps_.front();
    for (auto& r : reps_) {
      if (r.waiting.size() + r.running.size() < best->waiting.size() + best->running.size()) best = &r;
    }
    best->waiting.push_back(i);
  }

  void start_iteration(Replica& r, double t) {
    // Continuous batching admits at every iteration; static batching only into an empty replica.
    const bool may_admit = o_.continuous || r.running.empty();
    while (may_admit && !r.waiting.empty() && static_cast<int>(r.running.size()) < e_.max_sequences) {
      const LlmRequest& q = reqs_[static_cast<std::size_t>(r.waiting.front())];
      const double need = q.prompt + q.output;
      if (r.kv_used + need > e_.kv_capacity_tokens) break;
      r.running.push_back(Seq{r.waiting.front(), q.prompt, q.output, 0, 0, 0});
      r.kv_used += need;
      r.waiting.pop_front();
    }
    r.busy = false;
    r.iter_end = kNever;
    if (r.running.empty()) return;
    // One decode token per sequence past its prompt, then prompt chunks, within the budget.
    double budget = e_.token_budget, tokens = 0, context = 0, pairs = 0;
    for (auto& s : r.running) {
      s.chunk = 0;
      if (s.prefilled < s.prompt || budget < 1) continue;
      const double ctx = s.prompt + s.generated;
      s.chunk = -1;
      budget -= 1;
      tokens += 1;
      context += ctx;
      pairs += ctx + 1;
    }
    for (auto& s : r.running) {
      if (s.prefilled >= s.prompt || budget < 1) continue;
      const int c = static_cast<int>(std::min<double>(s.prompt - s.prefilled, budget));
      s.chunk = c;
      budget -= c;
      tokens += c;
      context += s.prefilled;
      pairs += static_cast<double>(c) * s.prefilled + 0.5 * c * (c + 1.0);
    }
    if (tokens <= 0) return;
    const double dt = llm_iteration_time(e_.cost, tokens, context, pairs);
    r.busy = true;
    r.iter_end = t + dt;
    // Busy = an iteration in flight: the GPU is stepping, and draws power for it, whether the
    // step is compute-bound or (decode) memory-bound. The compute term's share of the step is
    // kept apart (compute_s): how much of the arithmetic the batch uses, not how busy the GPU is.
    const double compute = e_.cost.compute_per_token_s * (tokens + e_.cost.compute_half_tokens) + e_.cost.attention_per_pair_s * pairs;
    add_stepping(t, r.iter_end, std::min(1.0, compute / dt));
    st_.iterations += 1;
    st_.running_sum += static_cast<double>(r.running.size());
  }

  void end_iteration(Replica& r, double t) {
    Bin* bin = bin_at(t);
    for (auto& s : r.running) {
      auto& out = st_.outcomes[static_cast<std::size_t>(s.req)];
      if (s.chunk == -1) {
        ++s.generated;
        if (bin) bin->output += 1;
      } else if (s.chunk > 0) {
        s.prefilled += s.chunk;
        if (bin) bin->prompt += s.chunk;
        if (s.prefilled >= s.prompt) {
          s.generated = 1;
          out.first_token_s = t;
          if (bin) bin->output += 1;
        }
      }
      s.chunk = 0;
      if (s.generated >= s.output) out.finish_s = t;
    }
    auto done = std::remove_if(r.running.begin(), r.running.end(), [&](const Seq& s) {
      if (s.generated < s.output) return false;
      r.kv_used -= s.prompt + s.output;
      return true;
    });
    r.running.erase(done, r.running.end());
    r.busy = false;
    r.iter_end = kNever;
  }

  const LlmExec& e_;
  const std::vector<LlmRequest>& reqs_;
  LlmServeOptions o_;
  std::vector<Replica> reps_;
  LlmServeStats st_;
  std::vector<Bin> bins_;  // from window_from, bin_s_ each
  std::size_t m_ = 0;      // bins per window
  double bin_s_ = 0;
};

// Seconds to move `bytes` one way over the site's links (the data centre's path adds the backhaul and the fabric).
double one_way_s(const SiteExec& site, bool to_dc, double fabric_s, double bytes) {
  auto hop = [&](const LinkSpec& l) { return l.latency.si() + (l.bandwidth.si() > 0 ? bytes * 8.0 / l.bandwidth.si() : 0.0); };
  double t = hop(site.access);
  if (to_dc) t += hop(site.backhaul) + fabric_s;
  return t;
}

// The stream's bytes over its site's links, into `res` as the engine counts every other
// stream's (sim/engine/summarize.cpp): each request created in [0, duration) sends its payload
// up the access link and each of its output tokens comes back as one `result`; served in the
// data centre, both cross the site's backhaul too. Bytes per day = those bytes / duration x
// 86400, scaled to every represented site; a link's peak utilisation (the busiest site's
// busier direction, average bit/s over the bandwidth) gets this stream's share added.
void add_traffic(const SimInput& in, const StreamExec& ex, bool dc, const std::vector<std::pair<double, int>>& arrivals,
                 const std::vector<LlmRequest>& reqs, RunResult& res) {
  const double duration = in.duration.si();
  if (duration <= 0) return;
  const SiteExec& site = in.sites.at(static_cast<std::size_t>(ex.site));
  const int copies = dc ? std::max(1, site.count) : 1;
  const double scale = dc ? 1.0 : site.count;  // an edge site stands for its identical siblings
  std::vector<double> up(static_cast<std::size_t>(copies), 0.0), down(static_cast<std::size_t>(copies), 0.0);
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    if (arrivals[i].first >= duration) continue;
    const auto c = static_cast<std::size_t>(arrivals[i].second);
    up[c] += ex.payload.si();
    if (ex.return_result) down[c] += ex.result.si() * reqs[i].output;  // return_result: false sends nothing back
  }
  double bytes = 0, busiest = 0, busiest_both = 0;  // all copies; the busiest copy's busier direction, both
  for (std::size_t c = 0; c < up.size(); ++c) {
    bytes += up[c] + down[c];
    busiest = std::max(busiest, std::max(up[c], down[c]));
    busiest_both = std::max(busiest_both, up[c] + down[c]);
  }
  // A diurnal stream per day at its day's mean, not at the hours the window covers.
  const double window_rate = stream_rate(ex, duration);
  const double per_day = bytes / duration * 86400.0 * scale * (window_rate > 0 ? stream_day_rate(ex, duration) / window_rate : 1.0);
  auto link = [&](const std::string& name) -> LinkResult& {
    auto it = std::find_if(res.links.begin(), res.links.end(), [&](const LinkResult& l) { return l.name == name; });
    if (it != res.links.end()) return *it;
    res.links.push_back(LinkResult{name, 0.0, 0.0});
    return res.links.back();
  };
  auto add = [&](LinkResult& l, const LinkSpec& spec) {
    l.bytes_per_day += per_day;
    if (spec.bandwidth.si() > 0) l.peak_utilisation += busiest * 8.0 / (spec.bandwidth.si() * duration);
  };
  // Both links listed, as the engine lists them, whether or not this stream crosses the backhaul.
  add(link("access:" + site.id), site.access);
  LinkResult& backhaul = link("backhaul:" + site.id);
  if (!dc) return;
  add(backhaul, site.backhaul);
  res.backhaul_bytes_per_day += per_day;
  // The run's backhaul peak: both directions over one direction's bandwidth (its older meaning).
  if (site.backhaul.bandwidth.si() > 0) res.backhaul_peak_utilisation += busiest_both * 8.0 / (site.backhaul.bandwidth.si() * duration);
}

}  // namespace

LlmServeStats serve_llm(const LlmExec& e, int replicas, const std::vector<LlmRequest>& requests, const LlmServeOptions& o) {
  return Server(e, replicas, requests, o).run();
}

int draw_tokens(const LengthDistribution& d, std::mt19937_64& rng) {
  double v = d.mean;
  switch (d.shape) {
    case LengthShape::fixed: break;
    case LengthShape::uniform:
      v = static_cast<double>(std::uniform_int_distribution<long>(std::lround(d.min), std::lround(d.max))(rng));
      break;
    case LengthShape::lognormal: {
      if (d.cv <= 0) break;
      // ln X ~ N(mu, s^2), s^2 = ln(1 + cv^2), mu = ln(mean) - s^2/2: E[X] = mean, CV[X] = cv.
      const double s2 = std::log1p(d.cv * d.cv);
      v = std::lognormal_distribution<double>(std::log(d.mean) - s2 / 2.0, std::sqrt(s2))(rng);
      v = std::max(v, d.min);
      if (d.max > 0) v = std::min(v, d.max);
      break;
    }
    case LengthShape::empirical:
      if (!d.values.empty()) v = d.values[std::uniform_int_distribution<std::size_t>(0, d.values.size() - 1)(rng)];
      break;
  }
  return static_cast<int>(std::max(1.0, std::round(v)));
}

double percentile_of(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const auto n = static_cast<double>(v.size());
  const auto k = static_cast<std::size_t>(std::clamp(std::ceil(p / 100.0 * n) - 1.0, 0.0, n - 1.0));
  return v[k];
}

StreamResult run_llm_stream(const SimInput& in, std::size_t stream_index, double& busy_fraction, std::uint64_t& requests,
                            RunResult* traffic) {
  const StreamExec& ex = in.streams.at(stream_index);
  const LlmExec& e = *ex.llm;
  const bool dc = !ex.stages.empty() && ex.stages.front().tier == Tier::dc;
  const TierSpec& tier = dc ? in.dc : in.edge;
  const SiteExec& site = in.sites.at(static_cast<std::size_t>(ex.site));
  // The data centre serves every represented site; an edge site serves itself, and its
  // identical siblings are scaled from it.
  const int site_copies = dc ? site.count : 1;
  const double scale = dc ? 1.0 : site.count;
  const int units = std::max(0, tier.units);
  const int replicas = units * std::max(1, e.replicas_per_unit);
  const double warmup = in.warmup.si(), duration = in.duration.si();
  const double window = std::max(1e-9, duration - warmup);
  // Requests created after the duration still load the replicas while the measured ones
  // finish; the run stops at three durations (a measured request still running then is late).
  const double stop = 3.0 * duration;
  const double up = one_way_s(site, dc, in.dc_fabric_latency.si(), ex.payload.si());
  // return_result: false: latency ends where the tokens are made (no trip back), as for other streams.
  const double down = ex.return_result ? one_way_s(site, dc, in.dc_fabric_latency.si(), ex.result.si()) : 0.0;

  std::vector<LlmRequest> reqs;
  std::vector<std::pair<double, int>> arrivals;  // creation time, site copy
  std::mt19937_64 lengths(in.seed ^ (0x51ed2701ULL + stream_index));
  for (int c = 0; c < site_copies; ++c) {
    auto gen = make_arrivals(ex, in.seed * 1000003ULL + stream_index * 7919ULL + static_cast<std::uint64_t>(c));
    ArrivalEvent ev;
    while (gen->next(ev) && ev.time < stop) {
      arrivals.emplace_back(ev.time, c);
      if (in.engine.event_budget > 0 && arrivals.size() > in.engine.event_budget) break;
    }
  }
  std::sort(arrivals.begin(), arrivals.end());
  requests = arrivals.size();
  for (const auto& a : arrivals) reqs.push_back({a.first + up, draw_tokens(e.prompt_tokens, lengths), draw_tokens(e.output_tokens, lengths)});
  if (traffic) add_traffic(in, ex, dc, arrivals, reqs, *traffic);

  LlmServeStats st;
  if (replicas > 0) st = serve_llm(e, replicas, reqs, {true, stop, warmup + up, duration + up});
  else st.outcomes.resize(reqs.size());

  std::vector<double> ttft, tpot, e2e;
  // The measured window in equal batches by creation time (SimInput::batch_means, as
  // for every stream): each batch's TTFT statistics give the 95% intervals by batch means.
  const std::size_t nb = static_cast<std::size_t>(std::max(1, in.batch_means));
  std::vector<std::vector<double>> ttft_batch(nb);
  LlmResult lr;
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    if (arrivals[i].first < warmup || arrivals[i].first >= duration) continue;
    auto& in_batch = ttft_batch[std::min(nb - 1, static_cast<std::size_t>((arrivals[i].first - warmup) / window * static_cast<double>(nb)))];
    const LlmOutcome& o = st.outcomes[i];
    if (o.rejected) {
      ++lr.rejected;
      ttft.push_back(kNever);
      in_batch.push_back(kNever);
      tpot.push_back(kNever);
      continue;
    }
    ttft.push_back(o.first_token_s >= 0 ? o.first_token_s + down - arrivals[i].first : kNever);
    in_batch.push_back(ttft.back());
    if (o.finish_s < 0) {
      ++lr.unfinished;
      tpot.push_back(kNever);
      continue;
    }
    ++lr.requests;
    e2e.push_back(o.finish_s + down - arrivals[i].first);
    if (reqs[i].output > 1) tpot.push_back((o.finish_s - o.first_token_s) / (reqs[i].output - 1));
  }
  auto violation = [](const std::vector<double>& v, double bound) {
    if (v.empty()) return 0.0;
    return static_cast<double>(std::count_if(v.begin(), v.end(), [&](double x) { return x > bound; })) / static_cast<double>(v.size());
  };
  lr.ttft_p50_s = percentile_of(ttft, 50);
  lr.ttft_p99_s = percentile_of(ttft, 99);
  lr.tpot_p50_s = percentile_of(tpot, 50);
  lr.tpot_p99_s = percentile_of(tpot, 99);
  lr.e2e_p50_s = percentile_of(e2e, 50);
  lr.e2e_p99_s = percentile_of(e2e, 99);
  lr.ttft_at_slo_s = percentile_of(ttft, e.ttft.percentile);
  lr.tpot_at_slo_s = percentile_of(tpot, e.tpot.percentile);
  lr.ttft_violation_rate = violation(ttft, e.ttft.latency.si());
  lr.tpot_violation_rate = violation(tpot, e.tpot.latency.si());
  lr.ttft_met = !ttft.empty() && lr.ttft_violation_rate <= e.ttft.max_violation;
  lr.tpot_met = !ttft.empty() && lr.tpot_violation_rate <= e.tpot.max_violation;
  lr.output_tokens_per_s = st.output_tokens / window * scale;
  lr.prompt_tokens_per_s = st.prompt_tokens / window * scale;
  lr.replicas = static_cast<int>(std::lround(replicas * scale));
  lr.output_tokens_per_s_per_replica = replicas > 0 ? st.output_tokens / window / replicas : 0.0;
  lr.output_tokens_per_s_per_unit = units > 0 ? st.output_tokens / window / units : 0.0;
  lr.gpus_per_replica = e.gpus_per_replica;
  lr.kv_capacity_tokens = e.kv_capacity_tokens;
  lr.mean_running = st.iterations > 0 ? st.running_sum / st.iterations : 0.0;
  // At most 1: the stepping time is summed over the window's bins, which can round a hair above.
  busy_fraction = replicas > 0 ? std::min(1.0, st.busy_s / (window * replicas)) : 0.0;
  lr.stepping_share = busy_fraction;
  lr.compute_share = st.busy_s > 0 ? st.compute_s / st.busy_s : 0.0;

  StreamResult sr;
  sr.id = ex.id;
  sr.completed = lr.requests;
  sr.unfinished = lr.unfinished;
  sr.dropped = lr.rejected;
  sr.throughput_per_s = static_cast<double>(lr.requests) / window * scale;
  // The generic latency figures are the TTFT's (what the SLO bound `slo_latency_s` is): the
  // planner's checks read them like any stream's. Each with its 95% interval by batch means
  // over the batches that hold requests; a point estimate where a batch's figure is not
  // finite (a request never got its first token: the SLO is missed anyway).
  auto finite_mean = [](const std::vector<double>& v) {
    double sum = 0, n = 0;
    for (double x : v) {
      if (!std::isfinite(x)) continue;
      sum += x;
      n += 1;
    }
    return n > 0 ? sum / n : 0.0;
  };
  auto est = [&](double overall, const auto& of) {
    std::vector<double> per;
    for (const auto& b : ttft_batch) {
      if (b.empty()) continue;
      const double v = of(b);
      if (!std::isfinite(v)) return Estimate{overall, overall, overall};
      per.push_back(v);
    }
    return std::isfinite(overall) ? nonnegative(batch_means(overall, per)) : Estimate{overall, overall, overall};
  };
  auto pct = [&](double p) { return [p](const std::vector<double>& v) { return percentile_of(v, p); }; };
  sr.mean_s = est(finite_mean(ttft), finite_mean);
  sr.p50_s = est(lr.ttft_p50_s, pct(50));
  sr.p90_s = est(percentile_of(ttft, 90), pct(90));
  sr.p95_s = est(percentile_of(ttft, 95), pct(95));
  sr.p99_s = est(lr.ttft_p99_s, pct(99));
  sr.p999_s = est(percentile_of(ttft, 99.9), pct(99.9));
  sr.slo_percentile = e.ttft.percentile;
  sr.slo_latency_s = e.ttft.latency.si();
  sr.slo_violation_rate = std::max(lr.ttft_violation_rate, lr.tpot_violation_rate);
  sr.slo_met = lr.ttft_met && lr.tpot_met;
  sr.llm = lr;
  return sr;
}

std::string llm_precision_note(const StreamResult& sr, double target_precision, double duration_s) {
  const double p = sr.slo_percentile;
  const double need = min_samples_for_percentile(p);
  auto near = [&](double x) { return std::abs(p - x) < 1e-9; };
  const Estimate& e = near(50) ? sr.p50_s : near(90) ? sr.p90_s : near(95) ? sr.p95_s : near(99.9) ? sr.p999_s : sr.p99_s;
  const double rel = e.value > 0 && std::isfinite(e.value) ? e.half_width() / e.value : INFINITY;
  const std::string head = fmt::format("LLM stream {} (served apart, over the whole {})", sr.id, format_sim_time(duration_s));
  if (static_cast<double>(sr.completed) < need) {
    return fmt::format("{}: not certified, {} completed requests, {:.0f} are needed to certify its TTFT p{:g}; a longer duration gives more",
                       head, sr.completed, need, p);
  }
  if (!(rel <= target_precision)) {
    return fmt::format("{}: not certified, its TTFT p{:g} CI half-width {} is above the {} target", head, p, format_half_width_percent(rel),
                       format_half_width_percent(target_precision));
  }
  return fmt::format("{}: its TTFT p{:g} CI half-width {} is within the {} target ({} completed requests)", head, p,
                     format_half_width_percent(rel), format_half_width_percent(target_precision), sr.completed);
}

}  // namespace hw
