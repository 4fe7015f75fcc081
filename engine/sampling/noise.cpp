#include "engine/sampling/noise.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <mutex>
#include <sstream>

#include "engine/error.h"

namespace ci2v::sampling {

namespace {

std::string site(const std::string& what) { return what.empty() ? std::string() : " (" + what + ")"; }

at::Generator make_generator(uint64_t seed, torch::Device device) {
  if (device.is_cpu()) return at::detail::createCPUGenerator(seed);
  // Other devices: a copy of the device's default generator (its type and device), reseeded. Reseeding
  // resets the Philox offset, which is what torch.manual_seed does to the global CUDA generator.
  at::Generator def = at::globalContext().defaultGenerator(device);
  at::Generator gen;
  {
    std::lock_guard<std::mutex> lock(def.mutex());
    gen = def.clone();
  }
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_current_seed(seed);
  return gen;
}

}  // namespace

SeededNoise::SeededNoise(uint64_t seed, torch::Device device)
    : gen_(make_generator(seed, device)), seed_(seed), device_(device) {}

torch::Tensor SeededNoise::randn(at::IntArrayRef shape, const torch::TensorOptions& options, const std::string&) {
  const auto dtype = options.has_dtype() ? options.dtype().toScalarType() : torch::kFloat32;
  // Drawn in fp32 and rounded, so that fp16 / bf16 runs start from the fp32 run's noise: a precision switch keeps
  // the seed's composition. (The random kernels lock the generator themselves.)
  torch::Tensor t = at::randn(shape, gen_, torch::TensorOptions().dtype(torch::kFloat32).device(device_));
  if (dtype != torch::kFloat32) t = t.to(dtype);
  ++draws_;
  if (options.has_device() && options.device() != device_) t = t.to(options.device());
  return t;
}

InjectedNoise::InjectedNoise(std::vector<torch::Tensor> draws, std::string origin)
    : queue_(draws.begin(), draws.end()), origin_(std::move(origin)) {
  for (size_t i = 0; i < queue_.size(); ++i)
    if (!queue_[i].defined()) throw Error(origin_ + ": draw #" + std::to_string(i) + " is an undefined tensor");
}

torch::Tensor InjectedNoise::randn(at::IntArrayRef shape, const torch::TensorOptions& options,
                                   const std::string& what) {
  const std::vector<int64_t> want(shape.begin(), shape.end());
  if (queue_.empty()) {
    throw Error(origin_ + ": draw #" + std::to_string(draws_) + site(what) + " of shape " + shape_str(want) +
                " was requested, but only " + std::to_string(draws_) + " draws were given");
  }
  torch::Tensor t = queue_.front();
  const std::vector<int64_t> got(t.sizes().begin(), t.sizes().end());
  if (got != want) {
    throw Error(origin_ + ": draw #" + std::to_string(draws_) + site(what) + ": expected shape " + shape_str(want) +
                ", got " + shape_str(got));
  }
  queue_.pop_front();
  ++draws_;
  return t.to(options);
}

double pyoco_shared_scale(double noise_alpha) {
  const double a2 = noise_alpha * noise_alpha;
  return std::sqrt(a2 / (1 + a2));
}

double pyoco_independent_scale(double noise_alpha) {
  const double a2 = noise_alpha * noise_alpha;
  return std::sqrt(1 / (1 + a2));
}

torch::Tensor initial_noise(NoiseSource& source, NoiseMethod method, double noise_alpha, at::IntArrayRef shape,
                            const torch::TensorOptions& options, double init_noise_sigma) {
  if (shape.size() != 5) {
    throw Error("initial noise: shape must be [B, C, T, h, w], got " +
                shape_str(std::vector<int64_t>(shape.begin(), shape.end())));
  }
  if (!std::isfinite(noise_alpha)) throw Error("initial noise: noise_alpha must be finite");
  torch::Tensor latents;  // [B, C, T, h, w]
  switch (method) {
    case NoiseMethod::Vanilla:
      latents = source.randn(shape, options, "vanilla noise");
      break;
    case NoiseMethod::PyocoMixed: {
      const std::vector<int64_t> base_shape = {shape[0], shape[1], 1, shape[3], shape[4]};
      // Both draws first scaled, then summed (broadcast over frames), as the reference.
      torch::Tensor base = source.randn(base_shape, options, "pyoco shared noise") * pyoco_shared_scale(noise_alpha);
      torch::Tensor ind = source.randn(shape, options, "pyoco independent noise") * pyoco_independent_scale(noise_alpha);
      latents = base + ind;  // [B, C, 1, h, w] + [B, C, T, h, w]
      break;
    }
    case NoiseMethod::PyocoProgressive: {
      latents = source.randn(shape, options, "pyoco progressive noise").contiguous();
      torch::Tensor ind = source.randn(shape, options, "pyoco independent noise") * pyoco_independent_scale(noise_alpha);
      const double shared = pyoco_shared_scale(noise_alpha);
      for (int64_t f = 1; f < shape[2]; ++f) {
        // frame f ← frame f−1 · shared + E_ind frame f, in frame order (each uses the updated previous one)
        latents.select(2, f).copy_(latents.select(2, f - 1) * shared + ind.select(2, f));
      }
      break;
    }
    default:
      throw Error("initial noise: unknown noise method");
  }
  return latents * init_noise_sigma;
}

}  // namespace ci2v::sampling
