// The camera path editor and the FrameInit preview in the studio window, driven by mouse events: drawing,
// moving, resizing and deleting crop keyframes on the canvas; moving keyframes and adding them on the
// timeline; easing; presets and their FrameInit defaults; JSON save/load; the dry run; and the live FrameInit
// preview with the tiny model. Screenshots of the editor (three keyframes) and the preview panel.
#include <QComboBox>
#include <QFile>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTabWidget>
#include <QMenu>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QToolButton>
#include <QUndoStack>

#include "app/camera_edit.h"
#include "app/document.h"
#include "app/edit_history.h"
#include "app/engine_worker.h"
#include "app/main_window.h"
#include "app/project.h"
#include "app/settings.h"
#include "gui_test_util.h"
#include "widgets/camera_editor.h"
#include "widgets/camera_timeline.h"
#include "widgets/easing_editor.h"
#include "widgets/first_frame_canvas.h"
#include "widgets/frameinit_panel.h"
#include "widgets/history_view.h"
#include "widgets/parameter_panel.h"

using namespace studio;
using ci2v::sampling::Easing;

namespace {

using testing::examplePicture;

using testing::drag;

ci2v::sampling::CameraPath pathOf(Document* doc) { return doc->cameraPath(); }

struct Window {
  QTemporaryDir tmp;
  std::unique_ptr<MainWindow> w;
  Window() {
    w = std::make_unique<MainWindow>(new StudioSettings(tmp.filePath(QStringLiteral("studio.ini"))));
    w->resize(1440, 900);
    w->show();
    auto p = testing::tinyParams();
    p.width = 128;
    p.height = 128;
    p.frames = 8;
    w->document()->setParams(p);
    QString error;
    if (!w->document()->loadFirstFrame(examplePicture(), &error)) qFatal("%s", qPrintable(error));
  }
  MainWindow* operator->() const { return w.get(); }
};

void saveShot(QWidget* w, const QString& name) {
  const QString file = testing::outDir(QStringLiteral("screenshots")) + QLatin1Char('/') + name;
  QVERIFY(w->grab().save(file));
  qInfo("screenshot: %s", qPrintable(file));
}

// Two 200-pixel crops across the middle of the 512 × 384 picture, from its left quarter to its right quarter.
ci2v::sampling::CameraPath leftToRightPath() {
  ci2v::sampling::CameraPath path;
  ci2v::sampling::Keyframe a, b;
  a.time = 0, a.cx = 128, a.cy = 192, a.w = a.h = 200;
  b.time = 1, b.cx = 384, b.cy = 192, b.w = b.h = 200;
  path.keyframes = {a, b};
  return path;
}

}  // namespace

class TestCamera : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void keyframesAreDrawnMovedResizedAndDeletedWithTheMouse() {
    Window win;
    Document* doc = win->document();
    FirstFrameCanvas* canvas = win->canvas();
    CameraEditor* editor = win->cameraEditor();
    QVERIFY(QTest::qWaitForWindowExposed(win.w.get()));
    QVERIFY(!doc->cameraEnabled());
    QVERIFY(!canvas->cameraOverlay().enabled);

    // The first keyframe comes from "+ Key": the model's view of the picture, at the output aspect (1:1).
    editor->findChild<QToolButton*>(QStringLiteral("camera_add"))->click();
    QVERIFY(doc->cameraEnabled());
    QCOMPARE(pathOf(doc).keyframes.size(), size_t(1));
    QVERIFY(canvas->cameraOverlay().enabled);
    auto k0 = pathOf(doc).keyframes[0];
    QCOMPARE(k0.time, 0.0);
    QCOMPARE(k0.w, k0.h);  // square output -> square crop
    // The camera mode switched FrameInit to the paper's camera settings, visibly.
    QCOMPARE(doc->params().noise_level, 750);
    QCOMPARE(doc->params().cutoff_spatial, 0.5);
    QCOMPARE(doc->params().cutoff_temporal, 0.5);
    QVERIFY(win->parameterPanel()->isFlashing());
    QCOMPARE(win->parameterPanel()->params().noise_level, 750);

    // Draw the crop of the last frame on free picture (right of the first crop, toward the upper left): a new
    // keyframe there, square, where the mouse went.
    editor->setCurrentFrame(7);
    QVERIFY(!camera::keyframeRect(k0).contains(QPointF(490, 230)));
    const QPointF a = canvas->toWidget(QPointF(490, 230)), b = canvas->toWidget(QPointF(330, 90));
    drag(canvas, a, b);
    auto path = pathOf(doc);
    QCOMPARE(path.keyframes.size(), size_t(2));
    const auto k1 = path.keyframes[1];
    QCOMPARE(k1.time, 1.0);
    QVERIFY2(std::abs(k1.w - k1.h) < 1e-6, "the drawn crop keeps the output's aspect");
    QVERIFY2(k1.cx > 330 && k1.cx < 490 && k1.cy > 70 && k1.cy < 230, qPrintable(QStringLiteral("%1, %2").arg(k1.cx).arg(k1.cy)));
    QCOMPARE(editor->selected(), 1);

    // Move it: drag from inside by 40 picture pixels right and 20 down.
    const QPointF inside = canvas->toWidget(QPointF(k1.cx, k1.cy));
    drag(canvas, inside, inside + (canvas->toWidget(QPointF(40, 20)) - canvas->toWidget(QPointF(0, 0))));
    auto moved = pathOf(doc).keyframes[1];
    QVERIFY2(std::abs(moved.cx - (k1.cx + 40)) < 2 && std::abs(moved.cy - (k1.cy + 20)) < 2,
             qPrintable(QStringLiteral("%1, %2").arg(moved.cx).arg(moved.cy)));
    QCOMPARE(moved.w, k1.w);

    // Resize it from its bottom-right handle: larger, still square, top-left corner fixed.
    const QPointF handle = canvas->handlePoint(1, 2);
    QVERIFY(!handle.isNull());
    const double left = moved.cx - moved.w / 2, top = moved.cy - moved.h / 2;
    drag(canvas, handle, handle + QPointF(30, 30));
    auto resized = pathOf(doc).keyframes[1];
    QVERIFY2(resized.w > moved.w + 10, qPrintable(QString::number(resized.w)));
    QVERIFY(std::abs(resized.w - resized.h) < 1e-6);
    QVERIFY(std::abs((resized.cx - resized.w / 2) - left) < 1e-6);
    QVERIFY(std::abs((resized.cy - resized.h / 2) - top) < 1e-6);

    // A third keyframe in the middle from the timeline (double-click on frame 4): it takes the crop the path
    // has there and splits the segment.
    CameraTimeline* tl = editor->timeline();
    const QPointF f4(tl->xOfFrame(3), tl->trackY() + 14);
    QTest::mouseDClick(tl, Qt::LeftButton, Qt::NoModifier, f4.toPoint());
    path = pathOf(doc);
    QCOMPARE(path.keyframes.size(), size_t(3));
    QCOMPARE(camera::keyframeFrame(path, 8, 1), 3);
    const QRectF expectedMid = camera::cropAtFrame(path, 8, 3);
    QVERIFY(camera::keyframeRect(path.keyframes[1]).contains(expectedMid.center()));

    // Drag that keyframe's diamond on the timeline to frame 5: it snaps to the frame.
    drag(tl, tl->keyframePoint(1), QPointF(tl->xOfFrame(5) + 3, tl->trackY()));
    path = pathOf(doc);
    QCOMPARE(camera::keyframeFrame(path, 8, 1), 5);
    QCOMPARE(path.keyframes[1].time, 5.0 / 7.0);
    // ... and never past its neighbour.
    drag(tl, tl->keyframePoint(1), QPointF(tl->xOfFrame(7) + 20, tl->trackY()));
    QCOMPARE(camera::keyframeFrame(pathOf(doc), 8, 1), 6);

    // Easing of the first segment.
    editor->setSelected(0);
    editor->easingCombo()->setCurrentIndex(editor->easingCombo()->findData(static_cast<int>(Easing::EaseInOut)));
    Q_EMIT editor->easingCombo()->activated(editor->easingCombo()->currentIndex());
    QCOMPARE(pathOf(doc).keyframes[0].easing, Easing::EaseInOut);

    // A custom curve: its handles drag in the easing editor, and the path takes them.
    editor->setSelected(1);
    editor->setEasing(1, Easing::CubicBezier);
    EasingEditor* curve = editor->easingEditor();
    QCOMPARE(curve->easing(), Easing::CubicBezier);
    const QPointF h0 = curve->toWidget(curve->handle(0).x(), curve->handle(0).y());
    drag(curve, h0, curve->toWidget(0.6, 0.9));
    const auto bez = pathOf(doc).keyframes[1];
    QCOMPARE(bez.easing, Easing::CubicBezier);
    QVERIFY2(std::abs(bez.x1 - 0.6) < 0.03 && std::abs(bez.y1 - 0.9) < 0.03,
             qPrintable(QStringLiteral("%1, %2").arg(bez.x1).arg(bez.y1)));
    QCOMPARE(ci2v::sampling::ease(bez.easing, 1.0, bez.x1, bez.y1, bez.x2, bez.y2), 1.0);

    // Screenshot: the editor with a three-keyframe path.
    editor->setSelected(1);
    editor->setCurrentFrame(4);
    QTest::qWait(50);
    saveShot(win.w.get(), QStringLiteral("camera_editor_three_keyframes.png"));

    // Delete the selected keyframe with the Delete key on the canvas.
    canvas->setFocus();
    QTest::keyClick(canvas, Qt::Key_Delete);
    QCOMPARE(pathOf(doc).keyframes.size(), size_t(2));
    // ... and on the timeline: a click there takes the keyboard from the results list, so Delete removes the
    // keyframe, not a generated clip
    ResultClip clip;
    clip.id = 900;
    clip.frames << QImage(8, 8, QImage::Format_RGB888);
    doc->addResult(clip);
    win->historyView()->setFocus();
    CameraTimeline* timeline = editor->timeline();
    QCOMPARE(timeline->focusPolicy(), Qt::StrongFocus);  // a click or Tab
    editor->setSelected(1);
    QTest::mouseClick(timeline, Qt::LeftButton, {}, QPoint(2, timeline->height() - 2));
    editor->setSelected(1);
    // (whether the click moved the focus depends on the window being active, which a test cannot count on: the
    // policy is checked above, the key goes to the timeline here)
    QTest::keyClick(timeline, Qt::Key_Delete);
    QCOMPARE(pathOf(doc).keyframes.size(), size_t(1));
    QCOMPARE(doc->resultCount(), 1);
    editor->deleteKeyframe(0);  // back to two below: add one again
    editor->setSelected(-1);
    // Deleting all keyframes returns to the still camera and FrameInit's still defaults.
    QVERIFY(!doc->cameraEnabled());
    QCOMPARE(doc->params().noise_level, 850);
    QCOMPARE(doc->params().cutoff_spatial, 0.25);
    QVERIFY(!canvas->cameraOverlay().enabled);
  }

  void aCustomPathFollowsANewVideoShapeInOneUndoStep() {
    Window win;
    Document* doc = win->document();
    ci2v::sampling::CameraPath path;
    ci2v::sampling::Keyframe a, b;
    a.time = 0, a.cx = 150, a.cy = 150, a.w = a.h = 200;
    b.time = 1, b.cx = 350, b.cy = 200, b.w = b.h = 120;
    path.keyframes = {a, b};
    QVERIFY(doc->setCameraPath(path));
    // The width typed in the panel: 128 × 128 → 192 × 128. Every crop takes the 3:2 shape, its centre and area kept
    // (the layout video would otherwise be a stretched square).
    auto* width = win->parameterPanel()->findChild<QSpinBox*>(QStringLiteral("width"));
    QVERIFY(width);
    width->setValue(192);
    QCOMPARE(doc->params().width, 192);
    const auto fitted = pathOf(doc);
    QCOMPARE(fitted.keyframes.size(), size_t(2));
    for (size_t i = 0; i < 2; ++i) {
      const auto& k = fitted.keyframes[i];
      const auto& o = path.keyframes[i];
      QVERIFY2(std::abs(k.w / k.h - 1.5) < 1e-9, qPrintable(QString::number(k.w / k.h)));
      QVERIFY(std::abs(k.w * k.h - o.w * o.h) < 1e-6 * o.w * o.h);
      QCOMPARE(k.cx, o.cx);
      QCOMPARE(k.cy, o.cy);
      QCOMPARE(k.time, o.time);
    }
    for (const QRectF& c : doc->cameraCrops())  // the crops the layout video is made of: 3:2 up to whole pixels
      QVERIFY2(std::abs(c.width() / c.height() - 1.5) < 0.02, qPrintable(QString::number(c.width() / c.height())));
    QVERIFY2(win->statusBar()->currentMessage().contains(QStringLiteral("192 × 128")),
             qPrintable(win->statusBar()->currentMessage()));
    // One undo step, named for the edit, takes back the width and the path together.
    QUndoStack* undo = win->editHistory()->stack();
    QVERIFY2(!undo->undoText().contains(QLatin1String("camera")), qPrintable(undo->undoText()));
    undo->undo();
    QCOMPARE(doc->params().width, 128);
    QCOMPARE(pathOf(doc).to_json(), path.to_json());
    // A preset follows the size by itself: nothing is stored but its name.
    QVERIFY(doc->setCameraPreset(QStringLiteral("pan_right")));
    width->setValue(192);
    QCOMPARE(doc->params().camera_preset, std::string("pan_right"));
    QVERIFY(doc->params().camera_path.is_null());
  }

  void fewerFramesKeepEveryKeyframeOnAFrameOfItsOwn() {
    Window win;  // 8 frames
    Document* doc = win->document();
    ci2v::sampling::CameraPath path;
    for (int f : {0, 1, 2, 7}) {
      ci2v::sampling::Keyframe k;
      k.time = f / 7.0;
      k.cx = 100 + 30 * f, k.cy = 150, k.w = k.h = 160;
      path.keyframes.push_back(k);
    }
    QVERIFY(doc->setCameraPath(path));
    auto* frames = win->parameterPanel()->findChild<QSpinBox*>(QStringLiteral("frames"));
    QVERIFY(frames);
    // 8 → 5 frames: frames 0, 1, 2, 7 would fall on 0, 1, 1, 4; the third is pushed to frame 2.
    frames->setValue(5);
    auto p = pathOf(doc);
    QCOMPARE(p.keyframes.size(), size_t(4));
    QList<int> at;
    for (int i = 0; i < 4; ++i) at << camera::keyframeFrame(p, 5, i);
    QCOMPARE(at, (QList<int>{0, 1, 2, 4}));
    QCOMPARE(p.keyframes[2].cx, path.keyframes[2].cx);  // only the times moved
    QVERIFY2(win->statusBar()->currentMessage().contains(QLatin1String("moved apart")),
             qPrintable(win->statusBar()->currentMessage()));
    // ... and each can still be moved on the timeline: K3 to frame 3.
    CameraTimeline* tl = win->cameraEditor()->timeline();
    drag(tl, tl->keyframePoint(2), QPointF(tl->xOfFrame(3) + 2, tl->trackY()));
    QCOMPARE(camera::keyframeFrame(pathOf(doc), 5, 2), 3);
    win->editHistory()->stack()->undo();  // the move
    win->editHistory()->stack()->undo();  // the frame count and the path, together
    QCOMPARE(doc->params().frames, 8);
    QCOMPARE(pathOf(doc).to_json(), path.to_json());
    // 8 → 3 frames: four keyframes cannot each have one of three frames; one per frame stays (first and last kept).
    frames->setValue(3);
    p = pathOf(doc);
    QCOMPARE(p.keyframes.size(), size_t(3));
    QCOMPARE(p.keyframes.front().cx, path.keyframes.front().cx);
    QCOMPARE(p.keyframes.back().cx, path.keyframes.back().cx);
    QVERIFY2(win->statusBar()->currentMessage().contains(QLatin1String("merged")),
             qPrintable(win->statusBar()->currentMessage()));
    // Keyframes that already sit on frames of their own keep their exact times (a path from a JSON file).
    QVERIFY(doc->setCameraPath(path));
    frames->setValue(16);
    QCOMPARE(pathOf(doc).to_json(), path.to_json());
  }

  void aPathOverSeveralChunksSpansTheWholeVideo() {
    // With chunks the camera moves once over the whole video (chunks × (frames − 1) + 1 frames), as the engine
    // lays it out: the timeline, the canvas and the camera video show all those frames, not one chunk's.
    Window win;  // 8 frames
    win->editHistory()->setMergeWindowMs(0);  // each chunk edit its own undo step
    Document* doc = win->document();
    ci2v::sampling::CameraPath path = leftToRightPath();
    ci2v::sampling::Keyframe mid = path.keyframes[0];
    mid.time = 2.0 / 14.0, mid.cx = 160;  // frame 2 of 15 (frame 1 of 8)
    ci2v::sampling::Keyframe early = path.keyframes[0];
    early.time = 1.0 / 14.0, early.cx = 140;  // frame 1 of 15 (frame 0.5 of 8, rounded to 1)
    auto* chunks = win->parameterPanel()->findChild<QSpinBox*>(QStringLiteral("chunks"));
    QVERIFY(chunks);
    chunks->setValue(2);
    QCOMPARE(doc->cameraFrames(), 15);
    path.keyframes = {path.keyframes[0], early, mid, path.keyframes[1]};
    QVERIFY(doc->setCameraPath(path));
    QCOMPARE(pathOf(doc).to_json(), path.to_json());  // four keyframes on frames 0, 1, 2 and 14 of 15
    CameraEditor* editor = win->cameraEditor();
    QCOMPARE(editor->frames(), 15);
    QCOMPARE(editor->timeline()->frames(), 15);
    QCOMPARE(win->canvas()->cameraOverlay().frames, (QVector<int>{0, 1, 2, 14}));
    const auto crops = doc->cameraCrops();
    QCOMPARE(crops.size(), 15);
    QCOMPARE(crops.back().center(), QPointF(384, 192));  // the end of the move is the last chunk's last frame
    QVERIFY2(crops[7].center().x() > 160 && crops[7].center().x() < 384, "frame 7 is mid-move, not its end");
    // The camera video is the engine's layout video over all the chunks.
    FrameInitPanel* panel = win->frameInitPanel();
    win->viewTabs()->setCurrentIndex(1);
    const auto expected = ci2v::camera_layout_frames(doc->params(), toRgbImage(doc->firstFrame()));
    QCOMPARE(expected.size(), size_t(15));
    QTRY_COMPARE(panel->cameraFrames().size(), 15);
    for (int i = 0; i < 15; ++i) QVERIFY(panel->cameraFrames()[i] == toQImage(expected[static_cast<size_t>(i)]));
    // The editing frame reaches the last chunk, and the canvas shows that frame's crop.
    editor->setCurrentFrame(14);
    QCOMPARE(editor->currentFrame(), 14);
    QCOMPARE(win->canvas()->cameraOverlay().current, crops.back());
    QCOMPARE(panel->currentFrame(), 14);
    saveShot(win->cameraEditor(), QStringLiteral("camera_editor_two_chunks.png"));
    // Back to one chunk (8 frames): the keyframes on frames 1 and 2 of 15 would share frame 1 of 8; they are
    // pushed apart in the same undo step as the chunk count, which names it.
    chunks->setValue(1);
    QCOMPARE(editor->frames(), 8);
    QList<int> at;
    for (int i = 0; i < 4; ++i) at << camera::keyframeFrame(pathOf(doc), 8, i);
    QCOMPARE(at, (QList<int>{0, 1, 2, 7}));
    QVERIFY2(win->statusBar()->currentMessage().contains(QLatin1String("moved apart")),
             qPrintable(win->statusBar()->currentMessage()));
    QVERIFY2(win->editHistory()->stack()->undoText().contains(QLatin1String("chunks")),
             qPrintable(win->editHistory()->stack()->undoText()));
    QTRY_COMPARE(panel->cameraFrames().size(), 8);
    win->editHistory()->stack()->undo();
    QCOMPARE(doc->params().chunks, 2);
    QCOMPARE(pathOf(doc).to_json(), path.to_json());
    QCOMPARE(editor->frames(), 15);
    // A long video (128 frames x 9 chunks: 1144 frames): the timeline takes them all, and its last frame is the
    // move's end.
    {
      auto p = doc->params();
      p.width = p.height = 64;
      p.frames = 128;
      p.chunks = 9;
      doc->setParams(p);
      QCOMPARE(doc->cameraFrames(), 1144);
      QCOMPARE(editor->timeline()->frames(), 1144);
      editor->setCurrentFrame(1143);
      QCOMPARE(editor->currentFrame(), 1143);
      QCOMPARE(editor->timeline()->currentFrame(), 1143);
      QCOMPARE(win->canvas()->cameraOverlay().current, doc->cameraCrops().back());
      saveShot(editor, QStringLiteral("camera_editor_1144_frames.png"));  // ticks and numbers thin out to fit
    }
    // A still camera: the camera video is one chunk's frames of the still picture (chunks follow the last frame).
    auto still = doc->params();
    still.frames = 8;
    still.chunks = 2;
    doc->setParams(still);
    QVERIFY(doc->setCameraPath({}));
    QTRY_COMPARE(panel->cameraFrames().size(), 8);
  }

  void bandsPastTheFirstChunkSayWhatTheyShow() {
    // The FrameInit bands are the first chunk's; on a camera video over more frames the band tiles say so
    // instead of repeating the chunk's last frame.
    FrameInitPanel panel;
    QImage im(8, 8, QImage::Format_RGB888);
    im.fill(Qt::gray);
    FrameInitImages bands;
    for (int i = 0; i < 4; ++i) bands.low << im, bands.high << im, bands.mixed << im, bands.mask << im;
    panel.setBands(bands, 1.0, QString());
    QImage cam(16, 16, QImage::Format_RGB888);
    cam.fill(Qt::white);
    panel.setCameraFrames(QVector<QImage>(7, cam), QStringLiteral("camera"));
    QCOMPARE(panel.frameCount(), 7);
    panel.setCurrentFrame(3);
    QVERIFY(!panel.shownImage(FrameInitPanel::Low).isNull());
    panel.setCurrentFrame(5);
    QVERIFY(!panel.shownImage(FrameInitPanel::Camera).isNull());
    for (auto t : {FrameInitPanel::Low, FrameInitPanel::High, FrameInitPanel::Mixed, FrameInitPanel::Mask})
      QVERIFY(panel.shownImage(t).isNull());
    const auto labels = panel.findChildren<QLabel*>();
    const bool said = std::any_of(labels.begin(), labels.end(), [](QLabel* l) {
      return l->text().contains(QLatin1String("first chunk")) && l->text().contains(QStringLiteral("1–4"));
    });
    QVERIFY(said);
  }

  void keyframesCrowdedIntoOneFrameStayValidWhenMoved() {
    // A path from a file may hold keyframes closer than a frame: moving one never breaks the order, and one that
    // has no free frame between its neighbours stays where it is.
    ci2v::sampling::CameraPath path;
    for (double t : {0.0, 0.01, 0.02, 1.0}) {
      ci2v::sampling::Keyframe k;
      k.time = t, k.cx = 50, k.cy = 50, k.w = k.h = 40;
      path.keyframes.push_back(k);
    }
    auto moved = path;
    QCOMPARE(camera::moveKeyframe(moved, 8, 1, 4), 0);
    QCOMPARE(moved.keyframes[1].time, 0.01);
    QVERIFY(moved.keyframes[1].time < moved.keyframes[2].time);
    QCOMPARE(camera::moveKeyframe(moved, 8, 2, 4), 4);  // the third has room up to frame 6
    QCOMPARE(moved.keyframes[2].time, 4.0 / 7.0);
    QCOMPARE(camera::moveKeyframe(moved, 8, 2, 7), 6);
    moved.validate();
  }

  void moreKeyframesThanFramesKeepTheEndsAndFillEveryFrame() {
    auto pathAt = [](std::initializer_list<double> times) {
      ci2v::sampling::CameraPath p;
      int i = 0;
      for (double t : times) {
        ci2v::sampling::Keyframe k;
        k.time = t, k.cx = 10 * ++i, k.cy = 50, k.w = k.h = 40;
        p.keyframes.push_back(k);
      }
      return p;
    };
    // Frames 0, 1, 6, 7 of 8, then 3 frames: all three frames keep a keyframe (K1, K2 or K3, K4).
    int dropped = 0;
    auto p = camera::fitFrames(pathAt({0, 1 / 7.0, 6 / 7.0, 1}), 3, &dropped);
    QCOMPARE(p.keyframes.size(), size_t(3));
    QCOMPARE(dropped, 1);
    QCOMPARE(p.keyframes.front().cx, 10.0);
    QCOMPARE(p.keyframes.back().cx, 40.0);
    QCOMPARE(p.keyframes[1].time, 0.5);
    // All on frame 0 of 2: the first and the last stay (the move does not become a still camera).
    p = camera::fitFrames(pathAt({0, 1 / 7.0, 2 / 7.0}), 2, &dropped);
    QCOMPARE(p.keyframes.size(), size_t(2));
    QCOMPARE(p.keyframes[0].cx, 10.0);
    QCOMPARE(p.keyframes[1].cx, 30.0);
    QCOMPARE(p.keyframes[1].time, 1.0);
    // The reference timing (frame i at i/N, the end keyframe one frame past the clip): 8 → 4 frames pushes apart.
    auto r = pathAt({0, 1 / 8.0, 2 / 8.0, 1});
    r.timing = ci2v::sampling::CameraPath::Timing::Reference;
    p = camera::fitFrames(r, 4, &dropped);
    QCOMPARE(dropped, 0);
    QList<int> at;
    for (int i = 0; i < 4; ++i) at << camera::keyframeFrame(p, 4, i);
    QCOMPARE(at, (QList<int>{0, 1, 2, 4}));
    p.validate();
  }

  void aNewPictureOfAnotherSizeTakesThePathAlong() {
    Window win;  // 512 × 384 picture
    Document* doc = win->document();
    const ci2v::sampling::CameraPath path = leftToRightPath();
    QVERIFY(doc->setCameraPath(path));
    // An edit before the new picture: K2 40 pixels right, one undo step.
    win->cameraEditor()->editKeyframeRect(1, camera::keyframeRect(path.keyframes[1]).translated(40, 0), false);
    QCOMPARE(pathOf(doc).keyframes[1].cx, 424.0);
    QImage half(256, 192, QImage::Format_RGB888);
    half.fill(Qt::darkCyan);
    doc->setFirstFrame(half, QStringLiteral("smaller"));
    auto p = pathOf(doc);
    QCOMPARE(p.keyframes[1].cx, 212.0);
    QVERIFY(win->statusBar()->currentMessage().contains(QLatin1String("moved with the new picture")));
    // The new picture is an undo step of its own: undo puts back the old picture with the path as it was on it,
    // exactly; the edit before it comes back next, in the old picture's pixels; redo goes forward again.
    QUndoStack* stack = win->editHistory()->stack();
    QVERIFY2(stack->undoText().contains(QLatin1String("smaller")), qPrintable(stack->undoText()));
    stack->undo();
    QCOMPARE(doc->firstFrame().size(), QSize(512, 384));
    QCOMPARE(doc->firstFrameSource(), testing::examplePicture());
    QCOMPARE(pathOf(doc).keyframes[1].cx, 424.0);
    stack->undo();
    QCOMPARE(pathOf(doc).to_json(), path.to_json());
    stack->redo();
    stack->redo();
    QCOMPARE(doc->firstFrame(), half);
    QCOMPARE(doc->firstFrameSource(), QStringLiteral("smaller"));
    p = pathOf(doc);
    QCOMPARE(p.keyframes[1].cx, 212.0);
    QCOMPARE(p.keyframes[1].w, 100.0);
    QCOMPARE(p.keyframes[0].cx, 64.0);
    QCOMPARE(p.keyframes[0].cy, 96.0);
    QCOMPARE(p.keyframes[0].w, 100.0);
    QCOMPARE(p.keyframes[0].h, 100.0);
    // Another shape (256 × 256): centres follow each axis, crops keep their aspect and share of the area.
    QImage square(256, 256, QImage::Format_RGB888);
    square.fill(Qt::darkRed);
    doc->setFirstFrame(square, QStringLiteral("square"));
    p = pathOf(doc);
    QCOMPARE(p.keyframes[0].cy, 128.0);
    QVERIFY(std::abs(p.keyframes[0].w - p.keyframes[0].h) < 1e-9);
    QVERIFY(std::abs(p.keyframes[0].w * p.keyframes[0].h - 100.0 * 100.0 * 256.0 / 192.0) < 1e-6);
    // The same size again moves nothing; a project brings its own path with its picture, untouched.
    const auto before = doc->params().camera_path;
    const int steps = stack->count();
    doc->setFirstFrame(square, QStringLiteral("square"));  // the same picture again: no step
    QCOMPARE(stack->count(), steps);
    doc->setFirstFrame(square, QStringLiteral("again"));
    QCOMPARE(doc->params().camera_path, before);
    Project project = doc->toProject();
    project.firstFrame = QImage(1024, 768, QImage::Format_RGB888);
    project.firstFrame.fill(Qt::gray);
    project.params.camera_path = path.to_json();
    QString error;
    QVERIFY2(doc->loadProject(project, &error), qPrintable(error));
    QCOMPARE(pathOf(doc).to_json(), path.to_json());
  }

  void aResultsPathFollowsTheCurrentPictureOnRestore() {
    Window win;  // 512 × 384 picture
    Document* doc = win->document();
    const ci2v::sampling::CameraPath path = leftToRightPath();
    ResultClip clip;
    clip.id = 7;
    clip.frames << QImage(8, 8, QImage::Format_RGB888);
    clip.params = doc->params();
    clip.params.camera_path = path.to_json();
    clip.pictureSize = QSize(512, 384);
    doc->addResult(clip);
    ResultClip older = clip;  // as a project written before results had a picture size
    older.id = 8;
    older.pictureSize = QSize();
    doc->addResult(older);
    // The picture size travels with the result in a project file; one without it (an older file) still opens.
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("p.ci2v"));
    QString error;
    QVERIFY2(project::save(doc->toProject(), file, &error), qPrintable(error));
    Project back;
    QVERIFY2(project::load(file, &back, &error), qPrintable(error));
    QCOMPARE(back.results.at(0).pictureSize, QSize(512, 384));
    QVERIFY(back.results.at(1).pictureSize.isEmpty());
    // Another picture (half the size): Restore moves the result's path onto it, in one undo step.
    QImage half(256, 192, QImage::Format_RGB888);
    half.fill(Qt::darkGreen);
    doc->setFirstFrame(half, QStringLiteral("half"));
    win->restoreResult(0);
    auto p = pathOf(doc);
    QCOMPARE(p.keyframes.size(), size_t(2));
    QCOMPARE(p.keyframes[0].cx, 64.0);
    QCOMPARE(p.keyframes[1].cx, 192.0);
    QCOMPARE(p.keyframes[0].w, 100.0);
    QVERIFY2(win->statusBar()->currentMessage().contains(QStringLiteral("512 × 384")),
             qPrintable(win->statusBar()->currentMessage()));
    // the older result, whose picture is not known, keeps its path as it was
    QCOMPARE(doc->resultParamsForNow(1).camera_path, path.to_json());
    // On the picture it was made from, the path is the result's own.
    QImage same(512, 384, QImage::Format_RGB888);
    same.fill(Qt::darkGreen);
    doc->setFirstFrame(same, QStringLiteral("same size"));
    QCOMPARE(doc->resultParamsForNow(0).camera_path, path.to_json());
    // With no picture loaded, paths are in the last picture's pixels: the result's path is fitted to those.
    doc->setFirstFrame(half, QStringLiteral("half again"));
    doc->clearFirstFrame();
    const auto cleared = ci2v::sampling::CameraPath::from_json(doc->resultParamsForNow(0).camera_path);
    QCOMPARE(cleared.keyframes[0].cx, 64.0);
    // Re-run animates the current picture with the result's path moved onto it, says so, and leaves the
    // document's own settings as they are.
    doc->setFirstFrame(half, QStringLiteral("half for the re-run"));
    doc->setModelPath(testing::tinyModel());
    const nlohmann::json settings = doc->params().to_json();
    win->rerunResult(0);
    QVERIFY(win->engine()->isBusy());
    const auto rerun = ci2v::sampling::CameraPath::from_json(win->engine()->lastRequest().params.camera_path);
    QCOMPARE(rerun.keyframes[0].cx, 64.0);
    QCOMPARE(rerun.keyframes[1].cx, 192.0);
    const QString said = win->statusBar()->currentMessage();
    QVERIFY2(said.contains(QStringLiteral("#1")) && said.contains(QStringLiteral("512 × 384")), qPrintable(said));
    QCOMPARE(doc->params().to_json(), settings);
    win->engine()->cancelAll();
    QTRY_VERIFY_WITH_TIMEOUT(!win->engine()->isBusy(), 60000);
  }

  void zoomPresetsAreOfferedOnlyForSquareVideos() {
    Window win;  // 128 × 128
    auto* combo = win->parameterPanel()->findChild<QComboBox*>(QStringLiteral("camera_preset"));
    QVERIFY(combo);
    auto* model = qobject_cast<QStandardItemModel*>(combo->model());
    QVERIFY(model);
    auto item = [&](const char* id) { return model->item(combo->findData(QString::fromLatin1(id))); };
    QAction* zoomIn = win->cameraEditor()->findChild<QAction*>(QStringLiteral("preset_zoom_in"));
    QVERIFY(zoomIn);
    QVERIFY(item("zoom_in")->isEnabled());
    QVERIFY(zoomIn->isEnabled());
    // "Custom path" is what the camera editor makes: not a choice while there is none.
    QVERIFY(!item("custom")->isEnabled());
    auto* width = win->parameterPanel()->findChild<QSpinBox*>(QStringLiteral("width"));
    width->setValue(192);
    QVERIFY(!item("zoom_in")->isEnabled());
    QVERIFY(!item("zoom_out")->isEnabled());
    QVERIFY(item("pan_left")->isEnabled());
    QVERIFY(item("zoom_in")->toolTip().contains(QLatin1String("square")));
    QVERIFY(!zoomIn->isEnabled());
    QVERIFY(zoomIn->toolTip().contains(QLatin1String("square")));
    QVERIFY(win->cameraEditor()->findChild<QAction*>(QStringLiteral("preset_pan_left"))->isEnabled());
    // A drawn path makes "Custom path" the shown entry, and enabled.
    drag(win->canvas(), win->canvas()->toWidget(QPointF(100, 80)), win->canvas()->toWidget(QPointF(260, 240)));
    QVERIFY(!win->document()->params().camera_path.is_null());
    QCOMPARE(combo->currentData().toString(), QStringLiteral("custom"));
    QVERIFY(item("custom")->isEnabled());
    width->setValue(128);
    QVERIFY(item("zoom_in")->isEnabled());
    QVERIFY(zoomIn->isEnabled());
  }

  void thePathIsEditableFromTheKeyboard() {
    Window win;
    Document* doc = win->document();
    FirstFrameCanvas* canvas = win->canvas();
    CameraEditor* editor = win->cameraEditor();
    ci2v::sampling::CameraPath path;
    ci2v::sampling::Keyframe a, b;
    a.time = 0, a.cx = 150, a.cy = 150, a.w = a.h = 200;
    b.time = 1, b.cx = 350, b.cy = 200, b.w = b.h = 120;
    path.keyframes = {a, b};
    QVERIFY(doc->setCameraPath(path));
    QUndoStack* undo = win->editHistory()->stack();
    const int steps = undo->count();

    // The canvas: arrows move the selected crop (Shift: 10 pixels); a held key, repeating, is one undo step.
    editor->setSelected(1);
    QTest::keyClick(canvas, Qt::Key_Right);
    QCOMPARE(pathOf(doc).keyframes[1].cx, 351.0);
    QTest::keyClick(canvas, Qt::Key_Up, Qt::ShiftModifier);
    QCOMPARE(pathOf(doc).keyframes[1].cy, 190.0);
    for (int i = 0; i < 5; ++i) {  // Left held: four auto-repeats, then let go
      QKeyEvent press(QEvent::KeyPress, Qt::Key_Left, Qt::NoModifier, QString(), i > 0);
      QCoreApplication::sendEvent(canvas, &press);
    }
    QKeyEvent release(QEvent::KeyRelease, Qt::Key_Left, Qt::NoModifier, QString(), false);
    QCoreApplication::sendEvent(canvas, &release);
    QCOMPARE(pathOf(doc).keyframes[1].cx, 346.0);
    QCOMPARE(undo->count(), steps + 3);
    // + and − resize about the centre, the aspect kept.
    // "+" as a US keyboard sends it (Shift held), "-", and "_" (Shift+"-"): 5 % each, about the centre.
    QTest::keyClick(canvas, Qt::Key_Plus, Qt::ShiftModifier);
    auto k = pathOf(doc).keyframes[1];
    QVERIFY2(std::abs(k.w - 126) < 1e-9 && std::abs(k.h - 126) < 1e-9, qPrintable(QString::number(k.w)));
    QCOMPARE(k.cx, 346.0);
    QTest::keyClick(canvas, Qt::Key_Minus);
    QVERIFY2(std::abs(pathOf(doc).keyframes[1].w - 120) < 1e-9, qPrintable(QString::number(pathOf(doc).keyframes[1].w)));
    QTest::keyClick(canvas, Qt::Key_Underscore, Qt::ShiftModifier);
    QVERIFY(std::abs(pathOf(doc).keyframes[1].w - 120 / 1.05) < 1e-9);
    undo->undo();
    undo->undo();
    undo->undo();
    QCOMPARE(pathOf(doc).keyframes[1].w, 120.0);
    QCOMPARE(undo->count() - undo->index(), 3);
    // Shift let go before the arrow it modifies: still one step for the whole hold.
    const int before = undo->index();
    QKeyEvent down(QEvent::KeyPress, Qt::Key_Down, Qt::ShiftModifier, QString(), false);
    QCoreApplication::sendEvent(canvas, &down);
    QKeyEvent again(QEvent::KeyPress, Qt::Key_Down, Qt::ShiftModifier, QString(), true);
    QCoreApplication::sendEvent(canvas, &again);
    QKeyEvent shiftUp(QEvent::KeyRelease, Qt::Key_Shift, Qt::NoModifier, QString(), false);
    QCoreApplication::sendEvent(canvas, &shiftUp);
    QKeyEvent repeat(QEvent::KeyPress, Qt::Key_Down, Qt::NoModifier, QString(), true);
    QCoreApplication::sendEvent(canvas, &repeat);
    QKeyEvent downUp(QEvent::KeyRelease, Qt::Key_Down, Qt::NoModifier, QString(), false);
    QCoreApplication::sendEvent(canvas, &downUp);
    QCOMPARE(pathOf(doc).keyframes[1].cy, 211.0);
    QCOMPARE(undo->index(), before + 1);
    undo->undo();
    QCOMPARE(pathOf(doc).keyframes[1].cy, 190.0);

    // The timeline: ←/→ walk the frames, ↑/↓ the keyframes, Ctrl+→ moves the selected keyframe, Insert adds one.
    CameraTimeline* tl = editor->timeline();
    editor->setSelected(-1);
    editor->setCurrentFrame(0);
    QTest::keyClick(tl, Qt::Key_Right);
    QTest::keyClick(tl, Qt::Key_Right);
    QCOMPARE(editor->currentFrame(), 2);
    QTest::keyClick(tl, Qt::Key_End);
    QCOMPARE(editor->currentFrame(), 7);
    QTest::keyClick(tl, Qt::Key_Home);
    QCOMPARE(editor->currentFrame(), 0);
    QTest::keyClick(tl, Qt::Key_Down);  // the next keyframe from frame 0: K1 there
    QCOMPARE(editor->selected(), 0);
    QTest::keyClick(tl, Qt::Key_Down);
    QCOMPARE(editor->selected(), 1);
    QCOMPARE(editor->currentFrame(), 7);
    QTest::keyClick(tl, Qt::Key_Left, Qt::ControlModifier);  // K2 to frame 6
    QCOMPARE(camera::keyframeFrame(pathOf(doc), 8, 1), 6);
    QCOMPARE(editor->currentFrame(), 6);
    {  // Ctrl+← held: three repeats to frame 3, one undo step
      const int at = undo->index();
      for (int i = 0; i < 3; ++i) {
        QKeyEvent press(QEvent::KeyPress, Qt::Key_Left, Qt::ControlModifier, QString(), i > 0);
        QCoreApplication::sendEvent(tl, &press);
      }
      QKeyEvent release(QEvent::KeyRelease, Qt::Key_Left, Qt::ControlModifier, QString(), false);
      QCoreApplication::sendEvent(tl, &release);
      QCOMPARE(camera::keyframeFrame(pathOf(doc), 8, 1), 3);
      QCOMPARE(undo->index(), at + 1);
      undo->undo();
      QCOMPARE(camera::keyframeFrame(pathOf(doc), 8, 1), 6);
    }
    QTest::keyClick(tl, Qt::Key_Up);
    QCOMPARE(editor->selected(), 0);
    QTest::keyClick(tl, Qt::Key_Left, Qt::ControlModifier);  // K1 is on frame 0 already
    QCOMPARE(camera::keyframeFrame(pathOf(doc), 8, 0), 0);
    editor->setCurrentFrame(3);
    QTest::keyClick(tl, Qt::Key_Insert);
    QCOMPARE(pathOf(doc).keyframes.size(), size_t(3));
    QCOMPARE(camera::keyframeFrame(pathOf(doc), 8, 1), 3);
    QCOMPARE(editor->selected(), 1);
    QTest::keyClick(tl, Qt::Key_Delete);
    QCOMPARE(pathOf(doc).keyframes.size(), size_t(2));
  }

  void aDragOnTheStillPictureStartsAPath() {
    Window win;
    Document* doc = win->document();
    FirstFrameCanvas* canvas = win->canvas();
    QVERIFY(QTest::qWaitForWindowExposed(win.w.get()));
    QVERIFY(!doc->cameraEnabled());
    QVERIFY(canvas->cameraOverlay().canStart);
    drag(canvas, canvas->toWidget(QPointF(100, 80)), canvas->toWidget(QPointF(260, 240)));
    QVERIFY(doc->cameraEnabled());
    const auto path = pathOf(doc);
    QCOMPARE(path.keyframes.size(), size_t(1));
    QCOMPARE(path.keyframes[0].time, 0.0);
    QVERIFY(std::abs(path.keyframes[0].cx - 180) < 4 && std::abs(path.keyframes[0].w - path.keyframes[0].h) < 1e-6);
    QVERIFY(canvas->cameraOverlay().enabled);
    QVERIFY(!canvas->cameraOverlay().canStart);
  }

  void tunedFrameInitValuesAreKeptWhenTheCameraModeChanges() {
    Window win;
    Document* doc = win->document();
    auto p = doc->params();
    p.noise_level = 600;
    doc->setParams(p);
    QVERIFY(doc->setCameraPreset(QStringLiteral("pan_right")));
    QCOMPARE(doc->params().noise_level, 600);
    QCOMPARE(doc->params().cutoff_spatial, 0.25);
  }

  void presetsAreEditableAfterTheyAreApplied() {
    Window win;
    Document* doc = win->document();
    QVERIFY(doc->setCameraPreset(QStringLiteral("pan_right")));
    QCOMPARE(doc->params().camera_preset, std::string("pan_right"));  // exact reference crops until edited
    QCOMPARE(doc->params().noise_level, 750);
    auto path = pathOf(doc);
    QCOMPARE(path.keyframes.size(), size_t(2));
    QVERIFY(win->canvas()->cameraOverlay().enabled);
    // The preset's crops over the picture are the reference's (pipeline_pan_right) scaled to the picture:
    // full height, output-aspect window sliding right.
    const auto crops = doc->cameraCrops();
    QCOMPARE(crops.size(), 8);
    QVERIFY(crops.first().left() <= 1);
    QVERIFY(crops.last().left() > crops.first().left());
    QVERIFY(std::abs(crops.first().height() - 384) <= 1);
    // Editing it (move the end keyframe on the canvas) turns it into a custom path, kept as JSON.
    win->cameraEditor()->setSelected(1);
    const QPointF c = win->canvas()->toWidget(path.keyframes[1].cx > 0 ? QPointF(path.keyframes[1].cx, path.keyframes[1].cy)
                                                                        : QPointF());
    drag(win->canvas(), c, c + QPointF(0, 12));
    QVERIFY(doc->params().camera_preset.empty());
    QVERIFY(!doc->params().camera_path.is_null());
    QCOMPARE(pathOf(doc).keyframes.size(), size_t(2));
    QVERIFY(pathOf(doc).keyframes[1].cy > path.keyframes[1].cy + 4);
    QCOMPARE(doc->params().noise_level, 750);  // still camera mode

    // Zoom presets need a square video: a clear message, nothing changed.
    auto p = doc->params();
    p.width = 192;
    doc->setParams(p);
    QString error;
    QVERIFY(!doc->setCameraPreset(QStringLiteral("zoom_in"), &error));
    QVERIFY2(error.contains(QLatin1String("square")), qPrintable(error));
    QVERIFY(!doc->params().camera_path.is_null());
  }

  void pathsRoundTripThroughJson() {
    Window win;
    Document* doc = win->document();
    ci2v::sampling::CameraPath path;
    path.keyframes.push_back({0.0, 200, 190, 180, 180, Easing::CubicBezier, 0.1, 0.7, 0.3, 1.2});
    path.keyframes.push_back({0.5, 260, 190, 150, 150, Easing::Hold});
    path.keyframes.push_back({1.0, 300, 200, 120, 120, Easing::Linear});
    QVERIFY(doc->setCameraPath(path));
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("path.json"));
    QString error;
    QVERIFY2(doc->saveCameraPath(file, &error), qPrintable(error));
    // The CLI reads the same file: it is the engine's camera-path format.
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto parsed = ci2v::sampling::CameraPath::from_json(nlohmann::json::parse(f.readAll().toStdString()));
    QCOMPARE(parsed.to_json(), path.to_json());

    doc->clearCamera();
    QVERIFY(!doc->cameraEnabled());
    QVERIFY2(doc->loadCameraPath(file, &error), qPrintable(error));
    QCOMPARE(doc->cameraPath().to_json(), path.to_json());

    // A broken file: the message names the file and the field; the current path is kept.
    const QString bad = tmp.filePath(QStringLiteral("bad.json"));
    QFile b(bad);
    QVERIFY(b.open(QIODevice::WriteOnly));
    b.write(R"({"version": 1, "keyframes": [{"time": 0, "cx": 1, "cy": 1, "w": -4, "h": 3}]})");
    b.close();
    QVERIFY(!doc->loadCameraPath(bad, &error));
    QVERIFY2(error.contains(QLatin1String("bad.json")) && error.contains(QLatin1String("keyframes[0]")), qPrintable(error));
    QCOMPARE(doc->cameraPath().to_json(), path.to_json());
    QVERIFY(!doc->saveCameraPath(tmp.filePath(QStringLiteral("no/such/dir/p.json")), &error));
    QVERIFY2(error.contains(QLatin1String("p.json")), qPrintable(error));
  }

  void dryRunPlaysTheCameraVideoAtOnce() {
    Window win;
    Document* doc = win->document();
    QVERIFY(doc->setCameraPreset(QStringLiteral("zoom_in")));
    win->cameraEditor()->findChild<QToolButton*>(QStringLiteral("camera_dry_run"))->click();
    FrameInitPanel* panel = win->frameInitPanel();
    QCOMPARE(win->viewTabs()->currentIndex(), 1);
    QTRY_VERIFY(panel->isPlaying());  // as soon as the camera video is made (on a worker thread)
    // The frames are the engine's layout video (no model needed), one per frame at the output size.
    const auto expected = ci2v::camera_layout_frames(doc->params(), toRgbImage(doc->firstFrame()));
    QTRY_COMPARE(panel->cameraFrames().size(), 8);  // made on a worker thread
    for (int i = 0; i < 8; ++i) QVERIFY(panel->cameraFrames()[i] == toQImage(expected[static_cast<size_t>(i)]));
    QCOMPARE(panel->cameraFrames()[0].size(), QSize(128, 128));
    QVERIFY(panel->cameraFrames()[0] != panel->cameraFrames()[7]);  // it zooms
    // Playing moves the current frame, and the canvas shows that frame's crop.
    const QRectF first = win->canvas()->cameraOverlay().current;
    QTRY_VERIFY_WITH_TIMEOUT(panel->currentFrame() >= 3, 3000);
    QTRY_VERIFY(win->canvas()->cameraOverlay().current != first);
    QCOMPARE(win->cameraEditor()->currentFrame(), panel->currentFrame());
  }

  void frameInitPreviewUpdatesLiveWithTheModel() {
    Window win;
    Document* doc = win->document();
    auto p = doc->params();
    p.width = 64;
    p.height = 64;
    p.seed = 5;
    doc->setParams(p);
    win->chooseModel(testing::tinyModel());
    QTRY_VERIFY_WITH_TIMEOUT(doc->modelState() == Document::ModelState::Ready, 60000);
    QSignalSpy ready(win->engine(), &EngineController::frameInitPreviewReady);
    win->showFrameInitPreview();
    QTRY_VERIFY_WITH_TIMEOUT(!win->frameInitPanel()->bands().empty(), 60000);
    const FrameInitImages still = win->frameInitPanel()->bands();
    QCOMPARE(still.low.size(), 8);
    QVERIFY(win->frameInitPanel()->statusText().contains(QLatin1String("ms")));

    // τ changes the low band; D0 changes the mask and the mixed noise.
    p = doc->params();
    p.noise_level = 500;
    doc->setParams(p);
    QTRY_VERIFY_WITH_TIMEOUT(win->frameInitPanel()->bands().low[4] != still.low[4], 60000);
    const FrameInitImages tau = win->frameInitPanel()->bands();
    const int dc = static_cast<int>(still.mask.size()) / 2;  // the slice through the lowest temporal frequency
    QVERIFY(tau.mask[dc] == still.mask[dc]);
    p.cutoff_spatial = 0.7;
    doc->setParams(p);
    QTRY_VERIFY_WITH_TIMEOUT(win->frameInitPanel()->bands().mask[dc] != still.mask[dc], 60000);
    // A camera path changes the layout video and so the low band.
    const FrameInitImages d0 = win->frameInitPanel()->bands();
    QVERIFY(doc->setCameraPreset(QStringLiteral("pan_left")));
    QTRY_VERIFY_WITH_TIMEOUT(win->frameInitPanel()->bands().low[4] != d0.low[4], 60000);
    QTRY_COMPARE(win->frameInitPanel()->cameraFrames().size(), 8);
    win->frameInitPanel()->setCurrentFrame(4);
    QTest::qWait(50);
    saveShot(win->viewTabs(), QStringLiteral("frameinit_preview_panel.png"));
    // While a keyframe is dragged only the camera video follows (a path change costs a VAE encoding); the
    // bands follow on release.
    QTest::qWait(200);
    int before = ready.count();
    const auto path = doc->cameraPath();
    QRectF r = camera::keyframeRect(path.keyframes[1]);
    const QImage lastBefore = win->frameInitPanel()->cameraFrames()[7];
    win->cameraEditor()->editKeyframeRect(1, r.translated(0, -10), true);
    QTRY_VERIFY(win->frameInitPanel()->cameraFrames()[7] != lastBefore);  // the camera video followed the drag
    QTest::qWait(300);
    QCOMPARE(ready.count(), before);
    QVERIFY(win->frameInitPanel()->cameraFrames()[7] != win->frameInitPanel()->cameraFrames()[0]);
    win->cameraEditor()->editKeyframeRect(1, r.translated(0, -10), false);
    QTRY_VERIFY_WITH_TIMEOUT(ready.count() > before, 60000);
    // An answer on its way when the panel is cleared (FrameInit turned off) is not shown over the message.
    {
      auto q = doc->params();
      q.noise_level = 420;  // a new request...
      doc->setParams(q);
      win->showFrameInitPreview();
      q.frameinit = false;  // ... and, before its answer, FrameInit off
      doc->setParams(q);
      win->showFrameInitPreview();
      const int answers = ready.count();
      QTRY_VERIFY_WITH_TIMEOUT(ready.count() > answers, 60000);
      QTest::qWait(50);
      QVERIFY(win->frameInitPanel()->bands().empty());
      QVERIFY(win->frameInitPanel()->statusText().contains(QLatin1String("FrameInit is off")));
      q.frameinit = true;
      doc->setParams(q);
      QTRY_VERIFY_WITH_TIMEOUT(!win->frameInitPanel()->bands().empty(), 60000);
    }
    // A prompt edit does not touch FrameInit: no new request.
    QTest::qWait(200);
    before = ready.count();
    doc->setPrompt(QStringLiteral("a different prompt"));
    QTest::qWait(300);
    QCOMPARE(ready.count(), before);
    // With a camera the chunk count is asked about: the path spans all the chunks, so the first chunk's crops
    // (and its low band) change with it.
    QVERIFY(doc->cameraEnabled());
    const QImage lowBefore = win->frameInitPanel()->bands().low[4];
    p = doc->params();
    p.chunks = 2;
    doc->setParams(p);
    QTRY_VERIFY_WITH_TIMEOUT(ready.count() > before, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(win->frameInitPanel()->bands().low[4] != lowBefore, 60000);
    QTRY_COMPARE(win->frameInitPanel()->cameraFrames().size(), 15);
  }
};

CI2V_GUI_TEST_MAIN(TestCamera)
#include "tst_camera.moc"
