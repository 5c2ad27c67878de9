// Headroom and redundancy: availability of a deployment from each unit's MTBF and repair
// time, with N+k spares (the scenario's `design:` block).
//
//   unit availability   a = MTBF / (MTBF + repair)
//   a site (or the data centre) is up while at least n of its n + k units are up:
//     A(n, k) = sum_{i=n}^{n+k} C(n+k, i) a^i (1 - a)^(n+k-i)
//   the deployment is up when every site and the data centre are: A_site^sites x A_dc
//
// Units fail independently and are repaired one at a time at their own pace (no shared
// repair crew): the usual k-out-of-n steady state, optimistic where one visit serves many.
//
// Default spares (a cautious architect's, docs/input-format.md "Design"): N+1 in a data
// centre that serves streams, since one server down there takes every site down at once;
// none in a data centre that runs batch jobs alone (a failure delays the job, checkpoints and the deadline absorb
// it) and none at a site unless asked for: a site with no spare is a single point of
// failure for that site, which the report flags with what N+1 would give and cost.
#pragma once

#include "sim/io/loaders.hpp"
#include "sim/plan/deployment.hpp"

namespace hw {

// Estimates used where a profile gives no `reliability` (stated in the output):
// an edge box 50 000 h between failures (about 5.7 years) and 48 h to repair (a site visit
// within two days); a data-centre accelerator 50 000 h (Meta reported 419 unexpected
// interruptions in 54 days on 16 384 H100 GPUs, Llama 3 paper 2024: about 50 700 GPU-hours
// each, recalled), so a server of g of them fails g times as often, and 4 h to swap it.
constexpr double kEdgeMtbfH = 50000, kEdgeRepairH = 48;
constexpr double kAcceleratorMtbfH = 50000, kDcRepairH = 4;

struct Availability {
  double edge_unit = 1, dc_unit = 1;  // one unit
  double site = 1;                    // one site keeps the units it needs
  double dc = 1;                      // the data centre keeps the servers it needs
  double deployment = 1;              // every site and the data centre at once
  int sites = 0;
  int site_spares = 0, dc_spares = 0;
  bool estimated = false;             // an MTBF or repair time is the estimate above
  // N+0 at the sites: one failed unit takes its site down. site_one_spare is what N+1 at
  // every site would give (1 when the sites already have a spare or no edge units).
  bool site_single_point = false;
  double site_one_spare = 1;
};

// Whether the candidate's data centre serves a stream (a stage of one runs there): a
// GPU-central candidate with streams, a hybrid with a stream longer than its edge stages.
// A data centre that runs batch jobs alone is busy only while they compute.
bool dc_serves_streams(const Scenario& s, const CandidateSpec& c);
// The data centre's spare servers: design.spares.dc when given, else 1 when the data centre
// serves streams and 0 when it runs batch jobs alone (whatever the sites run).
int dc_spares(const Scenario& s, const CandidateSpec& c);

double unit_availability(double mtbf_s, double repair_s);
// P(at least `need` of `need + spares` units up), each up with probability a.
double k_of_n(int need, int spares, double a);
// `dc_rented`: the data-centre tier is rented by the GPU-hour (the rent-or-buy choice): the
// rent pays for the GPUs in use and buys no spare, so the data centre runs N+0 (a failed
// rented server is down until replaced, at the repair time of an owned one: an estimate).
Availability availability(const Scenario& s, const Catalogue& cat, const ResolvedCandidate& c, bool dc_rented = false);

}  // namespace hw
