#include <cstdint>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/args.h"
#include "engine/error.h"
#include "engine/io/diffusers_folder.h"
#include "engine/io/state_dict.h"
#include "engine/model_check.h"
#include "engine/sampling/scheduler.h"
#include "engine/text/clip_text_model.h"
#include "engine/text/clip_tokenizer.h"

namespace ci2v::cli {

static std::string human_count(uint64_t n) {
  std::ostringstream s;
  if (n >= 1000000000ull) s << std::fixed << std::setprecision(2) << n / 1e9 << " B";
  else if (n >= 1000000ull) s << std::fixed << std::setprecision(2) << n / 1e6 << " M";
  else if (n >= 1000ull) s << std::fixed << std::setprecision(1) << n / 1e3 << " k";
  else s << n;
  return s.str();
}

int cmd_info(int argc, char** argv) {
  Args a(argc, argv, 2);
  if (auto u = a.unknown({"model", "variant"}); !u.empty()) throw UsageError("unknown option " + u[0]);
  a.refuse_extra_positionals(a.has("model") ? 0 : 1);
  std::string dir = a.get("model");
  if (dir.empty() && !a.positional().empty()) dir = a.positional()[0];
  if (dir.empty()) throw UsageError("--model DIR is required");
  io::ModelFolder mf = io::open_model_folder(dir, a.get("variant"));
  std::cout << "model folder: " << mf.root << "\n";
  const auto text = [&](const char* key) {  // shown as found (a number where a name goes does not stop the check)
    const auto it = mf.model_index.find(key);
    return it == mf.model_index.end() ? std::string("?") : it->is_string() ? it->get<std::string>() : it->dump();
  };
  std::cout << "pipeline:     " << text("_class_name") << " (diffusers " << text("_diffusers_version") << ")\n";
  int problems = 0;
  for (const auto& c : mf.components) {
    std::cout << "\n[" << c.name << "] " << c.library << "." << c.class_name << "\n";
    if (c.name == "scheduler") {
      for (const char* k : {"beta_schedule", "beta_start", "beta_end", "num_train_timesteps", "steps_offset",
                            "timestep_spacing", "prediction_type", "set_alpha_to_one"})
        if (c.config.contains(k)) std::cout << "  " << std::left << std::setw(20) << k << c.config[k].dump() << "\n";
      try {  // what generate reads of it
        sampling::SchedulerConfig::from_json(c.config, c.dir + "/scheduler_config.json");
        std::cout << "  check: the scheduler config is usable\n";
      } catch (const std::exception& e) {
        ++problems;
        std::cout << "  PROBLEM: " << e.what() << "\n";
      }
      continue;
    }
    if (c.name == "tokenizer") {
      try {  // loaded as generate loads it, and its ids checked against the text encoder's vocabulary
        const auto tok = text::ClipTokenizer::from_folder(c.dir);
        std::cout << "  vocab.json: " << tok.vocab_size() << " tokens (largest id " << tok.max_token_id()
                  << "), merges.txt: " << tok.num_merges() << " merges\n";
        if (const io::Component* te = mf.find("text_encoder"))
          text::check_tokenizer_fits(tok, c.dir, text::ClipTextConfig::from_json(te->config, te->dir + "/config.json"),
                                     te->dir);
        std::cout << "  check: the tokenizer loads\n";
      } catch (const std::exception& e) {
        ++problems;
        std::cout << "  PROBLEM: " << e.what() << "\n";
      }
      continue;
    }
    // A few config values that matter.
    for (const char* k : {"block_out_channels", "attention_head_dim", "cross_attention_dim", "n_frames",
                          "n_temp_heads", "first_frame_condition_mode", "temp_pos_embedding", "latent_channels",
                          "scaling_factor", "hidden_size", "num_hidden_layers", "num_attention_heads", "hidden_act"})
      if (c.config.contains(k)) std::cout << "  " << std::left << std::setw(28) << k << c.config[k].dump() << "\n";
    try {
      auto sd = io::StateDict::from_files(c.weight_files);
      std::map<std::string, uint64_t> by_dtype;
      uint64_t total = 0;
      for (const auto& k : sd.keys()) {
        uint64_t n = 1;
        for (auto d : sd.shape(k)) n *= static_cast<uint64_t>(d);
        by_dtype[sd.dtype_name(k)] += n;
        total += n;
      }
      std::cout << "  weights (" << c.weight_format << "):";
      for (const auto& f : c.weight_files) std::cout << " " << f.substr(c.dir.size() + 1);
      std::cout << "\n  tensors: " << sd.size() << ", parameters: " << total << " (" << human_count(total) << ")";
      for (const auto& [dt, n] : by_dtype) std::cout << ", " << dt << " " << n;
      std::cout << "\n";
      std::string report = check_component(c, sd);
      std::cout << "  check: " << report << "\n";
    } catch (const std::exception& e) {
      ++problems;
      std::cout << "  PROBLEM: " << e.what() << "\n";
    }
  }
  for (const char* need : {"unet", "vae", "text_encoder", "tokenizer", "scheduler"})
    if (!mf.find(need)) {
      ++problems;
      std::cout << "\nPROBLEM: model_index.json lists no '" << need << "' component\n";
    }
  std::cout << "\n" << (problems ? std::to_string(problems) + " problem(s) found" : std::string("no problems found"))
            << "\n";
  return problems ? 1 : 0;
}

}  // namespace ci2v::cli
