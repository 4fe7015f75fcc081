// Undo/redo in the studio window: every kind of parameter and camera-path edit is one step named in the Edit
// menu, undo restores the previous state exactly, redo re-applies it, and a drag (or a burst of typing) merges
// into one step.
#include <QAction>
#include <QFileInfo>
#include <QMouseEvent>
#include <QTemporaryDir>
#include <QUndoStack>

#include "app/camera_edit.h"
#include "app/document.h"
#include "app/edit_history.h"
#include "app/main_window.h"
#include "app/settings.h"
#include "gui_test_util.h"
#include "widgets/camera_editor.h"
#include "widgets/first_frame_canvas.h"
#include "widgets/parameter_panel.h"
#include "widgets/prompt_edit.h"

using namespace studio;
using ci2v::sampling::Easing;

namespace {

using testing::drag;

std::string json(const ci2v::GenerationParams& p) { return p.to_json().dump(); }

}  // namespace

class TestUndo : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  std::unique_ptr<MainWindow> w_;
  QUndoStack* stack() const { return w_->editHistory()->stack(); }
  QAction* undo() const { return w_->findChild<QAction*>(QStringLiteral("action_undo")); }
  QAction* redo() const { return w_->findChild<QAction*>(QStringLiteral("action_redo")); }

private Q_SLOTS:
  void init() {
    w_ = std::make_unique<MainWindow>(new StudioSettings(tmp_.filePath(QStringLiteral("undo.ini"))));
    w_->resize(1440, 900);
    w_->show();
    QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
    auto p = testing::tinyParams();
    p.width = p.height = 128;
    p.frames = 8;
    w_->document()->setParams(p);  // not an edit: the start state
    QString error;
    QVERIFY2(w_->document()->loadFirstFrame(testing::examplePicture(),
                                            &error),
             qPrintable(error));
    stack()->clear();
  }
  void cleanup() { w_.reset(); }

  void parameterEditsAreNamedAndUndoable() {
    Document* doc = w_->document();
    const auto start = doc->params();
    auto p = start;
    p.noise_level = 700;
    Q_EMIT w_->parameterPanel()->paramsEdited(p);  // what the panel sends when τ changes
    QCOMPARE(doc->params().noise_level, 700);
    QCOMPARE(stack()->count(), 1);
    QVERIFY2(undo()->text().contains(QStringLiteral("noise level τ")) && undo()->text().contains(QLatin1String("700")),
             qPrintable(undo()->text()));
    QCOMPARE(w_->parameterPanel()->params().noise_level, 700);
    undo()->trigger();
    QCOMPARE(json(doc->params()), json(start));
    QCOMPARE(w_->parameterPanel()->params().noise_level, start.noise_level);  // the panel follows
    QVERIFY(redo()->isEnabled());
    redo()->trigger();
    QCOMPARE(doc->params().noise_level, 700);

    // Every field goes through the same path: D0, filter, steps, guidance, seed, size.
    struct Edit {
      void (*apply)(ci2v::GenerationParams&);
      const char* name;
    };
    const Edit edits[] = {
        {[](auto& q) { q.cutoff_spatial = 0.4; }, "D0 spatial"},
        {[](auto& q) { q.cutoff_temporal = 0.6; }, "D0 temporal"},
        {[](auto& q) { q.filter = ci2v::FilterType::Butterworth; }, "filter"},
        {[](auto& q) { q.steps = 12; }, "steps"},
        {[](auto& q) { q.cfg_text = 9; }, "prompt strength"},
        {[](auto& q) { q.seed = 1234; }, "seed"},
        {[](auto& q) { q.frame_stride = 5; }, "frame stride"},
    };
    w_->editHistory()->setMergeWindowMs(0);  // each its own step
    for (const auto& e : edits) {
      const auto before = doc->params();
      auto q = before;
      e.apply(q);
      QTest::qWait(2);
      Q_EMIT w_->parameterPanel()->paramsEdited(q);
      QVERIFY2(undo()->text().contains(QLatin1String(e.name)), qPrintable(undo()->text()));
      undo()->trigger();
      QCOMPARE(json(doc->params()), json(before));
      redo()->trigger();
      QCOMPARE(json(doc->params()), json(q));
    }
    QCOMPARE(stack()->count(), 1 + int(std::size(edits)));
    // All the way back.
    while (stack()->canUndo()) stack()->undo();
    QCOMPARE(json(doc->params()), json(start));
  }

  // Undo takes back the fields its edit changed, nothing else: settings that changed without an undo step in
  // between (a model's own size, frames and FrameInit setting when it is picked) stay.
  void undoLeavesChangesMadeOutsideTheHistory() {
    Document* doc = w_->document();
    const auto start = doc->params();
    auto p = start;
    p.steps = 40;
    Q_EMIT w_->parameterPanel()->paramsEdited(p);
    QCOMPARE(stack()->count(), 1);
    auto model = doc->params();  // as a model switch sets them: not an undo step
    model.width = model.height = 64;
    model.frames = 6;
    model.noise_level = 300;
    doc->setParams(model);
    QCOMPARE(stack()->count(), 1);
    undo()->trigger();
    QCOMPARE(doc->params().steps, start.steps);
    QCOMPARE(doc->params().width, 64);
    QCOMPARE(doc->params().frames, 6);
    QCOMPARE(doc->params().noise_level, 300);
    redo()->trigger();
    QCOMPARE(doc->params().steps, 40);
    QCOMPARE(doc->params().width, 64);
    QCOMPARE(doc->params().noise_level, 300);
  }

  void quickEditsOfOneFieldMergeSlowOnesDoNot() {
    Document* doc = w_->document();
    const auto start = doc->params();
    // Typing a prompt: one step.
    QString typed;
    for (QChar c : QStringLiteral("waves")) {
      typed += c;
      Q_EMIT w_->promptEdit()->textEdited(typed);
    }
    QCOMPARE(QString::fromStdString(doc->params().prompt), QStringLiteral("waves"));
    QCOMPARE(stack()->count(), 1);
    QVERIFY2(undo()->text().contains(QLatin1String("prompt")), qPrintable(undo()->text()));
    undo()->trigger();
    QCOMPARE(doc->params().prompt, start.prompt);
    redo()->trigger();

    // A slider drag over τ: many edits, one step; after a pause the next edit is a new step.
    w_->editHistory()->setMergeWindowMs(150);
    for (int tau = 840; tau >= 700; tau -= 20) {
      auto q = doc->params();
      q.noise_level = tau;
      Q_EMIT w_->parameterPanel()->paramsEdited(q);
    }
    QCOMPARE(stack()->count(), 2);
    QTest::qWait(300);
    auto q = doc->params();
    q.noise_level = 650;
    Q_EMIT w_->parameterPanel()->paramsEdited(q);
    QCOMPARE(stack()->count(), 3);
    undo()->trigger();
    QCOMPARE(doc->params().noise_level, 700);
    undo()->trigger();
    QCOMPARE(doc->params().noise_level, start.noise_level);
  }

  void cameraEditsAreUndoableAndADragIsOneStep() {
    Document* doc = w_->document();
    CameraEditor* editor = w_->cameraEditor();
    FirstFrameCanvas* canvas = w_->canvas();
    const auto start = doc->params();

    // A preset (also switches FrameInit's defaults): one step; undo returns to the still camera and τ 850.
    Q_EMIT editor->presetChosen(QStringLiteral("pan_right"));
    QCOMPARE(doc->params().camera_preset, std::string("pan_right"));
    QCOMPARE(doc->params().noise_level, 750);
    QVERIFY2(undo()->text().contains(QLatin1String("pan_right")), qPrintable(undo()->text()));
    undo()->trigger();
    QCOMPARE(json(doc->params()), json(start));
    redo()->trigger();
    QCOMPARE(doc->params().camera_preset, std::string("pan_right"));

    // Drag the end keyframe on the canvas: many interim edits, one step named for it.
    editor->setSelected(1);
    const auto path = doc->cameraPath();
    const QPointF c = canvas->toWidget(QPointF(path.keyframes[1].cx, path.keyframes[1].cy));
    const int before = stack()->count();
    const auto beforeDrag = doc->params();
    drag(canvas, c, c + QPointF(-30, 15), 12);
    QCOMPARE(stack()->count(), before + 1);
    QVERIFY2(undo()->text().contains(QLatin1String("Move keyframe K2")), qPrintable(undo()->text()));
    QVERIFY(doc->params().camera_preset.empty());  // edited: now a custom path
    const auto afterDrag = doc->params();
    undo()->trigger();
    QCOMPARE(json(doc->params()), json(beforeDrag));  // back to the exact preset
    redo()->trigger();
    QCOMPARE(json(doc->params()), json(afterDrag));

    // Resize from a handle: one step.
    const QPointF h = canvas->handlePoint(1, 2);
    drag(canvas, h, h + QPointF(20, 20));
    QVERIFY2(undo()->text().contains(QLatin1String("Resize keyframe K2")), qPrintable(undo()->text()));
    QCOMPARE(stack()->count(), before + 2);

    // Add, retime, ease, delete: each one step, each undone exactly.
    struct Op {
      std::function<void()> run;
      const char* name;
    };
    const Op ops[] = {
        {[&] { editor->setCurrentFrame(3); editor->addKeyframeAtCurrentFrame(); }, "Add a keyframe"},
        {[&] { editor->moveKeyframe(1, 5, false); }, "Move keyframe K2 to frame"},
        {[&] { editor->setEasing(0, Easing::EaseOut); }, "easing"},
        {[&] { editor->deleteKeyframe(1); }, "Delete keyframe K2"},
    };
    for (const auto& op : ops) {
      const auto b = doc->params();
      op.run();
      QVERIFY2(json(doc->params()) != json(b), op.name);
      QVERIFY2(undo()->text().contains(QLatin1String(op.name)), qPrintable(undo()->text()));
      const auto a = doc->params();
      undo()->trigger();
      QCOMPARE(json(doc->params()), json(b));
      redo()->trigger();
      QCOMPARE(json(doc->params()), json(a));
    }
    // The editor and the canvas follow an undo.
    undo()->trigger();  // the delete
    QCOMPARE(editor->path().keyframes.size(), size_t(3));
    QCOMPARE(canvas->cameraOverlay().keyframes.size(), 3);

    // Everything undone: the still camera and the start parameters.
    while (stack()->canUndo()) stack()->undo();
    QCOMPARE(json(doc->params()), json(start));
    QVERIFY(!canvas->cameraOverlay().enabled);
  }

  void resetAndSeedAreUndoable() {
    Document* doc = w_->document();
    const auto start = doc->params();
    w_->findChild<QAction*>(QStringLiteral("action_reset_params"))->trigger();
    QCOMPARE(doc->params().width, 256);
    QCOMPARE(doc->params().prompt, start.prompt);
    QVERIFY2(undo()->text().contains(QLatin1String("Reset")), qPrintable(undo()->text()));
    undo()->trigger();
    QCOMPARE(json(doc->params()), json(start));
  }

  void aNewFirstFrameIsAnUndoStep() {
    // Opening, pasting or dropping a picture over the one being worked on can be taken back (the old picture was
    // lost before). Each picture change is one step named for it; undo puts the previous picture back exactly.
    Document* doc = w_->document();
    const QImage example = doc->firstFrame();
    const QString exampleSource = doc->firstFrameSource();
    QImage red(64, 48, QImage::Format_RGB888);
    red.fill(Qt::red);
    const QString file = tmp_.filePath(QStringLiteral("red picture.png"));
    QVERIFY(red.save(file));
    QVERIFY(w_->loadFirstFrame(file));
    QCOMPARE(stack()->count(), 1);
    QVERIFY2(undo()->text().contains(QLatin1String("red picture.png")), qPrintable(undo()->text()));
    QCOMPARE(doc->firstFrame().size(), QSize(64, 48));
    QVERIFY(doc->isModified());
    // a parameter edit after it: undone first, then the picture
    auto p = doc->params();
    const int tau = p.noise_level;
    p.noise_level = tau == 640 ? 641 : 640;
    Q_EMIT w_->parameterPanel()->paramsEdited(p);
    undo()->trigger();
    QCOMPARE(doc->params().noise_level, tau);
    undo()->trigger();
    QCOMPARE(doc->firstFrame(), example);
    QCOMPARE(doc->firstFrameSource(), exampleSource);
    QVERIFY(!undo()->isEnabled());
    redo()->trigger();
    QCOMPARE(doc->firstFrame().size(), QSize(64, 48));
    QCOMPARE(doc->firstFrame().pixelColor(3, 3), QColor(Qt::red));
    QCOMPARE(doc->firstFrameSource(), QFileInfo(file).absoluteFilePath());
    redo()->trigger();
    QCOMPARE(doc->params().noise_level, p.noise_level);
    // Removing the picture is a step too, and so is a dropped one.
    doc->clearFirstFrame();
    QVERIFY(!doc->hasFirstFrame());
    QVERIFY2(undo()->text().contains(QLatin1String("Remove")), qPrintable(undo()->text()));
    undo()->trigger();
    QCOMPARE(doc->firstFrame().size(), QSize(64, 48));
    QImage blue(32, 32, QImage::Format_RGB888);
    blue.fill(Qt::blue);
    Q_EMIT w_->canvas()->imageDropped(blue);
    QCOMPARE(doc->firstFrame(), blue);
    QVERIFY2(undo()->text().contains(QLatin1String("dropped")), qPrintable(undo()->text()));
    undo()->trigger();
    QCOMPARE(doc->firstFrame().size(), QSize(64, 48));
    // The same picture again is no new step.
    const int steps = stack()->count();
    QVERIFY(w_->loadFirstFrame(file));
    QCOMPARE(stack()->count(), steps);
  }

  void replacedPicturesBeyondTheBudgetWaitOnDisk() {
    // Every replaced picture is kept for undo; beyond the memory budget the oldest wait in temporary files and
    // come back from there exactly.
    Document* doc = w_->document();
    w_->editHistory()->setPictureBudgetBytes(20000);  // about two of these pictures
    QVector<QImage> pictures;
    for (int i = 0; i < 5; ++i) {
      QImage im(80, 40 + i, QImage::Format_RGB888);
      for (int y = 0; y < im.height(); ++y)
        for (int x = 0; x < im.width(); ++x) im.setPixelColor(x, y, QColor((x * 3 + i * 40) % 256, (y * 5) % 256, i * 50));
      pictures << im;
      doc->setFirstFrame(im, QStringLiteral("picture %1").arg(i));
    }
    QVERIFY2(w_->editHistory()->picturesHeldBytes() <= 20000,
             qPrintable(QString::number(w_->editHistory()->picturesHeldBytes())));
    for (int i = 3; i >= 0; --i) {
      undo()->trigger();
      QCOMPARE(doc->firstFrame(), pictures[i]);
      QCOMPARE(doc->firstFrameSource(), QStringLiteral("picture %1").arg(i));
    }
    for (int i = 1; i < 5; ++i) {
      redo()->trigger();
      QCOMPARE(doc->firstFrame(), pictures[i]);
    }
  }
};

CI2V_GUI_TEST_MAIN(TestUndo)
#include "tst_undo.moc"
