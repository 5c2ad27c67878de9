// Turning a scenario and one candidate into a fully resolved SimInput: which tier runs
// each stage, service times per batch size from the performance model, power per unit,
// and the reasons a candidate cannot work at all (no fit, data residency).
#pragma once

#include <optional>
#include <string>

#include "sim/run/types.hpp"
#include "sim/io/loaders.hpp"

namespace hw {

struct ResolvedCandidate {
  CandidateSpec spec;
  std::string label;               // "edge: jetson-orin-nano-super x2/site"
  SimInput input;
  std::optional<std::string> infeasible;  // set when it cannot run at all
  std::vector<std::string> notes;  // precision fallbacks, batch limits
};

std::string family_label(Family f);
std::string candidate_label(const CandidateSpec& c);
// The edge unit: its hardware, "+accelerator" when it carries one ("raspberry-pi-5+hailo-8").
std::string edge_unit_name(const CandidateSpec& c);

ResolvedCandidate resolve_candidate(const Scenario& s, const Catalogue& cat, const CandidateSpec& c);

}  // namespace hw
