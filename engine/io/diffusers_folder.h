// A diffusers-style pipeline folder (model_index.json + one sub-folder per component), Torch-free.
// Also resolves Hugging Face cache folders (models--ORG--NAME/snapshots/<rev>).
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/pipeline.h"  // FrameInitDefaults (no Torch)

namespace ci2v::io {

struct Component {
  std::string name;          // "unet", "vae", ...
  std::string library;       // "diffusers", "transformers", ...
  std::string class_name;    // "AutoencoderKL", ...
  std::string dir;           // absolute path of the sub-folder
  nlohmann::json config;     // config.json (or scheduler_config.json); null for the tokenizer
  std::vector<std::string> weight_files;  // resolved weight files (empty for tokenizer/scheduler)
  std::string weight_format;              // "safetensors", "pytorch" or ""
};

struct ModelFolder {
  std::string root;
  nlohmann::json model_index;
  std::vector<Component> components;
  const Component* find(const std::string& name) const;
  const Component& get(const std::string& name) const;  // throws naming the folder and the component
};

// Resolve a user-given path to a pipeline folder: the folder itself, an HF cache repo folder
// (models--ORG--NAME: refs/main, else the newest snapshot), or an HF hub cache root containing
// models--TIGER-Lab--ConsistI2V. Throws with the paths tried.
std::string resolve_model_dir(const std::string& path);

// Default Hugging Face cache location of the released model (may not exist).
// The Hugging Face hub cache: HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME/huggingface/hub or
// ~/.cache/huggingface/hub, as huggingface_hub looks (the downloader writes there, the studio looks there).
std::string hf_hub_cache_dir();
std::string default_hf_cache_repo_dir();

// Read model_index.json and every component's config; resolve weight files.
// `variant`: e.g. "fp16" to prefer <base>.fp16.safetensors. Throws on a broken folder.
ModelFolder open_model_folder(const std::string& path, const std::string& variant = "");
// Every safetensors weight file's header agrees with its size (reads the headers only): a file cut short (a
// download interrupted by a power cut, a full disk) throws naming it, before anything is loaded.
void check_weight_files(const ModelFolder& folder);

// Weight files of one component folder for a base name ("diffusion_pytorch_model" or "model"):
// sharded safetensors index, single safetensors, variant files, then .bin equivalents.
std::vector<std::string> find_weight_files(const std::string& dir, const std::string& base,
                                           const std::string& variant, std::string* format);

nlohmann::json read_json_file(const std::string& path);  // throws naming the file

// What a model trained by `consisti2v train` asks for: model_index.json's "_consisti2v_demo" block and its
// "recommended" settings, as the studio applies them. 0 / empty where not given; demo = false and all empty for
// a released model. Throws ci2v::Error naming the file when model_index.json is missing or not JSON.
struct DemoSettings {
  bool demo = false;                              // the folder is marked as a demo model
  int width = 0, height = 0, frames = 0, steps = 0;
  double cfg_text = 0;
  std::string prompt, example;                    // example: a file name relative to the model folder
  // FrameInit's defaults: the paper's, with the model's own setting for a camera move where it gives one
  // ("camera": {"noise_level", "cutoff_spatial", "cutoff_temporal"}). Out-of-range values throw naming the key.
  FrameInitDefaults frameinit;
};
DemoSettings demo_settings(const nlohmann::json& model_index);  // from a parsed model_index.json
DemoSettings read_demo_settings(const std::string& model_dir);  // reads <model_dir>/model_index.json

}  // namespace ci2v::io
