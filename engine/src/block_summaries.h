#pragma once

// Summaries of an attention layer's keys in blocks of a fixed number of positions, one per block and KV head,
// from which selected attention scores which cold blocks a query reads (AttentionMode::Selected). A block is
// summarised once all its keys are written; the summary depends only on those keys, so a block has the same
// summary however the tokens were split into calls, and a restored or forked session rebuilds the same ones.

#include "attention.h"

#include "folio/engine/session.h"
#include "folio/engine/thread_pool.h"

#include <cstdint>
#include <vector>

namespace folio::engine {

class BlockSummaries {
public:
    BlockSummaries() = default;
    BlockSummaries(BlockSummaryKind kind, std::int64_t blockSize, std::int64_t kvHeads, std::int64_t headDim, int codebookSize);

    // Whether two summaries were made the same way, so that one may stand for the other.
    bool sameKind(const BlockSummaries& other) const;
    // Summarises the complete blocks of positions [0, end) not summarised yet (keys read through `kv`).
    void extend(ThreadPool& pool, const KvCache& kv, std::int64_t end);

    // Forgets the summaries of blocks from `blocks` on (their keys are to be written again).
    void truncate(std::int64_t blocks);
    std::int64_t blocks() const { return blocks_; }
    std::int64_t blockSize() const { return blockSize_; }
    // For a query q (headDim values, unscaled): MinMax, the upper bound sum_d max(q_d min_d, q_d max_d) of q . k
    // over the block's keys (Quest); VqCode, max over centroids c of q . c + |q| spread_c, an estimate of the
    // largest q . k among the keys nearest c.
    float score(std::int64_t block, std::int64_t kvHead, const float* q) const;
    std::uint64_t bytes() const { return data_.size() * sizeof(float); }
    // Bytes a summary of one block and KV head takes.
    static std::uint64_t bytesPerBlockHead(BlockSummaryKind kind, std::int64_t headDim, int codebookSize);

private:
    void summarise(const KvCache& kv, std::int64_t block, std::int64_t kvHead, float* out) const;

    BlockSummaryKind kind_ = BlockSummaryKind::MinMax;
    std::int64_t blockSize_ = 0, kvHeads_ = 0, headDim_ = 0;
    int codebook_ = 0;
    std::int64_t floatsPerHead_ = 0;
    std::int64_t blocks_ = 0;
    std::vector<float> data_;  // [block][kvHead][floatsPerHead_]
};

}  // namespace folio::engine
