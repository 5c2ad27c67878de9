// A finished plan as the desktop app holds it, and the few read-only views of it that the
// card, the table, the charts and the exports share. No arithmetic beyond counting: every
// figure comes from hw::Plan as the planner computed it.
#pragma once

#include <QMetaType>
#include <QString>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/io/report.hpp"
#include "sim/plan/planner.hpp"

namespace hwgui {

// Each family's cheapest feasible candidate in one plan, as the planner ranked them.
struct FamilyBest {
  hw::Family family = hw::Family::edge;
  std::string label;  // the candidate's label ("gpu l4x4-server x1")
  double tco = 0;
};
// Cheapest first (the first is the plan's winner); a family with nothing feasible is absent.
std::vector<FamilyBest> familyBests(const hw::Plan& plan);

// The scenario planned again with every stream's load multiplied (hw::scale_load): the
// sensitivity view's curve of each family's best TCO against load.
struct LoadPoint {
  double load = 1;
  std::vector<FamilyBest> best;  // familyBests() of the plan at that load
};
struct LoadCurve {
  std::vector<LoadPoint> points;  // by load, x1 (the plan itself) included: the loads planned
  // Every load asked for, by load (x1 included); more than points.size() when cancelled.
  std::vector<double> loads;
  // Cancelled before every load was planned: points holds the loads done by then (kept, and
  // drawn), and planning the curve again resumes it (the loads done come from the cache).
  bool cancelled = false;
};

struct PlanOutcome {
  hw::Scenario scenario;
  hw::Plan plan;  // never cancelled: a cancelled plan is not an outcome
  double wallSeconds = 0;
  // Filled after the plan when the load curve was asked for (null until then, or never).
  std::shared_ptr<const LoadCurve> loadCurve;
};
using PlanOutcomePtr = std::shared_ptr<const PlanOutcome>;

// The same words and counts as every other output (sim/io/plan_report.hpp).
// hardware: "jetson-orin-nano-super", "l4x4-server", "jetson-orin-nano-super+l4x4-server".
std::string hardwareOf(const hw::CandidateSpec& c);
// Every unit of the deployment bought (or rented): edge units over all sites plus servers,
// with the design's spares (the CSV's and JSON's `units`).
int unitsBought(const hw::Scenario& s, const hw::CandidateReport& r);
// "2/site", "3 srv", "1/site+2 srv" (as the CLI's table).
std::string unitsText(const hw::CandidateSpec& c);
// The same with the spares the design bought beside the sized units ("1+1 srv").
std::string unitsText(const hw::CandidateReport& r);
// The family in the same words on every page. An edge fleet of a scenario with `retraining:`
// is the train-infer-iterate hybrid; the hybrid family is the split pipeline.
// familyWords, for the card and Compare (hw::deployment_label, the CLI's words): "edge-only",
// "GPU-central", "hybrid: train in the data centre, infer at the edge", "hybrid: split
// pipeline". familyShort, for the table, legends and lists: "edge", "gpu",
// "hybrid (train-infer loop)", "hybrid (split pipeline)".
QString familyWords(const hw::Scenario& s, hw::Family f);
QString familyShort(const hw::Scenario& s, hw::Family f);
// One candidate's: a hybrid that keeps every pipeline at the edge beside batch jobs reads
// "hybrid: infer at the edge, batch jobs in the data centre" / "hybrid (edge inference, jobs
// in the DC)"; otherwise its family's.
QString familyWords(const hw::Scenario& s, const hw::CandidateSpec& c);
QString familyShort(const hw::Scenario& s, const hw::CandidateSpec& c);
// The planner's load crossover when it is not a winner change but the load beyond which no
// candidate is feasible at all ("X stays the winner up to load x1.76; from x1.83 no candidate
// is feasible"). hw::Plan keeps that only in words (crossover; crossover_load is the midpoint
// either way), so this reads them back; nullopt for a real winner change or no crossover.
struct FeasibilityEnd {
  bool upward = true;       // true: more load ends feasibility; false: less load does
  double lastFeasible = 1;  // the winner still wins at this load
  double firstNone = 1;     // nothing is feasible at this load
};
std::optional<FeasibilityEnd> loadFeasibilityEnd(const hw::Plan& plan);
// Plain text as chart-subtitle HTML: escaped, in <small>, broken at spaces into lines of at
// most `width` characters (a chart title does not wrap; a long line is cut with "...").
QString wrappedSubtitle(const QString& text, int width = 120);
// "1.23M", "456k", "789".
QString shortMoney(double v);

// The candidates as `hwplan recommend` writes its CSV (hw::plan_table): the same
// columns, one row per candidate in enumeration order.
hw::Table candidatesCsv(const hw::Scenario& s, const hw::Plan& plan);

}  // namespace hwgui

Q_DECLARE_METATYPE(hwgui::PlanOutcomePtr)
