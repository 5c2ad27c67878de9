// The network graph (sim/network/topology): nodes, links and shortest-path routes, with
// no SimGrid. Routes must be the ones the engine has always used (the validation tests
// check the resulting latencies and sharing on SimGrid).
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "sim/network/topology.hpp"

using namespace hw;
using namespace hw::net;

namespace {

std::string names(const Topology& t, const std::vector<Hop>& route) {
  std::string s;
  for (const Hop& h : route) s += (s.empty() ? "" : " ") + t.links()[static_cast<std::size_t>(h.link)].name + (h.up ? "^" : "v");
  return s;
}

TopologySpec two_kinds(int edge_units, int dc_servers) {
  TopologySpec spec;
  spec.sites.push_back({"shop", 2, LinkSpec{"wired", Seconds(1e-3), BitsPerSecond(1e9)}, LinkSpec{"wan", Seconds(15e-3), BitsPerSecond(200e6)}});
  spec.sites.push_back({"depot", 1, LinkSpec{"lte", Seconds(20e-3), BitsPerSecond(50e6)}, LinkSpec{"wan", Seconds(30e-3), BitsPerSecond(100e6)}});
  spec.edge_units_per_site = edge_units;
  spec.dc_servers = dc_servers;
  spec.dc_fabric = LinkSpec{"dc", Seconds(50e-6), BitsPerSecond(100e9)};
  return spec;
}

}  // namespace

TEST_CASE("topology: nodes and links per site instance, kind by kind") {
  const PlatformGraph p = build_topology(two_kinds(2, 3));
  REQUIRE(p.sites.size() == 3);
  CHECK(p.sites[0].kind == 0);
  CHECK(p.sites[1].kind == 0);
  CHECK(p.sites[2].kind == 1);
  CHECK(p.dc_servers.size() == 3);
  // 3 fabric + 3 x (access + backhaul) links.
  CHECK(p.graph.links().size() == 9);
  CHECK(p.graph.nodes()[static_cast<std::size_t>(p.sites[2].edge_units[1])].name == "edge-2-1");
  CHECK(p.graph.links()[static_cast<std::size_t>(p.sites[2].backhaul_link)].name == "backhaul-2");
  CHECK(p.graph.links()[static_cast<std::size_t>(p.sites[2].backhaul_link)].spec.latency.si() == doctest::Approx(30e-3));
}

TEST_CASE("topology: routes are the engine's: access to the edge. access, backhaul, fabric to the data centre") {
  const PlatformGraph p = build_topology(two_kinds(2, 3));
  const Topology& t = p.graph;
  const auto& s1 = p.sites[1];
  CHECK(names(t, t.route(s1.source, s1.edge_units[0])) == "access-1^");
  CHECK(names(t, t.route(s1.source, p.dc_servers[2])) == "access-1^ backhaul-1^ fabric-2^");
  CHECK(names(t, t.route(s1.edge_units[1], p.dc_servers[0])) == "backhaul-1^ fabric-0^");
  CHECK(names(t, t.route(s1.gateway, p.dc_servers[0])) == "backhaul-1^ fabric-0^");
  // The way back crosses the same links downwards, in reverse order.
  CHECK(names(t, t.route(p.dc_servers[2], s1.source)) == "fabric-2v backhaul-1v access-1v");
  // Latency: 1 ms + 15 ms + 50 us; depot: 20 + 30 ms + 50 us.
  CHECK(t.latency_s(t.route(s1.source, p.dc_servers[0])) == doctest::Approx(16.05e-3));
  CHECK(t.latency_s(t.route(p.sites[2].source, p.dc_servers[0])) == doctest::Approx(50.05e-3));
  // Site to site goes through the WAN: access, backhaul up, backhaul down, access.
  CHECK(names(t, t.route(p.sites[0].source, p.sites[2].edge_units[0])) == "access-0^ backhaul-0^ backhaul-2v");
  // Several targets at once give the same routes as one by one.
  const auto many = t.routes(s1.source, {p.dc_servers[0], p.dc_servers[1], s1.edge_units[1]});
  REQUIRE(many.size() == 3);
  CHECK(names(t, many[1]) == "access-1^ backhaul-1^ fabric-1^");
  CHECK(names(t, many[2]) == "access-1^");
}

TEST_CASE("topology: without a data centre there is no WAN, and the data centre is unreachable") {
  const PlatformGraph p = build_topology(two_kinds(1, 0));
  CHECK(p.wan == -1);
  CHECK(p.dc_servers.empty());
  CHECK(p.sites[0].backhaul_link == -1);
  CHECK(p.graph.links().size() == 3);  // access links only
  CHECK(names(p.graph, p.graph.route(p.sites[0].source, p.sites[0].edge_units[0])) == "access-0^");
  CHECK_THROWS_AS((void)p.graph.route(p.sites[0].source, p.sites[1].edge_units[0]), std::invalid_argument);
}

TEST_CASE("topology: the lowest-latency path wins. ties go to fewer hops") {
  Topology t;
  const int a = t.add_node(Node{NodeKind::gateway, "a", -1, -1});
  const int b = t.add_node(Node{NodeKind::wan, "b", -1, -1});
  const int c = t.add_node(Node{NodeKind::dc_router, "c", -1, -1});
  t.connect(a, c, LinkSpec{"wan", Seconds(10e-3), BitsPerSecond(1e9)}, "direct");
  t.connect(a, b, LinkSpec{"wan", Seconds(3e-3), BitsPerSecond(1e9)}, "ab");
  t.connect(b, c, LinkSpec{"wan", Seconds(4e-3), BitsPerSecond(1e9)}, "bc");
  CHECK(names(t, t.route(a, c)) == "ab^ bc^");
  CHECK(names(t, t.route(c, a)) == "bcv abv");
  Topology u;
  const int x = u.add_node(Node{NodeKind::gateway, "x", -1, -1});
  const int y = u.add_node(Node{NodeKind::wan, "y", -1, -1});
  const int z = u.add_node(Node{NodeKind::dc_router, "z", -1, -1});
  u.connect(x, y, std::nullopt);
  u.connect(y, z, std::nullopt);
  u.connect(x, z, LinkSpec{"wan", Seconds(0), BitsPerSecond(1e9)}, "xz");
  CHECK(names(u, u.route(x, z)) == "xz^");
  CHECK_THROWS_AS(u.connect(x, x, std::nullopt), std::invalid_argument);
}
