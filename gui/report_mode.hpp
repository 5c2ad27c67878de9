// `hwplan-gui --report SCENARIO --out DIR`: plans the scenario without a window (works with
// QT_QPA_PLATFORM=offscreen) and writes the CSV, every chart as PNG and SVG, and the PDF.
#pragma once

#include <QString>

namespace hwgui {

// Returns the process exit status, as the CLI's: 0 written with a recommendation,
// 3 written but nothing feasible, 2 bad input, 1 anything else (run failed, cancelled,
// cannot write).
int runReport(const QString& scenarioPath, const QString& outDir, bool sensitivity);

}  // namespace hwgui
