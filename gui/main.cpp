// hwplan-gui: the desktop app. main only wires the window (or the headless report).
#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <cstdio>

#include "gui/main_window.hpp"
#include "gui/paths.hpp"
#include "gui/report_mode.hpp"
#include "sim/core/errors.hpp"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("hwplan-gui"));
  QApplication::setOrganizationName(QStringLiteral("hwplan"));
  QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

  QCommandLineParser cli;
  cli.setApplicationDescription(QStringLiteral(
      "hwplan desktop app: edit a scenario, run it, see the recommendation and why.\n"
      "Headless: hwplan-gui --report scenarios/factory-vision.yaml --out reports/factory "
      "(set QT_QPA_PLATFORM=offscreen without a display)."));
  cli.addHelpOption();
  cli.addVersionOption();
  cli.addPositionalArgument(QStringLiteral("scenario"), QStringLiteral("Scenario to open (optional)."), QStringLiteral("[scenario]"));
  const QCommandLineOption report(QStringLiteral("report"), QStringLiteral("Plan SCENARIO without a window and write the CSV, charts (PNG, SVG) and PDF."),
                                  QStringLiteral("SCENARIO"));
  const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Folder for --report's files (default: reports)."), QStringLiteral("DIR"),
                               QStringLiteral("reports"));
  const QCommandLineOption noSensitivity(QStringLiteral("no-sensitivity"), QStringLiteral("Skip the load and price sensitivity analysis (--report)."));
  cli.addOptions({report, out, noSensitivity});
  cli.process(app);

  if (cli.isSet(report)) return hwgui::runReport(cli.value(report), cli.value(out), !cli.isSet(noSensitivity));

  std::shared_ptr<const hw::Catalogue> catalogue;
  try {
    catalogue = std::make_shared<const hw::Catalogue>(hwgui::loadCatalogue());
  } catch (const std::exception& e) {
    QMessageBox::critical(nullptr, QStringLiteral("hwplan"), QStringLiteral("Cannot load the hardware catalogue from %1:\n%2").arg(hwgui::dataDir(), e.what()));
    return 2;
  }
  hwgui::MainWindow w(catalogue, hwgui::RunnerOptions{hwgui::simulatorPath(), QString(), 0});
  w.show();
  if (!cli.positionalArguments().isEmpty()) w.openFile(cli.positionalArguments().first());
  return QApplication::exec();
}
