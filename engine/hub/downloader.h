// Download a model repo from the Hugging Face hub (libcurl; Torch-free, Qt-free) into the shared hub cache
// (see hub_cache.h) or into a plain folder: only the files the engine needs, resumable (HTTP Range from the
// blobs/<hash>.incomplete temp file), retried with exponential backoff, sha256-verified against the hub's LFS
// hash (git blob id for small files) and renamed into place only once verified; free space checked first;
// progress with speed and ETA; cancellable.
//
// Runs at the same time (two studios, a CLI, huggingface_hub itself) take turns: a blob is fetched under the lock
// file <cache>/.locks/<repo folder>/<blob>.lock (flock, as huggingface_hub's filelock), and a plain folder is
// locked whole (<folder>/.cache/huggingface/download/.lock). A plain folder records each file's version beside it
// (<folder>/.cache/huggingface/download/<path>.metadata: commit, etag, time — huggingface_hub's local-dir
// records): a file of the listed size is kept only when its record (or, without one, its hash) is the hub's, and
// an update moves the new files into place together once all are verified. A complete cache is used without
// writing to it (links and refs already right are left alone), so a shared read-only cache serves.
//
// The hub's URL shapes (endpoint: options.endpoint, else $HF_ENDPOINT, else https://huggingface.co):
//   GET {endpoint}/api/models/{repo}/revision/{rev}?blobs=true -> {"sha": commit, "siblings": [{"rfilename",
//       "size", "blobId", "lfs": {"sha256", "size"}}]}
//   GET {endpoint}/{repo}/resolve/{commit}/{path} -> the file (LFS files: a 302 to a CDN URL, followed)
#pragma once
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engine/error.h"
#include "engine/hub/hub_cache.h"

namespace ci2v::hub {

// Thrown when the cancel flag was raised. Partial downloads stay as .incomplete files and are resumed next time.
class Cancelled : public Error {
public:
  Cancelled() : Error("download cancelled") {}
};

struct RepoFile {
  std::string path;       // "unet/diffusion_pytorch_model.safetensors"
  uint64_t size = 0;      // bytes (0 when the listing did not say)
  std::string sha256;     // LFS files: the content's sha256
  std::string blob_id;    // git blob id (small files: what their ETag is)
  bool lfs = false;
  // Name of the file in blobs/: the sha256 for LFS files, else the git blob id.
  std::string blob_name() const { return lfs ? sha256 : blob_id; }
};

struct RepoListing {
  std::string commit;  // 40-hex commit the revision resolved to
  std::vector<RepoFile> files;
};

struct DownloadProgress {
  uint64_t done = 0;          // bytes of all needed files present so far (cached + resumed + downloaded)
  uint64_t total = 0;         // bytes of all needed files
  double bytes_per_second = 0;  // recent download speed (0 before it is known)
  double eta_seconds = -1;    // -1: unknown
  std::string file;           // file being fetched or verified
  int file_index = 0;         // 1-based
  int file_count = 0;
  std::string stage;          // "listing", "waiting" (for another run's lock), "downloading", "verifying", "done"
};

struct DownloadOptions {
  std::string repo = kDefaultRepo;
  std::string revision = "main";
  std::string endpoint;   // "" -> $HF_ENDPOINT or https://huggingface.co
  std::string cache_dir;  // "" -> cache_root()
  std::string local_dir;  // non-empty: a plain folder (real files, no blobs/snapshots) instead of the cache
  std::string variant;    // e.g. "fp16": prefer those weight files
  std::string token;      // "" -> $HF_TOKEN (sent as a Bearer token to the endpoint only)
  bool offline = false;   // also $HF_HUB_OFFLINE=1: use an existing cache, never the network

  int max_attempts = 6;          // per request (a resumed request continues where the last attempt stopped)
  double backoff_initial_s = 1;  // 1, 2, 4, ... seconds between attempts
  double backoff_max_s = 30;
  long connect_timeout_s = 30;
  long stall_timeout_s = 60;     // abort (and retry) when no byte arrives for this long

  std::function<void(const DownloadProgress&)> on_progress;  // from the downloading thread, ~10 times a second
  std::function<void(const std::string&)> on_log;            // one line per event (retry, resume, cache hit)
  const std::atomic<bool>* cancel = nullptr;
  // Free bytes for a folder (tests inject it); default std::filesystem::space(dir).available.
  std::function<uint64_t(const std::filesystem::path&)> available_space;
};

struct DownloadResult {
  std::string model_dir;  // snapshots/<commit> in the cache, or the plain folder: what open_model_folder takes
  std::string commit;
  uint64_t bytes_downloaded = 0;
  int files_downloaded = 0;
  bool offline = false;  // the network was not used (found complete in the cache)
};

std::string hub_endpoint(const DownloadOptions& o);

// The revision's commit and file list (with sizes and hashes). Throws naming the URL and the HTTP status.
RepoListing fetch_listing(const DownloadOptions& o);

// Everything needed into the cache (or the folder) and the folder the engine opens. When the hub cannot be
// reached (or offline) and the cache already holds a complete snapshot of the revision, that one is returned.
DownloadResult download_model(const DownloadOptions& o);

// "1.36 GB", "525 kB" (decimal units, as the hub shows them).
std::string human_bytes(uint64_t n);

}  // namespace ci2v::hub
