// Dots of quantised weight rows with 8-bit activations (see ActivationRow in tensor_type.h). Per block of 32
// the products are summed exactly in integers; only the per-block scale is floating point. On x86-64 with AVX2
// the integer part is vpmaddubsw + vpmaddwd on 32 bytes at a time (unsigned x signed, so the signed weights of
// Q8_0 lend their sign to the activations first), and the scaled sums stay in eight float lanes until the end:
// the K-quants' min and offset terms, one per sub-block, are subtracted lane by lane (eight sub-blocks, eight
// lanes) since only the sum of all lanes matters.
// Up to four tokens share each decoded block of weights: for a prompt the weights are unpacked once per four
// tokens, and every token's arithmetic is the same as when it comes alone.

#include "kernels.h"
#include "quant_blocks.h"

#include <algorithm>
#include <cmath>

#if defined(__x86_64__)
#include <immintrin.h>
#define FOLIO_X86 1
#endif

namespace folio::engine::kernels {
namespace {

constexpr int kMaxTokens = 4;

void quantizeActivationsPortable(const float* x, std::int64_t n, std::int8_t* q, float* d, float* sum32, float* sum16)
{
    for (std::int64_t b = 0; b < n / 32; ++b, x += 32, q += 32) {
        float amax = 0;
        for (int i = 0; i < 32; ++i) amax = std::max(amax, std::fabs(x[i]));
        const float scale = amax / 127.f, inverse = scale > 0 ? 1.f / scale : 0.f;
        int halves[2] = {0, 0};
        for (int i = 0; i < 32; ++i) {
            const int v = int(std::nearbyint(x[i] * inverse));  // nearest, ties to even: what vcvtps2dq does
            q[i] = std::int8_t(v);
            halves[i / 16] += v;
        }
        d[b] = scale;
        sum16[2 * b] = scale * float(halves[0]);
        sum16[2 * b + 1] = scale * float(halves[1]);
        sum32[b] = scale * float(halves[0] + halves[1]);
    }
}

template <typename W>
int blockSum(const W* a, const std::int8_t* b, int n)
{
    int s = 0;
    for (int i = 0; i < n; ++i) s += int(a[i]) * int(b[i]);
    return s;
}

void dotPortable(const BlockQ8_0* w, const ActivationRow* x, int nTokens, std::int64_t nb, float* out)
{
    for (int k = 0; k < nTokens; ++k) {
        float sum = 0;
        for (std::int64_t b = 0; b < nb; ++b)
            sum += f16ToF32(w[b].d) * x[k].d[b] * float(blockSum(w[b].qs, x[k].q + 32 * b, 32));
        out[k] = sum;
    }
}

void dotPortable(const BlockQ4K* w, const ActivationRow* x, int nTokens, std::int64_t nb, float* out)
{
    std::uint8_t nibbles[256];
    float sums[kMaxTokens] = {};
    for (std::int64_t b = 0; b < nb; ++b) {
        for (int j = 0; j < 4; ++j)
            for (int l = 0; l < 32; ++l) {
                nibbles[64 * j + l] = w[b].qs[32 * j + l] & 0xF;
                nibbles[64 * j + 32 + l] = w[b].qs[32 * j + l] >> 4;
            }
        const float d = f16ToF32(w[b].d), dmin = f16ToF32(w[b].dmin);
        std::uint8_t sc[8], m[8];
        scalesMinsK4(w[b].scales, sc, m);
        for (int j = 0; j < 8; ++j)
            for (int k = 0; k < nTokens; ++k) {
                const std::int64_t a = 8 * b + j;
                sums[k] += d * float(sc[j]) * x[k].d[a] * float(blockSum(nibbles + 32 * j, x[k].q + 32 * a, 32))
                    - dmin * float(m[j]) * x[k].sum32[a];
            }
    }
    std::copy(sums, sums + nTokens, out);
}

// The 6-bit values of one half block (128 values) in natural order, unsigned (q6 = value + 32).
void unpackQ6Half(const std::uint8_t* ql, const std::uint8_t* qh, std::uint8_t* q)
{
    for (int l = 0; l < 32; ++l) {
        q[l] = std::uint8_t((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4));
        q[l + 32] = std::uint8_t((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4));
        q[l + 64] = std::uint8_t((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4));
        q[l + 96] = std::uint8_t((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4));
    }
}

void dotPortable(const BlockQ6K* w, const ActivationRow* x, int nTokens, std::int64_t nb, float* out)
{
    std::uint8_t q[128];
    float sums[kMaxTokens] = {};
    for (std::int64_t b = 0; b < nb; ++b) {
        const float d = f16ToF32(w[b].d);
        for (int half = 0; half < 2; ++half) {
            unpackQ6Half(w[b].ql + 64 * half, w[b].qh + 32 * half, q);
            for (int sub = 0; sub < 8; ++sub) {
                const float scale = d * float(w[b].scales[8 * half + sub]);
                const std::int64_t i = 256 * b + 128 * half + 16 * sub;  // first value of this sub-block
                for (int k = 0; k < nTokens; ++k)
                    // (q6 - 32) . a = q6 . a - 32 * sum(a)
                    sums[k] += scale * (x[k].d[i / 32] * float(blockSum(q + 16 * sub, x[k].q + i, 16)) - 32.f * x[k].sum16[i / 16]);
            }
        }
    }
    std::copy(sums, sums + nTokens, out);
}

#ifdef FOLIO_X86
#define FOLIO_AVX2 __attribute__((target("avx2,fma,f16c")))
// The loops over tokens and sub-blocks are unrolled (GCC does not at -O2) so accumulators stay in registers.

FOLIO_AVX2 inline float hsum(__m256 v)
{
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_shuffle_ps(lo, lo, 1));
    return _mm_cvtss_f32(lo);
}

// Eight int32 lanes, lane i = sum of the products of bytes 4i..4i+3.
FOLIO_AVX2 inline __m256i dotBytes(__m256i unsignedBytes, __m256i signedBytes)
{
    return _mm256_madd_epi16(_mm256_maddubs_epi16(unsignedBytes, signedBytes), _mm256_set1_epi16(1));
}

FOLIO_AVX2 inline __m256i loadBytes(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }

// Eight unsigned bytes as eight floats.
FOLIO_AVX2 inline __m256 bytesToFloats(const std::uint8_t* p)
{
    return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
}

// Lane i of v in all eight lanes.
FOLIO_AVX2 inline __m256 lane(__m256 v, int i) { return _mm256_permutevar8x32_ps(v, _mm256_set1_epi32(i)); }

FOLIO_AVX2 void quantizeActivationsAvx2(const float* x, std::int64_t n, std::int8_t* q, float* d, float* sum32, float* sum16)
{
    const __m256 signBit = _mm256_set1_ps(-0.f);
    for (std::int64_t b = 0; b < n / 32; ++b, x += 32, q += 32) {
        __m256 v[4];
        __m256 amax = _mm256_setzero_ps();
        for (int i = 0; i < 4; ++i) {
            v[i] = _mm256_loadu_ps(x + 8 * i);
            amax = _mm256_max_ps(amax, _mm256_andnot_ps(signBit, v[i]));
        }
        __m128 m = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
        m = _mm_max_ps(m, _mm_movehl_ps(m, m));
        m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
        const float scale = _mm_cvtss_f32(m) / 127.f, inverse = scale > 0 ? 1.f / scale : 0.f;
        __m256i qi[4];
        for (int i = 0; i < 4; ++i) qi[i] = _mm256_cvtps_epi32(_mm256_mul_ps(v[i], _mm256_set1_ps(inverse)));
        // Sums of values 0-15 and 16-31 from the int32 lanes, before packing.
        alignas(32) std::int32_t lanes[16];
        _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), _mm256_add_epi32(qi[0], qi[1]));
        _mm256_store_si256(reinterpret_cast<__m256i*>(lanes + 8), _mm256_add_epi32(qi[2], qi[3]));
        int halves[2] = {0, 0};
        for (int i = 0; i < 16; ++i) halves[i / 8] += lanes[i];
        // Packing interleaves 128-bit lanes; the permute puts the 32 bytes back in order.
        const __m256i packed8 = _mm256_packs_epi16(_mm256_packs_epi32(qi[0], qi[1]), _mm256_packs_epi32(qi[2], qi[3]));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(q),
                            _mm256_permutevar8x32_epi32(packed8, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)));
        d[b] = scale;
        sum16[2 * b] = scale * float(halves[0]);
        sum16[2 * b + 1] = scale * float(halves[1]);
        sum32[b] = scale * float(halves[0] + halves[1]);
    }
}

// Blocks alternate between two accumulators per token: one chain of dependent multiply-adds would wait four
// cycles per block, longer than reading a block takes.
template <int N>
FOLIO_AVX2 inline void addQ8_0Block(const BlockQ8_0& w, const ActivationRow* x, std::int64_t b, __m256* acc)
{
    const __m256i wq = loadBytes(w.qs);
    const __m256i magnitude = _mm256_sign_epi8(wq, wq);
    const float dw = _cvtsh_ss(w.d);
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) {
        const __m256i p = dotBytes(magnitude, _mm256_sign_epi8(loadBytes(x[k].q + 32 * b), wq));
        acc[k] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(dw * x[k].d[b]), acc[k]);
    }
}

template <int N>
FOLIO_AVX2 void dotAvx2(const BlockQ8_0* w, const ActivationRow* x, std::int64_t nb, float* out)
{
    __m256 even[N], odd[N];
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) even[k] = odd[k] = _mm256_setzero_ps();
    std::int64_t b = 0;
    for (; b + 2 <= nb; b += 2) {
        addQ8_0Block<N>(w[b], x, b, even);
        addQ8_0Block<N>(w[b + 1], x, b + 1, odd);
    }
    if (b < nb) addQ8_0Block<N>(w[b], x, b, even);
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) out[k] = hsum(_mm256_add_ps(even[k], odd[k]));
}

// Per block: the eight sub-block scales times the eight activation scales in one vector, one lane broadcast per
// sub-block; the mins times the activation sums subtracted lane-wise. Low and high nibbles go to two
// accumulators.
template <int N>
FOLIO_AVX2 void dotAvx2(const BlockQ4K* w, const ActivationRow* x, std::int64_t nb, float* out)
{
    const __m256i lowNibbles = _mm256_set1_epi8(0x0F);
    __m256 acc[2][N];
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) acc[0][k] = acc[1][k] = _mm256_setzero_ps();
    for (std::int64_t b = 0; b < nb; ++b) {
        alignas(8) std::uint8_t sc[8], m[8];
        scalesMinsK4(w[b].scales, sc, m);
        const __m256 scales = _mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(w[b].d)), bytesToFloats(sc));
        const __m256 mins = _mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(w[b].dmin)), bytesToFloats(m));
        __m256 blockScales[N];
        #pragma GCC unroll 4
        for (int k = 0; k < N; ++k) {
            blockScales[k] = _mm256_mul_ps(scales, _mm256_loadu_ps(x[k].d + 8 * b));
            acc[0][k] = _mm256_fnmadd_ps(mins, _mm256_loadu_ps(x[k].sum32 + 8 * b), acc[0][k]);
        }
        #pragma GCC unroll 4
        for (int j = 0; j < 4; ++j) {
            const __m256i q = loadBytes(w[b].qs + 32 * j);
            const __m256i lo = _mm256_and_si256(q, lowNibbles), hi = _mm256_and_si256(_mm256_srli_epi16(q, 4), lowNibbles);
            #pragma GCC unroll 4
            for (int k = 0; k < N; ++k) {
                const std::int8_t* a = x[k].q + 256 * b + 64 * j;
                acc[0][k] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dotBytes(lo, loadBytes(a))), lane(blockScales[k], 2 * j), acc[0][k]);
                acc[1][k] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dotBytes(hi, loadBytes(a + 32))), lane(blockScales[k], 2 * j + 1), acc[1][k]);
            }
        }
    }
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) out[k] = hsum(_mm256_add_ps(acc[0][k], acc[1][k]));
}

// Per half block (eight sub-blocks of 16): the sub-block scales times the activation scales (each covering two
// sub-blocks) in one vector; per group of 32 values, the two scales it needs spread over the two 128-bit halves.
// The offset 32 * scale * sum(a) is subtracted lane-wise. Groups alternate between two accumulators.
template <int N>
FOLIO_AVX2 void dotAvx2(const BlockQ6K* w, const ActivationRow* x, std::int64_t nb, float* out)
{
    const __m256i low4 = _mm256_set1_epi8(0x0F), low2 = _mm256_set1_epi8(0x03);
    const __m256i pairs = _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3);
    __m256 acc[2][N];
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) acc[0][k] = acc[1][k] = _mm256_setzero_ps();
    for (std::int64_t b = 0; b < nb; ++b) {
        const __m256 d = _mm256_set1_ps(_cvtsh_ss(w[b].d));
        for (int half = 0; half < 2; ++half) {
            const __m256 scales = _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(
                                                       _mm_loadl_epi64(reinterpret_cast<const __m128i*>(w[b].scales + 8 * half)))));
            const __m256i l0 = loadBytes(w[b].ql + 64 * half), l1 = loadBytes(w[b].ql + 64 * half + 32);
            const __m256i h = loadBytes(w[b].qh + 32 * half);
            // Groups of 32 values: low nibbles of ql[0..32) and ql[32..64), then their high nibbles; the top
            // two bits come from successive bit pairs of qh.
            __m256i q[4];
            q[0] = _mm256_or_si256(_mm256_and_si256(l0, low4), _mm256_slli_epi16(_mm256_and_si256(h, low2), 4));
            q[1] = _mm256_or_si256(_mm256_and_si256(l1, low4),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 2), low2), 4));
            q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), low4),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 4), low2), 4));
            q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), low4),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 6), low2), 4));
            const std::int64_t first = 256 * b + 128 * half;  // first value of this half block
            #pragma GCC unroll 4
            for (int k = 0; k < N; ++k) {
                const __m256 activationScales = _mm256_permutevar8x32_ps(
                    _mm256_castps128_ps256(_mm_loadu_ps(x[k].d + first / 32)), pairs);
                const __m256 subScales = _mm256_mul_ps(scales, activationScales);
                acc[1][k] = _mm256_fnmadd_ps(_mm256_mul_ps(_mm256_set1_ps(32.f), scales), _mm256_loadu_ps(x[k].sum16 + first / 16), acc[1][k]);
                #pragma GCC unroll 4
                for (int g = 0; g < 4; ++g) {
                    const __m256 groupScales = _mm256_permutevar8x32_ps(
                        subScales, _mm256_setr_epi32(2 * g, 2 * g, 2 * g, 2 * g, 2 * g + 1, 2 * g + 1, 2 * g + 1, 2 * g + 1));
                    acc[g & 1][k] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dotBytes(q[g], loadBytes(x[k].q + first + 32 * g))),
                                                    groupScales, acc[g & 1][k]);
                }
            }
        }
    }
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) out[k] = hsum(_mm256_add_ps(acc[0][k], acc[1][k]));
}

#endif

// The kernels are overloaded on the block type; the AVX2 ones are instantiated for 1 to 4 tokens.
template <typename Block, std::int64_t kValues>
void dotRows(const void* row, const ActivationRow* x, int nTokens, std::int64_t n, float* out)
{
    const auto* w = static_cast<const Block*>(row);
    const std::int64_t nb = n / kValues;
#ifdef FOLIO_X86
    if (haveAvx2()) {
        switch (nTokens) {
        case 1: dotAvx2<1>(w, x, nb, out); return;
        case 2: dotAvx2<2>(w, x, nb, out); return;
        case 3: dotAvx2<3>(w, x, nb, out); return;
        default: dotAvx2<4>(w, x, nb, out); return;
        }
    }
#endif
    dotPortable(w, x, nTokens, nb, out);
}

}  // namespace

void quantizeActivations(const float* x, std::int64_t n, std::int8_t* q, float* d, float* sum32, float* sum16)
{
#ifdef FOLIO_X86
    if (haveAvx2()) {
        quantizeActivationsAvx2(x, n, q, d, sum32, sum16);
        return;
    }
#endif
    quantizeActivationsPortable(x, n, q, d, sum32, sum16);
}

QuantizedDot quantizedDot(TensorType type)
{
    switch (type) {
    case TensorType::Q8_0: return dotRows<BlockQ8_0, kQK8>;
    case TensorType::Q4_K: return dotRows<BlockQ4K, kQKK>;
    case TensorType::Q6_K: return dotRows<BlockQ6K, kQKK>;
    default: return nullptr;
    }
}

}  // namespace folio::engine::kernels
