// The sweep page: open a `hwplan sweep` CSV, plot any of its columns against any axis (one
// line per value of another axis, per hardware, or one line), and for a two-axis sweep
// (a boundary-mode sweep above all) the decision map: the plane of the two axes, each cell
// coloured by the deployment recommended at its nearest evaluated point, the boundary drawn
// between cells whose answers differ, the evaluated points marked.
#pragma once

#include <QColor>
#include <QImage>
#include <QStringList>
#include <QWidget>
#include <map>
#include <memory>
#include <vector>

#include "gui/sweep_data.hpp"

class QChartView;
class QCheckBox;
class QComboBox;
class QLabel;
class QTabWidget;

class QLineSeries;

namespace hwgui {

// The sweep plot's lines: the i-th gets the i-th of five dash styles and point markers
// (circle, square, triangle, diamond, cross) in its colour, larger for the earlier lines,
// so that lines that coincide stay visible. Call after the chart gave the line its colour.
enum class SeriesMarker { Circle, Square, Triangle, Diamond, Cross };
QImage seriesMarker(SeriesMarker shape, const QColor& colour, int size);
void styleSeries(QLineSeries* line, int index);

// The ticks an axis labels when they cannot all be: no two closer than `minGap` (pixels),
// round values first (fewest significant digits: "1" and "0.5" before "0.7071", which took
// the place of "1" when ticks were kept from the left), then from the left. `pos` are the
// ticks' pixel positions and `labels` their texts; returns the indexes kept, in order.
std::vector<std::size_t> thinTicks(const std::vector<double>& pos, const QStringList& labels, double minGap);

class DecisionMap : public QWidget {
  Q_OBJECT
 public:
  explicit DecisionMap(QWidget* parent = nullptr);
  // Draws the variants of `t` over columns x and y (nothing when either is not numeric).
  void setData(const SweepTable* t, std::size_t x, std::size_t y);

  // For tests and the legend: the answers in the map, in colour order; the cell grid (one
  // cell per distinct x and y value evaluated); each cell's answer; segments of boundary.
  [[nodiscard]] const std::vector<std::string>& answers() const { return answers_; }
  [[nodiscard]] std::size_t columns() const { return xs_.size(); }
  [[nodiscard]] std::size_t rows() const { return ys_.size(); }
  [[nodiscard]] const std::string& cellAnswer(std::size_t i, std::size_t j) const;
  [[nodiscard]] int boundarySegments() const;
  [[nodiscard]] QColor colourOf(const std::string& answer) const;
  // The boundary line (map and legend): the palette's text colour, readable on its base.
  [[nodiscard]] QColor boundaryColour() const;
  QSize sizeHint() const override { return {720, 520}; }

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  struct Pt {
    double x, y;  // in the plotted (possibly log) coordinates
    std::size_t answer;
  };
  std::vector<Pt> pts_;
  std::vector<double> xs_, ys_;              // distinct plotted coordinates, sorted
  std::vector<std::size_t> cell_;            // answer index per cell, row-major by y then x
  std::vector<std::string> answers_;
  bool logX_ = false, logY_ = false;
  QString xTitle_, yTitle_, title_;
};

class SweepPage : public QWidget {
  Q_OBJECT
 public:
  explicit SweepPage(QWidget* parent = nullptr);
  // Reads a sweep CSV; on error shows it on the page and returns it (empty: read).
  QString open(const QString& path);
  [[nodiscard]] const SweepTable* table() const { return table_.get(); }
  [[nodiscard]] QComboBox* xColumn() const { return x_; }
  [[nodiscard]] QComboBox* yColumn() const { return y_; }
  [[nodiscard]] QComboBox* seriesBy() const { return series_; }
  [[nodiscard]] QCheckBox* recommendedOnly() const { return recommendedOnly_; }
  [[nodiscard]] QChartView* plot() const { return plot_; }
  [[nodiscard]] DecisionMap* map() const { return map_; }
  [[nodiscard]] QComboBox* mapX() const { return mapX_; }
  [[nodiscard]] QComboBox* mapY() const { return mapY_; }
  [[nodiscard]] QTabWidget* tabs() const { return tabs_; }
  // Saves the plot or the map (whichever tab shows) as PNG or SVG by the file's suffix.
  QString savePicture(const QString& path);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void openDialog();
  void replot();
  void redrawMap();
  std::unique_ptr<SweepTable> table_;
  QLabel* file_;
  QTabWidget* tabs_;
  QComboBox *x_, *y_, *series_;
  QCheckBox* recommendedOnly_;
  QChartView* plot_;
  DecisionMap* map_;
  QComboBox *mapX_, *mapY_;
};

}  // namespace hwgui
