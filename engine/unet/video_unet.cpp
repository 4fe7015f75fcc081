#include "engine/unet/video_unet.h"

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "engine/error.h"
#include "engine/nn/fused.h"
#include "engine/unet/attention.h"

namespace ci2v::unet {

VideoUNetImpl::VideoUNetImpl(const UNetConfig& cfg, const torch::TensorOptions& o_in) : cfg_(cfg) {
  const auto o = o_in.requires_grad(false);
  const size_t L = cfg.levels();
  const int64_t C0 = cfg.block_out_channels[0];
  conv_in = register_module("conv_in", nn::Conv2d(cfg.in_channels, C0, cfg.conv_in_kernel, 1, (cfg.conv_in_kernel - 1) / 2, true, o));
  time_embedding = register_module("time_embedding", TimestepEmbedding(C0, cfg.time_embed_dim, o));
  if (cfg.use_frame_stride_condition)
    frame_stride_embedding = register_module("frame_stride_embedding", TimestepEmbedding(C0, cfg.time_embed_dim, o));

  down_blocks = register_module("down_blocks", torch::nn::ModuleList());
  int64_t out_ch = C0;
  for (size_t i = 0; i < L; ++i) {
    const int64_t in_ch = out_ch;
    out_ch = cfg.block_out_channels[i];
    down_v.push_back(DownBlock(cfg, i, in_ch, /*add_downsample=*/i + 1 < L, o));
    down_blocks->push_back(down_v.back());
  }
  mid_block = register_module("mid_block", MidBlock(cfg, o));
  up_blocks = register_module("up_blocks", torch::nn::ModuleList());
  int64_t prev = cfg.block_out_channels[L - 1];
  for (size_t i = 0; i < L; ++i) {
    up_v.push_back(UpBlock(cfg, i, prev, /*add_upsample=*/i + 1 < L, o));
    up_blocks->push_back(up_v.back());
    prev = cfg.block_out_channels[L - 1 - i];
  }
  conv_norm_out = register_module("conv_norm_out", nn::GroupNorm(cfg.norm_num_groups, C0, cfg.norm_eps, o));
  conv_out = register_module("conv_out", nn::Conv2d(C0, cfg.out_channels, cfg.conv_out_kernel, 1, (cfg.conv_out_kernel - 1) / 2, true, o));
}

void VideoUNetImpl::use_channels_last(bool on) {
  nn::set_conv_weights_channels_last(*this, on);
  channels_last_ = on;
}

bool channels_last_default(const torch::Device& device) {
  if (!device.is_cuda()) return false;
  const char* env = std::getenv("CONSISTI2V_CHANNELS_LAST");
  return !(env && std::string(env) == "0");
}

void VideoUNetImpl::reset_rotary_frequencies() {
  for (auto& m : modules(/*include_self=*/false))
    if (auto* r = dynamic_cast<RotaryEmbeddingImpl*>(m.get())) r->reset_frequencies();
}

Tensor VideoUNetImpl::forward(const Tensor& sample_in, int64_t timestep, const Tensor& text_in,
                              const Tensor& first_in, int64_t frame_stride, Intermediates* cap) const {
  const int64_t B = sample_in.defined() && sample_in.dim() == 5 ? sample_in.size(0) : 1;
  const auto io = torch::TensorOptions().dtype(torch::kInt64).device(device());
  return forward(sample_in, at::full({B}, timestep, io), text_in, first_in, at::full({B}, frame_stride, io), cap);
}

Tensor VideoUNetImpl::forward(const Tensor& sample_in, const Tensor& timesteps, const Tensor& text_in,
                              const Tensor& first_in, const Tensor& frame_strides, Intermediates* cap) const {
  // Inference runs without autograd; a training run (engine/train) marks the parameters trainable and then
  // gets the graph. Both paths run the same operations.
  c10::optional<torch::NoGradGuard> no_grad;
  if (!conv_in->weight.requires_grad()) no_grad.emplace();
  const auto& c = cfg_;
  auto shape = [](const Tensor& t) { return shape_str(std::vector<int64_t>(t.sizes().begin(), t.sizes().end())); };
  if (!sample_in.defined() || sample_in.dim() != 5 || sample_in.size(1) != c.in_channels || sample_in.size(2) < 1)
    throw Error("VideoUNet: sample must be [B, " + std::to_string(c.in_channels) + ", frames, h, w], got " +
                (sample_in.defined() ? shape(sample_in) : std::string("nothing")));
  const int64_t B = sample_in.size(0), h = sample_in.size(3), w = sample_in.size(4);
  if (!first_in.defined() || first_in.dim() != 5 || first_in.size(0) != B || first_in.size(1) != c.in_channels ||
      first_in.size(2) != 1 || first_in.size(3) != h || first_in.size(4) != w)
    throw Error("VideoUNet: first_frame_latents must be [" + std::to_string(B) + ", " + std::to_string(c.in_channels) +
                ", 1, " + std::to_string(h) + ", " + std::to_string(w) + "] to match the sample, got " +
                (first_in.defined() ? shape(first_in) : std::string("nothing")));
  if (!text_in.defined() || text_in.dim() != 3 || text_in.size(0) != B)
    throw Error("VideoUNet: encoder_hidden_states must be [" + std::to_string(B) + ", tokens, width], got " +
                (text_in.defined() ? shape(text_in) : std::string("nothing")));
  for (size_t i = 0; i < c.levels(); ++i)
    if (text_in.size(2) != c.cross_attention_dim[i])
      throw Error("VideoUNet: encoder_hidden_states width is " + std::to_string(text_in.size(2)) +
                  ", the config's cross_attention_dim is " + std::to_string(c.cross_attention_dim[i]));

  const auto dev = device();
  const auto dt = dtype();
  const auto mo = torch::TensorOptions().dtype(dt).device(dev);
  const int64_t T = sample_in.size(2) + 1;  // the first frame is prepended
  const int64_t BT = B * T;

  // 1. [B, C, T, h, w] with the first frame in front, flattened to [B*T, C, h, w] (frame fastest).
  auto x = at::cat({first_in.to(mo), sample_in.to(mo)}, 2).permute({0, 2, 1, 3, 4}).reshape({BT, c.in_channels, h, w});
  if (channels_last_) x = x.contiguous(at::MemoryFormat::ChannelsLast);  // and so on through the network
  auto text = text_in.to(mo);  // [B, L, D]; the per-frame repeat of the reference is implicit

  // 2. Time and frame-stride embeddings, one row per frame (each video's values repeated over its T frames).
  auto per_frame = [&](const Tensor& v, const char* what) {
    if (!v.defined() || v.numel() != B)
      throw Error(std::string("VideoUNet: ") + what + " must hold one value per video (" + std::to_string(B) + "), got " +
                  (v.defined() ? shape(v) : std::string("nothing")));
    // each value T times, [BT] (an expand: no host synchronisation, unlike repeat_interleave on some versions)
    return v.reshape({B, 1}).to(dev, torch::kInt64).expand({B, T}).reshape({BT});
  };
  auto t_proj = sinusoidal_embedding(per_frame(timesteps, "timesteps"), c.block_out_channels[0], c.flip_sin_to_cos, c.freq_shift);
  record(cap, "time_proj.timestep", ".out", t_proj);
  auto emb = time_embedding->forward(t_proj.to(dt));  // [BT, time_embed_dim]
  record(cap, "time_embedding", ".out", emb);
  if (frame_stride_embedding) {
    auto fs_proj = sinusoidal_embedding(per_frame(frame_strides, "frame_strides"), c.block_out_channels[0], c.flip_sin_to_cos, c.freq_shift);
    record(cap, "time_proj.frame_stride", ".out", fs_proj);
    auto fs_emb = frame_stride_embedding->forward(fs_proj.to(dt));
    record(cap, "frame_stride_embedding", ".out", fs_emb);
    emb = emb + fs_emb;
  }
  record(cap, "emb", "", emb);

  BlockContext ctx{emb, text, T, cap};

  // 3. conv_in, down blocks.
  record(cap, "conv_in", ".in", x);
  x = conv_in->forward(x);  // [BT, C0, h, w]
  record(cap, "conv_in", ".out", x);
  std::vector<Tensor> skips{x};
  for (size_t i = 0; i < down_v.size(); ++i)
    x = down_v[i]->forward(x, ctx, skips, cap ? "down_blocks." + std::to_string(i) : std::string());

  // 4. mid block.
  x = mid_block->forward(x, ctx, "mid_block");

  // 5. up blocks; sizes that are not multiples of 2^upsamplers force each upsampler to the skip's size.
  const int64_t factor = int64_t(1) << (up_v.size() - 1);
  const bool forward_upsample_size = h % factor != 0 || w % factor != 0;
  for (size_t i = 0; i < up_v.size(); ++i) {
    const size_t n = up_v[i]->num_layers();
    if (skips.size() < n) throw Error("VideoUNet: internal error, too few skip tensors");
    std::vector<Tensor> res(skips.end() - static_cast<std::ptrdiff_t>(n), skips.end());
    skips.resize(skips.size() - n);
    std::vector<int64_t> size;
    if (i + 1 < up_v.size() && forward_upsample_size) size = {skips.back().size(2), skips.back().size(3)};
    x = up_v[i]->forward(x, ctx, std::move(res), size, cap ? "up_blocks." + std::to_string(i) : std::string());
  }

  // 6. GroupNorm -> SiLU -> conv_out, back to [B, out, T, h, w], frame 0 dropped.
  x = conv_norm_out->forward(x);
  record(cap, "conv_norm_out", ".out", x);
  x = at::silu(x);
  record(cap, "conv_act", ".out", x);
  x = conv_out->forward(x);  // [BT, out, h, w]
  record(cap, "conv_out", ".out", x);
  return x.reshape({B, T, c.out_channels, h, w}).permute({0, 2, 1, 3, 4}).narrow(2, 1, T - 1).contiguous();
}

void load_video_unet_weights(VideoUNetImpl& unet, io::StateDict sd, const std::string& what, bool shapes_only,
                             const io::LoadStep& between) {
  bool prefixed = false;
  for (const auto& k : sd.keys())
    if (k.find("module.") != std::string::npos) prefixed = true;
  if (prefixed) sd.remove_substring_from_keys("module.");
  io::LoadOptions opt;
  opt.what = what;
  opt.shapes_only = shapes_only;
  opt.between = between;
  io::load_module(unet, sd, opt);
}

io::Component unet_component_from_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  io::Component c;
  c.name = "unet";
  c.library = "diffusers";
  c.dir = fs::absolute(dir).lexically_normal().string();
  if (!c.dir.empty() && c.dir.back() == '/') c.dir.pop_back();
  c.config = io::read_json_file(c.dir + "/config.json");
  c.class_name = c.config.value("_class_name", std::string("VideoLDMUNet3DConditionModel"));
  c.weight_files = io::find_weight_files(c.dir, "diffusion_pytorch_model", "", &c.weight_format);
  if (c.weight_files.empty())
    throw Error(c.dir + ": no diffusion_pytorch_model.safetensors (or .bin) weights in the UNet folder");
  return c;
}

namespace {
// Builds the UNet of `cfg` on device/dtype, fills it from `files` (errors name `what`), ready for inference.
VideoUNet build_and_load(const UNetConfig& cfg, const std::vector<std::string>& files, torch::Device device,
                         torch::ScalarType dtype, const std::string& what,
                         const io::LoadStep& between = {}) {
  const auto sd = io::StateDict::from_files(files);
  check_video_unet_keys(cfg, sd, what);  // on the meta device: nothing is allocated for a checkpoint that does not fit
  if (between) between(0);
  VideoUNet unet(cfg, torch::TensorOptions().dtype(dtype).device(device));
  load_video_unet_weights(*unet, sd, what, /*shapes_only=*/false, between);
  unet->eval();
  if (channels_last_default(device)) unet->use_channels_last(true);
  return unet;
}
}  // namespace

VideoUNet load_video_unet(const nlohmann::json& config, const std::vector<std::string>& files, torch::Device device,
                          torch::ScalarType dtype) {
  if (files.empty()) throw Error("UNet: no weight files given");
  const std::string what = "unet (" + files.front() + (files.size() > 1 ? " + more" : "") + ")";
  return build_and_load(UNetConfig::from_json(config, what + " config"), files, device, dtype, what);
}

VideoUNet load_video_unet(const io::Component& c, torch::Device device, torch::ScalarType dtype,
                          const io::LoadStep& between) {
  if (c.weight_files.empty()) throw Error(c.dir + ": the UNet component has no weight files");
  return build_and_load(UNetConfig::from_json(c.config, c.dir + "/config.json"), c.weight_files, device, dtype,
                        "unet (" + c.dir + ")", between);
}

std::string check_video_unet_keys(const UNetConfig& cfg, const io::StateDict& sd, const std::string& what) {
  VideoUNet unet(cfg, torch::TensorOptions().dtype(torch::kFloat32).device(torch::kMeta));
  load_video_unet_weights(*unet, sd, what, /*shapes_only=*/true);
  size_t tensors = 0, params = 0;
  for (const auto& item : unet->named_parameters(true)) ++tensors, params += static_cast<size_t>(item.value().numel());
  for (const auto& item : unet->named_buffers(true)) ++tensors, params += static_cast<size_t>(item.value().numel());
  std::ostringstream s;
  s << "all " << tensors << " tensors (" << params << " parameters) match the VideoLDMUNet3DConditionModel architecture ("
    << cfg.levels() << " levels)";
  return s.str();
}

}  // namespace ci2v::unet
