#include "kernels.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#define FOLIO_X86 1
#endif

namespace folio::engine::kernels {
namespace {

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
    // An odd last token gets the same sums in the same order as a token of a pair: a product never depends on
    // which tokens it was computed with.
    for (; t < T; ++t) {
        const float* x0 = X + t * n;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (std::int64_t i = 0; i < n; i += 8) {
            const __m256 v0 = _mm256_loadu_ps(x0 + i);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(r[0] + i), v0, a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(r[1] + i), v0, a1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(r[2] + i), v0, a2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(r[3] + i), v0, a3);
        }
        const float out[4] = {hsum(a0), hsum(a1), hsum(a2), hsum(a3)};
        for (int k = 0; k < nRows; ++k) Y[t * yStride + k] = out[k];
    }
}

// Two tokens x 32 columns at a time: eight accumulators, four loads of B and two broadcasts per eight
// multiply-adds. Columns past the last multiple of 32 and an odd last token take the same order per output.
__attribute__((target("avx2,fma,f16c"))) void addProductsAvx2(const float* X, std::int64_t xStride, std::int64_t T,
                                                               std::int64_t k, const float* B, std::int64_t bStride,
                                                               std::int64_t m, float* Y, std::int64_t yStride)
{
    std::int64_t c = 0;
    for (; c + 32 <= m; c += 32) {
        std::int64_t t = 0;
        for (; t + 2 <= T; t += 2) {
            float *y0 = Y + t * yStride + c, *y1 = y0 + yStride;
            __m256 a00 = _mm256_loadu_ps(y0), a01 = _mm256_loadu_ps(y0 + 8), a02 = _mm256_loadu_ps(y0 + 16),
                   a03 = _mm256_loadu_ps(y0 + 24), a10 = _mm256_loadu_ps(y1), a11 = _mm256_loadu_ps(y1 + 8),
                   a12 = _mm256_loadu_ps(y1 + 16), a13 = _mm256_loadu_ps(y1 + 24);
            const float *x0 = X + t * xStride, *x1 = x0 + xStride;
            for (std::int64_t j = 0; j < k; ++j) {
                const float* b = B + j * bStride + c;
                const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8), b2 = _mm256_loadu_ps(b + 16),
                             b3 = _mm256_loadu_ps(b + 24);
                const __m256 v0 = _mm256_broadcast_ss(x0 + j), v1 = _mm256_broadcast_ss(x1 + j);
                a00 = _mm256_fmadd_ps(v0, b0, a00);
                a01 = _mm256_fmadd_ps(v0, b1, a01);
                a02 = _mm256_fmadd_ps(v0, b2, a02);
                a03 = _mm256_fmadd_ps(v0, b3, a03);
                a10 = _mm256_fmadd_ps(v1, b0, a10);
                a11 = _mm256_fmadd_ps(v1, b1, a11);
                a12 = _mm256_fmadd_ps(v1, b2, a12);
                a13 = _mm256_fmadd_ps(v1, b3, a13);
            }
            _mm256_storeu_ps(y0, a00);
            _mm256_storeu_ps(y0 + 8, a01);
            _mm256_storeu_ps(y0 + 16, a02);
            _mm256_storeu_ps(y0 + 24, a03);
            _mm256_storeu_ps(y1, a10);
            _mm256_storeu_ps(y1 + 8, a11);
            _mm256_storeu_ps(y1 + 16, a12);
            _mm256_storeu_ps(y1 + 24, a13);
        }
        for (; t < T; ++t) {
            float* y0 = Y + t * yStride + c;
            __m256 a00 = _mm256_loadu_ps(y0), a01 = _mm256_loadu_ps(y0 + 8), a02 = _mm256_loadu_ps(y0 + 16),
                   a03 = _mm256_loadu_ps(y0 + 24);
            const float* x0 = X + t * xStride;
            for (std::int64_t j = 0; j < k; ++j) {
                const float* b = B + j * bStride + c;
                const __m256 v0 = _mm256_broadcast_ss(x0 + j);
                a00 = _mm256_fmadd_ps(v0, _mm256_loadu_ps(b), a00);
                a01 = _mm256_fmadd_ps(v0, _mm256_loadu_ps(b + 8), a01);
                a02 = _mm256_fmadd_ps(v0, _mm256_loadu_ps(b + 16), a02);
                a03 = _mm256_fmadd_ps(v0, _mm256_loadu_ps(b + 24), a03);
            }
            _mm256_storeu_ps(y0, a00);
            _mm256_storeu_ps(y0 + 8, a01);
            _mm256_storeu_ps(y0 + 16, a02);
            _mm256_storeu_ps(y0 + 24, a03);
        }
    }
    for (; c < m; ++c)
        for (std::int64_t t = 0; t < T; ++t) {
            float s = Y[t * yStride + c];
            for (std::int64_t j = 0; j < k; ++j) s = std::fma(X[t * xStride + j], B[j * bStride + c], s);
            Y[t * yStride + c] = s;
        }
}

__attribute__((target("avx2,fma,f16c"))) void axpyAvx2(float a, const float* x, float* y, std::int64_t n)
{
    const __m256 va = _mm256_set1_ps(a);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; ++i) y[i] += a * x[i];
}

__attribute__((target("avx2,fma,f16c"))) void multiplyAddAvx2(const float* a, const float* b, float* y, std::int64_t n)
{
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), _mm256_loadu_ps(y + i)));
    for (; i < n; ++i) y[i] = std::fma(a[i], b[i], y[i]);
}

__attribute__((target("avx2,fma,f16c"))) float scaleAddDotAvx2(float* s, float a, float b, const float* x, const float* q,
                                                                std::int64_t n)
{
    const __m256 va = _mm256_set1_ps(a), vb = _mm256_set1_ps(b);
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256 s0 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(x + i), _mm256_mul_ps(va, _mm256_loadu_ps(s + i)));
        const __m256 s1 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(x + i + 8), _mm256_mul_ps(va, _mm256_loadu_ps(s + i + 8)));
        _mm256_storeu_ps(s + i, s0);
        _mm256_storeu_ps(s + i + 8, s1);
        acc0 = _mm256_fmadd_ps(s0, _mm256_loadu_ps(q + i), acc0);
        acc1 = _mm256_fmadd_ps(s1, _mm256_loadu_ps(q + i + 8), acc1);
    }
    float sum = hsum(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i) {
        s[i] = a * s[i] + b * x[i];
        sum += s[i] * q[i];
    }
    return sum;
}
#endif

#ifdef FOLIO_X86
// From CPUID itself: clang's __builtin_cpu_supports does not know "f16c" (GCC's does), and the fuzzer builds
// with clang.
bool haveF16c()
{
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    return __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_F16C) != 0;
}
#endif

}  // namespace

bool haveAvx2()
{
#ifdef FOLIO_X86
    // FOLIO_NO_SIMD=1 forces the portable loops: how the tests check them on machines that have AVX2.
    static const bool yes = !std::getenv("FOLIO_NO_SIMD") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
        && haveF16c();
    return yes;
#else
    return false;
#endif
}

bool haveAvx512()
{
#ifdef FOLIO_X86
    // FOLIO_NO_AVX512=1 keeps the AVX2 kernels: how the tests check them on machines that have AVX-512.
    static const bool yes = haveAvx2() && !std::getenv("FOLIO_NO_AVX512") && __builtin_cpu_supports("avx512f")
        && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
    return yes;
#else
    return false;
#endif
}

std::string instructionSet()
{
    return haveAvx512() ? "avx512" : haveAvx2() ? "avx2-fma" : "portable";
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

void multiplyAdd(const float* a, const float* b, float* y, std::int64_t n)
{
#ifdef FOLIO_X86
    if (haveAvx2()) {
        multiplyAddAvx2(a, b, y, n);
        return;
    }
#endif
    for (std::int64_t i = 0; i < n; ++i) y[i] += a[i] * b[i];
}

void addProducts(const float* X, std::int64_t xStride, std::int64_t T, std::int64_t k, const float* B,
                 std::int64_t bStride, std::int64_t m, float* Y, std::int64_t yStride)
{
#ifdef FOLIO_X86
    if (haveAvx2()) {
        addProductsAvx2(X, xStride, T, k, B, bStride, m, Y, yStride);
        return;
    }
#endif
    for (std::int64_t t = 0; t < T; ++t)
        for (std::int64_t j = 0; j < k; ++j) {
            const float x = X[t * xStride + j];
            for (std::int64_t c = 0; c < m; ++c) Y[t * yStride + c] += x * B[j * bStride + c];
        }
}

float scaleAddDot(float* s, float a, float b, const float* x, const float* q, std::int64_t n)
{
#ifdef FOLIO_X86
    if (haveAvx2()) return scaleAddDotAvx2(s, a, b, x, q, n);
#endif
    float sum = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        s[i] = a * s[i] + b * x[i];
        sum += s[i] * q[i];
    }
    return sum;
}

}  // namespace folio::engine::kernels
