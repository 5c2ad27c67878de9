#include "support.hpp"

#include <algorithm>
#include <cmath>

#include <QDir>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QGraphicsView>
#include <QSignalSpy>
#include <QTest>
#include <QXmlStreamReader>
#include <csignal>
#include <fstream>
#include <limits>
#include <sstream>
#include <unordered_set>

#include "gui/paths.hpp"

namespace hwgui::test {

QStringList elidedTexts(const QGraphicsView* v) {
  QStringList out;
  for (const QGraphicsItem* item : v->scene()->items()) {
    if (!item->isVisible()) continue;
    QString text;
    if (const auto* t = dynamic_cast<const QGraphicsTextItem*>(item)) text = t->toPlainText();
    if (const auto* t = dynamic_cast<const QGraphicsSimpleTextItem*>(item)) text = t->text();
    if (text.endsWith(QStringLiteral("...")) || text.endsWith(QChar(0x2026))) out << text;
  }
  return out;
}

QString simulator() { return QStringLiteral(HWPLAN_SIMULATOR_BIN); }

RunnerOptions runnerOptions(const QString& cacheDir) { return RunnerOptions{simulator(), cacheDir, 2}; }

std::shared_ptr<const hw::Catalogue> catalogue() {
  static const auto c = std::make_shared<const hw::Catalogue>(loadCatalogue());
  return c;
}

QString dataFile(const QString& relative) { return QDir(QStringLiteral(HWPLAN_TEST_DATA)).filePath(relative); }
QString sourceFile(const QString& relative) { return QDir(QStringLiteral(HWPLAN_SOURCE_DIR)).filePath(relative); }

namespace {
// pid -> (ppid, state) for every process.
std::vector<std::tuple<int, int, char>> processes() {
  std::vector<std::tuple<int, int, char>> out;
  const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
  for (const QString& e : entries) {
    bool ok = false;
    const int pid = e.toInt(&ok);
    if (!ok) continue;
    std::ifstream f("/proc/" + e.toStdString() + "/stat");
    std::string line;
    if (!std::getline(f, line)) continue;
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 1));
    char state = '?';
    int ppid = 0;
    rest >> state >> ppid;
    out.emplace_back(pid, ppid, state);
  }
  return out;
}
}  // namespace

std::set<int> childrenOf(int pid) {
  std::set<int> out;
  for (const auto& [p, pp, st] : processes()) {
    if (pp == pid && st != 'Z') out.insert(p);
  }
  return out;
}

std::set<int> descendantsOf(int pid) {
  const auto all = processes();
  std::set<int> out;
  std::vector<int> todo{pid};
  while (!todo.empty()) {
    const int parent = todo.back();
    todo.pop_back();
    for (const auto& [p, pp, st] : all) {
      if (pp == parent && st != 'Z' && out.insert(p).second) todo.push_back(p);
    }
  }
  return out;
}

int niceness(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(f, line)) return std::numeric_limits<int>::min();
  // "pid (comm) state ppid ...": comm may hold spaces, so count fields after its ')'.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return std::numeric_limits<int>::min();
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  for (int i = 3; i <= 19 && rest >> field; ++i) {
    if (i == 19) return std::stoi(field);
  }
  return std::numeric_limits<int>::min();
}

bool alive(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(f, line)) return false;
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

QString xmlError(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return QStringLiteral("cannot read %1").arg(path);
  QXmlStreamReader r(&f);
  while (!r.atEnd()) r.readNext();
  return r.hasError() ? QStringLiteral("%1:%2: %3").arg(r.lineNumber()).arg(r.columnNumber()).arg(r.errorString()) : QString();
}

double contrast(const QColor& a, const QColor& b) {
  // Relative luminance: L = 0.2126 R + 0.7152 G + 0.0722 B of the linearised sRGB channels
  // (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055)^2.4); ratio (L1 + 0.05) / (L2 + 0.05).
  auto lum = [](const QColor& c) {
    auto lin = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
  };
  const double la = lum(a), lb = lum(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

int distinctColours(const QImage& img) {
  std::unordered_set<QRgb> colours;
  const QImage rgb = img.convertToFormat(QImage::Format_RGB32);
  for (int y = 0; y < rgb.height(); y += 2) {
    const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
    for (int x = 0; x < rgb.width(); x += 2) colours.insert(line[x]);
  }
  return static_cast<int>(colours.size());
}

bool looksLikeAPicture(const QImage& img, int minColours, int minSize) {
  return !img.isNull() && img.width() >= minSize && img.height() >= minSize && distinctColours(img) >= minColours;
}

PlanOutcomePtr planAndWait(PlanBridge& bridge, PlanRequest r) {
  QSignalSpy finished(&bridge, &PlanBridge::finished);
  QSignalSpy failed(&bridge, &PlanBridge::failed);
  QSignalSpy cancelled(&bridge, &PlanBridge::cancelled);
  QSignalSpy curve(&bridge, &PlanBridge::loadCurveFinished);
  const bool withCurve = !r.loadCurve.empty();
  bridge.start(std::move(r));
  // Waits (without a deadline that matters: a plan ends by finishing, failing or cancelling).
  while ((withCurve ? curve.isEmpty() : finished.isEmpty()) && failed.isEmpty() && cancelled.isEmpty()) QTest::qWait(50);
  if (withCurve && !curve.isEmpty()) return curve.first().first().value<PlanOutcomePtr>();
  if (!failed.isEmpty()) qWarning("plan failed: %s", qPrintable(failed.first().first().toString()));
  return finished.isEmpty() ? nullptr : finished.first().first().value<PlanOutcomePtr>();
}

}  // namespace hwgui::test
