// Shared by the desktop app tests: the simulator built with them, the catalogue, child
// processes seen in /proc, and a check that a picture is not blank.
#pragma once

#include <QColor>
#include <QImage>
#include <QString>
#include <QStringList>
#include <memory>
#include <set>

#include "gui/plan_bridge.hpp"

class QGraphicsView;

namespace hwgui::test {

// The hwplan binary of this build tree.
QString simulator();
// Runner options for a test: this build's simulator, a result cache in `cacheDir`, two
// slots.
RunnerOptions runnerOptions(const QString& cacheDir);
std::shared_ptr<const hw::Catalogue> catalogue();
QString dataFile(const QString& relative);    // under tests/data
QString sourceFile(const QString& relative);  // under the source tree

// Live (not zombie) processes whose parent is `pid`, from /proc/*/stat.
std::set<int> childrenOf(int pid);
// Those and their descendants.
std::set<int> descendantsOf(int pid);
bool alive(int pid);
// A process's niceness (field 19 of /proc/PID/stat); INT_MIN when it is gone.
int niceness(int pid);

// At least `minColours` distinct colours and at least `minSize` in each dimension.
bool looksLikeAPicture(const QImage& img, int minColours = 16, int minSize = 200);
int distinctColours(const QImage& img);
// WCAG 2 contrast ratio of two colours, 1 (same) to 21 (black on white); body text wants
// 4.5 or more, large or secondary text 3.
double contrast(const QColor& a, const QColor& b);
// Why the file at `path` is not well-formed XML ("LINE:COLUMN: the parser's message"); ""
// when it is.
QString xmlError(const QString& path);
// The texts Qt Charts drew cut short ("memory-bo...", "..." for a tick label): every visible
// text item of the view's scene (title, axis labels and titles, legend labels) that ends in
// an ellipsis.
QStringList elidedTexts(const QGraphicsView* v);

// Plans `r` on `bridge` and waits for the outcome (nullptr when it failed or was cancelled);
// with its load curve when `r` asks for one.
PlanOutcomePtr planAndWait(PlanBridge& bridge, PlanRequest r);

}  // namespace hwgui::test
