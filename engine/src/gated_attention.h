#pragma once

#include "folio/engine/model.h"
#include "folio/engine/thread_pool.h"

#include "attention.h"
#include "block_summaries.h"

#include <cstdint>

namespace folio::engine {

// One gated attention layer over T tokens at positions pos0 .. pos0 + T - 1: out (T x nEmbd) from the normalised
// input h (T x nEmbd). The tokens' keys and values are written to the layer's KV cache, into its own rows (which
// have room up to pos0 + T; pos0 is at or past the cache's shared prefix), and each token attends to every
// position up to its own. With `selected` (AttentionMode::Selected), the layer's block summaries first take in
// the blocks these keys complete, and each token reads the keys the selection picks.
struct SelectedAttention {
    BlockSummaries* summaries = nullptr;
    BlockSelection selection;  // its summaries: the same
    AttentionStats* stats = nullptr;
};
void gatedAttention(ThreadPool& pool, const ModelConfig& c, const LayerWeights& L, const KvCache& kv, const float* h,
                    std::int64_t T, std::int64_t pos0, float* out, SelectedAttention* selected = nullptr);

}  // namespace folio::engine
