// CLIP byte-level BPE tokenizer (vocab.json + merges.txt), as the ConsistI2V pipeline configures it
// (tokenizer(prompt, padding="max_length", max_length=77, truncation=True)), Torch-free.
//
// Behaviour follows the HF tokenizers backend of CLIPTokenizer (model-reference §5.2, parity README point 9):
//   1. added/special tokens whose "normalized" flag is false (the pad token "!") are split off the raw text;
//   2. every other piece: NFC, whitespace runs -> one space, per-code-point full lowercase;
//   3. added tokens with "normalized": true (<|startoftext|>, <|endoftext|>) are split off the normalized text;
//   4. pre-tokenization with 's|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+ (whitespace dropped);
//   5. byte-level mapping (bytes_to_unicode) and BPE with "</w>" on the last symbol, lowest-rank merge first;
//   6. [BOS, tokens..., EOS], content truncated to max_length - 2, padded with the pad id.
// Invalid UTF-8 in the input is replaced by U+FFFD (one per maximal ill-formed subsequence), never an error.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ci2v::text {

struct ClipEncoding {
  std::vector<int64_t> input_ids;       // [max_length]: BOS, tokens..., EOS, PAD...
  std::vector<int64_t> attention_mask;  // [max_length]: 1 for BOS..EOS, 0 for the padding
};

class ClipTokenizer {
public:
  // Loads <dir>/vocab.json, merges.txt and (optionally) special_tokens_map.json / tokenizer_config.json.
  // Throws ci2v::Error naming the file (and line / key) when one is missing or malformed.
  static ClipTokenizer from_folder(const std::string& dir);

  // Token ids padded/truncated to max_length (77): [BOS, tokens..., EOS, PAD...].
  std::vector<int64_t> encode(const std::string& text) const;
  // Ids without padding or truncation: [BOS, tokens..., EOS].
  std::vector<int64_t> encode_untruncated(const std::string& text) const;
  // Padded ids plus the attention mask (1 for BOS..EOS, 0 for padding), as the HF tokenizer returns them.
  ClipEncoding encode_with_mask(const std::string& text) const;

  // Content token ids / token strings (byte-level vocab strings such as "cafÃ©</w>"), without BOS/EOS.
  std::vector<int64_t> token_ids(const std::string& text) const;
  std::vector<std::string> tokenize(const std::string& text) const;

  // Vocab lookups: the id of a token string (-1 when absent) and the string of an id (throws when out of range).
  int64_t token_to_id(const std::string& token) const;
  const std::string& id_to_token(int64_t id) const;
  size_t vocab_size() const;
  size_t num_merges() const;
  int64_t max_token_id() const;  // the largest id in vocab.json (-1 when empty)

  int64_t bos_id() const { return bos_id_; }
  int64_t eos_id() const { return eos_id_; }
  int64_t pad_id() const { return pad_id_; }
  int64_t unk_id() const { return unk_id_; }
  int max_length() const { return max_length_; }

  struct Data;  // vocab, merges and added tokens (shared between copies, immutable after loading)

private:
  std::shared_ptr<const Data> data_;
  int64_t bos_id_ = 49406, eos_id_ = 49407, pad_id_ = 0, unk_id_ = 49407;
  int max_length_ = 77;
};

}  // namespace ci2v::text
