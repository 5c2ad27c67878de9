#include "gui/plan_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <QStringList>
#include <regex>

#include "sim/io/plan_report.hpp"
#include "sim/plan/loop.hpp"

namespace hwgui {

std::string hardwareOf(const hw::CandidateSpec& c) { return hw::hardware_name(c); }


int unitsBought(const hw::Scenario& s, const hw::CandidateReport& r) { return hw::units_bought(s, r); }

std::string unitsText(const hw::CandidateSpec& c) { return hw::units_text(c); }

std::string unitsText(const hw::CandidateReport& r) { return hw::units_text(r); }  // with an edge job's units at its site

QString familyWords(const hw::Scenario& s, hw::Family f) {
  // The engine's words, as the CLI, the planner's "Why." and the JSON say them (the app said
  // "GPU servers in the data centre" in its Rejected families table under a "Why." naming
  // "GPU-central", and "edge only" for the CLI's "edge-only").
  return QString::fromStdString(hw::deployment_label(s, f));
}

QString familyShort(const hw::Scenario& s, hw::Family f) {
  const std::string kind = hw::hybrid_kind(s, f);
  if (kind == "train-infer-loop") return QStringLiteral("hybrid (train-infer loop)");
  if (kind == "split-pipeline") return QStringLiteral("hybrid (split pipeline)");
  return QString::fromStdString(hw::to_string(f));
}

QString familyWords(const hw::Scenario& s, const hw::CandidateSpec& c) {
  if (hw::hybrid_kind(s, c) == "edge-inference-dc-jobs") return QString::fromStdString(hw::deployment_label(s, c));
  return familyWords(s, c.family);
}

QString familyShort(const hw::Scenario& s, const hw::CandidateSpec& c) {
  if (hw::hybrid_kind(s, c) == "edge-inference-dc-jobs") return QStringLiteral("hybrid (edge inference, jobs in the DC)");
  return familyShort(s, c.family);
}

QString shortMoney(double v) {
  if (std::abs(v) >= 1e6) return QString::fromStdString(fmt::format("{:.3g}M", v / 1e6));
  if (std::abs(v) >= 1e3) return QString::fromStdString(fmt::format("{:.3g}k", v / 1e3));
  return QString::fromStdString(fmt::format("{:.0f}", v));
}

std::vector<FamilyBest> familyBests(const hw::Plan& plan) {
  std::vector<FamilyBest> out;
  for (std::size_t i : plan.ranking) {
    const auto& r = plan.candidates[i].report;
    const hw::Family f = r.candidate.spec.family;
    if (std::any_of(out.begin(), out.end(), [f](const FamilyBest& b) { return b.family == f; })) continue;
    out.push_back(FamilyBest{f, r.candidate.label, r.cost.tco});
  }
  return out;
}

std::optional<FeasibilityEnd> loadFeasibilityEnd(const hw::Plan& plan) {
  if (!plan.crossover_load) return std::nullopt;
  // The two sentences of sim/plan/planner.cpp's load_sensitivity that end in "no candidate
  // is feasible" (up: "up to load xA; from xB no ..."; down: "down to load xA; from xB down no ...").
  static const std::regex re(R"(stays the winner (up|down) to load x([0-9.eE+-]+); from x([0-9.eE+-]+) (down )?no candidate is feasible)");
  std::smatch m;
  if (!std::regex_search(plan.crossover, m, re)) return std::nullopt;
  FeasibilityEnd e;
  e.upward = m[1].str() == "up";
  e.lastFeasible = std::stod(m[2].str());
  e.firstNone = std::stod(m[3].str());
  return e;
}

QString wrappedSubtitle(const QString& text, int width) {
  QStringList lines;
  QString line;
  for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
    if (!line.isEmpty() && line.size() + 1 + word.size() > width) {
      lines << line.toHtmlEscaped();
      line.clear();
    }
    line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
  }
  if (!line.isEmpty()) lines << line.toHtmlEscaped();
  // "<br/>", not "<br>": plainTitle (the SVG and PDF titles) joins these back with a space,
  // and keeps " — " for the breaks between subtitles.
  return QStringLiteral("<small>%1</small>").arg(lines.join(QStringLiteral("<br/>")));
}

hw::Table candidatesCsv(const hw::Scenario& s, const hw::Plan& plan) { return hw::plan_table(s, plan, hw::TableStyle::csv); }

}  // namespace hwgui
