// A finished plan as the desktop app holds it, and the few read-only views of it that the
// card, the table, the charts and the exports share. No arithmetic beyond counting: every
// figure comes from hw::Plan as the planner computed it.
#pragma once

#include <QMetaType>
#include <QString>
#include <memory>
#include <string>

#include "sim/io/report.hpp"
#include "sim/plan/planner.hpp"

namespace hwgui {

struct PlanOutcome {
  hw::Scenario scenario;
  hw::Plan plan;  // never cancelled: a cancelled plan is not an outcome
  double wallSeconds = 0;
};
using PlanOutcomePtr = std::shared_ptr<const PlanOutcome>;

// The same words and counts as every other output (sim/io/plan_report.hpp).
// hardware: "jetson-orin-nano-super", "l4x4-server", "jetson-orin-nano-super+l4x4-server".
std::string hardwareOf(const hw::CandidateSpec& c);
// Every unit of the deployment: edge units over all sites plus servers.
int totalUnits(const hw::Scenario& s, const hw::CandidateSpec& c);
// "2/site", "3 srv", "1/site+2 srv" (as the CLI's table).
std::string unitsText(const hw::CandidateSpec& c);
// "1.23M", "456k", "789".
QString shortMoney(double v);

// The candidates as `hwplan recommend` writes its CSV (hw::plan_table): the same
// columns, one row per candidate in enumeration order.
hw::Table candidatesCsv(const hw::Scenario& s, const hw::Plan& plan);

}  // namespace hwgui

Q_DECLARE_METATYPE(hwgui::PlanOutcomePtr)
