// consisti2v download: fetch the model from the Hugging Face hub into the shared hub cache (or a folder).
#include <cstdint>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/args.h"
#include "cli/interrupt.h"

#ifndef CONSISTI2V_HAVE_HUB
namespace ci2v::cli {
int cmd_download(int, char**) {
  throw std::runtime_error("this consisti2v was built without libcurl/OpenSSL (no model downloader); install "
                           "libcurl4-openssl-dev and libssl-dev and rebuild, or use any Hugging Face hub client");
}
}  // namespace ci2v::cli
#else
#include "engine/hub/downloader.h"

namespace ci2v::cli {

namespace {

std::string eta_text(double s) {
  if (s < 0) return "--:--";
  const long t = static_cast<long>(s + 0.5);
  std::ostringstream o;
  if (t >= 3600) o << t / 3600 << "h" << std::setw(2) << std::setfill('0') << (t / 60) % 60 << "m";
  else o << t / 60 << ":" << std::setw(2) << std::setfill('0') << t % 60;
  return o.str();
}

}  // namespace

int cmd_download(int argc, char** argv) {
  Args a(argc, argv, 2, {"offline", "quiet"});
  if (auto u = a.unknown({"repo", "revision", "cache", "to", "endpoint", "variant", "offline", "quiet"}); !u.empty())
    throw UsageError("unknown option " + u[0] +
                     " (usage: consisti2v download [--repo ORG/NAME] [--revision REV] [--cache DIR] [--to DIR])");
  a.refuse_extra_positionals(0);
  if (a.has("cache") && a.has("to")) throw UsageError("--cache and --to exclude each other");
  hub::DownloadOptions o;
  o.repo = a.get("repo", hub::kDefaultRepo);
  o.revision = a.get("revision", "main");
  o.cache_dir = a.get("cache");
  o.local_dir = a.get("to");
  o.endpoint = a.get("endpoint");
  o.variant = a.get("variant");
  o.offline = a.has("offline");
  const bool quiet = a.has("quiet");
  const bool tty = isatty(2);
  StopRequest stop;  // Ctrl-C or SIGTERM: the partial files stay (.incomplete) and the next run resumes them
  o.cancel = stop.flag();

  if (!quiet) {
    std::cerr << "downloading " << o.repo << "@" << o.revision << " from " << hub::hub_endpoint(o) << " into "
              << (o.local_dir.empty() ? (o.cache_dir.empty() ? hub::cache_root().string() : o.cache_dir) : o.local_dir)
              << "\n";
  }
  auto last_line = std::chrono::steady_clock::now() - std::chrono::seconds(10);
  std::string last_file;
  o.on_progress = [&](const hub::DownloadProgress& p) {
    if (quiet || p.stage == "listing") return;
    const auto now = std::chrono::steady_clock::now();
    const bool new_file = p.file != last_file;
    if (!tty && !new_file && p.stage != "done" && now - last_line < std::chrono::seconds(5)) return;
    last_line = now;
    last_file = p.file;
    const double pct = p.total ? 100.0 * double(p.done) / double(p.total) : 0;
    std::ostringstream s;
    s << "[" << p.file_index << "/" << p.file_count << "] " << std::fixed << std::setprecision(1) << std::setw(5) << pct
      << "%  " << hub::human_bytes(p.done) << " / " << hub::human_bytes(p.total) << "  "
      << hub::human_bytes(static_cast<uint64_t>(p.bytes_per_second)) << "/s  ETA " << eta_text(p.eta_seconds) << "  "
      << (p.stage == "done" ? std::string("done") : p.stage + " " + p.file);
    std::string line = s.str();
    if (tty) std::cerr << "\r\033[K" << line << (p.stage == "done" ? "\n" : "") << std::flush;
    else std::cerr << line << "\n";
  };
  o.on_log = [&](const std::string& l) {
    if (!quiet) std::cerr << (tty ? "\r\033[K" : "") << l << "\n";
  };
  try {
    const hub::DownloadResult r = hub::download_model(o);
    if (!quiet) {
      if (r.offline) std::cerr << "the hub was not used: the model was already complete\n";
      else
        std::cerr << "fetched " << r.files_downloaded << " file(s), " << hub::human_bytes(r.bytes_downloaded)
                  << "; commit " << r.commit << "\n";
      std::cerr << "model folder (for --model, and the studio's model picker):\n";
    }
    std::cout << r.model_dir << "\n";
    return 0;
  } catch (const hub::Cancelled&) {
    if (tty) std::cerr << "\n";
    std::cerr << "consisti2v download: cancelled; run the same command again to resume\n";
    return stop.exit_code();
  }
}

}  // namespace ci2v::cli
#endif  // CONSISTI2V_HAVE_HUB
