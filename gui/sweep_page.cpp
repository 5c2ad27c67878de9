#include "gui/sweep_page.hpp"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QImage>
#include <QLogValueAxis>
#include <QPainter>
#include <QPushButton>
#include <QTabWidget>
#include <QValueAxis>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "gui/export.hpp"
#include "gui/preferences.hpp"

namespace hwgui {

namespace {

// A log axis when every value is positive and they span a factor of `ratio` or more.
bool wantsLog(const std::vector<double>& v, double ratio) {
  if (v.empty()) return false;
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return *lo > 0 && *hi / *lo >= ratio;
}

// A report column's name in words and the unit its name ends in: "tco_usd" is "TCO" in
// "USD", "p99_latency_ms" "p99 latency" in "ms" (the plot's axis read a bare "tco_usd").
// Other names (a scenario's paths, "throughput") stay as they are, without a unit.
std::pair<QString, QString> columnWords(const std::string& column) {
  static const std::pair<const char*, const char*> kSuffixes[] = {
      {"_per_year_usd", "USD/year"}, {"_usd", "USD"}, {"_kwh_per_day", "kWh/day"}, {"_gb_per_day", "GB/day"},
      {"_per_s", "/s"},              {"_ms", "ms"},   {"_h", "h"},                 {"_w", "W"}};
  const QString name = QString::fromStdString(column);
  if (name.contains(QLatin1Char('.'))) return {name, QString()};
  for (const auto& [suffix, unit] : kSuffixes) {
    const QString sfx = QLatin1String(suffix);
    if (!name.endsWith(sfx) || name.size() == sfx.size()) continue;
    QStringList words = name.left(name.size() - sfx.size()).split(QLatin1Char('_'));
    for (QString& w : words) {
      if (w == QLatin1String("tco") || w == QLatin1String("dc") || w == QLatin1String("llm") || w == QLatin1String("ci") ||
          w == QLatin1String("ttft") || w == QLatin1String("tpot")) {
        w = w.toUpper();
      }
    }
    return {words.join(QLatin1Char(' ')), QLatin1String(unit)};
  }
  return {name, QString()};
}

// "TCO (USD)"; with a scale's prefix "TCO (k USD)", or "(thousands)" without a unit.
QString columnTitle(const SweepTable& t, std::size_t c, const QString& prefix = QString()) {
  auto [name, u] = columnWords(t.header()[c]);
  if (!t.unit(c).isEmpty()) u = t.unit(c);  // the cells' own unit ("2 ms") first
  if (!prefix.isEmpty() && u.isEmpty()) return QStringLiteral("%1 (%2)").arg(name, prefix.startsWith('M') ? QStringLiteral("millions") : QStringLiteral("thousands"));
  return u.isEmpty() ? name : QStringLiteral("%1 (%2%3)").arg(name, prefix, u);
}

// Significant digits of a tick label as drawn ("0.7071": 4, "1": 1, "2.5e+06": 2, "400": 1).
int significantDigits(const QString& label) {
  QString m = label.section(QLatin1Char('e'), 0, 0);
  m.remove(QLatin1Char('-'));
  m.remove(QLatin1Char('+'));
  const bool point = m.contains(QLatin1Char('.'));
  m.remove(QLatin1Char('.'));
  while (m.startsWith(QLatin1Char('0'))) m.remove(0, 1);
  // Trailing zeros are significant after a decimal point only ("2.50"; 'g' writes none).
  if (!point) {
    while (m.endsWith(QLatin1Char('0'))) m.chop(1);
  }
  return std::max(1, static_cast<int>(m.size()));
}

}  // namespace

std::vector<std::size_t> thinTicks(const std::vector<double>& pos, const QStringList& labels, double minGap) {
  std::vector<std::size_t> order(pos.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto digits = [&](std::size_t i) { return i < static_cast<std::size_t>(labels.size()) ? significantDigits(labels[static_cast<qsizetype>(i)]) : 1; };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return digits(a) < digits(b); });
  std::vector<std::size_t> kept;
  for (std::size_t i : order) {
    if (std::all_of(kept.begin(), kept.end(), [&](std::size_t k) { return std::abs(pos[k] - pos[i]) >= minGap; })) kept.push_back(i);
  }
  std::sort(kept.begin(), kept.end());
  return kept;
}

// ---- decision map ----

DecisionMap::DecisionMap(QWidget* parent) : QWidget(parent) {
  setMinimumSize(480, 360);
  setAutoFillBackground(true);
}

QColor DecisionMap::colourOf(const std::string& answer) const {
  if (answer == "none") return QColor(0xbb, 0xbb, 0xbb);
  if (answer == "failed") return QColor(0xe0, 0x60, 0x60);
  // A hue per kind of answer ("edge X", "gpu X", "hybrid X", "loop edge X": the train-infer
  // loop is its own kind, not a split-pipeline hybrid), and within a kind a distinct shade per
  // answer in order of appearance: three lightnesses, then the same three with the hue moved
  // on by 14 degrees per three answers, so that no two answers of a kind share a colour.
  static const QColor edge[] = {QColor(0x3d, 0x8b, 0xd0), QColor(0x8c, 0xbf, 0xea), QColor(0x1c, 0x4f, 0x80)};
  static const QColor gpu[] = {QColor(0x8a, 0x55, 0xc4), QColor(0xc0, 0xa0, 0xe4), QColor(0x4d, 0x26, 0x73)};
  static const QColor hybrid[] = {QColor(0xe0, 0x90, 0x30), QColor(0xf4, 0xc4, 0x80), QColor(0x8a, 0x55, 0x10)};
  static const QColor loop[] = {QColor(0x2e, 0xa0, 0x6a), QColor(0x90, 0xd8, 0xb0), QColor(0x17, 0x5c, 0x3b)};
  const std::string kind = answer.substr(0, answer.find(' '));
  const QColor* set = kind == "edge" ? edge : kind == "gpu" ? gpu : kind == "loop" ? loop : hybrid;
  int k = 0;
  for (const auto& a : answers_) {
    if (a == answer) break;
    if (a.substr(0, a.find(' ')) == kind) ++k;
  }
  const QColor base = set[k % 3];
  if (k < 3) return base;
  return QColor::fromHsv((base.hsvHue() + 14 * (k / 3)) % 360, base.hsvSaturation(), base.value());
}

void DecisionMap::setData(const SweepTable* t, std::size_t x, std::size_t y) {
  pts_.clear();
  xs_.clear();
  ys_.clear();
  cell_.clear();
  answers_.clear();
  title_.clear();
  if (t && x != y) {
    std::vector<double> vx, vy;
    std::vector<std::string> ans;
    for (const auto& v : t->variants()) {
      const auto a = t->number(v.firstRow, x), b = t->number(v.firstRow, y);
      if (!a || !b) continue;
      vx.push_back(*a);
      vy.push_back(*b);
      ans.push_back(v.answer);
    }
    logX_ = wantsLog(vx, 10);
    logY_ = wantsLog(vy, 10);
    for (std::size_t i = 0; i < vx.size(); ++i) {
      auto at = std::find(answers_.begin(), answers_.end(), ans[i]);
      if (at == answers_.end()) at = answers_.insert(answers_.end(), ans[i]);
      pts_.push_back({logX_ ? std::log10(vx[i]) : vx[i], logY_ ? std::log10(vy[i]) : vy[i],
                      static_cast<std::size_t>(at - answers_.begin())});
    }
    auto distinct = [](std::vector<double> v) {
      std::sort(v.begin(), v.end());
      std::vector<double> out;
      for (double d : v) {
        if (out.empty() || std::abs(d - out.back()) > 1e-9 * std::max(1.0, std::abs(d))) out.push_back(d);
      }
      return out;
    };
    std::vector<double> px, py;
    for (const auto& p : pts_) {
      px.push_back(p.x);
      py.push_back(p.y);
    }
    xs_ = distinct(px);
    ys_ = distinct(py);
    // Each cell takes the answer of the point evaluated there, else of the nearest evaluated
    // point, in coordinates scaled to the map's extent (a grid sweep has a point in every
    // cell; a boundary sweep leaves cells between its coarse points, away from the boundary).
    const double wx = xs_.size() > 1 ? xs_.back() - xs_.front() : 1, wy = ys_.size() > 1 ? ys_.back() - ys_.front() : 1;
    auto index = [](const std::vector<double>& v, double d) {
      return static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), d - 1e-9 * std::max(1.0, std::abs(d))) - v.begin());
    };
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    cell_.assign(xs_.size() * ys_.size(), kNone);
    for (const auto& p : pts_) cell_[index(ys_, p.y) * xs_.size() + index(xs_, p.x)] = p.answer;
    for (std::size_t j = 0; j < ys_.size(); ++j) {
      for (std::size_t i = 0; i < xs_.size(); ++i) {
        std::size_t& c = cell_[j * xs_.size() + i];
        if (c != kNone) continue;
        double bestD = INFINITY;
        for (const auto& p : pts_) {
          const double d = std::pow((p.x - xs_[i]) / wx, 2) + std::pow((p.y - ys_[j]) / wy, 2);
          if (d < bestD) {
            bestD = d;
            c = p.answer;
          }
        }
      }
    }
    xTitle_ = columnTitle(*t, x);
    yTitle_ = columnTitle(*t, y);
    title_ = QStringLiteral("Recommended deployment over %1 x %2: %3 point(s) evaluated")
                 .arg(QString::fromStdString(t->header()[x]), QString::fromStdString(t->header()[y]))
                 .arg(pts_.size());
  }
  update();
}

const std::string& DecisionMap::cellAnswer(std::size_t i, std::size_t j) const { return answers_[cell_[j * xs_.size() + i]]; }

QColor DecisionMap::boundaryColour() const { return palette().color(QPalette::Text); }

int DecisionMap::boundarySegments() const {
  int n = 0;
  for (std::size_t j = 0; j < ys_.size(); ++j) {
    for (std::size_t i = 0; i < xs_.size(); ++i) {
      const std::size_t a = cell_[j * xs_.size() + i];
      if (i + 1 < xs_.size() && cell_[j * xs_.size() + i + 1] != a) ++n;
      if (j + 1 < ys_.size() && cell_[(j + 1) * xs_.size() + i] != a) ++n;
    }
  }
  return n;
}

void DecisionMap::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette pal = palette();
  p.fillRect(rect(), pal.base());
  p.setPen(pal.text().color());
  if (pts_.empty()) {
    p.drawText(rect(), Qt::AlignCenter, QStringLiteral("Open a sweep CSV with two numeric axes (File > Open sweep results…).\n"
                                                        "A boundary-mode sweep (docs/sweeps.md) gives the sharpest map."));
    return;
  }
  const int legendW = 230;
  const QRect plot(80, 40, std::max(100, width() - 80 - legendW - 20), std::max(100, height() - 40 - 60));
  QFont bold = font();
  bold.setBold(true);
  p.setFont(bold);
  p.drawText(QRect(0, 8, width(), 24), Qt::AlignHCenter, title_);
  p.setFont(font());
  // Cell edges: halfway between neighbouring values; the outer cells as wide as their inner half.
  auto edges = [](const std::vector<double>& v) {
    std::vector<double> e;
    if (v.size() == 1) return std::vector<double>{v[0] - 0.5, v[0] + 0.5};
    e.push_back(v[0] - (v[1] - v[0]) / 2);
    for (std::size_t i = 0; i + 1 < v.size(); ++i) e.push_back((v[i] + v[i + 1]) / 2);
    e.push_back(v.back() + (v.back() - v[v.size() - 2]) / 2);
    return e;
  };
  const auto ex = edges(xs_), ey = edges(ys_);
  auto X = [&](double v) { return plot.left() + (v - ex.front()) / (ex.back() - ex.front()) * plot.width(); };
  auto Y = [&](double v) { return plot.bottom() - (v - ey.front()) / (ey.back() - ey.front()) * plot.height(); };
  for (std::size_t j = 0; j < ys_.size(); ++j) {
    for (std::size_t i = 0; i < xs_.size(); ++i) {
      const QRectF r(QPointF(X(ex[i]), Y(ey[j + 1])), QPointF(X(ex[i + 1]), Y(ey[j])));
      p.fillRect(r, colourOf(answers_[cell_[j * xs_.size() + i]]));
    }
  }
  // The boundary: between neighbouring cells with different answers, in the text colour
  // (near-black on the light palette, near-white on the dark one: a fixed dark grey
  // vanished from the dark palette's legend).
  const QColor boundary = boundaryColour();
  p.setPen(QPen(boundary, 3, Qt::SolidLine, Qt::RoundCap));
  for (std::size_t j = 0; j < ys_.size(); ++j) {
    for (std::size_t i = 0; i < xs_.size(); ++i) {
      const std::size_t a = cell_[j * xs_.size() + i];
      if (i + 1 < xs_.size() && cell_[j * xs_.size() + i + 1] != a) p.drawLine(QPointF(X(ex[i + 1]), Y(ey[j])), QPointF(X(ex[i + 1]), Y(ey[j + 1])));
      if (j + 1 < ys_.size() && cell_[(j + 1) * xs_.size() + i] != a) p.drawLine(QPointF(X(ex[i]), Y(ey[j + 1])), QPointF(X(ex[i + 1]), Y(ey[j + 1])));
    }
  }
  // The evaluated points.
  p.setPen(QPen(QColor(0x20, 0x20, 0x20), 1));
  p.setBrush(Qt::white);
  for (const auto& pt : pts_) p.drawEllipse(QPointF(X(pt.x), Y(pt.y)), 3, 3);
  // Axes: ticks at evaluated values, skipping those too close to the previous label.
  p.setPen(pal.text().color());
  p.setBrush(Qt::NoBrush);
  p.drawRect(plot);
  auto label = [](double v, bool log) {
    const double real = log ? std::pow(10.0, v) : v;
    return QString::number(real, 'g', 4);
  };
  // Where they do not all fit, round values are labelled first.
  std::vector<double> at;
  QStringList texts;
  for (double v : xs_) at.push_back(X(v)), texts << label(v, logX_);
  for (std::size_t i : thinTicks(at, texts, 48)) {
    const double px = at[i];
    p.drawLine(QPointF(px, plot.bottom()), QPointF(px, plot.bottom() + 5));
    p.drawText(QRectF(px - 40, plot.bottom() + 6, 80, 18), Qt::AlignHCenter | Qt::AlignTop, texts[static_cast<qsizetype>(i)]);
  }
  at.clear();
  texts.clear();
  for (double v : ys_) at.push_back(Y(v)), texts << label(v, logY_);
  for (std::size_t i : thinTicks(at, texts, 20)) {
    const double py = at[i];
    p.drawLine(QPointF(plot.left() - 5, py), QPointF(plot.left(), py));
    p.drawText(QRectF(0, py - 9, plot.left() - 8, 18), Qt::AlignRight | Qt::AlignVCenter, texts[static_cast<qsizetype>(i)]);
  }
  p.drawText(QRect(plot.left(), plot.bottom() + 26, plot.width(), 20), Qt::AlignHCenter,
             xTitle_ + (logX_ ? QStringLiteral(", log scale") : QString()));
  p.save();
  p.translate(14, plot.center().y());
  p.rotate(-90);
  p.drawText(QRect(-plot.height() / 2, -10, plot.height(), 20), Qt::AlignHCenter, yTitle_ + (logY_ ? QStringLiteral(", log scale") : QString()));
  p.restore();
  // Legend.
  int ly = plot.top();
  const int lx = plot.right() + 20;
  p.drawText(QPoint(lx, ly + 10), QStringLiteral("recommended"));
  ly += 22;
  for (const auto& a : answers_) {
    p.fillRect(QRect(lx, ly, 16, 16), colourOf(a));
    p.drawRect(QRect(lx, ly, 16, 16));
    p.drawText(QRect(lx + 22, ly - 1, legendW - 30, 18), Qt::AlignLeft | Qt::AlignVCenter, QString::fromStdString(a));
    ly += 22;
  }
  ly += 8;
  p.setPen(QPen(boundary, 3));
  p.drawLine(lx, ly + 8, lx + 16, ly + 8);
  p.setPen(pal.text().color());
  p.drawText(QRect(lx + 22, ly - 1, legendW - 30, 18), Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("boundary"));
  ly += 22;
  p.setBrush(Qt::white);
  p.drawEllipse(QPointF(lx + 8, ly + 8), 3, 3);
  p.drawText(QRect(lx + 22, ly - 1, legendW - 30, 18), Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("point evaluated"));
}

// ---- the page ----

SweepPage::SweepPage(QWidget* parent)
    : QWidget(parent), file_(new QLabel), tabs_(new QTabWidget), x_(new QComboBox), y_(new QComboBox), series_(new QComboBox),
      recommendedOnly_(new QCheckBox(QStringLiteral("recommended only"))), plot_(new QChartView), map_(new DecisionMap),
      mapX_(new QComboBox), mapY_(new QComboBox) {
  auto* openButton = new QPushButton(QStringLiteral("Open sweep results…"));
  connect(openButton, &QPushButton::clicked, this, &SweepPage::openDialog);
  auto* saveButton = new QPushButton(QStringLiteral("Save picture…"));
  connect(saveButton, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Save picture"), QStringLiteral("sweep.png"),
                                                      QStringLiteral("PNG image (*.png);;SVG drawing (*.svg)"));
    if (path.isEmpty()) return;
    const QString err = savePicture(path);
    file_->setText(err.isEmpty() ? QStringLiteral("Wrote %1").arg(path) : err);
  });
  file_->setWordWrap(true);
  file_->setText(QStringLiteral("A `hwplan sweep` CSV: plot any column against any axis, or see the decision map of a two-axis sweep."));
  auto* top = new QHBoxLayout;
  top->addWidget(openButton);
  top->addWidget(file_, 1);
  top->addWidget(saveButton);

  recommendedOnly_->setChecked(true);
  recommendedOnly_->setToolTip(QStringLiteral("Only each variant's recommended candidate; unticked: every candidate's row"));
  auto* plotControls = new QHBoxLayout;
  plotControls->addWidget(new QLabel(QStringLiteral("Plot")));
  plotControls->addWidget(y_, 1);
  plotControls->addWidget(new QLabel(QStringLiteral("against")));
  plotControls->addWidget(x_, 1);
  plotControls->addWidget(new QLabel(QStringLiteral("one line per")));
  plotControls->addWidget(series_, 1);
  plotControls->addWidget(recommendedOnly_);
  plot_->setRenderHint(QPainter::Antialiasing);
  auto* plotPage = new QWidget;
  auto* pl = new QVBoxLayout(plotPage);
  pl->addLayout(plotControls);
  pl->addWidget(plot_, 1);

  auto* mapControls = new QHBoxLayout;
  mapControls->addWidget(new QLabel(QStringLiteral("Across")));
  mapControls->addWidget(mapX_, 1);
  mapControls->addWidget(new QLabel(QStringLiteral("and up")));
  mapControls->addWidget(mapY_, 1);
  auto* mapPage = new QWidget;
  auto* ml = new QVBoxLayout(mapPage);
  ml->addLayout(mapControls);
  ml->addWidget(map_, 1);

  tabs_->addTab(plotPage, QStringLiteral("Plot"));
  tabs_->addTab(mapPage, QStringLiteral("Decision map"));
  auto* l = new QVBoxLayout(this);
  l->addLayout(top);
  l->addWidget(tabs_, 1);

  for (QComboBox* c : {x_, y_, series_}) connect(c, &QComboBox::currentIndexChanged, this, &SweepPage::replot);
  connect(recommendedOnly_, &QCheckBox::toggled, this, &SweepPage::replot);
  for (QComboBox* c : {mapX_, mapY_}) connect(c, &QComboBox::currentIndexChanged, this, &SweepPage::redrawMap);
  replot();  // the empty plot, "Open a sweep CSV", in the theme's colours
}

void SweepPage::openDialog() {
  const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Open sweep results"), QStringLiteral("reports"),
                                                    QStringLiteral("Sweep results (*.csv);;All files (*)"));
  if (!path.isEmpty()) open(path);
}

QString SweepPage::open(const QString& path) {
  std::unique_ptr<SweepTable> t;
  try {
    t = std::make_unique<SweepTable>(SweepTable::read(path));
  } catch (const std::exception& e) {
    const QString msg = QString::fromStdString(e.what());
    file_->setText(QStringLiteral("<span style='color:#c03030'>%1</span>").arg(msg.toHtmlEscaped()));
    return msg;
  }
  table_ = std::move(t);
  const SweepTable& s = *table_;
  file_->setText(QStringLiteral("%1: %2 variant(s), %3 row(s), axes: %4")
                     .arg(QFileInfo(path).fileName())
                     .arg(s.variants().size())
                     .arg(s.rowCount())
                     .arg(QString::fromStdString([&] {
                       std::string a;
                       for (std::size_t i = 0; i < s.axisCount(); ++i) a += (i ? ", " : "") + s.header()[i];
                       return a;
                     }())));
  for (QComboBox* c : {x_, y_, series_, mapX_, mapY_}) {
    c->blockSignals(true);
    c->clear();
  }
  const auto numeric = s.numericColumns();
  for (std::size_t c : numeric) {
    const QString name = QString::fromStdString(s.header()[c]);
    if (c < s.axisCount()) {
      x_->addItem(name, static_cast<int>(c));
      mapX_->addItem(name, static_cast<int>(c));
      mapY_->addItem(name, static_cast<int>(c));
    }
    y_->addItem(name, static_cast<int>(c));
  }
  // X may also be any other numeric column, after the axes.
  for (std::size_t c : numeric) {
    if (c >= s.axisCount()) x_->addItem(QString::fromStdString(s.header()[c]), static_cast<int>(c));
  }
  series_->addItem(QStringLiteral("(one line)"), -1);
  for (std::size_t c = 0; c < s.axisCount(); ++c) series_->addItem(QString::fromStdString(s.header()[c]), static_cast<int>(c));
  for (const char* name : {"family", "hardware", "candidate"}) {
    if (auto c = s.column(name)) series_->addItem(QString::fromLatin1(name), static_cast<int>(*c));
  }
  int tco = y_->findText(QStringLiteral("tco_usd"));
  if (tco < 0) tco = y_->findText(QStringLiteral("tco"), Qt::MatchStartsWith);
  y_->setCurrentIndex(tco >= 0 ? tco : 0);
  series_->setCurrentIndex(s.axisCount() > 1 ? 2 : 0);  // the second axis, else one line
  mapY_->setCurrentIndex(mapY_->count() > 1 ? 1 : 0);
  for (QComboBox* c : {x_, y_, series_, mapX_, mapY_}) c->blockSignals(false);
  replot();
  redrawMap();
  if (mapX_->count() >= 2) tabs_->setCurrentIndex(1);  // two axes: the map says the most
  return QString();
}

QImage seriesMarker(SeriesMarker shape, const QColor& colour, int size) {
  QImage img(size, size, QImage::Format_ARGB32_Premultiplied);
  img.fill(Qt::transparent);
  QPainter p(&img);
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(QPen(colour.darker(140), 1));
  p.setBrush(colour);
  const QRectF r(1, 1, size - 2, size - 2);
  const QPointF c = r.center();
  switch (shape) {
    case SeriesMarker::Circle: p.drawEllipse(r); break;
    case SeriesMarker::Square: p.drawRect(r.adjusted(1, 1, -1, -1)); break;
    case SeriesMarker::Triangle: {
      const QPointF tri[] = {{c.x(), r.top()}, {r.right(), r.bottom()}, {r.left(), r.bottom()}};
      p.drawPolygon(tri, 3);
      break;
    }
    case SeriesMarker::Diamond: {
      const QPointF d[] = {{c.x(), r.top()}, {r.right(), c.y()}, {c.x(), r.bottom()}, {r.left(), c.y()}};
      p.drawPolygon(d, 4);
      break;
    }
    case SeriesMarker::Cross: {
      p.setPen(QPen(colour, std::max(2.0, size / 4.0), Qt::SolidLine, Qt::FlatCap));
      p.drawLine(r.topLeft(), r.bottomRight());
      p.drawLine(r.topRight(), r.bottomLeft());
      break;
    }
  }
  return img;
}

void styleSeries(QLineSeries* line, int index) {
  static constexpr SeriesMarker shapes[] = {SeriesMarker::Circle, SeriesMarker::Square, SeriesMarker::Triangle, SeriesMarker::Diamond,
                                            SeriesMarker::Cross};
  static constexpr Qt::PenStyle dashes[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine, Qt::DashDotDotLine};
  QPen pen = line->pen();
  pen.setWidthF(2);
  pen.setStyle(dashes[index % 5]);
  line->setPen(pen);
  // 14 px for the first line down to 8 px: a smaller marker over a larger one.
  const int size = std::max(8, 14 - 2 * index);
  line->setMarkerSize(size);
  line->setLightMarker(seriesMarker(shapes[index % 5], pen.color(), size));
}

void SweepPage::replot() {
  QChart* chart = new QChart;
  if (darkPalette()) chart->setTheme(QChart::ChartThemeDark);  // before the series: they take its colours
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->legend()->setAlignment(Qt::AlignBottom);
  if (table_ && x_->currentIndex() >= 0 && y_->currentIndex() >= 0) {
    const SweepTable& t = *table_;
    const auto xc = static_cast<std::size_t>(x_->currentData().toInt()), yc = static_cast<std::size_t>(y_->currentData().toInt());
    const int sc = series_->currentData().toInt();
    std::map<std::string, std::vector<QPointF>> groups;  // by the series column's text
    std::vector<std::string> order;
    std::vector<double> xsAll, ysAll;
    for (std::size_t r = 0; r < t.rowCount(); ++r) {
      if (recommendedOnly_->isChecked() && !t.recommended(r)) continue;
      const auto a = t.number(r, xc), b = t.number(r, yc);
      if (!a || !b) continue;
      const std::string key = sc < 0 ? std::string() : t.cell(r, static_cast<std::size_t>(sc));
      if (!groups.count(key)) order.push_back(key);
      groups[key].push_back(QPointF(*a, *b));
      xsAll.push_back(*a);
      ysAll.push_back(*b);
    }
    // Large figures in thousands or millions (Qt's "%g" wrote 2.5e+05 past 999,999).
    const auto maxAbs = [](const std::vector<double>& v) {
      double m = 0;
      for (double d : v) m = std::max(m, std::abs(d));
      return m;
    };
    const AxisScale sx = axisScale(maxAbs(xsAll)), sy = axisScale(maxAbs(ysAll));
    for (auto& [key, pts] : groups) {
      for (QPointF& pt : pts) pt = QPointF(pt.x() * sx.factor, pt.y() * sy.factor);
    }
    for (double& d : xsAll) d *= sx.factor;
    for (double& d : ysAll) d *= sy.factor;
    const bool logX = wantsLog(xsAll, 10), logY = wantsLog(ysAll, 50);
    QAbstractAxis* ax = nullptr;
    QAbstractAxis* ay = nullptr;
    if (logX) {
      // A log axis labels only powers of its base: 2 below a hundredfold span, else 10.
      auto* l = new QLogValueAxis;
      l->setLabelFormat("%g");
      l->setMinorTickCount(-1);
      const auto [lo, hi] = std::minmax_element(xsAll.begin(), xsAll.end());
      if (*hi / *lo < 100) l->setBase(2);
      ax = l;
    } else {
      auto* v = new QValueAxis;
      v->setLabelFormat("%g");
      ax = v;
    }
    if (logY) {
      auto* l = new QLogValueAxis;
      l->setLabelFormat("%g");
      ay = l;
    } else {
      auto* v = new QValueAxis;
      v->setLabelFormat("%g");
      ay = v;
    }
    ax->setTitleText(columnTitle(t, xc, sx.prefix) + (logX ? QStringLiteral(", log scale") : QString()));
    ay->setTitleText(columnTitle(t, yc, sy.prefix) + (logY ? QStringLiteral(", log scale") : QString()));
    chart->addAxis(ax, Qt::AlignBottom);
    chart->addAxis(ay, Qt::AlignLeft);
    // A line's name: the series column's last two path components ("slo.latency = 100 ms").
    QString sname = sc < 0 ? QString() : QString::fromStdString(t.header()[static_cast<std::size_t>(sc)]);
    if (sname.count('.') > 1) sname = sname.section('.', -2);
    // Lines in the order of their value ("100 ms" before "175 ms"), else as they come.
    std::stable_sort(order.begin(), order.end(), [](const std::string& a, const std::string& b) {
      bool oka = false, okb = false;
      const double va = QString::fromStdString(a).section(' ', 0, 0).toDouble(&oka), vb = QString::fromStdString(b).section(' ', 0, 0).toDouble(&okb);
      return oka && okb ? va < vb : false;
    });
    // Lines that coincide (two latency targets with the same winners) stay visible: each has
    // its own dashes and point marker, the earlier ones' markers larger, so a later line drawn
    // over an earlier one leaves its marker ringed and its dashes gapped by the other's colour.
    int index = 0;
    for (const auto& key : order) {
      auto pts = groups[key];
      std::stable_sort(pts.begin(), pts.end(), [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); });
      auto* line = new QLineSeries;
      line->setName(sc < 0 ? QString::fromStdString(t.header()[yc]) : QStringLiteral("%1 = %2").arg(sname, QString::fromStdString(key)));
      line->replace(QList<QPointF>(pts.begin(), pts.end()));
      chart->addSeries(line);  // the theme gives it its colour here
      styleSeries(line, index++);
      line->attachAxis(ax);
      line->attachAxis(ay);
    }
    chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    if (!logX && !xsAll.empty()) {
      const auto [lo, hi] = std::minmax_element(xsAll.begin(), xsAll.end());
      auto* v = static_cast<QValueAxis*>(ax);
      v->setRange(*lo, *hi > *lo ? *hi : *lo + 1);
      v->applyNiceNumbers();
    }
    if (!logY && !ysAll.empty()) {
      const auto [lo, hi] = std::minmax_element(ysAll.begin(), ysAll.end());
      auto* v = static_cast<QValueAxis*>(ay);
      v->setRange(std::min(0.0, *lo), *hi > 0 ? *hi * 1.1 : 1);
      v->applyNiceNumbers();
    }
    chart->setTitle(QStringLiteral("%1 against %2%3")
                        .arg(QString::fromStdString(t.header()[yc]), QString::fromStdString(t.header()[xc]),
                             recommendedOnly_->isChecked() ? QStringLiteral(" (each variant's recommended candidate)") : QString()));
    if (order.size() > 12) chart->legend()->hide();
  } else {
    chart->setTitle(QStringLiteral("Open a sweep CSV"));
  }
  QChart* old = plot_->chart();
  plot_->setChart(chart);
  delete old;
}

// A theme change (View > Theme, or the desktop's) redraws the plot in the new chart theme.
void SweepPage::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if ((event->type() == QEvent::ApplicationPaletteChange || event->type() == QEvent::PaletteChange) && plot_->chart() &&
      (plot_->chart()->theme() == QChart::ChartThemeDark) != darkPalette()) {
    replot();
  }
}

void SweepPage::redrawMap() {
  if (!table_ || mapX_->currentIndex() < 0 || mapY_->currentIndex() < 0) {
    map_->setData(nullptr, 0, 0);
    return;
  }
  map_->setData(table_.get(), static_cast<std::size_t>(mapX_->currentData().toInt()), static_cast<std::size_t>(mapY_->currentData().toInt()));
}

QString SweepPage::savePicture(const QString& path) {
  if (tabs_->currentIndex() == 1) return saveWidget(map_, path);
  return saveChartView(plot_, path);
}

}  // namespace hwgui
