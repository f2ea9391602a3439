#pragma once

// Hot loops of the CPU backend. Each has a portable version and, on x86-64, an AVX2+FMA+F16C version chosen at
// run time, so one binary runs everywhere and uses the vector units where they exist.

#include "folio/engine/tensor_type.h"

#include <cstdint>

namespace folio::engine::kernels {

// sum_i a[i] * b[i]
float dot(const float* a, const float* b, std::int64_t n);

// Y[t * yStride + r] = dot(rows[r], X[t]) for r < nRows (at most 4), t < T: each row is reused for every token
// and each token for four rows, so the loads feed several multiply-adds.
void rowsTimesTokens(const float* const* rows, int nRows, const float* X, std::int64_t T, std::int64_t n, float* Y,
                     std::int64_t yStride);

// dot of one Q8_0 weight row with float activations, decoding the int8 blocks in registers: the same products
// as dequantise-then-dot, without writing the row out.
float dotQ8_0(const void* row, const float* x, std::int64_t n);

// dot of one Q4_K weight row with float activations: per sub-block of 32, d*sc * (q . x) - dmin*m * sum(x).
float dotQ4_K(const void* row, const float* x, std::int64_t n);

// dot of one Q6_K weight row with float activations: per sub-block of 16, d*scale * ((q6 - 32) . x).
float dotQ6_K(const void* row, const float* x, std::int64_t n);

// y += a * x
void axpy(float a, const float* x, float* y, std::int64_t n);

bool haveAvx2();

}  // namespace folio::engine::kernels
