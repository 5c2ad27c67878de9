#include "gui/topology_view.hpp"

#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QPen>
#include <algorithm>
#include <optional>

#include "sim/io/yaml_writer.hpp"
#include "sim/plan/loop.hpp"

namespace hwgui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
// Short figures for people ("1.5 ms", "940 Mbps"); rates as the file writes them ("30 /s").
QString fig(double si, hw::UnitKind k) {
  switch (k) {
    case hw::UnitKind::time: return q(hw::format_time(hw::Seconds(si)));
    case hw::UnitKind::bitrate: return q(hw::format_bitrate(hw::BitsPerSecond(si)));
    default: return q(hw::quantity_text(si, k));
  }
}

constexpr double kBoxW = 190, kRowH = 120, kGap = 150;

// A share in percent: whole percents, one decimal below 10 %, "<0.1 %" for a trace (an
// in-vehicle link at 0.38 % read "peak 0 %", as an idle one does). HTML: "&lt;0.1 %".
QString percentText(double fraction) {
  const double pc = fraction * 100;
  if (pc > 0 && pc < 0.05) return QStringLiteral("&lt;0.1 %");
  if (pc > 0 && pc < 9.95) return QStringLiteral("%1 %").arg(pc, 0, 'f', 1);
  return QStringLiteral("%1 %").arg(pc, 0, 'f', 0);
}

QGraphicsRectItem* box(QGraphicsScene& sc, const QRectF& r, const QString& html, const QColor& fill) {
  auto* b = sc.addRect(r, QPen(QColor(0x55, 0x55, 0x55), 1.2), QBrush(fill));
  auto* t = new QGraphicsTextItem(b);
  // The fills are pale in either palette: dark text, not the palette's (near-white when dark).
  t->setDefaultTextColor(QColor(0x20, 0x20, 0x20));
  t->setHtml(html);
  t->setTextWidth(r.width() - 8);
  t->setPos(r.left() + 4, r.top() + 4);
  return b;
}

// A link and its label, centred above the middle of the line: the label's own lines
// ("wired", "1 ms · 1 Gbps", "peak 3 %") end just above it. At a fixed offset a label that
// wrapped to three lines ran over the line ("peak 0 %" drawn on top of it).
void link(QGraphicsScene& sc, QPointF a, QPointF b, const QString& label, const QColor& colour, double width) {
  sc.addLine(QLineF(a, b), QPen(colour, width, Qt::SolidLine, Qt::RoundCap));
  auto* t = sc.addText(QString());
  t->setHtml(QStringLiteral("<div align='center' style='font-size:small'>%1</div>").arg(label));
  t->setTextWidth(kGap - 6);
  const QPointF mid = (a + b) / 2;
  t->setPos(mid.x() - (kGap - 6) / 2, mid.y() - t->boundingRect().height() - width / 2 - 1);
}

}  // namespace

QColor utilisationColour(double u) {
  u = std::clamp(u, 0.0, 1.0);
  // green (0) -> amber (0.6) -> red (1)
  if (u < 0.6) return QColor::fromHsvF(static_cast<float>(0.33 - u / 0.6 * 0.22), 0.75f, 0.85f);
  return QColor::fromHsvF(static_cast<float>(0.11 - (u - 0.6) / 0.4 * 0.11), 0.85f, 0.9f);
}

TopologyView::TopologyView(QWidget* parent) : QGraphicsView(parent) {
  setScene(new QGraphicsScene(this));
  setRenderHint(QPainter::Antialiasing);
  setAlignment(Qt::AlignCenter);
}

void TopologyView::resizeEvent(QResizeEvent* e) {
  QGraphicsView::resizeEvent(e);
  if (!scene()->items().isEmpty()) fitInView(scene()->itemsBoundingRect().adjusted(-10, -10, 10, 10), Qt::KeepAspectRatio);
}

void TopologyView::draw(const hw::Scenario* s, const hw::CandidateReport* run) {
  QGraphicsScene& sc = *scene();
  sc.clear();
  sites_ = 0;
  if (!s) return;
  const bool coloured = run && (!run->run.streams.empty() || !run->run.jobs.empty());
  const auto linkUse = [&](const std::string& name) -> std::optional<double> {
    if (!coloured) return std::nullopt;
    for (const auto& l : run->run.links) {
      if (l.name == name) return l.peak_utilisation;
    }
    return std::nullopt;
  };
  const QColor plain(0x70, 0x70, 0x70);
  const hw::Family family = run ? run->candidate.spec.family : hw::Family::edge;
  const bool edgeTier = coloured && family != hw::Family::gpu;
  const bool dcTier = coloured && family != hw::Family::edge;
  // Batch jobs alone are meant to keep every device busy (the tier caps of
  // design.max_utilisation apply to streams): 100 % is no overload there, so no red.
  const bool batchOnly = s->streams.empty();
  const auto tierFill = [&](double u, const QColor& plainFill) { return batchOnly ? plainFill : utilisationColour(u).lighter(160); };
  const auto busyText = [&](double u) {
    return batchOnly ? QStringLiteral("busy %1 (batch jobs)").arg(percentText(u)) : QStringLiteral("utilisation %1").arg(percentText(u));
  };
  const int n = static_cast<int>(s->sites.size());
  for (int i = 0; i < n; ++i) {
    const hw::Site& site = s->sites[static_cast<std::size_t>(i)];
    const double y = i * kRowH;
    // Sources: every stream of this site.
    QStringList src;
    for (const auto& st : s->streams) {
      if (st.site != site.id) continue;
      src << QStringLiteral("<b>%1</b>: %2 × %3").arg(q(st.id).toHtmlEscaped()).arg(st.sources)
                 .arg(st.arrival.kind == hw::ArrivalKind::trace ? QStringLiteral("trace") : fig(st.arrival.rate.si(), hw::UnitKind::rate));
    }
    if (src.isEmpty()) src << QStringLiteral("<i>no stream</i>");
    box(sc, QRectF(0, y, kBoxW, kRowH - 30), QStringLiteral("<small>sources</small><br>") + src.join(QStringLiteral("<br>")), QColor(0xf4, 0xf4, 0xf4));
    // The site and its edge units.
    QString siteHtml = QStringLiteral("<b>%1</b> × %2").arg(q(site.id).toHtmlEscaped()).arg(site.count);
    QColor siteFill(0xe8, 0xf0, 0xfa);
    if (edgeTier) {
      // Units per site as bought: the sized ones and the spares ("2+1/site").
      const int spares = run->availability.site_spares;
      siteHtml += QStringLiteral("<br><small>%1 × %2/site<br>%3</small>")
                      .arg(q(run->candidate.spec.edge_hardware).toHtmlEscaped(),
                           spares > 0 ? QStringLiteral("%1+%2").arg(run->candidate.spec.units_per_site).arg(spares)
                                      : QString::number(run->candidate.spec.units_per_site),
                           busyText(run->run.edge.utilisation));
      siteFill = tierFill(run->run.edge.utilisation, siteFill);
    }
    const QRectF siteBox(kBoxW + kGap, y, kBoxW, kRowH - 30);
    box(sc, siteBox, siteHtml, siteFill);
    const auto access = linkUse("access:" + site.id);
    link(sc, QPointF(kBoxW, y + (kRowH - 30) / 2), QPointF(siteBox.left(), y + (kRowH - 30) / 2),
         QStringLiteral("%1<br>%2 · %3%4")
             .arg(q(site.access.type), fig(site.access.latency.si(), hw::UnitKind::time), fig(site.access.bandwidth.si(), hw::UnitKind::bitrate),
                  access ? QStringLiteral("<br>peak %1").arg(percentText(*access)) : QString()),
         access ? utilisationColour(*access) : plain, access ? 5 : 2.5);
    ++sites_;
  }
  // The data centre, level with the middle row.
  const double dcY = std::max(0.0, (n - 1) * kRowH / 2);
  const QRectF dcBox(2 * (kBoxW + kGap), dcY, kBoxW, kRowH - 30);
  QString dcHtml = QStringLiteral("<b>data centre</b><br><small>fabric %1</small>").arg(fig(s->dc_fabric_latency.si(), hw::UnitKind::time));
  QColor dcFill(0xee, 0xe8, 0xf8);
  if (dcTier) {
    // Servers as bought (spares too), and the GPUs in each when a card or module is packaged
    // into servers: "1+1 servers × 4 nvidia-h200-sxm", not "nvidia-h200-sxm × 1".
    const auto& spec = run->candidate.spec;
    const int spares = run->availability.dc_spares;
    const QString count = spares > 0 ? QStringLiteral("%1+%2").arg(spec.servers).arg(spares) : QString::number(spec.servers);
    const QString servers = QStringLiteral("%1 server%2").arg(count, spec.servers + spares == 1 ? QString() : QStringLiteral("s"));
    const QString hardware = q(spec.gpu_hardware).toHtmlEscaped();
    dcHtml += QStringLiteral("<br><small>%1<br>%2</small>")
                  .arg(spec.gpus_per_server > 0 ? QStringLiteral("%1 × %2 %3").arg(servers).arg(spec.gpus_per_server).arg(hardware)
                                                : QStringLiteral("%1 × %2").arg(hardware, servers),
                       busyText(run->run.dc.utilisation));
    dcFill = tierFill(run->run.dc.utilisation, dcFill);
  }
  if (run && run->cost.dc_choice.rfind("rent", 0) == 0 && dcTier) {
    // A rented data-centre tier is no owned one: its power and hardware are in the rent.
    dcHtml += QStringLiteral("<br><small><i>rented (%1)</i></small>").arg(q(run->cost.dc_choice).toHtmlEscaped());
  }
  // The train-infer loop's training servers in the data centre, owned or rented.
  const hw::TrainingPlan* training = run && run->training && run->training->chosen ? &*run->training : nullptr;
  if (training) {
    const hw::TrainingOption& t = *training->chosen;
    dcHtml += QStringLiteral("<br><small>retraining: %1 × %2, %3; %4 a run</small>")
                  .arg(t.units)
                  .arg(q(t.hardware).toHtmlEscaped(), t.rent ? QStringLiteral("rented") : QStringLiteral("owned"),
                       fig(t.train_s, hw::UnitKind::time));
  }
  box(sc, dcBox, dcHtml, dcFill);
  for (int i = 0; i < n; ++i) {
    const hw::Site& site = s->sites[static_cast<std::size_t>(i)];
    const double y = i * kRowH + (kRowH - 30) / 2;
    const auto back = linkUse("backhaul:" + site.id);
    // The loop's uploads, outside the simulated run (its "peak" is the inference traffic
    // alone): on the site whose backhaul sets the upload time.
    QString upload;
    if (training && training->work.upload_site == site.id) {
      upload = QStringLiteral("<br>retraining upload %1 per run: %2 at %3 %")
                   .arg(q(hw::format_data(hw::Bytes(training->work.upload_bytes_per_site))), fig(training->work.upload_s, hw::UnitKind::time))
                   .arg(training->work.link_share * 100, 0, 'f', 0);
    }
    link(sc, QPointF(2 * kBoxW + kGap, y), QPointF(dcBox.left(), dcBox.center().y()),
         QStringLiteral("%1<br>%2 · %3%4%5")
             .arg(q(site.backhaul.type), fig(site.backhaul.latency.si(), hw::UnitKind::time), fig(site.backhaul.bandwidth.si(), hw::UnitKind::bitrate),
                  back ? QStringLiteral("<br>peak %1%2").arg(percentText(*back), training ? QStringLiteral(" (inference)") : QString()) : QString(),
                  upload),
         back ? utilisationColour(*back) : plain, back ? 5 : 2.5);
  }
  if (coloured) {
    auto* t = sc.addText(QString());
    t->setHtml(QStringLiteral("<small>%1 <b>%2</b> (links: busiest site's peak direction)%3</small>")
                   .arg(batchOnly ? QStringLiteral("links coloured by the measured utilisation of") : QStringLiteral("coloured by the measured utilisation of"),
                        q(run->candidate.label).toHtmlEscaped(),
                        batchOnly ? QStringLiteral("; batch jobs keep their devices busy by design: tiers not coloured") : QString()));
    t->setPos(0, n * kRowH - 20);
  }
  sc.setSceneRect(sc.itemsBoundingRect().adjusted(-10, -10, 10, 10));
  fitInView(sc.sceneRect(), Qt::KeepAspectRatio);
}

}  // namespace hwgui
