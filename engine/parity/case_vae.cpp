#include "engine/error.h"
#include "engine/parity/parity.h"
#include "engine/vae/autoencoder_kl.h"

namespace ci2v::parity {

// AutoencoderKL: encode(x) -> posterior mean / logvar (clamped) / std; sample = mean + std * eps (NOT scaled,
// latent_dist.sample()); decode(z).sample with z given as is (no 1/scaling_factor: the case calls vae.decode
// directly), image in ~[-1, 1], [N, 3, H, W]. The scaled paths are checked too when the case stores them.
void run_vae_case(CaseContext& ctx) {
  torch::NoGradGuard no_grad;
  if (ctx.params().is_object()) ctx.require_known_keys(ctx.params(), {"scaling_factor"}, "params");
  auto vae = vae::load_autoencoder_kl(ctx.component_path("vae"), ctx.device(), ctx.dtype());
  if (ctx.params().contains("scaling_factor") && ctx.params()["scaling_factor"].is_number()) {
    const double want = ctx.params()["scaling_factor"].get<double>();
    if (std::abs(want - vae->config().scaling_factor) > 1e-12)
      throw Error("vae case: params.scaling_factor " + std::to_string(want) + " differs from the config's " +
                  std::to_string(vae->config().scaling_factor));
  }
  auto x = ctx.input("x");  // [N, 3, H, W]
  auto posterior = vae->encode_moments(x);
  ctx.check("output.mean", posterior.mean);
  ctx.check("output.logvar", posterior.logvar);
  ctx.check("output.std", posterior.stddev);
  if (ctx.has("output.sample")) {
    auto eps = ctx.input("sample_eps");  // [N, latent, h, w]
    ctx.check("output.sample", posterior.sample(eps));
  }
  if (ctx.has("output.decoded")) {
    auto z = ctx.input("z");  // [M, latent, h, w], unscaled
    ctx.check("output.decoded", vae->decode_unscaled(z, /*batch=*/1));
  }
}

}  // namespace ci2v::parity
