// The studio window: first frame, prompts, model, settings panel, Generate/Cancel with progress and previews,
// the result player, results with their seeds, export. State lives in the Document; the engine runs on
// the EngineController's thread; exports on the ExportRunner's thread.
#pragma once
#include <QMainWindow>
#include <memory>

#include "app/document.h"
#include "app/user_errors.h"

class QAction;
class QLabel;
class QListWidget;
class QPushButton;
class QTabWidget;
class QTimer;

namespace studio {

class CameraEditor;
class EditHistory;
class FrameInitPanel;
class EngineController;
class ExportDialog;
class ExportRunner;
class FirstFrameCanvas;
class LatencyMonitor;
class ModelPicker;
class ParameterPanel;
class PreviewStrip;
class PromptEdit;
class StudioSettings;
class VideoPlayer;

class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  // settings: where to remember things (owned by the window); nullptr = the application's QSettings.
  explicit MainWindow(StudioSettings* settings = nullptr, QWidget* parent = nullptr);
  ~MainWindow() override;

  Document* document() const { return doc_; }
  EditHistory* editHistory() const { return history_; }
  EngineController* engine() const { return engine_; }
  ParameterPanel* parameterPanel() const { return panel_; }
  FirstFrameCanvas* canvas() const { return canvas_; }
  VideoPlayer* player() const { return player_; }
  PreviewStrip* previewStrip() const { return strip_; }
  ModelPicker* modelPicker() const { return picker_; }
  PromptEdit* promptEdit() const { return prompt_; }
  PromptEdit* negativePromptEdit() const { return negative_; }
  QListWidget* resultList() const { return results_; }
  ExportDialog* exportDialog() const { return exportDialog_; }  // nullptr until first opened
  ExportRunner* exportRunner() const { return exporter_; }
  StudioSettings* settings() const { return settings_.get(); }
  CameraEditor* cameraEditor() const { return cameraEditor_; }
  FrameInitPanel* frameInitPanel() const { return frameInitPanel_; }
  QTabWidget* viewTabs() const { return viewTabs_; }
  // The id of the FrameInit preview last asked of the engine (0: none yet).
  quint64 lastFrameInitPreviewId() const { return previewId_; }

  // The most recent message box shown (title empty when none) and the UI's largest event-loop gap during the
  // last generation, from Generate to the result's arrival (a 10 ms timer on the UI thread).
  UserMessage lastMessage() const { return lastMessage_; }
  double lastRunMaxGapMs() const { return lastRunMaxGap_; }
  int lastRunTicks() const { return lastRunTicks_; }

public Q_SLOTS:
  void openFirstFrame();
  bool loadFirstFrame(const QString& path);
  void pasteFirstFrame();
  void openExample();
  void chooseModel(const QString& path);  // probe + load on the engine thread
  void generate();
  void cancel();
  void togglePlay();
  void showExportDialog();
  void loadParameters();
  void saveParameters();
  void loadCameraPath();
  void saveCameraPath();
  void dryRun();                    // the camera video, played in the FrameInit tab
  void showFrameInitPreview();      // switches to the FrameInit tab and refreshes it
  void refreshFrameInitPreview();   // asks the engine for the bands of the current settings (coalesced)

Q_SIGNALS:
  void messageShown(const QString& title);
  void generationEnded();  // finished, failed or cancelled

protected:
  void closeEvent(QCloseEvent*) override;

private:
  void buildUi();
  void buildActions();
  void bindDocument();
  void bindEngine();
  void showMessage(const UserMessage& m, bool warning = true);
  void setBusy(bool busy);
  void updateCanvas();
  void updateActions();
  void addResultItem(int index);
  void showResult(int index);
  void endRun(const QString& text);
  void stopLatency();
  void bindCamera();
  void applyCameraChange(const Document::CameraChange& change, const QString& text, bool interim);
  void updateCameraOverlay();
  void updateCameraVideo();
  void schedulePreview();

  std::unique_ptr<StudioSettings> settings_;
  Document* doc_ = nullptr;
  EditHistory* history_ = nullptr;
  EngineController* engine_ = nullptr;
  ExportRunner* exporter_ = nullptr;
  LatencyMonitor* latency_ = nullptr;

  FirstFrameCanvas* canvas_ = nullptr;
  PromptEdit* prompt_ = nullptr;
  PromptEdit* negative_ = nullptr;
  ModelPicker* picker_ = nullptr;
  ParameterPanel* panel_ = nullptr;
  VideoPlayer* player_ = nullptr;
  PreviewStrip* strip_ = nullptr;
  QListWidget* results_ = nullptr;
  QPushButton* copySeed_ = nullptr;
  QPushButton* useSeed_ = nullptr;
  ExportDialog* exportDialog_ = nullptr;
  CameraEditor* cameraEditor_ = nullptr;
  FrameInitPanel* frameInitPanel_ = nullptr;
  QTabWidget* viewTabs_ = nullptr;
  QTimer* previewTimer_ = nullptr;
  QString previewKey_;     // the settings the shown bands belong to
  QString cameraVideoKey_;
  quint64 previewId_ = 0;
  bool pathDragging_ = false;
  QLabel* statusModel_ = nullptr;
  QLabel* statusLatency_ = nullptr;

  QAction* openAction_ = nullptr;
  QAction* pasteAction_ = nullptr;
  QAction* exampleAction_ = nullptr;
  QAction* modelAction_ = nullptr;
  QAction* generateAction_ = nullptr;
  QAction* cancelAction_ = nullptr;
  QAction* playAction_ = nullptr;
  QAction* stepForwardAction_ = nullptr;
  QAction* stepBackAction_ = nullptr;
  QAction* exportAction_ = nullptr;
  QAction* undoAction_ = nullptr;
  QAction* redoAction_ = nullptr;

  UserMessage lastMessage_;
  QString lastModelFailure_;
  double lastRunMaxGap_ = 0;
  int lastRunTicks_ = 0;
  bool userChoseModel_ = false;
};

}  // namespace studio
