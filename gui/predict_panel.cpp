#include "gui/predict_panel.hpp"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include "gui/charts.hpp"
#include "gui/paths.hpp"
#include "gui/preferences.hpp"

namespace hwgui {

namespace {
const QStringList kBatches{"1", "2", "4", "8", "16", "32", "64", "128", "256"};
}

PredictPanel::PredictPanel(std::shared_ptr<const hw::Catalogue> catalogue, QString simulator, QWidget* parent)
    : QWidget(parent), catalogue_(std::move(catalogue)), simulator_(std::move(simulator)), model_(new QComboBox), precision_(new QComboBox),
      chart_(new QChartView), status_(new QLabel) {
  for (const auto& [id, m] : catalogue_->models) model_->addItem(QString::fromStdString(id));
  const int resnet = model_->findText(QStringLiteral("resnet50"));
  if (resnet >= 0) model_->setCurrentIndex(resnet);
  precision_->addItems({QStringLiteral("model's precision"), QStringLiteral("fp32"), QStringLiteral("fp16"), QStringLiteral("int8")});
  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(QStringLiteral("<b>Predict</b> model:")));
  bar->addWidget(model_, 1);
  bar->addWidget(precision_);
  status_->setWordWrap(true);
  chart_->setRenderHint(QPainter::Antialiasing);
  chart_->setMinimumHeight(220);
  auto* l = new QVBoxLayout(this);
  l->setContentsMargins(0, 0, 0, 0);
  l->addLayout(bar);
  l->addWidget(chart_, 1);
  l->addWidget(status_);
  connect(model_, &QComboBox::currentIndexChanged, this, [this] { run(); });
  connect(precision_, &QComboBox::currentIndexChanged, this, [this] { run(); });
  status_->setText(QStringLiteral("<span style='color:#777'>Select a profile to see the performance model's latency and throughput against batch size.</span>"));
}

PredictPanel::~PredictPanel() {
  if (proc_) {
    proc_->disconnect(this);
    proc_->kill();
    proc_->waitForFinished(1000);
  }
}

void PredictPanel::setHardware(const QString& id) {
  hardware_ = id;
  run();
}

void PredictPanel::run() {
  if (hardware_.isEmpty() || model_->currentText().isEmpty()) return;
  if (proc_) {  // a newer question replaces the running one
    proc_->disconnect(this);
    proc_->kill();
    proc_->waitForFinished(1000);
    proc_->deleteLater();
  }
  proc_ = new QProcess(this);
  QStringList args{QStringLiteral("predict"), QStringLiteral("--hardware"), hardware_, QStringLiteral("--model"), model_->currentText(),
                   QStringLiteral("--batch"), kBatches.join(','), QStringLiteral("--format"), QStringLiteral("json"),
                   QStringLiteral("--catalogue"), dataDir()};
  if (precision_->currentIndex() > 0) args << QStringLiteral("--precision") << precision_->currentText();
  status_->setText(QStringLiteral("predicting…"));
  QProcess* p = proc_;
  connect(p, &QProcess::finished, this, [this, p](int code, QProcess::ExitStatus st) {
    const QByteArray out = p->readAllStandardOutput();
    const QString err = QString::fromUtf8(p->readAllStandardError()).trimmed();
    p->deleteLater();
    if (proc_ == p) proc_ = nullptr;
    if (st != QProcess::NormalExit || code != 0) {
      QChart* old = chart_->chart();
      chart_->setChart(new QChart);
      delete old;
      shown_.clear();
      status_->setText(QStringLiteral("<span style='color:#a02020'>%1</span>").arg((err.isEmpty() ? QStringLiteral("predict failed") : err).toHtmlEscaped()));
      Q_EMIT predicted(false);
      return;
    }
    show(out);
  });
  connect(p, &QProcess::errorOccurred, this, [this, p](QProcess::ProcessError e) {
    if (e != QProcess::FailedToStart) return;
    status_->setText(QStringLiteral("cannot start %1").arg(simulator_.toHtmlEscaped()));
    p->deleteLater();
    if (proc_ == p) proc_ = nullptr;
    Q_EMIT predicted(false);
  });
  p->start(simulator_, args);
}

void PredictPanel::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  // The chart takes its theme when built: built again from the same answer when the palette
  // turns dark or light (else it stayed light on the dark palette).
  if ((event->type() == QEvent::ApplicationPaletteChange || event->type() == QEvent::PaletteChange) && !shown_.isEmpty() && chart_->chart() &&
      (chart_->chart()->theme() == QChart::ChartThemeDark) != darkPalette()) {
    show(shown_);
  }
}

void PredictPanel::show(const QByteArray& json) {
  if (&json != &shown_) shown_ = json;
  const QJsonObject doc = QJsonDocument::fromJson(json).object();
  const QJsonArray results = doc.value(QStringLiteral("results")).toArray();
  auto* chart = new QChart;
  if (darkPalette()) chart->setTheme(QChart::ChartThemeDark);
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->legend()->setShowToolTips(true);  // a label cut short all the same shows whole on hover
  chart->setMargins(QMargins(4, 4, 4, 4));
  auto* latency = new QLineSeries;
  // Short names: the four share one legend row in a narrow panel (the axes give the units,
  // the subtitle says "memory-bound up to batch 4, compute-bound from 8"; "memory-bound" and
  // "compute-bound" were cut to "memory-bo..." in the panel of a 1008 px window).
  latency->setName(QStringLiteral("latency"));
  auto* throughput = new QLineSeries;
  throughput->setName(QStringLiteral("items/s"));
  auto* computeBound = new QScatterSeries;
  computeBound->setName(QStringLiteral("compute"));
  computeBound->setMarkerSize(9);
  auto* memoryBound = new QScatterSeries;
  memoryBound->setName(QStringLiteral("memory"));
  memoryBound->setMarkerSize(9);
  memoryBound->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
  QString turn;
  QString last;
  double lmax = 0, tmax = 0;
  for (const auto& v : results) {
    const QJsonObject r = v.toObject();
    const double b = r.value(QStringLiteral("batch")).toDouble();
    const double ms = r.value(QStringLiteral("latency_s")).toDouble() * 1e3;
    const double t = r.value(QStringLiteral("throughput_per_s")).toDouble();
    const QString bound = r.value(QStringLiteral("bound")).toString();
    latency->append(b, ms);
    throughput->append(b, t);
    (bound == QStringLiteral("compute") ? computeBound : memoryBound)->append(b, ms);
    if (!last.isEmpty() && bound != last && turn.isEmpty()) turn = QStringLiteral("%1-bound up to batch %2, %3-bound from %4").arg(last).arg(b / 2).arg(bound).arg(b);
    last = bound;
    lmax = std::max(lmax, ms);
    tmax = std::max(tmax, t);
  }
  if (turn.isEmpty() && !last.isEmpty()) turn = QStringLiteral("%1-bound at every batch size shown").arg(last);
  // Short lines: the panel is narrow, and a chart title is clipped, not wrapped.
  chart->setTitle(QStringLiteral("%1 on %2 at %3<br><small>%4</small>")
                      .arg(doc.value(QStringLiteral("model")).toString(), doc.value(QStringLiteral("hardware")).toString(),
                           doc.value(QStringLiteral("precision")).toString(), turn));
  // Items per second in thousands or millions past 10,000 (a GPU server's 1,000,000/s read "1e+06").
  const AxisScale perSecond = axisScale(tmax);
  if (perSecond.factor != 1) {
    QList<QPointF> pts = throughput->points();
    for (QPointF& pt : pts) pt.setY(pt.y() * perSecond.factor);
    throughput->replace(pts);
    tmax *= perSecond.factor;
  }
  for (QAbstractSeries* s : std::initializer_list<QAbstractSeries*>{latency, memoryBound, computeBound, throughput}) chart->addSeries(s);
  auto* ax = new QLogValueAxis;
  ax->setBase(2);
  ax->setLabelFormat("%g");
  ax->setTitleText(QStringLiteral("batch size"));
  auto* ay = new QValueAxis;
  ay->setLabelFormat("%g");
  ay->setTitleText(QStringLiteral("latency ms"));
  ay->setRange(0, lmax > 0 ? lmax * 1.1 : 1);
  ay->applyNiceNumbers();
  auto* at = new QValueAxis;
  at->setLabelFormat("%g");
  // The profile's throughput, all its accelerators together (said under the chart: "k items/s,
  // all accel." was cut short beside a chart 180 px high).
  at->setTitleText(QStringLiteral("%1items/s").arg(perSecond.prefix));
  at->setRange(0, tmax > 0 ? tmax * 1.1 : 1);
  at->applyNiceNumbers();
  chart->addAxis(ax, Qt::AlignBottom);
  chart->addAxis(ay, Qt::AlignLeft);
  chart->addAxis(at, Qt::AlignRight);
  for (QAbstractSeries* s : {static_cast<QAbstractSeries*>(latency), static_cast<QAbstractSeries*>(memoryBound), static_cast<QAbstractSeries*>(computeBound)}) {
    s->attachAxis(ax);
    s->attachAxis(ay);
  }
  throughput->attachAxis(ax);
  throughput->attachAxis(at);
  QPen dashed = throughput->pen();
  dashed.setStyle(Qt::DashLine);
  throughput->setPen(dashed);
  QChart* old = chart_->chart();
  chart_->setChart(chart);
  delete old;
  status_->setText(QStringLiteral("<span style='color:#777'>t(b) = overhead + max(b·F / (peak·eff<sub>c</sub>(b)), (W + b·A) / (BW·eff<sub>m</sub>)), "
                                  "from <code>hwplan predict</code>; items/s: all the profile's accelerators together</span>"));
  Q_EMIT predicted(!results.isEmpty());
}

}  // namespace hwgui
