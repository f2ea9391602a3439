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

// The gate and up halves of a SwiGLU: out (T x F) = SiLU(X gate^T) * (X up^T) for F rows of each, one expert of
// each matrix, up's rows starting at upFirstRow (fused gate_up tensors hold the gate rows, then the up rows).
// A thread multiplies the same range of gate and up rows and applies the activation to it there and then, so
// no pass over the outputs waits on one thread. `rounded`: X already rounded for these weights' types (several
// experts of one token share it), or null.
void swiglu(ThreadPool& pool, const Weight& gate, const Weight& up, std::int64_t expert, std::int64_t upFirstRow,
            std::int64_t F, const float* x, std::int64_t T, float* out, const QuantizedActivations* rounded = nullptr);

}  // namespace folio::engine
