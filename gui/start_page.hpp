// The start page: the bundled scenarios with their stories, one click to open; new, open,
// and the recent files.
#pragma once

#include <QWidget>
#include <vector>

#include "gui/paths.hpp"

class QListWidget;

namespace hwgui {

class StartPage : public QWidget {
  Q_OBJECT
 public:
  explicit StartPage(std::vector<BundledScenario> bundled, QWidget* parent = nullptr);
  void setRecentFiles(const QStringList& files);
  [[nodiscard]] QListWidget* bundledList() const { return bundled_; }
  [[nodiscard]] QListWidget* recentList() const { return recent_; }

 Q_SIGNALS:
  void openRequested(const QString& path);
  void newRequested();
  void openDialogRequested();

 private:
  QListWidget* bundled_;
  QListWidget* recent_;
};

}  // namespace hwgui
