#include "sim/plan/site_fit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace hw {
namespace {

std::string celsius(const std::optional<double>& v, const char* none) { return v ? fmt::format("{:g} C", *v) : std::string(none); }

// The range a unit (host + accelerator) lives in: the tighter of both where both state one.
OperatingRange unit_range(const Catalogue& cat, const CandidateSpec& c) {
  OperatingRange r = cat.profile(c.edge_hardware).operating;
  if (c.edge_accelerator.empty()) return r;
  const OperatingRange& a = cat.profile(c.edge_accelerator).operating;
  if (a.min_c) r.min_c = r.min_c ? std::max(*r.min_c, *a.min_c) : *a.min_c;
  if (a.max_c) r.max_c = r.max_c ? std::min(*r.max_c, *a.max_c) : *a.max_c;
  return r;
}

bool has_edge_units(const CandidateSpec& c) { return c.family != Family::gpu && !c.edge_hardware.empty(); }

Reason condition(const Site& site, const std::string& what, double figure, double bound, const std::string& unit, std::string fix) {
  Reason r;
  r.kind = ReasonKind::site_conditions;
  r.subject = site.id;
  r.detail = what;
  r.figure = figure;
  r.bound = bound;
  r.unit = unit;
  r.fix = std::move(fix);
  return r;
}

}  // namespace

SiteFit site_fit(const Scenario& s, const Catalogue& cat, const CandidateSpec& c) {
  SiteFit f;
  if (!has_edge_units(c)) return f;
  const HardwareProfile& host = cat.profile(c.edge_hardware);
  const OperatingRange u = unit_range(cat, c);
  f.unit_power_w = host.power_max.si() + (c.edge_accelerator.empty() ? 0.0 : cat.profile(c.edge_accelerator).power_max.si());
  for (const auto& site : s.sites) {
    const SiteConditions& k = site.conditions;
    if (k.min_c || k.max_c) {
      const bool stated = (!k.min_c || u.min_c) && (!k.max_c || u.max_c);
      const bool cold = k.min_c && u.min_c && *u.min_c > *k.min_c;
      const bool hot = k.max_c && u.max_c && *u.max_c < *k.max_c;
      if (!stated || cold || hot) {
        // figure/bound: the unit's and the site's bound on the side that breaks (hot first).
        Reason r = condition(site, "temperature", hot ? *u.max_c : cold ? *u.min_c : 0, hot ? *k.max_c : cold ? *k.min_c : 0, "C",
                             stated ? fmt::format("edge hardware rated for {} to {} ambient, or a climate-controlled enclosure",
                                                  celsius(k.min_c, "any"), celsius(k.max_c, "any"))
                                    : "the operating temperature range in the profile (operating.temperature), from its datasheet");
        r.context["stated"] = stated ? 1 : 0;
        if (u.min_c) r.context["unit_min_c"] = *u.min_c;
        if (u.max_c) r.context["unit_max_c"] = *u.max_c;
        if (k.min_c) r.context["site_min_c"] = *k.min_c;
        if (k.max_c) r.context["site_max_c"] = *k.max_c;
        f.excluded.push_back(std::move(r));
      }
    }
    if (k.ingress && (!u.ingress || !ingress_covers(*u.ingress, *k.ingress))) {
      Reason r = condition(site, "ingress", 0, 0, "",
                           u.ingress ? fmt::format("an enclosure rated {} or better", to_string(*k.ingress))
                                     : "the ingress rating in the profile (operating.ingress), or an enclosure rated " + to_string(*k.ingress));
      r.context["site_solids"] = k.ingress->solids;
      r.context["site_water"] = k.ingress->water;
      r.context["stated"] = u.ingress ? 1 : 0;
      if (u.ingress) {
        r.context["unit_solids"] = u.ingress->solids;
        r.context["unit_water"] = u.ingress->water;
      }
      f.excluded.push_back(std::move(r));
    }
    if (k.power) {
      f.power_w = f.power_w ? std::min(*f.power_w, k.power->si()) : k.power->si();
      if (f.unit_power_w > k.power->si()) {
        Reason r = condition(site, "power", f.unit_power_w, k.power->si(), "W",
                             fmt::format("a site power supply of at least {}", format_power(Watts(f.unit_power_w))));
        r.context["units"] = 1;
        f.excluded.push_back(std::move(r));
      }
    }
    for (const auto& [kind, need] : k.ports) {
      const auto it = u.ports.find(kind);
      const int per_unit = it == u.ports.end() ? 0 : it->second;
      if (per_unit == 0) {
        Reason r = condition(site, "ports." + kind, need, 0, "ports",
                             u.ports.empty() ? "the sensor ports in the profile (operating.ports), from its datasheet"
                                             : fmt::format("hardware with {} ports, or an aggregator (switch, hub) at the site", kind));
        r.context["stated"] = u.ports.empty() ? 0 : 1;
        f.excluded.push_back(std::move(r));
        continue;
      }
      f.min_units = std::max(f.min_units, (need + per_unit - 1) / per_unit);
    }
  }
  return f;
}

std::vector<Reason> site_conditions_at(const Scenario& s, const Catalogue& cat, const CandidateSpec& c, int units_per_site) {
  SiteFit f = site_fit(s, cat, c);
  std::vector<Reason> out = std::move(f.excluded);
  if (!has_edge_units(c) || units_per_site <= 0) return out;
  const bool power_excluded = std::any_of(out.begin(), out.end(), [](const Reason& r) { return r.detail == "power"; });
  for (const auto& site : s.sites) {
    const SiteConditions& k = site.conditions;
    const double need_w = units_per_site * f.unit_power_w;
    if (k.power && !power_excluded && need_w > k.power->si()) {
      Reason r = condition(site, "power", need_w, k.power->si(), "W", fmt::format("a site power supply of at least {}", format_power(Watts(need_w))));
      r.context["units"] = units_per_site;
      r.context["unit_power_w"] = f.unit_power_w;
      out.push_back(std::move(r));
    }
    const OperatingRange u = unit_range(cat, c);
    for (const auto& [kind, need] : k.ports) {
      const auto it = u.ports.find(kind);
      const int per_unit = it == u.ports.end() ? 0 : it->second;
      if (per_unit > 0 && units_per_site * per_unit < need) {
        Reason r = condition(site, "ports." + kind, need, units_per_site * per_unit, "ports",
                             fmt::format("at least {} units per site", (need + per_unit - 1) / per_unit));
        r.context["units"] = units_per_site;
        r.context["per_unit"] = per_unit;
        r.context["stated"] = 1;
        out.push_back(std::move(r));
      }
    }
  }
  return out;
}

}  // namespace hw
