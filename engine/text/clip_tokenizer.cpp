#include "engine/text/clip_tokenizer.h"

#include "engine/error.h"

namespace ci2v::text {

ClipTokenizer ClipTokenizer::from_folder(const std::string& dir) {
  throw Error(dir + ": the CLIP tokenizer is not implemented yet");
}
std::vector<int64_t> ClipTokenizer::encode(const std::string&) const { return {}; }
std::vector<int64_t> ClipTokenizer::encode_untruncated(const std::string&) const { return {}; }

}  // namespace ci2v::text
