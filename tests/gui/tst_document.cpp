// The document model: parameters and their signals, prompts and histories, the first frame and the region the
// model sees, the request for the engine, results, settings round trip, user-facing error texts.
#include <QSignalSpy>
#include <QTemporaryDir>

#include "app/document.h"
#include "app/model_probe.h"
#include "app/settings.h"
#include "app/studio_types.h"
#include "app/user_errors.h"
#include "gui_test_util.h"
#ifdef CONSISTI2V_HAVE_MEDIA
#include "engine/media/image.h"
#endif

using namespace studio;

class TestDocument : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void defaultsAreTheReference() {
    Document d;
    const ci2v::GenerationParams ref;
    QCOMPARE(d.params().to_json(), ref.to_json());
    QCOMPARE(d.params().noise_level, 850);
    QCOMPARE(d.params().cutoff_spatial, 0.25);
    QCOMPARE(d.params().steps, 50);
    QCOMPARE(d.modelState(), Document::ModelState::None);
    QVERIFY(!d.hasFirstFrame());
    QCOMPARE(d.currentResultIndex(), -1);
  }

  void setParamsSignalsOnlyOnChange() {
    Document d;
    QSignalSpy spy(&d, &Document::paramsChanged);
    auto p = d.params();
    d.setParams(p);
    QCOMPARE(spy.count(), 0);
    p.noise_level = 700;
    d.setParams(p);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(d.params().noise_level, 700);
    d.setPrompt(QStringLiteral("waves"));
    QCOMPARE(spy.count(), 2);
    QCOMPARE(d.params().prompt, std::string("waves"));
    d.setPrompt(QStringLiteral("waves"));
    QCOMPARE(spy.count(), 2);
    d.setNegativePrompt(QStringLiteral("blurry"));
    QCOMPARE(d.params().negative_prompt, std::string("blurry"));
    d.setSeed(1234);
    QCOMPARE(d.params().seed, int64_t{1234});
    d.setSeed(-5);
    QCOMPARE(d.params().seed, int64_t{-1});
  }

  void resetKeepsPromptsAndHardware() {
    Document d;
    auto p = d.params();
    p.prompt = "a cat";
    p.noise_level = 600;
    p.steps = 12;
    p.device = "cpu";
    p.dtype = "bf16";
    d.setParams(p);
    d.resetParams();
    QCOMPARE(d.params().prompt, std::string("a cat"));
    QCOMPARE(d.params().noise_level, 850);
    QCOMPARE(d.params().steps, 50);
    QCOMPARE(d.params().device, std::string("cpu"));
    QCOMPARE(d.params().dtype, std::string("bf16"));
  }

  void paramsJsonRoundTripAndErrors() {
    Document a;
    auto p = a.params();
    p.prompt = "fireworks";
    p.cutoff_temporal = 0.4;
    p.filter = ci2v::FilterType::Butterworth;
    p.sampler = ci2v::SamplerType::DpmSolverPP;
    a.setParams(p);
    Document b;
    QSignalSpy spy(&b, &Document::paramsChanged);
    QVERIFY(b.setParamsJson(a.paramsJson()));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(b.params().to_json(), a.params().to_json());
    QString error;
    QVERIFY(!b.setParamsJson(QStringLiteral("{\"filter\": \"sharp\"}"), &error));
    QVERIFY2(error.contains(QLatin1String("filter")) && error.contains(QLatin1String("gaussian")), qPrintable(error));
    QVERIFY(!b.setParamsJson(QStringLiteral("not json"), &error));
    QVERIFY(!error.isEmpty());
  }

  void historiesAreNewestFirstWithoutDuplicates() {
    Document d;
    QSignalSpy spy(&d, &Document::historiesChanged);
    for (const char* s : {"one", "two", "one", "  "}) {
      d.setPrompt(QString::fromLatin1(s));
      d.rememberPrompts();
    }
    QCOMPARE(d.promptHistory(), (QStringList{QStringLiteral("one"), QStringLiteral("two")}));
    QVERIFY(spy.count() >= 2);
    for (int i = 0; i < 40; ++i) {
      d.setPrompt(QStringLiteral("p%1").arg(i));
      d.rememberPrompts();
    }
    QCOMPARE(d.promptHistory().size(), Document::kHistoryMax);
    QCOMPARE(d.promptHistory().first(), QStringLiteral("p39"));
    QVERIFY(d.negativeHistory().isEmpty());
  }

  void loadsFirstFrameFromFile() {
    Document d;
    QSignalSpy spy(&d, &Document::firstFrameChanged);
    QString error;
    QVERIFY2(d.loadFirstFrame(testing::firstFramePng(), &error), qPrintable(error));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(d.firstFrame().size(), QSize(96, 64));
    QCOMPARE(d.firstFrame().format(), QImage::Format_RGB888);
    QVERIFY(d.firstFrameSource().endsWith(QLatin1String("first_frame.png")));
#ifdef CONSISTI2V_HAVE_MEDIA
    // The engine's decoder (as the reference: the PNG's gAMA chunk is ignored, unlike Qt's reader), pixel
    // for pixel through the QImage conversion.
    const auto ref = ci2v::media::load_image(testing::firstFramePng().toStdString());
    QCOMPARE(toRgbImage(d.firstFrame()).rgb, ref.rgb);
#endif
  }

  void firstFrameErrorsNameTheFile() {
    Document d;
    QString error;
    QVERIFY(!d.loadFirstFrame(QStringLiteral("/nonexistent/picture.png"), &error));
    QVERIFY2(error.contains(QLatin1String("/nonexistent/picture.png")), qPrintable(error));
    QTemporaryDir tmp;
    const QString junk = tmp.filePath(QStringLiteral("junk.png"));
    QFile f(junk);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not a picture");
    f.close();
    QVERIFY(!d.loadFirstFrame(junk, &error));
    QVERIFY2(error.contains(QLatin1String("junk.png")), qPrintable(error));
    QVERIFY(!d.hasFirstFrame());
  }

  void cropRectIsWhatTheModelSees() {
    // 96 x 64 at 64 x 64, centre crop: resized to 96 x 64 (shorter side 64), crop columns 16..80.
    QCOMPARE(Document::cropRectFor(QSize(96, 64), 64, 64, true), QRectF(16, 0, 64, 64));
    // 512 x 384 at 256 x 256: resized to 341 x 256, left = round(42.5) = 42 (half to even) -> 42 * 512/341.
    const QRectF r = Document::cropRectFor(QSize(512, 384), 256, 256, true);
    QVERIFY(qAbs(r.left() - 42.0 * 512 / 341) < 1e-9);
    QCOMPARE(r.top(), 0.0);
    QVERIFY(qAbs(r.width() - 256.0 * 512 / 341) < 1e-9);
    QCOMPARE(r.height(), 384.0);
    // A wide target on a square picture: the picture is enlarged to cover it (no grey bars).
    const QRectF w = Document::cropRectFor(QSize(100, 100), 128, 64, true);
    QVERIFY(w.left() >= 0 && w.right() <= 100.0 + 1e-9);
    QVERIFY(qAbs(w.width() / w.height() - 2.0) < 0.05);
    // Fit inside (pad): the whole picture is inside the region, which reaches beyond it at the top and bottom.
    const QRectF pad = Document::cropRectFor(QSize(96, 64), 64, 64, false);
    QCOMPARE(pad.left(), 0.0);
    QCOMPARE(pad.width(), 96.0);
    QVERIFY(pad.top() < 0 && pad.bottom() > 64);

    Document d;
    QVERIFY(d.cropRect().isNull());
    QString error;
    QVERIFY(d.loadFirstFrame(testing::firstFramePng(), &error));
    d.setParams(testing::tinyParams());
    QCOMPARE(d.cropRect(), QRectF(16, 0, 64, 64));
  }

  void requestNeedsFrameModelAndValidParams() {
    Document d;
    GenerationRequest r;
    QString error;
    QVERIFY(!d.makeRequest(&r, &error));
    QVERIFY2(error.contains(QLatin1String("first frame")), qPrintable(error));
    d.setFirstFrame(QImage(testing::firstFramePng()), QStringLiteral("test"));
    QVERIFY(!d.makeRequest(&r, &error));
    QVERIFY2(error.contains(QLatin1String("model")), qPrintable(error));
    d.setModelPath(testing::tinyModel());
    auto p = testing::tinyParams();
    p.frames = 1;
    d.setParams(p);
    QVERIFY(!d.makeRequest(&r, &error));
    QVERIFY2(error.contains(QLatin1String("frames")) && error.contains(QLatin1String("out of range")), qPrintable(error));
    p.frames = 6;
    p.noise_level = 640;
    d.setParams(p);
    QVERIFY2(d.makeRequest(&r, &error), qPrintable(error));
    QCOMPARE(r.params.noise_level, 640);
    QCOMPARE(r.modelDir, testing::tinyModel());
    QVERIFY(r.firstFrame);
    QCOMPARE(r.firstFrame->width, 96);
    QCOMPARE(r.firstFrame->height, 64);
    QCOMPARE(r.firstFrame->rgb.size(), size_t(96 * 64 * 3));
    // one conversion per picture, shared by every request (a batch held a copy per run)
    GenerationRequest again;
    QVERIFY(d.makeRequest(&again, &error));
    QCOMPARE(again.firstFrame.get(), r.firstFrame.get());
    QImage other(32, 16, QImage::Format_RGB888);
    other.fill(Qt::blue);
    d.setFirstFrame(other, QStringLiteral("other"));
    QVERIFY(d.makeRequest(&again, &error));
    QCOMPARE(again.firstFrame->width, 32);
    QCOMPARE(r.firstFrame->width, 96);  // the earlier request keeps its own picture
    GenerationRequest r2;
    QVERIFY(d.makeRequest(&r2, &error));
    QVERIFY(r2.id != r.id);
  }

  void imageConversionsRoundTrip() {
    QImage im(5, 3, QImage::Format_RGB888);  // odd width: rows are padded in QImage
    for (int y = 0; y < 3; ++y)
      for (int x = 0; x < 5; ++x) im.setPixelColor(x, y, QColor(x * 40, y * 80, 200 - x * 10));
    const ci2v::RgbImage rgb = toRgbImage(im);
    QCOMPARE(rgb.width, 5);
    QCOMPARE(rgb.rgb.size(), size_t(5 * 3 * 3));
    QCOMPARE(int(rgb.rgb[(2 * 5 + 4) * 3 + 0]), 160);
    QCOMPARE(int(rgb.rgb[(2 * 5 + 4) * 3 + 1]), 160);
    QCOMPARE(toQImage(rgb), im);
    // Transparent pixels become white.
    QImage a(2, 1, QImage::Format_ARGB32);
    a.setPixelColor(0, 0, QColor(0, 0, 0, 0));
    a.setPixelColor(1, 0, QColor(10, 20, 30, 255));
    const ci2v::RgbImage b = toRgbImage(a);
    QCOMPARE(int(b.rgb[0]), 255);
    QCOMPARE(int(b.rgb[3]), 10);
    QVERIFY(toQImage(ci2v::RgbImage{}).isNull());
  }

  void resultsBecomeCurrent() {
    Document d;
    QSignalSpy added(&d, &Document::resultAdded);
    QSignalSpy current(&d, &Document::currentResultChanged);
    ResultClip c;
    c.seed = 42;
    c.frames = {QImage(8, 8, QImage::Format_RGB888)};
    QCOMPARE(d.addResult(c), 0);
    c.seed = 43;
    QCOMPARE(d.addResult(c), 1);
    QCOMPARE(added.count(), 2);
    QCOMPARE(current.count(), 2);
    QCOMPARE(d.currentResult()->seed, qint64(43));
    d.setCurrentResult(0);
    QCOMPARE(d.currentResult()->seed, qint64(42));
    d.setCurrentResult(7);  // out of range: ignored
    QCOMPARE(d.currentResultIndex(), 0);
  }

  void settingsRoundTrip() {
    QTemporaryDir tmp;
    const QString ini = tmp.filePath(QStringLiteral("studio.ini"));
    {
      Document d;
      auto p = d.params();
      p.noise_level = 777;
      p.device = "cpu";
      p.dtype = "fp16";
      p.prompt = "clouds drift";
      d.setParams(p);
      d.rememberPrompts();
      d.setModelPath(testing::tinyModel());
      StudioSettings s(ini);
      s.save(d);
      s.setOutputFolder(tmp.path());
      ExportSettings e;
      e.format = ExportSettings::Format::Gif;
      e.fps = 12;
      e.pingpong = true;
      s.saveExportSettings(e);
      s.sync();
    }
    StudioSettings s(ini);
    Document d;
    s.load(d);
    QCOMPARE(d.params().noise_level, 777);
    QCOMPARE(d.params().device, std::string("cpu"));
    QCOMPARE(d.params().dtype, std::string("fp16"));
    QCOMPARE(d.params().prompt, std::string("clouds drift"));
    QCOMPARE(d.promptHistory(), QStringList{QStringLiteral("clouds drift")});
    QCOMPARE(d.modelPath(), testing::tinyModel());
    QCOMPARE(s.outputFolder(), tmp.path());
    QCOMPARE(s.exportSettings().format, ExportSettings::Format::Gif);
    QCOMPARE(s.exportSettings().fps, 12.0);
    QVERIFY(s.exportSettings().pingpong);

    // Broken stored parameters fall back to the reference instead of failing.
    s.raw().setValue(QStringLiteral("generation/last_params"), QStringLiteral("{\"frames\": 1}"));
    Document d2;
    s.load(d2);
    QCOMPARE(d2.params().frames, 16);
  }

  void modelProbe() {
    const ModelProbe ok = probeModelFolder(testing::tinyModel());
    QVERIFY2(ok.ok, qPrintable(ok.error));
    QVERIFY(ok.summary.contains(QLatin1String("components")));
    const ModelProbe missing = probeModelFolder(QStringLiteral("/nonexistent/model"));
    QVERIFY(!missing.ok);
    QVERIFY(missing.error.contains(QLatin1String("does not exist")));
    const ModelProbe wrong = probeModelFolder(QStringLiteral(CONSISTI2V_TEST_DATA));
    QVERIFY(!wrong.ok);
    QVERIFY2(wrong.error.contains(QLatin1String("model_index.json")), qPrintable(wrong.error));
    QVERIFY(!huggingFaceCacheDir().isEmpty());
  }

  void errorTextsSaySomethingUseful() {
    auto p = testing::tinyParams();
    p.device = "cuda";
    p.width = p.height = 1024;
    const UserMessage oom = generationErrorMessage(
        QStringLiteral("CUDA out of memory. Tried to allocate 2.00 GiB"), p);
    QVERIFY(isOutOfMemory(QStringLiteral("CUDA out of memory. Tried to allocate 2.00 GiB")));
    QVERIFY(oom.text.contains(QLatin1String("smaller size")));
    QVERIFY(oom.text.contains(QLatin1String("fp16")));
    QVERIFY(oom.text.contains(QLatin1String("1024")));
    QVERIFY(oom.details.contains(QLatin1String("Tried to allocate")));
    QVERIFY(isOutOfMemory(QStringLiteral("DefaultCPUAllocator: not enough memory: you tried to allocate 1 bytes")));
    QVERIFY(!isOutOfMemory(QStringLiteral("parameter 'frames' = 1 is out of range")));
    const UserMessage range = generationErrorMessage(QStringLiteral("parameter 'frames' = 1 is out of range: expected at least 2"), p);
    QVERIFY(range.title.contains(QLatin1String("out of range")));
    const UserMessage model = modelErrorMessage(QStringLiteral("/x"), QStringLiteral("/x: not a model folder: no model_index.json"));
    QVERIFY(model.text.contains(QLatin1String("model_index.json")));
    // out of memory while loading: fp16 is the advice at fp32, not when it is half precision already
    const QString oomLoad = QStringLiteral("CUDA out of memory. Tried to allocate 3.00 GiB");
    QVERIFY(modelErrorMessage(QStringLiteral("/x"), oomLoad, "fp32").text.contains(QLatin1String("fp16 precision")));
    const UserMessage half = modelErrorMessage(QStringLiteral("/x"), oomLoad, "bf16");
    QVERIFY2(!half.text.contains(QLatin1String("Choose fp16")) && half.text.contains(QLatin1String("even at bf16")),
             qPrintable(half.text));
    const UserMessage exp = exportErrorMessage(QStringLiteral("/ro/clip.mp4"), QStringLiteral("cannot open"));
    QVERIFY(exp.text.contains(QLatin1String("clip.mp4")) && exp.text.contains(QLatin1String("cannot open")));
  }
};

CI2V_GUI_TEST_MAIN(TestDocument)
#include "tst_document.moc"
