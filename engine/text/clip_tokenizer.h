// CLIP byte-level BPE tokenizer (vocab.json + merges.txt), as the ConsistI2V pipeline configures it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace ci2v::text {

class ClipTokenizer {
public:
  // Loads <dir>/vocab.json, merges.txt and (optionally) special_tokens_map.json / tokenizer_config.json.
  static ClipTokenizer from_folder(const std::string& dir);

  // Token ids padded/truncated to max_length (77): [BOS, tokens..., EOS, PAD...].
  std::vector<int64_t> encode(const std::string& text) const;
  // Ids without padding or truncation: [BOS, tokens..., EOS].
  std::vector<int64_t> encode_untruncated(const std::string& text) const;

  int64_t bos_id() const { return bos_id_; }
  int64_t eos_id() const { return eos_id_; }
  int64_t pad_id() const { return pad_id_; }
  int max_length() const { return max_length_; }

private:
  int64_t bos_id_ = 49406, eos_id_ = 49407, pad_id_ = 0;
  int max_length_ = 77;
};

}  // namespace ci2v::text
