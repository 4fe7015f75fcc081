// End-to-end pipeline behaviour on the tiny fixture model (CPU): determinism, observer, cancel, chunks,
// camera, parameter validation before any work.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include "engine/preprocess.h"
#include "engine/files.h"
#include <nlohmann/json.hpp>
#include <unistd.h>
#include <functional>
#include <fstream>
#include <filesystem>

#include "engine/error.h"
#include "engine/generator.h"
#include "engine/io/diffusers_folder.h"
#include "engine/io/state_dict.h"
#include "engine/pipeline.h"
#include "engine/vae/autoencoder_kl.h"

using namespace ci2v;

namespace {

const std::string kModel = std::string(CONSISTI2V_FIXTURES) + "/tiny_pipeline";

RgbImage test_image(int w = 80, int h = 60) {
  RgbImage im;
  im.width = w;
  im.height = h;
  im.rgb.resize(static_cast<size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      uint8_t* p = &im.rgb[(static_cast<size_t>(y) * w + x) * 3];
      p[0] = static_cast<uint8_t>(x * 255 / w);
      p[1] = static_cast<uint8_t>(y * 255 / h);
      p[2] = static_cast<uint8_t>(((x / 10 + y / 10) % 2) * 200);
    }
  return im;
}

GenerationParams small_params() {
  GenerationParams p;
  p.prompt = "a red circle moves right";
  p.negative_prompt = "blurry";
  p.width = 64;
  p.height = 64;
  p.frames = 6;
  p.steps = 4;
  p.seed = 42;
  p.device = "cpu";
  return p;
}

Pipeline& pipeline() {
  static auto p = Pipeline::load(kModel, "cpu", "fp32");
  return *p;
}

struct Recorder : Observer {
  std::vector<Stage> stages;
  std::vector<int> progress;
  int total = 0;
  int previews = 0;
  FrameInitPreview fi;
  bool done = false;
  std::string error;
  std::function<void(int)> on_step;
  void on_stage(Stage s, const std::string&) override { stages.push_back(s); }
  void on_progress(int i, int n, double, double eta) override {
    progress.push_back(i);
    total = n;
    EXPECT_GE(eta, 0.0);
    if (on_step) on_step(i);
  }
  void on_frameinit(const FrameInitPreview& p) override { fi = p; }
  void on_step_preview(int, int, const std::vector<RgbImage>& frames) override {
    ++previews;
    EXPECT_FALSE(frames.empty());
  }
  void on_done(const GenerationResult&) override { done = true; }
  void on_error(const std::string& m) override { error = m; }
};

}  // namespace

TEST(Pipeline, SameSeedSameVideoDifferentSeedDifferentVideo) {
  auto p = small_params();
  auto a = pipeline().generate(p, test_image());
  auto b = pipeline().generate(p, test_image());
  ASSERT_EQ(a.frames.size(), 6u);
  EXPECT_EQ(a.frames[0].width, 64);
  EXPECT_EQ(a.frames[0].height, 64);
  EXPECT_EQ(a.seed, 42);
  for (size_t i = 0; i < a.frames.size(); ++i) EXPECT_EQ(a.frames[i].rgb, b.frames[i].rgb) << "frame " << i;
  p.seed = 43;
  auto c = pipeline().generate(p, test_image());
  EXPECT_NE(a.frames[3].rgb, c.frames[3].rgb);
  // A random seed is reported back.
  p.seed = -1;
  auto d = pipeline().generate(p, test_image());
  EXPECT_GE(d.seed, 0);
  EXPECT_EQ(d.params.seed, d.seed);
}

TEST(Pipeline, ObserverSeesStagesProgressAndPreviews) {
  Recorder rec;
  auto p = small_params();
  auto r = pipeline().generate(p, test_image(), &rec);
  EXPECT_TRUE(rec.done);
  EXPECT_EQ(rec.total, 4);
  EXPECT_EQ(rec.progress, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(rec.previews, 4);
  ASSERT_GE(rec.stages.size(), 5u);
  EXPECT_EQ(rec.stages.front(), Stage::EncodingText);
  EXPECT_EQ(rec.stages.back(), Stage::Done);
  // FrameInit previews: one image per frame, at the latent size (8x8).
  ASSERT_EQ(rec.fi.low.size(), 6u);
  EXPECT_EQ(rec.fi.high.size(), 6u);
  EXPECT_EQ(rec.fi.mixed.size(), 6u);
  EXPECT_EQ(rec.fi.mask.size(), 6u);
  EXPECT_EQ(rec.fi.low[0].width, 8);
  EXPECT_NE(rec.fi.low[0].rgb, rec.fi.high[0].rgb);
}

TEST(Pipeline, CancelStopsWithinAStepAndTheEngineStaysUsable) {
  CancelToken cancel;
  Recorder rec;
  rec.on_step = [&](int i) {
    if (i == 2) cancel.cancel();
  };
  auto p = small_params();
  p.steps = 20;
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_THROW(pipeline().generate(p, test_image(), &rec, &cancel), Cancelled);
  EXPECT_EQ(rec.progress.back(), 2);  // no further step ran
  EXPECT_FALSE(rec.done);
  EXPECT_NE(rec.error.find("cancelled"), std::string::npos);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 30.0);
  cancel.reset();
  auto r = pipeline().generate(small_params(), test_image(), nullptr, &cancel);
  EXPECT_EQ(r.frames.size(), 6u);
}

namespace {
// generate() with the whole float video and with RunOverrides::keep_video = false (what Pipeline::generate does:
// the VAE decodes a few frames at a time into the 8-bit frames, no float video kept) give the same `frames`.
void expect_grouped_decode_matches(Models& models, const GenerationParams& p, size_t frames) {
  const auto whole = generate(models, p, test_image(), nullptr, nullptr);
  RunOverrides to_frames;
  to_frames.keep_video = false;
  const auto grouped = generate(models, p, test_image(), nullptr, nullptr, to_frames);
  ASSERT_TRUE(whole.video.defined());
  EXPECT_FALSE(grouped.video.defined());
  ASSERT_EQ(whole.result.frames.size(), frames);
  ASSERT_EQ(grouped.result.frames.size(), frames);
  for (size_t i = 0; i < frames; ++i) EXPECT_EQ(grouped.result.frames[i].rgb, whole.result.frames[i].rgb) << "frame " << i;
}
}  // namespace

TEST(Pipeline, DecodingStraightToFramesGivesTheSameFramesAndSeesACancel) {
  // Over several groups (two chunks: 11 frames, groups of 4 on the CPU); a cancel during the decode is seen
  // between groups.
  auto models = load_models(kModel, "cpu", "fp32");
  auto p = small_params();
  p.chunks = 2;
  p.steps = 2;
  expect_grouped_decode_matches(*models, p, 11);

  struct CancelAtDecode : Observer {
    CancelToken* token = nullptr;
    void on_stage(Stage s, const std::string&) override {
      if (s == Stage::Decoding) token->cancel();
    }
  } obs;
  CancelToken cancel;
  obs.token = &cancel;
  RunOverrides to_frames;
  to_frames.keep_video = false;
  EXPECT_THROW(generate(*models, p, test_image(), &obs, &cancel, to_frames), Cancelled);
}

TEST(Pipeline, CudaDecodingStraightToFramesGivesTheSameFrames) {
  // On CUDA the VAE decodes 4 frames per call and the groups are 16 frames: 21 frames (4 chunks), the groups
  // starting at multiples of 4.
  if (!torch::cuda::is_available()) GTEST_SKIP() << "needs a CUDA build and a GPU";
  auto models = load_models(kModel, "cuda", "fp32");
  auto p = small_params();
  p.device = "cuda";
  p.chunks = 4;
  p.steps = 2;
  expect_grouped_decode_matches(*models, p, 21);
}

TEST(Pipeline, AutoregressiveChunksChainFrames) {
  auto p = small_params();
  p.chunks = 3;
  p.steps = 2;
  Recorder rec;
  auto r = pipeline().generate(p, test_image(), &rec);
  EXPECT_EQ(r.frames.size(), 3u * 5 + 1);
  EXPECT_EQ(rec.total, 6);
}

TEST(Pipeline, CameraPresetAndCustomPath) {
  auto p = small_params();
  p.camera_preset = "pan_right";
  auto a = pipeline().generate(p, test_image());
  EXPECT_EQ(a.frames.size(), 6u);
  // The layout video for pan_right slides to the right: frame 0 is the left-aligned crop.
  auto layout = layout_video_pixels(p, test_image());
  ASSERT_EQ(layout.sizes(), (torch::IntArrayRef{6, 3, 64, 64}));
  EXPECT_FALSE(torch::equal(layout[0], layout[5]));
  p.camera_preset.clear();
  p.camera_path = {{"keyframes",
                    {{{"time", 0.0}, {"cx", 30}, {"cy", 30}, {"w", 40}, {"h", 40}},
                     {{"time", 1.0}, {"cx", 50}, {"cy", 30}, {"w", 40}, {"h", 40}, {"easing", "ease_in_out"}}}}};
  auto b = pipeline().generate(p, test_image());
  EXPECT_EQ(b.frames.size(), 6u);
  layout = layout_video_pixels(p, test_image());
  EXPECT_FALSE(torch::equal(layout[0], layout[5]));
}

// A camera move over a chained video spans all its chunks: each chunk's layout video is its part of the path (the
// next one starts where the last one ended), not the first chunk's move followed by a still view.
TEST(Pipeline, ACameraMoveSpansAllTheChunks) {
  auto p = small_params();
  p.chunks = 3;
  p.steps = 1;
  p.camera_preset = "pan_right";
  const int64_t T = p.frames;
  const auto layout = layout_video_pixels(p, test_image());
  ASSERT_EQ(layout.size(0), 3 * (T - 1) + 1);  // the whole video's crops
  auto models = load_models(kModel, "cpu", "fp32");
  Capture cap;
  RunOverrides ov;
  ov.capture = &cap;
  const auto out = generate(*models, p, test_image(), nullptr, nullptr, ov);
  EXPECT_EQ(out.result.frames.size(), static_cast<size_t>(3 * (T - 1) + 1));
  const auto& c0 = cap.tensors.at("chunk0.frameinit_static_video");
  const auto& c1 = cap.tensors.at("chunk1.frameinit_static_video");
  const auto& c2 = cap.tensors.at("chunk2.frameinit_static_video");
  ASSERT_EQ(c1.size(2), T);
  EXPECT_TRUE(torch::equal(c1.select(2, 0), c0.select(2, T - 1)));  // continues where the last chunk ended
  EXPECT_TRUE(torch::equal(c2.select(2, 0), c1.select(2, T - 1)));
  EXPECT_FALSE(torch::allclose(c2.select(2, 0), c2.select(2, T - 1)));  // and moves on (not held still)
  EXPECT_FALSE(torch::allclose(c1.select(2, 0), c2.select(2, T - 1)));
}

TEST(Pipeline, ACameraMoveWithoutFrameInitConditionsOnItsFirstCrop) {
  // As in the reference: the camera's crops are encoded, the first crop's latent is the condition frame, and
  // without FrameInit the rest of the move guides nothing. Frame 0 is the first crop, as with FrameInit.
  auto p = small_params();
  p.seed = 11;
  p.camera_preset = "pan_right";
  p.frameinit = false;
  const auto off = pipeline().generate(p, test_image(96, 64));
  p.frameinit = true;
  const auto on = pipeline().generate(p, test_image(96, 64));
  auto still = small_params();
  still.seed = 11;
  still.frameinit = false;
  const auto centre = pipeline().generate(still, test_image(96, 64));
  ASSERT_EQ(off.frames.size(), on.frames.size());
  EXPECT_EQ(off.frames[0].rgb, on.frames[0].rgb);        // the same condition frame: the first crop
  EXPECT_NE(off.frames[0].rgb, centre.frames[0].rgb);    // not the centre crop a still camera takes
  EXPECT_NE(off.frames.back().rgb, on.frames.back().rgb);  // FrameInit's layout guided only the second
}

TEST(Pipeline, BadInputIsRejectedBeforeAnyWork) {
  Recorder rec;
  auto p = small_params();
  p.width = 60;
  try {
    pipeline().generate(p, test_image(), &rec);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'width' = 60"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(rec.stages.empty());  // nothing started
  EXPECT_THROW(pipeline().generate(small_params(), RgbImage{}, &rec), Error);
  EXPECT_TRUE(rec.stages.empty());
  {  // a preset that cannot fit a very long picture is named as the preset, not as a "camera path" never given
    auto tilt = small_params();
    tilt.camera_preset = "tilt_up";
    std::string m;
    try {
      pipeline().generate(tilt, test_image(4000, 10));
    } catch (const Error& e) {
      m = e.what();
    }
    EXPECT_NE(m.find("camera preset 'tilt_up' does not fit this 4000 x 10 picture at 64x64"), std::string::npos) << m;
  }
  // steps the model's scheduler cannot space (1000 DDIM steps with steps_offset 1 reach t = 1000; DPM-Solver's
  // spacing collapses to one step): refused before the text or the picture is encoded
  for (const auto sampler : {SamplerType::Ddim, SamplerType::DpmSolverPP}) {
    auto many = small_params();
    many.steps = 1000;
    many.sampler = sampler;
    try {
      pipeline().generate(many, test_image(), &rec);
      FAIL() << "1000 steps accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("parameter 'steps' = 1000 is too many for the model's scheduler"),
                std::string::npos) << e.what();
    }
    EXPECT_TRUE(rec.stages.empty());
  }
  // a 2000000 x 1 picture would be resized to a gigapixel cover before the crop (98 GB): refused by name
  RgbImage line;
  line.width = 2000000;
  line.height = 1;
  line.rgb.assign(static_cast<size_t>(line.width) * 3, 128);
  try {
    pipeline().generate(small_params(), line);
    FAIL() << "a 2000000 x 1 first frame was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("2000000x1 picture is too elongated"), std::string::npos) << e.what();
  }
  auto panned = small_params();  // a camera preset resizes the whole picture first: the same guard
  panned.camera_preset = "pan_right";
  try {
    pipeline().generate(panned, line);
    FAIL() << "a 2000000 x 1 first frame was accepted with a camera preset";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("2000000x1 picture is too elongated for camera preset 'pan_right'"),
              std::string::npos) << e.what();
  }
  try {
    Pipeline::load(std::string(CONSISTI2V_FIXTURES) + "/cases", "cpu", "fp32");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("model_index.json"), std::string::npos) << e.what();
  }
}

TEST(Pipeline, ComponentsThatDoNotFitTogetherAreRefusedAtLoad) {
  // checked from the configs, before any weight is allocated, naming both files
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("ci2v_fit_" + std::to_string(::getpid()));
  ci2v::remove_tree(dir);
  fs::copy(std::string(CONSISTI2V_FIXTURES) + "/tiny_pipeline", dir, fs::copy_options::recursive);
  auto edit = [&](const std::string& file, const std::function<void(nlohmann::json&)>& change) {
    auto j = nlohmann::json::parse(std::ifstream(dir / file));
    const auto old = j;
    change(j);
    std::ofstream(dir / file) << j.dump(2);
    return old;
  };
  auto load_error = [&] {
    try {
      Pipeline::load(dir.string(), "cpu", "fp32");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  auto unet = edit("unet/config.json", [](nlohmann::json& j) { j["cross_attention_dim"] = 32; });
  std::string m = load_error();
  EXPECT_NE(m.find("'cross_attention_dim' 32 must equal the text encoder's 'hidden_size' 24"), std::string::npos) << m;
  EXPECT_NE(m.find("text_encoder/config.json"), std::string::npos) << m;
  std::ofstream(dir / "unet/config.json") << unet.dump(2);
  auto vae = edit("vae/config.json", [](nlohmann::json& j) { j["latent_channels"] = 8; });
  m = load_error();
  EXPECT_NE(m.find("must equal the VAE's 'latent_channels' 8"), std::string::npos) << m;
  std::ofstream(dir / "vae/config.json") << vae.dump(2);
  edit("vae/config.json", [](nlohmann::json& j) {
    auto b = j["block_out_channels"];
    b.erase(b.size() - 1);
    j["block_out_channels"] = b;
    for (const char* k : {"down_block_types", "up_block_types"}) {
      auto t = j[k];
      t.erase(t.size() - 1);
      j[k] = t;
    }
  });
  m = load_error();  // (a VAE of another depth is fine: AVaeOfAnotherDepthSetsTheLatentScale; these weights are not)
  EXPECT_NE(m.find("vae"), std::string::npos) << m;
  std::ofstream(dir / "vae/config.json") << vae.dump(2);
  // a tokenizer with ids beyond the text encoder's vocabulary: refused at load, not at the first such token
  auto text = edit("text_encoder/config.json", [](nlohmann::json& j) { j["vocab_size"] = 1000; });
  m = load_error();
  EXPECT_NE(m.find("tokenizer/vocab.json: token id 49407 is outside the text encoder's vocabulary of 1000"),
            std::string::npos) << m;
  std::ofstream(dir / "text_encoder/config.json") << text.dump(2);
  EXPECT_EQ(load_error(), "");
  ci2v::remove_tree(dir);
}

// Weights holding NaN (a damaged download, a bad conversion) would come out as a black video with success: the
// run fails instead, naming the network and the model folder.
TEST(Pipeline, NonFiniteWeightsAreReportedNotTurnedIntoABlackVideo) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("ci2v_nan_" + std::to_string(::getpid()));
  struct Case {
    std::string file, key, net;
  };
  for (const Case& c : {Case{"unet/diffusion_pytorch_model.safetensors", "conv_out.bias", "UNet, text encoder or VAE"},
                        Case{"vae/diffusion_pytorch_model.safetensors", "decoder.conv_out.bias", "VAE"}}) {
    SCOPED_TRACE(c.key);
    ci2v::remove_tree(dir);
    fs::copy(std::string(CONSISTI2V_FIXTURES) + "/tiny_pipeline", dir, fs::copy_options::recursive);
    const auto sd = io::StateDict::from_file((dir / c.file).string());
    std::map<std::string, torch::Tensor> tensors;
    for (const auto& k : sd.keys()) tensors[k] = sd.get(k);
    ASSERT_TRUE(tensors.count(c.key));
    tensors[c.key] = torch::full_like(tensors[c.key], std::numeric_limits<float>::quiet_NaN());
    io::save_tensors_safetensors(tensors, (dir / c.file).string());
    auto p = Pipeline::load(dir.string(), "cpu", "fp32");
    auto params = small_params();
    params.steps = 2;
    std::string m;
    try {
      p->generate(params, test_image());
    } catch (const Error& e) {
      m = e.what();
    }
    EXPECT_NE(m.find("NaN or infinite values"), std::string::npos) << m;
    EXPECT_NE(m.find(c.net + " weights of " + dir.string()), std::string::npos) << m;
  }
  ci2v::remove_tree(dir);
}

TEST(Pipeline, FrameInitOffAndBothGuidanceRun) {
  auto p = small_params();
  p.frameinit = false;
  EXPECT_EQ(pipeline().generate(p, test_image()).frames.size(), 6u);
  p.frameinit = true;
  p.cfg_image = 2.0;
  p.sampler = SamplerType::DpmSolverPP;
  EXPECT_EQ(pipeline().generate(p, test_image()).frames.size(), 6u);
}

TEST(Pipeline, FrameInitPreviewEqualsTheRunAndUpdatesWithoutReEncoding) {
  auto p = small_params();
  p.steps = 1;
  Recorder rec;
  pipeline().generate(p, test_image(), &rec);
  auto pv = pipeline().preview_frameinit(p, test_image());
  ASSERT_EQ(pv.mixed.size(), rec.fi.mixed.size());
  for (size_t i = 0; i < pv.mixed.size(); ++i) {
    EXPECT_EQ(pv.low[i].rgb, rec.fi.low[i].rgb) << i;
    EXPECT_EQ(pv.high[i].rgb, rec.fi.high[i].rgb) << i;
    EXPECT_EQ(pv.mixed[i].rgb, rec.fi.mixed[i].rgb) << i;
    EXPECT_EQ(pv.mask[i].rgb, rec.fi.mask[i].rgb) << i;
  }
  auto& models = pipeline().models();
  const auto encodes = models.layout_cache.encodes;
  // τ and D0 change the split; no new VAE encoding is needed for that.
  auto q = p;
  q.noise_level = 500;
  auto pv_tau = pipeline().preview_frameinit(q, test_image());
  EXPECT_NE(pv_tau.low[2].rgb, pv.low[2].rgb);
  q.cutoff_spatial = 0.6;
  auto pv_d0 = pipeline().preview_frameinit(q, test_image());
  EXPECT_NE(pv_d0.mask[3].rgb, pv_tau.mask[3].rgb);
  EXPECT_EQ(models.layout_cache.encodes, encodes);
  // A camera path changes the layout video: one more encoding.
  q.camera_preset = "pan_left";
  pipeline().preview_frameinit(q, test_image());
  EXPECT_EQ(models.layout_cache.encodes, encodes + 1);
}

// The live preview can be stopped (the studio stops a stale one, or one that would hold a generation up): a cancel
// is seen between the VAE encoder's blocks, leaves the layout cache as it was, and a token that is never
// cancelled changes nothing in the result.
TEST(Pipeline, FrameInitPreviewStopsOnACancelAndLeavesTheCacheAsItWas) {
  auto p = small_params();
  p.camera_preset = "pan_right";  // a layout video of every frame to encode
  p.seed = 5;
  auto& models = pipeline().models();
  CancelToken stop;
  stop.cancel();
  const auto key = models.layout_cache.key;
  const auto encodes = models.layout_cache.encodes;
  EXPECT_THROW(pipeline().preview_frameinit(p, test_image(96, 64), &stop), Error);
  EXPECT_EQ(models.layout_cache.key, key);
  EXPECT_EQ(models.layout_cache.encodes, encodes);
  CancelToken go;
  const auto with_token = pipeline().preview_frameinit(p, test_image(96, 64), &go);
  EXPECT_EQ(models.layout_cache.encodes, encodes + 1);
  models.layout_cache.key.clear();  // encode again, without a token
  const auto without = pipeline().preview_frameinit(p, test_image(96, 64));
  ASSERT_EQ(with_token.low.size(), without.low.size());
  for (size_t i = 0; i < without.low.size(); ++i) {
    EXPECT_EQ(with_token.low[i].rgb, without.low[i].rgb) << i;
    EXPECT_EQ(with_token.mixed[i].rgb, without.mixed[i].rgb) << i;
  }
}

TEST(Pipeline, ObserverDoesNotChangeTheResult) {
  auto p = small_params();
  Recorder rec;
  auto a = pipeline().generate(p, test_image(), &rec);
  auto b = pipeline().generate(p, test_image(), nullptr);
  for (size_t i = 0; i < a.frames.size(); ++i) EXPECT_EQ(a.frames[i].rgb, b.frames[i].rgb) << "frame " << i;
}

// A model load reports its progress in bytes of the weight files and stops at a cancel before the next tensor is
// read (the released UNet is 5 GB: the studio stops a load the user no longer wants); the engine loads again after.
TEST(Loading, ALoadReportsItsProgressAndStopsAtACancel) {
  int64_t files = 0;
  {
    const auto folder = io::open_model_folder(kModel);
    for (const char* c : {"text_encoder", "vae", "unet"})
      for (const auto& f : folder.get(c).weight_files) files += static_cast<int64_t>(std::filesystem::file_size(f));
  }
  std::vector<std::pair<int64_t, int64_t>> calls;
  auto whole = Pipeline::load(kModel, "cpu", "fp32", nullptr,
                              [&](int64_t done, int64_t total) { calls.emplace_back(done, total); });
  ASSERT_GT(calls.size(), 50u);  // one per tensor (and network)
  for (size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i].second, files) << "call " << i;
    if (i) EXPECT_GE(calls[i].first, calls[i - 1].first) << "call " << i;
  }
  EXPECT_EQ(calls.back().first, files);
  // before the end, what was read is the tensors' bytes: nearly the whole files (their headers excepted)
  EXPECT_GT(calls[calls.size() - 2].first, files * 8 / 10);
  std::printf("[   INFO   ] %zu progress calls over %lld bytes\n", calls.size(), static_cast<long long>(files));

  // Cancelled halfway (through a parent token, as the studio stops a generation's load): no tensor is read after
  // the cancel, and nothing more is reported.
  CancelToken run;
  CancelToken load(&run);
  size_t after_cancel = 0;
  int64_t stopped_at = 0;
  auto stop_halfway = [&](int64_t done, int64_t) {
    if (run.cancelled()) {
      ++after_cancel;
      return;
    }
    if (done >= files / 2) {
      stopped_at = done;
      run.cancel();
    }
  };
  EXPECT_THROW(Pipeline::load(kModel, "cpu", "fp32", &load, stop_halfway), Cancelled);
  EXPECT_EQ(after_cancel, 0u);
  EXPECT_GE(stopped_at, files / 2);
  EXPECT_LT(stopped_at, files);
  load.reset();  // its own flag only: the parent still cancels it
  EXPECT_TRUE(load.cancelled());
  run.reset();
  EXPECT_FALSE(load.cancelled());

  // a cancel before the load: nothing is allocated past the configs
  CancelToken early;
  early.cancel();
  size_t reported = 0;
  EXPECT_THROW(Pipeline::load(kModel, "cpu", "fp32", &early, [&](int64_t, int64_t) { ++reported; }), Cancelled);
  EXPECT_EQ(reported, 0u);

  // the engine loads again, the same weights
  auto again = Pipeline::load(kModel, "cpu", "fp32", &load);
  auto p = small_params();
  p.steps = 2;
  EXPECT_EQ(again->generate(p, test_image()).frames[3].rgb, whole->generate(p, test_image()).frames[3].rgb);
}

TEST(Preprocess, AWideOutputTakesTheReferencesBlackBarsOrIsCovered) {
  // A 60 x 48 picture into a 96 x 64 clip: Resize(64) makes it 80 x 64, narrower than the clip. The reference's
  // CenterCrop pads 8 columns each side (black: -1 after normalising); the app enlarges the picture to cover.
  RgbImage im = test_image(60, 48);
  const auto ref = preprocess_first_frame(im, 64, 96, /*cover=*/false);  // [3, 64, 96]
  ASSERT_EQ(ref.sizes(), (std::vector<int64_t>{3, 64, 96}));
  EXPECT_TRUE(torch::all(ref.slice(2, 0, 8) == -1).item<bool>());
  EXPECT_TRUE(torch::all(ref.slice(2, 88, 96) == -1).item<bool>());
  EXPECT_FALSE(torch::all(ref.slice(2, 8, 9) == -1).item<bool>());
  const auto covered = preprocess_first_frame(im, 64, 96);
  ASSERT_EQ(covered.sizes(), ref.sizes());
  EXPECT_FALSE(torch::all(covered.slice(2, 0, 1) == -1).item<bool>());
  // where the picture covers the clip both are the reference's crop
  EXPECT_TRUE(torch::equal(preprocess_first_frame(im, 64, 64, false), preprocess_first_frame(im, 64, 64)));
}

TEST(Pipeline, AVaeOfAnotherDepthSetsTheLatentScale) {
  // The latent scale is the VAE's own, 2^(levels-1) (the reference's vae_scale_factor), not a fixed 8: a 3-level
  // VAE makes latents 4x smaller, a 5-level one 16x, and the frame size must be a multiple of it.
  namespace fs = std::filesystem;
  for (const int levels : {3, 5}) {
    const fs::path dir = fs::temp_directory_path() / ("ci2v_vae_levels_" + std::to_string(::getpid()));
    ci2v::remove_tree(dir);
    fs::copy(std::string(CONSISTI2V_FIXTURES) + "/tiny_pipeline", dir, fs::copy_options::recursive);
    auto cfg = nlohmann::json::parse(std::ifstream(dir / "vae/config.json"));
    for (const char* k : {"block_out_channels", "down_block_types", "up_block_types"}) {
      auto list = cfg[k];
      while (static_cast<int>(list.size()) > levels) list.erase(list.size() - 1);
      while (static_cast<int>(list.size()) < levels) list.push_back(list.back());
      cfg[k] = list;
    }
    std::ofstream(dir / "vae/config.json") << cfg.dump(2);
    {  // fresh weights of that shape, in the released layout
      torch::manual_seed(7);
      vae::AutoencoderKL fresh(vae::VaeConfig::from_json(cfg, (dir / "vae/config.json").string()));
      torch::NoGradGuard no_grad;  // small random weights (the module leaves them uninitialised: a loader fills
      // them), and a tame posterior (mean 0, std 1): random moments overflow the tiny UNet
      for (auto& item : fresh->named_parameters()) {
        item.value().normal_(0.0, 0.02);
        if (item.key().find("quant_conv") != std::string::npos && item.key().find("post_quant") == std::string::npos)
          item.value().zero_();
      }
      io::save_module_safetensors(*fresh, (dir / "vae/diffusion_pytorch_model.safetensors").string());
    }
    auto models = load_models(dir.string(), "cpu", "fp32");
    auto p = small_params();
    p.frames = 3;
    p.steps = 2;
    p.seed = 4;
    const int64_t f = int64_t{1} << (levels - 1);
    auto out = generate(*models, p, test_image(), nullptr, nullptr, {});
    EXPECT_EQ(out.final_latents.size(3), p.height / f) << levels << " levels";
    EXPECT_EQ(out.final_latents.size(4), p.width / f) << levels << " levels";
    ASSERT_EQ(out.result.frames.size(), 3u);
    EXPECT_EQ(out.result.frames[0].width, p.width);
    EXPECT_EQ(out.result.frames[0].height, p.height);
    if (levels == 5) {  // 72 is a multiple of 8, not of 16
      p.width = 72;
      try {
        generate(*models, p, test_image(), nullptr, nullptr, {});
        ADD_FAILURE() << "a width that is no multiple of the VAE's scale was accepted";
      } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("must be multiples of 16"), std::string::npos) << e.what();
      }
    }
    ci2v::remove_tree(dir);
  }
}
