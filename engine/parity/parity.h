// Parity runner: runs the golden cases of a fixture folder (manifest.json + cases/*.safetensors, made by the
// original Python implementation) through the engine and compares every stored output.
#pragma once
#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "engine/io/state_dict.h"
#include "engine/pipeline.h"

namespace ci2v::parity {

struct Options {
  std::string fixtures;           // folder with manifest.json
  std::string device = "cpu";     // cpu | cuda
  std::string dtype = "fp32";     // fp32 | fp16 | bf16
  std::vector<std::string> only;  // run only these cases (all when empty)
  double atol_override = -1, rtol_override = -1;  // < 0: the manifest's tolerances
  bool verbose = false;           // print every compared tensor
};

// The absolute error a fp16 / bf16 run may add to a tensor whose largest reference value is `scale`: 40 unit
// roundoffs of the dtype (2^-8 for bf16, 2^-11 for fp16) times the scale; 0 for fp32. Each layer rounds its
// output once (relative error u), a network of a few dozen layers accumulates some tens of u, and the error is
// measured against the largest reference value. The parity runner adds it to the manifest's fp32 bound.
double reduced_precision_bound(torch::ScalarType dtype, double scale);

struct Check {
  std::string key;      // e.g. "output.video"
  double max_abs = 0;   // max |got - want|
  double ref_max = 0;   // max |want|: the scale the reduced-precision bound is relative to
  double atol = 0, rtol = 0;
  bool pass = false;
  std::string note;     // shape mismatch etc.
};

struct CaseResult {
  std::string name;
  bool pass = false;
  std::string error;    // set when the case could not run
  std::vector<Check> checks;
  double seconds = 0;
};

class CaseContext {
public:
  // checkpoint: the manifest's "checkpoint" (relative to root), the model of cases that name none.
  CaseContext(const nlohmann::json& manifest_case, const std::string& root, const Options& opt,
              const std::string& checkpoint = "");

  const std::string& name() const { return name_; }
  const nlohmann::json& params() const { return case_["params"]; }
  const nlohmann::json& spec() const { return case_; }
  // Path of the case's model ("model" field, relative to the fixture root), or the manifest's checkpoint.
  std::string model_path() const;
  // The model path for one component ("vae", "unet", "text_encoder", "tokenizer"): the path itself when it is
  // that component's folder, its subfolder when it is a pipeline folder (model_index.json, or no config.json).
  std::string component_path(const std::string& component) const;
  // Throws naming the case, `where` and the key when `obj` (an object) has a key outside `known`: a setting the
  // harness does not apply must not pass unnoticed.
  void require_known_keys(const nlohmann::json& obj, const std::vector<std::string>& known,
                          const std::string& where) const;
  std::string fixture_root() const { return root_; }
  torch::Device device() const { return device_; }
  torch::ScalarType dtype() const { return dtype_; }

  bool has(const std::string& key) const;  // full key ("input.x"), aliases resolved
  torch::Tensor get(const std::string& key) const;  // full key, aliases resolved; throws if absent
  torch::Tensor input(const std::string& name) const { return get("input." + name); }
  // All stored keys (without aliases) and the alias keys.
  std::vector<std::string> keys() const;

  // Compare `got` with the stored tensor `key` under the case tolerance; records a Check.
  // Returns true on pass. A key absent from the case is recorded as a failure. As in the fixtures' compare.py,
  // shapes must be equal, and integer and boolean tensors (ids, timesteps, masks) must match exactly.
  bool check(const std::string& key, const torch::Tensor& got);
  // Compare with explicit tolerances.
  bool check(const std::string& key, const torch::Tensor& got, double atol, double rtol);
  std::pair<double, double> tolerance_for(const std::string& key) const;

  std::vector<Check>& checks() { return checks_; }
  // The stored outputs and intermediates (aliases included) that no check compared: a case passes only when
  // every one of them was.
  std::vector<std::string> unchecked() const;

private:
  std::string name_;
  std::string checkpoint_;
  nlohmann::json case_;
  std::string root_;
  Options opt_;
  io::StateDict tensors_;
  std::map<std::string, std::string> aliases_;
  std::vector<Check> checks_;
  torch::Device device_{torch::kCPU};
  torch::ScalarType dtype_ = torch::kFloat32;
};

// Run every case (or opt.only) and print one line per case plus "N passed, M failed" to `out`. A case's handler
// is chosen by what the case holds (params.filters: FrameInit; params.runs: initial noise; params.calls: the
// scheduler; params.prompts_file: the tokenizer; a first-frame picture: the pipeline; else its model's component
// folder: text encoder, VAE or UNet), so that cases of another fixture set may be named as that set likes.
std::vector<CaseResult> run(const Options& opt, std::ostream& out);

// The reference's names of a FrameInit filter (get_freq_filter) and of an initial noise (prepare_latents); any other
// name throws naming `where` and the names there are.
FilterType reference_filter(const std::string& name, const std::string& where);
NoiseMethod reference_noise_method(const std::string& name, const std::string& where);

// Case handlers, one per engine part (engine/parity/case_*.cpp). Each throws ci2v::Error when it cannot run.
void run_tokenizer_case(CaseContext& ctx);
void run_text_encoder_case(CaseContext& ctx);
void run_vae_case(CaseContext& ctx);
void run_unet_case(CaseContext& ctx);        // unet_step, unet_step_b, ...
void run_frameinit_case(CaseContext& ctx);
void run_pyoco_case(CaseContext& ctx);
void run_ddim_case(CaseContext& ctx);
void run_pipeline_case(CaseContext& ctx);    // pipeline, pipeline_pan_right, pipeline_autoregress, ...

}  // namespace ci2v::parity
