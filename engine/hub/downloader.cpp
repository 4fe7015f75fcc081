#include "engine/hub/downloader.h"

#include <cstdint>
#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iomanip>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/files.h"
#include "engine/hub/hashing.h"
#include "engine/io/json_text.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace ci2v::hub {

std::string human_bytes(uint64_t n) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(n >= 10'000'000'000ull ? 1 : 2);
  if (n >= 1'000'000'000ull) s << n / 1e9 << " GB";
  else if (n >= 1'000'000ull) s << n / 1e6 << " MB";
  else if (n >= 1'000ull) s << std::setprecision(0) << n / 1e3 << " kB";
  else s << n << " B";
  return s.str();
}

namespace {

// The hub could not be reached at all (no answer): the caller may fall back to the cache.
class Unreachable : public Error {
public:
  using Error::Error;
};

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::string();
}

void curl_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

// ETag values: W/"abc" or "abc" -> abc.
std::string strip_etag(std::string e) {
  e = trim(e);
  if (e.rfind("W/", 0) == 0) e = e.substr(2);
  if (e.size() >= 2 && e.front() == '"' && e.back() == '"') e = e.substr(1, e.size() - 2);
  return e;
}

// Percent-encode a path (keeping '/', unless it is one segment).
std::string url_path(const std::string& p, bool keep_slash = true) {
  std::ostringstream o;
  for (unsigned char c : p) {
    if (std::isalnum(c) || (c == '/' && keep_slash) || c == '-' || c == '_' || c == '.' || c == '~') o << c;
    else o << '%' << std::uppercase << std::hex << std::setw(2) << std::setfill('0') << int(c) << std::nouppercase << std::dec;
  }
  return o.str();
}

bool is_hex(const std::string& s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// Speed over the last few seconds, overall progress, throttled reporting.
class Tracker {
public:
  Tracker(const DownloadOptions& o, uint64_t total, int file_count) : o_(o) {
    p_.total = total;
    p_.file_count = file_count;
    start_ = Clock::now();
  }
  void set_file(int index, const std::string& path, const std::string& stage) {
    p_.file_index = index;
    p_.file = path;
    p_.stage = stage;
    emit(true);
  }
  void set_stage(const std::string& stage) {
    p_.stage = stage;
    emit(true);
  }
  // Bytes that are already there (cached blobs, resumed parts).
  void add_present(uint64_t n) { base_ += n; }
  // The current transfer has `n` body bytes so far (on top of base_).
  void set_current(uint64_t n) {
    current_ = n;
    emit(false);
  }
  // The current transfer ended: its bytes become part of the base.
  void commit_current() {
    base_ += current_;
    downloaded_ += current_;
    current_ = 0;
  }
  // A transfer that will be redone from zero (server ignored Range, or a corrupt partial file).
  void drop_present(uint64_t n) { base_ = n > base_ ? 0 : base_ - n; }
  uint64_t downloaded() const { return downloaded_; }
  void emit(bool force) {
    const auto now = Clock::now();
    const uint64_t done = base_ + current_;
    const uint64_t net = downloaded_ + current_;  // bytes over the network in this session
    samples_.push_back({now, net});
    while (samples_.size() > 2 && now - samples_.front().first > std::chrono::seconds(5)) samples_.pop_front();
    if (!force && now - last_emit_ < std::chrono::milliseconds(100)) return;
    last_emit_ = now;
    // Speed over the last ~5 s; over the whole session while that window is still too short.
    const double dt = std::chrono::duration<double>(now - samples_.front().first).count();
    const double since_start = std::chrono::duration<double>(now - start_).count();
    if (dt > 0.5) p_.bytes_per_second = double(net - samples_.front().second) / dt;
    else if (since_start > 0.01 && net > 0) p_.bytes_per_second = double(net) / since_start;
    p_.done = std::min(done, p_.total);
    p_.eta_seconds = p_.bytes_per_second > 0 ? double(p_.total - p_.done) / p_.bytes_per_second : -1;
    if (p_.done >= p_.total && p_.total > 0) p_.eta_seconds = 0;
    if (o_.on_progress) o_.on_progress(p_);
  }

private:
  const DownloadOptions& o_;
  DownloadProgress p_;
  uint64_t base_ = 0, current_ = 0, downloaded_ = 0;
  Clock::time_point start_, last_emit_{};
  std::deque<std::pair<Clock::time_point, uint64_t>> samples_;
};

struct Response {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string curl_error;
  std::map<std::string, std::string> headers;  // of the last response in a redirect chain, lower-case names
  std::string body;                           // API answers and error bodies (not file contents)
  std::string effective_url;
};

struct Transfer {
  CURL* curl = nullptr;
  Response* r = nullptr;
  const DownloadOptions* o = nullptr;
  Tracker* tracker = nullptr;
  // File body target (null: the body goes to r->body).
  const fs::path* file = nullptr;
  uint64_t offset = 0;  // bytes asked to skip with Range
  FILE* out = nullptr;
  bool restarted = false;  // the server answered 200 to a Range request: the file was truncated
  uint64_t expected = 0;   // the listed size of the whole file (0: not known)
  bool refused = false;    // the answer was not the file (a web page, another length): nothing was written
  uint64_t written = 0;
  std::string write_error;
};

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    t->r->headers.clear();  // a new response (redirects)
  } else if (auto colon = line.find(':'); colon != std::string::npos) {
    t->r->headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  }
  return size * n;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t bytes = size * n;
  long status = 0;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  if (!t->file || (status != 200 && status != 206)) {
    if (t->r->body.size() < (1 << 20)) t->r->body.append(data, bytes);  // JSON answers, error bodies
    return bytes;
  }
  if (!t->out) {
    // First body bytes. Not the file (a proxy's or captive portal's login page, a file of another length than
    // listed): refused before the partial file is touched, so that it is neither cut nor continued with them.
    auto header = [&](const char* k) {
      const auto it = t->r->headers.find(k);
      return it == t->r->headers.end() ? std::string() : it->second;
    };
    const std::string type = lower(header("content-type"));
    if (type.rfind("text/html", 0) == 0) {
      t->refused = true;
      t->write_error = "the server sent a web page (Content-Type " + type +
                       ") instead of the file: a login page of a proxy or captive portal?";
      return 0;
    }
    unsigned long long length = 0;
    if (t->expected > 0 && std::sscanf(header("content-length").c_str(), "%llu", &length) == 1) {
      const uint64_t want = status == 206 && t->offset <= t->expected ? t->expected - t->offset : t->expected;
      if (length != want) {
        t->refused = true;
        t->write_error = "the server sends " + std::to_string(length) + " bytes where " + std::to_string(want) +
                         " were asked for (the served file is not the size the hub's listing gives)";
        return 0;
      }
    }
    // a 206 continues the partial file, a 200 (of the file's whole length) starts it over
    bool append = false;
    if (status == 206 && t->offset > 0) {
      const auto it = t->r->headers.find("content-range");  // "bytes 1234-5678/9999"
      unsigned long long start = ~0ull;
      if (it != t->r->headers.end()) std::sscanf(it->second.c_str(), "bytes %llu-", &start);
      if (start != t->offset) {
        t->write_error = "the server resumed at another offset than asked (" + (it == t->r->headers.end() ? std::string("no Content-Range") : it->second) +
                         ", asked bytes=" + std::to_string(t->offset) + "-)";
        return 0;
      }
      append = true;
    }
    if (!append && t->offset > 0) {
      t->restarted = true;
      t->tracker->drop_present(t->offset);
      t->offset = 0;
    }
    t->out = std::fopen(t->file->c_str(), append ? "ab" : "wb");
    if (!t->out) {
      t->write_error = t->file->string() + ": cannot open for writing (" + std::strerror(errno) + ")";
      return 0;
    }
  }
  if (std::fwrite(data, 1, bytes, t->out) != bytes) {
    t->write_error = t->file->string() + ": cannot write (" + std::strerror(errno) + ")";
    return 0;
  }
  t->written += bytes;
  return bytes;
}

int on_xfer(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (t->o->cancel && t->o->cancel->load()) return 1;  // -> CURLE_ABORTED_BY_CALLBACK
  if (t->tracker && t->file) t->tracker->set_current(t->written);
  return 0;
}

// The hub token: HF_TOKEN, else the file `huggingface-cli login` writes (HF_TOKEN_PATH, or HF_HOME/token, or
// ~/.cache/huggingface/token), as huggingface_hub reads it. "" when there is none.
std::string saved_token() {
  if (auto t = env("HF_TOKEN"); !t.empty()) return t;
  fs::path file;
  if (auto p = env("HF_TOKEN_PATH"); !p.empty()) file = p;
  else if (auto h = env("HF_HOME"); !h.empty()) file = fs::path(h) / "token";
  else if (auto x = env("XDG_CACHE_HOME"); !x.empty()) file = fs::path(x) / "huggingface" / "token";
  else if (auto home = env("HOME"); !home.empty()) file = fs::path(home) / ".cache" / "huggingface" / "token";
  if (file.empty()) return {};
  std::ifstream in(file);
  std::string t;
  std::getline(in, t);
  return trim(t);
}

// One HTTP GET (redirects followed). Body to `file` (2xx only, Range from `offset`) or to the response body.
Response http_get(const DownloadOptions& o, const std::string& url, const fs::path* file, uint64_t offset,
                  Tracker* tracker, Transfer* out_transfer = nullptr, uint64_t expected_size = 0) {
  curl_init_once();
  Response r;
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw Error("libcurl: cannot create a handle");
  Transfer t;
  t.curl = curl.get();
  t.r = &r;
  t.o = &o;
  t.tracker = tracker;
  t.file = file;
  t.offset = offset;
  t.expected = expected_size;
  char err[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  const std::string token = o.token.empty() ? saved_token() : o.token;
  if (!token.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> hold(headers, &curl_slist_free_all);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "consisti2v-hub/1 (libcurl)");
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o.connect_timeout_s);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o.stall_timeout_s);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &on_xfer);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
  if (headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  const std::string range = std::to_string(offset) + "-";
  if (file && offset > 0) curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());
  r.code = curl_easy_perform(c);
  if (t.out) {
    // what was received is on the disk before it counts (a power cut must not leave a blob cut short behind a
    // complete-looking name), and a failure of the last write is said as such
    int e = 0;  // the first failure's errno
    if (std::fflush(t.out) != 0 || (r.code == CURLE_OK && ::fsync(fileno(t.out)) != 0)) e = errno;
    if (std::fclose(t.out) != 0 && e == 0) e = errno;
    if (e != 0 && t.write_error.empty()) {
      t.write_error = file->string() + ": cannot write (" + std::strerror(e) + ")";
      if (r.code == CURLE_OK) r.code = CURLE_WRITE_ERROR;
    }
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  if (char* eff = nullptr; curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff) r.effective_url = eff;
  r.curl_error = !t.write_error.empty() ? t.write_error : (err[0] ? std::string(err) : curl_easy_strerror(r.code));
  if (tracker && file) tracker->set_current(t.written);
  if (out_transfer) {
    out_transfer->written = t.written;
    out_transfer->restarted = t.restarted;
    out_transfer->offset = t.offset;
    out_transfer->refused = t.refused;
  }
  return r;
}

bool retryable_curl(CURLcode c) {
  switch (c) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

bool network_unreachable(CURLcode c) {
  return c == CURLE_COULDNT_CONNECT || c == CURLE_COULDNT_RESOLVE_HOST || c == CURLE_COULDNT_RESOLVE_PROXY ||
         c == CURLE_OPERATION_TIMEDOUT || c == CURLE_SSL_CONNECT_ERROR;
}

bool retryable_status(long s) { return s == 408 || s == 429 || (s >= 500 && s <= 599); }

// "HTTP 404 (EntryNotFound: ...)" from the hub's error headers / body.
std::string describe_http(const Response& r) {
  std::string s = "HTTP " + std::to_string(r.status);
  std::string detail;
  if (auto it = r.headers.find("x-error-code"); it != r.headers.end()) detail = it->second;
  if (auto it = r.headers.find("x-error-message"); it != r.headers.end()) detail += (detail.empty() ? "" : ": ") + it->second;
  if (detail.empty() && !r.body.empty() && r.body.size() < 400) detail = trim(r.body);
  return detail.empty() ? s : s + " (" + detail + ")";
}

void sleep_backoff(const DownloadOptions& o, int attempt) {
  double s = o.backoff_initial_s;
  for (int i = 1; i < attempt; ++i) s *= 2;
  s = std::min(s, o.backoff_max_s);
  const auto until = Clock::now() + std::chrono::duration<double>(s);
  while (Clock::now() < until) {
    if (o.cancel && o.cancel->load()) throw Cancelled();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void log(const DownloadOptions& o, const std::string& line) {
  if (o.on_log) o.on_log(line);
}

std::string api_url(const DownloadOptions& o) {
  // the revision as one path segment ("refs/pr/1" -> refs%2Fpr%2F1), as huggingface_hub sends it
  return hub_endpoint(o) + "/api/models/" + o.repo + "/revision/" + url_path(o.revision, /*keep_slash=*/false) + "?blobs=true";
}

// Fetch one file into `temp` (resuming what is there), retrying. Returns the response of the successful
// request (headers: ETag, X-Repo-Commit, ...).
Response fetch_file(const DownloadOptions& o, const std::string& url, const fs::path& temp, uint64_t expected_size,
                    Tracker& tracker) {
  std::string last;
  // `attempt` counts failures in a row: a try that brought new bytes resets it, so a long download survives
  // any number of dropped connections as long as each one makes progress.
  for (int attempt = 1; attempt <= std::max(1, o.max_attempts); ++attempt) {
    if (o.cancel && o.cancel->load()) throw Cancelled();
    std::error_code ec;
    uint64_t offset = fs::exists(temp, ec) ? fs::file_size(temp, ec) : 0;
    if (ec) offset = 0;
    if (expected_size > 0 && offset > expected_size) {  // longer than the file: start over
      tracker.drop_present(offset);
      fs::remove(temp, ec);
      offset = 0;
    }
    if (expected_size > 0 && offset == expected_size) {
      Response done;
      done.status = 206;
      return done;  // complete from an earlier run: verified by the caller
    }
    if (offset > 0) log(o, "resuming " + url + " at byte " + std::to_string(offset));
    Transfer info;
    Response r = http_get(o, url, &temp, offset, &tracker, &info, expected_size);
    tracker.commit_current();
    // a transfer that was cut off after bringing new bytes made progress: the count of failures starts again (a
    // complete transfer of the wrong size did not: the server's file is not the listed one, and trying it again
    // forever would never end)
    if (r.code != CURLE_OK && info.written > 0 && !info.restarted) attempt = 0;  // (the loop's ++ makes it 1)
    if (r.code == CURLE_ABORTED_BY_CALLBACK && o.cancel && o.cancel->load()) throw Cancelled();
    if (info.refused) {
      last = r.curl_error;  // not the file: the partial file is as it was; maybe the next answer is
    } else if (r.code == CURLE_OK && (r.status == 200 || r.status == 206)) {
      const uint64_t have = fs::exists(temp, ec) ? fs::file_size(temp, ec) : 0;
      if (expected_size == 0 || have == expected_size) return r;
      last = "received " + std::to_string(have) + " of " + std::to_string(expected_size) +
             " bytes (the served file is not the size the hub's listing gives)";
      // a complete answer of another length is not this file: nothing to go on from
      tracker.drop_present(have);
      fs::remove(temp, ec);
    } else if (r.code == CURLE_OK && r.status == 416) {
      // Range not satisfiable: the partial file is not a prefix of this file. Start over.
      tracker.drop_present(offset);
      fs::remove(temp, ec);
      last = describe_http(r) + " for bytes=" + std::to_string(offset) + "-";
    } else if (r.code == CURLE_OK && !retryable_status(r.status)) {
      throw Error(url + ": " + describe_http(r) + (r.status == 404 ? ": the file is not on the hub at this revision"
                                                   : r.status == 401 || r.status == 403
                                                       ? ": access denied (a gated or private repo needs HF_TOKEN)"
                                                       : ""));
    } else if (r.code != CURLE_OK && !retryable_curl(r.code)) {
      throw Error(url + ": " + r.curl_error);
    } else {
      last = r.code != CURLE_OK ? r.curl_error : describe_http(r);
    }
    if (attempt < o.max_attempts) {
      log(o, "retrying " + url + " (attempt " + std::to_string(attempt + 1) + " of " + std::to_string(o.max_attempts) +
                 ") after: " + last);
      sleep_backoff(o, attempt);
    }
  }
  throw Error(url + ": giving up after " + std::to_string(o.max_attempts) + " failed attempts in a row; last error: " + last);
}

// Verify the temp file against the listing; on mismatch delete it and throw naming the file and both hashes.
// A file's hash as the hub names its version: the sha256 of an LFS file, the git blob id of a small one.
std::string hub_hash(const DownloadOptions& o, const RepoFile& f, const fs::path& file) {
  if (!f.lfs) return git_blob_sha1_file(file);
  std::string got = sha256_file(file, o.cancel);
  if (got.empty()) throw Cancelled();
  return got;
}

// A verified download into its place (a rename in the same file system).
void move_into_place(const fs::path& temp, const fs::path& final_path) {
  std::error_code ec;
  fs::rename(temp, final_path, ec);
  if (ec) throw Error(final_path.string() + ": cannot move the verified download into place (" + ec.message() + ")");
}

void verify(const DownloadOptions& o, const RepoFile& f, const fs::path& temp, const std::string& url,
            const std::string& etag_blob) {
  std::error_code ec;
  const uint64_t have = fs::file_size(temp, ec);
  auto fail = [&](const std::string& what) {
    fs::remove(temp, ec);
    throw Error(f.path + ": the downloaded file is corrupt: " + what + " (from " + url +
                "); the file was deleted, run the download again");
  };
  if (f.size > 0 && have != f.size)
    fail("size expected " + std::to_string(f.size) + " bytes, got " + std::to_string(have));
  if (f.lfs) {
    const std::string got = hub_hash(o, f, temp);
    if (got != f.sha256) fail("sha256 expected " + f.sha256 + ", got " + got);
  } else {
    const std::string expected = !f.blob_id.empty() ? f.blob_id : etag_blob;
    if (is_hex(expected, 40)) {
      const std::string got = hub_hash(o, f, temp);
      if (got != expected) fail("git blob id expected " + expected + ", got " + got);
    }
  }
}

uint64_t space_of(const DownloadOptions& o, const fs::path& dir) {
  if (o.available_space) return o.available_space(dir);
  std::error_code ec;
  const auto s = fs::space(dir, ec);
  if (ec) throw Error(dir.string() + ": cannot read the free disk space (" + ec.message() + ")");
  return s.available;
}

// An exclusive lock on a lock file (flock: what huggingface_hub's filelock takes too, so a Python download into the
// same cache waits for ours and ours for it). Waits while another process (or thread) holds it, telling `waiting`
// once; throws Cancelled when the cancel flag rises while it waits. Closing the file releases it. Where no lock can
// be had (a read-only folder with no lock file yet, a file system without flock) it logs why and goes on unlocked:
// a complete read-only folder stays usable, and a write that then fails says so itself.
class FileLock {
public:
  FileLock(const fs::path& path, const DownloadOptions& o, const std::function<void()>& waiting) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0664);
    if (fd_ < 0) fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);  // another user's lock file: flock needs no write
    if (fd_ < 0) {
      log(o, path.string() + ": no download lock (" + std::strerror(errno) + "); going on without one");
      return;
    }
    bool told = false;
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int e = errno;
      if (e == EINTR) continue;
      if (e != EWOULDBLOCK) {  // ENOLCK, ENOSYS, EOPNOTSUPP: a file system without locks (some NFS, FUSE, SMB)
        release();
        log(o, path.string() + ": cannot lock (" + std::strerror(e) + "); going on without the download lock");
        return;
      }
      if (!told && waiting) {
        try {
          waiting();
        } catch (...) {
          release();
          throw;
        }
      }
      told = true;
      if (o.cancel && o.cancel->load()) {
        release();
        throw Cancelled();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock() { release(); }

private:
  void release() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_ = -1;
};

// A plain folder's record of each file's version (huggingface_hub's local-dir layout, so either tool trusts the
// other's): <folder>/.cache/huggingface/download/<path>.metadata holds the commit, the etag (the sha256 of an
// LFS file, the git blob id of a small one) and the time it was written (seconds since the epoch).
fs::path folder_meta_dir(const std::string& local_dir) { return fs::path(local_dir) / ".cache" / "huggingface" / "download"; }
fs::path folder_record_path(const std::string& local_dir, const std::string& path) {
  return folder_meta_dir(local_dir) / (path + ".metadata");
}

struct FolderRecord {
  std::string commit, etag;
  double timestamp = 0;
};

bool read_folder_record(const fs::path& file, FolderRecord* r) {
  std::ifstream in(file);
  std::string ts;
  if (!in || !std::getline(in, r->commit) || !std::getline(in, r->etag) || !std::getline(in, ts)) return false;
  // not std::stod: under a decimal-comma locale (the studio sets the user's) it would stop at the '.'
  const auto [end, err] = std::from_chars(ts.data(), ts.data() + ts.size(), r->timestamp);
  return err == std::errc() && end != ts.data();
}

void write_folder_record(const fs::path& file, const std::string& commit, const std::string& etag) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::ostringstream text;
  text << commit << "\n" << etag << "\n" << std::fixed << std::setprecision(6) << now << "\n";
  write_file_atomically(file, text.str());
}

// A file's modification time in seconds since the epoch (-1 when it cannot be read).
// Records `file` (a plain folder's copy of f) as the listing's version; a record that cannot be written is said
// and costs a hash next time, nothing worse.
void record_version(const DownloadOptions& o, const RepoFile& f, const fs::path& file, const std::string& commit) {
  try {
    write_folder_record(folder_record_path(o.local_dir, f.path), commit, f.blob_name());
  } catch (const std::exception& e) {
    log(o, std::string("cannot record the version of ") + file.string() + ": " + e.what());
  }
}

double mtime_seconds(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return -1;
  return static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) * 1e-9;
}

// Whether a file in a plain folder is the listing's version: its record names the listing's hash and it has not
// been written since; else (no record, another hash, touched since) its content is hashed. The record is
// (re)written when the hash matches. Files the listing gives no hash for count by their size alone.
bool folder_file_is_current(const DownloadOptions& o, const RepoFile& f, const fs::path& file, const std::string& commit) {
  const std::string want = f.blob_name();
  if (want.empty()) return true;
  const fs::path record = folder_record_path(o.local_dir, f.path);
  FolderRecord r;
  if (read_folder_record(record, &r)) {
    if (r.etag != want) {  // recorded as another version, and not written since: no need to hash it to know
      if (mtime_seconds(file) <= r.timestamp) {
        log(o, file.string() + " is another version (" + r.etag + ") than the hub's (" + want + "): fetching it again");
        return false;
      }
    } else if (mtime_seconds(file) <= r.timestamp) {
      return true;
    }
    log(o, "checking " + file.string() + " against the hub's hash (changed since its version was recorded)");
  } else {
    log(o, "checking " + file.string() + " against the hub's hash (no record of its version)");
  }
  const std::string got = hub_hash(o, f, file);
  if (got != want) {
    log(o, file.string() + " is not the hub's version (hash " + got + ", the hub has " + want + "): fetching it again");
    return false;
  }
  record_version(o, f, file, commit);
  return true;
}

bool offline_requested(const DownloadOptions& o) {
  const std::string v = lower(env("HF_HUB_OFFLINE"));
  return o.offline || v == "1" || v == "true" || v == "yes";
}

}  // namespace

std::string hub_endpoint(const DownloadOptions& o) {
  std::string e = !o.endpoint.empty() ? o.endpoint : env("HF_ENDPOINT");
  if (e.empty()) e = "https://huggingface.co";
  while (!e.empty() && e.back() == '/') e.pop_back();
  return e;
}

RepoListing fetch_listing(const DownloadOptions& o) {
  repo_folder_name(o.repo);  // validates ORG/NAME
  const std::string url = api_url(o);
  Response r;
  for (int attempt = 1;; ++attempt) {
    if (o.cancel && o.cancel->load()) throw Cancelled();
    r = http_get(o, url, nullptr, 0, nullptr);
    if (r.code == CURLE_ABORTED_BY_CALLBACK) throw Cancelled();
    const bool retry = (r.code != CURLE_OK && retryable_curl(r.code) && !network_unreachable(r.code)) ||
                       (r.code == CURLE_OK && retryable_status(r.status));
    if (!retry || attempt >= o.max_attempts) break;
    log(o, "retrying " + url + " after: " + (r.code != CURLE_OK ? r.curl_error : describe_http(r)));
    sleep_backoff(o, attempt);
  }
  if (r.code != CURLE_OK && network_unreachable(r.code)) throw Unreachable(url + ": cannot reach the hub: " + r.curl_error);
  if (r.code != CURLE_OK) throw Error(url + ": " + r.curl_error);
  if (r.status == 401 || r.status == 403)
    throw Error(url + ": access denied to '" + o.repo + "' (" + describe_http(r) +
                "): a gated or private repo needs a valid token (HF_TOKEN, or `huggingface-cli login`), and a wrong "
                "token is refused");
  if (r.status == 404)
    throw Error(url + ": repository '" + o.repo + "' at revision '" + o.revision + "' not found on " + hub_endpoint(o) +
                ": " + describe_http(r));
  // The hub down (5xx after the retries), or a page that is not the hub's (a proxy or captive portal): like no
  // network at all, a complete snapshot in the cache is used (the caller's fallback), else this is the error.
  if (retryable_status(r.status))  // 408, 429 and 5xx after the retries
    throw Unreachable(url + ": the hub is not answering: " + describe_http(r));
  if (r.status != 200) throw Error(url + ": " + describe_http(r));
  nlohmann::json j;
  try {
    j = io::parse_json(r.body, "the hub's answer");
  } catch (const std::exception& e) {
    throw Unreachable(url + ": the answer is not the hub's JSON (a proxy or a login page in between?): " + e.what());
  }
  RepoListing l;
  if (!j.is_object() || !j.contains("sha") || !j["sha"].is_string())
    throw Error(url + ": the hub's answer has no commit 'sha'");
  l.commit = j["sha"].get<std::string>();
  if (!is_hex(l.commit, 40)) throw Error(url + ": commit 'sha' = '" + l.commit + "' is not a 40-digit hex hash");
  if (!j.contains("siblings") || !j["siblings"].is_array()) throw Error(url + ": the hub's answer has no 'siblings' list");
  for (const auto& s : j["siblings"]) {
    if (!s.is_object() || !s.contains("rfilename") || !s["rfilename"].is_string()) continue;
    RepoFile f;
    f.path = s["rfilename"].get<std::string>();
    if (f.path.empty() || f.path[0] == '/' || f.path.find("..") != std::string::npos || f.path.find('\\') != std::string::npos)
      throw Error(url + ": file name '" + f.path + "' is not a plain relative path");
    if (s.contains("size") && s["size"].is_number_unsigned()) f.size = s["size"].get<uint64_t>();
    if (s.contains("blobId") && s["blobId"].is_string()) f.blob_id = lower(s["blobId"].get<std::string>());
    if (s.contains("lfs") && s["lfs"].is_object()) {
      const auto& lfs = s["lfs"];
      if (!lfs.contains("sha256") || !lfs["sha256"].is_string())
        throw Error(url + ": LFS file '" + f.path + "' has no sha256");
      f.lfs = true;
      f.sha256 = lower(lfs["sha256"].get<std::string>());
      if (!is_hex(f.sha256, 64)) throw Error(url + ": LFS file '" + f.path + "': sha256 '" + f.sha256 + "' is not 64 hex digits");
      if (lfs.contains("size") && lfs["size"].is_number_unsigned()) f.size = lfs["size"].get<uint64_t>();
    }
    if (!f.blob_id.empty() && !is_hex(f.blob_id, 40) && !f.lfs)
      throw Error(url + ": file '" + f.path + "': blobId '" + f.blob_id + "' is not 40 hex digits");
    l.files.push_back(std::move(f));
  }
  return l;
}

DownloadResult download_model(const DownloadOptions& o) {
  const bool to_folder = !o.local_dir.empty();
  // (absolute: the studio keeps the folder it prints, and may start from another working directory)
  const fs::path root = fs::absolute(o.cache_dir.empty() ? cache_root() : fs::path(o.cache_dir)).lexically_normal();
  // a revision names a ref file under refs/ too: nothing that could leave it
  if (o.revision.empty() || o.revision.front() == '/' || o.revision.find("..") != std::string::npos ||
      o.revision.find('\\') != std::string::npos || o.revision.find('\0') != std::string::npos)
    throw Error("revision '" + o.revision + "': expected a branch, tag or commit name (no '..', no leading '/')");
  const CacheRepo cache(root, o.repo);  // validates the repo id

  auto from_cache = [&](const std::string& why) -> DownloadResult {
    if (to_folder) {
      std::string reason;
      if (is_complete_model_folder(o.local_dir, &reason)) {
        log(o, why + "; using the complete folder " + o.local_dir);
        return {fs::absolute(o.local_dir).lexically_normal().string(), "", 0, 0, true};
      }
      throw Error(why + ", and " + o.local_dir + " does not hold a complete model (" + reason + ")");
    }
    const std::string snap = find_cached_snapshot(root, o.repo, o.revision);
    if (!snap.empty()) {
      log(o, why + "; using the cached snapshot " + snap);
      if (!o.variant.empty()) {  // the snapshot is what an earlier run fetched: say when it is not that variant
        bool has_variant = false;
        std::error_code walk;
        for (fs::recursive_directory_iterator it(snap, walk), end; !walk && it != end; it.increment(walk))
          has_variant = has_variant || it->path().filename().string().find("." + o.variant + ".") != std::string::npos;
        if (!has_variant)
          log(o, "the cached snapshot holds no " + o.variant + " weight files (an earlier download took the full ones): "
                 "those are used");
      }
      return {snap, fs::path(snap).filename().string(), 0, 0, true};
    }
    throw Error(why + ", and the cache " + cache.dir().string() + " holds no complete snapshot of " + o.repo + "@" +
                o.revision);
  };

  if (offline_requested(o)) return from_cache("offline (HF_HUB_OFFLINE)");

  if (o.on_progress) {
    DownloadProgress p;
    p.stage = "listing";
    o.on_progress(p);
  }
  RepoListing listing;
  try {
    listing = fetch_listing(o);
  } catch (const Unreachable& e) {
    return from_cache(e.what());
  }

  // A plain folder is locked whole for the run (its files are replaced together at the end); the cache per blob
  // (below), so that downloads of other repos or of files another run does not need go on side by side.
  // huggingface_hub's own local-dir downloads lock each file (<folder>/.cache/huggingface/download/<path>.lock):
  // those are taken too, file by file, and held to the end (they never wait on ours: it takes one at a time).
  std::unique_ptr<FileLock> folder_lock;
  std::vector<std::unique_ptr<FileLock>> file_locks;
  if (to_folder) {
    std::error_code mk;
    fs::create_directories(o.local_dir, mk);
    folder_lock = std::make_unique<FileLock>(folder_meta_dir(o.local_dir) / ".lock", o, [&] {
      log(o, "waiting for another download into " + o.local_dir + " to finish");
    });
    const fs::path ignore = fs::path(o.local_dir) / ".cache" / "huggingface" / ".gitignore";  // as huggingface_hub
    if (!fs::exists(ignore, mk)) {
      std::ofstream(ignore) << "*";
    }
  }

  std::map<std::string, const RepoFile*> by_path;
  std::vector<std::string> names;
  for (const auto& f : listing.files) by_path[f.path] = &f, names.push_back(f.path);
  const std::vector<std::string> needed = select_needed_files(names, o.variant);

  // What is there already, what must come over the network.
  struct Plan {
    const RepoFile* file;
    fs::path final_path, temp_path;
    bool present = false;
    uint64_t partial = 0;
  };
  std::vector<Plan> plan;
  uint64_t total = 0, to_fetch = 0;
  std::error_code ec;
  for (const auto& p : needed) {
    const RepoFile* f = by_path.at(p);
    Plan pl{f, {}, {}};
    if (to_folder) {
      pl.final_path = fs::path(o.local_dir) / p;
      file_locks.push_back(std::make_unique<FileLock>(folder_meta_dir(o.local_dir) / (p + ".lock"), o, [&] {
        log(o, "waiting for another download of " + p + " into " + o.local_dir);
      }));
      // the partial download is named by the version it holds (beside the records), so that one of another version
      // (a cancelled update of another revision) is never resumed into this one; those are removed
      const std::string version = f->blob_name().empty() ? std::string("unversioned") : f->blob_name();
      pl.temp_path = folder_meta_dir(o.local_dir) / (p + "." + version + ".incomplete");
      const fs::path dir = pl.temp_path.parent_path();
      const std::string stem = fs::path(p).filename().string() + ".";
      std::error_code walk;
      for (fs::directory_iterator it(dir, walk), end; !walk && it != end; it.increment(walk)) {
        const std::string name = it->path().filename().string();
        if (it->path() != pl.temp_path && name.rfind(stem, 0) == 0 && name.size() > 11 &&
            name.compare(name.size() - 11, 11, ".incomplete") == 0 &&
            name.find('.', stem.size()) == name.size() - 11) {  // <name>.<version>.incomplete, another version
          log(o, "removing " + it->path().string() + " (a partial download of another version)");
          fs::remove(it->path(), ec);
        }
      }
      fs::remove(pl.final_path.string() + ".incomplete", ec);  // the layout before versioned names
    } else if (!f->blob_name().empty()) {
      pl.final_path = cache.blob(f->blob_name());
      pl.temp_path = cache.incomplete(f->blob_name());
    } else {  // a small file without a blob id: named after its ETag once fetched
      std::string flat = p;
      std::replace(flat.begin(), flat.end(), '/', '_');
      pl.temp_path = cache.blobs_dir() / ("tmp-" + flat + ".incomplete");
    }
    if (!pl.final_path.empty() && fs::is_regular_file(pl.final_path, ec) &&
        (f->size == 0 || fs::file_size(pl.final_path, ec) == f->size) &&
        // a blob in the cache is named by its hash; a plain folder's file may be another version of the same size
        (!to_folder || folder_file_is_current(o, *f, pl.final_path, listing.commit)))
      pl.present = true;
    else if (fs::exists(pl.temp_path, ec))
      pl.partial = fs::file_size(pl.temp_path, ec);
    if (f->size > 0 && pl.partial > f->size) {  // not a prefix of this file: start over
      fs::remove(pl.temp_path, ec);
      pl.partial = 0;
    }
    total += f->size;
    if (!pl.present) to_fetch += f->size - pl.partial;
    plan.push_back(pl);
  }

  // Free space before starting.
  const fs::path target_dir = to_folder ? fs::path(o.local_dir) : cache.blobs_dir();
  fs::create_directories(target_dir, ec);
  if (ec) throw Error(target_dir.string() + ": cannot create the download folder (" + ec.message() + ")");
  if (to_fetch > 0) {
    const uint64_t avail = space_of(o, target_dir);
    if (avail < to_fetch)
      throw Error("not enough free disk space in " + target_dir.string() + ": the download needs " +
                  std::to_string(to_fetch) + " bytes (" + human_bytes(to_fetch) + "), " + std::to_string(avail) +
                  " bytes (" + human_bytes(avail) + ") are available");
  }

  Tracker tracker(o, total, static_cast<int>(plan.size()));
  for (const auto& pl : plan) tracker.add_present(pl.present ? pl.file->size : pl.partial);
  DownloadResult res;
  res.commit = listing.commit;
  int index = 0;
  std::vector<const Plan*> fetched_into_folder;  // renamed into place together once all are verified
  for (auto& pl : plan) {
    ++index;
    const RepoFile& f = *pl.file;
    const std::string url = hub_endpoint(o) + "/" + o.repo + "/resolve/" + listing.commit + "/" + url_path(f.path);
    std::unique_ptr<FileLock> blob_lock;
    if (!pl.present && !to_folder) {
      // One download of a blob at a time (huggingface_hub's lock files: <cache>/.locks/<repo folder>/<blob>.lock).
      std::string name = f.blob_name();
      if (name.empty()) name = pl.temp_path.stem().string();  // tmp-<path>
      blob_lock = std::make_unique<FileLock>(root / ".locks" / repo_folder_name(o.repo) / (name + ".lock"), o, [&] {
        log(o, "waiting for another download of " + f.path + " into the same cache");
        tracker.set_file(index, f.path, "waiting");
      });
      // What the other one left: the finished blob, or a longer partial file to resume from.
      tracker.drop_present(pl.partial);
      if (!pl.final_path.empty() && fs::is_regular_file(pl.final_path, ec) &&
          (f.size == 0 || fs::file_size(pl.final_path, ec) == f.size)) {
        log(o, f.path + " was downloaded by another run meanwhile");
        pl.present = true;
        tracker.add_present(f.size);
      } else {
        pl.partial = fs::exists(pl.temp_path, ec) ? fs::file_size(pl.temp_path, ec) : 0;
        if (ec) pl.partial = 0;
        tracker.add_present(pl.partial);  // (fetch_file drops a partial file longer than the file, and its count)
      }
    }
    if (!pl.present) {
      tracker.set_file(index, f.path, "downloading");
      if (to_folder) {
        fs::create_directories(pl.final_path.parent_path(), ec);
        fs::create_directories(pl.temp_path.parent_path(), ec);
      }
      Response r = fetch_file(o, url, pl.temp_path, f.size, tracker);
      const std::string etag = strip_etag(r.headers.count("x-linked-etag") ? r.headers["x-linked-etag"] : r.headers["etag"]);
      if (!r.headers.empty() && r.headers.count("x-repo-commit") && r.headers["x-repo-commit"] != listing.commit)
        log(o, url + ": X-Repo-Commit " + r.headers["x-repo-commit"] + " differs from the listing's " + listing.commit);
      tracker.set_file(index, f.path, "verifying");
      verify(o, f, pl.temp_path, url, etag);
      if (pl.final_path.empty()) {
        if (etag.empty()) {
          fs::remove(pl.temp_path, ec);
          throw Error(url + ": the hub sent no ETag for '" + f.path + "' and the listing has no blob id for it");
        }
        // the ETag names the blob file: only a git blob id (which verify() has just checked) may, never a path
        if (!is_hex(etag, 40)) {
          fs::remove(pl.temp_path, ec);
          throw Error(url + ": the hub's ETag for '" + f.path + "' is '" + etag +
                      "', not a git blob id (40 hex digits), and the listing has none: the file cannot be verified");
        }
        pl.final_path = cache.blob(etag);
      }
      res.files_downloaded++;
      if (to_folder) {
        fetched_into_folder.push_back(&pl);
      } else {
        move_into_place(pl.temp_path, pl.final_path);
      }
    }
    blob_lock.reset();
    if (!to_folder) cache.link_snapshot_file(listing.commit, f.path, pl.final_path.filename().string());
  }
  // A plain folder's new versions replace the old files only now, all verified: a cancelled or failed update
  // leaves the folder as it was (the new files wait as .incomplete and are taken up by the next run).
  for (const Plan* pl : fetched_into_folder) {
    move_into_place(pl->temp_path, pl->final_path);
    record_version(o, *pl->file, pl->final_path, listing.commit);
  }
  res.bytes_downloaded = tracker.downloaded();
  res.model_dir = to_folder ? fs::absolute(o.local_dir).lexically_normal().string() : cache.snapshot_dir(listing.commit).string();
  std::string why;
  if (!is_complete_model_folder(res.model_dir, &why))
    throw Error(res.model_dir + ": downloaded, but the engine cannot open it: " + why);
  // the revision names the new snapshot only now: a snapshot the engine cannot open never replaces a working one
  if (!to_folder) cache.write_ref(o.revision, listing.commit);
  tracker.set_stage("done");
  return res;
}

}  // namespace ci2v::hub
