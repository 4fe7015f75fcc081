// CLIP text encoder (transformers 4.25.1 `CLIPTextModel`), inference only.
//
// Module tree (mirrors the checkpoint keys, model-reference §5.1):
//   text_model.embeddings.{token_embedding.weight, position_embedding.weight, position_ids}
//   text_model.encoder.layers.{i}.{layer_norm1, self_attn.{q,k,v,out}_proj, layer_norm2, mlp.{fc1,fc2}}.{weight,bias}
//   text_model.final_layer_norm.{weight,bias}
// Forward: token + position embedding -> N pre-LN encoder layers (causal self-attention, q scaled by
// head_dim^-0.5 before the product, additive mask = the dtype's most negative finite value strictly above the
// diagonal; MLP fc1 -> activation from `hidden_act` -> fc2) -> final LayerNorm = last_hidden_state.
// No attention mask: padding tokens are processed like any other token (as the pipeline does).
//
// Checkpoints may carry the `text_model.` prefix (transformers 4.x) or not (newer saves); both load.
// `text_model.embeddings.position_ids` (int64 [1, max_position_embeddings]) is a buffer; it stays int64 when
// the module is cast with to(dtype).
#pragma once
#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <string>

#include "engine/io/diffusers_folder.h"
#include "engine/io/state_dict.h"
#include "engine/nn/layers.h"
#include "engine/text/clip_tokenizer.h"

namespace ci2v::text {

using torch::Tensor;

struct ClipTextConfig {
  int64_t vocab_size = 49408;
  int64_t hidden_size = 1024;
  int64_t intermediate_size = 4096;
  int64_t num_hidden_layers = 23;
  int64_t num_attention_heads = 16;
  int64_t max_position_embeddings = 77;
  double layer_norm_eps = 1e-5;
  std::string hidden_act = "gelu";  // gelu (exact erf) | quick_gelu | gelu_new / gelu_pytorch_tanh (tanh approx.)

  // Reads a transformers CLIPTextConfig json (missing keys keep the defaults above, which are the SD-2.1 /
  // ConsistI2V values). Throws ci2v::Error naming `where` and the key for a value that cannot work
  // (non-positive sizes, hidden_size not divisible by num_attention_heads, unknown hidden_act, ...).
  static ClipTextConfig from_json(const nlohmann::json& j, const std::string& where = "text_encoder/config.json");
  int64_t head_dim() const { return hidden_size / num_attention_heads; }
};

// Multi-head causal self-attention with biased q/k/v/out projections.
struct ClipAttentionImpl : torch::nn::Module {
  ClipAttentionImpl(const ClipTextConfig& c, const torch::TensorOptions& o);
  Tensor forward(const Tensor& x, const Tensor& causal_mask) const;  // x: [B, L, D], mask: [1, 1, L, L]
  nn::Linear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, out_proj{nullptr};
  int64_t heads, head_dim;
};
TORCH_MODULE(ClipAttention);

struct ClipMlpImpl : torch::nn::Module {
  ClipMlpImpl(const ClipTextConfig& c, const torch::TensorOptions& o);
  Tensor forward(const Tensor& x) const;  // [B, L, D] -> [B, L, D]
  nn::Linear fc1{nullptr}, fc2{nullptr};
  std::string act;
};
TORCH_MODULE(ClipMlp);

// Pre-LN transformer layer: x + attn(LN1(x)), then x + mlp(LN2(x)).
struct ClipEncoderLayerImpl : torch::nn::Module {
  ClipEncoderLayerImpl(const ClipTextConfig& c, const torch::TensorOptions& o);
  Tensor forward(const Tensor& x, const Tensor& causal_mask) const;
  ClipAttention self_attn{nullptr};
  nn::LayerNorm layer_norm1{nullptr}, layer_norm2{nullptr};
  ClipMlp mlp{nullptr};
};
TORCH_MODULE(ClipEncoderLayer);

struct ClipTextEmbeddingsImpl : torch::nn::Module {
  ClipTextEmbeddingsImpl(const ClipTextConfig& c, const torch::TensorOptions& o);
  Tensor forward(const Tensor& input_ids) const;  // [B, L] int64 -> [B, L, D]
  // Casting the module keeps the integer position_ids buffer int64.
  void to(torch::Device device, torch::Dtype dtype, bool non_blocking = false) override;
  void to(torch::Dtype dtype, bool non_blocking = false) override;
  void to(torch::Device device, bool non_blocking = false) override;
  nn::Embedding token_embedding{nullptr}, position_embedding{nullptr};
  Tensor position_ids;  // [1, max_position_embeddings] int64, 0..max-1
};
TORCH_MODULE(ClipTextEmbeddings);

struct ClipEncoderImpl : torch::nn::Module {
  ClipEncoderImpl(const ClipTextConfig& c, const torch::TensorOptions& o);
  Tensor forward(const Tensor& x, const Tensor& causal_mask) const;
  torch::nn::ModuleList layers{nullptr};
};
TORCH_MODULE(ClipEncoder);

// The `text_model` submodule (transformers' CLIPTextTransformer).
struct ClipTextTransformerImpl : torch::nn::Module {
  ClipTextTransformerImpl(const ClipTextConfig& c, const torch::TensorOptions& o);
  Tensor forward(const Tensor& input_ids) const;  // [B, L] -> last_hidden_state [B, L, D]
  ClipTextEmbeddings embeddings{nullptr};
  ClipEncoder encoder{nullptr};
  nn::LayerNorm final_layer_norm{nullptr};
};
TORCH_MODULE(ClipTextTransformer);

// CLIPTextModel. Parameters are created uninitialised with options `o` (use torch::kMeta to count parameters
// without allocating). forward() runs without autograd.
class ClipTextModelImpl : public torch::nn::Module {
public:
  explicit ClipTextModelImpl(const ClipTextConfig& c, const torch::TensorOptions& o = {});
  // input_ids [B, L] (int64, L <= max_position_embeddings, ids < vocab_size) -> last_hidden_state [B, L, D]
  // in the module's dtype, on the module's device (the ids are moved there).
  Tensor forward(const Tensor& input_ids);
  const ClipTextConfig& config() const { return config_; }
  ClipTextTransformer text_model{nullptr};

private:
  ClipTextConfig config_;
};
TORCH_MODULE(ClipTextModel);

// Fill `model` from a state dict whose keys carry the `text_model.` prefix or none (if any key starts with
// `text_model.`, the prefixed form is assumed). Throws one ci2v::Error (io::load_module) listing every
// missing / unexpected / mis-shaped key, with `what` naming the source.
// `between` (optional): called before each tensor is read; what it throws (a cancel) stops the load.
void load_clip_text_weights(ClipTextModelImpl& model, const io::StateDict& sd, const std::string& what,
                            bool shapes_only = false, const io::LoadStep& between = {});

// Build from the component's config.json, load its weight files (CPU, fp32), then move to device/dtype
// (fp32, fp16 or bf16) and switch to eval mode.
// Every id of the tokenizer's vocab.json is a row of the text encoder's embedding (config 'vocab_size'): a
// tokenizer from another model fails here, naming both folders, not at the first prompt with that token.
void check_tokenizer_fits(const ClipTokenizer& tokenizer, const std::string& tokenizer_dir, const ClipTextConfig& cfg,
                          const std::string& text_encoder_dir);

// `between` (optional): also called before the network is allocated; what it throws (a cancel) stops the load.
ClipTextModel load_clip_text_model(const io::Component& c, torch::Device device = torch::kCPU,
                                   torch::ScalarType dtype = torch::kFloat32,
                                   const io::LoadStep& between = {});
// The same for a bare component folder (config.json + model.safetensors / pytorch_model.bin).
ClipTextModel load_clip_text_model(const std::string& dir, torch::Device device = torch::kCPU,
                                   torch::ScalarType dtype = torch::kFloat32);

}  // namespace ci2v::text
