// engine/files.h: write_file_atomically leaves either the old file or the whole new one.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "engine/entropy.h"
#include "engine/error.h"
#include "engine/files.h"

namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Only the file itself in its folder (no temporary file left beside it).
size_t entries(const fs::path& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST(WriteFileAtomically, ReplacesTheFileOrLeavesItAsItWas) {
  const fs::path dir = fs::temp_directory_path() / ("ci2v_atomic_" + std::to_string(ci2v::entropy64()));
  fs::create_directories(dir);
  const fs::path f = dir / "model_index.json";
  ci2v::write_file_atomically(f, std::string("{\"old\": 1}\n"));
  EXPECT_EQ(read(f), "{\"old\": 1}\n");
  ci2v::write_file_atomically(f, [](const ci2v::AppendBytes& append) {
    append("{\"new\"", 6);
    append(": 2}\n", 5);
  });
  EXPECT_EQ(read(f), "{\"new\": 2}\n");
  EXPECT_EQ(entries(dir), 1u);
  // a replaced file keeps its permissions
  fs::permissions(f, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::group_write);
  ci2v::write_file_atomically(f, std::string("{\"new\": 2}\n"));
  EXPECT_EQ(fs::status(f).permissions(),
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::group_write);

  // the writer fails half-way (its own error): the old content stays, no temporary file is left
  EXPECT_THROW(ci2v::write_file_atomically(f,
                                           [](const ci2v::AppendBytes& append) {
                                             append("{\"half", 6);
                                             throw std::runtime_error("the serialiser failed");
                                           }),
               std::runtime_error);
  EXPECT_EQ(read(f), "{\"new\": 2}\n");
  EXPECT_EQ(entries(dir), 1u);

  // a folder that does not exist: an error naming the path
  try {
    ci2v::write_file_atomically(dir / "no" / "such.json", std::string("x"));
    ADD_FAILURE() << "written into a missing folder";
  } catch (const ci2v::Error& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "no" / "such.json").string()), std::string::npos) << e.what();
  }

  // a full disk, as the file-size limit simulates it (in a child process): the write fails, naming the file,
  // and the old file is kept whole
  const std::string big(1 << 16, 'z');
  const pid_t pid = fork();
  if (pid == 0) {
    signal(SIGXFSZ, SIG_IGN);  // write() then fails with EFBIG instead of the signal ending the process
    struct rlimit lim {4096, 4096};
    setrlimit(RLIMIT_FSIZE, &lim);
    try {
      ci2v::write_file_atomically(f, big);
      _exit(2);  // accepted
    } catch (const ci2v::Error& e) {
      _exit(std::string(e.what()).find(f.string() + ": write failed") != std::string::npos ? 0 : 3);
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "2: a write past the limit was accepted; 3: the error did not name the file";
  EXPECT_EQ(read(f), "{\"new\": 2}\n");
  EXPECT_EQ(entries(dir), 1u);
  ci2v::remove_tree(dir);
}

// Configs, vocabularies and the CLI's JSON files are read through read_file_limited: a FIFO in their place never
// blocks the open (it waited forever for a writer), a device is not read without end, a file too large is refused.
TEST(ReadFileLimited, RefusesPipesDevicesFoldersAndOversizedFiles) {
  const fs::path d = fs::temp_directory_path() / ("ci2v_read_limited_" + std::to_string(ci2v::entropy64()));
  fs::create_directories(d);
  {
    std::ofstream(d / "config.json") << R"({"a": 1})";
  }
  EXPECT_EQ(ci2v::read_file_limited(d / "config.json", 100), R"({"a": 1})");
  auto message = [](const fs::path& p, std::size_t max) {
    try {
      (void)ci2v::read_file_limited(p, max);
    } catch (const ci2v::Error& e) {
      return std::string(e.what());
    }
    return std::string("(read)");
  };
  const std::string big = message(d / "config.json", 4);
  EXPECT_NE(big.find("config.json: 8 bytes, more than the 4"), std::string::npos) << big;
  // a FIFO nobody writes to reads as empty at once (it used to wait forever); one that is written to is read
  ASSERT_EQ(::mkfifo((d / "fifo.json").c_str(), 0600), 0);
  EXPECT_EQ(ci2v::read_file_limited(d / "fifo.json", 100), "");
  const std::string dev = message("/dev/zero", 100);
  EXPECT_NE(dev.find("/dev/zero: more than the 100 bytes this file may have"), std::string::npos) << dev;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "{\"b\": 2}", 8), 8);
  ::close(fds[1]);
  EXPECT_EQ(ci2v::read_file_limited("/proc/self/fd/" + std::to_string(fds[0]), 100), "{\"b\": 2}");
  ::close(fds[0]);
  const std::string folder = message(d, 100);
  EXPECT_NE(folder.find("is a folder, expected a file"), std::string::npos) << folder;
  const std::string missing = message(d / "missing.json", 100);
  EXPECT_NE(missing.find("missing.json: cannot open"), std::string::npos) << missing;
  ci2v::remove_tree(d);
}
