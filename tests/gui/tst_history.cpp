// The history of generations and projects in the studio window: results land in the history with their
// parameters, thumbnails play on hover, restore / re-run / favourite / delete, a batch queue (N seeds, a τ
// sweep) lands in order, a dropped exported MP4 restores its settings, the history survives a restart (the
// session) and a saved project, and an autosave is offered for recovery after a crash.
#include <QComboBox>
#include <QDir>
#include <memory>
#include <functional>
#include <QToolButton>
#include <QTimer>
#include <QMessageBox>
#include <QApplication>
#include <QAction>
#include <QDropEvent>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QUrl>

#include "app/autosave.h"
#include "app/document.h"
#include "app/edit_history.h"
#include "app/engine_worker.h"
#include "app/main_window.h"
#include "app/model_probe.h"
#include "app/project.h"
#include "app/settings.h"
#include "gui_test_util.h"
#include "widgets/first_frame_canvas.h"
#include "widgets/parameter_panel.h"
#include "widgets/history_view.h"
#include "widgets/model_picker.h"
#include "widgets/preview_strip.h"

#ifdef CONSISTI2V_HAVE_MEDIA
#include "engine/media/export.h"
#endif

using namespace studio;

namespace {

using testing::examplePicture;

// A copy of the tiny model marked as a demo model (as `consisti2v train` marks it), in `demo`.
void makeDemoModel(const QString& demo) {
  QVERIFY(QDir().mkpath(demo));
  const QDir src(testing::tinyModel());
  for (const QString& sub : src.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
    QVERIFY(QDir().mkpath(demo + QLatin1Char('/') + sub));
    for (const QString& f : QDir(src.filePath(sub)).entryList(QDir::Files))
      QVERIFY(QFile::copy(src.filePath(sub + QLatin1Char('/') + f), demo + QLatin1Char('/') + sub + QLatin1Char('/') + f));
  }
  QFile in(src.filePath(QStringLiteral("model_index.json")));
  QVERIFY(in.open(QIODevice::ReadOnly));
  auto index = nlohmann::json::parse(in.readAll().toStdString());
  index["_consisti2v_demo"] = {{"trained_by", "consisti2v train"}, {"steps", 40},
                               {"recommended", {{"width", 64}, {"height", 64}, {"frames", 8}, {"steps", 25}, {"cfg_text", 3.0},
                                                {"camera", {{"noise_level", 300}, {"cutoff_spatial", 1.0}}}}}};
  QFile out(demo + QStringLiteral("/model_index.json"));
  QVERIFY(out.open(QIODevice::WriteOnly));
  out.write(QByteArray::fromStdString(index.dump(2)));
  out.close();
}

std::unique_ptr<MainWindow> makeWindow(const QString& ini) {
  auto w = std::make_unique<MainWindow>(new StudioSettings(ini));
  w->resize(1280, 820);
  w->show();
  return w;
}

using testing::dropFile;

void prepare(MainWindow* w) {
  auto p = testing::tinyParams();
  p.steps = 2;
  w->document()->setParams(p);
  QString error;
  QVERIFY2(w->document()->loadFirstFrame(examplePicture(), &error), qPrintable(error));
  w->chooseModel(testing::tinyModel());
  QTRY_VERIFY_WITH_TIMEOUT(w->document()->modelState() == Document::ModelState::Ready, 60000);
}

// Clicks the button `pick` chooses in the next modal message box (polls for up to 5 s).
void clickInNextBox(std::function<QAbstractButton*(QMessageBox*)> pick, QString* text = nullptr) {
  auto* poll = new QTimer;
  auto tries = std::make_shared<int>(0);
  QObject::connect(poll, &QTimer::timeout, [=] {
    auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
    if (!box || !box->isVisible()) {
      if (++*tries > 500) poll->deleteLater();  // the test's own check fails
      return;
    }
    if (text) *text = box->text();
    if (QAbstractButton* b = pick(box)) b->click();
    poll->deleteLater();
  });
  poll->start(10);
}

}  // namespace

class TestHistory : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void batchLandsInTheHistoryInOrder() {
    // The batch runs: N seeds from the first, or an even sweep (with one fixed seed).
    ci2v::GenerationParams base;
    base.seed = -1;
    auto seeds = MainWindow::batchRuns(base, MainWindow::BatchKind::Seeds, 3, 40, 0);
    QCOMPARE(seeds.size(), 3);
    QCOMPARE(seeds[2].seed, int64_t(42));
    auto taus = MainWindow::batchRuns(base, MainWindow::BatchKind::NoiseLevel, 4, 600, 900);
    QCOMPARE(taus[0].noise_level, 600);
    QCOMPARE(taus[1].noise_level, 700);
    QCOMPARE(taus[3].noise_level, 900);
    QCOMPARE(taus[3].seed, int64_t(0));
    auto d0 = MainWindow::batchRuns(base, MainWindow::BatchKind::CutoffSpatial, 2, 0.2, 0.6);
    QCOMPARE(d0[1].cutoff_spatial, 0.6);

    QTemporaryDir tmp;
    auto w = makeWindow(tmp.filePath(QStringLiteral("h.ini")));
    prepare(w.get());
    Document* doc = w->document();
    auto runs = MainWindow::batchRuns(doc->params(), MainWindow::BatchKind::NoiseLevel, 3, 500, 900);
    // each run of the queue starts with a clean strip, not the run before's full bar and thumbnails
    QList<int> barAtStart, thumbsAtStart;
    connect(w->engine(), &EngineController::started, w.get(), [&] {
      barAtStart << w->previewStrip()->progressValue();
      thumbsAtStart << w->previewStrip()->thumbnailCount();
    });
    QCOMPARE(w->queueGenerations(runs), 3);
    QVERIFY(w->engine()->isBusy());
    QTRY_COMPARE_WITH_TIMEOUT(doc->resultCount(), 3, 120000);
    QTRY_VERIFY(!w->engine()->isBusy());
    QCOMPARE(doc->result(0).params.noise_level, 500);
    QCOMPARE(doc->result(1).params.noise_level, 700);
    QCOMPARE(doc->result(2).params.noise_level, 900);
    QCOMPARE(barAtStart, (QList<int>{0, 0, 0}));
    QCOMPARE(thumbsAtStart, (QList<int>{0, 0, 0}));
    QCOMPARE(w->historyView()->count(), 3);
    // The tooltip holds the full parameters.
    const QString tip = w->historyView()->item(1)->toolTip();
    QVERIFY2(tip.contains(QStringLiteral("τ 700")) && tip.contains(QLatin1String("a red ball rolls")), qPrintable(tip));

    // Hover plays the thumbnail.
    w->historyView()->setHoverRow(1);
    const QImage still = w->historyView()->item(1)->icon().pixmap(56, 56).toImage();
    QTRY_VERIFY(w->historyView()->animatedFrame() >= 2);
    QVERIFY(w->historyView()->item(1)->icon().pixmap(56, 56).toImage() != still);
    w->historyView()->setHoverRow(-1);
    QCOMPARE(w->historyView()->animatedRow(), -1);
    // leaving the rows for the list's scroll bar (the list itself is not left) stops it too
    w->historyView()->setHoverRow(1);
    QEvent leave(QEvent::Leave);
    QCoreApplication::sendEvent(w->historyView()->viewport(), &leave);
    QCOMPARE(w->historyView()->animatedRow(), -1);

    // Favourite, restore (undoable), re-run with a new seed, delete.
    w->toggleFavourite(0);
    QVERIFY(doc->result(0).favourite);
    QVERIFY(w->historyView()->item(0)->text().startsWith(QStringLiteral("★")));
    auto p = doc->params();
    p.noise_level = 321;
    doc->setParams(p);
    w->restoreResult(2);
    QCOMPARE(doc->params().noise_level, 900);
    QCOMPARE(doc->params().seed, doc->result(2).seed);
    w->editHistory()->stack()->undo();
    QCOMPARE(doc->params().noise_level, 321);
    const qint64 oldSeed = doc->result(2).seed;
    w->rerunResult(2);
    QTRY_COMPARE_WITH_TIMEOUT(doc->resultCount(), 4, 120000);
    QCOMPARE(doc->result(3).params.noise_level, 900);
    QVERIFY(doc->result(3).seed != oldSeed || doc->result(3).seed == 0);
    w->deleteResult(1);
    QCOMPARE(doc->resultCount(), 3);
    QCOMPARE(w->historyView()->count(), 3);
    QCOMPARE(doc->result(1).params.noise_level, 900);

    // The history survives a restart: the untitled session comes back, with its own model (loaded and shown in the
    // picker) even when the settings name another one (the demo model here).
    w->close();
    w.reset();
    {
      QSettings ini(tmp.filePath(QStringLiteral("h.ini")), QSettings::IniFormat);
      ini.setValue(QStringLiteral("model/folder"), QStringLiteral(CONSISTI2V_SOURCE_DIR "/resources/models/demo"));
    }
    auto again = makeWindow(tmp.filePath(QStringLiteral("h.ini")));
    QCOMPARE(again->document()->modelPath(), testing::tinyModel());
    QCOMPARE(again->findChild<ModelPicker*>()->path(), testing::tinyModel());
    QTRY_VERIFY_WITH_TIMEOUT(again->document()->modelState() == Document::ModelState::Ready, 60000);
    QVERIFY2(again->document()->modelMessage().startsWith(QLatin1String("Ready on")) ||
                 again->document()->modelMessage().startsWith(QLatin1String("Loaded on")),
             qPrintable(again->document()->modelMessage()));  // the tiny model is no demo model
    QCOMPARE(again->document()->resultCount(), 3);
    QVERIFY(again->document()->result(0).favourite);
    QCOMPARE(again->historyView()->count(), 3);
    QVERIFY(again->document()->hasFirstFrame());
    QVERIFY(!again->document()->isModified());
    QVERIFY(again->recoveryBar()->isHidden());  // a clean exit leaves nothing to recover
  }

  // A queued batch can be called off as a whole (Cancel all, beside the queue and Shift+Esc); closing the window
  // while a generation runs asks first; a batch failing run after run shows one message that counts them.
  void aBatchIsCancelledWholeAndClosingAsksWhileBusy() {
    QTemporaryDir tmp;
    auto w = makeWindow(tmp.filePath(QStringLiteral("c.ini")));
    prepare(w.get());
    Document* doc = w->document();
    auto* cancelAll = w->findChild<QAction*>(QStringLiteral("action_cancel_all"));
    auto* beside = w->findChild<QToolButton*>(QStringLiteral("queue_cancel_button"));
    QVERIFY(cancelAll && beside);
    QVERIFY(!cancelAll->isEnabled());
    QCOMPARE(cancelAll->shortcut(), QKeySequence(QStringLiteral("Shift+Esc")));
    QCOMPARE(w->queueGenerations(MainWindow::batchRuns(doc->params(), MainWindow::BatchKind::Seeds, 4, 1, 0)), 4);
    QVERIFY(cancelAll->isEnabled());
    QVERIFY(beside->isVisible());
    QSignalSpy cancelled(w->engine(), &EngineController::cancelled);
    beside->click();
    QTRY_VERIFY_WITH_TIMEOUT(!w->engine()->isBusy(), 60000);
    QVERIFY(doc->resultCount() <= 1);  // the running one may have finished before it saw the cancel
    QCOMPARE(doc->resultCount() + cancelled.count(), 4);
    QVERIFY(w->engine()->queuedIds().isEmpty());
    QVERIFY(!beside->isVisible());
    QVERIFY(!cancelAll->isEnabled());

    // Closing while a generation runs: asked; called off, it goes on; confirmed, the window closes.
    QCOMPARE(w->queueGenerations(MainWindow::batchRuns(doc->params(), MainWindow::BatchKind::Seeds, 2, 5, 0)), 2);
    QString asked;
    clickInNextBox([](QMessageBox* b) { return b->button(QMessageBox::Cancel); }, &asked);
    QVERIFY(!w->close());
    QVERIFY2(asked.contains(QLatin1String("running")) && asked.contains(QLatin1String("1 more")), qPrintable(asked));
    QVERIFY(w->isVisible());
    if (w->engine()->isBusy()) {
      clickInNextBox([](QMessageBox* b) {
        for (QAbstractButton* x : b->buttons())
          if (b->buttonRole(x) == QMessageBox::DestructiveRole) return x;
        return static_cast<QAbstractButton*>(nullptr);
      });
    }
    QVERIFY(w->close());

    // Failures of a batch: one box, counting the ones after it.
    auto v = makeWindow(tmp.filePath(QStringLiteral("f.ini")));
    QSignalSpy shown(v.get(), &MainWindow::messageShown);
    for (int i = 0; i < 3; ++i) Q_EMIT v->engine()->failed(quint64(i + 1), QStringLiteral("failure %1").arg(i + 1));
    QCOMPARE(shown.count(), 1);
    const auto boxes = v->findChildren<QMessageBox*>(QStringLiteral("message_box"));
    QCOMPARE(boxes.size(), 1);
    QVERIFY2(boxes[0]->informativeText().contains(QLatin1String("2 more")) &&
                 boxes[0]->informativeText().contains(QLatin1String("failure 3")),
             qPrintable(boxes[0]->informativeText()));
    boxes[0]->close();
    QTRY_VERIFY(v->findChildren<QMessageBox*>(QStringLiteral("message_box")).isEmpty());
    Q_EMIT v->engine()->failed(9, QStringLiteral("a later failure"));  // a new box once the first is closed
    QCOMPARE(shown.count(), 2);
  }

  // Opening another project while runs go on: asked first. "Stop them" stops the running one and the queue, and
  // no clip of theirs lands in the project opened (a run finishing just then included); "Let them go on" brings
  // their clips into it; Cancel keeps the project open.
  void replacingTheProjectWhileRunsGoOnAsksFirst() {
    QTemporaryDir tmp;
    auto w = makeWindow(tmp.filePath(QStringLiteral("r.ini")));
    prepare(w.get());
    Document* doc = w->document();
    const QString b = tmp.filePath(QStringLiteral("b.ci2v"));
    {
      Document other;
      other.setPrompt(QStringLiteral("project b"));
      QString error;
      QVERIFY2(other.saveProjectFile(b, &error), qPrintable(error));
    }
    auto pick = [](const char* text) {
      return [text](QMessageBox* box) -> QAbstractButton* {
        for (QAbstractButton* x : box->buttons())
          if (x->text() == QLatin1String(text)) return x;
        return box->button(QMessageBox::Cancel);
      };
    };
    // (8 runs: the questions below take milliseconds, the runs about a second in all on a busy 2-core machine)
    QCOMPARE(w->queueGenerations(MainWindow::batchRuns(doc->params(), MainWindow::BatchKind::Seeds, 8, 1, 0)), 8);
    QString asked;
    clickInNextBox([](QMessageBox* box) { return box->button(QMessageBox::Cancel); }, &asked);
    QVERIFY(!w->openProjectFile(b));
    QVERIFY2(asked.contains(QLatin1String("running")), qPrintable(asked));
    QVERIFY(doc->projectPath().isEmpty());

    // "Stop them", then Cancel at the save question: nothing replaced, so nothing stopped
    const int queuedBefore = w->engine()->queuedIds().size();
    clickInNextBox(pick("Stop them"));
    clickInNextBox([](QMessageBox* box) { return box->button(QMessageBox::Cancel); });
    QVERIFY(!w->openProjectFile(b));
    QVERIFY(doc->projectPath().isEmpty());
    QVERIFY(w->engine()->isBusy());
    QVERIFY(w->engine()->queuedIds().size() >= queuedBefore - 1);  // the queue goes on (one may have started)

    clickInNextBox(pick("Stop them"));  // then the untitled work's question: discarded
    clickInNextBox([](QMessageBox* box) { return box->button(QMessageBox::Discard); });
    QVERIFY(w->openProjectFile(b));
    QCOMPARE(doc->projectPath(), b);
    QTRY_VERIFY_WITH_TIMEOUT(!w->engine()->isBusy(), 60000);
    QTest::qWait(200);
    QCOMPARE(doc->resultCount(), 0);  // nothing of the stopped runs

    // let them go on: the clip arrives in the project opened
    prepare(w.get());  // b has no picture of its own
    QCOMPARE(w->queueGenerations(MainWindow::batchRuns(doc->params(), MainWindow::BatchKind::Seeds, 1, 5, 0)), 1);
    clickInNextBox(pick("Let them go on"));
    clickInNextBox([](QMessageBox* box) { return box->button(QMessageBox::Discard); });
    QVERIFY(w->openProjectFile(b));
    QTRY_COMPARE_WITH_TIMEOUT(doc->resultCount(), 1, 120000);
  }

  void projectsSaveAndOpenWithTheirHistory() {
    QTemporaryDir tmp;
    auto w = makeWindow(tmp.filePath(QStringLiteral("p.ini")));
    prepare(w.get());
    Document* doc = w->document();
    QCOMPARE(w->queueGenerations({doc->params()}), 1);
    QTRY_COMPARE_WITH_TIMEOUT(doc->resultCount(), 1, 120000);
    QVERIFY(w->windowTitle().contains(QLatin1String("[*]")));
    QVERIFY(w->isWindowModified());
    const QString file = tmp.filePath(QStringLiteral("my clip.ci2v"));
    QVERIFY(w->saveProjectTo(file));
    QVERIFY(!w->isWindowModified());
    QVERIFY(w->windowTitle().contains(QLatin1String("my clip")));
    const auto frames = doc->result(0).frames;

    w->newProject();
    QCOMPARE(doc->resultCount(), 0);
    QVERIFY(!doc->hasFirstFrame());
    QVERIFY(w->openProjectFile(file));
    QCOMPARE(doc->resultCount(), 1);
    QCOMPARE(doc->result(0).frames.size(), frames.size());
    for (int i = 0; i < frames.size(); ++i)
      QVERIFY(doc->result(0).frames[i].convertToFormat(QImage::Format_RGB888) == frames[i].convertToFormat(QImage::Format_RGB888));
    QCOMPARE(w->historyView()->count(), 1);
    QVERIFY(w->editHistory()->stack()->count() == 0);  // a fresh undo history per project

    // A project made with another model: that model is the one checked and loaded, its settings stay as saved
    // (the demo model's own size is not applied over them).
    {
      const QString demo = QStringLiteral(CONSISTI2V_SOURCE_DIR "/resources/models/demo");
      Project other = doc->toProject();
      other.modelPath = demo;
      other.params.width = other.params.height = 128;
      const QString otherFile = tmp.filePath(QStringLiteral("demo clip.ci2v"));
      QString error;
      QVERIFY2(project::save(other, otherFile, &error), qPrintable(error));
      QVERIFY(w->openProjectFile(otherFile));
      QCOMPARE(w->modelPicker()->path(), demo);
      QTRY_VERIFY_WITH_TIMEOUT(doc->modelState() == Document::ModelState::Ready, 60000);
      QCOMPARE(doc->modelPath(), demo);
      QCOMPARE(doc->params().width, 128);
      QVERIFY(!w->isWindowModified());
      QVERIFY(w->openProjectFile(file));  // and back: the tiny model again
      QCOMPARE(w->modelPicker()->path(), testing::tinyModel());
      QTRY_VERIFY_WITH_TIMEOUT(doc->modelState() == Document::ModelState::Ready, 60000);
    }

    // A corrupt project: a clear message, the open project untouched.
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadWrite));
    f.seek(f.size() / 2);
    char c = 0;
    f.read(&c, 1);
    f.seek(f.size() / 2);
    c = static_cast<char>(c ^ 0x5a);
    f.write(&c, 1);
    f.close();
    QSignalSpy messages(w.get(), &MainWindow::messageShown);
    QVERIFY(!w->openProjectFile(file));
    QCOMPARE(messages.count(), 1);
    QVERIFY2(w->lastMessage().text.contains(QLatin1String("my clip.ci2v")), qPrintable(w->lastMessage().text));
    QCOMPARE(doc->resultCount(), 1);
  }

#ifdef CONSISTI2V_HAVE_MEDIA  // without FFmpeg there are no exports to drop
  void droppedExportRestoresItsSettings() {
    QTemporaryDir tmp;
    auto w = makeWindow(tmp.filePath(QStringLiteral("d.ini")));
    Document* doc = w->document();
    // An MP4 exported with settings embedded.
    ci2v::GenerationParams exported;
    exported.prompt = "a lighthouse in a storm";
    exported.noise_level = 610;
    exported.seed = 99;
    exported.camera_preset = "zoom_in";
    ci2v::media::Video v;
    v.width = v.height = 64;
    v.fps = 8;
    for (int i = 0; i < 4; ++i) v.frames.push_back(ci2v::RgbImage(64, 64));
    ci2v::media::ExportOptions o;
    o.format = ci2v::media::Format::Mp4;
    o.params_json = exported.to_json().dump();
    const QString mp4 = tmp.filePath(QStringLiteral("clip.mp4"));
    ci2v::media::export_video(v, mp4.toStdString(), o);

    QVERIFY2(dropFile(w.get(), mp4), "the window takes dropped files");
    QVERIFY2(w->lastMessage().title.isEmpty(), qPrintable(w->lastMessage().text));
    QCOMPARE(doc->params().prompt, exported.prompt);
    QCOMPARE(doc->params().noise_level, 610);
    QCOMPARE(doc->params().seed, int64_t(99));
    QCOMPARE(doc->params().camera_preset, std::string("zoom_in"));
    QVERIFY(!doc->hasFirstFrame());  // a clip is not a first frame
    QVERIFY2(w->editHistory()->stack()->undoText().contains(QLatin1String("clip.mp4")),
             qPrintable(w->editHistory()->stack()->undoText()));
    // A plain picture dropped the same way becomes the first frame.
    QVERIFY(dropFile(w->canvas(), examplePicture()));
    QVERIFY(doc->hasFirstFrame());
    QCOMPARE(doc->params().noise_level, 610);
  }
#endif

  // Without ConsistI2V weights the studio starts with the bundled demo model and the example picture, and says
  // plainly that it is a demo model.
  // A generation that fails because its model cannot be loaded says so, naming the model it was queued with, even
  // when another model was chosen while it waited.
  void aRunThatFailsOnItsModelNamesThatModel() {
    QTemporaryDir tmp;
    auto w = makeWindow(tmp.filePath(QStringLiteral("m.ini")));
    prepare(w.get());
    // a copy of the tiny model whose UNet file is whole but holds a tensor of the wrong shape: the folder check
    // (which reads the headers) passes, the load fails
    const QString broken = tmp.filePath(QStringLiteral("broken model"));
    const QDir tiny(testing::tinyModel());
    for (const QString& f : {QStringLiteral("model_index.json"), QStringLiteral("scheduler/scheduler_config.json"),
                             QStringLiteral("text_encoder/config.json"), QStringLiteral("text_encoder/model.safetensors"),
                             QStringLiteral("tokenizer/merges.txt"), QStringLiteral("tokenizer/special_tokens_map.json"),
                             QStringLiteral("tokenizer/tokenizer_config.json"), QStringLiteral("tokenizer/vocab.json"),
                             QStringLiteral("unet/config.json"), QStringLiteral("vae/config.json"),
                             QStringLiteral("vae/diffusion_pytorch_model.safetensors")}) {
      QVERIFY(QDir().mkpath(QFileInfo(QDir(broken).filePath(f)).path()));
      QVERIFY(QFile::copy(tiny.filePath(f), QDir(broken).filePath(f)));
    }
    {
      QFile unet(tiny.filePath(QStringLiteral("unet/diffusion_pytorch_model.safetensors")));
      QVERIFY(unet.open(QIODevice::ReadOnly));
      const QByteArray all = unet.readAll();
      quint64 n = 0;
      for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<uchar>(all[i]);
      auto header = nlohmann::json::parse(all.mid(8, static_cast<qsizetype>(n)).toStdString());
      bool swapped = false;
      for (auto it = header.begin(); it != header.end() && !swapped; ++it)
        if (it.key() != "__metadata__" && it.value()["shape"].size() == 2 && it.value()["shape"][0] != it.value()["shape"][1]) {
          auto s = it.value()["shape"];
          it.value()["shape"] = nlohmann::json::array({s[1], s[0]});  // the same bytes, another shape
          swapped = true;
        }
      QVERIFY(swapped);
      const QByteArray h = QByteArray::fromStdString(header.dump());
      QByteArray out(8, '\0');
      for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((quint64(h.size()) >> (8 * i)) & 0xff);
      QFile bad(QDir(broken).filePath(QStringLiteral("unet/diffusion_pytorch_model.safetensors")));
      QVERIFY(bad.open(QIODevice::WriteOnly));
      bad.write(out + h + all.mid(8 + static_cast<qsizetype>(n)));
    }
    w->chooseModel(broken);
    QTRY_VERIFY_WITH_TIMEOUT(w->document()->modelState() == Document::ModelState::Failed, 60000);
    w->chooseModel(testing::tinyModel());  // loads (a model line of its own), then the broken one is chosen again
    QTRY_VERIFY_WITH_TIMEOUT(w->document()->modelState() == Document::ModelState::Ready, 60000);
    w->chooseModel(broken);
    QCOMPARE(w->document()->modelState(), Document::ModelState::Loading);
    QSignalSpy failed(w->engine(), &EngineController::failed);
    QSignalSpy shown(w.get(), &MainWindow::messageShown);
    QCOMPARE(w->queueGenerations({w->document()->params()}), 1);
    w->chooseModel(testing::tinyModel());  // while the run waits: the run keeps its own model
    QVERIFY(failed.wait(60000));
    QTRY_VERIFY(shown.count() >= 1);
    const UserMessage m = w->lastMessage();
    QCOMPARE(m.title, QStringLiteral("The model cannot be used"));
    QVERIFY2(m.text.contains(QDir::toNativeSeparators(broken)), qPrintable(m.text));
    // the chosen model loads afterwards, and the model line speaks of it, not of the failed run's model
    QTRY_VERIFY_WITH_TIMEOUT(w->document()->modelState() == Document::ModelState::Ready, 60000);
    QVERIFY(!w->document()->modelMessage().contains(QLatin1String("broken model")));
    QTRY_VERIFY(!w->engine()->isBusy());
  }

  // Two studios on the same settings (a second one started by opening a picture from the file manager): the second
  // neither restores the first one's untitled session nor replaces or removes it when it closes.
  void aSecondStudioLeavesTheFirstOnesSessionAlone() {
    QTemporaryDir tmp;
    const QString ini = tmp.filePath(QStringLiteral("two.ini"));
    auto first = makeWindow(ini);
    QString error;
    QVERIFY2(first->document()->loadFirstFrame(examplePicture(), &error), qPrintable(error));
    first->document()->setPrompt(QStringLiteral("the first studio's work"));
    auto second = makeWindow(ini);
    QVERIFY(!second->document()->hasFirstFrame());
    QVERIFY2(second->statusBar()->currentMessage().contains(QLatin1String("Another ConsistI2V Studio window")),
             qPrintable(second->statusBar()->currentMessage()));
    QVERIFY(first->close());   // keeps its untitled work in the session
    QVERIFY(second->close());  // empty: it used to remove the session file here
    first.reset();
    second.reset();
    auto next = makeWindow(ini);
    QVERIFY(next->document()->hasFirstFrame());
    QCOMPARE(next->document()->params().prompt, std::string("the first studio's work"));
    // nor does it set the last project: the first one's named project is what the next start opens
    const QString named = tmp.filePath(QStringLiteral("named.ci2v"));
    QVERIFY2(next->document()->saveProjectFile(named, &error), qPrintable(error));
    auto other = makeWindow(ini);
    QVERIFY(next->close());
    QVERIFY(other->close());
    next.reset();
    other.reset();
    auto last = makeWindow(ini);
    QCOMPARE(last->document()->projectPath(), named);
    QVERIFY(last->close());
  }

  void aDownloadedModelReplacesTheDemoAtTheNextStart() {
    // The demo model only stands in for ConsistI2V: once the weights are in the hub cache, the next start takes
    // them even though the demo was the last model used; a last model that can no longer be opened (a moved clone)
    // gives way to the downloaded weights or the demo, and the status bar says so.
    QTemporaryDir tmp;
    const QString demo = tmp.filePath(QStringLiteral("demo"));
    makeDemoModel(demo);
    if (QTest::currentTestFailed()) return;
    const QByteArray hubBefore = qgetenv("HF_HUB_CACHE");
    const QString hub = tmp.filePath(QStringLiteral("hub"));
    QVERIFY(QDir().mkpath(hub));
    qputenv("HF_HUB_CACHE", hub.toUtf8());
    const QString ini = tmp.filePath(QStringLiteral("start.ini"));
    qputenv("CONSISTI2V_DEMO_MODEL", demo.toUtf8());
    {
      auto w = makeWindow(ini);
      QVERIFY(w->modelIsDemo());
      QVERIFY(w->startNote().isEmpty());
      QCOMPARE(w->document()->params().width, 64);  // the demo's own settings
      QCOMPARE(w->document()->params().frames, 8);
      QVERIFY(w->close());
    }
    // ConsistI2V downloaded since (the tiny model standing in, in the hub cache's layout)
    const QString repo = hub + QStringLiteral("/models--TIGER-Lab--ConsistI2V");
    QVERIFY(QDir().mkpath(repo + QStringLiteral("/snapshots")));
    QVERIFY(QDir().mkpath(repo + QStringLiteral("/refs")));
    QVERIFY(QFile::link(QDir(testing::tinyModel()).absolutePath(), repo + QStringLiteral("/snapshots/abc123")));
    {
      QFile ref(repo + QStringLiteral("/refs/main"));
      QVERIFY(ref.open(QIODevice::WriteOnly));
      ref.write("abc123");
    }
    {
      auto w = makeWindow(ini);
      QVERIFY2(!w->modelIsDemo(), qPrintable(w->document()->modelPath() + QLatin1String(" | ") + w->startNote() +
                                             QLatin1String(" | ") + probeModelFolder(huggingFaceCacheDir()).error));
      QVERIFY2(w->document()->modelPath().startsWith(repo), qPrintable(w->document()->modelPath()));
      QVERIFY2(w->startNote().contains(QLatin1String("instead of the demo model")), qPrintable(w->startNote()));
      QVERIFY2(w->statusBar()->currentMessage() == w->startNote(), qPrintable(w->statusBar()->currentMessage()));
      // ... and the demo's settings gave way to the reference's
      const ci2v::GenerationParams reference;
      QCOMPARE(w->document()->params().width, reference.width);
      QCOMPARE(w->document()->params().frames, reference.frames);
      QCOMPARE(w->document()->params().steps, reference.steps);
      QCOMPARE(w->document()->params().cfg_text, reference.cfg_text);
      QVERIFY2(w->parameterPanel()->params().to_json() == w->document()->params().to_json(), "the panel shows them");
      QVERIFY(w->close());
    }
    // ... and chosen again at the start after that, with nothing to say
    {
      auto w = makeWindow(ini);
      QVERIFY(w->document()->modelPath().startsWith(repo));
      QVERIFY(w->startNote().isEmpty());
      QVERIFY(w->close());
    }
    // The last model's folder gone (the cache removed, no weights left): the bundled demo model, said.
    QVERIFY(QDir(repo).removeRecursively());
    {
      auto w = makeWindow(ini);
      QVERIFY(w->modelIsDemo());
      QVERIFY2(QDir(w->document()->modelPath()).absolutePath() == QDir(demo).absolutePath(),
               qPrintable(w->document()->modelPath() + QLatin1String(" | ") + w->startNote()));
      QVERIFY2(w->startNote().contains(QLatin1String("could not be used")) && w->startNote().contains(demo),
               qPrintable(w->startNote()));
      QVERIFY(w->close());
    }
    qputenv("CONSISTI2V_DEMO_MODEL", "none");
    if (hubBefore.isEmpty()) qunsetenv("HF_HUB_CACHE");
    else qputenv("HF_HUB_CACHE", hubBefore);
  }

  void theDemoModelIsPickedWhenThereIsNoOther() {
    QTemporaryDir tmp;
    const QString demo = tmp.filePath(QStringLiteral("demo"));
    makeDemoModel(demo);
    if (QTest::currentTestFailed()) return;
    qputenv("CONSISTI2V_DEMO_MODEL", demo.toUtf8());
    auto w = makeWindow(tmp.filePath(QStringLiteral("demo.ini")));
    qputenv("CONSISTI2V_DEMO_MODEL", "none");
    QCOMPARE(QDir(w->document()->modelPath()).absolutePath(), QDir(demo).absolutePath());
    QVERIFY(w->modelIsDemo());
    QVERIFY(w->document()->hasFirstFrame());  // the example picture, ready to animate
    // ... at the size, length and step count the demo model was trained for
    QCOMPARE(w->document()->params().width, 64);
    QCOMPARE(w->document()->params().height, 64);
    QCOMPARE(w->document()->params().frames, 8);
    QCOMPARE(w->document()->params().steps, 25);
    QCOMPARE(w->document()->params().cfg_text, 3.0);
    QTRY_VERIFY_WITH_TIMEOUT(w->document()->modelState() == Document::ModelState::Ready, 60000);
    QVERIFY2(w->document()->modelMessage().contains(QLatin1String("Demo model")) &&
                 w->document()->modelMessage().contains(QLatin1String("Download model")),
             qPrintable(w->document()->modelMessage()));
    // A camera move with the demo model takes the demo's own FrameInit setting (τ 300, D0 1.0; the temporal
    // D0 it leaves out stays the paper's 0.5), said in the status bar, from the panel's camera choice too.
    auto* camera = w->parameterPanel()->findChild<QComboBox*>(QStringLiteral("camera_preset"));
    QVERIFY(camera);
    camera->setCurrentIndex(camera->findData(QStringLiteral("pan_right")));
    QCOMPARE(w->document()->params().camera_preset, std::string("pan_right"));
    QCOMPARE(w->document()->params().noise_level, 300);
    QCOMPARE(w->document()->params().cutoff_spatial, 1.0);
    QCOMPARE(w->document()->params().cutoff_temporal, 0.5);
    camera->setCurrentIndex(camera->findData(QString()));
    QCOMPARE(w->document()->params().noise_level, 850);  // still camera: the paper's still defaults
    QCOMPARE(w->document()->params().cutoff_spatial, 0.25);
    QVERIFY(w->document()->setCameraPreset(QStringLiteral("zoom_in")));
    QCOMPARE(w->document()->params().noise_level, 300);
    QVERIFY2(w->document()->lastCameraDefaultsNote().contains(QStringLiteral("this model's camera settings (τ 300, D0 1)")),
             qPrintable(w->document()->lastCameraDefaultsNote()));
    QVERIFY2(w->statusBar()->currentMessage().contains(QStringLiteral("this model's camera settings")),
             qPrintable(w->statusBar()->currentMessage()));
    {
      const QString shot = testing::outDir(QStringLiteral("screenshots")) + QStringLiteral("/demo_camera_setting.png");
      QVERIFY(w->grab().save(shot));
      qInfo("screenshot: %s", qPrintable(shot));
    }
    // A real model folder chosen later is not called a demo; the camera move keeps going with the paper's setting.
    w->chooseModel(testing::tinyModel());
    QVERIFY(!w->modelIsDemo());
    QCOMPARE(w->document()->params().noise_level, 750);
    QCOMPARE(w->document()->params().cutoff_spatial, 0.5);
    QVERIFY2(w->document()->lastCameraDefaultsNote().contains(QStringLiteral("the paper's camera settings (τ 750")),
             qPrintable(w->document()->lastCameraDefaultsNote()));
    QCOMPARE(w->parameterPanel()->params().noise_level, 750);
    QVERIFY(w->document()->setCameraPreset(QString()));
    QCOMPARE(w->document()->params().noise_level, 850);
    QTRY_VERIFY_WITH_TIMEOUT(w->document()->modelState() == Document::ModelState::Ready, 60000);
    QVERIFY(!w->document()->modelMessage().contains(QLatin1String("Demo model")));
    // ... and brings back the reference defaults the demo's settings replaced
    const ci2v::GenerationParams defaults;
    QCOMPARE(w->document()->params().width, defaults.width);
    QCOMPARE(w->document()->params().frames, defaults.frames);
    QCOMPARE(w->document()->params().steps, defaults.steps);
    QCOMPARE(w->document()->params().cfg_text, defaults.cfg_text);
    // Settings the user changed while on the demo model are kept when leaving it.
    w->chooseModel(demo);
    QCOMPARE(w->document()->params().width, 64);
    auto p = w->document()->params();
    p.steps = 10;
    w->document()->setParams(p);
    w->chooseModel(testing::tinyModel());
    QCOMPARE(w->document()->params().steps, 10);
    QCOMPARE(w->document()->params().width, 64);
  }

  void anAutosaveIsOfferedAfterACrash() {
    QTemporaryDir tmp;
    const QString ini = tmp.filePath(QStringLiteral("c.ini"));
    QString folder, data, marker;
    {
      // A session autosaves its work ...
      auto w = makeWindow(ini);
      folder = w->settings()->autosaveFolder();
      QString error;
      QVERIFY(w->document()->loadFirstFrame(examplePicture(), &error));
      auto p = w->document()->params();
      p.noise_level = 555;
      w->document()->setParams(p);
      QVERIFY2(w->autosaver()->saveNow(&error), qPrintable(error));
      QFile d(w->autosaver()->recoveryFile()), m(w->autosaver()->markerFile());
      QVERIFY(d.open(QIODevice::ReadOnly) && m.open(QIODevice::ReadOnly));
      data = QString::fromLatin1(d.readAll().toBase64());
      auto j = nlohmann::json::parse(m.readAll().toStdString());
      // ... and its process dies (a PID that cannot exist): the files stay, as after a crash.
      j["pid"] = 2147483000;
      j["process_start"] = "";
      j["session"] = "crashed";
      marker = QString::fromStdString(j.dump());
      w->close();  // this (clean) session removes its own files ...
      QFile::remove(w->settings()->sessionFile());  // ... and the crashed one never wrote a session
    }
    QVERIFY(Autosaver::recoverable(folder).isEmpty());
    QFile d(QDir(folder).filePath(QStringLiteral("autosave-crashed.ci2v")));
    QFile m(QDir(folder).filePath(QStringLiteral("autosave-crashed.marker")));
    QVERIFY(d.open(QIODevice::WriteOnly) && m.open(QIODevice::WriteOnly));
    d.write(QByteArray::fromBase64(data.toLatin1()));
    m.write(marker.toUtf8());
    d.close();
    m.close();

    auto next = makeWindow(ini);
    QVERIFY(!next->recoveryBar()->isHidden());
    QVERIFY(!next->document()->hasFirstFrame());  // the crashed session's picture lives only in its autosave
    QVERIFY(next->recoverAutosave());
    QCOMPARE(next->document()->params().noise_level, 555);
    QVERIFY(next->document()->hasFirstFrame());
    QVERIFY(next->recoveryBar()->isHidden());
    QVERIFY(!QFileInfo::exists(d.fileName()));  // recovered once, not offered again
    next->close();
    auto third = makeWindow(ini);
    QVERIFY(third->recoveryBar()->isHidden());
  }
};

CI2V_GUI_TEST_MAIN(TestHistory)
#include "tst_history.moc"
