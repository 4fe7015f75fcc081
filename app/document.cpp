#include "app/document.h"

#include <algorithm>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <cmath>

#include "engine/error.h"
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

bool Document::applyCamera(ci2v::GenerationParams p, QString* error) {
  const bool before = params_.camera_enabled();
  if (p.switch_frameinit_defaults(before)) {
    cameraNote_ = p.camera_enabled()
                      ? tr("Camera move: FrameInit switched to the paper's camera settings (τ %1, D0 %2)")
                            .arg(p.noise_level)
                            .arg(p.cutoff_spatial)
                      : tr("Still camera: FrameInit back to τ %1, D0 %2").arg(p.noise_level).arg(p.cutoff_spatial);
    setParams(p);
    Q_EMIT cameraDefaultsSwitched(cameraNote_);
  } else {
    setParams(p);
  }
  if (error) error->clear();
  return true;
}

bool Document::setCameraPath(const ci2v::sampling::CameraPath& path, QString* error) {
  auto p = params_;
  if (path.keyframes.empty()) {
    p.camera_path = nullptr;
    p.camera_preset.clear();
    return applyCamera(p, error);
  }
  try {
    path.validate();
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
  p.camera_path = path.to_json();
  p.camera_preset.clear();
  return applyCamera(p, error);
}

bool Document::setCameraPreset(const QString& name, QString* error) {
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
  return applyCamera(p, error);
}

bool Document::saveCameraPath(const QString& file, QString* error) const {
  const auto path = cameraPath();
  if (path.keyframes.empty()) {
    if (error) *error = tr("There is no camera path to save: add keyframes or choose a preset first.");
    return false;
  }
  QFile f(file);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
    if (error) *error = tr("Cannot write the camera path to %1: %2").arg(file, f.errorString());
    return false;
  }
  const QByteArray bytes = QByteArray::fromStdString(path.to_json().dump(2) + "\n");
  if (f.write(bytes) != bytes.size() || !f.flush()) {
    if (error) *error = tr("Cannot write the camera path to %1: %2").arg(file, f.errorString());
    f.remove();
    return false;
  }
  return true;
}

bool Document::loadCameraPath(const QString& file, QString* error) {
  QFile f(file);
  if (!f.open(QIODevice::ReadOnly)) {
    if (error) *error = tr("Cannot read the camera path %1: %2").arg(file, f.errorString());
    return false;
  }
  try {
    const auto j = nlohmann::json::parse(f.readAll().toStdString());
    return setCameraPath(ci2v::sampling::CameraPath::from_json(j), error);
  } catch (const std::exception& e) {
    if (error) *error = tr("%1 is not a valid camera path: %2").arg(file, QString::fromUtf8(e.what()));
    return false;
  }
}

QVector<QRectF> Document::cameraCrops() const {
  QVector<QRectF> out;
  const auto path = cameraPath();
  if (path.keyframes.empty()) return out;
  try {
    for (const auto& c : path.crops(params_.frames))
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
    const auto j = nlohmann::json::parse(json.toStdString());
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

void Document::setFirstFrame(const QImage& image, const QString& source) {
  firstFrame_ = image.isNull() ? QImage() : image.convertToFormat(QImage::Format_RGB888);
  firstFrameSource_ = source;
  Q_EMIT firstFrameChanged();
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
  results_.push_back(clip);
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
  r.firstFrame = toRgbImage(firstFrame_);
  *out = std::move(r);
  return true;
}

}  // namespace studio
