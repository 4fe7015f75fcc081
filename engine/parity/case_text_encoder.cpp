#include "engine/error.h"
#include "engine/parity/parity.h"
#include "engine/text/clip_text_model.h"

namespace ci2v::parity {

// CLIPTextModel as the pipeline's _encode_prompt uses it: input_ids [B, L] -> last_hidden_state [B, L, D].
void run_text_encoder_case(CaseContext& ctx) {
  torch::NoGradGuard no_grad;
  // (params.prompts: the texts the ids were made from, for the reader)
  if (ctx.params().is_object()) ctx.require_known_keys(ctx.params(), {"prompts"}, "params");
  auto model = text::load_clip_text_model(ctx.component_path("text_encoder"), ctx.device(), ctx.dtype());
  auto ids = ctx.input("input_ids");  // [B, L] int64
  auto hidden = model->forward(ids);  // [B, L, D]
  ctx.check("output.last_hidden_state", hidden);
  if (ctx.has("output.pooler_output")) {
    // CLIPTextModel's pooled output (transformers 4.25): the final hidden state at each prompt's end token, the
    // position of its largest id
    auto eos = ids.to(torch::kInt64).argmax(-1).to(hidden.device());
    ctx.check("output.pooler_output", hidden.index({torch::arange(hidden.size(0), eos.options()), eos}));
  }
}

}  // namespace ci2v::parity
