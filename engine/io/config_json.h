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

// j[key] as a positive integer, or `dflt` when absent or null. `max`: the largest value supported (a hostile or
// broken config must not make the model allocate gigabytes before the checkpoint's shapes are compared).
inline int64_t config_positive_int(const nlohmann::json& j, const char* key, int64_t dflt, const std::string& where,
                                   int64_t max = int64_t(1) << 20) {
  if (!j.contains(key) || j[key].is_null()) return dflt;
  const int64_t v = config_positive_int(j[key], key, where);
  if (v > max)
    throw Error(where + ": '" + key + "' is " + std::to_string(v) + ", more than the " + std::to_string(max) + " supported");
  return v;
}

}  // namespace ci2v::io
