// Internal: metadata blocks in PNG (tEXt/iTXt), GIF (comment extension) and XMP packets.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace ci2v::media::meta {

// The PNG keywords under which the generation parameters and the frame rate are stored.
inline constexpr const char* kPngParamsKeyword = "consisti2v";
inline constexpr const char* kPngFpsKeyword = "consisti2v:fps";

// Insert a text chunk right after IHDR: tEXt when the text is ASCII (read by every PNG tool), else an
// uncompressed iTXt (UTF-8). Throws if the data is not a PNG.
void png_add_text(std::vector<uint8_t>& png, const std::string& keyword, const std::string& utf8_text);
// The text of the first tEXt or uncompressed iTXt chunk with that keyword; found = false when none.
std::string png_find_text(const uint8_t* data, size_t size, const std::string& keyword, bool* found = nullptr);
bool is_png(const uint8_t* data, size_t size);

// Insert a comment extension after the header, global colour table and application extensions.
void gif_add_comment(std::vector<uint8_t>& gif, const std::string& text);
// The concatenated text of the first comment extension, or "" when there is none.
std::string gif_find_comment(const uint8_t* data, size_t size);
bool is_gif(const uint8_t* data, size_t size);
// Drop local colour tables that repeat the global one (libavcodec's GIF encoder writes the first frame's
// palette twice). Returns how many were dropped.
int gif_drop_redundant_local_palettes(std::vector<uint8_t>& gif);

// An XMP packet holding `text` in a consisti2v:params element, and the text read back from one.
std::string xmp_wrap_params(const std::string& text);
std::string xmp_unwrap_params(const std::string& xmp);

}  // namespace ci2v::media::meta
