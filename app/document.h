// The studio's state: the generation parameters (with the prompts), the first frame, the model folder and
// its status, the prompt histories and the results. Widgets bind to it; every change is a signal.
#pragma once
#include <QImage>
#include <QObject>
#include <QRectF>
#include <QStringList>
#include <QVector>
#include <memory>

#include "app/project.h"  // project files (issue #8)
#include "app/studio_types.h"
#include "engine/camera_path.h"
#include "engine/pipeline.h"

namespace studio {

class Document : public QObject {
  Q_OBJECT
public:
  enum class ModelState { None, Checking, Loading, Ready, Failed };
  Q_ENUM(ModelState)

  explicit Document(QObject* parent = nullptr);

  // --- parameters (prompts included)
  const ci2v::GenerationParams& params() const { return params_; }
  void setParams(const ci2v::GenerationParams& p);  // emits paramsChanged when anything differs
  void setPrompt(const QString& prompt);
  void setNegativePrompt(const QString& negative);
  void setSeed(qint64 seed);                          // fixed seed (< 0: random)
  void resetParams();                                 // reference defaults, prompts, device and dtype kept
  // Parameters as JSON text (the engine's format) and back; fromJson returns false with a message.
  QString paramsJson() const;
  bool setParamsJson(const QString& json, QString* error = nullptr);

  // --- prompt histories, newest first
  QStringList promptHistory() const { return promptHistory_; }
  QStringList negativeHistory() const { return negativeHistory_; }
  void setHistories(const QStringList& prompts, const QStringList& negatives);
  void rememberPrompts();  // adds the current prompts to the histories
  static constexpr int kHistoryMax = 30;

  // --- first frame
  bool hasFirstFrame() const { return !firstFrame_.isNull(); }
  QImage firstFrame() const { return firstFrame_; }
  // The first frame as the engine takes it, converted once per picture and shared (null without a picture).
  std::shared_ptr<const ci2v::RgbImage> firstFrameRgb() const;
  QString firstFrameSource() const { return firstFrameSource_; }
  // A new picture of another size moves a custom camera path with it (fitPicture: the crops keep their place
  // and share of the picture); the note says so (lastCameraFitNote). firstFrameReplaced tells the undo history.
  void setFirstFrame(const QImage& image, const QString& source);
  // Puts back a picture exactly as it was (an undo or redo of a picture change): no scaling, no camera fit, no
  // new undo step. pathPicture: the picture size the camera paths were in then (cameraPictureSize).
  void restoreFirstFrame(const QImage& image, const QString& source, QSize pathPicture);
  // The picture size camera paths are in: the picture's, or while none is loaded the last one's.
  QSize cameraPictureSize() const { return pathPicture_; }
  // Decodes a picture file (FFmpeg: PNG, JPEG, WebP, 16-bit, EXIF orientation); false with a message.
  bool loadFirstFrame(const QString& path, QString* error);
  void clearFirstFrame();
  // The part of the first frame the model sees at the current size and fit, in picture pixels (extends
  // beyond the picture for "fit inside" padding). Empty without a first frame.
  QRectF cropRect() const;
  static QRectF cropRectFor(QSize picture, int width, int height, bool centerCrop);

  // --- camera path (keyframes in first-frame picture pixels, the format of the CLI's --camera path.json)
  bool cameraEnabled() const { return params_.camera_enabled(); }
  // The editable path: the custom path, or the chosen preset as a path over the picture; no keyframes for a
  // still camera (or a preset without a first frame).
  ci2v::sampling::CameraPath cameraPath() const;
  // A custom path (no keyframes: still camera). Switches FrameInit's camera defaults (τ 750, D0 0.5) when the
  // camera mode turns on or off and they are at their defaults. False with a message when the path is invalid.
  bool setCameraPath(const ci2v::sampling::CameraPath& path, QString* error = nullptr);
  // A preset (pan_left, pan_right, zoom_in, zoom_out, tilt_up, tilt_down; "" = still camera).
  bool setCameraPreset(const QString& name, QString* error = nullptr);
  void clearCamera() { setCameraPreset(QString()); }
  // The same changes computed without applying them (for the undo stack): the new parameters, and the note
  // when FrameInit's defaults follow the camera mode ("" otherwise).
  struct CameraChange {
    ci2v::GenerationParams params;
    QString note;
  };
  bool cameraPathChange(const ci2v::sampling::CameraPath& path, CameraChange* out, QString* error = nullptr) const;
  bool cameraPresetChange(const QString& name, CameraChange* out, QString* error = nullptr) const;
  void applyCameraChange(const CameraChange& change);
  QString cameraDefaultsNote(const ci2v::GenerationParams& p) const;
  // FrameInit's defaults for the current model: the paper's, or a demo model's own camera setting. A change
  // moves τ and D0 that sat at the old model's defaults to the new model's (with the note, as a camera switch).
  const ci2v::FrameInitDefaults& frameInitDefaults() const { return frameInitDefaults_; }
  // follow = false: the defaults change, the parameters stay (a project opened with its own settings).
  void setFrameInitDefaults(const ci2v::FrameInitDefaults& d, bool follow = true);
  // Paths as JSON files; false with a message naming the file.
  bool saveCameraPath(const QString& file, QString* error) const;
  bool loadCameraPath(const QString& file, QString* error);
  static bool readCameraPathFile(const QString& file, ci2v::sampling::CameraPath* path, QString* error);
  // The frames a camera path spans: the whole video's, chunks joined (a path is one move over all the chunks).
  int cameraFrames() const { return static_cast<int>(params_.video_frames()); }
  // Frames of the video (the crops per frame of the current path over all the chunks, in picture pixels).
  QVector<QRectF> cameraCrops() const;
  // A parameter edit fitted to the custom camera path (nothing to fit for presets, which follow by
  // themselves): a new output aspect gives every crop that aspect (same centre and area, so the layout video
  // is not stretched); a new frame or chunk count pushes keyframes that would share a frame apart (camera::fitFrames).
  // note: what was fitted, for the status bar ("" = nothing).
  ci2v::GenerationParams withCameraFitted(ci2v::GenerationParams after, QString* note = nullptr) const;
  // A result's settings for use now (Restore, Re-run): this machine's device and precision, and a custom camera
  // path moved from the picture the result was made from to the current one when their sizes differ (note says
  // so; "" otherwise).
  ci2v::GenerationParams resultParamsForNow(int index, QString* note = nullptr) const;
  // What the last new first frame did to the camera path ("" = nothing).
  QString lastCameraFitNote() const { return cameraFitNote_; }
  // Whether the last picture given to setFirstFrame was scaled down to what a project holds ("" = not).
  QString lastPictureNote() const { return pictureNote_; }
  // The last switch of FrameInit's defaults by the camera mode ("" when none), for the UI to show it.
  QString lastCameraDefaultsNote() const { return cameraNote_; }

  // --- model
  QString modelPath() const { return modelPath_; }
  void setModelPath(const QString& path);
  ModelState modelState() const { return modelState_; }
  QString modelMessage() const { return modelMessage_; }
  void setModelStatus(ModelState state, const QString& message);

  // --- results
  int resultCount() const { return results_.size(); }
  const ResultClip& result(int i) const { return results_[i]; }
  // Returns its index and makes it current. A clip whose id a result of the document has already (a run that
  // was started before another project was opened) gets a fresh one: ids stay unique, as project files need.
  int addResult(const ResultClip& clip);
  int currentResultIndex() const { return current_; }
  const ResultClip* currentResult() const { return current_ >= 0 ? &results_[current_] : nullptr; }
  void setCurrentResult(int i);

  // --- the request for the engine: false with a user-facing message when something is missing or invalid
  bool makeRequest(GenerationRequest* out, QString* error) const;

Q_SIGNALS:
  void paramsChanged();
  void cameraChanged();  // the path or preset changed (paramsChanged is emitted too)
  void cameraDefaultsSwitched(const QString& note);  // FrameInit's τ/D0 followed the camera mode
  void historiesChanged();
  void firstFrameChanged();
  // setFirstFrame replaced the picture (what it was, and the settings before the camera path followed): one
  // undoable step for the history. Not emitted for a project's picture or a restoreFirstFrame.
  void firstFrameReplaced(const QImage& before, const QString& beforeSource, QSize pathPictureBefore,
                          const ci2v::GenerationParams& paramsBefore);
  void modelPathChanged();
  void modelStatusChanged();
  void resultAdded(int index);
  // A removed result's preview video (a file the engine wrote for the player), no longer shown: it can go.
  void previewVideoReleased(const QString& file);
  void currentResultChanged(int index);

private:
  ci2v::GenerationParams params_;
  QStringList promptHistory_, negativeHistory_;
  QImage firstFrame_;
  QString firstFrameSource_;
  QString modelPath_;
  ModelState modelState_ = ModelState::None;
  QString modelMessage_;
  QVector<ResultClip> results_;
  int current_ = -1;
  mutable quint64 nextId_ = 1;
  QString cameraNote_;
  QString cameraFitNote_;
  QString pictureNote_;
  QSize pathPicture_;
  mutable std::shared_ptr<const ci2v::RgbImage> rgb_;  // firstFrameRgb's conversion ...
  mutable qint64 rgbKey_ = 0;                          // ... of the picture with this cacheKey  // the picture size camera paths are in (the last picture's, also while none is loaded)
  ci2v::FrameInitDefaults frameInitDefaults_;

  void replaceFirstFrame(const QImage& image, const QString& source, bool fitCamera);

  bool finishCameraChange(ci2v::GenerationParams p, CameraChange* out) const;

  // ======================================================================================================
  // Project files, the modified flag and editing the history (issue #8; app/project.h, app/autosave.h)
  // ======================================================================================================
public:
  // Everything a project file holds (no preview videos, no model status).
  Project toProject() const;
  // Replaces the first frame, parameters, model path, histories and results (emitting firstFrameChanged,
  // paramsChanged/cameraChanged, modelPathChanged, historiesChanged, resultRemoved for every old result from
  // the last one, resultAdded for every new one, currentResultChanged) and clears the modified flag. Checks
  // the project first: false with a message and the document untouched when it is inconsistent.
  bool loadProject(const Project& project, QString* error);
  // File level: project::load + loadProject + projectPath; project::save + projectPath + not modified.
  // False with a message naming the file; on failure the document (and the previous file) stay as they were.
  bool openProjectFile(const QString& file, QString* error);
  bool saveProjectFile(const QString& file, QString* error);
  // The project file the document was opened from / saved to ("" = none yet).
  QString projectPath() const { return projectPath_; }
  void setProjectPath(const QString& file);
  // Unsaved changes: set by changes of the parameters, the first frame and the results; cleared by
  // loadProject / saveProjectFile / setModified(false).
  bool isModified() const { return modified_; }
  void setModified(bool modified);
  // The history: mark a result as favourite (resultChanged) or remove it (resultRemoved; the current result
  // moves to the next one, or the previous one when the last is removed). Out of range: nothing happens.
  void setFavourite(int index, bool on);
  void removeResult(int index);
  // The PNGs of the document's pictures, shared by every save of it (Save, autosave, the session kept at exit):
  // a new result's frames are encoded in the background as it arrives, an opened project's are kept as read.
  std::shared_ptr<PngCache> pngCache() const { return pngCache_; }

Q_SIGNALS:
  void modifiedChanged(bool modified);
  void projectPathChanged();
  void resultChanged(int index);
  void resultRemoved(int index);

private:
  bool modified_ = false;
  QString projectPath_;
  std::shared_ptr<PngCache> pngCache_ = std::make_shared<PngCache>();
  bool installModifiedTracking();
  // Initialised last: connects the change signals to the modified flag without touching the constructor.
  const bool modifiedTracking_ = installModifiedTracking();
};

}  // namespace studio
