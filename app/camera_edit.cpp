#include "app/camera_edit.h"

#include <QCoreApplication>
#include <algorithm>
#include <cmath>

namespace studio::camera {

double frameSpan(const CameraPath& path, int frames) {
  const int n = std::max(frames, 2);
  return path.timing == CameraPath::Timing::Inclusive ? n - 1 : n;
}

double frameOfTime(const CameraPath& path, int frames, double t) { return t * frameSpan(path, frames); }

double timeOfFrame(const CameraPath& path, int frames, int frame) {
  return std::clamp(frame / frameSpan(path, frames), 0.0, 1.0);
}

int keyframeFrame(const CameraPath& path, int frames, int index) {
  return static_cast<int>(std::lround(frameOfTime(path, frames, path.keyframes.at(index).time)));
}

int keyframeAtFrame(const CameraPath& path, int frames, int frame) {
  for (size_t i = 0; i < path.keyframes.size(); ++i)
    if (keyframeFrame(path, frames, static_cast<int>(i)) == frame) return static_cast<int>(i);
  return -1;
}

QRectF keyframeRect(const Keyframe& k) { return QRectF(k.cx - k.w / 2, k.cy - k.h / 2, k.w, k.h); }

void setKeyframeRect(Keyframe& k, const QRectF& r) {
  const QRectF n = r.normalized();
  k.cx = n.center().x();
  k.cy = n.center().y();
  k.w = n.width();
  k.h = n.height();
}

QRectF cropAtFrame(const CameraPath& path, int frames, int frame) {
  if (path.keyframes.empty() || frames < 1) return {};
  try {
    const auto crops = path.crops(frames);
    const auto& c = crops.at(static_cast<size_t>(std::clamp(frame, 0, frames - 1)));
    return QRectF(static_cast<double>(c.left), static_cast<double>(c.top), static_cast<double>(c.width),
                  static_cast<double>(c.height));
  } catch (const std::exception&) {
    return {};
  }
}

QRectF withAspect(const QRectF& r, double aspect, double minSide) {
  const QRectF n = r.normalized();
  if (!(aspect > 0)) return n;
  const double area = std::max(n.width() * n.height(), minSide * minSide);
  double w = std::sqrt(area * aspect), h = w / aspect;
  if (std::min(w, h) < minSide) {
    const double s = minSide / std::min(w, h);
    w *= s;
    h *= s;
  }
  return QRectF(n.center().x() - w / 2, n.center().y() - h / 2, w, h);
}

int addKeyframe(CameraPath& path, int frames, int frame, const QRectF& rect) {
  const double t = timeOfFrame(path, frames, frame);
  const int existing = keyframeAtFrame(path, frames, frame);
  if (existing >= 0) {
    setKeyframeRect(path.keyframes[existing], rect);
    return existing;
  }
  Keyframe k;
  setKeyframeRect(k, rect);
  k.time = t;
  auto it = std::upper_bound(path.keyframes.begin(), path.keyframes.end(), t,
                             [](double v, const Keyframe& kf) { return v < kf.time; });
  if (it != path.keyframes.begin()) {  // split a segment: both halves keep its easing
    const Keyframe& prev = *(it - 1);
    k.easing = prev.easing;
    k.x1 = prev.x1;
    k.y1 = prev.y1;
    k.x2 = prev.x2;
    k.y2 = prev.y2;
  }
  const auto index = static_cast<int>(it - path.keyframes.begin());
  path.keyframes.insert(it, k);
  return index;
}

void removeKeyframe(CameraPath& path, int index) {
  if (index < 0 || index >= static_cast<int>(path.keyframes.size())) return;
  path.keyframes.erase(path.keyframes.begin() + index);
}

int moveKeyframe(CameraPath& path, int frames, int index, int frame) {
  if (index < 0 || index >= static_cast<int>(path.keyframes.size())) return -1;
  const int last = static_cast<int>(std::lround(frameSpan(path, frames)));
  int lo = 0, hi = last;
  if (index > 0) lo = keyframeFrame(path, frames, index - 1) + 1;
  if (index + 1 < static_cast<int>(path.keyframes.size())) hi = keyframeFrame(path, frames, index + 1) - 1;
  const int f = std::clamp(frame, lo, std::max(lo, hi));
  path.keyframes[index].time = timeOfFrame(path, frames, f);
  return f;
}

QString easingName(Easing e) {
  switch (e) {
    case Easing::Linear: return QCoreApplication::translate("studio::camera", "Linear");
    case Easing::EaseIn: return QCoreApplication::translate("studio::camera", "Ease in");
    case Easing::EaseOut: return QCoreApplication::translate("studio::camera", "Ease out");
    case Easing::EaseInOut: return QCoreApplication::translate("studio::camera", "Ease in-out");
    case Easing::Hold: return QCoreApplication::translate("studio::camera", "Hold");
    case Easing::CubicBezier: return QCoreApplication::translate("studio::camera", "Custom curve");
  }
  return {};
}

}  // namespace studio::camera
