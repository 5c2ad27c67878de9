#include "sim/sweep/boundary.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

namespace hw::sweep {

Refinement::Refinement(int nx, int kx, int ny, int ky) : nx_(nx), kx_(kx), ny_(ny), ky_(ky) {
  if (nx < 2 || ny < 2 || kx < 0 || ky < 0 || kx > 20 || ky > 20) throw std::invalid_argument("Refinement: bad lattice");
}

std::size_t Refinement::fine_grid_points() const {
  return static_cast<std::size_t>(fine_x() + 1) * static_cast<std::size_t>(fine_y() + 1);
}

std::optional<std::string> Refinement::label(LatticePoint p) const {
  auto it = labels_.find(p);
  if (it == labels_.end()) return std::nullopt;
  return it->second;
}

void Refinement::record(LatticePoint p, const std::string& label) { labels_[p] = label; }

bool Refinement::disagree(const Cell& c) const {
  const LatticePoint corners[4] = {{c.x0, c.y0}, {c.x0 + c.wx, c.y0}, {c.x0, c.y0 + c.wy}, {c.x0 + c.wx, c.y0 + c.wy}};
  const auto first = labels_.find(corners[0]);
  if (first == labels_.end()) throw std::logic_error("Refinement: a corner was not recorded");
  for (const auto& p : corners) {
    const auto it = labels_.find(p);
    if (it == labels_.end()) throw std::logic_error("Refinement: a corner was not recorded");
    if (it->second != first->second) return true;
  }
  return false;
}

std::vector<LatticePoint> Refinement::next_round() {
  std::set<LatticePoint> need;
  if (!started_) {
    started_ = true;
    for (long j = 0; j < ny_; ++j) {
      for (long i = 0; i < nx_; ++i) {
        const LatticePoint p{i * step_x(), j * step_y()};
        if (!labels_.contains(p)) need.insert(p);
      }
    }
    for (long j = 0; j + 1 < ny_; ++j) {
      for (long i = 0; i + 1 < nx_; ++i) active_.push_back({i * step_x(), j * step_y(), step_x(), step_y()});
    }
    if (!need.empty()) {
      ++rounds_;
      return {need.begin(), need.end()};
    }
  }
  // Split every disagreeing cell; cells whose new corners are all known already (shared with
  // a neighbour) are split again at once.
  while (!active_.empty()) {
    std::vector<Cell> next;
    for (const Cell& c : active_) {
      if (!disagree(c)) continue;
      // Bisect only the edges that the boundary crosses: along x when the bottom or top edge
      // has ends that disagree, along y when the left or right edge has. A boundary that
      // runs from bottom to top (the answer changes with x only) never adds rows.
      auto differ = [&](LatticePoint a, LatticePoint b) { return labels_.at(a) != labels_.at(b); };
      const LatticePoint p00{c.x0, c.y0}, p10{c.x0 + c.wx, c.y0}, p01{c.x0, c.y0 + c.wy}, p11{c.x0 + c.wx, c.y0 + c.wy};
      const bool sx = c.wx > 1 && (differ(p00, p10) || differ(p01, p11));
      const bool sy = c.wy > 1 && (differ(p00, p01) || differ(p10, p11));
      if (!sx && !sy) continue;  // located: every disagreeing edge is one fine step long
      const long hx = sx ? c.wx / 2 : c.wx, hy = sy ? c.wy / 2 : c.wy;
      for (long dy = 0; dy < (sy ? 2 : 1); ++dy) {
        for (long dx = 0; dx < (sx ? 2 : 1); ++dx) {
          Cell ch{c.x0 + dx * hx, c.y0 + dy * hy, hx, hy};
          for (const LatticePoint& p : {LatticePoint{ch.x0, ch.y0}, LatticePoint{ch.x0 + ch.wx, ch.y0},
                                        LatticePoint{ch.x0, ch.y0 + ch.wy}, LatticePoint{ch.x0 + ch.wx, ch.y0 + ch.wy}}) {
            if (!labels_.contains(p)) need.insert(p);
          }
          next.push_back(ch);
        }
      }
    }
    active_ = std::move(next);
    if (!need.empty()) {
      ++rounds_;
      return {need.begin(), need.end()};
    }
  }
  return {};
}

std::vector<Refinement::Change> Refinement::changes() const {
  std::vector<Change> out;
  // Rows: y fixed at a coarse value.
  for (long j = 0; j < ny_; ++j) {
    const long y = j * step_y();
    std::vector<std::pair<long, std::string>> line;
    for (const auto& [p, l] : labels_) {
      if (p.y == y) line.emplace_back(p.x, l);
    }
    std::sort(line.begin(), line.end());
    for (std::size_t i = 1; i < line.size(); ++i) {
      if (line[i].second != line[i - 1].second) out.push_back({true, y, line[i - 1].first, line[i].first, line[i - 1].second, line[i].second});
    }
  }
  for (long i = 0; i < nx_; ++i) {
    const long x = i * step_x();
    std::vector<std::pair<long, std::string>> line;
    for (const auto& [p, l] : labels_) {
      if (p.x == x) line.emplace_back(p.y, l);
    }
    std::sort(line.begin(), line.end());
    for (std::size_t k = 1; k < line.size(); ++k) {
      if (line[k].second != line[k - 1].second) out.push_back({false, x, line[k - 1].first, line[k].first, line[k - 1].second, line[k].second});
    }
  }
  return out;
}

double widest_step(double lo, double hi, int n, bool log, int k) {
  if (n < 2) return 0;
  const double cells = static_cast<double>(n - 1) * std::ldexp(1.0, k);
  if (log) {
    const double a = std::min(lo, hi), b = std::max(lo, hi);
    return b - b / std::pow(b / a, 1.0 / cells);  // the top step of a geometric lattice is the widest
  }
  return std::abs(hi - lo) / cells;
}

int depth_for(double lo, double hi, int n, bool log, double tolerance, int max_depth) {
  if (n < 2 || tolerance <= 0) return 0;
  for (int k = 0; k <= max_depth; ++k) {
    if (widest_step(lo, hi, n, log, k) <= tolerance * (1 + 1e-9)) return k;
  }
  return max_depth;
}

}  // namespace hw::sweep
