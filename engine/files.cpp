#include "engine/files.h"

#include <ftw.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "engine/error.h"

namespace ci2v {

namespace {

// nftw() takes a plain function: the walk's state lives in thread-local variables for its duration.
thread_local std::uintmax_t t_removed = 0;
thread_local int t_errno = 0;
thread_local std::string t_failed;

int remove_entry(const char* p, const struct stat*, int, struct FTW*) {
  if (std::remove(p) != 0) {  // unlink() for files and links, rmdir() for (by now empty) folders
    if (errno == ENOENT) return 0;  // gone meanwhile: what remove_all does too
    t_errno = errno;
    t_failed = p;
    return 1;  // stop the walk
  }
  ++t_removed;
  return 0;
}

}  // namespace

std::uintmax_t remove_tree(const std::filesystem::path& path, std::error_code& ec) noexcept {
  ec.clear();
  t_failed.clear();
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) ec = std::error_code(errno, std::generic_category());
    return 0;
  }
  t_removed = 0;
  t_errno = 0;
  t_failed.clear();
  // depth first (contents before their folder), never following symbolic links
  const int rc = ::nftw(path.c_str(), remove_entry, 32, FTW_DEPTH | FTW_PHYS);
  if (rc != 0) ec = std::error_code(t_errno != 0 ? t_errno : errno, std::generic_category());
  return t_removed;
}

std::uintmax_t remove_tree(const std::filesystem::path& path) {
  std::error_code ec;
  const auto n = remove_tree(path, ec);
  if (ec)
    throw Error("cannot remove " + (t_failed.empty() ? path.string() : t_failed) + " (removing " + path.string() +
                "): " + ec.message());
  return n;
}

}  // namespace ci2v
