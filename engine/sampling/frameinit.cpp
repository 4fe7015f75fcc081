#include "engine/sampling/frameinit.h"

#include <cmath>

#include "engine/error.h"
#include "engine/sampling/scheduler.h"

namespace ci2v::sampling {

namespace {

const std::vector<int64_t> kDims = {-3, -2, -1};  // (T, h, w)

void check_filter_shape(at::IntArrayRef shape, const char* who) {
  std::vector<int64_t> s(shape.begin(), shape.end());
  if (s.size() < 3) throw Error(std::string(who) + ": shape must have at least 3 dims (.., T, h, w), got " + shape_str(s));
  for (int64_t v : s)
    if (v < 1) throw Error(std::string(who) + ": every dim of the shape must be >= 1, got " + shape_str(s));
}

void check_cutoffs(double d_s, double d_t, const char* who) {
  if (!std::isfinite(d_s) || d_s < 0)
    throw Error(std::string(who) + ": cutoff_spatial (d_s) must be a finite number >= 0, got " + std::to_string(d_s));
  if (!std::isfinite(d_t) || d_t < 0)
    throw Error(std::string(who) + ": cutoff_temporal (d_t) must be a finite number >= 0, got " + std::to_string(d_t));
}

// Evaluate value(d²) per (t, y, x) in double, store as fp32 [T, h, w], expand to the full shape.
template <class F>
torch::Tensor radial_filter(at::IntArrayRef shape, double d_s, double d_t, F value) {
  const int64_t n = static_cast<int64_t>(shape.size());
  const int64_t T = shape[n - 3], H = shape[n - 2], W = shape[n - 1];
  torch::Tensor mask = torch::zeros({T, H, W}, torch::kFloat32);  // [T, h, w]
  if (d_s == 0 || d_t == 0) return mask.expand(shape).contiguous();
  float* p = mask.data_ptr<float>();
  const double ratio = d_s / d_t;
  for (int64_t t = 0; t < T; ++t) {
    const double ft = ratio * (static_cast<double>(2 * t) / static_cast<double>(T) - 1);
    for (int64_t y = 0; y < H; ++y) {
      const double fy = static_cast<double>(2 * y) / static_cast<double>(H) - 1;
      for (int64_t x = 0; x < W; ++x) {
        const double fx = static_cast<double>(2 * x) / static_cast<double>(W) - 1;
        const double d_square = ft * ft + fy * fy + fx * fx;
        p[(t * H + y) * W + x] = static_cast<float>(value(d_square));
      }
    }
  }
  return mask.expand(shape).contiguous();
}

// Python slice a[start:stop] on a length-n axis (step 1): the resulting [lo, hi).
std::pair<int64_t, int64_t> py_slice(int64_t start, int64_t stop, int64_t n) {
  auto norm = [n](int64_t i) {
    if (i < 0) i += n;
    if (i < 0) i = 0;
    if (i > n) i = n;
    return i;
  };
  const int64_t a = norm(start), b = norm(stop);
  return {a, std::max(a, b)};
}

// Python round(x) for a float: half to even.
int64_t py_round(double x) { return static_cast<int64_t>(std::nearbyint(x)); }

void check_mix_inputs(const torch::Tensor& x, const torch::Tensor& noise, const torch::Tensor& lpf) {
  if (!x.defined() || !noise.defined() || !lpf.defined()) throw Error("FrameInit mix: undefined tensor");
  if (x.sizes() != noise.sizes())
    throw Error("FrameInit mix: noise shape " + shape_str(noise.sizes().vec()) + " differs from the latent shape " +
                shape_str(x.sizes().vec()));
  if (x.dim() < 3 || lpf.dim() < 3 || x.size(-1) != lpf.size(-1) || x.size(-2) != lpf.size(-2) ||
      x.size(-3) != lpf.size(-3))
    throw Error("FrameInit mix: filter shape " + shape_str(lpf.sizes().vec()) + " does not match the latent shape " +
                shape_str(x.sizes().vec()) + " in the last three dims (T, h, w)");
}

class TorchFftBackend : public SpectralBackend {
public:
  std::string name() const override { return "torch.fft"; }

  torch::Tensor mix(const torch::Tensor& x, const torch::Tensor& noise, const torch::Tensor& lpf) override {
    torch::Tensor hpf = 1.0 - lpf;
    torch::Tensor x_freq = spectrum(x), noise_freq = spectrum(noise);  // complex64, centred
    torch::Tensor mixed_freq = x_freq * lpf + noise_freq * hpf;
    return inverse(mixed_freq);
  }

  FrequencyBands split(const torch::Tensor& x, const torch::Tensor& noise, const torch::Tensor& lpf) override {
    torch::Tensor hpf = 1.0 - lpf;
    torch::Tensor x_freq = spectrum(x), noise_freq = spectrum(noise);
    torch::Tensor low_freq = x_freq * lpf, high_freq = noise_freq * hpf;
    FrequencyBands b;
    b.mixed = inverse(low_freq + high_freq);
    b.low = inverse(low_freq);
    b.high = inverse(high_freq);
    return b;
  }

private:
  // fftshift(fftn(v)) over (T, h, w)
  static torch::Tensor spectrum(const torch::Tensor& v) {
    return torch::fft::fftshift(torch::fft::fftn(v, c10::nullopt, at::IntArrayRef(kDims)), at::IntArrayRef(kDims));
  }
  // Re(ifftn(ifftshift(f))) over (T, h, w)
  static torch::Tensor inverse(const torch::Tensor& f) {
    torch::Tensor shifted = torch::fft::ifftshift(f, at::IntArrayRef(kDims));
    return at::real(torch::fft::ifftn(shifted, c10::nullopt, at::IntArrayRef(kDims))).contiguous();
  }
};

}  // namespace

void LowPassFilterSpec::validate() const {
  check_cutoffs(cutoff_spatial, cutoff_temporal, "FrameInit filter");
  if (type == FilterType::Butterworth && butterworth_order < 1)
    throw Error("FrameInit filter: butterworth_order must be >= 1, got " + std::to_string(butterworth_order));
}

torch::Tensor gaussian_low_pass_filter(at::IntArrayRef shape, double d_s, double d_t) {
  check_filter_shape(shape, "gaussian_low_pass_filter");
  check_cutoffs(d_s, d_t, "gaussian_low_pass_filter");
  const double coef = -1 / (2 * (d_s * d_s));  // the reference's -1/(2*d_s**2), then · d²
  return radial_filter(shape, d_s, d_t, [coef](double d2) { return std::exp(coef * d2); });
}

torch::Tensor ideal_low_pass_filter(at::IntArrayRef shape, double d_s, double d_t) {
  check_filter_shape(shape, "ideal_low_pass_filter");
  check_cutoffs(d_s, d_t, "ideal_low_pass_filter");
  const double limit = d_s * 2;  // sic: the reference compares d² with d_s*2
  return radial_filter(shape, d_s, d_t, [limit](double d2) { return d2 <= limit ? 1.0 : 0.0; });
}

torch::Tensor butterworth_low_pass_filter(at::IntArrayRef shape, int n, double d_s, double d_t) {
  check_filter_shape(shape, "butterworth_low_pass_filter");
  check_cutoffs(d_s, d_t, "butterworth_low_pass_filter");
  if (n < 1) throw Error("butterworth_low_pass_filter: order n must be >= 1, got " + std::to_string(n));
  const double ds2 = d_s * d_s;
  const double order = static_cast<double>(n);
  return radial_filter(shape, d_s, d_t, [ds2, order](double d2) { return 1 / (1 + std::pow(d2 / ds2, order)); });
}

torch::Tensor box_low_pass_filter(at::IntArrayRef shape, double d_s, double d_t) {
  check_filter_shape(shape, "box_low_pass_filter");
  check_cutoffs(d_s, d_t, "box_low_pass_filter");
  const int64_t nd = static_cast<int64_t>(shape.size());
  const int64_t T = shape[nd - 3], H = shape[nd - 2], W = shape[nd - 1];
  torch::Tensor mask = torch::zeros({T, H, W}, torch::kFloat32);  // [T, h, w]
  if (d_s != 0 && d_t != 0) {
    const int64_t threshold_s = py_round(static_cast<double>(H / 2) * d_s);  // uses h for both spatial dims
    const int64_t threshold_t = py_round(static_cast<double>(T / 2) * d_t);
    const int64_t cframe = T / 2, crow = H / 2, ccol = W / 2;
    const auto [t0, t1] = py_slice(cframe - threshold_t, cframe + threshold_t, T);
    const auto [y0, y1] = py_slice(crow - threshold_s, crow + threshold_s, H);
    const auto [x0, x1] = py_slice(ccol - threshold_s, ccol + threshold_s, W);
    mask.slice(0, t0, t1).slice(1, y0, y1).slice(2, x0, x1).fill_(1.0);
  }
  return mask.expand(shape).contiguous();
}

torch::Tensor low_pass_filter(at::IntArrayRef shape, const LowPassFilterSpec& spec) {
  spec.validate();
  switch (spec.type) {
    case FilterType::Gaussian: return gaussian_low_pass_filter(shape, spec.cutoff_spatial, spec.cutoff_temporal);
    case FilterType::Ideal: return ideal_low_pass_filter(shape, spec.cutoff_spatial, spec.cutoff_temporal);
    case FilterType::Box: return box_low_pass_filter(shape, spec.cutoff_spatial, spec.cutoff_temporal);
    case FilterType::Butterworth:
      return butterworth_low_pass_filter(shape, spec.butterworth_order, spec.cutoff_spatial, spec.cutoff_temporal);
  }
  throw Error("FrameInit filter: unknown filter type");
}

std::shared_ptr<SpectralBackend> torch_fft_backend() {
  static std::shared_ptr<SpectralBackend> backend = std::make_shared<TorchFftBackend>();
  return backend;
}

namespace {

// Inputs as the backends expect them: fp32 on x's device, filter fp32 on that device.
std::tuple<torch::Tensor, torch::Tensor, torch::Tensor> prepare(const torch::Tensor& x, const torch::Tensor& noise,
                                                                const torch::Tensor& lpf) {
  check_mix_inputs(x, noise, lpf);
  torch::Tensor xf = x.to(torch::kFloat32);
  torch::Tensor nf = noise.to(xf.device(), torch::kFloat32);
  torch::Tensor f = lpf.to(xf.device(), torch::kFloat32);
  return {xf, nf, f};
}

}  // namespace

torch::Tensor freq_mix_3d(const torch::Tensor& x, const torch::Tensor& noise, const torch::Tensor& lpf) {
  auto [xf, nf, f] = prepare(x, noise, lpf);
  return torch_fft_backend()->mix(xf, nf, f);
}

FrequencyBands freq_split_3d(const torch::Tensor& x, const torch::Tensor& noise, const torch::Tensor& lpf) {
  auto [xf, nf, f] = prepare(x, noise, lpf);
  return torch_fft_backend()->split(xf, nf, f);
}

// ---------------------------------------------------------------------------------------------------------

torch::Tensor FilterCache::get(at::IntArrayRef shape, const LowPassFilterSpec& spec, torch::Device device) {
  spec.validate();
  Key key{std::vector<int64_t>(shape.begin(), shape.end()), static_cast<int>(spec.type), spec.cutoff_spatial,
          spec.cutoff_temporal, spec.type == FilterType::Butterworth ? spec.butterworth_order : 0, device.str()};
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = filters_.find(key);
  if (it != filters_.end()) return it->second;
  torch::Tensor f = low_pass_filter(shape, spec).to(device);
  ++builds_;
  filters_.emplace(std::move(key), f);
  return f;
}

size_t FilterCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return filters_.size();
}

int64_t FilterCache::builds() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return builds_;
}

void FilterCache::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  filters_.clear();
}

FrameInit::FrameInit(LowPassFilterSpec spec, int64_t noise_level) : backend_(torch_fft_backend()) {
  set_spec(spec);
  set_noise_level(noise_level);
}

void FrameInit::set_spec(const LowPassFilterSpec& spec) {
  spec.validate();
  spec_ = spec;
}

void FrameInit::set_noise_level(int64_t tau) {
  if (tau < 0) throw Error("FrameInit: noise_level (tau) must be >= 0, got " + std::to_string(tau));
  noise_level_ = tau;
}

void FrameInit::set_backend(std::shared_ptr<SpectralBackend> backend) {
  if (!backend) throw Error("FrameInit: null spectral backend");
  backend_ = std::move(backend);
}

torch::Tensor FrameInit::filter(at::IntArrayRef shape, torch::Device device) { return cache_.get(shape, spec_, device); }

torch::Tensor FrameInit::mix(const torch::Tensor& x, const torch::Tensor& noise) {
  torch::Tensor lpf = filter(x.sizes(), x.device());
  auto [xf, nf, f] = prepare(x, noise, lpf);
  return backend_->mix(xf, nf, f);
}

FrequencyBands FrameInit::split(const torch::Tensor& x, const torch::Tensor& noise) {
  torch::Tensor lpf = filter(x.sizes(), x.device());
  auto [xf, nf, f] = prepare(x, noise, lpf);
  return backend_->split(xf, nf, f);
}

FrameInit::Result FrameInit::run(const Scheduler& scheduler, const torch::Tensor& static_video,
                                 const torch::Tensor& noise, bool bands) {
  if (static_video.dim() != 5)
    throw Error("FrameInit: the layout video must be [B, C, T, h, w], got " + shape_str(static_video.sizes().vec()));
  if (static_video.sizes() != noise.sizes())
    throw Error("FrameInit: layout video shape " + shape_str(static_video.sizes().vec()) +
                " differs from the initial noise shape " + shape_str(noise.sizes().vec()));
  Result r;
  // Diffuse the layout video to τ with the same noise that provides the high band.
  torch::Tensor static_on = static_video.to(noise.device());
  r.z_T = scheduler.add_noise(static_on, noise, noise_level_);  // [B, C, T, h, w]
  if (bands) {
    FrequencyBands b = split(r.z_T, noise);
    r.latents = b.mixed.to(noise.scalar_type());
    r.low = b.low;
    r.high = b.high;
  } else {
    r.latents = mix(r.z_T, noise).to(noise.scalar_type());
  }
  return r;
}

}  // namespace ci2v::sampling
