#include "gui/scenario_form.hpp"

#include <cmath>

#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

#include "sim/io/yaml_writer.hpp"

#include <algorithm>

namespace hwgui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

// A time for people: in the largest unit it reaches (us, ms, s, min, h, d, y), to 12
// significant digits, so that float noise goes ("100 us", not "100.00000000000001 us") and
// so does a needless unit ("18 ms", not "18000 us"); min, h, d and y only where the figure
// has at most three decimals in them ("2.5 y", "1.5 min", but "100 s"). The writer's exact text
// (quantity_text) demands a bit-exact read-back, which a preset's 18e-3 and "18 ms"
// (18 x 1e-3) are not. The form shows this but writes a cell only when it is edited, so an
// unedited figure stays exact.
QString displayTime(double si) {
  struct Unit {
    const char* name;
    double seconds;
  };
  static constexpr Unit units[] = {{"y", hw::kSecondsPerYear}, {"d", 86400.0}, {"h", 3600.0}, {"min", 60.0}, {"s", 1.0}, {"ms", 1e-3}, {"us", 1e-6}};
  if (si == 0) return QStringLiteral("0 s");
  for (const Unit& u : units) {
    // A large unit must show the time in a few decimals: 100 s stays "100 s", not "1.66666666667 min".
    const double v = si / u.seconds;
    if (std::abs(v) < 1) continue;
    if (u.seconds >= 60 && std::abs(v * 1000 - std::round(v * 1000)) > 1e-6 * std::abs(v * 1000)) continue;
    return QStringLiteral("%1 %2").arg(QString::number(v, 'g', 12), QLatin1String(u.name));
  }
  return QStringLiteral("%1 us").arg(QString::number(si / 1e-6, 'g', 12));
}

// Text of a figure with its unit: a time for people (displayTime), anything else as the
// writer puts it in the YAML.
QString figure(double si, hw::UnitKind kind, const std::string& currency = {}) {
  if (kind == hw::UnitKind::time) return displayTime(si);
  return q(hw::quantity_text(si, kind, currency));
}

// Reads `text` as a figure of `kind` into `to`; returns the parser's message on failure.
QString read(const QString& text, hw::UnitKind kind, double& to, std::string* currency = nullptr) {
  try {
    const hw::ParsedQuantity p = hw::parse_quantity(text.trimmed().toStdString(), kind);
    to = p.si;
    if (currency) *currency = p.currency;
    return {};
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
}

QString readPrice(const QString& text, hw::UnitKind kind, hw::Price& to, const std::string& scenarioCurrency) {
  double si = 0;
  std::string cur;
  QString err = read(text, kind, si, &cur);
  if (!err.isEmpty()) return err;
  if (cur != scenarioCurrency) return QStringLiteral("the scenario's currency is %1").arg(q(scenarioCurrency));
  to = hw::Price{si, cur};
  return {};
}

QString readInt(const QString& text, long lo, long hi, int& to) {
  bool ok = false;
  const long v = text.trimmed().toLong(&ok);
  if (!ok || v < lo || v > hi) return QStringLiteral("expected a whole number from %1 to %2").arg(lo).arg(hi);
  to = static_cast<int>(v);
  return {};
}

QString readNumber(const QString& text, double lo, double hi, double& to) {
  bool ok = false;
  const double v = text.trimmed().toDouble(&ok);
  if (!ok || v < lo || v > hi) return QStringLiteral("expected a number from %1 to %2").arg(lo).arg(hi);
  to = v;
  return {};
}

// `base` with a suffix that no element of `v` has as its id: "cams-2", "cams-3", ...
template <class T> std::string freshId(const std::vector<T>& v, const std::string& base) {
  for (int k = 2;; ++k) {
    const std::string id = base + "-" + std::to_string(k);
    if (std::none_of(v.begin(), v.end(), [&](const T& x) { return x.id == id; })) return id;
  }
}

template <class T> QString duplicate(std::vector<T>& v, int from) {
  if (v.empty()) return QStringLiteral("nothing to copy: add it in the YAML tab");
  T copy = v[static_cast<std::size_t>(from < 0 || from >= static_cast<int>(v.size()) ? static_cast<int>(v.size()) - 1 : from)];
  copy.id = freshId(v, copy.id);
  v.push_back(std::move(copy));
  return {};
}

}  // namespace

ScenarioForm::ScenarioForm(QWidget* parent) : QWidget(parent), note_(new QLabel), description_(new QPlainTextEdit) {
  auto* inner = new QWidget;
  auto* lay = new QVBoxLayout(inner);
  note_->setWordWrap(true);
  note_->setText(QStringLiteral("<span style='color:#666'>The fields people change most. A change here rewrites the YAML tab "
                                "from the scenario (comments and key order are not kept; Edit &gt; Undo brings them back). "
                                "Figures take units, as in the file: <i>15 ms</i>, <i>200 Mbps</i>, <i>30 /s</i>.</span>"));
  lay->addWidget(note_);

  auto* general = new QGroupBox(QStringLiteral("Scenario"));
  auto* gf = new QFormLayout(general);
  addField(gf, QStringLiteral("name"), QStringLiteral("Name"), [](const hw::Scenario& s) { return q(s.name); },
           [](hw::Scenario& s, const QString& t) {
             if (t.trimmed().isEmpty()) return QStringLiteral("a scenario needs a name");
             s.name = t.trimmed().toStdString();
             return QString();
           });
  description_->setMaximumHeight(70);
  description_->setTabChangesFocus(true);
  gf->addRow(QStringLiteral("Story"), description_);
  addField(gf, QStringLiteral("seed"), QStringLiteral("Seed"), [](const hw::Scenario& s) { return QString::number(s.seed); },
           [](hw::Scenario& s, const QString& t) {
             bool ok = false;
             const qulonglong v = t.trimmed().toULongLong(&ok);
             if (!ok) return QStringLiteral("expected a whole number");
             s.seed = v;
             return QString();
           });
  addField(gf, QStringLiteral("duration"), QStringLiteral("Simulated time (cap)"),
           [](const hw::Scenario& s) { return figure(s.duration.si(), hw::UnitKind::time); },
           [](hw::Scenario& s, const QString& t) {
             double v = 0;
             QString e = read(t, hw::UnitKind::time, v);
             if (e.isEmpty() && v <= s.warmup.si()) e = QStringLiteral("must be longer than the warm-up");
             if (e.isEmpty()) s.duration = hw::Seconds(v);
             return e;
           });
  addField(gf, QStringLiteral("warmup"), QStringLiteral("Warm-up"), [](const hw::Scenario& s) { return figure(s.warmup.si(), hw::UnitKind::time); },
           [](hw::Scenario& s, const QString& t) {
             double v = 0;
             QString e = read(t, hw::UnitKind::time, v);
             if (e.isEmpty() && v >= s.duration.si()) e = QStringLiteral("must be shorter than the duration");
             if (e.isEmpty()) s.warmup = hw::Seconds(v);
             return e;
           });
  lay->addWidget(general);

  sites_ = addTable(
      QStringLiteral("Sites"),
      {
          {QStringLiteral("id"), [](const hw::Scenario& s, int r) { return q(s.sites[r].id); }, {}},
          {QStringLiteral("count"), [](const hw::Scenario& s, int r) { return QString::number(s.sites[r].count); },
           [](hw::Scenario& s, int r, const QString& t) { return readInt(t, 1, 1000000, s.sites[r].count); }},
          {QStringLiteral("access"), [](const hw::Scenario& s, int r) { return q(s.sites[r].access.type); }, {}},
          {QStringLiteral("access latency"), [](const hw::Scenario& s, int r) { return figure(s.sites[r].access.latency.si(), hw::UnitKind::time); },
           [](hw::Scenario& s, int r, const QString& t) {
             double v = 0;
             QString e = read(t, hw::UnitKind::time, v);
             if (e.isEmpty()) s.sites[r].access.latency = hw::Seconds(v);
             return e;
           }},
          {QStringLiteral("access bandwidth"),
           [](const hw::Scenario& s, int r) { return figure(s.sites[r].access.bandwidth.si(), hw::UnitKind::bitrate); },
           [](hw::Scenario& s, int r, const QString& t) {
             double v = 0;
             QString e = read(t, hw::UnitKind::bitrate, v);
             if (e.isEmpty()) s.sites[r].access.bandwidth = hw::BitsPerSecond(v);
             return e;
           }},
          {QStringLiteral("backhaul"), [](const hw::Scenario& s, int r) { return q(s.sites[r].backhaul.type); }, {}},
          {QStringLiteral("backhaul latency"),
           [](const hw::Scenario& s, int r) { return figure(s.sites[r].backhaul.latency.si(), hw::UnitKind::time); },
           [](hw::Scenario& s, int r, const QString& t) {
             double v = 0;
             QString e = read(t, hw::UnitKind::time, v);
             if (e.isEmpty()) s.sites[r].backhaul.latency = hw::Seconds(v);
             return e;
           }},
          {QStringLiteral("backhaul bandwidth"),
           [](const hw::Scenario& s, int r) { return figure(s.sites[r].backhaul.bandwidth.si(), hw::UnitKind::bitrate); },
           [](hw::Scenario& s, int r, const QString& t) {
             double v = 0;
             QString e = read(t, hw::UnitKind::bitrate, v);
             if (e.isEmpty()) s.sites[r].backhaul.bandwidth = hw::BitsPerSecond(v);
             return e;
           }},
      },
      [](const hw::Scenario& s) { return static_cast<int>(s.sites.size()); }, lay,
      [](hw::Scenario& s, int from) { return duplicate(s.sites, from); },
      [](hw::Scenario& s, int r) {
        const std::string id = s.sites[static_cast<std::size_t>(r)].id;
        if (s.sites.size() == 1) return QStringLiteral("a scenario needs a site");
        for (const auto& st : s.streams) {
          if (st.site == id) return QStringLiteral("stream '%1' runs at site '%2': remove it or move it first").arg(q(st.id), q(id));
        }
        s.sites.erase(s.sites.begin() + r);
        return QString();
      });

  streams_ = addTable(
      QStringLiteral("Streams"),
      {
          {QStringLiteral("id"), [](const hw::Scenario& s, int r) { return q(s.streams[r].id); }, {}},
          {QStringLiteral("site"), [](const hw::Scenario& s, int r) { return q(s.streams[r].site); }, {}},
          {QStringLiteral("sources per site"), [](const hw::Scenario& s, int r) { return QString::number(s.streams[r].sources); },
           [](hw::Scenario& s, int r, const QString& t) { return readInt(t, 1, 10000000, s.streams[r].sources); }},
          {QStringLiteral("arrival"), [](const hw::Scenario& s, int r) { return q(hw::to_string(s.streams[r].arrival.kind)); }, {}},
          {QStringLiteral("rate per source"),
           [](const hw::Scenario& s, int r) {
             return s.streams[r].arrival.kind == hw::ArrivalKind::trace ? QStringLiteral("(trace)")
                                                                        : figure(s.streams[r].arrival.rate.si(), hw::UnitKind::rate);
           },
           [](hw::Scenario& s, int r, const QString& t) {
             if (s.streams[r].arrival.kind == hw::ArrivalKind::trace) return QStringLiteral("a trace sets its own times; edit the YAML");
             double v = 0;
             QString e = read(t, hw::UnitKind::rate, v);
             if (e.isEmpty() && v <= 0) e = QStringLiteral("the rate must be positive");
             if (e.isEmpty()) s.streams[r].arrival.rate = hw::PerSecond(v);
             return e;
           }},
          {QStringLiteral("payload"), [](const hw::Scenario& s, int r) { return figure(s.streams[r].payload.si(), hw::UnitKind::data); },
           [](hw::Scenario& s, int r, const QString& t) {
             double v = 0;
             QString e = read(t, hw::UnitKind::data, v);
             if (e.isEmpty()) s.streams[r].payload = hw::Bytes(v);
             return e;
           }},
          {QStringLiteral("pipeline"),
           [](const hw::Scenario& s, int r) {
             QStringList st;
             for (const auto& x : s.streams[r].pipeline) st << q(x.model);
             return st.join(QStringLiteral(" → "));
           },
           {}},
          {QStringLiteral("SLO percentile"), [](const hw::Scenario& s, int r) { return QString::number(s.streams[r].slo.percentile); },
           [](hw::Scenario& s, int r, const QString& t) { return readNumber(t, 1, 99.999, s.streams[r].slo.percentile); }},
          {QStringLiteral("SLO latency"), [](const hw::Scenario& s, int r) { return figure(s.streams[r].slo.latency.si(), hw::UnitKind::time); },
           [](hw::Scenario& s, int r, const QString& t) {
             double v = 0;
             QString e = read(t, hw::UnitKind::time, v);
             if (e.isEmpty() && v <= 0) e = QStringLiteral("the bound must be positive");
             if (e.isEmpty()) s.streams[r].slo.latency = hw::Seconds(v);
             return e;
           }},
      },
      [](const hw::Scenario& s) { return static_cast<int>(s.streams.size()); }, lay,
      [](hw::Scenario& s, int from) { return duplicate(s.streams, from); },
      [](hw::Scenario& s, int r) {
        if (s.streams.size() == 1 && s.batch_jobs.empty()) return QStringLiteral("a scenario needs a stream or a batch job");
        s.streams.erase(s.streams.begin() + r);
        return QString();
      });

  jobs_ = addTable(
      QStringLiteral("Batch jobs"),
      {
          {QStringLiteral("id"), [](const hw::Scenario& s, int r) { return q(s.batch_jobs[r].id); }, {}},
          {QStringLiteral("kind"), [](const hw::Scenario& s, int r) { return q(s.batch_jobs[r].kind); }, {}},
          {QStringLiteral("total work"), [](const hw::Scenario& s, int r) { return figure(s.batch_jobs[r].total_flops.si(), hw::UnitKind::flops); },
           [](hw::Scenario& s, int r, const QString& t) {
             double v = 0;
             QString e = read(t, hw::UnitKind::flops, v);
             if (e.isEmpty()) s.batch_jobs[r].total_flops = hw::Flops(v);
             return e;
           }},
          {QStringLiteral("dataset"), [](const hw::Scenario& s, int r) { return figure(s.batch_jobs[r].dataset.si(), hw::UnitKind::data); },
           [](hw::Scenario& s, int r, const QString& t) {
             double v = 0;
             QString e = read(t, hw::UnitKind::data, v);
             if (e.isEmpty()) s.batch_jobs[r].dataset = hw::Bytes(v);
             return e;
           }},
          {QStringLiteral("min devices"), [](const hw::Scenario& s, int r) { return QString::number(s.batch_jobs[r].min_devices); },
           [](hw::Scenario& s, int r, const QString& t) { return readInt(t, 1, 100000, s.batch_jobs[r].min_devices); }},
          {QStringLiteral("deadline"), [](const hw::Scenario& s, int r) { return figure(s.batch_jobs[r].deadline.si(), hw::UnitKind::time); },
           [](hw::Scenario& s, int r, const QString& t) {
             double v = 0;
             QString e = read(t, hw::UnitKind::time, v);
             if (e.isEmpty()) s.batch_jobs[r].deadline = hw::Seconds(v);
             return e;
           }},
      },
      [](const hw::Scenario& s) { return static_cast<int>(s.batch_jobs.size()); }, lay);

  auto* costs = new QGroupBox(QStringLiteral("Costs"));
  auto* cf = new QFormLayout(costs);
  addField(cf, QStringLiteral("costs.horizon"), QStringLiteral("Horizon"),
           [](const hw::Scenario& s) { return figure(s.costs.horizon.si(), hw::UnitKind::time); },
           [](hw::Scenario& s, const QString& t) {
             double v = 0;
             QString e = read(t, hw::UnitKind::time, v);
             if (e.isEmpty() && v <= 0) e = QStringLiteral("the horizon must be positive");
             if (e.isEmpty()) s.costs.horizon = hw::Seconds(v);
             return e;
           });
  addField(cf, QStringLiteral("costs.electricity"), QStringLiteral("Electricity"),
           [](const hw::Scenario& s) { return figure(s.costs.electricity.per_si, hw::UnitKind::energy_price, s.costs.currency); },
           [](hw::Scenario& s, const QString& t) { return readPrice(t, hw::UnitKind::energy_price, s.costs.electricity, s.costs.currency); });
  addField(cf, QStringLiteral("costs.pue"), QStringLiteral("PUE"), [](const hw::Scenario& s) { return QString::number(s.costs.pue); },
           [](hw::Scenario& s, const QString& t) { return readNumber(t, 1, 5, s.costs.pue); });
  addField(cf, QStringLiteral("costs.bandwidth"), QStringLiteral("Bandwidth"),
           [](const hw::Scenario& s) { return figure(s.costs.bandwidth.per_si, hw::UnitKind::data_price, s.costs.currency); },
           [](hw::Scenario& s, const QString& t) { return readPrice(t, hw::UnitKind::data_price, s.costs.bandwidth, s.costs.currency); });
  addField(cf, QStringLiteral("costs.maintenance_per_unit"), QStringLiteral("Maintenance per unit"),
           [](const hw::Scenario& s) { return figure(s.costs.maintenance_per_unit.per_si, hw::UnitKind::time_price, s.costs.currency); },
           [](hw::Scenario& s, const QString& t) {
             return readPrice(t, hw::UnitKind::time_price, s.costs.maintenance_per_unit, s.costs.currency);
           });
  addField(cf, QStringLiteral("costs.site_visit"), QStringLiteral("Site visit"),
           [](const hw::Scenario& s) { return figure(s.costs.site_visit.amount, hw::UnitKind::money, s.costs.currency); },
           [](hw::Scenario& s, const QString& t) {
             double v = 0;
             std::string cur;
             QString e = read(t, hw::UnitKind::money, v, &cur);
             if (e.isEmpty() && cur != s.costs.currency) e = QStringLiteral("the scenario's currency is %1").arg(q(s.costs.currency));
             if (e.isEmpty()) s.costs.site_visit = hw::Money{v, cur};
             return e;
           });
  addField(cf, QStringLiteral("costs.visits_per_site_per_year"), QStringLiteral("Visits per site per year"),
           [](const hw::Scenario& s) { return QString::number(s.costs.visits_per_site_per_year); },
           [](hw::Scenario& s, const QString& t) { return readNumber(t, 0, 1000, s.costs.visits_per_site_per_year); });
  // Per GPU-hour, as it is given (docs/input-format.md, costs.gpu_hour: "2.21 USD/h"); 0 is
  // the loader's "not set" (no rented price), shown empty with that said in the field: it read
  // "0 USD/y", a per-year unit that suggested renting for free.
  addField(cf, QStringLiteral("costs.gpu_hour"), QStringLiteral("GPU-hour (renting)"),
           [](const hw::Scenario& s) {
             if (s.costs.gpu_hour.per_si == 0) return QString();
             return QStringLiteral("%1 %2/h").arg(QString::number(s.costs.gpu_hour.per_si * 3600.0, 'g', 12), q(s.costs.currency));
           },
           [](hw::Scenario& s, const QString& t) {
             if (t.trimmed().isEmpty()) {
               s.costs.gpu_hour = hw::Price{0.0, s.costs.currency};
               return QString();
             }
             return readPrice(t, hw::UnitKind::time_price, s.costs.gpu_hour, s.costs.currency);
           });
  fields_.back().edit->setPlaceholderText(QStringLiteral("not set (no rented price), e.g. 2.21 USD/h"));
  lay->addWidget(costs);

  candidates_ = addTable(
      QStringLiteral("Candidate hardware (the planner sizes each; ids from the Catalogue page)"),
      {
          {QStringLiteral("family"), [](const hw::Scenario& s, int r) { return q(hw::to_string(s.candidates[r].family)); }, {}},
          {QStringLiteral("edge hardware"), [](const hw::Scenario& s, int r) { return q(s.candidates[r].edge_hardware); },
           [](hw::Scenario& s, int r, const QString& t) {
             if (s.candidates[r].family == hw::Family::gpu) return QStringLiteral("a GPU-central candidate has no edge hardware");
             s.candidates[r].edge_hardware = t.trimmed().toStdString();
             return QString();
           }},
          {QStringLiteral("edge accelerator"), [](const hw::Scenario& s, int r) { return q(s.candidates[r].edge_accelerator); },
           [](hw::Scenario& s, int r, const QString& t) {
             if (s.candidates[r].family == hw::Family::gpu) return QStringLiteral("a GPU-central candidate has no edge unit");
             s.candidates[r].edge_accelerator = t.trimmed().toStdString();
             return QString();
           }},
          {QStringLiteral("data-centre hardware"), [](const hw::Scenario& s, int r) { return q(s.candidates[r].gpu_hardware); },
           [](hw::Scenario& s, int r, const QString& t) {
             if (s.candidates[r].family == hw::Family::edge) return QStringLiteral("an edge-only candidate has no data-centre hardware");
             s.candidates[r].gpu_hardware = t.trimmed().toStdString();
             return QString();
           }},
      },
      [](const hw::Scenario& s) { return static_cast<int>(s.candidates.size()); }, lay,
      [](hw::Scenario& s, int from) {
        if (s.candidates.empty()) return QStringLiteral("no candidate listed (the planner tries the whole catalogue): add one in the YAML tab");
        s.candidates.push_back(s.candidates[static_cast<std::size_t>(from < 0 || from >= static_cast<int>(s.candidates.size()) ? static_cast<int>(s.candidates.size()) - 1 : from)]);
        return QString();
      },
      [](hw::Scenario& s, int r) {
        s.candidates.erase(s.candidates.begin() + r);
        return QString();
      });
  lay->addStretch(1);

  connect(description_, &QPlainTextEdit::textChanged, this, [this] {
    if (!refreshing_) descriptionDirty_ = true;
  });
  // The story is applied when the field loses focus (not on every key).
  description_->installEventFilter(this);

  auto* scroll = new QScrollArea;
  scroll->setWidget(inner);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  auto* l = new QVBoxLayout(this);
  l->setContentsMargins(0, 0, 0, 0);
  l->addWidget(scroll);
  setScenario(std::nullopt);
}

bool ScenarioForm::eventFilter(QObject* watched, QEvent* event) {
  if (watched == description_ && event->type() == QEvent::FocusOut && descriptionDirty_ && scenario_) {
    descriptionDirty_ = false;
    scenario_->description = description_->toPlainText().toStdString();
    Q_EMIT edited(*scenario_);
  }
  return QWidget::eventFilter(watched, event);
}

void ScenarioForm::addField(QFormLayout* form, const QString& name, const QString& label, Show show, Apply apply) {
  auto* e = new QLineEdit;
  e->setObjectName(name);
  form->addRow(label, e);
  fields_.push_back({name, e, std::move(show), apply});
  connect(e, &QLineEdit::editingFinished, this, [this, e, apply] {
    if (refreshing_ || !scenario_ || !e->isModified()) return;
    e->setModified(false);
    hw::Scenario s = *scenario_;
    const QString err = apply(s, e->text());
    mark(e, err);
    if (!err.isEmpty()) return;
    scenario_ = s;
    Q_EMIT edited(*scenario_);
  });
}

QTableWidget* ScenarioForm::addTable(const QString& title, std::vector<Column> columns, std::function<int(const hw::Scenario&)> rows, QVBoxLayout* into,
                                     RowEdit add, RowEdit remove) {
  auto* box = new QGroupBox(title);
  auto* bl = new QVBoxLayout(box);
  auto* t = new QTableWidget(0, static_cast<int>(columns.size()));
  QStringList headers;
  for (const auto& c : columns) headers << c.header;
  t->setHorizontalHeaderLabels(headers);
  t->verticalHeader()->setVisible(false);
  t->horizontalHeader()->setStretchLastSection(true);
  t->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed | QAbstractItemView::AnyKeyPressed);
  t->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
  t->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  bl->addWidget(t);
  QLabel* status = nullptr;
  std::vector<QWidget*> rowButtons;
  if (add || remove) {
    auto* buttons = new QHBoxLayout;
    auto* addButton = new QPushButton(QStringLiteral("Add a copy"));
    addButton->setToolTip(QStringLiteral("A copy of the selected row (else the last) under a new id"));
    auto* removeButton = new QPushButton(QStringLiteral("Remove"));
    removeButton->setToolTip(QStringLiteral("Remove the selected row"));
    status = new QLabel;
    status->setStyleSheet(QStringLiteral("color: #c03030"));
    buttons->addWidget(addButton);
    buttons->addWidget(removeButton);
    buttons->addWidget(status, 1);
    bl->addLayout(buttons);
    rowButtons = {addButton, removeButton};
    connect(addButton, &QPushButton::clicked, this, [this, t] { addRow(t, t->currentRow()); });
    connect(removeButton, &QPushButton::clicked, this, [this, t] {
      if (t->currentRow() >= 0) removeRow(t, t->currentRow());
    });
  }
  into->addWidget(box);
  tables_.push_back({t, std::move(columns), std::move(rows), std::move(add), std::move(remove), status, std::move(rowButtons)});
  connect(t, &QTableWidget::itemChanged, this, [this, t](QTableWidgetItem* item) { applyCell(t, item); });
  return t;
}

int ScenarioForm::column(QTableWidget* t, const QString& header) {
  for (int c = 0; c < t->columnCount(); ++c) {
    if (t->horizontalHeaderItem(c) && t->horizontalHeaderItem(c)->text() == header) return c;
  }
  return -1;
}

QLineEdit* ScenarioForm::field(const QString& name) const {
  for (const auto& f : fields_) {
    if (f.name == name) return f.edit;
  }
  return nullptr;
}

void ScenarioForm::applyCell(QTableWidget* t, QTableWidgetItem* item) {
  if (refreshing_ || !scenario_) return;
  for (const Table& tab : tables_) {
    if (tab.widget != t) continue;
    const Column& c = tab.columns[static_cast<std::size_t>(item->column())];
    if (!c.apply) return;
    hw::Scenario s = *scenario_;
    const QString err = c.apply(s, item->row(), item->text());
    refreshing_ = true;
    item->setBackground(err.isEmpty() ? QBrush() : QBrush(QColor(0xff, 0xd8, 0xd8)));
    item->setToolTip(err);
    refreshing_ = false;
    if (!err.isEmpty()) return;
    scenario_ = s;
    Q_EMIT edited(*scenario_);
    return;
  }
}

QString ScenarioForm::addRow(QTableWidget* t, int from) {
  for (Table& tab : tables_) {
    if (tab.widget != t || !tab.add) continue;
    return editRows(tab, [&](hw::Scenario& s) { return tab.add(s, from); });
  }
  return QStringLiteral("rows cannot be added to this table");
}

QString ScenarioForm::removeRow(QTableWidget* t, int row) {
  for (Table& tab : tables_) {
    if (tab.widget != t || !tab.remove) continue;
    if (scenario_ && (row < 0 || row >= tab.rows(*scenario_))) return QStringLiteral("no such row");
    return editRows(tab, [&](hw::Scenario& s) { return tab.remove(s, row); });
  }
  return QStringLiteral("rows cannot be removed from this table");
}

// Applies a row edit to a copy of the scenario; keeps it, refreshes and tells the window only
// when the edit succeeded; its message (or none) goes to the table's status line.
QString ScenarioForm::editRows(Table& tab, const std::function<QString(hw::Scenario&)>& edit) {
  if (!scenario_) {
    // The buttons are off then; a call from code gets the reason, shown under the table too.
    const QString why = QStringLiteral("fix the YAML first: the form is off while the YAML has an error");
    if (tab.status) tab.status->setText(why);
    return why;
  }
  hw::Scenario s = *scenario_;
  const QString err = edit(s);
  if (tab.status) tab.status->setText(err);
  if (!err.isEmpty()) return err;
  scenario_ = s;
  refresh();
  Q_EMIT edited(*scenario_);
  return {};
}

void ScenarioForm::mark(QWidget* w, const QString& error) {
  w->setStyleSheet(error.isEmpty() ? QString() : QStringLiteral("background: #ffd8d8;"));
  w->setToolTip(error);
}

void ScenarioForm::setScenario(const std::optional<hw::Scenario>& s) {
  if (s && scenario_ && *s == *scenario_) return;  // the form's own edit coming back
  scenario_ = s;
  refresh();
}

void ScenarioForm::refresh() {
  refreshing_ = true;
  const bool have = scenario_.has_value();
  for (auto& f : fields_) {
    f.edit->setText(have ? f.show(*scenario_) : QString());
    f.edit->setModified(false);
    f.edit->setEnabled(have);
    mark(f.edit, {});
  }
  description_->setPlainText(have ? q(scenario_->description) : QString());
  descriptionDirty_ = false;
  description_->setEnabled(have);
  for (Table& t : tables_) {
    const int n = have ? t.rows(*scenario_) : 0;
    t.widget->setRowCount(n);
    for (int r = 0; r < n; ++r) {
      for (std::size_t c = 0; c < t.columns.size(); ++c) {
        auto* item = new QTableWidgetItem(t.columns[c].show(*scenario_, r));
        if (!t.columns[c].apply) {
          item->setFlags(item->flags() & ~Qt::ItemIsEditable);
        }
        t.widget->setItem(r, static_cast<int>(c), item);
      }
    }
    t.widget->resizeColumnsToContents();
    t.widget->setEnabled(have);
    for (QWidget* b : t.buttons) b->setEnabled(have);
    if (t.status && have && t.status->text().startsWith(QStringLiteral("fix the YAML first"))) t.status->clear();
    t.widget->parentWidget()->setVisible(n > 0 || !have || t.add);
  }
  colourReadOnlyCells();
  note_->setEnabled(have);
  refreshing_ = false;
}

void ScenarioForm::colourReadOnlyCells() {
  // Greyed: the palette's placeholder colour, taken again when the palette changes (a
  // colour fixed under the light palette is near-black on the dark one's cells).
  const QColor grey = palette().color(QPalette::PlaceholderText);
  for (Table& t : tables_) {
    for (int r = 0; r < t.widget->rowCount(); ++r) {
      for (int c = 0; c < t.widget->columnCount(); ++c) {
        QTableWidgetItem* item = t.widget->item(r, c);
        if (item && !(item->flags() & Qt::ItemIsEditable)) item->setForeground(grey);
      }
    }
  }
}

void ScenarioForm::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) colourReadOnlyCells();
}

}  // namespace hwgui
