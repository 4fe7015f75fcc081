#include "engine/text/clip_tokenizer.h"

#include <cstdint>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <queue>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "engine/error.h"
#include "engine/files.h"
#include "engine/io/json_text.h"

namespace ci2v::text {

namespace {

using nlohmann::json;
using CodePoints = std::u32string;

// A token that is matched as a whole before BPE (special tokens, added tokens).
struct AddedToken {
  std::string content;          // as written in the config (UTF-8)
  CodePoints normalized_form;   // content after normalization (only used when `normalized`)
  int32_t id = -1;
  bool normalized = false;      // true: matched on the normalized text, false: on the raw text
};

struct MergeRule {
  int32_t rank = 0;
  int32_t new_id = 0;
};

uint64_t pair_key(int32_t a, int32_t b) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

std::string read_text_file(const std::string& path) { return read_file_limited(path, kMaxJsonFileBytes); }

json read_json_file(const std::string& path) {
  return io::parse_json(read_text_file(path), path);
}

// GPT-2 / CLIP bytes_to_unicode: printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100.. in order.
void bytes_to_unicode(char32_t out[256]) {
  int next = 0;
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    out[b] = printable ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + next++);
  }
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// UTF-8 -> code points; each maximal ill-formed subsequence becomes U+FFFD (the WHATWG / ICU convention).
CodePoints decode_utf8(std::string_view s) {
  CodePoints out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < n) {
    UChar32 c;
    U8_NEXT_OR_FFFD(p, i, n, c);
    out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

// Regex classes as the tokenizers crate (Oniguruma) sees them: \s = White_Space, \p{L}, \p{N} = general categories.
bool is_space(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
  return u_isUWhiteSpace(static_cast<UChar32>(c));
}
bool is_letter(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_L_MASK) != 0;
}
bool is_number(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_N_MASK) != 0;
}

// Full lowercase of one code point without context (Rust's char::to_lowercase, which the tokenizers
// Lowercase normalizer applies per character): "İ" -> "i̇", "Σ" -> "σ" even at a word end.
void append_lower(CodePoints& out, char32_t c) {
  if (c < 0x80) {
    out.push_back((c >= 'A' && c <= 'Z') ? c + 32 : c);
    return;
  }
  const UChar32 uc = static_cast<UChar32>(c);
  if (!u_hasBinaryProperty(uc, UCHAR_CHANGES_WHEN_LOWERCASED)) {
    out.push_back(c);
    return;
  }
  UChar src[2];
  int32_t src_len = 0;
  U16_APPEND_UNSAFE(src, src_len, uc);
  UChar dst[16];
  UErrorCode err = U_ZERO_ERROR;
  const int32_t len = u_strToLower(dst, 16, src, src_len, "", &err);
  if (U_FAILURE(err) || len > 16) {
    out.push_back(static_cast<char32_t>(u_tolower(uc)));
    return;
  }
  for (int32_t i = 0; i < len;) {
    UChar32 lc;
    U16_NEXT(dst, i, len, lc);
    out.push_back(static_cast<char32_t>(lc));
  }
}

// The CLIP normalizer: NFC, every whitespace run -> " ", lowercase.
CodePoints normalize(const CodePoints& text) {
  if (text.empty()) return {};
  bool ascii = true;
  for (char32_t c : text) ascii = ascii && c < 0x80;
  CodePoints nfc;
  if (ascii) {
    nfc = text;  // ASCII is NFC already
  } else {
    icu::UnicodeString u;
    for (char32_t c : text) u.append(static_cast<UChar32>(c));
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(err);
    if (U_FAILURE(err)) throw Error(std::string("ICU: cannot load the NFC normalizer: ") + u_errorName(err));
    icu::UnicodeString out = n->normalize(u, err);
    if (U_FAILURE(err)) throw Error(std::string("ICU: NFC normalization failed: ") + u_errorName(err));
    nfc.reserve(static_cast<size_t>(out.length()));
    for (int32_t i = 0; i < out.length();) {
      const UChar32 c = out.char32At(i);
      nfc.push_back(static_cast<char32_t>(c));
      i += U16_LENGTH(c);
    }
  }
  CodePoints result;
  result.reserve(nfc.size());
  for (size_t i = 0; i < nfc.size();) {
    if (is_space(nfc[i])) {
      result.push_back(U' ');
      while (i < nfc.size() && is_space(nfc[i])) ++i;
      continue;
    }
    append_lower(result, nfc[i]);
    ++i;
  }
  return result;
}

// A piece of the text: either an added token (id >= 0) or text to pre-tokenize.
template <class Str>
struct Piece {
  Str text;
  int32_t added_id = -1;
};

// Split `text` on the leftmost-longest occurrences of `patterns` (non-empty).
template <class Str>
std::vector<Piece<Str>> split_on_added(const Str& text, const std::vector<std::pair<Str, int32_t>>& patterns) {
  std::vector<Piece<Str>> out;
  size_t start = 0, i = 0;
  while (i < text.size()) {
    size_t best_len = 0;
    int32_t best_id = -1;
    for (const auto& [pat, id] : patterns) {
      if (pat.size() > best_len && text.compare(i, pat.size(), pat) == 0) {
        best_len = pat.size();
        best_id = id;
      }
    }
    if (best_len == 0) {
      ++i;
      continue;
    }
    if (i > start) out.push_back({text.substr(start, i - start), -1});
    out.push_back({Str(), best_id});
    i += best_len;
    start = i;
  }
  if (start < text.size()) out.push_back({text.substr(start), -1});
  return out;
}

// The CLIP pre-tokenizer: 's|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+, leftmost-first;
// whatever no alternative matches (whitespace) is dropped. Calls fn(begin, end) per word.
template <class Fn>
void pre_tokenize(const CodePoints& s, Fn&& fn) {
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const char32_t c = s[i];
    if (is_space(c)) {
      ++i;
      continue;
    }
    if (c == U'\'' && i + 1 < n) {
      const char32_t a = s[i + 1];
      size_t len = 0;
      if (a == U's' || a == U't' || a == U'm' || a == U'd') {
        len = 2;
      } else if (i + 2 < n) {
        const char32_t b = s[i + 2];
        if ((a == U'r' && b == U'e') || (a == U'v' && b == U'e') || (a == U'l' && b == U'l')) len = 3;
      }
      if (len) {
        fn(i, i + len);
        i += len;
        continue;
      }
    }
    size_t j = i + 1;
    if (is_letter(c)) {
      while (j < n && is_letter(s[j])) ++j;
    } else if (!is_number(c)) {
      while (j < n && !is_space(s[j]) && !is_letter(s[j]) && !is_number(s[j])) ++j;
    }
    fn(i, j);
    i = j;
  }
}

}  // namespace

struct ClipTokenizer::Data {
  std::unordered_map<std::string, int32_t> vocab;
  std::vector<std::string> id_to_token;
  std::unordered_map<uint64_t, MergeRule> merges;
  int32_t byte_id[256] = {};      // id of the byte's unicode symbol
  int32_t byte_id_end[256] = {};  // id of the byte's symbol + "</w>"
  int32_t unk_id = -1;
  std::vector<AddedToken> added;

  int32_t find(const std::string& token) const {
    auto it = vocab.find(token);
    return it == vocab.end() ? -1 : it->second;
  }

  // BPE of one pre-token (UTF-8 bytes), appending the ids to `out`. Lowest rank first, leftmost on ties,
  // as the tokenizers crate's Word::merge_all does it.
  void bpe(std::string_view word, std::vector<int64_t>& out) const {
    struct Symbol {
      int32_t id;
      int32_t prev, next;
      bool alive;
    };
    const size_t n = word.size();
    if (n == 0) return;
    std::vector<Symbol> sym(n);
    for (size_t k = 0; k < n; ++k) {
      const auto b = static_cast<uint8_t>(word[k]);
      int32_t id = (k + 1 == n) ? byte_id_end[b] : byte_id[b];
      if (id < 0) id = unk_id;
      sym[k] = {id, static_cast<int32_t>(k) - 1, k + 1 == n ? -1 : static_cast<int32_t>(k + 1), true};
    }
    struct Candidate {
      int32_t rank, pos, new_id;
      bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
    };
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> queue;
    auto push_pair = [&](int32_t pos) {
      if (pos < 0) return;
      const int32_t next = sym[pos].next;
      if (next < 0 || sym[pos].id < 0 || sym[next].id < 0) return;
      auto it = merges.find(pair_key(sym[pos].id, sym[next].id));
      if (it != merges.end()) queue.push({it->second.rank, pos, it->second.new_id});
    };
    for (size_t k = 0; k + 1 < n; ++k) push_pair(static_cast<int32_t>(k));
    while (!queue.empty()) {
      const Candidate top = queue.top();
      queue.pop();
      Symbol& left = sym[top.pos];
      if (!left.alive || left.next < 0) continue;
      Symbol& right = sym[left.next];
      // Stale entry: the pair at this position has changed since it was queued.
      auto it = merges.find(pair_key(left.id, right.id));
      if (it == merges.end() || it->second.new_id != top.new_id) continue;
      left.id = top.new_id;
      right.alive = false;
      left.next = right.next;
      if (right.next >= 0) sym[right.next].prev = top.pos;
      push_pair(left.prev);
      push_pair(top.pos);
    }
    for (int32_t k = 0; k >= 0; k = sym[k].next) {
      if (sym[k].id >= 0) out.push_back(sym[k].id);
    }
  }
};

namespace {

// vocab.json is one flat object {"token": id, ...}: a SAX pass fills the map without building a JSON DOM
// (about 3x faster than json::parse for the 49k entries).
class VocabSax : public nlohmann::json_sax<json> {
public:
  VocabSax(ClipTokenizer::Data& d, const std::string& path) : d_(d), path_(path) {}
  std::string error;  // set when the structure is wrong (the parse is then aborted)

  bool null() override { return bad("null"); }
  bool boolean(bool) override { return bad("a boolean"); }
  bool number_integer(number_integer_t v) override { return value(v); }
  bool number_unsigned(number_unsigned_t v) override {
    if (depth_ == 1 && v >= static_cast<number_unsigned_t>(kMaxId)) {  // named as written, not clamped
      error = path_ + ": token '" + key_ + "' has id " + std::to_string(v) + ", expected 0.." + std::to_string(kMaxId - 1);
      return false;
    }
    return value(static_cast<int64_t>(std::min<number_unsigned_t>(v, kMaxId)));
  }
  bool number_float(number_float_t, const string_t& s) override { return bad("the number " + s); }
  bool string(string_t& s) override { return bad("the string \"" + s.substr(0, 100) + "\""); }
  bool binary(binary_t&) override { return bad("binary data"); }
  bool start_object(std::size_t) override {
    if (depth_++ != 0) return bad("a nested object");
    seen_object_ = true;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override { return bad("an array"); }
  bool end_array() override { return false; }
  bool key(string_t& k) override {
    key_ = std::move(k);
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    error = path_ + ": not valid JSON (" + e.what() + ")";
    return false;
  }
  bool seen_object() const { return seen_object_; }
  int64_t max_id() const { return max_id_; }

  static constexpr int64_t kMaxId = 16 * 1024 * 1024;

private:
  bool value(int64_t id) {
    if (depth_ != 1) return bad("a number");
    if (id < 0 || id >= kMaxId) {
      error = path_ + ": token '" + key_ + "' has id " + std::to_string(id) + ", expected 0.." +
              std::to_string(kMaxId - 1);
      return false;
    }
    d_.vocab[key_] = static_cast<int32_t>(id);
    max_id_ = std::max(max_id_, id);
    return true;
  }
  bool bad(const std::string& found) {
    error = depth_ == 1 ? path_ + ": token '" + key_ + "' has a non-integer id (" + found + ")"
                        : path_ + ": expected a JSON object mapping token strings to integer ids, found " + found;
    return false;
  }
  ClipTokenizer::Data& d_;
  const std::string& path_;
  std::string key_;
  int depth_ = 0;
  bool seen_object_ = false;
  int64_t max_id_ = -1;
};

void load_vocab(ClipTokenizer::Data& d, const std::string& path) {
  const std::string text = read_text_file(path);
  d.vocab.reserve(65536);
  VocabSax sax(d, path);
  const bool ok = json::sax_parse(text, &sax);
  if (!sax.error.empty()) throw Error(sax.error);
  if (!ok) throw Error(path + ": not valid JSON");
  if (!sax.seen_object() || d.vocab.empty())
    throw Error(path + ": expected a non-empty JSON object mapping token strings to integer ids");
  d.id_to_token.assign(static_cast<size_t>(sax.max_id() + 1), std::string());
  for (const auto& [tok, id] : d.vocab) {
    if (!d.id_to_token[id].empty() && d.id_to_token[id] != tok)
      throw Error(path + ": id " + std::to_string(id) + " is used by both '" + d.id_to_token[id] + "' and '" + tok + "'");
    d.id_to_token[id] = tok;
  }
  char32_t byte_char[256];
  bytes_to_unicode(byte_char);
  for (int b = 0; b < 256; ++b) {
    std::string s;
    append_utf8(s, byte_char[b]);
    d.byte_id[b] = d.find(s);
    d.byte_id_end[b] = d.find(s + "</w>");
  }
}

void load_merges(ClipTokenizer::Data& d, const std::string& path, const std::string& vocab_path) {
  const std::string text = read_text_file(path);
  d.merges.reserve(50000);
  int32_t rank = 0;
  size_t line_no = 0, pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.rfind("#version", 0) == 0) continue;
    const size_t sp = line.find(' ');
    if (sp == std::string_view::npos || sp == 0 || sp + 1 >= line.size() ||
        line.find(' ', sp + 1) != std::string_view::npos)
      throw Error(path + ":" + std::to_string(line_no) + ": expected two space-separated symbols, found '" +
                  std::string(line.substr(0, 200)) + "'");
    const std::string a(line.substr(0, sp)), b(line.substr(sp + 1)), merged = a + b;
    const int32_t ia = d.find(a), ib = d.find(b), inew = d.find(merged);
    const std::string* missing = ia < 0 ? &a : ib < 0 ? &b : inew < 0 ? &merged : nullptr;
    if (missing)
      throw Error(path + ":" + std::to_string(line_no) + ": merge '" + std::string(line) + "' uses token '" +
                  *missing + "' which is not in " + vocab_path);
    d.merges[pair_key(ia, ib)] = MergeRule{rank++, inew};
  }
  if (d.merges.empty()) throw Error(path + ": no merges found (expected one 'a b' pair per line)");
}

// A token entry of special_tokens_map.json / tokenizer_config.json: "text" or {"content": "text", "normalized": ...}.
bool parse_token_entry(const json& v, const std::string& what, std::string* content, bool* normalized) {
  if (v.is_null()) return false;
  if (v.is_string()) {
    *content = v.get<std::string>();
    *normalized = false;  // a plain special token is matched on the raw text
    return true;
  }
  if (v.is_object()) {
    auto c = v.find("content");
    if (c == v.end() || !c->is_string()) throw Error(what + ": expected a string field 'content'");
    *content = c->get<std::string>();
    auto nz = v.find("normalized");
    *normalized = (nz != v.end() && nz->is_boolean()) ? nz->get<bool>() : false;
    return true;
  }
  throw Error(what + ": expected a token string or an object with 'content', found " + v.dump());
}

}  // namespace

ClipTokenizer ClipTokenizer::from_folder(const std::string& dir) {
  namespace fs = std::filesystem;
  const std::string vocab_path = (fs::path(dir) / "vocab.json").string();
  const std::string merges_path = (fs::path(dir) / "merges.txt").string();
  const std::string map_path = (fs::path(dir) / "special_tokens_map.json").string();
  const std::string config_path = (fs::path(dir) / "tokenizer_config.json").string();

  auto d = std::make_shared<Data>();
  load_vocab(*d, vocab_path);
  load_merges(*d, merges_path, vocab_path);

  // Special tokens: CLIPTokenizer defaults, then tokenizer_config.json, then special_tokens_map.json (which wins,
  // as in transformers: it sets the pad token "!" although tokenizer_config.json says "<|endoftext|>").
  struct Special {
    const char* key;
    std::string content;
    bool normalized;
  };
  Special specials[] = {{"bos_token", "<|startoftext|>", true},
                        {"eos_token", "<|endoftext|>", true},
                        {"unk_token", "<|endoftext|>", true},
                        {"pad_token", "<|endoftext|>", true}};
  struct Extra {
    std::string content;
    bool normalized;
    int64_t id;  // explicit id (added_tokens_decoder), -1 when none
  };
  std::vector<Extra> extra;  // additional special tokens / added tokens
  ClipTokenizer tok;
  for (const std::string& path : {config_path, map_path}) {
    if (!fs::exists(path)) continue;
    const json j = read_json_file(path);
    if (!j.is_object()) throw Error(path + ": expected a JSON object");
    for (auto& s : specials) {
      auto it = j.find(s.key);
      if (it != j.end()) parse_token_entry(*it, path + ": '" + s.key + "'", &s.content, &s.normalized);
    }
    if (auto it = j.find("additional_special_tokens"); it != j.end() && !it->is_null()) {
      if (!it->is_array()) throw Error(path + ": 'additional_special_tokens' must be a list");
      for (const auto& v : *it) {
        std::string c;
        bool nz = false;
        if (parse_token_entry(v, path + ": 'additional_special_tokens'", &c, &nz)) extra.push_back({c, nz, -1});
      }
    }
    if (auto it = j.find("added_tokens_decoder"); it != j.end() && it->is_object()) {
      for (auto e = it->begin(); e != it->end(); ++e) {
        std::string c;
        bool nz = false;
        const std::string what = path + ": 'added_tokens_decoder' '" + e.key() + "'";
        if (!parse_token_entry(e.value(), what, &c, &nz)) continue;
        int64_t id = -1;
        try {
          size_t used = 0;
          id = std::stoll(e.key(), &used);
          if (used != e.key().size() || id < 0 || id >= VocabSax::kMaxId) id = -2;
        } catch (const std::exception&) {
          id = -2;
        }
        if (id == -2) throw Error(what + ": the key must be a token id (0.." + std::to_string(VocabSax::kMaxId - 1) + ")");
        extra.push_back({c, nz, id});
      }
    }
    if (path == config_path) {
      if (auto it = j.find("model_max_length"); it != j.end() && it->is_number()) {
        const double m = it->get<double>();
        if (m >= 2 && m <= 1 << 20) tok.max_length_ = static_cast<int>(m);
      }
    }
  }

  // Added tokens with an explicit id that vocab.json lacks are appended to the vocabulary (as transformers does).
  for (const auto& e : extra) {
    if (e.id < 0 || e.content.empty() || d->find(e.content) >= 0) continue;
    if (static_cast<size_t>(e.id) >= d->id_to_token.size()) d->id_to_token.resize(static_cast<size_t>(e.id) + 1);
    if (!d->id_to_token[e.id].empty())
      throw Error(config_path + ": added token '" + e.content + "' has id " + std::to_string(e.id) + ", already used by '" +
                  d->id_to_token[e.id] + "' in " + vocab_path);
    d->id_to_token[e.id] = e.content;
    d->vocab.emplace(e.content, static_cast<int32_t>(e.id));
  }

  auto id_of = [&](const std::string& content, const char* role) -> int32_t {
    const int32_t id = d->find(content);
    if (id < 0) throw Error(vocab_path + ": the " + std::string(role) + " '" + content + "' is not in the vocabulary");
    return id;
  };
  tok.bos_id_ = id_of(specials[0].content, "bos_token");
  tok.eos_id_ = id_of(specials[1].content, "eos_token");
  tok.unk_id_ = id_of(specials[2].content, "unk_token");
  tok.pad_id_ = id_of(specials[3].content, "pad_token");
  d->unk_id = static_cast<int32_t>(tok.unk_id_);

  auto add = [&](const std::string& content, bool normalized, const char* role) {
    if (content.empty()) return;
    for (const auto& a : d->added)
      if (a.content == content) return;
    AddedToken a;
    a.content = content;
    a.id = id_of(content, role);
    a.normalized = normalized;
    if (normalized) a.normalized_form = normalize(decode_utf8(content));
    if (normalized && a.normalized_form.empty()) return;
    d->added.push_back(std::move(a));
  };
  for (const auto& s : specials) add(s.content, s.normalized, s.key);
  for (const auto& e : extra) add(e.content, e.normalized, "added token");

  tok.data_ = std::move(d);
  return tok;
}

std::vector<int64_t> ClipTokenizer::token_ids(const std::string& text) const {
  if (!data_) throw Error("ClipTokenizer: not loaded (use ClipTokenizer::from_folder)");
  const Data& d = *data_;
  std::vector<std::pair<CodePoints, int32_t>> raw_patterns, norm_patterns;
  for (const auto& a : d.added) {
    if (a.normalized)
      norm_patterns.emplace_back(a.normalized_form, a.id);
    else
      raw_patterns.emplace_back(decode_utf8(a.content), a.id);
  }
  std::vector<int64_t> ids;
  std::string word;
  for (const auto& raw_piece : split_on_added(decode_utf8(text), raw_patterns)) {
    if (raw_piece.added_id >= 0) {
      ids.push_back(raw_piece.added_id);
      continue;
    }
    for (const auto& piece : split_on_added(normalize(raw_piece.text), norm_patterns)) {
      if (piece.added_id >= 0) {
        ids.push_back(piece.added_id);
        continue;
      }
      pre_tokenize(piece.text, [&](size_t b, size_t e) {
        word.clear();
        for (size_t k = b; k < e; ++k) append_utf8(word, piece.text[k]);
        d.bpe(word, ids);
      });
    }
  }
  return ids;
}

std::vector<std::string> ClipTokenizer::tokenize(const std::string& text) const {
  std::vector<std::string> out;
  for (int64_t id : token_ids(text)) out.push_back(id_to_token(id));
  return out;
}

std::vector<int64_t> ClipTokenizer::encode_untruncated(const std::string& text) const {
  std::vector<int64_t> ids = token_ids(text);
  ids.insert(ids.begin(), bos_id_);
  ids.push_back(eos_id_);
  return ids;
}

ClipEncoding ClipTokenizer::encode_with_mask(const std::string& text) const {
  std::vector<int64_t> content = token_ids(text);
  const size_t max_content = static_cast<size_t>(max_length_) - 2;
  if (content.size() > max_content) content.resize(max_content);
  ClipEncoding e;
  e.input_ids.reserve(static_cast<size_t>(max_length_));
  e.input_ids.push_back(bos_id_);
  e.input_ids.insert(e.input_ids.end(), content.begin(), content.end());
  e.input_ids.push_back(eos_id_);
  e.attention_mask.assign(e.input_ids.size(), 1);
  e.input_ids.resize(static_cast<size_t>(max_length_), pad_id_);
  e.attention_mask.resize(static_cast<size_t>(max_length_), 0);
  return e;
}

std::vector<int64_t> ClipTokenizer::encode(const std::string& text) const { return encode_with_mask(text).input_ids; }

int64_t ClipTokenizer::token_to_id(const std::string& token) const { return data_ ? data_->find(token) : -1; }

const std::string& ClipTokenizer::id_to_token(int64_t id) const {
  if (!data_ || id < 0 || id >= static_cast<int64_t>(data_->id_to_token.size()))
    throw Error("ClipTokenizer: token id " + std::to_string(id) + " is out of range 0.." +
                std::to_string(data_ ? static_cast<int64_t>(data_->id_to_token.size()) - 1 : -1));
  return data_->id_to_token[static_cast<size_t>(id)];
}

size_t ClipTokenizer::vocab_size() const { return data_ ? data_->vocab.size() : 0; }
size_t ClipTokenizer::num_merges() const { return data_ ? data_->merges.size() : 0; }
int64_t ClipTokenizer::max_token_id() const { return data_ ? static_cast<int64_t>(data_->id_to_token.size()) - 1 : -1; }

}  // namespace ci2v::text
