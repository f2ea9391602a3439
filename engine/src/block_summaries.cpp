#include "block_summaries.h"

#include "kernels.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace folio::engine {
namespace {

// Lloyd iterations of a block's k-means: the codebook of a block of keys settles within a few.
constexpr int kMeansIterations = 6;

}  // namespace

BlockSummaries::BlockSummaries(BlockSummaryKind kind, std::int64_t blockSize, std::int64_t kvHeads, std::int64_t headDim,
                               int codebookSize)
    : kind_(kind), blockSize_(blockSize), kvHeads_(kvHeads), headDim_(headDim), codebook_(kind == BlockSummaryKind::VqCode ? codebookSize : 0),
      floatsPerHead_(std::int64_t(bytesPerBlockHead(kind, headDim, codebookSize) / sizeof(float)))
{
}

std::uint64_t BlockSummaries::bytesPerBlockHead(BlockSummaryKind kind, std::int64_t headDim, int codebookSize)
{
    // MinMax: min and max per channel. VqCode: the centroids and a spread per centroid.
    const std::int64_t floats = kind == BlockSummaryKind::MinMax ? 2 * headDim : std::int64_t(codebookSize) * (headDim + 1);
    return std::uint64_t(floats) * sizeof(float);
}

bool BlockSummaries::sameKind(const BlockSummaries& other) const
{
    return kind_ == other.kind_ && blockSize_ == other.blockSize_ && kvHeads_ == other.kvHeads_ && headDim_ == other.headDim_
        && codebook_ == other.codebook_;
}

void BlockSummaries::extend(ThreadPool& pool, const KvCache& kv, std::int64_t end)
{
    const std::int64_t complete = end / blockSize_;
    if (complete <= blocks_) return;
    const std::int64_t first = blocks_, per = kvHeads_ * floatsPerHead_;
    data_.resize(std::size_t(complete * per));
    pool.parallelFor((complete - first) * kvHeads_, [&](std::int64_t begin, std::int64_t stop) {
        for (std::int64_t unit = begin; unit < stop; ++unit) {
            const std::int64_t block = first + unit / kvHeads_, head = unit % kvHeads_;
            summarise(kv, block, head, data_.data() + block * per + head * floatsPerHead_);
        }
    });
    blocks_ = complete;
}

void BlockSummaries::truncate(std::int64_t blocks)
{
    if (blocks >= blocks_) return;
    blocks_ = blocks;
    data_.resize(std::size_t(blocks * kvHeads_ * floatsPerHead_));
}

void BlockSummaries::summarise(const KvCache& kv, std::int64_t block, std::int64_t kvHead, float* out) const
{
    const std::int64_t hd = headDim_, p0 = block * blockSize_;
    const auto key = [&](std::int64_t j) { return kv.key(p0 + j) + kvHead * hd; };
    if (kind_ == BlockSummaryKind::MinMax) {
        float* lo = out;
        float* hi = out + hd;
        std::copy(key(0), key(0) + hd, lo);
        std::copy(key(0), key(0) + hd, hi);
        for (std::int64_t j = 1; j < blockSize_; ++j) {
            const float* k = key(j);
            for (std::int64_t d = 0; d < hd; ++d) {
                lo[d] = std::min(lo[d], k[d]);
                hi[d] = std::max(hi[d], k[d]);
            }
        }
        return;
    }
    // k-means from keys spread evenly over the block; a centroid nobody chose keeps no spread (it scores -inf).
    const int C = codebook_;
    float* centroid = out;
    float* spread = out + C * hd;
    for (int c = 0; c < C; ++c) {
        const float* k = key((2 * c + 1) * blockSize_ / (2 * C));
        std::copy(k, k + hd, centroid + c * hd);
    }
    std::vector<int> nearest(static_cast<std::size_t>(blockSize_));
    std::vector<float> sums(static_cast<std::size_t>(C * hd));
    std::vector<std::int64_t> count(static_cast<std::size_t>(C));
    std::vector<double> squared(static_cast<std::size_t>(C));
    const auto assign = [&] {
        std::fill(count.begin(), count.end(), 0);
        std::fill(squared.begin(), squared.end(), 0.0);
        for (std::int64_t j = 0; j < blockSize_; ++j) {
            const float* k = key(j);
            float best = std::numeric_limits<float>::infinity();
            int which = 0;
            for (int c = 0; c < C; ++c) {
                float dist = 0;
                for (std::int64_t d = 0; d < hd; ++d) {
                    const float diff = k[d] - centroid[c * hd + d];
                    dist += diff * diff;
                }
                if (dist < best) best = dist, which = c;
            }
            nearest[std::size_t(j)] = which;
            ++count[std::size_t(which)];
            squared[std::size_t(which)] += best;
        }
    };
    for (int it = 0; it < kMeansIterations; ++it) {
        assign();
        std::fill(sums.begin(), sums.end(), 0.f);
        for (std::int64_t j = 0; j < blockSize_; ++j) {
            const float* k = key(j);
            float* s = sums.data() + nearest[std::size_t(j)] * hd;
            for (std::int64_t d = 0; d < hd; ++d) s[d] += k[d];
        }
        for (int c = 0; c < C; ++c)
            if (count[std::size_t(c)] > 0)
                for (std::int64_t d = 0; d < hd; ++d) centroid[c * hd + d] = sums[std::size_t(c * hd + d)] / float(count[std::size_t(c)]);
    }
    assign();
    // The spread: the root mean square distance per channel, times the expected maximum of as many standard
    // normal values as the centroid has keys (about sqrt(2 ln n)), so that q . c + |q| spread estimates the
    // largest q . k of the keys around c when their deviations point every way alike.
    for (int c = 0; c < C; ++c) {
        const auto n = count[std::size_t(c)];
        spread[c] = n == 0 ? -std::numeric_limits<float>::infinity()
                           : float(std::sqrt(squared[std::size_t(c)] / double(n) / double(hd)) * std::sqrt(2.0 * std::log(double(n))));
    }
}

float BlockSummaries::score(std::int64_t block, std::int64_t kvHead, const float* q) const
{
    const std::int64_t hd = headDim_;
    const float* s = data_.data() + (block * kvHeads_ + kvHead) * floatsPerHead_;
    if (kind_ == BlockSummaryKind::MinMax) {
        float total = 0;
        for (std::int64_t d = 0; d < hd; ++d) total += std::max(q[d] * s[d], q[d] * s[hd + d]);
        return total;
    }
    const float norm = std::sqrt(kernels::dot(q, q, hd));
    float best = -std::numeric_limits<float>::infinity();
    for (int c = 0; c < codebook_; ++c) best = std::max(best, kernels::dot(q, s + c * hd, hd) + norm * s[codebook_ * hd + c]);
    return best;
}

}  // namespace folio::engine
