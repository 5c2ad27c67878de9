// hwplan: hardware selection and capacity planning. main only wires subcommands.
#include <fmt/format.h>

#include "cli/common.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"
#include "sim/io/loaders.hpp"
#include "sim/plan/planner.hpp"

#include <algorithm>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  using namespace hw::cli;
  CLI::App app{"hwplan: choose edge, GPU or hybrid hardware by simulation, and size it"};
  app.set_version_flag("--version", "hwplan 0.1.0");
  app.require_subcommand(1);
  app.footer("Run 'hwplan SUBCOMMAND --help' for details and an example.\n"
             "Hardware profiles come from the catalogue (--catalogue, $HWPLAN_DATA or the bundled one) and from the user\n"
             "catalogue ($HWPLAN_USER_PROFILES, else $XDG_DATA_HOME/hwplan/hardware_profiles), which hwplan-gui and\n"
             "'hwplan calibrate --add' write; --no-user-profiles leaves it out, 'hwplan profiles list' shows each origin.");
  // --limit NAME=VALUE (repeatable), accepted before or after the subcommand.
  app.fallthrough();
  std::vector<std::string> limits;
  app.add_option("--limit", limits,
                 fmt::format("Change a limit on input size, NAME=VALUE, repeatable. Defaults: {}", fmt::join(hw::describe_input_limits(), "; ")))
      ->type_name("NAME=VALUE")
      // One NAME=VALUE per --limit: a scenario file after it stays the subcommand's argument.
      ->allow_extra_args(false);
  Dispatch d;
  setup_validate(app, d);
  setup_profiles(app, d);
  setup_models(app, d);
  setup_run(app, d);
  setup_predict(app, d);
  setup_validate_model(app, d);
  setup_recommend(app, d);
  setup_sweep(app, d);
  setup_calibrate(app, d);
  setup_simulate(app, d);
  setup_shell_docs(app, d);
  if (argc < 2) {  // no command: say so, then which there are
    fmt::print(stderr, "error: no command given; run 'hwplan COMMAND --help' for one of these:\n\n{}", app.help());
    return kBadInput;
  }
  std::vector<std::string> commands;
  for (const auto* sub : app.get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); })) commands.push_back(sub->get_name());
  const std::string first = argv[1];
  if (!first.empty() && first[0] != '-' && std::find(commands.begin(), commands.end(), first) == commands.end() &&
      first != "generate-docs") {
    const auto near = hw::did_you_mean(first, commands);
    fmt::print(stderr, "error: unknown command '{}'{}\ncommands: {}\nRun 'hwplan --help' for what each does.\n", first,
               near ? fmt::format("; did you mean '{}'?", *near) : "", fmt::join(commands, ", "));
    return kBadInput;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e) == 0 ? kOk : kBadInput;  // --help, --version
    fmt::print(stderr, "error: {}\nRun 'hwplan {}--help' for usage and an example.\n", e.what(),
               first[0] == '-' ? "" : first + " ");
    return kBadInput;
  }
  for (const auto& l : limits) {
    try {
      hw::set_input_limit(l);
    } catch (const std::invalid_argument& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      return kBadInput;
    }
  }
  try {
    return d.action ? d.action() : kBadInput;
  } catch (const hw::InputError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kBadInput;
  } catch (const hw::UsageError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kBadInput;
  } catch (const hw::SimulationFailed& e) {  // a crashed or killed simulation: no verdict drawn from it
    if (auto limit = event_budget_message(e.what()); !limit.empty()) {  // the input is too large: exit 2
      fmt::print(stderr, "error: {}\n", limit);
      return kBadInput;
    }
    fmt::print(stderr, "error: {}\n", e.what());
    return kInternal;
  } catch (const std::exception& e) {
    fmt::print(stderr, "internal error: {}\n", e.what());
    return kInternal;
  }
}
