#pragma once

// The matrix products of the forward pass: each thread takes ranges of weight rows and multiplies them into
// every token, so each weight is read once per call whatever the number of tokens.

#include "folio/engine/model.h"
#include "folio/engine/thread_pool.h"

#include <cstdint>
#include <span>

namespace folio::engine {

// One weight matrix (one expert of it) and where its products go: Y (T x rows) = X (T x cols) W^T, row t of Y
// at y + t * yStride (rows when yStride < 0).
struct Product {
    const Weight* w;
    float* y;
    std::int64_t expert = 0, yStride = -1;
};

// Y (T x rows) = X (T x cols) W^T for one expert of W.
void matmul(ThreadPool& pool, const Weight& w, std::int64_t expert, const float* x, std::int64_t T, float* y,
            std::int64_t yStride = -1);

// Products of one input with several matrices, of any types, in one loop for the threads (the input rounded to 8
// bits once for those that take 8-bit activations), so a token's projections cost one hand-off, not one each.
void matmuls(ThreadPool& pool, std::span<const Product> products, const float* x, std::int64_t T);

// A SwiGLU feed-forward over some tokens with one expert of each matrix: Y (T x down rows) = (SiLU(X gate^T) *
// (X up^T)) down^T, with F rows of gate and of up (up's from upFirstRow: fused gate_up tensors hold the gate rows,
// then the up rows). A dense FFN, the shared expert, or one routed expert and the tokens routed to it.
struct SwigluJob {
    const Weight *gate, *up, *down;
    std::int64_t expert = 0, upFirstRow = 0, F = 0;
    const float* x = nullptr;  // T x gate->cols
    std::int64_t T = 0;
    float* y = nullptr;        // T x down->rows
    // X's rows already rounded to 8 bits for gate and up (the experts of a token share one rounding), or null.
    const ActivationRow* rounded = nullptr;
};

// Every job in two loops for the threads, gate and up rows of all of them, then down rows of all of them, so the
// experts of a token (or of a batch of tokens) cost two hand-offs, not two each, and each expert's weights are
// read once for all the tokens routed to it. A thread multiplies the same range of gate and up rows and applies
// the activation to it there and then, so no pass over the hidden values waits on one thread.
void swiglus(ThreadPool& pool, std::span<const SwigluJob> jobs);

}  // namespace folio::engine
