// FrameInit (reference: consisti2v/utils/frameinit_utils.py and the pipeline's FrameInit block, §6.6):
// the low spatio-temporal frequencies of the diffused layout video are kept and the high ones come from
// the initial noise, in the 3-D Fourier domain over (T, h, w).
//
// Filters are built as the reference does (per element in double over integer indices, centred at
// T/2, h/2, w/2, stored as fp32), and cached per (shape, type, d_s, d_t, order, device). The FFT mix runs
// through a SpectralBackend; the default uses torch::fft (CPU or CUDA), a raw cuFFT backend can be plugged
// in through the same interface (FrameInit::set_backend).
#pragma once
#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "engine/pipeline.h"

namespace ci2v::sampling {

class Scheduler;

struct LowPassFilterSpec {
  FilterType type = FilterType::Gaussian;
  double cutoff_spatial = 0.25;   // d_s, normalised stop frequency of the spatial dims
  double cutoff_temporal = 0.25;  // d_t, normalised stop frequency of the temporal dim
  int butterworth_order = 4;      // n (butterworth only)
  // Throws naming the field for negative / non-finite cutoffs or an order < 1.
  void validate() const;
};

// The reference filters, fp32 on the CPU, of exactly `shape` (>= 3 dims; the last three are T, h, w; every
// leading index holds the same values). With d² = ((d_s/d_t)(2t/T − 1))² + (2y/h − 1)² + (2x/w − 1)²:
//   gaussian:    exp(−d²/(2 d_s²))
//   ideal:       1 if d² <= 2·d_s else 0       (the reference's `d_s*2`, not d_s²)
//   box:         1 on [T//2 − r_t, T//2 + r_t) × [h//2 − r_s, h//2 + r_s) × [w//2 − r_s, …) with
//                r_s = round((h//2)·d_s), r_t = round((T//2)·d_t) (Python round and slicing)
//   butterworth: 1 / (1 + (d²/d_s²)^n)
// d_s == 0 or d_t == 0 gives an all-zero filter (all types).
torch::Tensor gaussian_low_pass_filter(at::IntArrayRef shape, double d_s, double d_t);
torch::Tensor ideal_low_pass_filter(at::IntArrayRef shape, double d_s, double d_t);
torch::Tensor box_low_pass_filter(at::IntArrayRef shape, double d_s, double d_t);
torch::Tensor butterworth_low_pass_filter(at::IntArrayRef shape, int n, double d_s, double d_t);
torch::Tensor low_pass_filter(at::IntArrayRef shape, const LowPassFilterSpec& spec);

// The two frequency bands and their sum, each [.., T, h, w] fp32:
//   low   = Re(ifftn(ifftshift(fftshift(fftn(x))·LPF)))
//   high  = Re(ifftn(ifftshift(fftshift(fftn(noise))·(1 − LPF))))
//   mixed = Re(ifftn(ifftshift(fftshift(fftn(x))·LPF + fftshift(fftn(noise))·(1 − LPF))))  (= freq_mix_3d)
// mixed equals low + high up to rounding; it is computed the reference's way so it is identical to freq_mix_3d.
struct FrequencyBands {
  torch::Tensor low, high, mixed;
};

// Where the FFT mixing runs. Inputs are fp32 on one device, the filter broadcastable to them.
class SpectralBackend {
public:
  virtual ~SpectralBackend() = default;
  virtual std::string name() const = 0;
  virtual torch::Tensor mix(const torch::Tensor& x, const torch::Tensor& noise, const torch::Tensor& lpf) = 0;
  virtual FrequencyBands split(const torch::Tensor& x, const torch::Tensor& noise, const torch::Tensor& lpf) = 0;
};

// torch::fft (c2c fftn, complex64, default "backward" normalisation) on the tensors' device.
std::shared_ptr<SpectralBackend> torch_fft_backend();
// Raw cuFFT (engine/sampling/cufft_mix.cu: plans cached per shape, the mask and the mix in one kernel, the
// forward transforms of x and noise batched) for CUDA tensors; CPU tensors go through torch::fft. nullptr in a
// build without the CUDA kernels (CONSISTI2V_HAVE_CUDA_KERNELS). cufft_plans_built: plans made so far.
std::shared_ptr<SpectralBackend> cufft_backend();
int64_t cufft_plans_built();

// freq_mix_3d of the reference with the torch backend: x and noise cast to fp32, the filter moved to their
// device; fp32 result. Throws when the shapes don't match the filter's last three dims.
torch::Tensor freq_mix_3d(const torch::Tensor& x, const torch::Tensor& noise, const torch::Tensor& lpf);
FrequencyBands freq_split_3d(const torch::Tensor& x, const torch::Tensor& noise, const torch::Tensor& lpf);

// Filters by (shape, type, d_s, d_t, order, device); thread-safe.
class FilterCache {
public:
  torch::Tensor get(at::IntArrayRef shape, const LowPassFilterSpec& spec, torch::Device device = torch::kCPU);
  size_t size() const;
  int64_t builds() const;  // filters computed so far (cache misses)
  void clear();

private:
  using Key = std::tuple<std::vector<int64_t>, int, double, double, int, std::string>;
  mutable std::mutex mutex_;
  std::map<Key, torch::Tensor> filters_;
  int64_t builds_ = 0;
};

// The FrameInit step of the pipeline.
class FrameInit {
public:
  explicit FrameInit(LowPassFilterSpec spec = {}, int64_t noise_level = 850);

  const LowPassFilterSpec& spec() const { return spec_; }
  void set_spec(const LowPassFilterSpec& spec);
  int64_t noise_level() const { return noise_level_; }  // τ
  void set_noise_level(int64_t tau);
  void set_backend(std::shared_ptr<SpectralBackend> backend);
  const SpectralBackend& backend() const { return *backend_; }
  FilterCache& cache() { return cache_; }

  // The (cached) filter for a latent shape [B, C, T, h, w] on a device.
  torch::Tensor filter(at::IntArrayRef shape, torch::Device device = torch::kCPU);

  struct Result {
    torch::Tensor z_T;      // add_noise(static_video, noise, τ)            [B, C, T, h, w], noise dtype
    torch::Tensor latents;  // the mixed initial latents                      [B, C, T, h, w], noise dtype
    torch::Tensor low;      // low band of z_T (fp32), when bands were asked  [B, C, T, h, w]
    torch::Tensor high;     // high band of the noise (fp32), idem
  };
  // z_T = scheduler.add_noise(static_video, noise, τ per batch row); latents = freq_mix_3d(z_T, noise, LPF)
  // in fp32, cast back to the noise's dtype (the reference's order). `bands`: also return low and high.
  Result run(const Scheduler& scheduler, const torch::Tensor& static_video, const torch::Tensor& noise,
             bool bands = false);

  torch::Tensor mix(const torch::Tensor& x, const torch::Tensor& noise);
  FrequencyBands split(const torch::Tensor& x, const torch::Tensor& noise);

private:
  LowPassFilterSpec spec_;
  int64_t noise_level_;
  FilterCache cache_;
  std::shared_ptr<SpectralBackend> backend_;
};

}  // namespace ci2v::sampling
