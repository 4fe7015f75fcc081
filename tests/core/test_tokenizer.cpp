// CLIP BPE tokenizer: the 41 golden prompts of the parity fixtures (made with the HF tokenizers backend),
// truncation/padding invariants, the attention mask, Unicode details and the errors on broken files.
#include <cstdint>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "engine/files.h"
#include "engine/entropy.h"
#include "engine/error.h"
#include "engine/text/clip_tokenizer.h"

using ci2v::text::ClipTokenizer;
namespace fs = std::filesystem;

namespace {

const std::string kFixtures = CONSISTI2V_FIXTURES;
const std::string kTokenizerDir = kFixtures + "/tiny_pipeline/tokenizer";

const ClipTokenizer& fixture_tokenizer() {
  static const ClipTokenizer tok = ClipTokenizer::from_folder(kTokenizerDir);
  return tok;
}

const nlohmann::json& prompts_json() {
  static const nlohmann::json j = [] {
    std::ifstream in(kFixtures + "/cases/tokenizer_prompts.json");
    if (!in) throw std::runtime_error("cannot open tokenizer_prompts.json");
    return nlohmann::json::parse(in);
  }();
  return j;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

// A writable copy of the fixture tokenizer folder.
fs::path copy_tokenizer_dir() {
  const fs::path d = fs::temp_directory_path() / ("ci2v_tok_" + std::to_string(ci2v::entropy64()));
  fs::create_directories(d);
  for (const auto& e : fs::directory_iterator(kTokenizerDir)) fs::copy_file(e.path(), d / e.path().filename());
  return d;
}

std::string load_error(const fs::path& dir) {
  try {
    ClipTokenizer::from_folder(dir.string());
  } catch (const ci2v::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ClipTokenizer, LoadsSpecialTokensFromTheFolderQuickly) {
  const auto t0 = std::chrono::steady_clock::now();
  const ClipTokenizer tok = ClipTokenizer::from_folder(kTokenizerDir);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("[ tokenizer ] vocab %zu, merges %zu, loaded in %.1f ms\n", tok.vocab_size(), tok.num_merges(),
              seconds * 1e3);
  EXPECT_LT(seconds, 1.0);
  const auto& info = prompts_json().at("info");
  EXPECT_EQ(tok.bos_id(), info.at("bos_token_id").get<int64_t>());
  EXPECT_EQ(tok.eos_id(), info.at("eos_token_id").get<int64_t>());
  EXPECT_EQ(tok.unk_id(), info.at("unk_token_id").get<int64_t>());
  // special_tokens_map.json ("!") wins over tokenizer_config.json ("<|endoftext|>"), as in transformers.
  EXPECT_EQ(tok.pad_id(), info.at("pad_token_id").get<int64_t>());
  EXPECT_EQ(tok.id_to_token(tok.pad_id()), info.at("pad_token").get<std::string>());
  EXPECT_EQ(tok.max_length(), info.at("model_max_length").get<int>());
  EXPECT_EQ(tok.vocab_size(), 49408u);
  EXPECT_EQ(tok.num_merges(), 48894u);  // merges.txt minus its "#version" line
  EXPECT_EQ(tok.token_to_id("<|startoftext|>"), tok.bos_id());
  EXPECT_EQ(tok.token_to_id("no such token"), -1);
  EXPECT_THROW(tok.id_to_token(-1), ci2v::Error);
  EXPECT_THROW(tok.id_to_token(49408), ci2v::Error);
}

TEST(ClipTokenizer, AllFixturePromptsMatchExactly) {
  const ClipTokenizer& tok = fixture_tokenizer();
  const auto& prompts = prompts_json().at("prompts");
  ASSERT_EQ(prompts.size(), 41u);
  int exact = 0;
  for (const auto& p : prompts) {
    const std::string prompt = p.at("prompt").get<std::string>();
    SCOPED_TRACE("prompt " + std::to_string(p.at("index").get<int>()) + ": " + p.at("prompt").dump());
    const auto want_ids = p.at("input_ids").get<std::vector<int64_t>>();
    const auto want_untruncated = p.at("untruncated_ids").get<std::vector<int64_t>>();
    const auto want_tokens = p.at("tokens").get<std::vector<std::string>>();
    const auto ids = tok.encode(prompt);
    const auto untruncated = tok.encode_untruncated(prompt);
    // "tokens" are the token strings of the untruncated ids.
    std::vector<std::string> tokens;
    for (int64_t id : untruncated) tokens.push_back(tok.id_to_token(id));
    EXPECT_EQ(ids, want_ids);
    EXPECT_EQ(untruncated, want_untruncated);
    EXPECT_EQ(tokens, want_tokens);
    EXPECT_EQ(static_cast<int64_t>(untruncated.size()), p.at("n_tokens_untruncated").get<int64_t>());
    if (ids == want_ids && untruncated == want_untruncated && tokens == want_tokens) ++exact;
  }
  std::printf("[ tokenizer ] %d/%zu fixture prompts exact\n", exact, prompts.size());
  EXPECT_EQ(exact, 41);
}

TEST(ClipTokenizer, AttentionMaskMatchesTheFixtureSemantics) {
  const ClipTokenizer& tok = fixture_tokenizer();
  for (const auto& p : prompts_json().at("prompts")) {
    const auto enc = tok.encode_with_mask(p.at("prompt").get<std::string>());
    const size_t n_real = std::min<size_t>(p.at("untruncated_ids").size(), 77);
    ASSERT_EQ(enc.attention_mask.size(), 77u);
    for (size_t i = 0; i < 77; ++i) EXPECT_EQ(enc.attention_mask[i], i < n_real ? 1 : 0) << "position " << i;
    EXPECT_EQ(enc.input_ids, tok.encode(p.at("prompt").get<std::string>()));
  }
}

TEST(ClipTokenizer, TruncationAndPaddingInvariants) {
  const ClipTokenizer& tok = fixture_tokenizer();
  const size_t L = static_cast<size_t>(tok.max_length());
  std::string text;
  for (int words = 0; words <= 120; ++words) {
    if (words) text += (words % 3 == 0) ? "cat, " : "dog ";
    const auto enc = tok.encode_with_mask(text);
    const auto full = tok.encode_untruncated(text);
    ASSERT_EQ(enc.input_ids.size(), L);
    ASSERT_EQ(enc.attention_mask.size(), L);
    ASSERT_GE(full.size(), 2u);
    EXPECT_EQ(full.front(), tok.bos_id());
    EXPECT_EQ(full.back(), tok.eos_id());
    const size_t n = std::min(full.size(), L);  // BOS + kept content + EOS
    EXPECT_EQ(enc.input_ids[0], tok.bos_id());
    EXPECT_EQ(enc.input_ids[n - 1], tok.eos_id()) << words << " words";
    // The kept content is the prefix of the full content.
    for (size_t i = 1; i + 1 < n; ++i) EXPECT_EQ(enc.input_ids[i], full[i]);
    for (size_t i = n; i < L; ++i) EXPECT_EQ(enc.input_ids[i], tok.pad_id());
    int64_t mask_sum = 0;
    for (auto m : enc.attention_mask) mask_sum += m;
    EXPECT_EQ(mask_sum, static_cast<int64_t>(n));
  }
  // Exactly max_length - 2 content tokens fit without truncation; one more is cut.
  std::string a75, a76;
  for (int i = 0; i < 75; ++i) a75 += "a ";
  a76 = a75 + "b";
  EXPECT_EQ(tok.encode_untruncated(a75).size(), L);
  EXPECT_EQ(tok.encode(a75), tok.encode_untruncated(a75));
  EXPECT_EQ(tok.encode(a76), tok.encode(a75));
  EXPECT_EQ(tok.encode_untruncated(a76).size(), L + 1);
}

TEST(ClipTokenizer, PadTokenAndSpecialTokenStrings) {
  const ClipTokenizer& tok = fixture_tokenizer();
  // Every "!" is the pad token itself, split off before anything else, with the whitespace around it dropped.
  EXPECT_EQ(tok.token_ids("!!!"), (std::vector<int64_t>{tok.pad_id(), tok.pad_id(), tok.pad_id()}));
  EXPECT_EQ(tok.token_ids("wow ! wow"), tok.token_ids("wow!wow"));
  EXPECT_EQ(tok.tokenize("?!?"), (std::vector<std::string>{"?</w>", "!", "?</w>"}));
  // Special-token strings in the text are the special ids (matched on the normalized text: "normalized": true).
  EXPECT_EQ(tok.token_ids("<|endoftext|>"), std::vector<int64_t>{tok.eos_id()});
  EXPECT_EQ(tok.token_ids("x<|startoftext|>y"),
            (std::vector<int64_t>{tok.token_to_id("x</w>"), tok.bos_id(), tok.token_to_id("y</w>")}));
  EXPECT_EQ(tok.token_ids("<|EndOfText|>"), std::vector<int64_t>{tok.eos_id()});
  // A partial special string is ordinary text: the punctuation run "<|" and the word "end".
  std::vector<int64_t> parts = tok.token_ids("<|");
  for (int64_t id : tok.token_ids("end")) parts.push_back(id);
  EXPECT_EQ(tok.token_ids("<|end"), parts);
  EXPECT_EQ(tok.tokenize("end"), std::vector<std::string>{"end</w>"});
}

TEST(ClipTokenizer, PreTokenizerAndBpeDetails) {
  const ClipTokenizer& tok = fixture_tokenizer();
  EXPECT_TRUE(tok.token_ids("").empty());
  EXPECT_TRUE(tok.token_ids(" \t\n\u00a0\u3000 ").empty());  // Unicode White_Space only
  // Contractions match anywhere a quote starts a match, also at a word start; a punctuation run swallows the quote.
  EXPECT_EQ(tok.tokenize("'single'"), (std::vector<std::string>{"'s</w>", "ingle</w>", "'</w>"}));
  EXPECT_EQ(tok.tokenize("?'s"), (std::vector<std::string>{"?'</w>", "s</w>"}));
  // Digits are single tokens; letters of any script form runs.
  EXPECT_EQ(tok.tokenize("ab12"), (std::vector<std::string>{"ab</w>", "1</w>", "2</w>"}));
  // A zero-width space is not whitespace: it is a token of its own between two words.
  EXPECT_EQ(tok.tokenize("a\u200bb").size(), 3u);
  // NFC: a decomposed é equals the composed one; lowercase per code point (İ -> i + U+0307, Σ -> σ).
  EXPECT_EQ(tok.token_ids("Cafe\u0301"), tok.token_ids("caf\u00e9"));
  EXPECT_EQ(tok.token_ids("\u0130"), tok.token_ids("i\u0307"));
  EXPECT_EQ(tok.token_ids("\u039f\u03a3"), tok.token_ids("\u03bf\u03c3"));
  // Every word ends in a "</w>" symbol, whatever the script.
  for (const std::string& w : {"panda", "東京", "🐼", "½"}) {
    const auto t = tok.tokenize(w);
    ASSERT_FALSE(t.empty()) << w;
    EXPECT_TRUE(t.back().size() > 4 && t.back().compare(t.back().size() - 4, 4, "</w>") == 0) << w;
  }
}

TEST(ClipTokenizer, InvalidUtf8BecomesReplacementCharacters) {
  const ClipTokenizer& tok = fixture_tokenizer();
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(tok.token_ids("a\xFF" "b"), tok.token_ids("a" + fffd + "b"));
  EXPECT_EQ(tok.token_ids("\xC3"), tok.token_ids(fffd));                     // truncated sequence
  EXPECT_EQ(tok.token_ids("\xED\xA0\x80"), tok.token_ids(fffd + fffd + fffd));  // encoded surrogate
  EXPECT_EQ(tok.token_ids(std::string("a\0b", 3)).size(), 3u);              // NUL is a symbol, not an end
  EXPECT_EQ(tok.encode("\xC0\xAF\xFE").size(), 77u);
}

TEST(ClipTokenizer, CopiesShareTheVocabulary) {
  const ClipTokenizer a = fixture_tokenizer();
  const ClipTokenizer b = a;
  EXPECT_EQ(a.encode("a red panda"), b.encode("a red panda"));
  const ClipTokenizer empty;
  EXPECT_THROW(empty.encode("x"), ci2v::Error);
}

TEST(ClipTokenizer, MissingOrCorruptFilesNameTheFile) {
  {
    const fs::path d = copy_tokenizer_dir();
    fs::remove(d / "vocab.json");
    const std::string e = load_error(d);
    EXPECT_NE(e.find("vocab.json"), std::string::npos) << e;
    EXPECT_NE(e.find("cannot open"), std::string::npos) << e;
    ci2v::remove_tree(d);
  }
  {
    const fs::path d = copy_tokenizer_dir();
    fs::remove(d / "merges.txt");
    const std::string e = load_error(d);
    EXPECT_NE(e.find("merges.txt"), std::string::npos) << e;
    ci2v::remove_tree(d);
  }
  {
    const fs::path d = copy_tokenizer_dir();
    std::string v = read_file(d / "vocab.json");
    write_file(d / "vocab.json", v.substr(0, v.size() / 2));  // truncated JSON
    const std::string e = load_error(d);
    EXPECT_NE(e.find("vocab.json"), std::string::npos) << e;
    EXPECT_NE(e.find("not valid JSON"), std::string::npos) << e;
    write_file(d / "vocab.json", R"({"a": "one"})");
    EXPECT_NE(load_error(d).find("vocab.json: token 'a' has a non-integer id"), std::string::npos) << load_error(d);
    write_file(d / "vocab.json", "[1, 2]");
    EXPECT_NE(load_error(d).find("vocab.json"), std::string::npos);
    ci2v::remove_tree(d);
  }
  {
    const fs::path d = copy_tokenizer_dir();
    const std::string m = read_file(d / "merges.txt");
    // Line 3 without its separator.
    const size_t l2 = m.find('\n', m.find('\n') + 1);
    std::string bad = m;
    bad[m.find(' ', l2 + 1)] = '_';
    write_file(d / "merges.txt", bad);
    std::string e = load_error(d);
    EXPECT_NE(e.find("merges.txt:3:"), std::string::npos) << e;
    // A merge of symbols the vocabulary does not know.
    write_file(d / "merges.txt", "#version: 0.2\ni n\nqq\xE2\x82\xAC zz\n");
    e = load_error(d);
    EXPECT_NE(e.find("merges.txt:3:"), std::string::npos) << e;
    EXPECT_NE(e.find("not in"), std::string::npos) << e;
    write_file(d / "merges.txt", "#version: 0.2\n");
    EXPECT_NE(load_error(d).find("merges.txt: no merges"), std::string::npos);
    ci2v::remove_tree(d);
  }
  {
    const fs::path d = copy_tokenizer_dir();
    write_file(d / "special_tokens_map.json", "{\"pad_token\": ");
    EXPECT_NE(load_error(d).find("special_tokens_map.json"), std::string::npos);
    write_file(d / "special_tokens_map.json", R"({"pad_token": "<|no such token|>"})");
    const std::string e = load_error(d);
    EXPECT_NE(e.find("pad_token"), std::string::npos) << e;
    EXPECT_NE(e.find("<|no such token|>"), std::string::npos) << e;
    // Without special_tokens_map.json the pad token of tokenizer_config.json applies.
    fs::remove(d / "special_tokens_map.json");
    const ClipTokenizer tok = ClipTokenizer::from_folder(d.string());
    EXPECT_EQ(tok.pad_id(), tok.eos_id());
    EXPECT_EQ(tok.encode("a").back(), tok.eos_id());
    // ... and "!" is then ordinary punctuation.
    EXPECT_EQ(tok.tokenize("!!!"), std::vector<std::string>{"!!!</w>"});
    ci2v::remove_tree(d);
  }
  EXPECT_NE(load_error("/nonexistent/tokenizer").find("/nonexistent/tokenizer/vocab.json"), std::string::npos);
}

TEST(ClipTokenizer, AddedTokensFromTokenizerConfig) {
  const fs::path d = copy_tokenizer_dir();
  auto cfg = nlohmann::json::parse(read_file(d / "tokenizer_config.json"));
  cfg["added_tokens_decoder"] = {
      {"49408", {{"content", "<|newtok|>"}, {"normalized", false}, {"special", true}}},
      {"49407", {{"content", "<|endoftext|>"}, {"normalized", true}, {"special", true}}}};
  cfg["additional_special_tokens"] = {"cat"};
  write_file(d / "tokenizer_config.json", cfg.dump());
  const ClipTokenizer tok = ClipTokenizer::from_folder(d.string());
  EXPECT_EQ(tok.token_to_id("<|newtok|>"), 49408);
  EXPECT_EQ(tok.id_to_token(49408), "<|newtok|>");
  const int64_t a = tok.token_to_id("a</w>"), b = tok.token_to_id("b</w>");
  EXPECT_EQ(tok.token_ids("a<|newtok|>b"), (std::vector<int64_t>{a, 49408, b}));
  // Not normalized: the upper-case spelling is ordinary text.
  const auto upper = tok.token_ids("<|NEWTOK|>");
  EXPECT_EQ(std::count(upper.begin(), upper.end(), 49408), 0);
  // "cat" (an existing vocab entry without "</w>") is matched as a whole, also inside a word.
  EXPECT_EQ(tok.token_ids("concatenate")[1], tok.token_to_id("cat"));

  cfg["added_tokens_decoder"] = {{"x1", {{"content", "<|bad|>"}}}};
  write_file(d / "tokenizer_config.json", cfg.dump());
  const std::string e = load_error(d);
  EXPECT_NE(e.find("tokenizer_config.json: 'added_tokens_decoder' 'x1'"), std::string::npos) << e;
  ci2v::remove_tree(d);
}
