// Parsing JSON from files and other untrusted text (Torch-free). nlohmann's parser is iterative, but copying a
// parsed value recurses: a small hostile file of a million '[' parses, then overflows the stack when it is copied
// (a project's camera path, a marker). parse_json refuses nesting deeper than any file of ours needs before parsing.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace ci2v::io {

inline constexpr int kMaxJsonDepth = 64;

// The deepest nesting of arrays and objects in `text` (strings skipped; no validation otherwise).
int json_nesting_depth(std::string_view text);

// Parses `text`; throws ci2v::Error starting with `where` when it is nested deeper than max_depth, is not valid JSON
// ("<where>: not valid JSON (...)") or has a key twice in one object (which value was meant?).
nlohmann::json parse_json(std::string_view text, const std::string& where, int max_depth = kMaxJsonDepth);

}  // namespace ci2v::io
