#include "engine/io/diffusers_folder.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <cmath>
#include <set>
#include <sstream>

#include "engine/error.h"
#include "engine/files.h"
#include "engine/io/safetensors.h"
#include "engine/io/json_text.h"

namespace fs = std::filesystem;

namespace ci2v::io {

nlohmann::json read_json_file(const std::string& path) { return parse_json(read_file_limited(path, kMaxJsonFileBytes), path); }

const Component* ModelFolder::find(const std::string& name) const {
  for (const auto& c : components)
    if (c.name == name) return &c;
  return nullptr;
}

const Component& ModelFolder::get(const std::string& name) const {
  if (const auto* c = find(name)) return *c;
  throw Error(root + ": model_index.json has no component '" + name + "'");
}

std::string hf_hub_cache_dir() {
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : std::string();
  };
  if (auto v = env("HF_HUB_CACHE"); !v.empty()) return v;
  if (auto v = env("HUGGINGFACE_HUB_CACHE"); !v.empty()) return v;  // the older name, still honoured
  if (auto v = env("HF_HOME"); !v.empty()) return v + "/hub";
  if (auto v = env("XDG_CACHE_HOME"); !v.empty()) return v + "/huggingface/hub";
  if (auto v = env("HOME"); !v.empty()) return v + "/.cache/huggingface/hub";
  return ".cache/huggingface/hub";
}

std::string default_hf_cache_repo_dir() { return hf_hub_cache_dir() + "/models--TIGER-Lab--ConsistI2V"; }

static std::string snapshot_of_repo(const fs::path& repo, bool* by_ref = nullptr) {
  // refs/main names the revision; otherwise take the most recently modified snapshot.
  if (by_ref) *by_ref = false;
  std::ifstream ref(repo / "refs" / "main");
  std::string rev;
  if (ref && std::getline(ref, rev)) {
    while (!rev.empty() && (rev.back() == '\n' || rev.back() == '\r' || rev.back() == ' ')) rev.pop_back();
    fs::path p = repo / "snapshots" / rev;
    if (by_ref) *by_ref = true;
    if (fs::exists(p / "model_index.json")) return p.string();
    if (by_ref) *by_ref = false;
  }
  std::error_code ec;
  fs::path best;
  fs::file_time_type best_t{};
  if (fs::is_directory(repo / "snapshots", ec)) {
    for (const auto& e : fs::directory_iterator(repo / "snapshots", ec)) {
      if (!fs::exists(e.path() / "model_index.json")) continue;
      auto t = fs::last_write_time(e.path(), ec);
      if (best.empty() || t > best_t) best = e.path(), best_t = t;
    }
  }
  return best.string();
}

std::string resolve_model_dir(const std::string& path) {
  fs::path p(path);
  std::error_code ec;
  if (!fs::exists(p, ec)) throw Error(path + ": model folder does not exist");
  if (fs::exists(p / "model_index.json")) return fs::absolute(p).lexically_normal().string();
  // A snapshot no ref names yet: the downloader writes refs/main last, so one with files missing is a download
  // that has not finished (cancelled, killed): said as such, not as a broken model.
  auto checked = [&](const fs::path& repo, const std::string& s, bool by_ref) {
    if (by_ref) return s;
    try {
      check_weight_files(open_model_folder(s));
    } catch (const std::exception& e) {
      throw Error(repo.string() + ": the download into this cache has not finished (no refs/main names the snapshot " +
                  fs::path(s).filename().string() + ", and " + e.what() +
                  "); run `consisti2v download` or the studio's File > Download model... again to complete it");
    }
    return s;
  };
  bool by_ref = false;
  if (fs::is_directory(p / "snapshots")) {
    std::string s = snapshot_of_repo(p, &by_ref);
    if (!s.empty()) return checked(p, s, by_ref);
  }
  if (fs::is_directory(p / "models--TIGER-Lab--ConsistI2V")) {
    std::string s = snapshot_of_repo(p / "models--TIGER-Lab--ConsistI2V", &by_ref);
    if (!s.empty()) return checked(p / "models--TIGER-Lab--ConsistI2V", s, by_ref);
  }
  throw Error(path + ": not a model folder: no model_index.json (nor a Hugging Face cache snapshot with one)");
}

std::vector<std::string> find_weight_files(const std::string& dir, const std::string& base,
                                           const std::string& variant, std::string* format) {
  const fs::path d(dir);
  struct Try {
    std::string ext, fmt;
  };
  std::vector<std::string> variants = {variant};
  if (!variant.empty()) variants.push_back("");  // fall back to the plain files
  else if (!fs::exists(d / (base + ".safetensors")) && !fs::exists(d / (base + ".bin")) &&
           !fs::exists(d / (base + ".safetensors.index.json")) && !fs::exists(d / (base + ".bin.index.json"))) {
    // No plain weights: a folder that holds one variant only (e.g. `consisti2v download --variant fp16`) uses it.
    std::set<std::string> found;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(d, ec)) {
      const std::string f = e.path().filename().string();
      for (const char* ext : {".safetensors", ".bin", ".safetensors.index.json", ".bin.index.json"}) {
        const std::string x = ext;
        if (f.size() > base.size() + 1 + x.size() && f.rfind(base + ".", 0) == 0 &&
            f.compare(f.size() - x.size(), x.size(), x) == 0) {
          const std::string v = f.substr(base.size() + 1, f.size() - base.size() - 1 - x.size());
          if (!v.empty() && v.find('.') == std::string::npos && v.find('-') == std::string::npos) found.insert(v);
        }
      }
    }
    if (found.size() == 1) variants = {*found.begin()};
  }
  for (const auto& v : variants) {
    auto name = [&](const std::string& ext) { return v.empty() ? base + ext : base + "." + v + ext; };
    for (const Try& t : {Try{".safetensors", "safetensors"}, Try{".bin", "pytorch"}}) {
      const fs::path index = d / name(t.ext + ".index.json");
      if (fs::exists(index)) {
        auto j = read_json_file(index.string());
        if (!j.contains("weight_map") || !j["weight_map"].is_object())
          throw Error(index.string() + ": no 'weight_map' object");
        std::set<std::string> shards;
        for (auto it = j["weight_map"].begin(); it != j["weight_map"].end(); ++it) {
          if (!it.value().is_string()) throw Error(index.string() + ": weight_map entry '" + it.key() + "' is not a file name");
          shards.insert(it.value().get<std::string>());
        }
        std::vector<std::string> out;
        for (const auto& s : shards) {
          if (s.find('/') != std::string::npos || s.find("..") != std::string::npos)
            throw Error(index.string() + ": shard name '" + s + "' must be a plain file name");
          if (!fs::exists(d / s)) throw Error(index.string() + ": shard '" + s + "' is missing");
          out.push_back((d / s).string());
        }
        if (format) *format = t.fmt;
        return out;
      }
      const fs::path single = d / name(t.ext);
      if (fs::exists(single)) {
        if (format) *format = t.fmt;
        return {single.string()};
      }
    }
  }
  if (format) format->clear();
  return {};
}

ModelFolder open_model_folder(const std::string& path, const std::string& variant) {
  ModelFolder mf;
  mf.root = resolve_model_dir(path);
  mf.model_index = read_json_file(mf.root + "/model_index.json");
  if (!mf.model_index.is_object()) throw Error(mf.root + "/model_index.json: not a JSON object");
  for (auto it = mf.model_index.begin(); it != mf.model_index.end(); ++it) {
    if (it.key().empty() || it.key()[0] == '_') continue;
    const auto& v = it.value();
    if (!v.is_array() || v.size() != 2) continue;  // e.g. "requires_safety_checker": false
    Component c;
    c.name = it.key();
    c.library = v[0].is_string() ? v[0].get<std::string>() : "";
    c.class_name = v[1].is_string() ? v[1].get<std::string>() : "";
    if (c.class_name.empty()) continue;  // [null, null]: not present
    // a component is a sub-folder of the model: no path out of it ("../x", "/abs", "a/b")
    if (c.name == "." || c.name == ".." || c.name.find('/') != std::string::npos ||
        c.name.find('\\') != std::string::npos || c.name.find('\0') != std::string::npos)
      throw Error(mf.root + "/model_index.json: component name '" + c.name +
                  "' is not a folder name inside the model folder");
    c.dir = mf.root + "/" + c.name;
    std::error_code dir_ec;
    if (!fs::is_directory(c.dir, dir_ec))
      throw Error(c.dir + ": component folder listed in model_index.json is missing" +
                  (dir_ec && dir_ec != std::errc::no_such_file_or_directory ? " (" + dir_ec.message() + ")" : std::string()));
    if (c.name == "tokenizer") {
      for (const char* f : {"vocab.json", "merges.txt"})
        if (!fs::exists(c.dir + "/" + f)) throw Error(c.dir + ": tokenizer file '" + f + "' is missing");
    } else if (c.name == "scheduler") {
      c.config = read_json_file(c.dir + "/scheduler_config.json");
    } else {
      c.config = read_json_file(c.dir + "/config.json");
      const std::string base = c.library == "transformers" ? "model" : "diffusion_pytorch_model";
      c.weight_files = find_weight_files(c.dir, base, variant, &c.weight_format);
      if (c.weight_files.empty())
        throw Error(c.dir + ": no weights: expected " + base + ".safetensors (or a sharded " + base +
                    ".safetensors.index.json, or " + base + ".bin)");
    }
    mf.components.push_back(std::move(c));
  }
  return mf;
}

DemoSettings read_demo_settings(const std::string& model_dir) {
  const auto file = (fs::path(model_dir) / "model_index.json").string();
  const auto j = read_json_file(file);
  try {
    return demo_settings(j);
  } catch (const Error& e) {
    throw Error(file + ": " + e.what());
  }
}

DemoSettings demo_settings(const nlohmann::json& j) {
  DemoSettings d;
  if (!j.is_object()) return d;
  const auto demo = j.find("_consisti2v_demo");
  d.demo = demo != j.end();
  if (!d.demo || !demo->is_object()) return d;
  const auto rec = demo->find("recommended");
  if (rec == demo->end() || !rec->is_object()) return d;
  auto number = [&](const char* k) { return rec->contains(k) && (*rec)[k].is_number() ? (*rec)[k].get<double>() : 0.0; };
  auto text = [&](const char* k) { return rec->contains(k) && (*rec)[k].is_string() ? (*rec)[k].get<std::string>() : ""; };
  // whole numbers in a sane range (a cast of 1e10 to int is undefined); 0 = not given
  auto count = [&](const char* k, double hi) {
    const double v = number(k);
    if (!(v >= 0 && v <= hi && v == std::floor(v)))
      throw Error(std::string("_consisti2v_demo.recommended.") + k + " is " + (*rec)[k].dump() +
                  ": expected a whole number in 0.." + std::to_string(static_cast<int>(hi)));
    return static_cast<int>(v);
  };
  d.width = count("width", 4096), d.height = count("height", 4096);
  d.frames = count("frames", 1024), d.steps = count("steps", 1000);
  d.cfg_text = number("cfg_text");
  d.prompt = text("prompt"), d.example = text("example");
  const auto cam = rec->find("camera");
  if (cam != rec->end() && cam->is_object()) {
    // a given value must be in range: τ a whole number in 1..999, D0 in 0.001..1 (GenerationParams' ranges); 0 =
    // not given (the paper's)
    auto value = [&](const char* k, bool whole, const char* expected) {
      const auto v = cam->find(k);
      if (v == cam->end()) return 0.0;
      const double x = v->is_number() ? v->get<double>() : -1.0;
      const bool ok = whole ? x >= 1 && x <= 999 && x == static_cast<int>(x) : x >= 0.001 && x <= 1;
      if (!ok) throw Error(std::string("_consisti2v_demo.recommended.camera.") + k + " is " + v->dump() + ": expected " + expected);
      return x;
    };
    d.frameinit = FrameInitDefaults::with_camera(static_cast<int>(value("noise_level", true, "a whole number, 1..999 (FrameInit's τ)")),
                                                 value("cutoff_spatial", false, "a number in 0.001..1 (FrameInit's spatial D0)"),
                                                 value("cutoff_temporal", false, "a number in 0.001..1 (FrameInit's temporal D0)"));
  }
  return d;
}

void check_weight_files(const ModelFolder& folder) {
  for (const auto& c : folder.components)
    for (const auto& f : c.weight_files)
      if (f.size() > 12 && f.compare(f.size() - 12, 12, ".safetensors") == 0)
        (void)SafetensorsFile::open(f);  // checks every tensor's data lies inside the file
}

}  // namespace ci2v::io
