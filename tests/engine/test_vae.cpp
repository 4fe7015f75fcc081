// AutoencoderKL: loading (key rules, deprecated attention names), config validation, the numerical pitfalls of
// model-reference §4/§10 (asymmetric downsampling pad, nearest upsampling, posterior, scaling, frame-by-frame
// decode), reduced precision on the CPU and the full SD-2.1 parameter count.
#include <gtest/gtest.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <unistd.h>

#include "engine/files.h"
#include "engine/error.h"
#include "engine/io/diffusers_folder.h"
#include "engine/io/state_dict.h"
#include "engine/model_check.h"
#include "engine/parity/parity.h"
#include "engine/vae/autoencoder_kl.h"

namespace fs = std::filesystem;
using ci2v::Error;
using namespace ci2v;

namespace {

const std::string kVaeDir = std::string(CONSISTI2V_FIXTURES) + "/tiny_pipeline/vae";
const std::string kCase = std::string(CONSISTI2V_FIXTURES) + "/cases/vae.safetensors";
const char* kWeights = "diffusion_pytorch_model.safetensors";

struct TempDir {
  fs::path path;
  TempDir() {
    static std::atomic<int> n{0};
    path = fs::temp_directory_path() / ("ci2v_vae_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    ci2v::remove_tree(path, ec);
  }
};

std::map<std::string, torch::Tensor> fixture_tensors() {
  auto sd = io::StateDict::from_file(kVaeDir + "/" + kWeights);
  std::map<std::string, torch::Tensor> m;
  for (const auto& k : sd.keys()) m[k] = sd.get(k);
  return m;
}

nlohmann::json fixture_config() { return io::read_json_file(kVaeDir + "/config.json"); }

void write_component(const fs::path& dir, const std::map<std::string, torch::Tensor>& tensors,
                     const nlohmann::json& config) {
  std::ofstream(dir / "config.json") << config.dump(2);
  io::save_tensors_safetensors(tensors, (dir / kWeights).string());
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

double max_diff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

class Vae : public ::testing::Test {
protected:
  void SetUp() override { at::set_num_threads(2); }
};

}  // namespace

TEST_F(Vae, FixtureLoadsWithEveryKeyAccountedFor) {
  auto sd = io::StateDict::from_file(kVaeDir + "/" + kWeights);
  auto vae = vae::load_autoencoder_kl(kVaeDir);  // throws on any missing / unexpected / mis-shaped key
  EXPECT_EQ(vae->named_parameters(true).size() + vae->named_buffers(true).size(), sd.size());
  for (const auto& p : vae->named_parameters(true)) ASSERT_TRUE(torch::equal(p.value(), sd.get(p.key()))) << p.key();
  EXPECT_EQ(vae->config().layers_per_block, 1);
  EXPECT_EQ(vae->config().downscale(), 8);
  EXPECT_DOUBLE_EQ(vae->config().scaling_factor, 0.18215);
  // The decoder has layers_per_block + 1 resnets per up block.
  EXPECT_TRUE(sd.contains("decoder.up_blocks.3.resnets.1.conv2.weight"));
  EXPECT_FALSE(sd.contains("decoder.up_blocks.3.resnets.2.conv2.weight"));
}

TEST_F(Vae, ReproducesTheReferenceOutputs) {
  auto vae = vae::load_autoencoder_kl(kVaeDir);
  auto c = io::StateDict::from_file(kCase);
  auto post = vae->encode_moments(c.get("input.x"));
  EXPECT_LT(max_diff(post.mean, c.get("output.mean")), 1e-4);
  EXPECT_LT(max_diff(post.logvar, c.get("output.logvar")), 1e-4);
  EXPECT_LT(max_diff(post.stddev, c.get("output.std")), 1e-4);
  EXPECT_LT(max_diff(post.sample(c.get("input.sample_eps")), c.get("output.sample")), 1e-4);
  EXPECT_LT(max_diff(vae->decode_unscaled(c.get("input.z")), c.get("output.decoded")), 1e-4);
}

TEST_F(Vae, BrokenCheckpointNamesEveryBadKey) {
  auto t = fixture_tensors();
  ASSERT_EQ(t.erase("encoder.conv_in.bias"), 1u);                          // missing
  t["decoder.conv_out.kernel"] = t.at("decoder.conv_out.weight");          // renamed
  t.erase("decoder.conv_out.weight");
  t["quant_conv.weight"] = torch::zeros({8, 7, 1, 1});                     // wrong shape
  TempDir d;
  write_component(d.path, t, fixture_config());
  const std::string msg = error_of([&] { vae::load_autoencoder_kl(d.path.string()); });
  ASSERT_FALSE(msg.empty()) << "a broken checkpoint loaded";
  for (const char* key : {"encoder.conv_in.bias", "decoder.conv_out.weight", "decoder.conv_out.kernel",
                          "quant_conv.weight", "[8, 7, 1, 1]", kWeights})
    EXPECT_NE(msg.find(key), std::string::npos) << key << " not in: " << msg;
  // `consisti2v info` reports the same through check_component.
  io::Component comp;
  comp.name = "vae";
  comp.class_name = "AutoencoderKL";
  comp.dir = d.path.string();
  comp.config = fixture_config();
  const std::string info = error_of([&] { check_component(comp, io::StateDict::from_file((d.path / kWeights).string())); });
  EXPECT_NE(info.find("quant_conv.weight"), std::string::npos) << info;
}

TEST_F(Vae, CheckComponentCountsEveryTensor) {
  auto mf = io::open_model_folder(std::string(CONSISTI2V_FIXTURES) + "/tiny_pipeline");
  for (const char* name : {"vae", "text_encoder"}) {
    const auto& comp = mf.get(name);
    auto sd = io::StateDict::from_files(comp.weight_files);
    const std::string r = check_component(comp, sd);
    EXPECT_EQ(r.rfind("all " + std::to_string(sd.size()) + " tensors match", 0), 0u) << r;
  }
}

TEST_F(Vae, DeprecatedAttentionNamesLoad) {
  auto t = fixture_tensors();
  std::map<std::string, torch::Tensor> old;
  for (const auto& [k, v] : t) {
    std::string n = k;
    for (const auto& [now, then] : std::map<std::string, std::string>{
             {".to_q.", ".query."}, {".to_k.", ".key."}, {".to_v.", ".value."}, {".to_out.0.", ".proj_attn."}}) {
      auto p = n.find("attentions.0" + now);
      if (p != std::string::npos) n.replace(p + std::string("attentions.0").size(), now.size(), then);
    }
    old[n] = v;
  }
  ASSERT_TRUE(old.count("encoder.mid_block.attentions.0.proj_attn.weight"));
  ASSERT_FALSE(old.count("encoder.mid_block.attentions.0.to_q.weight"));
  // Old LDM-era files store the projections as 1x1 conv weights.
  old["decoder.mid_block.attentions.0.query.weight"] =
      old["decoder.mid_block.attentions.0.query.weight"].unsqueeze(-1).unsqueeze(-1);
  TempDir d;
  write_component(d.path, old, fixture_config());
  auto a = vae::load_autoencoder_kl(kVaeDir);
  auto b = vae::load_autoencoder_kl(d.path.string());
  for (const auto& p : a->named_parameters(true))
    ASSERT_TRUE(torch::equal(p.value(), b->named_parameters(true)[p.key()])) << p.key();
}

TEST_F(Vae, BadConfigValuesAreRejectedByKey) {
  auto base = fixture_config();
  struct Bad {
    const char* key;
    nlohmann::json value;
  };
  for (const Bad& b : {Bad{"norm_num_groups", 7}, Bad{"layers_per_block", 0}, Bad{"scaling_factor", -1.0},
                       Bad{"act_fn", "relu"}, Bad{"block_out_channels", nlohmann::json::array()},
                       Bad{"block_out_channels", {16, 32, -32, 32}}, Bad{"latent_channels", 2.5},
                       Bad{"down_block_types", {"DownBlock2D", "DownBlock2D", "DownBlock2D", "DownBlock2D"}},
                       Bad{"up_block_types", {"UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D"}},
                       // the pipeline copies 3 channels per pixel out of the decoder (1 made it read past the video)
                       Bad{"out_channels", 1}, Bad{"in_channels", 4},
                       Bad{"layers_per_block", 100000}, Bad{"block_out_channels", {32, 32, 32, 100000}}}) {
    auto j = base;
    j[b.key] = b.value;
    const std::string msg = error_of([&] { vae::VaeConfig::from_json(j, "x/vae/config.json"); });
    ASSERT_FALSE(msg.empty()) << b.key << " = " << b.value.dump() << " was accepted";
    EXPECT_NE(msg.find(b.key), std::string::npos) << msg;
    EXPECT_NE(msg.find("x/vae/config.json"), std::string::npos) << msg;
  }
  // The loader reports the config file by path.
  auto j = base;
  j["norm_num_groups"] = 5;
  TempDir d;
  write_component(d.path, fixture_tensors(), j);
  const std::string msg = error_of([&] { vae::load_autoencoder_kl(d.path.string()); });
  EXPECT_NE(msg.find((d.path / "config.json").string()), std::string::npos) << msg;
  EXPECT_NE(msg.find("norm_num_groups"), std::string::npos) << msg;
}

TEST_F(Vae, DownsamplePadsOnlyRightAndBottom) {
  torch::NoGradGuard ng;
  vae::Downsample down(1, torch::TensorOptions());
  auto x = torch::arange(1, 17, torch::kFloat).view({1, 1, 4, 4});  // values 1..16, no zeros
  // Top-left tap: out[i, j] = x_pad[2i, 2j]: no shift, so the padding is not on the top/left.
  down->conv->weight.zero_();
  down->conv->bias.zero_();
  down->conv->weight[0][0][0][0] = 1;
  auto y = down->forward(x);
  ASSERT_EQ(y.sizes(), (std::vector<int64_t>{1, 1, 2, 2}));
  EXPECT_TRUE(torch::equal(y.flatten(), torch::tensor({1.f, 3.f, 9.f, 11.f})));
  // Bottom-right tap: out[i, j] = x_pad[2i+2, 2j+2]: the last row/column read the zero pad.
  down->conv->weight.zero_();
  down->conv->weight[0][0][2][2] = 1;
  y = down->forward(x);
  EXPECT_TRUE(torch::equal(y.flatten(), torch::tensor({11.f, 0.f, 0.f, 0.f})));
}

TEST_F(Vae, UpsampleIsNearestTimesTwo) {
  torch::NoGradGuard ng;
  vae::Upsample up(2, torch::TensorOptions());
  up->conv->weight.zero_();
  up->conv->bias.zero_();
  for (int c = 0; c < 2; ++c) up->conv->weight[c][c][1][1] = 1;  // identity conv
  auto x = torch::randn({3, 2, 5, 4});
  auto y = up->forward(x);
  EXPECT_TRUE(torch::equal(y, x.repeat_interleave(2, 2).repeat_interleave(2, 3)));
}

TEST_F(Vae, PosteriorScalingAndBatchedDecode) {
  auto vae = vae::load_autoencoder_kl(kVaeDir);
  auto c = io::StateDict::from_file(kCase);
  auto x = c.get("input.x"), eps = c.get("input.sample_eps"), z = c.get("input.z");
  auto post = vae->encode_moments(x);
  EXPECT_LE(post.logvar.max().item<double>(), 20.0);
  EXPECT_GE(post.logvar.min().item<double>(), -30.0);
  EXPECT_TRUE(torch::equal(post.stddev, at::exp(0.5 * post.logvar)));
  // encode = posterior sample (not the mean) times the scaling factor.
  auto enc = vae->encode(x, eps);
  EXPECT_TRUE(torch::equal(enc, (post.mean + post.stddev * eps) * 0.18215));
  EXPECT_GT(max_diff(enc, post.mean * 0.18215), 1e-4);
  EXPECT_NE(error_of([&] { vae->encode(x, eps.slice(0, 0, 1)); }).find("eps"), std::string::npos);
  // Frame-by-frame decoding equals decoding the whole batch.
  auto one = vae->decode_unscaled(z, 1);
  auto all = vae->decode_unscaled(z, 64);
  EXPECT_EQ(one.sizes(), (std::vector<int64_t>{z.size(0), 3, z.size(2) * 8, z.size(3) * 8}));
  EXPECT_LT(max_diff(one, all), 1e-5);
  // decode() divides by the scaling factor (as a multiplication by its reciprocal).
  EXPECT_LT(max_diff(vae->decode(z * 0.18215), one), 1e-4);
  EXPECT_NE(error_of([&] { vae->decode_unscaled(z, 0); }).find("batch"), std::string::npos);
  EXPECT_NE(error_of([&] { vae->decode_unscaled(z.slice(1, 0, 3)); }).find("[3, 3, 8, 8]"), std::string::npos);
}

TEST_F(Vae, DecodeVideoLayoutAndRange) {
  auto vae = vae::load_autoencoder_kl(kVaeDir);
  auto z = io::StateDict::from_file(kCase).get("input.z");  // [3, 4, h, w], unscaled
  // Video latents [B=1, 4, F=3, h, w], scaled as the pipeline holds them.
  auto latents = (z * 0.18215).permute({1, 0, 2, 3}).unsqueeze(0);
  auto video = vae->decode_video(latents);
  ASSERT_EQ(video.sizes(), (std::vector<int64_t>{1, 3, 3, z.size(2) * 8, z.size(3) * 8}));
  EXPECT_EQ(video.scalar_type(), torch::kFloat);
  EXPECT_GE(video.min().item<double>(), 0.0);
  EXPECT_LE(video.max().item<double>(), 1.0);
  for (int64_t f = 0; f < 3; ++f) {
    auto frame = (vae->decode(latents.select(2, f)) / 2 + 0.5).clamp(0, 1);  // [1, 3, H, W]
    EXPECT_LT(max_diff(video.select(2, f), frame), 1e-6) << "frame " << f;
  }
  // Two videos: row b*F + f of the flattened batch goes to video b, frame f.
  auto two = vae->decode_video(torch::cat({latents, latents.flip(2)}, 0), 2);
  EXPECT_LT(max_diff(two.select(0, 1).select(1, 0), video.select(0, 0).select(1, 2)), 1e-5);
}

TEST_F(Vae, Bfloat16RunsOnTheCpu) {
  auto f32 = vae::load_autoencoder_kl(kVaeDir);
  auto bf16 = vae::load_autoencoder_kl(kVaeDir, torch::kCPU, torch::kBFloat16);
  auto c = io::StateDict::from_file(kCase);
  auto m32 = f32->encode_moments(c.get("input.x")).mean;
  auto m16 = bf16->encode_moments(c.get("input.x")).mean;
  EXPECT_EQ(m16.scalar_type(), torch::kBFloat16);
  ASSERT_TRUE(torch::isfinite(m16).all().item<bool>());
  // the parity runner's bound for bf16 (40 unit roundoffs of the scale, 15.6 %): how close CPU bf16 comes depends
  // on the CPU's kernels (the decode 0.125 of its scale on an AMD EPYC with AVX2 only, LibTorch 1.13)
  const auto bound = [](const torch::Tensor& ref) {
    return parity::reduced_precision_bound(torch::kBFloat16, ref.abs().max().item<double>());
  };
  EXPECT_LT(max_diff(m16, m32), bound(m32));
  auto d32 = f32->decode_unscaled(c.get("input.z"));
  auto d16 = bf16->decode_unscaled(c.get("input.z"));
  EXPECT_EQ(d16.scalar_type(), torch::kBFloat16);
  EXPECT_LT(max_diff(d16, d32), bound(d32));
}

TEST_F(Vae, Float16OnTheCpu) {
#if TORCH_VERSION_MAJOR >= 2
  auto f32 = vae::load_autoencoder_kl(kVaeDir);
  auto f16 = vae::load_autoencoder_kl(kVaeDir, torch::kCPU, torch::kFloat16);
  auto z = io::StateDict::from_file(kCase).get("input.z");
  auto d32 = f32->decode_unscaled(z);
  auto d16 = f16->decode_unscaled(z);
  EXPECT_EQ(d16.scalar_type(), torch::kFloat16);
  EXPECT_LT(max_diff(d16, d32), 0.02 * d32.abs().max().item<double>());
#else
  // LibTorch 1.13 has no fp16 CPU convolution / GroupNorm: the loader says so instead of failing mid-forward.
  const std::string msg = error_of([&] { vae::load_autoencoder_kl(kVaeDir, torch::kCPU, torch::kFloat16); });
  EXPECT_NE(msg.find("fp16"), std::string::npos) << msg;
  EXPECT_NE(msg.find("bf16"), std::string::npos) << msg;
#endif
}

TEST_F(Vae, FullSizeConfigurationHasTheReleasedParameterCount) {
  // SD-2.1 VAE (model-reference §1.4), built on the meta device: no memory allocated.
  nlohmann::json j = {{"in_channels", 3},         {"out_channels", 3},       {"latent_channels", 4},
                      {"block_out_channels", {128, 256, 512, 512}},        {"layers_per_block", 2},
                      {"norm_num_groups", 32},    {"act_fn", "silu"},        {"scaling_factor", 0.18215}};
  vae::AutoencoderKL m(vae::VaeConfig::from_json(j), torch::TensorOptions().device(torch::kMeta));
  EXPECT_EQ(io::count_parameters(*m), 83653863u);
  EXPECT_EQ(m->named_parameters(true).size() + m->named_buffers(true).size(), 248u);
  EXPECT_TRUE(m->quant_conv->weight.is_meta());
  auto params = m->named_parameters(true);
  EXPECT_NE(params.find("decoder.up_blocks.3.resnets.2.conv2.weight"), nullptr);
  EXPECT_NE(params.find("encoder.down_blocks.2.downsamplers.0.conv.weight"), nullptr);
  EXPECT_EQ(params.find("encoder.down_blocks.3.downsamplers.0.conv.weight"), nullptr);
  EXPECT_EQ(params["decoder.mid_block.attentions.0.to_out.0.weight"].sizes(), (std::vector<int64_t>{512, 512}));
}
