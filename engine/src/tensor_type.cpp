#include "folio/engine/tensor_type.h"

#include "kernels.h"
#include "quant_blocks.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace folio::engine {
namespace {

const TensorTypeTraits kF32{"F32", 1, 4}, kF16{"F16", 1, 2}, kBF16{"BF16", 1, 2}, kQ8_0{"Q8_0", kQK8, sizeof(BlockQ8_0)},
    kQ4K{"Q4_K", kQKK, sizeof(BlockQ4K)}, kQ6K{"Q6_K", kQKK, sizeof(BlockQ6K)},
    kQ4KWide{"Q4_K_WIDE", kQKK, sizeof(BlockQ4KWide)}, kQ5K{"Q5_K", kQKK, sizeof(BlockQ5K)};

// The inverse of scalesMinsK4.
void packScaleMinK4(const std::uint8_t* scales, const std::uint8_t* mins, std::uint8_t* q)
{
    std::memset(q, 0, 12);
    for (int j = 0; j < 4; ++j) {
        q[j] = scales[j] & 63;
        q[j + 4] = mins[j] & 63;
    }
    for (int j = 4; j < 8; ++j) {
        q[j + 4] = std::uint8_t((scales[j] & 0xF) | ((mins[j] & 0xF) << 4));
        q[j - 4] |= std::uint8_t((scales[j] >> 4) << 6);
        q[j] |= std::uint8_t((mins[j] >> 4) << 6);
    }
}

void dequantizeQ8_0(const BlockQ8_0* b, float* y, std::int64_t n)
{
    for (std::int64_t i = 0; i < n / kQK8; ++i) {
        const float d = f16ToF32(b[i].d);
        for (int j = 0; j < kQK8; ++j) y[i * kQK8 + j] = d * float(b[i].qs[j]);
    }
}

// Q4_K in either layout and Q5_K: x = d * scale * q - dmin * min per sub-block of 32.
template <typename Block>
void dequantizeScaleMin(const Block* b, float* y, std::int64_t n)
{
    for (std::int64_t i = 0; i < n / kQKK; ++i) {
        const float d = f16ToF32(b[i].d), dmin = f16ToF32(b[i].dmin);
        std::uint8_t sc[8], m[8], q[kQKK];
        scalesMinsK4(b[i], sc, m);
        valuesK(b[i], q);
        for (int j = 0; j < 8; ++j) {
            const float scale = d * sc[j], min = dmin * m[j];
            for (int l = 0; l < 32; ++l) *y++ = scale * float(q[32 * j + l]) - min;
        }
    }
}

void dequantizeQ6K(const BlockQ6K* b, float* y, std::int64_t n)
{
    for (std::int64_t i = 0; i < n / kQKK; ++i) {
        const float d = f16ToF32(b[i].d);
        const std::uint8_t* ql = b[i].ql;
        const std::uint8_t* qh = b[i].qh;
        const std::int8_t* sc = b[i].scales;
        for (int half = 0; half < 2; ++half, y += 128, ql += 64, qh += 32, sc += 8) {
            for (int l = 0; l < 32; ++l) {
                const int is = l / 16;
                const int q1 = int((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                const int q2 = int((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                const int q3 = int((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                const int q4 = int((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                y[l] = d * float(sc[is]) * float(q1);
                y[l + 32] = d * float(sc[is + 2]) * float(q2);
                y[l + 64] = d * float(sc[is + 4]) * float(q3);
                y[l + 96] = d * float(sc[is + 6]) * float(q4);
            }
        }
    }
}

void quantizeQ8_0(const float* x, BlockQ8_0* b, std::int64_t n)
{
    for (std::int64_t i = 0; i < n / kQK8; ++i) {
        float amax = 0;
        for (int j = 0; j < kQK8; ++j) amax = std::max(amax, std::fabs(x[i * kQK8 + j]));
        const float d = amax / 127.f;
        b[i].d = f32ToF16(d);
        const float inv = d > 0 ? 1.f / d : 0.f;
        for (int j = 0; j < kQK8; ++j) b[i].qs[j] = std::int8_t(std::lrint(x[i * kQK8 + j] * inv));
    }
}

// One super-block of 256 values as Q4_K or Q5_K see it (levels 15 or 31): per sub-block of 32,
// x ~ scale * q - min with q in 0..levels and min >= 0; the scales and mins 6-bit multiples of d and dmin.
void quantizeScaleMin(const float* x, int levels, std::uint16_t& dOut, std::uint16_t& dminOut, std::uint8_t* packedScales,
                      std::uint8_t* q)
{
    std::array<float, 8> scale{}, min{};
    for (int j = 0; j < 8; ++j) {
        const float* s = x + 32 * j;
        const float lo = std::min(0.f, *std::min_element(s, s + 32));
        const float hi = *std::max_element(s, s + 32);
        scale[j] = (hi - lo) / float(levels);
        min[j] = -lo;
    }
    const float maxScale = *std::max_element(scale.begin(), scale.end());
    const float maxMin = *std::max_element(min.begin(), min.end());
    dOut = f32ToF16(maxScale / 63.f);
    dminOut = f32ToF16(maxMin / 63.f);
    const float dq = f16ToF32(dOut), dminq = f16ToF32(dminOut);
    std::array<std::uint8_t, 8> sc{}, mq{};
    for (int j = 0; j < 8; ++j) {
        sc[std::size_t(j)] = std::uint8_t(std::clamp(dq > 0 ? std::lrint(scale[j] / dq) : 0L, 0L, 63L));
        mq[std::size_t(j)] = std::uint8_t(std::clamp(dminq > 0 ? std::lrint(min[j] / dminq) : 0L, 0L, 63L));
    }
    packScaleMinK4(sc.data(), mq.data(), packedScales);
    for (int j = 0; j < 8; ++j) {
        const float s = dq * sc[std::size_t(j)], m = dminq * mq[std::size_t(j)];
        for (int l = 0; l < 32; ++l)
            q[32 * j + l] = std::uint8_t(std::clamp(s > 0 ? std::lrint((x[32 * j + l] + m) / s) : 0L, 0L, long(levels)));
    }
}

void quantizeQ4K(const float* x, BlockQ4K* b, std::int64_t n)
{
    for (std::int64_t i = 0; i < n / kQKK; ++i, x += kQKK) {
        std::uint8_t q[kQKK];
        quantizeScaleMin(x, 15, b[i].d, b[i].dmin, b[i].scales, q);
        for (int j = 0; j < 4; ++j)
            for (int l = 0; l < 32; ++l) b[i].qs[32 * j + l] = std::uint8_t(q[64 * j + l] | (q[64 * j + 32 + l] << 4));
    }
}

void quantizeQ5K(const float* x, BlockQ5K* b, std::int64_t n)
{
    for (std::int64_t i = 0; i < n / kQKK; ++i, x += kQKK) {
        std::uint8_t q[kQKK];
        quantizeScaleMin(x, 31, b[i].d, b[i].dmin, b[i].scales, q);
        std::memset(b[i].qh, 0, sizeof b[i].qh);
        for (int j = 0; j < 4; ++j)
            for (int l = 0; l < 32; ++l) {
                const int low = q[64 * j + l], high = q[64 * j + 32 + l];
                b[i].qs[32 * j + l] = std::uint8_t((low & 0xF) | ((high & 0xF) << 4));
                b[i].qh[l] |= std::uint8_t(((low >> 4) << (2 * j)) | ((high >> 4) << (2 * j + 1)));
            }
    }
}

void quantizeQ6K(const float* x, BlockQ6K* b, std::int64_t n)
{
    for (std::int64_t i = 0; i < n / kQKK; ++i, x += kQKK) {
        std::array<float, 16> scale{};
        for (int j = 0; j < 16; ++j) {
            float amax = 0;
            for (int l = 0; l < 16; ++l) amax = std::max(amax, std::fabs(x[16 * j + l]));
            scale[std::size_t(j)] = amax / 31.f;
        }
        const float d = *std::max_element(scale.begin(), scale.end()) / 127.f;
        b[i].d = f32ToF16(d);
        const float dq = f16ToF32(b[i].d);
        std::array<std::uint8_t, kQKK> q{};
        for (int j = 0; j < 16; ++j) {
            b[i].scales[j] = std::int8_t(std::clamp(dq > 0 ? std::lrint(scale[std::size_t(j)] / dq) : 0L, -128L, 127L));
            const float s = dq * b[i].scales[j];
            for (int l = 0; l < 16; ++l)
                q[std::size_t(16 * j + l)] = std::uint8_t(std::clamp(s > 0 ? std::lrint(x[16 * j + l] / s) : 0L, -32L, 31L) + 32);
        }
        std::uint8_t* ql = b[i].ql;
        std::uint8_t* qh = b[i].qh;
        for (int half = 0; half < 2; ++half, ql += 64, qh += 32) {
            const std::uint8_t* qq = q.data() + 128 * half;
            for (int l = 0; l < 32; ++l) {
                const int q1 = qq[l], q2 = qq[l + 32], q3 = qq[l + 64], q4 = qq[l + 96];
                ql[l] = std::uint8_t((q1 & 0xF) | ((q3 & 0xF) << 4));
                ql[l + 32] = std::uint8_t((q2 & 0xF) | ((q4 & 0xF) << 4));
                qh[l] = std::uint8_t((q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6));
            }
        }
    }
}

void checkMultiple(TensorType type, std::int64_t n)
{
    if (n % traits(type).blockSize != 0)
        throw std::invalid_argument(std::string(traits(type).name) + " rows need a multiple of "
                                    + std::to_string(traits(type).blockSize) + " values, got " + std::to_string(n));
}

}  // namespace

bool isSupportedTensorType(std::uint32_t raw)
{
    switch (TensorType(raw)) {
    case TensorType::F32: case TensorType::F16: case TensorType::BF16:
    case TensorType::Q8_0: case TensorType::Q4_K: case TensorType::Q5_K: case TensorType::Q6_K: return true;
    case TensorType::Q4_K_WIDE: return false;
    }
    return false;
}

const TensorTypeTraits& traits(TensorType type)
{
    switch (type) {
    case TensorType::F32: return kF32;
    case TensorType::F16: return kF16;
    case TensorType::BF16: return kBF16;
    case TensorType::Q8_0: return kQ8_0;
    case TensorType::Q4_K: return kQ4K;
    case TensorType::Q5_K: return kQ5K;
    case TensorType::Q6_K: return kQ6K;
    case TensorType::Q4_K_WIDE: return kQ4KWide;
    }
    throw std::invalid_argument("unsupported tensor type " + std::to_string(std::uint32_t(type)));
}

std::string toString(TensorType type)
{
    return traits(type).name;
}

std::size_t rowBytes(TensorType type, std::int64_t n)
{
    checkMultiple(type, n);
    return std::size_t(n / traits(type).blockSize) * traits(type).blockBytes;
}

float f16ToF32(std::uint16_t h)
{
    const std::uint32_t sign = std::uint32_t(h & 0x8000) << 16;
    std::uint32_t exp = (h >> 10) & 0x1F, mant = h & 0x3FF, bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else {  // subnormal: normalise
            exp = 127 - 15 + 1;
            while (!(mant & 0x400)) { mant <<= 1; --exp; }
            bits = sign | (exp << 23) | ((mant & 0x3FF) << 13);
        }
    } else if (exp == 31) {
        bits = sign | 0x7F800000 | (mant << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

std::uint16_t f32ToF16(float f)
{
    std::uint32_t x;
    std::memcpy(&x, &f, 4);
    const std::uint16_t sign = std::uint16_t((x >> 16) & 0x8000);
    const std::uint32_t absx = x & 0x7FFFFFFF;
    if (absx >= 0x7F800000) return std::uint16_t(sign | 0x7C00 | (absx > 0x7F800000 ? 0x200 : 0));
    if (absx >= 0x477FF000) return std::uint16_t(sign | 0x7C00);  // rounds to infinity
    if (absx < 0x38800000) {  // subnormal half (or zero)
        const float a = std::fabs(f) * 16777216.f;  // 2^24: units of the smallest subnormal
        return std::uint16_t(sign | std::uint16_t(std::lrint(a)));
    }
    std::uint32_t mant = absx & 0x7FFFFF;
    std::uint32_t exp = (absx >> 23) - 127 + 15;
    std::uint32_t h = (exp << 10) | (mant >> 13);
    const std::uint32_t rest = mant & 0x1FFF;
    if (rest > 0x1000 || (rest == 0x1000 && (h & 1))) ++h;  // to nearest, ties to even
    return std::uint16_t(sign | h);
}

float bf16ToF32(std::uint16_t h)
{
    const std::uint32_t bits = std::uint32_t(h) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

std::uint16_t f32ToBf16(float f)
{
    std::uint32_t x;
    std::memcpy(&x, &f, 4);
    if ((x & 0x7FFFFFFF) > 0x7F800000) return std::uint16_t((x >> 16) | 0x40);  // keep NaN a NaN
    x += 0x7FFF + ((x >> 16) & 1);
    return std::uint16_t(x >> 16);
}

void dequantizeRow(TensorType type, const void* src, float* dst, std::int64_t n)
{
    checkMultiple(type, n);
    switch (type) {
    case TensorType::F32: std::memcpy(dst, src, std::size_t(n) * 4); return;
    case TensorType::F16:
        for (std::int64_t i = 0; i < n; ++i) dst[i] = f16ToF32(static_cast<const std::uint16_t*>(src)[i]);
        return;
    case TensorType::BF16:
        for (std::int64_t i = 0; i < n; ++i) dst[i] = bf16ToF32(static_cast<const std::uint16_t*>(src)[i]);
        return;
    case TensorType::Q8_0: dequantizeQ8_0(static_cast<const BlockQ8_0*>(src), dst, n); return;
    case TensorType::Q4_K: dequantizeScaleMin(static_cast<const BlockQ4K*>(src), dst, n); return;
    case TensorType::Q5_K: dequantizeScaleMin(static_cast<const BlockQ5K*>(src), dst, n); return;
    case TensorType::Q6_K: dequantizeQ6K(static_cast<const BlockQ6K*>(src), dst, n); return;
    case TensorType::Q4_K_WIDE: dequantizeScaleMin(static_cast<const BlockQ4KWide*>(src), dst, n); return;
    }
}

void quantizeRow(TensorType type, const float* src, void* dst, std::int64_t n)
{
    checkMultiple(type, n);
    switch (type) {
    case TensorType::F32: std::memcpy(dst, src, std::size_t(n) * 4); return;
    case TensorType::F16:
        for (std::int64_t i = 0; i < n; ++i) static_cast<std::uint16_t*>(dst)[i] = f32ToF16(src[i]);
        return;
    case TensorType::BF16:
        for (std::int64_t i = 0; i < n; ++i) static_cast<std::uint16_t*>(dst)[i] = f32ToBf16(src[i]);
        return;
    case TensorType::Q8_0: quantizeQ8_0(src, static_cast<BlockQ8_0*>(dst), n); return;
    case TensorType::Q4_K: quantizeQ4K(src, static_cast<BlockQ4K*>(dst), n); return;
    case TensorType::Q5_K: quantizeQ5K(src, static_cast<BlockQ5K*>(dst), n); return;
    case TensorType::Q6_K: quantizeQ6K(src, static_cast<BlockQ6K*>(dst), n); return;
    case TensorType::Q4_K_WIDE:
        for (std::int64_t i = 0; i < n; i += kQKK) {
            BlockQ4K block;
            quantizeQ4K(src + i, &block, kQKK);
            repackQ4KWide(&block, static_cast<BlockQ4KWide*>(dst) + i / kQKK, kQKK);
        }
        return;
    }
}

void repackQ4KWide(const void* src, void* dst, std::int64_t n)
{
    checkMultiple(TensorType::Q4_K, n);
    const auto* from = static_cast<const BlockQ4K*>(src);
    auto* to = static_cast<BlockQ4KWide*>(dst);
    for (std::int64_t i = 0; i < n / kQKK; ++i) {
        BlockQ4KWide w;
        w.d = from[i].d;
        w.dmin = from[i].dmin;
        scalesMinsK4(from[i].scales, w.scales, w.mins);
        std::uint8_t q[kQKK];
        valuesK(from[i], q);
        for (int h = 0; h < 2; ++h)
            for (int l = 0; l < 64; ++l) w.qs[64 * h + l] = std::uint8_t(q[128 * h + l] | (q[128 * h + 64 + l] << 4));
        to[i] = w;
    }
}

namespace {

// The block of values that shares one activation scale for weights of `type` (see ActivationRow); 0 for types
// that take float activations.
std::int64_t activationBlock(TensorType type)
{
    switch (type) {
    case TensorType::Q8_0: return kQK8;
    case TensorType::Q4_K:
    case TensorType::Q4_K_WIDE:
    case TensorType::Q5_K:
    case TensorType::Q6_K: return kQKK;
    default: return 0;
    }
}

bool roundedFor(const ActivationRow& r, TensorType type)
{
    const std::int64_t block = activationBlock(type);
    return (block == kQK8 && r.q) || (block == kQKK && r.qK);
}

}  // namespace

bool quantizesActivations(TensorType type) { return activationBlock(type) != 0; }

namespace {
std::function<void(const ActivationRounding&)>& roundingObserver()
{
    static std::function<void(const ActivationRounding&)> observer;
    return observer;
}
}  // namespace

void observeActivationRoundings(std::function<void(const ActivationRounding&)> observer)
{
    roundingObserver() = std::move(observer);
}

void QuantizedActivations::assign(const float* x, std::int64_t tokens, std::int64_t n, std::span<const TensorType> weightTypes)
{
    if (n % kQK8 != 0) throw std::invalid_argument("activations come in blocks of 32, not " + std::to_string(n) + " values");
    auto needs = [&](std::int64_t block) {
        return std::any_of(weightTypes.begin(), weightTypes.end(), [block](TensorType t) { return activationBlock(t) == block; });
    };
    const bool blocks = needs(kQK8), superBlocks = needs(kQKK);
    if (superBlocks && n % kQKK != 0)
        throw std::invalid_argument("K-quant weights take rows of whole blocks of 256, not " + std::to_string(n) + " values");
    tokens_ = tokens;
    n_ = n;
    q_.resize(blocks ? std::size_t(tokens * n) : 0);
    d_.resize(blocks ? std::size_t(tokens * n / kQK8) : 0);
    qK_.resize(superBlocks ? std::size_t(tokens * n) : 0);
    dK_.resize(superBlocks ? std::size_t(tokens * n / kQKK) : 0);
    sumsK16_.resize(superBlocks ? std::size_t(tokens * n / 16) : 0);
    const auto& observer = roundingObserver();
    for (std::int64_t t = 0; t < tokens; ++t) {
        if (blocks) {
            kernels::quantizeActivations(x + t * n, n, kQK8, q_.data() + t * n, d_.data() + t * n / kQK8);
            if (observer) observer({x + t * n, n, kQK8, q_.data() + t * n, d_.data() + t * n / kQK8});
        }
        if (!superBlocks) continue;
        std::int8_t* qK = qK_.data() + t * n;
        kernels::quantizeActivations(x + t * n, n, kQKK, qK, dK_.data() + t * n / kQKK);
        if (observer) observer({x + t * n, n, kQKK, qK, dK_.data() + t * n / kQKK});
        std::int16_t* sums = sumsK16_.data() + t * n / 16;
        for (std::int64_t i = 0; i < n / 16; ++i) {
            int s = 0;
            for (int j = 0; j < 16; ++j) s += qK[16 * i + j];
            sums[i] = std::int16_t(s);
        }
    }
}

ActivationRow QuantizedActivations::row(std::int64_t t) const
{
    ActivationRow r{nullptr, nullptr, nullptr, nullptr, nullptr};
    if (!q_.empty()) {
        r.q = q_.data() + t * n_;
        r.d = d_.data() + t * n_ / kQK8;
    }
    if (!qK_.empty()) {
        r.qK = qK_.data() + t * n_;
        r.dK = dK_.data() + t * n_ / kQKK;
        r.sumsK16 = sumsK16_.data() + t * n_ / 16;
    }
    return r;
}

float ActivationRow::rounded(TensorType type, std::int64_t i) const
{
    if (!roundedFor(*this, type)) throw std::invalid_argument("these activations were not rounded for " + toString(type) + " weights");
    return activationBlock(type) == kQK8 ? d[i / kQK8] * float(q[i]) : dK[i / kQKK] * float(qK[i]);
}

void dotRowsTokens(TensorType type, const void* firstRow, std::int64_t rows, const ActivationRow* x, std::int64_t tokens,
                   std::int64_t n, float* y, std::int64_t yStride)
{
    checkMultiple(type, n);
    if (!quantizesActivations(type)) throw std::invalid_argument(toString(type) + " weights take float activations");
    if (rows < 0 || tokens < 0) throw std::invalid_argument("dotRowsTokens: negative count of rows or tokens");
    if (!std::all_of(x, x + tokens, [type](const ActivationRow& r) { return roundedFor(r, type); })) throw std::invalid_argument(toString(type) + " weights take activations rounded for them (QuantizedActivations::assign)");
    kernels::quantizedProducts(type, static_cast<const std::uint8_t*>(firstRow), rowBytes(type, n), rows, x, tokens, n, y, yStride);
}

float dotRow(TensorType type, const void* row, const float* x, std::int64_t n)
{
    checkMultiple(type, n);
    if (quantizesActivations(type)) {
        QuantizedActivations activations;
        activations.assign(x, 1, n, std::span(&type, 1));
        const ActivationRow token = activations.row(0);
        float out;
        dotRowsTokens(type, row, 1, &token, 1, n, &out, 1);
        return out;
    }
    if (type == TensorType::F32) return kernels::dot(static_cast<const float*>(row), x, n);
    // One block at a time through a small buffer: the row is never materialised.
    float buf[256];
    float sum = 0;
    const auto* bytes = static_cast<const std::uint8_t*>(row);
    for (std::int64_t i = 0; i < n; i += 256) {
        const std::int64_t len = std::min<std::int64_t>(256, n - i);
        dequantizeRow(type, bytes + rowBytes(type, i), buf, len);
        sum += kernels::dot(buf, x + i, len);
    }
    return sum;
}

}  // namespace folio::engine
