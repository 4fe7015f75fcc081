// Tiny command-line parser for the consisti2v subcommands: --key value, --flag, positional arguments.
#pragma once
#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/limits.h"

namespace ci2v::cli {

// The command line is wrong (an unknown or malformed option, a missing or out-of-range value): consisti2v exits
// with status 2 for these, 1 for a failure while running.
class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Runs f (reading parameters from the command line): any error it throws is the command line's (a value out of
// range, an unknown name, a --params or --camera file that cannot be used), so it leaves as a UsageError.
template <class F>
auto as_usage_error(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    throw UsageError(e.what());
  }
}

class Args {
public:
  // `flags`: options that take no value.
  Args(int argc, char** argv, int first, const std::set<std::string>& flags = {}) {
    for (int i = first; i < argc; ++i) {
      std::string a = argv[i];
      if (a.rfind("--", 0) == 0 && a.size() > 2) {
        std::string key = a.substr(2), val;
        auto eq = key.find('=');
        if (eq != std::string::npos) {
          val = key.substr(eq + 1);
          key = key.substr(0, eq);
          if (flags.count(key)) {  // a switch: --quiet=1 turns it on, --quiet=0 leaves it off
            std::string v = val;
            std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
            if (v == "0" || v == "false" || v == "no" || v == "off") continue;
            if (v != "1" && v != "true" && v != "yes" && v != "on")
              throw UsageError("option --" + key + " is a switch: give it alone, or =1 / =0, got '" + val + "'");
            val.assign(1, '1');  // (not = "1": GCC 12's -Wstringop-overflow misreads that one here)
          }
        } else if (flags.count(key)) {
          val = "1";
        } else {
          // A missing value is said by unknown(), once the command's options are known: a misspelt switch
          // ("--pingpng --fps 8") is an unknown option, not one whose value was forgotten.
          if (i + 1 >= argc) {
            if (missing_.empty()) missing_key_ = key, missing_ = "option --" + key + " needs a value";
            opts_[key].push_back("");
            continue;
          }
          const std::string next = argv[i + 1];
          // "--prompt --steps 2": the value was forgotten (a value that starts with "--" is given as --key=--value;
          // one with a space, "--no text, blurry", cannot be an option and is taken as it is)
          if (next.size() > 2 && next.rfind("--", 0) == 0 && std::isalpha(static_cast<unsigned char>(next[2])) &&
              std::none_of(next.begin(), next.end(), [](unsigned char c) { return std::isspace(c); })) {
            if (missing_.empty())
              missing_key_ = key, missing_ = "option --" + key + " needs a value, got the option " + next +
                                             " (write --" + key + "=" + next + " for a value that starts with --)";
            opts_[key].push_back("");
            continue;
          }
          val = argv[++i];
        }
        opts_[key].push_back(val);
      } else {
        pos_.push_back(a);
      }
    }
  }
  bool has(const std::string& k) const { return opts_.count(k) != 0; }
  std::string get(const std::string& k, const std::string& def = "") const {
    if (k == missing_key_) throw UsageError(missing_);  // (read before unknown() was asked)
    auto it = opts_.find(k);
    return it == opts_.end() ? def : it->second.back();
  }
  std::vector<std::string> all(const std::string& k) const {
    auto it = opts_.find(k);
    return it == opts_.end() ? std::vector<std::string>{} : it->second;
  }
  double get_double(const std::string& k, double def) const {
    if (!has(k)) return def;
    try {
      size_t n = 0;
      double v = std::stod(get(k), &n);
      if (n != get(k).size()) throw std::invalid_argument("");
      return v;
    } catch (...) {
      throw UsageError("--" + k + ": expected a number, got '" + get(k) + "'");
    }
  }
  long get_int(const std::string& k, long def) const {
    if (!has(k)) return def;
    try {
      size_t n = 0;
      long v = std::stol(get(k), &n);
      if (n != get(k).size()) throw std::invalid_argument("");
      return v;
    } catch (...) {
      throw UsageError("--" + k + ": expected an integer, got '" + get(k) + "'");
    }
  }
  // get_int for an int option: a value outside int's range is refused (a cast would wrap 4294967298 to 2).
  int get_int32(const std::string& k, int def) const {
    const long v = get_int(k, def);
    if (!std::in_range<int>(v))
      throw UsageError("--" + k + ": expected an integer from " + std::to_string(std::numeric_limits<int>::min()) +
                       " to " + std::to_string(std::numeric_limits<int>::max()) + ", got '" + get(k) + "'");
    return static_cast<int>(v);
  }
  // A thread count: 0 (or the option absent) = every hardware thread; negative or more than kMaxThreads refused.
  static constexpr int kMaxThreads = ci2v::kMaxThreads;
  int get_threads(const std::string& k) const {
    const long v = get_int(k, 0);
    if (v < 0 || v > kMaxThreads)
      throw UsageError("--" + k + ": expected 0 (every hardware thread) to " + std::to_string(kMaxThreads) +
                       ", got '" + get(k) + "'");
    return static_cast<int>(v);
  }
  // The index in `choices` of the option's value (of `def` where the option is not given); any other value is
  // refused, naming it and the choices.
  size_t get_choice(const std::string& k, const std::string& def, const std::vector<std::string>& choices) const {
    const std::string v = get(k, def);
    std::string list;
    for (size_t i = 0; i < choices.size(); ++i) {
      if (choices[i] == v) return i;
      list += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
    }
    throw UsageError("--" + k + ": expected " + list + ", got '" + v + "'");
  }
  const std::vector<std::string>& positional() const { return pos_; }
  // Refuses words beyond the first `allowed` positional arguments: "--prompt a red cat" would otherwise run with
  // the prompt "a" and drop the rest without a word.
  void refuse_extra_positionals(size_t allowed) const {
    if (pos_.size() <= allowed) return;
    throw UsageError("unexpected argument '" + pos_[allowed] +
                     "' (a value with spaces needs quotes, e.g. --prompt \"a red cat\"; see consisti2v --help)");
  }
  // Options given that are not in `known` (to reject typos). Every command asks, before using the options: with
  // none unknown, an option given without its value is refused here (UsageError).
  std::vector<std::string> unknown(const std::set<std::string>& known) const {
    std::vector<std::string> u;
    if (!missing_key_.empty() && !known.count(missing_key_)) u.push_back("--" + missing_key_);  // named first
    for (const auto& [k, v] : opts_)
      if (!known.count(k) && k != missing_key_) u.push_back("--" + k);
    if (u.empty() && !missing_.empty()) throw UsageError(missing_);
    return u;
  }

private:
  std::map<std::string, std::vector<std::string>> opts_;
  std::vector<std::string> pos_;
  std::string missing_key_, missing_;  // the first option given without a value, and what to say
};

int cmd_info(int argc, char** argv);
int cmd_generate(int argc, char** argv);
int cmd_preview(int argc, char** argv);
void torch_set_threads(int n);
int cmd_parity(int argc, char** argv);
int cmd_export(int argc, char** argv);
int cmd_download(int argc, char** argv);
int cmd_train(int argc, char** argv);
int cmd_bench(int argc, char** argv);

}  // namespace ci2v::cli
