// `consisti2v train`: trains a small ConsistI2V model from scratch on procedural clips (issue #11), with the
// reference's recipe (configs/training/training.yaml, model-reference.md §3):
//  * ε-prediction on the reference's linear noise schedule (0.00085 → 0.012, 1000 steps);
//  * PYoCo mixed noise (α = 1) over all frames; the first frame's clean latent is the condition (through the
//    UNet's first_frame_latents path) and the loss is taken on the following frames only;
//  * the caption is replaced by the empty prompt with probability 0.1 (cfg_random_null_text_ratio) and the
//    first-frame condition by its noisy latent at the same t with probability 0.1 (cfg_random_null_img_ratio);
//  * frame stride sampled uniformly in 1..5 as the conditioning (sample_stride [1, 5]);
//  * AdamW (weight decay 1e-2), gradient clipping (max_grad_norm 0.5).
// One batched forward/backward per step, each video with its own timestep, frame stride and dropouts.
// Learning rates: linear warm-up, then cosine decay to 5 % of the peak (VAE and UNet phases alike).
//
// The other components (documented choice):
//  * VAE: a randomly initialised VAE decodes nothing useful, so it is first trained briefly as an autoencoder on
//    procedural frames (L1 + MSE reconstruction + a small KL term), then frozen; its scaling_factor is set to
//    1 / std of the latents it produces (as SD's 0.18215 was chosen), so the UNet sees unit-variance latents.
//  * Text encoder: a tiny CLIP text model with fixed random weights (the UNet's cross-attention learns to read
//    its embeddings; the captions come from a small closed vocabulary, so distinct prompts give distinct
//    embeddings); the CLIP tokenizer files are copied from a given tokenizer folder.
// The checkpoint is the released folder layout (model_index.json, unet/, vae/, text_encoder/, tokenizer/,
// scheduler/) that ci2v::Pipeline::load reads.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ci2v::train {

// TrainOptions::prefetch_batch, in the order of consisti2v train --prefetch-batch auto|on|off.
enum class BatchPrefetch { Auto, On, Off };

struct TrainOptions {
  std::string out_dir;             // checkpoint folder (created)
  std::string tokenizer_dir;       // a CLIP tokenizer folder (vocab.json, merges.txt, ...) copied into out_dir
  std::string preset = "tiny";     // tiny (the parity fixture's sizes) | demo (fp16 weights <= 20 MB)
  int steps = 200;                 // UNet optimiser steps (at most, with max_seconds)
  double max_seconds = 0;          // > 0: the UNet stage stops after this much wall time; after the warm-up
                                   // (200 steps at most) the learning-rate decay follows the larger of the step
                                   // and the time fraction, so a budgeted run still ends at the low rate
  int batch = 2;
  int frames = 8;                  // frames per clip, the first frame included
  int size = 64;                   // pixels (square), a multiple of 8, >= 64
  double lr = 1e-4;
  uint64_t seed = 42;
  std::string device = "cpu";      // cpu | cuda
  std::string dtype = "fp32";      // fp32 | bf16 (autocast of the UNet's forward; weights and AdamW stay fp32)
  std::string save_dtype = "fp32"; // fp32 | fp16 weights in the written checkpoint
  std::string log_csv;             // step,loss,seconds per UNet step (empty: none)
  // Start from the checkpoint in out_dir (VAE kept, no VAE training). With steps = kRemainingSteps the run goes on
  // with the plan of the run that wrote it, as if it had never stopped: its remaining steps, its learning-rate
  // schedule (and time budget), its AdamW moments and fp32 weights (optimizer/ in the folder), its draws (each
  // step's are seeded by the step); the recipe options must then be the recorded ones (recorded_options). With
  // steps >= 1 it trains that many more steps as a new plan: a fresh AdamW and schedule, warm-up included (a
  // fine-tune, where the options may differ).
  bool resume = false;
  // Take the VAE and the text encoder (and, unless tokenizer_dir is set, the tokenizer) from this model folder,
  // frozen, with no VAE stage; the UNet starts from scratch (e.g. a GPU run that trains only the UNet, with the
  // VAE an earlier run of this tool trained). Empty: train the VAE. Not with resume.
  std::string vae_from;
  int vae_steps = -1;              // VAE autoencoder steps; < 0: the preset's default
  int vae_batch = -1;              // images per VAE step; < 0: max(8, 2 x batch)
  double vae_max_seconds = 0;      // > 0: the VAE stage stops after this much wall time (its decay follows
                                   // the larger of the step and time fractions, as the UNet's does)
  double vae_lr = 1e-3;
  int save_every = 0;              // also write the checkpoint every N steps (0: only at the end)
  double camera_share = 0.4;       // fraction of training clips with a camera move (0.25..1)
  bool varied_backgrounds = true;  // background patterns at any scale and phase (random_clip_spec)
  // Fraction of clips trained on FrameInit's input instead of q(x_t | x_0) (0: the paper's recipe). Such a clip
  // gets t in 900..999 (the first DDIM steps), and its input is FrameInit's mix of the clip itself: the low band
  // (Gaussian, D0 drawn in 0.25..1 for both axes) of the clip diffused to τ (drawn in 250..800) plus the high band
  // of the noise; the target is the ε that maps that input back to the clip at t. At inference FrameInit hands the
  // model exactly such an input with the camera path's layout, so this teaches the model to follow the layout.
  double frameinit_share = 0.0;
  double null_text_ratio = 0.1;
  double null_image_ratio = 0.1;
  double max_grad_norm = 0.5;      // the global gradient norm's bound (--grad-clip; 0: no clipping)
  double weight_decay = 1e-2;
  // > 0 (< 1): keep an exponential moving average of the UNet's weights (FlatAdamW's ema_decay, with its warm-up)
  // and write it as the model (unet/); the raw weights go to unet-raw/ beside it (fp32), which --resume continues
  // from, the average going on from unet/ with its warm-up where it was.
  // Not in the paper's recipe (0: off, the default); a CPU A/B showed no gain over the raw weights
  // (docs/demo-model.md, session 12).
  double ema_decay = 0;
  // CUDA, fp32: capture the UNet's training step (forward, backward, FlatAdamW) in a CUDA graph after a few eager
  // steps and replay it (GraphedTrainStep); elsewhere the steps run eagerly.
  bool cuda_graphs = false;
  int threads = 0;                 // torch intra-op threads (0: leave as is)
  bool prefetch = true;            // render the next step's clips on a background thread while a step trains (the
                                   // clips and losses are the same either way)
  // With prefetch, the background thread also builds the next step's whole batch on the device (the VAE's
  // latents, the noise, the text embeddings), so that its launches overlap the step's on the host. Auto: on CUDA
  // devices only (on the CPU the encoder would compete with the step for the cores). The batches and losses are
  // the same either way.
  BatchPrefetch prefetch_batch = BatchPrefetch::Auto;
  int data_threads = 0;            // threads rendering a step's clips (0: up to 8, from the hardware; the clips
                                   // are the same for any count)
  std::function<void(const std::string&)> log;  // progress lines (null: silent)
  // Asked before every VAE and UNet step (null: never): true ends the run there as a time budget would, and the
  // checkpoint of the steps taken is written (TrainReport::interrupted). Stopped in the VAE stage, the UNet takes
  // no step: the checkpoint holds the VAE trained so far, which --resume keeps.
  std::function<bool()> should_stop;
};

// TrainOptions::steps with resume: the steps the interrupted run had left (see resume).
inline constexpr int kRemainingSteps = -1;

// The options the run that wrote out_dir's checkpoint recorded in its train_state.json (preset, seed, batch,
// frames, size, learning rate, dtype, data and recipe options, time budget, checkpoint dtype and interval, log
// file), with out_dir, resume = true and steps = kRemainingSteps: what `consisti2v train --resume` starts from
// before applying the options given on its command line. std::nullopt when the folder has no train_state.json
// or one that records no settings (written before they were recorded); ci2v::Error naming the file and key when
// a recorded value is malformed.
std::optional<TrainOptions> recorded_options(const std::string& out_dir);

struct TrainReport {
  std::vector<double> vae_losses;  // per VAE step
  std::vector<double> losses;      // per UNet step (mean over the batch)
  std::vector<double> lrs;         // per UNet step: its learning rate
  double seconds = 0;              // whole run
  double unet_seconds = 0;         // UNet steps only
  double data_seconds = 0;         // of unet_seconds: the batches' preparation (draws, clips, VAE encoding, noise)
                                   // on the host, before each step is handed to the UNet
  double scaling_factor = 0;       // the VAE latent scale written to vae/config.json
  size_t unet_parameters = 0, vae_parameters = 0, text_parameters = 0;
  uint64_t checkpoint_bytes = 0;   // safetensors files of the checkpoint
  int64_t checkpoint_steps = 0;    // the UNet steps the written checkpoint records (a resumed run's earlier ones too)
  bool interrupted = false;        // TrainOptions::should_stop ended the run early (the checkpoint is written)
};

// Validates the options (ci2v::Error naming the option), trains, writes the checkpoint to out_dir.
TrainReport train(const TrainOptions& options);

// frameinit_training_input (TrainOptions::frameinit_share): engine/train/frameinit_input.h

// The component configs of a preset as diffusers / transformers write them (exposed for tests and `info`).
struct PresetConfigs {
  std::string unet, vae, text_encoder;  // JSON text
};
PresetConfigs preset_configs(const std::string& preset);

}  // namespace ci2v::train
