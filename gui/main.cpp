// hwplan-gui: the desktop app. main only wires the window (or the headless report).
#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QTimer>
#include <QWindow>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include "gui/main_window.hpp"
#include "gui/paths.hpp"
#include "gui/preferences.hpp"
#include "gui/report_mode.hpp"
#include "sim/core/errors.hpp"

namespace {
// Seconds since this process started (from /proc/self/stat; 10 ms resolution).
double secondsSinceStart() {
  std::ifstream f("/proc/self/stat");
  std::string line;
  std::getline(f, line);
  std::istringstream rest(line.substr(line.rfind(')') + 2));
  std::string field;
  for (int i = 3; i < 22 && rest >> field; ++i) {
  }
  unsigned long long start_ticks = 0;
  rest >> start_ticks;
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9 -
         static_cast<double>(start_ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}
}  // namespace

int main(int argc, char** argv) {
  // Without a display Qt's platform plugin aborts before --help could print, and --report
  // needs no window at all: those take the offscreen platform. The window itself cannot
  // open: say so, and how to get the report without one.
  if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
      qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
    bool noWindow = false, platformGiven = false;
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      noWindow = noWindow || a == "-h" || a == "--help" || a == "--help-all" || a == "-v" || a == "--version" || a == "--report" ||
                 a.rfind("--report=", 0) == 0;
      platformGiven = platformGiven || a == "-platform";
    }
    if (noWindow) {
      qputenv("QT_QPA_PLATFORM", "offscreen");
    } else if (!platformGiven) {
      std::fprintf(stderr,
                   "hwplan-gui: no display (DISPLAY and WAYLAND_DISPLAY are unset): the desktop app needs one.\n"
                   "Without a window: hwplan-gui --report SCENARIO --out DIR (the CSV, every chart and the PDF), or the hwplan "
                   "command line.\n");
      return 2;
    }
  }
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("hwplan-gui"));
  QApplication::setOrganizationName(QStringLiteral("hwplan"));
  QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

  QCommandLineParser cli;
  cli.setApplicationDescription(QStringLiteral(
      "hwplan desktop app: edit a scenario, run it, see the recommendation and why.\n"
      "Headless: hwplan-gui --report scenarios/factory-vision.yaml --out reports/factory "
      "(it needs no display)."));
  cli.addHelpOption();
  cli.addVersionOption();
  cli.addPositionalArgument(QStringLiteral("scenario"), QStringLiteral("Scenario to open (optional)."), QStringLiteral("[scenario]"));
  const QCommandLineOption report(QStringLiteral("report"), QStringLiteral("Plan SCENARIO without a window and write the CSV, charts (PNG, SVG) and PDF."),
                                  QStringLiteral("SCENARIO"));
  const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Folder for --report's files (default: reports)."), QStringLiteral("DIR"),
                               QStringLiteral("reports"));
  const QCommandLineOption noSensitivity(QStringLiteral("no-sensitivity"), QStringLiteral("Skip the load and price sensitivity analysis (--report)."));
  const QCommandLineOption measureStartup(QStringLiteral("measure-startup"),
                                          QStringLiteral("Print the time from process start to an interactive window, then quit."));
  cli.addOptions({report, out, noSensitivity, measureStartup});
  cli.process(app);

  if (cli.isSet(report)) return hwgui::runReport(cli.value(report), cli.value(out), !cli.isSet(noSensitivity));

  std::shared_ptr<const hw::Catalogue> catalogue;
  try {
    catalogue = std::make_shared<const hw::Catalogue>(hwgui::loadCatalogue());
  } catch (const std::exception& e) {
    QMessageBox::critical(nullptr, QStringLiteral("hwplan"), QStringLiteral("Cannot load the hardware catalogue from %1:\n%2").arg(hwgui::dataDir(), e.what()));
    return 2;
  }
  const hwgui::Preferences prefs = hwgui::Preferences::load();
  hwgui::applyTheme(prefs.theme);
  hwgui::MainWindow w(catalogue, hwgui::RunnerOptions{hwgui::simulatorPath(), QString(), prefs.parallel});
  w.show();
  if (!cli.positionalArguments().isEmpty()) w.openFile(cli.positionalArguments().first());
  if (cli.isSet(measureStartup)) {
    // Interactive: the window is exposed (mapped and drawn) and the event loop is idle.
    auto* poll = new QTimer(&w);
    QObject::connect(poll, &QTimer::timeout, &w, [&w, poll] {
      if (!w.windowHandle() || !w.windowHandle()->isExposed()) return;
      poll->stop();
      QTimer::singleShot(0, &w, [&w] {
        std::printf("interactive window after %.0f ms\n", secondsSinceStart() * 1e3);
        w.close();
      });
    });
    poll->start(1);
  }
  return QApplication::exec();
}
