// Parity: FrameInit low-pass filters and freq_mix_3d.
#include <string>
#include <vector>

#include "engine/error.h"
#include "engine/parity/parity.h"
#include "engine/sampling/frameinit.h"

namespace ci2v::parity {

void run_frameinit_case(CaseContext& ctx) {
  using namespace ci2v::sampling;
  const auto& params = ctx.params();
  if (!params.contains("filters") || !params["filters"].is_array()) throw Error("frameinit: params.filters is missing");
  ctx.require_known_keys(params, {"filters"}, "params");
  FilterCache cache;
  for (const auto& f : params["filters"]) {
    ctx.require_known_keys(f, {"index", "shape", "d_s", "d_t", "freq_mix", "method", "filter_type", "n"},
                           "a params.filters entry");
    const std::string i = std::to_string(f.at("index").get<int64_t>());
    const std::vector<int64_t> shape = f.at("shape").get<std::vector<int64_t>>();
    LowPassFilterSpec spec;
    spec.type = reference_filter(f.contains("method") ? f["method"].get<std::string>()
                                                      : f.value("filter_type", std::string("gaussian")),
                                 "frameinit filter " + i);
    spec.cutoff_spatial = f.at("d_s").get<double>();
    spec.cutoff_temporal = f.at("d_t").get<double>();
    spec.butterworth_order = f.value("n", 4);
    const torch::Tensor lpf = cache.get(shape, spec, ctx.device());
    ctx.check("output.filter_" + i, lpf);
    if (f.value("freq_mix", false)) {
      const torch::Tensor x = ctx.input("x_" + i).to(ctx.device(), ctx.dtype());
      const torch::Tensor noise = ctx.input("noise_" + i).to(ctx.device(), ctx.dtype());
      const torch::Tensor mixed = freq_mix_3d(x, noise, lpf);
      ctx.check("output.mixed_" + i, mixed);
      // The preview split must give the very same mixed latents (and low + high ≈ mixed).
      const FrequencyBands bands = freq_split_3d(x, noise, lpf);
      if (!torch::equal(bands.mixed, mixed)) throw Error("frameinit " + i + ": freq_split_3d().mixed differs from freq_mix_3d");
    }
  }
}

}  // namespace ci2v::parity
