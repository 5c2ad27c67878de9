// Exports: the candidates CSV (the CLI's columns), charts as PNG or SVG, and a one-page PDF
// report. Each function returns an empty string on success, else what went wrong.
#pragma once

#include <functional>

#include <QSize>
#include <QString>
#include <QStringList>

#include "gui/charts.hpp"
#include "gui/plan_data.hpp"

class QChartView;
class QWidget;

namespace hwgui {

QString writeCandidatesCsv(const PlanOutcome& o, const QString& path);
// A chart's title as plain text, for an SVG's <title>: "Winner's TCO ... — crossover: ..."
// from "Winner's TCO ...<br><small>crossover: ...</small>".
QString plainTitle(const QString& richTitle);
// The picture of a chart view: SVG when the path ends in .svg, else a raster image (PNG).
QString saveChartView(QChartView* view, const QString& path);
// The picture of any widget (the decision map, the topology): SVG or PNG, as above.
QString saveWidget(QWidget* widget, const QString& path);
// Builds the chart off screen at `size` and saves it as above.
QString saveChart(ChartKind kind, const PlanOutcome& o, const QString& path, QSize size = QSize(1000, 600));
// One A4 page: the recommendation, the top of the ranking, the cost and Pareto charts.
QString writePdfReport(const PlanOutcome& o, const QString& path);

// Why `dir` cannot take the report's files ("" when it can): "/tmp/f is a file, not a
// folder", "cannot create the folder D: <the system's reason>", "cannot write to the folder
// D: ...". Creates the folder when it is missing. --report checks this before planning.
QString checkReportFolder(const QString& dir);

struct ReportFiles {
  QStringList written;
  QStringList skipped;  // charts not written, each with why ("latency: batch jobs only, no stream")
  QString error;  // the first failure; empty when every file was written
  bool stopped = false;  // `stop` said so before the files were put in place: none was
};
// What `hwplan-gui --report` writes: DIR/STEM-candidates.csv, DIR/STEM-<chart>.png and .svg
// for every chart, DIR/STEM-report.pdf. A scenario of batch jobs alone has no latency or
// latency-distribution chart: those are skipped (in `skipped`), not written blank.
// Every file is first made in a hidden folder of DIR (.hwplan-report-PID) and only then
// renamed into DIR, so an interrupted or failed report never leaves a file half-written or
// a mix of this report's files and an earlier one's: `stop` (asked before each file and
// once more before the renames) true leaves DIR as it was; the renames themselves take
// microseconds. Files made before a failure are still put in place, with `error` set.
ReportFiles writeReportFiles(const PlanOutcome& o, const QString& dir, const QString& stem,
                             const std::function<bool()>& stop = {});

}  // namespace hwgui
