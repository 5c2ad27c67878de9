// The run contract as JSON, both ways: SimInput (with its EngineOptions) and RunResult.
// One field list per struct (json.cpp) drives the writer, the reader and the field count,
// so the two directions cannot drift apart. Reading is strict: a missing field, an unknown
// field or a value of the wrong type throws JsonFieldError naming the field's path
// ("streams[0].arrival.rate_per_s").
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "sim/run/types.hpp"

namespace hw {

// Bumped whenever a field is added, removed or changes meaning.
inline constexpr int kSimInputSchema = 7;  // 3: LLM serving streams (StreamExec::llm); 4: StreamExec::decode_s; 5: decode_busy_s;
                                            // 6: Arrival::start_hour (a diurnal run starts at its busiest hour unless told);
                                            // 7: TierSpec::job_units (an edge batch job's units at its site only)
inline constexpr int kRunResultSchema = 4;  // 3: streams' latency histogram; 4: StreamResult::llm

class JsonFieldError : public std::runtime_error {
 public:
  JsonFieldError(std::string path, const std::string& what)
      : std::runtime_error(path.empty() ? what : path + ": " + what), path_(std::move(path)), problem_(what) {}
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::string& problem() const { return problem_; }

 private:
  std::string path_, problem_;
};

// Documents carry {"schema": "hwplan-siminput", "version": N, ...fields}.
nlohmann::json to_json(const SimInput& in);
SimInput sim_input_from_json(const nlohmann::json& j);
nlohmann::json to_json(const RunResult& r);
RunResult run_result_from_json(const nlohmann::json& j);
nlohmann::json to_json(const EngineOptions& o);
EngineOptions engine_options_from_json(const nlohmann::json& j);
nlohmann::json to_json(const Estimate& e);

// The canonical text of a SimInput: its JSON with sorted keys and shortest round-trip
// numbers. Equal inputs give equal text; any field change changes it.
std::string canonical_json(const SimInput& in);

// How many fields the JSON field list of each struct names, and how many members the
// struct has (counted by aggregate initialisation): a test keeps them equal, so a member
// added to a struct without adding it to the JSON fails the build's tests.
struct FieldCount {
  std::string type;
  std::size_t listed = 0, members = 0;
};
std::vector<FieldCount> contract_field_counts();

}  // namespace hw
