// Decision maps: where on two numeric axes the answer changes, found by refining only the
// cells of a coarse grid whose corners disagree. Pure: it never runs anything; the caller
// evaluates the points it asks for and records each point's answer (a label such as
// "gpu l4x4-server").
//
// Points live on a lattice: axis a has n_a coarse values and depth k_a, so its fine
// lattice indices run from 0 to (n_a - 1) * 2^k_a, and coarse value j sits at j * 2^k_a. A
// cell whose corners do not all carry the same label is split in two along each axis whose
// edges it disagrees on and on which it is still wider than one fine step (bisection of the
// edges the boundary crosses: along x when the ends of its bottom or top edge differ, along
// y when those of its left or right edge do; four children when both split), its new
// corners are evaluated in the next round, and its children are treated the same way. A
// boundary that only depends on x adds no rows: every point stays on a coarse row. Where the labels along a coarse row or column change between two
// neighbouring evaluated points, those points are one fine step apart at the end: the
// boundary is located to the fine step, which the caller chooses from its tolerance.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hw::sweep {

struct LatticePoint {
  long x = 0, y = 0;
  friend auto operator<=>(const LatticePoint&, const LatticePoint&) = default;
};

class Refinement {
 public:
  // nx, ny: coarse values per axis (>= 2); kx, ky: bisections per coarse step (>= 0).
  Refinement(int nx, int kx, int ny, int ky);

  // The points to evaluate next, sorted: the coarse grid first, then the new corners of
  // every cell whose corners disagree. Empty when the map is complete. Every point of a
  // round must be recorded before the next call.
  std::vector<LatticePoint> next_round();
  void record(LatticePoint p, const std::string& label);

  [[nodiscard]] std::optional<std::string> label(LatticePoint p) const;
  [[nodiscard]] std::size_t evaluated() const { return labels_.size(); }
  [[nodiscard]] int rounds() const { return rounds_; }
  // Points of the full fine grid: ((nx-1)*2^kx + 1) * ((ny-1)*2^ky + 1).
  [[nodiscard]] std::size_t fine_grid_points() const;
  [[nodiscard]] long fine_x() const { return (nx_ - 1L) << kx_; }  // largest lattice index
  [[nodiscard]] long fine_y() const { return (ny_ - 1L) << ky_; }
  [[nodiscard]] long step_x() const { return 1L << kx_; }          // lattice units per coarse step
  [[nodiscard]] long step_y() const { return 1L << ky_; }

  // Where the label changes along a line: between lattice positions `from` and `to`
  // (neighbouring evaluated points on the line), `below` at `from` and `above` at `to`.
  struct Change {
    bool along_x = true;  // the line is a row (y fixed) when true, a column (x fixed) otherwise
    long line = 0;        // the fixed lattice coordinate
    long from = 0, to = 0;
    std::string below, above;
  };
  // Changes along every coarse row and every coarse column, in order.
  [[nodiscard]] std::vector<Change> changes() const;

 private:
  struct Cell {
    long x0, y0, wx, wy;
  };
  [[nodiscard]] bool disagree(const Cell& c) const;
  int nx_, kx_, ny_, ky_;
  bool started_ = false;
  int rounds_ = 0;
  std::vector<Cell> active_;
  std::map<LatticePoint, std::string> labels_;
};

// The lattice depth for an axis: the fewest bisections of a coarse step (at most max_depth)
// after which every fine step is within `tolerance` (same unit as the values), for values
// lo..hi in n coarse steps, linear or geometric.
int depth_for(double lo, double hi, int n, bool log, double tolerance, int max_depth);
// The widest fine step of that lattice at depth k (the top step of a geometric one).
double widest_step(double lo, double hi, int n, bool log, int k);

}  // namespace hw::sweep
