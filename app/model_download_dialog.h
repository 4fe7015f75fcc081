// "Download model…": fetch TIGER-Lab/ConsistI2V from the Hugging Face hub into the shared hub cache (or a
// folder the user picks), with progress, speed, time left and cancel. Emits modelReady(folder) on success.
#pragma once
#include <QDialog>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QPlainTextEdit;

namespace studio {

class ModelDownload;

class ModelDownloadDialog : public QDialog {
  Q_OBJECT
public:
  explicit ModelDownloadDialog(QWidget* parent = nullptr);
  ~ModelDownloadDialog() override;

  bool isDownloading() const;
  QString statusText() const;

Q_SIGNALS:
  void modelReady(const QString& modelDir);

public Q_SLOTS:
  void startDownload();
  void cancelDownload();
  void reject() override;  // cancels a running download first

private:
  void setRunning(bool running);
  void showProgress(qint64 done, qint64 total, double bytesPerSecond, double etaSeconds, const QString& file,
                    int fileIndex, int fileCount, const QString& stage);

  ModelDownload* job_ = nullptr;
  QRadioButton* toCache_ = nullptr;
  QRadioButton* toFolder_ = nullptr;
  QLineEdit* folder_ = nullptr;
  QPushButton* browse_ = nullptr;
  QProgressBar* bar_ = nullptr;
  QLabel* file_ = nullptr;
  QLabel* status_ = nullptr;
  QLabel* error_ = nullptr;
  QPlainTextEdit* log_ = nullptr;
  QPushButton* start_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QPushButton* use_ = nullptr;  // shown when the hub was unreachable and a complete copy is there
  QString offlineDir_;
};

// "12.3 MB", "4:05" (h:mm:ss past an hour) for the dialog.
QString formatBytes(qint64 n);
QString formatDuration(double seconds);

}  // namespace studio
