// The scenario as a picture: each kind of site with its count and its sources, the access
// link, the site (its edge units), the backhaul and the data centre, each link with its
// latency and bandwidth. Given a candidate's run, links and tiers are coloured by their
// measured utilisation (green idle, amber busy, red saturated).
#pragma once

#include <QGraphicsView>

#include "sim/plan/evaluate.hpp"

namespace hwgui {

class TopologyView : public QGraphicsView {
  Q_OBJECT
 public:
  explicit TopologyView(QWidget* parent = nullptr);
  // `run` may be null (no colours); both may be null (empty picture).
  void draw(const hw::Scenario* s, const hw::CandidateReport* run = nullptr);
  [[nodiscard]] int drawnSites() const { return sites_; }

 protected:
  void resizeEvent(QResizeEvent* e) override;

 private:
  int sites_ = 0;
};

// Colour of a utilisation in [0, 1] (beyond 1: saturated red).
QColor utilisationColour(double u);

}  // namespace hwgui
