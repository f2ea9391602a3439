#pragma once

// Tensor element types and their block layouts, numbered as ggml numbers them in GGUF files. Quantised types
// store blocks: a block of `blockSize` values takes `blockBytes` bytes. Layouts:
//   Q8_0 (32 values, 34 bytes):  f16 d; int8 q[32];                          x = d * q
//   Q4_K (256 values, 144 bytes): f16 d, dmin; u8 scales[12]; u8 q[128];     8 sub-blocks of 32, 6-bit scale
//                                  and min each: x = d * sc * q4 - dmin * m
//   Q5_K (256 values, 176 bytes): f16 d, dmin; u8 scales[12]; u8 qh[32]; u8 q[128];  as Q4_K with a fifth bit
//                                  per value in qh: x = d * sc * q5 - dmin * m
//   Q6_K (256 values, 210 bytes): u8 ql[128]; u8 qh[64]; int8 scales[16]; f16 d;
//                                  16 sub-blocks of 16: x = d * scale * (q6 - 32)
// One type is never in a file: Q4_K_WIDE, Q4_K as the engine repacks it in memory for its CPU kernels (see
// repackQ4KWide). The same values and arithmetic, in a layout that takes about half the instructions to multiply:
//   Q4_K_WIDE (256 values, 148 bytes): f16 d, dmin; u8 scales[8]; u8 mins[8]; u8 q[128], where byte i of each
//                                  half h holds value 128h + i in its low nibble and value 128h + 64 + i in its high

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace folio::engine {

enum class TensorType : std::uint32_t { F32 = 0, F16 = 1, Q8_0 = 8, Q4_K = 12, Q5_K = 13, Q6_K = 14, BF16 = 30, Q4_K_WIDE = 0x1000C };

struct TensorTypeTraits {
    const char* name;
    std::int64_t blockSize;
    std::size_t blockBytes;
};

// The types a GGUF file may hold (Q4_K_WIDE is not one of them).
bool isSupportedTensorType(std::uint32_t raw);
const TensorTypeTraits& traits(TensorType type);
std::string toString(TensorType type);
// Bytes of a row of n values; n must be a multiple of the block size.
std::size_t rowBytes(TensorType type, std::int64_t n);

float f16ToF32(std::uint16_t h);
std::uint16_t f32ToF16(float f);  // round to nearest even
float bf16ToF32(std::uint16_t h);
std::uint16_t f32ToBf16(float f);  // round to nearest even

void dequantizeRow(TensorType type, const void* src, float* dst, std::int64_t n);
// The reference quantisers: used to write test models and to check round-trip bounds.
void quantizeRow(TensorType type, const float* src, void* dst, std::int64_t n);
// n values of Q4_K rows (src) as Q4_K_WIDE (dst): every value, scale and min kept, only moved.
void repackQ4KWide(const void* src, void* dst, std::int64_t n);
// Activations multiplied into Q8_0 and K-quant weights are first rounded to 8 bits, one float scale per block,
// so that a block's dot is integer arithmetic (ggml does the same). This is what lets decode run at the speed of
// reading the weights; the price is a rounding error of at most half a step, amax/254 of the block, per value.
// The block follows the weights: 32 values for Q8_0, whose blocks are 32 values; 256 for the K-quants (ggml's
// Q8_K), so that a whole super-block sums in integers, its 6- and 8-bit sub-block scales included, and costs
// one float multiply-add. With it go integer sums of every 16 values, which the Q4_K mins and the Q6_K offset
// multiply.
struct ActivationRow {
    const std::int8_t* q;         // blocks of 32: x ~ d[i / 32] * q[i]
    const float* d;               // n / 32
    const std::int8_t* qK;        // blocks of 256: x ~ dK[i / 256] * qK[i]
    const float* dK;              // n / 256
    const std::int16_t* sumsK16;  // n / 16: sum of qK over each 16 values

    // Value i as weights of `type` see it (an error if these activations were not rounded for that type).
    float rounded(TensorType type, std::int64_t i) const;
};

class QuantizedActivations {
public:
    // `tokens` rows of n values each (n a multiple of 32), rounded as weights of `weightTypes` take them: blocks
    // of 32 if one of them is Q8_0, of 256 if one is a K-quant (then n must be a multiple of 256). What no weight
    // type needs is not made, and its pointers in ActivationRow are null.
    void assign(const float* x, std::int64_t tokens, std::int64_t n, std::span<const TensorType> weightTypes);
    ActivationRow row(std::int64_t t) const;
    std::int64_t tokens() const { return tokens_; }

private:
    std::int64_t tokens_ = 0, n_ = 0;
    std::vector<std::int8_t> q_, qK_;
    std::vector<float> d_, dK_;
    std::vector<std::int16_t> sumsK16_;
};

bool quantizesActivations(TensorType type);

// One rounding of one token's activations as QuantizedActivations::assign makes it: n inputs x, rounded in
// blocks of `block` values to q (n) with scales d (n / block).
struct ActivationRounding {
    const float* x;
    std::int64_t n, block;
    const std::int8_t* q;
    const float* d;
};
// While set (nullptr unsets), called with every rounding that assign makes, on the thread that calls assign.
// For tests that hold the engine to a float64 reference: where a value lies within a hair of half a step,
// float32 and float64 may round it to neighbouring steps, and the reference then takes the engine's step.
void observeActivationRoundings(std::function<void(const ActivationRounding&)> observer);

// y[t * yStride + r] = sum_i row_r[i] * x[t][i] for `rows` consecutive rows of n values in a type that
// quantizesActivations (row r at firstRow + r * rowBytes(type, n)) and `tokens` tokens' activations. Each row is
// read once for all the tokens, and every product gets exactly the arithmetic it would get alone, so a prompt
// and the same tokens decoded one at a time see the same products, whichever rows share a call.
void dotRowsTokens(TensorType type, const void* firstRow, std::int64_t rows, const ActivationRow* x, std::int64_t tokens,
                   std::int64_t n, float* y, std::int64_t yStride);

// sum_i row[i] * x[i] with the row in `type`, without materialising the dequantised row (for the types that
// quantise activations, x is rounded as above first).
float dotRow(TensorType type, const void* row, const float* x, std::int64_t n);

}  // namespace folio::engine
