#include "sim/plan/design.hpp"

#include <algorithm>
#include <cmath>

namespace hw {

double unit_availability(double mtbf_s, double repair_s) {
  if (mtbf_s <= 0) return 1.0;
  return mtbf_s / (mtbf_s + std::max(0.0, repair_s));
}

double k_of_n(int need, int spares, double a) {
  if (need <= 0) return 1.0;
  const int n = need + std::max(0, spares);
  double sum = 0;
  for (int i = need; i <= n; ++i) {
    // C(n, i) a^i (1 - a)^(n - i), in logs so large fleets do not overflow.
    const double log_c = std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0);
    const double log_fail = n - i == 0 ? 0.0 : (n - i) * std::log(std::max(1e-300, 1 - a));
    sum += std::exp(log_c + i * std::log(std::max(1e-300, a)) + log_fail);
  }
  return std::clamp(sum, 0.0, 1.0);
}

bool dc_serves_streams(const Scenario& s, const CandidateSpec& c) {
  if (c.family == Family::edge || c.gpu_hardware.empty()) return false;
  if (c.family == Family::gpu) return !s.streams.empty();
  // Hybrid: stages from edge_stages on run in the data centre (resolve_candidate).
  return std::any_of(s.streams.begin(), s.streams.end(),
                     [&](const Stream& st) { return static_cast<int>(st.pipeline.size()) > c.edge_stages; });
}

int dc_spares(const Scenario& s, const CandidateSpec& c) {
  if (s.design.dc_spares) return *s.design.dc_spares;
  return dc_serves_streams(s, c) ? 1 : 0;
}

Availability availability(const Scenario& s, const Catalogue& cat, const ResolvedCandidate& c, bool dc_rented) {
  Availability out;
  const auto& in = c.input;
  for (const auto& site : s.sites) out.sites += site.count;
  out.site_spares = in.edge.units > 0 ? s.design.site_spares : 0;
  out.dc_spares = in.dc.units > 0 && !dc_rented ? dc_spares(s, c.spec) : 0;
  constexpr double h = 3600.0;
  if (in.edge.units > 0) {
    const auto& p = cat.profile(in.edge.hardware);
    const bool given = p.mtbf.si() > 0;
    out.estimated = out.estimated || !given;
    out.edge_unit = unit_availability(given ? p.mtbf.si() : kEdgeMtbfH * h, given ? p.repair_time.si() : kEdgeRepairH * h);
    out.site = k_of_n(in.edge.units, out.site_spares, out.edge_unit);
    out.site_single_point = out.site_spares == 0;
    out.site_one_spare = out.site_spares == 0 ? k_of_n(in.edge.units, 1, out.edge_unit) : out.site;
  }
  if (in.dc.units > 0) {
    const auto& p = cat.profile(in.dc.hardware);
    const bool given = p.mtbf.si() > 0;
    out.estimated = out.estimated || !given;
    const int gpus = std::max(1, in.dc.slots);
    // A card or module alone states its own MTBF: its server fails when any of its g does.
    const double mtbf = given ? (p.klass == HardwareClass::accelerator ? p.mtbf.si() / gpus : p.mtbf.si()) : kAcceleratorMtbfH * h / gpus;
    out.dc_unit = unit_availability(mtbf, given ? p.repair_time.si() : kDcRepairH * h);
    out.dc = k_of_n(in.dc.units, out.dc_spares, out.dc_unit);
  }
  out.deployment = std::pow(out.site, out.sites) * out.dc;
  return out;
}

}  // namespace hw
