// SimGrid S4U implementation of the engine.
//
// Platform (built in code from SimInput, one full routing zone): the graph of
// sim/network/topology (Boost.Graph) gives the nodes, links and shortest-path routes:
//   src-i   --access-i-->                        edge-i-u   (site i's sources and edge units)
//   src-i   --access-i--> backhaul-i --> dc-k      (data-centre servers)
//   edge-i-u ------------> backhaul-i --> dc-k     (hybrid forwarding)
//   gw-i    ------------> backhaul-i --> dc-0      (batch-job uploads)
// The data-centre fabric is no link of its own: its latency is added to the backhaul.
// Links are split-duplex (uplink and downlink do not share bandwidth); "up" is towards
// the data centre.
//
// Network model: CM02 (max-min fair sharing, latency + size/bandwidth) with latency and
// bandwidth factors 1, no TCP-gamma window bound and no cross-traffic, so a link written
// "5 ms, 100 Mbps" in a scenario costs exactly 5 ms + S*8/1e8 s for S bytes alone on it.
// SimGrid's default (LV08) would multiply latency by 13.01 and bandwidth by 0.97.
//
// Actors: one generator per (stream, simulated site); per server host one receiver
// (eager mailbox) feeding a FIFO queue, and `slots` workers that take batches from it
// (dynamic batching: up to max_batch items of one stage, waiting at most max_wait
// after the oldest queued item); one sink per site receiving results (two where results come
// both from the edge and from the data centre, see World::sink). Latency of a
// request = result arrival at the source - creation time. A unit with one slot, no
// batching and an unbounded queue has one worker that receives straight from its mailbox
// (whose permanent receiver is a holder actor, see Outbox), or, behind a no-network access
// link, gets requests handed over with no transfer (mark_instant). What keeps SimGrid's
// costs down (Outbox, serve, mark_instant, receiver) is summed up in docs/model.md,
// "Engine structure".
//
// Batch jobs: one actor per job. Its dataset goes from the site's gateway host (gw-i,
// route: backhaul-i, fabric-0) to dc-0 as one flow sharing the backhaul with the streams;
// jobs then compute one after another in the order given, each as `devices` executions of
// single_device_s / speedup(devices) seconds on the tier's cores (sharing them with the
// streams' workers). Job actors are the only non-daemon actors besides the monitor, so the
// run lasts until the last job ends, however long after the streams' measurement stops.
#include "sim/engine/engine.hpp"
#include "sim/run/runner.hpp"
#include "sim/run/progress.hpp"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/plugins/energy.h>
#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>

#include <signal.h>

#include "sim/core/certify.hpp"
#include "sim/engine/arrivals.hpp"
#include "sim/engine/llm_serving.hpp"
#include "sim/engine/overload.hpp"
#include "sim/engine/summarize.hpp"
#include "sim/network/topology.hpp"

namespace sg4 = simgrid::s4u;

namespace hw {

namespace {

constexpr double kSpeed = 1e9;  // host speed per core; exec amount = service seconds * kSpeed
// A link with zero latency that moves a message in less than this is no network: the engine
// hands the message over at once instead of simulating a transfer (see World::mark_instant).
constexpr double kInstant = 1e-12;  // s

// The directions of a site's links a transfer can cross (SiteInst::links, ::in_flight).
enum LinkDir : std::uint8_t { kAccessUp, kAccessDown, kBackhaulUp, kBackhaulDown, kLinkDirs };

struct Request {
  int stream = 0;
  int site = 0;       // simulated site instance
  int stage = 0;      // next stage to run
  double created = 0;
  double enqueued = 0;
  bool measured = false;
  double decode_wait = 0;  // a video item's wait for the decoders, added to its latency (World::decode)
  std::uint8_t via = 0;  // bit d set: the transfer in flight crosses link direction d of its site
};

struct Server {
  sg4::Host* host = nullptr;
  sg4::Mailbox* inbox = nullptr;
  Tier tier = Tier::edge;
  int site = -1;  // edge: site instance it belongs to
  // Edge: one of the job site's units beyond its stream units (TierSpec::job_units): only batch
  // jobs run on it; no stream is dispatched to it, so it has no actors.
  bool job_only = false;
  int slots = 1;
  int max_batch = 1;
  double max_wait = 0;
  int queue_capacity = 0;    // waiting requests; 0 = unbounded
  std::deque<Request*> queue;
  sg4::MutexPtr mutex;
  sg4::ConditionVariablePtr cv;
  int outstanding = 0;       // dispatched here and not yet finished here
  std::uint64_t arrived = 0; // stage visits dispatched here (items offered, for the overload rule)
  double busy_slot_s = 0;
  double energy_at_end = 0;  // J, read when the streams' measurement ends
  std::vector<double> slot_busy_since;  // per slot: start of the service in progress, -1 = idle
  // Video decoders, one set per slot (World::decode): the work queued on each set at
  // decoders_at (empty until a video item arrives), and the frames that are decoded but not
  // analysed, a steady flow of decoder-seconds per second per set.
  std::vector<double> decoders_backlog;
  double decoders_at = 0;
  // Per video stream whose first stage runs here: its flow per set at the stream's own rate
  // (times its hour's multiplier when diurnal), and the stream.
  std::vector<std::pair<double, int>> decoders_flows;
  double decoders_work = 0;  // decoder-seconds that reached this unit's decoders (utilisation)
  bool fast = false;         // single-slot fast path (no receiver actor)
  // Fast path behind no network (an edge unit whose site's access link has no latency and
  // moves a request in under kInstant): requests are handed over in `arrivals`, no transfer;
  // the worker suspends itself when it has nothing to do and the sender resumes it.
  bool direct = false;
  std::deque<Request*> arrivals;
  sg4::Actor* idle = nullptr;  // the worker, while it is suspended waiting for arrivals
  // Waiting requests: area under the queue-length curve and its maximum, per batch of the
  // measured window; receiver path: length and time of the last change; fast path: take
  // times of earlier requests later than the latest arrival seen.
  std::vector<double> q_area;
  std::vector<std::size_t> q_max;
  std::size_t q_len = 0;
  double q_last = 0;
  std::deque<double> fast_takes;
  std::mt19937_64 rng;       // service-time variability
};

// A random factor with mean 1 for one batch's service time.
double service_factor(const Variability& v, std::mt19937_64& rng) {
  switch (v.distribution) {
    case ServiceDistribution::deterministic: return 1.0;
    case ServiceDistribution::exponential: return std::exponential_distribution<double>(1.0)(rng);
    case ServiceDistribution::lognormal: {
      if (v.cv <= 0) return 1.0;
      // ln X ~ N(mu, s^2) with s^2 = ln(1 + cv^2) and mu = -s^2/2 gives E[X] = 1, CV[X] = cv.
      const double s2 = std::log1p(v.cv * v.cv);
      return std::lognormal_distribution<double>(-s2 / 2.0, std::sqrt(s2))(rng);
    }
  }
  return 1.0;
}

// What an actor that sends requests owns: the transfers it started, and its way of waiting.
// Built by the actor itself (it reads Actor::self()).
//
// Transfers. SimGrid 3.32 files every detached comm in the maestro's activity list and takes
// it out with std::list::remove, a scan of the whole list, when the transfer ends and again
// when it is received: with N transfers in flight each one costs O(N) (65% of the city-scale
// GPU run, ~1,500 in flight). Above a threshold of transfers in flight (64, or
// EngineOptions::keep_sends_above), sends are therefore not detached: the actor keeps them here and,
// at each send, waits for those at the front whose transfer has ended (get_finish_time()
// reads the kernel's finish time, no simcall), which takes each off the actor's own short
// activity list. (test() would not: in 3.32 it ends the comm without removing it from the
// issuer's list.) That wait returns at once and changes nothing for the transfer or its
// receiver, but it is one more simcall per send, which costs more than scanning a short
// maestro list: with few transfers in flight, sends stay detached.
//
// Waiting. A SimGrid sleep is an activity with a CPU action (a max-min variable, an entry in
// the CPU model's heap); instead the actor suspends itself and a kernel timer resumes it,
// which costs less. But SimGrid suspends the activities of a suspended actor: its kept
// transfers (with some in flight it sleeps as usual), and any transfer that starts meanwhile
// to a mailbox whose permanent receiver it is, which would never resume (so a mailbox's
// permanent receiver must not wait here). The timer may fire after the actor is gone (daemon
// actors are killed at the end of a run, timers pending): it only resumes a live actor.
//
// The World owns the outboxes (World::outbox), not the actors' stacks: an actor killed at the
// end of a run unwinds its stack by an exception, and destructors run then under the
// sanitizer build hit stale shadow memory of the frames just unwound (ASan cannot clean it
// across SimGrid's stack switches, "ignoring __asan_handle_no_return"): false reports.
class Outbox {
 public:
  Outbox(const std::size_t* in_flight, std::size_t keep_above) : in_flight_(in_flight), keep_above_(keep_above) {}
  // Binds the outbox to the calling actor. A simcall (other actors run meanwhile): call it
  // once the outbox is in place.
  void bind() {
    actor_ = sg4::Actor::self();
    sg4::this_actor::on_exit([this](bool /*failed*/) { alive_ = false; });
  }
  void put(sg4::Mailbox* to, Request* r, double bytes) {
    sg4::CommPtr c = to->put_init(r, static_cast<std::uint64_t>(std::max(1.0, bytes)));
    if (*in_flight_ < keep_above_) {
      c->detach();
      return;
    }
    c->start();
    pending_.push_back(std::move(c));
    // Ends the transfers at the front that are done (the list the kernel scans stays short).
    while (pending_.front()->get_finish_time() >= 0) {
      pending_.front()->wait();
      pending_.pop_front();
      if (pending_.empty()) break;
    }
  }
  // Waits for every kept transfer (an actor that exits must not leave them behind).
  void drain() {
    for (auto& c : pending_) c->wait();
    pending_.clear();
  }
  // The actor waits until `date`.
  void wait_until(double date) {
    if (!pending_.empty()) {
      sg4::this_actor::sleep_until(date);
      return;
    }
    wake_at(date);
    sg4::this_actor::suspend();
  }

 private:
  const std::size_t* in_flight_;
  std::size_t keep_above_;
  std::deque<sg4::CommPtr> pending_;
  sg4::Actor* actor_ = nullptr;
  bool alive_ = true;

  // Not inlined, so that wait_until keeps no temporaries on the stack while the actor is
  // suspended: an actor killed there unwinds through it (see above).
  [[gnu::noinline]] void wake_at(double date) {
    simgrid::kernel::timer::Timer::set(date, [this] {
      if (alive_) actor_->resume();
    });
  }
};

struct SiteInst {
  int kind = 0;  // index into input.sites
  sg4::Host* src = nullptr;
  sg4::Mailbox* sink = nullptr;
  // Results from the data centre, where the site also gets results from its edge units: a
  // mailbox (and sink actor) of their own, so that an edge result is not received behind a
  // data-centre result sent earlier and still on its way (see sink()). Else the same as sink.
  sg4::Mailbox* sink_dc = nullptr;
  double access_up = 0, access_down = 0, backhaul_up = 0, backhaul_down = 0;  // bytes
  bool instant_up = false, instant_down = false;  // access link: no network for payloads / results
  sg4::Host* gateway = nullptr;  // only where a batch job uploads its dataset from
  double backhaul_bytes = 0;
  std::vector<Server*> edge;
  std::vector<Server*> job_edge;  // the job site's units beyond `edge`, batch jobs only (Server::job_only)
  std::size_t rr = 0;
  // Per direction (LinkDir): the SimGrid link (nullptr where the site has none) and the
  // transfers sent over it not yet received.
  sg4::Link* links[kLinkDirs] = {};
  std::size_t in_flight[kLinkDirs] = {};
};

class World {
 public:
  explicit World(const SimInput& in) : in_(in) {}

  RunResult run();
  // Whom a precision stop's sentence speaks for ("every stream" by default).
  void set_precision_scope(std::string scope) { precision_scope_ = std::move(scope); }

 private:
  void build_platform();
  void start_actors();
  void mark_instant();
  void generator(int stream, int site);
  void receiver(Server* s);
  void worker(Server* s, int slot);
  void direct_worker(Server* s);
  void sink(sg4::Mailbox* box);
  void monitor();
  void watch_precision();
  void job(std::size_t k);
  void end_streams();
  void watch_overload();
  bool check_overload();
  [[nodiscard]] std::size_t batch_of(double created) const;
  struct StreamPrecision {
    double relative_half_width = INFINITY;
    std::uint64_t done = 0;
    bool empty_batch = false;
  };
  [[nodiscard]] StreamPrecision stream_precision(std::size_t i, std::size_t k) const;

  Server* pick(std::vector<Server*>& pool, std::size_t& rr);
  void send(Outbox& out, Request* r, Server* to, double bytes, SiteInst& site, bool crosses_backhaul);
  void after_stage(Outbox& out, Request* r, Server* at);
  void finish(Outbox& out, Request* r, Server* at);
  void record(Request* r);
  void drop(Request* r, Server* at);
  void landed(Request* r);
  void decode(Server* s, Request* r, double at);
  void set_decoder_flows();
  double decoder_flow(const Server* s, double t) const;
  void add_area(Server* s, double from, double to, std::size_t len);
  void note_max(Server* s, double t, std::size_t len);
  void note_queue(Server* s);
  void note_fast_take(Server* s, double arrived, double taken);
  void serve(Server* s, int slot, double t, Outbox& out);
  // A new outbox for the calling actor (see Outbox: owned here, not on the actor's stack).
  Outbox& outbox(std::size_t keep_above) {
    Outbox& o = outboxes_.emplace_back(&in_transfer_, keep_above);
    o.bind();
    return o;
  }
  [[nodiscard]] double energy_now(const Server* s) const;
  [[nodiscard]] double busy_now(const Server* s) const;

  const SimInput& in_;
  std::vector<SiteInst> sites_;
  std::vector<std::unique_ptr<Server>> servers_;
  std::vector<Server*> dc_;
  std::size_t dc_rr_ = 0;
  // Per stream and batch of the measured window; after an early stop, requests of later
  // batches are simulated but not counted (summarize() sums the first counted_batches_).
  std::vector<StreamCounts> stats_;
  std::mt19937_64 keep_rng_;
  std::uint64_t in_flight_measured_ = 0;
  std::uint64_t requests_ = 0;
  std::size_t in_transfer_ = 0;    // requests sent to a mailbox and not yet received
  std::size_t keep_sends_above_ = 64;  // see Outbox
  std::deque<Outbox> outboxes_;         // one per sending actor; stable addresses
  std::vector<std::unique_ptr<ArrivalGenerator>> generators_;  // one per generator actor (see World::generator)
  int generators_running_ = 0;
  double end_time_ = 0;
  std::size_t batches_ = 10;
  std::size_t counted_batches_ = 10;
  double batch_len_ = 1;
  double stop_at_ = INFINITY;
  double stop_decided_at_ = INFINITY;  // when an early stop was decided: the generators created requests until then
  bool budget_hit_ = false;  // EngineOptions::event_budget reached: the run stops and fails
  void stop_for_budget();
  double last_precision_ = INFINITY;
  std::string unchecked_stream_;  // the stream whose empty batch kept the last check from being made
  std::optional<ShortStream> short_stream_;  // at the last check, a stream with too few completed requests to certify
  std::string stop_reason_;
  std::string precision_scope_ = "every stream";
  // Overload (sim/engine/overload.hpp): the resources whose input load exceeds what they can
  // serve, checked at the first arrival after each window boundary (no events of their own).
  struct Watched {
    OverloadWatch rule;
    enum class Kind { edge, dc, link } kind;
    int site = -1;         // site instance (edge tier, link)
    int dir = 0;           // link: LinkDir
    double offered_last = 0, busy_last = 0;  // counters at the previous check
  };
  std::vector<Watched> watched_;
  double next_check_ = INFINITY;
  double last_check_ = 0;
  double next_progress_ = 0;  // simulated time of the next progress report (every 1% of the duration)
  bool overloaded_ = false;
  std::optional<Overload> overload_;
  std::vector<JobTimes> jobs_;
  std::size_t next_job_ = 0;       // jobs compute one after another, in the order given
  sg4::MutexPtr jobs_mutex_;
  sg4::ConditionVariablePtr jobs_cv_;
  bool streams_over_ = false;      // the streams' measurement has ended; ignore what follows
  // No batch job shares the units: a service is a sleep of its duration on its slot and the
  // energy is computed from busy time (see serve()); otherwise SimGrid executions and its
  // host energy plugin.
  bool analytic_energy_ = false;
  sg4::MutexPtr done_mutex_;
  sg4::ConditionVariablePtr done_cv_;  // signalled when the last measured request is done
};

sg4::Host* make_host(sg4::NetZone* zone, const std::string& name, int cores, Watts idle, Watts max) {
  auto* h = zone->create_host(name, kSpeed);
  h->set_core_count(cores);
  // Idle:Epsilon:AllCores -- P(load) = P_idle + (P_max - P_idle) * busy_cores / cores.
  h->set_property("wattage_per_state", fmt::format("{}:{}:{}", idle.si(), idle.si(), max.si()));
  h->set_property("wattage_off", "0");
  return h;
}

void World::build_platform() {
  // The graph (sim/network/topology) decides nodes, links and routes; here it becomes
  // SimGrid hosts, split-duplex links and one route per pair of hosts that talk.
  net::TopologySpec spec;
  // The data-centre fabric is folded into each site's backhaul: its latency is added there
  // and its bandwidth is taken as non-blocking (a server NIC of 100 Gbit/s, an estimate, is far
  // above any site's share). A shared fabric link per server would put every flow of every
  // site into one max-min component, so each flow event would cost O(flows in flight): the
  // city-scale GPU candidate (10,000 cameras) ran 2-3x slower with identical latencies.
  for (const auto& se : in_.sites) {
    LinkSpec bh = se.backhaul;
    bh.latency = Seconds(bh.latency.si() + in_.dc_fabric_latency.si());
    spec.sites.push_back({se.id, se.simulated, se.access, bh});
  }
  spec.edge_units_per_site = in_.edge.units;
  spec.dc_servers = in_.dc.units;
  spec.dc_fabric = std::nullopt;
  const net::PlatformGraph topo = net::build_topology(spec);
  const net::Topology& graph = topo.graph;

  auto* zone = sg4::create_full_zone("world");
  std::vector<sg4::SplitDuplexLink*> links(graph.links().size(), nullptr);
  auto link = [&](int id) {
    if (!links[static_cast<std::size_t>(id)]) {
      const net::LinkDef& def = graph.links()[static_cast<std::size_t>(id)];
      // SimGrid link bandwidths are in bytes per second; ours are bits per second.
      auto* l = zone->create_split_duplex_link(def.name, def.spec.bandwidth.si() / 8.0);
      l->set_latency(def.spec.latency.si());
      l->seal();
      links[static_cast<std::size_t>(id)] = l;
    }
    return links[static_cast<std::size_t>(id)];
  };
  using LIR = sg4::LinkInRoute;
  auto add_routes = [&](sg4::Host* from_host, int from, const std::vector<std::pair<sg4::Host*, int>>& to) {
    std::vector<int> targets;
    for (const auto& t : to) targets.push_back(t.second);
    const auto routes = graph.routes(from, targets);
    for (std::size_t i = 0; i < to.size(); ++i) {
      std::vector<LIR> hops;
      for (const net::Hop& h : routes[i]) hops.emplace_back(link(h.link), h.up ? LIR::Direction::UP : LIR::Direction::DOWN);
      zone->add_route(from_host->get_netpoint(), to[i].first->get_netpoint(), nullptr, nullptr, hops, true);
    }
  };
  auto node_name = [&](int v) { return graph.nodes()[static_cast<std::size_t>(v)].name; };

  // Data-centre servers, then site by site: source, access and
  // backhaul links, edge units -- the order SimGrid objects were always created in.
  std::vector<std::pair<sg4::Host*, int>> dc_targets;
  for (int k = 0; k < in_.dc.units; ++k) {
    const int v = topo.dc_servers[static_cast<std::size_t>(k)];
    auto s = std::make_unique<Server>();
    s->host = make_host(zone, node_name(v), in_.dc.slots, in_.dc.power_idle, in_.dc.power_max);
    s->tier = Tier::dc;
    s->slots = in_.dc.slots;
    s->max_batch = in_.dc.max_batch;
    s->max_wait = in_.dc.max_wait.si();
    s->queue_capacity = in_.dc.queue_capacity;
    for (const net::Hop& h : graph.route(topo.dc_router, v)) link(h.link);
    dc_targets.emplace_back(s->host, v);
    dc_.push_back(s.get());
    servers_.push_back(std::move(s));
  }
  for (std::size_t idx = 0; idx < topo.sites.size(); ++idx) {
    const net::SiteNodes& sn = topo.sites[idx];
    SiteInst si;
    si.kind = sn.kind;
    si.src = make_host(zone, node_name(sn.source), 1, Watts(0), Watts(0));
    sg4::SplitDuplexLink* access = link(sn.access_link);
    si.links[kAccessUp] = access->get_link_up();
    si.links[kAccessDown] = access->get_link_down();
    if (sn.backhaul_link >= 0) {
      sg4::SplitDuplexLink* backhaul = link(sn.backhaul_link);
      si.links[kBackhaulUp] = backhaul->get_link_up();
      si.links[kBackhaulDown] = backhaul->get_link_down();
    }
    std::vector<std::pair<sg4::Host*, int>> edge_targets;
    for (int u = 0; u < in_.edge.units; ++u) {
      const int v = sn.edge_units[static_cast<std::size_t>(u)];
      auto s = std::make_unique<Server>();
      s->host = make_host(zone, node_name(v), in_.edge.slots, in_.edge.power_idle, in_.edge.power_max);
      s->tier = Tier::edge;
      s->site = static_cast<int>(idx);
      s->slots = in_.edge.slots;
      s->max_batch = in_.edge.max_batch;
      s->max_wait = in_.edge.max_wait.si();
      s->queue_capacity = in_.edge.queue_capacity;
      add_routes(s->host, v, dc_targets);  // edge unit -> each data-centre server
      edge_targets.emplace_back(s->host, v);
      si.edge.push_back(s.get());
      servers_.push_back(std::move(s));
    }
    add_routes(si.src, sn.source, edge_targets);  // source -> its edge units
    add_routes(si.src, sn.source, dc_targets);    // source -> each data-centre server
    // A gateway host for batch-job uploads (first instance of a kind a job uploads from).
    const bool first_of_kind = idx == 0 || topo.sites[idx - 1].kind != sn.kind;
    // The edge job site's units beyond its stream units (TierSpec::job_units): hosts that only
    // compute (an edge job's data is on site, so they need no route), on the first instance of
    // the site its jobs run at.
    const bool edge_jobs_here = first_of_kind && std::any_of(in_.jobs.begin(), in_.jobs.end(), [&](const BatchJobExec& j) {
      return j.tier == Tier::edge && j.upload_site == sn.kind;
    });
    for (int u = in_.edge.units; edge_jobs_here && u < in_.edge.job_units; ++u) {
      auto s = std::make_unique<Server>();
      s->host = make_host(zone, fmt::format("job-unit-{}-{}", sn.kind, u), in_.edge.slots, in_.edge.power_idle, in_.edge.power_max);
      s->tier = Tier::edge;
      s->site = static_cast<int>(idx);
      s->job_only = true;
      s->slots = in_.edge.slots;
      si.job_edge.push_back(s.get());
      servers_.push_back(std::move(s));
    }
    const bool uploads_from_here = first_of_kind && !dc_.empty() && std::any_of(in_.jobs.begin(), in_.jobs.end(), [&](const BatchJobExec& j) {
      return j.tier == Tier::dc && j.dataset.si() > 0 && j.upload_site == sn.kind;
    });
    if (uploads_from_here) {
      si.gateway = make_host(zone, node_name(sn.gateway), 1, Watts(0), Watts(0));
      add_routes(si.gateway, sn.gateway, {dc_targets.front()});
    }
    sites_.push_back(std::move(si));
  }
  zone->seal();
  for (std::size_t i = 0; i < sites_.size(); ++i) {
    SiteInst& si = sites_[i];
    si.sink = sg4::Mailbox::by_name(fmt::format("sink-{}", i));
    si.sink_dc = si.sink;
    // Can results reach this site both from its edge units and from the data centre?
    bool from_edge = false, from_dc = false;
    for (const auto& st : in_.streams) {
      if (!st.return_result || in_.sites[static_cast<std::size_t>(st.site)].id != in_.sites[static_cast<std::size_t>(si.kind)].id) continue;
      from_edge = from_edge || st.stages.front().tier == Tier::edge;  // a filtering stage may end it there
      from_dc = from_dc || std::any_of(st.stages.begin(), st.stages.end(), [](const StageExec& g) { return g.tier == Tier::dc; });
    }
    if (from_edge && from_dc) si.sink_dc = sg4::Mailbox::by_name(fmt::format("sink-dc-{}", i));
  }
  for (auto& s : servers_) {
    s->inbox = sg4::Mailbox::by_name("in-" + s->host->get_name());
    s->mutex = sg4::Mutex::create();
    s->cv = sg4::ConditionVariable::create();
    s->rng.seed(in_.seed * 0x2545F4914F6CDD1DULL + std::hash<std::string>{}(s->host->get_name()));
  }
}

Server* World::pick(std::vector<Server*>& pool, std::size_t& rr) {
  // Join the shortest queue; ties go round-robin.
  Server* best = nullptr;
  const std::size_t n = pool.size();
  for (std::size_t i = 0; i < n; ++i) {
    Server* s = pool[(rr + i) % n];
    if (!best || s->outstanding < best->outstanding) best = s;
  }
  rr = (rr + 1) % n;
  return best;
}

void World::send(Outbox& out, Request* r, Server* to, double bytes, SiteInst& site, bool crosses_backhaul) {
  ++to->outstanding;
  ++to->arrived;
  if (crosses_backhaul) {
    site.backhaul_bytes += bytes;
    site.backhaul_up += bytes;
  }
  if (r->stage == 0) site.access_up += bytes;  // from the source
  if (to->direct) {  // no network: handed over now
    to->arrivals.push_back(r);
    if (to->idle) {
      sg4::Actor* worker = to->idle;
      to->idle = nullptr;
      worker->resume();
    }
    return;
  }
  ++in_transfer_;
  // From the source over the access link; to the data centre over the backhaul.
  r->via = static_cast<std::uint8_t>((r->stage == 0 ? 1u << kAccessUp : 0u) | (crosses_backhaul ? 1u << kBackhaulUp : 0u));
  for (int d = 0; d < kLinkDirs; ++d) {
    if (r->via & (1u << d)) ++site.in_flight[d];
  }
  out.put(to->inbox, r, bytes);
}

// A transfer was received: it is no longer in flight on its links.
void World::landed(Request* r) {
  --in_transfer_;
  SiteInst& site = sites_[static_cast<std::size_t>(r->site)];
  for (int d = 0; d < kLinkDirs; ++d) {
    if (r->via & (1u << d)) --site.in_flight[d];
  }
  r->via = 0;
}

void World::generator(int stream, int site_idx) {
  const StreamExec& st = in_.streams[stream];
  SiteInst& site = sites_[site_idx];
  // Owned by the World, not this actor's stack, like the outboxes (see Outbox): its destructor
  // on the actor's stack at the end of an overload-stopped run hit stale ASan shadow there.
  ArrivalGenerator* gen = generators_.emplace_back(
      make_arrivals(st, in_.seed * 1000003ULL + static_cast<std::uint64_t>(stream) * 7919ULL + static_cast<std::uint64_t>(site_idx))).get();
  const double duration = in_.duration.si();
  const double warmup = in_.warmup.si();
  ArrivalEvent ev;
  Outbox& out = outbox(keep_sends_above_);
  while (gen->next(ev) && ev.time < duration && ev.time < stop_at_) {
    if (ev.time > sg4::Engine::get_clock()) out.wait_until(ev.time);
    if (ev.time >= next_progress_) {  // for the parent's progress line; no effect on the simulation
      next_progress_ = (std::floor(ev.time / duration * 100) + 1) * duration / 100;
      report_sim_progress(std::min(1.0, ev.time / duration));
    }
    // The first arrival after a window boundary checks for overload (see watch_overload).
    if (sg4::Engine::get_clock() >= next_check_ && check_overload()) break;
    auto* r = new Request;
    r->stream = stream;
    r->site = site_idx;
    r->created = ev.time;
    r->measured = ev.time >= warmup;
    ++requests_;
    if (in_.engine.event_budget > 0 && requests_ >= in_.engine.event_budget && !budget_hit_) stop_for_budget();
    if (r->measured) {
      ++in_flight_measured_;
      ++stats_[stream].created[batch_of(r->created)];
    }
    const double bytes = ev.bytes > 0 ? ev.bytes : st.payload.si();
    if (st.stages.front().tier == Tier::edge) {
      send(out, r, pick(site.edge, site.rr), bytes, site, false);
    } else {
      send(out, r, pick(dc_, dc_rr_), bytes, site, true);
    }
  }
  --generators_running_;
  done_cv_->notify_all();
  out.drain();
}

void World::receiver(Server* s) {
  s->inbox->set_receiver(sg4::Actor::self());
  while (true) {
    auto* r = s->inbox->get<Request>();
    landed(r);
    r->enqueued = sg4::Engine::get_clock();
    decode(s, r, r->enqueued);
    // No lock: actors never run at the same time, and a worker tests the queue and starts
    // waiting on the condition variable within one turn (the wait is its simcall), so this
    // push and notification cannot fall between them. Saves two simcalls per request.
    if (s->queue_capacity > 0 && static_cast<int>(s->queue.size()) >= s->queue_capacity) {
      drop(r, s);  // bounded queue full: the request is refused
      continue;
    }
    s->queue.push_back(r);
    note_queue(s);
    s->cv->notify_one();
  }
}

// One slot, no batching, unbounded queue: the worker receives straight from its eager mailbox, with no
// receiver actor and no condition variable in between. Items the worker hands to itself
// (the next stage of a pipeline on the same unit) wait in its local queue and go first:
// a unit finishes the item in hand before taking a new one.
void World::direct_worker(Server* s) {
  // A suspended actor's own activities are suspended with it: a direct worker's sends (to a
  // data centre, or results too large to be instant) are detached, never kept.
  Outbox& out = outbox(s->direct ? SIZE_MAX : keep_sends_above_);
  while (!streams_over_) {
    Request* r = nullptr;
    if (!s->queue.empty()) {
      r = s->queue.front();
      s->queue.pop_front();
    } else if (s->direct) {
      if (s->arrivals.empty()) {
        s->idle = sg4::Actor::self();
        sg4::this_actor::suspend();  // until send() resumes it
        continue;
      }
      r = s->arrivals.front();
      s->arrivals.pop_front();
      r->enqueued = sg4::Engine::get_clock();
      note_fast_take(s, r->created, r->enqueued);  // arrived when created
      decode(s, r, r->created);
    } else {
      auto comm = s->inbox->get_async<Request>(&r);
      comm->wait();
      landed(r);
      r->enqueued = sg4::Engine::get_clock();
      note_fast_take(s, comm->get_finish_time(), r->enqueued);  // waited since its data arrived
      decode(s, r, comm->get_finish_time());
      if (streams_over_) {
        delete r;
        out.drain();
        return;
      }
    }
    const StageExec& stage = in_.streams[r->stream].stages[r->stage];
    const double t = stage.service_s[0] * service_factor(stage.variability, s->rng);
    serve(s, 0, t, out);
    after_stage(out, r, s);
  }
}

void World::worker(Server* s, int slot) {
  std::vector<Request*> batch;
  Outbox& out = outbox(keep_sends_above_);
  std::unique_lock lock(*s->mutex);
  while (true) {
    while (s->queue.empty() && !streams_over_) s->cv->wait(lock);
    if (streams_over_) {
      out.drain();
      return;
    }
    Request* head = s->queue.front();
    auto same = [&](const Request* r) { return r->stream == head->stream && r->stage == head->stage; };
    if (s->max_batch > 1) {
      // Dynamic batching: wait for a full batch, at most max_wait after the oldest item.
      while (true) {
        int n = 0;
        for (const Request* r : s->queue) {
          if (same(r) && ++n >= s->max_batch) break;
        }
        const double deadline = head->enqueued + s->max_wait;
        if (n >= s->max_batch || sg4::Engine::get_clock() >= deadline) break;
        s->cv->wait_until(lock, deadline);
        if (s->queue.empty() || s->queue.front() != head) break;  // another worker took it
      }
      if (s->queue.empty()) continue;
      head = s->queue.front();
    }
    batch.clear();
    for (auto it = s->queue.begin(); it != s->queue.end() && static_cast<int>(batch.size()) < s->max_batch;) {
      if (same(*it)) {
        batch.push_back(*it);
        it = s->queue.erase(it);
      } else {
        ++it;
      }
    }
    note_queue(s);
    const StageExec& stage = in_.streams[head->stream].stages[head->stage];
    const std::size_t b = std::min(batch.size(), stage.service_s.size());
    const double t = stage.service_s[b - 1] * service_factor(stage.variability, s->rng);
    lock.unlock();
    serve(s, slot, t, out);
    lock.lock();
    for (Request* r : batch) after_stage(out, r, s);
  }
}

// One service of t seconds on a slot of unit s. Each slot runs one service at a time and a
// unit has one core per slot, so an execution always gets a whole core and takes exactly t.
// Without batch jobs on the units nothing else runs on these cores: the service is then a
// sleep of t (no CPU action in SimGrid's max-min system, no energy-plugin update) and the
// energy is P_idle*T + (P_max - P_idle)*busy/cores, the plugin's own formula for these
// hosts (energy_now).
void World::serve(Server* s, int slot, double t, Outbox& out) {
  if (t > 0) {
    // The start of the service in progress, for energy (analytic_energy_) and for the overload
    // rule's busy time (busy_now).
    double& since = s->slot_busy_since[static_cast<std::size_t>(slot)];
    since = sg4::Engine::get_clock();
    if (analytic_energy_) {
      out.wait_until(sg4::Engine::get_clock() + t);
    } else {
      sg4::this_actor::execute(t * kSpeed);
    }
    since = -1;
  }
  s->busy_slot_s += t;
}

// Busy slot-seconds of unit s from t = 0 to now: services ended, plus those in progress.
double World::busy_now(const Server* s) const {
  const double now = sg4::Engine::get_clock();
  double busy = s->busy_slot_s;
  for (double since : s->slot_busy_since) {
    if (since >= 0) busy += now - since;
  }
  return busy;
}

// Energy used by unit s from t = 0 to now (J).
double World::energy_now(const Server* s) const {
  if (!analytic_energy_) return sg_host_get_consumed_energy(s->host);
  const double now = sg4::Engine::get_clock();
  const double busy = busy_now(s);  // services ended so far, plus those in progress
  const TierSpec& ts = s->tier == Tier::dc ? in_.dc : in_.edge;
  const double idle = ts.power_idle.si(), max = ts.power_max.si();
  return idle * now + (max - idle) * busy / s->slots;
}

void World::after_stage(Outbox& out, Request* r, Server* at) {
  const StreamExec& st = in_.streams[r->stream];
  const Tier done_tier = st.stages[r->stage].tier;
  const double out_bytes = st.stages[r->stage].output.si();
  ++r->stage;
  if (r->stage == static_cast<int>(st.stages.size())) {
    finish(out, r, at);
    return;
  }
  // A filtering stage: only a share of items goes on (e.g. frames with a detection).
  if (st.stages[r->stage].fraction < 1.0 &&
      std::uniform_real_distribution<double>(0, 1)(keep_rng_) >= st.stages[r->stage].fraction) {
    finish(out, r, at);
    return;
  }
  const Tier next_tier = st.stages[r->stage].tier;
  if (next_tier == done_tier) {  // same unit runs the next stage: no transfer
    ++at->arrived;
    r->enqueued = sg4::Engine::get_clock();
    at->queue.push_back(r);
    if (!at->fast) note_queue(at);
    at->cv->notify_one();
    return;
  }
  // Edge -> data centre.
  --at->outstanding;
  send(out, r, pick(dc_, dc_rr_), out_bytes, sites_[r->site], true);
}

void World::finish(Outbox& out, Request* r, Server* at) {
  --at->outstanding;
  const StreamExec& st = in_.streams[r->stream];
  if (!st.return_result) {
    record(r);
    return;
  }
  SiteInst& site = sites_[r->site];
  if (at->tier == Tier::dc) {
    site.backhaul_bytes += st.result.si();
    site.backhaul_down += st.result.si();
  }
  site.access_down += st.result.si();
  if (at->tier == Tier::edge && site.instant_down) {  // no network back to the source
    record(r);
    return;
  }
  ++in_transfer_;
  r->via = static_cast<std::uint8_t>(1u << kAccessDown | (at->tier == Tier::dc ? 1u << kBackhaulDown : 0u));
  for (int d = 0; d < kLinkDirs; ++d) {
    if (r->via & (1u << d)) ++site.in_flight[d];
  }
  out.put(at->tier == Tier::dc ? site.sink_dc : site.sink, r, st.result.si());
}

// A mailbox hands its messages to its receiver in the order they were sent, not the order their
// transfers end: a get() matches the oldest message and waits for its transfer. Results that
// share a mailbox should therefore take the same path, or a fast one waits behind a slow one
// sent before it (an edge result behind a data-centre result crossing the backhaul): hence a
// site's data-centre results have their own mailbox where it also gets results from the edge.
void World::sink(sg4::Mailbox* box) {
  box->set_receiver(sg4::Actor::self());
  while (true) {
    Request* r = box->get<Request>();
    landed(r);
    record(r);
  }
}

// A video stream's items are decoded before their first stage: latency = now - created +
// decode_s + decode_wait, the frame's own decode and its wait for the decoders (World::decode).
void World::record(Request* r) {
  if (r->measured && !streams_over_) {
    const double now = sg4::Engine::get_clock();
    const double latency = now - r->created + in_.streams[r->stream].decode_s + r->decode_wait;
    StreamCounts& ss = stats_[r->stream];
    const std::size_t b = batch_of(r->created);
    ss.latency[b].add(latency);
    if (latency > in_.streams[r->stream].slo.latency.si()) ++ss.above_slo[b];
    if (--in_flight_measured_ == 0 && generators_running_ == 0) done_cv_->notify_all();
  }
  delete r;
}

// A video stream's frames are all decoded, and only some are analysed: an item brings its own
// frame (decode_s of decoder time) and its source sends decode_busy_s - decode_s more per item
// that no one waits for. Those go to the decoders as a steady flow, spread evenly over the
// units that take the stream's first stage (it joins the shortest queue) and their slots (one
// set of decoders each), at the stream's mean rate over the run (stream_rate: a diurnal
// stream's daily mean, a trace's count).
void World::set_decoder_flows() {
  const double horizon = in_.duration.si();
  for (auto& s : servers_) {
    const bool dc = s->tier == Tier::dc;
    const double pool = static_cast<double>(dc ? dc_.size() : static_cast<std::size_t>(std::max(1, in_.edge.units)));
    const std::string& site_id = dc ? std::string() : in_.sites[static_cast<std::size_t>(sites_[static_cast<std::size_t>(s->site)].kind)].id;
    s->decoders_flows.clear();
    for (std::size_t k = 0; k < in_.streams.size(); ++k) {
      const StreamExec& st = in_.streams[k];
      if (st.decode_busy_s <= st.decode_s || st.stages.empty() || st.stages.front().tier != s->tier) continue;
      const SiteExec& from = in_.sites[static_cast<std::size_t>(st.site)];
      if (!dc && from.id != site_id) continue;
      // A diurnal stream's frames follow its hours (decoder_flow scales this by the hour's
      // multiplier); any other its mean rate over the run.
      const bool diurnal = st.arrival.kind == ArrivalKind::diurnal && !st.arrival.hourly.empty();
      const double lambda = (diurnal ? st.arrival.rate.si() * st.sources : stream_rate(st, horizon)) * (dc ? from.simulated : 1);
      s->decoders_flows.emplace_back(lambda * (st.decode_busy_s - st.decode_s) / pool / std::max(1, s->slots), static_cast<int>(k));
    }
  }
}

// Decoder-seconds per second per set flowing into unit s's decoders at time t.
double World::decoder_flow(const Server* s, double t) const {
  double flow = 0;
  for (const auto& [base, k] : s->decoders_flows) {
    const Arrival& a = in_.streams[static_cast<std::size_t>(k)].arrival;
    if (a.kind == ArrivalKind::diurnal && !a.hourly.empty()) {
      flow += base * hourly_multiplier(a, t);
    } else {
      flow += base;
    }
  }
  return flow;
}

// A video item reaching the unit that runs its first stage at time `at`. The decoders work
// beside the cores, one set per slot, first come first served (sim/hardware/media.hpp): each
// set's backlog V (decoder-seconds of work queued) grows by the flow of frames not analysed and
// drains at 1 s per s, dV/dt = flow - 1 while V > 0; the item joins the set with the least
// backlog, waits V for the work ahead of it, and its own frame adds decode_s. Its latency gets
// V + decode_s (record()). The wait is not put in front of the inference queue: the slots see
// the arrivals as they come (at decoders that do not queue, the shift is the constant decode_s
// and exact; where they queue, the inference queue sees the arrivals unsmoothed, not as the
// decoders release them). Items come here in the order they were sent; `at` going back (a
// transfer overtaken by a smaller one) drains nothing.
void World::decode(Server* s, Request* r, double at) {
  if (r->stage != 0) return;
  const StreamExec& st = in_.streams[static_cast<std::size_t>(r->stream)];
  if (st.decode_busy_s <= 0) return;
  if (s->decoders_backlog.empty()) {
    s->decoders_backlog.assign(static_cast<std::size_t>(std::max(1, s->slots)), 0.0);
    s->decoders_at = at;
  }
  if (at > s->decoders_at) {
    const double flow = decoder_flow(s, at);  // the hour's, when diurnal: the gaps between items are short
    for (double& v : s->decoders_backlog) v = std::max(0.0, v + (flow - 1.0) * (at - s->decoders_at));
    s->decoders_work += flow * (at - s->decoders_at) * static_cast<double>(s->decoders_backlog.size());
    s->decoders_at = at;
  }
  auto set = std::min_element(s->decoders_backlog.begin(), s->decoders_backlog.end());
  r->decode_wait = *set;
  const double own = std::min(st.decode_s, st.decode_busy_s);
  *set += own;
  s->decoders_work += own;
}

void World::drop(Request* r, Server* at) {
  --at->outstanding;
  if (r->measured && !streams_over_) {
    ++stats_[r->stream].dropped[batch_of(r->created)];
    if (--in_flight_measured_ == 0 && generators_running_ == 0) done_cv_->notify_all();
  }
  delete r;
}

// Adds len x the part of [from, to) inside the measured window, batch by batch.
void World::add_area(Server* s, double from, double to, std::size_t len) {
  if (len == 0) return;
  const double w0 = in_.warmup.si();
  const double w1 = w0 + static_cast<double>(batches_) * batch_len_;
  from = std::max(from, w0);
  to = std::min(to, w1);
  while (from < to) {
    const std::size_t b = std::min(batches_ - 1, static_cast<std::size_t>((from - w0) / batch_len_));
    const double end = b + 1 == batches_ ? w1 : w0 + static_cast<double>(b + 1) * batch_len_;
    // At a boundary, rounding may put `from` at the end of batch b: move on by a hair.
    const double upto = end > from ? std::min(to, end) : std::min(to, std::nextafter(from, INFINITY));
    s->q_area[b] += static_cast<double>(len) * (upto - from);
    from = upto;
  }
}

void World::note_max(Server* s, double t, std::size_t len) {
  const double w0 = in_.warmup.si();
  if (t < w0 || t >= w0 + static_cast<double>(batches_) * batch_len_) return;
  std::size_t& m = s->q_max[batch_of(t)];
  m = std::max(m, len);
}

// Receiver path: the queue changed just now.
void World::note_queue(Server* s) {
  const double now = sg4::Engine::get_clock();
  add_area(s, s->q_last, now, s->q_len);
  s->q_last = now;
  s->q_len = s->queue.size();
  note_max(s, now, s->q_len);
}

// Fast path: a request whose data arrived at `arrived` is taken at `taken` (infinity: never).
// Arrivals come in order, so the requests waiting just after this arrival are the earlier
// ones taken later than it, plus this one if it waited.
void World::note_fast_take(Server* s, double arrived, double taken) {
  add_area(s, arrived, taken, 1);
  while (!s->fast_takes.empty() && s->fast_takes.front() <= arrived) s->fast_takes.pop_front();
  note_max(s, arrived, s->fast_takes.size() + (taken > arrived ? 1 : 0));
  s->fast_takes.push_back(taken);
}

std::size_t World::batch_of(double created) const {
  auto b = static_cast<std::size_t>((created - in_.warmup.si()) / batch_len_);
  return std::min(b, batches_ - 1);
}

// Stream i's precision over batches [0, k): the half-width of the 95% CI of its SLO
// percentile relative to the estimate (INFINITY when a batch completed no request: no
// interval yet), and how many requests it completed.
World::StreamPrecision World::stream_precision(std::size_t i, std::size_t k) const {
  StreamPrecision sp;
  const double q = in_.streams[i].slo.percentile / 100.0;
  LogHistogram all;
  std::vector<double> per;
  for (std::size_t b = 0; b < k; ++b) {
    sp.done += stats_[i].latency[b].count();
    if (!stats_[i].latency[b].count()) sp.empty_batch = true;
    if (sp.empty_batch) continue;
    all.merge(stats_[i].latency[b]);
    per.push_back(stats_[i].latency[b].quantile(q));
  }
  if (sp.empty_batch) return sp;
  const Estimate e = batch_means(all.quantile(q), per);
  sp.relative_half_width = e.value > 0 ? e.half_width() / e.value : INFINITY;
  return sp;
}

void World::watch_precision() {
  // At the end of each batch (plus one batch of grace for late results), test the CI. The run
  // stops only when EVERY stream can certify its SLO percentile: at least
  // min_samples_for_percentile() completed requests (the planner's own minimum) and a CI
  // within the target. The stop names the stream that got there last.
  const std::size_t n = in_.streams.size();
  std::vector<std::size_t> since(n, SIZE_MAX);  // first check of the stream's current run of passing checks
  for (std::size_t k = 10; k < batches_; ++k) {
    sg4::this_actor::sleep_until(in_.warmup.si() + static_cast<double>(k + 1) * batch_len_);
    if (overloaded_) return;  // stopped for overload at this very time: that stands
    bool all = true;
    double worst = 0;
    unchecked_stream_.clear();
    short_stream_.reset();
    std::vector<StreamPrecision> now(n);
    for (std::size_t i = 0; i < n; ++i) {
      now[i] = stream_precision(i, k);
      const double need = min_samples_for_percentile(in_.streams[i].slo.percentile);
      const bool enough = static_cast<double>(now[i].done) >= need;
      const bool ok = enough && now[i].relative_half_width <= in_.target_precision;
      since[i] = !ok ? SIZE_MAX : std::min(since[i], k);
      all = all && ok;
      if (now[i].empty_batch && unchecked_stream_.empty()) unchecked_stream_ = in_.streams[i].id;
      if (!enough && !short_stream_) short_stream_ = ShortStream{in_.streams[i].id, now[i].done, need, in_.streams[i].slo.percentile};
      worst = std::max(worst, now[i].relative_half_width);
    }
    last_precision_ = worst;
    if (all) {
      // The stream that converged last: the latest start of a passing run; ties, the widest CI.
      std::size_t last = 0;
      for (std::size_t i = 1; i < n; ++i) {
        if (since[i] > since[last] || (since[i] == since[last] && now[i].relative_half_width > now[last].relative_half_width)) last = i;
      }
      counted_batches_ = k;
      stop_at_ = in_.warmup.si() + static_cast<double>(k) * batch_len_;
      // The counted batches end at stop_at_, but the generators created requests until now.
      stop_decided_at_ = sg4::Engine::get_clock();
      stop_reason_ = fmt::format(
          "stopped at {} simulated: {} can certify its SLO; the last to converge, {}, has {} completed requests and "
          "its p{:g} CI half-width {} is within the {} target",
          format_sim_time(stop_at_), precision_scope_, in_.streams[last].id, now[last].done, in_.streams[last].slo.percentile,
          format_half_width_percent(now[last].relative_half_width), format_half_width_percent(in_.target_precision));
      return;
    }
  }
}

// Which resources the overload rule watches: only those whose long-run load from the input
// exceeds their capacity (rule 1 of sim/engine/overload.hpp); a run with none has no check at
// all. The windows are the batch windows (warm-up + k x batch length), extended back over the
// warm-up so that an overload is seen from the start.
void World::watch_overload() {
  if (!in_.engine.stop_on_overload || in_.streams.empty()) return;
  auto watch = [&](OverloadWatch rule, Watched::Kind kind, int site, int dir) {
    if (rule.certain()) watched_.push_back(Watched{std::move(rule), kind, site, dir});
  };
  if (!dc_.empty()) watch(OverloadWatch("dc tier", "", "items/s", tier_load(in_, Tier::dc, 0)), Watched::Kind::dc, -1, 0);
  for (std::size_t i = 0; i < sites_.size(); ++i) {
    const SiteInst& si = sites_[i];
    const std::string& id = in_.sites[static_cast<std::size_t>(si.kind)].id;
    const int site = static_cast<int>(i);
    if (!si.edge.empty()) {
      watch(OverloadWatch("edge tier", in_.sites.size() > 1 ? "site " + id : "", "items/s", tier_load(in_, Tier::edge, si.kind)),
            Watched::Kind::edge, site, 0);
    }
    for (int d = 0; d < kLinkDirs; ++d) {
      if (!si.links[d]) continue;
      const bool backhaul = d == kBackhaulUp || d == kBackhaulDown, up = d == kAccessUp || d == kBackhaulUp;
      watch(OverloadWatch((backhaul ? "backhaul:" : "access:") + id, up ? "uplink" : "downlink", "bit/s",
                          link_load(in_, si.kind, backhaul, up)),
            Watched::Kind::link, site, d);
    }
  }
  if (watched_.empty()) return;
  const double w0 = in_.warmup.si();
  next_check_ = w0 + (std::floor(-w0 / batch_len_) + 1) * batch_len_;  // the first boundary after t = 0
}

// At the first arrival at or after a window boundary: one window more for every watched
// resource. True when the run must stop now for overload (then the figures are set). Reads
// counters and link loads only: no simcall, so the run is the same up to here with or
// without the rule.
bool World::check_overload() {
  const double now = sg4::Engine::get_clock();
  const double w0 = in_.warmup.si();
  next_check_ = w0 + (std::floor((now - w0) / batch_len_) + 1) * batch_len_;
  if (next_check_ <= now) next_check_ += batch_len_;
  if (stop_at_ < INFINITY) {  // already stopping (precision reached)
    next_check_ = INFINITY;
    return false;
  }
  const double dt = now - last_check_;
  last_check_ = now;
  const Watched* worst = nullptr;
  double worst_ratio = 0;
  for (auto& w : watched_) {
    OverloadWindow win;
    win.seconds = dt;
    if (w.kind == Watched::Kind::link) {
      const SiteInst& si = sites_[static_cast<std::size_t>(w.site)];
      const double sent = w.dir == kAccessUp ? si.access_up : w.dir == kAccessDown ? si.access_down
                        : w.dir == kBackhaulUp ? si.backhaul_up : si.backhaul_down;
      win.offered = (sent - w.offered_last) * 8.0;
      w.offered_last = sent;
      const sg4::Link* l = si.links[w.dir];
      win.saturated = l->get_usage() >= kSaturated * l->get_bandwidth();  // both in bytes/s
      win.backlog = static_cast<double>(si.in_flight[w.dir]);
    } else {
      const std::vector<Server*>& units = w.kind == Watched::Kind::dc ? dc_ : sites_[static_cast<std::size_t>(w.site)].edge;
      double arrived = 0, busy = 0, slots = 0, backlog = 0;
      for (const Server* u : units) {
        arrived += static_cast<double>(u->arrived);
        busy += busy_now(u);
        slots += u->slots;
        backlog += u->outstanding;
      }
      win.offered = arrived - w.offered_last;
      win.saturated = busy - w.busy_last >= kSaturated * slots * dt;
      win.backlog = backlog;
      w.offered_last = arrived;
      w.busy_last = busy;
    }
    if (w.rule.observe(win)) {
      const Overload o = w.rule.overload(now);
      if (!worst || o.offered / o.capacity > worst_ratio) {
        worst = &w;
        worst_ratio = o.offered / o.capacity;
      }
    }
  }
  // Stop only once a whole batch of the measured window is behind us, so that the result
  // counts the requests of that batch still in the system as unfinished.
  const double batches_done = now >= w0 ? std::floor((now - w0) / batch_len_) : 0;
  if (!worst || batches_done < 1) return false;
  counted_batches_ = std::min(batches_, static_cast<std::size_t>(batches_done));
  stop_at_ = now;
  stop_decided_at_ = now;
  overloaded_ = true;
  overload_ = worst->rule.overload(now);
  stop_reason_ = fmt::format("stopped at {} simulated: {}; the backlog grows without bound", format_sim_time(now), describe(*overload_, worst->rule.note()));
  return true;
}

// The event budget is spent: no generator creates another request, and the run fails (its
// figures would cover only part of the duration).
void World::stop_for_budget() {
  budget_hit_ = true;
  stop_at_ = sg4::Engine::get_clock();
  stop_decided_at_ = stop_at_;
  done_cv_->notify_all();
}

void World::monitor() {
  // Let every measured request finish, up to a drain cap: an overloaded system never
  // drains, and what is left counts as unfinished (and above the SLO).
  double max_slo = 0;
  for (const auto& s : in_.streams) max_slo = std::max(max_slo, s.slo.latency.si());
  const double cap = in_.duration.si() + std::max(10.0, std::min(20.0 * max_slo, in_.duration.si()));
  std::unique_lock lock(*done_mutex_);
  while ((in_flight_measured_ > 0 || generators_running_ > 0) && !overloaded_ && !budget_hit_) {
    if (done_cv_->wait_until(lock, cap) == std::cv_status::timeout) break;
  }
  // The measurement covers at least the arrival window [0, duration) (or up to a precision
  // stop): a fleet that received nothing, or whose last request finished early, still drew
  // its idle power until then. Ending at t = 0 (no stream sent anything: an all-zero hourly
  // profile, a trace that starts after the duration) gave 0 W, and SimGrid aborted, killing
  // daemon workers still taking their queue's mutex at that same instant.
  if (!overloaded_ && !budget_hit_) {
    const double until = std::min(in_.duration.si(), stop_at_);
    if (sg4::Engine::get_clock() < until) {
      lock.unlock();
      sg4::this_actor::sleep_until(until);
    }
  }
  end_streams();  // an overload stop ends the streams at once: the backlog would never drain
}

// The streams' measurement ends now: tier figures are taken over [0, now]. Batch jobs
// may run on; workers stop taking requests so that a backlog is not simulated for nothing.
void World::end_streams() {
  end_time_ = sg4::Engine::get_clock();
  for (auto& s : servers_) s->energy_at_end = energy_now(s.get());
  // Close the queue-length curves: requests still waiting wait to the end of the window.
  for (auto& s : servers_) {
    if (!s->fast) {
      note_queue(s.get());
      continue;
    }
    for (Request* r : s->arrivals) {
      note_fast_take(s.get(), r->created, INFINITY);
      delete r;
    }
    s->arrivals.clear();
    while (s->inbox->ready()) {
      Request* r = nullptr;
      auto comm = s->inbox->get_async<Request>(&r);
      comm->wait();
      landed(r);
      note_fast_take(s.get(), comm->get_finish_time(), INFINITY);
      delete r;
    }
  }
  // Workers blocked on their queue stay blocked (waking them here makes SimGrid kill them
  // while they re-take their mutex when the run ends, which aborts); the others stop at
  // their next request.
  streams_over_ = true;
}

void World::job(std::size_t k) {
  const BatchJobExec& j = in_.jobs[k];
  JobTimes& js = jobs_[k];
  if (j.tier == Tier::dc && j.dataset.si() > 0) {
    sg4::Host* from = nullptr;
    for (const auto& si : sites_) {
      if (si.kind == j.upload_site && si.gateway) from = si.gateway;
    }
    sg4::Comm::sendto(from, dc_.front()->host, static_cast<std::uint64_t>(j.dataset.si()));
  }
  js.upload_end = sg4::Engine::get_clock();
  {
    std::unique_lock lock(*jobs_mutex_);
    while (next_job_ != k) jobs_cv_->wait(lock);
  }
  js.compute_start = sg4::Engine::get_clock();
  std::vector<sg4::Host*> hosts;
  int slots = 1;
  if (j.tier == Tier::dc) {
    for (Server* s : dc_) hosts.push_back(s->host);
    slots = std::max(1, in_.dc.slots);
  } else {
    for (const auto& si : sites_) {
      if (si.kind != j.upload_site) continue;
      for (Server* s : si.edge) hosts.push_back(s->host);
      for (Server* s : si.job_edge) hosts.push_back(s->host);
      break;
    }
    slots = std::max(1, in_.edge.slots);
  }
  // speedup(n) = n * eff^log2(n); each device runs its share of the single-device time.
  const double n = std::max(1, j.devices);
  const double per_device_s = j.single_device_s / (n * std::pow(j.scaling_efficiency, std::log2(n)));
  if (per_device_s > 0) {
    std::vector<sg4::ExecPtr> execs;
    for (int d = 0; d < j.devices; ++d) {
      sg4::Host* h = hosts[static_cast<std::size_t>(d / slots) % hosts.size()];
      execs.push_back(sg4::this_actor::exec_init(per_device_s * kSpeed)->set_host(h));
      execs.back()->start();
    }
    for (auto& e : execs) e->wait();
  }
  js.compute_end = sg4::Engine::get_clock();
  std::unique_lock lock(*jobs_mutex_);
  ++next_job_;
  jobs_cv_->notify_all();
}

// Which hops are no network: a site's access link with zero latency over which every request
// (payload or trace size, at least 1 byte) would take less than kInstant, and likewise every
// result. Their transfers would last under a picosecond; the engine skips them: one SimGrid
// transfer and a receive less per request, latencies shorter by that picosecond.
// Results are handed over directly only where they all come from the site's edge units (no
// stream of the site has a data-centre stage); elsewhere they keep their transfer.
void World::mark_instant() {
  for (auto& si : sites_) {
    const LinkSpec& access = in_.sites[static_cast<std::size_t>(si.kind)].access;
    const double bw = access.bandwidth.si() / 8.0;  // bytes/s
    if (access.latency.si() != 0.0 || !(bw > 0)) continue;
    auto instant = [&](double bytes) { return std::max(1.0, bytes) / bw < kInstant; };
    bool up = true, down = true;
    for (const auto& st : in_.streams) {
      if (in_.sites[static_cast<std::size_t>(st.site)].id != in_.sites[static_cast<std::size_t>(si.kind)].id) continue;
      double biggest = st.payload.si();
      for (double b : st.trace_sizes) biggest = std::max(biggest, b);
      up = up && instant(biggest);
      const bool edge_only = std::all_of(st.stages.begin(), st.stages.end(), [](const StageExec& g) { return g.tier == Tier::edge; });
      down = down && edge_only && (!st.return_result || instant(st.result.si()));
    }
    si.instant_up = up;
    si.instant_down = down;
    for (Server* e : si.edge) e->direct = e->fast && up;
  }
}

void World::start_actors() {
  // Sites no stream comes from get no actors: nothing arrives at their edge units or sinks,
  // and thousands of idle sites would otherwise cost thousands of actor stacks.
  std::vector<char> kind_has_stream(in_.sites.size(), 0);
  for (const auto& st : in_.streams) kind_has_stream[static_cast<std::size_t>(st.site)] = 1;
  auto idle_site = [&](int instance) {
    return instance >= 0 && !kind_has_stream[static_cast<std::size_t>(sites_[static_cast<std::size_t>(instance)].kind)];
  };
  for (auto& s : servers_) {
    Server* sp = s.get();
    if ((sp->tier == Tier::edge && idle_site(sp->site)) || sp->job_only) continue;
    if (sp->slots == 1 && sp->max_batch == 1 && sp->queue_capacity == 0) {
      sp->fast = true;
      // The mailbox's receiver is an actor that does nothing else: transfers to a suspended
      // receiver would be suspended too (see Outbox), and the worker suspends itself.
      sg4::Actor::create("hold-" + sp->host->get_name(), sp->host, [sp] {
        sp->inbox->set_receiver(sg4::Actor::self());
        sg4::this_actor::sleep_for(1e300);
      })->daemonize();
      sg4::Actor::create("work-" + sp->host->get_name(), sp->host, [this, sp] { direct_worker(sp); })->daemonize();
      continue;
    }
    sg4::Actor::create("recv-" + sp->host->get_name(), sp->host, [this, sp] { receiver(sp); })->daemonize();
    for (int w = 0; w < sp->slots; ++w) {
      sg4::Actor::create(fmt::format("work-{}-{}", sp->host->get_name(), w), sp->host, [this, sp, w] { worker(sp, w); })->daemonize();
    }
  }
  for (std::size_t i = 0; i < sites_.size(); ++i) {
    SiteInst* sp = &sites_[i];
    if (idle_site(static_cast<int>(i))) continue;
    sg4::Actor::create(fmt::format("sink-{}", i), sp->src, [this, sp] { sink(sp->sink); })->daemonize();
    if (sp->sink_dc != sp->sink) {
      sg4::Actor::create(fmt::format("sink-dc-{}", i), sp->src, [this, sp] { sink(sp->sink_dc); })->daemonize();
    }
  }
  for (std::size_t st = 0; st < in_.streams.size(); ++st) {
    for (std::size_t i = 0; i < sites_.size(); ++i) {
      if (in_.sites[static_cast<std::size_t>(sites_[i].kind)].id != in_.sites[static_cast<std::size_t>(in_.streams[st].site)].id) continue;
      ++generators_running_;
      sg4::Actor::create(fmt::format("gen-{}-{}", st, i), sites_[i].src,
                         [this, st, i] { generator(static_cast<int>(st), static_cast<int>(i)); })->daemonize();
    }
  }
  if (!in_.streams.empty()) {
    sg4::Actor::create("monitor", sites_.front().src, [this] { monitor(); });
    if (in_.target_precision > 0) {
      sg4::Actor::create("precision", sites_.front().src, [this] { watch_precision(); })->daemonize();
    }
  }
  jobs_.assign(in_.jobs.size(), JobTimes{});
  for (std::size_t k = 0; k < in_.jobs.size(); ++k) {
    sg4::Host* where = in_.jobs[k].tier == Tier::dc ? dc_.front()->host : servers_.back()->host;
    for (const auto& si : sites_) {
      if (in_.jobs[k].tier == Tier::edge && si.kind == in_.jobs[k].upload_site && !si.edge.empty()) {
        where = si.edge.front()->host;
        break;
      }
    }
    sg4::Actor::create(fmt::format("job-{}", k), where, [this, k] { job(k); });
  }
}

// SimGrid's engine takes over SIGINT (EngineImpl::initialize: a handler that prints the actors'
// status and calls exit(1)). exit() runs atexit handlers and frees memory from inside a signal
// handler: a Ctrl-C that came while this process held malloc's lock (a send's allocation) hung
// it for good, and otherwise it ended with status 1 and no word. The process that runs the
// engine decides instead: the action in place before the engine is put back (the default in a
// runner's child, `hwplan simulate`'s own handler, cli/signals.cpp), with the interrupts held
// meanwhile so that none reaches SimGrid's handler. Its SIGSEGV/SIGBUS handlers are kept: they
// run only on a crash, say why (an actor's stack too small), and re-raise the signal, so the
// process still dies of it.
sg4::Engine* create_engine(int* argc, char** argv) {
  sigset_t held, before;
  sigemptyset(&held);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&held, sig);
  ::pthread_sigmask(SIG_BLOCK, &held, &before);
  struct sigaction sigint {};
  ::sigaction(SIGINT, nullptr, &sigint);
  auto* engine = new sg4::Engine(argc, argv);
  ::sigaction(SIGINT, &sigint, nullptr);
  ::pthread_sigmask(SIG_SETMASK, &before, nullptr);  // one that came meanwhile now takes that action
  return engine;
}

RunResult World::run() {
  const auto wall0 = std::chrono::steady_clock::now();
  xbt_log_control_set("root.thres:critical");
  std::vector<std::string> args{"hwplan",
                                "--cfg=network/model:CM02",
                                "--cfg=network/latency-factor:1.0",
                                "--cfg=network/bandwidth-factor:1.0",
                                "--cfg=network/TCP-gamma:0",
                                "--cfg=network/crosstraffic:0"};
  const EngineOptions& eo = in_.engine;
  if (!eo.context_factory.empty()) args.push_back("--cfg=contexts/factory:" + eo.context_factory);
  // Extra SimGrid settings for experiments, e.g. "network/optim:Full".
  for (const auto& c : eo.simgrid_cfg) args.push_back("--cfg=" + c);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  // The engine is deliberately never destroyed: a simulation owns its process, which ends
  // right after (SimGrid allows one engine per process). Note: SimGrid 3.32's thread
  // context factory deadlocks here when it reaps finished actors (a join on a thread that
  // never exits), so the sanitizer build uses the default raw contexts; ASan then warns
  // about stack switching ("ignoring __asan_handle_no_return") but reports no errors.
  auto* engine = create_engine(&argc, argv.data());
  // Batch jobs execute on the units' cores beside the streams' services: only then does the
  // engine need SimGrid executions and its energy plugin. EngineOptions::energy_plugin
  // forces them (a validation test compares both ways).
  analytic_energy_ = in_.jobs.empty() && !eo.energy_plugin;
  if (!analytic_energy_) sg_host_energy_plugin_init();  // before any host exists
  keep_sends_above_ = static_cast<std::size_t>(eo.keep_sends_above);
  build_platform();
  for (auto& s : servers_) s->slot_busy_since.assign(static_cast<std::size_t>(std::max(1, s->slots)), -1.0);
  set_decoder_flows();

  stats_.resize(in_.streams.size());
  batches_ = run_batches(in_);
  counted_batches_ = batches_;
  batch_len_ = (in_.duration.si() - in_.warmup.si()) / static_cast<double>(batches_);
  for (auto& s : servers_) {
    s->q_area.assign(batches_, 0.0);
    s->q_max.assign(batches_, 0);
  }
  for (auto& s : stats_) {
    s.latency.assign(batches_, LogHistogram());
    s.created.assign(batches_, 0);
    s.above_slo.assign(batches_, 0);
    s.dropped.assign(batches_, 0);
  }
  keep_rng_.seed(in_.seed ^ 0x9e3779b97f4a7c15ULL);
  watch_overload();
  done_mutex_ = sg4::Mutex::create();
  done_cv_ = sg4::ConditionVariable::create();
  jobs_mutex_ = sg4::Mutex::create();
  jobs_cv_ = sg4::ConditionVariable::create();
  start_actors();
  mark_instant();
  engine->run();
  const double clock = sg4::Engine::get_clock();
  if (in_.streams.empty()) {  // batch jobs only: measured until the last one ends
    end_time_ = clock;
    for (auto& s : servers_) s->energy_at_end = energy_now(s.get());
  }

  // What the run measured; summarize() (pure, sim/engine/summarize.cpp) makes the result.
  Collected c;
  c.clock = clock;
  c.end_time = end_time_;
  // The generators stopped at the duration or when an early stop was decided (batch jobs
  // alone: their end).
  c.arrival_end = in_.streams.empty() ? end_time_ : std::min({in_.duration.si(), stop_decided_at_, end_time_});
  c.requests = requests_;
  c.counted_batches = counted_batches_;
  c.batch_len = batch_len_;
  c.stop_reason = stop_reason_;
  c.last_precision = last_precision_;
  c.unchecked_stream = unchecked_stream_;
  c.short_stream = short_stream_;
  c.overload = overload_;
  c.streams = std::move(stats_);
  for (const auto& s : servers_) {
    const int kind = s->job_only ? kJobSiteUnit : s->site >= 0 ? sites_[static_cast<std::size_t>(s->site)].kind : -1;
    c.units.push_back({s->tier, s->slots, s->busy_slot_s, s->energy_at_end, s->q_area, s->q_max, kind, s->decoders_work});
  }
  for (const auto& si : sites_) {
    c.sites.push_back({si.kind, si.access_up, si.access_down, si.backhaul_up, si.backhaul_down, si.backhaul_bytes});
  }
  c.jobs = jobs_;
  RunResult res = summarize(in_, c);
  res.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  if (budget_hit_) {
    res.ok = false;
    res.error = fmt::format("{}: {} requests created by {} simulated of a {} run (EngineOptions.event_budget = {}); "
                            "shorten the duration, lower the load or raise the budget",
                            kEventBudgetExceeded, requests_, format_sim_time(stop_at_), format_sim_time(in_.duration.si()),
                            in_.engine.event_budget);
  }
  return res;
}

bool g_engine_used = false;

// A tier's figures with an LLM stream's replicas added to what the SimGrid streams measured on
// the same tier. Power from the time the replicas spend stepping (an iteration in flight),
// per unit P = P_idle + (P_max - P_idle) x busy, busy = the SimGrid streams' busy share +
// stepping: a GPU that steps without pause is charged its maximum power even when its steps
// are memory-bound (decode). Utilisation from the compute share of that time (how much of the
// replicas' arithmetic the steps use): continuous batching puts more sequences into a step at
// almost no extra time until compute binds, so a replica stepping 18 sequences out of hundreds
// is not near capacity, and the design's utilisation cap reads capacity. LlmResult carries
// both shares.
// Units `shared` with other streams (a pipeline stream, or another LLM stream, on the same
// tier): the streams are simulated apart (the LLM replicas here, the rest on SimGrid), so
// neither sees the other's work; while a replica steps its device serves nothing else, so the
// utilisation the design's cap reads is then the stepping share added to the other streams'
// busy share (at most 1): a unit booked past its cap is rejected (or grown) by the planner,
// though each stream's latency stays the one it would have alone.
void add_llm_tier(TierResult& tr, const TierSpec& spec, int represented_units, double stepping_share, double compute_share,
                  bool shared) {
  if (represented_units <= 0) return;
  tr.hardware = spec.hardware;
  tr.units_total = std::max(tr.units_total, represented_units);
  const double busy = std::min(1.0, tr.utilisation + stepping_share);
  tr.utilisation = std::min(1.0, tr.utilisation + (shared ? stepping_share : compute_share));
  const double power = represented_units * (spec.power_idle.si() + (spec.power_max.si() - spec.power_idle.si()) * busy);
  tr.avg_power_w = std::max(tr.avg_power_w, power);
  tr.energy_j_per_day = tr.avg_power_w * 86400.0;
}

// LLM serving streams run in sim/engine/llm_serving (continuous batching, stepped by
// iterations); the other streams and the batch jobs, if any, on SimGrid as usual. The LLM
// streams' results take their places in the stream order.
RunResult simulate_with_llm(const SimInput& input) {
  SimInput rest = input;
  rest.streams.clear();
  for (const auto& st : input.streams) {
    if (!st.llm) rest.streams.push_back(st);
  }
  RunResult res;
  res.label = input.label;
  if (!rest.streams.empty() || !rest.jobs.empty()) {
    World w(rest);
    w.set_precision_scope("every stream of the event simulation");
    res = w.run();
  } else {
    res.simulated_time_s = 3 * input.duration.si();
    res.stop_reason = "LLM serving: requests created over the measured window followed to their last token (at most 3 durations)";
  }
  const auto wall0 = std::chrono::steady_clock::now();
  std::vector<StreamResult> merged;
  std::size_t k = 0;
  for (std::size_t i = 0; i < input.streams.size(); ++i) {
    if (!input.streams[i].llm) {
      merged.push_back(res.streams.at(k++));
      continue;
    }
    double busy = 0;
    std::uint64_t requests = 0;
    StreamResult sr = run_llm_stream(input, i, busy, requests, &res);  // its bytes onto the site's links
    res.events += requests;
    const StreamExec& ex = input.streams[i];
    const bool dc = !ex.stages.empty() && ex.stages.front().tier == Tier::dc;
    const TierSpec& spec = dc ? input.dc : input.edge;
    const int sites = dc ? 1 : input.sites.at(static_cast<std::size_t>(ex.site)).count;
    // The other streams with work on the same units: in the data centre any stream with a
    // stage there; at the edge, a stream of the same site kind with a stage on site.
    const Tier tier = dc ? Tier::dc : Tier::edge;
    std::vector<std::string> others;
    for (std::size_t j = 0; j < input.streams.size(); ++j) {
      const StreamExec& o = input.streams[j];
      if (j == i || (!dc && o.site != ex.site)) continue;
      if (std::any_of(o.stages.begin(), o.stages.end(), [&](const StageExec& g) { return g.tier == tier; })) others.push_back(o.id);
    }
    const double before = (dc ? res.dc : res.edge).utilisation;
    add_llm_tier(dc ? res.dc : res.edge, spec, spec.units * sites, busy, sr.llm ? sr.llm->compute_share * busy : 0.0, !others.empty());
    if (!others.empty()) {
      if (!res.scaling_note.empty()) res.scaling_note += "; ";
      res.scaling_note += fmt::format(
          "LLM stream {} shares the {} units with stream(s) {} but was simulated apart from them: each latency is as if its "
          "stream ran alone (optimistic); the {} busy share adds the LLM replicas' stepping ({:.0f}%) to the rest ({:.0f}%)",
          ex.id, dc ? "data-centre" : "edge", fmt::join(others, ", "), dc ? "data-centre" : "edge", busy * 100, before * 100);
    }
    if (input.engine.event_budget > 0 && res.events > input.engine.event_budget) {
      res.ok = false;
      res.error = fmt::format("{}: {} LLM requests (EngineOptions.event_budget = {}); shorten the duration, lower the load or raise "
                              "the budget",
                              kEventBudgetExceeded, res.events, input.engine.event_budget);
    }
    if (input.target_precision > 0) res.stop_reason += "; " + llm_precision_note(sr, input.target_precision, input.duration.si());
    merged.push_back(std::move(sr));
  }
  res.streams = std::move(merged);
  res.wall_time_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  return res;
}

}  // namespace

RunResult simulate(const SimInput& input) {
  if (g_engine_used) throw std::logic_error("simulate() called twice in one process: SimGrid allows one engine per process");
  g_engine_used = true;
  auto refuse = [&](std::string why) {
    RunResult r;
    r.label = input.label;
    r.ok = false;
    r.error = std::move(why);
    return r;
  };
  if (input.streams.empty() && input.jobs.empty()) return refuse("nothing to simulate: no streams and no batch jobs");
  if (!input.streams.empty() && input.sites.empty()) return refuse("streams but no sites");
  for (const auto& j : input.jobs) {
    const TierSpec& ts = j.tier == Tier::dc ? input.dc : input.edge;
    if (j.devices < 1) return refuse(fmt::format("batch job {}: no devices", j.id));
    if (ts.units < 1) return refuse(fmt::format("batch job {}: no units in its tier", j.id));
    if (j.single_device_s < 0 || !std::isfinite(j.single_device_s)) return refuse(fmt::format("batch job {}: bad time", j.id));
    if (j.scaling_efficiency <= 0 || j.scaling_efficiency > 1) return refuse(fmt::format("batch job {}: scaling efficiency outside (0, 1]", j.id));
    const bool needs_site = j.tier == Tier::edge || j.dataset.si() > 0;
    if (needs_site && (j.upload_site < 0 || static_cast<std::size_t>(j.upload_site) >= input.sites.size())) {
      return refuse(fmt::format("batch job {}: site {} does not exist", j.id, j.upload_site));
    }
  }
  for (const auto& st : input.streams) {
    if (!st.llm) continue;
    if (st.stages.size() != 1) return refuse(fmt::format("LLM stream {}: expected one stage", st.id));
    if (st.llm->kv_capacity_tokens <= 0) return refuse(fmt::format("LLM stream {}: no KV-cache room next to the weights", st.id));
  }
  if (const std::string why = budget_exceeded_before_any_stop(input); !why.empty()) return refuse(why);
  if (std::any_of(input.streams.begin(), input.streams.end(), [](const StreamExec& st) { return st.llm.has_value(); })) {
    return simulate_with_llm(input);
  }
  World w(input);
  return w.run();
}

}  // namespace hw
