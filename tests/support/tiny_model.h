#pragma once

#include "folio/engine/gguf.h"
#include "folio/engine/tensor_type.h"

#include <string>

namespace folio::test {

// The variants real GGUF files of the family carry, each in a tiny model with random weights.
enum class TinyVariant {
    Qwen3Next,        // qwen3next: attn_qkv + attn_gate, ssm_ba, MoE with separate gate/up experts + shared expert
    Qwen3NextLegacy,  // qwen3next: interleaved ssm_in, fused ffn_gate_up_exps, tied output embedding
    Qwen35,           // qwen35: dense SwiGLU, ssm_beta/ssm_alpha, tiled value heads
    Qwen35Moe,        // qwen35moe: MoE, attention.recurrent_layers array, tiled value heads
};

// The chat template the file carries (tokenizer.chat_template): short templates of Folio's own, each with the
// markers of one kind of the Qwen family's templates.
enum class TinyChat {
    None,          // no template (a base model)
    ChatML,        // turns only, no thinking block (Qwen3-Next Instruct)
    ThinkSwitch,   // enable_thinking switches an empty block in; the model opens its own (Qwen3)
    ThinkOpened,   // the generation prompt opens <think> unless switched off (Qwen3.5)
    AlwaysThinks,  // the generation prompt always opens <think> (Qwen3 Thinking)
    Unrecognised,  // another family's markers
};
std::string tinyChatTemplate(TinyChat chat);

struct TinyModelSpec {
    TinyVariant variant = TinyVariant::Qwen35;
    engine::TensorType matrixType = engine::TensorType::F32;  // of the big matrices; norms stay F32
    unsigned seed = 1;
    int layers = 4;
    // The big matrices typed as llama.cpp's Q4_K_M files type them: attn_v, ffn_down(_exps) and output Q6_K; the
    // MoE router F32; the rest matrixType, but the DeltaNet beta/alpha projections F32. attn_qkv is Q5_K, as
    // Q4_K_M files made before llama.cpp typed it like attn_v (now Q6_K in some layers) have it.
    bool q4KMediumMix = false;
    // A multi-token-prediction block after the layers, as llama.cpp's converter writes Qwen3.5 and Qwen3-Next
    // files by default: counted in block_count, named by nextn_predict_layers, an attention block with the
    // nextn tensors. The layers' weights are those of the same spec without it.
    bool predictionBlock = false;
    TinyChat chat = TinyChat::ChatML;
    bool fimTokens = false;  // see addTinyTokenizer
    int contextLength = 4096;  // the trained context the file states
};

// A byte-level BPE vocabulary in GGUF form: the 256 byte tokens, a few dozen English merges, and the special
// tokens <|endoftext|> (eos), <|im_start|>, <|im_end|> (control) and <tool> (user-defined). 300 tokens. With
// `fimTokens`, six merges fewer and the fill-in-the-middle tokens of the Qwen coder vocabularies instead.
void addTinyTokenizer(engine::GgufWriter& writer, const std::string& pre = "qwen2", bool fimTokens = false);
constexpr int kTinyVocab = 300;

// Dimensions: embedding 256, vocab 300, DeltaNet 2 key heads of 32, 4 value heads of 64, attention 4 heads
// (2 KV) of 64 with 32 rotary dims, FFN 256, 4 experts of 256 (2 used), shared expert 256. Every matrix row is
// a multiple of 256 values, so all quantised types apply.
void writeTinyModel(const std::string& path, const TinyModelSpec& spec);

}  // namespace folio::test
