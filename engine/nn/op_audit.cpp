#include "engine/nn/op_audit.h"

#include <ATen/ATen.h>
#include <ATen/record_function.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "engine/error.h"

namespace ci2v::nn {

struct OpAudit::State {
  at::CallbackHandle handle = 0;
  std::map<std::string, OpAuditEntry> ops[2];  // [Elementwise, Copy]
  std::map<std::string, std::map<std::string, int64_t>> patterns;  // op -> operands -> calls
  int depth = 0;  // audited ops open on this thread
};

namespace {

thread_local OpAudit::State* t_active = nullptr;

// TensorIterator's elementwise ops (out-of-place, in-place and _out forms share the name's stem).
const std::set<std::string>& elementwise_ops() {
  static const std::set<std::string> s = {
      "add", "sub", "mul", "div", "addcmul", "addcdiv", "lerp", "where", "clamp", "clamp_min", "clamp_max",
      "silu", "gelu", "sigmoid", "tanh", "relu", "exp", "neg", "rsqrt", "sqrt", "pow", "fill", "masked_fill",
      "maximum", "minimum", "abs", "sin", "cos", "reciprocal"};
  return s;
}

std::string stem(const std::string& name) {
  std::string s = name.rfind("aten::", 0) == 0 ? name.substr(6) : name;
  while (!s.empty() && s.back() == '_') s.pop_back();  // add_ -> add
  return s;
}

std::string describe(const at::Tensor& t) {
  std::ostringstream o;
  o << t.sizes() << " s" << t.strides();
  return o.str();
}

bool dense(const at::Tensor& t) { return t.is_non_overlapping_and_dense(); }
// a broadcast view (expand): a stride 0 over a dimension of more than one element
bool expanded(const at::Tensor& t) {
  for (int64_t d = 0; d < t.dim(); ++d)
    if (t.stride(d) == 0 && t.size(d) > 1) return true;
  return false;
}

// Equal strides over the dimensions of more than one element (those of size 1 never address memory): two
// dense tensors with the same sizes and this are one layout to TensorIterator.
bool same_layout(const at::Tensor& a, const at::Tensor& b) {
  for (int64_t d = 0; d < a.dim(); ++d)
    if (a.size(d) > 1 && a.stride(d) != b.stride(d)) return false;
  return true;
}

void observe(OpAudit::State& st, const at::RecordFunction& fn, const std::string& name, OpKind kind) {
  std::vector<at::Tensor> operands;  // 0-dim tensors are wrapped scalars: TensorIterator passes them by value
  for (const auto& v : fn.inputs()) {
    if (v.isTensor()) {
      const auto& t = v.toTensor();
      if (t.defined() && t.dim() > 0) operands.push_back(t);
    } else if (v.isTensorList()) {
      for (const auto& t : v.toTensorList()) {
        const at::Tensor tt = t;
        if (tt.defined() && tt.dim() > 0) operands.push_back(tt);
      }
    }
  }
  if (operands.empty()) return;
  auto& e = st.ops[kind == OpKind::Elementwise ? 0 : 1][name];
  e.name = name;
  ++e.calls;
  for (const auto& t : operands) e.bytes += t.numel() * static_cast<int64_t>(t.element_size());
  bool broadcast = false, strided = false, transposed = false;
  if (kind == OpKind::Elementwise || name == "aten::copy_") {
    // The operands of the op's full size: the first one that is not a broadcast sets the layout.
    const at::Tensor* full = nullptr;
    for (const auto& t : operands) {
      if (t.sizes().equals(operands[0].sizes()) && !expanded(t)) {
        full = &t;
        break;
      }
    }
    for (const auto& t : operands) {
      if (!t.sizes().equals(operands[0].sizes()) || expanded(t)) {
        broadcast = true;  // another size, or an expanded view: a stride-0 operand
      } else if (!dense(t)) {
        strided = true;    // a slice or other view with gaps
      } else if (full && dense(*full) && !same_layout(t, *full)) {
        transposed = true;  // two dense layouts (NCHW and NHWC): strided, and a transpose on the way
      }
    }
  }
  e.broadcast += broadcast;
  e.strided += !broadcast && (strided || transposed);
  e.transposed += transposed;
  if (broadcast || strided || transposed) {
    std::string p;
    for (size_t i = 0; i < operands.size() && i < 3; ++i) p += (i ? " , " : "") + describe(operands[i]);
    ++st.patterns[name][p];
  }
}

// Only the outermost audited op of a nest is counted: `x * 2` (mul.Scalar) calls mul.Tensor with the wrapped
// number, a copy may run inside a concatenation. Ops nested in other ops (the addition inside a CPU linear) are
// outermost as far as the audit goes, and counted.
struct Nested : at::ObserverContext {};

std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction& fn) {
  if (!t_active) return nullptr;
  const std::string name = fn.name();
  const OpKind kind = op_kind(name);
  if (kind == OpKind::Other) return nullptr;
  if (t_active->depth++ == 0) observe(*t_active, fn, name, kind);
  return std::make_unique<Nested>();
}

void on_end(const at::RecordFunction&, at::ObserverContext* ctx) {
  if (ctx && t_active && t_active->depth > 0) --t_active->depth;
}

}  // namespace

OpKind op_kind(const std::string& name) {
  if (name == "aten::copy_" || name == "aten::cat") return OpKind::Copy;  // clone and contiguous copy_ inside
  if (name.rfind("aten::", 0) == 0 && elementwise_ops().count(stem(name))) return OpKind::Elementwise;
  return OpKind::Other;
}

OpAudit::OpAudit() : state_(std::make_unique<State>()) {
  if (t_active) throw Error("op audit: another audit is already recording on this thread");
  state_->handle = at::addThreadLocalCallback(
      at::RecordFunctionCallback(&on_start, &on_end).needsInputs(true).scopes({at::RecordScope::FUNCTION}));
  t_active = state_.get();
}

OpAudit::~OpAudit() {
  at::removeCallback(state_->handle);
  t_active = nullptr;
}

std::vector<OpAuditEntry> OpAudit::entries(OpKind kind) const {
  std::vector<OpAuditEntry> out;
  if (kind == OpKind::Other) return out;
  for (const auto& [n, e] : state_->ops[kind == OpKind::Elementwise ? 0 : 1]) {
    out.push_back(e);
    auto it = state_->patterns.find(n);
    if (it == state_->patterns.end()) continue;
    out.back().patterns.assign(it->second.begin(), it->second.end());
    std::stable_sort(out.back().patterns.begin(), out.back().patterns.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.calls > b.calls; });
  return out;
}

OpAuditEntry OpAudit::total(OpKind kind) const {
  OpAuditEntry t;
  t.name = kind == OpKind::Elementwise ? "elementwise" : "copy";
  for (const auto& e : entries(kind)) {
    t.calls += e.calls, t.broadcast += e.broadcast, t.strided += e.strided, t.transposed += e.transposed;
    t.bytes += e.bytes;
  }
  return t;
}

std::string OpAudit::format(int patterns) const {
  std::ostringstream o;
  char line[256];
  for (OpKind kind : {OpKind::Elementwise, OpKind::Copy}) {
    const auto t = total(kind);
    std::snprintf(line, sizeof line, "%-22s %8s %10s %8s %11s %10s\n", t.name.c_str(), "calls", "broadcast",
                  "strided", "transposed", "MiB");
    o << line;
    auto row = [&](const OpAuditEntry& e, const char* name) {
      std::snprintf(line, sizeof line, "  %-20s %8lld %10lld %8lld %11lld %10.1f\n", name,
                    static_cast<long long>(e.calls), static_cast<long long>(e.broadcast),
                    static_cast<long long>(e.strided), static_cast<long long>(e.transposed), e.bytes / 1048576.0);
      o << line;
    };
    for (const auto& e : entries(kind)) row(e, e.name.c_str());
    row(t, "total");
  }
  std::vector<std::tuple<int64_t, std::string, std::string>> all;  // calls, op, operands
  for (OpKind kind : {OpKind::Elementwise, OpKind::Copy})
    for (const auto& e : entries(kind))
      for (const auto& [p, n] : e.patterns) all.emplace_back(n, e.name, p);
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
  if (!all.empty()) o << "not vectorisable, by operands (sizes s[strides]):\n";
  for (size_t i = 0; i < all.size() && static_cast<int>(i) < patterns; ++i)
    o << "  " << std::get<0>(all[i]) << " x " << std::get<1>(all[i]) << ": " << std::get<2>(all[i]) << "\n";
  return o.str();
}

}  // namespace ci2v::nn
