#include "app/document.h"

#include <algorithm>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QThreadPool>
#include <cmath>

#include "app/camera_edit.h"
#include "engine/error.h"
#include "engine/io/json_text.h"
#ifdef CONSISTI2V_HAVE_MEDIA
#include "engine/media/image.h"
#endif

namespace studio {
namespace {

bool sameParams(const ci2v::GenerationParams& a, const ci2v::GenerationParams& b) {
  return a.to_json() == b.to_json();
}

void pushHistory(QStringList& list, const QString& text) {
  const QString t = text.trimmed();
  if (t.isEmpty()) return;
  list.removeAll(t);
  list.prepend(t);
  while (list.size() > Document::kHistoryMax) list.removeLast();
}

int64_t roundHalfEven(double v) {
  const double r = std::nearbyint(v);  // the default rounding mode rounds half to even
  return static_cast<int64_t>(r);
}

}  // namespace

Document::Document(QObject* parent) : QObject(parent) {}

void Document::setParams(const ci2v::GenerationParams& p) {
  if (sameParams(p, params_)) return;
  const bool cameraMoved = p.camera_preset != params_.camera_preset || p.camera_path != params_.camera_path;
  params_ = p;
  Q_EMIT paramsChanged();
  if (cameraMoved) Q_EMIT cameraChanged();
}

// --- camera

ci2v::sampling::CameraPath Document::cameraPath() const {
  namespace cs = ci2v::sampling;
  if (!params_.camera_path.is_null()) {
    try {
      return cs::CameraPath::from_json(params_.camera_path);
    } catch (const std::exception&) {
      return {};  // never stored: setCameraPath and setParamsJson validate
    }
  }
  if (!params_.camera_preset.empty() && hasFirstFrame()) {
    try {
      return cs::preset_path_for_picture(cs::camera_preset_from_string(params_.camera_preset), firstFrame_.height(),
                                         firstFrame_.width(), params_.height, params_.width);
    } catch (const std::exception&) {
      return {};
    }
  }
  return {};
}

QString Document::cameraDefaultsNote(const ci2v::GenerationParams& p) const {
  if (!p.camera_enabled()) return tr("Still camera: FrameInit back to τ %1, D0 %2").arg(p.noise_level).arg(p.cutoff_spatial);
  return frameInitDefaults_.camera == ci2v::FrameInitDefaults{}.camera
             ? tr("Camera move: FrameInit switched to the paper's camera settings (τ %1, D0 %2)")
                   .arg(p.noise_level)
                   .arg(p.cutoff_spatial)
             : tr("Camera move: FrameInit switched to this model's camera settings (τ %1, D0 %2)")
                   .arg(p.noise_level)
                   .arg(p.cutoff_spatial);
}

void Document::setFrameInitDefaults(const ci2v::FrameInitDefaults& d, bool follow) {
  if (d == frameInitDefaults_) return;
  const auto before = frameInitDefaults_;
  frameInitDefaults_ = d;
  if (!follow) return;
  auto p = params_;
  if (p.change_frameinit_defaults(before, d)) {
    setParams(p);
    cameraNote_ = cameraDefaultsNote(p);
    Q_EMIT cameraDefaultsSwitched(cameraNote_);
  }
}

bool Document::finishCameraChange(ci2v::GenerationParams p, CameraChange* out) const {
  out->note.clear();
  if (p.switch_frameinit_defaults(params_.camera_enabled(), frameInitDefaults_)) out->note = cameraDefaultsNote(p);
  out->params = std::move(p);
  return true;
}

bool Document::cameraPathChange(const ci2v::sampling::CameraPath& path, CameraChange* out, QString* error) const {
  auto p = params_;
  p.camera_preset.clear();
  if (path.keyframes.empty()) {
    p.camera_path = nullptr;
    return finishCameraChange(std::move(p), out);
  }
  try {
    path.validate();
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
  p.camera_path = path.to_json();
  return finishCameraChange(std::move(p), out);
}

bool Document::cameraPresetChange(const QString& name, CameraChange* out, QString* error) const {
  auto p = params_;
  p.camera_preset = name.toStdString();
  p.camera_path = nullptr;
  if (!p.camera_preset.empty()) {
    try {
      const auto preset = ci2v::sampling::camera_preset_from_string(p.camera_preset);
      const bool zoom = preset == ci2v::sampling::CameraPreset::ZoomIn || preset == ci2v::sampling::CameraPreset::ZoomOut;
      if (zoom && p.width != p.height) {
        if (error)
          *error = tr("The zoom presets need a square video (width = height); the video is %1 × %2.")
                       .arg(p.width)
                       .arg(p.height);
        return false;
      }
    } catch (const std::exception& e) {
      if (error) *error = QString::fromUtf8(e.what());
      return false;
    }
  }
  return finishCameraChange(std::move(p), out);
}

void Document::applyCameraChange(const CameraChange& c) {
  setParams(c.params);
  if (!c.note.isEmpty()) {
    cameraNote_ = c.note;
    Q_EMIT cameraDefaultsSwitched(c.note);
  }
}

bool Document::setCameraPath(const ci2v::sampling::CameraPath& path, QString* error) {
  CameraChange c;
  if (!cameraPathChange(path, &c, error)) return false;
  applyCameraChange(c);
  return true;
}

bool Document::setCameraPreset(const QString& name, QString* error) {
  CameraChange c;
  if (!cameraPresetChange(name, &c, error)) return false;
  applyCameraChange(c);
  return true;
}

bool Document::saveCameraPath(const QString& file, QString* error) const {
  const auto path = cameraPath();
  if (path.keyframes.empty()) {
    if (error) *error = tr("There is no camera path to save: add keyframes or choose a preset first.");
    return false;
  }
  // atomically: a failed write (full disk) leaves the previous file as it was
  QString why;
  if (!project::writeFileAtomically(file, QByteArray::fromStdString(path.to_json().dump(2) + "\n"), &why)) {
    if (error) *error = tr("Cannot write the camera path to %1: %2").arg(file, why);
    return false;
  }
  return true;
}

bool Document::readCameraPathFile(const QString& file, ci2v::sampling::CameraPath* path, QString* error) {
  QFile f(file);
  if (!f.open(QIODevice::ReadOnly)) {
    if (error) *error = tr("Cannot read the camera path %1: %2").arg(file, f.errorString());
    return false;
  }
  try {
    const auto j = ci2v::io::parse_json(f.readAll().toStdString(), file.toStdString());
    *path = ci2v::sampling::CameraPath::from_json(j);
    return true;
  } catch (const std::exception& e) {
    if (error) *error = tr("%1 is not a valid camera path: %2").arg(file, QString::fromUtf8(e.what()));
    return false;
  }
}

bool Document::loadCameraPath(const QString& file, QString* error) {
  ci2v::sampling::CameraPath path;
  return readCameraPathFile(file, &path, error) && setCameraPath(path, error);
}

QVector<QRectF> Document::cameraCrops() const {
  QVector<QRectF> out;
  const auto path = cameraPath();
  if (path.keyframes.empty()) return out;
  try {
    for (const auto& c : path.crops(cameraFrames()))
      out.push_back(QRectF(static_cast<double>(c.left), static_cast<double>(c.top), static_cast<double>(c.width),
                           static_cast<double>(c.height)));
  } catch (const std::exception&) {
    out.clear();
  }
  return out;
}

void Document::setPrompt(const QString& prompt) {
  auto p = params_;
  p.prompt = prompt.toStdString();
  setParams(p);
}

void Document::setNegativePrompt(const QString& negative) {
  auto p = params_;
  p.negative_prompt = negative.toStdString();
  setParams(p);
}

void Document::setSeed(qint64 seed) {
  auto p = params_;
  p.seed = seed < 0 ? -1 : seed;
  setParams(p);
}

void Document::resetParams() {
  ci2v::GenerationParams d;
  d.prompt = params_.prompt;
  d.negative_prompt = params_.negative_prompt;
  d.device = params_.device;
  d.dtype = params_.dtype;
  setParams(d);
}

QString Document::paramsJson() const { return QString::fromStdString(params_.to_json().dump(2)); }

bool Document::setParamsJson(const QString& json, QString* error) {
  try {
    const auto j = ci2v::io::parse_json(json.toStdString(), "parameters");
    setParams(ci2v::GenerationParams::from_json(j));
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
}

void Document::setHistories(const QStringList& prompts, const QStringList& negatives) {
  promptHistory_ = prompts.mid(0, kHistoryMax);
  negativeHistory_ = negatives.mid(0, kHistoryMax);
  Q_EMIT historiesChanged();
}

void Document::rememberPrompts() {
  const QStringList p0 = promptHistory_, n0 = negativeHistory_;
  pushHistory(promptHistory_, QString::fromStdString(params_.prompt));
  pushHistory(negativeHistory_, QString::fromStdString(params_.negative_prompt));
  if (p0 != promptHistory_ || n0 != negativeHistory_) Q_EMIT historiesChanged();
}

std::shared_ptr<const ci2v::RgbImage> Document::firstFrameRgb() const {
  if (firstFrame_.isNull()) return nullptr;
  if (!rgb_ || rgbKey_ != firstFrame_.cacheKey()) {
    rgb_ = std::make_shared<const ci2v::RgbImage>(toRgbImage(firstFrame_));
    rgbKey_ = firstFrame_.cacheKey();
  }
  return rgb_;
}

void Document::setFirstFrame(const QImage& image, const QString& source) {
  const QImage before = firstFrame_;
  const QString beforeSource = firstFrameSource_;
  const QSize pathPictureBefore = pathPicture_;
  const ci2v::GenerationParams paramsBefore = params_;
  // A picture larger than a project holds is scaled down to fit (saved as it was, the project could not be opened
  // again): the video is made from a crop of a few hundred pixels anyway.
  const qint64 w = image.width(), h = image.height();
  if (image.isNull() ||
      (w <= project::kMaxImageSide && h <= project::kMaxImageSide && w * h <= project::kMaxImagePixels)) {
    pictureNote_.clear();
    replaceFirstFrame(image, source, true);
  } else {
    const double f = std::min({double(project::kMaxImageSide) / w, double(project::kMaxImageSide) / h,
                               std::sqrt(double(project::kMaxImagePixels) / double(w * h))});
    const QSize to(std::max(1, int(std::floor(w * f))), std::max(1, int(std::floor(h * f))));
    pictureNote_ = tr("scaled down from %1 × %2 (a project holds pictures up to %3 pixels a side and %4 megapixels)")
                       .arg(w)
                       .arg(h)
                       .arg(project::kMaxImageSide)
                       .arg(project::kMaxImagePixels / 1000000);
    replaceFirstFrame(image.scaled(to, Qt::IgnoreAspectRatio, Qt::SmoothTransformation), source, true);
  }
  // the same picture again (same pixels) is no step of its own
  if (firstFrame_.isNull() != before.isNull() || firstFrame_ != before || firstFrameSource_ != beforeSource)
    Q_EMIT firstFrameReplaced(before, beforeSource, pathPictureBefore, paramsBefore);
}

void Document::restoreFirstFrame(const QImage& image, const QString& source, QSize pathPicture) {
  pictureNote_.clear();
  pathPicture_ = pathPicture;  // (a picture sets its own size)
  replaceFirstFrame(image, source, false);
}

void Document::replaceFirstFrame(const QImage& image, const QString& source, bool fitCamera) {
  const QSize before = pathPicture_;
  firstFrame_ = image.isNull() ? QImage() : image.convertToFormat(QImage::Format_RGB888);
  firstFrameSource_ = source;
  rgb_.reset();  // (the old picture's conversion is not kept: 192 MB for 8000 x 8000; requests hold their own)
  cameraFitNote_.clear();
  const QSize after = firstFrame_.size();
  if (!after.isEmpty()) pathPicture_ = after;  // (no picture: the paths stay in the last one's pixels)
  const bool resized = fitCamera && !before.isEmpty() && !after.isEmpty() && before != after;
  auto p = params_;
  if (resized && camera::fitPictureJson(p.camera_path, QSizeF(before), QSizeF(after))) {
    setParams(p);
    cameraFitNote_ = tr("The camera path moved with the new picture (%1 × %2 → %3 × %4)")
                         .arg(before.width())
                         .arg(before.height())
                         .arg(after.width())
                         .arg(after.height());
  }
  Q_EMIT firstFrameChanged();
}

ci2v::GenerationParams Document::resultParamsForNow(int index, QString* note) const {
  if (note) note->clear();
  const ResultClip& r = results_.at(index);
  auto p = r.params;
  p.device = params_.device;
  p.dtype = params_.dtype;
  const QSize now = firstFrame_.isNull() ? pathPicture_ : firstFrame_.size();  // the pixels paths are in
  if (r.pictureSize.isValid() && !now.isEmpty() && now != r.pictureSize &&
      camera::fitPictureJson(p.camera_path, QSizeF(r.pictureSize), QSizeF(now)) && note)
    *note = tr("its camera path moved from the %1 × %2 picture it was made from to this one")
                .arg(r.pictureSize.width())
                .arg(r.pictureSize.height());
  return p;
}

ci2v::GenerationParams Document::withCameraFitted(ci2v::GenerationParams after, QString* note) const {
  if (note) note->clear();
  if (after.camera_path.is_null() || after.camera_path != params_.camera_path) return after;  // no path, or its own edit
  ci2v::sampling::CameraPath path;
  try {
    path = ci2v::sampling::CameraPath::from_json(after.camera_path);
  } catch (const std::exception&) {
    return after;
  }
  QStringList what;
  const double aspectBefore = static_cast<double>(params_.width) / params_.height;
  const double aspectAfter = static_cast<double>(after.width) / after.height;
  if (std::abs(aspectAfter - aspectBefore) > 1e-9) {
    path = camera::fitAspect(path, aspectAfter);
    what << tr("its crops took the video's new shape (%1 × %2)").arg(after.width).arg(after.height);
  }
  if (after.video_frames() != params_.video_frames()) {
    int dropped = 0;
    const auto fitted = camera::fitFrames(path, static_cast<int>(after.video_frames()), &dropped);
    if (fitted.to_json() != path.to_json()) {
      path = fitted;
      what << (dropped > 0 ? tr("%n keyframe(s) that no longer had a frame of their own merged into their neighbours",
                                nullptr, dropped)
                           : tr("keyframes that would share a frame moved apart"));
    }
  }
  if (what.isEmpty()) return after;
  try {
    path.validate();
  } catch (const std::exception&) {
    return after;
  }
  after.camera_path = path.to_json();
  if (note) *note = tr("Camera path: %1").arg(what.join(QStringLiteral("; ")));
  return after;
}

bool Document::loadFirstFrame(const QString& path, QString* error) {
  const QFileInfo fi(path);
  if (!fi.exists()) {
    if (error) *error = tr("The file %1 does not exist.").arg(path);
    return false;
  }
#ifdef CONSISTI2V_HAVE_MEDIA
  try {
    setFirstFrame(toQImage(ci2v::media::load_image(path.toStdString())), fi.absoluteFilePath());
    return true;
  } catch (const std::exception& e) {
    // Fall through to Qt's readers (e.g. SVG), keeping FFmpeg's message if they fail too.
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QImage q = reader.read();
    if (!q.isNull()) {
      setFirstFrame(q, fi.absoluteFilePath());
      return true;
    }
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
#else
  QImageReader reader(path);
  reader.setAutoTransform(true);
  const QImage q = reader.read();
  if (q.isNull()) {
    if (error) *error = tr("%1: %2").arg(path, reader.errorString());
    return false;
  }
  setFirstFrame(q, fi.absoluteFilePath());
  return true;
#endif
}

void Document::clearFirstFrame() { setFirstFrame(QImage(), QString()); }

QRectF Document::cropRectFor(QSize picture, int width, int height, bool centerCrop) {
  const int iw = picture.width(), ih = picture.height();
  if (iw <= 0 || ih <= 0 || width <= 0 || height <= 0) return {};
  if (centerCrop) {
    // The engine's preprocessing (engine/preprocess.cpp): the shorter side becomes `height` (enlarged until the
    // resized picture covers height x width), the longer one int(size * long / short); centre crop with
    // round-half-to-even offsets.
    const int shorter = std::min(iw, ih), longer = std::max(iw, ih);
    int64_t target = height;
    int64_t nh = 0, nw = 0;
    auto dims = [&](int64_t s) {
      const auto l = static_cast<int64_t>(static_cast<double>(s) * longer / shorter);
      nh = ih <= iw ? s : l;
      nw = ih <= iw ? l : s;
    };
    dims(target);
    while (!(nh >= height && nw >= width) && target < 16 * std::max(height, width)) dims(++target);
    const double sx = static_cast<double>(nw) / iw, sy = static_cast<double>(nh) / ih;
    const int64_t top = roundHalfEven((nh - height) / 2.0), left = roundHalfEven((nw - width) / 2.0);
    return {left / sx, top / sy, width / sx, height / sy};
  }
  // Fit inside and pad (engine/preprocess.cpp preprocess_first_frame_pad).
  const double s = std::min(static_cast<double>(height) / ih, static_cast<double>(width) / iw);
  const int64_t nh = std::max<int64_t>(1, std::min<int64_t>(height, std::llround(ih * s)));
  const int64_t nw = std::max<int64_t>(1, std::min<int64_t>(width, std::llround(iw * s)));
  const double sx = static_cast<double>(nw) / iw, sy = static_cast<double>(nh) / ih;
  const int64_t pt = (height - nh) / 2, pl = (width - nw) / 2;
  return {-pl / sx, -pt / sy, width / sx, height / sy};
}

QRectF Document::cropRect() const {
  if (firstFrame_.isNull()) return {};
  return cropRectFor(firstFrame_.size(), params_.width, params_.height, params_.center_crop);
}

void Document::setModelPath(const QString& path) {
  if (path == modelPath_) return;
  modelPath_ = path;
  Q_EMIT modelPathChanged();
}

void Document::setModelStatus(ModelState state, const QString& message) {
  modelState_ = state;
  modelMessage_ = message;
  Q_EMIT modelStatusChanged();
}

int Document::addResult(const ResultClip& clip) {
  // Encode its frames for the next save now, on one background thread (a long clip takes seconds to encode).
  QThreadPool::globalInstance()->start([cache = pngCache_, frames = clip.frames] { cache->warm(frames); });
  results_.push_back(clip);
  const bool taken = std::any_of(results_.begin(), results_.end() - 1, [&](const ResultClip& r) { return r.id == clip.id; });
  if (taken) {
    for (const ResultClip& r : results_) nextId_ = std::max(nextId_, r.id + 1);
    results_.back().id = nextId_++;
  } else if (clip.id >= nextId_) {
    nextId_ = clip.id + 1;  // new requests get fresh ids
  }
  const int i = results_.size() - 1;
  Q_EMIT resultAdded(i);
  setCurrentResult(i);
  return i;
}

void Document::setCurrentResult(int i) {
  if (i < -1 || i >= results_.size() || i == current_) return;
  current_ = i;
  Q_EMIT currentResultChanged(i);
}

bool Document::makeRequest(GenerationRequest* out, QString* error) const {
  auto fail = [&](const QString& m) {
    if (error) *error = m;
    return false;
  };
  if (firstFrame_.isNull()) return fail(tr("Load a first frame first: open a picture, drop one on the canvas or paste one."));
  if (modelPath_.isEmpty()) return fail(tr("Choose the model folder first (Model… in the toolbar)."));
  try {
    params_.validate();
  } catch (const ci2v::Error& e) {
    return fail(QString::fromUtf8(e.what()));
  }
  GenerationRequest r;
  r.id = nextId_++;
  r.modelDir = modelPath_;
  r.params = params_;
  r.firstFrame = firstFrameRgb();
  *out = std::move(r);
  return true;
}

}  // namespace studio

// ==========================================================================================================
// Project files, the modified flag and editing the history (issue #8; app/project.h, app/autosave.h)
// ==========================================================================================================
#include <QCoreApplication>

#include "engine/camera_path.h"

namespace studio {

bool Document::installModifiedTracking() {
  const auto mark = [this] { setModified(true); };
  connect(this, &Document::paramsChanged, this, mark);
  connect(this, &Document::firstFrameChanged, this, mark);
  connect(this, &Document::modelPathChanged, this, mark);  // a project keeps its model folder
  connect(this, &Document::resultAdded, this, mark);
  connect(this, &Document::resultChanged, this, mark);
  connect(this, &Document::resultRemoved, this, mark);
  return true;
}

void Document::setModified(bool modified) {
  if (modified == modified_) return;
  modified_ = modified;
  Q_EMIT modifiedChanged(modified);
}

void Document::setProjectPath(const QString& file) {
  if (file == projectPath_) return;
  projectPath_ = file;
  Q_EMIT projectPathChanged();
}

Project Document::toProject() const {
  Project p;
  p.appVersion = QCoreApplication::applicationVersion();
  p.firstFrame = firstFrame_;
  p.firstFrameSource = firstFrameSource_;
  p.params = params_;
  p.modelPath = modelPath_;
  p.promptHistory = promptHistory_;
  p.negativeHistory = negativeHistory_;
  p.results = results_;  // the frames are shared, not copied
  for (ResultClip& r : p.results) {
    r.previewVideo.clear();  // temporary files of this session
    r.previewRepeats = 1;
    r.previewError.clear();
  }
  p.currentResult = current_;
  return p;
}

bool Document::loadProject(const Project& project, QString* error) {
  auto fail = [&](const QString& m) {
    if (error) *error = m;
    return false;
  };
  // Check everything before changing anything.
  if (project.currentResult < -1 || project.currentResult >= project.results.size())
    return fail(tr("The project's current result %1 does not exist (it has %2 results).")
                    .arg(project.currentResult)
                    .arg(project.results.size()));
  for (int i = 0; i < project.results.size(); ++i) {
    const ResultClip& r = project.results[i];
    if (r.frames.isEmpty()) return fail(tr("Result %1 of the project has no frames.").arg(i));
    for (const QImage& f : r.frames)
      if (f.isNull()) return fail(tr("Result %1 of the project has an empty frame.").arg(i));
  }
  if (!project.params.camera_path.is_null()) {
    try {
      ci2v::sampling::CameraPath::from_json(project.params.camera_path);
    } catch (const std::exception& e) {
      return fail(tr("The project's camera path is invalid: %1").arg(QString::fromUtf8(e.what())));
    }
  }

  if (current_ != -1) {
    current_ = -1;
    Q_EMIT currentResultChanged(-1);
  }
  QStringList videos;
  for (int i = results_.size() - 1; i >= 0; --i) {
    if (!results_[i].previewVideo.isEmpty()) videos << results_[i].previewVideo;
    results_.removeAt(i);
    Q_EMIT resultRemoved(i);
  }
  for (const QString& v : videos) Q_EMIT previewVideoReleased(v);
  pictureNote_.clear();  // (the note was of the last picture given, not of the project's)
  replaceFirstFrame(project.firstFrame, project.firstFrameSource, false);  // the project's path fits its picture
  setModelPath(project.modelPath);  // before the parameters: a device they change loads this model, not the last
  setParams(project.params);
  setHistories(project.promptHistory, project.negativeHistory);
  for (const ResultClip& r : project.results) {
    results_.push_back(r);
    if (r.id >= nextId_) nextId_ = r.id + 1;  // new requests get fresh ids
    Q_EMIT resultAdded(results_.size() - 1);
  }
  setCurrentResult(project.currentResult);
  setModified(false);
  if (error) error->clear();
  return true;
}

bool Document::openProjectFile(const QString& file, QString* error) {
  Project p;
  if (!project::load(file, &p, error, pngCache_.get())) return false;
  if (!loadProject(p, error)) {
    if (error) *error = tr("%1 cannot be opened: %2").arg(file, *error);
    return false;
  }
  setProjectPath(file);
  return true;
}

bool Document::saveProjectFile(const QString& file, QString* error) {
  if (!project::save(toProject(), file, error, pngCache_.get())) return false;
  setProjectPath(file);
  setModified(false);
  return true;
}

void Document::setFavourite(int index, bool on) {
  if (index < 0 || index >= results_.size() || results_[index].favourite == on) return;
  results_[index].favourite = on;
  Q_EMIT resultChanged(index);
}

void Document::removeResult(int index) {
  if (index < 0 || index >= results_.size()) return;
  const QString video = results_[index].previewVideo;
  results_.removeAt(index);
  int cur = current_;
  if (current_ == index) cur = results_.isEmpty() ? -1 : std::min<int>(index, results_.size() - 1);
  else if (current_ > index) cur = current_ - 1;
  const bool curChanged = cur != current_ || current_ == index;
  current_ = cur;
  Q_EMIT resultRemoved(index);
  if (curChanged) Q_EMIT currentResultChanged(current_);
  if (!video.isEmpty()) Q_EMIT previewVideoReleased(video);
}

}  // namespace studio
