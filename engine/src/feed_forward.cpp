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

void feedForward(ThreadPool& pool, const ModelConfig& c, const LayerWeights& L, const float* h, std::int64_t T, float* out)
{
    const std::int64_t E = c.nEmbd;
    if (!c.isMoe()) {
        const std::int64_t F = c.nFF;
        std::vector<float> g(T * F);
        swiglu(pool, L.ffnGate, L.ffnUp, 0, 0, F, h, T, g.data());
        matmul(pool, L.ffnDown, 0, g.data(), T, out);
        return;
    }
    std::vector<float> logits(c.nExpert), y(E), g(std::max(c.nFFExpert, c.nFFShared));
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
            if (L.expGateUp) swiglu(pool, L.expGateUp, L.expGateUp, e, c.nFFExpert, c.nFFExpert, x, 1, g.data(), &xq);
            else swiglu(pool, L.expGate, L.expUp, e, 0, c.nFFExpert, x, 1, g.data(), &xq);
            matmul(pool, L.expDown, e, g.data(), 1, y.data());
            const float w = logits[e] / selected;
            for (std::int64_t i = 0; i < E; ++i) o[i] += w * y[i];
        }
        if (L.sharedGate) {
            swiglu(pool, L.sharedGate, L.sharedUp, 0, 0, c.nFFShared, x, 1, g.data(), &xq);
            matmul(pool, L.sharedDown, 0, g.data(), 1, y.data());
            float s = 0;
            for (std::int64_t i = 0; i < E; ++i) s += L.sharedGateInp.values[i] * x[i];
            float w;
            kernels::sigmoid(&s, &w, 1);
            for (std::int64_t i = 0; i < E; ++i) o[i] += w * y[i];
        }
    }
}

}  // namespace folio::engine
