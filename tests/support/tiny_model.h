#pragma once

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

struct TinyModelSpec {
    TinyVariant variant = TinyVariant::Qwen35;
    engine::TensorType matrixType = engine::TensorType::F32;  // of the big matrices; norms stay F32
    unsigned seed = 1;
    int layers = 4;
};

// Dimensions: embedding 256, vocab 96, DeltaNet 2 key heads of 32, 4 value heads of 64, attention 4 heads
// (2 KV) of 64 with 32 rotary dims, FFN 256, 4 experts of 256 (2 used), shared expert 256. Every matrix row is
// a multiple of 256 values, so all quantised types apply.
void writeTinyModel(const std::string& path, const TinyModelSpec& spec);

}  // namespace folio::test
