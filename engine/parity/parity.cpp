#include "engine/parity/parity.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <set>
#include <sstream>

#include "engine/error.h"
#include "engine/io/diffusers_folder.h"

namespace ci2v::parity {
namespace fs = std::filesystem;

CaseContext::CaseContext(const nlohmann::json& c, const std::string& root, const Options& opt,
                         const std::string& checkpoint)
    : checkpoint_(checkpoint), case_(c), root_(root), opt_(opt) {
  name_ = c.value("name", std::string("?"));
  if (!c.contains("file") || !c["file"].is_string()) throw Error("manifest case '" + name_ + "' has no 'file'");
  tensors_ = io::StateDict::from_file(root + "/" + c["file"].get<std::string>());
  if (c.contains("aliases") && c["aliases"].is_object())
    for (auto it = c["aliases"].begin(); it != c["aliases"].end(); ++it)
      if (it.value().is_string()) aliases_[it.key()] = it.value().get<std::string>();
  if (opt.device == "cuda") {
    if (!torch::cuda::is_available()) throw Error("--device cuda: no CUDA device is available");
    device_ = torch::Device(torch::kCUDA);
    // Parity means IEEE fp32 arithmetic: LibTorch 2.x lets cuDNN convolutions use TF32 unless told otherwise.
    at::globalContext().setAllowTF32CuDNN(false);
    at::globalContext().setAllowTF32CuBLAS(false);
  } else if (opt.device != "cpu") {
    throw Error("--device must be cpu or cuda, got '" + opt.device + "'");
  }
  if (opt.dtype == "fp16") dtype_ = torch::kFloat16;
  else if (opt.dtype == "bf16") dtype_ = torch::kBFloat16;
  else if (opt.dtype != "fp32") throw Error("--dtype must be fp32, fp16 or bf16, got '" + opt.dtype + "'");
}

std::string CaseContext::model_path() const {
  std::string rel;
  if (case_.contains("model") && case_["model"].is_string()) rel = case_["model"].get<std::string>();
  if (rel.empty()) rel = checkpoint_;
  if (rel.empty()) throw Error("case '" + name_ + "' names no model, and the manifest no checkpoint");
  return root_ + "/" + rel;
}

std::string CaseContext::component_path(const std::string& component) const {
  const fs::path dir = model_path();
  const bool pipeline_folder =
      fs::exists(dir / "model_index.json") || (!fs::exists(dir / "config.json") && fs::is_directory(dir / component));
  return pipeline_folder ? (dir / component).string() : dir.string();
}

void CaseContext::require_known_keys(const nlohmann::json& obj, const std::vector<std::string>& known,
                                     const std::string& where) const {
  if (!obj.is_object()) throw Error("case '" + name_ + "': " + where + " is not an object");
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (std::find(known.begin(), known.end(), it.key()) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw Error("case '" + name_ + "': " + where + " has the key '" + it.key() +
                  "', which the parity runner does not apply (it knows: " + list + ")");
    }
}

std::vector<std::string> CaseContext::unchecked() const {
  std::set<std::string> seen;
  for (const auto& c : checks_) seen.insert(c.key);
  std::vector<std::string> out;
  for (const auto& k : keys())
    if ((k.rfind("output.", 0) == 0 || k.rfind("intermediate.", 0) == 0) && !seen.count(k)) out.push_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

bool CaseContext::has(const std::string& key) const {
  auto a = aliases_.find(key);
  return tensors_.contains(a == aliases_.end() ? key : a->second);
}

torch::Tensor CaseContext::get(const std::string& key) const {
  auto a = aliases_.find(key);
  const std::string k = a == aliases_.end() ? key : a->second;
  if (!tensors_.contains(k)) throw Error("case '" + name_ + "' has no tensor '" + key + "'");
  return tensors_.get(k);
}

std::vector<std::string> CaseContext::keys() const {
  auto k = tensors_.keys();
  for (const auto& [alias, target] : aliases_) k.push_back(alias);
  return k;
}

std::pair<double, double> CaseContext::tolerance_for(const std::string& key) const {
  // Same rules as the fixtures' compare.py: the entry named like the tensor, its last component,
  // "intermediates" for intermediates, else top-level atol/rtol, else (1e-4, 1e-3).
  const auto& t = case_.contains("tolerance") ? case_["tolerance"] : nlohmann::json::object();
  const auto dot = key.find('.');
  const std::string role = key.substr(0, dot);
  const std::string name = dot == std::string::npos ? "" : key.substr(dot + 1);
  std::vector<std::string> cands = {name, name.substr(name.rfind('.') == std::string::npos ? 0 : name.rfind('.') + 1)};
  // "mixed_3" -> "mixed": per-index tensors share the tolerance of their family.
  {
    const std::string& last = cands[1];
    const auto us = last.rfind('_');
    if (us != std::string::npos && us + 1 < last.size() &&
        last.find_first_not_of("0123456789", us + 1) == std::string::npos)
      cands.push_back(last.substr(0, us));
  }
  if (role == "intermediate") cands.push_back("intermediates");
  for (const auto& c : cands) {
    if (!c.empty() && t.contains(c) && t[c].is_object())
      return {t[c].value("atol", 1e-4), t[c].value("rtol", 0.0)};
  }
  if (t.value("exact", false)) return {0.0, 0.0};
  if (t.contains("atol") || t.contains("rtol")) return {t.value("atol", 1e-4), t.value("rtol", 0.0)};
  return {1e-4, 1e-3};
}

bool CaseContext::check(const std::string& key, const torch::Tensor& got) {
  auto [atol, rtol] = tolerance_for(key);
  if (opt_.atol_override >= 0) atol = opt_.atol_override;
  if (opt_.rtol_override >= 0) rtol = opt_.rtol_override;
  return check(key, got, atol, rtol);
}

bool CaseContext::check(const std::string& key, const torch::Tensor& got_in, double atol, double rtol) {
  Check c;
  c.key = key;
  c.atol = atol;
  c.rtol = rtol;
  if (!has(key)) {
    c.note = "not in the case file";
    checks_.push_back(c);
    return false;
  }
  const auto want_raw = get(key);
  // The reduced-precision bound applies to tensors the engine computed in fp16 / bf16; token ids and other
  // integers, and what is computed in fp32 whatever the run's dtype (the scheduler's tables), stay exact.
  const bool reduced = want_raw.is_floating_point() &&
                       (got_in.defined() && (got_in.scalar_type() == torch::kFloat16 ||
                                             got_in.scalar_type() == torch::kBFloat16));
  auto want = want_raw.to(torch::kDouble);
  if (!got_in.defined()) {
    c.note = "engine produced no tensor";
    checks_.push_back(c);
    return false;
  }
  auto got = got_in.detach().to(torch::kCPU).to(torch::kDouble);
  if (got.sizes() != want.sizes()) {  // (compare.py: a shape mismatch fails, whatever the values)
    std::ostringstream s;
    s << "shape " << got.sizes() << ", expected " << want.sizes();
    c.note = s.str();
    checks_.push_back(c);
    return false;
  }
  if (!want_raw.is_floating_point() && !want_raw.is_complex()) {  // ids, timesteps, masks: exactly
    atol = rtol = 0;
    c.atol = c.rtol = 0;
  }
  if (want.numel() == 0) {
    c.pass = true;
    checks_.push_back(c);
    return true;
  }
  auto diff = (got - want).abs();
  c.max_abs = diff.max().item<double>();
  {
    auto a = want.abs();  // the scale: the largest finite reference value (an infinite one would open the bound)
    a = at::where(torch::isfinite(a), a, torch::zeros_like(a));
    c.ref_max = a.max().item<double>();
  }
  // fp16 / bf16 runs (unless the caller overrides): the manifest's fp32 bound plus reduced_precision_bound
  if (dtype_ != torch::kFloat32 && reduced && opt_.atol_override < 0) {
    atol += reduced_precision_bound(dtype_, c.ref_max);
    c.atol = atol;
  }
  const bool finite = torch::isfinite(got).all().item<bool>() || !torch::isfinite(want).all().item<bool>();
  c.pass = finite && (diff <= atol + rtol * want.abs()).all().item<bool>();
  if (!finite) c.note = "non-finite values";
  checks_.push_back(c);
  return c.pass;
}

double reduced_precision_bound(torch::ScalarType dtype, double scale) {
  if (dtype == torch::kBFloat16) return 40.0 * std::ldexp(1.0, -8) * scale;
  if (dtype == torch::kFloat16) return 40.0 * std::ldexp(1.0, -11) * scale;
  return 0.0;
}

FilterType reference_filter(const std::string& name, const std::string& where) {
  if (name == "gaussian") return FilterType::Gaussian;
  if (name == "ideal") return FilterType::Ideal;
  if (name == "box") return FilterType::Box;
  if (name == "butterworth") return FilterType::Butterworth;
  throw Error(where + ": filter '" + name + "' is not gaussian, ideal, box or butterworth");
}

NoiseMethod reference_noise_method(const std::string& name, const std::string& where) {
  if (name == "vanilla") return NoiseMethod::Vanilla;
  if (name == "pyoco_mixed") return NoiseMethod::PyocoMixed;
  if (name == "pyoco_progressive") return NoiseMethod::PyocoProgressive;
  throw Error(where + ": noise method '" + name + "' is not vanilla, pyoco_mixed or pyoco_progressive");
}

using Handler = void (*)(CaseContext&);

// The handler for a case, from what it holds; the reference's own case names as a fallback.
static Handler handler_for(const CaseContext& ctx) {
  const auto& p = ctx.params();
  const bool obj = p.is_object();
  // what its inputs and outputs are
  if (ctx.has("input.first_frame_rgb_uint8")) return run_pipeline_case;
  if (ctx.has("input.sample") && ctx.has("input.encoder_hidden_states") && ctx.has("output.noise_pred"))
    return run_unet_case;
  if (ctx.has("input.input_ids") && ctx.has("output.last_hidden_state")) return run_text_encoder_case;
  if (ctx.has("input.x") && ctx.has("output.mean")) return run_vae_case;
  // what its params describe
  if (obj && p.contains("filters")) return run_frameinit_case;
  if (obj && p.contains("runs")) return run_pyoco_case;
  if (obj && (p.contains("calls") || p.contains("scheduler_config"))) return run_ddim_case;
  if (obj && p.contains("prompts_file")) return run_tokenizer_case;
  const auto& spec = ctx.spec();
  if (spec.contains("model") && spec["model"].is_string()) {
    fs::path model = fs::path(spec["model"].get<std::string>()).lexically_normal();
    if (model.filename().empty()) model = model.parent_path();  // "tiny_pipeline/unet/"
    const std::string leaf = model.filename().string();
    if (leaf == "text_encoder") return run_text_encoder_case;
    if (leaf == "vae") return run_vae_case;
    if (leaf == "unet") return run_unet_case;
    if (leaf == "tokenizer") return run_tokenizer_case;
  }
  const std::string& name = ctx.name();
  auto starts = [&](const char* prefix) { return name.rfind(prefix, 0) == 0; };
  if (starts("tokenizer")) return run_tokenizer_case;
  if (starts("text_encoder")) return run_text_encoder_case;
  if (starts("vae")) return run_vae_case;
  if (starts("unet")) return run_unet_case;
  if (starts("frameinit")) return run_frameinit_case;
  if (starts("pyoco")) return run_pyoco_case;
  if (starts("ddim")) return run_ddim_case;
  if (starts("pipeline")) return run_pipeline_case;
  return nullptr;
}

static std::string fmt_e(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2e", v);
  return b;
}

std::vector<CaseResult> run(const Options& opt, std::ostream& out) {
  const std::string root = opt.fixtures;
  const auto manifest = io::read_json_file(root + "/manifest.json");
  if (!manifest.contains("cases") || !manifest["cases"].is_array())
    throw Error(root + "/manifest.json: no 'cases' list");
  if (opt.device != "cpu" && opt.device != "cuda" && opt.device != "auto")
    throw Error("parity: --device '" + opt.device + "': expected cpu, cuda or auto");
  if (opt.dtype != "fp32" && opt.dtype != "fp16" && opt.dtype != "bf16")
    throw Error("parity: --dtype '" + opt.dtype + "': expected fp32, fp16 or bf16");
  for (const auto& [name, v] : {std::pair<const char*, double>{"atol", opt.atol_override}, {"rtol", opt.rtol_override}})
    if (!std::isfinite(v) || (v < 0 && v != -1))
      throw Error(std::string("parity: --") + name + " " + fmt_e(v) + ": expected a tolerance >= 0");
  {  // a case asked for by name that the manifest lacks is named, with the cases there are
    std::vector<std::string> names;
    for (const auto& c : manifest["cases"]) names.push_back(c.value("name", std::string("?")));
    for (const auto& want : opt.only)
      if (std::find(names.begin(), names.end(), want) == names.end()) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        throw Error("parity: no case '" + want + "' in " + root + "/manifest.json (its cases: " + list + ")");
      }
  }
  const std::string checkpoint =
      manifest.contains("checkpoint") && manifest["checkpoint"].is_string() ? manifest["checkpoint"].get<std::string>() : "";
  std::vector<CaseResult> results;
  for (const auto& c : manifest["cases"]) {
    CaseResult r;
    r.name = c.value("name", std::string("?"));
    if (!opt.only.empty() && std::find(opt.only.begin(), opt.only.end(), r.name) == opt.only.end()) continue;
    const auto t0 = std::chrono::steady_clock::now();
    try {
      CaseContext ctx(c, root, opt, checkpoint);
      Handler h = handler_for(ctx);
      if (!h) throw Error("no engine handler for this case (not a kind the parity runner knows)");
      h(ctx);
      r.checks = ctx.checks();
      if (r.checks.empty()) throw Error("the handler compared nothing");
      if (const auto left = ctx.unchecked(); !left.empty()) {
        std::string list;
        for (size_t i = 0; i < left.size() && i < 8; ++i) list += (i ? ", " : "") + left[i];
        if (left.size() > 8) list += ", ... (" + std::to_string(left.size()) + " in all)";
        throw Error("the case stores tensors the engine did not compare: " + list);
      }
      r.pass = true;
      for (const auto& k : r.checks) r.pass = r.pass && k.pass;
    } catch (const std::exception& e) {
      r.error = e.what();
      r.pass = false;
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // One line per case: the worst tensor (largest error relative to its tolerance) and pass/fail.
    std::ostringstream line;
    line << std::left << std::setw(24) << r.name << ' ';
    if (!r.error.empty()) {
      line << "FAIL  error: " << r.error;
    } else {
      const Check* worst = nullptr;
      double worst_ratio = -1;
      for (const auto& k : r.checks) {
        double ratio = k.pass ? k.max_abs / (k.atol + 1e-30) : 1e300;
        if (ratio > worst_ratio) worst_ratio = ratio, worst = &k;
      }
      line << (r.pass ? "PASS" : "FAIL") << "  max_abs_err " << fmt_e(worst->max_abs) << "  tol atol "
           << fmt_e(worst->atol) << " rtol " << fmt_e(worst->rtol) << "  rel "
           << fmt_e(worst->max_abs / (worst->ref_max + 1e-30)) << "  (" << r.checks.size() << " tensors, worst "
           << worst->key << (worst->note.empty() ? "" : ": " + worst->note) << ")";
    }
    line << "  " << std::fixed << std::setprecision(2) << r.seconds << "s";
    out << line.str() << "\n";
    if (opt.verbose || (!r.pass && r.error.empty())) {
      for (const auto& k : r.checks)
        if (opt.verbose || !k.pass)
          out << "    " << (k.pass ? "ok   " : "FAIL ") << std::left << std::setw(56) << k.key << " max_abs "
              << fmt_e(k.max_abs) << " rel " << fmt_e(k.max_abs / (k.ref_max + 1e-30)) << " (atol " << fmt_e(k.atol)
              << ", rtol " << fmt_e(k.rtol) << ")"
              << (k.note.empty() ? "" : "  " + k.note) << "\n";
    }
    out.flush();
    results.push_back(std::move(r));
  }
  int passed = 0, failed = 0;
  for (const auto& r : results) (r.pass ? passed : failed)++;
  out << passed << " passed, " << failed << " failed\n";
  return results;
}

}  // namespace ci2v::parity
