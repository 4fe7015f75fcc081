#include "app/export_runner.h"

#include <algorithm>
#include <QFileInfo>
#include <cmath>
#include <cstring>

#ifdef CONSISTI2V_HAVE_MEDIA
#include "engine/media/export.h"
#endif

namespace studio {

ExportRunner::ExportRunner(QObject* parent) : QObject(parent) {}

ExportRunner::~ExportRunner() {
  if (thread_) {
    cancel();
    thread_->wait();
    delete thread_;
  }
}

int ExportRunner::crfForQuality(int quality) {
  return static_cast<int>(std::lround(40.0 - 0.3 * std::clamp(quality, 0, 100)));
}

void ExportRunner::cancel() {
  if (cancel_) cancel_->store(true);
}

bool ExportRunner::start(const QVector<QImage>& frames, const ExportSettings& s, const QString& paramsJson) {
  if (thread_) return false;
  cancel_ = std::make_shared<std::atomic<bool>>(false);
  auto cancel = cancel_;
  // The outcome is written by the export thread and read here after it has finished.
  struct Outcome {
    enum Kind { Done, Failed, Cancelled } kind = Failed;
    QString text, notices;
  };
  auto outcome = std::make_shared<Outcome>();
  QPointer<ExportRunner> self(this);
  // Runs on the export thread: everything it touches is a copy; results go back with queued calls.
  thread_ = QThread::create([self, frames, s, paramsJson, cancel, outcome] {
    auto post = [self](auto fn) {
      if (self) QMetaObject::invokeMethod(self.data(), fn, Qt::QueuedConnection);
    };
#ifdef CONSISTI2V_HAVE_MEDIA
    namespace media = ci2v::media;
    QString notices;
    try {
      media::Video v;
      v.fps = s.fps;
      for (const QImage& f : frames) {
        const QImage rgb = f.convertToFormat(QImage::Format_RGB888);
        media::Image im(rgb.width(), rgb.height());
        const size_t row = static_cast<size_t>(rgb.width()) * 3;
        for (int y = 0; y < rgb.height(); ++y) std::memcpy(im.rgb.data() + y * row, rgb.constScanLine(y), row);
        v.width = im.width;
        v.height = im.height;
        v.frames.push_back(std::move(im));
      }
      media::ExportOptions o;
      switch (s.format) {
        case ExportSettings::Format::Mp4: o.format = media::Format::Mp4; break;
        case ExportSettings::Format::Gif: o.format = media::Format::Gif; break;
        case ExportSettings::Format::WebP: o.format = media::Format::WebP; break;
        case ExportSettings::Format::PngSequence: o.format = media::Format::PngSequence; break;
      }
      o.fps = s.fps;
      o.crf = ExportRunner::crfForQuality(s.quality);
      o.webp_quality = std::clamp(s.quality, 0, 100);
      o.webp_lossless = s.quality >= 100;
      o.loop = s.loops;
      o.pingpong = s.pingpong;
      o.params_json = paramsJson.toStdString();
      double last = -1;
      o.progress = [&](double f) {
        if (f - last >= 0.01 || f >= 1.0) {
          last = f;
          post([self, f] { if (self) Q_EMIT self->progress(f); });
        }
        return !cancel->load();
      };
      o.notice = [&](const std::string& n) { notices += QString::fromStdString(n) + QLatin1Char('\n'); };
      media::export_video(v, s.path.toStdString(), o);
      outcome->kind = Outcome::Done;
      outcome->text = s.path;
      outcome->notices = notices.trimmed();
    } catch (const media::ExportCancelled&) {
      outcome->kind = Outcome::Cancelled;
    } catch (const std::exception& e) {
      outcome->kind = Outcome::Failed;
      outcome->text = QString::fromUtf8(e.what());
    }
#else
    (void)frames, (void)s, (void)paramsJson, (void)cancel, (void)post;
    outcome->kind = Outcome::Failed;
    outcome->text = ExportRunner::tr("This build has no FFmpeg: exporting is not available.");
#endif
  });
  thread_->setObjectName(QStringLiteral("export"));
  connect(thread_, &QThread::finished, this, [this, outcome] {
    // Progress posted by the thread is already in our queue before this; report the outcome once the
    // runner is idle again, so a handler may start the next export.
    thread_->deleteLater();
    thread_ = nullptr;
    switch (outcome->kind) {
      case Outcome::Done: Q_EMIT finished(outcome->text, outcome->notices); break;
      case Outcome::Cancelled: Q_EMIT cancelled(); break;
      case Outcome::Failed: Q_EMIT failed(outcome->text); break;
    }
  });
  thread_->start();
  return true;
}

}  // namespace studio
