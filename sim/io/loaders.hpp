// Loading hardware profiles, workload models and scenarios from YAML, once, into the
// immutable structs of sim/hardware and sim/workload. Every error is an InputError
// naming file, line, column, key, bad value and expected form.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/hardware/profile.hpp"
#include "sim/workload/model.hpp"
#include "sim/workload/scenario.hpp"

namespace YAML {
class Node;
}

namespace hw {

// Limits on what one input may ask for, so that a hostile or mistaken file gets a clear
// error instead of hours of work or gigabytes of memory. A breach is an InputError (exit 2)
// naming the limit and how to raise it: `--limit NAME=VALUE` on the command line
// (docs/input-format.md#limits). Process-wide; the CLI sets it before loading anything.
struct InputLimits {
  std::uint64_t file_bytes = 8'000'000;  // file-size: one YAML or trace file, in bytes
  std::uint64_t yaml_nodes = 200'000;    // yaml-nodes: scalars, lists and mappings in one YAML file
  double duration_s = 7 * 86400.0;       // duration: a scenario's simulated duration (s)
  long sites = 2000;                     // sites: represented sites, the sum of every site's count
  long sources = 1'000'000;              // sources: every stream's sources times its site's count
  long streams = 1000;                   // streams
  long candidates = 1000;                // candidates: entries of a scenario's candidate list
  long batch_jobs = 1000;                // batch-jobs
  long trace_rows = 1'000'000;           // trace-rows: timestamps in one trace file (each a request)
};
InputLimits& input_limits();
// "file-size=16000000", "duration=30 d": sets one limit; throws std::invalid_argument with
// the known names and forms.
void set_input_limit(const std::string& assignment);
// Every limit, as "name=value (meaning)" lines, for --help.
std::vector<std::string> describe_input_limits();

HardwareProfile load_profile(const std::string& path);
// The same from text (an editor's buffer). Errors name `display_name` as the file; the id
// must equal its stem when it names a .yaml or .yml file, and is not compared otherwise.
HardwareProfile load_profile_text(const std::string& text, const std::string& display_name = "<text>");
// The text of an input file, or of standard input when `path` is "-", read once (a pipe
// cannot be read twice) and up to InputLimits::file_bytes; InputError otherwise.
std::string read_input_text(const std::string& path);
// How errors name an input: "<stdin>" for "-".
std::string input_display_name(const std::string& path);

// A model file gives one model, or one per phase ("llama2-7b:prefill", "llama2-7b:decode").
std::vector<WorkloadModel> load_models(const std::string& path);
std::vector<WorkloadModel> load_models_text(const std::string& text, const std::string& display_name = "<text>");

struct Catalogue {
  std::map<std::string, HardwareProfile> profiles;
  std::map<std::string, WorkloadModel> models;
  std::string profiles_dir;
  std::string models_dir;
  std::string user_profiles_dir;  // the user catalogue folder read, if any (sim/io/user_catalogue.hpp)
  // User profiles that did not load, by id (their file name): the error, with its
  // file:line:column, so that a scenario naming one is told why it is missing.
  std::map<std::string, std::string> left_out;

  [[nodiscard]] const HardwareProfile& profile(const std::string& id) const;
  [[nodiscard]] const WorkloadModel& model(const std::string& id) const;
  // "hardware profile 'ID' is in the user catalogue but was left out: WHY" for a left-out
  // id, else "".
  [[nodiscard]] std::string left_out_message(const std::string& id) const;
};

// Loads every *.yaml in the two folders; the first bad file throws.
Catalogue load_catalogue(const std::string& profiles_dir, const std::string& models_dir);

// Loads a scenario and checks that every hardware and model id exists in the catalogue.
// Relative trace paths are resolved against the folder of the scenario file.
Scenario load_scenario(const std::string& path, const Catalogue& catalogue);
// The same from text: relative trace paths are resolved against `base_dir` (the folder the
// text will be saved in), and errors name `display_name` as the file.
Scenario load_scenario_text(const std::string& text, const std::string& base_dir,
                            const Catalogue& catalogue, const std::string& display_name = "<text>");

// The same from a YAML tree already read (and checked against the input limits) by
// load_yaml_text or load_yaml_file and then edited, as a sweep's variants are: no text is
// written and read again. Errors name `display_name`; their lines are the tree's marks.
Scenario load_scenario_tree(const YAML::Node& root, const std::string& base_dir, const Catalogue& catalogue,
                            const std::string& display_name);

enum class FileKind { profile, model, scenario, sweep, unknown };
// Guesses what a YAML file is from its top-level keys (a sweep file names its base
// `scenario`; sim/sweep loads it).
FileKind detect_kind(const std::string& path);
// The same for text already read (a file read once: a pipe cannot be read twice).
FileKind detect_kind_text(const std::string& text, const std::string& display_name);

}  // namespace hw
