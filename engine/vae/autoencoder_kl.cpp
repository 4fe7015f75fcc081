#include "engine/vae/autoencoder_kl.h"

#include <regex>
#include <set>

#include <torch/version.h>

#include "engine/error.h"

namespace ci2v::vae {

namespace {

std::string dims(const Tensor& t) { return shape_str(std::vector<int64_t>(t.sizes().begin(), t.sizes().end())); }

}  // namespace

Tensor Posterior::sample(const Tensor& eps) const {
  if (!eps.defined() || eps.sizes() != mean.sizes())
    throw Error("VAE posterior sample: eps must have the latent mean's shape " + dims(mean) + ", got " +
                (eps.defined() ? dims(eps) : std::string("none")));
  return mean + stddev * eps.to(mean.device(), mean.scalar_type());
}

AutoencoderKLImpl::AutoencoderKLImpl(const VaeConfig& c, const torch::TensorOptions& o) : config_(c) {
  encoder = register_module("encoder", VaeEncoder(c, o));
  decoder = register_module("decoder", VaeDecoder(c, o));
  quant_conv = register_module("quant_conv", nn::Conv2d(2 * c.latent_channels, 2 * c.latent_channels, 1, 1, 0, true, o));
  post_quant_conv = register_module("post_quant_conv", nn::Conv2d(c.latent_channels, c.latent_channels, 1, 1, 0, true, o));
}

Posterior AutoencoderKLImpl::encode_moments(const Tensor& x, const std::function<void()>& between) {
  torch::NoGradGuard no_grad;
  if (x.dim() != 4 || x.size(1) != config_.in_channels)
    throw Error("VAE encode: expected images [N, " + std::to_string(config_.in_channels) + ", H, W], got " + dims(x));
  auto moments = quant_conv->forward(encoder->forward(x.to(device(), dtype()), between));  // [N, 2*latent, h, w]
  auto parts = moments.chunk(2, 1);
  Posterior p;
  p.mean = parts[0];                          // [N, latent, h, w]
  p.logvar = at::clamp(parts[1], -30.0, 20.0);
  p.stddev = at::exp(0.5 * p.logvar);
  return p;
}

Tensor AutoencoderKLImpl::encode(const Tensor& x, const Tensor& eps) {
  torch::NoGradGuard no_grad;
  return encode_moments(x).sample(eps) * config_.scaling_factor;  // [N, latent, h, w]
}

Tensor AutoencoderKLImpl::decode_unscaled(const Tensor& z, int64_t batch) {
  torch::NoGradGuard no_grad;
  if (z.dim() != 4 || z.size(1) != config_.latent_channels)
    throw Error("VAE decode: expected latents [N, " + std::to_string(config_.latent_channels) + ", h, w], got " +
                dims(z));
  if (batch < 1) throw Error("VAE decode: batch size must be at least 1, got " + std::to_string(batch));
  auto zz = z.to(device(), dtype());
  std::vector<Tensor> out;
  for (int64_t i = 0; i < zz.size(0); i += batch) {
    auto chunk = zz.slice(0, i, std::min(i + batch, zz.size(0)));  // [n, latent, h, w]
    out.push_back(decoder->forward(post_quant_conv->forward(chunk)));  // [n, out, H, W]
  }
  if (out.empty()) {
    const int64_t f = config_.downscale();
    return torch::empty({0, config_.out_channels, z.size(2) * f, z.size(3) * f}, zz.options());
  }
  return out.size() == 1 ? out[0] : torch::cat(out, 0);  // [N, out, H, W]
}

Tensor AutoencoderKLImpl::decode(const Tensor& z_scaled, int64_t batch) {
  torch::NoGradGuard no_grad;
  // The reference forms 1/scaling_factor first, then multiplies (not a division).
  const double inv = 1.0 / config_.scaling_factor;
  return decode_unscaled(z_scaled.to(device(), dtype()) * inv, batch);
}

Tensor AutoencoderKLImpl::decode_video(const Tensor& latents, int64_t batch) {
  torch::NoGradGuard no_grad;
  if (latents.dim() != 5 || latents.size(1) != config_.latent_channels)
    throw Error("VAE decode_video: expected latents [B, " + std::to_string(config_.latent_channels) +
                ", F, h, w], got " + dims(latents));
  const int64_t B = latents.size(0), C = latents.size(1), F = latents.size(2);
  // [B, C, F, h, w] -> [B*F, C, h, w] (row b*F + f)
  auto frames = latents.permute({0, 2, 1, 3, 4}).reshape({B * F, C, latents.size(3), latents.size(4)});
  auto img = decode(frames, batch);  // [B*F, out, H, W]
  // [B*F, out, H, W] -> [B, out, F, H, W]
  img = img.view({B, F, img.size(1), img.size(2), img.size(3)}).permute({0, 2, 1, 3, 4});
  return (img / 2 + 0.5).clamp(0, 1).to(torch::kFloat).contiguous();
}

// ---- loading ---------------------------------------------------------------------------------------------

void load_vae_weights(AutoencoderKLImpl& model, const io::StateDict& sd, const std::string& what, bool shapes_only,
                      const io::LoadStep& between) {
  // Deprecated attention names (diffusers < 0.14 files): rename to the current ones; old 1x1 conv weights
  // [C, C, 1, 1] become Linear weights [C, C].
  static const std::regex old_name(R"(^(.*\.attentions\.0\.)(query|key|value|proj_attn)\.(weight|bias)$)");
  io::StateDict renamed = sd.sub("");
  std::set<std::string> replaced;
  for (const auto& k : sd.keys()) {
    std::smatch m;
    if (!std::regex_match(k, m, old_name)) continue;
    const std::string part = m[2];
    const std::string now = m[1].str() + (part == "query"   ? "to_q"
                                          : part == "key"   ? "to_k"
                                          : part == "value" ? "to_v"
                                                            : "to_out.0") +
                            "." + m[3].str();
    if (sd.contains(now)) continue;  // both names present: leave the old one to be reported as unexpected
    auto t = sd.get(k);
    if (t.dim() == 4 && t.size(2) == 1 && t.size(3) == 1) t = t.flatten(1);  // [C, C, 1, 1] -> [C, C]
    renamed.insert(now, t, sd.source(k));
    replaced.insert(k);
  }
  io::LoadOptions opt;
  opt.what = what;
  opt.ignore = [&replaced](const std::string& k) { return replaced.count(k) != 0; };
  opt.shapes_only = shapes_only;
  opt.between = between;
  io::load_module(model, renamed, opt);
}

AutoencoderKL load_autoencoder_kl(const io::Component& c, torch::Device device, torch::ScalarType dtype,
                                  const io::LoadStep& between) {
  auto cfg = VaeConfig::from_json(c.config, c.dir + "/config.json");
  if (c.weight_files.empty()) throw Error(c.dir + ": no VAE weights (diffusion_pytorch_model.safetensors) found");
  if (dtype != torch::kFloat32 && dtype != torch::kFloat16 && dtype != torch::kBFloat16)
    throw Error("VAE: dtype must be fp32, fp16 or bf16");
#if TORCH_VERSION_MAJOR < 2
  if (dtype == torch::kFloat16 && device.is_cpu())
    throw Error("VAE: fp16 on the CPU needs LibTorch >= 2 (LibTorch " TORCH_VERSION
                " has no fp16 CPU kernels for conv/norm/matmul); use bf16 or fp32 on the CPU, or a CUDA device");
#endif
  auto sd = io::StateDict::from_files(c.weight_files);
  std::string what = c.name.empty() ? std::string("vae") : c.name;
  what += " (" + c.weight_files.front() + (c.weight_files.size() > 1 ? ", ..." : "") + ")";
  {  // names and shapes first, on the meta device: nothing is allocated for a checkpoint that does not fit
    AutoencoderKL meta(cfg, torch::TensorOptions().dtype(dtype).device(torch::kMeta));
    load_vae_weights(*meta, sd, what, /*shapes_only=*/true);
  }
  if (between) between(0);
  AutoencoderKL model(cfg, torch::TensorOptions().dtype(dtype).device(device));
  load_vae_weights(*model, sd, what, /*shapes_only=*/false, between);
  model->eval();
  return model;
}

AutoencoderKL load_autoencoder_kl(const std::string& dir, torch::Device device, torch::ScalarType dtype) {
  io::Component c;
  c.name = "vae";
  c.dir = dir;
  c.config = io::read_json_file(dir + "/config.json");
  c.weight_files = io::find_weight_files(dir, "diffusion_pytorch_model", "", &c.weight_format);
  return load_autoencoder_kl(c, device, dtype);
}

}  // namespace ci2v::vae
