#pragma once

// Causal softmax attention over a KV cache, computed in tiles so that long contexts run at the speed of
// arithmetic rather than of memory (the tiling of FlashAttention, on a CPU).

#include "folio/engine/thread_pool.h"

#include <cstdint>

namespace folio::engine {

struct AttentionLayout {
    std::int64_t heads, kvHeads, headDim;
    // Query of token t, head h: q + t * qTokenStride + h * qHeadStride. Output of token t, head h:
    // out + (t * heads + h) * headDim.
    std::int64_t qTokenStride, qHeadStride;
};

// The keys and values of one attention layer, by position, in two segments: positions before `sharedEnd` in a
// prefix that other sessions read too (a SessionSnapshot's, never written here), the rest in the session's own
// rows. A session that shares nothing has sharedEnd 0. Rows are `stride` floats (KV heads x headDim).
struct KvCache {
    const float* sharedKeys = nullptr;
    const float* sharedValues = nullptr;
    std::int64_t sharedEnd = 0;
    float* keys = nullptr;  // position p >= sharedEnd at (p - sharedEnd) * stride
    float* values = nullptr;
    std::int64_t stride = 0;

    const float* key(std::int64_t p) const { return p < sharedEnd ? sharedKeys + p * stride : keys + (p - sharedEnd) * stride; }
    const float* value(std::int64_t p) const
    {
        return p < sharedEnd ? sharedValues + p * stride : values + (p - sharedEnd) * stride;
    }
};

// softmax(q k^T / sqrt(headDim)) v for T queries at positions pos0 .. pos0 + T - 1, each over keys 0 .. its own
// position (heads share KV heads in groups of heads / kvHeads). Results depend only on positions, not on how
// tokens are split into calls or threads, nor on where the cache's segments meet.
void causalAttention(ThreadPool& pool, const AttentionLayout& layout, const float* q, const KvCache& kv,
                     std::int64_t pos0, std::int64_t T, float* out);

}  // namespace folio::engine
