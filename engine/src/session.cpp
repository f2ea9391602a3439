#include "folio/engine/session.h"

#include "folio/engine/rms_norm.h"

#include "attention.h"
#include "kernels.h"
#include "large_page_allocator.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <span>
#include <stdexcept>

namespace folio::engine {
namespace {

float softplus(float x) { return x > 20.f ? x : std::log1p(std::exp(x)); }

// Tokens whose 8-bit activations a thread multiplies into its weight rows before taking the next rows: 64
// tokens of the widest input (3584 values) are 280 KiB, so they stay in the core's cache while every row of the
// thread's share is read once from memory per 64 tokens.
constexpr std::int64_t kTokenTile = 64;

// Products smaller than this (such as the DeltaNet beta and alpha projections of one token, 16 x 1024) take less
// time on the calling thread than handing half of them to another thread and waiting for it.
constexpr std::int64_t kSerialMultiplyAdds = 1 << 16;

// Tokens per batch of a long prefill (see Session::prefill).
constexpr std::int64_t kBatchTokens = 256;

// One weight matrix (one expert of it) and where its products go: Y (T x rows) = X (T x cols) W^T, row t of Y
// at y + t * yStride.
struct Product {
    const Weight* w;
    float* y;
    std::int64_t expert = 0, yStride = -1;
};

// Several products of the same input with 8-bit activations (see ActivationRow): the input is rounded once,
// and all their rows form one loop for the threads, so a token's projections cost one hand-off, not one each.
void matmulQuantized(ThreadPool& pool, std::span<const Product> products, const float* x, std::int64_t T)
{
    const std::int64_t cols = products.front().w->cols;
    std::vector<TensorType> types;
    for (const Product& p : products) types.push_back(p.w->type);
    QuantizedActivations xq;
    xq.assign(x, T, cols, types);
    std::vector<ActivationRow> tokenRows(static_cast<std::size_t>(T));
    for (std::int64_t t = 0; t < T; ++t) tokenRows[t] = xq.row(t);
    std::vector<std::int64_t> firstRow{0};  // of each product in the joint loop
    for (const Product& p : products) firstRow.push_back(firstRow.back() + p.w->rows);
    pool.parallelFor(firstRow.back(), [&](std::int64_t begin, std::int64_t end) {
        std::size_t i = std::size_t(std::upper_bound(firstRow.begin(), firstRow.end(), begin) - firstRow.begin()) - 1;
        for (std::int64_t part = begin; part < end; ++i) {
            const Product& p = products[i];
            const std::int64_t partEnd = std::min(end, firstRow[i + 1]), r0 = part - firstRow[i];
            const std::int64_t yStride = p.yStride < 0 ? p.w->rows : p.yStride;
            for (std::int64_t t0 = 0; t0 < T; t0 += kTokenTile)
                kernels::quantizedProducts(p.w->type, p.w->row(r0, p.expert), p.w->rowBytes(), partEnd - part,
                                           tokenRows.data() + t0, std::min(kTokenTile, T - t0), p.w->cols,
                                           p.y + t0 * yStride + r0, yStride);
            part = partEnd;
        }
    });
}

// Y (T x rows) = X (T x cols) W^T for one expert of W. Each thread takes ranges of weight rows; float weights
// are multiplied four rows at a time into every token, so each weight is read once per call whatever T is.
void matmul(ThreadPool& pool, const Weight& w, std::int64_t expert, const float* x, std::int64_t T, float* y,
            std::int64_t yStride = -1)
{
    if (quantizesActivations(w.type)) {
        const Product p{&w, y, expert, yStride};
        matmulQuantized(pool, std::span(&p, 1), x, T);
        return;
    }
    if (yStride < 0) yStride = w.rows;
    const auto rows = [&](std::int64_t begin, std::int64_t end) {
        if (T == 1) {
            for (std::int64_t r = begin; r < end; ++r) y[r] = dotRow(w.type, w.row(r, expert), x, w.cols);
            return;
        }
        std::vector<float> rows(4 * w.cols);
        const float* rowPointers[4];
        for (std::int64_t r = begin; r < end; r += 4) {
            const int n = int(std::min<std::int64_t>(4, end - r));
            for (int k = 0; k < n; ++k) {
                dequantizeRow(w.type, w.row(r + k, expert), rows.data() + k * w.cols, w.cols);
                rowPointers[k] = rows.data() + k * w.cols;
            }
            kernels::rowsTimesTokens(rowPointers, n, x, T, w.cols, y + r, yStride);
        }
    };
    if (w.rows * w.cols * T <= kSerialMultiplyAdds) rows(0, w.rows);
    else pool.parallelFor(w.rows, rows);
}

// Products of one input with several matrices: those that take 8-bit activations in one joint loop (small
// float matrices, such as F32 gate projections, on their own).
void matmuls(ThreadPool& pool, std::span<const Product> products, const float* x, std::int64_t T)
{
    std::vector<Product> quantized;
    for (const Product& p : products) {
        if (quantizesActivations(p.w->type)) quantized.push_back(p);
        else matmul(pool, *p.w, p.expert, x, T, p.y, p.yStride);
    }
    if (!quantized.empty()) matmulQuantized(pool, quantized, x, T);
}

void l2Normalize(float* x, std::int64_t n, float eps)
{
    double sum = 0;
    for (std::int64_t i = 0; i < n; ++i) sum += double(x[i]) * x[i];
    const float scale = 1.f / std::max(float(std::sqrt(sum)), eps);
    for (std::int64_t i = 0; i < n; ++i) x[i] *= scale;
}

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

template <typename T>
void putBytes(std::vector<std::uint8_t>& out, const T* p, std::size_t n)
{
    const auto* b = reinterpret_cast<const std::uint8_t*>(p);
    out.insert(out.end(), b, b + n * sizeof(T));
}

constexpr char kStateMagic[8] = {'F', 'O', 'L', 'I', 'O', 'S', 'T', '2'};

}  // namespace

struct Session::Impl {
    const Model& model;
    const ModelConfig& c;
    SessionOptions options;
    ThreadPool pool;

    struct LayerState {
        std::vector<float> conv;  // (K-1) x channels, oldest first
        std::vector<float> ssm;   // Hv x Dv x Dk
        std::vector<float, LargePageAllocator<float>> k, v;  // capacity x nHeadKv x headDim
    };
    std::vector<LayerState> layers;
    std::int64_t capacity = 0;

    Impl(const Model& m, SessionOptions o) : model(m), c(m.config()), options(o), pool(o.threads)
    {
        layers.resize(c.nLayer);
        reset();
    }

    void reset()
    {
        capacity = 0;
        for (std::int64_t i = 0; i < c.nLayer; ++i) {
            LayerState& s = layers[i];
            s = {};
            if (c.layers[i] == LayerKind::DeltaNet) {
                s.conv.assign((c.convKernel - 1) * c.convChannels(), 0.f);
                s.ssm.assign(c.valueHeads * c.valueDim * c.keyDim, 0.f);
            }
        }
    }

    void reserve(std::int64_t tokens)
    {
        if (tokens <= capacity) return;
        std::int64_t cap = std::max<std::int64_t>(capacity * 2, std::max<std::int64_t>(tokens, options.maxContext));
        if (c.contextLength > 0) cap = std::max(tokens, std::min(cap, c.contextLength));
        const std::size_t per = c.nHeadKv * c.headDim;
        for (std::int64_t i = 0; i < c.nLayer; ++i)
            if (c.layers[i] == LayerKind::Attention) {
                layers[i].k.resize(cap * per);
                layers[i].v.resize(cap * per);
            }
        capacity = cap;
    }

    // The layers over tokens at positions pos0...; the last token's final normalised hidden state goes to
    // lastHidden. False if cancelled (the recurrent states are then half-updated: the caller restores them).
    bool forward(std::span<const std::int32_t> tokens, std::int64_t pos0, const std::atomic<bool>* cancel, float* lastHidden)
    {
        const std::int64_t T = std::int64_t(tokens.size()), E = c.nEmbd;
        std::vector<float> x(T * E), h(T * E), y(T * E);
        const Weight& embd = model.tokenEmbedding();
        for (std::int64_t t = 0; t < T; ++t) dequantizeRow(embd.type, embd.row(tokens[t]), x.data() + t * E, E);
        for (std::int64_t li = 0; li < c.nLayer; ++li) {
            if (cancel && cancel->load()) return false;
            const LayerWeights& L = model.layer(li);
            rmsNormRows(x.data(), L.attnNorm.values.data(), h.data(), T, E, c.rmsEps);
            if (c.layers[li] == LayerKind::DeltaNet) deltaNet(li, h.data(), T, y.data());
            else attention(li, h.data(), T, pos0, y.data());
            for (std::size_t i = 0; i < x.size(); ++i) x[i] += y[i];
            rmsNormRows(x.data(), L.postAttnNorm.values.data(), h.data(), T, E, c.rmsEps);
            ffn(li, h.data(), T, y.data());
            for (std::size_t i = 0; i < x.size(); ++i) x[i] += y[i];
        }
        rmsNorm(x.data() + (T - 1) * E, model.outputNorm().values.data(), lastHidden, E, c.rmsEps);
        return true;
    }

    // ---- Gated DeltaNet -------------------------------------------------------------------------------------

    void deltaNet(std::int64_t li, const float* h, std::int64_t T, float* out)
    {
        const LayerWeights& L = model.layer(li);
        LayerState& st = layers[li];
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

        // Causal depthwise conv over time, then SiLU. Tap K-1 multiplies the current token.
        const float* w = L.convWeight.values.data();
        for (std::int64_t t = 0; t < T; ++t) {
            float* m = mixed.data() + t * C;
            for (std::int64_t ch = 0; ch < C; ++ch) {
                float sum = w[ch * K + K - 1] * m[ch];
                for (std::int64_t j = 0; j < K - 1; ++j) sum += w[ch * K + j] * st.conv[j * C + ch];
                // Slide the window: drop the oldest input, keep this one.
                for (std::int64_t j = 0; j + 1 < K - 1; ++j) st.conv[j * C + ch] = st.conv[(j + 1) * C + ch];
                if (K > 1) st.conv[(K - 2) * C + ch] = m[ch];
                m[ch] = sum;
            }
            kernels::silu(m, m, C);
            for (std::int64_t g = 0; g < Hk; ++g) {
                l2Normalize(m + g * Dk, Dk, c.rmsEps);
                l2Normalize(m + Hk * Dk + g * Dk, Dk, c.rmsEps);
                const float scale = 1.f / std::sqrt(float(Dk));
                for (std::int64_t i = 0; i < Dk; ++i) m[g * Dk + i] *= scale;
            }
            for (std::int64_t v = 0; v < Hv; ++v) {
                float& av = a[t * Hv + v];
                av = softplus(av + L.dtBias.values[v]) * L.ssmA.values[v];  // log decay <= 0
            }
        }
        kernels::sigmoid(b.data(), b.data(), T * Hv);

        std::vector<float> o(T * inner);
        pool.parallelFor(Hv, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t v = begin; v < end; ++v) deltaRuleHead(st, v, mixed.data(), b.data(), a.data(), T, o.data());
        });

        // Per-head RMSNorm (ssm_norm is stored raw), gated by SiLU(z).
        kernels::silu(z.data(), z.data(), T * inner);
        for (std::int64_t t = 0; t < T; ++t)
            for (std::int64_t v = 0; v < Hv; ++v) {
                float* ov = o.data() + t * inner + v * Dv;
                rmsNorm(ov, L.ssmNorm.values.data(), ov, Dv, c.rmsEps);
                const float* zv = z.data() + t * inner + v * Dv;
                for (std::int64_t i = 0; i < Dv; ++i) ov[i] *= zv[i];
            }
        matmul(pool, L.ssmOut, 0, o.data(), T, out);
    }

    // One value head over T tokens: S <- exp(g) S; S <- S + beta (v - S k) k^T; o = S q. Chunks of
    // options.chunkSize tokens use the WY form: the pseudo-values u of a chunk solve a unit lower-triangular
    // system, and everything else is products of small matrices.
    void deltaRuleHead(LayerState& st, std::int64_t v, const float* mixed, const float* beta, const float* logDecay,
                       std::int64_t T, float* o)
    {
        const std::int64_t C = c.convChannels(), Hv = c.valueHeads, Hk = c.keyHeads, Dk = c.keyDim, Dv = c.valueDim,
                           inner = Hv * Dv, kh = c.keyHeadOf(v);
        float* S = st.ssm.data() + v * Dv * Dk;  // Dv x Dk
        auto qOf = [&](std::int64_t t) { return mixed + t * C + kh * Dk; };
        auto kOf = [&](std::int64_t t) { return mixed + t * C + Hk * Dk + kh * Dk; };
        auto vOf = [&](std::int64_t t) { return mixed + t * C + 2 * Hk * Dk + v * Dv; };
        const std::int64_t chunk = std::max(1, options.chunkSize);

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

        std::vector<float> G, U, KK, QK;  // sized at the first chunk of more than one token
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
                U.resize(chunk * Dv);
                KK.resize(chunk * chunk);
                QK.resize(chunk * chunk);
            }
            // Cumulative log decay within the chunk: state at t carries exp(G_t) of the chunk's start state.
            float acc = 0;
            for (std::int64_t t = 0; t < n; ++t) G[t] = acc += logDecay[(t0 + t) * Hv + v];
            for (std::int64_t t = 0; t < n; ++t)
                for (std::int64_t s = 0; s <= t; ++s) {
                    const float decay = std::exp(G[t] - G[s]);
                    KK[t * chunk + s] = kernels::dot(kOf(t0 + t), kOf(t0 + s), Dk) * decay;
                    QK[t * chunk + s] = kernels::dot(qOf(t0 + t), kOf(t0 + s), Dk) * decay;
                }
            // u_t = beta_t (v_t - exp(G_t) S0 k_t - sum_{s<t} exp(G_t - G_s) (k_t . k_s) u_s): forward substitution.
            for (std::int64_t t = 0; t < n; ++t) {
                const float bt = beta[(t0 + t) * Hv + v], gt = std::exp(G[t]);
                const float *k = kOf(t0 + t), *val = vOf(t0 + t);
                float* u = U.data() + t * Dv;
                for (std::int64_t i = 0; i < Dv; ++i) u[i] = val[i] - gt * kernels::dot(S + i * Dk, k, Dk);
                for (std::int64_t s = 0; s < t; ++s) kernels::axpy(-KK[t * chunk + s], U.data() + s * Dv, u, Dv);
                for (std::int64_t i = 0; i < Dv; ++i) u[i] *= bt;
            }
            // o_t = exp(G_t) S0 q_t + sum_{s<=t} exp(G_t - G_s) (q_t . k_s) u_s
            for (std::int64_t t = 0; t < n; ++t) {
                const float gt = std::exp(G[t]);
                const float* q = qOf(t0 + t);
                float* ot = o + (t0 + t) * inner + v * Dv;
                for (std::int64_t i = 0; i < Dv; ++i) ot[i] = gt * kernels::dot(S + i * Dk, q, Dk);
                for (std::int64_t s = 0; s <= t; ++s) kernels::axpy(QK[t * chunk + s], U.data() + s * Dv, ot, Dv);
            }
            // S <- exp(G_n) S0 + sum_s exp(G_n - G_s) u_s k_s^T
            const float gn = std::exp(G[n - 1]);
            for (std::int64_t i = 0; i < Dv * Dk; ++i) S[i] *= gn;
            for (std::int64_t s = 0; s < n; ++s) {
                const float decay = std::exp(G[n - 1] - G[s]);
                const float *us = U.data() + s * Dv, *k = kOf(t0 + s);
                for (std::int64_t i = 0; i < Dv; ++i) kernels::axpy(decay * us[i], k, S + i * Dk, Dk);
            }
        }
    }

    // ---- Gated attention ------------------------------------------------------------------------------------

    void attention(std::int64_t li, const float* h, std::int64_t T, std::int64_t pos0, float* out)
    {
        const LayerWeights& L = model.layer(li);
        LayerState& st = layers[li];
        const std::int64_t H = c.nHead, Hkv = c.nHeadKv, hd = c.headDim, per = Hkv * hd;
        std::vector<float> qg(T * 2 * H * hd), kv(T * per), vv(T * per);
        const Product qkv[] = {{&L.wq, qg.data()}, {&L.wk, kv.data()}, {&L.wv, vv.data()}};
        matmuls(pool, qkv, h, T);
        for (std::int64_t t = 0; t < T; ++t) {
            const RopeRotation rotation(c.ropeDims, pos0 + t, c.ropeBase);
            for (std::int64_t hh = 0; hh < H; ++hh) {
                float* q = qg.data() + t * 2 * H * hd + hh * 2 * hd;  // [q | gate] per head
                rmsNorm(q, L.qNorm.values.data(), q, hd, c.rmsEps);
                rotation.apply(q);
            }
            for (std::int64_t hh = 0; hh < Hkv; ++hh) {
                float* k = kv.data() + t * per + hh * hd;
                rmsNorm(k, L.kNorm.values.data(), k, hd, c.rmsEps);
                rotation.apply(k);
            }
            std::copy(kv.begin() + t * per, kv.begin() + (t + 1) * per, st.k.begin() + (pos0 + t) * per);
            std::copy(vv.begin() + t * per, vv.begin() + (t + 1) * per, st.v.begin() + (pos0 + t) * per);
        }
        std::vector<float> attn(T * H * hd);
        const AttentionLayout layout{H, Hkv, hd, 2 * H * hd, 2 * hd, per};
        causalAttention(pool, layout, qg.data(), st.k.data(), st.v.data(), pos0, T, attn.data());
        for (std::int64_t t = 0; t < T; ++t)
            for (std::int64_t hh = 0; hh < H; ++hh) {
                float* gate = qg.data() + t * 2 * H * hd + hh * 2 * hd + hd;
                kernels::sigmoid(gate, gate, hd);
                float* a = attn.data() + (t * H + hh) * hd;
                for (std::int64_t i = 0; i < hd; ++i) a[i] *= gate[i];
            }
        matmul(pool, L.wo, 0, attn.data(), T, out);
    }

    // ---- Feed-forward -----------------------------------------------------------------------------------------

    // down(SiLU(gate x) * up x) for one token with matrices of one expert. The gate and up rows may sit in one
    // fused matrix (upRowOffset), so they are read here rather than through matmul. xq: x rounded to 8 bits once
    // per token for all its experts (empty when no gate or up matrix takes 8-bit activations).
    void swiglu(const Weight& gate, const Weight& up, const Weight& down, std::int64_t expert, const float* x,
                const QuantizedActivations& xq, float* y, std::int64_t upRowOffset = 0)
    {
        const std::int64_t F = down.cols;
        std::vector<float> g(F), u(F);
        auto rows = [&](const Weight& w, std::int64_t begin, std::int64_t end, std::int64_t offset, float* out) {
            if (!quantizesActivations(w.type)) {
                for (std::int64_t r = begin; r < end; ++r) out[r] = dotRow(w.type, w.row(r + offset, expert), x, w.cols);
                return;
            }
            const ActivationRow token = xq.row(0);
            kernels::quantizedProducts(w.type, w.row(begin + offset, expert), w.rowBytes(), end - begin, &token, 1, w.cols,
                                       out + begin, 1);
        };
        pool.parallelFor(F, [&](std::int64_t begin, std::int64_t end) {
            rows(gate, begin, end, 0, g.data());
            rows(up, begin, end, upRowOffset, u.data());
        });
        kernels::silu(g.data(), g.data(), F);
        for (std::int64_t i = 0; i < F; ++i) g[i] *= u[i];
        matmul(pool, down, expert, g.data(), 1, y);
    }

    void ffn(std::int64_t li, const float* h, std::int64_t T, float* out)
    {
        const LayerWeights& L = model.layer(li);
        const std::int64_t E = c.nEmbd;
        if (!c.isMoe()) {
            const std::int64_t F = c.nFF;
            std::vector<float> g(T * F), u(T * F);
            const Product gateUp[] = {{&L.ffnGate, g.data()}, {&L.ffnUp, u.data()}};
            matmuls(pool, gateUp, h, T);
            kernels::silu(g.data(), g.data(), T * F);
            for (std::size_t i = 0; i < g.size(); ++i) g[i] *= u[i];
            matmul(pool, L.ffnDown, 0, g.data(), T, out);
            return;
        }
        std::vector<float> logits(c.nExpert), y(E);
        std::vector<std::int64_t> order(c.nExpert);
        std::vector<TensorType> roundedFor;  // the types of the matrices x goes into that take 8-bit activations
        for (const Weight* w : {&L.expGateUp, &L.expGate, &L.expUp, &L.sharedGate, &L.sharedUp})
            if (*w && quantizesActivations(w->type)) roundedFor.push_back(w->type);
        QuantizedActivations xq;
        for (std::int64_t t = 0; t < T; ++t) {
            const float* x = h + t * E;
            float* o = out + t * E;
            std::fill(o, o + E, 0.f);
            if (!roundedFor.empty()) xq.assign(x, 1, E, roundedFor);
            // Softmax over all experts, keep the top k, renormalise their weights to sum to one.
            matmul(pool, L.router, 0, x, 1, logits.data());
            const float maxLogit = *std::max_element(logits.begin(), logits.end());
            for (float& l : logits) l = std::exp(l - maxLogit);
            std::iota(order.begin(), order.end(), 0);
            std::partial_sort(order.begin(), order.begin() + c.nExpertUsed, order.end(),
                              [&](auto a, auto b) { return logits[a] > logits[b]; });
            float selected = 0;
            for (std::int64_t k = 0; k < c.nExpertUsed; ++k) selected += logits[order[static_cast<std::size_t>(k)]];
            for (std::int64_t k = 0; k < c.nExpertUsed; ++k) {
                const std::int64_t e = order[k];
                if (L.expGateUp) swiglu(L.expGateUp, L.expGateUp, L.expDown, e, x, xq, y.data(), c.nFFExpert);
                else swiglu(L.expGate, L.expUp, L.expDown, e, x, xq, y.data());
                const float w = logits[e] / selected;
                for (std::int64_t i = 0; i < E; ++i) o[i] += w * y[i];
            }
            if (L.sharedGate) {
                swiglu(L.sharedGate, L.sharedUp, L.sharedDown, 0, x, xq, y.data());
                float s = 0;
                for (std::int64_t i = 0; i < E; ++i) s += L.sharedGateInp.values[i] * x[i];
                float w;
                kernels::sigmoid(&s, &w, 1);
                for (std::int64_t i = 0; i < E; ++i) o[i] += w * y[i];
            }
        }
    }
};

std::string numericsSignature(const SessionOptions& options)
{
    return "cpu/" + kernels::instructionSet() + "/deltanet-chunk-"
        + std::to_string(std::max(1, options.chunkSize)) + "/activations-q8-32-k256/attention-tiles-64/exp-poly6/state-v1";
}

Session::Session(const Model& model, SessionOptions options) : d(std::make_unique<Impl>(model, options)) {}

Session::~Session() = default;

void Session::reset()
{
    d->reset();
    logits_.clear();
    tokens_.clear();
    position_ = 0;
}

void Session::prefill(std::span<const std::int32_t> tokens, const std::atomic<bool>* cancel)
{
    const ModelConfig& c = d->c;
    const std::int64_t T = std::int64_t(tokens.size()), E = c.nEmbd;
    if (T == 0) return;
    for (std::int32_t tok : tokens)
        if (tok < 0 || tok >= c.vocab)
            throw std::out_of_range("token id " + std::to_string(tok) + " is outside the vocabulary of "
                                    + std::to_string(c.vocab));
    d->reserve(position_ + T);
    // Recurrent states change in place: keep a copy to put back if the work is cancelled half-way.
    std::vector<Impl::LayerState> backup;
    if (cancel)
        for (const auto& s : d->layers) backup.push_back({s.conv, s.ssm, {}, {}});

    // Long prompts go through in batches of about kBatchTokens: the activations of a batch stay small enough to
    // be reused from one layer to the next instead of being mapped and cleared afresh (for 2,048 tokens that was
    // a fifth of the time). A batch is a whole number of DeltaNet chunks, and no other product depends on which
    // tokens share a call, so the numbers are exactly those of one call.
    const std::int64_t chunk = std::max(1, d->options.chunkSize);
    const std::int64_t batch = chunk * ((kBatchTokens + chunk - 1) / chunk);
    std::vector<float> last(E);
    for (std::int64_t b0 = 0; b0 < T; b0 += batch) {
        const auto part = tokens.subspan(std::size_t(b0), std::size_t(std::min(batch, T - b0)));
        if (!d->forward(part, position_ + b0, cancel, last.data())) {
            for (std::size_t i = 0; i < backup.size(); ++i) {
                d->layers[i].conv = std::move(backup[i].conv);
                d->layers[i].ssm = std::move(backup[i].ssm);
            }
            return;
        }
    }
    logits_.resize(c.vocab);
    matmul(d->pool, d->model.output(), 0, last.data(), 1, logits_.data());
    tokens_.insert(tokens_.end(), tokens.begin(), tokens.end());
    position_ += T;
}

std::uint64_t Session::stateBytes() const
{
    std::uint64_t total = 0;
    for (const auto& s : d->layers) total += (s.conv.size() + s.ssm.size() + s.k.size() + s.v.size()) * sizeof(float);
    return total;
}

namespace {

// Reads a state blob front to back, refusing to read past its end.
class StateReader {
public:
    explicit StateReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
    void take(void* dst, std::size_t n)
    {
        if (n > bytes_.size() - pos_) throw std::runtime_error("session state is truncated");
        std::memcpy(dst, bytes_.data() + pos_, n);
        pos_ += n;
    }
    template <typename T>
    T value()
    {
        T v;
        take(&v, sizeof v);
        return v;
    }
    void expectMagic(const char (&magic)[8], const char* what)
    {
        char m[8];
        take(m, 8);
        if (std::memcmp(m, magic, 8) != 0) throw std::runtime_error(std::string("not a Folio ") + what);
    }
    std::span<const std::uint8_t> block()
    {
        const auto n = value<std::uint64_t>();
        if (n > bytes_.size() - pos_) throw std::runtime_error("session state is truncated");
        auto out = bytes_.subspan(pos_, std::size_t(n));
        pos_ += std::size_t(n);
        return out;
    }
    void expectEnd() const
    {
        if (pos_ != bytes_.size()) throw std::runtime_error("session state has trailing bytes");
    }

private:
    std::span<const std::uint8_t> bytes_;
    std::size_t pos_ = 0;
};

constexpr char kRecurrentMagic[8] = {'F', 'O', 'L', 'I', 'O', 'R', 'S', '1'};
constexpr char kKvMagic[8] = {'F', 'O', 'L', 'I', 'O', 'K', 'V', '1'};

std::vector<std::int64_t> shapeOf(const ModelConfig& c)
{
    return {c.nLayer, c.nEmbd, c.vocab, c.convChannels(), c.valueHeads, c.valueDim, c.keyDim, c.nHeadKv, c.headDim};
}

void checkShape(StateReader& r, const ModelConfig& c)
{
    for (std::int64_t expected : shapeOf(c))
        if (r.value<std::int64_t>() != expected) throw std::runtime_error("session state belongs to a model of another shape");
}

}  // namespace

std::vector<std::uint8_t> Session::saveRecurrentState() const
{
    const ModelConfig& c = d->c;
    std::vector<std::uint8_t> out(kRecurrentMagic, kRecurrentMagic + 8);
    const auto shape = shapeOf(c);
    putBytes(out, shape.data(), shape.size());
    putBytes(out, &position_, 1);
    for (std::int64_t i = 0; i < c.nLayer; ++i) {
        if (c.layers[i] != LayerKind::DeltaNet) continue;
        const auto& s = d->layers[i];
        putBytes(out, s.conv.data(), s.conv.size());
        putBytes(out, s.ssm.data(), s.ssm.size());
    }
    const std::uint64_t nLogits = logits_.size();
    putBytes(out, &nLogits, 1);
    putBytes(out, logits_.data(), logits_.size());
    return out;
}

std::vector<std::uint8_t> Session::saveKv(std::int64_t begin, std::int64_t end) const
{
    const ModelConfig& c = d->c;
    if (begin < 0 || end < begin || end > position_) throw std::out_of_range("KV range outside the sequence");
    std::vector<std::uint8_t> out(kKvMagic, kKvMagic + 8);
    const auto shape = shapeOf(c);
    putBytes(out, shape.data(), shape.size());
    putBytes(out, &begin, 1);
    putBytes(out, &end, 1);
    const std::size_t per = c.nHeadKv * c.headDim;
    for (std::int64_t i = 0; i < c.nLayer; ++i) {
        if (c.layers[i] != LayerKind::Attention) continue;
        const auto& s = d->layers[i];
        putBytes(out, s.k.data() + begin * per, (end - begin) * per);
        putBytes(out, s.v.data() + begin * per, (end - begin) * per);
    }
    return out;
}

void Session::restoreParts(std::span<const std::uint8_t> recurrent,
                           const std::vector<std::span<const std::uint8_t>>& kvRanges,
                           std::span<const std::int32_t> tokens)
{
    const ModelConfig& c = d->c;
    StateReader r(recurrent);
    r.expectMagic(kRecurrentMagic, "recurrent state");
    checkShape(r, c);
    const auto position = r.value<std::int64_t>();
    if (position < 0 || std::size_t(position) != tokens.size() || (c.contextLength > 0 && position > c.contextLength))
        throw std::runtime_error("recurrent state position does not match its tokens");
    reset();
    try {
        d->reserve(position);
        for (std::int64_t i = 0; i < c.nLayer; ++i) {
            if (c.layers[i] != LayerKind::DeltaNet) continue;
            auto& s = d->layers[i];
            r.take(s.conv.data(), s.conv.size() * sizeof(float));
            r.take(s.ssm.data(), s.ssm.size() * sizeof(float));
        }
        const auto nLogits = r.value<std::uint64_t>();
        if (nLogits != 0 && nLogits != std::uint64_t(c.vocab)) throw std::runtime_error("session state logits do not fit");
        logits_.resize(nLogits);
        r.take(logits_.data(), logits_.size() * sizeof(float));
        r.expectEnd();

        const std::size_t per = c.nHeadKv * c.headDim;
        std::int64_t next = 0;
        for (const auto& range : kvRanges) {
            StateReader k(range);
            k.expectMagic(kKvMagic, "KV block");
            checkShape(k, c);
            const auto begin = k.value<std::int64_t>(), end = k.value<std::int64_t>();
            if (begin != next || end < begin || end > position) throw std::runtime_error("KV blocks do not cover the prefix in order");
            for (std::int64_t i = 0; i < c.nLayer; ++i) {
                if (c.layers[i] != LayerKind::Attention) continue;
                auto& s = d->layers[i];
                k.take(s.k.data() + begin * per, (end - begin) * per * sizeof(float));
                k.take(s.v.data() + begin * per, (end - begin) * per * sizeof(float));
            }
            k.expectEnd();
            next = end;
        }
        const bool hasAttention = std::find(c.layers.begin(), c.layers.end(), LayerKind::Attention) != c.layers.end();
        if (hasAttention && next != position) throw std::runtime_error("KV blocks end before the recurrent state's position");
    } catch (...) {
        Session::reset();
        throw;
    }
    tokens_.assign(tokens.begin(), tokens.end());
    position_ = position;
}

std::vector<std::uint8_t> Session::saveState() const
{
    std::vector<std::uint8_t> out(kStateMagic, kStateMagic + 8);
    auto putBlock = [&](const std::vector<std::uint8_t>& b) {
        const std::uint64_t n = b.size();
        putBytes(out, &n, 1);
        out.insert(out.end(), b.begin(), b.end());
    };
    const std::uint64_t nTokens = tokens_.size();
    putBytes(out, &nTokens, 1);
    putBytes(out, tokens_.data(), tokens_.size());
    putBlock(saveRecurrentState());
    putBlock(saveKv(0, position_));
    return out;
}

void Session::restoreState(std::span<const std::uint8_t> bytes)
{
    StateReader r(bytes);
    r.expectMagic(kStateMagic, "session state");
    const auto nTokens = r.value<std::uint64_t>();
    if (nTokens > bytes.size()) throw std::runtime_error("session state is truncated");
    std::vector<std::int32_t> tokens(nTokens);
    r.take(tokens.data(), tokens.size() * sizeof(std::int32_t));
    const auto recurrent = r.block();
    const auto kv = r.block();
    r.expectEnd();
    restoreParts(recurrent, {kv}, tokens);
}

}  // namespace folio::engine
