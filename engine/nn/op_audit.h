// A layout audit of the ATen ops a stretch of work runs on this thread (issue #9): which elementwise ops the
// CUDA TensorIterator cannot run in its vectorised form, and which ops only move memory (copies, concatenations).
// It watches the ops through LibTorch's RecordFunction callbacks, so it works on the CPU as well: the UNet's
// layouts are the same on both devices, and a mismatch found here is a strided CUDA kernel there.
//
// The rule (that of at::native::gpu_kernel's vectorised path): an elementwise op is vectorisable when every
// tensor operand has the same sizes and the same strides and is dense. Broadcast operands (a bias [C, 1, 1] added
// to [N, C, H, W]) and operands in different layouts (NCHW + NHWC, or a strided view) are not.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ci2v::nn {

struct OpAuditEntry {
  std::string name;        // "aten::add"
  int64_t calls = 0;
  int64_t broadcast = 0;   // calls with an operand broadcast to the others (other sizes, or an expanded view)
  int64_t strided = 0;     // the other non-vectorisable calls: same-size operands in two layouts or not dense
  int64_t transposed = 0;  // calls with dense same-size operands in two layouts (NCHW and NHWC), broadcast or
                           // not: a transpose on the way
  int64_t bytes = 0;       // the operands' bytes, summed (a rough measure of the memory traffic)
  // the non-vectorisable calls by their operands ("[2, 8, 4, 4] s[128, 1, 32, 8] , [8, 1, 1] s[1, 1, 1]"),
  // with how often each was seen, most frequent first
  std::vector<std::pair<std::string, int64_t>> patterns;
};

enum class OpKind { Elementwise, Copy, Other };
// What an ATen op is for the audit: "aten::add" -> Elementwise, "aten::copy_" / "aten::cat" -> Copy.
OpKind op_kind(const std::string& name);

// Records the ops run on the constructing thread while it lives: the outermost elementwise or copy op of a nest
// (`x * 2` is one multiplication, not also the one it calls with the wrapped number), including those inside
// other ops (the addition inside a CPU linear). Ops on other threads are not seen. One audit per thread at a
// time (throws ci2v::Error when another is active on this thread); create and destroy it on the same thread.
class OpAudit {
public:
  OpAudit();
  ~OpAudit();
  OpAudit(const OpAudit&) = delete;
  OpAudit& operator=(const OpAudit&) = delete;

  // Elementwise and copy ops, most calls first.
  std::vector<OpAuditEntry> entries(OpKind kind) const;
  // Sums over the kind's entries.
  OpAuditEntry total(OpKind kind) const;
  // The entries of both kinds as a text table.
  std::string format(int patterns = 12) const;

  struct State;

private:
  std::unique_ptr<State> state_;
};

}  // namespace ci2v::nn
