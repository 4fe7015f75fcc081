#include "engine/files.h"

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "engine/entropy.h"
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

std::string read_file_limited(const std::filesystem::path& path, std::size_t max_bytes) {
  const std::string where = path.string();
  // O_NONBLOCK: opening a FIFO for reading would wait for a writer
  const int fd = ::open(where.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw Error(where + ": cannot open: " + std::strerror(errno));
  struct Close {
    int fd;
    ~Close() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw Error(where + ": cannot stat: " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw Error(where + ": is a folder, expected a file");
  const bool stream = S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode);  // `--params <(jq ...)`, /dev/stdin
  if (!S_ISREG(st.st_mode) && !stream) throw Error(where + ": not a file, a pipe or a terminal");
  if (!stream && static_cast<std::uintmax_t>(st.st_size) > max_bytes)
    throw Error(where + ": " + std::to_string(st.st_size) + " bytes, more than the " + std::to_string(max_bytes) +
                " this file may have");
  // a pipe is read as it comes (no writer: at once, empty) and a device at most one byte past the limit
  if (stream) (void)::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  const std::size_t want = stream ? max_bytes + 1 : static_cast<std::size_t>(st.st_size);
  std::string out(stream ? std::min<std::size_t>(want, 1 << 16) : want, '\0');
  std::size_t done = 0;
  while (done < want) {
    if (done == out.size()) out.resize(std::min(want, out.size() * 2));
    const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(where + ": read error: " + std::strerror(errno));
    if (n == 0) break;  // the end (or a file shrunk meanwhile)
    done += static_cast<std::size_t>(n);
  }
  if (stream && done > max_bytes)
    throw Error(where + ": more than the " + std::to_string(max_bytes) + " bytes this file may have");
  out.resize(done);
  return out;
}

void write_file_atomically(const std::filesystem::path& path, const std::function<void(const AppendBytes&)>& fill) {
  namespace fs = std::filesystem;
  const std::string where = path.string();
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    tmp = where + ".tmp-" + std::to_string(entropy64() % 1000000000ull);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);  // the umask applies
    if (fd < 0 && (errno != EEXIST || attempt > 8))
      throw Error(where + ": cannot create a temporary file beside it: " + std::strerror(errno));
  }
  auto abandon = [&] {
    if (fd >= 0) ::close(fd);
    fd = -1;
    std::error_code ec;
    fs::remove(tmp, ec);
  };
  try {
    // a file that is replaced keeps its permissions (a group-writable log stays so)
    struct stat old {};
    if (::stat(where.c_str(), &old) == 0 && S_ISREG(old.st_mode)) (void)::fchmod(fd, old.st_mode & 07777);
    fill([&](const void* data, std::size_t size) {
      const char* p = static_cast<const char*>(data);
      while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw Error(where + ": write failed: " + std::strerror(n < 0 ? errno : ENOSPC));
        p += n;
        size -= static_cast<std::size_t>(n);
      }
    });
    if (::fsync(fd) != 0) throw Error(where + ": write failed (fsync): " + std::strerror(errno));
    const int rc = ::close(fd);
    fd = -1;
    if (rc != 0) throw Error(where + ": write failed (close): " + std::strerror(errno));
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) throw Error(where + ": cannot move the written file into place: " + ec.message());
    // the rename itself to the disk too (the folder's entry): a crash right after must not lose it
    const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
    const int dir = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      (void)::fsync(dir);
      ::close(dir);
    }
  } catch (...) {
    abandon();
    throw;
  }
}

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
  write_file_atomically(path, [&](const AppendBytes& append) { append(bytes.data(), bytes.size()); });
}

}  // namespace ci2v
