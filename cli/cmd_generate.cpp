// consisti2v generate: one image + a prompt -> a video (MP4/GIF/WebP) or a folder of PNG frames.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <algorithm>
#include <cctype>
#include <sstream>
#include <atomic>
#include <thread>
#include <unistd.h>

#include "cli/args.h"
#include "cli/common.h"
#include "cli/interrupt.h"
#include "engine/error.h"
#include "engine/io/diffusers_folder.h"
#include "engine/pipeline.h"
#ifdef CONSISTI2V_HAVE_MEDIA
#include "engine/media/export.h"
#include "engine/media/image.h"
#endif

namespace fs = std::filesystem;

namespace ci2v::cli {
namespace {

// Terminal progress bar on stderr.
class ProgressBar : public Observer {
public:
  void on_stage(Stage s, const std::string& d) override {
    end_line();
    std::cerr << "[" << to_string(s) << "]" << (d.empty() ? "" : " " + d) << "\n";
  }
  void on_progress(int i, int n, double elapsed, double eta) override {
    const int width = 30;
    const int filled = n > 0 ? i * width / n : width;
    std::cerr << "\r  [" << std::string(filled, '#') << std::string(width - filled, '.') << "] step " << i << "/" << n
              << "  " << fmt(elapsed) << " elapsed, ETA " << fmt(eta) << "   " << std::flush;
    open_ = true;
  }
  void on_done(const GenerationResult& r) override {
    end_line();
    std::cerr << "done: " << r.frames.size() << " frames in " << fmt(r.seconds) << ", seed " << r.seed << "\n";
  }

private:
  static std::string fmt(double s) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1fs", s);
    return b;
  }
  void end_line() {
    if (open_) std::cerr << "\n";
    open_ = false;
  }
  bool open_ = false;
};

bool ends_with(const std::string& s, const std::string& suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

}  // namespace

// What a model trained by `consisti2v train` asks for (model_index.json's "_consisti2v_demo": its size, length,
// steps, guidance and camera setting); nothing for other models.
static io::DemoSettings model_demo_settings(const std::string& model) {
  std::string dir;
  try {
    dir = io::resolve_model_dir(model);
  } catch (const std::exception&) {
    return {};  // the load reports what is wrong with the folder
  }
  return io::read_demo_settings(dir);  // a bad camera setting throws naming the file and the key
}

// `note` (optional): what the camera mode and a demo model's own settings did, for the user ("" when nothing).
GenerationParams params_from_args(const Args& a, const io::DemoSettings& model, std::string* note = nullptr) {
  const GenerationParams::FrameInitDefaults& defaults = model.frameinit;
  GenerationParams p;
  nlohmann::json from_file = nlohmann::json::object();  // the --params file's own keys
  if (a.has("params")) {
    const auto file = a.get("params");
    auto j = io::read_json_file(file);
    if (j.contains("params") && j["params"].is_object()) j = j["params"];  // an app project/history entry
    p = GenerationParams::from_json(j);
    if (j.is_object()) from_file = j;
    // a key the parameters do not have (a typo: "stepz") would be ignored without a word
    if (j.is_object()) {
      const nlohmann::json known = GenerationParams{}.to_json();
      for (auto it = j.begin(); it != j.end(); ++it)
        if (!known.contains(it.key()))
          std::cerr << "note: --params " << file << ": '" << it.key() << "' is not a parameter; it is ignored\n";
    }
  }
  auto set_int = [&](const char* k, int& v) { if (a.has(k)) v = a.get_int32(k, v); };
  auto set_dbl = [&](const char* k, double& v) { if (a.has(k)) v = a.get_double(k, v); };
  if (model.demo) {
    // A demo model runs at the settings it was trained for (64 x 64, 8 frames: seconds on a CPU, where the
    // reference's 256 x 256, 16 frames, 50 steps take half an hour), as the studio does; options and the --params
    // file's own values win.
    std::vector<std::string> took;
    auto take_int = [&](const char* option, const char* key, int& v, int want) {
      if (want <= 0 || a.has(option) || from_file.contains(key)) return;
      v = want;
      took.push_back(std::string(key) + " " + std::to_string(want));
    };
    take_int("width", "width", p.width, model.width);
    take_int("height", "height", p.height, model.height);
    take_int("frames", "frames", p.frames, model.frames);
    take_int("steps", "steps", p.steps, model.steps);
    if (model.cfg_text > 0 && !a.has("cfg-text") && !from_file.contains("cfg_text")) {
      p.cfg_text = model.cfg_text;
      std::ostringstream o;
      o << "cfg-text " << model.cfg_text;
      took.push_back(o.str());
    }
    if (note && !took.empty()) {
      std::string list;
      for (const auto& t : took) list += (list.empty() ? "" : ", ") + t;
      *note = "demo model: its own settings where no option gives them (" + list + ")";
    }
  }
  if (a.has("prompt")) p.prompt = a.get("prompt");
  if (a.has("negative")) p.negative_prompt = a.get("negative");
  set_int("steps", p.steps);
  set_int("frames", p.frames);
  set_int("stride", p.frame_stride);
  set_int("width", p.width);
  set_int("height", p.height);
  set_int("chunks", p.chunks);
  set_dbl("cfg-text", p.cfg_text);
  set_dbl("cfg-image", p.cfg_image);
  set_dbl("rescale", p.guidance_rescale);
  set_dbl("eta", p.eta);
  if (a.has("seed")) p.seed = a.get_int("seed", -1);
  nlohmann::json j = p.to_json();
  if (a.has("sampler")) j["sampler"] = a.get("sampler");
  if (a.has("filter")) j["filter"] = a.get("filter");
  p = GenerationParams::from_json(j);
  if (a.has("no-frameinit")) p.frameinit = false;
  if (a.has("device")) p.device = a.get("device");
  if (a.has("dtype")) p.dtype = a.get("dtype");
  if (a.has("camera")) {
    const auto cam = a.get("camera");
    std::string lower = cam;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ends_with(lower, ".json")) {
      p.camera_path = io::read_json_file(cam);
      p.camera_preset.clear();
    } else {
      static const char* kPresets[] = {"pan_left", "pan_right", "zoom_in", "zoom_out", "tilt_up", "tilt_down"};
      if (std::none_of(std::begin(kPresets), std::end(kPresets), [&](const char* n) { return cam == n; }))
        throw UsageError("--camera: '" + cam + "' is neither a preset (pan_left, pan_right, zoom_in, zoom_out, tilt_up, " +
                         "tilt_down) nor a camera path file (a name ending in .json)");
      p.camera_preset = cam;
      p.camera_path = nullptr;
    }
  }
  // A camera move (from --camera or the --params file) takes the camera mode's FrameInit setting (the paper's τ 750,
  // D0 0.5, or the model's own) where τ and D0 are still at a default, as the studio does; a setting the --params
  // file tuned is kept. --tau, --ds, --dt win over both.
  if (p.camera_enabled()) {
    const GenerationParams::FrameInitDefaults paper;
    const auto before = p.frameinit_setting();
    if (before == paper.still || before == defaults.still)
      p.set_frameinit_setting(defaults.camera);
    else
      p.change_frameinit_defaults(paper, defaults);  // the paper's camera setting -> this model's
    const bool switched = p.frameinit_setting() != before;
    set_int("tau", p.noise_level);
    set_dbl("ds", p.cutoff_spatial);
    set_dbl("dt", p.cutoff_temporal);
    if (note && switched && p.frameinit && !(a.has("tau") && a.has("ds") && a.has("dt"))) {
      const auto used = p.frameinit_setting();  // what runs, the options on the line included
      std::ostringstream o;
      o << "camera move: FrameInit tau " << used.noise_level << ", D0 " << used.cutoff_spatial << " / "
        << used.cutoff_temporal << " (" << (defaults.camera == paper.camera ? "the paper's" : "this model's")
        << " camera setting where --tau, --ds, --dt are not given)";
      *note += (note->empty() ? "" : "\n") + o.str();
    }
    return p;
  }
  set_int("tau", p.noise_level);
  set_dbl("ds", p.cutoff_spatial);
  set_dbl("dt", p.cutoff_temporal);
  return p;
}

// With --model, a camera move takes the model's own FrameInit setting where it gives one (consisti2v preview).
GenerationParams params_from_args(const Args& a) {
  return params_from_args(a, a.has("model") ? model_demo_settings(a.get("model")) : io::DemoSettings{});
}

// The released weights are 6.7 GB: the share read is shown while they load (see common.h).
std::unique_ptr<Pipeline> load_pipeline(const std::string& model, const GenerationParams& params, bool quiet,
                                        const CancelToken* cancel) {
  if (!quiet) std::cerr << "loading model " << model << " (" << params.device << ", " << params.dtype << ")\n";
  if (quiet || !isatty(fileno(stderr))) return Pipeline::load(model, params.device, params.dtype, cancel);
  int last = -1;
  struct EndLine {  // also when the load fails: its message starts on a line of its own
    const int* last;
    ~EndLine() {
      if (*last >= 0) std::fprintf(stderr, "\n");
    }
  } end_line{&last};
  return Pipeline::load(model, params.device, params.dtype, cancel, [&](int64_t done, int64_t total) {
    const int pct = total > 0 ? static_cast<int>(done * 100 / total) : 0;
    if (pct == last) return;
    last = pct;
    std::fprintf(stderr, "\r  %3d%% of the weights read", pct);
    std::fflush(stderr);
  });
}

RgbImage load_first_frame(const std::string& path) {
#ifdef CONSISTI2V_HAVE_MEDIA
  return media::load_image(path);
#else
  throw Error(path + ": this build has no FFmpeg support to read images");
#endif
}

#ifdef CONSISTI2V_HAVE_MEDIA
// How generate writes OUT: a folder of PNG frames for a path ending in '/' or an existing folder, else by extension.
media::ExportOptions export_options(const std::string& out, double fps) {
  media::ExportOptions o;
  o.fps = fps;
  o.notice = [](const std::string& s) { std::cerr << "note: " << s << "\n"; };
  if (ends_with(out, "/") || fs::is_directory(out)) o.format = media::Format::PngSequence;
  return o;
}
#endif

// Before the generation: --out and --fps are what the writing will accept (no minutes of work for nothing).
void check_output(const std::string& out, double fps) {
#ifdef CONSISTI2V_HAVE_MEDIA
  media::check_export_target(out, export_options(out, fps));
#else
  (void)out;
  (void)fps;
#endif
}

// `stop` (optional): a stop request cancels the export (ExportCancelled; no partial file is left).
void write_frames(const GenerationResult& r, const std::string& out, double fps, const StopRequest* stop = nullptr) {
#ifdef CONSISTI2V_HAVE_MEDIA
  media::set_ffmpeg_quiet(true);  // the encoders' statistics are noise here; their errors still show
  media::Video v;
  v.width = r.frames.empty() ? 0 : r.frames[0].width;
  v.height = r.frames.empty() ? 0 : r.frames[0].height;
  v.fps = fps;
  v.frames = r.frames;
  media::ExportOptions o = export_options(out, fps);
  o.params_json = r.params.to_json().dump();
  if (stop) o.progress = [stop](double) { return !stop->requested(); };
  media::export_video(v, out, o);
#else
  // Without FFmpeg: binary PPM frames in a folder.
  (void)stop;
  fs::create_directories(out);
  for (size_t i = 0; i < r.frames.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "/frame_%04zu.ppm", i);
    std::ofstream f(out + name, std::ios::binary);
    f << "P6\n" << r.frames[i].width << " " << r.frames[i].height << "\n255\n";
    f.write(reinterpret_cast<const char*>(r.frames[i].rgb.data()), static_cast<std::streamsize>(r.frames[i].rgb.size()));
    if (!f) throw Error(out + name + ": write failed");
  }
  (void)fps;
  (void)stop;
#endif
}

// Writes the frames of a generation whose output failed into a new folder under the temporary folder, as PNGs
// with the parameters; returns what to tell the user ("; the frames were saved to …", or why they could not be).
std::string rescue_frames(const GenerationResult& r, double fps) {
#ifdef CONSISTI2V_HAVE_MEDIA
  std::error_code ec;
  const fs::path dir = fs::temp_directory_path(ec) / ("consisti2v-frames-" + std::to_string(::getpid()) + "-" +
                                                      std::to_string(r.seed));
  try {
    write_frames(r, dir.string() + "/", fps);
  } catch (const std::exception& e) {
    return "; the frames could not be kept either (" + std::string(e.what()) + ")";
  }
  return "\nthe frames were saved to " + dir.string() + "/ (consisti2v export " + dir.string() +
         " --out FILE writes them again)";
#else
  (void)r;
  (void)fps;
  return {};
#endif
}

// The engine names parameters by their JSON fields ("parameter 'frame_stride' = 0 ..."); on the command line the
// option is what the user typed: "parameter 'frame_stride' (--stride) = 0 ...".
std::string with_option_names(std::string m) {
  static const std::pair<const char*, const char*> kOptions[] = {
      {"'frame_stride'", "--stride"},          {"'guidance_rescale'", "--rescale"},
      {"'cutoff_spatial (D0 spatial)'", "--ds"}, {"'cutoff_temporal (D0 temporal)'", "--dt"},
      {"'cfg_text'", "--cfg-text"},            {"'cfg_image'", "--cfg-image"},
      {"'noise_level (tau)'", "--tau"},        {"'camera_preset'", "--camera"},
      {"'camera_path'", "--camera"},           {"'negative_prompt'", "--negative"},
      {"'steps'", "--steps"},
      {"'frames'", "--frames"},                {"'width'", "--width"},
      {"'height'", "--height"},                {"'chunks'", "--chunks"},
      {"'eta'", "--eta"},                      {"'sampler'", "--sampler"},
      {"'device'", "--device"},                {"'dtype'", "--dtype"}};
  for (const auto& [field, option] : kOptions) {
    const std::string named = std::string("parameter ") + field;
    const size_t at = m.find(named);
    if (at != std::string::npos) m.insert(at + named.size(), std::string(" (") + option + ")");
  }
  return m;
}

int cmd_generate(int argc, char** argv) {
  Args a(argc, argv, 2, {"no-frameinit", "quiet"});
  const std::set<std::string> known = {"model", "image", "prompt", "negative", "camera", "steps", "sampler", "seed",
                                       "tau", "ds", "dt", "filter", "cfg-text", "cfg-image", "rescale", "frames",
                                       "stride", "width", "height", "chunks", "device", "dtype", "out", "params",
                                       "fps", "eta", "no-frameinit", "quiet", "threads"};
  if (auto u = a.unknown(known); !u.empty()) throw UsageError("unknown option " + u[0] + " (see consisti2v --help)");
  a.refuse_extra_positionals(0);
  const auto model = a.get("model");
  if (model.empty()) throw UsageError("--model DIR is required (a ConsistI2V folder or Hugging Face cache folder)");
  const auto image = a.get("image");
  if (image.empty()) throw UsageError("--image FILE is required (the first frame)");
  const auto out = a.get("out");
  if (out.empty()) throw UsageError("--out FILE.mp4|FILE.gif|FILE.webp|DIR/ is required");
  if (a.has("threads")) torch_set_threads(a.get_threads("threads"));
  const auto defaults = model_demo_settings(model);
  std::string camera_note;
  auto params = as_usage_error([&] {
    auto p = params_from_args(a, defaults, &camera_note);
    try {
      p.validate();  // before any work
      check_params_for_model(model, p);  // the scheduler's limits (steps, τ) too, before the load
    } catch (const Error& e) {
      throw UsageError(with_option_names(e.what()));
    }
    return p;
  });
  if (!camera_note.empty()) std::cerr << camera_note << "\n";  // what was used (--quiet silences progress only)
  if (params.camera_enabled() && !params.frameinit)  // (as in the reference)
    std::cerr << "note: the camera move guides the video through FrameInit; with --no-frameinit only its first crop "
                 "is used (as the first frame)\n";
  if (!params.negative_prompt.empty() && !params.negative_prompt_has_effect())
    std::cerr << "note: --negative has no effect without guidance (--cfg-text and --cfg-image are both 1 or less)\n";
  const double fps = a.get_double("fps", 8);
  if (!(fps > 0)) throw UsageError("--fps: expected a frame rate > 0, got '" + a.get("fps") + "'");  // NaN too
  check_output(out, fps);
  if (!fs::exists(image)) throw Error(image + ": the first-frame image does not exist");
  auto frame = load_first_frame(image);
  // Ctrl-C or SIGTERM: the load, the generation or the export stops at its next check and nothing is written (a
  // second Ctrl-C ends the process at once). A watcher turns the signal's flag into the engine's cancel.
  StopRequest stop;
  CancelToken cancel;
  std::atomic<bool> finished{false};
  std::thread watcher([&] {
    while (!finished.load()) {
      if (stop.requested()) cancel.cancel();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  struct Join {
    std::atomic<bool>& finished;
    std::thread& watcher;
    ~Join() {
      finished = true;
      watcher.join();
    }
  } join{finished, watcher};
  try {
    auto pipe = load_pipeline(model, params, a.has("quiet"), &cancel);
    ProgressBar bar;
    auto result = pipe->generate(params, frame, a.has("quiet") ? nullptr : &bar, &cancel);
    // a random seed is said even when quiet: it is what makes this video again
    if (a.has("quiet") && params.seed < 0) std::cerr << "seed " << result.seed << "\n";
    try {
      write_frames(result, out, fps, &stop);
    } catch (const std::exception& e) {
      if (stop.requested()) throw;
      // The generation is not lost with its output (a full disk, a removed folder): its frames go to a folder of
      // their own first, from which `consisti2v export` writes them again.
      throw Error(std::string(e.what()) + rescue_frames(result, fps));
    }
  } catch (const std::exception&) {
    if (!stop.requested()) throw;
    std::cerr << "\nconsisti2v generate: stopped on request; nothing written to " << out << "\n";
    return stop.exit_code();
  }
  std::cout << out << "\n";
  return 0;
}

}  // namespace ci2v::cli
