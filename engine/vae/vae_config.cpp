#include "engine/vae/vae_config.h"

#include <cmath>

#include "engine/error.h"
#include "engine/io/config_json.h"

namespace ci2v::vae {

namespace {

using io::config_positive_int;

void check_block_types(const nlohmann::json& j, const char* key, const char* want, size_t levels,
                       const std::string& where) {
  if (!j.contains(key) || j[key].is_null()) return;
  const auto& v = j[key];
  if (!v.is_array() || v.size() != levels)
    throw Error(where + ": '" + key + "' must list " + std::to_string(levels) +
                " block types (one per block_out_channels entry), got " + v.dump());
  for (const auto& t : v)
    if (!t.is_string() || t.get<std::string>() != want)
      throw Error(where + ": '" + key + "' entry " + t.dump() + " is not supported (expected \"" + want + "\")");
}

}  // namespace

VaeConfig VaeConfig::from_json(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) throw Error(where + ": expected a JSON object with the AutoencoderKL configuration");
  VaeConfig c;
  c.in_channels = config_positive_int(j, "in_channels", c.in_channels, where);
  c.out_channels = config_positive_int(j, "out_channels", c.out_channels, where);
  // the pipeline encodes and decodes RGB pictures (an out_channels of 1 made the output copy read past the video)
  if (c.in_channels != 3 || c.out_channels != 3)
    throw Error(where + ": 'in_channels' and 'out_channels' must be 3 (RGB), got " + std::to_string(c.in_channels) +
                " and " + std::to_string(c.out_channels));
  c.latent_channels = config_positive_int(j, "latent_channels", c.latent_channels, where, 64);
  c.layers_per_block = config_positive_int(j, "layers_per_block", c.layers_per_block, where, 16);
  c.norm_num_groups = config_positive_int(j, "norm_num_groups", c.norm_num_groups, where, 1024);
  if (j.contains("block_out_channels") && !j["block_out_channels"].is_null()) {
    const auto& v = j["block_out_channels"];
    if (!v.is_array() || v.empty())
      throw Error(where + ": 'block_out_channels' must be a non-empty list of positive integers, got " + v.dump());
    c.block_out_channels.clear();
    for (const auto& e : v) {
      const int64_t ch = config_positive_int(e, "block_out_channels", where);
      if (ch > 8192)
        throw Error(where + ": 'block_out_channels' entry " + std::to_string(ch) + " is more than the 8192 supported");
      c.block_out_channels.push_back(ch);
    }
  }
  if (c.block_out_channels.size() > 8)
    throw Error(where + ": 'block_out_channels' has " + std::to_string(c.block_out_channels.size()) +
                " levels, at most 8 are supported");
  for (auto ch : c.block_out_channels)
    if (ch % c.norm_num_groups != 0)
      throw Error(where + ": 'block_out_channels' entry " + std::to_string(ch) +
                  " is not divisible by 'norm_num_groups' " + std::to_string(c.norm_num_groups));
  if (j.contains("scaling_factor") && !j["scaling_factor"].is_null()) {
    const auto& v = j["scaling_factor"];
    if (!v.is_number() || !(v.get<double>() > 0) || !std::isfinite(v.get<double>()))
      throw Error(where + ": 'scaling_factor' must be a positive number, got " + v.dump());
    c.scaling_factor = v.get<double>();
  }
  if (j.contains("act_fn") && !j["act_fn"].is_null()) {
    const auto& v = j["act_fn"];
    if (!v.is_string() || v.get<std::string>() != "silu")
      throw Error(where + ": 'act_fn' " + v.dump() + " is not supported (expected \"silu\")");
  }
  if (j.contains("mid_block_add_attention") && !j["mid_block_add_attention"].is_null()) {
    const auto& v = j["mid_block_add_attention"];
    if (!v.is_boolean()) throw Error(where + ": 'mid_block_add_attention' must be true or false, got " + v.dump());
    c.mid_block_add_attention = v.get<bool>();
  }
  check_block_types(j, "down_block_types", "DownEncoderBlock2D", c.block_out_channels.size(), where);
  check_block_types(j, "up_block_types", "UpDecoderBlock2D", c.block_out_channels.size(), where);
  return c;
}

}  // namespace ci2v::vae
