#include "engine/unet/unet_config.h"

#include "engine/error.h"

namespace ci2v::unet {

namespace {

using nlohmann::json;

// Reads keys with the Python constructor's defaults and reports bad values by key.
class Reader {
public:
  Reader(const json& j, const std::string& what) : j_(j), what_(what) {}

  [[noreturn]] void fail(const std::string& key, const std::string& expected) const {
    std::string got = j_.contains(key) ? j_[key].dump() : std::string("(absent)");
    if (got.size() > 200) got = got.substr(0, 200) + "...";
    throw Error(what_ + ": key '" + key + "' = " + got + ": " + expected);
  }
  bool present(const std::string& key) const { return j_.contains(key) && !j_[key].is_null(); }

  int64_t integer(const std::string& key, int64_t def) const {
    if (!present(key)) return def;
    const auto& v = j_[key];
    if (v.is_number_integer()) return v.get<int64_t>();
    if (v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<int64_t>(v.get<double>())))
      return static_cast<int64_t>(v.get<double>());
    fail(key, "expected an integer");
  }
  double number(const std::string& key, double def) const {
    if (!present(key)) return def;
    if (!j_[key].is_number()) fail(key, "expected a number");
    return j_[key].get<double>();
  }
  bool boolean(const std::string& key, bool def) const {
    if (!present(key)) return def;
    if (!j_[key].is_boolean()) fail(key, "expected true or false");
    return j_[key].get<bool>();
  }
  std::string string(const std::string& key, const std::string& def) const {
    if (!present(key)) return def;
    if (!j_[key].is_string()) fail(key, "expected a string");
    return j_[key].get<std::string>();
  }
  std::vector<std::string> strings(const std::string& key, const std::vector<std::string>& def) const {
    if (!present(key)) return def;
    const auto& v = j_[key];
    if (!v.is_array() || v.empty()) fail(key, "expected a non-empty list of strings");
    std::vector<std::string> out;
    for (const auto& e : v) {
      if (!e.is_string()) fail(key, "expected a list of strings");
      out.push_back(e.get<std::string>());
    }
    return out;
  }
  // An int or a list of ints (one per level).
  std::vector<int64_t> per_level(const std::string& key, const std::vector<int64_t>& def, size_t levels) const {
    if (!present(key)) return def.size() == 1 ? std::vector<int64_t>(levels, def[0]) : def;
    const auto& v = j_[key];
    if (v.is_number_integer()) return std::vector<int64_t>(levels, v.get<int64_t>());
    if (!v.is_array()) fail(key, "expected an integer or a list of integers");
    std::vector<int64_t> out;
    for (const auto& e : v) {
      if (!e.is_number_integer()) fail(key, "expected an integer or a list of integers");
      out.push_back(e.get<int64_t>());
    }
    if (out.size() != levels)
      fail(key, "expected " + std::to_string(levels) + " entries (one per entry of down_block_types)");
    return out;
  }
  void require_null(const std::string& key, const std::string& why = "only null is supported") const {
    if (present(key)) fail(key, why);
  }
  void require_false(const std::string& key) const {
    if (boolean(key, false)) fail(key, "only false is supported");
  }

private:
  const json& j_;
  std::string what_;
};

std::string strip_unetres(const std::string& s) { return s.rfind("UNetRes", 0) == 0 ? s.substr(7) : s; }

}  // namespace

UNetConfig UNetConfig::from_json(const nlohmann::json& j, const std::string& what) {
  if (!j.is_object()) throw Error(what + ": expected a JSON object");
  Reader r(j, what);
  UNetConfig c;

  const std::string cls = r.string("_class_name", "VideoLDMUNet3DConditionModel");
  if (cls != "VideoLDMUNet3DConditionModel")
    r.fail("_class_name", "expected VideoLDMUNet3DConditionModel (the ConsistI2V video UNet)");

  c.in_channels = r.integer("in_channels", 4);
  c.out_channels = r.integer("out_channels", 4);
  if (c.in_channels <= 0) r.fail("in_channels", "expected a positive integer");
  if (c.out_channels <= 0) r.fail("out_channels", "expected a positive integer");
  r.require_false("center_input_sample");
  c.flip_sin_to_cos = r.boolean("flip_sin_to_cos", true);
  c.freq_shift = r.number("freq_shift", 0);

  const auto downs = r.strings("down_block_types", {"CrossAttnDownBlock2D", "CrossAttnDownBlock2D",
                                                    "CrossAttnDownBlock2D", "DownBlock2D"});
  for (const auto& s : downs) {
    const auto t = strip_unetres(s);
    if (t == "CrossAttnDownBlock2D") c.down_block_types.push_back(DownBlockType::CrossAttn);
    else if (t == "DownBlock2D") c.down_block_types.push_back(DownBlockType::Plain);
    else r.fail("down_block_types", "entry '" + s + "' is not CrossAttnDownBlock2D or DownBlock2D");
  }
  const auto ups = r.strings("up_block_types", {"UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D",
                                                "CrossAttnUpBlock2D"});
  for (const auto& s : ups) {
    const auto t = strip_unetres(s);
    if (t == "CrossAttnUpBlock2D") c.up_block_types.push_back(UpBlockType::CrossAttn);
    else if (t == "UpBlock2D") c.up_block_types.push_back(UpBlockType::Plain);
    else r.fail("up_block_types", "entry '" + s + "' is not CrossAttnUpBlock2D or UpBlock2D");
  }
  const size_t L = c.down_block_types.size();
  if (c.up_block_types.size() != L)
    r.fail("up_block_types", "expected as many entries as down_block_types (" + std::to_string(L) + ")");
  if (r.string("mid_block_type", "UNetMidBlock2DCrossAttn") != "UNetMidBlock2DCrossAttn")
    r.fail("mid_block_type", "only UNetMidBlock2DCrossAttn is supported");

  c.block_out_channels = r.per_level("block_out_channels", {320, 640, 1280, 1280}, L);
  if (!r.present("block_out_channels") && L != 4)
    r.fail("block_out_channels", "absent, and the default has 4 entries while down_block_types has " +
                                     std::to_string(L));
  c.layers_per_block = r.per_level("layers_per_block", {2}, L);
  c.heads = r.per_level("attention_head_dim", {8}, L);
  r.require_null("num_attention_heads", "must be null (the reference raises; attention_head_dim holds the head counts)");
  c.cross_attention_dim = r.per_level("cross_attention_dim", {1280}, L);
  c.transformer_layers_per_block = r.per_level("transformer_layers_per_block", {1}, L);
  if (j.contains("norm_num_groups") && j["norm_num_groups"].is_null())
    r.fail("norm_num_groups", "null (no conv_norm_out) is not supported");
  c.norm_num_groups = r.integer("norm_num_groups", 32);
  if (c.norm_num_groups <= 0) r.fail("norm_num_groups", "expected a positive integer");
  c.norm_eps = r.number("norm_eps", 1e-5);
  if (c.norm_eps <= 0) r.fail("norm_eps", "expected a positive number");

  for (size_t i = 0; i < L; ++i) {
    const int64_t C = c.block_out_channels[i];
    if (C <= 0) r.fail("block_out_channels", "expected positive channel counts");
    if (C % c.norm_num_groups != 0)
      r.fail("block_out_channels", std::to_string(C) + " is not divisible by norm_num_groups " +
                                       std::to_string(c.norm_num_groups));
    if (C % UNetConfig::kTemporalGroups != 0)
      r.fail("block_out_channels", std::to_string(C) + " is not divisible by the 32 groups of the temporal resnets");
    if (c.layers_per_block[i] <= 0) r.fail("layers_per_block", "expected positive layer counts");
    if (c.heads[i] <= 0 || C % c.heads[i] != 0)
      r.fail("attention_head_dim", "level " + std::to_string(i) + ": " + std::to_string(C) +
                                       " channels are not divisible into this many heads (the entries are head counts)");
    if (c.cross_attention_dim[i] <= 0) r.fail("cross_attention_dim", "expected positive sizes");
    if (c.transformer_layers_per_block[i] <= 0)
      r.fail("transformer_layers_per_block", "expected positive layer counts");
  }

  // Upper bounds far above any released UNet (SD 2.1: 1280 channels, 2 layers, 20 heads): a hostile or broken
  // config must not allocate gigabytes before the checkpoint's shapes are compared.
  auto cap = [&](const char* key, int64_t v, int64_t max) {
    if (v > max) r.fail(key, std::to_string(v) + " is more than the " + std::to_string(max) + " supported");
  };
  cap("in_channels", c.in_channels, 64);
  cap("out_channels", c.out_channels, 64);
  cap("norm_num_groups", c.norm_num_groups, 1024);
  for (size_t i = 0; i < L; ++i) {
    cap("block_out_channels", c.block_out_channels[i], 8192);
    cap("layers_per_block", c.layers_per_block[i], 16);
    cap("attention_head_dim", c.heads[i], 256);
    cap("cross_attention_dim", c.cross_attention_dim[i], 8192);
    cap("transformer_layers_per_block", c.transformer_layers_per_block[i], 16);
  }

  const std::string act = r.string("act_fn", "silu");
  if (act != "silu" && act != "swish") r.fail("act_fn", "only silu is supported");
  r.require_null("encoder_hid_dim");
  r.require_null("encoder_hid_dim_type");
  r.require_null("class_embed_type");
  r.require_null("num_class_embeds");
  r.require_null("addition_embed_type");
  r.require_false("class_embeddings_concat");
  r.require_false("dual_cross_attention");
  if (j.contains("only_cross_attention")) {
    const auto& v = j["only_cross_attention"];
    bool any = v.is_boolean() ? v.get<bool>() : false;
    if (v.is_array())
      for (const auto& e : v) any = any || !e.is_boolean() || e.get<bool>();
    else if (!v.is_boolean() && !v.is_null())
      any = true;
    if (any) r.fail("only_cross_attention", "only false is supported");
  }
  if (r.string("resnet_time_scale_shift", "default") != "default")
    r.fail("resnet_time_scale_shift", "only \"default\" is supported");
  if (r.string("time_embedding_type", "positional") != "positional")
    r.fail("time_embedding_type", "only \"positional\" is supported");
  r.require_null("time_embedding_act_fn");
  r.require_null("timestep_post_act");
  r.require_null("time_cond_proj_dim");
  if (r.string("attention_type", "default") != "default") r.fail("attention_type", "only \"default\" is supported");
  c.time_embed_dim = r.integer("time_embedding_dim", 4 * c.block_out_channels[0]);
  if (c.time_embed_dim <= 0) r.fail("time_embedding_dim", "expected a positive integer");
  c.use_linear_projection = r.boolean("use_linear_projection", false);
  c.conv_in_kernel = r.integer("conv_in_kernel", 3);
  c.conv_out_kernel = r.integer("conv_out_kernel", 3);
  if (c.conv_in_kernel <= 0 || c.conv_in_kernel % 2 == 0) r.fail("conv_in_kernel", "expected an odd positive size");
  if (c.conv_out_kernel <= 0 || c.conv_out_kernel % 2 == 0) r.fail("conv_out_kernel", "expected an odd positive size");
  cap("time_embedding_dim", c.time_embed_dim, 32768);
  cap("conv_in_kernel", c.conv_in_kernel, 15);
  cap("conv_out_kernel", c.conv_out_kernel, 15);
  c.downsample_padding = r.integer("downsample_padding", 1);
  // (diffusers' UNets use 1; more pads every downsampling conv beyond its kernel: a huge one made generation hang)
  if (c.downsample_padding < 0 || c.downsample_padding > 1) r.fail("downsample_padding", "expected 0 or 1");
  c.mid_block_scale_factor = r.number("mid_block_scale_factor", 1.0);
  if (c.mid_block_scale_factor == 0) r.fail("mid_block_scale_factor", "expected a non-zero number");

  // ConsistI2V keys.
  if (!r.boolean("use_temporal", true)) r.fail("use_temporal", "only true is supported (the temporal layers)");
  c.n_frames = r.integer("n_frames", 8);
  c.n_temp_heads = r.integer("n_temp_heads", 8);
  if (c.n_temp_heads <= 0) r.fail("n_temp_heads", "expected a positive integer");
  cap("n_temp_heads", c.n_temp_heads, 256);
  for (size_t i = 0; i < L; ++i) {
    const int64_t C = c.block_out_channels[i];
    if (C % c.n_temp_heads != 0 || C / c.n_temp_heads < 1)
      r.fail("n_temp_heads", std::to_string(C) + " channels are not divisible into this many temporal heads");
    if (C / 2 < 2) r.fail("block_out_channels", "too few channels for the rotary embedding");
  }
  if (r.string("first_frame_condition_mode", "none") != "concat")
    r.fail("first_frame_condition_mode", "only \"concat\" is supported (first frame prepended on the frame axis)");
  c.augment_temporal_attention = r.boolean("augment_temporal_attention", false);
  if (r.string("temp_pos_embedding", "sinusoidal") != "rotary")
    r.fail("temp_pos_embedding", "only \"rotary\" is supported");
  c.use_frame_stride_condition = r.boolean("use_frame_stride_condition", false);
  return c;
}

UNetConfig UNetConfig::released() {
  return from_json(json{{"_class_name", "VideoLDMUNet3DConditionModel"},
                        {"in_channels", 4},
                        {"out_channels", 4},
                        {"block_out_channels", {320, 640, 1280, 1280}},
                        {"down_block_types",
                         {"CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"}},
                        {"up_block_types", {"UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"}},
                        {"mid_block_type", "UNetMidBlock2DCrossAttn"},
                        {"layers_per_block", 2},
                        {"attention_head_dim", {5, 10, 20, 20}},
                        {"cross_attention_dim", 1024},
                        {"use_linear_projection", true},
                        {"norm_num_groups", 32},
                        {"norm_eps", 1e-5},
                        {"act_fn", "silu"},
                        {"flip_sin_to_cos", true},
                        {"freq_shift", 0},
                        {"n_frames", 16},
                        {"n_temp_heads", 8},
                        {"first_frame_condition_mode", "concat"},
                        {"augment_temporal_attention", true},
                        {"temp_pos_embedding", "rotary"},
                        {"use_frame_stride_condition", true},
                        {"use_temporal", true}},
                   "released ConsistI2V UNet config");
}

nlohmann::json UNetConfig::to_json() const {
  json j;
  j["_class_name"] = "VideoLDMUNet3DConditionModel";
  j["in_channels"] = in_channels;
  j["out_channels"] = out_channels;
  j["block_out_channels"] = block_out_channels;
  std::vector<std::string> d, u;
  for (auto t : down_block_types) d.push_back(t == DownBlockType::CrossAttn ? "CrossAttnDownBlock2D" : "DownBlock2D");
  for (auto t : up_block_types) u.push_back(t == UpBlockType::CrossAttn ? "CrossAttnUpBlock2D" : "UpBlock2D");
  j["down_block_types"] = d;
  j["up_block_types"] = u;
  j["mid_block_type"] = "UNetMidBlock2DCrossAttn";
  j["layers_per_block"] = layers_per_block;
  j["attention_head_dim"] = heads;
  j["cross_attention_dim"] = cross_attention_dim;
  j["transformer_layers_per_block"] = transformer_layers_per_block;
  j["norm_num_groups"] = norm_num_groups;
  j["norm_eps"] = norm_eps;
  j["flip_sin_to_cos"] = flip_sin_to_cos;
  j["freq_shift"] = freq_shift;
  j["time_embedding_dim"] = time_embed_dim;
  j["use_linear_projection"] = use_linear_projection;
  j["conv_in_kernel"] = conv_in_kernel;
  j["conv_out_kernel"] = conv_out_kernel;
  j["downsample_padding"] = downsample_padding;
  j["mid_block_scale_factor"] = mid_block_scale_factor;
  j["n_frames"] = n_frames;
  j["n_temp_heads"] = n_temp_heads;
  j["first_frame_condition_mode"] = "concat";
  j["augment_temporal_attention"] = augment_temporal_attention;
  j["temp_pos_embedding"] = "rotary";
  j["use_frame_stride_condition"] = use_frame_stride_condition;
  j["use_temporal"] = true;
  return j;
}

}  // namespace ci2v::unet
