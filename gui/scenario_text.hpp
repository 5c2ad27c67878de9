// Checking the text of the YAML tab: the same loader as `hwplan validate`, so the errors
// read exactly as the CLI words them (file:line:column: key, value: problem).
#pragma once

#include <QString>
#include <optional>

#include "sim/io/loaders.hpp"

namespace hwgui {

struct ScenarioCheck {
  std::optional<hw::Scenario> scenario;  // set when the text is a valid scenario
  QString message;                       // otherwise: the error, as the CLI prints it
  int line = 0, column = 0;              // 1-based position of the error (0 = unknown)
};

// Loads `text` as if it were the file `path` (relative trace files resolve against its
// folder; an empty path means an unsaved document). An error names the document as the CLI
// names a file: the path, "untitled.yaml" for a new document, and the file's name with
// "(unsaved edits)" when `edited` (the text differs from the file saved, which has no such
// error at that line: "scientific-batch.yaml (unsaved edits):6:1: ..."). Never throws.
ScenarioCheck checkScenarioText(const QString& text, const QString& path, const hw::Catalogue& catalogue, bool edited = false);

}  // namespace hwgui
