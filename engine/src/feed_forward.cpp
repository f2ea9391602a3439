// The feed-forward half of a layer: a dense SwiGLU, or a mixture of experts (softmax router, top k experts
// renormalised, SwiGLU experts) with a shared expert under a sigmoid gate.

#include "feed_forward.h"

#include "kernels.h"
#include "matmul.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace folio::engine {
namespace {

// down(SiLU(gate x) * up x) for one token with matrices of one expert. The gate and up rows may sit in one
// fused matrix (upRowOffset), so they are read here rather than through matmul. xq: x rounded to 8 bits once
// per token for all its experts (empty when no gate or up matrix takes 8-bit activations).
void swiglu(ThreadPool& pool, const Weight& gate, const Weight& up, const Weight& down, std::int64_t expert, const float* x,
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

}  // namespace

void feedForward(ThreadPool& pool, const ModelConfig& c, const LayerWeights& L, const float* h, std::int64_t T, float* out)
{
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
            if (L.expGateUp) swiglu(pool, L.expGateUp, L.expGateUp, L.expDown, e, x, xq, y.data(), c.nFFExpert);
            else swiglu(pool, L.expGate, L.expUp, L.expDown, e, x, xq, y.data());
            const float w = logits[e] / selected;
            for (std::int64_t i = 0; i < E; ++i) o[i] += w * y[i];
        }
        if (L.sharedGate) {
            swiglu(pool, L.sharedGate, L.sharedUp, L.sharedDown, 0, x, xq, y.data());
            float s = 0;
            for (std::int64_t i = 0; i < E; ++i) s += L.sharedGateInp.values[i] * x[i];
            float w;
            kernels::sigmoid(&s, &w, 1);
            for (std::int64_t i = 0; i < E; ++i) o[i] += w * y[i];
        }
    }
}

}  // namespace folio::engine
