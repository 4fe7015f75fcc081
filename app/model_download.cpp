#include "app/model_download.h"

#include <QThread>

#include "engine/hub/downloader.h"

namespace studio {

ModelDownload::ModelDownload(QObject* parent) : QObject(parent) {}

ModelDownload::~ModelDownload() {
  cancel();
  wait();
}

bool ModelDownload::isRunning() const { return thread_ && thread_->isRunning(); }

void ModelDownload::cancel() {
  if (cancel_) cancel_->store(true);
}

void ModelDownload::wait() {
  if (thread_) thread_->wait();
}

QString ModelDownload::defaultCacheDir() { return QString::fromStdString(ci2v::hub::cache_root().string()); }

QString ModelDownload::cachedModel(const QString& cacheDir) {
  const std::filesystem::path root = cacheDir.isEmpty() ? ci2v::hub::cache_root() : std::filesystem::path(cacheDir.toStdString());
  return QString::fromStdString(ci2v::hub::find_cached_snapshot(root));
}

void ModelDownload::start(const Request& r) {
  if (isRunning()) return;
  if (thread_) {
    thread_->deleteLater();
    thread_ = nullptr;
  }
  cancel_ = std::make_shared<std::atomic<bool>>(false);
  ci2v::hub::DownloadOptions o;
  o.repo = r.repo.toStdString();
  o.revision = r.revision.toStdString();
  o.cache_dir = r.cacheDir.toStdString();
  o.local_dir = r.localDir.toStdString();
  o.endpoint = r.endpoint.toStdString();
  auto flag = cancel_;  // the job keeps the flag alive
  o.cancel = flag.get();
  // Signals are emitted from the job's thread: queued to the receivers (GUI thread).
  o.on_progress = [this](const ci2v::hub::DownloadProgress& p) {
    Q_EMIT progress(static_cast<qint64>(p.done), static_cast<qint64>(p.total), p.bytes_per_second, p.eta_seconds,
                    QString::fromStdString(p.file), p.file_index, p.file_count, QString::fromStdString(p.stage));
  };
  o.on_log = [this](const std::string& l) { Q_EMIT logLine(QString::fromStdString(l)); };
  thread_ = QThread::create([this, o, flag] {
    try {
      const ci2v::hub::DownloadResult res = ci2v::hub::download_model(o);
      Q_EMIT finished(QString::fromStdString(res.model_dir), res.offline);
    } catch (const ci2v::hub::Cancelled&) {
      Q_EMIT cancelled();
    } catch (const std::exception& e) {
      Q_EMIT failed(QString::fromStdString(e.what()));
    }
  });
  thread_->setParent(this);  // deleted with the job (after the destructor has waited for it)
  thread_->setObjectName(QStringLiteral("model-download"));
  thread_->start();
}

}  // namespace studio
