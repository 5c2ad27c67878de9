// Links what the desktop app links (plan, report, io, run) and uses a piece of each, so that the
// linker pulls their objects in; the link-rules test then reads its dynamic section.
#include "sim/io/loaders.hpp"
#include "sim/io/plan_report.hpp"
#include "sim/plan/planner.hpp"
#include "sim/run/json.hpp"
#include "sim/run/runner.hpp"

int main(int argc, char** argv) {
  if (argc < 2) return 0;
  const hw::Catalogue cat = hw::load_catalogue(argv[1], argv[1]);
  hw::ProcessRunner runner("hwplan", 1);
  const hw::Plan plan = hw::make_plan(hw::Scenario{}, cat, runner);
  return static_cast<int>(hw::to_json(hw::SimInput{}).size() + plan.candidates.size() +
                          hw::plan_json(hw::Scenario{}, plan, "", 0).size());
}
