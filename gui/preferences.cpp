#include "gui/preferences.hpp"

#include <QApplication>
#include <algorithm>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QPalette>
#include <QSettings>
#include <QSpinBox>
#include <QStyle>
#include <QStyleFactory>
#include <QVBoxLayout>

namespace hwgui {

namespace {

// The desktop's style and palette, as the application started (before any theme was applied).
struct Platform {
  QString style;
  QPalette palette;
};
const Platform& platform() {
  static const Platform p{QApplication::style() ? QApplication::style()->name() : QString(), QApplication::palette()};
  return p;
}

QPalette darkColours() {
  QPalette p;
  const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6), mid(0x3c, 0x3f, 0x44);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
  p.setColor(QPalette::ToolTipBase, mid);
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, mid);
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::BrightText, QColor(0xff, 0x60, 0x60));
  p.setColor(QPalette::Light, QColor(0x50, 0x53, 0x58));
  p.setColor(QPalette::Midlight, QColor(0x46, 0x49, 0x4e));
  p.setColor(QPalette::Mid, mid);
  p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
  p.setColor(QPalette::Shadow, Qt::black);
  p.setColor(QPalette::Highlight, QColor(0x3d, 0x8b, 0xd0));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, QColor(0x7c, 0xb8, 0xf0));
  p.setColor(QPalette::LinkVisited, QColor(0xb0, 0x90, 0xe0));
  for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) p.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
  return p;
}

}  // namespace

Preferences Preferences::load() {
  QSettings s;
  Preferences p;
  p.loadCurve = s.value(QStringLiteral("run/loadCurve"), p.loadCurve).toBool();
  p.loadCurvePoints = std::clamp(s.value(QStringLiteral("run/loadCurvePoints"), p.loadCurvePoints).toInt(), 3, 9);
  p.parallel = std::max(0, s.value(QStringLiteral("run/parallel"), p.parallel).toInt());
  p.theme = s.value(QStringLiteral("appearance/theme"), p.theme).toString();
  if (p.theme != QStringLiteral("light") && p.theme != QStringLiteral("dark")) p.theme = QStringLiteral("auto");
  return p;
}

void Preferences::save() const {
  QSettings s;
  s.setValue(QStringLiteral("run/loadCurve"), loadCurve);
  s.setValue(QStringLiteral("run/loadCurvePoints"), loadCurvePoints);
  s.setValue(QStringLiteral("run/parallel"), parallel);
  s.setValue(QStringLiteral("appearance/theme"), theme);
}

bool desktopPrefersDark() {
  if (qEnvironmentVariable("GTK_THEME").endsWith(QStringLiteral(":dark"), Qt::CaseInsensitive)) return true;
  return platform().palette.color(QPalette::Window).lightness() < 128;
}

void applyTheme(const QString& theme) {
  const Platform& base = platform();
  const bool dark = theme == QStringLiteral("dark") || (theme != QStringLiteral("light") && desktopPrefersDark());
  if (dark) {
    // A dark desktop whose own palette is already dark keeps its style and colours.
    if (theme != QStringLiteral("dark") && base.palette.color(QPalette::Window).lightness() < 128) {
      QApplication::setPalette(base.palette);
      return;
    }
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(darkColours());
    return;
  }
  if (!base.style.isEmpty() && QApplication::style()->name() != base.style) QApplication::setStyle(QStyleFactory::create(base.style));
  QApplication::setPalette(base.palette.color(QPalette::Window).lightness() < 128 ? QApplication::style()->standardPalette() : base.palette);
}

bool darkPalette() { return QApplication::palette().color(QPalette::Window).lightness() < 128; }

PreferencesDialog::PreferencesDialog(const Preferences& p, QWidget* parent)
    : QDialog(parent), loadCurve_(new QCheckBox(QStringLiteral("After each run, plan the scenario again at other loads"))),
      points_(new QSpinBox), parallel_(new QSpinBox), theme_(new QComboBox) {
  setWindowTitle(QStringLiteral("Preferences"));
  loadCurve_->setChecked(p.loadCurve);
  loadCurve_->setToolTip(QStringLiteral("The 'TCO vs load' chart: each family's best TCO from load x0.5 to x2. Costs a plan per load; "
                                        "the simulations shared with the run come from the cache."));
  points_->setRange(3, 9);
  points_->setValue(p.loadCurvePoints);
  points_->setSuffix(QStringLiteral(" loads, x0.5 to x2"));
  parallel_->setRange(0, 256);
  parallel_->setValue(p.parallel);
  parallel_->setSpecialValueText(QStringLiteral("all cores"));
  parallel_->setToolTip(QStringLiteral("Simulations at a time (hwplan simulate --serve children); applies at the next start"));
  theme_->addItem(QStringLiteral("Follow the desktop"), QStringLiteral("auto"));
  theme_->addItem(QStringLiteral("Light"), QStringLiteral("light"));
  theme_->addItem(QStringLiteral("Dark"), QStringLiteral("dark"));
  theme_->setCurrentIndex(std::max(0, theme_->findData(p.theme)));
  auto* form = new QFormLayout;
  form->addRow(loadCurve_);
  form->addRow(QStringLiteral("Load curve"), points_);
  form->addRow(QStringLiteral("Simulations at a time"), parallel_);
  form->addRow(QStringLiteral("Colours"), theme_);
  connect(loadCurve_, &QCheckBox::toggled, points_, &QWidget::setEnabled);
  points_->setEnabled(p.loadCurve);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* l = new QVBoxLayout(this);
  l->addLayout(form);
  l->addWidget(buttons);
}

Preferences PreferencesDialog::value() const {
  Preferences p;
  p.loadCurve = loadCurve_->isChecked();
  p.loadCurvePoints = points_->value();
  p.parallel = parallel_->value();
  p.theme = theme_->currentData().toString();
  return p;
}

}  // namespace hwgui
