#include "app/camera_edit.h"

#include <QCoreApplication>
#include <algorithm>
#include <cmath>
#include <vector>

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

QRectF withinCropLimits(const QRectF& r) {
  using ci2v::sampling::kMaxCropArea, ci2v::sampling::kMaxCropSide;
  const QRectF n = r.normalized();
  const double w = n.width(), h = n.height();
  if (!(w > 0) || !(h > 0)) return n;
  if (w <= kMaxCropSide && h <= kMaxCropSide && w * h <= kMaxCropArea) return n;
  // a hair inside the limits, so that rounding of the product cannot land on the wrong side
  const double f = (1 - 1e-9) * std::min({kMaxCropSide / w, kMaxCropSide / h, std::sqrt(kMaxCropArea / (w * h))});
  return QRectF(n.center().x() - w * f / 2, n.center().y() - h * f / 2, w * f, h * f);
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
  return withinCropLimits(QRectF(n.center().x() - w / 2, n.center().y() - h / 2, w, h));
}

CameraPath fitAspect(const CameraPath& path, double aspect) {
  CameraPath out = path;
  if (!(aspect > 0)) return out;
  for (Keyframe& k : out.keyframes) setKeyframeRect(k, withAspect(keyframeRect(k), aspect, 1));
  return out;
}

CameraPath fitFrames(const CameraPath& path, int frames, int* dropped) {
  if (dropped) *dropped = 0;
  CameraPath out = path;
  const int n = static_cast<int>(path.keyframes.size());
  if (n < 2) return out;
  const int last = static_cast<int>(std::lround(frameSpan(path, frames)));  // frames 0..last hold keyframes
  std::vector<int> f(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) f[i] = static_cast<int>(std::lround(frameOfTime(path, frames, path.keyframes[i].time)));
  bool distinct = true;
  for (int i = 1; i < n; ++i) distinct = distinct && f[i] > f[i - 1];
  if (distinct) return out;  // every keyframe has a frame of its own: the times stay as they are
  if (n <= last + 1) {
    // push apart: forward (each after its predecessor), then backward (each before its successor, the last on
    // the last frame at most); both passes keep every frame in [i, last − (n − 1 − i)]
    for (int i = 1; i < n; ++i) f[i] = std::max(f[i], f[i - 1] + 1);
    f[n - 1] = std::min(f[n - 1], last);
    for (int i = n - 2; i >= 0; --i) f[i] = std::min(f[i], f[i + 1] - 1);
    for (int i = 0; i < n; ++i) out.keyframes[i].time = timeOfFrame(path, frames, f[i]);
    return out;
  }
  // More keyframes than frames: every frame gets one, in order, the first keyframe on the first frame and the last
  // on the last; of the others, those that lie nearest the frames they land on stay (the least total shift in
  // time: a dynamic programme over keyframe i on frame j).
  const int slots = last + 1;
  std::vector<double> x(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) x[i] = frameOfTime(path, frames, path.keyframes[i].time);
  constexpr double kInf = 1e300;
  // cost[j][i]: the least shift of keyframes kept on frames 0..j with keyframe i on frame j; from[j][i]: the keyframe
  // on frame j − 1 then
  std::vector<std::vector<double>> cost(static_cast<size_t>(slots), std::vector<double>(static_cast<size_t>(n), kInf));
  std::vector<std::vector<int>> from(static_cast<size_t>(slots), std::vector<int>(static_cast<size_t>(n), -1));
  cost[0][0] = std::abs(x[0]);
  for (int j = 1; j < slots; ++j) {
    double best = kInf;
    int arg = -1;
    for (int i = j; i < n; ++i) {  // keyframe i on frame j needs keyframes for frames 0..j−1 before it
      if (cost[j - 1][i - 1] < best) best = cost[j - 1][i - 1], arg = i - 1;
      if (arg < 0 || (j == slots - 1 && i != n - 1) || (j < slots - 1 && i == n - 1)) continue;
      cost[j][i] = best + std::abs(x[i] - j);
      from[j][i] = arg;
    }
  }
  std::vector<int> pick(static_cast<size_t>(slots));
  for (int j = slots - 1, i = n - 1; j >= 0; i = from[j][i], --j) pick[j] = i;
  std::vector<Keyframe> kept;
  for (int j = 0; j < slots; ++j) {
    Keyframe k = path.keyframes[pick[j]];
    k.time = timeOfFrame(path, frames, j);
    kept.push_back(k);
  }
  out.keyframes = std::move(kept);
  if (dropped) *dropped = n - slots;
  return out;
}

bool fitPictureJson(nlohmann::json& path, const QSizeF& from, const QSizeF& to) {
  if (path.is_null()) return false;
  try {
    const CameraPath fitted = fitPicture(CameraPath::from_json(path), from, to);
    fitted.validate();
    path = fitted.to_json();
    return true;
  } catch (const std::exception&) {
    return false;  // beyond the limits there: as it was (the canvas shows where it lies)
  }
}

CameraPath fitPicture(const CameraPath& path, const QSizeF& from, const QSizeF& to) {
  CameraPath out = path;
  if (!(from.width() > 0) || !(from.height() > 0) || !(to.width() > 0) || !(to.height() > 0)) return out;
  const double sx = to.width() / from.width(), sy = to.height() / from.height(), s = std::sqrt(sx * sy);
  for (Keyframe& k : out.keyframes) {
    const double cx = k.cx * sx, cy = k.cy * sy;
    setKeyframeRect(k, withinCropLimits(QRectF(cx - k.w * s / 2, cy - k.h * s / 2, k.w * s, k.h * s)));
  }
  return out;
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
  // the frames whose times lie strictly between the neighbours' (whatever frames those are snapped to)
  int lo = 0, hi = last;
  if (index > 0) {
    const double t = path.keyframes[index - 1].time;
    lo = std::clamp(static_cast<int>(std::floor(frameOfTime(path, frames, t))), 0, last + 1);
    while (lo <= last && timeOfFrame(path, frames, lo) <= t) ++lo;
  }
  if (index + 1 < static_cast<int>(path.keyframes.size())) {
    const double t = path.keyframes[index + 1].time;
    hi = std::clamp(static_cast<int>(std::ceil(frameOfTime(path, frames, t))), -1, last);
    while (hi >= 0 && timeOfFrame(path, frames, hi) >= t) --hi;
  }
  if (lo > hi) return keyframeFrame(path, frames, index);  // no frame between them: it stays where it is
  const int f = std::clamp(frame, lo, hi);
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
