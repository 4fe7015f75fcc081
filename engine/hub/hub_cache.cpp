#include "engine/hub/hub_cache.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "engine/entropy.h"
#include "engine/error.h"
#include "engine/files.h"
#include "engine/io/diffusers_folder.h"

namespace fs = std::filesystem;

namespace ci2v::hub {


fs::path cache_root() { return fs::path(io::hf_hub_cache_dir()); }

std::string repo_folder_name(const std::string& repo) {
  const auto slash = repo.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == repo.size() ||
      repo.find('/', slash + 1) != std::string::npos || repo.find("..") != std::string::npos)
    throw Error("repository id '" + repo + "': expected ORG/NAME, e.g. " + kDefaultRepo);
  return "models--" + repo.substr(0, slash) + "--" + repo.substr(slash + 1);
}

CacheRepo::CacheRepo(fs::path root, const std::string& repo) : dir_(std::move(root) / repo_folder_name(repo)) {}

static bool is_commit_hash(const std::string& s) {
  if (s.size() != 40) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string CacheRepo::read_ref(const std::string& revision) const {
  if (is_commit_hash(revision)) return revision;
  std::ifstream in(dir_ / "refs" / revision);
  std::string commit;
  if (!in || !std::getline(in, commit)) return {};
  while (!commit.empty() && (commit.back() == '\r' || commit.back() == ' ' || commit.back() == '\n')) commit.pop_back();
  return commit;
}

void CacheRepo::write_ref(const std::string& revision, const std::string& commit) const {
  if (revision == commit) return;  // a pinned commit needs no ref
  if (read_ref(revision) == commit) return;  // already so (and a read-only cache stays usable)
  const fs::path ref = dir_ / "refs" / revision;
  std::error_code ec;
  fs::create_directories(ref.parent_path(), ec);
  if (ec) throw Error(ref.parent_path().string() + ": cannot create the refs folder (" + ec.message() + ")");
  write_file_atomically(ref, commit);  // huggingface_hub writes the bare commit, no newline
}

void CacheRepo::link_snapshot_file(const std::string& commit, const std::string& path, const std::string& hash) const {
  const fs::path target = snapshot_dir(commit) / fs::path(path);
  const fs::path blob_path = blob(hash);
  const fs::path rel = blob_path.lexically_relative(target.parent_path());  // ../../blobs/<hash> (deeper: more ..)
  std::error_code ec;
  // Already in place: left untouched, so that a shared read-only cache serves every run.
  if (fs::is_symlink(target, ec)) {
    if (fs::read_symlink(target, ec) == rel && !ec) return;
    if (fs::equivalent(target, blob_path, ec) && !ec) return;  // right, spelt otherwise (an absolute link, say)
  } else if (fs::is_regular_file(target, ec) && fs::is_regular_file(blob_path, ec) &&
             fs::file_size(target, ec) == fs::file_size(blob_path, ec) && !ec) {
    return;  // the copy made where the file system has no symlinks
  }
  fs::create_directories(target.parent_path(), ec);
  if (ec) throw Error(target.parent_path().string() + ": cannot create the snapshot folder (" + ec.message() + ")");
  // Made beside it and renamed over it: another run linking the same file at the same time never sees it missing.
  const fs::path temp = target.parent_path() / (".tmp-" + target.filename().string() + "-" + std::to_string(entropy64() % 1000000000ull));
  fs::create_symlink(rel, temp, ec);
  if (ec) {
    // No symlinks here (e.g. a FAT drive): a plain copy, as huggingface_hub does.
    std::error_code ec2;
    fs::copy_file(blob_path, temp, fs::copy_options::overwrite_existing, ec2);
    if (ec2) {
      fs::remove(temp, ec2);
      throw Error(target.string() + ": cannot link nor copy the blob " + blob_path.string() + " (" + ec2.message() + ")");
    }
  }
  fs::rename(temp, target, ec);
  if (ec) {
    std::error_code ec2;
    fs::remove(temp, ec2);
    throw Error(target.string() + ": cannot put the snapshot link in place (" + ec.message() + ")");
  }
}

bool is_complete_model_folder(const fs::path& dir, std::string* why) {
  try {
    std::error_code ec;
    if (!fs::exists(dir / "model_index.json", ec)) {
      if (why) *why = (dir / "model_index.json").string() + " is missing";
      return false;
    }
    io::check_weight_files(io::open_model_folder(dir.string()));  // (a blob cut short is no complete model)
    return true;
  } catch (const std::exception& e) {
    if (why) *why = e.what();
    return false;
  }
}

std::string find_cached_snapshot(const fs::path& root, const std::string& repo, const std::string& revision) {
  const CacheRepo r(root, repo);
  const std::string commit = r.read_ref(revision);
  if (commit.empty()) return {};
  const fs::path snap = r.snapshot_dir(commit);
  if (!is_complete_model_folder(snap)) return {};
  return snap.string();
}

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "base-00001-of-00003.ext" for a prefix "base" and extension ".ext".
bool is_shard(const std::string& name, const std::string& prefix, const std::string& ext) {
  if (name.size() <= prefix.size() + ext.size() + 1 || name.compare(0, prefix.size() + 1, prefix + "-") != 0 ||
      !ends_with(name, ext))
    return false;
  const std::string mid = name.substr(prefix.size() + 1, name.size() - prefix.size() - 1 - ext.size());
  const auto of = mid.find("-of-");
  if (of == std::string::npos || of == 0 || of + 4 >= mid.size()) return false;
  for (size_t i = 0; i < mid.size(); ++i)
    if ((i < of || i >= of + 4) && !(mid[i] >= '0' && mid[i] <= '9')) return false;
  return true;
}

}  // namespace

std::vector<std::string> select_needed_files(const std::vector<std::string>& repo_files, const std::string& variant) {
  std::set<std::string> all(repo_files.begin(), repo_files.end());
  if (!all.count("model_index.json"))
    throw Error("the repository has no model_index.json at its top level: not a diffusers pipeline (files: " +
                std::to_string(repo_files.size()) + ")");
  // Files per first-level folder ("unet" -> {"config.json", ...}); deeper paths are never needed.
  std::map<std::string, std::set<std::string>> folders;
  for (const auto& f : repo_files) {
    const auto slash = f.find('/');
    if (slash == std::string::npos || slash == 0) continue;
    if (f.find('/', slash + 1) != std::string::npos) continue;
    folders[f.substr(0, slash)].insert(f.substr(slash + 1));
  }
  static const std::set<std::string> kSmall = {"config.json",           "scheduler_config.json", "vocab.json",
                                              "merges.txt",            "tokenizer_config.json", "special_tokens_map.json",
                                              "added_tokens.json"};
  std::vector<std::string> out = {"model_index.json"};
  for (const auto& [dir, names] : folders) {
    for (const auto& n : names)
      if (kSmall.count(n)) out.push_back(dir + "/" + n);
    // The weight base names the loader reads (engine/io/diffusers_folder.cpp).
    for (const std::string base : {"diffusion_pytorch_model", "model"}) {
      std::vector<std::string> variants;
      if (!variant.empty()) variants.push_back(variant);
      variants.push_back("");
      bool found = false;
      for (const auto& v : variants) {
        const std::string stem = v.empty() ? base : base + "." + v;
        for (const std::string ext : {".safetensors", ".bin"}) {
          if (names.count(stem + ext + ".index.json")) {
            out.push_back(dir + "/" + stem + ext + ".index.json");
            for (const auto& n : names)
              if (is_shard(n, stem, ext)) out.push_back(dir + "/" + n);
            found = true;
          } else if (names.count(stem + ext)) {
            out.push_back(dir + "/" + stem + ext);
            found = true;
          }
          if (found) break;
        }
        if (found) break;
      }
    }
  }
  return out;
}

}  // namespace ci2v::hub
