// The gated attention layer of the hybrid (model-family.md): query (with its output gate), key and value
// projections, RMSNorm of queries and keys per head, rotary position on part of each head, causal attention over
// the KV cache, then sigmoid(gate) times the result into the output projection.

#include "gated_attention.h"

#include "folio/engine/rms_norm.h"

#include "attention.h"
#include "kernels.h"
#include "matmul.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace folio::engine {
namespace {

// The rotation of one position for NEOX-style rotary embedding on the first `dims` values, pairs (i, i + dims/2):
// the same for every head, so computed once per token.
struct RopeRotation {
    std::vector<float> cos, sin;

    RopeRotation(std::int64_t dims, std::int64_t pos, float base)
    {
        for (std::int64_t i = 0; i < dims / 2; ++i) {
            const double theta = double(pos) * std::pow(double(base), -2.0 * double(i) / double(dims));
            cos.push_back(float(std::cos(theta)));
            sin.push_back(float(std::sin(theta)));
        }
    }

    void apply(float* x) const
    {
        const std::size_t half = cos.size();
        for (std::size_t i = 0; i < half; ++i) {
            const float a = x[i], b = x[i + half];
            x[i] = a * cos[i] - b * sin[i];
            x[i + half] = a * sin[i] + b * cos[i];
        }
    }
};

}  // namespace

void gatedAttention(ThreadPool& pool, const ModelConfig& c, const LayerWeights& L, const KvCache& kv, const float* h,
                    std::int64_t T, std::int64_t pos0, float* out, SelectedAttention* selected)
{
    const std::int64_t H = c.nHead, Hkv = c.nHeadKv, hd = c.headDim, per = Hkv * hd;
    std::vector<float> qg(T * 2 * H * hd), keys(T * per), values(T * per);
    const Product qkv[] = {{&L.wq, qg.data()}, {&L.wk, keys.data()}, {&L.wv, values.data()}};
    matmuls(pool, qkv, h, T);
    // Norms and rotations per token on the threads (one token: on this one).
    pool.parallelFor(T, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t t = begin; t < end; ++t) {
            const RopeRotation rotation(c.ropeDims, pos0 + t, c.ropeBase);
            for (std::int64_t hh = 0; hh < H; ++hh) {
                float* q = qg.data() + t * 2 * H * hd + hh * 2 * hd;  // [q | gate] per head
                rmsNorm(q, L.qNorm.values.data(), q, hd, c.rmsEps);
                rotation.apply(q);
            }
            for (std::int64_t hh = 0; hh < Hkv; ++hh) {
                float* k = keys.data() + t * per + hh * hd;
                rmsNorm(k, L.kNorm.values.data(), k, hd, c.rmsEps);
                rotation.apply(k);
            }
            std::copy(keys.begin() + t * per, keys.begin() + (t + 1) * per, kv.keys + (pos0 + t - kv.sharedEnd) * per);
            std::copy(values.begin() + t * per, values.begin() + (t + 1) * per, kv.values + (pos0 + t - kv.sharedEnd) * per);
        }
    });
    std::vector<float> attn(T * H * hd);
    const AttentionLayout layout{H, Hkv, hd, 2 * H * hd, 2 * hd};
    if (selected) {
        selected->summaries->extend(pool, kv, pos0 + T);
        causalAttention(pool, layout, qg.data(), kv, pos0, T, attn.data(), &selected->selection, selected->stats);
    } else {
        causalAttention(pool, layout, qg.data(), kv, pos0, T, attn.data());
    }
    pool.parallelFor(T, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t t = begin; t < end; ++t)
            for (std::int64_t hh = 0; hh < H; ++hh) {
                float* gate = qg.data() + t * 2 * H * hd + hh * 2 * hd + hd;
                kernels::sigmoid(gate, gate, hd);
                float* a = attn.data() + (t * H + hh) * hd;
                for (std::int64_t i = 0; i < hd; ++i) a[i] *= gate[i];
            }
    });
    matmul(pool, L.wo, 0, attn.data(), T, out);
}

}  // namespace folio::engine
