// The recommendation card: winner, units, TCO, margin over the runner-up, why, and each
// family with nothing feasible with its binding reason and the fix. As data (for tests and
// the PDF) and as HTML (for the results page).
#pragma once

#include <QString>
#include <vector>

#include "gui/plan_data.hpp"

namespace hwgui {

struct RejectedFamily {
  hw::Family family;
  std::size_t closest;  // candidate index: the family's closest to its targets
  QString label;
  QString reason;  // every binding reason (hw::binding_text): the first, then "; also: " the others
  QString fix;     // the fix as the planner re-checked it (hw::fix_text), "" when none
};

// Families with candidates but none feasible (Plan::rejected_families), with the binding
// reasons and the re-checked fix of each family's closest candidate, in the words of
// `hwplan recommend` (sim/io/plan_report.hpp).
std::vector<RejectedFamily> rejectedFamilies(const hw::Plan& plan);

// The card: the recommendation and its figures, or why nothing was recommended. `dark`: the
// colours for a dark background (the results page under the dark palette); the PDF is light.
QString recommendationHtml(const PlanOutcome& o, bool dark = false);

}  // namespace hwgui
