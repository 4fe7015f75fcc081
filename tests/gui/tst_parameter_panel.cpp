// Parameter binding: panel <-> document <-> the GenerationParams of the request. A spin box edit changes the
// document and the request; parameters loaded into the document update the widgets; sizes stay multiples of
// 8; the seed controls; tooltips explain τ and D0; the main window wires it all the same way.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QToolButton>

#include "app/document.h"
#include "app/main_window.h"
#include "app/settings.h"
#include "gui_test_util.h"
#include "widgets/parameter_panel.h"
#include "widgets/prompt_edit.h"

using namespace studio;

namespace {
// The binding the main window makes, on a bare panel and document.
void bind(ParameterPanel& panel, Document& doc) {
  QObject::connect(&panel, &ParameterPanel::paramsEdited, &doc, &Document::setParams);
  QObject::connect(&doc, &Document::paramsChanged, &panel, [&] { panel.setParams(doc.params()); });
}

template <class W>
W* child(QWidget& parent, const char* name) {
  W* w = parent.findChild<W*>(QString::fromLatin1(name));
  if (!w) qFatal("no child widget '%s'", name);
  return w;
}

// Type a value into a spin box as a user does (keyboard tracking is off: Return commits).
void typeInto(QAbstractSpinBox* s, const QString& text) {
  s->setFocus();
  s->selectAll();
  QTest::keyClicks(s, text);
  QTest::keyClick(s, Qt::Key_Return);
}
}  // namespace

class TestParameterPanel : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void showsReferenceDefaults() {
    ParameterPanel panel;
    QCOMPARE(child<QSpinBox>(panel, "noise_level")->value(), 850);
    QCOMPARE(child<QDoubleSpinBox>(panel, "cutoff_spatial")->value(), 0.25);
    QCOMPARE(child<QDoubleSpinBox>(panel, "cutoff_temporal")->value(), 0.25);
    QCOMPARE(child<QComboBox>(panel, "filter")->currentData().toString(), QStringLiteral("gaussian"));
    QCOMPARE(child<QDoubleSpinBox>(panel, "cfg_text")->value(), 7.5);
    QCOMPARE(child<QDoubleSpinBox>(panel, "cfg_image")->value(), 1.0);
    QCOMPARE(child<QDoubleSpinBox>(panel, "guidance_rescale")->value(), 0.0);
    QCOMPARE(child<QSpinBox>(panel, "steps")->value(), 50);
    QCOMPARE(child<QComboBox>(panel, "sampler")->currentData().toString(), QStringLiteral("ddim"));
    QCOMPARE(child<QSpinBox>(panel, "frames")->value(), 16);
    QCOMPARE(child<QSpinBox>(panel, "frame_stride")->value(), 3);
    QCOMPARE(child<QSpinBox>(panel, "width")->value(), 256);
    QCOMPARE(child<QSpinBox>(panel, "height")->value(), 256);
    QCOMPARE(child<QSpinBox>(panel, "chunks")->value(), 1);
    QCOMPARE(child<QComboBox>(panel, "device")->currentData().toString(), QStringLiteral("auto"));
    QCOMPARE(child<QComboBox>(panel, "dtype")->currentData().toString(), QStringLiteral("fp32"));
    QVERIFY(child<QCheckBox>(panel, "random_seed")->isChecked());
    QCOMPARE(panel.params().to_json(), ci2v::GenerationParams{}.to_json());
  }

  void rangesAreSane() {
    ParameterPanel panel;
    auto* tau = child<QSpinBox>(panel, "noise_level");
    QCOMPARE(tau->minimum(), 1);
    QCOMPARE(tau->maximum(), 999);
    auto* ds = child<QDoubleSpinBox>(panel, "cutoff_spatial");
    QVERIFY(ds->minimum() == 0 && ds->maximum() == 1.0);  // 0: the reference's zero filter
    QCOMPARE(child<QSpinBox>(panel, "frames")->minimum(), 2);
    QCOMPARE(child<QSpinBox>(panel, "frames")->maximum(), 128);
    QCOMPARE(child<QSpinBox>(panel, "width")->minimum(), 8);  // (the reference takes any multiple of 8)
    QCOMPARE(child<QDoubleSpinBox>(panel, "guidance_rescale")->maximum(), 1.0);
    // Whatever each widget allows validates (each extreme on its own, and together those that fit one video)...
    ci2v::GenerationParams p;
    p.noise_level = tau->maximum();
    p.cutoff_spatial = ds->minimum();
    p.frames = child<QSpinBox>(panel, "frames")->maximum();
    p.steps = child<QSpinBox>(panel, "steps")->maximum();
    p.width = child<QSpinBox>(panel, "width")->maximum();
    p.validate();
    auto chunks = ci2v::GenerationParams{};
    chunks.chunks = child<QSpinBox>(panel, "chunks")->maximum();
    chunks.validate();
    // ... but not every combination: 32 chunks of 128 frames at 2048 x 256 are refused (at Generate) with a
    // sentence that says what to lower, as a video of 4065 such frames would need hundreds of GB
    p.chunks = chunks.chunks;
    try {
      p.validate();
      QFAIL("4065 frames of 2048 x 256 accepted");
    } catch (const std::exception& e) {  // ci2v::Error
      QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("use fewer chunks, fewer frames or a smaller size")), e.what());
    }
  }

  void tooltipsExplainTauAndD0InPlainWords() {
    ParameterPanel panel;
    const QString tau = child<QSpinBox>(panel, "noise_level")->toolTip();
    QVERIFY(tau.contains(QStringLiteral("τ")));
    QVERIFY(tau.contains(QLatin1String("Lower")) && tau.contains(QLatin1String("Higher")));
    QVERIFY(tau.contains(QLatin1String("motion")));
    const QString ds = child<QDoubleSpinBox>(panel, "cutoff_spatial")->toolTip();
    QVERIFY(ds.contains(QLatin1String("D0")) && ds.contains(QLatin1String("detail")));
    const QString dt = child<QDoubleSpinBox>(panel, "cutoff_temporal")->toolTip();
    QVERIFY(dt.contains(QLatin1String("D0")) && dt.contains(QLatin1String("time")));
    // Every editable field has a tooltip.
    for (QWidget* w : panel.findChildren<QWidget*>()) {
      if (w->objectName().isEmpty() || w->objectName().startsWith(QLatin1String("qt_"))) continue;
      QVERIFY2(!w->toolTip().isEmpty(), qPrintable(w->objectName()));
    }
  }

  void spinBoxEditReachesDocumentAndRequest() {
    ParameterPanel panel;
    Document doc;
    bind(panel, doc);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy changed(&doc, &Document::paramsChanged);
    typeInto(child<QSpinBox>(panel, "noise_level"), QStringLiteral("640"));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(doc.params().noise_level, 640);
    QCOMPARE(child<QSlider>(panel, "noise_level_slider")->value(), 640);  // the slider follows

    typeInto(child<QDoubleSpinBox>(panel, "cutoff_temporal"), QStringLiteral("0.6"));
    QCOMPARE(doc.params().cutoff_temporal, 0.6);
    child<QComboBox>(panel, "filter")->setCurrentIndex(child<QComboBox>(panel, "filter")->findData(QStringLiteral("butterworth")));
    QCOMPARE(doc.params().filter, ci2v::FilterType::Butterworth);
    QVERIFY(child<QSpinBox>(panel, "butterworth_order")->isEnabled());
    child<QComboBox>(panel, "dtype")->setCurrentIndex(1);
    QCOMPARE(doc.params().dtype, std::string("fp16"));
    child<QSlider>(panel, "noise_level_slider")->setValue(900);
    QCOMPARE(doc.params().noise_level, 900);
    QCOMPARE(child<QSpinBox>(panel, "noise_level")->value(), 900);

    doc.setFirstFrame(QImage(testing::firstFramePng()), QStringLiteral("test"));
    doc.setModelPath(testing::tinyModel());
    GenerationRequest req;
    QString error;
    QVERIFY2(doc.makeRequest(&req, &error), qPrintable(error));
    QCOMPARE(req.params.noise_level, 900);
    QCOMPARE(req.params.cutoff_temporal, 0.6);
    QCOMPARE(req.params.filter, ci2v::FilterType::Butterworth);
    QCOMPARE(req.params.dtype, std::string("fp16"));
  }

  void loadedParamsUpdateWidgets() {
    ParameterPanel panel;
    Document doc;
    bind(panel, doc);
    QSignalSpy edits(&panel, &ParameterPanel::paramsEdited);
    QVERIFY(doc.setParamsJson(QStringLiteral(
        R"({"noise_level": 500, "cutoff_spatial": 0.75, "cutoff_temporal": 0.1, "filter": "ideal",
            "cfg_text": 9, "cfg_image": 1.5, "steps": 25, "sampler": "dpmpp_2m", "frames": 8, "frame_stride": 5,
            "width": 384, "height": 256, "chunks": 2, "seed": 99, "device": "cpu", "dtype": "bf16",
            "center_crop": false, "camera_preset": "zoom_in", "frameinit": false})")));
    QCOMPARE(edits.count(), 0);  // showing loaded values is not an edit
    QCOMPARE(child<QSpinBox>(panel, "noise_level")->value(), 500);
    QCOMPARE(child<QSlider>(panel, "noise_level_slider")->value(), 500);
    QCOMPARE(child<QDoubleSpinBox>(panel, "cutoff_spatial")->value(), 0.75);
    QCOMPARE(child<QDoubleSpinBox>(panel, "cutoff_temporal")->value(), 0.1);
    QCOMPARE(child<QComboBox>(panel, "filter")->currentData().toString(), QStringLiteral("ideal"));
    QCOMPARE(child<QDoubleSpinBox>(panel, "cfg_text")->value(), 9.0);
    QCOMPARE(child<QDoubleSpinBox>(panel, "cfg_image")->value(), 1.5);
    QCOMPARE(child<QSpinBox>(panel, "steps")->value(), 25);
    QCOMPARE(child<QComboBox>(panel, "sampler")->currentData().toString(), QStringLiteral("dpmpp_2m"));
    QVERIFY(!child<QDoubleSpinBox>(panel, "eta")->isEnabled());  // DDIM only
    QCOMPARE(child<QSpinBox>(panel, "frames")->value(), 8);
    QCOMPARE(child<QSpinBox>(panel, "frame_stride")->value(), 5);
    QCOMPARE(child<QSpinBox>(panel, "width")->value(), 384);
    QCOMPARE(child<QSpinBox>(panel, "height")->value(), 256);
    QCOMPARE(child<QComboBox>(panel, "size_preset")->currentData().toSize(), QSize(384, 256));
    QCOMPARE(child<QSpinBox>(panel, "chunks")->value(), 2);
    QVERIFY(!child<QCheckBox>(panel, "random_seed")->isChecked());
    QCOMPARE(child<QLineEdit>(panel, "seed")->text(), QStringLiteral("99"));
    QCOMPARE(child<QComboBox>(panel, "device")->currentData().toString(), QStringLiteral("cpu"));
    QCOMPARE(child<QComboBox>(panel, "dtype")->currentData().toString(), QStringLiteral("bf16"));
    QCOMPARE(child<QComboBox>(panel, "center_crop")->currentData().toString(), QStringLiteral("pad"));
    QCOMPARE(child<QComboBox>(panel, "camera_preset")->currentData().toString(), QStringLiteral("zoom_in"));
    QVERIFY(!child<QCheckBox>(panel, "frameinit")->isChecked());
    QVERIFY(!child<QSpinBox>(panel, "noise_level")->isEnabled());  // FrameInit off: its settings are inactive
    // The panel reproduces exactly what was loaded.
    QCOMPARE(panel.params().to_json(), doc.params().to_json());
  }

  void finerValuesSurviveAnEditOfAnotherField() {
    // A project or --params file may hold values finer than a box shows (D0 0.001, the reference's zero filter,
    // guidance 7.25): an edit of another field leaves them as they are.
    ParameterPanel panel;
    Document doc;
    bind(panel, doc);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(doc.setParamsJson(QStringLiteral(R"({"cutoff_spatial": 0.001, "cutoff_temporal": 0, "cfg_text": 7.25,
                                                 "cfg_image": 1.125, "guidance_rescale": 0.0})")));
    typeInto(child<QSpinBox>(panel, "steps"), QStringLiteral("12"));
    QCOMPARE(doc.params().steps, 12);
    QCOMPARE(doc.params().cutoff_spatial, 0.001);
    QCOMPARE(doc.params().cutoff_temporal, 0.0);
    QCOMPARE(doc.params().cfg_text, 7.25);
    QCOMPARE(doc.params().cfg_image, 1.125);
    // ... while a value typed into its own box is taken as typed
    typeInto(child<QDoubleSpinBox>(panel, "cfg_text"), QStringLiteral("6"));
    QCOMPARE(doc.params().cfg_text, 6.0);
    QCOMPARE(doc.params().cutoff_spatial, 0.001);
  }

  void sizesStayMultiplesOfEight() {
    ParameterPanel panel;
    Document doc;
    bind(panel, doc);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    typeInto(child<QSpinBox>(panel, "width"), QStringLiteral("10"));
    QCOMPARE(doc.params().width, 8);  // (the reference takes any multiple of 8)
    typeInto(child<QSpinBox>(panel, "width"), QStringLiteral("300"));
    QCOMPARE(doc.params().width, 304);
    QCOMPARE(child<QSpinBox>(panel, "width")->value(), 304);
    QCOMPARE(child<QComboBox>(panel, "size_preset")->currentData().toSize(), QSize());  // "Custom"
    auto* preset = child<QComboBox>(panel, "size_preset");
    const int i = preset->findData(QSize(64, 64));
    QVERIFY(i >= 0);
    preset->setCurrentIndex(i);
    Q_EMIT preset->activated(i);
    QCOMPARE(doc.params().width, 64);
    QCOMPARE(doc.params().height, 64);
    doc.params().validate();
  }

  void seedControls() {
    ParameterPanel panel;
    Document doc;
    bind(panel, doc);
    QCOMPARE(doc.params().seed, int64_t{-1});
    child<QToolButton>(panel, "dice")->click();
    const int64_t rolled = doc.params().seed;
    QVERIFY(rolled >= 0);
    QVERIFY(!child<QCheckBox>(panel, "random_seed")->isChecked());
    QCOMPARE(child<QLineEdit>(panel, "seed")->text(), QString::number(rolled));
    auto* seed = child<QLineEdit>(panel, "seed");
    seed->setText(QStringLiteral("123456789012"));
    Q_EMIT seed->editingFinished();
    QCOMPARE(doc.params().seed, int64_t{123456789012});
    child<QCheckBox>(panel, "random_seed")->setChecked(true);
    QCOMPARE(doc.params().seed, int64_t{-1});
    QVERIFY(!seed->isEnabled());
    doc.setSeed(31337);  // "use the seed of a result"
    QCOMPARE(seed->text(), QStringLiteral("31337"));
    QVERIFY(!child<QCheckBox>(panel, "random_seed")->isChecked());
  }

  void cameraPresetUsesThePapersFrameInitValues() {
    ParameterPanel panel;
    Document doc;
    bind(panel, doc);
    auto* cam = child<QComboBox>(panel, "camera_preset");
    cam->setCurrentIndex(cam->findData(QStringLiteral("pan_right")));
    QCOMPARE(doc.params().camera_preset, std::string("pan_right"));
    QCOMPARE(doc.params().noise_level, 750);
    QCOMPARE(doc.params().cutoff_spatial, 0.5);
    QCOMPARE(doc.params().cutoff_temporal, 0.5);
    cam->setCurrentIndex(cam->findData(QString()));
    QVERIFY(doc.params().camera_preset.empty());
    QCOMPARE(doc.params().noise_level, 850);
    // Tuned values are left alone.
    auto p = doc.params();
    p.noise_level = 600;
    doc.setParams(p);
    cam->setCurrentIndex(cam->findData(QStringLiteral("zoom_out")));
    QCOMPARE(doc.params().noise_level, 600);
  }

  void resetButtonRestoresReference() {
    ParameterPanel panel;
    Document doc;
    bind(panel, doc);
    auto p = testing::tinyParams();
    p.noise_level = 321;
    doc.setParams(p);
    child<QPushButton>(panel, "reset_params")->click();
    QCOMPARE(doc.params().noise_level, 850);
    QCOMPARE(doc.params().width, 256);
    QCOMPARE(doc.params().prompt, p.prompt);
    QCOMPARE(doc.params().seed, p.seed);
    QCOMPARE(doc.params().device, p.device);
  }

  // The same binding inside the real window (no model loaded: nothing runs).
  void mainWindowBindsPanelPromptsAndDocument() {
    QTemporaryDir tmp;
    MainWindow w(new StudioSettings(tmp.filePath(QStringLiteral("s.ini"))));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* tau = w.parameterPanel()->findChild<QSpinBox*>(QStringLiteral("noise_level"));
    QVERIFY(tau);
    typeInto(tau, QStringLiteral("700"));
    QCOMPARE(w.document()->params().noise_level, 700);
    QTest::keyClicks(w.promptEdit()->comboBox()->lineEdit(), QStringLiteral("leaves fall"));
    QCOMPARE(w.document()->params().prompt, std::string("leaves fall"));
    QCOMPARE(w.document()->params().noise_level, 700);  // the prompt edit did not reset the panel's value
    w.document()->setNegativePrompt(QStringLiteral("blur"));
    QCOMPARE(w.negativePromptEdit()->text(), QStringLiteral("blur"));
    auto p = w.document()->params();
    p.steps = 17;
    w.document()->setParams(p);
    QCOMPARE(w.parameterPanel()->findChild<QSpinBox*>(QStringLiteral("steps"))->value(), 17);
    // Generate without a first frame explains what is missing instead of failing.
    w.generate();
    QVERIFY(w.lastMessage().text.contains(QLatin1String("first frame")));
  }
};

CI2V_GUI_TEST_MAIN(TestParameterPanel)
#include "tst_parameter_panel.moc"
