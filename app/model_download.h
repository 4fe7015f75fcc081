// The model manager's download job: runs ci2v::hub::download_model on its own thread and reports progress,
// the finished model folder, an error or the cancel as Qt signals (queued to the GUI thread).
#pragma once
#include <QObject>
#include <QString>
#include <atomic>
#include <memory>

class QThread;

namespace studio {

class ModelDownload : public QObject {
  Q_OBJECT
public:
  struct Request {
    QString repo = QStringLiteral("TIGER-Lab/ConsistI2V");
    QString revision = QStringLiteral("main");
    QString cacheDir;  // empty: the Hugging Face cache ($HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub)
    QString localDir;  // non-empty: a plain folder instead of the cache
    QString endpoint;  // empty: $HF_ENDPOINT or https://huggingface.co
  };

  explicit ModelDownload(QObject* parent = nullptr);
  ~ModelDownload() override;  // cancels a running download and waits for its thread

  void start(const Request& request);  // no-op while running
  void cancel();
  bool isRunning() const;
  // Blocks until the job's thread has ended (after cancel(), it ends within about a second).
  void wait();

  // The Hugging Face cache root the downloader uses by default, and a complete cached snapshot ("" if none).
  static QString defaultCacheDir();
  static QString cachedModel(const QString& cacheDir = QString());

Q_SIGNALS:
  void progress(qint64 done, qint64 total, double bytesPerSecond, double etaSeconds, const QString& file,
                int fileIndex, int fileCount, const QString& stage);
  void logLine(const QString& line);
  void finished(const QString& modelDir, bool offline);
  void failed(const QString& message);
  void cancelled();

private:
  QThread* thread_ = nullptr;
  std::shared_ptr<std::atomic<bool>> cancel_;
};

}  // namespace studio
