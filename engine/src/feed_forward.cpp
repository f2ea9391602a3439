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

void feedForward(ThreadPool& pool, const ModelConfig& c, const LayerWeights& L, const float* h, std::int64_t T, float* out,
                 std::uint64_t* routed)
{
    if (!c.isMoe()) {
        const SwigluJob dense{&L.ffnGate, &L.ffnUp, &L.ffnDown, 0, 0, c.nFF, h, T, out};
        swiglus(pool, std::span(&dense, 1));
        return;
    }
    const std::int64_t E = c.nEmbd, X = c.nExpert, k = c.nExpertUsed;
    // Route every token: softmax over all experts, keep the top k, renormalise their weights to sum to one.
    // Slot t * k + s is the s-th expert of token t.
    std::vector<float> logits(T * X), weight(T * k);
    std::vector<std::int64_t> chosen(T * k), order(X);
    matmul(pool, L.router, 0, h, T, logits.data());
    for (std::int64_t t = 0; t < T; ++t) {
        float* l = logits.data() + t * X;
        const float maxLogit = *std::max_element(l, l + X);
        for (std::int64_t e = 0; e < X; ++e) l[e] = std::exp(l[e] - maxLogit);
        std::iota(order.begin(), order.end(), 0);
        std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](auto a, auto b) { return l[a] > l[b]; });
        float selected = 0;
        for (std::int64_t s = 0; s < k; ++s) selected += l[order[std::size_t(s)]];
        for (std::int64_t s = 0; s < k; ++s) {
            chosen[t * k + s] = order[std::size_t(s)];
            weight[t * k + s] = l[order[std::size_t(s)]] / selected;
        }
    }
    // Each expert gets the tokens routed to it side by side, so its weights are read once for all of them, and
    // all experts (the shared one too) go through the threads together.
    // Each token is rounded to 8 bits once for all the matrices it goes into that take 8-bit activations.
    std::vector<TensorType> roundedFor;
    for (const Weight* w : {&L.expGateUp, &L.expGate, &L.expUp, &L.sharedGate, &L.sharedUp})
        if (*w && quantizesActivations(w->type)) roundedFor.push_back(w->type);
    QuantizedActivations xq;
    std::vector<ActivationRow> tokenRows, routedRows(roundedFor.empty() ? 0 : T * k);
    if (!roundedFor.empty()) {
        xq.assign(h, T, E, roundedFor);
        for (std::int64_t t = 0; t < T; ++t) tokenRows.push_back(xq.row(t));
    }
    std::vector<std::vector<std::int64_t>> slotsOf(X);
    for (std::int64_t i = 0; i < T * k; ++i) slotsOf[std::size_t(chosen[i])].push_back(i);
    // The telemetry costs one addition per expert per call: the slots are gathered per expert anyway.
    if (routed)
        for (std::int64_t e = 0; e < X; ++e) routed[e] += slotsOf[std::size_t(e)].size();
    std::vector<float> routedIn(T * k * E), routedOut(T * k * E), shared(L.sharedGate ? T * E : 0);
    std::vector<std::int64_t> rowOfSlot(T * k);
    std::vector<SwigluJob> jobs;
    std::int64_t next = 0;
    for (std::int64_t e = 0; e < X; ++e) {
        const auto& slots = slotsOf[std::size_t(e)];
        if (slots.empty()) continue;
        for (std::size_t n = 0; n < slots.size(); ++n) {
            const std::int64_t row = next + std::int64_t(n), t = slots[n] / k;
            rowOfSlot[slots[n]] = row;
            std::copy_n(h + t * E, E, routedIn.data() + row * E);
            if (!routedRows.empty()) routedRows[row] = tokenRows[t];
        }
        const std::int64_t tokens = std::int64_t(slots.size());
        const ActivationRow* rounded = routedRows.empty() ? nullptr : routedRows.data() + next;
        if (L.expGateUp)
            jobs.push_back({&L.expGateUp, &L.expGateUp, &L.expDown, e, c.nFFExpert, c.nFFExpert, routedIn.data() + next * E,
                            tokens, routedOut.data() + next * E, rounded});
        else
            jobs.push_back({&L.expGate, &L.expUp, &L.expDown, e, 0, c.nFFExpert, routedIn.data() + next * E, tokens,
                            routedOut.data() + next * E, rounded});
        next += tokens;
    }
    if (L.sharedGate)
        jobs.push_back({&L.sharedGate, &L.sharedUp, &L.sharedDown, 0, 0, c.nFFShared, h, T, shared.data(),
                        tokenRows.empty() ? nullptr : tokenRows.data()});
    swiglus(pool, jobs);

    // Each token's experts added in the order of their weights, then the shared expert under its sigmoid gate.
    for (std::int64_t t = 0; t < T; ++t) {
        const float* x = h + t * E;
        float* o = out + t * E;
        std::fill(o, o + E, 0.f);
        for (std::int64_t s = 0; s < k; ++s) {
            const float w = weight[t * k + s];
            const float* y = routedOut.data() + rowOfSlot[t * k + s] * E;
            for (std::int64_t i = 0; i < E; ++i) o[i] += w * y[i];
        }
        if (L.sharedGate) {
            float s = 0;
            for (std::int64_t i = 0; i < E; ++i) s += L.sharedGateInp.values[i] * x[i];
            float w;
            kernels::sigmoid(&s, &w, 1);
            const float* y = shared.data() + t * E;
            for (std::int64_t i = 0; i < E; ++i) o[i] += w * y[i];
        }
    }
}

}  // namespace folio::engine
