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
Scenario load_scenario(const std::string& path, const Catalogue& catalogue);

enum class FileKind { profile, model, scenario, unknown };
// Guesses what a YAML file is from its top-level keys.
FileKind detect_kind(const std::string& path);

}  // namespace hw
