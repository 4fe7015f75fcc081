// The engine worker on its thread with the tiny fixture model: model loading (and its failure), progress,
// FrameInit and per-step previews, the result (with its temporary MP4), errors, cancel — and that the UI
// thread's event loop keeps ticking during a run.
#include <QElapsedTimer>
#include <QSemaphore>
#include <QSignalSpy>
#include <QThread>

#include <atomic>

#include "app/engine_worker.h"
#include "app/latency_monitor.h"
#include "gui_test_util.h"

#ifdef CONSISTI2V_HAVE_MEDIA
#include "engine/media/video.h"
#endif

using namespace studio;

namespace {
GenerationRequest tinyRequest(quint64 id = 1) {
  GenerationRequest r;
  r.id = id;
  r.modelDir = testing::tinyModel();
  r.params = testing::tinyParams();
  r.firstFrame = std::make_shared<const ci2v::RgbImage>(toRgbImage(QImage(testing::firstFramePng())));
  return r;
}
// Holds a model load at its first check until released (the worker's test hook, on the engine thread), and counts
// the load's checks. Declare it before the controller: it must outlive the engine thread.
struct LoadGate {
  QSemaphore inLoad, proceed;
  std::atomic<int> calls{0};
  std::atomic<bool> hold{true};  // the next load is held
  void install(EngineController& c) {
    c.worker()->setLoadHook([this] {
      ++calls;
      if (hold.exchange(false)) {
        inLoad.release();
        proceed.tryAcquire(1, 30000);
      }
    });
  }
  bool waitHeld() { return inLoad.tryAcquire(1, 30000); }
};
}  // namespace

class TestWorker : public QObject {
  Q_OBJECT
private Q_SLOTS:
  // The live FrameInit preview: changes with τ and D0, coalesces requests, and shows exactly what the
  // generation's observer reports for the same settings.
  void frameInitPreviewFollowsTheSettingsAndMatchesTheRun() {
    EngineController c;
    QSignalSpy ready(&c, &EngineController::frameInitPreviewReady);
    QSignalSpy failed(&c, &EngineController::frameInitPreviewFailed);
    auto req = tinyRequest();
    req.params.seed = 11;
    const quint64 first = c.previewFrameInit(req);
    QVERIFY(ready.wait(60000));
    QCOMPARE(failed.count(), 0);
    QCOMPARE(ready.at(0).at(0).toULongLong(), first);
    const auto base = ready.at(0).at(1).value<FrameInitImages>();
    QCOMPARE(base.low.size(), req.params.frames);
    QCOMPARE(base.high.size(), req.params.frames);
    QCOMPARE(base.mixed.size(), req.params.frames);
    QCOMPARE(base.mask.size(), req.params.frames);
    qInfo("FrameInit preview update (tiny model, %dx%d, %d frames): %.1f ms", req.params.width, req.params.height,
          req.params.frames, ready.at(0).at(2).toDouble());

    // Three quick changes while the engine is busy with nothing: only the last one must matter.
    ready.clear();
    auto tau = req;
    tau.params.noise_level = 400;
    c.previewFrameInit(tau);
    auto d0 = req;
    d0.params.cutoff_spatial = 0.6;
    c.previewFrameInit(d0);
    const quint64 last = c.previewFrameInit(tau);
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() && ready.last().at(0).toULongLong() == last, 60000);
    QVERIFY(ready.count() <= 3);
    const auto lowTau = ready.last().at(1).value<FrameInitImages>();
    QVERIFY2(lowTau.low[3] != base.low[3], "the low band must change with tau");
    const int dc = static_cast<int>(base.mask.size()) / 2;  // the slice through the lowest temporal frequency
    QVERIFY(lowTau.mask[dc] == base.mask[dc]);  // the filter does not depend on tau

    ready.clear();
    c.previewFrameInit(d0);
    QVERIFY(ready.wait(60000));
    const auto wide = ready.last().at(1).value<FrameInitImages>();
    QVERIFY2(wide.mask[dc] != base.mask[dc], "the mask must change with D0 spatial");
    QVERIFY2(wide.mixed[3] != base.mixed[3], "the mixed noise must change with D0 spatial");

    // The generation's observer reports the same images for the same settings.
    QSignalSpy duringRun(&c, &EngineController::frameInitPreview);
    QSignalSpy finished(&c, &EngineController::finished);
    auto run = req;
    run.params.steps = 2;
    c.generate(run);
    QVERIFY(finished.wait(120000));
    QCOMPARE(duringRun.count(), 1);
    const auto fromRun = duringRun.at(0).at(0).value<FrameInitImages>();
    QCOMPARE(fromRun.low.size(), base.low.size());
    for (int i = 0; i < base.low.size(); ++i) {
      QVERIFY2(fromRun.low[i] == base.low[i], qPrintable(QStringLiteral("low band, frame %1").arg(i)));
      QVERIFY2(fromRun.high[i] == base.high[i], qPrintable(QStringLiteral("high band, frame %1").arg(i)));
      QVERIFY2(fromRun.mixed[i] == base.mixed[i], qPrintable(QStringLiteral("mixed, frame %1").arg(i)));
      QVERIFY(fromRun.mask[i] == base.mask[i]);
    }
  }

  // A running preview gives way: to a newer request (it is stale; stopped without a failure) and to a generation
  // (stopped, and run again after it, so its result still arrives). On the tiny model a preview may finish before
  // it is stopped: either way nothing is lost and nothing fails.
  void aRunningPreviewGivesWayAndIsNotLost() {
    EngineController c;
    QSignalSpy ready(&c, &EngineController::frameInitPreviewReady);
    QSignalSpy failed(&c, &EngineController::frameInitPreviewFailed);
    QSignalSpy finished(&c, &EngineController::finished);
    auto req = tinyRequest();
    req.params.camera_preset = "pan_right";  // every frame of the layout video to encode
    req.params.width = req.params.height = 512;  // the encode takes long enough to be stopped midway
    req.params.frames = 16;
    c.previewFrameInit(req);
    QTest::qWait(300);  // running by now (on this machine the encode takes about a second)
    auto newer = req;
    newer.params.noise_level = 500;
    const quint64 last = c.previewFrameInit(newer);
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() && ready.last().at(0).toULongLong() == last, 60000);
    QCOMPARE(failed.count(), 0);

    ready.clear();
    auto other = req;
    other.params.seed = 3;
    const quint64 id = c.previewFrameInit(other);
    auto run = tinyRequest(7);
    run.params.steps = 2;
    c.generate(run);
    QVERIFY(finished.wait(120000));
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() && ready.last().at(0).toULongLong() == id, 60000);
    QCOMPARE(failed.count(), 0);
  }

  // The queue: generations run one after another in order; cancel stops only the running one; a queued one
  // can be dropped; cancelAll empties the queue.
  void queueRunsInOrderAndCancelsOneOrAll() {
    EngineController c;
    QSignalSpy started(&c, &EngineController::started);
    QSignalSpy finished(&c, &EngineController::finished);
    QSignalSpy cancelled(&c, &EngineController::cancelled);
    QSignalSpy queue(&c, &EngineController::queueChanged);
    for (quint64 id = 11; id <= 14; ++id) {
      auto r = tinyRequest(id);
      r.params.seed = static_cast<int64_t>(id);
      r.params.steps = 2;
      c.generate(r);
    }
    QCOMPARE(c.runningId(), quint64(11));
    QCOMPARE(c.queuedIds(), (QList<quint64>{12, 13, 14}));
    QVERIFY(c.isBusy());
    QVERIFY(c.removeQueued(13));  // dropped before it ran
    QVERIFY(!c.removeQueued(99));
    QCOMPARE(c.queuedIds(), (QList<quint64>{12, 14}));
    QCOMPARE(cancelled.count(), 1);
    QCOMPARE(cancelled.at(0).at(0).toULongLong(), quint64(13));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 120000);
    QTRY_VERIFY(!c.isBusy());
    QList<quint64> order;
    for (const auto& f : finished) order << f.at(0).value<ResultClip>().id;
    QCOMPARE(order, (QList<quint64>{11, 12, 14}));
    QCOMPARE(finished.at(2).at(0).value<ResultClip>().seed, qint64(14));
    QCOMPARE(started.count(), 3);
    QVERIFY(queue.count() >= 4);

    // Cancel the running one: the next still runs.
    finished.clear();
    cancelled.clear();
    auto slow = tinyRequest(21);
    slow.params.steps = 40;
    c.generate(slow);
    c.generate(tinyRequest(22));
    QTRY_VERIFY_WITH_TIMEOUT(started.count() == 4, 30000);
    c.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    QCOMPARE(cancelled.count(), 1);
    QCOMPARE(cancelled.at(0).at(0).toULongLong(), quint64(21));
    QCOMPARE(finished.at(0).at(0).value<ResultClip>().id, quint64(22));

    // Cancel all: the running one and the queue.
    finished.clear();
    cancelled.clear();
    slow.id = 31;
    c.generate(slow);
    c.generate(tinyRequest(32));
    c.generate(tinyRequest(33));
    c.cancelAll();
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 3, 60000);
    QTRY_VERIFY(!c.isBusy());
    QCOMPARE(finished.count(), 0);
    QVERIFY(c.queuedIds().isEmpty());
  }

  void frameInitPreviewErrorsAreReported() {
    EngineController c;
    QSignalSpy failed(&c, &EngineController::frameInitPreviewFailed);
    auto req = tinyRequest();
    req.firstFrame = std::make_shared<const ci2v::RgbImage>();
    const quint64 id = c.previewFrameInit(req);
    QVERIFY(failed.wait(60000));
    QCOMPARE(failed.at(0).at(0).toULongLong(), id);
    QVERIFY2(failed.at(0).at(1).toString().contains(QLatin1String("first frame")),
             qPrintable(failed.at(0).at(1).toString()));
  }

  void loadsTheModelOnTheEngineThread() {
    EngineController c;
    QVERIFY(c.worker()->thread() != QThread::currentThread());
    QSignalSpy loading(&c, &EngineController::modelLoading);
    QSignalSpy loaded(&c, &EngineController::modelLoaded);
    QSignalSpy failed(&c, &EngineController::modelFailed);
    c.loadModel(testing::tinyModel(), QStringLiteral("cpu"), QStringLiteral("fp32"));
    QVERIFY(loaded.wait(60000));
    QCOMPARE(loading.count(), 1);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(loaded.at(0).at(1).toString(), QStringLiteral("cpu"));
    QCOMPARE(loaded.at(0).at(2).toString(), QStringLiteral("fp32"));
    QVERIFY(loaded.at(0).at(3).toDouble() >= 0);
    // asked again for the model it holds (picked again after another project): ready at once, not loaded again,
    // and said so (the model line would wait on "loading" otherwise)
    c.loadModel(testing::tinyModel(), QStringLiteral("cpu"), QStringLiteral("fp32"));
    QVERIFY(loaded.wait(10000));
    QCOMPARE(loaded.count(), 2);
    QCOMPARE(loading.count(), 1);
    QCOMPARE(loaded.at(1).at(0).toString(), testing::tinyModel());
    QVERIFY(loaded.at(1).at(3).toDouble() < 0);  // held already, nothing read: no load time (seconds < 0)
  }

  // A load that no generation waits for stops when another model is asked for, and a queued load of a model
  // no longer wanted does not start: the newest request wins (the released UNet is 5 GB to read).
  void aStaleModelLoadStopsForTheNewestRequest() {
    LoadGate gate;
    EngineController c;
    gate.install(c);
    QSignalSpy loading(&c, &EngineController::modelLoading);
    QSignalSpy stopped(&c, &EngineController::modelLoadStopped);
    QSignalSpy progress(&c, &EngineController::modelLoadProgress);
    QSignalSpy loaded(&c, &EngineController::modelLoaded);
    QSignalSpy failed(&c, &EngineController::modelFailed);
    const QString tiny = testing::tinyModel();
    c.loadModel(tiny, QStringLiteral("cpu"), QStringLiteral("fp32"));
    QVERIFY(gate.waitHeld());  // running, held at its first check
    c.loadModel(tiny, QStringLiteral("cpu"), QStringLiteral("bf16"));  // stops it
    c.loadModel(tiny, QStringLiteral("cpu"), QStringLiteral("fp32"));  // wanted in the end: bf16 never starts
    gate.proceed.release();
    QVERIFY(loaded.wait(60000));
    QTest::qWait(200);  // nothing else follows
    QCOMPARE(stopped.count(), 2);  // the running fp32 load, and the bf16 one that did not start (the UI said "loading")
    QCOMPARE(loading.count(), 2);
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(loaded.at(0).at(2).toString(), QStringLiteral("fp32"));
    QCOMPARE(failed.count(), 0);
    // the finished load's progress, in order, up to 100 %
    QVERIFY(progress.count() >= 2);
    QCOMPARE(progress.last().at(1).toInt(), 100);
    int from = progress.count() - 1;
    while (from > 0 && progress.at(from - 1).at(1).toInt() < progress.at(from).at(1).toInt()) --from;
    QCOMPARE(progress.at(from).at(1).toInt(), 0);  // the second load counts from 0 to 100, rising
  }

  // The model load of a generation goes on when another model is asked for (the run needs it); Esc stops it
  // before its next tensor, the run is cancelled, not failed, and the next run loads the model.
  void cancelStopsTheModelLoadOfARun() {
    LoadGate gate;
    EngineController c;
    gate.install(c);
    QSignalSpy cancelled(&c, &EngineController::cancelled);
    QSignalSpy failed(&c, &EngineController::failed);
    QSignalSpy finished(&c, &EngineController::finished);
    QSignalSpy stopped(&c, &EngineController::modelLoadStopped);
    QSignalSpy loaded(&c, &EngineController::modelLoaded);
    auto run = tinyRequest(31);
    run.params.steps = 2;
    c.generate(run);
    QVERIFY(gate.waitHeld());
    c.loadModel(testing::tinyModel(), QStringLiteral("cpu"), QStringLiteral("bf16"));
    gate.proceed.release();
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.at(0).at(0).value<ResultClip>().id, quint64(31));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 60000);  // then the bf16 model
    QCOMPARE(stopped.count(), 0);

    gate.hold = true;
    run.id = 32;
    c.generate(run);  // fp32 again: a load
    QVERIFY(gate.waitHeld());
    const int atCancel = gate.calls.load();
    c.cancel();
    gate.proceed.release();
    QVERIFY(cancelled.wait(30000));
    QCOMPARE(cancelled.at(0).at(0).value<quint64>(), quint64(32));
    QCOMPARE(gate.calls.load(), atCancel);  // nothing read after the cancel
    QCOMPARE(stopped.count(), 1);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(loaded.count(), 2);
    QTRY_VERIFY(!c.isBusy());

    run.id = 33;
    c.generate(run);
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.last().at(0).value<ResultClip>().id, quint64(33));
  }

  // A load that a queued generation needs goes on when another model is asked for; Esc on that generation stops
  // the load it waits behind (started by a model choice or a preview).
  void aLoadThatAQueuedRunNeedsGoesOnAndEscStopsIt() {
    LoadGate gate;
    EngineController c;
    gate.install(c);
    QSignalSpy cancelled(&c, &EngineController::cancelled);
    QSignalSpy finished(&c, &EngineController::finished);
    QSignalSpy stopped(&c, &EngineController::modelLoadStopped);
    QSignalSpy loaded(&c, &EngineController::modelLoaded);
    const QString tiny = testing::tinyModel();
    auto run = tinyRequest(41);
    run.params.steps = 2;
    c.loadModel(tiny, QStringLiteral("cpu"), QStringLiteral("fp32"));
    QVERIFY(gate.waitHeld());
    c.generate(run);                                             // needs the fp32 model being loaded
    c.loadModel(tiny, QStringLiteral("cpu"), QStringLiteral("bf16"));  // does not stop that load
    gate.proceed.release();
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.at(0).at(0).value<ResultClip>().id, quint64(41));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 60000);  // fp32 once (the run used it), then bf16
    QCOMPARE(loaded.at(0).at(2).toString(), QStringLiteral("fp32"));
    QCOMPARE(loaded.at(1).at(2).toString(), QStringLiteral("bf16"));
    QCOMPARE(stopped.count(), 0);

    gate.hold = true;
    c.loadModel(tiny, QStringLiteral("cpu"), QStringLiteral("fp32"));
    QVERIFY(gate.waitHeld());
    run.id = 42;
    c.generate(run);
    const int atCancel = gate.calls.load();
    c.cancel();  // the generation waits behind the fp32 load: that load stops too
    gate.proceed.release();
    QVERIFY(cancelled.wait(30000));
    QCOMPARE(cancelled.at(0).at(0).value<quint64>(), quint64(42));
    QCOMPARE(gate.calls.load(), atCancel);
    QCOMPARE(stopped.count(), 1);
    QCOMPARE(loaded.count(), 2);
    QCOMPARE(finished.count(), 1);
  }

  // Another model asked for while a queue runs with its own: that load waits for the queue (Deferred) instead of
  // loading between two runs, each run then loading its model again; asked again afterwards, it loads.
  void aModelPickedDuringAQueueWaitsForIt() {
    LoadGate gate;
    EngineController c;
    gate.install(c);
    QSignalSpy finished(&c, &EngineController::finished);
    QSignalSpy loading(&c, &EngineController::modelLoading);
    QSignalSpy loaded(&c, &EngineController::modelLoaded);
    QSignalSpy deferred(&c, &EngineController::modelLoadDeferred);
    const QString tiny = testing::tinyModel();
    auto run = tinyRequest(51);
    run.params.steps = 2;
    c.generate(run);
    run.id = 52;
    c.generate(run);
    QVERIFY(gate.waitHeld());  // run 51 loads fp32
    c.loadModel(tiny, QStringLiteral("cpu"), QStringLiteral("bf16"));  // picked meanwhile
    gate.proceed.release();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 120000);
    QTRY_VERIFY(!c.isBusy());
    QTest::qWait(100);
    QCOMPARE(deferred.count(), 1);
    QCOMPARE(loading.count(), 1);  // fp32 once for both runs, nothing in between
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(loaded.at(0).at(2).toString(), QStringLiteral("fp32"));
    // the queue is done: asked again (the window does so), it loads
    c.loadModel(tiny, QStringLiteral("cpu"), QStringLiteral("bf16"));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 60000);
    QCOMPARE(loaded.at(1).at(2).toString(), QStringLiteral("bf16"));
  }

  // Once the studio is closing, a FrameInit preview (one that gave way to a generation and waits behind it, say)
  // does not run: nobody would see it, and the engine thread's end would wait for it.
  void noPreviewRunsOnceClosing() {
    EngineController c;
    QSignalSpy loaded(&c, &EngineController::modelLoaded);
    QSignalSpy ready(&c, &EngineController::frameInitPreviewReady);
    QSignalSpy failed(&c, &EngineController::frameInitPreviewFailed);
    c.loadModel(testing::tinyModel(), QStringLiteral("cpu"), QStringLiteral("fp32"));
    QVERIFY(loaded.wait(60000));
    c.previewFrameInit(tinyRequest());
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 60000);  // (it works)
    c.worker()->close();
    c.previewFrameInit(tinyRequest());
    QTest::qWait(500);
    QCOMPARE(ready.count(), 1);
    QCOMPARE(failed.count(), 0);
  }

  // Closing the studio during a model load does not wait for the load (here a slow disk: 100 ms a tensor).
  void closingDuringAModelLoadDoesNotWaitForIt() {
    QSemaphore inLoad;
    std::atomic<int> calls{0};
    QElapsedTimer closing;
    {
      EngineController c;
      c.worker()->setLoadHook([&] {
        if (calls++ == 0) inLoad.release();
        QThread::msleep(100);
      });
      c.loadModel(testing::tinyModel(), QStringLiteral("cpu"), QStringLiteral("fp32"));
      QVERIFY(inLoad.tryAcquire(1, 30000));
      closing.start();
    }
    // the tiny model has over 50 tensors: 5 s and more had the load gone on
    QVERIFY2(calls.load() <= 3, qPrintable(QString::number(calls.load())));
    QVERIFY2(closing.elapsed() < 3000, qPrintable(QString::number(closing.elapsed())));
  }

  void brokenModelFolderIsReported() {
    EngineController c;
    QSignalSpy failed(&c, &EngineController::modelFailed);
    c.loadModel(QStringLiteral(CONSISTI2V_TEST_DATA), QStringLiteral("cpu"), QStringLiteral("bf16"));
    QVERIFY(failed.wait(30000));
    QVERIFY2(failed.at(0).at(1).toString().contains(QLatin1String("model_index.json")),
             qPrintable(failed.at(0).at(1).toString()));
    // the failed load's precision (the advice for a load out of memory depends on it, not on the document's)
    QCOMPARE(failed.at(0).at(2).toString(), QStringLiteral("bf16"));
    // A generation with it fails with the same message (and the controller is idle again).
    QSignalSpy genFailed(&c, &EngineController::failed);
    auto r = tinyRequest();
    r.modelDir = QStringLiteral(CONSISTI2V_TEST_DATA);
    c.generate(r);
    QVERIFY(c.isBusy());
    QVERIFY(genFailed.wait(30000));
    QVERIFY(genFailed.at(0).at(1).toString().contains(QLatin1String("model_index.json")));
    QTRY_VERIFY(!c.isBusy());
  }

  void generatesWithProgressPreviewsAndResult() {
    EngineController c;
    EngineController* w = &c;
    QSignalSpy started(w, &EngineController::started);
    QSignalSpy stages(w, &EngineController::stageChanged);
    QSignalSpy progress(w, &EngineController::progress);
    QSignalSpy previews(w, &EngineController::stepPreview);
    QSignalSpy frameinit(w, &EngineController::frameInitPreview);
    QSignalSpy finished(w, &EngineController::finished);
    QSignalSpy failed(w, &EngineController::failed);
    QSignalSpy busy(&c, &EngineController::busyChanged);

    // The UI thread's event loop during the run: a 10 ms timer, largest gap between ticks.
    LatencyMonitor latency(nullptr, 10);
    latency.start();
    auto req = tinyRequest(5);
    req.params.noise_level = 640;  // must arrive in the engine untouched
    c.generate(req);
    QVERIFY(finished.wait(120000));
    latency.stop();
    QCOMPARE(failed.count(), 0);
    qInfo("event-loop latency during a generation (worker only): max gap %.1f ms, mean %.1f ms over %d ticks",
          latency.maxGapMs(), latency.meanGapMs(), latency.ticks());
    QVERIFY(latency.ticks() > 10);
    QVERIFY2(latency.maxGapMs() < 250, "the UI thread was blocked during the generation");

    QCOMPARE(started.count(), 1);
    QCOMPARE(started.at(0).at(0).value<quint64>(), quint64(5));
    QVERIFY(stages.count() >= 4);
    QCOMPARE(progress.count(), 3);  // one per step
    for (int i = 0; i < progress.count(); ++i) {
      QCOMPARE(progress.at(i).at(0).toInt(), i + 1);
      QCOMPARE(progress.at(i).at(1).toInt(), 3);
      QVERIFY(progress.at(i).at(3).toDouble() >= 0);  // ETA
    }
    QCOMPARE(previews.count(), 3);
    const auto frames = previews.at(2).at(2).value<QVector<QImage>>();
    QCOMPARE(frames.size(), 6);
    QVERIFY(!frames[0].isNull());
    QCOMPARE(frameinit.count(), 1);
    QVERIFY(!frameinit.at(0).at(0).value<FrameInitImages>().empty());

    const auto clip = finished.at(0).at(0).value<ResultClip>();
    QCOMPARE(clip.id, quint64(5));
    QCOMPARE(clip.frames.size(), 6);
    QCOMPARE(clip.frames[0].size(), QSize(64, 64));
    QCOMPARE(clip.seed, qint64(7));
    QCOMPARE(clip.params.noise_level, 640);
    QVERIFY(clip.seconds > 0);
#ifdef CONSISTI2V_HAVE_MEDIA
    QVERIFY2(clip.previewError.isEmpty(), qPrintable(clip.previewError));
    QVERIFY(QFileInfo(clip.previewVideo).size() > 0);
    QVERIFY(clip.previewVideo.startsWith(c.previewDir()));
    const auto v = ci2v::media::decode_video(clip.previewVideo.toStdString());
    QCOMPARE(clip.previewRepeats, 27);  // about 20 s of 0.75 s clips for the player
    QCOMPARE(int(v.frames.size()), 6 * 27);
    QCOMPARE(v.width, 64);
#endif
    QTRY_VERIFY(!c.isBusy());
    QCOMPARE(busy.count(), 2);  // true, then false

    // Same seed, same settings -> the same clip (the model is reused).
    QSignalSpy loading(w, &EngineController::modelLoading);
    finished.clear();
    c.generate(tinyRequest(6));
    QVERIFY(finished.wait(120000));
    QCOMPARE(loading.count(), 0);
    const auto again = finished.at(0).at(0).value<ResultClip>();
    auto same = tinyRequest(7);
    finished.clear();
    c.generate(same);
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.at(0).at(0).value<ResultClip>().frames[3], again.frames[3]);
  }

  void randomSeedIsReported() {
    EngineController c;
    QSignalSpy finished(&c, &EngineController::finished);
    auto r = tinyRequest();
    r.params.seed = -1;
    r.previewDir = QStringLiteral("");
    c.generate(r);
    QVERIFY(finished.wait(120000));
    const auto clip = finished.at(0).at(0).value<ResultClip>();
    QVERIFY(clip.seed >= 0);
    QCOMPARE(clip.params.seed, int64_t(clip.seed));
  }

  void invalidParametersFailWithTheirName() {
    EngineController c;
    QSignalSpy failed(&c, &EngineController::failed);
    QSignalSpy finished(&c, &EngineController::finished);
    auto r = tinyRequest();
    r.params.width = 100;  // not a multiple of 8
    c.generate(r);
    QVERIFY(failed.wait(60000));
    QVERIFY2(failed.at(0).at(1).toString().contains(QLatin1String("width")), qPrintable(failed.at(0).at(1).toString()));
    QCOMPARE(finished.count(), 0);
  }

  void cancelStopsTheRun() {
    EngineController c;
    EngineController* w = &c;
    QSignalSpy progress(w, &EngineController::progress);
    QSignalSpy cancelled(w, &EngineController::cancelled);
    QSignalSpy finished(w, &EngineController::finished);
    QSignalSpy failed(w, &EngineController::failed);
    auto r = tinyRequest(11);
    r.params.steps = 400;  // long enough to be cancelled midway
    const auto conn = connect(w, &EngineController::progress, &c, [&c](int i) {
      if (i == 2) c.cancel();
    });
    c.generate(r);
    QVERIFY(cancelled.wait(120000));
    QCOMPARE(cancelled.at(0).at(0).value<quint64>(), quint64(11));
    QCOMPARE(finished.count(), 0);
    QCOMPARE(failed.count(), 0);
    QVERIFY(progress.count() < 50);
    QTRY_VERIFY(!c.isBusy());

    // The engine stays usable after a cancel.
    disconnect(conn);
    c.generate(tinyRequest(12));
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.at(0).at(0).value<ResultClip>().frames.size(), 6);
  }

  void cancelBeforeStartIsNotLost() {
    EngineController c;
    QSignalSpy cancelled(&c, &EngineController::cancelled);
    QSignalSpy finished(&c, &EngineController::finished);
    c.generate(tinyRequest(21));
    c.cancel();  // before the engine thread picked it up, or right after
    QVERIFY(cancelled.wait(120000));
    QCOMPARE(finished.count(), 0);
  }

  void destroyingTheControllerDuringARunIsSafe() {
    QSignalSpy* progress = nullptr;
    {
      EngineController c;
      progress = new QSignalSpy(&c, &EngineController::progress);
      auto r = tinyRequest();
      r.params.steps = 400;
      c.generate(r);
      QVERIFY(progress->wait(120000));
    }  // cancels and joins the thread
    delete progress;
  }
};

CI2V_GUI_TEST_MAIN(TestWorker)
#include "tst_worker.moc"
