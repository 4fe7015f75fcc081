// Configuration of the ConsistI2V video UNet (VideoLDMUNet3DConditionModel), read from unet/config.json.
// Only the values the released model and the parity fixtures use are supported; anything else is rejected
// with a ci2v::Error naming the key (model-reference.md §1.3, §2.1).
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace ci2v::unet {

enum class DownBlockType { CrossAttn, Plain };  // "CrossAttnDownBlock2D" / "DownBlock2D"
enum class UpBlockType { CrossAttn, Plain };    // "CrossAttnUpBlock2D" / "UpBlock2D"

struct UNetConfig {
  int64_t in_channels = 4;
  int64_t out_channels = 4;
  std::vector<int64_t> block_out_channels;          // one per level
  std::vector<DownBlockType> down_block_types;      // one per level
  std::vector<UpBlockType> up_block_types;          // one per level (deepest first)
  std::vector<int64_t> layers_per_block;            // per level (down side; up blocks have one more)
  std::vector<int64_t> heads;                       // spatial heads per level ("attention_head_dim": head COUNTS)
  std::vector<int64_t> cross_attention_dim;         // per level
  std::vector<int64_t> transformer_layers_per_block;  // per level
  int64_t n_temp_heads = 8;                         // temporal transformer heads
  int64_t n_frames = 8;                             // informational: the runtime frame count is used everywhere
  int64_t norm_num_groups = 32;
  double norm_eps = 1e-5;                           // ResnetBlock2D and conv_norm_out GroupNorms
  bool flip_sin_to_cos = true;
  double freq_shift = 0;
  int64_t time_embed_dim = 0;                       // 4 * block_out_channels[0] unless time_embedding_dim is set
  bool use_linear_projection = false;               // proj_in / proj_out: Linear (true) or 1x1 Conv2d
  bool augment_temporal_attention = false;          // temporal attn1 sees frame 0's 3x3 window
  bool use_frame_stride_condition = false;          // frame_stride_embedding present
  int64_t conv_in_kernel = 3, conv_out_kernel = 3;
  int64_t downsample_padding = 1;
  double mid_block_scale_factor = 1.0;              // output scale of the mid block's resnets

  // Temporal resnets (TemporalResnetBlock class defaults, not taken from the config).
  static constexpr int64_t kTemporalGroups = 32;
  static constexpr double kTemporalEps = 1e-6;
  static constexpr int64_t kTemporalTembChannels = 512;  // size of the unused time_emb_proj
  static constexpr double kTransformerNormEps = 1e-6;    // Transformer2DConditionModel input GroupNorm
  static constexpr double kLayerNormEps = 1e-5;          // transformer LayerNorms
  static constexpr int64_t kRelativeBiasBuckets = 32;    // unused rotary_bias table rows

  size_t levels() const { return block_out_channels.size(); }

  // Parse a diffusers unet/config.json. `what` names the source in error messages.
  static UNetConfig from_json(const nlohmann::json& j, const std::string& what = "unet/config.json");
  // The released TIGER-Lab/ConsistI2V configuration (SD-2.1-base UNet + ConsistI2V temporal layers).
  static UNetConfig released();
  // The config as diffusers would write it (round-trips through from_json).
  nlohmann::json to_json() const;
};

}  // namespace ci2v::unet
