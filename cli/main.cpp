// consisti2v: the ConsistI2V engine on the command line (no Qt).
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "cli/args.h"
#include "engine/env_check.h"
#include "engine/error.h"
#if defined(CONSISTI2V_HAVE_MEDIA)
#include "engine/media/export.h"
#endif

namespace {

// A wrong command line: said with a pointer to the help, exit status 2.
int usage_error(const std::string& cmd, const std::string& m) {
  std::cerr << "consisti2v " << cmd << ": error: " << m
            << (m.find("consisti2v --help") == std::string::npos ? " (see consisti2v --help)" : "") << "\n";
  return 2;
}

void usage(std::ostream& o) {
  o << "consisti2v " CONSISTI2V_VERSION " - ConsistI2V image-to-video engine\n\n"
       "usage: consisti2v <command> [options]\n\n"
       "commands:\n"
       "  info    --model DIR [--variant fp16] describe a model folder and check it loads\n"
       "  generate --model DIR --image FILE --prompt TEXT --out OUT.mp4|OUT.gif|OUT.webp|DIR/\n"
       "          [--negative TEXT] [--camera pan_left|pan_right|zoom_in|zoom_out|tilt_up|tilt_down|PATH.json]\n"
       "          [--steps N] [--sampler ddim|dpmpp_2m] [--seed N] [--tau 1..999] [--ds D0] [--dt D0]\n"
       "          [--filter gaussian|ideal|box|butterworth] [--no-frameinit] [--cfg-text S] [--cfg-image S]\n"
       "          [--rescale G] [--frames N] [--stride N] [--width W] [--height H] [--chunks N]\n"
       "          [--device auto|cpu|cuda] [--dtype fp32|fp16|bf16] [--params FILE.json] [--fps F] [--eta E]\n"
       "          [--threads N] [--quiet]\n"
       "                                      animate a first frame. --frames counts one chunk's frames; --chunks K\n"
       "                                      chains K chunks into K*(frames-1)+1 frames, and a camera move spans\n"
       "                                      them all (it needs FrameInit). --prompt may be empty; --seed < 0 or\n"
       "                                      none: random (said on stderr); --fps 8 by default. OUT's extension\n"
       "                                      (.mp4/.m4v, .gif, .webp; none or a trailing / for PNGs) sets the format\n"
       "  preview --model DIR --image FILE --out DIR/ [--camera PRESET|PATH.json] [--tau N] [--ds D0] [--dt D0]\n"
       "          [--filter NAME] [--seed N] [--frames N] [--width W] [--height H] [--scale 4] [--threads N] [--quiet]\n"
       "          [--device auto|cpu|cuda] [--dtype fp32|fp16|bf16] [--params FILE.json]\n"
       "                                      FrameInit's low band, high band, mixed noise and mask as PNGs\n"
       "  parity  --fixtures DIR [--device cpu|cuda] [--dtype fp32|fp16|bf16] [--case NAME]... [--atol A] [--rtol R]\n"
       "          [--verbose] [--threads N]   (CONSISTI2V_PARITY_DIR for --fixtures)\n"
       "                                      run golden parity cases against the engine\n"
       "  export  IN --out FILE [--fps N] [--crf N] [--loop N] [--pingpong] [--no-dither]\n"
       "          [--format auto|mp4|gif|webp|png] [--quality Q] [--lossless] [--params FILE.json]\n"
       "          [--preset medium (x264)] [--max-frames N (the first N of the input)] [--verbose]\n"
       "                                      re-encode a PNG folder or a video (MP4/GIF/WebP/PNGs)\n"
       "  download [--repo TIGER-Lab/ConsistI2V] [--revision main] [--cache DIR | --to DIR] [--offline]\n"
       "          [--endpoint URL] [--variant fp16] [--quiet]\n"
       "                                      fetch the model from the Hugging Face hub (HF_ENDPOINT, HF_TOKEN,\n"
       "                                      HF_HUB_CACHE / HF_HOME honoured); prints the model folder\n"
       "  train   --out DIR --tokenizer DIR (not with --resume / --vae-from) [--preset tiny|demo] [--steps N] [--batch N]\n"
       "          [--frames N] [--size S]\n"
       "          [--lr LR] [--seed N] [--device cpu|cuda] [--dtype fp32|bf16] [--save-dtype fp32|fp16] [--log FILE.csv]\n"
       "          [--vae-lr LR]\n"
       "          [--resume (go on with the stopped run in --out, its settings and schedule; with --steps N: N more\n"
       "          steps as a new plan, options may change)] [--vae-steps N] [--vae-batch N] [--vae-max-minutes M] [--max-minutes M]\n"
       "          [--save-every N] [--threads N] [--data-threads N] [--camera-share 0.4] [--varied-backgrounds 1|0]\n"
       "          [--frameinit-share 0] [--vae-from MODEL_DIR (its VAE and text encoder, frozen; the UNet from scratch)]\n"
       "          [--cuda-graphs (CUDA, fp32: the UNet's training step replayed from a CUDA graph)] [--grad-clip 0.5 (0: off)]\n"
       "          [--ema DECAY (e.g. 0.999: the model is the weights' moving average; raw weights in unet-raw/)]\n"
       "          [--prefetch-batch auto|on|off (the next step's batch built while a step trains; auto: on CUDA)]\n"
       "          [--null-text 0.1] [--null-image 0.1] [--overwrite (start a new run in a folder holding a model)]\n"
       "          (Ctrl+C: stop after the current step, checkpoint written;\n"
       "          --resume --out DIR goes on)\n"
       "          | --dump-clips N --out DIR\n"
       "                                      train a small model on procedural clips (from scratch, or its UNet\n"
       "                                      on a given VAE, or further from a checkpoint)\n"
       "  bench [--device auto|cpu|cuda] [--dtype fp32,fp16,bf16] [--size 256,512] [--frames 16] [--steps 50]\n"
       "        [--cfg 7.5] [--repeats 1] [--tf32] [--cuda-graphs] [--model DIR] [--profile] [--audit]\n"
       "        [--profile-top N] [--profile-trace FILE.json] [--threads N]\n"
       "                                      time the whole pipeline stage by stage (released configuration with\n"
       "                                      random weights unless --model), UNet FLOPs per step, peak memory;\n"
       "                                      --repeats N: N measured runs after a warm-up (0: one cold run)\n"
       "  --version                           print the version\n"
       "  <command> --help                    this text\n"
       "\n"
       "Exit status: 0 done; 1 it failed while running (a missing or damaged file, a full disk, out of memory,\n"
       "a parity case that does not match); 2 the command line is wrong (an unknown command or option, a missing\n"
       "or out-of-range value); 130 or 143 stopped by Ctrl-C or SIGTERM.\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(std::cerr);
    return 2;
  }
  const std::string cmd = argv[1];
  for (const auto& w : ci2v::environment_warnings()) std::cerr << "consisti2v: warning: " << w << "\n";
  try {
    if (!std::getenv("OMP_NUM_THREADS")) ci2v::cli::torch_set_threads(0);
    if (cmd == "--version" || cmd == "version") {
      std::cout << "consisti2v " CONSISTI2V_VERSION "\n";
      return 0;
    }
    if (cmd == "-h" || cmd == "--help" || cmd == "help") {
      usage(std::cout);
      return 0;
    }
    // `consisti2v generate --help` (any command): the usage, not "option --help needs a value"
    for (int i = 2; i < argc; ++i)
      if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
        usage(std::cout);
        return 0;
      }
    if (cmd == "info") return ci2v::cli::cmd_info(argc, argv);
    if (cmd == "generate") return ci2v::cli::cmd_generate(argc, argv);
    if (cmd == "preview") return ci2v::cli::cmd_preview(argc, argv);
    if (cmd == "parity") return ci2v::cli::cmd_parity(argc, argv);
    if (cmd == "export") return ci2v::cli::cmd_export(argc, argv);
    if (cmd == "download") return ci2v::cli::cmd_download(argc, argv);
    if (cmd == "bench") return ci2v::cli::cmd_bench(argc, argv);
    if (cmd == "train") return ci2v::cli::cmd_train(argc, argv);
    std::cerr << "consisti2v: unknown command '" << cmd << "'\n\n";
    usage(std::cerr);
    return 2;
  } catch (const ci2v::cli::UsageError& e) {
    return usage_error(cmd, e.what());
#if defined(CONSISTI2V_HAVE_MEDIA)
  } catch (const ci2v::media::BadExportOptions& e) {  // the output asked for cannot be (a name, an option)
    return usage_error(cmd, e.what());
#endif
  } catch (const std::exception& e) {
    std::cerr << "consisti2v " << cmd << ": error: " << ci2v::error_text(e) << "\n";
    return 1;
  }
}
