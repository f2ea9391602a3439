#include "attention.h"

#include "block_summaries.h"
#include "kernels.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace folio::engine {
namespace {

// Tiles: kQueryTokens tokens x the heads of one KV head share every key tile of kKeys positions. Key tiles start
// at multiples of kKeys from position 0, so a query's sums run in the same order however the prompt was split.
// For Qwen3.5 shapes (256-value heads, 4 heads per KV head) a tile's queries, key scores and accumulators take
// about 150 KiB: they stay in a core's L2 cache while the keys and values stream past.
constexpr std::int64_t kQueryTokens = 16;
constexpr std::int64_t kKeys = 64;

// The keys each query token of a tile reads under a selection: hotStart[t] on, the sinks, and the blocks
// before hotStart it chose. A token that reads everything has hotStart 0.
struct TileSelection {
    std::vector<std::int64_t> hotStart;
    std::vector<std::vector<char>> chosen;  // per token, per block before its hotStart
    std::vector<char> anyChosen;            // per block, chosen by some token of the tile
    std::int64_t minHotStart = 0, sinks = 0, blockSize = 1;

    bool reads(std::int64_t token, std::int64_t k0) const
    {
        return k0 < sinks || k0 >= hotStart[token] || chosen[token][std::size_t(k0 / blockSize)];
    }
    // The first tile start from k on that some token of the tile reads.
    std::int64_t next(std::int64_t k) const
    {
        while (k < minHotStart && k >= sinks && !anyChosen[std::size_t(k / blockSize)]) k = (k / blockSize + 1) * blockSize;
        return k;
    }
};

// Chooses, for each token of the tile, the blocks it reads (BlockSelection); Q holds the tile's scaled queries.
TileSelection selectBlocks(const BlockSelection& sel, const AttentionLayout& L, const float* Q, std::int64_t tokens,
                           std::int64_t firstPosition, std::int64_t kvHead, AttentionStats& stats)
{
    const std::int64_t B = sel.summaries->blockSize(), group = L.heads / L.kvHeads, hd = L.headDim;
    TileSelection ts;
    ts.sinks = sel.sinks;
    ts.blockSize = B;
    ts.hotStart.assign(std::size_t(tokens), 0);
    ts.chosen.resize(std::size_t(tokens));
    ts.minHotStart = std::numeric_limits<std::int64_t>::max();
    std::vector<std::pair<float, std::int64_t>> scores;
    for (std::int64_t t = 0; t < tokens; ++t) {
        const std::int64_t p = firstPosition + t;
        const std::int64_t hot = std::max<std::int64_t>(0, p + 1 - sel.hotWindow) / B * B, cold = hot / B;
        ++stats.queries;
        if (cold > sel.topBlocks) {
            ++stats.selectingQueries;
            stats.coldBlocks += std::uint64_t(cold);
            stats.selectedBlocks += std::uint64_t(sel.topBlocks);
            scores.clear();
            for (std::int64_t b = 0; b < cold; ++b) {
                float best = -std::numeric_limits<float>::infinity();
                for (std::int64_t g = 0; g < group; ++g) best = std::max(best, sel.summaries->score(b, kvHead, Q + (t * group + g) * hd));
                scores.emplace_back(best, b);
            }
            // Best score first, ties to the earlier block: the same choice on every run.
            const auto better = [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); };
            std::nth_element(scores.begin(), scores.begin() + sel.topBlocks, scores.end(), better);
            auto& chosen = ts.chosen[std::size_t(t)];
            chosen.assign(std::size_t(cold), 0);
            for (std::int64_t i = 0; i < sel.topBlocks; ++i) chosen[std::size_t(scores[std::size_t(i)].second)] = 1;
            ts.hotStart[std::size_t(t)] = hot;
            if (ts.anyChosen.size() < chosen.size()) ts.anyChosen.resize(chosen.size(), 0);
            for (std::size_t b = 0; b < chosen.size(); ++b) ts.anyChosen[b] |= chosen[b];
        }
        ts.minHotStart = std::min(ts.minHotStart, ts.hotStart[std::size_t(t)]);
    }
    return ts;
}

// The log of the softmax denominator over every key up to each row's position (the full pass the attention-mass
// diagnostic pays for): running maximum and sum as in the main loop.
std::vector<double> fullLogDenominators(const AttentionLayout& L, const float* Q, std::int64_t rows, const KvCache& kv,
                                        const std::vector<std::int64_t>& position, std::int64_t kvHead)
{
    const std::int64_t hd = L.headDim, lastKey = *std::max_element(position.begin(), position.end());
    std::vector<float> S(static_cast<std::size_t>(rows * kKeys));
    std::vector<double> m(std::size_t(rows), -INFINITY), l(std::size_t(rows), 0.0);
    const float* keyRows[4];
    for (std::int64_t k0 = 0; k0 <= lastKey; k0 += kKeys) {
        const std::int64_t nk = std::min(kKeys, lastKey + 1 - k0);
        for (std::int64_t j = 0; j < nk; j += 4) {
            const int n = int(std::min<std::int64_t>(4, nk - j));
            for (int k = 0; k < n; ++k) keyRows[k] = kv.key(k0 + j + k) + kvHead * hd;
            kernels::rowsTimesTokens(keyRows, n, Q, rows, hd, S.data() + j, kKeys);
        }
        for (std::int64_t i = 0; i < rows; ++i) {
            const std::int64_t visible = std::clamp<std::int64_t>(position[std::size_t(i)] - k0 + 1, 0, nk);
            for (std::int64_t j = 0; j < visible; ++j) {
                const double s = S[std::size_t(i * kKeys + j)];
                if (s > m[std::size_t(i)]) {
                    l[std::size_t(i)] = l[std::size_t(i)] * std::exp(m[std::size_t(i)] - s) + 1.0;
                    m[std::size_t(i)] = s;
                } else {
                    l[std::size_t(i)] += std::exp(s - m[std::size_t(i)]);
                }
            }
        }
    }
    std::vector<double> out(static_cast<std::size_t>(rows));
    for (std::int64_t i = 0; i < rows; ++i) out[std::size_t(i)] = m[std::size_t(i)] + std::log(l[std::size_t(i)]);
    return out;
}

// One KV head and a run of query tokens: online softmax over key tiles (running maximum m, running sum l, and
// the output accumulated unnormalised, rescaled whenever the maximum grows). Under a selection a row skips the
// tiles its token does not read exactly as it skips keys past its position.
void attendTile(const AttentionLayout& L, const float* q, const KvCache& kv, std::int64_t pos0, std::int64_t t0,
                std::int64_t t1, std::int64_t kvHead, float* out, const BlockSelection* selection, AttentionStats& stats)
{
    const std::int64_t hd = L.headDim, group = L.heads / L.kvHeads, rows = (t1 - t0) * group;
    const float scale = 1.f / std::sqrt(float(hd));
    std::vector<float> Q(rows * hd), S(rows * kKeys), acc(rows * hd, 0.f);
    std::vector<float> m(rows, -INFINITY), l(rows, 0.f);
    std::vector<std::int64_t> position(rows);
    for (std::int64_t t = t0; t < t1; ++t)
        for (std::int64_t g = 0; g < group; ++g) {
            const std::int64_t i = (t - t0) * group + g;
            const float* src = q + t * L.qTokenStride + (kvHead * group + g) * L.qHeadStride;
            for (std::int64_t d = 0; d < hd; ++d) Q[i * hd + d] = src[d] * scale;
            position[i] = pos0 + t;
        }
    const std::int64_t lastKey = pos0 + t1 - 1;
    TileSelection chosen;
    if (selection) chosen = selectBlocks(*selection, L, Q.data(), t1 - t0, pos0 + t0, kvHead, stats);
    const auto next = [&](std::int64_t k) { return selection ? chosen.next(k) : k; };
    const float* keyRows[4];
    // The runs of consecutive rows that read a key tile, as (first row, rows): all rows but for a selection, whose
    // tokens may each read other blocks. The products of a row are the same whichever rows share its call.
    std::vector<std::pair<std::int64_t, std::int64_t>> runs;
    for (std::int64_t k0 = next(0); k0 <= lastKey; k0 = next(k0 + kKeys)) {
        const std::int64_t nk = std::min(kKeys, lastKey + 1 - k0);
        runs.clear();
        for (std::int64_t t = 0; t < t1 - t0; ++t) {
            if (selection && !chosen.reads(t, k0)) continue;
            if (!runs.empty() && runs.back().first + runs.back().second == t * group) runs.back().second += group;
            else runs.emplace_back(t * group, group);
        }
        // S = Q K^T for this tile, four keys at a time.
        for (std::int64_t j = 0; j < nk; j += 4) {
            const int n = int(std::min<std::int64_t>(4, nk - j));
            for (int k = 0; k < n; ++k) keyRows[k] = kv.key(k0 + j + k) + kvHead * hd;
            for (const auto& [r0, rn] : runs)
                kernels::rowsTimesTokens(keyRows, n, Q.data() + r0 * hd, rn, hd, S.data() + r0 * kKeys + j, kKeys);
        }
        // Causal mask (and the selection), online softmax; P overwrites S, zero for masked keys.
        for (std::int64_t i = 0; i < rows; ++i) {
            float* s = S.data() + i * kKeys;
            const bool reads = !selection || chosen.reads(i / group, k0);
            const std::int64_t visible = reads ? std::clamp<std::int64_t>(position[i] - k0 + 1, 0, nk) : 0;
            if (visible == 0) {
                std::fill(s, s + kKeys, 0.f);
                continue;
            }
            const float tileMax = *std::max_element(s, s + visible);
            const float newMax = std::max(m[i], tileMax), rescale = std::exp(m[i] - newMax);
            const float sum = kernels::expShifted(s, visible, newMax);
            std::fill(s + visible, s + kKeys, 0.f);
            l[i] = l[i] * rescale + sum;
            m[i] = newMax;
            if (rescale != 1.f)
                for (std::int64_t d = 0; d < hd; ++d) acc[i * hd + d] *= rescale;
        }
        // acc += P V, along the rows of V as they lie in the cache: a tile that straddles the end of a shared
        // prefix in two runs, which adds the same products in the same order (addProducts sums each output over
        // its rows in order, starting from what acc holds).
        const std::int64_t shared = std::clamp<std::int64_t>(kv.sharedEnd - k0, 0, nk);
        for (const auto& [r0, rn] : runs) {
            float* P = S.data() + r0 * kKeys;
            float* A = acc.data() + r0 * hd;
            if (shared > 0) kernels::addProducts(P, kKeys, rn, shared, kv.value(k0) + kvHead * hd, kv.stride, hd, A, hd);
            if (shared < nk)
                kernels::addProducts(P + shared, kKeys, rn, nk - shared, kv.value(k0 + shared) + kvHead * hd, kv.stride, hd, A, hd);
        }
    }
    if (selection && selection->measureMass) {
        const auto full = fullLogDenominators(L, Q.data(), rows, kv, position, kvHead);
        for (std::int64_t i = 0; i < rows; ++i) {
            if (chosen.hotStart[std::size_t(i / group)] == 0) continue;  // read everything
            const double mass = std::exp(double(m[i]) + std::log(double(l[i])) - full[std::size_t(i)]);
            ++stats.massHeads;
            stats.massSum += mass;
            stats.massMin = std::min(stats.massMin, mass);
        }
    }
    for (std::int64_t t = t0; t < t1; ++t)
        for (std::int64_t g = 0; g < group; ++g) {
            const std::int64_t i = (t - t0) * group + g;
            float* o = out + (t * L.heads + kvHead * group + g) * hd;
            const float inverse = 1.f / l[i];
            for (std::int64_t d = 0; d < hd; ++d) o[d] = acc[i * hd + d] * inverse;
        }
}

}  // namespace

void causalAttention(ThreadPool& pool, const AttentionLayout& layout, const float* q, const KvCache& kv,
                     std::int64_t pos0, std::int64_t T, float* out, const BlockSelection* selection, AttentionStats* stats)
{
    const std::int64_t tiles = (T + kQueryTokens - 1) / kQueryTokens;
    std::vector<AttentionStats> unitStats(std::size_t(tiles * layout.kvHeads));
    pool.parallelFor(tiles * layout.kvHeads, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t unit = begin; unit < end; ++unit) {
            const std::int64_t tile = unit / layout.kvHeads, kvHead = unit % layout.kvHeads;
            const std::int64_t t0 = tile * kQueryTokens, t1 = std::min(T, t0 + kQueryTokens);
            attendTile(layout, q, kv, pos0, t0, t1, kvHead, out, selection, unitStats[std::size_t(unit)]);
        }
    });
    if (stats)
        for (const auto& s : unitStats) *stats += s;
}

}  // namespace folio::engine
