#include <filesystem>
#include <fstream>

#include "engine/error.h"
#include "engine/parity/parity.h"
#include "engine/text/clip_tokenizer.h"

namespace ci2v::parity {

// CLIP tokenizer as the pipeline calls it: tokenizer(prompt, padding="max_length", max_length=77, truncation=True).
// The prompts come from params.prompts_file (relative to the fixture root); every prompt is encoded and the
// stacked ids / masks [N, max_length] are compared. The untruncated ids stored in the prompts file are checked too.
void run_tokenizer_case(CaseContext& ctx) {
  namespace fs = std::filesystem;
  const auto& params = ctx.params();
  if (!params.contains("prompts_file") || !params["prompts_file"].is_string())
    throw Error("case '" + ctx.name() + "': params.prompts_file (string) is missing");
  ctx.require_known_keys(params, {"n_prompts", "tokenizer_info", "prompts_file"}, "params");
  const std::string prompts_path = ctx.fixture_root() + "/" + params["prompts_file"].get<std::string>();
  std::ifstream in(prompts_path);
  if (!in) throw Error(prompts_path + ": cannot open");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw Error(prompts_path + ": not valid JSON (" + e.what() + ")");
  }
  const nlohmann::json& prompts = doc.is_object() && doc.contains("prompts") ? doc["prompts"] : doc;
  if (!prompts.is_array()) throw Error(prompts_path + ": expected a 'prompts' list");

  // The case model is the tokenizer folder itself, or a pipeline folder with a tokenizer/ subfolder.
  std::string dir = ctx.model_path();
  if (!fs::exists(fs::path(dir) / "vocab.json") && fs::exists(fs::path(dir) / "tokenizer" / "vocab.json"))
    dir = (fs::path(dir) / "tokenizer").string();
  const auto tok = text::ClipTokenizer::from_folder(dir);

  const int64_t n = static_cast<int64_t>(prompts.size());
  if (params.contains("n_prompts") && params["n_prompts"].is_number_integer() && params["n_prompts"].get<int64_t>() != n)
    throw Error("case '" + ctx.name() + "': params.n_prompts " + params["n_prompts"].dump() + ", but " + prompts_path +
                " holds " + std::to_string(n));
  const int64_t len = tok.max_length();
  auto ids = torch::zeros({n, len}, torch::kInt64);   // [N, L]
  auto mask = torch::zeros({n, len}, torch::kInt64);  // [N, L]
  auto* ids_p = ids.data_ptr<int64_t>();
  auto* mask_p = mask.data_ptr<int64_t>();
  std::vector<int64_t> untruncated_mismatch;
  for (int64_t i = 0; i < n; ++i) {
    const auto& p = prompts[static_cast<size_t>(i)];
    const auto* text = p.is_object() ? (p.contains("prompt") ? &p["prompt"] : nullptr) : &p;
    if (!text || !text->is_string())
      throw Error(prompts_path + ": prompt " + std::to_string(i) + " has no string 'prompt'");
    const auto enc = tok.encode_with_mask(text->get<std::string>());
    std::copy(enc.input_ids.begin(), enc.input_ids.end(), ids_p + i * len);
    std::copy(enc.attention_mask.begin(), enc.attention_mask.end(), mask_p + i * len);
    if (p.is_object() && p.contains("untruncated_ids") &&
        p["untruncated_ids"].get<std::vector<int64_t>>() != tok.encode_untruncated(text->get<std::string>()))
      untruncated_mismatch.push_back(i);
  }
  ctx.check("output.input_ids", ids);
  ctx.check("output.attention_mask", mask);

  Check c;
  c.key = "json.untruncated_ids";
  c.pass = untruncated_mismatch.empty();
  c.max_abs = static_cast<double>(untruncated_mismatch.size());
  if (!c.pass) {
    c.note = "prompts differ:";
    for (auto i : untruncated_mismatch) c.note += " " + std::to_string(i);
  }
  ctx.checks().push_back(c);
}

}  // namespace ci2v::parity
