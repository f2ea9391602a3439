#pragma once

// The block layouts of the quantised types (see tensor_type.h), shared by the reference quantisers and the
// dot-product kernels.

#include <cstdint>
#include <cstring>

namespace folio::engine {

constexpr std::int64_t kQK8 = 32;
constexpr std::int64_t kQKK = 256;

struct BlockQ8_0 {
    std::uint16_t d;
    std::int8_t qs[kQK8];
};
static_assert(sizeof(BlockQ8_0) == 34);

struct BlockQ4K {
    std::uint16_t d;
    std::uint16_t dmin;
    std::uint8_t scales[12];
    std::uint8_t qs[kQKK / 2];
};
static_assert(sizeof(BlockQ4K) == 144);

struct BlockQ6K {
    std::uint8_t ql[kQKK / 2];
    std::uint8_t qh[kQKK / 4];
    std::int8_t scales[kQKK / 16];
    std::uint16_t d;
};
static_assert(sizeof(BlockQ6K) == 210);

// Q4_K packs eight 6-bit scales and eight 6-bit mins into 12 bytes: the first four of each in the low six bits
// of bytes 0-3 and 4-7, the last four split between bytes 8-11 (low nibbles) and the top two bits of 0-7.
inline void scaleMinK4(int j, const std::uint8_t* q, std::uint8_t* scale, std::uint8_t* min)
{
    if (j < 4) {
        *scale = q[j] & 63;
        *min = q[j + 4] & 63;
    } else {
        *scale = std::uint8_t((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        *min = std::uint8_t((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

// All eight scales and mins at once, four bytes per step: the same bits as scaleMinK4 for j = 0..7.
inline void scalesMinsK4(const std::uint8_t* q, std::uint8_t* scales, std::uint8_t* mins)
{
    std::uint32_t w[3];
    std::memcpy(w, q, 12);
    const std::uint32_t low6 = 0x3f3f3f3f, low4 = 0x0f0f0f0f, low2 = 0x03030303;
    const std::uint32_t sc[2] = {w[0] & low6, (w[2] & low4) | (((w[0] >> 6) & low2) << 4)};
    const std::uint32_t m[2] = {w[1] & low6, ((w[2] >> 4) & low4) | (((w[1] >> 6) & low2) << 4)};
    std::memcpy(scales, sc, 8);
    std::memcpy(mins, m, 8);
}

}  // namespace folio::engine
