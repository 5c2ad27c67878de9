#include "gui/plan_data.hpp"

#include <fmt/format.h>

#include <cmath>

#include "sim/io/plan_report.hpp"

namespace hwgui {

std::string hardwareOf(const hw::CandidateSpec& c) { return hw::hardware_name(c); }

int totalUnits(const hw::Scenario& s, const hw::CandidateSpec& c) { return hw::total_units(s, c); }

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

hw::Table candidatesCsv(const hw::Scenario& s, const hw::Plan& plan) { return hw::plan_table(s, plan, hw::TableStyle::csv); }

}  // namespace hwgui
