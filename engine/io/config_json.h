// Reading model config.json values with errors that name the file and the key (Torch-free, header-only).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/error.h"

namespace ci2v::io {

// `v` must be a positive integer; `key` and `where` name it in the error.
inline int64_t config_positive_int(const nlohmann::json& v, const std::string& key, const std::string& where) {
  if (!v.is_number_integer() || v.get<int64_t>() <= 0)
    throw Error(where + ": '" + key + "' must be a positive integer, got " + v.dump());
  return v.get<int64_t>();
}

// j[key] as a positive integer, or `dflt` when absent or null.
inline int64_t config_positive_int(const nlohmann::json& j, const char* key, int64_t dflt, const std::string& where) {
  if (!j.contains(key) || j[key].is_null()) return dflt;
  return config_positive_int(j[key], key, where);
}

}  // namespace ci2v::io
