// Export of a result on a worker thread (media::export_video), with progress and cancel.
#pragma once
#include <QImage>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <QVector>
#include <atomic>
#include <memory>

#include "widgets/export_dialog.h"

namespace studio {

class ExportRunner : public QObject {
  Q_OBJECT
public:
  explicit ExportRunner(QObject* parent = nullptr);
  ~ExportRunner() override;  // cancels and waits

  // Starts exporting; false (and nothing started) while another export runs.
  bool start(const QVector<QImage>& frames, const ExportSettings& settings, const QString& paramsJson);
  void cancel();
  bool isRunning() const { return thread_ != nullptr; }
  // The MP4 CRF for a 0..100 quality (100 -> 10, 80 -> 16, 0 -> 40).
  static int crfForQuality(int quality);

Q_SIGNALS:
  void progress(double fraction);
  void finished(const QString& path, const QString& notices);
  void failed(const QString& message);
  void cancelled();

private:
  QThread* thread_ = nullptr;
  std::shared_ptr<std::atomic<bool>> cancel_;
};

}  // namespace studio
