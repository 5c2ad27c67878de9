#include "sim/hardware/validation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace hw {

std::string to_string(LoadScenario s) {
  switch (s) {
    case LoadScenario::offline: return "offline";
    case LoadScenario::single_stream: return "single_stream";
    case LoadScenario::server: return "server";
  }
  return "?";
}

PointResult predict_point(const HardwareProfile& hw, const WorkloadModel& m, const PublishedPoint& p, int max_batch) {
  PointResult r;
  r.point = p;
  if (!hw.peak.contains(p.precision)) {
    r.problem = fmt::format("{} has no {} compute", hw.id, to_string(p.precision));
    return r;
  }
  if (max_batch_fitting(hw, m, p.precision, 1) < 1) {
    r.problem = fmt::format("{} does not fit in {}'s memory", m.id, hw.id);
    return r;
  }
  switch (p.scenario) {
    case LoadScenario::offline: {
      r.batch = saturation_batch(hw, m, p.precision, max_batch);
      r.predicted = p.accelerators * batch_throughput(hw, m, p.precision, r.batch);
      break;
    }
    case LoadScenario::single_stream: {
      r.batch = 1;
      r.predicted = batch_time(hw, m, p.precision, 1).total.si() * 1e3;
      break;
    }
    case LoadScenario::server: {
      const auto sp = server_throughput(hw, m, p.precision, Seconds(p.bound_s), max_batch);
      r.batch = sp.batch;
      r.predicted = p.accelerators * sp.throughput_per_s;
      if (sp.batch == 0) r.problem = "even batch 1 misses the latency bound";
      break;
    }
  }
  r.error = p.value > 0 ? r.predicted / p.value - 1.0 : 0.0;
  return r;
}

std::vector<GroupError> group_errors(const std::vector<PointResult>& results, const std::string& role) {
  std::map<std::string, GroupError> by;
  std::vector<std::string> order;
  for (const auto& r : results) {
    if (!r.problem.empty()) continue;
    if (!role.empty() && r.point.role != role) continue;
    auto [it, fresh] = by.try_emplace(r.point.group);
    if (fresh) order.push_back(r.point.group);
    auto& g = it->second;
    g.group = r.point.group;
    g.rows += 1;
    g.mape += std::abs(r.error);
    g.worst = std::max(g.worst, std::abs(r.error));
  }
  std::vector<GroupError> out;
  for (const auto& name : order) {
    auto g = by.at(name);
    g.mape /= g.rows;
    out.push_back(g);
  }
  return out;
}

namespace {

// Golden-section search of f over [lo, hi] (f unimodal enough; 40 steps).
double golden_min(const std::function<double(double)>& f, double lo, double hi) {
  const double g = (std::sqrt(5.0) - 1.0) / 2.0;
  double a = lo, b = hi;
  double c = b - g * (b - a), d = a + g * (b - a);
  double fc = f(c), fd = f(d);
  for (int i = 0; i < 40; ++i) {
    if (fc < fd) {
      b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c);
    } else {
      a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d);
    }
  }
  return (a + b) / 2.0;
}

}  // namespace

ProfileFit fit_profile(const HardwareProfile& hw, const std::map<std::string, WorkloadModel>& models,
                       const std::vector<PublishedPoint>& points, int max_batch) {
  std::vector<std::pair<const PublishedPoint*, const WorkloadModel*>> use;
  for (const auto& p : points) {
    if (p.device != hw.id || p.role != "fit") continue;
    auto it = models.find(p.model);
    if (it != models.end() && hw.peak.contains(p.precision)) use.emplace_back(&p, &it->second);
  }
  ProfileFit out;
  out.fitted = hw;
  out.points = static_cast<int>(use.size());
  auto data_loss = [&](const HardwareProfile& h) {
    double s = 0.0;
    for (const auto& [p, m] : use) {
      const auto r = predict_point(h, *m, *p, max_batch);
      const double ratio = r.predicted > 0 ? r.predicted / p->value : 1e-6;
      s += std::pow(std::log(ratio), 2);
    }
    return s;
  };
  out.rms_log_before = use.empty() ? 0.0 : std::sqrt(data_loss(hw) / use.size());
  if (use.empty()) return out;

  // Figures fitted, each in log space between bounds, with its prior.
  struct Figure {
    std::function<double(const HardwareProfile&)> get;
    std::function<void(HardwareProfile&, double)> set;
    double lo, hi, prior;
  };
  const double floor_s = 1e-7;  // 0.1 us: the log search needs a positive start
  HardwareProfile cur = hw;
  if (cur.launch.si() < floor_s) cur.launch = Seconds(floor_s);
  if (cur.overhead.si() < floor_s) cur.overhead = Seconds(floor_s);
  std::vector<Figure> figs{
      {[](const HardwareProfile& h) { return h.efficiency_compute; },
       [](HardwareProfile& h, double v) { h.efficiency_compute = v; }, 0.02, 1.0, cur.efficiency_compute},
      {[](const HardwareProfile& h) { return h.launch.si(); }, [](HardwareProfile& h, double v) { h.launch = Seconds(v); },
       floor_s, 1e-3, cur.launch.si()},
      {[](const HardwareProfile& h) { return h.overhead.si(); },
       [](HardwareProfile& h, double v) { h.overhead = Seconds(v); }, floor_s, 0.05, cur.overhead.si()},
  };
  auto loss = [&](const HardwareProfile& h) {
    double s = data_loss(h);
    for (const auto& f : figs) s += 1e-4 * std::pow(std::log(f.get(h) / f.prior), 2);
    return s;
  };
  for (int round = 0; round < 20; ++round) {
    for (auto& f : figs) {
      auto probe = [&](double logx) {
        HardwareProfile h = cur;
        f.set(h, std::exp(logx));
        return loss(h);
      };
      f.set(cur, std::exp(golden_min(probe, std::log(f.lo), std::log(f.hi))));
    }
  }
  out.fitted = cur;
  out.rms_log_after = std::sqrt(data_loss(cur) / use.size());
  for (const auto& [p, m] : use) out.residuals.push_back(predict_point(cur, *m, *p, max_batch));
  return out;
}

}  // namespace hw
