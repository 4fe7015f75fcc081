// consisti2v train: train a small ConsistI2V model from scratch on procedural clips (engine/train/trainer.h).
#include <cstdint>
#include <iostream>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/interrupt.h"
#include "engine/files.h"
#include "engine/io/diffusers_folder.h"
#include "engine/error.h"
#include "engine/train/procedural.h"
#include "engine/train/trainer.h"
#if defined(CONSISTI2V_HAVE_MEDIA)
#include <filesystem>
#include <fstream>

#include "engine/media/export.h"
#include "engine/media/video.h"
#endif

namespace ci2v::cli {

#if defined(CONSISTI2V_HAVE_MEDIA)
namespace {
// The demo model's example for the studio: example.png (256 px) in the model folder, and the picture and its
// caption in model_index.json's "_consisti2v_demo" / "recommended" block.
void write_demo_example(const std::string& model_dir) {
  namespace fs = std::filesystem;
  const auto spec = train::demo_example_spec();
  media::Video v;
  v.width = v.height = 256;
  v.frames = train::render_clip(spec, 1, 256, 1);
  const fs::path tmp = fs::path(model_dir) / ".example-frames";
  ci2v::remove_tree(tmp);
  media::ExportOptions eo;
  eo.format = media::Format::PngSequence;
  media::export_video(v, tmp.string(), eo);
  fs::rename(tmp / "frame_00000.png", fs::path(model_dir) / "example.png");
  ci2v::remove_tree(tmp);
  const fs::path index = fs::path(model_dir) / "model_index.json";
  auto j = io::read_json_file(index.string());
  j["_consisti2v_demo"]["recommended"]["prompt"] = train::caption(spec);
  j["_consisti2v_demo"]["recommended"]["example"] = "example.png";
  ci2v::write_file_atomically(index, j.dump(2) + "\n");  // never a half-written model_index.json
}
}  // namespace
#endif

int cmd_train(int argc, char** argv) {
  Args a(argc, argv, 2, {"resume", "cuda-graphs", "overwrite"});
  // --varied-backgrounds 1|0, for the training data and --dump-clips alike
  const bool varied_backgrounds = a.get_choice("varied-backgrounds", "1", {"0", "1"}) == 1;
  if (a.has("dump-clips")) {  // inspect the training data: N procedural clips as GIFs + captions.txt
#if defined(CONSISTI2V_HAVE_MEDIA)
    if (auto u = a.unknown({"dump-clips", "out", "frames", "size", "seed", "varied-backgrounds"}); !u.empty())
      throw UsageError("unknown option " + u[0] + " for train --dump-clips (it takes --out, --frames, --size, "
                       "--seed and --varied-backgrounds)");
    a.refuse_extra_positionals(0);
    const std::string dir = a.get("out");
    if (dir.empty()) throw UsageError("train --dump-clips N: --out DIR is required");
    const long n = a.get_int("dump-clips", 8);
    const int frames = a.get_int32("frames", 8), size = a.get_int32("size", 64);
    const long seed = a.get_int("seed", 42);
    if (n < 1 || n > 10000) throw UsageError("train --dump-clips: expected 1..10000 clips, got " + std::to_string(n));
    if (frames < 1 || frames > 64) throw UsageError("train --dump-clips: --frames must be 1..64, got " + std::to_string(frames));
    if (size < 16 || size > 1024 || size % 8 != 0)
      throw UsageError("train --dump-clips: --size must be a multiple of 8 in 16..1024, got " + std::to_string(size));
    if (seed < 0) throw UsageError("train --dump-clips: --seed must not be negative, got " + std::to_string(seed));
    std::filesystem::create_directories(dir);
    std::ofstream captions(dir + "/captions.txt");
    for (long i = 0; i < n; ++i) {
      const int stride = 1 + static_cast<int>(i % train::kMaxFrameStride);
      auto clip = train::make_clip(static_cast<uint64_t>(seed) * 1000 + static_cast<uint64_t>(i), frames,
                                   size, stride, train::kDefaultCameraShare, varied_backgrounds);
      media::Video v;
      v.width = v.height = size;
      v.fps = 8;
      v.frames = clip.frames;
      const std::string name = "clip_" + std::to_string(i) + ".gif";
      media::export_video(v, dir + "/" + name, {});
      captions << name << "\tstride " << stride << "\t" << clip.caption << "\n";
    }
    captions.flush();
    if (!captions) throw Error("train --dump-clips: cannot write " + dir + "/captions.txt (is the disk full, or is it a folder?)");
    std::cout << "wrote " << n << " clips to " << dir << "\n";
    return 0;
#else
    throw Error("train --dump-clips: this build has no media library (FFmpeg)");
#endif
  }
  if (auto u = a.unknown({"out", "tokenizer", "preset", "steps", "batch", "frames", "size", "lr", "seed", "device",
                          "dtype", "save-dtype", "log", "resume", "vae-steps", "vae-lr", "save-every", "threads",
                          "grad-clip", "null-text", "null-image", "camera-share", "max-minutes", "varied-backgrounds", "vae-batch",
                          "vae-max-minutes", "data-threads", "frameinit-share", "vae-from", "cuda-graphs", "ema",
                          "prefetch-batch", "overwrite"});
      !u.empty())
    throw UsageError("unknown option " + u[0]);
  a.refuse_extra_positionals(0);
  // --resume starts from the settings the stopped run recorded (train_state.json): `--resume --out DIR` goes on
  // with that run's plan; --steps N trains N more steps as a new plan, with any option changed
  const bool resume = a.has("resume");
  const std::string out = a.get("out");
  if (resume && out.empty()) throw UsageError("train --resume: --out DIR is required (the checkpoint folder to go on from)");
  if (!out.empty()) {
    const std::filesystem::path dir(out);
    if (std::filesystem::exists(dir) && !std::filesystem::is_directory(dir))
      throw Error("train: --out '" + out + "' is a file: expected a folder for the model");
    // a new run replaces the weights it finds: never without being told (a trained model is hours of work)
    if (!resume && !a.has("overwrite"))
      for (const char* held : {"unet/diffusion_pytorch_model.safetensors", "vae/diffusion_pytorch_model.safetensors",
                               "model_index.json"})
        if (std::filesystem::exists(dir / held))
          throw Error("train: --out '" + out + "' already holds a model (" + held +
                      "): --resume goes on training it, --overwrite starts a new one over it, or choose another folder");
  }
  if (const int steps = a.get_int32("steps", 1); steps < 1)
    throw UsageError("train: --steps must be at least 1, got " + std::to_string(steps));
  std::optional<train::TrainOptions> recorded;
  if (resume) recorded = train::recorded_options(out);
  // a new plan (--steps N) has no time budget unless it is given one: the recorded budget was the old plan's
  if (recorded && a.has("steps")) recorded->max_seconds = 0;
  if (resume && !recorded && !a.has("steps"))
    throw Error("train --resume: " + out + "/train_state.json records no settings of its run (it is missing, or an "
                "older consisti2v wrote it): give the run's options (--preset, --size, ...) and --steps N to train N "
                "more steps from its weights");
  train::TrainOptions o = recorded.value_or(train::TrainOptions{});
  o.out_dir = out;
  o.tokenizer_dir = a.get("tokenizer");
  o.preset = a.get("preset", recorded ? o.preset : "tiny");
  o.steps = a.get_int32("steps", recorded ? train::kRemainingSteps : o.steps);
  o.max_seconds = 60.0 * a.get_double("max-minutes", o.max_seconds / 60.0);
  o.batch = a.get_int32("batch", o.batch);
  o.frames = a.get_int32("frames", o.frames);
  o.size = a.get_int32("size", o.size);
  o.lr = a.get_double("lr", o.lr);
  if (const long seed = a.get_int("seed", static_cast<long>(o.seed)); seed >= 0)
    o.seed = static_cast<uint64_t>(seed);
  else
    throw UsageError("train: --seed must not be negative, got " + std::to_string(seed));
  o.device = a.get("device", recorded ? o.device : "cpu");
  o.dtype = a.get("dtype", o.dtype);
  o.save_dtype = a.get("save-dtype", recorded ? o.save_dtype : o.preset == "demo" ? "fp16" : "fp32");
  o.log_csv = a.get("log", o.log_csv);
  o.resume = resume;
  o.vae_from = a.get("vae-from");
  o.cuda_graphs = a.has("cuda-graphs") || (recorded && o.cuda_graphs);
  o.vae_steps = a.get_int32("vae-steps", o.vae_steps);
  o.vae_lr = a.get_double("vae-lr", o.vae_lr);
  o.vae_batch = a.get_int32("vae-batch", o.vae_batch);
  o.vae_max_seconds = 60.0 * a.get_double("vae-max-minutes", o.vae_max_seconds / 60.0);
  o.data_threads = a.get_int32("data-threads", o.data_threads);
  o.prefetch_batch = static_cast<train::BatchPrefetch>(a.get_choice("prefetch-batch", "auto", {"auto", "on", "off"}));
  o.frameinit_share = a.get_double("frameinit-share", o.frameinit_share);
  o.save_every = a.get_int32("save-every", o.save_every);
  o.threads = a.get_threads("threads");
  o.max_grad_norm = a.get_double("grad-clip", o.max_grad_norm);
  o.ema_decay = a.get_double("ema", o.ema_decay);
  o.null_text_ratio = a.get_double("null-text", o.null_text_ratio);
  o.camera_share = a.get_double("camera-share", o.camera_share);
  if (a.has("varied-backgrounds") || !recorded) o.varied_backgrounds = varied_backgrounds;
  o.null_image_ratio = a.get_double("null-image", o.null_image_ratio);
  o.log = [](const std::string& s) { std::cerr << s << "\n"; };
  if (recorded) {
    std::cerr << "consisti2v train: --resume with the settings in " << out << "/train_state.json"
              << (o.device != "cpu" ? " (--device " + o.device + ")" : std::string());
    if (!a.has("log") && !o.log_csv.empty())
      std::cerr << "; its log " << o.log_csv << " goes on (--log FILE for another, --log= for none)";
    std::cerr << "\n";
  }
  // the VAE stage's options do nothing when there is no VAE stage: say so rather than ignore them silently (a run
  // that goes on, without --steps, may go on with its VAE stage: there they are its recorded settings)
  if ((o.resume && a.has("steps")) || !o.vae_from.empty()) {
    std::string unused;
    for (const char* k : {"vae-steps", "vae-batch", "vae-max-minutes", "vae-lr"})
      if (a.has(k)) unused += std::string(unused.empty() ? "" : ", ") + "--" + k;
    if (!unused.empty())
      std::cerr << "consisti2v train: note: " << unused << " ha" << (unused.find(',') == std::string::npos ? "s" : "ve")
                << " no effect with " << (o.resume ? "--resume (the checkpoint's VAE is kept)" : "--vae-from (its VAE is frozen)")
                << ": no VAE stage\n";
  }
  // Ctrl-C / SIGTERM: stop after the current step and write the checkpoint of the steps taken; a second one quits
  StopRequest stop;
  o.should_stop = [&stop] { return stop.requested(); };
  std::cerr << "(Ctrl-C stops after the current step and writes the checkpoint; press it twice to quit without)\n";
  auto r = train::train(o);
#if defined(CONSISTI2V_HAVE_MEDIA)
  if (o.preset == "demo") write_demo_example(o.out_dir);
#endif
  std::cout << "trained " << r.losses.size() << " steps in " << r.seconds << " s (UNet " << r.unet_seconds
            << " s, of which " << r.data_seconds << " s preparing batches); first loss " << (r.losses.empty() ? 0.0 : r.losses.front()) << ", last loss "
            << (r.losses.empty() ? 0.0 : r.losses.back()) << "; checkpoint " << o.out_dir << " ("
            << r.checkpoint_bytes << " bytes of weights)\n";
  if (r.interrupted) {
    std::cerr << "consisti2v train: stopped on request; the checkpoint in " << o.out_dir << " holds "
              << r.checkpoint_steps << " steps (--resume --out " << o.out_dir << " goes on with the run)\n";
    return stop.exit_code();
  }
  return 0;
}

}  // namespace ci2v::cli
