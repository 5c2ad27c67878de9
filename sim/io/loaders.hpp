// Loading hardware profiles, workload models and scenarios from YAML, once, into the
// immutable structs of sim/hardware and sim/workload. Every error is an InputError
// naming file, line, column, key, bad value and expected form.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sim/hardware/profile.hpp"
#include "sim/workload/model.hpp"
#include "sim/workload/scenario.hpp"

namespace hw {

HardwareProfile load_profile(const std::string& path);
// The same from text (an editor's buffer). Errors name `display_name` as the file; the id
// must equal its stem when it names a .yaml or .yml file, and is not compared otherwise.
HardwareProfile load_profile_text(const std::string& text, const std::string& display_name = "<text>");
// A model file gives one model, or one per phase ("llama2-7b:prefill", "llama2-7b:decode").
std::vector<WorkloadModel> load_models(const std::string& path);

struct Catalogue {
  std::map<std::string, HardwareProfile> profiles;
  std::map<std::string, WorkloadModel> models;
  std::string profiles_dir;
  std::string models_dir;

  [[nodiscard]] const HardwareProfile& profile(const std::string& id) const;
  [[nodiscard]] const WorkloadModel& model(const std::string& id) const;
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

enum class FileKind { profile, model, scenario, unknown };
// Guesses what a YAML file is from its top-level keys.
FileKind detect_kind(const std::string& path);
// The same for text already read (a file read once: a pipe cannot be read twice).
FileKind detect_kind_text(const std::string& text, const std::string& display_name);

}  // namespace hw
