// File-system helpers that the PyTorch wheel's libtorch would otherwise break.
//
// libtorch.so / libtorch_cpu.so of the PyTorch wheels (seen with 2.11.0+cu130) export their own copy of
// std::filesystem, built by the wheel's toolchain. An executable that links them resolves std::filesystem calls
// to that copy, and its remove_all crashed (SIGSEGV: a call through a null pointer inside libtorch.so, found with
// cuda-gdb on the GPU machine; LD_PRELOAD of the system libstdc++ made the same binaries pass). The other
// std::filesystem functions the project uses ran correctly there. So the project never calls
// std::filesystem::remove_all (a ctest, no_std_remove_all, checks the sources) and uses remove_tree instead.
#pragma once
#include <cstdint>
#include <filesystem>
#include <system_error>

namespace ci2v {

// Removes `path` and everything below it, like std::filesystem::remove_all: symbolic links are removed, not
// followed, and a path that does not exist is not an error. Returns the number of entries removed. The first
// overload throws ci2v::Error naming the entry that could not be removed; the second sets `ec` instead.
std::uintmax_t remove_tree(const std::filesystem::path& path);
std::uintmax_t remove_tree(const std::filesystem::path& path, std::error_code& ec) noexcept;

}  // namespace ci2v
