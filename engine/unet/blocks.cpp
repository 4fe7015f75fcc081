#include "engine/unet/blocks.h"

namespace ci2v::unet {

namespace {

Transformer2DConditionModel make_spatial(const UNetConfig& c, int64_t C, size_t level, const torch::TensorOptions& o) {
  return Transformer2DConditionModel(C, c.heads[level], c.cross_attention_dim[level], c.transformer_layers_per_block[level],
                                     c.norm_num_groups, c.use_linear_projection, false, false, o);
}
Transformer2DConditionModel make_temporal(const UNetConfig& c, int64_t C, size_t level, const torch::TensorOptions& o) {
  return Transformer2DConditionModel(C, c.n_temp_heads, c.cross_attention_dim[level], c.transformer_layers_per_block[level],
                                     c.norm_num_groups, c.use_linear_projection, true, c.augment_temporal_attention, o);
}

// One layer: resnet -> temporal resnet -> (spatial transformer -> temporal transformer); records in/out of each.
Tensor run_layer(const std::string& prefix, size_t i, const Tensor& x_in, const BlockContext& ctx,
                 const ResnetBlock2D& resnet, const TemporalResnetBlock& conv3d,
                 const Transformer2DConditionModel* attn, const Transformer2DConditionModel* tempo) {
  Intermediates* cap = ctx.capture;
  auto rec = [&](const char* kind, const char* suffix, const Tensor& t) {
    if (cap) cap->put(prefix + kind + std::to_string(i) + suffix, t);
  };
  rec(".resnets.", ".in", x_in);
  rec(".resnets.", ".in_temb", ctx.temb);
  auto x = resnet->forward(x_in, ctx.temb);
  rec(".resnets.", ".out", x);
  rec(".conv3ds.", ".in", x);
  x = conv3d->forward(x, ctx.frames);
  rec(".conv3ds.", ".out", x);
  if (attn) {
    rec(".attentions.", ".in", x);
    x = (*attn)->forward(x, ctx.text, ctx.frames);
    rec(".attentions.", ".out", x);
  }
  if (tempo) {
    rec(".tempo_attns.", ".in", x);
    x = (*tempo)->forward(x, ctx.text, ctx.frames);
    rec(".tempo_attns.", ".out", x);
  }
  return x;
}

}  // namespace

Downsample2DImpl::Downsample2DImpl(int64_t c, int64_t p, const torch::TensorOptions& o) : padding(p) {
  conv = register_module("conv", nn::Conv2d(c, c, 3, 2, p, true, o));
}

Tensor Downsample2DImpl::forward(const Tensor& x) const {
  if (padding == 0) return conv->forward(at::constant_pad_nd(x, {0, 1, 0, 1}, 0));
  return conv->forward(x);
}

Upsample2DImpl::Upsample2DImpl(int64_t c, const torch::TensorOptions& o) {
  conv = register_module("conv", nn::Conv2d(c, c, 3, 1, 1, true, o));
}

Tensor Upsample2DImpl::forward(const Tensor& x_in, const std::vector<int64_t>& size) const {
  // diffusers upsamples bf16 in fp32 (nearest is not implemented for bf16 in older torch).
  const auto dtype = x_in.scalar_type();
  auto x = dtype == torch::kBFloat16 ? x_in.to(torch::kFloat32) : x_in;
  Tensor y;
  if (size.empty()) {
    y = at::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2}, c10::optional<double>(2.0),
                               c10::optional<double>(2.0));
  } else {
    y = at::upsample_nearest2d(x, {size[0], size[1]}, c10::optional<double>(), c10::optional<double>());
  }
  if (dtype == torch::kBFloat16) y = y.to(dtype);
  return conv->forward(y);
}

namespace {

// Down and up blocks hold the same per-layer modules (checkpoint lists resnets, conv3ds, attentions, tempo_attns).
template <class Block>
void register_layer_lists(Block& b, bool cross) {
  b.resnets = b.register_module("resnets", torch::nn::ModuleList());
  b.conv3ds = b.register_module("conv3ds", torch::nn::ModuleList());
  if (cross) {
    b.attentions = b.register_module("attentions", torch::nn::ModuleList());
    b.tempo_attns = b.register_module("tempo_attns", torch::nn::ModuleList());
  }
}

// One layer: resnet (in -> C) -> temporal resnet -> [spatial transformer -> temporal transformer].
template <class Block>
void add_video_layer(Block& b, const UNetConfig& c, int64_t in, int64_t C, size_t level, bool cross,
                     const torch::TensorOptions& o) {
  b.resnet_v.push_back(ResnetBlock2D(in, C, c.time_embed_dim, c.norm_num_groups, c.norm_eps, 1.0, o));
  b.resnets->push_back(b.resnet_v.back());
  b.conv3d_v.push_back(TemporalResnetBlock(C, o));
  b.conv3ds->push_back(b.conv3d_v.back());
  if (cross) {
    b.attn_v.push_back(make_spatial(c, C, level, o));
    b.attentions->push_back(b.attn_v.back());
    b.tempo_v.push_back(make_temporal(c, C, level, o));
    b.tempo_attns->push_back(b.tempo_v.back());
  }
}

}  // namespace

DownBlockImpl::DownBlockImpl(const UNetConfig& c, size_t level, int64_t in_channels, bool add_downsample,
                             const torch::TensorOptions& o) {
  const int64_t C = c.block_out_channels[level];
  const bool cross = c.down_block_types[level] == DownBlockType::CrossAttn;
  register_layer_lists(*this, cross);
  for (int64_t i = 0; i < c.layers_per_block[level]; ++i)
    add_video_layer(*this, c, i == 0 ? in_channels : C, C, level, cross, o);
  if (add_downsample) {
    downsamplers = register_module("downsamplers", torch::nn::ModuleList());
    down = Downsample2D(C, c.downsample_padding, o);
    downsamplers->push_back(down);
  }
}

Tensor DownBlockImpl::forward(const Tensor& x_in, const BlockContext& ctx, std::vector<Tensor>& skips,
                              const std::string& prefix) const {
  record(ctx.capture, prefix, ".in", x_in);
  auto x = x_in;
  for (size_t i = 0; i < resnet_v.size(); ++i) {
    x = run_layer(prefix, i, x, ctx, resnet_v[i], conv3d_v[i], attn_v.empty() ? nullptr : &attn_v[i],
                  tempo_v.empty() ? nullptr : &tempo_v[i]);
    skips.push_back(x);  // skip taken after the temporal transformer
  }
  if (down) {
    record(ctx.capture, prefix, ".downsamplers.0.in", x);
    x = down->forward(x);
    record(ctx.capture, prefix, ".downsamplers.0.out", x);
    skips.push_back(x);
  }
  record(ctx.capture, prefix, ".out", x);
  return x;
}

MidBlockImpl::MidBlockImpl(const UNetConfig& c, const torch::TensorOptions& o) {
  const size_t last = c.levels() - 1;
  const int64_t C = c.block_out_channels[last];
  resnets = register_module("resnets", torch::nn::ModuleList());
  conv3ds = register_module("conv3ds", torch::nn::ModuleList());
  attentions = register_module("attentions", torch::nn::ModuleList());
  for (int i = 0; i < 2; ++i) {  // num_layers = 1: resnets 0 and 1 around one spatial transformer
    resnet_v.push_back(ResnetBlock2D(C, C, c.time_embed_dim, c.norm_num_groups, c.norm_eps, c.mid_block_scale_factor, o));
    resnets->push_back(resnet_v.back());
    conv3d_v.push_back(TemporalResnetBlock(C, o));
    conv3ds->push_back(conv3d_v.back());
  }
  attn_v.push_back(make_spatial(c, C, last, o));
  attentions->push_back(attn_v.back());
}

Tensor MidBlockImpl::forward(const Tensor& x_in, const BlockContext& ctx, const std::string& prefix) const {
  Intermediates* cap = ctx.capture;
  record(cap, prefix, ".in", x_in);
  auto x = run_layer(prefix, 0, x_in, ctx, resnet_v[0], conv3d_v[0], nullptr, nullptr);
  for (size_t i = 0; i < attn_v.size(); ++i) {
    if (cap) cap->put(prefix + ".attentions." + std::to_string(i) + ".in", x);
    x = attn_v[i]->forward(x, ctx.text, ctx.frames);
    if (cap) cap->put(prefix + ".attentions." + std::to_string(i) + ".out", x);
    x = run_layer(prefix, i + 1, x, ctx, resnet_v[i + 1], conv3d_v[i + 1], nullptr, nullptr);
  }
  record(cap, prefix, ".out", x);
  return x;
}

UpBlockImpl::UpBlockImpl(const UNetConfig& c, size_t index, int64_t prev_output_channels, bool add_upsample,
                         const torch::TensorOptions& o) {
  const size_t L = c.levels();
  const size_t level = L - 1 - index;  // the matching down level
  const int64_t C = c.block_out_channels[level];
  // diffusers: input_channel = reversed_block_out_channels[min(index + 1, L - 1)]
  const int64_t input_channel = c.block_out_channels[L - 1 - std::min(index + 1, L - 1)];
  const bool cross = c.up_block_types[index] == UpBlockType::CrossAttn;
  const int64_t layers = c.layers_per_block[level] + 1;
  register_layer_lists(*this, cross);
  for (int64_t i = 0; i < layers; ++i) {
    const int64_t skip_channels = i == layers - 1 ? input_channel : C;
    const int64_t resnet_in = i == 0 ? prev_output_channels : C;
    add_video_layer(*this, c, resnet_in + skip_channels, C, level, cross, o);
  }
  if (add_upsample) {
    upsamplers = register_module("upsamplers", torch::nn::ModuleList());
    up = Upsample2D(C, o);
    upsamplers->push_back(up);
  }
}

Tensor UpBlockImpl::forward(const Tensor& x_in, const BlockContext& ctx, std::vector<Tensor> skips,
                            const std::vector<int64_t>& upsample_size, const std::string& prefix) const {
  record(ctx.capture, prefix, ".in", x_in);
  auto x = x_in;
  for (size_t i = 0; i < resnet_v.size(); ++i) {
    auto skip = skips.back();
    skips.pop_back();
    x = at::cat({x, skip}, 1);  // [B*T, C + C_skip, h, w], hidden state first
    x = run_layer(prefix, i, x, ctx, resnet_v[i], conv3d_v[i], attn_v.empty() ? nullptr : &attn_v[i],
                  tempo_v.empty() ? nullptr : &tempo_v[i]);
  }
  if (up) {
    record(ctx.capture, prefix, ".upsamplers.0.in", x);
    x = up->forward(x, upsample_size);
    record(ctx.capture, prefix, ".upsamplers.0.out", x);
  }
  record(ctx.capture, prefix, ".out", x);
  return x;
}

}  // namespace ci2v::unet
