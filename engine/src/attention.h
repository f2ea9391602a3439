#pragma once

// Causal softmax attention over a KV cache, computed in tiles so that long contexts run at the speed of
// arithmetic rather than of memory (the tiling of FlashAttention, on a CPU).

#include "folio/engine/thread_pool.h"

#include <cstdint>

namespace folio::engine {

struct AttentionLayout {
    std::int64_t heads, kvHeads, headDim;
    // Query of token t, head h: q + t * qTokenStride + h * qHeadStride. Key and value of position p, KV head g:
    // keys + p * kvStride + g * headDim (values alike). Output of token t, head h: out + (t * heads + h) * headDim.
    std::int64_t qTokenStride, qHeadStride, kvStride;
};

// softmax(q k^T / sqrt(headDim)) v for T queries at positions pos0 .. pos0 + T - 1, each over keys 0 .. its own
// position (heads share KV heads in groups of heads / kvHeads). Results depend only on positions, not on how
// tokens are split into calls or threads.
void causalAttention(ThreadPool& pool, const AttentionLayout& layout, const float* q, const float* keys,
                     const float* values, std::int64_t pos0, std::int64_t T, float* out);

}  // namespace folio::engine
