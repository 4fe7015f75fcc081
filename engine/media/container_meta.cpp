#include "engine/media/container_meta.h"

extern "C" {
#include <libavutil/crc.h>
}

#include <algorithm>
#include <cstring>

#include "engine/error.h"

namespace ci2v::media::meta {

namespace {

uint32_t be32(const uint8_t* p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]; }

constexpr uint8_t kPngSig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

}  // namespace

bool is_png(const uint8_t* data, size_t size) { return size >= 8 && std::memcmp(data, kPngSig, 8) == 0; }

void png_add_text(std::vector<uint8_t>& png, const std::string& keyword, const std::string& text) {
  if (!is_png(png.data(), png.size()) || png.size() < 33 || std::memcmp(png.data() + 12, "IHDR", 4) != 0)
    throw Error("internal: the PNG encoder output does not start with a PNG signature and IHDR");
  const size_t after_ihdr = 8 + 12 + be32(png.data() + 8);
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  // tEXt: keyword \0 text. iTXt: keyword \0, compression flag 0, method 0, language "" \0, translated "" \0, text.
  const size_t gap = ascii ? 1 : 5;
  const size_t body = keyword.size() + gap + text.size();
  std::vector<uint8_t> chunk(12 + body, 0);
  uint8_t* p = chunk.data();
  for (int i = 0; i < 4; ++i) p[i] = uint8_t(uint32_t(body) >> (8 * (3 - i)));
  std::memcpy(p + 4, ascii ? "tEXt" : "iTXt", 4);
  std::memcpy(p + 8, keyword.data(), keyword.size());  // followed by `gap` zero bytes
  std::memcpy(p + 8 + keyword.size() + gap, text.data(), text.size());
  const uint32_t crc = av_crc(av_crc_get_table(AV_CRC_32_IEEE_LE), 0xFFFFFFFFu, p + 4, 4 + body) ^ 0xFFFFFFFFu;
  for (int i = 0; i < 4; ++i) p[8 + body + i] = uint8_t(crc >> (8 * (3 - i)));
  png.insert(png.begin() + static_cast<ptrdiff_t>(after_ihdr), chunk.begin(), chunk.end());
}

std::string png_find_text(const uint8_t* data, size_t size, const std::string& keyword, bool* found) {
  if (found) *found = false;
  if (!is_png(data, size)) return {};
  size_t pos = 8;
  while (pos + 12 <= size) {
    const uint32_t len = be32(data + pos);
    if (len > size - pos - 12) break;
    const uint8_t* type = data + pos + 4;
    const uint8_t* body = data + pos + 8;
    if (std::memcmp(type, "IEND", 4) == 0) break;
    const bool text = std::memcmp(type, "tEXt", 4) == 0, itxt = std::memcmp(type, "iTXt", 4) == 0;
    if ((text || itxt) && len > keyword.size() && std::memcmp(body, keyword.data(), keyword.size()) == 0 &&
        body[keyword.size()] == 0) {
      size_t p = keyword.size() + 1;
      if (text) {
        if (found) *found = true;
        return std::string(reinterpret_cast<const char*>(body + p), len - p);
      }
      if (p + 2 <= len && body[p] == 0) {  // uncompressed iTXt
        p += 2;
        for (int skip = 0; skip < 2 && p < len; ++skip) {  // language tag, translated keyword
          while (p < len && body[p] != 0) ++p;
          ++p;
        }
        if (p <= len) {
          if (found) *found = true;
          return std::string(reinterpret_cast<const char*>(body + p), len - p);
        }
      }
    }
    pos += 12 + len;
  }
  return {};
}

bool is_gif(const uint8_t* data, size_t size) {
  return size >= 13 && (std::memcmp(data, "GIF89a", 6) == 0 || std::memcmp(data, "GIF87a", 6) == 0);
}

namespace {

// Offset just past the logical screen descriptor and the global colour table.
size_t gif_header_end(const uint8_t* data, size_t size) {
  size_t off = 13;
  if (data[10] & 0x80) off += 3u * (1u << ((data[10] & 0x07) + 1));
  return off <= size ? off : size;
}

// Skip data sub-blocks starting at pos; returns the offset after the terminator (or size).
size_t gif_skip_subblocks(const uint8_t* data, size_t size, size_t pos) {
  while (pos < size) {
    const uint8_t n = data[pos++];
    if (n == 0) return pos;
    pos += n;
  }
  return size;
}

}  // namespace

void gif_add_comment(std::vector<uint8_t>& gif, const std::string& text) {
  if (!is_gif(gif.data(), gif.size())) throw Error("internal: the GIF muxer output has no GIF header");
  size_t pos = gif_header_end(gif.data(), gif.size());
  // After any application extensions (NETSCAPE loop block), before the first frame.
  while (pos + 2 <= gif.size() && gif[pos] == 0x21 && gif[pos + 1] == 0xFF)
    pos = gif_skip_subblocks(gif.data(), gif.size(), pos + 2);
  std::vector<uint8_t> ext = {0x21, 0xFE};
  for (size_t i = 0; i < text.size(); i += 255) {
    const size_t n = std::min<size_t>(255, text.size() - i);
    ext.push_back(uint8_t(n));
    ext.insert(ext.end(), text.begin() + static_cast<ptrdiff_t>(i), text.begin() + static_cast<ptrdiff_t>(i + n));
  }
  ext.push_back(0);
  gif.insert(gif.begin() + static_cast<ptrdiff_t>(pos), ext.begin(), ext.end());
}

int gif_drop_redundant_local_palettes(std::vector<uint8_t>& gif) {
  if (!is_gif(gif.data(), gif.size()) || !(gif[10] & 0x80)) return 0;
  const size_t table = 3u * (1u << ((gif[10] & 0x07) + 1));
  const size_t global = 13;
  size_t pos = gif_header_end(gif.data(), gif.size());
  int dropped = 0;
  while (pos < gif.size()) {
    if (gif[pos] == 0x21 && pos + 1 < gif.size()) {
      pos = gif_skip_subblocks(gif.data(), gif.size(), pos + 2);
    } else if (gif[pos] == 0x2C && pos + 10 <= gif.size()) {
      const uint8_t flags = gif[pos + 9];
      const size_t local = pos + 10;
      if (flags & 0x80) {
        const size_t size = 3u * (1u << ((flags & 0x07) + 1));
        if (size == table && local + size <= gif.size() &&
            std::memcmp(gif.data() + local, gif.data() + global, size) == 0) {
          gif[pos + 9] = uint8_t(flags & ~0xA7);  // no local table, sort flag or table size; keeps interlace
          gif.erase(gif.begin() + static_cast<ptrdiff_t>(local), gif.begin() + static_cast<ptrdiff_t>(local + size));
          ++dropped;
        } else {
          pos = local + size;
          pos = gif_skip_subblocks(gif.data(), gif.size(), pos + 1);
          continue;
        }
      }
      pos = gif_skip_subblocks(gif.data(), gif.size(), local + 1);
    } else {
      break;
    }
  }
  return dropped;
}

std::string gif_find_comment(const uint8_t* data, size_t size) {
  if (!is_gif(data, size)) return {};
  size_t pos = gif_header_end(data, size);
  while (pos < size) {
    const uint8_t b = data[pos];
    if (b == 0x21 && pos + 1 < size) {  // extension
      const uint8_t label = data[pos + 1];
      if (label == 0xFE) {
        std::string out;
        size_t p = pos + 2;
        while (p < size) {
          const uint8_t n = data[p++];
          if (n == 0 || p + n > size) break;
          out.append(reinterpret_cast<const char*>(data + p), n);
          p += n;
        }
        return out;
      }
      pos = gif_skip_subblocks(data, size, pos + 2);
    } else if (b == 0x2C && pos + 10 <= size) {  // image descriptor: local colour table, LZW size, data
      const uint8_t flags = data[pos + 9];
      pos += 10;
      if (flags & 0x80) pos += 3u * (1u << ((flags & 0x07) + 1));
      pos = gif_skip_subblocks(data, size, pos + 1);
    } else {
      break;  // trailer or garbage
    }
  }
  return {};
}

namespace {

std::string xml_escape(const std::string& s) {
  std::string o;
  o.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string xml_unescape(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      o += s[i];
      continue;
    }
    const size_t semi = s.find(';', i);
    if (semi == std::string::npos) {
      o += s[i];
      continue;
    }
    const std::string ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp") o += '&';
    else if (ent == "lt") o += '<';
    else if (ent == "gt") o += '>';
    else if (ent == "quot") o += '"';
    else if (ent == "apos") o += '\'';
    else if (!ent.empty() && ent[0] == '#') {
      unsigned long cp = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X') ? std::stoul(ent.substr(2), nullptr, 16)
                                                                         : std::stoul(ent.substr(1));
      if (cp < 0x80) o += char(cp);
      else if (cp < 0x800) o += char(0xC0 | (cp >> 6)), o += char(0x80 | (cp & 0x3F));
      else if (cp < 0x10000) o += char(0xE0 | (cp >> 12)), o += char(0x80 | ((cp >> 6) & 0x3F)), o += char(0x80 | (cp & 0x3F));
      else o += char(0xF0 | (cp >> 18)), o += char(0x80 | ((cp >> 12) & 0x3F)), o += char(0x80 | ((cp >> 6) & 0x3F)), o += char(0x80 | (cp & 0x3F));
    } else {
      o += s.substr(i, semi - i + 1);
    }
    i = semi;
  }
  return o;
}

constexpr const char* kOpen = "<consisti2v:params>";
constexpr const char* kClose = "</consisti2v:params>";

}  // namespace

std::string xmp_wrap_params(const std::string& text) {
  return std::string("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                     "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                     " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                     "  <rdf:Description rdf:about=\"\" xmlns:consisti2v=\"urn:consisti2v-studio:params:1.0#\">\n"
                     "   ") +
         kOpen + xml_escape(text) + kClose +
         "\n  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";
}

std::string xmp_unwrap_params(const std::string& xmp) {
  const size_t a = xmp.find(kOpen);
  if (a == std::string::npos) return {};
  const size_t b = xmp.find(kClose, a);
  if (b == std::string::npos) return {};
  const size_t start = a + std::strlen(kOpen);
  try {
    return xml_unescape(xmp.substr(start, b - start));
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace ci2v::media::meta
