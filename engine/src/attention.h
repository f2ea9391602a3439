#pragma once

// Causal softmax attention over a KV cache, computed in tiles so that long contexts run at the speed of
// arithmetic rather than of memory (the tiling of FlashAttention, on a CPU).

#include "folio/engine/session.h"
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

class BlockSummaries;

// Selected attention (AttentionMode::Selected): each query token reads, per KV head, the sinks [0, sinks), the
// hot window [hotStart, its position] with hotStart = (position + 1 - hotWindow) rounded down to a block
// boundary, and the topBlocks blocks before hotStart that score best for the queries of the heads sharing that
// KV head (the maximum over them). A token with no more than topBlocks blocks before hotStart reads every key.
// The choice depends only on the token's queries and the summaries of whole blocks before it, so results still
// depend only on positions; every segment is whole 64-key tiles, read in ascending order.
struct BlockSelection {
    const BlockSummaries* summaries = nullptr;  // at least every block before the last query's hot window
    std::int64_t sinks = 0, hotWindow = 0, topBlocks = 0;
    bool measureMass = false;  // see Session::measureAttentionMass
};

// softmax(q k^T / sqrt(headDim)) v for T queries at positions pos0 .. pos0 + T - 1, each over keys 0 .. its own
// position (heads share KV heads in groups of heads / kvHeads). Results depend only on positions, not on how
// tokens are split into calls or threads, nor on where the cache's segments meet.
// With a selection, each query reads the keys it selects (see BlockSelection) and `stats`, when given, adds
// what was selected.
void causalAttention(ThreadPool& pool, const AttentionLayout& layout, const float* q, const KvCache& kv,
                     std::int64_t pos0, std::int64_t T, float* out, const BlockSelection* selection = nullptr,
                     AttentionStats* stats = nullptr);

}  // namespace folio::engine
