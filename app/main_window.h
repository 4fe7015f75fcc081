// The studio window: first frame, prompts, model, settings panel, Generate/Cancel with progress and previews,
// the result player, results with their seeds, export. State lives in the Document; the engine runs on
// the EngineController's thread; exports on the ExportRunner's thread.
#pragma once
#include <QMainWindow>
#include <QSet>
#include <QMessageBox>
#include <QPointer>
#include <memory>

#include "app/document.h"
#include "app/model_probe.h"
#include "app/user_errors.h"

class QAction;
class QLockFile;
class QThreadPool;
class QLabel;
class QListWidget;
class QPushButton;
class QTabWidget;
class QTimer;
class QToolButton;

namespace studio {

class Autosaver;
class CameraEditor;
class HistoryView;
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
  // What the start chose instead of the last model used ("" when it took that one).
  QString startNote() const { return startNote_; }
  FirstFrameCanvas* canvas() const { return canvas_; }
  VideoPlayer* player() const { return player_; }
  PreviewStrip* previewStrip() const { return strip_; }
  ModelPicker* modelPicker() const { return picker_; }
  PromptEdit* promptEdit() const { return prompt_; }
  PromptEdit* negativePromptEdit() const { return negative_; }
  QListWidget* resultList() const;
  HistoryView* historyView() const { return results_; }
  Autosaver* autosaver() const { return autosaver_; }
  QWidget* recoveryBar() const { return recoveryBar_; }
  QString recoveryFile() const { return recoveryFile_; }
  enum class BatchKind { Seeds, NoiseLevel, CutoffSpatial, CutoffTemporal };
  // The runs of a batch: N seeds from `from`, or N values of τ / D0 evenly from `from` to `to`.
  static QVector<ci2v::GenerationParams> batchRuns(const ci2v::GenerationParams& base, BatchKind kind, int count,
                                                   double from, double to);

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
  void applyModelSettings(const ModelProbe& probe);
  // Marks `demo` as the model being left (its recommended settings and FrameInit defaults), so that choosing
  // another model brings back the reference settings its own replaced.
  void leaveDemoSettings(const ModelProbe& demo);
  void generate();
  void cancel();
  void cancelAllRuns();
  void togglePlay();
  void showExportDialog();
  void loadParameters();
  void saveParameters();
  // Projects (.ci2v): the first frame, parameters, camera path and the whole history.
  void newProject();
  void openProject();
  bool openProjectFile(const QString& file);
  bool saveProject();
  bool saveProjectAs();
  bool saveProjectTo(const QString& file);
  // A file dropped on the window: a project opens, an exported clip (MP4/GIF/WebP/PNG with our settings)
  // restores its settings, any other picture becomes the first frame.
  void openDroppedFile(const QString& path);
  bool restoreSettingsFrom(const QString& path);  // false when the file carries no settings
  // The history.
  void restoreResult(int index);
  void rerunResult(int index);
  void toggleFavourite(int index);
  void askToDeleteResult(int index);  // the list's Delete key, its menu and the button: asks first
  void deleteResult(int index);
  // The queue: several generations one after another (N seeds, or a sweep over τ or D0).
  void showBatchDialog();
  int queueGenerations(const QVector<ci2v::GenerationParams>& runs);
  // Before the document is replaced (new, open, drop, recover): unsaved work is saved (Save), dropped (Discard)
  // or the action called off (Cancel: false). Nothing to ask when nothing unsaved would be lost.
  bool maybeSaveChanges(const QString& action);
  // After the document was replaced: stops the runs the user chose to stop in maybeSaveChanges (none otherwise).
  void stopRunsOfReplacedDocument();
  QString runningText() const;  // "A generation is running (and N more are queued)." for the questions that stop runs
  // Crash recovery (the bar at the top offers it when an earlier session ended without closing).
  bool recoverAutosave();
  void discardAutosave();
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
  bool eventFilter(QObject* watched, QEvent* event) override;
  void dragEnterEvent(QDragEnterEvent*) override;
  void dropEvent(QDropEvent*) override;

private:
  void buildUi();
  void buildActions();
  void bindDocument();
  void bindEngine();
  QMessageBox* showMessage(const UserMessage& m, bool warning = true);  // window-modal, returns at once
  void setBusy(bool busy);
  void updateCanvas();
  void updateActions();
  void addResultItem(int index);
  void showResult(int index);
  void endRun(const QString& text);
  void stopLatency();
  void bindCamera();
  void rebuildHistory();
  void updateTitle();
  void restoreSession();
  void checkRecovery();
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
  HistoryView* results_ = nullptr;
  Autosaver* autosaver_ = nullptr;
  QWidget* recoveryBar_ = nullptr;
  QLabel* recoveryText_ = nullptr;
  QString recoveryFile_;
  QLabel* queueLabel_ = nullptr;
  QLabel* negativeNote_ = nullptr;  // a negative prompt without guidance has no effect
  QString startNote_;               // what the start chose instead of the last model, said once the window is up
  QString startModel_;  // the model the start chose (a usable one), for a restored session whose model is gone
  QToolButton* queueCancelButton_ = nullptr;  // Cancel all, beside the queue
  QPushButton* copySeed_ = nullptr;
  QPushButton* useSeed_ = nullptr;
  QPushButton* restoreButton_ = nullptr;
  QPushButton* rerunButton_ = nullptr;
  QPushButton* favouriteButton_ = nullptr;
  QPushButton* deleteButton_ = nullptr;
  ExportDialog* exportDialog_ = nullptr;
  CameraEditor* cameraEditor_ = nullptr;
  FrameInitPanel* frameInitPanel_ = nullptr;
  QTabWidget* viewTabs_ = nullptr;
  QTimer* previewTimer_ = nullptr;
  QString previewKey_;     // the settings the shown bands belong to
  QString cameraVideoKey_;      // what the camera video shows
  QString cameraVideoWanted_;   // the newest request (made on a worker: crops of a big picture take a while)
  bool cameraVideoBusy_ = false;
  quint64 shownResultId_ = 0;  // the clip the player holds (0: none)
  bool frameInitShown() const;  // the FrameInit & camera tab is the one shown
  bool loadWhenIdle_ = false;   // a model load waits for the queue (modelLoadDeferred)
  bool folderCheckFailed_ = false;  // the model folder failed its check: device changes do not load it
  QPointer<QWidget> keyboardFocused_;  // the control Tab gave the focus to (it takes Space; a clicked one does not)
  std::string loadedDevice_, loadedDtype_;  // the device and precision the model was last asked for
  void followDeviceChoice();
  void loadDocumentModel(const QString& status);  // the document's model, for its device and precision
  // preferDownloaded: a demo model gives way to ConsistI2V in the hub cache (the untitled session at a start).
  void followDocumentModel(bool newProject, bool preferDownloaded = false);  // after the document was replaced: its model is the one loaded
  ModelProbe checkModelFolder(const QString& path, UserMessage* failure);  // shared by the two above
  bool playCameraVideoWhenMade_ = false;  // the dry run waits for it
  QThreadPool* cameraPool_ = nullptr;  // one thread; waited for when the window goes
  void startCameraVideo();
  void finishCameraVideo(const QString& key, const QVector<QImage>& frames, const QString& caption,
                         const QString& error);
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
  QAction* cancelAllAction_ = nullptr;  // the running generation and the queued ones
  QPointer<QMessageBox> failureBox_;    // a failed generation's message, while it is open
  int moreFailures_ = 0;                // failures after it, told in it instead of in boxes of their own
  QAction* playAction_ = nullptr;
  QAction* stepForwardAction_ = nullptr;
  QAction* stepBackAction_ = nullptr;
  QAction* exportAction_ = nullptr;
  QAction* undoAction_ = nullptr;
  QAction* redoAction_ = nullptr;

  UserMessage lastMessage_;
  quint64 exportResultId_ = 0;  // the result the export dialog was opened for
  // The last model that failed to load (a folder check or the engine's load, whatever the document's model then):
  // a generation that fails with the same message failed on its model, and the message names that model.
  struct ModelFailure {
    QString dir, message;
  } lastModelFailure_;
  double lastRunMaxGap_ = 0;
  int lastRunTicks_ = 0;
  bool userChoseModel_ = false;
  // The session file could not be restored nor moved aside: this session neither replaces nor removes it.
  bool sessionFileBlocked_ = false;
  // The untitled session belongs to one window at a time (a second studio, e.g. one started by opening a picture
  // from the file manager, would overwrite or remove the first one's work): held from the start to the close.
  std::unique_ptr<QLockFile> sessionLock_;
  bool sessionInUse_ = false;  // another running studio holds it: this one neither restores, replaces nor removes it
  // Runs the user stopped when the document was replaced: a clip one of them still brings is dropped.
  QSet<quint64> stoppedRuns_;
  bool stopRunsOnReplace_ = false;  // "Stop them" was chosen; done once the document is replaced
  bool startedWithDemo_ = false;
  bool modelIsDemo_ = false;
  ModelProbe::Recommended demoSettings_;  // what the current demo model asked for (see applyModelSettings)

public:
  bool modelIsDemo() const { return modelIsDemo_; }
};

}  // namespace studio
