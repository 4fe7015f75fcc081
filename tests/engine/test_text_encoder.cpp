// CLIP text encoder: loading (key rules of model-reference §1.9 / §5.1), config validation, forward behaviour,
// reduced precision on the CPU and the full SD-2.1 parameter count.
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
#include "engine/text/clip_text_model.h"

namespace fs = std::filesystem;
using ci2v::Error;
using namespace ci2v;

namespace {

const std::string kTextDir = std::string(CONSISTI2V_FIXTURES) + "/tiny_pipeline/text_encoder";
const std::string kCase = std::string(CONSISTI2V_FIXTURES) + "/cases/text_encoder.safetensors";

// A fresh temporary folder, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    static std::atomic<int> n{0};
    path = fs::temp_directory_path() /
           ("ci2v_text_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    ci2v::remove_tree(path, ec);
  }
};

std::map<std::string, torch::Tensor> fixture_tensors() {
  auto sd = io::StateDict::from_file(kTextDir + "/model.safetensors");
  std::map<std::string, torch::Tensor> m;
  for (const auto& k : sd.keys()) m[k] = sd.get(k);
  return m;
}

// Write config.json (copied from the fixture) and model.safetensors with `tensors` into `dir`.
void write_component(const fs::path& dir, const std::map<std::string, torch::Tensor>& tensors,
                     const nlohmann::json& config) {
  std::ofstream(dir / "config.json") << config.dump(2);
  io::save_tensors_safetensors(tensors, (dir / "model.safetensors").string());
}

nlohmann::json fixture_config() { return io::read_json_file(kTextDir + "/config.json"); }

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

class TextEncoder : public ::testing::Test {
protected:
  void SetUp() override { at::set_num_threads(2); }
};

}  // namespace

TEST_F(TextEncoder, FixtureLoadsWithEveryKeyAccountedFor) {
  auto sd = io::StateDict::from_file(kTextDir + "/model.safetensors");
  auto model = text::load_clip_text_model(kTextDir);  // throws on any missing / unexpected / mis-shaped key
  const size_t tensors = model->named_parameters(true).size() + model->named_buffers(true).size();
  EXPECT_EQ(tensors, sd.size());
  EXPECT_TRUE(sd.contains("text_model.embeddings.position_ids"));
  auto pos = model->text_model->embeddings->position_ids;
  EXPECT_EQ(pos.scalar_type(), torch::kLong);
  EXPECT_TRUE(torch::equal(pos, sd.get("text_model.embeddings.position_ids")));
  // Every loaded tensor equals the file's.
  for (const auto& p : model->named_parameters(true))
    ASSERT_TRUE(torch::equal(p.value(), sd.get(p.key()))) << p.key();
}

TEST_F(TextEncoder, ReproducesTheReferenceOutput) {
  auto model = text::load_clip_text_model(kTextDir);
  auto c = io::StateDict::from_file(kCase);
  auto out = model->forward(c.get("input.input_ids"));
  auto want = c.get("output.last_hidden_state");
  ASSERT_EQ(out.sizes(), want.sizes());
  EXPECT_LT((out - want).abs().max().item<double>(), 1e-5);
}

TEST_F(TextEncoder, BrokenCheckpointNamesEveryBadKey) {
  auto t = fixture_tensors();
  ASSERT_EQ(t.erase("text_model.encoder.layers.0.mlp.fc1.bias"), 1u);                        // missing
  t["text_model.final_layer_norm.gamma"] = t.at("text_model.final_layer_norm.weight");     // renamed
  t.erase("text_model.final_layer_norm.weight");
  t["text_model.encoder.layers.1.self_attn.q_proj.weight"] = torch::zeros({24, 23});       // wrong shape
  TempDir d;
  write_component(d.path, t, fixture_config());
  const std::string msg = error_of([&] { text::load_clip_text_model(d.path.string()); });
  ASSERT_FALSE(msg.empty()) << "a broken checkpoint loaded";
  EXPECT_NE(msg.find("text_model.encoder.layers.0.mlp.fc1.bias"), std::string::npos) << msg;
  EXPECT_NE(msg.find("text_model.final_layer_norm.weight"), std::string::npos) << msg;
  EXPECT_NE(msg.find("text_model.final_layer_norm.gamma"), std::string::npos) << msg;
  EXPECT_NE(msg.find("text_model.encoder.layers.1.self_attn.q_proj.weight"), std::string::npos) << msg;
  EXPECT_NE(msg.find("[24, 23]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("model.safetensors"), std::string::npos) << "the message names the file: " << msg;
}

TEST_F(TextEncoder, CheckpointWithoutPrefixOrPositionIdsLoads) {
  const auto t = fixture_tensors();
  std::map<std::string, torch::Tensor> bare;
  for (const auto& [k, v] : t) {
    ASSERT_EQ(k.rfind("text_model.", 0), 0u) << k;
    if (k == "text_model.embeddings.position_ids") continue;  // newer transformers do not save it
    bare[k.substr(std::string("text_model.").size())] = v;
  }
  TempDir d;
  write_component(d.path, bare, fixture_config());
  auto a = text::load_clip_text_model(kTextDir);
  auto b = text::load_clip_text_model(d.path.string());
  auto ids = torch::randint(0, 49408, {2, 77}, torch::kLong);
  EXPECT_TRUE(torch::equal(a->forward(ids), b->forward(ids)));
  // A prefixed file with a stray unprefixed key is still checked strictly.
  auto extra = t;
  extra["final_layer_norm.weight"] = t.at("text_model.final_layer_norm.weight");
  TempDir d2;
  write_component(d2.path, extra, fixture_config());
  const std::string msg = error_of([&] { text::load_clip_text_model(d2.path.string()); });
  EXPECT_NE(msg.find("unexpected"), std::string::npos) << msg;
  EXPECT_NE(msg.find("final_layer_norm.weight"), std::string::npos) << msg;
}

// Stored position ids index the position embedding: values outside it, or floats, are refused at load naming the
// file and the key (they failed at the first prompt with "index out of range in self").
TEST_F(TextEncoder, StoredPositionIdsOutsideTheEmbeddingAreRefused) {
  const auto t = fixture_tensors();
  const int64_t max = fixture_config()["max_position_embeddings"].get<int64_t>();
  for (const torch::Tensor& bad : {torch::arange(max, torch::kLong).unsqueeze(0) * 1000000,
                                   torch::arange(max, torch::kLong).unsqueeze(0) - 1,
                                   torch::arange(max, torch::kFloat).unsqueeze(0)}) {
    auto changed = t;
    changed["text_model.embeddings.position_ids"] = bad;
    TempDir d;
    write_component(d.path, changed, fixture_config());
    const std::string msg = error_of([&] { text::load_clip_text_model(d.path.string()); });
    EXPECT_NE(msg.find("text_model.embeddings.position_ids' must hold integer positions 0.." + std::to_string(max - 1)),
              std::string::npos) << msg;
    EXPECT_NE(msg.find("model.safetensors"), std::string::npos) << msg;
  }
}

TEST_F(TextEncoder, BadConfigValuesAreRejectedByKey) {
  auto base = fixture_config();
  struct Bad {
    const char* key;
    nlohmann::json value;
  };
  for (const Bad& b : {Bad{"num_attention_heads", 5}, Bad{"hidden_act", "relu"}, Bad{"num_hidden_layers", 0},
                       Bad{"hidden_size", -24}, Bad{"layer_norm_eps", 0.0}, Bad{"max_position_embeddings", "77"},
                       // sizes that would allocate gigabytes before the checkpoint is compared
                       Bad{"num_hidden_layers", 200000}, Bad{"max_position_embeddings", 200000000},
                       Bad{"vocab_size", 100000000}}) {
    auto j = base;
    j[b.key] = b.value;
    const std::string msg = error_of([&] { text::ClipTextConfig::from_json(j, "x/config.json"); });
    ASSERT_FALSE(msg.empty()) << b.key << " = " << b.value.dump() << " was accepted";
    EXPECT_NE(msg.find(b.key), std::string::npos) << msg;
    EXPECT_NE(msg.find("x/config.json"), std::string::npos) << msg;
  }
  auto c = text::ClipTextConfig::from_json(base);
  EXPECT_EQ(c.hidden_size, 24);
  EXPECT_EQ(c.num_hidden_layers, 2);
  EXPECT_EQ(c.head_dim(), 12);
  EXPECT_EQ(c.hidden_act, "gelu");
}

TEST_F(TextEncoder, AttentionIsCausalAndActivationFollowsTheConfig) {
  auto model = text::load_clip_text_model(kTextDir);
  auto ids = torch::randint(0, 49408, {1, 77}, torch::kLong);
  auto changed = ids.clone();
  changed[0][50] = (ids[0][50].item<int64_t>() + 7) % 49408;
  auto a = model->forward(ids), b = model->forward(changed);
  // Positions before the changed token are untouched, the changed one and later ones move.
  EXPECT_TRUE(torch::equal(a.slice(1, 0, 50), b.slice(1, 0, 50)));
  EXPECT_GT((a.slice(1, 50) - b.slice(1, 50)).abs().max().item<double>(), 1e-3);
  // Shorter prompts use the first L positions: the outputs equal the first L of the full sequence.
  auto s = model->forward(ids.slice(1, 0, 20));
  EXPECT_LT((s - a.slice(1, 0, 20)).abs().max().item<double>(), 1e-5);
  // quick_gelu gives a different result than the exact GELU of the config.
  auto cfg = fixture_config();
  cfg["hidden_act"] = "quick_gelu";
  TempDir d;
  write_component(d.path, fixture_tensors(), cfg);
  auto q = text::load_clip_text_model(d.path.string());
  EXPECT_GT((q->forward(ids) - a).abs().max().item<double>(), 1e-4);
}

TEST_F(TextEncoder, BadInputsAreRejected) {
  auto model = text::load_clip_text_model(kTextDir);
  EXPECT_NE(error_of([&] { model->forward(torch::zeros({1, 78}, torch::kLong)); }).find("78 tokens"),
            std::string::npos);
  EXPECT_NE(error_of([&] { model->forward(torch::full({1, 77}, 49408, torch::kLong)); }).find("49408"),
            std::string::npos);
  EXPECT_NE(error_of([&] { model->forward(torch::zeros({77}, torch::kLong)); }).find("[77]"), std::string::npos);
  EXPECT_NE(error_of([&] { model->forward(torch::full({1, 77}, -1, torch::kInt)); }).find("token id -1"),
            std::string::npos);
  // int32 ids are the same ids
  const auto ids = io::StateDict::from_file(kCase).get("input.input_ids");
  EXPECT_TRUE(torch::equal(model->forward(ids.to(torch::kInt)), model->forward(ids)));
}

TEST_F(TextEncoder, Bfloat16RunsOnTheCpu) {
  auto f32 = text::load_clip_text_model(kTextDir);
  auto bf16 = text::load_clip_text_model(kTextDir, torch::kCPU, torch::kBFloat16);
  EXPECT_EQ(bf16->text_model->embeddings->position_ids.scalar_type(), torch::kLong);
  auto ids = io::StateDict::from_file(kCase).get("input.input_ids");
  auto a = f32->forward(ids);
  auto b = bf16->forward(ids);
  EXPECT_EQ(b.scalar_type(), torch::kBFloat16);
  ASSERT_TRUE(torch::isfinite(b).all().item<bool>());
  // bf16 keeps ~3 significant digits; outputs are O(1) after the final LayerNorm.
  EXPECT_LT((b.to(torch::kFloat) - a).abs().max().item<double>(), 0.25);
  // Casting a float32 model keeps the integer position ids usable.
  f32->to(torch::kBFloat16);
  EXPECT_EQ(f32->text_model->embeddings->position_ids.scalar_type(), torch::kLong);
  EXPECT_TRUE(torch::equal(f32->forward(ids), b));
}

TEST_F(TextEncoder, CastKeepsPositionIdsExact) {
  // 300 positions: 257, 259, ... are not representable in bf16, so a cast of the buffer would corrupt them.
  nlohmann::json j = {{"hidden_size", 8}, {"intermediate_size", 16}, {"num_hidden_layers", 1},
                      {"num_attention_heads", 2}, {"max_position_embeddings", 300}, {"vocab_size", 10}};
  text::ClipTextModel m(text::ClipTextConfig::from_json(j));
  m->to(torch::kBFloat16);
  m->to(torch::kCPU, torch::kFloat16);
  auto pos = m->text_model->embeddings->position_ids;
  EXPECT_EQ(pos.scalar_type(), torch::kLong);
  EXPECT_EQ(m->text_model->final_layer_norm->weight.scalar_type(), torch::kFloat16);
  EXPECT_TRUE(torch::equal(pos, torch::arange(300, torch::kLong).unsqueeze(0)));
}

TEST_F(TextEncoder, Float16OnTheCpu) {
#if TORCH_VERSION_MAJOR >= 2
  auto f32 = text::load_clip_text_model(kTextDir);
  auto f16 = text::load_clip_text_model(kTextDir, torch::kCPU, torch::kFloat16);
  auto ids = io::StateDict::from_file(kCase).get("input.input_ids");
  auto b = f16->forward(ids);
  EXPECT_EQ(b.scalar_type(), torch::kFloat16);
  EXPECT_LT((b.to(torch::kFloat) - f32->forward(ids)).abs().max().item<double>(), 0.05);
#else
  // LibTorch 1.13 has no fp16 CPU kernels (conv, norms, addmm): the loader says so instead of failing mid-forward.
  const std::string msg = error_of([&] { text::load_clip_text_model(kTextDir, torch::kCPU, torch::kFloat16); });
  EXPECT_NE(msg.find("fp16"), std::string::npos) << msg;
  EXPECT_NE(msg.find("bf16"), std::string::npos) << msg;
#endif
}

TEST_F(TextEncoder, FullSizeConfigurationHasTheReleasedParameterCount) {
  // SD-2.1 / ConsistI2V text encoder (model-reference §1.5), built on the meta device: no memory allocated.
  nlohmann::json j = {{"hidden_size", 1024},     {"intermediate_size", 4096},      {"num_hidden_layers", 23},
                      {"num_attention_heads", 16}, {"max_position_embeddings", 77}, {"vocab_size", 49408},
                      {"hidden_act", "gelu"},    {"layer_norm_eps", 1e-5}};
  text::ClipTextModel m(text::ClipTextConfig::from_json(j), torch::TensorOptions().device(torch::kMeta));
  EXPECT_EQ(io::count_parameters(*m), 340387840u);
  EXPECT_EQ(m->named_parameters(true).size() + m->named_buffers(true).size(), 373u);
  EXPECT_TRUE(m->text_model->final_layer_norm->weight.is_meta());
  // Key names of the released file (model-reference §5.1).
  auto params = m->named_parameters(true);
  EXPECT_NE(params.find("text_model.encoder.layers.22.self_attn.out_proj.bias"), nullptr);
  EXPECT_NE(params.find("text_model.embeddings.token_embedding.weight"), nullptr);
  EXPECT_EQ(params.find("text_model.encoder.layers.23.mlp.fc1.weight"), nullptr);
}
