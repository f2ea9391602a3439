#include "kernels.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#define FOLIO_X86 1
#endif

namespace folio::engine::kernels {
namespace {

struct BlockQ8_0 {
    std::uint16_t d;
    std::int8_t qs[32];
};

struct BlockQ4K {
    std::uint16_t d, dmin;
    std::uint8_t scales[12];
    std::uint8_t qs[128];
};

// The 6-bit scale and min of sub-block j (see tensor_type.h for the packing).
inline void scaleMin(int j, const std::uint8_t* q, float* scale, float* min)
{
    if (j < 4) {
        *scale = float(q[j] & 63);
        *min = float(q[j + 4] & 63);
    } else {
        *scale = float((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        *min = float((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

struct BlockQ6K {
    std::uint8_t ql[128];
    std::uint8_t qh[64];
    std::int8_t scales[16];
    std::uint16_t d;
};

// The 6-bit values of one half block (128 values) in natural order, as signed bytes q - 32.
inline void unpackQ6Half(const std::uint8_t* ql, const std::uint8_t* qh, std::int8_t* q)
{
    for (int l = 0; l < 32; ++l) {
        q[l] = std::int8_t(((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32);
        q[l + 32] = std::int8_t(((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32);
        q[l + 64] = std::int8_t(((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32);
        q[l + 96] = std::int8_t(((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32);
    }
}

float dotQ6KPortable(const BlockQ6K* w, const float* x, std::int64_t nb)
{
    float sum = 0;
    std::int8_t q[128];
    for (std::int64_t b = 0; b < nb; ++b) {
        const float d = f16ToF32(w[b].d);
        for (int half = 0; half < 2; ++half) {
            unpackQ6Half(w[b].ql + 64 * half, w[b].qh + 32 * half, q);
            const float* xh = x + b * 256 + half * 128;
            for (int sub = 0; sub < 8; ++sub) {
                float s = 0;
                for (int l = 0; l < 16; ++l) s += float(q[sub * 16 + l]) * xh[sub * 16 + l];
                sum += d * float(w[b].scales[half * 8 + sub]) * s;
            }
        }
    }
    return sum;
}

float dotQ4KPortable(const BlockQ4K* w, const float* x, std::int64_t nb)
{
    float sum = 0;
    for (std::int64_t b = 0; b < nb; ++b, x += 256) {
        const float d = f16ToF32(w[b].d), dmin = f16ToF32(w[b].dmin);
        for (int j = 0; j < 4; ++j) {
            const std::uint8_t* q = w[b].qs + 32 * j;
            const float* xl = x + 64 * j;
            float qxLo = 0, qxHi = 0, sxLo = 0, sxHi = 0;
            for (int l = 0; l < 32; ++l) {
                qxLo += float(q[l] & 0xF) * xl[l];
                qxHi += float(q[l] >> 4) * xl[32 + l];
                sxLo += xl[l];
                sxHi += xl[32 + l];
            }
            float sc, m;
            scaleMin(2 * j, w[b].scales, &sc, &m);
            sum += d * sc * qxLo - dmin * m * sxLo;
            scaleMin(2 * j + 1, w[b].scales, &sc, &m);
            sum += d * sc * qxHi - dmin * m * sxHi;
        }
    }
    return sum;
}

// Portable versions: eight partial sums, so the compiler can keep them in vector lanes without reassociating.
float dotPortable(const float* a, const float* b, std::int64_t n)
{
    float acc[8] = {};
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k) acc[k] += a[i + k] * b[i + k];
    float sum = 0;
    for (; i < n; ++i) sum += a[i] * b[i];
    for (float v : acc) sum += v;
    return sum;
}

float dotQ8_0Portable(const BlockQ8_0* w, const float* x, std::int64_t nb)
{
    float sum = 0;
    for (std::int64_t b = 0; b < nb; ++b) {
        float acc[8] = {};
        for (int j = 0; j < 32; j += 8)
            for (int k = 0; k < 8; ++k) acc[k] += float(w[b].qs[j + k]) * x[b * 32 + j + k];
        float block = 0;
        for (float v : acc) block += v;
        sum += f16ToF32(w[b].d) * block;
    }
    return sum;
}

#ifdef FOLIO_X86
__attribute__((target("avx2,fma,f16c"))) inline float hsum(__m256 v)
{
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_shuffle_ps(lo, lo, 1));
    return _mm_cvtss_f32(lo);
}

__attribute__((target("avx2,fma,f16c"))) float dotAvx2(const float* a, const float* b, std::int64_t n)
{
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
    }
    for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    float sum = hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; ++i) sum += a[i] * b[i];
    return sum;
}

// Four rows against two tokens at a time: eight accumulators, six loads per eight multiply-adds.
__attribute__((target("avx2,fma,f16c"))) void rowsTimesTokensAvx2(const float* const* rows, int nRows, const float* X,
                                                             std::int64_t T, std::int64_t n, float* Y, std::int64_t yStride)
{
    const float* r[4];
    for (int k = 0; k < 4; ++k) r[k] = rows[std::min(k, nRows - 1)];
    std::int64_t t = 0;
    for (; t + 2 <= T; t += 2) {
        const float *x0 = X + t * n, *x1 = x0 + n;
        __m256 a00 = _mm256_setzero_ps(), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (std::int64_t i = 0; i < n; i += 8) {
            const __m256 v0 = _mm256_loadu_ps(x0 + i), v1 = _mm256_loadu_ps(x1 + i);
            __m256 w = _mm256_loadu_ps(r[0] + i);
            a00 = _mm256_fmadd_ps(w, v0, a00);
            a01 = _mm256_fmadd_ps(w, v1, a01);
            w = _mm256_loadu_ps(r[1] + i);
            a10 = _mm256_fmadd_ps(w, v0, a10);
            a11 = _mm256_fmadd_ps(w, v1, a11);
            w = _mm256_loadu_ps(r[2] + i);
            a20 = _mm256_fmadd_ps(w, v0, a20);
            a21 = _mm256_fmadd_ps(w, v1, a21);
            w = _mm256_loadu_ps(r[3] + i);
            a30 = _mm256_fmadd_ps(w, v0, a30);
            a31 = _mm256_fmadd_ps(w, v1, a31);
        }
        const float out[4][2] = {{hsum(a00), hsum(a01)}, {hsum(a10), hsum(a11)}, {hsum(a20), hsum(a21)}, {hsum(a30), hsum(a31)}};
        for (int k = 0; k < nRows; ++k) {
            Y[t * yStride + k] = out[k][0];
            Y[(t + 1) * yStride + k] = out[k][1];
        }
    }
    for (; t < T; ++t)
        for (int k = 0; k < nRows; ++k) Y[t * yStride + k] = dotAvx2(rows[k], X + t * n, n);
}

// Per block: 32 int8 widened to floats in four registers, multiplied into x, then scaled once.
__attribute__((target("avx2,fma,f16c"))) float dotQ8_0Avx2(const BlockQ8_0* w, const float* x, std::int64_t nb)
{
    __m256 acc = _mm256_setzero_ps();
    for (std::int64_t b = 0; b < nb; ++b) {
        const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w[b].qs));
        const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w[b].qs + 16));
        const float* xb = x + b * 32;
        __m256 block = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(lo)), _mm256_loadu_ps(xb));
        block = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(lo, 8))), _mm256_loadu_ps(xb + 8), block);
        block = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(hi)), _mm256_loadu_ps(xb + 16), block);
        block = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(hi, 8))), _mm256_loadu_ps(xb + 24), block);
        acc = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(w[b].d)), block, acc);
    }
    return hsum(acc);
}

// Eight 4-bit values (one 64-bit lane of nibbles already masked) times eight floats.
__attribute__((target("avx2,fma,f16c"))) inline __m256 nibbles8(__m128i bytes8, const float* x, __m256 acc)
{
    return _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(bytes8)), _mm256_loadu_ps(x), acc);
}

__attribute__((target("avx2,fma,f16c"))) float dotQ4KAvx2(const BlockQ4K* w, const float* x, std::int64_t nb)
{
    const __m128i mask = _mm_set1_epi8(0x0F);
    __m256 acc = _mm256_setzero_ps();  // scaled per sub-block in vector form: one horizontal sum per row
    for (std::int64_t b = 0; b < nb; ++b, x += 256) {
        const float d = _cvtsh_ss(w[b].d), dmin = _cvtsh_ss(w[b].dmin);
        for (int j = 0; j < 4; ++j) {
            const std::uint8_t* q = w[b].qs + 32 * j;
            const float* xl = x + 64 * j;
            const __m128i q0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
            const __m128i q1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 16));
            const __m128i lo0 = _mm_and_si128(q0, mask), lo1 = _mm_and_si128(q1, mask);
            const __m128i hi0 = _mm_and_si128(_mm_srli_epi16(q0, 4), mask), hi1 = _mm_and_si128(_mm_srli_epi16(q1, 4), mask);
            __m256 qxLo = _mm256_setzero_ps(), qxHi = _mm256_setzero_ps();
            qxLo = nibbles8(lo0, xl, qxLo);
            qxLo = nibbles8(_mm_srli_si128(lo0, 8), xl + 8, qxLo);
            qxLo = nibbles8(lo1, xl + 16, qxLo);
            qxLo = nibbles8(_mm_srli_si128(lo1, 8), xl + 24, qxLo);
            qxHi = nibbles8(hi0, xl + 32, qxHi);
            qxHi = nibbles8(_mm_srli_si128(hi0, 8), xl + 40, qxHi);
            qxHi = nibbles8(hi1, xl + 48, qxHi);
            qxHi = nibbles8(_mm_srli_si128(hi1, 8), xl + 56, qxHi);
            const __m256 sxLo = _mm256_add_ps(_mm256_add_ps(_mm256_loadu_ps(xl), _mm256_loadu_ps(xl + 8)),
                                              _mm256_add_ps(_mm256_loadu_ps(xl + 16), _mm256_loadu_ps(xl + 24)));
            const __m256 sxHi = _mm256_add_ps(_mm256_add_ps(_mm256_loadu_ps(xl + 32), _mm256_loadu_ps(xl + 40)),
                                              _mm256_add_ps(_mm256_loadu_ps(xl + 48), _mm256_loadu_ps(xl + 56)));
            float sc, m;
            scaleMin(2 * j, w[b].scales, &sc, &m);
            acc = _mm256_fmadd_ps(_mm256_set1_ps(d * sc), qxLo, acc);
            acc = _mm256_fnmadd_ps(_mm256_set1_ps(dmin * m), sxLo, acc);
            scaleMin(2 * j + 1, w[b].scales, &sc, &m);
            acc = _mm256_fmadd_ps(_mm256_set1_ps(d * sc), qxHi, acc);
            acc = _mm256_fnmadd_ps(_mm256_set1_ps(dmin * m), sxHi, acc);
        }
    }
    return hsum(acc);
}

// The 6-bit values are unpacked to bytes with the portable code (cheap next to the multiply-adds), then
// widened eight at a time.
__attribute__((target("avx2,fma,f16c"))) float dotQ6KAvx2(const BlockQ6K* w, const float* x, std::int64_t nb)
{
    __m256 acc = _mm256_setzero_ps();
    alignas(32) std::int8_t q[128];
    for (std::int64_t b = 0; b < nb; ++b) {
        const float d = _cvtsh_ss(w[b].d);
        for (int half = 0; half < 2; ++half) {
            unpackQ6Half(w[b].ql + 64 * half, w[b].qh + 32 * half, q);
            const float* xh = x + b * 256 + half * 128;
            for (int sub = 0; sub < 8; ++sub) {
                const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + sub * 16));
                __m256 s = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(bytes)), _mm256_loadu_ps(xh + sub * 16));
                s = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(bytes, 8))), _mm256_loadu_ps(xh + sub * 16 + 8), s);
                acc = _mm256_fmadd_ps(_mm256_set1_ps(d * float(w[b].scales[half * 8 + sub])), s, acc);
            }
        }
    }
    return hsum(acc);
}

__attribute__((target("avx2,fma,f16c"))) void axpyAvx2(float a, const float* x, float* y, std::int64_t n)
{
    const __m256 va = _mm256_set1_ps(a);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; ++i) y[i] += a * x[i];
}
#endif

}  // namespace

bool haveAvx2()
{
#ifdef FOLIO_X86
    // FOLIO_NO_SIMD=1 forces the portable loops: how the tests check them on machines that have AVX2.
    static const bool yes = !std::getenv("FOLIO_NO_SIMD") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
        && __builtin_cpu_supports("f16c");
    return yes;
#else
    return false;
#endif
}

float dot(const float* a, const float* b, std::int64_t n)
{
#ifdef FOLIO_X86
    if (haveAvx2()) return dotAvx2(a, b, n);
#endif
    return dotPortable(a, b, n);
}

void rowsTimesTokens(const float* const* rows, int nRows, const float* X, std::int64_t T, std::int64_t n, float* Y,
                     std::int64_t yStride)
{
#ifdef FOLIO_X86
    if (haveAvx2() && n % 8 == 0) {
        rowsTimesTokensAvx2(rows, nRows, X, T, n, Y, yStride);
        return;
    }
#endif
    for (std::int64_t t = 0; t < T; ++t)
        for (int k = 0; k < nRows; ++k) Y[t * yStride + k] = dotPortable(rows[k], X + t * n, n);
}

float dotQ8_0(const void* row, const float* x, std::int64_t n)
{
    const auto* w = static_cast<const BlockQ8_0*>(row);
#ifdef FOLIO_X86
    if (haveAvx2()) return dotQ8_0Avx2(w, x, n / 32);
#endif
    return dotQ8_0Portable(w, x, n / 32);
}

float dotQ4_K(const void* row, const float* x, std::int64_t n)
{
    const auto* w = static_cast<const BlockQ4K*>(row);
#ifdef FOLIO_X86
    if (haveAvx2()) return dotQ4KAvx2(w, x, n / 256);
#endif
    return dotQ4KPortable(w, x, n / 256);
}

float dotQ6_K(const void* row, const float* x, std::int64_t n)
{
    const auto* w = static_cast<const BlockQ6K*>(row);
#ifdef FOLIO_X86
    if (haveAvx2()) return dotQ6KAvx2(w, x, n / 256);
#endif
    return dotQ6KPortable(w, x, n / 256);
}

void axpy(float a, const float* x, float* y, std::int64_t n)
{
#ifdef FOLIO_X86
    if (haveAvx2()) {
        axpyAvx2(a, x, y, n);
        return;
    }
#endif
    for (std::int64_t i = 0; i < n; ++i) y[i] += a * x[i];
}

}  // namespace folio::engine::kernels
