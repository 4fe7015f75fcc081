// The model manager against a local stand-in for the Hugging Face hub (tests/hub/fake_hub.py serving the tiny
// fixture checkpoint with the hub's URL shapes): hub cache layout, resume, hash check, 404, offline, disk space,
// cancel, plain folder (versions recorded, updates replacing the files together), two downloads at once, a cache
// left as it is when complete.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <vector>

#include "engine/files.h"
#include "engine/error.h"
#include "engine/hub/downloader.h"
#include "engine/hub/hashing.h"
#include "engine/hub/hub_cache.h"
#include "engine/io/diffusers_folder.h"
#include "tests/hub/fake_hub_process.h"

namespace fs = std::filesystem;
using namespace ci2v;

namespace {

// Environment variables set back as they were when the scope ends (a failing check included).
class ScopedEnv {
public:
  explicit ScopedEnv(std::initializer_list<const char*> names) {
    for (const char* n : names) {
      const char* v = std::getenv(n);
      saved_.push_back({n, v != nullptr, v ? v : ""});
    }
  }
  ~ScopedEnv() {
    for (const auto& s : saved_) s.set ? setenv(s.name, s.value.c_str(), 1) : unsetenv(s.name);
  }

private:
  struct Saved {
    const char* name;
    bool set;
    std::string value;
  };
  std::vector<Saved> saved_;
};

const fs::path kFixture = CONSISTI2V_FIXTURES "/tiny_pipeline";
const std::string kUnet = "unet/diffusion_pytorch_model.safetensors";
const std::string kText = "text_encoder/model.safetensors";

// Every file the engine needs from the fixture repo (what the cache must hold).
const std::vector<std::string> kNeeded = {"model_index.json",
                                          "scheduler/scheduler_config.json",
                                          "text_encoder/config.json",
                                          kText,
                                          "tokenizer/merges.txt",
                                          "tokenizer/special_tokens_map.json",
                                          "tokenizer/tokenizer_config.json",
                                          "tokenizer/vocab.json",
                                          "unet/config.json",
                                          kUnet,
                                          "vae/config.json",
                                          "vae/diffusion_pytorch_model.safetensors"};

uint64_t fixture_bytes() {
  uint64_t n = 0;
  for (const auto& p : kNeeded) n += fs::file_size(kFixture / p);
  return n;
}

size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1)) ++n;
  return n;
}

// Flips one byte in the middle of a file (same size, another version), later than the file was recorded (the
// kernel's file times are coarser than the clock).
void flip_a_byte(const fs::path& file) {
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  const auto mid = static_cast<std::streamoff>(fs::file_size(file) / 2);
  f.seekg(mid);
  char c = 0;
  f.get(c);
  f.seekp(mid);
  f.put(static_cast<char>(c ^ 0x5a));
}

ino_t inode_of(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 ? st.st_ino : 0;
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

class HubDownload : public ::testing::Test {
protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    work_ = fs::temp_directory_path() / ("ci2v_hub_" + std::to_string(getpid()) + "_" + info->name());
    ci2v::remove_tree(work_);
    fs::create_directories(work_);
    cache_ = work_ / "hub";
  }
  void TearDown() override {
    std::error_code ec;
    ci2v::remove_tree(work_, ec);
  }
  hub::DownloadOptions options(const ci2v::testing::FakeHub& server) const {
    hub::DownloadOptions o;
    o.endpoint = server.endpoint();
    o.cache_dir = cache_.string();
    o.backoff_initial_s = 0.05;  // fast retries in tests
    o.max_attempts = 4;
    o.stall_timeout_s = 20;
    return o;
  }
  fs::path repo_dir() const { return cache_ / "models--TIGER-Lab--ConsistI2V"; }

  fs::path work_, cache_;
};

}  // namespace

TEST(HubCache, RepoFolderNameAndBadIds) {
  EXPECT_EQ(hub::repo_folder_name("TIGER-Lab/ConsistI2V"), "models--TIGER-Lab--ConsistI2V");
  for (const char* bad : {"ConsistI2V", "/x", "a/b/c", "a/", "../x"}) {
    try {
      hub::repo_folder_name(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("'") + bad + "'"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("ORG/NAME"), std::string::npos) << e.what();
    }
  }
}

TEST(HubCache, RootHonoursHfHubCacheThenHfHomeThenHome) {
  ScopedEnv env({"HF_HUB_CACHE", "HF_HOME", "HUGGINGFACE_HUB_CACHE", "XDG_CACHE_HOME", "HOME"});
  unsetenv("HUGGINGFACE_HUB_CACHE");
  unsetenv("XDG_CACHE_HOME");
  setenv("HF_HUB_CACHE", "/tmp/a/hubcache", 1);
  setenv("HF_HOME", "/tmp/b/hfhome", 1);
  setenv("HOME", "/tmp/c/home", 1);
  EXPECT_EQ(hub::cache_root(), fs::path("/tmp/a/hubcache"));
  unsetenv("HF_HUB_CACHE");
  EXPECT_EQ(hub::cache_root(), fs::path("/tmp/b/hfhome/hub"));
  unsetenv("HF_HOME");
  EXPECT_EQ(hub::cache_root(), fs::path("/tmp/c/home/.cache/huggingface/hub"));
  // The loader's default location agrees with the downloader's, the older variable included.
  EXPECT_EQ(io::default_hf_cache_repo_dir(), "/tmp/c/home/.cache/huggingface/hub/models--TIGER-Lab--ConsistI2V");
  setenv("HUGGINGFACE_HUB_CACHE", "/tmp/d/oldname", 1);
  EXPECT_EQ(hub::cache_root(), fs::path("/tmp/d/oldname"));
  EXPECT_EQ(io::default_hf_cache_repo_dir(), "/tmp/d/oldname/models--TIGER-Lab--ConsistI2V");
}

TEST(HubSelect, SafetensorsWinOverBinVariantsAndExtrasAreSkipped) {
  const std::vector<std::string> listing = {".gitattributes", "README.md", "model_index.json",
                                            "scheduler/scheduler_config.json", "text_encoder/config.json",
                                            "text_encoder/model.safetensors", "text_encoder/pytorch_model.bin",
                                            "text_encoder/flax_model.msgpack", "tokenizer/vocab.json",
                                            "tokenizer/merges.txt", "tokenizer/tokenizer.json", "unet/config.json",
                                            "unet/diffusion_pytorch_model.safetensors", "unet/diffusion_pytorch_model.bin",
                                            "unet/diffusion_pytorch_model.fp16.safetensors", "vae/config.json",
                                            "vae/diffusion_pytorch_model.bin", "samples/a/b.gif"};
  auto got = hub::select_needed_files(listing);
  std::sort(got.begin(), got.end());
  const std::vector<std::string> want = {"model_index.json", "scheduler/scheduler_config.json", "text_encoder/config.json",
                                         "text_encoder/model.safetensors", "tokenizer/merges.txt", "tokenizer/vocab.json",
                                         "unet/config.json", "unet/diffusion_pytorch_model.safetensors",
                                         "vae/config.json", "vae/diffusion_pytorch_model.bin"};  // no safetensors there
  EXPECT_EQ(got, want);
  // With a variant asked for, its files win where they exist.
  auto fp16 = hub::select_needed_files(listing, "fp16");
  EXPECT_NE(std::find(fp16.begin(), fp16.end(), "unet/diffusion_pytorch_model.fp16.safetensors"), fp16.end());
  EXPECT_EQ(std::find(fp16.begin(), fp16.end(), "unet/diffusion_pytorch_model.safetensors"), fp16.end());
}

TEST(HubSelect, ShardedWeightsComeWithTheirIndex) {
  auto got = hub::select_needed_files({"model_index.json", "unet/config.json",
                                       "unet/diffusion_pytorch_model.safetensors.index.json",
                                       "unet/diffusion_pytorch_model-00001-of-00002.safetensors",
                                       "unet/diffusion_pytorch_model-00002-of-00002.safetensors",
                                       "unet/diffusion_pytorch_model-00001-of-00002.bin"});
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"model_index.json", "unet/config.json",
                                           "unet/diffusion_pytorch_model-00001-of-00002.safetensors",
                                           "unet/diffusion_pytorch_model-00002-of-00002.safetensors",
                                           "unet/diffusion_pytorch_model.safetensors.index.json"}));
  try {
    hub::select_needed_files({"README.md", "unet/config.json"});
    ADD_FAILURE() << "a listing without model_index.json was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no model_index.json"), std::string::npos) << e.what();
  }
}

TEST_F(HubDownload, CompleteSnapshotInTheHubCacheLayout) {
  ci2v::testing::FakeHub server(work_ / "requests.log");
  auto o = options(server);
  std::vector<hub::DownloadProgress> progress;
  o.on_progress = [&](const hub::DownloadProgress& p) { progress.push_back(p); };
  const hub::DownloadResult r = hub::download_model(o);

  EXPECT_EQ(r.commit, server.commit());
  EXPECT_FALSE(r.offline);
  EXPECT_EQ(r.files_downloaded, static_cast<int>(kNeeded.size()));
  EXPECT_EQ(r.bytes_downloaded, fixture_bytes());
  const fs::path snap = repo_dir() / "snapshots" / server.commit();
  EXPECT_EQ(fs::path(r.model_dir), snap);
  // refs/main names the commit.
  std::ifstream ref(repo_dir() / "refs" / "main");
  std::string commit;
  std::getline(ref, commit);
  EXPECT_EQ(commit, server.commit());
  // Each needed file: a relative symlink into blobs/, named by sha256 (LFS) or git blob id, same bytes.
  for (const auto& p : kNeeded) {
    const fs::path link = snap / p;
    ASSERT_TRUE(fs::is_symlink(link)) << link;
    const fs::path target = fs::read_symlink(link);
    EXPECT_TRUE(target.is_relative()) << target;
    const bool lfs = p.size() > 12 && p.substr(p.size() - 12) == ".safetensors";
    const std::string hash = lfs ? hub::sha256_file(kFixture / p) : hub::git_blob_sha1_file(kFixture / p);
    const int depth = static_cast<int>(std::count(p.begin(), p.end(), '/'));
    std::string want = "../../";
    for (int i = 0; i < depth; ++i) want += "../";
    EXPECT_EQ(target.string(), want + "blobs/" + hash) << p;
    EXPECT_TRUE(fs::is_regular_file(repo_dir() / "blobs" / hash)) << p;
    EXPECT_EQ(fs::file_size(link), fs::file_size(kFixture / p)) << p;
  }
  EXPECT_EQ(files_in(repo_dir() / "blobs").size(), kNeeded.size());  // no temp files, nothing extra
  // Only the files the engine needs were fetched: no README, .gitattributes, .bin, fp16 variant.
  const std::string log = server.log();
  for (const char* skipped : {"README.md", ".gitattributes", ".bin", ".fp16."})
    EXPECT_EQ(log.find(skipped), std::string::npos) << skipped << " was requested:\n" << log;
  EXPECT_EQ(count(log, "GET /api/models/TIGER-Lab/ConsistI2V/revision/main?blobs=true"), 1u) << log;
  EXPECT_EQ(count(log, "/resolve/" + server.commit() + "/"), kNeeded.size()) << log;
  // The loader opens the snapshot.
  const io::ModelFolder mf = io::open_model_folder(r.model_dir);
  EXPECT_EQ(mf.get("unet").weight_format, "safetensors");
  EXPECT_EQ(mf.components.size(), 5u);
  // Progress: reached the total, with a speed; the last report says done.
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().stage, "done");
  EXPECT_EQ(progress.back().done, fixture_bytes());
  EXPECT_EQ(progress.back().total, fixture_bytes());
  EXPECT_EQ(progress.back().file_count, static_cast<int>(kNeeded.size()));
  EXPECT_TRUE(std::any_of(progress.begin(), progress.end(), [](const auto& p) { return p.bytes_per_second > 0; }));
  for (size_t i = 1; i < progress.size(); ++i) EXPECT_GE(progress[i].done, progress[i - 1].done);

  // A second run downloads nothing: one listing request, no file requests.
  const hub::DownloadResult again = hub::download_model(options(server));
  EXPECT_EQ(again.files_downloaded, 0);
  EXPECT_EQ(again.bytes_downloaded, 0u);
  EXPECT_EQ(again.model_dir, r.model_dir);
  EXPECT_EQ(count(server.log(), "/resolve/"), kNeeded.size());
}

TEST_F(HubDownload, ResumesWithRangeAfterADroppedConnection) {
  ci2v::testing::FakeHub server(work_ / "requests.log", {"--drop", kUnet + ":3000000"});
  std::vector<std::string> logs;
  auto o = options(server);
  o.on_log = [&](const std::string& l) { logs.push_back(l); };
  const hub::DownloadResult r = hub::download_model(o);
  const std::string log = server.log();
  // The CDN got a second request for the UNet weights, from byte 3000000 on.
  EXPECT_EQ(count(log, "range=bytes=3000000-"), 2u) << log;  // the resolve URL and its CDN redirect
  EXPECT_TRUE(std::any_of(logs.begin(), logs.end(), [](const auto& l) { return l.find("retrying") != std::string::npos; }));
  EXPECT_TRUE(std::any_of(logs.begin(), logs.end(), [](const auto& l) { return l.find("at byte 3000000") != std::string::npos; }));
  const fs::path unet = fs::path(r.model_dir) / kUnet;
  EXPECT_EQ(hub::sha256_file(unet), hub::sha256_file(kFixture / kUnet));
  EXPECT_EQ(r.bytes_downloaded, fixture_bytes());
  io::open_model_folder(r.model_dir);
}

TEST_F(HubDownload, ResumesAPartialFileLeftByAnEarlierRun) {
  ci2v::testing::FakeHub server(work_ / "requests.log");
  const std::string sha = hub::sha256_file(kFixture / kText);
  fs::create_directories(repo_dir() / "blobs");
  {  // the first 1000000 bytes of the text encoder, as a killed run leaves them
    std::ifstream in(kFixture / kText, std::ios::binary);
    std::string head(1000000, '\0');
    in.read(head.data(), head.size());
    std::ofstream(repo_dir() / "blobs" / (sha + ".incomplete"), std::ios::binary) << head;
  }
  const hub::DownloadResult r = hub::download_model(options(server));
  EXPECT_EQ(count(server.log(), "range=bytes=1000000-"), 2u) << server.log();
  EXPECT_EQ(r.bytes_downloaded, fixture_bytes() - 1000000);
  EXPECT_EQ(hub::sha256_file(fs::path(r.model_dir) / kText), sha);
}

// A captive portal or proxy answering the file requests with its login page (200, HTML): the page is never
// written over or after the partial file an earlier run left, and the next run on a working network resumes it.
TEST_F(HubDownload, ALoginPageInsteadOfTheFileLeavesThePartialFileAlone) {
  const std::string sha = hub::sha256_file(kFixture / kText);
  fs::create_directories(repo_dir() / "blobs");
  const fs::path partial = repo_dir() / "blobs" / (sha + ".incomplete");
  std::string head(1000000, '\0');
  {
    std::ifstream in(kFixture / kText, std::ios::binary);
    in.read(head.data(), head.size());
    std::ofstream(partial, std::ios::binary) << head;
  }
  {
    ci2v::testing::FakeHub portal(work_ / "portal.log", {"--portal"});
    auto o = options(portal);
    o.max_attempts = 2;
    try {
      hub::download_model(o);
      FAIL() << "a login page was taken for the file";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("web page"), std::string::npos) << e.what();
    }
  }
  ASSERT_TRUE(fs::exists(partial));
  EXPECT_EQ(fs::file_size(partial), 1000000u);  // neither cut down to the page nor continued with it
  ci2v::testing::FakeHub server(work_ / "requests.log");
  const hub::DownloadResult r = hub::download_model(options(server));
  EXPECT_EQ(count(server.log(), "range=bytes=1000000-"), 2u) << server.log();
  EXPECT_EQ(hub::sha256_file(fs::path(r.model_dir) / kText), sha);
}

// A revision is one path segment of the hub's API ("refs/pr/1" is sent as refs%2Fpr%2F1, as huggingface_hub
// does), and never a path out of the cache's refs/ folder.
TEST_F(HubDownload, RevisionsAreSentAsOneSegmentAndCannotLeaveTheRefsFolder) {
  ci2v::testing::FakeHub server(work_ / "requests.log");
  auto o = options(server);
  o.revision = "refs/pr/1";
  EXPECT_THROW(hub::download_model(o), Error);  // (the fake hub knows only main)
  EXPECT_NE(server.log().find("/revision/refs%2Fpr%2F1?blobs=true"), std::string::npos) << server.log();
  for (const char* bad : {"../../escape", "/etc/x", ""}) {
    o.revision = bad;
    try {
      hub::download_model(o);
      FAIL() << "revision '" << bad << "' was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("expected a branch, tag or commit name"), std::string::npos) << e.what();
    }
  }
  EXPECT_FALSE(fs::exists(cache_ / "escape"));
}

TEST_F(HubDownload, CorruptedByteFailsTheHashAndKeepsNothing) {
  const std::string vae = "vae/diffusion_pytorch_model.safetensors";
  ci2v::testing::FakeHub server(work_ / "requests.log", {"--corrupt", vae});
  const std::string want = hub::sha256_file(kFixture / vae);
  try {
    hub::download_model(options(server));
    FAIL() << "a corrupted download was accepted";
  } catch (const hub::Cancelled&) {
    FAIL() << "cancelled?";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(vae), std::string::npos) << m;
    EXPECT_NE(m.find("sha256 expected " + want + ", got "), std::string::npos) << m;
    const std::string got = m.substr(m.find(", got ") + 6, 64);
    EXPECT_EQ(got.size(), 64u);
    EXPECT_NE(got, want);
    EXPECT_NE(m.find("deleted"), std::string::npos) << m;
  }
  // Neither the blob nor its temp file stays; the snapshot has no link for it and is not complete.
  EXPECT_FALSE(fs::exists(repo_dir() / "blobs" / want));
  EXPECT_FALSE(fs::exists(repo_dir() / "blobs" / (want + ".incomplete")));
  for (const auto& f : files_in(repo_dir() / "blobs")) EXPECT_EQ(f.find(".incomplete"), std::string::npos) << f;
  EXPECT_FALSE(fs::exists(repo_dir() / "snapshots" / server.commit() / vae));
  EXPECT_EQ(hub::find_cached_snapshot(cache_), "");
}

TEST_F(HubDownload, AnETagThatIsNotABlobIdNeverNamesAFile) {
  // A small file listed without a blob id is stored under its ETag's name: a server's ETag must not be able to
  // point that outside the cache ("../../x") or name an unverifiable blob.
  const std::string cfg = "vae/config.json";
  for (const std::string etag : {"../../../escaped_by_etag", "not-a-hash"}) {
    ci2v::testing::FakeHub server(work_ / "requests.log", {"--etag", cfg + ":" + etag});
    try {
      hub::download_model(options(server));
      ADD_FAILURE() << "ETag '" << etag << "' was accepted";
    } catch (const Error& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find("ETag for '" + cfg + "' is '" + etag + "', not a git blob id"), std::string::npos) << m;
    }
    EXPECT_FALSE(fs::exists(work_ / "escaped_by_etag"));
    EXPECT_FALSE(fs::exists(cache_ / "escaped_by_etag"));
    EXPECT_FALSE(fs::exists(repo_dir() / "escaped_by_etag"));
    EXPECT_FALSE(fs::exists(repo_dir() / "blobs" / etag));
    for (const auto& f : files_in(repo_dir() / "blobs")) EXPECT_EQ(f.find(".incomplete"), std::string::npos) << f;
  }
}

TEST_F(HubDownload, MissingFileIsAClear404Error) {
  ci2v::testing::FakeHub server(work_ / "requests.log", {"--missing", "vae/config.json"});
  try {
    hub::download_model(options(server));
    FAIL() << "a 404 was accepted";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(server.endpoint() + "/TIGER-Lab/ConsistI2V/resolve/" + server.commit() + "/vae/config.json"),
              std::string::npos) << m;
    EXPECT_NE(m.find("HTTP 404"), std::string::npos) << m;
    EXPECT_NE(m.find("EntryNotFound"), std::string::npos) << m;
  }
  EXPECT_EQ(count(server.log(), "vae/config.json"), 1u) << "a 404 must not be retried:\n" << server.log();
}

TEST_F(HubDownload, UnknownRepoIsAClearError) {
  ci2v::testing::FakeHub server(work_ / "requests.log");
  auto o = options(server);
  o.repo = "someone/NotThere";
  try {
    hub::download_model(o);
    FAIL() << "an unknown repo was accepted";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("repository 'someone/NotThere' at revision 'main' not found"), std::string::npos) << m;
    EXPECT_NE(m.find("HTTP 404"), std::string::npos) << m;
  }
}

// A served file whose size is not the listed one (a stale mirror, an out-of-date listing) is tried max_attempts
// times, then refused naming it: a complete transfer of the wrong size is no progress (it was fetched forever).
TEST_F(HubDownload, AServedFileOfAnotherSizeThanListedGivesUp) {
  const auto true_size = fs::file_size(fs::path(CONSISTI2V_FIXTURES) / "tiny_pipeline" / "model_index.json");
  ci2v::testing::FakeHub server(work_ / "requests.log",
                                {"--listed-size", "model_index.json:" + std::to_string(true_size - 10)});
  try {
    hub::download_model(options(server));
    FAIL() << "a file of another size than listed was accepted";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("model_index.json"), std::string::npos) << m;
    EXPECT_NE(m.find("not the size the hub's listing gives"), std::string::npos) << m;
  }
  EXPECT_EQ(count(server.log(), "model_index.json"), 4u) << "max_attempts (4) fetches:\n" << server.log();
}

// A gated repo: the token `huggingface-cli login` saved is sent when HF_TOKEN is not set; a wrong or missing token
// is named as such (it was "repository not found").
TEST_F(HubDownload, TheSavedLoginTokenIsUsedAndARefusalIsNamed) {
  ci2v::testing::FakeHub server(work_ / "requests.log", {"--token", "hf_right"});
  ScopedEnv env({"HF_TOKEN", "HF_TOKEN_PATH"});
  unsetenv("HF_TOKEN");
  const fs::path file = work_ / "token";
  setenv("HF_TOKEN_PATH", file.c_str(), 1);
  {
    std::ofstream(file) << "hf_wrong\n";
  }
  try {
    hub::download_model(options(server));
    ADD_FAILURE() << "a wrong token was accepted";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("access denied to 'TIGER-Lab/ConsistI2V'"), std::string::npos) << m;
    EXPECT_NE(m.find("HTTP 401"), std::string::npos) << m;
    EXPECT_EQ(m.find("not found"), std::string::npos) << m;
  }
  {
    std::ofstream(file) << "hf_right\n";
  }
  std::string error;
  try {
    const auto r = hub::download_model(options(server));
    EXPECT_TRUE(fs::exists(fs::path(r.model_dir) / "model_index.json"));
  } catch (const std::exception& e) {
    error = e.what();
  }
  EXPECT_EQ(error, "");
}

TEST_F(HubDownload, FindsAnExistingCacheOffline) {
  {
    ci2v::testing::FakeHub server(work_ / "requests.log");
    hub::download_model(options(server));
  }
  const std::string snap = hub::find_cached_snapshot(cache_);
  ASSERT_NE(snap, "");
  EXPECT_TRUE(fs::exists(fs::path(snap) / "model_index.json"));
  // The loader's own resolution of the cache repo folder and of the cache root agrees.
  EXPECT_EQ(io::resolve_model_dir(repo_dir().string()), snap);
  EXPECT_EQ(io::resolve_model_dir(cache_.string()), snap);

  // The hub is gone: the download falls back to the cached snapshot.
  hub::DownloadOptions o;
  o.cache_dir = cache_.string();
  o.endpoint = "http://127.0.0.1:9";  // discard port: nothing listens
  o.connect_timeout_s = 5;
  std::vector<std::string> logs;
  o.on_log = [&](const std::string& l) { logs.push_back(l); };
  const hub::DownloadResult r = hub::download_model(o);
  EXPECT_TRUE(r.offline);
  EXPECT_EQ(r.model_dir, snap);
  ASSERT_FALSE(logs.empty());
  EXPECT_NE(logs.back().find("using the cached snapshot"), std::string::npos) << logs.back();
  // The hub answers, but not as the hub: down (503 after the retries) or a login page (200, HTML): the cached
  // snapshot too, and the log says why.
  for (const char* status : {"503", "429", "200"}) {  // (429: too many requests, also from a proxy)
    ci2v::testing::FakeHub down(work_ / ("down" + std::string(status) + ".log"), {"--listing-status", status});
    auto d = options(down);
    d.max_attempts = 2;
    std::vector<std::string> said;
    d.on_log = [&](const std::string& l) { said.push_back(l); };
    const hub::DownloadResult got = hub::download_model(d);
    EXPECT_TRUE(got.offline) << status;
    EXPECT_EQ(got.model_dir, snap) << status;
    ASSERT_FALSE(said.empty());
    EXPECT_NE(said.back().find(std::string(status) == "200" ? std::string("not the hub's JSON")
                                                             : "the hub is not answering: HTTP " + std::string(status)),
              std::string::npos)
        << said.back();
  }
  // Offline by request: no network at all.
  hub::DownloadOptions off;
  off.cache_dir = cache_.string();
  off.offline = true;
  off.endpoint = "http://127.0.0.1:9";
  EXPECT_EQ(hub::download_model(off).model_dir, snap);
  // A variant asked for offline: the snapshot holds the full weights, and the log says they are used.
  off.variant = "fp16";
  std::vector<std::string> variantLog;
  off.on_log = [&](const std::string& l) { variantLog.push_back(l); };
  EXPECT_EQ(hub::download_model(off).model_dir, snap);
  ASSERT_FALSE(variantLog.empty());
  EXPECT_NE(variantLog.back().find("holds no fp16 weight files"), std::string::npos) << variantLog.back();

  // A weight blob cut short (a power cut during an earlier download) is no complete model either: offline it is not
  // offered (it was, and the load failed later), and the studio's probe would say which file.
  {
    const fs::path blob = fs::canonical(fs::path(snap) / kText);
    const auto size = fs::file_size(blob);
    fs::resize_file(blob, size / 2);
    EXPECT_EQ(hub::find_cached_snapshot(cache_), "");
    std::string why;
    EXPECT_FALSE(hub::is_complete_model_folder(snap, &why));
    EXPECT_NE(why.find("model.safetensors"), std::string::npos) << why;
    fs::copy_file(kFixture / kText, blob, fs::copy_options::overwrite_existing);
    EXPECT_EQ(hub::find_cached_snapshot(cache_), snap);
  }
  // An incomplete snapshot is not offered, and the offline fallback says why it cannot help.
  fs::remove(fs::path(snap) / kUnet);
  EXPECT_EQ(hub::find_cached_snapshot(cache_), "");
  try {
    hub::download_model(o);
    FAIL() << "an incomplete cache was accepted offline";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("cannot reach the hub"), std::string::npos) << m;
    EXPECT_NE(m.find("holds no complete snapshot of TIGER-Lab/ConsistI2V@main"), std::string::npos) << m;
  }
}

TEST_F(HubDownload, RefusesToStartWithoutEnoughDiskSpace) {
  ci2v::testing::FakeHub server(work_ / "requests.log");
  auto o = options(server);
  fs::path asked;
  o.available_space = [&](const fs::path& dir) {
    asked = dir;
    return uint64_t{1000};
  };
  try {
    hub::download_model(o);
    FAIL() << "started without the space";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("not enough free disk space in " + (repo_dir() / "blobs").string()), std::string::npos) << m;
    EXPECT_NE(m.find("needs " + std::to_string(fixture_bytes()) + " bytes"), std::string::npos) << m;
    EXPECT_NE(m.find("1000 bytes (1 kB) are available"), std::string::npos) << m;
  }
  EXPECT_EQ(asked, repo_dir() / "blobs");
  EXPECT_EQ(count(server.log(), "/resolve/"), 0u) << server.log();
  // Enough space: it goes.
  o.available_space = [](const fs::path&) { return uint64_t{1} << 40; };
  EXPECT_NO_THROW(hub::download_model(o));
}

TEST_F(HubDownload, CancelKeepsThePartialFileAndTheNextRunResumes) {
  // The UNet weights trickle at 4 MB/s so the cancel lands in the middle of them.
  ci2v::testing::FakeHub server(work_ / "requests.log", {"--slow", kUnet + ":4000000"});
  auto o = options(server);
  std::atomic<bool> cancel{false};
  o.cancel = &cancel;
  o.on_progress = [&](const hub::DownloadProgress& p) {
    if (p.file == kUnet && p.stage == "downloading" && p.done > fixture_bytes() - 6000000) cancel = true;
  };
  EXPECT_THROW(hub::download_model(o), hub::Cancelled);
  const std::string sha = hub::sha256_file(kFixture / kUnet);
  const fs::path part = repo_dir() / "blobs" / (sha + ".incomplete");
  ASSERT_TRUE(fs::exists(part));
  const uint64_t have = fs::file_size(part);
  EXPECT_GT(have, 0u);
  EXPECT_LT(have, fs::file_size(kFixture / kUnet));
  EXPECT_FALSE(fs::exists(repo_dir() / "refs" / "main"));
  // The half snapshot is said to be a download that has not finished (it read as a broken model folder).
  try {
    io::resolve_model_dir(repo_dir().string());
    FAIL() << "a half snapshot was taken for a model";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the download into this cache has not finished"), std::string::npos) << e.what();
  }

  // Cancelled before it starts: nothing is requested.
  const size_t before = count(server.log(), "\n");
  EXPECT_THROW(hub::download_model(o), hub::Cancelled);
  EXPECT_EQ(count(server.log(), "\n"), before);

  auto again = options(server);
  const hub::DownloadResult r = hub::download_model(again);
  EXPECT_NE(server.log().find("range=bytes=" + std::to_string(have) + "-"), std::string::npos) << server.log();
  EXPECT_EQ(hub::sha256_file(fs::path(r.model_dir) / kUnet), sha);
}

TEST_F(HubDownload, PlainUserFolderInsteadOfTheCache) {
  ci2v::testing::FakeHub server(work_ / "requests.log");
  auto o = options(server);
  o.local_dir = (work_ / "my model").string();
  const hub::DownloadResult r = hub::download_model(o);
  EXPECT_EQ(fs::path(r.model_dir), work_ / "my model");
  for (const auto& p : kNeeded) {
    const fs::path f = work_ / "my model" / p;
    EXPECT_TRUE(fs::is_regular_file(f) && !fs::is_symlink(f)) << f;
    EXPECT_EQ(fs::file_size(f), fs::file_size(kFixture / p)) << p;
  }
  EXPECT_FALSE(fs::exists(cache_));  // the cache was not touched
  io::open_model_folder(r.model_dir);
  // Again: nothing fetched.
  EXPECT_EQ(hub::download_model(o).files_downloaded, 0);
}

TEST_F(HubDownload, AFolderRecordsEachFilesVersionAndFetchesAnotherVersionOfTheSameSizeAgain) {
  ci2v::testing::FakeHub server(work_ / "requests.log");
  auto o = options(server);
  o.local_dir = (work_ / "model").string();
  hub::download_model(o);
  // huggingface_hub's local-dir record: commit, etag (the sha256 of an LFS file), time.
  const fs::path record = work_ / "model" / ".cache" / "huggingface" / "download" / (kUnet + ".metadata");
  ASSERT_TRUE(fs::exists(record));
  std::ifstream in(record);
  std::string commit, etag, when;
  std::getline(in, commit);
  std::getline(in, etag);
  std::getline(in, when);
  EXPECT_EQ(commit, server.commit());
  EXPECT_EQ(etag, hub::sha256_file(kFixture / kUnet));
  EXPECT_GT(std::stod(when), 1.7e9);

  // The same size, other bytes (an update of the weights, or a damaged copy): fetched again, not kept by its size.
  const fs::path unet = work_ / "model" / kUnet;
  flip_a_byte(unet);
  EXPECT_EQ(fs::file_size(unet), fs::file_size(kFixture / kUnet));
  std::vector<std::string> logs;
  o.on_log = [&](const std::string& l) { logs.push_back(l); };
  const hub::DownloadResult r = hub::download_model(o);
  EXPECT_EQ(r.files_downloaded, 1);
  EXPECT_EQ(hub::sha256_file(unet), hub::sha256_file(kFixture / kUnet));
  EXPECT_EQ(count(server.log(), "/" + kUnet), 2u) << server.log();
  EXPECT_TRUE(std::any_of(logs.begin(), logs.end(),
                          [](const std::string& l) { return l.find("is not the hub's version") != std::string::npos; }));

  // A complete folder without records (copied from elsewhere): checked by hash once, nothing fetched, recorded.
  ci2v::remove_tree(work_ / "model" / ".cache");
  const size_t requests = count(server.log(), "/resolve/");
  EXPECT_EQ(hub::download_model(o).files_downloaded, 0);
  EXPECT_EQ(count(server.log(), "/resolve/"), requests);
  EXPECT_TRUE(fs::exists(record));
  // ... and with the records, the next run does not hash again.
  logs.clear();
  EXPECT_EQ(hub::download_model(o).files_downloaded, 0);
  EXPECT_FALSE(std::any_of(logs.begin(), logs.end(),
                           [](const std::string& l) { return l.find("checking") != std::string::npos; }));
}

TEST_F(HubDownload, ACancelledUpdateOfAFolderLeavesItsFilesAsTheyWere) {
  {
    ci2v::testing::FakeHub server(work_ / "first.log");
    auto o = options(server);
    o.local_dir = (work_ / "model").string();
    hub::download_model(o);
  }
  // Both weight files are another version locally; the text encoder comes first, then the UNet trickles and is
  // cancelled: the text encoder's new version must not be in place beside the old UNet.
  const fs::path text = work_ / "model" / kText, unet = work_ / "model" / kUnet;
  flip_a_byte(text);
  flip_a_byte(unet);
  const std::string oldText = hub::sha256_file(text), oldUnet = hub::sha256_file(unet);
  ci2v::testing::FakeHub server(work_ / "requests.log", {"--slow", kUnet + ":4000000"});
  auto o = options(server);
  o.local_dir = (work_ / "model").string();
  std::atomic<bool> cancel{false};
  o.cancel = &cancel;
  o.on_progress = [&](const hub::DownloadProgress& p) {
    if (p.file == kUnet && p.stage == "downloading" && p.done > fixture_bytes() - 6000000) cancel = true;
  };
  EXPECT_THROW(hub::download_model(o), hub::Cancelled);
  EXPECT_EQ(hub::sha256_file(text), oldText);
  EXPECT_EQ(hub::sha256_file(unet), oldUnet);
  // the verified new version waits beside the records, named by its hash
  const fs::path waiting = work_ / "model" / ".cache" / "huggingface" / "download" /
                           (kText + "." + hub::sha256_file(kFixture / kText) + ".incomplete");
  EXPECT_TRUE(fs::exists(waiting));
  // The next run completes it: the text encoder's verified download is taken up, not fetched again.
  o.cancel = nullptr;
  o.on_progress = nullptr;
  hub::download_model(o);
  EXPECT_EQ(hub::sha256_file(text), hub::sha256_file(kFixture / kText));
  EXPECT_EQ(hub::sha256_file(unet), hub::sha256_file(kFixture / kUnet));
  EXPECT_EQ(count(server.log(), "/" + kText), 1u) << server.log();
  EXPECT_FALSE(fs::exists(waiting));
}

TEST_F(HubDownload, AFolderNeverResumesAPartialFileOfAnotherVersion) {
  ci2v::testing::FakeHub server(work_ / "requests.log");
  auto o = options(server);
  o.local_dir = (work_ / "model").string();
  hub::download_model(o);
  // The UNet recorded as another version (an older revision), and a complete partial download of that version left
  // by a cancelled update: the record is believed without hashing, the stale part is removed, not resumed.
  const fs::path meta = work_ / "model" / ".cache" / "huggingface" / "download";
  const fs::path record = meta / (kUnet + ".metadata");
  std::string commit, etag, when;
  {
    std::ifstream in(record);
    std::getline(in, commit);
    std::getline(in, etag);
    std::getline(in, when);
  }
  const std::string old(64, 'a');
  write_file_atomically(record, "0000000000000000000000000000000000000000\n" + old + "\n" + when + "\n");
  const fs::path stale = meta / (kUnet + "." + old + ".incomplete");
  fs::copy_file(kFixture / "text_encoder" / "model.safetensors", stale);  // any bytes: not this version
  std::vector<std::string> logs;
  o.on_log = [&](const std::string& l) { logs.push_back(l); };
  const hub::DownloadResult r = hub::download_model(o);
  EXPECT_EQ(r.files_downloaded, 1);
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_EQ(hub::sha256_file(work_ / "model" / kUnet), hub::sha256_file(kFixture / kUnet));
  auto said = [&](const std::string& what) {
    return std::any_of(logs.begin(), logs.end(), [&](const std::string& l) { return l.find(what) != std::string::npos; });
  };
  EXPECT_TRUE(said("is another version (" + old + ")"));
  EXPECT_FALSE(said("checking")) << "a record of another version needs no hashing";
  EXPECT_TRUE(said("a partial download of another version"));
  // huggingface_hub's .gitignore keeps the records out of a git checkout
  EXPECT_TRUE(fs::exists(work_ / "model" / ".cache" / "huggingface" / ".gitignore"));
}

TEST_F(HubDownload, ACompleteFolderIsUsedWhereNoLockCanBeMade) {
  // (the tests run as root, so a read-only folder is played by a lock folder that cannot exist: a file in its place)
  ci2v::testing::FakeHub server(work_ / "requests.log");
  auto o = options(server);
  o.local_dir = (work_ / "model").string();
  hub::download_model(o);
  const fs::path meta = work_ / "model" / ".cache" / "huggingface" / "download";
  ci2v::remove_tree(meta);
  write_file_atomically(meta, "not a folder");
  std::vector<std::string> logs;
  o.on_log = [&](const std::string& l) { logs.push_back(l); };
  const hub::DownloadResult r = hub::download_model(o);
  EXPECT_EQ(r.files_downloaded, 0);
  EXPECT_TRUE(std::any_of(logs.begin(), logs.end(),
                          [](const std::string& l) { return l.find("going on without") != std::string::npos; }));
}

TEST_F(HubDownload, TwoDownloadsIntoTheSameCacheTakeTurnsPerFile) {
  // The UNet trickles: while one run fetches it, the other waits for its lock, then finds it there.
  ci2v::testing::FakeHub server(work_ / "requests.log", {"--slow", kUnet + ":8000000"});
  std::vector<std::string> logs[2];
  std::string errors[2];
  hub::DownloadResult results[2];
  std::vector<std::thread> runs;
  for (int i = 0; i < 2; ++i)
    runs.emplace_back([&, i] {
      auto o = options(server);
      o.on_log = [&, i](const std::string& l) { logs[i].push_back(l); };
      try {
        results[i] = hub::download_model(o);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  for (auto& t : runs) t.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  EXPECT_EQ(results[0].model_dir, results[1].model_dir);
  // Every file came over the network once, and both runs' snapshot opens.
  EXPECT_EQ(count(server.log(), "/resolve/"), kNeeded.size()) << server.log();
  EXPECT_EQ(results[0].files_downloaded + results[1].files_downloaded, static_cast<int>(kNeeded.size()));
  bool waited = false;
  for (const auto& l : logs)
    for (const auto& line : l) waited = waited || line.find("waiting for another download of " + kUnet) != std::string::npos;
  EXPECT_TRUE(waited);
  EXPECT_EQ(hub::sha256_file(fs::path(results[1].model_dir) / kUnet), hub::sha256_file(kFixture / kUnet));
  for (const auto& name : files_in(repo_dir() / "blobs"))
    EXPECT_EQ(name.find(".incomplete"), std::string::npos) << name;
  io::open_model_folder(results[0].model_dir);
  // huggingface_hub's lock files, one per blob.
  EXPECT_TRUE(fs::exists(cache_ / ".locks" / "models--TIGER-Lab--ConsistI2V" / (hub::sha256_file(kFixture / kUnet) + ".lock")));
}

TEST_F(HubDownload, ACompleteCacheIsLeftAsItIs) {
  // A complete snapshot is used without writing to it (a shared cache may be read-only): the links and the ref
  // are not made again.
  ci2v::testing::FakeHub server(work_ / "requests.log");
  const hub::DownloadResult first = hub::download_model(options(server));
  std::vector<ino_t> before;
  for (const auto& p : kNeeded) before.push_back(inode_of(fs::path(first.model_dir) / p));
  const ino_t ref = inode_of(repo_dir() / "refs" / "main");
  auto mtimes = [&] {  // a link made, removed or renamed in a folder changes the folder's time
    std::vector<int64_t> t;
    for (const fs::path& d : {fs::path(first.model_dir), fs::path(first.model_dir) / "unet", repo_dir() / "refs"}) {
      struct stat st {};
      ::stat(d.c_str(), &st);
      t.push_back(static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec);
    }
    return t;
  };
  const auto folderTimes = mtimes();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  const hub::DownloadResult again = hub::download_model(options(server));
  EXPECT_EQ(mtimes(), folderTimes);
  EXPECT_EQ(again.files_downloaded, 0);
  for (size_t i = 0; i < kNeeded.size(); ++i)
    EXPECT_EQ(inode_of(fs::path(again.model_dir) / kNeeded[i]), before[i]) << kNeeded[i];
  EXPECT_EQ(inode_of(repo_dir() / "refs" / "main"), ref);
  // A stale link (to another blob) is still mended.
  const fs::path link = fs::path(first.model_dir) / "unet" / "config.json";
  fs::remove(link);
  fs::create_symlink("../../../blobs/nothing-here", link);
  hub::download_model(options(server));
  EXPECT_TRUE(fs::is_regular_file(link));
  EXPECT_EQ(fs::file_size(link), fs::file_size(kFixture / "unet" / "config.json"));
}
