#include "gui/report_mode.hpp"

#include <QEventLoop>
#include <QFileInfo>
#include <cstdio>

#include "gui/export.hpp"
#include "gui/paths.hpp"
#include "gui/plan_bridge.hpp"
#include "sim/core/errors.hpp"

namespace hwgui {

int runReport(const QString& scenarioPath, const QString& outDir, bool sensitivity) {
  std::shared_ptr<const hw::Catalogue> cat;
  PlanRequest req;
  try {
    cat = std::make_shared<const hw::Catalogue>(loadCatalogue());
    req.scenario = hw::load_scenario(scenarioPath.toStdString(), *cat);
  } catch (const hw::InputError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  req.catalogue = cat;
  req.sensitivity = sensitivity;
  if (sensitivity) req.loadCurve = defaultLoadCurve();

  PlanBridge bridge(RunnerOptions{simulatorPath(), QString(), 0});
  QEventLoop loop;
  PlanOutcomePtr outcome;
  QString error;
  QObject::connect(&bridge, &PlanBridge::finished, &loop, [&](const PlanOutcomePtr& o) {
    outcome = o;
    if (!bridge.planningLoadCurve()) loop.quit();
  });
  QObject::connect(&bridge, &PlanBridge::loadCurveFinished, &loop, [&](const PlanOutcomePtr& o) {
    outcome = o;
    loop.quit();
  });
  QObject::connect(&bridge, &PlanBridge::failed, &loop, [&](const QString& m) {
    if (outcome) std::fprintf(stderr, "warning: the load curve failed: %s\n", qPrintable(m));
    error = m;
    loop.quit();
  });
  QObject::connect(&bridge, &PlanBridge::cancelled, &loop, [&] {
    if (!outcome) error = QStringLiteral("cancelled");  // else: the load curve only
    loop.quit();
  });
  std::string lastStep;
  QObject::connect(&bridge, &PlanBridge::progress, &loop, [&](const PlanStatus& s) {
    const std::string step = s.progress.phase + ", round " + std::to_string(s.progress.round);
    if (step != lastStep) {
      std::fprintf(stderr, "  [%5.1f s] %s: %zu simulation(s)\n", s.elapsedSeconds, step.c_str(), s.progress.sims_total);
      lastStep = step;
    }
  });
  std::fprintf(stderr, "planning '%s' (simulator %s)\n", req.scenario.name.c_str(), qPrintable(simulatorPath()));
  bridge.start(std::move(req));
  loop.exec();
  if (!outcome) {
    std::fprintf(stderr, "error: %s\n", qPrintable(error));
    return 1;
  }
  const ReportFiles r = writeReportFiles(*outcome, outDir, QFileInfo(scenarioPath).completeBaseName());
  for (const QString& f : r.written) std::printf("%s\n", qPrintable(f));
  if (!r.error.isEmpty()) {
    std::fprintf(stderr, "error: %s\n", qPrintable(r.error));
    return 1;
  }
  std::fprintf(stderr, "wrote %lld file(s) to %s in %.1f s\n", static_cast<long long>(r.written.size()), qPrintable(outDir), outcome->wallSeconds);
  return outcome->plan.winner ? 0 : 3;
}

}  // namespace hwgui
