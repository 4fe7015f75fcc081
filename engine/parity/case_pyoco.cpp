// Parity: PYoCo / vanilla initial noise (prepare_latents) from the reference's torch.randn draws.
#include <string>
#include <vector>

#include "engine/error.h"
#include "engine/parity/parity.h"
#include "engine/sampling/noise.h"

namespace ci2v::parity {

void run_pyoco_case(CaseContext& ctx) {
  using namespace ci2v::sampling;
  const auto& params = ctx.params();
  if (!params.contains("runs") || !params["runs"].is_array()) throw Error("pyoco: params.runs is missing");
  if (!params.contains("shape_BCThw")) throw Error("pyoco: params.shape_BCThw is missing");
  ctx.require_known_keys(params, {"runs", "shape_BCThw"}, "params");
  const std::vector<int64_t> default_shape = params["shape_BCThw"].get<std::vector<int64_t>>();
  const auto options = torch::TensorOptions().dtype(ctx.dtype()).device(ctx.device());
  for (const auto& run : params["runs"]) {
    ctx.require_known_keys(run, {"run", "method", "noise_alpha", "n_draws", "draw_order", "shape_BCThw"},
                           "a params.runs entry");
    const int64_t j = run.at("run").get<int64_t>();
    const std::string p = "run" + std::to_string(j);
    const std::vector<int64_t> shape =
        run.contains("shape_BCThw") ? run["shape_BCThw"].get<std::vector<int64_t>>() : default_shape;
    const NoiseMethod m = reference_noise_method(run.at("method").get<std::string>(), "pyoco " + p);
    std::vector<torch::Tensor> draws;
    for (int64_t k = 0; ctx.has("input." + p + ".randn_" + std::to_string(k)); ++k)
      draws.push_back(ctx.input(p + ".randn_" + std::to_string(k)));
    if (run.contains("n_draws") && run["n_draws"].get<int64_t>() != static_cast<int64_t>(draws.size()))
      throw Error("pyoco " + p + ": params say " + run["n_draws"].dump() + " draws, the file holds " +
                  std::to_string(draws.size()));
    InjectedNoise source(draws, "pyoco " + p + " randn draws");
    torch::Tensor latents = initial_noise(source, m, run.value("noise_alpha", 1.0), shape, options);
    if (source.remaining() != 0)
      throw Error("pyoco " + p + ": " + std::to_string(source.remaining()) + " given draws were not used");
    ctx.check("output." + p + ".latents", latents);
  }
}

}  // namespace ci2v::parity
