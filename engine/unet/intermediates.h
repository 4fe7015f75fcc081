// Named intermediate tensors recorded during a UNet forward (for parity checks and debugging).
// Names follow the reference module paths: "conv_in.out", "down_blocks.0.resnets.0.in", ".in_temb", ".out",
// "down_blocks.0.conv3ds.0.out", "mid_block.out", "conv_norm_out.out", "time_proj.timestep.out", ...
// All frame tensors are in the UNet's internal (B*T, C, h, w) layout, T including the prepended first frame.
#pragma once
#include <torch/torch.h>

#include <functional>
#include <map>
#include <string>

namespace ci2v::unet {

struct Intermediates {
  std::map<std::string, torch::Tensor> tensors;
  // Which names to keep; null keeps everything.
  std::function<bool(const std::string&)> want;

  bool wants(const std::string& name) const { return !want || want(name); }
  void put(const std::string& name, const torch::Tensor& t) {
    if (wants(name)) tensors[name] = t.detach();
  }
  bool has(const std::string& name) const { return tensors.count(name) != 0; }
  torch::Tensor get(const std::string& name) const {
    auto it = tensors.find(name);
    return it == tensors.end() ? torch::Tensor() : it->second;
  }
};

// Record `t` under prefix + suffix when capturing (no string work otherwise).
inline void record(Intermediates* cap, const std::string& prefix, const char* suffix, const torch::Tensor& t) {
  if (cap) cap->put(prefix + suffix, t);
}

}  // namespace ci2v::unet
