// The demo-model trainer (engine/train/trainer.h): a CPU smoke run whose loss falls and whose checkpoint the
// normal loader runs; option validation; the demo preset's size budget; UNet autograd only when asked for.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>
#include <unistd.h>

#include "engine/files.h"
#include "engine/error.h"
#include "engine/io/diffusers_folder.h"
#include "engine/io/state_dict.h"
#include "engine/generator.h"
#include "engine/pipeline.h"
#include "engine/text/clip_text_model.h"
#include "engine/sampling/frameinit.h"
#include "engine/train/procedural.h"
#include "engine/train/trainer.h"
#include "engine/train/frameinit_input.h"
#include "engine/unet/video_unet.h"
#include "engine/vae/autoencoder_kl.h"

using namespace ci2v;
namespace fs = std::filesystem;

namespace {

const std::string kTokenizer = std::string(CONSISTI2V_FIXTURES) + "/tiny_pipeline/tokenizer";

struct Threads {
  Threads() { at::set_num_threads(1); }  // 2 OpenMP threads on the shared 2-core machine were much slower
};

fs::path temp_dir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("ci2v_train_" + name + "_" + std::to_string(::getpid()));
  ci2v::remove_tree(d);
  return d;
}

double mean(const std::vector<double>& v, size_t from, size_t n) {
  return std::accumulate(v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(from + n), 0.0) / n;
}

// A small run of the tiny preset: batch 2 of 4 frames at 64 px, learning rate 1e-3.
train::TrainOptions tiny_options(const fs::path& dir, int steps, uint64_t seed, int vae_steps) {
  train::TrainOptions o;
  o.out_dir = dir.string();
  o.tokenizer_dir = kTokenizer;
  o.preset = "tiny";
  o.steps = steps;
  o.batch = 2;
  o.frames = 4;
  o.size = 64;
  o.lr = 1e-3;
  o.seed = seed;
  o.vae_steps = vae_steps;
  return o;
}

// The smallest run: the tiny preset with 1 clip of 2 frames per step.
train::TrainOptions small_options(const fs::path& dir, int steps, uint64_t seed, int vae_steps) {
  auto o = tiny_options(dir, steps, seed, vae_steps);
  o.batch = 1;
  o.frames = 2;
  return o;
}

// Two safetensors files hold the same tensors, bit for bit (a run that stopped and went on against one that never
// stopped).
void expect_same_tensors(const fs::path& a_file, const fs::path& b_file) {
  const auto a = io::StateDict::from_file(a_file.string()), b = io::StateDict::from_file(b_file.string());
  ASSERT_EQ(a.keys(), b.keys()) << b_file;
  for (const auto& k : a.keys()) EXPECT_TRUE(a.get(k).equal(b.get(k))) << b_file << ": " << k;
}

// train(o) refuses o with an error that contains each needle.
void expect_msg(const train::TrainOptions& o, const std::string& needle, const std::string& needle2 = "") {
  try {
    train::train(o);
    ADD_FAILURE() << "accepted; expected an error with '" << needle << "'";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(needle2), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(Train, SmokeRunLossFallsAndCheckpointGenerates) {
  // One thread: on this shared 2-core machine two OpenMP threads made the run ~10x slower (246 s vs 22 s);
  // the losses are the same with any thread count.
  at::set_num_threads(1);
  const auto dir = temp_dir("smoke");
  auto o = tiny_options(dir, 40, 7, 20);
  o.log_csv = (dir / "loss.csv").string();
  fs::create_directories(dir);
  const auto t0 = std::chrono::steady_clock::now();
  auto r = train::train(o);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(r.losses.size(), 40u);
  ASSERT_EQ(r.vae_losses.size(), 20u);
  const double first = mean(r.losses, 0, 5), last = mean(r.losses, r.losses.size() - 5, 5);
  std::cout << "[ smoke ] " << secs << " s; UNet loss mean first 5 " << first << ", last 5 " << last
            << "; VAE loss " << r.vae_losses.front() << " -> " << r.vae_losses.back() << "; scaling_factor "
            << r.scaling_factor << "\n";
  for (double l : r.losses) ASSERT_TRUE(std::isfinite(l));
  EXPECT_LT(last, 0.8 * first) << "the smoothed diffusion loss must fall";
  EXPECT_LT(r.vae_losses.back(), 0.8 * r.vae_losses.front()) << "the VAE reconstruction loss must fall";
  EXPECT_GT(r.scaling_factor, 0.0);

  // the CSV log: header + one line per step
  std::ifstream csv(o.log_csv);
  std::string line;
  int lines = 0;
  std::getline(csv, line);
  EXPECT_EQ(line, "step,loss,seconds");
  while (std::getline(csv, line)) ++lines;
  EXPECT_EQ(lines, 40);

  // the released folder layout, loaded by the normal loader, generates a clip
  for (const char* f : {"model_index.json", "unet/config.json", "unet/diffusion_pytorch_model.safetensors",
                        "vae/config.json", "vae/diffusion_pytorch_model.safetensors", "text_encoder/config.json",
                        "text_encoder/model.safetensors", "tokenizer/vocab.json", "tokenizer/merges.txt",
                        "scheduler/scheduler_config.json"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  // the settings the studio (and the demo claims) take from it
  const auto rec = io::read_demo_settings(dir.string());
  EXPECT_TRUE(rec.demo);
  EXPECT_EQ(rec.width, o.size);
  EXPECT_EQ(rec.height, o.size);
  EXPECT_EQ(rec.frames, o.frames);
  EXPECT_EQ(rec.steps, 25);
  EXPECT_EQ(rec.cfg_text, 3.0);
  auto pipe = Pipeline::load(dir.string(), "cpu", "fp32");
  EXPECT_NEAR(pipe->models().vae->config().scaling_factor, r.scaling_factor, 1e-6 * r.scaling_factor);
  GenerationParams p;
  p.prompt = "a red circle moves left on a striped background";
  p.width = p.height = 64;
  p.frames = 4;
  p.steps = 2;
  p.seed = 3;
  p.device = "cpu";
  auto img = train::make_clip(99, 1, 64, 1).frames[0];
  auto res = pipe->generate(p, img);
  ASSERT_EQ(res.frames.size(), 4u);
  for (const auto& f : res.frames) {
    EXPECT_EQ(f.width, 64);
    EXPECT_EQ(f.height, 64);
  }
  // loaded parameters carry no autograd: inference outputs have no graph
  EXPECT_FALSE(pipe->models().unet->conv_in->weight.requires_grad());

  // --resume continues from the checkpoint (no VAE training) and appends to the log
  o.steps = 2;
  o.resume = true;
  o.tokenizer_dir.clear();
  auto r2 = train::train(o);
  EXPECT_EQ(r2.losses.size(), 2u);
  EXPECT_TRUE(r2.vae_losses.empty());
  EXPECT_NEAR(r2.scaling_factor, r.scaling_factor, 1e-6 * r.scaling_factor);

  // --vae-from takes that model's VAE and text encoder (frozen, no VAE stage) and trains a new UNet from scratch
  const auto dir2 = temp_dir("vae_from");
  auto o3 = tiny_options(dir2, 3, 8, 20);
  o3.tokenizer_dir.clear();  // the source folder's tokenizer
  o3.vae_from = dir.string();
  auto r3 = train::train(o3);
  EXPECT_EQ(r3.losses.size(), 3u);
  EXPECT_TRUE(r3.vae_losses.empty());
  EXPECT_NEAR(r3.scaling_factor, r.scaling_factor, 1e-6 * r.scaling_factor);
  auto vae_a = io::StateDict::from_file((dir / "vae" / "diffusion_pytorch_model.safetensors").string());
  auto vae_b = io::StateDict::from_file((dir2 / "vae" / "diffusion_pytorch_model.safetensors").string());
  auto te_a = io::StateDict::from_file((dir / "text_encoder" / "model.safetensors").string());
  auto te_b = io::StateDict::from_file((dir2 / "text_encoder" / "model.safetensors").string());
  auto unet_a = io::StateDict::from_file((dir / "unet" / "diffusion_pytorch_model.safetensors").string());
  auto unet_b = io::StateDict::from_file((dir2 / "unet" / "diffusion_pytorch_model.safetensors").string());
  ASSERT_EQ(vae_a.size(), vae_b.size());
  ASSERT_EQ(te_a.size(), te_b.size());
  for (const auto& k : vae_a.keys()) EXPECT_TRUE(torch::equal(vae_a.get(k), vae_b.get(k))) << k;
  for (const auto& k : te_a.keys()) EXPECT_TRUE(torch::equal(te_a.get(k), te_b.get(k))) << k;
  const auto k0 = std::string("conv_in.weight");
  EXPECT_FALSE(torch::equal(unet_a.get(k0), unet_b.get(k0)));  // a new UNet, not the source's
  // ... trained from scratch: its first loss is that of an untrained UNet, well above the source's last losses
  double last5 = 0;
  for (size_t i = r.losses.size() - 5; i < r.losses.size(); ++i) last5 += r.losses[i] / 5;
  EXPECT_GT(r3.losses.front(), 1.5 * last5) << "first loss " << r3.losses.front() << ", source's last " << last5;
  EXPECT_NO_THROW(Pipeline::load(dir2.string(), "cpu", "fp32"));
  // a folder without vae/ or with --resume is refused, naming the option
  auto bad = o3;
  bad.vae_from = (dir / "unet").string();
  expect_msg(bad, "--vae-from '" + bad.vae_from + "'");
  // a VAE / text encoder that does not fit the preset's UNet (the tiny model's under the demo preset)
  bad = o3;
  bad.preset = "demo";
  expect_msg(bad, "--vae-from '" + bad.vae_from + "'", "preset demo");
  // the source folder as --out would overwrite it
  bad = o3;
  bad.out_dir = dir.string();
  expect_msg(bad, "is the --out folder");
  bad = o3;
  bad.resume = true;
  expect_msg(bad, "--vae-from and --resume");
  ci2v::remove_tree(dir2);
  ci2v::remove_tree(dir);
}

TEST(Train, Bf16AutocastTrainsWithFp32MasterWeights) {
  // The same run in fp32 and with bf16 autocast: the first UNet loss (same weights, same batch) agrees to bf16
  // precision but is not identical (the forward really ran in bf16); the bf16 run's loss falls, its weights
  // stay fp32, and its checkpoint loads.
  at::set_num_threads(1);
  auto run = [](const std::string& dtype, int steps) {
    const auto dir = temp_dir("amp_" + dtype);
    auto o = tiny_options(dir, steps, 11, 3);
    o.dtype = dtype;
    auto r = train::train(o);
    auto sd = io::StateDict::from_file((dir / "unet" / "diffusion_pytorch_model.safetensors").string());
    EXPECT_EQ(sd.get("conv_in.weight").scalar_type(), torch::kFloat32) << dtype;
    EXPECT_NO_THROW(Pipeline::load(dir.string(), "cpu", "fp32")) << dtype;
    ci2v::remove_tree(dir);
    return r.losses;
  };
  const auto fp32 = run("fp32", 1);
  const auto bf16 = run("bf16", 30);
  ASSERT_EQ(bf16.size(), 30u);
  for (double l : bf16) ASSERT_TRUE(std::isfinite(l));
  std::cout << "[ amp ] first loss fp32 " << fp32[0] << ", bf16 " << bf16[0] << "; bf16 mean first 5 "
            << mean(bf16, 0, 5) << ", last 5 " << mean(bf16, 25, 5) << "\n";
  EXPECT_NE(bf16[0], fp32[0]) << "bf16 autocast changed nothing: the forward did not run in bf16";
  EXPECT_NEAR(bf16[0], fp32[0], 0.05 * fp32[0]);
  EXPECT_LT(mean(bf16, 25, 5), 0.8 * mean(bf16, 0, 5)) << "the loss must fall under bf16 autocast";
}

TEST(Train, TimeBudgetEndsTheRunAndRecordsTheStepsTaken) {
  // --max-minutes: a run of "up to 100000 steps" stops at its wall-time budget (here 3 s of UNet steps), writes a
  // checkpoint that says how many steps it took.
  at::set_num_threads(1);
  const auto dir = temp_dir("budget");
  auto o = tiny_options(dir, 100000, 5, 2);
  o.max_seconds = 3.0;
  const auto t0 = std::chrono::steady_clock::now();
  auto r = train::train(o);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "[ budget ] " << r.losses.size() << " steps in " << r.unet_seconds << " s of UNet training, " << wall
            << " s in all\n";
  ASSERT_GT(r.losses.size(), 0u);
  EXPECT_LT(r.losses.size(), 100000u);
  EXPECT_GE(r.unet_seconds, 3.0);
  EXPECT_LT(r.unet_seconds, 3.0 + 10.0);  // one step past the budget at most (a tiny step takes well under 10 s)
  const auto state = io::read_json_file((dir / "train_state.json").string());
  EXPECT_EQ(state.value("steps", int64_t(-1)), static_cast<int64_t>(r.losses.size()));
  EXPECT_NO_THROW(Pipeline::load(dir.string(), "cpu", "fp32"));
  ci2v::remove_tree(dir);
  auto bad = tiny_options(temp_dir("budget_bad"), 1, 5, 0);
  bad.max_seconds = -60;
  EXPECT_THROW(train::train(bad), Error);
}

TEST(Train, EmaWritesTheAverageAsTheModelAndResumesFromTheRawWeights) {
  // --ema: the run's raw weights (unet-raw/) are those of a run without it, checkpoints every 2 steps included
  // (the average never feeds back), the model (unet/) is their moving average: it differs from them, and with a
  // negligible decay it is them; the normal loader runs it. --resume with --ema goes on from unet-raw/ (the first
  // loss of a plain resume of the raw weights) and the average from unet/ with its warm-up where it was:
  // new model = d old model + (1 - d) new raw weights, d = min(0.9, (1 + 6) / (10 + 6)) after one step.
  // --resume without --ema goes on from the model and drops the stale unet-raw/.
  Threads th;
  const auto plain_dir = temp_dir("ema_plain"), ema_dir = temp_dir("ema"), tiny_dir = temp_dir("ema_tiny");
  auto plain = tiny_options(plain_dir, 6, 21, 2);
  plain.save_every = 2;
  auto r_plain = train::train(plain);
  auto eo = tiny_options(ema_dir, 6, 21, 2);
  eo.save_every = 2;
  eo.ema_decay = 0.9;
  auto r_ema = train::train(eo);
  EXPECT_EQ(r_plain.losses, r_ema.losses);
  auto negligible = tiny_options(tiny_dir, 6, 21, 2);
  negligible.ema_decay = 1e-9;
  train::train(negligible);
  const auto weights = [](const fs::path& d, const char* sub) {
    return io::StateDict::from_file((d / sub / "diffusion_pytorch_model.safetensors").string());
  };
  const auto max_diff = [](const io::StateDict& x, const io::StateDict& y) {
    double m = 0;
    for (const auto& k : x.keys()) m = std::max(m, (x.get(k) - y.get(k)).abs().max().item<double>());
    return m;
  };
  const auto raw = weights(ema_dir, "unet-raw"), model = weights(ema_dir, "unet"), ref = weights(plain_dir, "unet");
  EXPECT_FALSE(fs::exists(plain_dir / "unet-raw"));
  EXPECT_EQ(max_diff(raw, ref), 0.0);
  EXPECT_GT(max_diff(model, raw), 1e-5);  // the average is not the raw weights (10x the 1e-6 of "equal" below)
  EXPECT_LE(max_diff(weights(tiny_dir, "unet"), weights(tiny_dir, "unet-raw")), 1e-6);
  EXPECT_EQ(max_diff(weights(tiny_dir, "unet-raw"), ref), 0.0);
  EXPECT_EQ(io::read_json_file((ema_dir / "train_state.json").string()).value("ema_decay", 0.0), 0.9);
  EXPECT_NO_THROW(Pipeline::load(ema_dir.string(), "cpu", "fp32"));

  auto resumed = eo;
  resumed.resume = true;
  resumed.steps = 1;
  auto plain_resumed = plain;
  plain_resumed.resume = true;
  plain_resumed.steps = 1;
  const auto r1 = train::train(resumed), r2 = train::train(plain_resumed);
  ASSERT_EQ(r1.losses.size(), 1u);
  EXPECT_EQ(r1.losses.front(), r2.losses.front());
  const auto raw1 = weights(ema_dir, "unet-raw"), model1 = weights(ema_dir, "unet");
  EXPECT_EQ(max_diff(raw1, weights(plain_dir, "unet")), 0.0);
  const double d = 7.0 / 16.0;
  double worst = 0;
  for (const auto& k : model1.keys())
    worst = std::max(worst, (model1.get(k) - (d * model.get(k) + (1 - d) * raw1.get(k))).abs().max().item<double>());
  EXPECT_LE(worst, 1e-6);

  auto no_ema = eo;
  no_ema.ema_decay = 0;
  no_ema.resume = true;
  no_ema.steps = 1;
  train::train(no_ema);
  EXPECT_FALSE(fs::exists(ema_dir / "unet-raw"));
  EXPECT_EQ(io::read_json_file((ema_dir / "train_state.json").string()).value("ema_decay", -1.0), 0.0);
  for (const auto& dir : {plain_dir, ema_dir, tiny_dir}) ci2v::remove_tree(dir);
}

TEST(Train, ClipsRenderedOnSeveralThreadsTrainExactlyAsOnOne) {
  // A step's clips are rendered on several threads (--data-threads), and the next step's while a step trains
  // (prefetch), or the next step's whole batch is built then (prefetch_batch: the VAE's latents, the noise, the
  // text, on a background thread): every clip depends on its seed only and the random draws keep their order, so
  // the losses are bit for bit those of one thread preparing each step when it starts, VAE and UNet stages both
  // (with FrameInit inputs and dropped conditions in the mix, so that every draw of a batch is made).
  Threads th;
  std::vector<std::vector<double>> vae, unet;
  using train::BatchPrefetch;
  struct Mode {
    int threads;
    bool prefetch;
    BatchPrefetch batch;
  };
  for (const Mode m : {Mode{1, false, BatchPrefetch::Auto}, Mode{3, true, BatchPrefetch::Auto},
                       Mode{3, true, BatchPrefetch::On}, Mode{1, true, BatchPrefetch::On}}) {
    const auto dir = temp_dir("threads" + std::to_string(m.threads) + "_" + std::to_string(static_cast<int>(m.batch)));
    auto o = tiny_options(dir, 4, 11, 2);
    o.batch = 3;
    o.data_threads = m.threads;
    o.prefetch = m.prefetch;
    o.prefetch_batch = m.batch;
    o.frameinit_share = 0.5;
    o.null_text_ratio = 0.3;
    o.null_image_ratio = 0.3;
    auto r = train::train(o);
    vae.push_back(r.vae_losses);
    unet.push_back(r.losses);
    ci2v::remove_tree(dir);
  }
  ASSERT_EQ(unet[0].size(), 4u);
  ASSERT_EQ(vae[0].size(), 2u);
  for (size_t k = 1; k < unet.size(); ++k) {
    EXPECT_EQ(vae[0], vae[k]) << "mode " << k;
    EXPECT_EQ(unet[0], unet[k]) << "mode " << k;
  }
}

TEST(Train, FrameInitInputKeepsTheClipsLowBandAndItsTargetMapsBackToTheClip) {
  // --frameinit-share: a clip trained on FrameInit's input. x = FrameInit's mix of the clip diffused to τ with the
  // noise; the target is the ε for which q's formula at t gives x back from the clip.
  torch::manual_seed(3);
  // a clip with a layout: mostly low frequencies (a random tensor's low band, scaled to unit spread)
  const auto lpf = sampling::gaussian_low_pass_filter({1, 4, 6, 8, 8}, 0.5, 0.5);
  auto zl = sampling::freq_mix_3d(torch::randn({1, 4, 6, 8, 8}), torch::zeros({1, 4, 6, 8, 8}), lpf);
  const auto z = zl / zl.std(), eps = torch::randn({1, 4, 6, 8, 8});
  const double abar_t = 0.0067, abar_tau = 0.6;  // about t 950 and τ 300 of the reference schedule
  const auto r = train::frameinit_training_input(z, eps, abar_t, abar_tau, 0.5);
  ASSERT_EQ(r.x.sizes(), z.sizes());
  EXPECT_LT((std::sqrt(abar_t) * z + std::sqrt(1 - abar_t) * r.target - r.x).abs().max().item<double>(), 1e-4);
  // the low band is the diffused clip's, the high band the noise's (FrameInit's own split, in the pipeline)
  const auto z_tau = std::sqrt(abar_tau) * z + std::sqrt(1 - abar_tau) * eps;
  EXPECT_LT((r.x - sampling::freq_mix_3d(z_tau, eps, lpf)).abs().max().item<double>(), 1e-5);
  // ... so x correlates with the clip far more than q(x_t | x_0) at the same t does (√ᾱ_t = 0.08)
  const auto corr = [](const torch::Tensor& a, const torch::Tensor& b) {
    auto a0 = a - a.mean(), b0 = b - b.mean();
    return ((a0 * b0).sum() / (a0.norm() * b0.norm())).item<double>();
  };
  const double with_frameinit = corr(r.x, z), plain = corr(std::sqrt(abar_t) * z + std::sqrt(1 - abar_t) * eps, z);
  std::cout << "[ frameinit input ] correlation with the clip " << with_frameinit << " (q(x_t | x_0): " << plain << ")\n";
  EXPECT_GT(with_frameinit, 3 * plain);
  EXPECT_LT(plain, 0.2);
  // a zero cut-off passes nothing of the clip: x is the noise, and the target is q's ε for it
  const auto none = train::frameinit_training_input(z, eps, abar_t, abar_tau, 0.0);
  EXPECT_LT((none.x - eps).abs().max().item<double>(), 1e-5);
  EXPECT_THROW(train::frameinit_training_input(z, eps.narrow(2, 0, 3), abar_t, abar_tau, 0.5), Error);
  EXPECT_THROW(train::frameinit_training_input(z, eps, 1.0, abar_tau, 0.5), Error);
}

TEST(Train, FrameInitShareTrainsTheUNetOnFrameInitInputs) {
  // share 1: every clip on FrameInit's input (the VAE stage is untouched); the losses stay finite and differ
  Threads th;
  std::vector<train::TrainReport> runs;
  for (double share : {0.0, 1.0}) {
    const auto dir = temp_dir("fishare");
    auto o = tiny_options(dir, 2, 21, 1);
    o.frameinit_share = share;
    runs.push_back(train::train(o));
    ci2v::remove_tree(dir);
  }
  EXPECT_EQ(runs[0].vae_losses, runs[1].vae_losses);
  ASSERT_EQ(runs[1].losses.size(), 2u);
  for (double l : runs[1].losses) EXPECT_TRUE(std::isfinite(l)) << l;
  EXPECT_NE(runs[0].losses, runs[1].losses);
}

TEST(Train, VaeTimeBudgetEndsTheVaeStage) {
  // --vae-max-minutes bounds the VAE stage as --max-minutes bounds the UNet's; --vae-batch sets its images per step
  Threads th;
  const auto dir = temp_dir("vae_budget");
  auto o = tiny_options(dir, 1, 5, 100000);
  o.vae_max_seconds = 1.0;
  o.vae_batch = 2;
  const auto t0 = std::chrono::steady_clock::now();
  auto r = train::train(o);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "[ vae budget ] " << r.vae_losses.size() << " VAE steps, " << wall << " s in all\n";
  EXPECT_GT(r.vae_losses.size(), 0u);
  EXPECT_LT(r.vae_losses.size(), 100000u);
  EXPECT_LT(wall, 1.0 + 30.0);
  EXPECT_EQ(r.losses.size(), 1u);
  EXPECT_NO_THROW(Pipeline::load(dir.string(), "cpu", "fp32"));
  ci2v::remove_tree(dir);
}

TEST(Train, LearningRateWarmsUpThenDecaysToFivePercentAtTheLastStep) {
  Threads th;
  const auto dir = temp_dir("lr");
  auto o = tiny_options(dir, 12, 5, 0);
  o.vae_steps = 1;
  o.batch = 1;
  o.frames = 2;
  o.lr = 1e-3;
  const auto r = train::train(o);
  ASSERT_EQ(r.lrs.size(), 12u);
  // warm-up over min(200, 12 / 10 + 1) = 2 steps, then a cosine from the peak to 5 % at step 12
  EXPECT_DOUBLE_EQ(r.lrs[0], 0.5e-3);
  EXPECT_DOUBLE_EQ(r.lrs[1], 1e-3);
  EXPECT_NEAR(r.lrs.back(), 0.05e-3, 1e-12);
  EXPECT_DOUBLE_EQ(r.lrs[2], 1e-3);  // the decay's first step
  for (size_t i = 3; i < r.lrs.size(); ++i) EXPECT_LT(r.lrs[i], r.lrs[i - 1]) << i;
  ci2v::remove_tree(dir);
}

TEST(Train, StopRequestEndsEitherStageAndWritesTheCheckpointOfTheStepsTaken) {
  // TrainOptions::should_stop (Ctrl-C in consisti2v train) is asked before every step: it ends the UNet stage
  // after the steps taken, or the VAE stage with no UNet step, and the checkpoint written says so and loads.
  Threads th;
  const auto dir = temp_dir("stop");
  int asked = 0;
  auto o = small_options(dir, 100, 5, 3);
  o.should_stop = [&asked] { return ++asked > 3 + 4; };  // 3 VAE steps, then 4 UNet steps
  o.log_csv = (dir.parent_path() / ("ci2v_stop_log_" + std::to_string(::getpid()) + ".csv")).string();
  auto r = train::train(o);
  EXPECT_TRUE(r.interrupted);
  EXPECT_EQ(r.vae_losses.size(), 3u);
  EXPECT_EQ(r.losses.size(), 4u);
  EXPECT_EQ(r.checkpoint_steps, 4);
  EXPECT_EQ(asked, 3 + 5);  // once per step, and once more for the step that did not run
  EXPECT_EQ(io::read_json_file((dir / "train_state.json").string()).value("steps", int64_t(-1)), 4);
  EXPECT_NO_THROW(Pipeline::load(dir.string(), "cpu", "fp32"));
  // rows past the checkpoint, as a run killed between checkpoints leaves them: a resume drops them, its own
  // steps 5 and 6 follow step 4
  std::ofstream(o.log_csv, std::ios::app) << "5,99,99\n6,99,99\n";
  // a run that is not asked to stop is not marked
  auto go_on = small_options(dir, 2, 5, 0);
  go_on.resume = true;
  go_on.tokenizer_dir.clear();
  go_on.log_csv = o.log_csv;
  go_on.should_stop = [] { return false; };
  auto r2 = train::train(go_on);
  EXPECT_FALSE(r2.interrupted);
  EXPECT_EQ(r2.checkpoint_steps, 4 + 2);
  {
    std::ifstream csv(o.log_csv);
    std::string line;
    std::vector<std::string> steps;
    std::getline(csv, line);
    EXPECT_EQ(line, "step,loss,seconds");
    while (std::getline(csv, line)) {
      steps.push_back(line.substr(0, line.find(',')));
      EXPECT_EQ(line.find(",99,"), std::string::npos) << line;
    }
    EXPECT_EQ(steps, (std::vector<std::string>{"1", "2", "3", "4", "5", "6"}));
  }
  fs::remove(o.log_csv);
  ci2v::remove_tree(dir);

  // stopped in the VAE stage: the VAE trained so far, an untrained UNet, 0 steps recorded
  const auto dir2 = temp_dir("stop_vae");
  auto v = small_options(dir2, 100, 5, 100);
  asked = 0;
  v.should_stop = [&asked] { return ++asked > 2; };
  auto rv = train::train(v);
  EXPECT_TRUE(rv.interrupted);
  EXPECT_EQ(rv.vae_losses.size(), 2u);
  EXPECT_TRUE(rv.losses.empty());
  EXPECT_EQ(asked, 3);  // the UNet stage does not ask again
  EXPECT_GT(rv.scaling_factor, 0.0);
  EXPECT_EQ(io::read_json_file((dir2 / "train_state.json").string()).value("steps", int64_t(-1)), 0);
  EXPECT_NO_THROW(Pipeline::load(dir2.string(), "cpu", "fp32"));
  ci2v::remove_tree(dir2);
}

TEST(Train, AStoppedRunGoesOnExactlyAsIfItHadNotStopped) {
  // --resume without --steps (TrainOptions::steps = kRemainingSteps, the options recorded_options reads back) goes
  // on with the stopped run's plan: the same remaining steps, learning rates, draws, AdamW moments and fp32
  // weights, so its losses and final weights are those of a run that never stopped. With a moving average too.
  Threads th;
  // (fp16 checkpoints too: the run goes on with the fp32 VAE and text encoder it trained with, kept beside the
  // AdamW state, not with the checkpoint's rounded copies)
  for (const auto& [ema, save_dtype] : {std::pair<double, const char*>{0.0, "fp32"}, {0.9, "fp32"}, {0.0, "fp16"}}) {
    SCOPED_TRACE("ema " + std::to_string(ema) + ", " + save_dtype);
    const auto whole_dir = temp_dir("whole"), parts_dir = temp_dir("parts");
    auto whole = small_options(whole_dir, 8, 11, 2);
    whole.save_every = 3;  // mid-run checkpoints leave the plan open
    whole.ema_decay = ema;
    whole.save_dtype = save_dtype;
    const auto rw = train::train(whole);
    ASSERT_EQ(rw.losses.size(), 8u);

    auto first = whole;
    first.out_dir = parts_dir.string();
    int asked = 0;
    first.should_stop = [&asked] { return ++asked > 2 + 5; };  // 2 VAE steps, then 5 UNet steps
    const auto r1 = train::train(first);
    ASSERT_TRUE(r1.interrupted);
    ASSERT_EQ(r1.losses.size(), 5u);
    const auto state = io::read_json_file((parts_dir / "train_state.json").string());
    EXPECT_EQ(state.at("plan").at("first_step"), 0);
    EXPECT_EQ(state.at("plan").at("steps"), 8);
    EXPECT_EQ(state.at("plan").at("finished"), false);
    EXPECT_EQ(state.at("optimizer").at("steps"), 5);
    EXPECT_TRUE(fs::exists(parts_dir / state.at("optimizer").at("file").get<std::string>()));

    const auto rec = train::recorded_options(parts_dir.string());
    ASSERT_TRUE(rec.has_value());
    EXPECT_TRUE(rec->resume);
    EXPECT_EQ(rec->steps, train::kRemainingSteps);
    EXPECT_EQ(rec->preset, "tiny");
    EXPECT_EQ(rec->seed, 11u);
    EXPECT_EQ(rec->batch, 1);
    EXPECT_EQ(rec->frames, 2);
    EXPECT_EQ(rec->lr, 1e-3);
    EXPECT_EQ(rec->ema_decay, ema);
    EXPECT_EQ(rec->save_every, 3);
    const auto r2 = train::train(*rec);
    EXPECT_FALSE(r2.interrupted);
    ASSERT_EQ(r2.losses.size(), 3u);
    EXPECT_EQ(r2.checkpoint_steps, 8);
    for (size_t i = 0; i < 3; ++i) {
      EXPECT_NEAR(r2.losses[i], rw.losses[5 + i], 1e-6 * std::abs(rw.losses[5 + i])) << "step " << 6 + i;
      EXPECT_DOUBLE_EQ(r2.lrs[i], rw.lrs[5 + i]) << "step " << 6 + i;
    }
    // the model written (the moving average with --ema) and the optimiser state match the whole run's
    const auto unet = fs::path("unet") / "diffusion_pytorch_model.safetensors";
    expect_same_tensors(whole_dir / unet, parts_dir / unet);
    auto optimizer_file = [](const fs::path& d) {
      return (d / io::read_json_file((d / "train_state.json").string()).at("optimizer").at("file").get<std::string>()).string();
    };
    EXPECT_EQ(fs::path(optimizer_file(parts_dir)).filename(), "unet_adamw-8.safetensors");
    // one AdamW state is kept: the checkpoint's (the stopped run's step-5 file is gone)
    EXPECT_EQ(std::distance(fs::directory_iterator(parts_dir / "optimizer"), fs::directory_iterator()), 1);
    EXPECT_EQ(io::StateDict::from_file(optimizer_file(parts_dir)).contains("ema"), ema > 0);
    expect_same_tensors(optimizer_file(whole_dir), optimizer_file(parts_dir));
    EXPECT_EQ(io::read_json_file((parts_dir / "train_state.json").string()).at("plan").at("finished"), true);

    // a finished plan does not go on; a changed recipe option is named
    expect_msg(*rec, "finished its plan", "--steps N");
    auto changed = *rec;
    changed.batch = 2;
    expect_msg(changed, "--batch is 2 where", "records 1");
    // --steps N instead: a new plan of N steps from those weights
    auto more = *rec;
    more.steps = 2;
    more.batch = 2;
    const auto r3 = train::train(more);
    EXPECT_EQ(r3.checkpoint_steps, 10);
    EXPECT_LT(r3.lrs.front(), r3.lrs.back() + 1.0);  // it ran
    const auto plan = io::read_json_file((parts_dir / "train_state.json").string()).at("plan");
    EXPECT_EQ(plan.at("first_step"), 8);
    EXPECT_EQ(plan.at("steps"), 2);
    ci2v::remove_tree(whole_dir);
    ci2v::remove_tree(parts_dir);
  }
}

TEST(Train, AStoppedVaeStageGoesOnExactly) {
  // Stopped in its VAE stage (before its first step, or after two), a run goes on with that stage (its AdamW
  // state, schedule and per-step draws; the fp32 VAE and text encoder beside the fp16 checkpoint), then trains the
  // UNet from the same seeded start: VAE and UNet losses and all weights as if it had never stopped.
  Threads th;
  const auto whole_dir = temp_dir("vae_whole");
  auto whole = small_options(whole_dir, 3, 13, 5);
  whole.save_dtype = "fp16";
  const auto rw = train::train(whole);
  ASSERT_EQ(rw.vae_losses.size(), 5u);
  ASSERT_EQ(rw.losses.size(), 3u);
  for (const int stop_after : {0, 2}) {
    SCOPED_TRACE("stopped after " + std::to_string(stop_after) + " VAE steps");
    const auto parts_dir = temp_dir("vae_parts");
    auto first = whole;
    first.out_dir = parts_dir.string();
    int asked = 0;
    first.should_stop = [&asked, stop_after] { return ++asked > stop_after; };
    const auto r1 = train::train(first);
    ASSERT_TRUE(r1.interrupted);
    ASSERT_EQ(r1.vae_losses.size(), static_cast<size_t>(stop_after));
    const auto state = io::read_json_file((parts_dir / "train_state.json").string());
    EXPECT_EQ(state.at("vae_stage").at("done"), stop_after);
    EXPECT_EQ(state.at("vae_stage").at("finished"), false);
    EXPECT_EQ(state.at("vae_stage").at("optimizer").at("steps"), stop_after);

    const auto rec = train::recorded_options(parts_dir.string());
    ASSERT_TRUE(rec.has_value());
    EXPECT_EQ(rec->vae_steps, 5);
    const auto r2 = train::train(*rec);
    ASSERT_EQ(r2.vae_losses.size(), static_cast<size_t>(5 - stop_after));
    ASSERT_EQ(r2.losses.size(), 3u);
    for (int i = 0; i < 5 - stop_after; ++i)
      EXPECT_NEAR(r2.vae_losses[i], rw.vae_losses[stop_after + i], 1e-6 * rw.vae_losses[stop_after + i])
          << "vae step " << stop_after + i + 1;
    for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(r2.losses[i], rw.losses[i], 1e-6 * rw.losses[i]) << "unet step " << 1 + i;
    EXPECT_DOUBLE_EQ(r2.scaling_factor, rw.scaling_factor);
    for (const char* part : {"unet/diffusion_pytorch_model.safetensors", "vae/diffusion_pytorch_model.safetensors"})
      expect_same_tensors(whole_dir / part, parts_dir / part);
    const auto done = io::read_json_file((parts_dir / "train_state.json").string());
    EXPECT_EQ(done.at("vae_stage").at("finished"), true);
    EXPECT_EQ(done.at("plan").at("finished"), true);
    EXPECT_FALSE(done.at("vae_stage").contains("optimizer"));
    ci2v::remove_tree(parts_dir);
  }
  ci2v::remove_tree(whole_dir);
}

TEST(Train, GoingOnRefusesWhatCannotGoOnNamingTheFile) {
  // --resume without --steps on a folder whose train_state.json is missing, older, hand-edited into nonsense, or
  // names an AdamW state that is missing, of another network or of another checkpoint (a run killed between
  // writing the two): an error naming the file and the key (never a silent new schedule or a truncated value)
  Threads th;
  const auto dir = temp_dir("go_on_bad");
  auto o = small_options(dir, 6, 3, 1);
  int asked = 0;
  o.should_stop = [&asked] { return ++asked > 1 + 2; };
  ASSERT_TRUE(train::train(o).interrupted);
  const auto state_path = dir / "train_state.json";
  const auto good = io::read_json_file(state_path.string());
  const auto rec = train::recorded_options(dir.string());
  ASSERT_TRUE(rec.has_value());
  const fs::path opt_file = dir / good.at("optimizer").at("file").get<std::string>();
  ASSERT_EQ(opt_file.filename(), "unet_adamw-2.safetensors");
  auto with = [&](const std::function<void(nlohmann::json&)>& edit) {
    auto j = good;
    edit(j);
    std::ofstream(state_path) << j.dump();
  };

  struct Case {
    std::function<void(nlohmann::json&)> edit;
    std::string needle, needle2;
  };
  const std::vector<Case> cases = {
      {[](auto& j) { j.erase("optimizer"); }, "records no optimizer state", "train_state.json"},
      {[](auto& j) { j["steps"] = 2.5; }, "'steps' is 2.5, expected a whole number", "train_state.json"},
      {[](auto& j) { j["steps"] = 1e30; }, "'steps' is 1e+30, expected a whole number", ""},
      {[](auto& j) { j["plan"]["steps"] = -3; }, "plan: 'steps' is -3", ""},
      {[](auto& j) { j["plan"]["first_step"] = 5; }, "plan: 'first_step' is 5, expected a whole number in 0..2", ""},
      {[](auto& j) { j["plan"]["seconds"] = -1; }, "plan: 'seconds' is -1", ">= 0"},
      {[](auto& j) { j["plan"]["finished"] = "yes"; }, "plan: 'finished' is missing or not true/false", ""},
      {[](auto& j) { j["optimizer"]["file"] = ""; }, "'file' is '', expected optimizer/<name>.safetensors", ""},
      {[](auto& j) { j["optimizer"]["file"] = "optimizer/../../x.safetensors"; }, "expected optimizer/<name>.safetensors", ""},
      {[](auto& j) { j["optimizer"]["steps"] = 1; }, "optimizer: 'steps' is 1, expected a whole number in 2..2", ""},
      {[](auto& j) { j["optimizer"]["file"] = "optimizer/unet_adamw-9.safetensors"; }, "which is missing", "--steps N"},
      {[](auto& j) { j.erase("settings"); }, "records no plan of its run", "--steps N"},
      {[](auto& j) { j["vae_stage"]["finished"] = false; }, "vae_stage: 'done' is 1, expected a whole number in 0..0", ""},
      {[](auto& j) {
         j["vae_stage"] = nlohmann::json{{"steps", 3}, {"done", 1}, {"seconds", 0.5}, {"finished", false}};
       },
       "vae_stage: unfinished, but the checkpoint records 2 UNet steps", ""},
  };
  for (const auto& c : cases) {
    with(c.edit);
    expect_msg(*rec, c.needle, c.needle2);
  }
  // the settings are read with their types and ranges, naming the key
  const std::vector<std::pair<std::function<void(nlohmann::json&)>, std::string>> bad_settings = {
      {[](auto& j) { j["settings"]["batch"] = "two"; }, "'batch' is \"two\", expected a whole number"},
      {[](auto& j) { j["settings"]["batch"] = 4294967297ull; }, "'batch' is 4294967297, expected a whole number in 1..2147483647"},
      {[](auto& j) { j["settings"]["batch"] = 1.9; }, "'batch' is 1.9"},
      {[](auto& j) { j["settings"]["seed"] = -1; }, "'seed' is -1"},
      {[](auto& j) { j["settings"]["max_seconds"] = -60; }, "'max_seconds' is -60, expected a number >= 0"},
      {[](auto& j) { j["settings"]["varied_backgrounds"] = 1; }, "'varied_backgrounds' is 1, expected true or false"},
      {[](auto& j) { j["settings"]["device"] = 3; }, "'device' is 3, expected a string"},
      {[](auto& j) { j["settings"].erase("lr"); }, "'lr' is missing"},
  };
  for (const auto& [edit, needle] : bad_settings) {
    with(edit);
    try {
      (void)train::recorded_options(dir.string());
      ADD_FAILURE() << "accepted; expected " << needle;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("train_state.json: settings"), std::string::npos) << e.what();
    }
  }
  // keys recorded later (the VAE options, the device) stand for their defaults when a state lacks them, and any
  // negative VAE step count or batch (the preset's default) reads as -1
  with([](auto& j) {
    for (const char* k : {"vae_steps", "vae_lr", "vae_max_seconds", "device", "cuda_graphs"}) j["settings"].erase(k);
    j["settings"]["vae_batch"] = -5;
  });
  {
    const auto older = train::recorded_options(dir.string());
    ASSERT_TRUE(older.has_value());
    EXPECT_EQ(older->vae_steps, -1);
    EXPECT_EQ(older->vae_batch, -1);
    EXPECT_EQ(older->device, "cpu");
    EXPECT_EQ(older->vae_lr, train::TrainOptions{}.vae_lr);
  }
  with([](auto& j) {  // as an older consisti2v wrote it
    j.erase("settings");
    j.erase("plan");
  });
  EXPECT_FALSE(train::recorded_options(dir.string()).has_value());

  // an AdamW state of another checkpoint (its own step count differs), then one of another network
  std::ofstream(state_path) << good.dump();
  const auto real = io::StateDict::from_file(opt_file.string());
  std::map<std::string, torch::Tensor> t;
  for (const auto& k : real.keys()) t[k] = real.get(k);
  t["steps"] = torch::tensor({4}, torch::kInt64);
  io::save_tensors_safetensors(t, opt_file.string());
  expect_msg(*rec, "holds 4 AdamW steps where", "do not belong together");
  t = {{"params", torch::zeros({7})}, {"exp_avg", torch::zeros({7})}, {"exp_avg_sq", torch::zeros({7})},
       {"steps", torch::tensor({2}, torch::kInt64)}};
  io::save_tensors_safetensors(t, opt_file.string());
  expect_msg(*rec, "'params' has 7 elements", "unet_adamw-2.safetensors");
  fs::remove(state_path);
  EXPECT_FALSE(train::recorded_options(dir.string()).has_value());
  expect_msg(*rec, "train_state.json is missing");
  ci2v::remove_tree(dir);
}

TEST(Train, UNetBuildsAGraphOnlyWhenItsParametersAreTrainable) {
  Threads th;
  auto cfg = unet::UNetConfig::from_json(nlohmann::json::parse(train::preset_configs("tiny").unet));
  unet::VideoUNet net(cfg);
  nn::init_random(*net, 1);
  net->reset_rotary_frequencies();
  auto x = torch::randn({1, 4, 2, 8, 8}), first = torch::randn({1, 4, 1, 8, 8}), text = torch::randn({1, 5, 24});
  auto y = net->forward(x, 500, text, first, 3);
  EXPECT_FALSE(y.requires_grad());
  for (auto& p : net->parameters()) p.set_requires_grad(true);
  auto y2 = net->forward(x, 500, text, first, 3);
  ASSERT_TRUE(y2.requires_grad());
  EXPECT_TRUE(torch::allclose(y, y2.detach(), 1e-5, 1e-6)) << "training and inference run the same operations";
  y2.pow(2).mean().backward();
  ASSERT_TRUE(net->conv_in->weight.grad().defined());
  EXPECT_GT(net->conv_in->weight.grad().abs().sum().item<double>(), 0.0);
  ASSERT_TRUE(net->frame_stride_embedding->linear_1->weight.grad().defined());
}

TEST(Train, DemoPresetFitsTwentyMegabytesInFp16) {
  auto c = train::preset_configs("demo");
  const auto meta = torch::TensorOptions().device(torch::kMeta);
  unet::VideoUNet u(unet::UNetConfig::from_json(nlohmann::json::parse(c.unet)), meta);
  vae::AutoencoderKL v(vae::VaeConfig::from_json(nlohmann::json::parse(c.vae)), meta);
  text::ClipTextModel t(text::ClipTextConfig::from_json(nlohmann::json::parse(c.text_encoder)), meta);
  const size_t n = io::count_parameters(*u) + io::count_parameters(*v) + io::count_parameters(*t);
  std::cout << "[ demo ] unet " << io::count_parameters(*u) << ", vae " << io::count_parameters(*v) << ", text "
            << io::count_parameters(*t) << " parameters = " << 2.0 * n / 1e6 << " MB in fp16\n";
  EXPECT_LE(2 * n, 20u * 1000u * 1000u);
  EXPECT_GT(io::count_parameters(*u), io::count_parameters(*unet::VideoUNet(
                                          unet::UNetConfig::from_json(nlohmann::json::parse(train::preset_configs("tiny").unet)), meta)));
}

TEST(Train, BadOptionsThrowNamingTheOption) {
  train::TrainOptions o;
  o.tokenizer_dir = kTokenizer;
  expect_msg(o, "--out DIR is required");
  o.out_dir = temp_dir("bad").string();
  const std::string bad_log = o.out_dir + "/no/such/folder/log.csv";
  struct Case {
    std::function<void(train::TrainOptions&)> set;
    std::string expect;
  };
  const std::vector<Case> cases = {
      {[](auto& b) { b.size = 60; }, "--size must be a multiple of 8"},
      {[](auto& b) { b.frames = 1; }, "--frames must be 2..64"},
      {[](auto& b) { b.preset = "huge"; }, "--preset 'huge'"},
      {[](auto& b) { b.dtype = "fp16"; }, "--dtype 'fp16': expected fp32 or bf16"},
      {[](auto& b) { b.camera_share = 0.1; }, "--camera-share must be in 0.25..1"},
      {[](auto& b) { b.vae_batch = 0; }, "--vae-batch must be in 1..1024"},
      {[](auto& b) { b.vae_max_seconds = -6; }, "--vae-max-minutes must not be negative"},
      {[](auto& b) { b.data_threads = -1; }, "--data-threads must be in 0..256"},
      {[](auto& b) { b.max_grad_norm = -1; }, "--grad-clip must be >= 0"},
      {[](auto& b) { b.frameinit_share = 1.5; }, "--frameinit-share must be in 0..1"},
      {[](auto& b) { b.ema_decay = 1.0; }, "--ema must be in [0, 1)"},
      {[](auto& b) { b.vae_lr = std::nan(""); }, "--vae-lr must be in (0, 1)"},  // a NaN rate trained a NaN model
      {[](auto& b) { b.null_text_ratio = 5; }, "--null-text must be in 0..1"},
      {[](auto& b) { b.null_image_ratio = -3; }, "--null-image must be in 0..1"},
      {[](auto& b) { b.save_every = -4; }, "--save-every must not be negative"},
      {[](auto& b) { b.threads = -2; }, "--threads must be in 0..256"},
      {[](auto& b) { b.threads = 100000; }, "--threads must be in 0..256 (0: leave as is), got 100000"},
      {[](auto& b) { b.batch = 1500000000; }, "--batch must be in 1..1024"},
      // refused before the VAE stage, not after it
      {[&](auto& b) { b.log_csv = bad_log, b.vae_steps = 100000; }, "--log '" + bad_log + "': cannot write"},
      {[](auto& b) { b.tokenizer_dir = "/nonexistent"; }, "--tokenizer '/nonexistent'"},
      {[](auto& b) { b.resume = true; }, "--resume"},
  };
  for (const auto& c : cases) {
    auto b = o;
    c.set(b);
    expect_msg(b, c.expect);
  }
  ci2v::remove_tree(o.out_dir);
}
