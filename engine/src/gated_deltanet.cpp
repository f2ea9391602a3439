// The Gated DeltaNet layer (model-family.md): projections, a causal depthwise convolution over time, the gated
// delta rule on a matrix state per value head, then a per-head RMSNorm gated by SiLU(z) and the output projection.

#include "gated_deltanet.h"

#include "folio/engine/rms_norm.h"

#include "kernels.h"
#include "matmul.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace folio::engine {
namespace {

float softplus(float x) { return x > 20.f ? x : std::log1p(std::exp(x)); }

void l2Normalize(float* x, std::int64_t n, float eps)
{
    double sum = 0;
    for (std::int64_t i = 0; i < n; ++i) sum += double(x[i]) * x[i];
    const float scale = 1.f / std::max(float(std::sqrt(sum)), eps);
    for (std::int64_t i = 0; i < n; ++i) x[i] *= scale;
}

// Causal depthwise convolution over time of channels [first, last), then SiLU, in place in mixed (T x C); taps
// holds the K taps of every channel tap by tap (K x C), conv each channel's last K - 1 inputs (K - 1 x C, oldest
// first) and slides along. Tap K-1 multiplies the current token.
void convolve(const float* taps, std::int64_t K, std::int64_t C, std::int64_t T, std::int64_t first, std::int64_t last,
              float* conv, float* mixed, std::vector<float>& sum)
{
    const std::int64_t n = last - first;
    sum.resize(std::size_t(n));
    for (std::int64_t t = 0; t < T; ++t) {
        float* m = mixed + t * C + first;
        std::fill(sum.begin(), sum.end(), 0.f);
        kernels::multiplyAdd(taps + (K - 1) * C + first, m, sum.data(), n);
        for (std::int64_t j = 0; j < K - 1; ++j) kernels::multiplyAdd(taps + j * C + first, conv + j * C + first, sum.data(), n);
        // Slide the window: drop the oldest input, keep this one.
        for (std::int64_t j = 0; j + 1 < K - 1; ++j) std::copy_n(conv + (j + 1) * C + first, n, conv + j * C + first);
        if (K > 1) std::copy_n(m, n, conv + (K - 2) * C + first);
        kernels::silu(sum.data(), m, n);
    }
}

// One value head over T tokens: S <- exp(g) S; S <- S + beta (v - S k) k^T; o = S q. Chunks of
// chunkSize tokens use the WY form: the pseudo-values u of a chunk solve a unit lower-triangular
// system, and everything else is products of small matrices.
void deltaRuleHead(const ModelConfig& c, int chunkSize, float* ssm, std::int64_t v, const float* mixed, const float* beta,
                   const float* logDecay, std::int64_t T, float* o)
{
    const std::int64_t C = c.convChannels(), Hv = c.valueHeads, Hk = c.keyHeads, Dk = c.keyDim, Dv = c.valueDim,
                       inner = Hv * Dv, kh = c.keyHeadOf(v);
    float* S = ssm + v * Dv * Dk;  // Dv x Dk
    auto qOf = [&](std::int64_t t) { return mixed + t * C + kh * Dk; };
    auto kOf = [&](std::int64_t t) { return mixed + t * C + Hk * Dk + kh * Dk; };
    auto vOf = [&](std::int64_t t) { return mixed + t * C + 2 * Hk * Dk + v * Dv; };
    const std::int64_t chunk = std::max(1, chunkSize);

    // The plain recurrence for one token. Row by row, so the state (64 KiB a head, more than the core's
    // fastest cache holds) is read and written once per token: (decay S) k = decay (S k).
    auto step = [&](std::int64_t t) {
        const float decay = std::exp(logDecay[t * Hv + v]), bt = beta[t * Hv + v];
        const float *q = qOf(t), *k = kOf(t), *val = vOf(t);
        float* ot = o + t * inner + v * Dv;
        for (std::int64_t i = 0; i < Dv; ++i) {
            float* row = S + i * Dk;
            const float delta = bt * (val[i] - decay * kernels::dot(row, k, Dk));
            ot[i] = kernels::scaleAddDot(row, decay, delta, k, q, Dk);
        }
    };
    if (chunk == 1) {
        for (std::int64_t t = 0; t < T; ++t) step(t);
        return;
    }

    // Per chunk: the keys and queries side by side (n x Dk) and as columns (Dk x n), K K^T and Q K^T with their decays (n x n; Q K^T zero
    // above the diagonal), S0 K^T and S0 Q^T (Dv x n), the pseudo-values U (n x Dv) and U's columns scaled for the
    // state update (Dv x n). Every product is Y += X B along B's rows (kernels::addProducts), which takes no
    // horizontal sum per output. Sized at the first chunk of more than one token.
    std::vector<float> G, Kc, Qc, Kt, Qt, KK, QK, SK, SQ, U, Ut;
    for (std::int64_t t0 = 0; t0 < T; t0 += chunk) {
        const std::int64_t n = std::min(chunk, T - t0);
        // A chunk of one token, a decode step or the last token of a prompt, takes the recurrence: then a
        // token's numbers depend only on where chunks start, not on whether it came alone.
        if (n == 1) {
            step(t0);
            continue;
        }
        if (G.empty()) {
            G.resize(chunk);
            Kc.resize(chunk * Dk);
            Qc.resize(chunk * Dk);
            Kt.resize(Dk * chunk);
            Qt.resize(Dk * chunk);
            KK.resize(chunk * chunk);
            QK.resize(chunk * chunk);
            SK.resize(Dv * chunk);
            SQ.resize(Dv * chunk);
            U.resize(chunk * Dv);
            Ut.resize(Dv * chunk);
        }
        for (std::int64_t t = 0; t < n; ++t) {
            std::copy_n(kOf(t0 + t), Dk, Kc.data() + t * Dk);
            std::copy_n(qOf(t0 + t), Dk, Qc.data() + t * Dk);
            for (std::int64_t j = 0; j < Dk; ++j) {
                Kt[j * n + t] = Kc[t * Dk + j];
                Qt[j * n + t] = Qc[t * Dk + j];
            }
        }
        // Cumulative log decay within the chunk: state at t carries exp(G_t) of the chunk's start state.
        float acc = 0;
        for (std::int64_t t = 0; t < n; ++t) G[t] = acc += logDecay[(t0 + t) * Hv + v];
        // KK[t][s] = exp(G_t - G_s) k_t . k_s for s < t, QK[t][s] = exp(G_t - G_s) q_t . k_s for s <= t;
        // SK[i][t] = (S0 k_t)_i and SQ[i][t] = (S0 q_t)_i.
        // Whole products (twice the triangle's work, but in the kernel's widest steps), then the decays.
        std::fill(KK.begin(), KK.end(), 0.f);
        std::fill(QK.begin(), QK.end(), 0.f);
        std::fill(SK.begin(), SK.end(), 0.f);
        std::fill(SQ.begin(), SQ.end(), 0.f);
        kernels::addProducts(Kc.data(), Dk, n, Dk, Kt.data(), n, n, KK.data(), chunk);
        kernels::addProducts(Qc.data(), Dk, n, Dk, Kt.data(), n, n, QK.data(), chunk);
        kernels::addProducts(S, Dk, Dv, Dk, Kt.data(), n, n, SK.data(), n);
        kernels::addProducts(S, Dk, Dv, Dk, Qt.data(), n, n, SQ.data(), n);
        for (std::int64_t t = 0; t < n; ++t) {
            for (std::int64_t s = 0; s <= t; ++s) {
                const float decay = std::exp(G[t] - G[s]);
                KK[t * chunk + s] *= decay;
                QK[t * chunk + s] *= decay;
            }
            std::fill(QK.begin() + t * chunk + t + 1, QK.begin() + t * chunk + n, 0.f);
        }
        // u_t = beta_t (v_t - exp(G_t) S0 k_t - sum_{s<t} exp(G_t - G_s) (k_t . k_s) u_s): forward substitution.
        for (std::int64_t t = 0; t < n; ++t) {
            const float bt = beta[(t0 + t) * Hv + v], gt = std::exp(G[t]);
            const float* val = vOf(t0 + t);
            float* u = U.data() + t * Dv;
            for (std::int64_t i = 0; i < Dv; ++i) u[i] = val[i] - gt * SK[i * n + t];
            for (std::int64_t s = 0; s < t; ++s) kernels::axpy(-KK[t * chunk + s], U.data() + s * Dv, u, Dv);
            for (std::int64_t i = 0; i < Dv; ++i) u[i] *= bt;
        }
        // o_t = exp(G_t) S0 q_t + sum_{s<=t} exp(G_t - G_s) (q_t . k_s) u_s, the sum as QK U.
        for (std::int64_t t = 0; t < n; ++t) {
            const float gt = std::exp(G[t]);
            float* ot = o + (t0 + t) * inner + v * Dv;
            for (std::int64_t i = 0; i < Dv; ++i) ot[i] = gt * SQ[i * n + t];
        }
        kernels::addProducts(QK.data(), chunk, n, n, U.data(), Dv, Dv, o + t0 * inner + v * Dv, inner);
        // S <- exp(G_n) S0 + sum_s exp(G_n - G_s) u_s k_s^T, the sum as (U scaled)^T K.
        const float gn = std::exp(G[n - 1]);
        for (std::int64_t i = 0; i < Dv * Dk; ++i) S[i] *= gn;
        for (std::int64_t s = 0; s < n; ++s) {
            const float decay = std::exp(G[n - 1] - G[s]);
            for (std::int64_t i = 0; i < Dv; ++i) Ut[i * n + s] = decay * U[s * Dv + i];
        }
        kernels::addProducts(Ut.data(), n, Dv, n, Kc.data(), Dk, Dk, S, Dk);
    }
}

}  // namespace

void gatedDeltaNet(ThreadPool& pool, const ModelConfig& c, int chunkSize, const LayerWeights& L, float* conv, float* ssm,
                   const float* h, std::int64_t T, float* out)
{
    const std::int64_t C = c.convChannels(), Hv = c.valueHeads, Hk = c.keyHeads, Dk = c.keyDim,
                       Dv = c.valueDim, K = c.convKernel, inner = Hv * Dv, r = Hv / Hk;
    std::vector<float> mixed(T * C), z(T * inner), b(T * Hv), a(T * Hv);
    // Legacy layouts: ssm_in per key head [q (Dk), k (Dk), v (r*Dv), z (r*Dv)]; ba per key head [b for its r
    // value heads, a for the same heads].
    std::vector<float> proj(L.ssmIn ? T * (C + inner) : 0), ba(L.ba ? T * 2 * Hv : 0);
    std::vector<Product> products;
    if (L.ssmIn) products.push_back({&L.ssmIn, proj.data()});
    else products.insert(products.end(), {{&L.qkv, mixed.data()}, {&L.gate, z.data()}});
    if (L.ba) products.push_back({&L.ba, ba.data()});
    else products.insert(products.end(), {{&L.beta, b.data()}, {&L.alpha, a.data()}});
    matmuls(pool, products, h, T);
    if (L.ssmIn) {
        const std::int64_t group = 2 * Dk + 2 * r * Dv;
        for (std::int64_t t = 0; t < T; ++t) {
            const float* p = proj.data() + t * (C + inner);
            float* m = mixed.data() + t * C;
            for (std::int64_t g = 0; g < Hk; ++g) {
                const float* src = p + g * group;
                std::copy(src, src + Dk, m + g * Dk);
                std::copy(src + Dk, src + 2 * Dk, m + Hk * Dk + g * Dk);
                std::copy(src + 2 * Dk, src + 2 * Dk + r * Dv, m + 2 * Hk * Dk + g * r * Dv);
                std::copy(src + 2 * Dk + r * Dv, src + group, z.data() + t * inner + g * r * Dv);
            }
        }
    }
    if (L.ba)
        for (std::int64_t t = 0; t < T; ++t)
            for (std::int64_t v = 0; v < Hv; ++v) {
                const std::int64_t g = v / r, j = v % r;
                b[t * Hv + v] = ba[t * 2 * Hv + g * 2 * r + j];
                a[t * Hv + v] = ba[t * 2 * Hv + g * 2 * r + r + j];
            }

    // Everything between the projections and the output projection is per key head and the value heads that
    // read it (r of them, in the order of the model's layout): one loop for the threads, so none of it waits on
    // one thread while the others idle.
    std::vector<float> o(T * inner);
    pool.parallelFor(Hk, [&](std::int64_t begin, std::int64_t end) {
        std::vector<float> sum;
        for (std::int64_t g = begin; g < end; ++g) {
            convolve(L.convTaps.data(), K, C, T, g * Dk, (g + 1) * Dk, conv, mixed.data(), sum);
            convolve(L.convTaps.data(), K, C, T, (Hk + g) * Dk, (Hk + g + 1) * Dk, conv, mixed.data(), sum);
            for (std::int64_t t = 0; t < T; ++t) {
                float* m = mixed.data() + t * C;
                l2Normalize(m + g * Dk, Dk, c.rmsEps);
                l2Normalize(m + Hk * Dk + g * Dk, Dk, c.rmsEps);
                const float scale = 1.f / std::sqrt(float(Dk));
                for (std::int64_t i = 0; i < Dk; ++i) m[g * Dk + i] *= scale;
            }
            for (std::int64_t v = 0; v < Hv; ++v) {
                if (c.keyHeadOf(v) != g) continue;
                convolve(L.convTaps.data(), K, C, T, 2 * Hk * Dk + v * Dv, 2 * Hk * Dk + (v + 1) * Dv, conv,
                         mixed.data(), sum);
                for (std::int64_t t = 0; t < T; ++t) {
                    float& av = a[t * Hv + v];
                    av = softplus(av + L.dtBias.values[v]) * L.ssmA.values[v];  // log decay <= 0
                    kernels::sigmoid(&b[t * Hv + v], &b[t * Hv + v], 1);
                }
                deltaRuleHead(c, chunkSize, ssm, v, mixed.data(), b.data(), a.data(), T, o.data());
                // Per-head RMSNorm (ssm_norm is stored raw), gated by SiLU(z).
                for (std::int64_t t = 0; t < T; ++t) {
                    float* ov = o.data() + t * inner + v * Dv;
                    float* zv = z.data() + t * inner + v * Dv;
                    rmsNorm(ov, L.ssmNorm.values.data(), ov, Dv, c.rmsEps);
                    kernels::silu(zv, zv, Dv);
                    for (std::int64_t i = 0; i < Dv; ++i) ov[i] *= zv[i];
                }
            }
        }
    });
    matmul(pool, L.ssmOut, 0, o.data(), T, out);
}

}  // namespace folio::engine
