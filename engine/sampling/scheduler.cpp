#include "engine/sampling/scheduler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <type_traits>

#include "engine/error.h"
#include "engine/sampling/noise.h"

namespace ci2v::sampling {

// ---------------------------------------------------------------------------------------------------------
// Configuration

SchedulerConfig SchedulerConfig::reference() {
  SchedulerConfig c;
  c.num_train_timesteps = 1000;
  c.beta_start = 0.00085;
  c.beta_end = 0.012;
  c.beta_schedule = "linear";
  c.clip_sample = false;
  c.set_alpha_to_one = true;
  c.steps_offset = 1;
  c.prediction_type = "epsilon";
  c.thresholding = false;
  c.timestep_spacing = "leading";
  c.rescale_betas_zero_snr = false;
  return c;
}

namespace {

template <class T>
void read_field(const nlohmann::json& j, const char* key, T& out, const std::string& what) {
  if (!j.contains(key) || j[key].is_null()) return;
  const auto& v = j[key];
  const std::string where = what + ": field '" + key + "'";
  if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_boolean()) throw Error(where + " must be a boolean, got " + v.dump());
    out = v.get<bool>();
  } else if constexpr (std::is_same_v<T, int64_t>) {
    if (!v.is_number_integer()) throw Error(where + " must be an integer, got " + v.dump());
    out = v.get<int64_t>();
  } else if constexpr (std::is_same_v<T, double>) {
    if (!v.is_number()) throw Error(where + " must be a number, got " + v.dump());
    out = v.get<double>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!v.is_string()) throw Error(where + " must be a string, got " + v.dump());
    out = v.get<std::string>();
  }
}

}  // namespace

SchedulerConfig SchedulerConfig::from_json(const nlohmann::json& j, const std::string& what) {
  if (!j.is_object()) throw Error(what + ": expected a JSON object, got " + std::string(j.type_name()));
  SchedulerConfig c;
  read_field(j, "num_train_timesteps", c.num_train_timesteps, what);
  read_field(j, "beta_start", c.beta_start, what);
  read_field(j, "beta_end", c.beta_end, what);
  read_field(j, "beta_schedule", c.beta_schedule, what);
  if (j.contains("trained_betas") && !j["trained_betas"].is_null()) {
    const auto& tb = j["trained_betas"];
    if (!tb.is_array()) throw Error(what + ": field 'trained_betas' must be null or an array of numbers");
    for (size_t i = 0; i < tb.size(); ++i) {
      if (!tb[i].is_number())
        throw Error(what + ": field 'trained_betas[" + std::to_string(i) + "]' must be a number, got " + tb[i].dump());
      c.trained_betas.push_back(tb[i].get<double>());
    }
  }
  read_field(j, "clip_sample", c.clip_sample, what);
  read_field(j, "clip_sample_range", c.clip_sample_range, what);
  read_field(j, "set_alpha_to_one", c.set_alpha_to_one, what);
  read_field(j, "steps_offset", c.steps_offset, what);
  read_field(j, "prediction_type", c.prediction_type, what);
  read_field(j, "thresholding", c.thresholding, what);
  read_field(j, "dynamic_thresholding_ratio", c.dynamic_thresholding_ratio, what);
  read_field(j, "sample_max_value", c.sample_max_value, what);
  read_field(j, "timestep_spacing", c.timestep_spacing, what);
  read_field(j, "rescale_betas_zero_snr", c.rescale_betas_zero_snr, what);
  read_field(j, "lower_order_final", c.lower_order_final, what);
  c.validate(what);
  return c;
}

nlohmann::json SchedulerConfig::to_json() const {
  nlohmann::json j;
  j["num_train_timesteps"] = num_train_timesteps;
  j["beta_start"] = beta_start;
  j["beta_end"] = beta_end;
  j["beta_schedule"] = beta_schedule;
  j["trained_betas"] = trained_betas.empty() ? nlohmann::json(nullptr) : nlohmann::json(trained_betas);
  j["clip_sample"] = clip_sample;
  j["clip_sample_range"] = clip_sample_range;
  j["set_alpha_to_one"] = set_alpha_to_one;
  j["steps_offset"] = steps_offset;
  j["prediction_type"] = prediction_type;
  j["thresholding"] = thresholding;
  j["dynamic_thresholding_ratio"] = dynamic_thresholding_ratio;
  j["sample_max_value"] = sample_max_value;
  j["timestep_spacing"] = timestep_spacing;
  j["rescale_betas_zero_snr"] = rescale_betas_zero_snr;
  j["lower_order_final"] = lower_order_final;
  return j;
}

void SchedulerConfig::validate(const std::string& what) const {
  if (num_train_timesteps < 2)
    throw Error(what + ": num_train_timesteps must be >= 2, got " + std::to_string(num_train_timesteps));
  if (!trained_betas.empty() && static_cast<int64_t>(trained_betas.size()) != num_train_timesteps)
    throw Error(what + ": trained_betas has " + std::to_string(trained_betas.size()) +
                " values, expected num_train_timesteps = " + std::to_string(num_train_timesteps));
  if (trained_betas.empty() && beta_schedule != "linear" && beta_schedule != "scaled_linear" &&
      beta_schedule != "squaredcos_cap_v2")
    throw Error(what + ": beta_schedule must be linear, scaled_linear or squaredcos_cap_v2, got '" + beta_schedule + "'");
  if (trained_betas.empty() && (beta_schedule == "linear" || beta_schedule == "scaled_linear") &&
      !(beta_start > 0 && beta_end > 0 && beta_start < 1 && beta_end < 1))
    throw Error(what + ": beta_start and beta_end must lie in (0, 1), got " + std::to_string(beta_start) + " and " +
                std::to_string(beta_end));
  if (prediction_type != "epsilon" && prediction_type != "v_prediction" && prediction_type != "sample")
    throw Error(what + ": prediction_type must be epsilon, v_prediction or sample, got '" + prediction_type + "'");
  if (timestep_spacing != "leading" && timestep_spacing != "trailing" && timestep_spacing != "linspace")
    throw Error(what + ": timestep_spacing must be leading, trailing or linspace, got '" + timestep_spacing + "'");
  if (steps_offset < 0) throw Error(what + ": steps_offset must be >= 0, got " + std::to_string(steps_offset));
  // far above any released schedule (1000): the betas and the tables are built for every step
  if (num_train_timesteps > 100000)
    throw Error(what + ": num_train_timesteps must be at most 100000, got " + std::to_string(num_train_timesteps));
  if (thresholding && !(dynamic_thresholding_ratio > 0 && dynamic_thresholding_ratio <= 1))
    throw Error(what + ": dynamic_thresholding_ratio must lie in (0, 1] (a quantile), got " +
                std::to_string(dynamic_thresholding_ratio));
  if (thresholding && !(sample_max_value >= 1))
    throw Error(what + ": sample_max_value must be at least 1 (the threshold's lower end), got " +
                std::to_string(sample_max_value));
  if (clip_sample && !(clip_sample_range > 0))
    throw Error(what + ": clip_sample_range must be positive, got " + std::to_string(clip_sample_range));
}

namespace {

// torch.linspace(start, end, n, dtype=float32) as the reference's torch (2.x, CPU) computes it: in float,
// step = (end − start)/(n − 1); element i = start + step·i for i < n/2 and end − step·(n − 1 − i) after,
// each with a single rounding (fused multiply-add). Bit-identical to the fixtures' betas; LibTorch 1.13's
// vectorised kernel rounds twice and differs in the last bit for about a quarter of the values.
torch::Tensor linspace_f32(double start_d, double end_d, int64_t n) {
  torch::Tensor out = torch::empty({n}, torch::kFloat32);
  float* p = out.data_ptr<float>();
  const float start = static_cast<float>(start_d), end = static_cast<float>(end_d);
  if (n == 1) {
    p[0] = start;
    return out;
  }
  const float step = (end - start) / static_cast<float>(n - 1);
  const int64_t halfway = n / 2;
  for (int64_t i = 0; i < n; ++i) {
    p[i] = i < halfway ? std::fma(step, static_cast<float>(i), start)
                       : std::fma(-step, static_cast<float>(n - 1 - i), end);
  }
  return out;
}

}  // namespace

torch::Tensor make_betas(const SchedulerConfig& c) {
  c.validate();
  const int64_t n = c.num_train_timesteps;
  torch::Tensor betas;
  if (!c.trained_betas.empty()) {
    betas = torch::tensor(c.trained_betas, torch::kFloat64).to(torch::kFloat32);
  } else if (c.beta_schedule == "linear") {
    betas = linspace_f32(c.beta_start, c.beta_end, n);
  } else if (c.beta_schedule == "scaled_linear") {
    betas = linspace_f32(std::sqrt(c.beta_start), std::sqrt(c.beta_end), n).pow(2);
  } else {  // squaredcos_cap_v2: betas_for_alpha_bar (cosine), in double, max_beta 0.999
    auto alpha_bar = [](double t) {
      constexpr double kPi = 3.141592653589793;  // math.pi
      const double v = std::cos((t + 0.008) / 1.008 * kPi / 2);
      return v * v;
    };
    std::vector<double> b(n);
    for (int64_t i = 0; i < n; ++i) {
      const double t1 = static_cast<double>(i) / n, t2 = static_cast<double>(i + 1) / n;
      b[i] = std::min(1 - alpha_bar(t2) / alpha_bar(t1), 0.999);
    }
    betas = torch::tensor(b, torch::kFloat64).to(torch::kFloat32);
  }
  if (c.rescale_betas_zero_snr) {
    // Zero terminal SNR (arXiv 2305.08891, Algorithm 1), fp32 as diffusers.
    torch::Tensor alphas_bar_sqrt = torch::cumprod(1.0 - betas, 0).sqrt();
    torch::Tensor a0 = alphas_bar_sqrt[0].clone(), aT = alphas_bar_sqrt[-1].clone();
    alphas_bar_sqrt = alphas_bar_sqrt - aT;
    alphas_bar_sqrt = alphas_bar_sqrt * (a0 / (a0 - aT));
    torch::Tensor alphas_bar = alphas_bar_sqrt.pow(2);
    torch::Tensor alphas = torch::cat({alphas_bar.slice(0, 0, 1), alphas_bar.slice(0, 1) / alphas_bar.slice(0, 0, -1)});
    betas = 1.0 - alphas;
  }
  return betas;
}

// ---------------------------------------------------------------------------------------------------------
// Timestep selection (numpy semantics)

namespace {

// np.round: half to even.
double np_round(double v) { return std::nearbyint(v); }

// np.arange(start, stop, step) for float arguments: length ceil((stop − start)/step), a[0] = start,
// a[1] = start + step, a[i] = start + i·(a[1] − a[0]).
std::vector<double> np_arange(double start, double stop, double step) {
  const double len_f = std::ceil((stop - start) / step);
  const int64_t len = len_f > 0 ? static_cast<int64_t>(len_f) : 0;
  std::vector<double> a(len);
  if (len == 0) return a;
  a[0] = start;
  if (len == 1) return a;
  a[1] = start + step;
  const double delta = a[1] - a[0];
  for (int64_t i = 2; i < len; ++i) a[i] = start + static_cast<double>(i) * delta;
  return a;
}

// np.linspace(start, stop, num) (endpoint=True): i·step + start, the last element set to stop.
std::vector<double> np_linspace(double start, double stop, int64_t num) {
  std::vector<double> y(num);
  if (num <= 0) return y;
  if (num == 1) {
    y[0] = start;
    return y;
  }
  const double div = static_cast<double>(num - 1);
  const double delta = stop - start;
  const double step = delta / div;
  for (int64_t i = 0; i < num; ++i) {
    y[i] = (step == 0) ? static_cast<double>(i) / div * delta + start : static_cast<double>(i) * step + start;
  }
  y[num - 1] = stop;
  return y;
}

void check_steps(const SchedulerConfig& c, int64_t n, const char* who) {
  if (n < 1) throw Error(std::string(who) + ": num_inference_steps must be >= 1, got " + std::to_string(n));
  if (n > c.num_train_timesteps)
    throw Error(std::string(who) + ": num_inference_steps " + std::to_string(n) +
                " cannot be larger than num_train_timesteps " + std::to_string(c.num_train_timesteps));
}

}  // namespace

std::vector<int64_t> ddim_timesteps(const SchedulerConfig& c, int64_t n) {
  check_steps(c, n, "DDIM set_timesteps");
  const int64_t T = c.num_train_timesteps;
  std::vector<int64_t> ts;
  if (c.timestep_spacing == "linspace") {
    for (double v : np_linspace(0, static_cast<double>(T - 1), n)) ts.push_back(static_cast<int64_t>(np_round(v)));
    std::reverse(ts.begin(), ts.end());
  } else if (c.timestep_spacing == "leading") {
    const int64_t ratio = T / n;
    for (int64_t i = n - 1; i >= 0; --i) ts.push_back(i * ratio + c.steps_offset);
  } else if (c.timestep_spacing == "trailing") {
    const double ratio = static_cast<double>(T) / static_cast<double>(n);
    for (double v : np_arange(static_cast<double>(T), 0.0, -ratio)) ts.push_back(static_cast<int64_t>(np_round(v)) - 1);
  } else {
    throw Error("DDIM: unsupported timestep_spacing '" + c.timestep_spacing + "'");
  }
  return ts;
}

std::vector<int64_t> dpm_solver_timesteps(const SchedulerConfig& c, int64_t n) {
  check_steps(c, n, "DPM-Solver set_timesteps");
  // lambda_min_clipped = −inf → no clipping: last_timestep = num_train_timesteps.
  const int64_t last = c.num_train_timesteps;
  std::vector<int64_t> ts;
  if (c.timestep_spacing == "linspace") {
    std::vector<double> v = np_linspace(0, static_cast<double>(last - 1), n + 1);
    for (int64_t i = n; i >= 1; --i) ts.push_back(static_cast<int64_t>(np_round(v[i])));
  } else if (c.timestep_spacing == "leading") {
    const int64_t ratio = last / (n + 1);
    for (int64_t i = n; i >= 1; --i) ts.push_back(i * ratio + c.steps_offset);
  } else if (c.timestep_spacing == "trailing") {
    const double ratio = static_cast<double>(c.num_train_timesteps) / static_cast<double>(n);
    for (double v : np_arange(static_cast<double>(last), 0.0, -ratio)) ts.push_back(static_cast<int64_t>(np_round(v)) - 1);
  } else {
    throw Error("DPM-Solver: unsupported timestep_spacing '" + c.timestep_spacing + "'");
  }
  // np.unique(return_index) + sort of the indices: drop later duplicates, keep the order.
  std::vector<int64_t> out;
  std::set<int64_t> seen;
  for (int64_t t : ts)
    if (seen.insert(t).second) out.push_back(t);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Scheduler base

Scheduler::Scheduler(const SchedulerConfig& config) : config_(config) {
  config_.validate();
  betas_ = make_betas(config_);            // [T] fp32
  alphas_ = 1.0 - betas_;                  // [T] fp32
  alphas_cumprod_ = torch::cumprod(alphas_, 0);  // [T] fp32 (double accumulation on the CPU)
}

torch::Tensor Scheduler::timesteps_tensor() const { return torch::tensor(timesteps_, torch::kInt64); }

void Scheduler::check_timestep(int64_t t, const char* what) const {
  if (t < 0 || t >= config_.num_train_timesteps)
    throw Error(std::string(what) + ": timestep " + std::to_string(t) + " is outside [0, " +
                std::to_string(config_.num_train_timesteps) + ")");
}

void Scheduler::check_step_inputs(const torch::Tensor& model_output, const torch::Tensor& sample) const {
  if (timesteps_.empty()) throw Error(name() + ": step() called before set_timesteps()");
  if (!model_output.defined() || !sample.defined()) throw Error(name() + ": step() got an undefined tensor");
  if (model_output.sizes() != sample.sizes()) {
    throw Error(name() + ": model output shape " + shape_str(model_output.sizes().vec()) +
                " differs from the sample shape " + shape_str(sample.sizes().vec()));
  }
}

torch::Tensor Scheduler::add_noise(const torch::Tensor& x0, const torch::Tensor& noise,
                                   const torch::Tensor& timesteps) const {
  if (x0.sizes() != noise.sizes())
    throw Error("add_noise: noise shape " + shape_str(noise.sizes().vec()) + " differs from the sample shape " +
                shape_str(x0.sizes().vec()));
  torch::Tensor ts = timesteps.to(torch::kCPU).to(torch::kInt64).flatten();
  if (ts.numel() == 0) throw Error("add_noise: no timesteps given");
  const int64_t lo = ts.min().item<int64_t>(), hi = ts.max().item<int64_t>();
  check_timestep(lo, "add_noise");
  check_timestep(hi, "add_noise");
  if (ts.numel() != 1 && (x0.dim() == 0 || ts.numel() != x0.size(0)))
    throw Error("add_noise: " + std::to_string(ts.numel()) + " timesteps for a batch of shape " +
                shape_str(x0.sizes().vec()));
  // ᾱ cast to the sample's dtype and device first, then indexed (diffusers' order).
  torch::Tensor ac = alphas_cumprod_.to(x0.device(), x0.scalar_type());
  torch::Tensor idx = ts.to(x0.device());
  torch::Tensor sqrt_alpha_prod = ac.index({idx}).pow(0.5).flatten();            // [B]
  torch::Tensor sqrt_one_minus = (1.0 - ac.index({idx})).pow(0.5).flatten();     // [B]
  while (sqrt_alpha_prod.dim() < x0.dim()) sqrt_alpha_prod = sqrt_alpha_prod.unsqueeze(-1);  // [B, 1, ...]
  while (sqrt_one_minus.dim() < x0.dim()) sqrt_one_minus = sqrt_one_minus.unsqueeze(-1);
  return sqrt_alpha_prod * x0 + sqrt_one_minus * noise;
}

torch::Tensor Scheduler::add_noise(const torch::Tensor& x0, const torch::Tensor& noise, int64_t t) const {
  const int64_t b = x0.dim() > 0 ? x0.size(0) : 1;
  return add_noise(x0, noise, torch::full({b}, t, torch::kInt64));
}

torch::Tensor Scheduler::clip_or_threshold(const torch::Tensor& x0) const {
  if (config_.thresholding) {
    // Dynamic thresholding (Imagen): s = clamp(quantile(|x0|, ratio) per batch row, 1, sample_max_value).
    const auto dtype = x0.scalar_type();
    torch::Tensor x = (dtype == torch::kFloat32 || dtype == torch::kFloat64) ? x0 : x0.to(torch::kFloat32);
    const auto shape = x.sizes().vec();
    x = x.reshape({shape[0], -1});  // [B, rest]
    torch::Tensor s = at::quantile(x.abs(), config_.dynamic_thresholding_ratio, 1);  // [B]
    s = s.clamp(1.0, config_.sample_max_value).unsqueeze(1);                        // [B, 1]
    x = torch::max(torch::min(x, s), -s) / s;
    return x.reshape(shape).to(dtype);
  }
  if (config_.clip_sample) return x0.clamp(-config_.clip_sample_range, config_.clip_sample_range);
  return x0;
}

// ---------------------------------------------------------------------------------------------------------
// DDIM

DdimScheduler::DdimScheduler(const SchedulerConfig& config) : Scheduler(config) {
  final_alpha_cumprod_ = config_.set_alpha_to_one ? torch::tensor(1.0f) : alphas_cumprod_[0].clone();
}

void DdimScheduler::set_eta(double eta) {
  if (!(eta >= 0) || !std::isfinite(eta)) throw Error("DDIM: eta must be a finite number >= 0, got " + std::to_string(eta));
  eta_ = eta;
}

void DdimScheduler::set_timesteps(int64_t n) { timesteps_ = ddim_timesteps(config_, n); }

int64_t DdimScheduler::prev_timestep(int64_t t) const {
  if (timesteps_.empty()) throw Error("DDIM: prev_timestep() called before set_timesteps()");
  return t - config_.num_train_timesteps / static_cast<int64_t>(timesteps_.size());
}

StepOutput DdimScheduler::step(const torch::Tensor& model_output, int64_t t, const torch::Tensor& sample) {
  if (eta_ > 0) {
    if (noise_ == nullptr) throw Error("DDIM: eta > 0 needs a noise source (set_noise_source) for the variance noise");
    torch::Tensor z = noise_->randn(model_output.sizes(), model_output.options(), "DDIM variance noise");
    return step_with_noise(model_output, t, sample, z);
  }
  return step_with_noise(model_output, t, sample, torch::Tensor());
}

StepOutput DdimScheduler::step_with_noise(const torch::Tensor& model_output, int64_t t, const torch::Tensor& sample,
                                          const torch::Tensor& variance_noise) {
  check_step_inputs(model_output, sample);
  check_timestep(t, "DDIM step");
  const int64_t t_prev = prev_timestep(t);
  // 0-dim fp32 CPU tensors (ᾱ_t, ᾱ_prev), like diffusers.
  const torch::Tensor alpha_prod_t = alphas_cumprod_[t];
  const torch::Tensor alpha_prod_t_prev = t_prev >= 0 ? alphas_cumprod_[t_prev] : final_alpha_cumprod_;
  const torch::Tensor beta_prod_t = 1.0 - alpha_prod_t;

  torch::Tensor pred_original_sample, pred_epsilon;  // like the sample
  if (config_.prediction_type == "epsilon") {
    pred_original_sample = (sample - beta_prod_t.pow(0.5) * model_output) / alpha_prod_t.pow(0.5);
    pred_epsilon = model_output;
  } else if (config_.prediction_type == "sample") {
    pred_original_sample = model_output;
    pred_epsilon = (sample - alpha_prod_t.pow(0.5) * pred_original_sample) / beta_prod_t.pow(0.5);
  } else {  // v_prediction
    pred_original_sample = alpha_prod_t.pow(0.5) * sample - beta_prod_t.pow(0.5) * model_output;
    pred_epsilon = alpha_prod_t.pow(0.5) * model_output + beta_prod_t.pow(0.5) * sample;
  }
  pred_original_sample = clip_or_threshold(pred_original_sample);

  // σ_t = η·√((1−ᾱ_prev)/(1−ᾱ_t) · (1 − ᾱ_t/ᾱ_prev))
  const torch::Tensor beta_prod_t_prev = 1.0 - alpha_prod_t_prev;
  const torch::Tensor variance = (beta_prod_t_prev / beta_prod_t) * (1.0 - alpha_prod_t / alpha_prod_t_prev);
  const torch::Tensor std_dev_t = eta_ * variance.pow(0.5);

  // x_prev = √ᾱ_prev·x0 + √(1 − ᾱ_prev − σ²)·ε  (+ σ·z when η > 0)
  const torch::Tensor pred_sample_direction = (1.0 - alpha_prod_t_prev - std_dev_t.pow(2)).pow(0.5) * pred_epsilon;
  torch::Tensor prev_sample = alpha_prod_t_prev.pow(0.5) * pred_original_sample + pred_sample_direction;
  if (eta_ > 0) {
    if (!variance_noise.defined()) throw Error("DDIM: eta > 0 but no variance noise was given");
    if (variance_noise.sizes() != model_output.sizes())
      throw Error("DDIM: variance noise shape " + shape_str(variance_noise.sizes().vec()) + ", expected " +
                  shape_str(model_output.sizes().vec()));
    prev_sample = prev_sample + std_dev_t * variance_noise;
  }
  return {prev_sample, pred_original_sample};
}

// ---------------------------------------------------------------------------------------------------------
// DPM-Solver++(2M)

DpmSolverPP2MScheduler::DpmSolverPP2MScheduler(const SchedulerConfig& config) : Scheduler(config) {
  alpha_t_ = torch::sqrt(alphas_cumprod_);        // [T] fp32
  sigma_t_ = torch::sqrt(1.0 - alphas_cumprod_);  // [T] fp32
  lambda_t_ = torch::log(alpha_t_) - torch::log(sigma_t_);
}

void DpmSolverPP2MScheduler::set_timesteps(int64_t n) {
  timesteps_ = dpm_solver_timesteps(config_, n);
  prev_x0_ = torch::Tensor();
  lower_order_nums_ = 0;
}

torch::Tensor DpmSolverPP2MScheduler::convert_model_output(const torch::Tensor& model_output, int64_t t,
                                                           const torch::Tensor& sample) const {
  // DPM-Solver++ integrates the data prediction x0.
  torch::Tensor x0;
  if (config_.prediction_type == "epsilon") {
    x0 = (sample - sigma_t_[t] * model_output) / alpha_t_[t];
  } else if (config_.prediction_type == "sample") {
    x0 = model_output;
  } else {  // v_prediction
    x0 = alpha_t_[t] * sample - sigma_t_[t] * model_output;
  }
  if (config_.thresholding) x0 = clip_or_threshold(x0);
  return x0;
}

StepOutput DpmSolverPP2MScheduler::step(const torch::Tensor& model_output, int64_t t, const torch::Tensor& sample) {
  check_step_inputs(model_output, sample);
  check_timestep(t, "DPM-Solver step");
  const int64_t n = static_cast<int64_t>(timesteps_.size());
  auto it = std::find(timesteps_.begin(), timesteps_.end(), t);
  const int64_t step_index = it == timesteps_.end() ? n - 1 : static_cast<int64_t>(it - timesteps_.begin());
  const int64_t t_prev = step_index == n - 1 ? 0 : timesteps_[step_index + 1];
  const bool lower_order_final = step_index == n - 1 && config_.lower_order_final && n < 15;

  torch::Tensor m0 = convert_model_output(model_output, t, sample);  // x0 prediction at t
  torch::Tensor m1 = prev_x0_;                                        // x0 prediction at the previous timestep

  // 0-dim fp32 coefficients
  const torch::Tensor lambda_t = lambda_t_[t_prev], lambda_s0 = lambda_t_[t];
  const torch::Tensor alpha_t = alpha_t_[t_prev];
  const torch::Tensor sigma_t = sigma_t_[t_prev], sigma_s0 = sigma_t_[t];
  const torch::Tensor h = lambda_t - lambda_s0;
  const torch::Tensor phi = alpha_t * (torch::exp(-h) - 1.0);  // α_t·(e^{−h} − 1)

  torch::Tensor x_t;
  if (lower_order_nums_ < 1 || lower_order_final || step_index == 0 || !m1.defined()) {
    // First order (= DDIM in λ): x_t = (σ_t/σ_s)·x − α_t(e^{−h} − 1)·D0
    x_t = (sigma_t / sigma_s0) * sample - phi * m0;
  } else {
    // Second order multistep, midpoint: D1 = (m0 − m1)/r0, r0 = h_0/h
    const int64_t s1 = timesteps_[step_index - 1];
    const torch::Tensor lambda_s1 = lambda_t_[s1];
    const torch::Tensor h_0 = lambda_s0 - lambda_s1;
    const torch::Tensor r0 = h_0 / h;
    const torch::Tensor d1 = (1.0 / r0) * (m0 - m1);
    x_t = (sigma_t / sigma_s0) * sample - phi * m0 - (0.5 * phi) * d1;
  }
  prev_x0_ = m0;
  if (lower_order_nums_ < 2) ++lower_order_nums_;
  return {x_t, m0};
}

std::unique_ptr<Scheduler> make_scheduler(SamplerType type, const SchedulerConfig& config) {
  switch (type) {
    case SamplerType::Ddim: return std::make_unique<DdimScheduler>(config);
    case SamplerType::DpmSolverPP: return std::make_unique<DpmSolverPP2MScheduler>(config);
  }
  throw Error("unknown sampler type");
}

}  // namespace ci2v::sampling
