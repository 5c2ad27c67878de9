// The network as a graph (Boost.Graph), independent of SimGrid: hosts and junctions are
// vertices, links are edges, routes are shortest paths. sim/engine turns it into a SimGrid
// platform (hosts, split-duplex links, one route per communicating pair).
//
//   source -access- gateway -backhaul- wan -(local)- dc router -fabric- dc server
//                      |
//                  (local) edge unit
//
// One source, gateway and set of edge units per simulated site instance. The backhaul
// edge stands for the site's whole path to the data centre (aggregation + WAN), because a
// scenario gives one latency and bandwidth for it. "Local" edges join co-located nodes
// and carry no link (no latency, no bandwidth limit): an edge unit sits behind the
// gateway on the site's LAN, the WAN ends at the data centre's router.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/workload/scenario.hpp"

namespace hw::net {

enum class NodeKind { source, gateway, edge_unit, wan, dc_router, dc_server };

struct Node {
  NodeKind kind = NodeKind::source;
  std::string name;   // unique; the SimGrid host name for hosts
  int site = -1;      // site instance (source, gateway, edge unit)
  int index = -1;     // edge unit within its site, or data-centre server
};

struct LinkDef {
  std::string name;   // unique; the SimGrid link name
  LinkSpec spec;
  int from = -1, to = -1;  // its "up" direction: site side -> data-centre side
};

// One traversal of a link: `up` when the route crosses it from `from` to `to`.
struct Hop {
  int link = -1;
  bool up = true;
};

class Topology {
 public:
  int add_node(Node n);
  // A link between two nodes; `spec` empty = a local edge with no link.
  void connect(int from, int to, std::optional<LinkSpec> spec, const std::string& link_name = "");

  [[nodiscard]] const std::vector<Node>& nodes() const { return nodes_; }
  [[nodiscard]] const std::vector<LinkDef>& links() const { return links_; }

  // Links on the lowest-latency path from `from` to each of `to` (ties: fewer hops), in
  // order; throws std::invalid_argument if one is unreachable.
  [[nodiscard]] std::vector<std::vector<Hop>> routes(int from, const std::vector<int>& to) const;
  [[nodiscard]] std::vector<Hop> route(int from, int to) const { return routes(from, {to}).front(); }
  // One-way latency of a route: the sum of its links' latencies.
  [[nodiscard]] double latency_s(const std::vector<Hop>& route) const;

 private:
  struct Edge {
    int a = -1, b = -1;
    int link = -1;  // -1: local
  };
  std::vector<Node> nodes_;
  std::vector<LinkDef> links_;
  std::vector<Edge> edges_;
  struct GraphCache;                          // the Boost.Graph graph, built by routes()
  mutable std::shared_ptr<const GraphCache> cache_;
};

// What the engine simulates, in the terms the graph needs.
struct TopologySpec {
  struct SiteKind {
    std::string id;
    int instances = 1;  // simulated instances of this kind
    LinkSpec access, backhaul;
  };
  std::vector<SiteKind> sites;
  int edge_units_per_site = 0;
  int dc_servers = 0;
  // One link per data-centre server; none (a local hop) when the engine folds the fabric
  // into the backhaul (see sim/engine).
  std::optional<LinkSpec> dc_fabric;
};

struct SiteNodes {
  int kind = 0;       // index into TopologySpec::sites
  int source = -1, gateway = -1;
  std::vector<int> edge_units;
  int access_link = -1, backhaul_link = -1;  // indices into Topology::links()
};

struct PlatformGraph {
  Topology graph;
  std::vector<SiteNodes> sites;   // simulated site instances, kind by kind
  std::vector<int> dc_servers;
  int wan = -1, dc_router = -1;
};

// Names: hosts src-i, gw-i, edge-i-u, dc-k; links access-i, backhaul-i, fabric-k (i = site
// instance). Without data-centre servers there is no wan, router or backhaul in the graph.
PlatformGraph build_topology(const TopologySpec& spec);

}  // namespace hw::net
