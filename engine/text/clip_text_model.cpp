#include "engine/text/clip_text_model.h"

#include <cmath>
#include <limits>

#include <torch/version.h>

#include "engine/error.h"
#include "engine/io/config_json.h"

namespace ci2v::text {

namespace {

using io::config_positive_int;

std::string dims(const Tensor& t) {
  return shape_str(std::vector<int64_t>(t.sizes().begin(), t.sizes().end()));
}

}  // namespace

ClipTextConfig ClipTextConfig::from_json(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) throw Error(where + ": expected a JSON object with the CLIP text configuration");
  ClipTextConfig c;
  // upper bounds far above CLIP's (49408 tokens, 1024 wide, 23 layers, 77 positions)
  c.vocab_size = config_positive_int(j, "vocab_size", c.vocab_size, where, 1 << 19);
  c.hidden_size = config_positive_int(j, "hidden_size", c.hidden_size, where, 8192);
  c.intermediate_size = config_positive_int(j, "intermediate_size", c.intermediate_size, where, 32768);
  c.num_hidden_layers = config_positive_int(j, "num_hidden_layers", c.num_hidden_layers, where, 128);
  c.num_attention_heads = config_positive_int(j, "num_attention_heads", c.num_attention_heads, where, 256);
  c.max_position_embeddings = config_positive_int(j, "max_position_embeddings", c.max_position_embeddings, where, 4096);
  if (j.contains("layer_norm_eps") && !j["layer_norm_eps"].is_null()) {
    const auto& v = j["layer_norm_eps"];
    if (!v.is_number() || !(v.get<double>() > 0) || !std::isfinite(v.get<double>()))
      throw Error(where + ": 'layer_norm_eps' must be a positive number, got " + v.dump());
    c.layer_norm_eps = v.get<double>();
  }
  if (j.contains("hidden_act") && !j["hidden_act"].is_null()) {
    const auto& v = j["hidden_act"];
    if (!v.is_string()) throw Error(where + ": 'hidden_act' must be a string, got " + v.dump());
    c.hidden_act = v.get<std::string>();
    if (c.hidden_act != "gelu" && c.hidden_act != "quick_gelu" && c.hidden_act != "gelu_new" &&
        c.hidden_act != "gelu_pytorch_tanh")
      throw Error(where + ": 'hidden_act' \"" + c.hidden_act +
                  "\" is not supported (expected gelu, quick_gelu, gelu_new or gelu_pytorch_tanh)");
  }
  if (c.hidden_size % c.num_attention_heads != 0)
    throw Error(where + ": 'hidden_size' " + std::to_string(c.hidden_size) +
                " is not divisible by 'num_attention_heads' " + std::to_string(c.num_attention_heads));
  return c;
}

// ---- attention -------------------------------------------------------------------------------------------

ClipAttentionImpl::ClipAttentionImpl(const ClipTextConfig& c, const torch::TensorOptions& o)
    : heads(c.num_attention_heads), head_dim(c.head_dim()) {
  const int64_t d = c.hidden_size;
  k_proj = register_module("k_proj", nn::Linear(d, d, true, o));
  v_proj = register_module("v_proj", nn::Linear(d, d, true, o));
  q_proj = register_module("q_proj", nn::Linear(d, d, true, o));
  out_proj = register_module("out_proj", nn::Linear(d, d, true, o));
}

Tensor ClipAttentionImpl::forward(const Tensor& x, const Tensor& causal_mask) const {
  const int64_t B = x.size(0), L = x.size(1);
  const double scale = std::pow(static_cast<double>(head_dim), -0.5);
  // [B, L, D] -> [B, H, L, d]
  auto split = [&](const Tensor& t) { return t.view({B, L, heads, head_dim}).transpose(1, 2); };
  auto q = split(q_proj->forward(x) * scale);  // q scaled before the product, as transformers does
  auto k = split(k_proj->forward(x));
  auto v = split(v_proj->forward(x));
  auto o = nn::attention(q, k, v, /*scale=*/1.0, causal_mask);  // [B, H, L, d]
  o = o.transpose(1, 2).reshape({B, L, heads * head_dim});       // [B, L, D]
  return out_proj->forward(o);
}

// ---- MLP -------------------------------------------------------------------------------------------------

ClipMlpImpl::ClipMlpImpl(const ClipTextConfig& c, const torch::TensorOptions& o) : act(c.hidden_act) {
  fc1 = register_module("fc1", nn::Linear(c.hidden_size, c.intermediate_size, true, o));
  fc2 = register_module("fc2", nn::Linear(c.intermediate_size, c.hidden_size, true, o));
}

Tensor ClipMlpImpl::forward(const Tensor& x) const {
  auto h = fc1->forward(x);  // [B, L, I]
  if (act == "gelu") {
    h = at::gelu(h);  // exact erf GELU
  } else if (act == "quick_gelu") {
    h = h * at::sigmoid(h * 1.702);
  } else {
    h = at::gelu(h, "tanh");  // gelu_new / gelu_pytorch_tanh
  }
  return fc2->forward(h);  // [B, L, D]
}

// ---- encoder layer ---------------------------------------------------------------------------------------

ClipEncoderLayerImpl::ClipEncoderLayerImpl(const ClipTextConfig& c, const torch::TensorOptions& o) {
  self_attn = register_module("self_attn", ClipAttention(c, o));
  layer_norm1 = register_module("layer_norm1", nn::LayerNorm(c.hidden_size, c.layer_norm_eps, o));
  mlp = register_module("mlp", ClipMlp(c, o));
  layer_norm2 = register_module("layer_norm2", nn::LayerNorm(c.hidden_size, c.layer_norm_eps, o));
}

Tensor ClipEncoderLayerImpl::forward(const Tensor& x, const Tensor& causal_mask) const {
  auto h = x + self_attn->forward(layer_norm1->forward(x), causal_mask);  // [B, L, D]
  return h + mlp->forward(layer_norm2->forward(h));
}

// ---- embeddings ------------------------------------------------------------------------------------------

ClipTextEmbeddingsImpl::ClipTextEmbeddingsImpl(const ClipTextConfig& c, const torch::TensorOptions& o) {
  token_embedding = register_module("token_embedding", nn::Embedding(c.vocab_size, c.hidden_size, o));
  position_embedding =
      register_module("position_embedding", nn::Embedding(c.max_position_embeddings, c.hidden_size, o));
  position_ids = register_buffer(
      "position_ids", torch::arange(c.max_position_embeddings, o.dtype(torch::kLong)).unsqueeze(0));
}

// Module::to casts every buffer; keep the integer position ids exact (a copy taken before the cast).
void ClipTextEmbeddingsImpl::to(torch::Device device, torch::Dtype dtype, bool non_blocking) {
  auto ids = position_ids.clone();
  torch::nn::Module::to(device, dtype, non_blocking);
  position_ids.set_data(ids.to(device));
}
void ClipTextEmbeddingsImpl::to(torch::Dtype dtype, bool non_blocking) {
  auto ids = position_ids.clone();
  torch::nn::Module::to(dtype, non_blocking);
  position_ids.set_data(ids);
}
void ClipTextEmbeddingsImpl::to(torch::Device device, bool non_blocking) {
  torch::nn::Module::to(device, non_blocking);
}

Tensor ClipTextEmbeddingsImpl::forward(const Tensor& input_ids) const {
  const int64_t L = input_ids.size(1);
  auto pos = position_ids.slice(1, 0, L);  // [1, L]
  return token_embedding->forward(input_ids) + position_embedding->forward(pos);  // [B, L, D]
}

// ---- encoder / transformer -------------------------------------------------------------------------------

ClipEncoderImpl::ClipEncoderImpl(const ClipTextConfig& c, const torch::TensorOptions& o) {
  layers = register_module("layers", torch::nn::ModuleList());
  for (int64_t i = 0; i < c.num_hidden_layers; ++i) layers->push_back(ClipEncoderLayer(c, o));
}

Tensor ClipEncoderImpl::forward(const Tensor& x, const Tensor& causal_mask) const {
  Tensor h = x;
  for (const auto& m : *layers) h = m->as<ClipEncoderLayerImpl>()->forward(h, causal_mask);
  return h;
}

ClipTextTransformerImpl::ClipTextTransformerImpl(const ClipTextConfig& c, const torch::TensorOptions& o) {
  embeddings = register_module("embeddings", ClipTextEmbeddings(c, o));
  encoder = register_module("encoder", ClipEncoder(c, o));
  final_layer_norm = register_module("final_layer_norm", nn::LayerNorm(c.hidden_size, c.layer_norm_eps, o));
}

Tensor ClipTextTransformerImpl::forward(const Tensor& input_ids) const {
  auto h = embeddings->forward(input_ids);  // [B, L, D]
  const int64_t L = input_ids.size(1);
  // Causal additive mask [1, 1, L, L]: the dtype's most negative finite value strictly above the diagonal.
  double lowest = 0;
  switch (h.scalar_type()) {
    case torch::kFloat16: lowest = -65504.0; break;
    case torch::kBFloat16: lowest = static_cast<double>(std::numeric_limits<c10::BFloat16>::lowest()); break;
    case torch::kFloat64: lowest = std::numeric_limits<double>::lowest(); break;
    default: lowest = std::numeric_limits<float>::lowest(); break;
  }
  auto mask = torch::full({L, L}, lowest, h.options()).triu(1).view({1, 1, L, L});
  h = encoder->forward(h, mask);
  return final_layer_norm->forward(h);  // last_hidden_state [B, L, D]
}

ClipTextModelImpl::ClipTextModelImpl(const ClipTextConfig& c, const torch::TensorOptions& o) : config_(c) {
  text_model = register_module("text_model", ClipTextTransformer(c, o));
}

Tensor ClipTextModelImpl::forward(const Tensor& input_ids) {
  torch::NoGradGuard no_grad;
  if (input_ids.dim() != 2)
    throw Error("CLIP text model: input_ids must be [batch, tokens], got " + dims(input_ids));
  if (input_ids.size(1) > config_.max_position_embeddings || input_ids.size(1) == 0)
    throw Error("CLIP text model: " + std::to_string(input_ids.size(1)) + " tokens per prompt, expected 1.." +
                std::to_string(config_.max_position_embeddings) + " (max_position_embeddings)");
  if (c10::isFloatingType(input_ids.scalar_type()))
    throw Error("CLIP text model: input_ids must be an integer tensor");
  // checked where the ids are (host ids: no wait for the device), then moved
  auto ids = input_ids.to(torch::kLong);
  if (ids.numel() > 0) {
    const int64_t lo = ids.min().item<int64_t>(), hi = ids.max().item<int64_t>();
    if (lo < 0 || hi >= config_.vocab_size)
      throw Error("CLIP text model: token id " + std::to_string(lo < 0 ? lo : hi) + " outside the vocabulary [0, " +
                  std::to_string(config_.vocab_size) + ")");
  }
  return text_model->forward(nn::to_device_async(ids, text_model->final_layer_norm->weight.device()));
}

// ---- loading ---------------------------------------------------------------------------------------------

void load_clip_text_weights(ClipTextModelImpl& model, const io::StateDict& sd, const std::string& what, bool shapes_only,
                            const io::LoadStep& between) {
  bool prefixed = false;
  for (const auto& k : sd.keys())
    if (k.rfind("text_model.", 0) == 0) {
      prefixed = true;
      break;
    }
  io::LoadOptions opt;
  opt.what = what;
  opt.shapes_only = shapes_only;
  opt.between = between;
  // transformers >= 4.31 no longer saves the position_ids buffer: keep the default 0..max-1 then.
  const std::string pos_key = std::string(prefixed ? "text_model." : "") + "embeddings.position_ids";
  io::StateDict with_pos;
  const io::StateDict* src = &sd;
  if (sd.contains(pos_key)) {  // (read even when only shapes are checked: it is small, and `info` should see it)
    const torch::Tensor ids = sd.get(pos_key);
    const int64_t max = model.config().max_position_embeddings;
    const bool integral = !ids.is_floating_point() && !ids.is_complex() && ids.scalar_type() != torch::kBool;
    if (!integral || ids.numel() == 0 || ids.min().item<int64_t>() < 0 || ids.max().item<int64_t>() >= max)
      throw Error(sd.source(pos_key) + ": '" + pos_key + "' must hold integer positions 0.." + std::to_string(max - 1) +
                  " (the text's token positions), got " + (integral ? "values outside them" : "a " +
                  std::string(c10::toString(ids.scalar_type())) + " tensor"));
  } else {
    with_pos = sd.sub("");
    with_pos.insert(pos_key, torch::arange(model.config().max_position_embeddings, torch::kLong).unsqueeze(0),
                    "<default position_ids>");
    src = &with_pos;
  }
  if (prefixed) {
    io::load_module(model, *src, opt);
  } else {
    io::load_module(*model.text_model, *src, opt);  // keys without the prefix (newer transformers saves)
  }
}

void check_tokenizer_fits(const ClipTokenizer& tokenizer, const std::string& tokenizer_dir, const ClipTextConfig& cfg,
                          const std::string& text_encoder_dir) {
  if (tokenizer.max_token_id() >= cfg.vocab_size)
    throw Error(tokenizer_dir + "/vocab.json: token id " + std::to_string(tokenizer.max_token_id()) +
                " is outside the text encoder's vocabulary of " + std::to_string(cfg.vocab_size) + " ('vocab_size' in " +
                text_encoder_dir + "/config.json): the tokenizer and the text encoder do not belong together");
}

ClipTextModel load_clip_text_model(const io::Component& c, torch::Device device, torch::ScalarType dtype,
                                   const io::LoadStep& between) {
  const std::string cfg_where = c.dir + "/config.json";
  auto cfg = ClipTextConfig::from_json(c.config, cfg_where);
  if (c.weight_files.empty()) throw Error(c.dir + ": no text encoder weights (model.safetensors) found");
  if (dtype != torch::kFloat32 && dtype != torch::kFloat16 && dtype != torch::kBFloat16)
    throw Error("CLIP text model: dtype must be fp32, fp16 or bf16");
#if TORCH_VERSION_MAJOR < 2
  if (dtype == torch::kFloat16 && device.is_cpu())
    throw Error("CLIP text model: fp16 on the CPU needs LibTorch >= 2 (LibTorch " TORCH_VERSION
                " has no fp16 CPU kernels for conv/norm/matmul); use bf16 or fp32 on the CPU, or a CUDA device");
#endif
  auto sd = io::StateDict::from_files(c.weight_files);
  std::string what = c.name.empty() ? std::string("text_encoder") : c.name;
  what += " (" + c.weight_files.front() + (c.weight_files.size() > 1 ? ", ..." : "") + ")";
  {  // names and shapes first, on the meta device: nothing is allocated for a checkpoint that does not fit
    ClipTextModel meta(cfg, torch::TensorOptions().dtype(dtype).device(torch::kMeta));
    load_clip_text_weights(*meta, sd, what, /*shapes_only=*/true);
  }
  if (between) between(0);
  ClipTextModel model(cfg, torch::TensorOptions().dtype(dtype).device(device));
  load_clip_text_weights(*model, sd, what, /*shapes_only=*/false, between);
  model->eval();
  return model;
}

ClipTextModel load_clip_text_model(const std::string& dir, torch::Device device, torch::ScalarType dtype) {
  io::Component c;
  c.name = "text_encoder";
  c.dir = dir;
  c.config = io::read_json_file(dir + "/config.json");
  c.weight_files = io::find_weight_files(dir, "model", "", &c.weight_format);
  return load_clip_text_model(c, device, dtype);
}

}  // namespace ci2v::text
