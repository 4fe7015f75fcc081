// The parity runner itself (engine/parity): other fixture sets of the same format must be run as they are, and a
// case must never pass with a setting it did not apply or a stored tensor it did not compare. Each test makes a
// variant of the public fixture folder (its manifest edited, case files rewritten where needed; the model and the
// other case files linked) and runs the runner on it.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/files.h"
#include "engine/io/safetensors.h"
#include "engine/io/state_dict.h"
#include "engine/parity/parity.h"

using namespace ci2v;
namespace fs = std::filesystem;

namespace {

const fs::path kRoot = CONSISTI2V_FIXTURES;

nlohmann::json read_manifest() {
  std::ifstream in(kRoot / "manifest.json");
  return nlohmann::json::parse(in);
}

nlohmann::json& case_named(nlohmann::json& m, const std::string& name) {
  for (auto& c : m["cases"])
    if (c["name"] == name) return c;
  throw std::runtime_error("no case " + name);
}

// A fixture folder in the test's temporary directory: the model and case files linked, the manifest written.
struct Variant {
  fs::path dir;
  explicit Variant(const std::string& name) {
    dir = fs::temp_directory_path() / ("ci2v_parity_variant_" + name + "_" + std::to_string(::getpid()));
    ci2v::remove_tree(dir);
    fs::create_directories(dir / "cases");
    fs::create_directory_symlink(kRoot / "tiny_pipeline", dir / "tiny_pipeline");
    for (const auto& e : fs::directory_iterator(kRoot / "cases"))
      fs::create_symlink(e.path(), dir / "cases" / e.path().filename());
  }
  ~Variant() { ci2v::remove_tree(dir); }
  void write(const nlohmann::json& manifest) const {
    std::ofstream(dir / "manifest.json") << manifest.dump(1);
  }
  // Rewrites a case file with `edit` applied to its tensors (name -> tensor).
  void rewrite_case(const std::string& file, const std::function<void(std::map<std::string, torch::Tensor>&)>& edit) {
    auto sd = io::StateDict::from_file((kRoot / file).string());
    std::map<std::string, torch::Tensor> t;
    for (const auto& k : sd.keys()) t[k] = sd.get(k).contiguous().clone();
    edit(t);
    std::vector<io::RawTensor> raw;
    for (const auto& [k, v] : t) {
      io::RawTensor r;
      r.name = k;
      r.dtype = v.scalar_type() == torch::kInt64 ? io::DType::I64
                : v.scalar_type() == torch::kUInt8 ? io::DType::U8
                                                  : io::DType::F32;
      r.shape = v.sizes().vec();
      r.data = v.data_ptr();
      raw.push_back(r);
    }
    fs::remove(dir / file);
    io::write_safetensors((dir / file).string(), raw);
  }
  std::vector<parity::CaseResult> run(std::string* printed = nullptr, std::vector<std::string> only = {}) const {
    parity::Options o;
    o.fixtures = dir.string();
    o.only = std::move(only);
    std::ostringstream out;
    auto r = parity::run(o, out);
    if (printed) *printed = out.str();
    return r;
  }
};

const parity::CaseResult& result(const std::vector<parity::CaseResult>& rs, const std::string& name) {
  for (const auto& r : rs)
    if (r.name == name) return r;
  throw std::runtime_error("no result " + name);
}

}  // namespace

TEST(ParityRunner, CasesOfOtherNamesRunByWhatTheyHold) {
  // A set may name its cases as it likes: the handler follows the case's params, inputs and model folder.
  auto m = read_manifest();
  Variant v("names");
  const std::map<std::string, std::string> renamed = {{"vae", "vae_second"},         {"text_encoder", "clip_b"},
                                                      {"unet_step_b", "denoiser_b"}, {"frameinit", "lowpass"},
                                                      {"pyoco", "noise_b"},          {"ddim", "scheduler_trailing"},
                                                      {"pipeline_no_frameinit", "video_plain"}};
  nlohmann::json cases = nlohmann::json::array();
  for (auto& c : m["cases"]) {
    auto it = renamed.find(c["name"]);
    if (it == renamed.end()) continue;
    c["name"] = it->second;
    cases.push_back(c);
  }
  m["cases"] = cases;
  v.write(m);
  std::string out;
  const auto rs = v.run(&out);
  ASSERT_EQ(rs.size(), renamed.size()) << out;
  for (const auto& r : rs) EXPECT_TRUE(r.pass) << r.name << ": " << r.error << "\n" << out;
  // a case that holds nothing the runner knows fails, saying so
  nlohmann::json vae;
  for (const auto& c : cases)
    if (c["name"] == "vae_second") vae = c;
  v.rewrite_case("cases/vae.safetensors", [](auto& t) {  // tensors of a kind the runner does not know
    std::map<std::string, torch::Tensor> other;
    for (auto& [k, x] : t) other[k.substr(0, k.find('.')) + ".motion_" + k.substr(k.find('.') + 1)] = x;
    t = other;
  });
  m["cases"] = nlohmann::json::array({vae});
  m["cases"][0]["name"] = "motion_module";
  m["cases"][0]["model"] = "tiny_pipeline/motion";
  v.write(m);
  const auto unknown = v.run(&out);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_FALSE(unknown[0].pass);
  EXPECT_NE(unknown[0].error.find("no engine handler"), std::string::npos) << unknown[0].error;
}

TEST(ParityRunner, ASettingTheRunnerWouldNotApplyFailsTheCase) {
  auto m = read_manifest();
  Variant v("settings");
  const auto base = case_named(m, "pipeline");
  auto with = [&](const std::function<void(nlohmann::json&)>& edit) {
    auto c = base;
    edit(c["params"]);
    m["cases"] = nlohmann::json::array({c});
    v.write(m);
    const auto rs = v.run();
    EXPECT_EQ(rs.size(), 1u);
    return rs.empty() ? parity::CaseResult{} : rs[0];
  };
  // the case as stored passes
  EXPECT_TRUE(with([](nlohmann::json&) {}).pass);
  // an unknown key, a misspelt filter or noise method, a filter key the runner does not read: refused by name
  auto r = with([](nlohmann::json& p) { p["timestep_spacing"] = "trailing"; });
  EXPECT_FALSE(r.pass);
  EXPECT_NE(r.error.find("'timestep_spacing'"), std::string::npos) << r.error;
  r = with([](nlohmann::json& p) { p["frameinit_filter"]["method"] = "butterworth_typo"; });
  EXPECT_NE(r.error.find("butterworth_typo"), std::string::npos) << r.error;
  r = with([](nlohmann::json& p) { p["frameinit_filter"]["filter_type"] = "ideal"; });
  EXPECT_NE(r.error.find("'filter_type'"), std::string::npos) << r.error;
  r = with([](nlohmann::json& p) { p["noise_sampling_method"] = "pyoco_mixd"; });
  EXPECT_NE(r.error.find("pyoco_mixd"), std::string::npos) << r.error;
  r = with([](nlohmann::json& p) { p["camera_motion"] = "tilt_up"; });
  EXPECT_NE(r.error.find("tilt_up"), std::string::npos) << r.error;
  r = with([](nlohmann::json& p) { p["pipeline_class"] = "SomeOtherPipeline"; });
  EXPECT_NE(r.error.find("SomeOtherPipeline"), std::string::npos) << r.error;
  // a missing key takes the reference __call__'s default, not the released config's: here FrameInit off and
  // vanilla noise, which this case did not use, so its outputs differ (and the draws no longer fit)
  r = with([](nlohmann::json& p) { p.erase("use_frameinit"); });
  EXPECT_FALSE(r.pass);
  r = with([](nlohmann::json& p) { p.erase("noise_sampling_method"); });
  EXPECT_FALSE(r.pass);
  // a changed value that the runner applies makes the outputs differ
  r = with([](nlohmann::json& p) { p["frameinit_filter"]["method"] = "ideal"; });
  EXPECT_FALSE(r.pass);
  EXPECT_TRUE(r.error.empty()) << r.error;  // it ran, and the values differ
}

TEST(ParityRunner, EveryStoredOutputMustBeCompared) {
  auto m = read_manifest();
  Variant v("coverage");
  // pyoco: a run the params no longer list; frameinit: a mix the params no longer ask for
  auto& pyoco = case_named(m, "pyoco");
  pyoco["params"]["runs"].erase(pyoco["params"]["runs"].size() - 1);
  auto& frameinit = case_named(m, "frameinit");
  frameinit["params"]["filters"][1].erase("freq_mix");
  // vae: a stored output no handler produces
  v.rewrite_case("cases/vae.safetensors", [](auto& t) { t["output.decoded_scaled"] = t["output.decoded"] * 2; });
  m["cases"] = nlohmann::json::array({pyoco, frameinit, case_named(m, "vae")});
  v.write(m);
  const auto rs = v.run();
  const auto& p = result(rs, "pyoco");
  EXPECT_FALSE(p.pass);
  EXPECT_NE(p.error.find("output.run4.latents"), std::string::npos) << p.error;
  const auto& f = result(rs, "frameinit");
  EXPECT_FALSE(f.pass);
  EXPECT_NE(f.error.find("output.mixed_1"), std::string::npos) << f.error;
  const auto& va = result(rs, "vae");
  EXPECT_FALSE(va.pass);
  EXPECT_NE(va.error.find("output.decoded_scaled"), std::string::npos) << va.error;
}

TEST(ParityRunner, IntegersMatchExactlyAndShapesMustAgree) {
  auto m = read_manifest();
  Variant v("exact");
  // ddim: a timestep off by one passes a loose float tolerance (1 <= 1e-2 * 801) but is a different timestep
  v.rewrite_case("cases/ddim.safetensors", [](auto& t) {
    for (auto& [k, x] : t)
      if (k.rfind("output.timesteps_", 0) == 0) x[0] += 1;
  });
  auto& ddim = case_named(m, "ddim");
  ddim["tolerance"] = {{"atol", 1e-6}, {"rtol", 1e-2}};
  // vae: the mean stored as [N, C*h*w] (the same values in another shape)
  v.rewrite_case("cases/vae.safetensors",
                 [](auto& t) { t["output.mean"] = t["output.mean"].reshape({t["output.mean"].size(0), -1}).clone(); });
  m["cases"] = nlohmann::json::array({ddim, case_named(m, "vae")});
  v.write(m);
  std::string out;
  const auto rs = v.run(&out);
  const auto& d = result(rs, "ddim");
  EXPECT_FALSE(d.pass) << out;
  bool exact = false;
  for (const auto& c : d.checks)
    if (c.key.rfind("output.timesteps_", 0) == 0) exact = exact || (!c.pass && c.atol == 0 && c.rtol == 0);
  EXPECT_TRUE(exact) << out;
  const auto& va = result(rs, "vae");
  EXPECT_FALSE(va.pass) << out;
  bool shape = false;
  for (const auto& c : va.checks) shape = shape || (c.key == "output.mean" && c.note.find("shape") != std::string::npos);
  EXPECT_TRUE(shape) << out;
}

TEST(ParityRunner, ACaseWithoutAModelUsesTheCheckpointAndItsComponent) {
  auto m = read_manifest();
  Variant v("checkpoint");
  auto vae = case_named(m, "vae");
  auto unet = case_named(m, "unet_step_b");
  auto te = case_named(m, "text_encoder");
  // named freely, without a model or with the pipeline folder: the kind follows the stored tensors
  vae["model"] = nullptr;               // the manifest's checkpoint, a pipeline folder: its vae/
  vae["name"] = "autoencoder_a";
  unet["model"] = "tiny_pipeline";      // a pipeline folder: its unet/
  unet["name"] = "denoiser_a";
  te["model"] = "tiny_pipeline/text_encoder/";
  te["name"] = "clip_a";
  m["cases"] = nlohmann::json::array({vae, unet, te});
  v.write(m);
  std::string out;
  const auto rs = v.run(&out);
  ASSERT_EQ(rs.size(), 3u) << out;
  for (const auto& r : rs) EXPECT_TRUE(r.pass) << r.name << ": " << r.error << "\n" << out;
}
