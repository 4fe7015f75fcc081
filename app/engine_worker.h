// The engine on its own thread. EngineWorker lives on that thread and owns the ci2v::Pipeline; the engine's
// observer callbacks become queued signals that carry QImage copies to the UI. EngineController (UI thread)
// owns the thread, queues work to the worker and cancels through a shared CancelToken.
#pragma once
#include <QImage>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <QTemporaryDir>
#include <QThread>
#include <QVector>
#include <functional>
#include <memory>
#include <optional>

#include "app/studio_types.h"
#include "engine/pipeline.h"

namespace studio {

class EngineWorker : public QObject {
  Q_OBJECT
public:
  explicit EngineWorker(std::shared_ptr<ci2v::CancelToken> cancel);
  ~EngineWorker() override;

  // The loaded model, as requested ("" when none). Read on the worker thread only.
  QString loadedModelDir() const { return loadedDir_; }

public Q_SLOTS:
  // Loads (or keeps) the model for that folder, device and dtype; nothing when another one has been asked for
  // since (wantModel).
  void loadModel(const QString& dir, const QString& device, const QString& dtype);
  void generate(const studio::GenerationRequest& request);
  // FrameInit's split for the request's settings without the UNet (the VAE encodes the layout video once per
  // first frame / path / size; then only FFTs). Runs the newest request handed to setPendingPreview and
  // drops older ones.
  void runPendingPreview();
  void unload();

public:
  // Thread-safe. A newer request also stops the preview that is running (it is stale).
  void setPendingPreview(const studio::GenerationRequest& request);
  // Thread-safe: stops the running preview within one VAE encoder block (with the released VAE on a CPU a
  // preview takes seconds a frame). `again`: it runs again after what is queued on the engine thread (a
  // generation goes first); otherwise it is dropped (shutdown).
  void stopRunningPreview(bool again);
  // Thread-safe; the controller calls it for every request, in the user's order. `key` (modelKey) is the model
  // asked for last: a running load of another one stops at its next tensor unless a generation runs it or one
  // that is queued needs it (`neededByRuns`), and a load that no generation runs does not start for another one.
  void wantModel(const QString& key, const QVector<QPair<quint64, QString>>& neededByRuns);
  // The models the running and queued generations need (their keys in order, the running one first; empty when
  // none runs): a load no run waits for (loadModel, a preview) of another model than the running (or next) run's
  // does not start — that run's own load would throw it away, twice a run in a batch (Deferred: the window asks
  // again when the queue is done).
  // Each entry is a run's id and its model key; the worker drops a run's entry itself when the run ends (the UI
  // thread's next update may come later).
  using RunModels = QVector<QPair<quint64, QString>>;
  void setNeededByRuns(const RunModels& runs);
  // Thread-safe: stops the running load of `key` that no generation runs (Esc: the generation to cancel waits
  // behind it; a generation's own load stops with the generation's cancel).
  void stopLoadOf(const QString& key);
  // Thread-safe: stops the running load that no generation runs, and no load starts any more (shutdown).
  void close();
  static QString modelKey(const QString& dir, const QString& device, const QString& dtype);
  static QString modelKey(const GenerationRequest& request);
  // Tests: called on the engine thread before each network a load allocates and each tensor it reads. Set it while
  // no load runs.
  void setLoadHook(std::function<void()> hook) { loadHook_ = std::move(hook); }

Q_SIGNALS:
  void modelLoading(const QString& dir);
  // A load stopped before its end (a cancelled generation's, or a stale one): no model is loaded.
  void modelLoadStopped(const QString& dir);
  void modelLoadDeferred(const QString& dir);  // not started: the queued generations need another model first
  void modelLoadProgress(const QString& dir, int percent);  // of the weight files' bytes
  // seconds < 0: the model was held already (picked again), nothing was read
  void modelLoaded(const QString& dir, const QString& device, const QString& dtype, double seconds);
  // dtype: the precision the failed load asked for (the advice for an out-of-memory load depends on it)
  void modelFailed(const QString& dir, const QString& message, const QString& dtype);
  void started(quint64 id);
  void stageChanged(const QString& stage, const QString& detail);
  void progress(int step, int total, double elapsedSeconds, double etaSeconds);
  void stepPreview(int step, int total, const QVector<QImage>& frames);
  void frameInitPreview(const studio::FrameInitImages& images);  // during a generation
  void frameInitPreviewReady(quint64 id, const studio::FrameInitImages& images, double milliseconds);
  void frameInitPreviewFailed(quint64 id, const QString& message);
  void finished(const studio::ResultClip& clip);
  void failed(quint64 id, const QString& message);
  void cancelled(quint64 id);

private:
  // Skipped: not started (closing, or another model wanted); Deferred: not started while queued generations need
  // another model
  enum class Load { Ready, Failed, Stopped, Skipped, Deferred };
  // `run`: the generation that needs the model (its cancel stops the load, and it loads even when another model
  // is wanted); null for a load nobody waits for (loadModel, a preview).
  Load ensureLoaded(const QString& dir, const QString& device, const QString& dtype, QString* error,
                    const ci2v::CancelToken* run = nullptr);
  Load ensureLoaded(const GenerationRequest& request, QString* error, const ci2v::CancelToken* run = nullptr) {
    return ensureLoaded(request.modelDir, QString::fromStdString(request.params.device),
                        QString::fromStdString(request.params.dtype), error, run);
  }

  std::shared_ptr<ci2v::CancelToken> cancel_;
  std::unique_ptr<ci2v::Pipeline> pipeline_;
  QString loadedDir_, loadedDevice_, loadedDtype_;
  QMutex previewMutex_;
  std::optional<GenerationRequest> pendingPreview_;
  ci2v::CancelToken previewCancel_;  // the running preview's
  bool previewRunning_ = false;      // these two under previewMutex_
  bool previewAgain_ = false;
  QMutex loadMutex_;
  QString wantedKey_;                        // these six under loadMutex_
  RunModels neededByRuns_;
  QSet<quint64> endedRuns_;  // runs this thread has finished (an older list from the UI thread may name them)
  void dropEndedRuns();
  bool closing_ = false;
  ci2v::CancelToken* loadToken_ = nullptr;  // the running load's
  QString loadKey_;
  bool loadForRun_ = false;
  std::function<void()> loadHook_;
};

class EngineController : public QObject {
  Q_OBJECT
public:
  explicit EngineController(QObject* parent = nullptr);
  ~EngineController() override;

  // The worker on the engine thread. Connect to the controller's signals instead: they are the worker's,
  // re-emitted on the UI thread (safe for QSignalSpy and widgets).
  EngineWorker* worker() const { return worker_; }

  // Loads the model on the engine thread. A load of another model that no generation waits for stops at once
  // (modelLoadStopped), as do queued ones: the newest request wins (also for previews and generations).
  void loadModel(const QString& dir, const QString& device, const QString& dtype);
  // Asks for FrameInit's preview of these settings (the model must be loaded, or is loaded first). Requests
  // coalesce: when several arrive while the engine is busy, only the newest runs. Returns its id; the answer
  // is frameInitPreviewReady or frameInitPreviewFailed with that id.
  quint64 previewFrameInit(GenerationRequest request);
  // The model keys the running and queued generations need, the running one first.
  EngineWorker::RunModels neededByRuns() const;
  // Queues a generation; the preview MP4 goes to this controller's temporary folder. Returns the request id.
  // Generations run one after another in the order they were queued.
  quint64 generate(GenerationRequest request);
  // Cancels the running generation (the engine stops at its next check, between steps, and cancelled() comes);
  // the queued ones go on.
  void cancel();
  // Cancels the running generation and drops the queued ones (cancelled() for each).
  void cancelAll();
  // Drops one queued (not yet running) generation; false when it is not in the queue.
  bool removeQueued(quint64 id);
  QList<quint64> queuedIds() const;      // waiting, in order (the running one excluded)
  quint64 runningId() const { return runningId_; }
  bool isBusy() const { return busy_; }
  QString previewDir() const { return tmp_.path(); }
  // The request last sent to the worker (with a queue, the one running now).
  const GenerationRequest& lastRequest() const { return last_; }
  // The request of the run that ended last: what a finished / failed / cancelled handler is about (by then
  // lastRequest() may already be the next queued run).
  const GenerationRequest& endedRequest() const { return ended_; }

Q_SIGNALS:
  void busyChanged(bool busy);
  void queueChanged(int waiting);
  // The worker's signals, on the UI thread. When finished / failed / cancelled arrive, isBusy() is already
  // false (unless another run is queued).
  void modelLoading(const QString& dir);
  void modelLoadStopped(const QString& dir);
  void modelLoadDeferred(const QString& dir);  // not started: the queued generations need another model first
  void modelLoadProgress(const QString& dir, int percent);
  void modelLoaded(const QString& dir, const QString& device, const QString& dtype, double seconds);
  void modelFailed(const QString& dir, const QString& message, const QString& dtype);
  void started(quint64 id);
  void stageChanged(const QString& stage, const QString& detail);
  void progress(int step, int total, double elapsedSeconds, double etaSeconds);
  void stepPreview(int step, int total, const QVector<QImage>& frames);
  void frameInitPreview(const studio::FrameInitImages& images);
  void frameInitPreviewReady(quint64 id, const studio::FrameInitImages& images, double milliseconds);
  void frameInitPreviewFailed(quint64 id, const QString& message);
  void finished(const studio::ResultClip& clip);
  void failed(quint64 id, const QString& message);
  void cancelled(quint64 id);

private:
  void setBusy(bool busy);
  void want(const QString& key);  // tells the worker, with the models the queued and running generations need
  void runEnded();
  void startNext();

  QThread thread_;
  EngineWorker* worker_ = nullptr;
  std::shared_ptr<ci2v::CancelToken> cancel_;
  QTemporaryDir tmp_;
  bool busy_ = false;
  QList<GenerationRequest> queue_;
  bool running_ = false;
  quint64 runningId_ = 0;
  GenerationRequest last_, ended_;
  quint64 nextPreviewId_ = 1;
};

}  // namespace studio
