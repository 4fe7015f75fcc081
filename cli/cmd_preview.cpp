// consisti2v preview: FrameInit's frequency split as PNG files, without running the UNet.
#include <algorithm>
#include <cstring>
#include <cerrno>
#include <unistd.h>
#include <filesystem>
#include <iostream>

#include "cli/args.h"
#include "cli/common.h"
#include "engine/files.h"
#include "engine/error.h"
#include "engine/pipeline.h"
#ifdef CONSISTI2V_HAVE_MEDIA
#include "engine/media/export.h"
#endif

namespace fs = std::filesystem;

namespace ci2v::cli {

GenerationParams params_from_args(const Args& a);

static RgbImage upscale(const RgbImage& im, int s) {
  RgbImage o;
  o.width = im.width * s;
  o.height = im.height * s;
  o.rgb.resize(static_cast<size_t>(o.width) * o.height * 3);
  for (int y = 0; y < o.height; ++y)
    for (int x = 0; x < o.width; ++x)
      for (int c = 0; c < 3; ++c)
        o.rgb[(static_cast<size_t>(y) * o.width + x) * 3 + c] =
            im.rgb[(static_cast<size_t>(y / s) * im.width + x / s) * 3 + c];
  return o;
}

int cmd_preview(int argc, char** argv) {
  Args a(argc, argv, 2, {"quiet"});
  const std::set<std::string> known = {"model", "image", "camera", "tau", "ds", "dt", "filter", "seed", "frames",
                                       "width", "height", "device", "dtype", "out", "params", "scale", "threads", "quiet"};
  if (auto u = a.unknown(known); !u.empty()) throw UsageError("unknown option " + u[0] + " (see consisti2v --help)");
  a.refuse_extra_positionals(0);
  const auto model = a.get("model"), image = a.get("image"), out = a.get("out");
  if (model.empty() || image.empty() || out.empty()) throw UsageError("--model DIR, --image FILE and --out DIR/ are required");
  auto params = as_usage_error([&] {
    auto p = params_from_args(a);
    if (p.seed < 0) p.seed = 0;
    p.validate();
    return p;
  });
  const int scale = a.get_int32("scale", 4);
  if (scale < 1 || scale > 32) throw UsageError("--scale " + std::to_string(scale) + ": expected 1..32");
  if (a.has("threads")) torch_set_threads(a.get_threads("threads"));
  {  // --out is a folder, or one that can be made in the nearest folder that exists: checked before any work, made
     // only once the preview is there (a failed run leaves no new folders behind)
    std::error_code ec;
    const auto st = fs::status(out, ec);
    if (fs::exists(st) && !fs::is_directory(st))
      throw Error("--out: " + out + " exists and is not a folder: choose a folder for the preview frames");
    fs::path base = fs::absolute(fs::path(out), ec).lexically_normal();
    while (!base.empty() && !fs::exists(fs::status(base, ec)) && base != base.parent_path()) base = base.parent_path();
    if (!fs::is_directory(fs::status(base, ec)))
      throw Error("--out: cannot create the folder " + out + ": " + base.string() + " is not a folder");
    if (::access(base.c_str(), W_OK | X_OK) != 0)
      throw Error("--out: cannot write in " + base.string() + " (for " + out + "): " + std::strerror(errno));
  }
  // Each set replaces an earlier preview's folder of the same name, but nothing else: a folder there that holds
  // anything but PNG frames (frame_NNNNN.png), or a file of that name, is refused before any work.
  static const char* const kSets[] = {"low", "high", "mixed", "mask"};  // the folders, in PreviewImages' order
  for (const char* name : kSets) {
    const fs::path dir = fs::path(out) / name;
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(dir, ec))) continue;
    if (!fs::is_directory(fs::symlink_status(dir, ec)))
      throw Error("--out: " + dir.string() + " exists and is not a folder of preview frames: choose another --out");
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string f = e.path().filename().string();
      // frame_<digits>.png, as the PNG sequence writer names them
      const bool frame = e.is_regular_file() && f.size() > 10 && f.rfind("frame_", 0) == 0 &&
                         f.compare(f.size() - 4, 4, ".png") == 0 &&
                         std::all_of(f.begin() + 6, f.end() - 4, [](char c) { return c >= '0' && c <= '9'; });
      if (!frame)
        throw Error("--out: " + dir.string() + " holds " + e.path().filename().string() +
                    ", not a preview frame: choose another --out (an earlier preview there is replaced, nothing else)");
    }
  }
  auto frame = load_first_frame(image);
  auto pipe = load_pipeline(model, params, a.has("quiet"));
  auto pv = pipe->preview_frameinit(params, frame);
#ifdef CONSISTI2V_HAVE_MEDIA
  fs::create_directories(out);
  const std::vector<RgbImage>* const images_of[] = {&pv.low, &pv.high, &pv.mixed, &pv.mask};  // as kSets
  for (size_t i = 0; i < std::size(kSets); ++i) {
    const char* name = kSets[i];
    const std::vector<RgbImage>* images = images_of[i];
    media::Video v;
    for (const auto& im : *images) {
      v.frames.push_back(upscale(im, scale));
      v.width = v.frames.back().width;
      v.height = v.frames.back().height;
    }
    v.fps = 8;
    media::ExportOptions o;
    o.format = media::Format::PngSequence;
    o.params_json = params.to_json().dump();
    // written beside the target, which an earlier preview's frames leave only once the new ones are complete
    const auto dir = (fs::path(out) / name).string(), partial = (fs::path(out) / ("." + std::string(name) + ".partial")).string();
    ci2v::remove_tree(partial);
    media::export_video(v, partial, o);
    ci2v::remove_tree(dir);  // only PNG frames (checked above)
    fs::rename(partial, dir);
    if (!a.has("quiet")) std::cout << dir << "/  (" << images->size() << " frames: " << name << ")\n";
  }
  return 0;
#else
  (void)scale;
  throw Error("this build has no FFmpeg support to write PNG files");
#endif
}

}  // namespace ci2v::cli
