#include "app/engine_worker.h"

#include <algorithm>
#include <QDir>
#include <QElapsedTimer>
#include <cmath>

#include "engine/error.h"
#ifdef CONSISTI2V_HAVE_MEDIA
#include "engine/media/export.h"
#endif

namespace studio {
namespace {

// A request's first frame (an empty picture when it has none: the engine says so).
const ci2v::RgbImage& frameOf(const GenerationRequest& r) {
  static const ci2v::RgbImage none;
  return r.firstFrame ? *r.firstFrame : none;
}

QString stageText(ci2v::Stage s) {
  switch (s) {
    case ci2v::Stage::Loading: return EngineWorker::tr("Loading the model");
    case ci2v::Stage::EncodingText: return EngineWorker::tr("Reading the prompt");
    case ci2v::Stage::EncodingImage: return EngineWorker::tr("Encoding the first frame");
    case ci2v::Stage::FrameInit: return EngineWorker::tr("Preparing the motion (FrameInit)");
    case ci2v::Stage::Denoising: return EngineWorker::tr("Generating");
    case ci2v::Stage::Decoding: return EngineWorker::tr("Decoding the frames");
    case ci2v::Stage::Done: return EngineWorker::tr("Done");
  }
  return {};
}

// Engine callbacks (engine thread) -> the worker's signals. The worker lives on the engine thread and the
// receivers on the UI thread, so every emit is queued and carries its own copies.
class SignalObserver : public ci2v::Observer {
public:
  explicit SignalObserver(EngineWorker* w) : w_(w) {}
  void on_stage(ci2v::Stage s, const std::string& detail) override {
    Q_EMIT w_->stageChanged(stageText(s), QString::fromStdString(detail));
  }
  void on_progress(int i, int n, double elapsed, double eta) override { Q_EMIT w_->progress(i, n, elapsed, eta); }
  void on_frameinit(const ci2v::FrameInitPreview& p) override {
    Q_EMIT w_->frameInitPreview(toFrameInitImages(p));
  }
  void on_step_preview(int i, int n, const std::vector<ci2v::RgbImage>& frames) override {
    Q_EMIT w_->stepPreview(i, n, toQImages(frames));
  }
  // on_error: the worker reports errors from the exception (with the cancel state), not here.

private:
  EngineWorker* w_;
};

}  // namespace

EngineWorker::EngineWorker(std::shared_ptr<ci2v::CancelToken> cancel) : cancel_(std::move(cancel)) {}

EngineWorker::~EngineWorker() = default;

QString EngineWorker::modelKey(const QString& dir, const QString& device, const QString& dtype) {
  return dir + QLatin1Char('\n') + device + QLatin1Char('\n') + dtype;
}

QString EngineWorker::modelKey(const GenerationRequest& r) {  // the key ensureLoaded(r, ...) loads
  return modelKey(r.modelDir, QString::fromStdString(r.params.device), QString::fromStdString(r.params.dtype));
}

void EngineWorker::setNeededByRuns(const RunModels& runs) {
  QMutexLocker lock(&loadMutex_);
  neededByRuns_ = runs;
  dropEndedRuns();
}

void EngineWorker::dropEndedRuns() {  // under loadMutex_: the UI thread's list may be older than the worker's runs
  neededByRuns_.removeIf([this](const QPair<quint64, QString>& r) { return endedRuns_.contains(r.first); });
}

void EngineWorker::wantModel(const QString& key, const RunModels& runs) {
  QMutexLocker lock(&loadMutex_);
  wantedKey_ = key;
  neededByRuns_ = runs;
  dropEndedRuns();
  bool needed = false;
  for (const auto& r : runs) needed = needed || r.second == loadKey_;
  if (loadToken_ && !loadForRun_ && loadKey_ != wantedKey_ && !needed) loadToken_->cancel();
}

void EngineWorker::stopLoadOf(const QString& key) {
  QMutexLocker lock(&loadMutex_);
  if (loadToken_ && !loadForRun_ && loadKey_ == key) loadToken_->cancel();
}

void EngineWorker::close() {
  {
    QMutexLocker lock(&loadMutex_);
    closing_ = true;
    if (loadToken_ && !loadForRun_) loadToken_->cancel();
  }
  // a preview queued behind a generation (given way to it) would still run in full after the window is gone
  QMutexLocker lock(&previewMutex_);
  pendingPreview_.reset();
  previewCancel_.cancel();
}

EngineWorker::Load EngineWorker::ensureLoaded(const QString& dir, const QString& device, const QString& dtype,
                                              QString* error, const ci2v::CancelToken* run) {
  if (pipeline_ && dir == loadedDir_ && device == loadedDevice_ && dtype == loadedDtype_) return Load::Ready;
  ci2v::CancelToken stop(run);  // a generation's cancel stops its load too
  {
    QMutexLocker lock(&loadMutex_);
    loadKey_ = modelKey(dir, device, dtype);
    if (closing_) {
      *error = tr("the studio is closing");
      return Load::Skipped;
    }
    // another model is wanted now: a load nobody waits for would be thrown away (the model it replaces too)
    if (!run && !wantedKey_.isEmpty() && wantedKey_ != loadKey_) {
      *error = tr("another model was asked for");
      return Load::Skipped;
    }
    // the running (or next) generation needs another model: this load would be thrown away by its own
    if (!run && !neededByRuns_.isEmpty() && neededByRuns_.front().second != loadKey_) {
      *error = tr("a queued generation needs another model first");
      return Load::Deferred;
    }
    loadToken_ = &stop;
    loadForRun_ = run != nullptr;
  }
  struct Unregister {  // loadToken_ never outlives `stop`, however this returns
    EngineWorker* w;
    ~Unregister() {
      QMutexLocker lock(&w->loadMutex_);
      w->loadToken_ = nullptr;
    }
  } unregister{this};
  pipeline_.reset();  // free the old model first (GPU memory)
  loadedDir_.clear();
  Q_EMIT modelLoading(dir);
  QElapsedTimer t;
  t.start();
  int lastPercent = -1;
  const auto progress = [&](int64_t done, int64_t total) {
    if (loadHook_) loadHook_();
    const int percent = total > 0 ? static_cast<int>(done * 100 / total) : 0;
    if (percent == lastPercent) return;  // at most 101 signals, however many tensors
    lastPercent = percent;
    Q_EMIT modelLoadProgress(dir, percent);
  };
  try {
    pipeline_ = ci2v::Pipeline::load(dir.toStdString(), device.toStdString(), dtype.toStdString(), &stop, progress);
  } catch (const std::exception& e) {
    if (stop.cancelled()) {
      *error = tr("the model's loading was stopped");
      Q_EMIT modelLoadStopped(dir);
      return Load::Stopped;
    }
    *error = QString::fromStdString(ci2v::error_text(e));
    Q_EMIT modelFailed(dir, *error, dtype);
    return Load::Failed;
  }
  loadedDir_ = dir;
  loadedDevice_ = device;
  loadedDtype_ = dtype;
  Q_EMIT modelLoaded(dir, QString::fromStdString(pipeline_->device()), QString::fromStdString(pipeline_->dtype()),
                     t.elapsed() / 1000.0);
  return Load::Ready;
}

void EngineWorker::loadModel(const QString& dir, const QString& device, const QString& dtype) {
  const bool held = pipeline_ && dir == loadedDir_ && device == loadedDevice_ && dtype == loadedDtype_;
  QString error;
  const Load load = ensureLoaded(dir, device, dtype, &error);
  // a load that did not start (another model is wanted) is reported as stopped: the model line said "loading"
  if (load == Load::Skipped) Q_EMIT modelLoadStopped(dir);
  if (load == Load::Deferred) Q_EMIT modelLoadDeferred(dir);
  // the model asked for is the one held (picked again, e.g. after another project): ready at once, and said so,
  // or the model line would wait on "loading" for a signal that never comes
  if (load == Load::Ready && held)
    Q_EMIT modelLoaded(dir, QString::fromStdString(pipeline_->device()), QString::fromStdString(pipeline_->dtype()), -1.0);
}

void EngineWorker::unload() {
  pipeline_.reset();
  loadedDir_.clear();
}

void EngineWorker::setPendingPreview(const GenerationRequest& request) {
  QMutexLocker lock(&previewMutex_);
  pendingPreview_ = request;
  if (previewRunning_) previewCancel_.cancel();  // stale now: the newer one runs next
}

void EngineWorker::stopRunningPreview(bool again) {
  QMutexLocker lock(&previewMutex_);
  if (!previewRunning_) return;
  previewAgain_ = again;
  previewCancel_.cancel();
}

void EngineWorker::runPendingPreview() {
  GenerationRequest request;
  {
    QMutexLocker lock(&previewMutex_);
    if (!pendingPreview_) return;  // a newer request already ran (or the studio is closing)
    request = std::move(*pendingPreview_);
    pendingPreview_.reset();
    previewCancel_.reset();
    previewRunning_ = true;
    previewAgain_ = false;
  }
  struct Running {  // previewRunning_ is cleared however this returns
    EngineWorker* w;
    ~Running() {
      QMutexLocker lock(&w->previewMutex_);
      w->previewRunning_ = false;
    }
  } running{this};
  {
    QMutexLocker lock(&loadMutex_);
    if (closing_) return;  // nobody will see it
  }
  QString error;
  // A failed or stopped load is this preview's answer: no preview (the panel says why; the next change of model or
  // settings, or the model becoming ready, asks again)
  if (ensureLoaded(request, &error) != Load::Ready) {
    Q_EMIT frameInitPreviewFailed(request.id, error);
    return;
  }
  QElapsedTimer t;
  t.start();
  try {
    const auto pv = pipeline_->preview_frameinit(request.params, frameOf(request), &previewCancel_);
    Q_EMIT frameInitPreviewReady(request.id, toFrameInitImages(pv), t.nsecsElapsed() / 1e6);
  } catch (const std::exception& e) {
    if (!previewCancel_.cancelled()) {
      Q_EMIT frameInitPreviewFailed(request.id, QString::fromStdString(ci2v::error_text(e)));
      return;
    }
    // Stopped: by a newer request (pending now, its run queued), or for a generation, after which it runs again
    // unless a newer one came meanwhile.
    QMutexLocker lock(&previewMutex_);
    if (previewAgain_ && !pendingPreview_) {
      pendingPreview_ = std::move(request);
      QMetaObject::invokeMethod(this, [this] { runPendingPreview(); }, Qt::QueuedConnection);
    }
  }
}

void EngineWorker::generate(const GenerationRequest& request) {
  struct Ended {  // however it ends, this run needs no model any more (before the next event on this thread)
    EngineWorker* w;
    quint64 id;
    ~Ended() {
      QMutexLocker lock(&w->loadMutex_);
      w->endedRuns_.insert(id);  // (ids only grow: one number a run)
      w->dropEndedRuns();
    }
  } ended{this, request.id};
  Q_EMIT started(request.id);
  if (cancel_->cancelled()) {
    Q_EMIT cancelled(request.id);
    return;
  }
  QString error;
  Q_EMIT stageChanged(stageText(ci2v::Stage::Loading), request.modelDir);
  switch (ensureLoaded(request, &error, cancel_.get())) {
    case Load::Ready: break;
    case Load::Stopped:  // its load stops only with its cancel
    case Load::Skipped:  // closing
    case Load::Deferred:  // (never for a run's own load)
      Q_EMIT cancelled(request.id);
      return;
    case Load::Failed: Q_EMIT failed(request.id, error); return;
  }
  SignalObserver observer(this);
  ci2v::GenerationResult result;
  try {
    result = pipeline_->generate(request.params, frameOf(request), &observer, cancel_.get());
  } catch (const std::exception& e) {
    // ci2v::Cancelled (engine/generator.h) is a ci2v::Error: the token tells a cancel from a failure.
    if (cancel_->cancelled())
      Q_EMIT cancelled(request.id);
    else
      Q_EMIT failed(request.id, QString::fromStdString(ci2v::error_text(e)));
    return;
  } catch (...) {
    Q_EMIT failed(request.id, tr("unknown error in the engine"));
    return;
  }

  ResultClip clip;
  clip.id = request.id;
  clip.frames = toQImages(result.frames);
  clip.seed = result.seed;
  clip.seconds = result.seconds;
  if (request.firstFrame) clip.pictureSize = QSize(request.firstFrame->width, request.firstFrame->height);
  clip.params = result.params;
  clip.created = QDateTime::currentDateTime();
  if (!request.previewDir.isEmpty() && !result.frames.empty()) {
#ifdef CONSISTI2V_HAVE_MEDIA
    // A temporary MP4 of the result for the player (Qt Multimedia plays files).
    Q_EMIT stageChanged(tr("Preparing the player"), QString());
    try {
      ci2v::media::Video v;
      v.width = result.frames[0].width;
      v.height = result.frames[0].height;
      v.fps = request.previewFps;
      v.frames = result.frames;
      ci2v::media::ExportOptions o;
      o.format = ci2v::media::Format::Mp4;
      o.fps = request.previewFps;
      // About 20 s of video (at most 40 copies): a loop wrap-around is a seek, which stalls Qt's GStreamer
      // player on the UI thread, so it should come rarely.
      const double clipSeconds = result.frames.size() / std::max(1.0, request.previewFps);
      const int repeats = std::clamp(static_cast<int>(std::ceil(20.0 / clipSeconds)), 1, 40);
      o.loop = repeats;
      o.crf = 12;
      o.preset = "veryfast";
      o.params_json = result.params.to_json().dump();
      const QString path = QDir(request.previewDir).filePath(QStringLiteral("result_%1.mp4").arg(request.id));
      ci2v::media::export_video(v, path.toStdString(), o);
      clip.previewVideo = path;
      clip.previewRepeats = repeats;
    } catch (const std::exception& e) {
      clip.previewError = QString::fromStdString(ci2v::error_text(e));
    }
#else
    clip.previewError = tr("this build has no FFmpeg: the player shows the frames directly");
#endif
  }
  Q_EMIT stageChanged(stageText(ci2v::Stage::Done), QString());
  Q_EMIT finished(clip);
}

// --- controller (UI thread)

EngineController::EngineController(QObject* parent)
    : QObject(parent), cancel_(std::make_shared<ci2v::CancelToken>()), tmp_(QDir::tempPath() + QStringLiteral("/consisti2v-studio-XXXXXX")) {
  qRegisterMetaType<GenerationRequest>();
  qRegisterMetaType<ResultClip>();
  qRegisterMetaType<QVector<QImage>>();
  qRegisterMetaType<FrameInitImages>();
  thread_.setObjectName(QStringLiteral("engine"));
  worker_ = new EngineWorker(cancel_);
  worker_->moveToThread(&thread_);
  // Worker (engine thread) -> controller (UI thread): queued connections, so every signal below is emitted on
  // the UI thread with its own copy of the data.
  connect(worker_, &EngineWorker::modelLoading, this, &EngineController::modelLoading);
  connect(worker_, &EngineWorker::modelLoadStopped, this, &EngineController::modelLoadStopped);
  connect(worker_, &EngineWorker::modelLoadDeferred, this, &EngineController::modelLoadDeferred);
  connect(worker_, &EngineWorker::modelLoadProgress, this, &EngineController::modelLoadProgress);
  connect(worker_, &EngineWorker::modelLoaded, this, &EngineController::modelLoaded);
  connect(worker_, &EngineWorker::modelFailed, this, &EngineController::modelFailed);
  connect(worker_, &EngineWorker::started, this, &EngineController::started);
  connect(worker_, &EngineWorker::stageChanged, this, &EngineController::stageChanged);
  connect(worker_, &EngineWorker::progress, this, &EngineController::progress);
  connect(worker_, &EngineWorker::stepPreview, this, &EngineController::stepPreview);
  connect(worker_, &EngineWorker::frameInitPreview, this, &EngineController::frameInitPreview);
  connect(worker_, &EngineWorker::frameInitPreviewReady, this, &EngineController::frameInitPreviewReady);
  connect(worker_, &EngineWorker::frameInitPreviewFailed, this, &EngineController::frameInitPreviewFailed);
  connect(worker_, &EngineWorker::finished, this, [this](const ResultClip& clip) {
    runEnded();
    Q_EMIT finished(clip);
  });
  connect(worker_, &EngineWorker::failed, this, [this](quint64 id, const QString& message) {
    runEnded();
    Q_EMIT failed(id, message);
  });
  connect(worker_, &EngineWorker::cancelled, this, [this](quint64 id) {
    runEnded();
    Q_EMIT cancelled(id);
  });
  thread_.start();
}

EngineController::~EngineController() {
  cancel_->cancel();  // a generation, and the model load it waits for
  worker_->close();  // the running load stops, and none starts from what is still queued on its thread
  worker_->stopRunningPreview(/*again=*/false);
  thread_.quit();
  thread_.wait();
  delete worker_;  // its thread has ended: safe to delete here
}

void EngineController::loadModel(const QString& dir, const QString& device, const QString& dtype) {
  want(EngineWorker::modelKey(dir, device, dtype));
  QMetaObject::invokeMethod(worker_, [w = worker_, dir, device, dtype] { w->loadModel(dir, device, dtype); },
                            Qt::QueuedConnection);
}

quint64 EngineController::generate(GenerationRequest request) {
  if (request.previewDir.isEmpty() && tmp_.isValid()) request.previewDir = tmp_.path();
  queue_.push_back(request);
  want(EngineWorker::modelKey(request));
  setBusy(true);
  Q_EMIT queueChanged(queue_.size());
  if (!running_) startNext();
  return request.id;
}

void EngineController::startNext() {
  if (running_ || queue_.isEmpty()) return;
  const GenerationRequest request = queue_.takeFirst();
  last_ = request;
  runningId_ = request.id;
  running_ = true;
  cancel_->reset();  // here, not on the engine thread: a cancel right after this call must not be lost
  worker_->setNeededByRuns(neededByRuns());
  Q_EMIT queueChanged(queue_.size());
  QMetaObject::invokeMethod(worker_, [w = worker_, request] { w->generate(request); }, Qt::QueuedConnection);
  // A FrameInit preview running now would hold the generation up (seconds a frame with the released VAE on a
  // CPU): it stops, and runs again after the generation (its call is queued after the one above).
  worker_->stopRunningPreview(/*again=*/true);
}

QList<quint64> EngineController::queuedIds() const {
  QList<quint64> ids;
  for (const auto& r : queue_) ids << r.id;
  return ids;
}

bool EngineController::removeQueued(quint64 id) {
  for (int i = 0; i < queue_.size(); ++i) {
    if (queue_[i].id != id) continue;
    queue_.removeAt(i);
    worker_->setNeededByRuns(neededByRuns());
    Q_EMIT queueChanged(queue_.size());
    Q_EMIT cancelled(id);
    if (!running_ && queue_.isEmpty()) setBusy(false);
    return true;
  }
  return false;
}

void EngineController::cancelAll() {
  const auto ids = queuedIds();
  queue_.clear();
  worker_->setNeededByRuns(neededByRuns());
  Q_EMIT queueChanged(0);
  for (quint64 id : ids) Q_EMIT cancelled(id);
  if (running_)
    cancel();
  else
    setBusy(false);
}

EngineWorker::RunModels EngineController::neededByRuns() const {
  EngineWorker::RunModels needed;
  if (running_) needed.push_back({last_.id, EngineWorker::modelKey(last_)});
  for (const auto& r : queue_) needed.push_back({r.id, EngineWorker::modelKey(r)});
  return needed;
}

void EngineController::want(const QString& key) { worker_->wantModel(key, neededByRuns()); }

quint64 EngineController::previewFrameInit(GenerationRequest request) {
  request.id = nextPreviewId_++;
  request.previewDir.clear();
  want(EngineWorker::modelKey(request));
  worker_->setPendingPreview(request);  // replaces an older pending one (thread-safe)
  QMetaObject::invokeMethod(worker_, [w = worker_] { w->runPendingPreview(); }, Qt::QueuedConnection);
  return request.id;
}

void EngineController::cancel() {
  if (!running_) return;
  cancel_->cancel();  // the running generation only; the queue goes on
  // a load of its model that a preview or a model choice started, which the generation waits behind
  worker_->stopLoadOf(EngineWorker::modelKey(last_));
}

void EngineController::runEnded() {
  ended_ = last_;  // before the next queued run becomes last_
  running_ = false;
  runningId_ = 0;
  worker_->setNeededByRuns(neededByRuns());
  if (queue_.isEmpty())
    setBusy(false);
  else
    startNext();
}

void EngineController::setBusy(bool busy) {
  if (busy == busy_) return;
  busy_ = busy;
  Q_EMIT busyChanged(busy);
}

}  // namespace studio
