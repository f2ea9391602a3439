#pragma once

// Tensor element types and their block layouts, numbered as ggml numbers them in GGUF files. Quantised types
// store blocks: a block of `blockSize` values takes `blockBytes` bytes. Layouts:
//   Q8_0 (32 values, 34 bytes):  f16 d; int8 q[32];                          x = d * q
//   Q4_K (256 values, 144 bytes): f16 d, dmin; u8 scales[12]; u8 q[128];     8 sub-blocks of 32, 6-bit scale
//                                  and min each: x = d * sc * q4 - dmin * m
//   Q6_K (256 values, 210 bytes): u8 ql[128]; u8 qh[64]; int8 scales[16]; f16 d;
//                                  16 sub-blocks of 16: x = d * scale * (q6 - 32)

#include <cstddef>
#include <cstdint>
#include <string>

namespace folio::engine {

enum class TensorType : std::uint32_t { F32 = 0, F16 = 1, Q8_0 = 8, Q4_K = 12, Q6_K = 14, BF16 = 30 };

struct TensorTypeTraits {
    const char* name;
    std::int64_t blockSize;
    std::size_t blockBytes;
};

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
// sum_i row[i] * x[i] with the row in `type`, without materialising the dequantised row.
float dotRow(TensorType type, const void* row, const float* x, std::int64_t n);

}  // namespace folio::engine
