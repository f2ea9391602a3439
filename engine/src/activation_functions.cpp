// SiLU, the logistic sigmoid and the exponentials of a softmax over whole vectors. Decode applies the first two
// to about 250,000 values per token of a Qwen3.5-0.8B-sized model (the DeltaNet convolution's output, the output
// gates, the SwiGLU gates), which with the C library's scalar expf took about a tenth of a token's time on the
// thread that hands out the matrix products; a long prompt's attention takes an exponential per query and key.
// On x86-64 with AVX2 the exponential is eight lanes at a time: Cephes' method (2^n times a degree-6 polynomial
// on [-ln2/2, ln2/2]), within 2 ulps of expf.

#include "kernels.h"

#include <algorithm>
#include <cmath>

#if defined(__x86_64__)
#include <immintrin.h>
#define FOLIO_X86 1
#endif

namespace folio::engine::kernels {
namespace {

#ifdef FOLIO_X86
#define FOLIO_AVX2 __attribute__((target("avx2,fma,f16c")))

FOLIO_AVX2 inline __m256 expAvx2(__m256 x)
{
    // Beyond these exp(x) is 0 or infinite in float; clamping keeps 2^n a normal number.
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.3f)), _mm256_set1_ps(88.7f));
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    // r = x - n ln2, with ln2 in two parts so that r keeps its low bits.
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.f)));
    const __m256i twoToN = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(twoToN));
}

// y = x / (1 + exp(-x)) when `timesX`, else 1 / (1 + exp(-x)).
template <bool timesX>
FOLIO_AVX2 void logisticAvx2(const float* x, float* y, std::int64_t n)
{
    const __m256 one = _mm256_set1_ps(1.f);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 v = _mm256_loadu_ps(x + i);
        const __m256 denominator = _mm256_add_ps(one, expAvx2(_mm256_sub_ps(_mm256_setzero_ps(), v)));
        _mm256_storeu_ps(y + i, _mm256_div_ps(timesX ? v : one, denominator));
    }
    if (i < n) {
        // The last few values through the same lanes, so a value's result does not depend on where it lies.
        alignas(32) float in[8] = {}, out[8];
        std::copy(x + i, x + n, in);
        logisticAvx2<timesX>(in, out, 8);
        std::copy(out, out + (n - i), y + i);
    }
}

// x[i] = exp(x[i] - shift), returning their sum: eight lanes at a time, the last few through the same lanes.
FOLIO_AVX2 float expShiftedAvx2(float* x, std::int64_t n, float shift)
{
    const __m256 by = _mm256_set1_ps(shift);
    __m256 sum = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 e = expAvx2(_mm256_sub_ps(_mm256_loadu_ps(x + i), by));
        _mm256_storeu_ps(x + i, e);
        sum = _mm256_add_ps(sum, e);
    }
    if (i < n) {
        alignas(32) float last[8] = {};
        std::copy(x + i, x + n, last);
        _mm256_store_ps(last, expAvx2(_mm256_sub_ps(_mm256_load_ps(last), by)));
        std::fill(last + (n - i), last + 8, 0.f);
        std::copy(last, last + (n - i), x + i);
        sum = _mm256_add_ps(sum, _mm256_load_ps(last));
    }
    alignas(32) float lanes[8];
    _mm256_store_ps(lanes, sum);
    float total = 0;
    for (float lane : lanes) total += lane;
    return total;
}
#endif

}  // namespace

float expShifted(float* x, std::int64_t n, float shift)
{
#ifdef FOLIO_X86
    if (haveAvx2()) return expShiftedAvx2(x, n, shift);
#endif
    float sum = 0;
    for (std::int64_t i = 0; i < n; ++i) sum += x[i] = std::exp(x[i] - shift);
    return sum;
}

void silu(const float* x, float* y, std::int64_t n)
{
#ifdef FOLIO_X86
    if (haveAvx2()) {
        logisticAvx2<true>(x, y, n);
        return;
    }
#endif
    for (std::int64_t i = 0; i < n; ++i) y[i] = x[i] / (1.f + std::exp(-x[i]));
}

void sigmoid(const float* x, float* y, std::int64_t n)
{
#ifdef FOLIO_X86
    if (haveAvx2()) {
        logisticAvx2<false>(x, y, n);
        return;
    }
#endif
    for (std::int64_t i = 0; i < n; ++i) y[i] = 1.f / (1.f + std::exp(-x[i]));
}

}  // namespace folio::engine::kernels
