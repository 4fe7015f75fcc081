// File hashes used to verify hub downloads (OpenSSL libcrypto EVP): sha256 of LFS files, git blob ids of
// small files. Lower-case hex.
#pragma once
#include <atomic>
#include <filesystem>
#include <string>

namespace ci2v::hub {

// Throws naming the file when it cannot be read; returns "" when `cancel` becomes true.
std::string sha256_file(const std::filesystem::path& file, const std::atomic<bool>* cancel = nullptr);
// git's object id of a blob: sha1("blob <size>\0" + content) — what the hub reports as a small file's ETag.
std::string git_blob_sha1_file(const std::filesystem::path& file);

}  // namespace ci2v::hub
