// Sampling building blocks: schedulers (DDIM, DPM-Solver++ 2M), noise sources and PYoCo, FrameInit filters
// and mixing, classifier-free guidance.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/error.h"
#include "engine/sampling/frameinit.h"
#include "engine/sampling/guidance.h"
#include "engine/sampling/noise.h"
#include "engine/sampling/scheduler.h"

using namespace ci2v;
using namespace ci2v::sampling;

namespace {

// At most 2 torch threads on the shared 2-core build machine.
struct Threads {
  Threads() {
    if (torch::get_num_threads() > 2) torch::set_num_threads(2);
  }
} threads_once;

template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const ci2v::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

// ------------------------------------------------------------------------------------------------ DDIM

TEST(Ddim, ReferenceTimesteps50And5) {
  DdimScheduler s;  // reference config
  s.set_timesteps(50);
  ASSERT_EQ(s.timesteps().size(), 50u);
  EXPECT_EQ(s.timesteps().front(), 981);
  EXPECT_EQ(s.timesteps()[1], 961);
  EXPECT_EQ(s.timesteps().back(), 1);
  for (size_t i = 1; i < s.timesteps().size(); ++i) EXPECT_EQ(s.timesteps()[i - 1] - s.timesteps()[i], 20);
  s.set_timesteps(5);
  EXPECT_EQ(s.timesteps(), (std::vector<int64_t>{801, 601, 401, 201, 1}));
  EXPECT_EQ(s.timesteps_tensor().scalar_type(), torch::kInt64);
  EXPECT_EQ(s.prev_timestep(1), -199);
}

TEST(Ddim, OtherSpacings) {
  SchedulerConfig c = SchedulerConfig::reference();
  c.timestep_spacing = "trailing";
  c.steps_offset = 0;
  EXPECT_EQ(ddim_timesteps(c, 5), (std::vector<int64_t>{999, 799, 599, 399, 199}));
  EXPECT_EQ(ddim_timesteps(c, 3), (std::vector<int64_t>{999, 666, 332}));  // round(666.67)-1, round(333.33)-1
  c.timestep_spacing = "linspace";
  EXPECT_EQ(ddim_timesteps(c, 4), (std::vector<int64_t>{999, 666, 333, 0}));
  EXPECT_NE(error_of([&] { ddim_timesteps(c, 1001); }).find("cannot be larger"), std::string::npos);
  EXPECT_NE(error_of([&] { ddim_timesteps(c, 0); }).find(">= 1"), std::string::npos);
}

TEST(Ddim, AlphasCumprodMatchesReferenceValues) {
  DdimScheduler s;
  const auto ac = s.alphas_cumprod();
  EXPECT_EQ(ac.scalar_type(), torch::kFloat32);
  EXPECT_NEAR(ac[1].item<double>(), 0.99829, 2e-5);
  EXPECT_NEAR(ac[801].item<double>(), 0.013832, 2e-6);
  EXPECT_NEAR(ac[850].item<double>(), 0.0084241, 2e-7);
  EXPECT_NEAR(ac[981].item<double>(), 0.0019588, 2e-7);
  EXPECT_NEAR(ac[999].item<double>(), 0.0015790, 2e-7);
  // betas: fp32 linspace
  EXPECT_FLOAT_EQ(s.betas()[0].item<float>(), 0.00085f);
  EXPECT_FLOAT_EQ(s.betas()[999].item<float>(), 0.012f);
}

TEST(Ddim, StepFormulaAndFinalAlphaOne) {
  DdimScheduler s;
  s.set_timesteps(5);
  torch::manual_seed(0);
  const auto x = torch::randn({1, 4, 3, 2, 2}), eps = torch::randn({1, 4, 3, 2, 2});
  const double a = s.alphas_cumprod()[401].item<double>(), ap = s.alphas_cumprod()[201].item<double>();
  const auto out = s.step(eps, 401, x);
  const auto x0 = (x.to(torch::kDouble) - std::sqrt(1 - a) * eps.to(torch::kDouble)) / std::sqrt(a);
  const auto prev = std::sqrt(ap) * x0 + std::sqrt(1 - ap) * eps.to(torch::kDouble);
  EXPECT_LT((out.pred_original_sample.to(torch::kDouble) - x0).abs().max().item<double>(), 1e-4);
  EXPECT_LT((out.prev_sample.to(torch::kDouble) - prev).abs().max().item<double>(), 1e-4);
  // Last step (t = 1 → −199): ᾱ_prev = 1, so prev_sample == x0 prediction.
  const auto last = s.step(eps, 1, x);
  EXPECT_TRUE(torch::allclose(last.prev_sample, last.pred_original_sample, 1e-6, 1e-6));
}

TEST(Ddim, EtaNeedsNoiseAndUsesIt) {
  DdimScheduler s;
  s.set_timesteps(5);
  s.set_eta(1.0);
  const auto x = torch::ones({1, 4, 2, 2}), eps = torch::zeros({1, 4, 2, 2});
  EXPECT_NE(error_of([&] { s.step(eps, 801, x); }).find("noise source"), std::string::npos);
  InjectedNoise z({torch::ones({1, 4, 2, 2})});
  s.set_noise_source(&z);
  const auto with = s.step(eps, 801, x);
  EXPECT_EQ(z.draws(), 1);
  s.set_eta(0.0);
  const auto without = s.step(eps, 801, x);
  // The difference is σ_t·z with σ_t = √((1−ᾱ_prev)/(1−ᾱ_t)·(1−ᾱ_t/ᾱ_prev)).
  const double a = s.alphas_cumprod()[801].item<double>(), ap = s.alphas_cumprod()[601].item<double>();
  const double sigma = std::sqrt((1 - ap) / (1 - a) * (1 - a / ap));
  EXPECT_NEAR((with.prev_sample - without.prev_sample).mean().item<double>(), sigma, 1e-5);
}

TEST(Ddim, VPredictionAndClipping) {
  SchedulerConfig c = SchedulerConfig::reference();
  c.prediction_type = "v_prediction";
  c.clip_sample = true;
  c.clip_sample_range = 0.5;
  DdimScheduler s(c);
  s.set_timesteps(10);
  const auto x = torch::full({1, 2, 2, 2}, 30.0f), v = torch::zeros({1, 2, 2, 2});
  const auto out = s.step(v, s.timesteps()[0], x);
  EXPECT_FLOAT_EQ(out.pred_original_sample.max().item<float>(), 0.5f);  // √ᾱ·30 > 0.5 → clipped
}

TEST(SchedulerConfigJson, ReadsDiffusersFileAndRejectsBadFields) {
  const auto j = nlohmann::json::parse(R"({"_class_name": "DDIMScheduler", "beta_start": 0.00085, "beta_end": 0.012,
    "beta_schedule": "linear", "clip_sample": false, "num_train_timesteps": 1000, "set_alpha_to_one": true,
    "steps_offset": 1, "timestep_spacing": "leading", "trained_betas": null, "prediction_type": "epsilon"})");
  const auto c = SchedulerConfig::from_json(j);
  EXPECT_EQ(c.steps_offset, 1);
  EXPECT_FALSE(c.clip_sample);
  EXPECT_DOUBLE_EQ(c.beta_end, 0.012);
  EXPECT_NE(error_of([] { SchedulerConfig::from_json(nlohmann::json::parse(R"({"beta_schedule": "cosine"})")); })
                .find("beta_schedule"),
            std::string::npos);
  EXPECT_NE(error_of([] { SchedulerConfig::from_json(nlohmann::json::parse(R"({"steps_offset": "one"})")); })
                .find("'steps_offset' must be an integer"),
            std::string::npos);
  EXPECT_NE(error_of([] { SchedulerConfig::from_json(nlohmann::json::parse(R"({"timestep_spacing": "karras"})")); })
                .find("timestep_spacing"),
            std::string::npos);
  // a table per train step (400000000 took 5 GB); thresholding values that fail at the first step or divide by 0
  for (const auto& [text, needle] : std::vector<std::pair<const char*, const char*>>{
           {R"({"num_train_timesteps": 400000000})", "num_train_timesteps must be at most 100000"},
           {R"({"thresholding": true, "dynamic_thresholding_ratio": 1.5})", "dynamic_thresholding_ratio must lie in (0, 1]"},
           {R"({"thresholding": true, "sample_max_value": 0})", "sample_max_value must be at least 1"},
           {R"({"clip_sample": true, "clip_sample_range": 0})", "clip_sample_range must be positive"}}) {
    const std::string m = error_of([&] { SchedulerConfig::from_json(nlohmann::json::parse(text)); });
    EXPECT_NE(m.find(needle), std::string::npos) << text << " -> " << m;
  }
  // scaled_linear: betas = linspace(√start, √end)²
  SchedulerConfig sl = c;
  sl.beta_schedule = "scaled_linear";
  const auto b = make_betas(sl);
  EXPECT_NEAR(b[0].item<double>(), 0.00085, 1e-9);
  EXPECT_NEAR(b[999].item<double>(), 0.012, 1e-8);
  EXPECT_LT(b[500].item<double>(), make_betas(c)[500].item<double>());
}

TEST(Scheduler, AddNoisePerBatchRow) {
  DdimScheduler s;
  const auto x0 = torch::ones({2, 3, 4}), n = torch::zeros({2, 3, 4});
  const auto y = s.add_noise(x0, n, torch::tensor({850, 1}, torch::kInt64));
  EXPECT_NEAR(y[0][0][0].item<double>(), 0.091783, 1e-5);  // √ᾱ_850
  EXPECT_NEAR(y[1][2][3].item<double>(), std::sqrt(s.alphas_cumprod()[1].item<double>()), 1e-6);
  EXPECT_NE(error_of([&] { s.add_noise(x0, n, 1000); }).find("outside"), std::string::npos);
  EXPECT_NE(error_of([&] { s.add_noise(x0, torch::zeros({2, 3}), 5); }).find("differs"), std::string::npos);
}

// ---------------------------------------------------------------------------------------- DPM-Solver++

TEST(DpmSolver, TimestepsLeadingAndLinspace) {
  DpmSolverPP2MScheduler s;  // reference config: leading, offset 1
  s.set_timesteps(20);
  ASSERT_EQ(s.timesteps().size(), 20u);
  EXPECT_EQ(s.timesteps().front(), 20 * (1000 / 21) + 1);  // 941
  EXPECT_EQ(s.timesteps().back(), 1000 / 21 + 1);          // 48
  SchedulerConfig c = SchedulerConfig::reference();
  c.timestep_spacing = "linspace";
  c.steps_offset = 0;
  EXPECT_EQ(dpm_solver_timesteps(c, 4), (std::vector<int64_t>{999, 749, 500, 250}));
}

namespace {

// Gaussian toy problem: data x0 ~ N(μ, s²) elementwise. The exact ε-prediction of x_t, and the exact
// probability-flow ODE solution, which keeps (x_t − √ᾱ μ)/σ_t constant, σ_t² = ᾱ s² + 1 − ᾱ.
struct GaussianToy {
  double mu = 0.5, s = 1.0;
  torch::Tensor eps(const torch::Tensor& x, double a) const {
    const double post = std::sqrt(a) * s * s / (a * s * s + 1 - a);
    const auto x0_mean = mu + post * (x - std::sqrt(a) * mu);
    return (x - std::sqrt(a) * x0_mean) / std::sqrt(1 - a);
  }
  torch::Tensor flow(const torch::Tensor& x, double a_from, double a_to) const {
    const double s_from = std::sqrt(a_from * s * s + 1 - a_from), s_to = std::sqrt(a_to * s * s + 1 - a_to);
    return std::sqrt(a_to) * mu + s_to * (x - std::sqrt(a_from) * mu) / s_from;
  }
};

// Run a scheduler over its timesteps with the exact oracle; returns the final sample (double).
torch::Tensor solve(Scheduler& sch, const GaussianToy& toy, const torch::Tensor& x_T, int64_t steps) {
  sch.set_timesteps(steps);
  torch::Tensor x = x_T.clone();
  for (int64_t t : sch.timesteps()) {
    const double a = sch.alphas_cumprod()[t].item<double>();
    x = sch.step(toy.eps(x, a), t, x).prev_sample;
  }
  return x;
}

double max_err(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

}  // namespace

TEST(DpmSolver, ConvergesToTheOdeSolutionLikeDdimButSecondOrder) {
  // "trailing" spacing: both samplers start at t = 999 and, for step counts dividing 1000, DDIM's
  // prev_timestep (t − 1000/n) is the next listed timestep.
  SchedulerConfig c = SchedulerConfig::reference();
  c.timestep_spacing = "trailing";
  c.steps_offset = 0;
  DdimScheduler ddim(c);
  DpmSolverPP2MScheduler dpm(c);
  dpm.set_timesteps(10);
  EXPECT_EQ(dpm.timesteps().front(), 999);
  GaussianToy toy;
  const double a999 = ddim.alphas_cumprod()[999].item<double>();
  const double a0 = ddim.alphas_cumprod()[0].item<double>();
  const auto z = torch::linspace(-3, 3, 601, torch::kDouble);
  const auto x_T = toy.flow(toy.mu + toy.s * z, 1.0, a999);  // data points carried to t = 999 exactly
  // Exact end points: DDIM ends at ᾱ = 1 (set_alpha_to_one), DPM-Solver at t = 0 (ᾱ_0).
  const auto want_ddim = toy.flow(x_T, a999, 1.0);
  const auto want_dpm = toy.flow(x_T, a999, a0);
  const double ddim100 = max_err(solve(ddim, toy, x_T, 100), want_ddim);
  const double ddim200 = max_err(solve(ddim, toy, x_T, 200), want_ddim);
  const double dpm100 = max_err(solve(dpm, toy, x_T, 100), want_dpm);
  const double dpm200 = max_err(solve(dpm, toy, x_T, 200), want_dpm);
  const auto ddim500 = solve(ddim, toy, x_T, 500);
  const auto dpm250 = solve(dpm, toy, x_T, 250);
  // Both converge; DDIM at first order (error halves with twice the steps), DPM-Solver++ 2M at second order.
  EXPECT_LT(ddim200, ddim100);
  EXPECT_LT(dpm200, dpm100);
  EXPECT_GT(ddim100 / ddim200, 1.7);
  EXPECT_LT(ddim100 / ddim200, 2.3);
  EXPECT_GT(dpm100 / dpm200, 3.0);
  EXPECT_LT(dpm100, ddim100 / 2);
  EXPECT_LT(max_err(ddim500, want_ddim), 2e-2);
  EXPECT_LT(max_err(dpm250, want_dpm), 5e-3);
  // The same x0 from both (DPM's t = 0 carried to ᾱ = 1 by the exact flow).
  EXPECT_LT(max_err(toy.flow(dpm250, a0, 1.0), ddim500), 2e-2);
  // Deterministic: same inputs, same outputs; the step returns its x0 prediction.
  EXPECT_TRUE(torch::equal(solve(dpm, toy, x_T, 20), solve(dpm, toy, x_T, 20)));
  dpm.set_timesteps(5);
  const auto out = dpm.step(toy.eps(x_T, a999), 999, x_T);
  EXPECT_LT(max_err(out.pred_original_sample, (x_T - std::sqrt(1 - a999) * toy.eps(x_T, a999)) / std::sqrt(a999)), 1e-4);
}

TEST(DpmSolver, FactoryAndErrors) {
  auto s = make_scheduler(SamplerType::DpmSolverPP, SchedulerConfig::reference());
  EXPECT_EQ(s->name(), "dpmsolver++2m");
  EXPECT_NE(error_of([&] { s->step(torch::zeros({2}), 1, torch::zeros({2})); }).find("before set_timesteps"),
            std::string::npos);
  s->set_timesteps(10);
  EXPECT_NE(error_of([&] { s->step(torch::zeros({2}), 1, torch::zeros({3})); }).find("differs"), std::string::npos);
  EXPECT_EQ(make_scheduler(SamplerType::Ddim, SchedulerConfig::reference())->name(), "ddim");
}

// ------------------------------------------------------------------------------------------------ noise

TEST(Noise, SeededIsReproducibleAndSeedDependent) {
  const auto opt = torch::TensorOptions().dtype(torch::kFloat32);
  SeededNoise a(42), b(42), c(43);
  const auto a1 = a.randn({2, 3, 4}, opt), a2 = a.randn({5}, opt);
  const auto b1 = b.randn({2, 3, 4}, opt), b2 = b.randn({5}, opt);
  const auto c1 = c.randn({2, 3, 4}, opt);
  EXPECT_TRUE(torch::equal(a1, b1));
  EXPECT_TRUE(torch::equal(a2, b2));
  EXPECT_FALSE(torch::equal(a1, c1));
  EXPECT_FALSE(torch::equal(a1.flatten().slice(0, 0, 5), a2));  // the stream advances
  EXPECT_EQ(a.draws(), 2);
  // Independent of the global generator.
  torch::manual_seed(7);
  SeededNoise d(42);
  EXPECT_TRUE(torch::equal(d.randn({2, 3, 4}, opt), a1));
  // Roughly standard normal.
  const auto big = SeededNoise(1).randn({100000}, opt);
  EXPECT_NEAR(big.mean().item<double>(), 0.0, 0.02);
  EXPECT_NEAR(big.std().item<double>(), 1.0, 0.02);
}

TEST(Noise, InjectedPopsInOrderAndChecksShapes) {
  const auto t0 = torch::arange(4, torch::kFloat32).reshape({1, 4}), t1 = torch::ones({2, 2});
  InjectedNoise n({t0, t1}, "test draws");
  const auto opt = torch::TensorOptions().dtype(torch::kFloat64);
  const auto g0 = n.randn({1, 4}, opt, "first");
  EXPECT_EQ(g0.scalar_type(), torch::kFloat64);
  EXPECT_TRUE(torch::equal(g0, t0.to(torch::kFloat64)));
  const std::string err = error_of([&] { n.randn({4, 1}, opt, "second site"); });
  EXPECT_NE(err.find("draw #1"), std::string::npos) << err;
  EXPECT_NE(err.find("second site"), std::string::npos) << err;
  EXPECT_NE(err.find("expected shape [4, 1]"), std::string::npos) << err;
  EXPECT_NE(err.find("got [2, 2]"), std::string::npos) << err;
  n.randn({2, 2}, opt);
  const std::string past = error_of([&] { n.randn({2, 2}, opt); });
  EXPECT_NE(past.find("only 2 draws"), std::string::npos) << past;
}

TEST(Noise, PyocoMixedProgressiveVanilla) {
  const std::vector<int64_t> shape = {1, 2, 4, 3, 3};
  const auto opt = torch::TensorOptions().dtype(torch::kFloat32);
  torch::manual_seed(11);
  const auto e_sh = torch::randn({1, 2, 1, 3, 3}), e_ind = torch::randn(shape);
  {
    InjectedNoise src({e_sh, e_ind});
    const auto x = initial_noise(src, NoiseMethod::PyocoMixed, 1.0, shape, opt);
    const auto want = e_sh * std::sqrt(0.5) + e_ind * std::sqrt(0.5);
    EXPECT_TRUE(torch::allclose(x, want, 0, 1e-7));
    // every frame shares the same component: frame differences only come from E_ind
    EXPECT_TRUE(torch::allclose(x.select(2, 1) - x.select(2, 0),
                                (e_ind.select(2, 1) - e_ind.select(2, 0)) * std::sqrt(0.5), 0, 1e-6));
  }
  {
    const auto n0 = torch::randn(shape);
    InjectedNoise src({n0, e_ind});
    const double a = 2.0;
    const auto x = initial_noise(src, NoiseMethod::PyocoProgressive, a, shape, opt);
    const double sh = std::sqrt(a * a / (1 + a * a)), ind = std::sqrt(1 / (1 + a * a));
    EXPECT_TRUE(torch::equal(x.select(2, 0), n0.select(2, 0)));
    auto prev = n0.select(2, 0);
    for (int64_t f = 1; f < 4; ++f) {
      prev = prev * sh + e_ind.select(2, f) * ind;
      EXPECT_TRUE(torch::allclose(x.select(2, f), prev, 1e-6, 1e-6)) << "frame " << f;
    }
  }
  {
    InjectedNoise src({e_ind});
    EXPECT_TRUE(torch::equal(initial_noise(src, NoiseMethod::Vanilla, 1.0, shape, opt), e_ind));
  }
  {
    // PYoCo mixed draws the shared noise first: giving the full-size one first is a shape error.
    InjectedNoise src({e_ind, e_sh});
    EXPECT_NE(error_of([&] { initial_noise(src, NoiseMethod::PyocoMixed, 1.0, shape, opt); }).find("pyoco shared noise"),
              std::string::npos);
  }
}

// ------------------------------------------------------------------------------------------- FrameInit

TEST(FrameInitFilter, GaussianPeakSymmetryAndValues) {
  const auto f = gaussian_low_pass_filter({1, 4, 16, 32, 32}, 0.25, 0.25);
  ASSERT_EQ(f.sizes(), (std::vector<int64_t>{1, 4, 16, 32, 32}));
  EXPECT_EQ(f.scalar_type(), torch::kFloat32);
  EXPECT_FLOAT_EQ(f[0][0][8][16][16].item<float>(), 1.0f);  // centre T/2, h/2, w/2
  EXPECT_FLOAT_EQ(f.max().item<float>(), 1.0f);
  // d = 0.5 along x (x = 24): exp(−8·0.25) = e^−2
  EXPECT_NEAR(f[0][0][8][16][24].item<double>(), std::exp(-2.0), 1e-7);
  EXPECT_NEAR(f[0][0][0][0][0].item<double>(), std::exp(-8.0 * 3), 1e-12);  // corner: d² = 3
  // identical for every channel; symmetric about the centre (index c+k vs c−k)
  EXPECT_TRUE(torch::equal(f[0][0], f[0][3]));
  const auto g = f[0][0];
  EXPECT_TRUE(torch::equal(g.slice(2, 1, 16).flip(2), g.slice(2, 17, 32)));
  EXPECT_TRUE(torch::equal(g.slice(0, 1, 8).flip(0), g.slice(0, 9, 16)));
  // zero cutoff → all zero
  EXPECT_EQ(gaussian_low_pass_filter({1, 1, 3, 4, 4}, 0.0, 0.25).abs().sum().item<double>(), 0.0);
  EXPECT_EQ(gaussian_low_pass_filter({1, 1, 3, 4, 4}, 0.25, 0.0).abs().sum().item<double>(), 0.0);
}

TEST(FrameInitFilter, OddSizesKeepTheReferenceCentre) {
  // T = 5: centre at t = 2.5, so t = 2 and t = 3 are equal and below 1.
  const auto f = gaussian_low_pass_filter({1, 1, 5, 8, 8}, 0.25, 0.25)[0][0];
  EXPECT_FLOAT_EQ(f[2][4][4].item<float>(), f[3][4][4].item<float>());
  EXPECT_LT(f[2][4][4].item<float>(), 1.0f);
}

TEST(FrameInitFilter, IdealBoxButterworth) {
  const std::vector<int64_t> shape = {1, 1, 8, 16, 16};
  // ideal: d² <= 2·d_s (sic)
  const auto ideal = ideal_low_pass_filter(shape, 0.25, 0.25)[0][0];
  EXPECT_EQ(ideal[4][8][8].item<float>(), 1.0f);
  // x = 8 + 5: (2·13/16 − 1)² = 0.390625 <= 0.5 → 1; x = 8 + 6: 0.5625 > 0.5 → 0
  EXPECT_EQ(ideal[4][8][13].item<float>(), 1.0f);
  EXPECT_EQ(ideal[4][8][14].item<float>(), 0.0f);
  // box: r_s = round(8·0.25) = 2, r_t = round(4·0.25) = 1 → [3,5) × [6,10) × [6,10)
  const auto box = box_low_pass_filter(shape, 0.25, 0.25)[0][0];
  EXPECT_EQ(box.sum().item<double>(), 2 * 4 * 4);
  EXPECT_EQ(box[3][6][6].item<float>(), 1.0f);
  EXPECT_EQ(box[4][9][9].item<float>(), 1.0f);
  EXPECT_EQ(box[5][8][8].item<float>(), 0.0f);
  EXPECT_EQ(box[4][10][8].item<float>(), 0.0f);
  // box with round-half-even: h//2 = 5, d_s = 0.5 → 2.5 → 2
  EXPECT_EQ(box_low_pass_filter({1, 1, 2, 10, 10}, 0.5, 1.0)[0][0].sum().item<double>(), 2 * 4 * 4);
  // butterworth: 1/(1 + (d²/d_s²)^n): centre 1, at d = d_s one half
  const auto bw = butterworth_low_pass_filter(shape, 4, 0.25, 0.25)[0][0];
  EXPECT_FLOAT_EQ(bw[4][8][8].item<float>(), 1.0f);
  EXPECT_FLOAT_EQ(bw[4][8][10].item<float>(), 0.5f);  // (2·10/16 − 1) = 0.25 = d_s
  EXPECT_LT(bw[4][8][14].item<float>(), 0.01f);
  LowPassFilterSpec spec;
  spec.type = FilterType::Butterworth;
  spec.butterworth_order = 0;
  EXPECT_NE(error_of([&] { low_pass_filter(shape, spec); }).find("butterworth_order"), std::string::npos);
  spec.type = FilterType::Gaussian;
  spec.cutoff_spatial = -1;
  EXPECT_NE(error_of([&] { low_pass_filter(shape, spec); }).find("cutoff_spatial"), std::string::npos);
  EXPECT_NE(error_of([&] { gaussian_low_pass_filter({4, 4}, 0.25, 0.25); }).find("at least 3 dims"), std::string::npos);
}

TEST(FrameInitMix, LowPlusHighEqualsMixedAndLimits) {
  torch::manual_seed(5);
  const auto x = torch::randn({1, 4, 6, 8, 8}), n = torch::randn({1, 4, 6, 8, 8});
  const auto lpf = gaussian_low_pass_filter(x.sizes(), 0.25, 0.25);
  const auto mixed = freq_mix_3d(x, n, lpf);
  const auto bands = freq_split_3d(x, n, lpf);
  EXPECT_TRUE(torch::equal(bands.mixed, mixed));
  EXPECT_LT((bands.low + bands.high - mixed).abs().max().item<double>(), 1e-5);
  EXPECT_EQ(mixed.scalar_type(), torch::kFloat32);
  // All-pass filter → x; zero filter → the noise.
  EXPECT_LT((freq_mix_3d(x, n, torch::ones_like(lpf)) - x).abs().max().item<double>(), 1e-5);
  EXPECT_LT((freq_mix_3d(x, n, torch::zeros_like(lpf)) - n).abs().max().item<double>(), 1e-5);
  // The low band keeps the per-channel mean (DC) of x.
  EXPECT_LT((bands.low.mean({2, 3, 4}) - x.mean({2, 3, 4})).abs().max().item<double>(), 1e-5);
  EXPECT_NE(error_of([&] { freq_mix_3d(x, n, gaussian_low_pass_filter({1, 4, 6, 8, 4}, 0.25, 0.25)); })
                .find("does not match"),
            std::string::npos);
}

TEST(FrameInitMix, FilterIsCachedAndRunMatchesTheReferenceOrder) {
  FrameInit fi;  // gaussian 0.25/0.25, τ = 850
  const std::vector<int64_t> shape = {1, 4, 6, 8, 8};
  const auto f1 = fi.filter(shape);
  const auto f2 = fi.filter(shape);
  EXPECT_EQ(f1.data_ptr(), f2.data_ptr());
  EXPECT_EQ(fi.cache().builds(), 1);
  fi.filter({1, 4, 5, 8, 8});
  EXPECT_EQ(fi.cache().builds(), 2);
  LowPassFilterSpec other;
  other.cutoff_spatial = 0.5;
  fi.set_spec(other);
  EXPECT_NE(fi.filter(shape).data_ptr(), f1.data_ptr());
  EXPECT_EQ(fi.cache().builds(), 3);
  fi.set_spec(LowPassFilterSpec{});
  EXPECT_EQ(fi.filter(shape).data_ptr(), f1.data_ptr());

  DdimScheduler sch;
  torch::manual_seed(9);
  const auto z1 = torch::randn({1, 4, 1, 8, 8});
  const auto static_video = z1.expand(shape).contiguous();
  const auto noise = torch::randn(shape);
  const auto r = fi.run(sch, static_video, noise, /*bands=*/true);
  const auto z_T = sch.add_noise(static_video, noise, 850);
  EXPECT_TRUE(torch::equal(r.z_T, z_T));
  EXPECT_TRUE(torch::equal(r.latents, freq_mix_3d(z_T, noise, f1)));
  EXPECT_LT((r.low + r.high - r.latents).abs().max().item<double>(), 1e-5);
  EXPECT_FALSE(fi.run(sch, static_video, noise).low.defined());
}

// ------------------------------------------------------------------------------------------------- CFG

TEST(Guidance, ModesAndCombination) {
  EXPECT_EQ(cfg_mode(1.0, 1.0), CfgMode::None);
  EXPECT_EQ(cfg_mode(7.5, 1.0), CfgMode::Text);
  EXPECT_EQ(cfg_mode(7.5, 2.0), CfgMode::Both);
  EXPECT_EQ(cfg_mode(1.0, 1.5), CfgMode::Both);
  EXPECT_EQ(cfg_branches(CfgMode::Both), 3);
  const auto u = torch::full({1, 2}, 1.0f), c = torch::full({1, 2}, 3.0f), i = torch::full({1, 2}, 2.0f);
  EXPECT_FLOAT_EQ(combine_guidance(torch::cat({u, c}), CfgMode::Text, 7.5, 1.0)[0][0].item<float>(), 1 + 7.5f * 2);
  // u + s_i(i − u) + s_t(c − i) = 1 + 2·1 + 7.5·1
  EXPECT_FLOAT_EQ(combine_guidance(torch::cat({u, i, c}), CfgMode::Both, 7.5, 2.0)[0][1].item<float>(), 10.5f);
  EXPECT_TRUE(torch::equal(combine_guidance(c, CfgMode::None, 7.5, 1.0), c));
  EXPECT_NE(error_of([&] { combine_guidance(torch::cat({u, c, c}), CfgMode::Text, 7.5, 1.0); }).find("multiple of 2"),
            std::string::npos);
}

TEST(Guidance, RescaleMatchesTheFormula) {
  torch::manual_seed(2);
  const auto cfg = torch::randn({2, 3, 4}) * 3, text = torch::randn({2, 3, 4});
  const double g = 0.7;
  const auto out = rescale_guidance(cfg, text, g);
  for (int64_t b = 0; b < 2; ++b) {
    const double ratio = text[b].std().item<double>() / cfg[b].std().item<double>();  // unbiased
    const auto want = g * cfg[b] * ratio + (1 - g) * cfg[b];
    EXPECT_TRUE(torch::allclose(out[b], want, 1e-5, 1e-5));
  }
  EXPECT_TRUE(torch::equal(rescale_guidance(cfg, text, 0.0), cfg));
  // g = 1: the result has the text branch's std
  EXPECT_NEAR(rescale_guidance(cfg, text, 1.0)[0].std().item<double>(), text[0].std().item<double>(), 1e-5);
}
