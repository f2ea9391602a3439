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

// Q4_K repacked (tensor_type.h): the scales and mins as bytes, and the quants of each half block in one run of
// 64 bytes whose low nibbles are values 0-63 of the half and high nibbles values 64-127, so that a 64-byte load
// and a mask or a shift give 64 values in order.
struct BlockQ4KWide {
    std::uint16_t d;
    std::uint16_t dmin;
    std::uint8_t scales[8];
    std::uint8_t mins[8];
    std::uint8_t qs[kQKK / 2];
};
static_assert(sizeof(BlockQ4KWide) == 148);

// Q5_K: Q4_K's scales and mins, and a fifth bit for every value in qh: bit 2j of qh[l] tops value 64j + l,
// bit 2j + 1 value 64j + 32 + l (the values whose low four bits are the low and high nibbles of qs[32j + l]).
struct BlockQ5K {
    std::uint16_t d;
    std::uint16_t dmin;
    std::uint8_t scales[12];
    std::uint8_t qh[kQKK / 8];
    std::uint8_t qs[kQKK / 2];
};
static_assert(sizeof(BlockQ5K) == 176);

struct BlockQ6K {
    std::uint8_t ql[kQKK / 2];
    std::uint8_t qh[kQKK / 4];
    std::int8_t scales[kQKK / 16];
    std::uint16_t d;
};
static_assert(sizeof(BlockQ6K) == 210);

// Q4_K and Q5_K pack eight 6-bit scales and eight 6-bit mins into 12 bytes: the first four of each in the low six
// bits of bytes 0-3 and 4-7; the last four take their low four bits from bytes 8-11 (scales the low nibbles, mins
// the high) and their top two from the top bits of bytes 0-3 (scales) and 4-7 (mins). All eight of each at once,
// four bytes per step.
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

// The 256 values of a block of a K-quant with sub-block scales and mins (0-15 each for Q4_K in either layout,
// 0-31 for Q5_K), in order.
inline void valuesK(const BlockQ4K& b, std::uint8_t* v)
{
    for (int j = 0; j < 4; ++j)
        for (int l = 0; l < 32; ++l) {
            v[64 * j + l] = b.qs[32 * j + l] & 0xF;
            v[64 * j + 32 + l] = b.qs[32 * j + l] >> 4;
        }
}

inline void valuesK(const BlockQ4KWide& b, std::uint8_t* v)
{
    for (int h = 0; h < 2; ++h)
        for (int i = 0; i < 64; ++i) {
            v[128 * h + i] = b.qs[64 * h + i] & 0xF;
            v[128 * h + 64 + i] = b.qs[64 * h + i] >> 4;
        }
}

inline void valuesK(const BlockQ5K& b, std::uint8_t* v)
{
    for (int j = 0; j < 4; ++j)
        for (int l = 0; l < 32; ++l) {
            v[64 * j + l] = std::uint8_t((b.qs[32 * j + l] & 0xF) | (((b.qh[l] >> (2 * j)) & 1) << 4));
            v[64 * j + 32 + l] = std::uint8_t((b.qs[32 * j + l] >> 4) | (((b.qh[l] >> (2 * j + 1)) & 1) << 4));
        }
}

inline void scalesMinsK4(const BlockQ4K& b, std::uint8_t* scales, std::uint8_t* mins)
{
    scalesMinsK4(b.scales, scales, mins);
}

inline void scalesMinsK4(const BlockQ5K& b, std::uint8_t* scales, std::uint8_t* mins)
{
    scalesMinsK4(b.scales, scales, mins);
}

inline void scalesMinsK4(const BlockQ4KWide& b, std::uint8_t* scales, std::uint8_t* mins)
{
    std::memcpy(scales, b.scales, 8);
    std::memcpy(mins, b.mins, 8);
}

}  // namespace folio::engine
