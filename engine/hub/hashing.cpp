#include "engine/hub/hashing.h"

#include <openssl/evp.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "engine/error.h"

namespace ci2v::hub {

namespace {

struct MdCtx {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~MdCtx() { EVP_MD_CTX_free(ctx); }
};

std::string to_hex(const unsigned char* d, unsigned n) {
  static const char* k = "0123456789abcdef";
  std::string s(n * 2, '0');
  for (unsigned i = 0; i < n; ++i) s[2 * i] = k[d[i] >> 4], s[2 * i + 1] = k[d[i] & 15];
  return s;
}

// Hash `prefix` then the file's bytes.
std::string hash_file(const EVP_MD* md, const std::filesystem::path& file, const std::string& prefix,
                      const std::atomic<bool>* cancel) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!f) throw Error(file.string() + ": cannot open to verify its hash");
  MdCtx c;
  if (!c.ctx || EVP_DigestInit_ex(c.ctx, md, nullptr) != 1) throw Error("OpenSSL: cannot initialise a digest");
  if (!prefix.empty()) EVP_DigestUpdate(c.ctx, prefix.data(), prefix.size());
  std::vector<unsigned char> buf(1 << 20);
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0) {
    EVP_DigestUpdate(c.ctx, buf.data(), n);
    if (cancel && cancel->load()) return {};
  }
  if (std::ferror(f.get())) throw Error(file.string() + ": read error while verifying its hash");
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(c.ctx, out, &len);
  return to_hex(out, len);
}

}  // namespace

std::string sha256_file(const std::filesystem::path& file, const std::atomic<bool>* cancel) {
  return hash_file(EVP_sha256(), file, "", cancel);
}

std::string git_blob_sha1_file(const std::filesystem::path& file) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) throw Error(file.string() + ": cannot read its size (" + ec.message() + ")");
  std::string prefix = "blob " + std::to_string(size);
  prefix.push_back('\0');
  return hash_file(EVP_sha1(), file, prefix, nullptr);
}

}  // namespace ci2v::hub
