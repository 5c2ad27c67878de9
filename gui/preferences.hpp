// Preferences kept with QSettings (next to the window layout and the recent files): what a
// run plans besides the recommendation, how many simulations run at once, and the colours
// (follow the desktop, or light, or dark). The dialog that edits them.
#pragma once

#include <QDialog>
#include <QString>

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace hwgui {

struct Preferences {
  bool loadCurve = true;     // plan the scenario again at other loads after each run
  int loadCurvePoints = 5;   // loads from x0.5 to x2, x1 included
  int parallel = 0;          // simulations at a time; 0 = all cores (at the next start)
  QString theme = QStringLiteral("auto");  // "auto" (the desktop's), "light", "dark"

  static Preferences load();
  void save() const;
};

// Whether the desktop asks for dark colours: its palette (the platform theme's, as the app
// started) is dark, or GTK_THEME names a dark variant ("Adwaita:dark").
bool desktopPrefersDark();
// Applies "auto", "light" or "dark" to the whole application (the Fusion style with a dark
// palette for dark; the desktop's own style and palette for auto on a light desktop).
void applyTheme(const QString& theme);
// Whether the application's palette is dark now (charts then use Qt Charts' dark theme).
bool darkPalette();

class PreferencesDialog : public QDialog {
  Q_OBJECT
 public:
  explicit PreferencesDialog(const Preferences& p, QWidget* parent = nullptr);
  [[nodiscard]] Preferences value() const;

 private:
  QCheckBox* loadCurve_;
  QSpinBox* points_;
  QSpinBox* parallel_;
  QComboBox* theme_;
};

}  // namespace hwgui
