// AdamW and global-norm gradient clipping over one flat buffer (issue #11's GPU training).
//
// torch::optim::AdamW updates every parameter tensor on its own: about 30 ATen calls per tensor and step, 20,000
// for the demo UNet's 635 tensors, plus 3,600 for clip_grad_norm_. On a GPU, where the tiny UNet's step is bound
// by such calls rather than by arithmetic, that is a fifth of the step. Here the parameters are views into one
// buffer, the gradients are gathered into another with one concatenation, and clipping and the AdamW update are a
// few dozen kernels whatever the number of tensors (1,407 ATen calls for the demo UNet, 1,270 of them reshapes).
// The learning rate and the step count live in device tensors and the update never reads them on the host, so a
// whole training step can be captured in a CUDA graph. The trainer uses it for the VAE stage and the UNet stage.
//
// The update is torch::optim::AdamW's (decoupled weight decay, bias-corrected moments, eps added after the square
// root of the corrected second moment, no amsgrad) after torch::nn::utils::clip_grad_norm_ (the global L2 norm
// of all gradients; scale by max_norm / (norm + 1e-6) when that is below 1). A parameter without a gradient takes
// a zero gradient (torch's AdamW would skip it: it still decays and its moments still shrink here).
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

namespace ci2v::train {

// The parameters the trainer optimises (all but the rotary frequencies, a fixed formula), set to require grad.
std::vector<torch::Tensor> trainable_parameters(torch::nn::Module& m);

struct FlatAdamWOptions {
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 1e-2;
  double max_grad_norm = 0;  // > 0: clip the global gradient norm to this first
  // > 0 (< 1): also keep an exponential moving average of the parameters, updated after every step with the
  // decay min(ema_decay, (1 + t) / (10 + t)) at step t = 0, 1, ... (diffusers' EMAModel warm-up): one more
  // buffer and one more pass per step, capturable like the rest.
  double ema_decay = 0;
  // The moving average's step count at the first step (t above starts here): a resumed run whose average goes
  // on from a saved one passes the steps already taken, so the warm-up does not start again.
  int64_t ema_first_step = 0;
};

class FlatAdamW {
public:
  // The parameters (floating point, one device and dtype, each once) become views into one buffer, keeping their
  // values and their layout (strides); each starts at a multiple of 64 elements. While training, do not freeze
  // the network between steps: a frozen forward may repoint a weight at a cache (GEMM temporal convolutions).
  FlatAdamW(std::vector<torch::Tensor> params, FlatAdamWOptions o);

  // The learning rate of the next steps (a device tensor write: no host synchronisation; outside a CUDA graph).
  void set_lr(double lr);
  // One step on the gradients the last backward left: gathers them (the parameters' .grad are reset to undefined),
  // clips, updates. Capturable in a CUDA graph (no host reads).
  void step();
  // Resets the parameters' gradients to undefined (what step() does after gathering them).
  void zero_grads();
  // Marks every parameter as changed (its version counter): step() does it on the host; after a CUDA graph's
  // replay of a step the caller does it.
  void bump_versions();

  // Exchanges the parameters' values with their moving average (ema_decay > 0; throws otherwise): call it once to
  // put the average into the network (to save or evaluate it), once more to go back. Bumps the versions.
  void swap_ema();
  bool has_ema() const { return ema_.defined(); }

  // The optimiser's whole state, to write with a checkpoint and restore bit for bit (a run stopped and resumed
  // trains exactly as one that never stopped): the flat parameters, both moments, the moving average (undefined
  // without ema_decay), in the buffers' own layout (so the parameters must be the same tensors in the same order),
  // and the steps taken. `load_state` checks sizes and presence against this optimiser and throws ci2v::Error
  // naming `what` and the tensor at fault; it bumps the parameters' versions.
  struct State {
    torch::Tensor params, exp_avg, exp_avg_sq, ema;
    int64_t steps = 0;
  };
  State state() const;  // copies on the CPU
  void load_state(const State& s, const std::string& what);

  const torch::Tensor& flat_params() const { return flat_; }
  const torch::Tensor& ema_params() const { return ema_; }  // undefined without ema_decay
  const torch::Tensor& grad_norm() const { return norm_; }  // the last step's norm before clipping (a device scalar)
  int64_t steps_taken() const;                              // reads the device counter (synchronises)

private:
  std::vector<torch::Tensor> params_;
  std::vector<int64_t> offsets_;        // each parameter's first element in the buffers (multiples of 64)
  FlatAdamWOptions o_;
  torch::Tensor flat_, m_, v_;          // [numel, padded]
  torch::Tensor ema_;                   // the moving average of flat_ (ema_decay > 0), same layout
  torch::Tensor pad_;                   // zeros for the gaps between parameters
  torch::Tensor lr_, count_, norm_;     // 0-dim device tensors (fp64 for the learning rate and the count)
};

}  // namespace ci2v::train
