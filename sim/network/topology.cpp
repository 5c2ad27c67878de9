#include "sim/network/topology.hpp"

#include <fmt/format.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <memory>
#include <limits>
#include <stdexcept>

namespace hw::net {

int Topology::add_node(Node n) {
  nodes_.push_back(std::move(n));
  cache_.reset();
  return static_cast<int>(nodes_.size()) - 1;
}

void Topology::connect(int from, int to, std::optional<LinkSpec> spec, const std::string& link_name) {
  const int n = static_cast<int>(nodes_.size());
  if (from < 0 || from >= n || to < 0 || to >= n || from == to) throw std::invalid_argument("connect: bad node index");
  Edge e{from, to, -1};
  if (spec) {
    links_.push_back(LinkDef{link_name, *spec, from, to});
    e.link = static_cast<int>(links_.size()) - 1;
  }
  edges_.push_back(e);
  cache_.reset();  // rebuilt by the next routes()
}

namespace {
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                                    boost::property<boost::edge_weight_t, double, boost::property<boost::edge_index_t, int>>>;
// Ends Dijkstra's search once every target is settled: a route from one site instance to
// the data centre need not visit the other sites.
struct AllTargetsSettled {};
class StopAtTargets : public boost::default_dijkstra_visitor {
 public:
  StopAtTargets(std::vector<char>* wanted, std::size_t* pending) : wanted_(wanted), pending_(pending) {}
  void finish_vertex(std::size_t v, const Graph&) const {
    if ((*wanted_)[v] && --*pending_ == 0) throw AllTargetsSettled{};
  }

 private:
  std::vector<char>* wanted_;
  std::size_t* pending_;
};
}  // namespace

struct Topology::GraphCache {
  Graph g;
};

std::vector<std::vector<Hop>> Topology::routes(int from, const std::vector<int>& to) const {
  const auto n = nodes_.size();
  if (from < 0 || static_cast<std::size_t>(from) >= n) throw std::invalid_argument("route: bad node index");
  for (int target : to) {
    if (target < 0 || static_cast<std::size_t>(target) >= n) throw std::invalid_argument("route: bad node index");
  }
  // The graph is built once (the engine asks for routes from every site instance: building
  // it per call made a platform of N sites cost O(N^2)).
  if (!cache_) {
    auto c = std::make_shared<GraphCache>();
    c->g = Graph(n);
    // Weight = latency plus a hop cost far below any real latency, so that among equal-latency
    // paths the one with fewer hops wins (local edges have no latency).
    constexpr double kHop = 1e-15;
    for (std::size_t i = 0; i < edges_.size(); ++i) {
      const Edge& e = edges_[i];
      const double w = (e.link >= 0 ? links_[static_cast<std::size_t>(e.link)].spec.latency.si() : 0.0) + kHop;
      boost::add_edge(static_cast<std::size_t>(e.a), static_cast<std::size_t>(e.b),
                      Graph::edge_property_type(w, Graph::edge_property_type::next_type(static_cast<int>(i))), c->g);
    }
    cache_ = std::move(c);
  }
  const Graph& g = cache_->g;
  std::vector<std::size_t> pred(n);
  std::vector<double> dist(n);
  std::vector<char> wanted(n, 0);
  std::size_t pending = 0;
  for (int target : to) {
    if (!wanted[static_cast<std::size_t>(target)]) ++pending;
    wanted[static_cast<std::size_t>(target)] = 1;
  }
  try {
    boost::dijkstra_shortest_paths(g, static_cast<std::size_t>(from),
                                   boost::predecessor_map(pred.data()).distance_map(dist.data()).visitor(StopAtTargets(&wanted, &pending)));
  } catch (const AllTargetsSettled&) {
  }
  const auto index = boost::get(boost::edge_index, g);
  std::vector<std::vector<Hop>> out;
  for (int target : to) {
    if (dist[static_cast<std::size_t>(target)] == std::numeric_limits<double>::max()) {
      throw std::invalid_argument(fmt::format("no route from {} to {}", nodes_[static_cast<std::size_t>(from)].name,
                                              nodes_[static_cast<std::size_t>(target)].name));
    }
    std::vector<Hop> hops;
    for (std::size_t v = static_cast<std::size_t>(target); v != static_cast<std::size_t>(from); v = pred[v]) {
      const std::size_t u = pred[v];
      // The cheapest edge between u and v (parallel edges are possible in principle).
      int best = -1;
      double best_w = std::numeric_limits<double>::max();
      for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
        if (boost::target(*it, g) != v) continue;
        const double w = boost::get(boost::edge_weight, g, *it);
        if (w < best_w) {
          best_w = w;
          best = boost::get(index, *it);
        }
      }
      const Edge& e = edges_[static_cast<std::size_t>(best)];
      if (e.link >= 0) hops.push_back(Hop{e.link, static_cast<std::size_t>(e.a) == u});
    }
    out.emplace_back(hops.rbegin(), hops.rend());
  }
  return out;
}

double Topology::latency_s(const std::vector<Hop>& route) const {
  double s = 0;
  for (const Hop& h : route) s += links_[static_cast<std::size_t>(h.link)].spec.latency.si();
  return s;
}

PlatformGraph build_topology(const TopologySpec& spec) {
  PlatformGraph p;
  Topology& t = p.graph;
  if (spec.dc_servers > 0) {
    p.wan = t.add_node(Node{NodeKind::wan, "wan", -1, -1});
    p.dc_router = t.add_node(Node{NodeKind::dc_router, "dc-router", -1, -1});
    t.connect(p.wan, p.dc_router, std::nullopt);
    for (int k = 0; k < spec.dc_servers; ++k) {
      const int s = t.add_node(Node{NodeKind::dc_server, fmt::format("dc-{}", k), -1, k});
      t.connect(p.dc_router, s, spec.dc_fabric, fmt::format("fabric-{}", k));
      p.dc_servers.push_back(s);
    }
  }
  for (std::size_t kind = 0; kind < spec.sites.size(); ++kind) {
    const auto& sk = spec.sites[kind];
    for (int n = 0; n < sk.instances; ++n) {
      const int i = static_cast<int>(p.sites.size());
      SiteNodes sn;
      sn.kind = static_cast<int>(kind);
      sn.source = t.add_node(Node{NodeKind::source, fmt::format("src-{}", i), i, -1});
      sn.gateway = t.add_node(Node{NodeKind::gateway, fmt::format("gw-{}", i), i, -1});
      t.connect(sn.source, sn.gateway, sk.access, fmt::format("access-{}", i));
      sn.access_link = static_cast<int>(t.links().size()) - 1;
      if (p.wan >= 0) {
        t.connect(sn.gateway, p.wan, sk.backhaul, fmt::format("backhaul-{}", i));
        sn.backhaul_link = static_cast<int>(t.links().size()) - 1;
      }
      for (int u = 0; u < spec.edge_units_per_site; ++u) {
        const int e = t.add_node(Node{NodeKind::edge_unit, fmt::format("edge-{}-{}", i, u), i, u});
        t.connect(sn.gateway, e, std::nullopt);
        sn.edge_units.push_back(e);
      }
      p.sites.push_back(std::move(sn));
    }
  }
  return p;
}

}  // namespace hw::net
