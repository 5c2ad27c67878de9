// `hwplan-gui --report SCENARIO --out DIR`: plans the scenario without a window (works with
// QT_QPA_PLATFORM=offscreen) and writes the CSV, every chart as PNG and SVG, and the PDF.
#pragma once

#include <QString>

namespace hwgui {

// Returns the process exit status, as the CLI's: 0 written with a recommendation,
// 3 written but nothing feasible, 2 bad input (the scenario, or an --out folder that cannot
// be made or written: checked before planning), 128 + the signal when SIGINT (130) or
// SIGTERM (143) stopped it (no file is written; the simulator children are stopped and no
// simulation is blamed), 1 anything else (a run failed, cannot write).
int runReport(const QString& scenarioPath, const QString& outDir, bool sensitivity);

}  // namespace hwgui
