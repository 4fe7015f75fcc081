// Tests of the ConsistI2V video UNet: config parsing, strict loading (safetensors and torch.save with
// "module."), error messages for broken checkpoints, the released architecture's exact size (meta device),
// behaviour of the forward pass, and golden parity against the reference (unet_step, unet_step_b).
#include <gtest/gtest.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <c10/core/CPUAllocator.h>

#include <atomic>
#include <cstring>

#include "engine/files.h"
#include "engine/io/diffusers_folder.h"
#include "engine/text/clip_text_model.h"
#include "engine/vae/autoencoder_kl.h"
#include "engine/error.h"
#include "engine/io/state_dict.h"
#include "engine/nn/layers.h"
#include "engine/unet/temporal_resnet.h"
#include "engine/parity/parity.h"
#include "engine/unet/attention.h"
#include "engine/unet/rotary.h"
#include "engine/unet/video_unet.h"

namespace fs = std::filesystem;
using namespace ci2v;
using namespace ci2v::unet;

namespace {

const std::string kFixtures = CONSISTI2V_FIXTURES;
const std::string kUNetDir = kFixtures + "/tiny_pipeline/unet";

struct Threads {
  Threads() { at::set_num_threads(2); }
} threads_once;

std::string temp_path(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("ci2v_test_unet_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return (dir / name).string();
}

VideoUNet fixture_unet() { return load_video_unet(unet_component_from_dir(kUNetDir)); }

struct Inputs {
  torch::Tensor sample, text, first;
};

Inputs random_inputs(const UNetConfig& c, int64_t B, int64_t frames, int64_t h, int64_t w, uint64_t seed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  Inputs in;
  in.sample = at::randn({B, c.in_channels, frames, h, w}, gen, torch::TensorOptions().dtype(torch::kFloat32));
  in.text = at::randn({B, 7, c.cross_attention_dim[0]}, gen, torch::TensorOptions().dtype(torch::kFloat32));
  in.first = at::randn({B, c.in_channels, 1, h, w}, gen, torch::TensorOptions().dtype(torch::kFloat32));
  return in;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::vector<int64_t> sizes(const torch::Tensor& t) { return {t.sizes().begin(), t.sizes().end()}; }

}  // namespace

// ---------------------------------------------------------------- config

TEST(UNetConfig, ParsesTheFixtureConfig) {
  auto c = UNetConfig::from_json(io::read_json_file(kUNetDir + "/config.json"));
  EXPECT_EQ(c.block_out_channels, (std::vector<int64_t>{32, 64}));
  EXPECT_EQ(c.heads, (std::vector<int64_t>{2, 4}));
  ASSERT_EQ(c.down_block_types.size(), 2u);
  EXPECT_EQ(c.down_block_types[0], DownBlockType::CrossAttn);
  EXPECT_EQ(c.down_block_types[1], DownBlockType::Plain);
  EXPECT_EQ(c.up_block_types[0], UpBlockType::Plain);
  EXPECT_EQ(c.up_block_types[1], UpBlockType::CrossAttn);
  EXPECT_EQ(c.n_temp_heads, 2);
  EXPECT_EQ(c.cross_attention_dim, (std::vector<int64_t>{24, 24}));
  EXPECT_EQ(c.time_embed_dim, 128);
  EXPECT_TRUE(c.use_linear_projection);
  EXPECT_TRUE(c.augment_temporal_attention);
  EXPECT_TRUE(c.use_frame_stride_condition);
  // to_json round-trips.
  auto c2 = UNetConfig::from_json(c.to_json());
  EXPECT_EQ(c2.block_out_channels, c.block_out_channels);
  EXPECT_EQ(c2.heads, c.heads);
  EXPECT_EQ(c2.layers_per_block, c.layers_per_block);
}

TEST(UNetConfig, RejectsUnsupportedValuesNamingTheKey) {
  const auto base = io::read_json_file(kUNetDir + "/config.json");
  auto reject = [&](const std::string& key, const nlohmann::json& value) {
    auto j = base;
    j[key] = value;
    const auto msg = error_of([&] { UNetConfig::from_json(j, "cfg.json"); });
    EXPECT_NE(msg.find("'" + key + "'"), std::string::npos) << key << " -> " << msg;
    EXPECT_NE(msg.find("cfg.json"), std::string::npos) << msg;
  };
  reject("first_frame_condition_mode", "conv2d");
  reject("temp_pos_embedding", "sinusoidal");
  reject("use_temporal", false);
  reject("down_block_types", {"CrossAttnDownBlock2D", "AttnDownBlock2D"});
  reject("up_block_types", {"UpBlock2D"});
  reject("mid_block_type", "UNetMidBlock2DSimpleCrossAttn");
  reject("attention_head_dim", {3, 4});       // 32 channels are not divisible into 3 heads
  reject("n_temp_heads", 5);
  reject("block_out_channels", {32, 48});     // 48 is not a multiple of 32 groups
  reject("class_embed_type", "timestep");
  reject("resnet_time_scale_shift", "scale_shift");
  reject("num_attention_heads", 8);
  reject("act_fn", "gelu");
  reject("time_embedding_act_fn", "silu");
  reject("layers_per_block", "two");
  // sizes that would allocate gigabytes before the checkpoint's shapes are compared
  reject("layers_per_block", 20000);
  reject("conv_in_kernel", 20001);
  reject("block_out_channels", {32, 1048576});
  reject("transformer_layers_per_block", 1000);
  reject("downsample_padding", 200);  // every downsampling conv padded by 200: a generation that never ended
}

TEST(UNetConfig, ReleasedConfiguration) {
  auto c = UNetConfig::released();
  EXPECT_EQ(c.block_out_channels, (std::vector<int64_t>{320, 640, 1280, 1280}));
  EXPECT_EQ(c.heads, (std::vector<int64_t>{5, 10, 20, 20}));
  EXPECT_EQ(c.n_temp_heads, 8);
  EXPECT_EQ(c.cross_attention_dim, (std::vector<int64_t>(4, 1024)));
  EXPECT_EQ(c.time_embed_dim, 1280);
  EXPECT_EQ(c.n_frames, 16);
}

// ---------------------------------------------------------------- architecture size

TEST(VideoUNet, ReleasedArchitectureOnMetaDeviceHasTheExactSize) {
  // Built on the meta device: shapes only, no 5 GB allocation.
  VideoUNet unet(UNetConfig::released(), torch::TensorOptions().dtype(torch::kFloat32).device(torch::kMeta));
  std::map<std::string, std::vector<int64_t>> shapes;
  for (const auto& p : unet->named_parameters(true)) {
    EXPECT_TRUE(p.value().is_meta()) << p.key();
    shapes[p.key()] = sizes(p.value());
  }
  for (const auto& b : unet->named_buffers(true)) shapes[b.key()] = sizes(b.value());
  EXPECT_EQ(shapes.size(), 1397u);
  EXPECT_EQ(io::count_parameters(*unet), 1249975241u);

  auto expect_shape = [&](const std::string& k, std::vector<int64_t> want) {
    auto it = shapes.find(k);
    ASSERT_NE(it, shapes.end()) << "no key " << k;
    EXPECT_EQ(it->second, want) << k;
  };
  expect_shape("conv_in.weight", {320, 4, 3, 3});
  expect_shape("time_embedding.linear_1.weight", {1280, 320});
  expect_shape("frame_stride_embedding.linear_2.weight", {1280, 1280});
  expect_shape("conv_norm_out.weight", {320});
  expect_shape("conv_out.weight", {4, 320, 3, 3});
  expect_shape("down_blocks.1.resnets.0.conv_shortcut.weight", {640, 320, 1, 1});
  expect_shape("down_blocks.1.resnets.0.time_emb_proj.weight", {640, 1280});
  expect_shape("down_blocks.1.conv3ds.0.alpha", {1});
  expect_shape("down_blocks.1.conv3ds.0.conv1.weight", {640, 640, 3, 1, 1});
  expect_shape("down_blocks.1.conv3ds.0.time_emb_proj.weight", {640, 512});
  expect_shape("down_blocks.1.attentions.0.proj_in.weight", {640, 640});
  expect_shape("down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.weight", {640, 1024});
  expect_shape("down_blocks.1.attentions.0.transformer_blocks.0.ff.net.0.proj.weight", {5120, 640});
  expect_shape("down_blocks.1.attentions.0.transformer_blocks.0.ff.net.2.weight", {640, 2560});
  expect_shape("down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_out.0.bias", {640});
  expect_shape("down_blocks.1.tempo_attns.0.alpha", {1});
  expect_shape("down_blocks.1.tempo_attns.0.transformer_blocks.0.attn1.rotary_emb.freqs", {160});
  expect_shape("down_blocks.1.tempo_attns.0.transformer_blocks.0.attn1.rotary_bias.relative_attention_bias.weight", {32, 8});
  expect_shape("down_blocks.1.tempo_attns.0.transformer_blocks.0.attn2.rotary_emb.freqs", {160});
  expect_shape("down_blocks.2.downsamplers.0.conv.weight", {1280, 1280, 3, 3});
  expect_shape("mid_block.attentions.0.transformer_blocks.0.attn1.to_q.weight", {1280, 1280});
  expect_shape("mid_block.conv3ds.1.conv2.weight", {1280, 1280, 3, 1, 1});
  expect_shape("up_blocks.0.resnets.0.conv1.weight", {1280, 2560, 3, 3});
  expect_shape("up_blocks.1.resnets.2.conv1.weight", {1280, 1920, 3, 3});
  expect_shape("up_blocks.2.resnets.0.conv1.weight", {640, 1920, 3, 3});
  expect_shape("up_blocks.2.resnets.2.conv_shortcut.weight", {640, 960, 1, 1});
  expect_shape("up_blocks.3.resnets.0.conv1.weight", {320, 960, 3, 3});
  expect_shape("up_blocks.3.resnets.2.conv1.weight", {320, 640, 3, 3});
  expect_shape("up_blocks.2.upsamplers.0.conv.weight", {640, 640, 3, 3});
  expect_shape("up_blocks.3.tempo_attns.2.transformer_blocks.0.attn1.rotary_emb.freqs", {80});
  EXPECT_EQ(shapes.count("down_blocks.0.resnets.0.conv_shortcut.weight"), 0u);
  EXPECT_EQ(shapes.count("down_blocks.3.downsamplers.0.conv.weight"), 0u);
  EXPECT_EQ(shapes.count("down_blocks.3.attentions.0.norm.weight"), 0u);
  EXPECT_EQ(shapes.count("mid_block.tempo_attns.0.alpha"), 0u);
  EXPECT_EQ(shapes.count("up_blocks.3.upsamplers.0.conv.weight"), 0u);
  EXPECT_EQ(shapes.count("up_blocks.0.attentions.0.norm.weight"), 0u);

  // The meta-device key check accepts exactly these shapes and names a wrong one.
  io::StateDict sd;
  for (const auto& [k, s] : shapes) sd.insert(k, torch::empty(s, torch::TensorOptions().device(torch::kMeta)));
  EXPECT_NE(check_video_unet_keys(UNetConfig::released(), sd, "meta").find("all 1397 tensors"), std::string::npos);
  sd.insert("up_blocks.1.resnets.2.conv1.weight", torch::empty({1280, 2560, 3, 3}, torch::TensorOptions().device(torch::kMeta)));
  const auto msg = error_of([&] { check_video_unet_keys(UNetConfig::released(), sd, "meta"); });
  EXPECT_NE(msg.find("up_blocks.1.resnets.2.conv1.weight"), std::string::npos) << msg;
}

// ---------------------------------------------------------------- loading

TEST(VideoUNet, FixtureLoadsWithEveryKeyAccountedFor) {
  auto comp = unet_component_from_dir(kUNetDir);
  auto sd = io::StateDict::from_files(comp.weight_files);
  EXPECT_EQ(sd.size(), 595u);
  VideoUNet unet = fixture_unet();  // load_module throws on any missing / unexpected / mis-shaped key
  size_t n = 0;
  for (const auto& p : unet->named_parameters(true)) {
    ++n;
    ASSERT_TRUE(sd.contains(p.key())) << p.key();
    EXPECT_TRUE(torch::equal(p.value(), sd.get(p.key()))) << p.key();
  }
  n += unet->named_buffers(true).size();
  EXPECT_EQ(n, sd.size());
  EXPECT_NE(check_video_unet_keys(unet->config(), sd, "fixture").find("all 595 tensors"), std::string::npos);
}

TEST(VideoUNet, TorchSaveCheckpointWithModulePrefixGivesTheSameOutput) {
  auto comp = unet_component_from_dir(kUNetDir);
  auto sd = io::StateDict::from_files(comp.weight_files);
  c10::Dict<std::string, at::Tensor> dict;
  for (const auto& k : sd.keys()) dict.insert("module." + k, sd.get(k).contiguous());
  const auto bytes = torch::jit::pickle_save(c10::IValue(dict));
  const auto path = temp_path("unet_module_prefixed.bin");
  {
    std::ofstream f(path, std::ios::binary);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  auto a = fixture_unet();
  auto b = load_video_unet(comp.config, {path});
  auto in = random_inputs(a->config(), 1, 3, 8, 8, 7);
  auto ya = a->forward(in.sample, 501, in.text, in.first, 3);
  auto yb = b->forward(in.sample, 501, in.text, in.first, 3);
  EXPECT_TRUE(torch::equal(ya, yb));
  ci2v::remove_tree(fs::path(path).parent_path());
}

TEST(VideoUNet, BrokenCheckpointsFailNamingTheKey) {
  auto comp = unet_component_from_dir(kUNetDir);
  const auto good = io::StateDict::from_files(comp.weight_files);
  auto cfg = UNetConfig::from_json(comp.config);
  auto copy_except = [&](const std::string& skip) {
    io::StateDict sd;
    for (const auto& k : good.keys())
      if (k != skip) sd.insert(k, good.get(k));
    return sd;
  };
  const std::string removed = "down_blocks.0.tempo_attns.1.transformer_blocks.0.attn1.to_k.weight";
  const std::string renamed = "up_blocks.1.conv3ds.2.conv2.bias";
  const std::string reshaped = "mid_block.resnets.1.conv1.weight";
  ASSERT_TRUE(good.contains(removed));
  ASSERT_TRUE(good.contains(renamed));
  ASSERT_TRUE(good.contains(reshaped));
  {
    VideoUNet unet(cfg);
    auto msg = error_of([&] { load_video_unet_weights(*unet, copy_except(removed), "ckpt-A"); });
    EXPECT_NE(msg.find("missing"), std::string::npos) << msg;
    EXPECT_NE(msg.find(removed), std::string::npos) << msg;
    EXPECT_NE(msg.find("ckpt-A"), std::string::npos) << msg;
  }
  {
    VideoUNet unet(cfg);
    auto sd = copy_except(renamed);
    sd.insert("up_blocks.1.conv3ds.2.conv_2.bias", good.get(renamed));
    auto msg = error_of([&] { load_video_unet_weights(*unet, sd, "ckpt-B"); });
    EXPECT_NE(msg.find(renamed), std::string::npos) << msg;                          // missing
    EXPECT_NE(msg.find("up_blocks.1.conv3ds.2.conv_2.bias"), std::string::npos) << msg;  // unexpected
  }
  {
    VideoUNet unet(cfg);
    auto sd = copy_except(reshaped);
    auto w = good.get(reshaped);
    sd.insert(reshaped, w.narrow(1, 0, w.size(1) - 1).contiguous());
    auto msg = error_of([&] { load_video_unet_weights(*unet, sd, "ckpt-C"); });
    EXPECT_NE(msg.find(reshaped), std::string::npos) << msg;
    EXPECT_NE(msg.find("shape"), std::string::npos) << msg;
  }
}

// ---------------------------------------------------------------- forward behaviour

TEST(VideoUNet, OutputShapeAndInputChecks) {
  auto unet = fixture_unet();
  auto in = random_inputs(unet->config(), 2, 4, 8, 8, 1);
  auto y = unet->forward(in.sample, 801, in.text, in.first, 3);
  EXPECT_EQ(sizes(y), (std::vector<int64_t>{2, 4, 4, 8, 8}));
  EXPECT_TRUE(torch::isfinite(y).all().item<bool>());
  auto msg = error_of([&] { unet->forward(in.sample, 801, in.text, in.first.narrow(3, 0, 4), 3); });
  EXPECT_NE(msg.find("first_frame_latents"), std::string::npos) << msg;
  msg = error_of([&] { unet->forward(in.sample.select(2, 0), 801, in.text, in.first, 3); });
  EXPECT_NE(msg.find("sample"), std::string::npos) << msg;
  msg = error_of([&] { unet->forward(in.sample, 801, in.text.narrow(2, 0, 16), in.first, 3); });
  EXPECT_NE(msg.find("cross_attention_dim"), std::string::npos) << msg;
}

TEST(VideoUNet, VideosInABatchDoNotMix) {
  // The config says n_frames 6; the runtime frame count (3 + 1) must be used in every reshape.
  auto unet = fixture_unet();
  auto in = random_inputs(unet->config(), 2, 3, 8, 8, 2);
  auto both = unet->forward(in.sample, 401, in.text, in.first, 3);
  for (int64_t b = 0; b < 2; ++b) {
    auto one = unet->forward(in.sample.narrow(0, b, 1), 401, in.text.narrow(0, b, 1), in.first.narrow(0, b, 1), 3);
    EXPECT_LT((one - both.narrow(0, b, 1)).abs().max().item<double>(), 1e-5) << "video " << b;
  }
}

TEST(VideoUNet, PerVideoTimestepsAndStridesMatchSeparateCalls) {
  // Training batches mix noise levels and frame strides: video b of the batch equals its own scalar call.
  auto unet = fixture_unet();
  auto in = random_inputs(unet->config(), 3, 3, 8, 8, 4);
  const std::vector<int64_t> ts = {17, 401, 960}, strides = {1, 3, 5};
  auto batch = unet->forward(in.sample, torch::tensor(ts), in.text, in.first, torch::tensor(strides));
  for (int64_t b = 0; b < 3; ++b) {
    auto one = unet->forward(in.sample.narrow(0, b, 1), ts[b], in.text.narrow(0, b, 1), in.first.narrow(0, b, 1),
                             strides[b]);
    EXPECT_LT((one - batch.narrow(0, b, 1)).abs().max().item<double>(), 1e-5) << "video " << b;
  }
  // Equal values are the scalar forward exactly.
  auto scalar = unet->forward(in.sample, 401, in.text, in.first, 3);
  auto same = unet->forward(in.sample, torch::full({3}, 401, torch::kInt64), in.text, in.first,
                            torch::full({3}, 3, torch::kInt64));
  EXPECT_TRUE(torch::equal(scalar, same));
  // One value per video, or a clear error.
  auto msg = error_of([&] { unet->forward(in.sample, torch::tensor(std::vector<int64_t>{1, 2}), in.text, in.first, torch::tensor(strides)); });
  EXPECT_NE(msg.find("timesteps must hold one value per video (3)"), std::string::npos) << msg;
}

TEST(VideoUNet, FirstFrameConditionsEveryFrame) {
  auto unet = fixture_unet();
  auto in = random_inputs(unet->config(), 1, 3, 8, 8, 3);
  auto y0 = unet->forward(in.sample, 301, in.text, in.first, 3);
  auto y1 = unet->forward(in.sample, 301, in.text, in.first + 0.5, 3);
  for (int64_t f = 0; f < 3; ++f)
    EXPECT_GT((y0.select(2, f) - y1.select(2, f)).abs().max().item<double>(), 1e-4) << "frame " << f;
  // The frame stride is an input of the network.
  auto y2 = unet->forward(in.sample, 301, in.text, in.first, 5);
  EXPECT_GT((y0 - y2).abs().max().item<double>(), 1e-5);
}

TEST(VideoUNet, SizesNotMultipleOfTheUpsamplingFactor) {
  auto unet = fixture_unet();  // 2 levels: one upsampler, factor 2
  auto in = random_inputs(unet->config(), 1, 2, 5, 7, 4);
  auto y = unet->forward(in.sample, 11, in.text, in.first, 3);
  EXPECT_EQ(sizes(y), (std::vector<int64_t>{1, 4, 2, 5, 7}));
  EXPECT_TRUE(torch::isfinite(y).all().item<bool>());
}

TEST(VideoUNet, UnusedWeightsAreNeverUsedAndAlphaIsClamped) {
  auto unet = fixture_unet();
  auto in = random_inputs(unet->config(), 1, 3, 8, 8, 5);
  auto ref = unet->forward(in.sample, 601, in.text, in.first, 3);
  {
    torch::NoGradGuard ng;
    for (auto& p : unet->named_parameters(true)) {
      const auto& k = p.key();
      if (k.find("rotary_bias") != std::string::npos ||
          (k.find("conv3ds") != std::string::npos && k.find("time_emb_proj") != std::string::npos))
        p.value().fill_(123.0);
    }
  }
  EXPECT_TRUE(torch::equal(ref, unet->forward(in.sample, 601, in.text, in.first, 3)));
  {
    torch::NoGradGuard ng;
    auto& a = unet->down_v[0]->conv3d_v[0]->alpha;
    const double orig = a.item<double>();
    a.fill_(1.0);
    auto at_one = unet->forward(in.sample, 601, in.text, in.first, 3);
    a.fill_(7.5);  // clamped to 1
    EXPECT_TRUE(torch::equal(at_one, unet->forward(in.sample, 601, in.text, in.first, 3)));
    a.fill_(orig);
    auto& t = unet->up_v[1]->tempo_v[0]->alpha;
    t.fill_(0.0);
    auto at_zero = unet->forward(in.sample, 601, in.text, in.first, 3);
    t.fill_(-3.0);  // clamped to 0
    EXPECT_TRUE(torch::equal(at_zero, unet->forward(in.sample, 601, in.text, in.first, 3)));
  }
}

TEST(VideoUNet, ConvertsToBFloat16WithTo) {
  auto unet = fixture_unet();
  auto in = random_inputs(unet->config(), 1, 3, 8, 8, 6);
  auto ref = unet->forward(in.sample, 701, in.text, in.first, 3);
  unet->to(torch::kBFloat16);
  EXPECT_EQ(unet->dtype(), torch::kBFloat16);
  for (const auto& p : unet->named_parameters(true)) EXPECT_EQ(p.value().scalar_type(), torch::kBFloat16) << p.key();
  auto y = unet->forward(in.sample, 701, in.text, in.first, 3);  // fp32 inputs are cast to the model's dtype
  EXPECT_EQ(y.scalar_type(), torch::kBFloat16);
  const double err = (y.to(torch::kFloat32) - ref).abs().max().item<double>();
  const double scale = ref.abs().max().item<double>();
  // the parity runner's bound for bf16 (40 unit roundoffs of the output scale, 15.6 %): how close CPU bf16 comes
  // depends on the CPU's kernels (0.113 of the scale on an AMD EPYC with AVX2 only, LibTorch 1.13)
  EXPECT_LT(err, parity::reduced_precision_bound(torch::kBFloat16, scale))
      << "bf16 vs fp32 max error " << err << " (output scale " << scale << ")";
  EXPECT_GT(err, 0.0);  // the model did run in bf16
}

// ---------------------------------------------------------------- building blocks

TEST(UNetBlocks, SinusoidIsCosFirst) {
  auto e = sinusoidal_embedding(torch::tensor({0, 801}, torch::kInt64), 8, true, 0);
  ASSERT_EQ(sizes(e), (std::vector<int64_t>{2, 8}));
  for (int i = 0; i < 4; ++i) {
    EXPECT_FLOAT_EQ(e[0][i].item<float>(), 1.0f);      // cos(0)
    EXPECT_FLOAT_EQ(e[0][4 + i].item<float>(), 0.0f);  // sin(0)
  }
  // f_1 = exp(-ln(10000) / 4) = 0.1: cos(80.1), sin(80.1)
  EXPECT_NEAR(e[1][1].item<double>(), std::cos(80.1), 1e-4);
  EXPECT_NEAR(e[1][5].item<double>(), std::sin(80.1), 1e-4);
}

TEST(UNetBlocks, RotaryRotatesInterleavedPairsOfTheFirstHalfOnly) {
  RotaryEmbedding rope(4, torch::TensorOptions());  // dim 4 -> freqs [1, 0.01], rotates channels 0..3
  EXPECT_NEAR(rope->freqs[0].item<double>(), 1.0, 1e-7);
  EXPECT_NEAR(rope->freqs[1].item<double>(), 0.01, 1e-7);
  auto x = torch::arange(1, 9, torch::kFloat32).view({1, 1, 8}).repeat({1, 3, 1});  // [1, 3 positions, 8]
  auto [c, s] = rope->tables(3, 8, x);
  EXPECT_EQ(sizes(c), (std::vector<int64_t>{3, 8}));
  auto y = apply_rotary(x, c, s);
  EXPECT_TRUE(torch::equal(y[0][0], x[0][0]));                          // position 0: identity
  EXPECT_TRUE(torch::equal(y.narrow(2, 4, 4), x.narrow(2, 4, 4)));      // second half untouched
  const double p = 2, a = 1, b = 2;                                     // pair (x0, x1) at position 2, angle 2
  EXPECT_NEAR(y[0][2][0].item<double>(), a * std::cos(p) - b * std::sin(p), 1e-6);
  EXPECT_NEAR(y[0][2][1].item<double>(), b * std::cos(p) + a * std::sin(p), 1e-6);
  EXPECT_NEAR(y[0][2][2].item<double>(), 3 * std::cos(0.02) - 4 * std::sin(0.02), 1e-6);
  EXPECT_NEAR(y[0][2][3].item<double>(), 4 * std::cos(0.02) + 3 * std::sin(0.02), 1e-6);
  // a permuted (non-contiguous) input as the temporal attention passes it gives the same rotation
  auto two = torch::cat({x, x * 2});  // [2, 3, 8]
  auto xt = two.transpose(0, 1).contiguous().transpose(0, 1);
  ASSERT_FALSE(xt.is_contiguous());
  EXPECT_TRUE(torch::allclose(apply_rotary(xt, c, s), apply_rotary(two, c, s)));
  EXPECT_TRUE(torch::allclose(apply_rotary(xt, c, s)[0], y[0]));
}

TEST(UNetBlocks, RotaryTablesAreCachedUntilTheFrequenciesChange) {
  RotaryEmbedding rope(4, torch::TensorOptions());
  auto x = torch::zeros({2, 5, 8});
  auto [c1, s1] = rope->tables(5, 8, x);
  auto [c2, s2] = rope->tables(5, 8, x);
  EXPECT_TRUE(c1.is_same(c2));  // a step builds no tables
  EXPECT_TRUE(s1.is_same(s2));
  auto [c16, s16] = rope->tables(5, 8, x.to(torch::kBFloat16));
  EXPECT_EQ(c16.scalar_type(), torch::kBFloat16);
  // bf16 activations with fp32 tables (autocast) promote to fp32, as the reference's ops do
  auto xb = torch::randn({2, 5, 8}).to(torch::kBFloat16);
  auto yb = apply_rotary(xb, c1, s1);
  EXPECT_EQ(yb.scalar_type(), torch::kFloat32);
  EXPECT_TRUE(torch::allclose(yb, apply_rotary(xb.to(torch::kFloat32), c1, s1)));
  EXPECT_FALSE(c16.is_same(c1));
  auto [c3, s3] = rope->tables(3, 8, x);
  EXPECT_EQ(c3.size(0), 3);
  {
    torch::NoGradGuard ng;
    rope->freqs.copy_(torch::tensor({0.5f, 0.25f}));  // what loading a checkpoint does
  }
  auto [c4, s4] = rope->tables(5, 8, x);
  EXPECT_FALSE(c4.is_same(c1));
  EXPECT_NEAR(c4[2][0].item<double>(), std::cos(1.0), 1e-6);   // position 2 x freq 0.5
  EXPECT_NEAR(s4[2][3].item<double>(), std::sin(0.5), 1e-6);   // position 2 x freq 0.25, second of its pair
  EXPECT_NEAR(s4[2][2].item<double>(), -std::sin(0.5), 1e-6);  // first of the pair: the sign of -b sin
}

TEST(UNetBlocks, FirstFrameWindowIsRowMajorWithReplicatePadding) {
  auto idx = first_frame_window_index(3, 4, torch::kCPU).view({12, 8});
  // pixel (0,0): (-1,-1)->(0,0) (-1,0)->(0,0) (-1,1)->(0,1) (0,-1)->(0,0) (0,1)->(0,1) (1,-1)->(1,0) (1,0) (1,1)
  EXPECT_EQ(sizes(idx[0]), (std::vector<int64_t>{8}));
  std::vector<int64_t> want0{0, 0, 1, 0, 1, 4, 4, 5};
  std::vector<int64_t> want5{0, 1, 2, 4, 6, 8, 9, 10};  // pixel (1,1), interior
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(idx[0][i].item<int64_t>(), want0[i]) << i;
    EXPECT_EQ(idx[5][i].item<int64_t>(), want5[i]) << i;
  }
  // pixel (2,3), bottom-right corner
  std::vector<int64_t> want11{6, 7, 7, 10, 11, 10, 11, 11};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(idx[11][i].item<int64_t>(), want11[i]) << i;
}

TEST(UNetBlocks, ChunkedAttentionEqualsOneShot) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(9);
  auto q = at::randn({3, 2, 40, 8}, gen, torch::kFloat32);
  auto k = at::randn({3, 2, 30, 8}, gen, torch::kFloat32);
  auto v = at::randn({3, 2, 30, 8}, gen, torch::kFloat32);
  const auto ref = nn::attention(q, k, v);
  set_attention_score_budget(2 * 40 * 30);  // one video per piece
  auto by_batch = attend(q, k, v);
  set_attention_score_budget(2 * 30 * 7);   // pieces of 7 queries
  auto by_query = attend(q, k, v);
  set_attention_score_budget(int64_t(1) << 26);
  EXPECT_LT((by_batch - ref).abs().max().item<double>(), 1e-6);
  EXPECT_LT((by_query - ref).abs().max().item<double>(), 1e-6);
}

// ---------------------------------------------------------------- golden parity

TEST(VideoUNet, ParityWithTheReference) {
  parity::Options opt;
  opt.fixtures = kFixtures;
  opt.only = {"unet_step", "unet_step_b"};
  std::ostringstream out;
  auto results = parity::run(opt, out);
  ASSERT_EQ(results.size(), 2u) << out.str();
  for (const auto& r : results) {
    EXPECT_TRUE(r.pass) << out.str();
    EXPECT_GE(r.checks.size(), 2u) << r.name;
  }
}

TEST(UNetBlocks, AlphaBlendIsTheClampedMixInOneDtypeOrMixed) {
  auto x = torch::randn({2, 3, 4}), o = torch::randn({2, 3, 4});
  for (float a : {-0.5f, 0.0f, 0.3f, 0.7f, 1.0f, 1.5f}) {
    auto alpha = torch::full({1}, a);
    const float c = std::clamp(a, 0.0f, 1.0f);
    auto want = c * x + (1 - c) * o;
    auto got = ci2v::nn::alpha_blend(alpha, x, o);  // fp32 throughout: the lerp path
    EXPECT_TRUE(torch::allclose(got, want, 1e-6, 1e-6)) << "alpha " << a;
    if (c == 1.0f) EXPECT_TRUE(torch::equal(got, x));  // the learned gate fully open: the input, exactly
    if (c == 0.0f) EXPECT_TRUE(torch::equal(got, o));
    // bf16 activations with an fp32 alpha (autocast training) promote to fp32, as the reference's expression does
    auto mixed = ci2v::nn::alpha_blend(alpha, x.to(torch::kBFloat16), o.to(torch::kBFloat16));
    EXPECT_EQ(mixed.scalar_type(), torch::kFloat32);
    EXPECT_TRUE(torch::allclose(mixed, c * x.to(torch::kBFloat16).to(torch::kFloat) +
                                           (1 - c) * o.to(torch::kBFloat16).to(torch::kFloat), 1e-5, 1e-5));
  }
}

TEST(UNetBlocks, TemporalConvolutionModeAutoIsGemmOnCudaAndConvolutionOnTheCpu) {
  using ci2v::unet::TemporalConvMode;
  const auto before = ci2v::unet::temporal_conv_mode();
  ci2v::unet::set_temporal_conv_mode(TemporalConvMode::Auto);
  EXPECT_EQ(ci2v::unet::temporal_conv_mode_for(torch::Device(torch::kCPU)), TemporalConvMode::Conv3d);
  EXPECT_EQ(ci2v::unet::temporal_conv_mode_for(torch::Device(torch::kCUDA, 0)), TemporalConvMode::Gemm);
  ci2v::unet::set_temporal_conv_mode(TemporalConvMode::Gemm);  // forced: the same on every device
  EXPECT_EQ(ci2v::unet::temporal_conv_mode_for(torch::Device(torch::kCPU)), TemporalConvMode::Gemm);
  ci2v::unet::set_temporal_conv_mode(TemporalConvMode::Conv3d);
  EXPECT_EQ(ci2v::unet::temporal_conv_mode_for(torch::Device(torch::kCUDA, 0)), TemporalConvMode::Conv3d);
  ci2v::unet::set_temporal_conv_mode(before);
}

TEST(UNetBlocks, TemporalConvolutionByGemmAndByConv2dEqualConv3d) {
  torch::manual_seed(7);
  const auto before = ci2v::unet::temporal_conv_mode();
  ci2v::nn::TemporalConv conv(6, 5, 3, torch::TensorOptions());
  {
    torch::NoGradGuard ng;
    conv->weight.normal_();
    conv->bias.normal_();
  }
  for (int64_t T : {1, 2, 5}) {
    auto x = torch::randn({2 * T, 6, 3, 4});  // [B*T, C, h, w], B = 2
    // the definition: conv3d over [B, C, T, h, w] with (3, 1, 1) kernels and zero padding 1 in time
    auto v = x.view({2, T, 6, 3, 4}).permute({0, 2, 1, 3, 4});
    auto want = at::conv3d(v, conv->weight, conv->bias, {1, 1, 1}, {1, 0, 0}).permute({0, 2, 1, 3, 4}).reshape({2 * T, 5, 3, 4});
    ci2v::unet::set_temporal_conv_mode(ci2v::unet::TemporalConvMode::Conv3d);  // on the CPU: the conv2d route
    EXPECT_LT((ci2v::unet::temporal_conv_frames(*conv, x, T) - want).abs().max().item<double>(), 1e-5) << "T " << T;
    auto got = ci2v::unet::temporal_conv_gemm(*conv, x, T);
    EXPECT_EQ(sizes(got), sizes(want));
    EXPECT_LT((got - want).abs().max().item<double>(), 1e-5) << "T " << T;
    ci2v::unet::set_temporal_conv_mode(ci2v::unet::TemporalConvMode::Gemm);
    EXPECT_LT((ci2v::unet::temporal_conv_frames(*conv, x, T) - want).abs().max().item<double>(), 1e-5);
    // a channels-last input takes the NHWC product and gives a channels-last result
    auto nhwc = ci2v::unet::temporal_conv_frames(*conv, x.contiguous(at::MemoryFormat::ChannelsLast), T);
    EXPECT_TRUE(nhwc.is_contiguous(at::MemoryFormat::ChannelsLast));
    EXPECT_FALSE(nhwc.is_contiguous());
    EXPECT_LT((nhwc - want).abs().max().item<double>(), 1e-5) << "T " << T;
    ci2v::unet::set_temporal_conv_mode(ci2v::unet::TemporalConvMode::Conv3d);
  }
  {
    // the packed weight slices are cached per layout: an in-place change of the weight (a load, an optimiser
    // step) or a new storage (channels-last) must be seen
    torch::NoGradGuard ng;
    auto x = torch::randn({6, 6, 3, 4});
    const auto storage_of = [](const torch::Tensor& t) { return t.storage().unsafeGetStorageImpl(); };
    for (int round = 0; round < 4; ++round) {
      if (round == 1) conv->weight.mul_(-2);
      if (round == 2) conv->weight.set_data(conv->weight.clone().mul_(0.5));  // new storage, same version
      if (round == 3) conv->weight.copy_(torch::randn_like(conv->weight));    // a reload into the aliased weight
      const auto values = conv->weight.clone();
      auto v = x.view({2, 3, 6, 3, 4}).permute({0, 2, 1, 3, 4});
      auto want = at::conv3d(v, conv->weight, conv->bias, {1, 1, 1}, {1, 0, 0}).permute({0, 2, 1, 3, 4}).reshape({6, 5, 3, 4});
      EXPECT_LT((ci2v::unet::temporal_conv_gemm(*conv, x, 3) - want).abs().max().item<double>(), 1e-5) << round;
      // the weight is held once: it is now a view of the NCHW route's packing, with its values unchanged
      EXPECT_EQ(storage_of(conv->weight), storage_of(conv->packed_rows.w)) << round;
      EXPECT_FALSE(conv->weight.is_contiguous()) << round;
      EXPECT_TRUE(conv->weight.equal(values)) << round;
      auto nhwc = ci2v::unet::temporal_conv_gemm(*conv, x.contiguous(at::MemoryFormat::ChannelsLast), 3);
      EXPECT_LT((nhwc - want).abs().max().item<double>(), 1e-5) << round;
      EXPECT_EQ(storage_of(conv->weight), storage_of(conv->packed_cols.w)) << round;
      EXPECT_FALSE(conv->packed_rows.w.defined()) << round;  // one packing at a time
      EXPECT_TRUE(conv->weight.equal(values)) << round;
      // the state dict still holds the weight as loaded
      EXPECT_TRUE(conv->named_parameters()["weight"].equal(values)) << round;
    }
  }
  ci2v::unet::set_temporal_conv_mode(before);
  // gradients flow through the Gemm route as through the convolution (the trainer may use either)
  auto x = torch::randn({6, 6, 2, 2}, torch::requires_grad());
  conv->weight.set_requires_grad(true);
  auto g1 = torch::autograd::grad({ci2v::unet::temporal_conv_gemm(*conv, x, 3).pow(2).sum()}, {x, conv->weight});
  auto g2 = torch::autograd::grad({ci2v::unet::temporal_conv_frames(*conv, x, 3).pow(2).sum()}, {x, conv->weight});
  EXPECT_LT((g1[0] - g2[0]).abs().max().item<double>(), 1e-4);
  EXPECT_LT((g1[1] - g2[1]).abs().max().item<double>(), 1e-3);
}

// ---------------------------------------------------------------- loading checks before allocating

namespace {

// Counts the bytes LibTorch's CPU allocator hands out while installed (forwards to the allocator it replaced).
class CountingCpuAllocator : public c10::Allocator {
public:
  // c10 replaces an allocator only with one of the same or a higher priority: each change goes one higher.
  CountingCpuAllocator() : base_(c10::GetCPUAllocator()) { c10::SetCPUAllocator(this, ++priority_); }
  ~CountingCpuAllocator() override { c10::SetCPUAllocator(base_, ++priority_); }
  // LibTorch 1.x declares allocate() const, 2.x non-const: one of these two overrides it.
  c10::DataPtr allocate(size_t n) const { return counted(n); }
  c10::DataPtr allocate(size_t n) { return counted(n); }
  c10::DeleterFnPtr raw_deleter() const override { return base_->raw_deleter(); }
  void copy_data(void* dest, const void* src, std::size_t count) const { std::memcpy(dest, src, count); }  // 2.3+
  size_t bytes() const { return bytes_.load(); }

private:
  static inline uint8_t priority_ = 100;
  c10::Allocator* base_;
  mutable std::atomic<size_t> bytes_{0};
  c10::DataPtr counted(size_t n) const {
    bytes_ += n;
    return base_->allocate(n);
  }
};

// A fixture component whose config asks for `scale` times the channels its weights have.
io::Component scaled_component(const std::string& name, const std::function<void(nlohmann::json&)>& scale) {
  io::Component c = io::open_model_folder(kFixtures + "/tiny_pipeline").get(name);
  scale(c.config);
  return c;
}

}  // namespace

// A checkpoint that does not fit the network its config describes (here: a config asking for many more channels,
// the mistake of a config from one model beside the weights of another) is refused by a check on the meta device
// before the network is allocated: the bytes allocated while it fails are a small part of what the network needs.
TEST(Loading, ACheckpointThatDoesNotFitItsConfigIsRefusedBeforeTheNetworkIsAllocated) {
  struct Case {
    std::string name;
    std::function<void(nlohmann::json&)> scale;
    std::function<void(const io::Component&)> load;
    std::function<size_t(const io::Component&)> network_bytes;  // what the network of the scaled config holds
    std::string mismatched_key;
  };
  auto meta_bytes = [](const torch::nn::Module& m) {
    size_t n = 0;
    for (const auto& p : m.parameters(true)) n += static_cast<size_t>(p.numel()) * 4;
    return n;
  };
  const auto meta = torch::TensorOptions().device(torch::kMeta);
  std::vector<Case> cases = {
      {"unet", [](nlohmann::json& j) { j["block_out_channels"] = {128, 256}; },
       [](const io::Component& c) { load_video_unet(c); },
       [&](const io::Component& c) { return meta_bytes(*VideoUNet(UNetConfig::from_json(c.config), meta)); },
       "conv_in.weight"},
      {"vae", [](nlohmann::json& j) { j["block_out_channels"] = {128, 256, 256, 256}; },
       [](const io::Component& c) { vae::load_autoencoder_kl(c); },
       [&](const io::Component& c) { return meta_bytes(*vae::AutoencoderKL(vae::VaeConfig::from_json(c.config), meta)); },
       "encoder.conv_in.weight"},
      {"text_encoder", [](nlohmann::json& j) { j["hidden_size"] = 384; j["intermediate_size"] = 1024; },
       [](const io::Component& c) { text::load_clip_text_model(c); },
       [&](const io::Component& c) { return meta_bytes(*text::ClipTextModel(text::ClipTextConfig::from_json(c.config), meta)); },
       "token_embedding.weight"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    const io::Component c = scaled_component(k.name, k.scale);
    const size_t needed = k.network_bytes(c);
    ASSERT_GT(needed, size_t(20) << 20);  // large enough to tell an allocation from the reading of headers
    std::string msg;
    size_t allocated = 0;
    {
      CountingCpuAllocator counting;
      msg = error_of([&] { k.load(c); });
      allocated = counting.bytes();
    }
    EXPECT_NE(msg.find("shape mismatch"), std::string::npos) << msg;
    EXPECT_NE(msg.find(k.mismatched_key), std::string::npos) << msg;
    EXPECT_NE(msg.find(c.dir), std::string::npos) << msg;
    EXPECT_LT(allocated, needed / 10) << "allocated " << allocated << " bytes of the network's " << needed;
    std::printf("[   INFO   ] %s: refused after allocating %.2f MB (the network needs %.1f MB)\n", k.name.c_str(),
                allocated / 1048576.0, needed / 1048576.0);
  }
  // The counter sees a load that does allocate: the fixture UNet with its own config.
  CountingCpuAllocator counting;
  const VideoUNet unet = fixture_unet();
  size_t weights = 0;
  for (const auto& p : unet->parameters(true)) weights += static_cast<size_t>(p.numel()) * 4;
  EXPECT_GE(counting.bytes(), weights);
}
