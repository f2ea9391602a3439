#pragma once

// Hot loops of the CPU backend. Each has a portable version and, on x86-64, an AVX2+FMA+F16C version chosen at
// run time (the quantised products an AVX-512 one too), so one binary runs everywhere and uses the vector units
// where they exist.

#include "folio/engine/tensor_type.h"

#include <cstdint>
#include <string>

namespace folio::engine::kernels {

// sum_i a[i] * b[i]
float dot(const float* a, const float* b, std::int64_t n);

// Y[t * yStride + r] = dot(rows[r], X[t]) for r < nRows (at most 4), t < T: each row is reused for every token
// and each token for four rows, so the loads feed several multiply-adds. Each product is summed the same way
// whatever T and nRows are.
void rowsTimesTokens(const float* const* rows, int nRows, const float* X, std::int64_t T, std::int64_t n, float* Y,
                     std::int64_t yStride);

// Y[t * yStride + c] += sum_j X[t * xStride + j] * B[j * bStride + c] for t < T, j < k, c < m: a product whose
// inner dimension is short (attention's probabilities times values), so it runs along the rows of B instead of
// reducing along them. Each output is summed over j in order, whatever T is.
void addProducts(const float* X, std::int64_t xStride, std::int64_t T, std::int64_t k, const float* B,
                 std::int64_t bStride, std::int64_t m, float* Y, std::int64_t yStride);

// Y[t * yStride + r] = row r . x[t] for nRows rows of `type` (Q8_0, Q4_K, Q4_K_WIDE, Q5_K or Q6_K; rowBytes apart from firstRow)
// and nTokens tokens' 8-bit activations of n values (quantized_dot.cpp). Each row is read once and multiplied
// into the tokens four at a time; every product gets exactly the arithmetic it would get alone. The kernel is
// chosen once per call, so a matrix pays for the choice once, not once per row.
void quantizedProducts(TensorType type, const std::uint8_t* firstRow, std::size_t rowBytes, std::int64_t nRows,
                       const ActivationRow* x, std::int64_t nTokens, std::int64_t n, float* y, std::int64_t yStride);
// One row of n values rounded to 8 bits in blocks of `block` values (32 or 256): q (n) and d (n / block); see
// ActivationRow.
void quantizeActivations(const float* x, std::int64_t n, std::int64_t block, std::int8_t* q, float* d);

// y += a * x
void axpy(float a, const float* x, float* y, std::int64_t n);

// y[i] += a[i] * b[i], each value on its own (the same result wherever it lies in the vector)
void multiplyAdd(const float* a, const float* b, float* y, std::int64_t n);

// s = a * s + b * x, then returns s . q: one pass over s where the delta rule would take two.
float scaleAddDot(float* s, float a, float b, const float* x, const float* q, std::int64_t n);

// y = x / (1 + exp(-x)) (SiLU) and y = 1 / (1 + exp(-x)), elementwise; y may be x (activation_functions.cpp).
void silu(const float* x, float* y, std::int64_t n);
void sigmoid(const float* x, float* y, std::int64_t n);
// x[i] = exp(x[i] - shift) in place, returning their sum (a softmax's numerators and denominator); each value is
// the same wherever it lies in the vector.
float expShifted(float* x, std::int64_t n, float shift);

bool haveAvx2();
// AVX-512 (F, BW, VL) as well: the quantised kernels then take 64 values per instruction.
bool haveAvx512();
// Which kernels run: "avx512", "avx2-fma" or "portable" (results differ in the last bits between them).
std::string instructionSet();

}  // namespace folio::engine::kernels
