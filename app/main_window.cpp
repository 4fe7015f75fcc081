#include "app/main_window.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFile>
#include <QFileInfo>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QLocale>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QFrame>
#include <QGridLayout>
#include <QGroupBox>
#include <QComboBox>
#include <QSpinBox>
#include <QHBoxLayout>
#include <QImageReader>
#include <QFocusEvent>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLabel>
#include <QLockFile>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QThreadPool>
#include <QTimer>
#include <QToolButton>
#include <QToolBar>
#include <QUndoStack>
#include <QUrl>
#include <QVBoxLayout>

#include "app/autosave.h"
#include "app/camera_edit.h"
#include "app/document.h"
#include "app/edit_history.h"
#include "app/project.h"
#include "app/save_name.h"
#include "app/engine_worker.h"
#include "app/export_runner.h"
#include "app/language_menu.h"
#include "app/latency_monitor.h"
#include "app/model_probe.h"
#include "app/model_download_dialog.h"
#include "app/settings.h"
#include "widgets/camera_editor.h"
#include "widgets/camera_timeline.h"
#include "widgets/export_dialog.h"
#include "widgets/first_frame_canvas.h"
#include "widgets/frameinit_panel.h"
#include "widgets/history_view.h"
#include "widgets/model_picker.h"
#include "widgets/parameter_panel.h"
#include "widgets/preview_strip.h"
#include "widgets/prompt_edit.h"
#include "widgets/video_player.h"

#ifdef CONSISTI2V_HAVE_MEDIA
#include "engine/media/export.h"
#include "engine/io/json_text.h"
#endif

// Resources of the static studio library: registered explicitly (a static library's initialisers are
// otherwise dropped by the linker). Outside any namespace, as Q_INIT_RESOURCE requires.
static void initStudioResources() { Q_INIT_RESOURCE(studio); }

namespace studio {
namespace {

QIcon icon(const char* name) { return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name))); }

QString imageFilter() {
  return MainWindow::tr("Pictures (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff *.gif);;All files (*)");
}

}  // namespace

MainWindow::MainWindow(StudioSettings* settings, QWidget* parent)
    : QMainWindow(parent), settings_(settings ? settings : new StudioSettings) {
  initStudioResources();
  setObjectName(QStringLiteral("main_window"));
  setWindowTitle(tr("ConsistI2V Studio"));
  setWindowIcon(icon("app"));
  doc_ = new Document(this);
  history_ = new EditHistory(doc_, this);
  engine_ = new EngineController(this);
  exporter_ = new ExportRunner(this);
  latency_ = new LatencyMonitor(this, 10);

  buildUi();
  buildActions();
  bindDocument();
  bindEngine();
  bindCamera();

  picker_->setHuggingFaceCacheDir(huggingFaceCacheDir());
  settings_->load(*doc_);
  loadedDevice_ = doc_->params().device;  // what the loads below ask for
  loadedDtype_ = doc_->params().dtype;
  panel_->setParams(doc_->params());
  prompt_->setHistory(doc_->promptHistory());
  negative_->setHistory(doc_->negativeHistory());
  prompt_->setText(QString::fromStdString(doc_->params().prompt));
  negative_->setText(QString::fromStdString(doc_->params().negative_prompt));
  {
    // The model to start with: the last one used, unless it was a demo model and ConsistI2V has been downloaded
    // since (the demo only stands in for it), or it can no longer be opened (a moved clone, a deleted folder);
    // then the downloaded weights, else the bundled demo model.
    const QString saved = doc_->modelPath();
    const ModelProbe savedProbe = saved.isEmpty() ? ModelProbe{} : probeModelFolder(saved);
    // (the cache is looked at only when the last model is a demo or cannot be used)
    const bool downloaded = !(savedProbe.ok && !savedProbe.demo) && probeModelFolder(huggingFaceCacheDir()).ok;
    const QString demo = bundledDemoModel();
    if (!saved.isEmpty() && savedProbe.ok && !(savedProbe.demo && downloaded)) {
      picker_->setPath(saved);
      chooseModel(saved);  // probe and load in the background; no dialog at start
      startModel_ = saved;
    } else if (downloaded) {
      if (savedProbe.ok && savedProbe.demo) leaveDemoSettings(savedProbe);  // its 64 x 64, 8 frames... go
      chooseModel(huggingFaceCacheDir());  // ConsistI2V already downloaded (by us or another tool)
      startModel_ = huggingFaceCacheDir();
      if (!saved.isEmpty())
        startNote_ = savedProbe.ok ? tr("Using the downloaded ConsistI2V weights instead of the demo model.")
                                   : tr("The model folder %1 could not be opened (%2); using the downloaded ConsistI2V "
                                        "weights.")
                                         .arg(saved, savedProbe.error);
    } else if (!demo.isEmpty() && (saved.isEmpty() || !savedProbe.ok)) {
      // No ConsistI2V weights yet: start with the small demo model so that everything works at once.
      chooseModel(demo);
      startedWithDemo_ = true;
      startModel_ = demo;
      if (!saved.isEmpty())
        startNote_ = tr("The model folder %1 could not be opened (%2); using the demo model.").arg(saved, savedProbe.error);
    } else if (!saved.isEmpty()) {
      picker_->setPath(saved);
      chooseModel(saved);  // says what is wrong with it
    }
  }
  if (!restoreGeometry(settings_->windowGeometry())) resize(1360, 860);
  restoreState(settings_->windowState());
  restoreSession();
  if (startedWithDemo_ && !doc_->hasFirstFrame()) {
    openExample();  // ... and a first frame to animate
    history_->stack()->clear();  // (where the work starts, not an edit to take back)
  }
  autosaver_ = new Autosaver(doc_, settings_->autosaveFolder(), Autosaver::kDefaultIntervalMs, this);
  connect(autosaver_, &Autosaver::failed, this, [this](const QString& m) {
    statusBar()->showMessage(tr("Autosave failed: %1").arg(m), 8000);
  });
  if (!autosaver_->isActive())  // (said before anything was connected; it tries again every minute)
    statusBar()->showMessage(tr("Autosave is off (%1); it tries again every minute.").arg(autosaver_->lastError()),
                             15000);
  checkRecovery();
  if (!startNote_.isEmpty()) statusBar()->showMessage(startNote_, 15000);
  connect(engine_, &EngineController::queueChanged, this, [this](int waiting) {
    queueLabel_->setVisible(waiting > 0);
    queueCancelButton_->setVisible(waiting > 0);
    queueLabel_->setText(tr("%n more generation(s) queued", nullptr, waiting));
    updateActions();
  });
  updateCanvas();
  updateActions();
  updateTitle();
}

MainWindow::~MainWindow() {
  // a camera video still being made posts its frames to this window: it finishes first (a fraction of a second)
  if (cameraPool_) cameraPool_->waitForDone();
}

QListWidget* MainWindow::resultList() const { return results_; }

void MainWindow::buildUi() {
  // --- left: first frame, prompts, model
  auto* left = new QWidget;
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(8, 8, 4, 8);
  auto* frameBox = new QGroupBox(tr("First frame"));
  auto* frameLayout = new QVBoxLayout(frameBox);
  canvas_ = new FirstFrameCanvas;
  frameLayout->addWidget(canvas_, 1);
  cameraEditor_ = new CameraEditor;
  frameLayout->addWidget(cameraEditor_);
  leftLayout->addWidget(frameBox, 1);

  auto* promptBox = new QGroupBox(tr("Prompt"));
  auto* promptLayout = new QVBoxLayout(promptBox);
  prompt_ = new PromptEdit(tr("Describe the motion, e.g. “waves roll onto the beach at sunset”"));
  prompt_->setObjectName(QStringLiteral("prompt"));
  prompt_->setToolTip(tr("What should happen in the clip. Earlier prompts are in the drop-down."));
  negative_ = new PromptEdit(tr("What to avoid (optional), e.g. “blurry, distorted”"));
  negative_->setObjectName(QStringLiteral("negative_prompt"));
  negative_->setToolTip(tr("Things the clip should not show. Earlier negative prompts are in the drop-down."));
  promptLayout->addWidget(prompt_);
  promptLayout->addWidget(new QLabel(tr("Negative prompt")));
  promptLayout->addWidget(negative_);
  negativeNote_ = new QLabel(tr("The negative prompt has no effect while the prompt and picture strengths are both 1 "
                                "or less (it only steers guidance)."));
  negativeNote_->setObjectName(QStringLiteral("negative_note"));
  negativeNote_->setWordWrap(true);
  negativeNote_->setForegroundRole(QPalette::PlaceholderText);
  negativeNote_->hide();
  promptLayout->addWidget(negativeNote_);
  leftLayout->addWidget(promptBox);

  auto* modelBox = new QGroupBox(tr("Model"));
  auto* modelLayout = new QVBoxLayout(modelBox);
  picker_ = new ModelPicker;
  modelLayout->addWidget(picker_);
  leftLayout->addWidget(modelBox);

  auto* genRow = new QHBoxLayout;
  auto* generateButton = new QPushButton(icon("generate"), tr("Generate"));
  generateButton->setObjectName(QStringLiteral("generate_button"));
  generateButton->setMinimumHeight(36);
  QFont bf = generateButton->font();
  bf.setBold(true);
  generateButton->setFont(bf);
  auto* cancelButton = new QPushButton(icon("cancel"), tr("Cancel"));
  cancelButton->setObjectName(QStringLiteral("cancel_button"));
  cancelButton->setMinimumHeight(36);
  genRow->addWidget(generateButton, 2);
  genRow->addWidget(cancelButton, 1);
  leftLayout->addLayout(genRow);

  // --- centre: player, progress + previews, results
  auto* centre = new QWidget;
  auto* centreLayout = new QVBoxLayout(centre);
  centreLayout->setContentsMargins(4, 8, 4, 8);
  player_ = new VideoPlayer;
  frameInitPanel_ = new FrameInitPanel;
  viewTabs_ = new QTabWidget;
  viewTabs_->setObjectName(QStringLiteral("view_tabs"));
  viewTabs_->addTab(player_, tr("Result"));
  auto* fiScroll = new QScrollArea;
  fiScroll->setWidget(frameInitPanel_);
  fiScroll->setWidgetResizable(true);
  viewTabs_->addTab(fiScroll, tr("FrameInit && camera preview"));
  viewTabs_->setTabToolTip(1, tr("What FrameInit starts the denoising from, live as you change τ, D0, the filter, "
                                 "the seed or the camera path — without running the model"));
  centreLayout->addWidget(viewTabs_, 1);
  auto* progressBox = new QGroupBox(tr("Progress"));
  auto* progressLayout = new QVBoxLayout(progressBox);
  strip_ = new PreviewStrip;
  progressLayout->addWidget(strip_);
  centreLayout->addWidget(progressBox);
  auto* resultsBox = new QGroupBox(tr("Results"));
  auto* resultsLayout = new QHBoxLayout(resultsBox);
  results_ = new HistoryView;
  results_->setFixedHeight(96);
  auto* seedButtons = new QGridLayout;
  seedButtons->setSpacing(2);
  copySeed_ = new QPushButton(icon("copy"), tr("Copy seed"));
  copySeed_->setObjectName(QStringLiteral("copy_seed"));
  copySeed_->setToolTip(tr("Copy the seed of the selected result to the clipboard"));
  useSeed_ = new QPushButton(icon("dice"), tr("Use seed"));
  useSeed_->setObjectName(QStringLiteral("use_seed"));
  useSeed_->setToolTip(tr("Generate the next clip with the seed of the selected result (to vary the other settings)"));
  auto historyButton = [](const char* id, const QString& text, const QString& tip) {
    auto* b = new QPushButton(text);
    b->setObjectName(QString::fromLatin1(id));
    b->setToolTip(tip);
    return b;
  };
  restoreButton_ = historyButton("restore_result", tr("Restore"), tr("Restore every setting of the selected clip (undoable)"));
  rerunButton_ = historyButton("rerun_result", tr("Re-run"), tr("Generate the selected clip's settings again with a new seed"));
  favouriteButton_ = historyButton("favourite_result", tr("★"), tr("Mark the selected clip as favourite (or not)"));
  deleteButton_ = historyButton("delete_result", tr("Delete"), tr("Delete the selected clip from the history"));
  seedButtons->addWidget(copySeed_, 0, 0);
  seedButtons->addWidget(useSeed_, 1, 0);
  seedButtons->addWidget(restoreButton_, 0, 1);
  seedButtons->addWidget(rerunButton_, 1, 1);
  seedButtons->addWidget(favouriteButton_, 0, 2);
  seedButtons->addWidget(deleteButton_, 1, 2);
  resultsLayout->addWidget(results_, 1);
  resultsLayout->addLayout(seedButtons);
  centreLayout->addWidget(resultsBox);

  // --- right: every setting
  panel_ = new ParameterPanel;
  panel_->setObjectName(QStringLiteral("parameter_panel"));
  auto* scroll = new QScrollArea;
  scroll->setObjectName(QStringLiteral("parameter_scroll"));
  scroll->setWidget(panel_);
  scroll->setWidgetResizable(true);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setMinimumWidth(panel_->sizeHint().width() + 24);

  queueLabel_ = new QLabel;
  queueLabel_->setObjectName(QStringLiteral("queue_label"));
  progressLayout->addWidget(queueLabel_);
  queueLabel_->hide();
  queueCancelButton_ = new QToolButton;
  queueCancelButton_->setObjectName(QStringLiteral("queue_cancel_button"));
  queueCancelButton_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  progressLayout->addWidget(queueCancelButton_);
  queueCancelButton_->hide();

  auto* split = new QSplitter(Qt::Horizontal);
  split->setObjectName(QStringLiteral("main_splitter"));
  split->addWidget(left);
  split->addWidget(centre);
  split->addWidget(scroll);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 5);
  split->setStretchFactor(2, 0);
  split->setSizes({380, 600, 360});
  // The crash-recovery bar above everything (hidden unless an earlier session ended without closing).
  auto* bar = new QFrame;
  bar->setFrameShape(QFrame::StyledPanel);
  recoveryBar_ = bar;
  recoveryBar_->setObjectName(QStringLiteral("recovery_bar"));
  recoveryBar_->setStyleSheet(QStringLiteral("#recovery_bar { background: rgba(255, 214, 10, 60); }"));
  auto* barLayout = new QHBoxLayout(recoveryBar_);
  recoveryText_ = new QLabel;
  recoveryText_->setObjectName(QStringLiteral("recovery_text"));
  recoveryText_->setWordWrap(true);
  auto* recoverButton = new QPushButton(tr("Recover"));
  recoverButton->setObjectName(QStringLiteral("recover_button"));
  auto* discardButton = new QPushButton(tr("Discard"));
  discardButton->setObjectName(QStringLiteral("discard_recovery_button"));
  barLayout->addWidget(recoveryText_, 1);
  barLayout->addWidget(recoverButton);
  barLayout->addWidget(discardButton);
  connect(recoverButton, &QPushButton::clicked, this, &MainWindow::recoverAutosave);
  connect(discardButton, &QPushButton::clicked, this, &MainWindow::discardAutosave);
  recoveryBar_->hide();
  auto* central = new QWidget;
  auto* centralLayout = new QVBoxLayout(central);
  centralLayout->setContentsMargins(0, 0, 0, 0);
  centralLayout->setSpacing(0);
  centralLayout->addWidget(recoveryBar_);
  centralLayout->addWidget(split, 1);
  setCentralWidget(central);
  setAcceptDrops(true);

  statusModel_ = new QLabel;
  statusLatency_ = new QLabel;
  statusLatency_->setObjectName(QStringLiteral("latency"));
  statusLatency_->setToolTip(tr("The longest the window was unresponsive during the last generation"));
  statusBar()->addPermanentWidget(statusLatency_);
  statusBar()->addPermanentWidget(statusModel_);

  connect(generateButton, &QPushButton::clicked, this, &MainWindow::generate);
  connect(cancelButton, &QPushButton::clicked, this, &MainWindow::cancel);
  connect(engine_, &EngineController::busyChanged, generateButton, [generateButton, cancelButton](bool busy) {
    generateButton->setEnabled(!busy);
    cancelButton->setEnabled(busy);
  });
  cancelButton->setEnabled(false);
}

void MainWindow::buildActions() {
  auto make = [this](const char* name, const QString& text, const char* iconName, const QKeySequence& key,
                     const QString& tip) {
    auto* a = new QAction(icon(iconName), text, this);
    a->setObjectName(QString::fromLatin1(name));
    if (!key.isEmpty()) a->setShortcut(key);
    a->setToolTip(key.isEmpty() ? tip : QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
    a->setStatusTip(tip);
    addAction(a);  // shortcuts work wherever the focus is in the window
    return a;
  };
  openAction_ = make("action_open", tr("&Open picture…"), "open", QKeySequence::Open, tr("Open a first frame"));
  pasteAction_ = make("action_paste", tr("&Paste picture"), "paste", QKeySequence::Paste,
                      tr("Use the picture on the clipboard as the first frame"));
  exampleAction_ = make("action_example", tr("Open &example picture"), "image", QKeySequence(),
                        tr("Try the studio with the bundled example picture"));
  modelAction_ = make("action_model", tr("Choose &model folder…"), "model", QKeySequence(tr("Ctrl+M")),
                      tr("Choose the ConsistI2V model folder"));
  generateAction_ = make("action_generate", tr("&Generate"), "generate", QKeySequence(tr("Ctrl+Return")),
                         tr("Animate the first frame"));
  cancelAction_ = make("action_cancel", tr("&Cancel"), "cancel", QKeySequence(Qt::Key_Escape),
                       tr("Stop the running generation"));
  cancelAllAction_ = make("action_cancel_all", tr("Cancel &all"), "cancel", QKeySequence(tr("Shift+Esc")),
                          tr("Stop the running generation and drop the queued ones"));
  playAction_ = make("action_play", tr("&Play / pause"), "play", QKeySequence(Qt::Key_Space), tr("Play or pause the result"));
  stepForwardAction_ = make("action_step_forward", tr("&Next frame"), "step-forward", QKeySequence(Qt::Key_Period),
                            tr("Show the next frame"));
  stepBackAction_ = make("action_step_back", tr("P&revious frame"), "step-back", QKeySequence(Qt::Key_Comma),
                         tr("Show the previous frame"));
  exportAction_ = make("action_export", tr("&Export…"), "export", QKeySequence(tr("Ctrl+E")),
                       tr("Save the result as MP4, GIF, WebP or PNG frames"));
  auto* loadParams = make("action_load_params", tr("&Load settings…"), "open", QKeySequence(),
                          tr("Load generation settings from a JSON file"));
  auto* saveParams = make("action_save_params", tr("&Save settings…"), "save", QKeySequence(),
                          tr("Save the generation settings as JSON"));
  auto* quit = make("action_quit", tr("&Quit"), "cancel", QKeySequence::Quit, tr("Quit the studio"));
  auto* resetParams = make("action_reset_params", tr("&Reset settings"), "reset", QKeySequence(),
                           tr("Every setting back to the reference defaults"));
  generateAction_->setShortcuts({QKeySequence(tr("Ctrl+Return")), QKeySequence(tr("Ctrl+Enter"))});
  generateAction_->setPriority(QAction::HighPriority);

  auto* newProject = make("action_new_project", tr("&New project"), "reset", QKeySequence::New,
                          tr("Start an empty project (the model and the machine settings stay)"));
  auto* openProject = make("action_open_project", tr("Open &project…"), "open", QKeySequence(tr("Ctrl+Shift+O")),
                           tr("Open a ConsistI2V Studio project (.ci2v)"));
  auto* saveProject = make("action_save_project", tr("Save pro&ject"), "save", QKeySequence::Save,
                           tr("Save the first frame, the settings, the camera path and the history as a project"));
  auto* saveProjectAs = make("action_save_project_as", tr("Save project &as…"), "save", QKeySequence::SaveAs,
                             tr("Save the project under a new name"));
  auto* batch = make("action_queue_batch", tr("&Queue a batch…"), "generate", QKeySequence(tr("Ctrl+B")),
                     tr("Several generations one after another: N seeds, or a sweep over τ or D0"));
  connect(newProject, &QAction::triggered, this, &MainWindow::newProject);
  connect(openProject, &QAction::triggered, this, &MainWindow::openProject);
  connect(saveProject, &QAction::triggered, this, &MainWindow::saveProject);
  connect(saveProjectAs, &QAction::triggered, this, &MainWindow::saveProjectAs);
  connect(batch, &QAction::triggered, this, &MainWindow::showBatchDialog);
  auto* file = menuBar()->addMenu(tr("&File"));
  file->addAction(newProject);
  file->addAction(openProject);
  file->addAction(saveProject);
  file->addAction(saveProjectAs);
  file->addSeparator();
  file->addAction(openAction_);
  file->addAction(pasteAction_);
  file->addAction(exampleAction_);
  file->addSeparator();
  file->addAction(modelAction_);
  // Model manager: fetch the model from the Hugging Face hub, then load it.
  file->addAction(icon("model"), tr("&Download model…"), this, [this] {
        ModelDownloadDialog dlg(this);
        connect(&dlg, &ModelDownloadDialog::modelReady, this, [this](const QString& dir) {
          userChoseModel_ = true;
          chooseModel(dir);
        });
        dlg.exec();
      })->setObjectName(QStringLiteral("action_download_model"));
  file->addSeparator();
  file->addAction(loadParams);
  file->addAction(saveParams);
  file->addSeparator();
  file->addAction(exportAction_);
  file->addSeparator();
  file->addAction(quit);
  // Edit: undo / redo of every parameter and camera-path edit; the actions name what they will undo.
  auto* edit = menuBar()->addMenu(tr("&Edit"));
  edit->setObjectName(QStringLiteral("menu_edit"));
  undoAction_ = history_->stack()->createUndoAction(this, tr("&Undo"));
  undoAction_->setObjectName(QStringLiteral("action_undo"));
  undoAction_->setShortcut(QKeySequence::Undo);
  undoAction_->setIcon(QIcon::fromTheme(QStringLiteral("edit-undo")));
  redoAction_ = history_->stack()->createRedoAction(this, tr("&Redo"));
  redoAction_->setObjectName(QStringLiteral("action_redo"));
  redoAction_->setShortcut(QKeySequence::Redo);
  redoAction_->setIcon(QIcon::fromTheme(QStringLiteral("edit-redo")));
  edit->addAction(undoAction_);
  edit->addAction(redoAction_);
  auto* gen = menuBar()->addMenu(tr("&Generate"));
  gen->addAction(generateAction_);
  gen->addAction(batch);
  gen->addAction(cancelAction_);
  gen->addAction(cancelAllAction_);
  gen->addSeparator();
  gen->addAction(resetParams);
  auto* play = menuBar()->addMenu(tr("&Playback"));
  play->addAction(playAction_);
  play->addAction(stepBackAction_);
  play->addAction(stepForwardAction_);
  auto* help = menuBar()->addMenu(tr("&Help"));
  addLanguageMenu(help, settings_->raw(), this);  // System / English / 한국어, applies after a restart
  // the list is made from the actions themselves, so it cannot drift from the real shortcuts (it said Ctrl+S saved
  // the settings; Ctrl+S saves the project)
  QAction* shortcuts = help->addAction(tr("&Keyboard shortcuts"), this, [this] {
    QStringList lines;
    for (QAction* a : findChildren<QAction*>()) {
      if (a->shortcuts().isEmpty()) continue;
      QStringList keys;
      for (const QKeySequence& k : a->shortcuts()) keys << k.toString(QKeySequence::NativeText);
      QString what = a->text();
      what.remove(QLatin1Char('&'));
      if (what.endsWith(QChar(0x2026))) what.chop(1);  // "Export…" -> "Export"
      lines << QStringLiteral("%1   %2").arg(keys.join(QStringLiteral(" / ")), what);
    }
    showMessage({tr("Keyboard shortcuts"), lines.join(QLatin1Char('\n')), QString()}, false);
  });
  shortcuts->setObjectName(QStringLiteral("action_shortcuts"));
  help->addAction(tr("&About"), this, [this] {
    showMessage({tr("About ConsistI2V Studio"),
                 tr("ConsistI2V Studio %1\nAnimates a still picture with the ConsistI2V image-to-video model "
                    "(Ren et al., 2024), natively in C++.")
                     .arg(QApplication::applicationVersion()),
                 QString()},
                false);
  });

  auto* tb = addToolBar(tr("Main"));
  tb->setObjectName(QStringLiteral("main_toolbar"));
  tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  tb->setIconSize(QSize(20, 20));
  tb->addAction(openAction_);
  tb->addAction(pasteAction_);
  tb->addAction(modelAction_);
  tb->addSeparator();
  tb->addAction(generateAction_);
  tb->addAction(cancelAction_);
  tb->addSeparator();
  tb->addAction(playAction_);
  tb->addAction(exportAction_);

  connect(openAction_, &QAction::triggered, this, &MainWindow::openFirstFrame);
  connect(pasteAction_, &QAction::triggered, this, &MainWindow::pasteFirstFrame);
  connect(exampleAction_, &QAction::triggered, this, &MainWindow::openExample);
  connect(modelAction_, &QAction::triggered, picker_, &ModelPicker::browse);
  connect(generateAction_, &QAction::triggered, this, &MainWindow::generate);
  connect(cancelAction_, &QAction::triggered, this, &MainWindow::cancel);
  connect(cancelAllAction_, &QAction::triggered, this, &MainWindow::cancelAllRuns);
  queueCancelButton_->setDefaultAction(cancelAllAction_);
  connect(playAction_, &QAction::triggered, this, &MainWindow::togglePlay);
  // Space, "," and "." drive what is shown: the result, or on the FrameInit tab its camera video and bands
  connect(stepForwardAction_, &QAction::triggered, this, [this] {
    if (frameInitShown()) frameInitPanel_->setCurrentFrame(frameInitPanel_->currentFrame() + 1);
    else player_->stepForward();
  });
  connect(stepBackAction_, &QAction::triggered, this, [this] {
    if (frameInitShown()) frameInitPanel_->setCurrentFrame(frameInitPanel_->currentFrame() - 1);
    else player_->stepBackward();
  });
  // A button, check box or drop-down list with the keyboard takes its Space (else the play shortcut would).
  qApp->installEventFilter(this);
  connect(exportAction_, &QAction::triggered, this, &MainWindow::showExportDialog);
  connect(loadParams, &QAction::triggered, this, &MainWindow::loadParameters);
  connect(saveParams, &QAction::triggered, this, &MainWindow::saveParameters);
  connect(resetParams, &QAction::triggered, this, [this] {
    // The reference defaults; the prompts and the machine's device and precision stay.
    const auto& cur = doc_->params();
    ci2v::GenerationParams d;
    d.prompt = cur.prompt;
    d.negative_prompt = cur.negative_prompt;
    d.device = cur.device;
    d.dtype = cur.dtype;
    history_->apply(d, tr("Reset settings"));
  });
  connect(quit, &QAction::triggered, this, &QWidget::close);
}

void MainWindow::bindDocument() {
  // widgets -> document
  connect(panel_, &ParameterPanel::paramsEdited, this, [this](const ci2v::GenerationParams& p) {
    // A custom camera path follows a new size or frame count, in the same undo step, named for the edit itself
    // ("Set frames to 8", not "Change the camera").
    QString note;
    const auto fitted = doc_->withCameraFitted(p, &note);
    if (note.isEmpty()) {
      history_->apply(p);
      return;
    }
    QString key;
    const QString text = EditHistory::describe(doc_->params(), p, &key);
    history_->apply(fitted, text, key);
    statusBar()->showMessage(note, 8000);
  });
  connect(prompt_, &PromptEdit::textEdited, this, [this](const QString& text) {
    auto p = doc_->params();
    p.prompt = text.toStdString();
    history_->apply(p);
  });
  connect(negative_, &PromptEdit::textEdited, this, [this](const QString& text) {
    auto p = doc_->params();
    p.negative_prompt = text.toStdString();
    history_->apply(p);
  });
  connect(canvas_, &FirstFrameCanvas::fileDropped, this, &MainWindow::openDroppedFile);
  connect(canvas_, &FirstFrameCanvas::imageDropped, this, [this](const QImage& im) {
    if (!im.isNull()) doc_->setFirstFrame(im, tr("dropped picture"));
  });
  connect(canvas_, &FirstFrameCanvas::openRequested, this, &MainWindow::openFirstFrame);
  connect(picker_, &ModelPicker::pathChosen, this, [this](const QString& p) {
    userChoseModel_ = true;
    chooseModel(p);
  });
  connect(results_, &QListWidget::currentRowChanged, doc_, &Document::setCurrentResult);
  connect(copySeed_, &QPushButton::clicked, this, [this] {
    if (const ResultClip* r = doc_->currentResult()) {
      QGuiApplication::clipboard()->setText(QString::number(r->seed));
      statusBar()->showMessage(tr("Seed %1 copied to the clipboard").arg(r->seed), 4000);
    }
  });
  connect(useSeed_, &QPushButton::clicked, this, [this] {
    if (const ResultClip* r = doc_->currentResult()) {
      auto p = doc_->params();
      p.seed = r->seed;
      history_->apply(p, tr("Use seed %1").arg(r->seed));
      statusBar()->showMessage(tr("The next clip uses seed %1").arg(r->seed), 4000);
    }
  });

  // document -> widgets
  connect(doc_, &Document::paramsChanged, this, [this] {
    followDeviceChoice();
    panel_->setParams(doc_->params());
    prompt_->setText(QString::fromStdString(doc_->params().prompt));
    negative_->setText(QString::fromStdString(doc_->params().negative_prompt));
    negativeNote_->setVisible(!doc_->params().negative_prompt.empty() && !doc_->params().negative_prompt_has_effect());
    updateCanvas();
  });
  connect(doc_, &Document::historiesChanged, this, [this] {
    prompt_->setHistory(doc_->promptHistory());
    negative_->setHistory(doc_->negativeHistory());
  });
  connect(doc_, &Document::firstFrameChanged, this, [this] {
    updateCanvas();
    if (doc_->hasFirstFrame()) {
      QStringList notes;
      for (const QString& n : {doc_->lastPictureNote(), doc_->lastCameraFitNote()})
        if (!n.isEmpty()) notes << n;
      statusBar()->showMessage(tr("First frame: %1 (%2 × %3)")
                                       .arg(doc_->firstFrameSource())
                                       .arg(doc_->firstFrame().width())
                                       .arg(doc_->firstFrame().height()) +
                                   (notes.isEmpty() ? QString() : QStringLiteral(" · ") + notes.join(QStringLiteral(" · "))),
                               notes.isEmpty() ? 5000 : 10000);
    }
  });
  connect(doc_, &Document::modelStatusChanged, this, [this] {
    ModelPicker::State s = ModelPicker::State::None;
    switch (doc_->modelState()) {
      case Document::ModelState::None: s = ModelPicker::State::None; break;
      case Document::ModelState::Checking: s = ModelPicker::State::Checking; break;
      case Document::ModelState::Loading: s = ModelPicker::State::Loading; break;
      case Document::ModelState::Ready: s = ModelPicker::State::Ready; break;
      case Document::ModelState::Failed: s = ModelPicker::State::Failed; break;
    }
    picker_->setStatus(s, doc_->modelMessage());
    statusModel_->setText(doc_->modelState() == Document::ModelState::Ready ? tr("Model ready")
                          : doc_->modelState() == Document::ModelState::Failed ? tr("Model not usable")
                          : doc_->modelState() == Document::ModelState::Loading ? tr("Loading model…")
                                                                                 : QString());
  });
  connect(doc_, &Document::resultAdded, this, &MainWindow::addResultItem);
  connect(doc_, &Document::resultRemoved, this, [this](int index) {
    {
      QSignalBlocker block(results_);
      results_->removeClip(index);  // (a whole rebuild per removal made replacing a project quadratic)
      results_->setCurrentRow(doc_->currentResultIndex());
    }
    updateActions();
  });
  connect(doc_, &Document::previewVideoReleased, this, [this](const QString& file) {
    // only the engine's own preview files, once the player has moved on (the next event)
    const QString dir = engine_->previewDir();
    if (dir.isEmpty() || QFileInfo(file).absolutePath() != QFileInfo(dir).absoluteFilePath()) return;
    QTimer::singleShot(0, this, [file] { QFile::remove(file); });
  });
  connect(doc_, &Document::resultChanged, this, [this](int i) {
    if (i >= 0 && i < doc_->resultCount()) results_->updateClip(i, doc_->result(i));
  });
  connect(doc_, &Document::modifiedChanged, this, &MainWindow::updateTitle);
  connect(doc_, &Document::projectPathChanged, this, &MainWindow::updateTitle);
  connect(results_, &HistoryView::restoreRequested, this, &MainWindow::restoreResult);
  connect(results_, &HistoryView::rerunRequested, this, &MainWindow::rerunResult);
  connect(results_, &HistoryView::favouriteToggled, this, &MainWindow::toggleFavourite);
  connect(results_, &HistoryView::deleteRequested, this, &MainWindow::askToDeleteResult);
  connect(restoreButton_, &QPushButton::clicked, this, [this] { restoreResult(doc_->currentResultIndex()); });
  connect(rerunButton_, &QPushButton::clicked, this, [this] { rerunResult(doc_->currentResultIndex()); });
  connect(favouriteButton_, &QPushButton::clicked, this, [this] { toggleFavourite(doc_->currentResultIndex()); });
  connect(deleteButton_, &QPushButton::clicked, this, [this] { askToDeleteResult(doc_->currentResultIndex()); });
  connect(doc_, &Document::currentResultChanged, this, &MainWindow::showResult);
}

namespace {
// Whether the engine's model folder is the document's (the same path string as a rule; a link resolved alike too).
bool sameModelFolder(const QString& engineDir, const QString& documentDir) {
  if (engineDir == documentDir) return true;
  const QString a = QFileInfo(engineDir).canonicalFilePath(), b = QFileInfo(documentDir).canonicalFilePath();
  return !a.isEmpty() && a == b;
}
}  // namespace

void MainWindow::bindEngine() {
  EngineController* w = engine_;  // the worker's signals, re-emitted on the UI thread
  connect(w, &EngineController::modelLoading, this, [this](const QString& dir) {
    if (!sameModelFolder(dir, doc_->modelPath())) return;  // see modelLoaded
    doc_->setModelStatus(Document::ModelState::Loading, tr("Loading %1 …").arg(QDir::toNativeSeparators(dir)));
  });
  connect(w, &EngineController::modelLoadProgress, this, [this](const QString& dir, int percent) {
    if (!sameModelFolder(dir, doc_->modelPath())) return;
    doc_->setModelStatus(Document::ModelState::Loading,
                         tr("Loading %1 … %2 %").arg(QDir::toNativeSeparators(dir)).arg(percent));
  });
  connect(w, &EngineController::modelLoadDeferred, this, [this](const QString& dir) {
    if (!sameModelFolder(dir, doc_->modelPath())) return;
    loadWhenIdle_ = true;  // setBusy(false) asks again
    doc_->setModelStatus(Document::ModelState::Loading,
                         tr("Loads when the queued generations (with the model they were queued with) are done"));
    if (!engine_->isBusy()) setBusy(false);  // the queue ended before this came: now
  });
  connect(w, &EngineController::modelLoadStopped, this, [this](const QString& dir) {
    if (!sameModelFolder(dir, doc_->modelPath())) return;  // replaced by another model: its own load reports
    doc_->setModelStatus(Document::ModelState::None,
                         tr("Not loaded: the loading was stopped. It loads at the next generation."));
  });
  connect(w, &EngineController::modelLoaded, this, [this](const QString& dir, const QString& device, const QString& dtype, double s) {
    // a load of a model the user has since replaced (the worker loads one request at a time) says nothing of it
    if (sameModelFolder(dir, lastModelFailure_.dir)) lastModelFailure_ = {};
    if (!sameModelFolder(dir, doc_->modelPath())) return;
    const QString loaded = s < 0 ? tr("Ready on %1 (%2)").arg(device.toUpper(), dtype)
                                 : tr("Loaded on %1 (%2) in %3 s").arg(device.toUpper(), dtype).arg(s, 0, 'f', 1);
    doc_->setModelStatus(Document::ModelState::Ready,
                         modelIsDemo_ ? tr("Demo model (toy clips only) · %1 · the real one: File → Download model…")
                                            .arg(loaded)
                                      : loaded);
  });
  connect(w, &EngineController::modelFailed, this,
          [this](const QString& dir, const QString& message, const QString& dtype) {
    lastModelFailure_ = {dir, message};  // a queued run's model too (its failure names it)
    if (!sameModelFolder(dir, doc_->modelPath())) return;  // as above
    // the failed load's precision: a generation queued at another one loads with its own (the advice differs)
    const UserMessage u = modelErrorMessage(dir, message, dtype.toStdString());
    doc_->setModelStatus(Document::ModelState::Failed, u.text);
    // A generation reports it through failed(); a model chosen by the user gets a dialog now.
    if (!engine_->isBusy() && userChoseModel_) showMessage(u);
  });
  connect(w, &EngineController::stageChanged, this, [this](const QString& stage, const QString&) {
    strip_->setStage(stage);
    statusBar()->showMessage(stage);
  });
  connect(w, &EngineController::progress, strip_, &PreviewStrip::setProgress);
  connect(w, &EngineController::stepPreview, this,
          [this](int, int, const QVector<QImage>& frames) { strip_->setFrames(frames); });
  connect(w, &EngineController::frameInitPreview, strip_, &PreviewStrip::setFrameInitImages);
  connect(w, &EngineController::finished, this, [this](const ResultClip& clip) {
    stopLatency();  // the run is over; loading the new clip into the player is not part of it
    if (stoppedRuns_.remove(clip.id)) {  // stopped when its project was replaced (maybeSaveChanges)
      endRun(tr("Cancelled"));
      return;
    }
    doc_->addResult(clip);
    endRun(tr("Done in %1 · seed %2").arg(PreviewStrip::formatDuration(clip.seconds)).arg(clip.seed));
    if (!clip.previewError.isEmpty())
      statusBar()->showMessage(tr("The player shows the frames directly (%1)").arg(clip.previewError), 8000);
    settings_->save(*doc_);
  });
  connect(w, &EngineController::failed, this, [this](quint64 id, const QString& message) {
    stoppedRuns_.remove(id);
    endRun(tr("Failed"));
    if (failureBox_) {  // a queued batch failing run after run: one box, which counts them
      ++moreFailures_;
      failureBox_->setInformativeText(
          tr("%n more generation(s) failed after this one. The last: %1", nullptr, moreFailures_).arg(message));
      lastMessage_.text = failureBox_->text() + QLatin1Char('\n') + failureBox_->informativeText();
      statusBar()->showMessage(tr("Generation failed: %1").arg(message), 8000);
      return;
    }
    moreFailures_ = 0;
    const GenerationRequest& ended = engine_->endedRequest();
    if (!lastModelFailure_.message.isEmpty() && message == lastModelFailure_.message &&
        sameModelFolder(lastModelFailure_.dir, ended.modelDir))
      failureBox_ = showMessage(modelErrorMessage(ended.modelDir, message, ended.params.dtype));  // the run's model
    else
      failureBox_ = showMessage(generationErrorMessage(message, engine_->endedRequest().params));
  });
  connect(w, &EngineController::cancelled, this, [this](quint64 id) {
    stoppedRuns_.remove(id);
    endRun(tr("Cancelled"));
  });
  connect(engine_, &EngineController::busyChanged, this, &MainWindow::setBusy);

  // Export
  connect(exporter_, &ExportRunner::progress, this, [this](double f) {
    if (exportDialog_) exportDialog_->setProgress(f);
  });
  connect(exporter_, &ExportRunner::finished, this, [this](const QString& path, const QString& notices) {
    settings_->setOutputFolder(QFileInfo(path).absolutePath());
    if (exportDialog_) {
      settings_->saveExportSettings(exportDialog_->settings());
      exportDialog_->setFinished(tr("Saved %1%2").arg(QDir::toNativeSeparators(path),
                                                       notices.isEmpty() ? QString() : QStringLiteral("\n") + notices));
    }
    statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 8000);
  });
  connect(exporter_, &ExportRunner::failed, this, [this](const QString& message) {
    const QString path = exportDialog_ ? exportDialog_->settings().path : QString();
    if (exportDialog_) exportDialog_->setFailed(message);
    showMessage(exportErrorMessage(path, message));
  });
  connect(exporter_, &ExportRunner::cancelled, this, [this] {
    if (exportDialog_) exportDialog_->setFailed(tr("Export cancelled; no file was written."));
  });
}

QMessageBox* MainWindow::showMessage(const UserMessage& m, bool warning) {
  lastMessage_ = m;
  auto* box = new QMessageBox(warning ? QMessageBox::Warning : QMessageBox::Information, m.title, m.text,
                              QMessageBox::Ok, this);
  box->setObjectName(QStringLiteral("message_box"));
  if (!m.details.isEmpty() && m.details != m.text) box->setDetailedText(m.details);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();  // window-modal, never blocks the event loop
  Q_EMIT messageShown(m.title);
  return box;
}

void MainWindow::updateCanvas() {
  canvas_->setImage(doc_->firstFrame());
  canvas_->setCropRect(doc_->cropRect(), QSize(doc_->params().width, doc_->params().height));
  updateCameraOverlay();
}

// --- camera path and FrameInit preview

void MainWindow::bindCamera() {
  previewTimer_ = new QTimer(this);
  previewTimer_->setSingleShot(true);
  previewTimer_->setInterval(60);  // coalesce a drag's edits; the engine drops stale requests as well
  connect(previewTimer_, &QTimer::timeout, this, [this] {
    updateCameraVideo();
    // While a crop or keyframe is being dragged only the camera video follows: a path change costs a VAE
    // encoding of every frame (about 1.4 s per 256² frame with the released VAE on a CPU); the bands
    // follow on release.
    if (!pathDragging_) refreshFrameInitPreview();
  });

  // editor and canvas -> document
  connect(cameraEditor_, &CameraEditor::pathEdited, this, [this](const ci2v::sampling::CameraPath& path, bool interim) {
    pathDragging_ = interim;
    QString error;
    Document::CameraChange change;
    if (!doc_->cameraPathChange(path, &change, &error)) {
      statusBar()->showMessage(error, 6000);
      if (!interim) {
        // a refused drag's end: its open undo step is closed (the next camera edit must not merge into it) and the
        // editor goes back to the document's path
        history_->apply(doc_->params(), QString(), QStringLiteral("camera"), false);
        updateCameraOverlay();
      }
      return;
    }
    applyCameraChange(change, cameraEditor_->lastEditText(), interim);
    if (!interim) schedulePreview();  // the last drag step may equal the path already set
  });
  connect(cameraEditor_, &CameraEditor::presetChosen, this, [this](const QString& name) {
    QString error;
    Document::CameraChange change;
    if (!doc_->cameraPresetChange(name, &change, &error)) {
      showMessage({tr("Camera preset"), error, QString()}, true);
      return;
    }
    applyCameraChange(change, tr("Apply the camera preset %1").arg(name), false);
    statusBar()->showMessage(tr("Camera preset %1: edit it on the picture and the timeline").arg(name), 6000);
  });
  connect(cameraEditor_, &CameraEditor::loadRequested, this, &MainWindow::loadCameraPath);
  connect(cameraEditor_, &CameraEditor::saveRequested, this, &MainWindow::saveCameraPath);
  connect(cameraEditor_, &CameraEditor::dryRunRequested, this, &MainWindow::dryRun);
  connect(cameraEditor_, &CameraEditor::selectionChanged, this, [this] { updateCameraOverlay(); });
  connect(cameraEditor_, &CameraEditor::currentFrameChanged, this, [this](int f) {
    updateCameraOverlay();
    frameInitPanel_->setCurrentFrame(f);
  });
  connect(frameInitPanel_, &FrameInitPanel::currentFrameChanged, this, [this](int f) {
    if (f < cameraEditor_->frames()) cameraEditor_->setCurrentFrame(f);
  });
  connect(canvas_, &FirstFrameCanvas::keyframeSelected, cameraEditor_, &CameraEditor::setSelected);
  connect(canvas_, &FirstFrameCanvas::keyframeRectEdited, cameraEditor_, &CameraEditor::editKeyframeRect);
  connect(canvas_, &FirstFrameCanvas::cropDrawn, cameraEditor_, &CameraEditor::addCrop);
  connect(canvas_, &FirstFrameCanvas::deleteKeyframeRequested, cameraEditor_, &CameraEditor::deleteKeyframe);

  // document -> editor, canvas, previews
  connect(doc_, &Document::paramsChanged, this, [this] {
    updateCameraOverlay();
    schedulePreview();
  });
  connect(doc_, &Document::firstFrameChanged, this, [this] {
    updateCameraOverlay();
    schedulePreview();
  });
  connect(doc_, &Document::cameraDefaultsSwitched, this, [this](const QString& note) {
    statusBar()->showMessage(note, 8000);
    panel_->flashFrameInit();
  });
  connect(doc_, &Document::modelStatusChanged, this, [this] {
    if (doc_->modelState() == Document::ModelState::Ready) {
      previewKey_.clear();
      schedulePreview();
    }
  });
  connect(viewTabs_, &QTabWidget::currentChanged, this, [this] {
    // what is hidden stops playing: the result's video, or the dry run looping on (and moving the editing frame)
    if (frameInitShown()) player_->pause();
    else frameInitPanel_->setPlaying(false);
    updateActions();
    schedulePreview();
  });
  // An edit of the path stops a dry run's playback, so that a crop or keyframe lands on the frame shown.
  connect(cameraEditor_, &CameraEditor::pathEdited, this, [this] { frameInitPanel_->setPlaying(false); });
  connect(canvas_, &FirstFrameCanvas::keyframeSelected, this, [this] { frameInitPanel_->setPlaying(false); });

  // engine -> preview panel
  connect(engine_, &EngineController::frameInitPreviewReady, this,
          [this](quint64 id, const FrameInitImages& images, double ms) {
            if (id != previewId_) return;  // an older request
            const auto& p = doc_->params();
            frameInitPanel_->setBands(images, ms,
                                      p.seed < 0 ? tr("The seed is random: shown with seed 0.") : QString());
          });
  connect(engine_, &EngineController::frameInitPreviewFailed, this, [this](quint64 id, const QString& message) {
    if (id != previewId_) return;
    previewKey_.clear();
    frameInitPanel_->clearBands(tr("No preview: %1").arg(message));
  });
  connect(engine_, &EngineController::frameInitPreview, this, [this](const FrameInitImages& images) {
    frameInitPanel_->setBands(images, 0, tr("(from the running generation)"));
    previewKey_.clear();  // the run's bands (its seed, a batch's τ) are not the settings': asked again after it
  });
  // Each run of a queue starts with a clean progress strip (not the last run's thumbnails, bar and "Done").
  connect(engine_, &EngineController::started, this, [this] {
    strip_->reset();
    strip_->setStage(tr("Starting"));
    if (!latency_->isRunning()) latency_->start();
  });
}

void MainWindow::applyCameraChange(const Document::CameraChange& change, const QString& text, bool interim) {
  history_->apply(change.params, text, QStringLiteral("camera"), interim);
  if (!change.note.isEmpty()) {
    statusBar()->showMessage(change.note, 8000);
    panel_->flashFrameInit();
  }
}

void MainWindow::updateCameraOverlay() {
  const auto& p = doc_->params();
  const double aspect = static_cast<double>(p.width) / p.height;
  const auto path = doc_->cameraPath();
  const int frames = doc_->cameraFrames();  // the path spans the whole video, all its chunks
  cameraEditor_->setPath(path, frames, aspect, doc_->cropRect(), QString::fromStdString(p.camera_preset));
  FirstFrameCanvas::CameraOverlay o;
  o.enabled = doc_->hasFirstFrame() && !path.keyframes.empty();
  o.canStart = doc_->hasFirstFrame() && path.keyframes.empty();
  o.aspect = aspect;
  o.selected = cameraEditor_->selected();
  o.currentFrame = cameraEditor_->currentFrame();
  o.current = cameraEditor_->currentCrop();
  for (int i = 0; i < static_cast<int>(path.keyframes.size()); ++i) {
    o.keyframes.push_back(camera::keyframeRect(path.keyframes[i]));
    o.frames.push_back(camera::keyframeFrame(path, frames, i));
  }
  canvas_->setCameraOverlay(o);
}

void MainWindow::schedulePreview() {
  if (viewTabs_->currentWidget() != viewTabs_->widget(0) || frameInitPanel_->isPlaying()) previewTimer_->start();
}

void MainWindow::updateCameraVideo() {
  if (!doc_->hasFirstFrame()) {
    frameInitPanel_->setCameraFrames({}, QString());
    cameraVideoKey_.clear();
    cameraVideoWanted_.clear();
    return;
  }
  const auto& p = doc_->params();
  const QString key = QStringLiteral("%1|%2|%3x%4|%5x%6|%7|%8")
                          .arg(doc_->firstFrame().cacheKey())
                          .arg(QString::fromStdString(p.camera_preset + p.camera_path.dump()))
                          .arg(p.width)
                          .arg(p.height)
                          .arg(p.frames)
                          .arg(p.chunks)  // a camera path spans the frames of all the chunks
                          .arg(p.center_crop)
                          .arg(doc_->firstFrameSource());
  if (key == cameraVideoWanted_ || (key == cameraVideoKey_ && !cameraVideoBusy_)) return;
  cameraVideoWanted_ = key;
  if (!cameraVideoBusy_) startCameraVideo();  // else the newest starts when the running one ends
}

// The camera video is made on a worker thread: a path over a big picture renders crops of millions of pixels
// (0.4 s for 16 frames over 4000 x 3000 on the 2-core CPU), which would stall a drag on the canvas. One runs at a
// time; edits meanwhile coalesce into the newest, made next.
void MainWindow::startCameraVideo() {
  if (!cameraPool_) {
    cameraPool_ = new QThreadPool(this);
    cameraPool_->setMaxThreadCount(1);
  }
  cameraVideoBusy_ = true;
  const QString key = cameraVideoWanted_;
  const ci2v::GenerationParams p = doc_->params();
  const QString caption = p.camera_enabled() ? tr("Camera video (dry run)") : tr("Still first frame");
  cameraPool_->start([this, key, p, caption, picture = doc_->firstFrameRgb()] {
    QVector<QImage> frames;
    QString error;
    try {
      if (!picture) throw std::runtime_error("no first frame");
      frames = toQImages(ci2v::camera_layout_frames(p, *picture));
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
    QMetaObject::invokeMethod(
        this, [this, key, frames, caption, error] { finishCameraVideo(key, frames, caption, error); },
        Qt::QueuedConnection);
  });
}

void MainWindow::finishCameraVideo(const QString& key, const QVector<QImage>& frames, const QString& caption,
                                   const QString& error) {
  cameraVideoBusy_ = false;
  if (key != cameraVideoWanted_) {  // edited meanwhile: the newest goes next, the camera video keeps what it has
    if (!cameraVideoWanted_.isEmpty() && cameraVideoWanted_ != cameraVideoKey_) startCameraVideo();
    return;
  }
  if (!error.isEmpty()) {
    playCameraVideoWhenMade_ = false;
    frameInitPanel_->setCameraFrames({}, QString());
    cameraVideoKey_.clear();
    statusBar()->showMessage(tr("Camera video: %1").arg(error), 6000);
    return;
  }
  frameInitPanel_->setCameraFrames(frames, caption);
  cameraVideoKey_ = key;
  updateActions();  // Space plays it on its tab
  if (playCameraVideoWhenMade_) {  // a dry run asked for it
    playCameraVideoWhenMade_ = false;
    frameInitPanel_->setCurrentFrame(0);
    frameInitPanel_->setPlaying(true);
  }
}

void MainWindow::refreshFrameInitPreview() {
  if (!doc_->hasFirstFrame()) {
    frameInitPanel_->clearBands(tr("Open a first frame to see FrameInit's frequency split."));
    previewId_ = 0;  // an answer still on its way is not shown over this
    return;
  }
  if (doc_->modelState() != Document::ModelState::Ready) {
    frameInitPanel_->clearBands(tr("Load a model to see FrameInit's frequency split (the camera video needs none)."));
    previewId_ = 0;
    return;
  }
  const auto& p = doc_->params();
  if (!p.frameinit) {
    frameInitPanel_->clearBands(
        p.camera_enabled()
            ? tr("FrameInit is off: the denoising starts from plain noise, and the camera move only gives the first "
                 "frame (its first crop).")
            : tr("FrameInit is off: the denoising starts from plain noise."));
    previewKey_.clear();
    previewId_ = 0;
    return;
  }
  // Only what the bands depend on (not the prompt, steps or guidance).
  auto k = p;
  k.prompt.clear();
  k.negative_prompt.clear();
  k.steps = 1;
  k.cfg_text = k.cfg_image = 1;
  k.guidance_rescale = 0;
  if (!k.camera_enabled()) k.chunks = 1;  // a camera path spans all the chunks: the first chunk's crops depend on them
  const QString key = QString::fromStdString(k.to_json().dump()) + QString::number(doc_->firstFrame().cacheKey()) +
                      doc_->modelPath();
  if (key == previewKey_) return;
  QString error;
  GenerationRequest r;
  if (!doc_->makeRequest(&r, &error)) {
    frameInitPanel_->clearBands(error);
    previewId_ = 0;
    return;
  }
  previewKey_ = key;
  frameInitPanel_->setUpdating(true);
  previewId_ = engine_->previewFrameInit(r);
}

void MainWindow::showFrameInitPreview() {
  viewTabs_->setCurrentIndex(1);
  updateCameraVideo();
  refreshFrameInitPreview();
}

void MainWindow::dryRun() {
  panel_->commitPendingEdits();  // the dry run shows the frame count just typed
  showFrameInitPreview();
  if (cameraVideoBusy_) {  // it plays as soon as it is made
    playCameraVideoWhenMade_ = true;
    return;
  }
  frameInitPanel_->setCurrentFrame(0);
  frameInitPanel_->setPlaying(true);
}

void MainWindow::loadCameraPath() {
  const QString file = QFileDialog::getOpenFileName(this, tr("Load camera path"), QString(),
                                                    tr("Camera paths (*.json);;All files (*)"));
  if (file.isEmpty()) return;
  QString error;
  ci2v::sampling::CameraPath path;
  Document::CameraChange change;
  if (!Document::readCameraPathFile(file, &path, &error) || !doc_->cameraPathChange(path, &change, &error)) {
    showMessage({tr("Camera path not loaded"), error, QString()}, true);
    return;
  }
  applyCameraChange(change, tr("Load the camera path %1").arg(QFileInfo(file).fileName()), false);
  statusBar()->showMessage(tr("Camera path loaded from %1").arg(file), 5000);
}

void MainWindow::saveCameraPath() {
  const QString file = askSaveFileName(this, tr("Save camera path"), QStringLiteral("camera.json"),
                                      tr("Camera paths (*.json)"), QStringLiteral(".json"));
  if (file.isEmpty()) return;
  QString error;
  if (!doc_->saveCameraPath(file, &error)) {
    showMessage({tr("Camera path not saved"), error, QString()}, true);
    return;
  }
  statusBar()->showMessage(tr("Camera path saved to %1 (use it with consisti2v generate --camera)").arg(file), 6000);
}

void MainWindow::updateActions() {
  const bool busy = engine_->isBusy();
  generateAction_->setEnabled(!busy);
  cancelAction_->setEnabled(busy);
  cancelAllAction_->setEnabled(busy && !engine_->queuedIds().isEmpty());
  const bool hasResult = doc_->currentResult() != nullptr;
  const bool playable = frameInitShown() ? frameInitPanel_->frameCount() > 0 : hasResult;
  playAction_->setEnabled(playable);
  stepForwardAction_->setEnabled(playable);
  stepBackAction_->setEnabled(playable);
  exportAction_->setEnabled(true);  // without a result it explains what to do
  copySeed_->setEnabled(hasResult);
  useSeed_->setEnabled(hasResult);
  for (QPushButton* b : {restoreButton_, rerunButton_, favouriteButton_, deleteButton_}) b->setEnabled(hasResult);
}

// Another device or precision chosen: the model is loaded for it now (the model line said "Ready" for the old one,
// or kept a GPU failure after CPU was chosen), or when the queue is done.
void MainWindow::followDeviceChoice() {
  const auto& p = doc_->params();
  if (p.device == loadedDevice_ && p.dtype == loadedDtype_) return;
  loadedDevice_ = p.device;
  loadedDtype_ = p.dtype;
  if (doc_->modelPath().isEmpty() || doc_->modelState() == Document::ModelState::None || folderCheckFailed_) return;
  if (engine_->isBusy()) {
    loadWhenIdle_ = true;
    return;
  }
  loadDocumentModel(tr("Loading for %1 (%2)…").arg(QString::fromStdString(p.device), QString::fromStdString(p.dtype)));
}

// The document's model, on the engine thread, for its device and precision (the model line says `status`).
void MainWindow::loadDocumentModel(const QString& status) {
  doc_->setModelStatus(Document::ModelState::Loading, status);
  engine_->loadModel(doc_->modelPath(), QString::fromStdString(doc_->params().device),
                     QString::fromStdString(doc_->params().dtype));
}

void MainWindow::setBusy(bool busy) {
  updateActions();
  if (!busy && loadWhenIdle_) {  // a model (or device) picked while a queue ran with another: its turn now
    loadWhenIdle_ = false;
    // (a model already held answers at once; a folder that failed its check is not loaded)
    if (!doc_->modelPath().isEmpty() && !folderCheckFailed_)
      loadDocumentModel(tr("Loading %1 …").arg(QDir::toNativeSeparators(doc_->modelPath())));
  }
  if (!busy) schedulePreview();  // the settings' own bands again, where a run's were shown (once the queue is done)
}

// --- first frame

void MainWindow::openFirstFrame() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open first frame"), QString(), imageFilter());
  if (!path.isEmpty()) loadFirstFrame(path);
}

bool MainWindow::loadFirstFrame(const QString& path) {
  QString error;
  if (!doc_->loadFirstFrame(path, &error)) {
    showMessage(firstFrameErrorMessage(path, error));
    return false;
  }
  return true;
}

void MainWindow::pasteFirstFrame() {
  const QMimeData* m = QGuiApplication::clipboard()->mimeData();
  if (m && m->hasImage()) {
    const QImage im = qvariant_cast<QImage>(m->imageData());
    if (!im.isNull()) {
      doc_->setFirstFrame(im, tr("pasted picture"));
      return;
    }
  }
  if (m && m->hasUrls()) {
    for (const QUrl& u : m->urls())
      if (u.isLocalFile()) {
        loadFirstFrame(u.toLocalFile());
        return;
      }
  }
  if (m && m->hasText()) {
    const QString t = m->text().trimmed();
    const QString path = t.startsWith(QLatin1String("file://")) ? QUrl(t).toLocalFile() : t;
    if (!path.isEmpty() && QFileInfo(path).isFile()) {
      loadFirstFrame(path);
      return;
    }
  }
  showMessage({tr("Nothing to paste"),
               tr("The clipboard holds no picture. Copy a picture (or a picture file) and paste again."), QString()},
              false);
}

void MainWindow::openExample() {
  // A demo model brings a first frame (and a prompt) from the toy world it knows; else the studio's own example.
  const bool demo = modelIsDemo_ && !demoSettings_.example.isEmpty();
  QImageReader reader(demo ? demoSettings_.example : QStringLiteral(":/examples/first_frame.png"));
  const QImage im = reader.read();
  if (im.isNull()) return;
  doc_->setFirstFrame(im, tr("example picture"));
  if (demo && !demoSettings_.prompt.isEmpty() && doc_->params().prompt.empty()) {
    auto p = doc_->params();
    p.prompt = demoSettings_.prompt.toStdString();
    doc_->setParams(p);
  }
}

// --- model

// The folder check of a model about to be loaded: the picker shows it, the model line says "Checking", then
// what failed (the message is returned for the caller to show its way).
ModelProbe MainWindow::checkModelFolder(const QString& path, UserMessage* failure) {
  picker_->setPath(path);
  doc_->setModelStatus(Document::ModelState::Checking, tr("Checking the folder…"));
  ModelProbe probe = probeModelFolder(path);
  folderCheckFailed_ = !probe.ok;
  if (!probe.ok) {
    lastModelFailure_ = {path, probe.error};
    loadWhenIdle_ = false;
    *failure = modelErrorMessage(path, probe.error, doc_->params().dtype);
    doc_->setModelStatus(Document::ModelState::Failed, failure->text);
  }
  return probe;
}

void MainWindow::chooseModel(const QString& path) {
  doc_->setModelPath(path);
  UserMessage failure;
  const ModelProbe probe = checkModelFolder(path, &failure);
  if (!probe.ok) {
    if (userChoseModel_) showMessage(failure);
    return;
  }
  applyModelSettings(probe);
  modelIsDemo_ = probe.demo;
  if (probe.demo)
    statusBar()->showMessage(tr("This is the small demo model the project trained on toy clips (shapes moving on "
                                "simple backgrounds): it shows how the studio works, not what ConsistI2V can do. "
                                "Get the real model with File → Download model…"),
                             15000);
  settings_->save(*doc_);
  // The full check: load it on the engine thread (the next generation reuses it).
  loadDocumentModel(tr("%1 — loading…").arg(probe.summary));
}

// After the document was replaced (a project opened, recovered or restored; a new one): its model folder is the one
// checked and loaded, so the picker, the model line and Generate agree. A project's own settings stay as saved (a
// demo model's size and FrameInit defaults are not applied over them); a new project takes them (chooseModel). A
// project without a model folder keeps the model there is.
void MainWindow::followDocumentModel(bool newProject, bool preferDownloaded) {
  const QString path = doc_->modelPath();
  if (path.isEmpty()) {
    if (picker_->path().isEmpty()) return;
    const bool modified = doc_->isModified();
    doc_->setModelPath(picker_->path());
    doc_->setModified(modified);
    return;
  }
  if (newProject) {
    chooseModel(path);
    return;
  }
  if (sameModelFolder(path, picker_->path()) && doc_->modelState() != Document::ModelState::None) return;
  UserMessage failure;
  const ModelProbe probe = checkModelFolder(path, &failure);
  if (!probe.ok) {
    if (preferDownloaded && !startModel_.isEmpty() && !sameModelFolder(startModel_, path)) {
      // the untitled session's model is gone (a moved clone, a removed cache): it goes on with the one the start
      // chose (the picker, the status and the settings follow it again)
      const bool modified = doc_->isModified();
      chooseModel(startModel_);
      doc_->setModified(modified);
      startNote_ = tr("The last session's model could not be used (%1); using %2.").arg(failure.text, startModel_);
      return;
    }
    statusBar()->showMessage(tr("The project's model cannot be used: %1").arg(failure.text), 10000);
    return;
  }
  if (preferDownloaded && probe.demo && probeModelFolder(huggingFaceCacheDir()).ok) {
    // the last session ran on the demo model, which only stood in for ConsistI2V: downloaded since, it takes over,
    // and the demo's own settings (64 x 64, 8 frames, its camera setting) give way to the reference's
    const bool modified = doc_->isModified();
    leaveDemoSettings(probe);
    chooseModel(huggingFaceCacheDir());
    doc_->setModified(modified);
    startNote_ = tr("Using the downloaded ConsistI2V weights instead of the demo model.");
    return;
  }
  modelIsDemo_ = probe.demo;
  demoSettings_ = probe.demo ? probe.recommended : ModelProbe::Recommended{};
  const ci2v::FrameInitDefaults defaults = probe.demo ? probe.recommended.frameinit : ci2v::FrameInitDefaults{};
  panel_->setFrameInitDefaults(defaults);
  doc_->setFrameInitDefaults(defaults, false);
  loadDocumentModel(tr("%1 — loading…").arg(probe.summary));
}

// A demo model runs at the size, length, step count and text guidance it was made for (64 px, 8 frames: seconds on
// a CPU);
// leaving it for a real model brings back the reference defaults, unless the user changed them meanwhile.
void MainWindow::leaveDemoSettings(const ModelProbe& demo) {
  // as if the demo were the model in use: choosing another one then brings back what its settings replaced
  modelIsDemo_ = true;
  demoSettings_ = demo.recommended;
  panel_->setFrameInitDefaults(demo.recommended.frameinit);
  doc_->setFrameInitDefaults(demo.recommended.frameinit, false);
}

void MainWindow::applyModelSettings(const ModelProbe& probe) {
  ci2v::GenerationParams p = doc_->params();
  const ModelProbe::Recommended& rec = probe.demo ? probe.recommended : demoSettings_;
  auto matches = [&](const ModelProbe::Recommended& r) {
    return (r.width <= 0 || p.width == r.width) && (r.height <= 0 || p.height == r.height) &&
           (r.frames <= 0 || p.frames == r.frames) && (r.steps <= 0 || p.steps == r.steps) &&
           (r.cfg_text <= 0 || p.cfg_text == r.cfg_text);
  };
  if (probe.demo && rec.any()) {
    if (rec.width > 0) p.width = rec.width;
    if (rec.height > 0) p.height = rec.height;
    if (rec.frames > 0) p.frames = rec.frames;
    if (rec.steps > 0) p.steps = rec.steps;
    if (rec.cfg_text > 0) p.cfg_text = rec.cfg_text;
    demoSettings_ = rec;
  } else if (!probe.demo && modelIsDemo_ && demoSettings_.any() && matches(demoSettings_)) {
    const ci2v::GenerationParams d;
    p.width = d.width, p.height = d.height, p.frames = d.frames, p.steps = d.steps, p.cfg_text = d.cfg_text;
    demoSettings_ = {};
  }
  if (p.to_json() != doc_->params().to_json()) doc_->setParams(doc_->withCameraFitted(p));  // a custom path follows
  // FrameInit's camera setting is the model's own where it gives one (a demo model), else the paper's; τ and D0
  // at the old model's defaults follow (the document says so, as for a camera switch).
  const ci2v::FrameInitDefaults defaults = probe.demo ? probe.recommended.frameinit : ci2v::FrameInitDefaults{};
  panel_->setFrameInitDefaults(defaults);
  doc_->setFrameInitDefaults(defaults);
}

// --- generate / cancel

void MainWindow::generate() {
  if (engine_->isBusy()) return;
  panel_->commitPendingEdits();  // a value typed but not entered yet (Ctrl+Return does not leave the field)
  GenerationRequest req;
  QString error;
  if (!doc_->makeRequest(&req, &error)) {
    showMessage({tr("Cannot generate yet"), error, QString()}, false);
    return;
  }
  doc_->rememberPrompts();
  strip_->reset();
  strip_->setStage(tr("Starting"));
  latency_->start();
  engine_->generate(req);
  updateActions();
}

void MainWindow::cancel() {
  if (!engine_->isBusy()) return;
  engine_->cancel();
  strip_->setStage(tr("Cancelling…"));
  statusBar()->showMessage(tr("Cancelling after the current step…"));
}

void MainWindow::cancelAllRuns() {
  if (!engine_->isBusy()) return;
  const int queued = engine_->queuedIds().size();
  engine_->cancelAll();
  strip_->setStage(tr("Cancelling…"));
  statusBar()->showMessage(tr("Cancelling after the current step; %n queued generation(s) dropped", nullptr, queued));
}

void MainWindow::stopLatency() {
  if (!latency_->isRunning()) return;
  latency_->stop();
  lastRunMaxGap_ = latency_->maxGapMs();
  lastRunTicks_ = latency_->ticks();
  statusLatency_->setText(tr("UI max gap %1 ms").arg(lastRunMaxGap_, 0, 'f', 0));
}

void MainWindow::endRun(const QString& text) {
  stopLatency();
  strip_->setFinished(text);
  statusBar()->showMessage(text, 8000);
  updateActions();
  Q_EMIT generationEnded();
}

// --- results / player

void MainWindow::addResultItem(int index) {
  // Results are appended in order; anything else (a project replacing the history) rebuilds the list.
  if (index != results_->count()) {
    rebuildHistory();
    return;
  }
  QSignalBlocker block(results_);
  results_->appendClip(doc_->result(index));
}

void MainWindow::rebuildHistory() {
  QVector<const ResultClip*> clips;
  for (int i = 0; i < doc_->resultCount(); ++i) clips.push_back(&doc_->result(i));
  QSignalBlocker block(results_);
  results_->setClips(clips);
  results_->setCurrentRow(doc_->currentResultIndex());
}

void MainWindow::showResult(int index) {
  if (index < 0 || index >= doc_->resultCount()) {
    player_->clear();
    shownResultId_ = 0;
  } else {
    const ResultClip& r = doc_->result(index);
    // the same clip at another row (an earlier one was deleted): it goes on where it is
    if (r.id != shownResultId_) {
      player_->setClip(r.frames, 8.0, r.previewVideo, r.previewRepeats);
      if (!frameInitShown()) player_->play();  // a new or selected result starts playing (where it is seen)
      shownResultId_ = r.id;
    }
    if (results_->currentRow() != index) results_->setCurrentRow(index);
  }
  updateActions();
}

void MainWindow::togglePlay() {
  if (frameInitShown()) frameInitPanel_->setPlaying(!frameInitPanel_->isPlaying());
  else player_->togglePlay();
}

bool MainWindow::frameInitShown() const { return viewTabs_ && viewTabs_->currentIndex() == 1; }  // (in a scroll area)

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::FocusIn) {
    // which control the keyboard chose (Tab): only that one takes Space from the play shortcut; one that was just
    // clicked keeps the focus but not Space (else Space after clicking Delete, Re-run or a check box would press it
    // again instead of pausing)
    const auto reason = static_cast<QFocusEvent*>(event)->reason();
    auto* w = qobject_cast<QWidget*>(watched);
    if (w && w->window() == this)
      keyboardFocused_ = reason == Qt::TabFocusReason || reason == Qt::BacktabFocusReason ? w : nullptr;
  } else if (event->type() == QEvent::ShortcutOverride) {
    auto* key = static_cast<QKeyEvent*>(event);
    auto* w = qobject_cast<QWidget*>(watched);
    if (key->key() == Qt::Key_Space && key->modifiers() == Qt::NoModifier && w && w->window() == this &&
        w == keyboardFocused_ && (qobject_cast<QAbstractButton*>(w) || qobject_cast<QComboBox*>(w)))
      event->accept();  // the widget gets the key press: Space presses the button, ticks the box, opens the list
  }
  return QMainWindow::eventFilter(watched, event);
}

// --- export

void MainWindow::showExportDialog() {
  const ResultClip* r = doc_->currentResult();
  if (!r) {
    showMessage({tr("Nothing to export yet"), tr("Generate a clip first (Ctrl+Return), then export it."), QString()},
                false);
    return;
  }
  if (!exportDialog_) {
    exportDialog_ = new ExportDialog(this);
    exportDialog_->setSettings(settings_->exportSettings());
    connect(exportDialog_, &ExportDialog::exportRequested, this, [this](const ExportSettings& s) {
      // the clip the dialog was opened for (its name holds that clip's seed), not whichever is current now: a
      // queued run that finishes meanwhile becomes the current result
      const ResultClip* clip = nullptr;
      for (int i = 0; i < doc_->resultCount(); ++i)
        if (doc_->result(i).id == exportResultId_) clip = &doc_->result(i);
      if (!clip) {
        exportDialog_->setFailed(tr("The clip this export was opened for has been deleted."));
        return;
      }
      if (exporter_->start(clip->frames, s, QString::fromStdString(clip->params.to_json().dump())))
        exportDialog_->setRunning(true);
    });
    connect(exportDialog_, &ExportDialog::cancelRequested, exporter_, &ExportRunner::cancel);
  }
  if (!exporter_->isRunning()) {
    exportResultId_ = r->id;
    exportDialog_->setRunning(false);
    exportDialog_->clearOutcome();  // "Saved …" was about the last export
    const QString stamp = r->created.toString(QStringLiteral("yyyyMMdd-HHmmss"));
    exportDialog_->setBaseName(QDir(settings_->outputFolder()).filePath(QStringLiteral("consisti2v_%1_seed%2").arg(stamp).arg(r->seed)));
  }
  exportDialog_->open();
}

// --- parameters as JSON

void MainWindow::loadParameters() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Load settings"), QString(), tr("Settings (*.json)"));
  if (path.isEmpty()) return;
  QFile f(path);
  QString error;
  if (!f.open(QIODevice::ReadOnly)) {
    error = f.errorString();
  } else {
    try {
      auto p = ci2v::GenerationParams::from_json(ci2v::io::parse_json(f.readAll().toStdString(), path.toStdString()));
      p.validate_ranges();  // combinations are checked at Generate, as for settings made by hand
      history_->apply(p, tr("Load settings from %1").arg(QFileInfo(path).fileName()));
      return;
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
  }
  showMessage({tr("Cannot load the settings"), tr("%1: %2").arg(QDir::toNativeSeparators(path), error), QString()});
}

void MainWindow::saveParameters() {
  panel_->commitPendingEdits();  // a value typed but not yet entered is saved too
  const QString path = askSaveFileName(this, tr("Save settings"), QStringLiteral("consisti2v_settings.json"),
                                      tr("Settings (*.json)"), QStringLiteral(".json"));
  if (path.isEmpty()) return;
  QString error;  // atomically: a failed write leaves the previous file as it was
  if (!project::writeFileAtomically(path, doc_->paramsJson().toUtf8(), &error))
    showMessage({tr("Cannot save the settings"), tr("%1: %2").arg(QDir::toNativeSeparators(path), error), QString()});
}

// --- projects, history, queue, recovery

void MainWindow::updateTitle() {
  const QString name =
      doc_->projectPath().isEmpty() ? tr("Untitled") : QFileInfo(doc_->projectPath()).completeBaseName();
  setWindowTitle(tr("%1[*] — ConsistI2V Studio").arg(name));
  setWindowModified(doc_->isModified());
}

void MainWindow::restoreSession() {
  // The project open at the last exit, else the untitled session; a broken one is reported, never fatal. A second
  // studio while the first runs starts empty and leaves both alone (the first one has them open).
  const QString session = settings_->sessionFile();
  QDir().mkpath(QFileInfo(session).absolutePath());
  sessionLock_ = std::make_unique<QLockFile>(session + QStringLiteral(".lock"));
  sessionLock_->setStaleLockTime(0);  // stale only when its studio is gone (a crash), however long it ran
  if (!sessionLock_->tryLock(0) && sessionLock_->error() == QLockFile::LockFailedError) {
    sessionInUse_ = true;
    doc_->setModified(false);
    statusBar()->showMessage(tr("Another ConsistI2V Studio window has the last session open: this one starts empty "
                                "(save its work as a project to keep it)"),
                             10000);
    return;
  }
  const QString last = settings_->lastProject();
  QString error;
  if (!last.isEmpty() && QFileInfo::exists(last)) {
    if (doc_->openProjectFile(last, &error)) {
      history_->stack()->clear();
      rebuildHistory();
      followDocumentModel(false);
      return;
    }
    statusBar()->showMessage(tr("The last project could not be opened: %1").arg(error), 10000);
  }
  if (QFileInfo::exists(session)) {
    Project p;
    if (project::load(session, &p, &error, doc_->pngCache().get()) && doc_->loadProject(p, &error)) {
      doc_->setProjectPath(QString());
      doc_->setModified(false);
      history_->stack()->clear();
      rebuildHistory();
      followDocumentModel(false, /*preferDownloaded=*/true);
      return;
    }
    // Kept aside, never overwritten or removed by this session's close: the user may still want what is in it.
    const QString kept = QFileInfo(session).absolutePath() + QStringLiteral("/session-unreadable-") +
                         QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")) +
                         QStringLiteral(".ci2v");
    if (QFile::rename(session, kept)) {
      showMessage({tr("The last session could not be restored"),
                   tr("%1\n\nThe file is kept as %2.").arg(error, QDir::toNativeSeparators(kept)), QString()},
                  true);
    } else {
      sessionFileBlocked_ = true;
      showMessage({tr("The last session could not be restored"),
                   tr("%1\n\nThe file %2 is left as it is; this session's untitled work will not replace it.")
                       .arg(error, QDir::toNativeSeparators(session)),
                   QString()},
                  true);
    }
  }
  doc_->setModified(false);
}

void MainWindow::checkRecovery() {
  const QStringList files = Autosaver::recoverable(settings_->autosaveFolder());
  recoveryFile_.clear();
  for (const QString& f : files)  // newest first: offer the latest work of another session
    if (f != autosaver_->recoveryFile()) {
      recoveryFile_ = f;
      break;
    }
  if (recoveryFile_.isEmpty()) {
    recoveryBar_->hide();
    return;
  }
  const QString original = Autosaver::originalProjectPath(recoveryFile_);
  const bool savedSince = !original.isEmpty() && QFileInfo::exists(original) &&
                          QFileInfo(original).lastModified() > QFileInfo(recoveryFile_).lastModified();
  recoveryText_->setText(
      tr("The studio did not close properly last time. Unsaved work from %1%2 can be recovered.")
          .arg(QLocale().toString(QFileInfo(recoveryFile_).lastModified(), QLocale::ShortFormat),
               original.isEmpty() ? QString()
               : savedSince       ? tr(" (project %1, which was saved after it)").arg(QFileInfo(original).fileName())
                                  : tr(" (project %1)").arg(QFileInfo(original).fileName())));
  recoveryBar_->show();
}

bool MainWindow::recoverAutosave() {
  if (recoveryFile_.isEmpty()) return false;
  if (!maybeSaveChanges(tr("Recover"))) return false;
  QString error;
  if (!Autosaver::recover(recoveryFile_, *doc_, &error)) {
    showMessage({tr("Recovery failed"), error, QString()});
    return false;
  }
  stopRunsOfReplacedDocument();
  // A project saved after the crash is newer than this work: recovered as untitled, so that Save does not replace the
  // newer file with it.
  QString newer;
  const QFileInfo original(doc_->projectPath());
  if (!doc_->projectPath().isEmpty() && original.exists() &&
      original.lastModified() > QFileInfo(recoveryFile_).lastModified()) {
    newer = tr("%1 was saved after this work, so it is recovered as untitled (Save asks for a name)")
                .arg(original.fileName());
    const bool modified = doc_->isModified();
    doc_->setProjectPath(QString());
    doc_->setModified(modified);
  }
  // The recovered work goes into this session's recovery file at once; the old file is removed only then, so
  // that it is never held in memory alone.
  if (!autosaver_ || !autosaver_->saveNow(&error)) {  // (a session that could not start autosaving tries again)
    if (!autosaver_) error = tr("autosave is not running");
    recoveryBar_->hide();
    history_->stack()->clear();
    rebuildHistory();
    followDocumentModel(false);
    showMessage({tr("Recovered, but not yet safe"),
                 tr("The recovered work could not be autosaved (%1); its recovery file %2 is kept. Save it as a "
                    "project to keep it.")
                     .arg(error, QDir::toNativeSeparators(recoveryFile_)),
                 QString()});
    recoveryFile_.clear();
    return true;
  }
  Autosaver::discard(recoveryFile_);
  recoveryFile_.clear();
  recoveryBar_->hide();
  history_->stack()->clear();
  rebuildHistory();
  followDocumentModel(false);
  statusBar()->showMessage(tr("Recovered the unsaved work; save it as a project to keep it.") +
                               (newer.isEmpty() ? QString() : QLatin1Char(' ') + newer),
                           newer.isEmpty() ? 8000 : 15000);
  return true;
}

void MainWindow::discardAutosave() {
  // the only copy of that work: one question first (Cancel is the default answer)
  if (!recoveryFile_.isEmpty() &&
      QMessageBox::question(this, tr("Discard the unsaved work"),
                            tr("Discard the work from %1 for good? It cannot be recovered afterwards.")
                                .arg(QLocale().toString(QFileInfo(recoveryFile_).lastModified(), QLocale::ShortFormat)),
                            QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Discard)
    return;
  if (!recoveryFile_.isEmpty()) Autosaver::discard(recoveryFile_);
  recoveryFile_.clear();
  recoveryBar_->hide();
}

QString MainWindow::runningText() const {
  const int queued = engine_->queuedIds().size();
  return queued > 0 ? tr("A generation is running and %n more are queued.", nullptr, queued)
                    : tr("A generation is running.");
}

void MainWindow::stopRunsOfReplacedDocument() {
  if (!stopRunsOnReplace_) return;
  stopRunsOnReplace_ = false;
  // a run that finishes before it sees the stop brings its clip anyway: dropped, as the user asked
  if (engine_->runningId() != 0) stoppedRuns_.insert(engine_->runningId());
  for (quint64 id : engine_->queuedIds()) stoppedRuns_.insert(id);
  engine_->cancelAll();
  if (engine_->isBusy()) engine_->cancel();
}

bool MainWindow::maybeSaveChanges(const QString& action) {
  stopRunsOnReplace_ = false;
  // Runs still going would put their clips into the document that replaces this one: the user says which.
  if (engine_->isBusy()) {
    QMessageBox box(QMessageBox::Question, action,
                    runningText() + QLatin1Char(' ') + tr("Their clips would go into the project that comes next. Stop them?"),
                    QMessageBox::Cancel, this);
    auto* stop = box.addButton(tr("Stop them"), QMessageBox::DestructiveRole);
    auto* keep = box.addButton(tr("Let them go on"), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    // stopped once the document is replaced (stopRunsOfReplacedDocument): a Cancel or a failed open after this
    // question leaves the runs going
    stopRunsOnReplace_ = box.clickedButton() == stop;
    if (box.clickedButton() != stop && box.clickedButton() != keep) return false;
  }
  const bool named = !doc_->projectPath().isEmpty();
  // An untitled document with no picture and no result holds nothing that is not in the settings. One with a
  // picture or a result lives only in this session (or in the session file it was restored from, which the next
  // close replaces): it is asked about even when nothing changed since it was restored.
  if (named ? !doc_->isModified() : (!doc_->hasFirstFrame() && doc_->resultCount() == 0)) return true;
  const QString what = named ? tr("Save the changes to %1 first?").arg(QFileInfo(doc_->projectPath()).fileName())
                             : tr("Save this untitled work as a project first?");
  const auto answer = QMessageBox::question(this, action, what + QLatin1Char(' ') + tr("Otherwise they are lost."),
                                            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel,
                                            QMessageBox::Save);
  if (answer == QMessageBox::Discard) return true;
  if (answer == QMessageBox::Save) return saveProject();  // false when the save fails or its dialog is cancelled
  return false;
}

void MainWindow::newProject() {
  if (!maybeSaveChanges(tr("New project"))) return;
  Project p;
  p.params.device = doc_->params().device;
  p.params.dtype = doc_->params().dtype;
  p.modelPath = doc_->modelPath();
  p.promptHistory = doc_->promptHistory();
  p.negativeHistory = doc_->negativeHistory();
  QString error;
  if (!doc_->loadProject(p, &error)) {
    showMessage({tr("New project"), error, QString()});
    return;
  }
  stopRunsOfReplacedDocument();
  doc_->setProjectPath(QString());
  history_->stack()->clear();
  rebuildHistory();
  followDocumentModel(true);  // (a demo model's own size and length for the new project)
  doc_->setModified(false);
}

void MainWindow::openProject() {
  const QString file = QFileDialog::getOpenFileName(this, tr("Open project"), QString(),
                                                    tr("ConsistI2V Studio projects (*.ci2v);;All files (*)"));
  if (!file.isEmpty()) openProjectFile(file);
}

bool MainWindow::openProjectFile(const QString& file) {
  if (!maybeSaveChanges(tr("Open project"))) return false;
  QString error;
  if (!doc_->openProjectFile(file, &error)) {
    showMessage({tr("Cannot open the project"), error, QString()});
    return false;
  }
  stopRunsOfReplacedDocument();
  history_->stack()->clear();
  rebuildHistory();
  followDocumentModel(false);
  settings_->setLastProject(file);
  statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(file)), 5000);
  return true;
}

bool MainWindow::saveProject() {
  if (doc_->projectPath().isEmpty()) return saveProjectAs();
  return saveProjectTo(doc_->projectPath());
}

bool MainWindow::saveProjectAs() {
  const QString file = askSaveFileName(this, tr("Save project"), QStringLiteral("untitled.ci2v"),
                                      tr("ConsistI2V Studio projects (*.ci2v)"), QStringLiteral(".ci2v"));
  if (file.isEmpty()) return false;
  return saveProjectTo(file);
}

bool MainWindow::saveProjectTo(const QString& file) {
  panel_->commitPendingEdits();
  QString error;
  if (!doc_->saveProjectFile(file, &error)) {
    showMessage({tr("Cannot save the project"), error, QString()});
    return false;
  }
  settings_->setLastProject(file);
  statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(file)), 5000);
  return true;
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
  if (e->mimeData()->hasUrls()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
  for (const QUrl& u : e->mimeData()->urls())
    if (u.isLocalFile()) {
      e->acceptProposedAction();
      openDroppedFile(u.toLocalFile());
      return;
    }
}

bool MainWindow::restoreSettingsFrom(const QString& path) {
#ifdef CONSISTI2V_HAVE_MEDIA
  std::string json;
  try {
    json = ci2v::media::read_embedded_params(path.toStdString());
  } catch (const std::exception&) {
    return false;  // unreadable as media: not ours
  }
  if (json.empty()) return false;
  try {
    auto p = ci2v::GenerationParams::from_json(ci2v::io::parse_json(json, "the embedded settings"));
    p.device = doc_->params().device;  // the machine's choices stay
    p.dtype = doc_->params().dtype;
    p.validate_ranges();
    history_->apply(p, tr("Restore the settings of %1").arg(QFileInfo(path).fileName()));
    statusBar()->showMessage(tr("Settings restored from %1 (seed %2)").arg(QFileInfo(path).fileName()).arg(p.seed), 8000);
    return true;
  } catch (const std::exception& ex) {
    showMessage({tr("Cannot restore the settings"),
                 tr("%1 carries settings this version cannot use: %2").arg(QFileInfo(path).fileName(), QString::fromUtf8(ex.what())),
                 QString()});
    return true;  // it was ours: do not treat it as a picture either
  }
#else
  Q_UNUSED(path);
  return false;
#endif
}

void MainWindow::openDroppedFile(const QString& path) {
  if (path.endsWith(QLatin1String(".ci2v"), Qt::CaseInsensitive)) {
    openProjectFile(path);
    return;
  }
  if (restoreSettingsFrom(path)) return;  // an exported clip (or frame) of ours
  loadFirstFrame(path);
}

void MainWindow::restoreResult(int index) {
  if (index < 0 || index >= doc_->resultCount()) return;
  QString note;
  const auto p = doc_->resultParamsForNow(index, &note);
  history_->apply(p, tr("Restore the settings of #%1").arg(index + 1));
  statusBar()->showMessage(tr("Settings of #%1 restored (seed %2)").arg(index + 1).arg(p.seed) +
                               (note.isEmpty() ? QString() : QStringLiteral("; ") + note),
                           note.isEmpty() ? 5000 : 8000);
}

void MainWindow::rerunResult(int index) {
  if (index < 0 || index >= doc_->resultCount()) return;
  QString note;  // (it animates the current first frame, as Generate does)
  auto p = doc_->resultParamsForNow(index, &note);
  p.seed = -1;  // a new random seed (reported with the result)
  if (queueGenerations({p}) > 0 && !note.isEmpty()) statusBar()->showMessage(tr("Re-run of #%1: %2").arg(index + 1).arg(note), 8000);
}

void MainWindow::toggleFavourite(int index) {
  if (index < 0 || index >= doc_->resultCount()) return;
  doc_->setFavourite(index, !doc_->result(index).favourite);
}

void MainWindow::askToDeleteResult(int index) {
  if (index < 0 || index >= doc_->resultCount()) return;
  // a clip is minutes of work and its delete cannot be undone: one question (Delete is the default answer)
  QMessageBox box(QMessageBox::Question, tr("Delete clip"),
                  tr("Delete clip #%1 (seed %2)? This cannot be undone.").arg(index + 1).arg(doc_->result(index).seed),
                  QMessageBox::Cancel, this);
  box.setObjectName(QStringLiteral("delete_clip_box"));
  auto* del = box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
  box.setDefaultButton(del);
  box.exec();
  if (box.clickedButton() == del) deleteResult(index);
}

void MainWindow::deleteResult(int index) {
  if (index < 0 || index >= doc_->resultCount()) return;
  doc_->removeResult(index);
  statusBar()->showMessage(tr("Clip #%1 deleted").arg(index + 1), 4000);
}

int MainWindow::queueGenerations(const QVector<ci2v::GenerationParams>& runs) {
  panel_->commitPendingEdits();
  GenerationRequest base;
  QString error;
  if (!doc_->makeRequest(&base, &error)) {
    showMessage({tr("Cannot generate yet"), error, QString()}, false);
    return 0;
  }
  int queued = 0;
  for (const auto& p : runs) {
    try {
      p.validate();
    } catch (const std::exception& e) {
      showMessage({tr("Cannot queue this generation"), QString::fromUtf8(e.what()), QString()});
      break;
    }
    GenerationRequest r;
    if (!doc_->makeRequest(&r, &error)) break;  // a fresh id per run
    r.params = p;
    if (!engine_->isBusy()) {
      strip_->reset();
      strip_->setStage(tr("Starting"));
      latency_->start();
    }
    engine_->generate(r);
    ++queued;
  }
  if (queued > 0) statusBar()->showMessage(tr("%n generation(s) queued", nullptr, queued), 5000);
  updateActions();
  return queued;
}

QVector<ci2v::GenerationParams> MainWindow::batchRuns(const ci2v::GenerationParams& base, BatchKind kind, int count,
                                                     double from, double to) {
  QVector<ci2v::GenerationParams> runs;
  count = std::max(1, count);
  for (int i = 0; i < count; ++i) {
    auto p = base;
    const double v = count == 1 ? from : from + (to - from) * i / (count - 1);
    switch (kind) {
      case BatchKind::Seeds: p.seed = static_cast<int64_t>(std::llround(from)) + i; break;
      case BatchKind::NoiseLevel: p.noise_level = static_cast<int>(std::lround(v)); break;
      case BatchKind::CutoffSpatial: p.cutoff_spatial = v; break;
      case BatchKind::CutoffTemporal: p.cutoff_temporal = v; break;
    }
    if (kind != BatchKind::Seeds && p.seed < 0) p.seed = 0;  // a sweep compares like with like: one seed
    runs.push_back(p);
  }
  return runs;
}

void MainWindow::showBatchDialog() {
  QDialog dlg(this);
  dlg.setObjectName(QStringLiteral("batch_dialog"));
  dlg.setWindowTitle(tr("Queue a batch"));
  auto* form = new QFormLayout(&dlg);
  auto* kind = new QComboBox;
  kind->addItem(tr("The same settings with N seeds"), static_cast<int>(BatchKind::Seeds));
  kind->addItem(tr("A sweep over the noise level τ"), static_cast<int>(BatchKind::NoiseLevel));
  kind->addItem(tr("A sweep over D0 spatial"), static_cast<int>(BatchKind::CutoffSpatial));
  kind->addItem(tr("A sweep over D0 temporal"), static_cast<int>(BatchKind::CutoffTemporal));
  auto* count = new QSpinBox;
  count->setRange(1, 64);
  count->setValue(4);
  auto* from = new QDoubleSpinBox;
  auto* to = new QDoubleSpinBox;
  for (auto* b : {from, to}) b->setDecimals(2);
  auto setRanges = [=, this] {
    const auto k = static_cast<BatchKind>(kind->currentData().toInt());
    const auto& p = doc_->params();
    to->setEnabled(k != BatchKind::Seeds);
    if (k == BatchKind::Seeds) {
      from->setDecimals(0);
      from->setRange(0, 2147483647.0);
      from->setValue(p.seed >= 0 ? static_cast<double>(p.seed) : 0);
    } else if (k == BatchKind::NoiseLevel) {
      from->setDecimals(0);
      to->setDecimals(0);
      from->setRange(1, 999);
      to->setRange(1, 999);
      from->setValue(600);
      to->setValue(900);
    } else {
      from->setDecimals(2);
      to->setDecimals(2);
      from->setRange(0.01, 1);
      to->setRange(0.01, 1);
      from->setValue(0.1);
      to->setValue(0.6);
    }
  };
  setRanges();
  connect(kind, &QComboBox::currentIndexChanged, &dlg, setRanges);
  form->addRow(tr("Batch"), kind);
  form->addRow(tr("Generations"), count);
  form->addRow(tr("From (first seed)"), from);
  form->addRow(tr("To"), to);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Queue"));
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, &dlg, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, &dlg, &QDialog::reject);
  if (dlg.exec() != QDialog::Accepted) return;
  queueGenerations(batchRuns(doc_->params(), static_cast<BatchKind>(kind->currentData().toInt()), count->value(),
                             from->value(), to->value()));
}

void MainWindow::closeEvent(QCloseEvent* e) {
  // A generation running or queued: it is lost by closing, so ask.
  if (engine_->isBusy()) {
    QMessageBox box(QMessageBox::Question, tr("Generation running"),
                    runningText() + QLatin1Char(' ') + tr("Stop and close the studio? What it has not finished is lost."),
                    QMessageBox::Cancel, this);
    auto* stop = box.addButton(tr("Stop and close"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != stop) {
      e->ignore();
      return;
    }
  }
  // A named project with unsaved changes: ask. The untitled session is kept for the next start silently.
  if (!doc_->projectPath().isEmpty() && doc_->isModified()) {
    const auto answer = QMessageBox::question(
        this, tr("Unsaved changes"), tr("Save the changes to %1?").arg(QFileInfo(doc_->projectPath()).fileName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel || (answer == QMessageBox::Save && !saveProject())) {
      e->ignore();
      return;
    }
  }
  bool keepRecovery = false;  // the work could be kept nowhere else
  if (doc_->projectPath().isEmpty()) {
    QString error;
    const QString session = settings_->sessionFile();
    if (doc_->hasFirstFrame() || doc_->resultCount() > 0) {
      const bool kept = !sessionFileBlocked_ && !sessionInUse_ &&
                        project::save(doc_->toProject(), session, &error, doc_->pngCache().get());
      if (sessionFileBlocked_)
        error = tr("%1 could not be restored at the start and is left as it is").arg(QDir::toNativeSeparators(session));
      else if (sessionInUse_)
        error = tr("another ConsistI2V Studio window keeps its own untitled work there");
      if (!kept) {
        const auto answer = QMessageBox::warning(
            this, tr("Unsaved work"),
            tr("The untitled work could not be kept for the next start (%1). Save it as a project before closing?")
                .arg(error),
            QMessageBox::Save | QMessageBox::Close | QMessageBox::Cancel, QMessageBox::Save);
        if (answer == QMessageBox::Cancel || (answer == QMessageBox::Save && !saveProject())) {
          e->ignore();
          return;
        }
        if (answer == QMessageBox::Close) {
          // closed anyway: the work stays in this session's recovery file, offered at the next start
          QString why = tr("autosave is not running");
          if (!autosaver_ || !autosaver_->saveNow(&why)) {
            const auto last = QMessageBox::critical(
                this, tr("Unsaved work"),
                tr("The work could not be kept in the recovery file either (%1). Close anyway and lose it?").arg(why),
                QMessageBox::Close | QMessageBox::Cancel, QMessageBox::Cancel);
            if (last != QMessageBox::Close) {
              e->ignore();
              return;
            }
          }
          keepRecovery = true;
        }
      }
    } else if (!sessionFileBlocked_ && !sessionInUse_) {
      QFile::remove(session);
    }
  }
  if (sessionLock_) sessionLock_->unlock();  // the next studio may have the session now
  if (!sessionInUse_) settings_->setLastProject(doc_->projectPath());  // (the first studio's is its own to set)
  if (autosaver_ && !keepRecovery) autosaver_->finish();
  engine_->cancelAll();
  if (engine_->isBusy()) engine_->cancel();
  if (exporter_->isRunning()) exporter_->cancel();
  settings_->save(*doc_);
  settings_->saveWindow(saveGeometry(), saveState());
  settings_->sync();
  QMainWindow::closeEvent(e);
}

}  // namespace studio
