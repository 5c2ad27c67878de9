// `hwplan predict` for the selected hardware and a chosen model, as a chart: latency and
// throughput against batch size, each point marked memory- or compute-bound, so the batch
// where the roofline turns from memory- to compute-bound shows. The figures come from the
// `hwplan predict --format json` child (the performance model lives in the library, not
// here); the window does not wait for it.
#pragma once

#include <QProcess>
#include <QWidget>
#include <memory>

#include "sim/io/loaders.hpp"

class QChartView;
class QComboBox;
class QLabel;

namespace hwgui {

class PredictPanel : public QWidget {
  Q_OBJECT
 public:
  PredictPanel(std::shared_ptr<const hw::Catalogue> catalogue, QString simulator, QWidget* parent = nullptr);
  ~PredictPanel() override;
  void setHardware(const QString& id);
  [[nodiscard]] QComboBox* model() const { return model_; }
  [[nodiscard]] QComboBox* precision() const { return precision_; }
  [[nodiscard]] QChartView* chart() const { return chart_; }
  [[nodiscard]] QLabel* status() const { return status_; }

 Q_SIGNALS:
  void predicted(bool ok);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void run();
  void show(const QByteArray& json);
  std::shared_ptr<const hw::Catalogue> catalogue_;
  QString simulator_;
  QString hardware_;
  QComboBox* model_;
  QComboBox* precision_;
  QChartView* chart_;
  QLabel* status_;
  QProcess* proc_ = nullptr;
  QByteArray shown_;  // the last answer drawn (`hwplan predict --format json`)
};

}  // namespace hwgui
