#include "gui/plan_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/plan/evaluate.hpp"

namespace hwgui {

// These follow cli/recommend.cpp word for word, so that the app and the CLI say the same;
// once the output schemas move into sim/io (the io-schemas branch: hw::plan_table,
// hw::hardware_name, hw::total_units), this file should call them instead.

std::string hardwareOf(const hw::CandidateSpec& c) {
  const std::string e = hw::edge_unit_name(c);
  switch (c.family) {
    case hw::Family::edge: return e;
    case hw::Family::gpu: return c.gpu_hardware;
    case hw::Family::hybrid: return e + "+" + c.gpu_hardware;
  }
  return "";
}

int totalUnits(const hw::Scenario& s, const hw::CandidateSpec& c) {
  double sites = 0;
  for (const auto& x : s.sites) sites += x.count;
  int n = 0;
  if (c.family != hw::Family::gpu) n += static_cast<int>(c.units_per_site * sites);
  if (c.family != hw::Family::edge) n += c.servers;
  return n;
}

std::string unitsText(const hw::CandidateSpec& c) {
  switch (c.family) {
    case hw::Family::edge: return fmt::format("{}/site", c.units_per_site);
    case hw::Family::gpu: return fmt::format("{} srv", c.servers);
    case hw::Family::hybrid: return fmt::format("{}/site+{} srv", c.units_per_site, c.servers);
  }
  return "";
}

QString shortMoney(double v) {
  if (std::abs(v) >= 1e6) return QString::fromStdString(fmt::format("{:.3g}M", v / 1e6));
  if (std::abs(v) >= 1e3) return QString::fromStdString(fmt::format("{:.3g}k", v / 1e3));
  return QString::fromStdString(fmt::format("{:.0f}", v));
}

hw::Table candidatesCsv(const hw::Scenario& s, const hw::Plan& plan) {
  std::vector<hw::CandidateReport> reports;
  for (const auto& x : plan.candidates) reports.push_back(x.report);
  hw::Table t = hw::candidates_table(s, reports, false);
  for (const char* h : {"units", "p50_ci_low_ms", "p50_ci_high_ms", "p95_ci_low_ms", "p95_ci_high_ms", "edge_stages", "probes",
                        "pareto", "recommended", "fix"}) {
    t.header.emplace_back(h);
  }
  for (std::size_t i = 0; i < plan.candidates.size(); ++i) {
    const auto& x = plan.candidates[i];
    const auto& r = x.report;
    const bool run = !r.run.streams.empty();
    const hw::StreamResult* st = run && r.run.streams[r.worst_stream].completed > 0 ? &r.run.streams[r.worst_stream] : nullptr;
    auto ms = [&](double sec) { return st ? fmt::format("{:.6g}", sec * 1e3) : std::string(); };
    auto& row = t.rows[i];
    auto col = [&](const std::string& name) -> std::string& {
      const auto it = std::find(t.header.begin(), t.header.end(), name);
      return row[static_cast<std::size_t>(it - t.header.begin())];
    };
    col("hardware") = hardwareOf(r.candidate.spec);
    col("edge_hardware") = hw::edge_unit_name(r.candidate.spec);
    if (x.screened_out) {  // never sized or priced: no figures rather than zeros
      for (const auto& h : t.header) {
        if (h.rfind("capex_", 0) == 0 || h.rfind("opex_", 0) == 0 || h.rfind("tco_", 0) == 0 || h.rfind("cost_per_million_", 0) == 0 ||
            h == "units_per_site" || h == "servers" || h == "avg_power_w" || h == "energy_kwh_per_day" || h == "backhaul_gb_per_day" ||
            h == "throughput_per_s" || h == "edge_utilisation" || h == "dc_utilisation") {
          col(h) = "";
        }
      }
    }
    row.push_back(x.screened_out ? "" : std::to_string(totalUnits(s, r.candidate.spec)));
    row.push_back(ms(st ? st->p50_s.ci_low : 0));
    row.push_back(ms(st ? st->p50_s.ci_high : 0));
    row.push_back(ms(st ? st->p95_s.ci_low : 0));
    row.push_back(ms(st ? st->p95_s.ci_high : 0));
    row.push_back(r.candidate.spec.family == hw::Family::hybrid ? std::to_string(r.candidate.spec.edge_stages) : "");
    row.push_back(std::to_string(x.probes.size()));
    row.push_back(x.pareto ? "true" : "false");
    row.push_back(plan.winner && *plan.winner == i ? "true" : "false");
    row.push_back(x.fix);
  }
  return t;
}

}  // namespace hwgui
