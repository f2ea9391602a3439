#include "attention.h"

#include "kernels.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace folio::engine {
namespace {

// Tiles: kQueryTokens tokens x the heads of one KV head share every key tile of kKeys positions. Key tiles start
// at multiples of kKeys from position 0, so a query's sums run in the same order however the prompt was split.
// For Qwen3.5 shapes (256-value heads, 4 heads per KV head) a tile's queries, key scores and accumulators take
// about 150 KiB: they stay in a core's L2 cache while the keys and values stream past.
constexpr std::int64_t kQueryTokens = 16;
constexpr std::int64_t kKeys = 64;

// One KV head and a run of query tokens: online softmax over key tiles (running maximum m, running sum l, and
// the output accumulated unnormalised, rescaled whenever the maximum grows).
void attendTile(const AttentionLayout& L, const float* q, const KvCache& kv, std::int64_t pos0, std::int64_t t0,
                std::int64_t t1, std::int64_t kvHead, float* out)
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
    const float* keyRows[4];
    for (std::int64_t k0 = 0; k0 <= lastKey; k0 += kKeys) {
        const std::int64_t nk = std::min(kKeys, lastKey + 1 - k0);
        // S = Q K^T for this tile, four keys at a time.
        for (std::int64_t j = 0; j < nk; j += 4) {
            const int n = int(std::min<std::int64_t>(4, nk - j));
            for (int k = 0; k < n; ++k) keyRows[k] = kv.key(k0 + j + k) + kvHead * hd;
            kernels::rowsTimesTokens(keyRows, n, Q.data(), rows, hd, S.data() + j, kKeys);
        }
        // Causal mask, online softmax; P overwrites S, zero for masked keys.
        for (std::int64_t i = 0; i < rows; ++i) {
            float* s = S.data() + i * kKeys;
            const std::int64_t visible = std::clamp<std::int64_t>(position[i] - k0 + 1, 0, nk);
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
        if (shared > 0)
            kernels::addProducts(S.data(), kKeys, rows, shared, kv.value(k0) + kvHead * hd, kv.stride, hd, acc.data(), hd);
        if (shared < nk)
            kernels::addProducts(S.data() + shared, kKeys, rows, nk - shared, kv.value(k0 + shared) + kvHead * hd, kv.stride,
                                 hd, acc.data(), hd);
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
                     std::int64_t pos0, std::int64_t T, float* out)
{
    const std::int64_t tiles = (T + kQueryTokens - 1) / kQueryTokens;
    pool.parallelFor(tiles * layout.kvHeads, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t unit = begin; unit < end; ++unit) {
            const std::int64_t tile = unit / layout.kvHeads, kvHead = unit % layout.kvHeads;
            const std::int64_t t0 = tile * kQueryTokens, t1 = std::min(T, t0 + kQueryTokens);
            attendTile(layout, q, kv, pos0, t0, t1, kvHead, out);
        }
    });
}

}  // namespace folio::engine
