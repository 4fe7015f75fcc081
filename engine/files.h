// File-system helpers that the PyTorch wheel's libtorch would otherwise break.
//
// libtorch.so / libtorch_cpu.so of the PyTorch wheels (seen with 2.11.0+cu130) export their own copy of
// std::filesystem, built by the wheel's toolchain. An executable that links them resolves std::filesystem calls
// to that copy, and its remove_all crashed (SIGSEGV: a call through a null pointer inside libtorch.so, found with
// cuda-gdb on the GPU machine; LD_PRELOAD of the system libstdc++ made the same binaries pass). The other
// std::filesystem functions the project uses ran correctly there. So the project never calls
// std::filesystem::remove_all (a ctest, no_std_remove_all, checks the sources) and uses remove_tree instead.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>
#include <system_error>

namespace ci2v {

// Removes `path` and everything below it, like std::filesystem::remove_all: symbolic links are removed, not
// followed, and a path that does not exist is not an error. Returns the number of entries removed. The first
// overload throws ci2v::Error naming the entry that could not be removed; the second sets `ec` instead.
std::uintmax_t remove_tree(const std::filesystem::path& path);
std::uintmax_t remove_tree(const std::filesystem::path& path, std::error_code& ec) noexcept;

// Writes a file so that `path` holds either its old content or the whole new one, never a part: the bytes go to
// a new temporary file beside it (created exclusively), which is flushed to the disk (fsync) and closed with every
// error checked, then renamed over `path`. On any failure (a full disk, no permission) the temporary file is
// removed, `path` is left as it was, and ci2v::Error names the path and the cause. `fill` is called once with a
// writer that appends bytes (it may throw; the writing is then abandoned the same way).
using AppendBytes = std::function<void(const void* data, std::size_t size)>;
void write_file_atomically(const std::filesystem::path& path, const std::function<void(const AppendBytes&)>& fill);
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

// The whole of a file, at most max_bytes of it (more is refused with ci2v::Error naming the path). A pipe or a
// terminal is read to its end (`--params <(jq ...)`): opening one never waits for a writer (a FIFO nobody writes
// reads as empty), and a device is read at most one byte past the limit (a config linked to /dev/zero is refused,
// not read without end). A folder, a socket and the like are refused.
std::string read_file_limited(const std::filesystem::path& path, std::size_t max_bytes);
inline constexpr std::size_t kMaxJsonFileBytes = std::size_t(64) << 20;  // configs, vocabularies, indexes

}  // namespace ci2v
