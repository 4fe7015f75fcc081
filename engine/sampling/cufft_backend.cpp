// The cuFFT SpectralBackend (CUDA builds): LibTorch tensors in, the raw kernels of cufft_mix.cu on the current
// CUDA stream of x's device, buffers from LibTorch's caching allocator. CPU tensors (or a build without the CUDA kernels) go
// through torch::fft.
#include "engine/sampling/frameinit.h"

#ifdef CONSISTI2V_HAVE_CUDA_KERNELS
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include <vector>

#include "engine/error.h"
#include "engine/sampling/cufft_mix.h"
#endif

namespace ci2v::sampling {

#ifdef CONSISTI2V_HAVE_CUDA_KERNELS
namespace {

class CufftBackend : public SpectralBackend {
public:
  std::string name() const override { return "cufft"; }

  torch::Tensor mix(const torch::Tensor& x, const torch::Tensor& noise, const torch::Tensor& lpf) override {
    if (!x.is_cuda()) return torch_fft_backend()->mix(x, noise, lpf);
    const c10::cuda::CUDAGuard on_x(x.device());  // x's device current: its stream, its plans
    Prepared p = prepare(x, noise, lpf);
    torch::Tensor work = torch::empty({2 * p.shape.batch * p.shape.volume() * 2}, p.x.options());  // complex pairs
    torch::Tensor out = torch::empty_like(p.x);
    WorkAreas areas(x.device());
    check(cuda::frameinit_mix(p.x.data_ptr<float>(), p.noise.data_ptr<float>(), p.lpf.data_ptr<float>(), p.lpf_batch,
                              work.data_ptr<float>(), out.data_ptr<float>(), p.shape, stream(), areas.alloc()),
          areas);
    return out.view(x.sizes());
  }

  FrequencyBands split(const torch::Tensor& x, const torch::Tensor& noise, const torch::Tensor& lpf) override {
    if (!x.is_cuda()) return torch_fft_backend()->split(x, noise, lpf);
    const c10::cuda::CUDAGuard on_x(x.device());  // x's device current: its stream, its plans
    Prepared p = prepare(x, noise, lpf);
    torch::Tensor work = torch::empty({3 * p.shape.batch * p.shape.volume() * 2}, p.x.options());
    FrequencyBands b;
    b.low = torch::empty_like(p.x);
    b.high = torch::empty_like(p.x);
    b.mixed = torch::empty_like(p.x);
    WorkAreas areas(x.device());
    check(cuda::frameinit_split(p.x.data_ptr<float>(), p.noise.data_ptr<float>(), p.lpf.data_ptr<float>(), p.lpf_batch,
                                work.data_ptr<float>(), b.low.data_ptr<float>(), b.high.data_ptr<float>(),
                                b.mixed.data_ptr<float>(), p.shape, stream(), areas.alloc()),
          areas);
    b.low = b.low.view(x.sizes());
    b.high = b.high.view(x.sizes());
    b.mixed = b.mixed.view(x.sizes());
    return b;
  }

private:
  // cuFFT's work areas for one call, from LibTorch's caching allocator on the current stream: freed when the call
  // returns, reused by later work on that stream only after the queued transforms (stream order).
  class WorkAreas {
  public:
    explicit WorkAreas(const torch::Device& d) : device_(d) {}
    cuda::WorkAreaAlloc alloc() {
      return [this](size_t bytes) -> void* {
        try {
          held_.push_back(torch::empty({static_cast<int64_t>(bytes)}, torch::TensorOptions().dtype(torch::kUInt8).device(device_)));
          return held_.back().data_ptr();
        } catch (const std::exception& e) {
          failure_ = e.what();  // the call fails naming the missing work area, and check() adds why
          return nullptr;
        }
      };
    }
    const std::string& failure() const { return failure_; }

  private:
    torch::Device device_;
    std::vector<torch::Tensor> held_;
    std::string failure_;
  };

  struct Prepared {
    torch::Tensor x, noise, lpf;  // fp32, contiguous, on x's device
    int64_t lpf_batch = 1;
    cuda::Fft3dShape shape;
  };

  static Prepared prepare(const torch::Tensor& x, const torch::Tensor& noise, const torch::Tensor& lpf) {
    if (x.dim() < 3 || !x.sizes().equals(noise.sizes()))
      throw Error("FrameInit (cuFFT): x and noise must have the same shape [.., T, H, W], got " +
                  shape_str(x.sizes().vec()) + " and " + shape_str(noise.sizes().vec()));
    const int64_t T = x.size(-3), H = x.size(-2), W = x.size(-1);
    if (lpf.dim() < 3 || lpf.size(-3) != T || lpf.size(-2) != H || lpf.size(-1) != W)
      throw Error("FrameInit (cuFFT): filter shape " + shape_str(lpf.sizes().vec()) +
                  " does not match the latent shape " + shape_str(x.sizes().vec()) + " in (T, H, W)");
    Prepared p;
    p.x = x.to(torch::kFloat).contiguous();
    p.noise = noise.to(x.device(), torch::kFloat).contiguous();
    p.shape.batch = x.numel() / (T * H * W);
    p.shape.t = T;
    p.shape.h = H;
    p.shape.w = W;
    const int64_t lb = lpf.numel() / (T * H * W);
    if (lb == 1 || lb == p.shape.batch) {
      p.lpf = lpf.to(x.device(), torch::kFloat).contiguous();
      p.lpf_batch = lb;
    } else {  // any other broadcast: expand to one filter per volume
      p.lpf = lpf.to(x.device(), torch::kFloat).expand(x.sizes()).contiguous();
      p.lpf_batch = p.shape.batch;
    }
    return p;
  }

  static void* stream() { return c10::cuda::getCurrentCUDAStream().stream(); }

  static void check(const std::string& error, const WorkAreas& areas) {
    if (!error.empty()) throw Error(error + (areas.failure().empty() ? "" : " (" + areas.failure() + ")"));
  }
};

}  // namespace

std::shared_ptr<SpectralBackend> cufft_backend() {
  static auto backend = std::make_shared<CufftBackend>();
  return backend;
}

int64_t cufft_plans_built() { return cuda::frameinit_plans_built(); }

#else

std::shared_ptr<SpectralBackend> cufft_backend() { return nullptr; }
int64_t cufft_plans_built() { return 0; }

#endif

}  // namespace ci2v::sampling
