// Shared CLI plumbing: exit codes, output formats, catalogue lookup.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "sim/io/loaders.hpp"

namespace hw::cli {

enum Exit : int { kOk = 0, kInternal = 1, kBadInput = 2, kInfeasible = 3 };

// The action chosen by the subcommand that CLI11 parsed.
struct Dispatch {
  std::function<int()> action;
};

struct CatalogueOptions {
  std::string dir;  // folder holding hardware_profiles/ and scenarios/models/
};

void add_catalogue_option(CLI::App& app, CatalogueOptions& opts);
// --catalogue, else $HWPLAN_DATA, else the source tree the binary was built from,
// else the folder two levels above the executable.
std::string data_dir(const CatalogueOptions& opts);
Catalogue load_default_catalogue(const CatalogueOptions& opts);

void add_format_option(CLI::App& app, std::string& format);

// Path of the running executable (to start child hwplan processes).
std::string self_exe();

// Subcommands.
void setup_validate(CLI::App& app, Dispatch& d);
void setup_profiles(CLI::App& app, Dispatch& d);
void setup_run(CLI::App& app, Dispatch& d);
void setup_predict(CLI::App& app, Dispatch& d);
void setup_calibrate(CLI::App& app, Dispatch& d);
void setup_recommend(CLI::App& app, Dispatch& d);

}  // namespace hw::cli
