#include "gui/recommendation.hpp"

#include <QLocale>

#include "sim/io/plan_report.hpp"
#include "sim/plan/loop.hpp"

namespace hwgui {

namespace {
QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }
}  // namespace

std::vector<RejectedFamily> rejectedFamilies(const hw::Plan& plan) {
  std::vector<RejectedFamily> out;
  for (const auto& r : plan.rejected_families) {
    const auto& x = plan.candidates[r.closest];
    out.push_back({r.family, r.closest, QString::fromStdString(x.report.candidate.label), QString::fromStdString(hw::binding_text(x)),
                   QString::fromStdString(hw::fix_text(x))});
  }
  return out;
}

QString recommendationHtml(const PlanOutcome& o, bool dark) {
  // Secondary text, the winner's green and the red of no recommendation, each readable on its
  // background (WCAG contrast 4.5 or more): the light ones were dim grey on near-black.
  const QString grey = dark ? QStringLiteral("#c4c4c4") : QStringLiteral("#555555");
  const QString green = dark ? QStringLiteral("#74d68c") : QStringLiteral("#1b7e33");
  const QString red = dark ? QStringLiteral("#ff8a8a") : QStringLiteral("#b03030");
  const hw::Plan& p = o.plan;
  const QString cur = QString::fromStdString(o.scenario.costs.currency);
  const double years = o.scenario.costs.horizon.si() / hw::kSecondsPerYear;
  QString h;
  h += QStringLiteral("<p style='color:%1'>%2</p>").arg(grey, esc(o.scenario.name));
  if (p.winner) {
    const auto& w = p.candidates[*p.winner].report;
    h += QStringLiteral("<h2 style='color:%1'>Recommended: %2</h2>").arg(green, esc(w.candidate.label));
    h += QStringLiteral("<table cellspacing='0' cellpadding='4'><tr>");
    auto figure = [&](const QString& what, const QString& value) {
      h += QStringLiteral("<td style='padding-right:24px'><span style='color:%1'>%2</span><br><span style='font-size:large'><b>%3</b></span></td>")
               .arg(grey, what, value);
    };
    figure(QStringLiteral("family"), familyWords(o.scenario, w.candidate.spec));
    // Every unit bought: the sized ones and the spares beside them ("2 (1+1 srv)").
    figure(QStringLiteral("units"), QStringLiteral("%1 (%2)").arg(unitsBought(o.scenario, w)).arg(QString::fromStdString(unitsText(w))));
    figure(QStringLiteral("TCO over %1 years").arg(years, 0, 'g', 3), QStringLiteral("%1 %2").arg(QLocale().toString(w.cost.tco, 'f', 0), cur));
    if (p.runner_up) {
      figure(QStringLiteral("margin over runner-up"), QStringLiteral("%1 %").arg(p.margin * 100, 0, 'f', 1));
    } else {
      figure(QStringLiteral("margin over runner-up"), QStringLiteral("no other feasible candidate"));
    }
    if (w.cost.cost_per_million > 0) {
      const bool llm = hw::has_llm_stream(o.scenario);
      figure(llm ? QStringLiteral("per million requests") : QStringLiteral("per million inferences"),
             QStringLiteral("%1 %2").arg(w.cost.cost_per_million, 0, 'g', 3).arg(cur));
    }
    h += QStringLiteral("</tr></table>");
    // A rented data-centre tier has no capex: say that it is rented, and what owning would cost.
    const std::string rent = hw::rent_or_buy_text(w);
    if (!rent.empty()) {
      h += QStringLiteral("<p><b>Rent or buy</b> (data centre, %1 per year): %2</p>").arg(cur.toHtmlEscaped(), esc(rent));
    }
    // LLM serving: TTFT and TPOT against their targets, output tokens per second and the cost
    // per million output tokens, as `hwplan recommend` prints them under the recommendation.
    const QString llm = QString::fromStdString(hw::llm_lines(o.scenario, w, "")).trimmed();
    if (!llm.isEmpty()) {
      h += QStringLiteral("<p><b>LLM serving.</b> %1</p>").arg(llm.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    }
    // Headroom, availability and a single point of failure; the loop's training and timing:
    // the CLI's sections under the recommendation, line for line.
    auto lines = [](const std::vector<std::string>& v) {
      QStringList out;
      for (const auto& l : v) out << esc(l);
      return out.join(QStringLiteral("<br>"));
    };
    h += QStringLiteral("<p><b>Headroom and redundancy.</b> %1</p>").arg(lines(hw::redundancy_lines(o.scenario, w)));
    if (w.training) h += QStringLiteral("<p><b>Train-infer-iterate loop.</b> %1</p>").arg(lines(hw::loop_lines(o.scenario, *w.training)));
    if (p.runner_up) {
      const auto& r = p.candidates[*p.runner_up].report;
      h += QStringLiteral("<p>Runner-up: %1 at %2 %3.</p>").arg(esc(r.candidate.label), QLocale().toString(r.cost.tco, 'f', 0), cur);
    }
  } else {
    h += QStringLiteral("<h2 style='color:%1'>No recommendation: no candidate meets every target</h2>").arg(red);
  }
  h += QStringLiteral("<p><b>Why.</b> %1</p>").arg(esc(p.why));
  const auto rejected = rejectedFamilies(p);
  if (!rejected.empty()) {
    h += QStringLiteral("<p><b>Rejected families</b></p><table cellspacing='0' cellpadding='3' border='0'>");
    h += QStringLiteral("<tr style='color:%1'><td>family</td><td>closest candidate</td><td>binding reason</td><td>fix</td></tr>").arg(grey);
    for (const auto& r : rejected) {
      h += QStringLiteral("<tr><td valign='top'><b>%1</b></td><td valign='top'>%2</td><td valign='top'>%3</td><td valign='top'>%4</td></tr>")
               .arg(familyWords(o.scenario, r.family).toHtmlEscaped(), r.label.toHtmlEscaped(), r.reason.toHtmlEscaped(),
                    r.fix.isEmpty() ? QStringLiteral("-") : r.fix.toHtmlEscaped());
    }
    h += QStringLiteral("</table>");
  }
  if (!p.crossover.empty() || !p.price_crossovers.empty()) {
    h += QStringLiteral("<p><b>Sensitivity.</b> %1").arg(esc(p.crossover));
    for (const auto& line : p.price_crossovers) h += QStringLiteral("<br>%1").arg(esc(line));
    h += QStringLiteral("</p>");
  }
  h += QStringLiteral("<p style='color:%5'>%1 probe(s): %2 simulated, %3 from the cache; %4 s.</p>")
           .arg(p.probes)
           .arg(p.simulations)
           .arg(p.cache_hits)
           .arg(o.wallSeconds, 0, 'f', 1)
           .arg(grey);
  return h;
}

}  // namespace hwgui
