#include "engine/unet/attention.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "engine/unet/unet_config.h"

namespace ci2v::unet {

namespace {

std::atomic<int64_t> g_score_budget{int64_t(1) << 26};  // elements of one score matrix piece (256 MB in fp32)

// [X, L, H*d] -> [X, H, L, d]
Tensor split_heads(const Tensor& x, int64_t heads) {
  return x.view({x.size(0), x.size(1), heads, x.size(2) / heads}).transpose(1, 2);
}
// [X, H, L, d] -> [X, L, H*d]
Tensor merge_heads(const Tensor& x) {
  return x.transpose(1, 2).reshape({x.size(0), x.size(2), x.size(1) * x.size(3)});
}

}  // namespace

void set_attention_score_budget(int64_t elements) { g_score_budget = std::max<int64_t>(1, elements); }

Tensor attend(const Tensor& q, const Tensor& k, const Tensor& v) {
  const int64_t kScoreBudget = g_score_budget;
  const int64_t X = q.size(0), H = q.size(1), Lq = q.size(2), Lk = k.size(2);
  const int64_t per_x = H * Lq * Lk;
  if (!q.device().is_cpu() || X * per_x <= kScoreBudget) return nn::attention(q, k, v);
  auto out = at::empty({X, H, Lq, v.size(3)}, q.options());
  if (per_x <= kScoreBudget) {
    const int64_t step = std::max<int64_t>(1, kScoreBudget / per_x);
    for (int64_t s = 0; s < X; s += step) {
      const int64_t n = std::min(step, X - s);
      out.narrow(0, s, n).copy_(nn::attention(q.narrow(0, s, n), k.narrow(0, s, n), v.narrow(0, s, n)));
    }
  } else {
    const int64_t step = std::max<int64_t>(1, kScoreBudget / (H * Lk));
    for (int64_t x = 0; x < X; ++x)
      for (int64_t s = 0; s < Lq; s += step) {
        const int64_t n = std::min(step, Lq - s);
        out.narrow(0, x, 1).narrow(2, s, n).copy_(
            nn::attention(q.narrow(0, x, 1).narrow(2, s, n), k.narrow(0, x, 1), v.narrow(0, x, 1)));
      }
  }
  return out;
}

namespace {
Tensor build_window_index(int64_t height, int64_t width, torch::Device device) {
  auto idx = at::empty({height * width * 8}, torch::TensorOptions().dtype(torch::kInt64));
  auto* p = idx.data_ptr<int64_t>();
  for (int64_t y = 0; y < height; ++y)
    for (int64_t x = 0; x < width; ++x)
      for (int64_t dy = -1; dy <= 1; ++dy)
        for (int64_t dx = -1; dx <= 1; ++dx) {
          if (dy == 0 && dx == 0) continue;
          const int64_t sy = std::clamp<int64_t>(y + dy, 0, height - 1);
          const int64_t sx = std::clamp<int64_t>(x + dx, 0, width - 1);
          *p++ = sy * width + sx;
        }
  return idx.to(device);
}
}  // namespace

// Cached per size and device: built on the host once, so that a denoising step issues no host-to-device copy
// (which would also break CUDA graph capture).
Tensor first_frame_window_index(int64_t height, int64_t width, torch::Device device) {
  static std::mutex mu;
  static std::map<std::tuple<int64_t, int64_t, std::string>, Tensor> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& t = cache[{height, width, device.str()}];
  if (!t.defined()) t = build_window_index(height, width, device);
  return t;
}

ConditionalAttentionImpl::ConditionalAttentionImpl(int64_t query_dim, int64_t context_dim, int64_t h, int64_t d,
                                                   bool temporal, const torch::TensorOptions& o)
    : heads(h), head_dim(d), inner(h * d) {
  to_q = register_module("to_q", nn::Linear(query_dim, inner, false, o));
  to_k = register_module("to_k", nn::Linear(context_dim, inner, false, o));
  to_v = register_module("to_v", nn::Linear(context_dim, inner, false, o));
  to_out = register_module("to_out", torch::nn::ModuleList());
  out_proj = nn::Linear(inner, query_dim, true, o);
  to_out->push_back(out_proj);  // "to_out.0" (to_out.1 is a parameterless dropout)
  if (temporal) {
    rotary_bias = register_module("rotary_bias", RelativePositionBias(h, UNetConfig::kRelativeBiasBuckets, o));
    rotary_emb = register_module("rotary_emb", RotaryEmbedding(inner / 2, o));
  }
}

Tensor ConditionalAttentionImpl::spatial_first_frame(const Tensor& u, int64_t T) const {
  const int64_t BT = u.size(0), N = u.size(1), B = BT / T;
  auto q = split_heads(to_q->forward(u), heads);  // [BT, H, N, d]
  // Keys/values of frame 0's tokens are the projections of its own normed tokens: project once, reuse.
  auto with_first = [&](const Tensor& p) {        // [BT, N, inner] -> [BT, 2N, inner]
    auto v5 = p.view({B, T, N, inner});
    return at::cat({v5, v5.narrow(1, 0, 1).expand({B, T, N, inner})}, 2).view({BT, 2 * N, inner});
  };
  auto k = split_heads(with_first(to_k->forward(u)), heads);  // [BT, H, 2N, d]
  auto v = split_heads(with_first(to_v->forward(u)), heads);
  return out_proj->forward(merge_heads(attend(q, k, v)));     // [BT, N, C]
}

Tensor ConditionalAttentionImpl::spatial_cross(const Tensor& z, const Tensor& text, int64_t T) const {
  const int64_t BT = z.size(0), N = z.size(1), B = BT / T;
  // All T*N query tokens of a video share the video's text keys: one attention batch per video.
  auto q = split_heads(to_q->forward(z).view({B, T * N, inner}), heads);  // [B, H, T*N, d]
  auto k = split_heads(to_k->forward(text), heads);                       // [B, H, L, d]
  auto v = split_heads(to_v->forward(text), heads);
  auto o = merge_heads(attend(q, k, v));                                  // [B, T*N, inner]
  return out_proj->forward(o).view({BT, N, -1});                          // [BT, N, C]
}

Tensor ConditionalAttentionImpl::temporal_self(const Tensor& u, int64_t T, int64_t height, int64_t width,
                                               bool window) const {
  const int64_t BT = u.size(0), N = u.size(1), B = BT / T;
  auto to_seq = [&](const Tensor& p) { return p.view({B, T, N, inner}).permute({0, 2, 1, 3}); };  // [B, N, T, inner]
  auto qp = to_q->forward(u), kp = to_k->forward(u), vp = to_v->forward(u);  // [BT, N, inner]
  auto [cos, sin] = rotary_emb->tables(T, inner, u);  // [T, inner]
  auto q = apply_rotary(to_seq(qp), cos, sin);        // [B, N, T, inner]
  auto k = apply_rotary(to_seq(kp), cos, sin);
  auto v = to_seq(vp);
  int64_t Lk = T;
  if (window) {
    // Window tokens come from frame 0's normed hidden state; their keys sit at position 0, where the rotation
    // is the identity, so the unrotated projections of frame 0 are used directly.
    auto idx = first_frame_window_index(height, width, u.device());
    auto gather = [&](const Tensor& p) {  // [BT, N, inner] -> [B, N, 8, inner]
      return p.view({B, T, N, inner}).select(1, 0).index_select(1, idx).view({B, N, 8, inner});
    };
    k = at::cat({k, gather(kp)}, 2);  // [B, N, T+8, inner]
    v = at::cat({v, gather(vp)}, 2);
    Lk = T + 8;
  }
  auto qh = split_heads(q.reshape({B * N, T, inner}), heads);    // [B*N, H, T, d]
  auto kh = split_heads(k.reshape({B * N, Lk, inner}), heads);   // [B*N, H, Lk, d]
  auto vh = split_heads(v.reshape({B * N, Lk, inner}), heads);
  auto o = out_proj->forward(merge_heads(attend(qh, kh, vh)));   // [B*N, T, C]
  return o.view({B, N, T, -1}).permute({0, 2, 1, 3}).reshape({BT, N, -1});  // [BT, N, C]
}

Tensor ConditionalAttentionImpl::temporal_cross(const Tensor& z, const Tensor& text, int64_t T) const {
  const int64_t BT = z.size(0), N = z.size(1), B = BT / T, L = text.size(1);
  auto [cos, sin] = rotary_emb->tables(T, inner, z);
  auto q = apply_rotary(to_q->forward(z).view({B, T, N, inner}).permute({0, 2, 1, 3}), cos, sin);  // [B, N, T, inner]
  auto k = to_k->forward(text);  // [B, L, inner]
  auto v = to_v->forward(text);
  if (L == T) {  // the reference rotates keys whenever the query and key lengths agree
    auto [kc, ks] = rotary_emb->tables(L, inner, k);
    k = apply_rotary(k, kc, ks);
  }
  // Every pixel's frame sequence of a video attends to the same text: one batch per video.
  auto qh = split_heads(q.reshape({B, N * T, inner}), heads);  // [B, H, N*T, d]
  auto o = out_proj->forward(merge_heads(attend(qh, split_heads(k, heads), split_heads(v, heads))));  // [B, N*T, C]
  return o.view({B, N, T, -1}).permute({0, 2, 1, 3}).reshape({BT, N, -1});  // [BT, N, C]
}

}  // namespace ci2v::unet
