// Edits of a camera path as pure functions (Torch-free, Qt only for QRectF): what the canvas, the timeline
// and the tests share. Keyframe times snap to frames: frame i of N sits at t = i/(N−1) (inclusive timing) or
// i/N (the reference timing, whose end keyframe at t = 1 lies one frame past the clip).
#pragma once
#include <QRectF>
#include <QSizeF>
#include <QString>

#include "engine/camera_path.h"

namespace studio::camera {

using ci2v::sampling::CameraPath;
using ci2v::sampling::Easing;
using ci2v::sampling::Keyframe;

// Frame positions on the timeline: the frame count the times map onto (N−1 or N) and back.
double frameSpan(const CameraPath& path, int frames);
double frameOfTime(const CameraPath& path, int frames, double t);
double timeOfFrame(const CameraPath& path, int frames, int frame);
int keyframeFrame(const CameraPath& path, int frames, int index);  // snapped
// The keyframe on that frame, or -1.
int keyframeAtFrame(const CameraPath& path, int frames, int frame);

QRectF keyframeRect(const Keyframe& k);
void setKeyframeRect(Keyframe& k, const QRectF& r);
// The crop a path gives at a frame (picture pixels), from the engine's own crops.
QRectF cropAtFrame(const CameraPath& path, int frames, int frame);

// A rectangle of the given aspect (width / height) of at least minSide pixels on its shorter side, the same
// centre as r, its area as close to r's as the aspect and the crop limits (kMaxCropSide, kMaxCropArea) allow.
QRectF withAspect(const QRectF& r, double aspect, double minSide = 8);
// r shrunk about its centre, its aspect kept, until it is within the crop limits (r itself when it is).
QRectF withinCropLimits(const QRectF& r);

// --- refitting a path when what it was drawn for changes (each returns the new path; the input stays valid)
// To a new output aspect (width / height): every crop keeps its centre and area and takes the aspect, so the
// layout video is not stretched.
CameraPath fitAspect(const CameraPath& path, double aspect);
// To a new frame count: the keyframes snap to distinct frames, each as near its time as its neighbours allow
// (keyframes that would share a frame are pushed apart), so every one stays on the timeline and can be moved.
// With more keyframes than frames, every frame keeps one: the first and the last keyframe on the end frames, of
// the others those nearest the frames they land on; *dropped counts the others.
CameraPath fitFrames(const CameraPath& path, int frames, int* dropped = nullptr);
// To a new first frame of another size: the centres scale with the picture, every crop's area with the
// picture's area, and crops keep their aspect.
CameraPath fitPicture(const CameraPath& path, const QSizeF& from, const QSizeF& to);
// fitPicture on a path kept as JSON (GenerationParams::camera_path). False, `path` as it was, when it is null,
// not a valid path, or would not be valid on the new picture.
bool fitPictureJson(nlohmann::json& path, const QSizeF& from, const QSizeF& to);

// Adds (or replaces) the keyframe on `frame` with this rectangle; the new keyframe takes the easing of the
// segment it splits. Returns its index.
int addKeyframe(CameraPath& path, int frames, int frame, const QRectF& rect);
// Removes keyframe `index` (a path may become empty: still camera).
void removeKeyframe(CameraPath& path, int index);
// Moves keyframe `index` to `frame`, clamped to the frames whose times lie strictly between its neighbours'
// (times stay strictly increasing). Returns the frame it landed on; with no frame between them it stays.
int moveKeyframe(CameraPath& path, int frames, int index, int frame);

QString easingName(Easing e);  // for the UI, translated by the caller's context

}  // namespace studio::camera
