// AutoencoderKL configuration (diffusers vae/config.json), validated.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ci2v::vae {

struct VaeConfig {
  int64_t in_channels = 3;
  int64_t out_channels = 3;
  int64_t latent_channels = 4;
  std::vector<int64_t> block_out_channels = {128, 256, 512, 512};
  int64_t layers_per_block = 2;  // encoder down blocks; decoder up blocks have layers_per_block + 1 resnets
  int64_t norm_num_groups = 32;
  double scaling_factor = 0.18215;
  bool mid_block_add_attention = true;  // newer diffusers key; 0.21.2 always has the attention
  double norm_eps = 1e-6;               // every VAE GroupNorm (not a config key)

  // Reads a diffusers AutoencoderKL config (missing keys keep the SD defaults above). Throws ci2v::Error naming
  // `where` and the key for a value that cannot work: non-positive sizes, channels not divisible by
  // norm_num_groups, act_fn other than silu, block types other than DownEncoderBlock2D / UpDecoderBlock2D or
  // a type list whose length differs from block_out_channels, a non-positive scaling_factor.
  static VaeConfig from_json(const nlohmann::json& j, const std::string& where = "vae/config.json");
  // Spatial down-scaling factor image -> latent (2^(levels-1), 8 for SD).
  int64_t downscale() const { return int64_t{1} << (block_out_channels.size() - 1); }
};

}  // namespace ci2v::vae
