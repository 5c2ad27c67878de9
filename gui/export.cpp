#include "gui/export.hpp"

#include <QApplication>
#include <QAbstractAxis>
#include <QChart>
#include <QLegend>
#include <QChartView>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QTemporaryFile>
#include <QTextDocument>
#include <QTextDocumentFragment>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#ifdef HWPLAN_GUI_SVG
#include <QSvgGenerator>
#endif

#include "gui/recommendation.hpp"
#include "sim/core/files.hpp"
#include "sim/io/plan_report.hpp"
#include "sim/plan/evaluate.hpp"

namespace hwgui {

namespace {

// A chart view laid out at `size` without appearing on screen.
std::unique_ptr<QChartView> offscreenView(QChart* chart, QSize size) {
  auto v = std::make_unique<QChartView>(chart);
  v->setRenderHint(QPainter::Antialiasing);
  v->setAttribute(Qt::WA_DontShowOnScreen);
  v->resize(size);
  v->show();
  QCoreApplication::processEvents();  // the chart's layout
  return v;
}

// Renders the scene of a view into `target` of a painter, scaled.
void paintView(QChartView* v, QPainter& p, const QRectF& target) {
  v->render(&p, target, v->viewport()->rect(), Qt::KeepAspectRatio);
}

// Every font of a chart (title, axes, legend) `k` times its size; returns the chart.
QChart* enlargeFonts(QChart* c, double k) {
  auto bigger = [k](QFont f) {
    f.setPointSizeF(f.pointSizeF() * k);
    return f;
  };
  c->setTitleFont(bigger(c->titleFont()));
  c->legend()->setFont(bigger(c->legend()->font()));
  for (QAbstractAxis* a : c->axes()) {
    a->setLabelsFont(bigger(a->labelsFont()));
    a->setTitleFont(bigger(a->titleFont()));
  }
  return c;
}

QString tableHtml(const PlanOutcome& o, std::size_t maxRows) {
  const hw::Plan& p = o.plan;
  const QString cur = QString::fromStdString(o.scenario.costs.currency);
  QString h = QStringLiteral("<table cellspacing='0' cellpadding='2' border='1' style='border-collapse:collapse' width='100%'>");
  h += QStringLiteral("<tr style='background:#eee'><th>#</th><th>candidate</th><th>units</th><th>latency ms</th><th>TCO %1</th><th>verdict</th></tr>").arg(cur);
  std::vector<std::size_t> order = p.ranking;
  for (std::size_t i = 0; i < p.candidates.size(); ++i) {
    if (!p.candidates[i].report.feasible) order.push_back(i);
  }
  std::size_t rank = 0, shown = 0;
  for (std::size_t i : order) {
    if (shown++ >= maxRows) break;
    const auto& x = p.candidates[i];
    const auto& r = x.report;
    const bool win = p.winner && *p.winner == i;
    QString latency = QStringLiteral("-");
    if (!r.run.streams.empty() && r.run.streams[r.worst_stream].completed > 0) {
      const auto& st = r.run.streams[r.worst_stream];
      latency = QStringLiteral("p%1 %2 / %3").arg(st.slo_percentile).arg(hw::slo_estimate(st).value * 1e3, 0, 'g', 3).arg(st.slo_latency_s * 1e3, 0, 'g', 4);
    }
    const bool ran = !r.run.streams.empty() || !r.run.jobs.empty();
    h += QStringLiteral("<tr%1><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td><td>%7</td></tr>")
             .arg(win ? QStringLiteral(" style='background:#d8f0d8;font-weight:bold'") : QString(), r.feasible ? QString::number(++rank) : QStringLiteral("-"),
                  QString::fromStdString(r.candidate.label).toHtmlEscaped(),
                  x.screened_out ? QStringLiteral("-") : QString::fromStdString(unitsText(r)), latency,
                  ran && !x.screened_out ? shortMoney(r.cost.tco) : QStringLiteral("-"),
                  r.feasible ? (win ? QStringLiteral("RECOMMENDED") : QStringLiteral("feasible"))
                             : QStringLiteral("rejected: %1").arg(QString::fromStdString(hw::binding_text(x)).toHtmlEscaped()));
  }
  h += QStringLiteral("</table>");
  if (order.size() > maxRows) h += QStringLiteral("<p><i>%1 more candidate(s) in the CSV.</i></p>").arg(order.size() - maxRows);
  return h;
}

}  // namespace

QString plainTitle(const QString& richTitle) {
  // A chart title may be rich text ("TCO ...<br><small>crossover: ...</small>"): its text,
  // the line breaks as " — ", white space folded.
  QString t = richTitle;
  t.replace(QStringLiteral("<br>"), QStringLiteral(" — "), Qt::CaseInsensitive);
  if (Qt::mightBeRichText(t)) t = QTextDocumentFragment::fromHtml(t).toPlainText();
  return t.simplified();
}

QString writeCandidatesCsv(const PlanOutcome& o, const QString& path) {
  try {
    hw::write_file_atomic(path.toStdString(), hw::to_csv(candidatesCsv(o.scenario, o.plan)));
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

QString saveChartView(QChartView* view, const QString& path) {
  if (path.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive)) {
#ifdef HWPLAN_GUI_SVG
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(view->size());
    svg.setViewBox(QRect(QPoint(0, 0), view->size()));
    // QSvgGenerator writes the title into <title> as given (Qt 6.4): plain text, escaped, or
    // the file is not XML (a "<br>" in a title opened an element that never closed).
    svg.setTitle(view->chart() ? plainTitle(view->chart()->title()).toHtmlEscaped() : QString());
    svg.setDescription(QStringLiteral("hwplan-gui chart"));
    QPainter p;
    if (!p.begin(&svg)) return QStringLiteral("cannot write %1").arg(path);
    paintView(view, p, QRectF(QPointF(0, 0), view->size()));
    p.end();
    return QFileInfo(path).size() > 0 ? QString() : QStringLiteral("cannot write %1").arg(path);
#else
    return QStringLiteral("this build has no SVG support (install qt6-svg-dev and rebuild)");
#endif
  }
  const QPixmap pix = view->grab();
  return pix.save(path) ? QString() : QStringLiteral("cannot write %1").arg(path);
}

QString saveWidget(QWidget* widget, const QString& path) {
  if (path.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive)) {
#ifdef HWPLAN_GUI_SVG
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(widget->size());
    svg.setViewBox(QRect(QPoint(0, 0), widget->size()));
    svg.setDescription(QStringLiteral("hwplan-gui picture"));
    QPainter p;
    if (!p.begin(&svg)) return QStringLiteral("cannot write %1").arg(path);
    widget->render(&p);
    p.end();
    return QFileInfo(path).size() > 0 ? QString() : QStringLiteral("cannot write %1").arg(path);
#else
    return QStringLiteral("this build has no SVG support (install qt6-svg-dev and rebuild)");
#endif
  }
  return widget->grab().save(path) ? QString() : QStringLiteral("cannot write %1").arg(path);
}

QString saveChart(ChartKind kind, const PlanOutcome& o, const QString& path, QSize size) {
  auto v = offscreenView(makeChart(kind, o), size);
  return saveChartView(v.get(), path);
}

QString writePdfReport(const PlanOutcome& o, const QString& path) {
  QPdfWriter pdf(path);
  pdf.setPageSize(QPageSize(QPageSize::A4));
  pdf.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter);
  pdf.setResolution(150);
  pdf.setTitle(QStringLiteral("hwplan: %1").arg(QString::fromStdString(o.scenario.name)));
  pdf.setCreator(QStringLiteral("hwplan-gui"));
  QPainter p;
  if (!p.begin(&pdf)) return QStringLiteral("cannot write %1").arg(path);
  const QRect page = pdf.pageLayout().paintRectPixels(pdf.resolution());
  const double w = page.width();
  // Text: the card and the ranking.
  QTextDocument doc;
  QFont f = doc.defaultFont();
  f.setPointSizeF(8.5);
  doc.setDefaultFont(f);
  doc.setTextWidth(w);
  doc.setHtml(QStringLiteral("<h1>hwplan recommendation</h1>") + recommendationHtml(o) + tableHtml(o, 10));
  // Charts: cost and Pareto side by side, right under the text (at the foot of the page they
  // left a blank band under a short text). Each is laid out at chartPx and drawn into half
  // the page's width, its fonts enlarged first so that its labels read at about 7-8 pt on
  // the page (laid out at 900 px they came out near 5 pt).
  const QSize chartPx(760, 540);
  constexpr double kGapPx = 24;
  const double cw = (w - kGapPx) / 2;
  const double chartH = cw * chartPx.height() / chartPx.width();
  const double textH = page.height() - chartH - kGapPx;
  double k = 1;
  p.save();
  if (doc.size().height() > textH) {  // shrink to fit the page rather than spill over
    k = textH / doc.size().height();
    p.scale(k, k);
    doc.setTextWidth(w / k);
  }
  doc.drawContents(&p);
  p.restore();
  const double top = std::min(doc.size().height() * k + kGapPx, page.height() - chartH);
  const QRectF left(0, top, cw, chartH), right(cw + kGapPx, top, cw, chartH);
  auto tco = offscreenView(enlargeFonts(tcoChart(o), 1.4), chartPx);
  auto par = offscreenView(enlargeFonts(paretoChart(o), 1.4), chartPx);
  paintView(tco.get(), p, left);
  paintView(par.get(), p, right);
  p.end();
  return QFileInfo(path).size() > 0 ? QString() : QStringLiteral("cannot write %1").arg(path);
}

QString checkReportFolder(const QString& dir) {
  namespace fs = std::filesystem;
  if (dir.isEmpty()) return QStringLiteral("no folder given");
  const fs::path p(dir.toStdString());
  std::error_code ec;
  const auto st = fs::status(p, ec);
  if (fs::exists(st) && !fs::is_directory(st)) {
    return fs::is_regular_file(st) ? QStringLiteral("%1 is a file, not a folder").arg(dir) : QStringLiteral("%1 is not a folder").arg(dir);
  }
  if (!fs::exists(st)) {
    fs::create_directories(p, ec);
    if (ec) return QStringLiteral("cannot create the folder %1: %2").arg(dir, QString::fromStdString(ec.message()));
  }
  // It must take new files: try one.
  QTemporaryFile probe(QDir(dir).filePath(QStringLiteral(".hwplan-write-test.XXXXXX")));
  if (!probe.open()) return QStringLiteral("cannot write to the folder %1: %2").arg(dir, probe.errorString());
  return {};
}

ReportFiles writeReportFiles(const PlanOutcome& o, const QString& dir, const QString& stem, const std::function<bool()>& stop) {
  ReportFiles out;
  if (const QString why = checkReportFolder(dir); !why.isEmpty()) {
    out.error = why;
    return out;
  }
  const QDir d(dir);
  const QString stageName = QStringLiteral(".hwplan-report-%1").arg(QCoreApplication::applicationPid());
  QDir stage(d.filePath(stageName));
  stage.removeRecursively();  // a folder of an earlier process with our pid, killed midway
  if (!d.mkdir(stageName)) {
    out.error = QStringLiteral("cannot create %1 (to make the report's files in before they replace any)").arg(d.filePath(stageName));
    return out;
  }
  struct RemoveStage {
    QDir& s;
    ~RemoveStage() { s.removeRecursively(); }
  } removeStage{stage};
  QStringList made;  // file names made in the stage
  auto note = [&](const QString& name, const QString& error) {
    if (error.isEmpty()) {
      made << name;
    } else if (out.error.isEmpty()) {
      out.error = error;
    }
  };
  auto stopped = [&] { return stop && stop(); };
  const QString csv = stem + QStringLiteral("-candidates.csv");
  if (stopped()) return out.stopped = true, out;
  note(csv, writeCandidatesCsv(o, stage.filePath(csv)));
  for (const ChartInfo& k : chartKinds()) {
    if (o.scenario.streams.empty() && (k.kind == ChartKind::Latency || k.kind == ChartKind::Distribution)) {
      out.skipped << QStringLiteral("%1 (%2): batch jobs only, no stream").arg(k.id, k.title);
      continue;
    }
    // An LLM stream keeps no histogram: the chart would be blank but for its (cut) title.
    if (k.kind == ChartKind::Distribution) {
      if (const QString why = whyNoDistribution(o); !why.isEmpty()) {
        out.skipped << QStringLiteral("%1 (%2): %3").arg(k.id, k.title, why);
        continue;
      }
    }
    for (const char* ext : {"png", "svg"}) {
      if (stopped()) return out.stopped = true, out;
      const QString file = QStringLiteral("%1-%2.%3").arg(stem, k.id, QLatin1String(ext));
      note(file, saveChart(k.kind, o, stage.filePath(file)));
    }
  }
  const QString pdf = stem + QStringLiteral("-report.pdf");
  if (stopped()) return out.stopped = true, out;
  note(pdf, writePdfReport(o, stage.filePath(pdf)));
  if (stopped()) return out.stopped = true, out;
  // Errors name the stage's paths: name the files the user asked for instead.
  out.error.replace(stage.path() + QLatin1Char('/'), d.path() + QLatin1Char('/'));
  for (const QString& name : made) {
    const QString to = d.filePath(name);
    if (std::rename(QFile::encodeName(stage.filePath(name)).constData(), QFile::encodeName(to).constData()) == 0) {
      out.written << to;
    } else if (out.error.isEmpty()) {
      out.error = QStringLiteral("cannot write %1: %2").arg(to, QString::fromLocal8Bit(std::strerror(errno)));
    }
  }
  return out;
}

}  // namespace hwgui
