// The start page: the bundled scenarios with their stories, one click to open; new, open,
// and the recent files.
#pragma once

#include <QWidget>
#include <vector>

#include "gui/paths.hpp"

class QLabel;
class QListWidget;

namespace hwgui {

class StartPage : public QWidget {
  Q_OBJECT
 public:
  explicit StartPage(std::vector<BundledScenario> bundled, QWidget* parent = nullptr);
  void setRecentFiles(const QStringList& files);
  [[nodiscard]] QListWidget* bundledList() const { return bundled_; }
  [[nodiscard]] QListWidget* recentList() const { return recent_; }
  [[nodiscard]] QLabel* title() const { return title_; }

 Q_SIGNALS:
  void openRequested(const QString& path);
  void newRequested();
  void openDialogRequested();

 protected:
  void changeEvent(QEvent* event) override;  // a new palette: the subtitle's grey follows it

 private:
  void setTitle();
  QLabel* title_;
  QListWidget* bundled_;
  QListWidget* recent_;
};

}  // namespace hwgui
