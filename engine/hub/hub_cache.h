// The Hugging Face hub cache layout, shared with other hub clients (Torch-free, Qt-free):
//   <cache root>/models--ORG--NAME/blobs/<sha256 of an LFS file | git blob id of a small file>
//                                 /snapshots/<commit>/<path>   relative symlink -> ../../blobs/<hash>
//                                 /refs/<revision>             the commit the revision (e.g. "main") points to
// The cache root is $HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else
// ~/.cache/huggingface/hub (what huggingface_hub itself uses).
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace ci2v::hub {

inline constexpr const char* kDefaultRepo = "TIGER-Lab/ConsistI2V";

// The cache root from the environment (may not exist).
std::filesystem::path cache_root();

// "TIGER-Lab/ConsistI2V" -> "models--TIGER-Lab--ConsistI2V". Throws on a repo id that is not ORG/NAME.
std::string repo_folder_name(const std::string& repo);

// A model repo inside a cache root.
class CacheRepo {
public:
  CacheRepo(std::filesystem::path cache_root, const std::string& repo);

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path blobs_dir() const { return dir_ / "blobs"; }
  std::filesystem::path blob(const std::string& hash) const { return dir_ / "blobs" / hash; }
  std::filesystem::path incomplete(const std::string& hash) const { return dir_ / "blobs" / (hash + ".incomplete"); }
  std::filesystem::path snapshot_dir(const std::string& commit) const { return dir_ / "snapshots" / commit; }

  // refs/<revision>: the commit it names, "" when absent. A 40-hex revision is its own commit.
  std::string read_ref(const std::string& revision) const;
  void write_ref(const std::string& revision, const std::string& commit) const;

  // snapshots/<commit>/<path> -> relative symlink to blobs/<hash> (replaces what was there; copies the blob
  // where the file system has no symlinks).
  void link_snapshot_file(const std::string& commit, const std::string& path, const std::string& hash) const;

private:
  std::filesystem::path dir_;
};

// A complete snapshot of `revision` in the cache, without any network access: refs/<revision> (or the commit
// itself) names a snapshot folder that the engine's loader opens (model_index.json, every component's config and
// weights, tokenizer files). "" when there is none.
std::string find_cached_snapshot(const std::filesystem::path& cache_root, const std::string& repo = kDefaultRepo,
                                 const std::string& revision = "main");

// Whether `dir` is a model folder the engine's loader accepts (no exception; `why` gets the reason when not).
bool is_complete_model_folder(const std::filesystem::path& dir, std::string* why = nullptr);

// Which files of a repo listing the engine needs: model_index.json, each component's config (config.json,
// scheduler_config.json), the tokenizer files, and per weight base name the safetensors file(s) (single or
// sharded with their index), falling back to the .bin file(s) only when no safetensors exist. Variants
// (*.fp16.*) only when `variant` is given (else skipped). Other files (README, .gitattributes, flax/onnx) are
// skipped. Throws when the listing has no model_index.json.
std::vector<std::string> select_needed_files(const std::vector<std::string>& repo_files,
                                             const std::string& variant = "");

}  // namespace ci2v::hub
