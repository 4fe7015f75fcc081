// The engine worker on its thread with the tiny fixture model: model loading (and its failure), progress,
// FrameInit and per-step previews, the result (with its temporary MP4), errors, cancel — and that the UI
// thread's event loop keeps ticking during a run.
#include <QSignalSpy>
#include <QThread>

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
  r.firstFrame = toRgbImage(QImage(testing::firstFramePng()));
  return r;
}
}  // namespace

class TestWorker : public QObject {
  Q_OBJECT
private Q_SLOTS:
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
  }

  void brokenModelFolderIsReported() {
    EngineController c;
    QSignalSpy failed(&c, &EngineController::modelFailed);
    c.loadModel(QStringLiteral(CONSISTI2V_TEST_DATA), QStringLiteral("cpu"), QStringLiteral("fp32"));
    QVERIFY(failed.wait(30000));
    QVERIFY2(failed.at(0).at(1).toString().contains(QLatin1String("model_index.json")),
             qPrintable(failed.at(0).at(1).toString()));
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
    QVERIFY(!frameinit.at(0).at(0).value<QImage>().isNull());

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
