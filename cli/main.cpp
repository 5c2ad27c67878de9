// hwplan: hardware selection and capacity planning. main only wires subcommands.
#include <fmt/format.h>

#include "cli/common.hpp"
#include "sim/core/errors.hpp"

int main(int argc, char** argv) {
  using namespace hw::cli;
  CLI::App app{"hwplan: choose edge, GPU or hybrid hardware by simulation, and size it"};
  app.set_version_flag("--version", "hwplan 0.1.0");
  app.require_subcommand(1);
  app.footer("Run 'hwplan SUBCOMMAND --help' for details and an example.");
  Dispatch d;
  setup_validate(app, d);
  setup_profiles(app, d);
  setup_run(app, d);
  setup_predict(app, d);
  setup_recommend(app, d);
  setup_sweep(app, d);
  setup_calibrate(app, d);
  setup_simulate(app, d);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kOk : kBadInput;
  }
  try {
    return d.action ? d.action() : kBadInput;
  } catch (const hw::InputError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kBadInput;
  } catch (const hw::UsageError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kBadInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "internal error: {}\n", e.what());
    return kInternal;
  }
}
