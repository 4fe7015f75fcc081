// libFuzzer target: arbitrary bytes (any UTF-8, valid or not) as a prompt for the CLIP tokenizer of the parity
// fixtures. Encoding must never throw or crash, and the output must keep the padding/truncation invariants.
// The tokenizer folder is CI2V_TOKENIZER_DIR from the environment, else the compiled-in fixture folder.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "engine/error.h"
#include "engine/text/clip_tokenizer.h"

#ifndef CI2V_FUZZ_TOKENIZER_DIR
#define CI2V_FUZZ_TOKENIZER_DIR "tests/fixtures/parity/tiny_pipeline/tokenizer"
#endif

namespace {

std::unique_ptr<ci2v::text::ClipTokenizer> g_tok;

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* env = std::getenv("CI2V_TOKENIZER_DIR");
  const std::string dir = env && *env ? env : CI2V_FUZZ_TOKENIZER_DIR;
  try {
    g_tok = std::make_unique<ci2v::text::ClipTokenizer>(ci2v::text::ClipTokenizer::from_folder(dir));
  } catch (const ci2v::Error& e) {
    std::fprintf(stderr, "fuzz_clip_tokenizer: cannot load the tokenizer: %s\n", e.what());
    std::exit(1);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& tok = *g_tok;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto enc = tok.encode_with_mask(text);  // must not throw: an exception aborts the run
  const auto full = tok.encode_untruncated(text);
  const size_t L = static_cast<size_t>(tok.max_length());
  require(enc.input_ids.size() == L && enc.attention_mask.size() == L, "padded length");
  require(full.size() >= 2 && full.front() == tok.bos_id() && full.back() == tok.eos_id(), "BOS/EOS");
  const size_t n = full.size() < L ? full.size() : L;
  require(enc.input_ids[0] == tok.bos_id() && enc.input_ids[n - 1] == tok.eos_id(), "EOS position");
  for (size_t i = 0; i < L; ++i) {
    require(enc.attention_mask[i] == (i < n ? 1 : 0), "attention mask");
    if (i >= n) require(enc.input_ids[i] == tok.pad_id(), "padding");
    if (i > 0 && i + 1 < n) require(enc.input_ids[i] == full[i], "truncated prefix");
  }
  for (int64_t id : full) require(id >= 0 && static_cast<size_t>(id) < tok.vocab_size(), "id range");
  return 0;
}
