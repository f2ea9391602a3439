// Dots of quantised weight rows with 8-bit activations (see ActivationRow in tensor_type.h). Q8_0 blocks of 32
// are summed exactly in integers and scaled in floats; the K-quants, whose activations share one scale per
// super-block of 256, sum a whole super-block in integers, sub-block scales, mins and offsets included, and
// scale it once. On x86-64 with AVX2 the integer part is vpmaddubsw (unsigned x signed bytes, so the signed
// weights of Q8_0 lend their sign to the activations first) and vpmaddwd, which multiplies in the 16-bit
// sub-block scales of the K-quants at no extra cost.
// Up to four tokens share each decoded block of weights: for a prompt the weights are unpacked once per four
// tokens, and every token's arithmetic is the same as when it comes alone. With AVX-512 each kernel takes 64
// values per instruction (two Q8_0 blocks, a Q4_K group of low and high nibbles, two Q6_K groups).

#include "kernels.h"
#include "quant_blocks.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <type_traits>

#if defined(__x86_64__)
// GCC 12's AVX-512 intrinsics start some results from deliberately undefined registers, which its own
// uninitialised-use warnings then report from inside the header (GCC bug 105593, fixed in 13).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#define FOLIO_X86 1
#endif

namespace folio::engine::kernels {
namespace {

constexpr int kMaxTokens = 4;

void quantizeActivationsPortable(const float* x, std::int64_t n, std::int64_t block, std::int8_t* q, float* d)
{
    for (std::int64_t b = 0; b < n / block; ++b, x += block, q += block) {
        float amax = 0;
        for (std::int64_t i = 0; i < block; ++i) amax = std::max(amax, std::fabs(x[i]));
        const float scale = amax / 127.f, inverse = scale > 0 ? 1.f / scale : 0.f;
        for (std::int64_t i = 0; i < block; ++i)
            q[i] = std::int8_t(std::nearbyint(x[i] * inverse));  // nearest, ties to even: what vcvtps2dq does
        d[b] = scale;
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

// The K-quants with sub-block scales and mins: Q4_K in either layout (the same integer sums, so the same
// result) and Q5_K.
template <typename Block>
void dotPortableScaleMin(const Block* w, const ActivationRow* x, int nTokens, std::int64_t nb, float* out)
{
    std::uint8_t values[256];
    float sums[kMaxTokens] = {};
    for (std::int64_t b = 0; b < nb; ++b) {
        valuesK(w[b], values);
        std::uint8_t sc[8], m[8];
        scalesMinsK4(w[b], sc, m);
        for (int k = 0; k < nTokens; ++k) {
            const std::int8_t* a = x[k].qK + 256 * b;
            const std::int16_t* sums16 = x[k].sumsK16 + 16 * b;
            int dot = 0, mins = 0;
            for (int j = 0; j < 8; ++j) {
                dot += sc[j] * blockSum(values + 32 * j, a + 32 * j, 32);
                mins += m[j] * (sums16[2 * j] + sums16[2 * j + 1]);
            }
            sums[k] += x[k].dK[b] * (f16ToF32(w[b].d) * float(dot) - f16ToF32(w[b].dmin) * float(mins));
        }
    }
    std::copy(sums, sums + nTokens, out);
}

void dotPortable(const BlockQ4K* w, const ActivationRow* x, int nTokens, std::int64_t nb, float* out)
{
    dotPortableScaleMin(w, x, nTokens, nb, out);
}

void dotPortable(const BlockQ4KWide* w, const ActivationRow* x, int nTokens, std::int64_t nb, float* out)
{
    dotPortableScaleMin(w, x, nTokens, nb, out);
}

void dotPortable(const BlockQ5K* w, const ActivationRow* x, int nTokens, std::int64_t nb, float* out)
{
    dotPortableScaleMin(w, x, nTokens, nb, out);
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
    std::uint8_t q[256];
    float sums[kMaxTokens] = {};
    for (std::int64_t b = 0; b < nb; ++b) {
        unpackQ6Half(w[b].ql, w[b].qh, q);
        unpackQ6Half(w[b].ql + 64, w[b].qh + 32, q + 128);
        for (int k = 0; k < nTokens; ++k) {
            int dot = 0;
            for (int sub = 0; sub < 16; ++sub)
                // (q6 - 32) . a = q6 . a - 32 * sum(a)
                dot += w[b].scales[sub] * (blockSum(q + 16 * sub, x[k].qK + 256 * b + 16 * sub, 16) - 32 * x[k].sumsK16[16 * b + sub]);
            sums[k] += f16ToF32(w[b].d) * x[k].dK[b] * float(dot);
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

FOLIO_AVX2 void quantizeActivationsAvx2(const float* x, std::int64_t n, std::int64_t block, std::int8_t* q, float* d)
{
    const __m256 signBit = _mm256_set1_ps(-0.f);
    for (std::int64_t b = 0; b < n / block; ++b, x += block, q += block) {
        __m256 amax = _mm256_setzero_ps();
        for (std::int64_t i = 0; i < block; i += 8) amax = _mm256_max_ps(amax, _mm256_andnot_ps(signBit, _mm256_loadu_ps(x + i)));
        __m128 m = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
        m = _mm_max_ps(m, _mm_movehl_ps(m, m));
        m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
        const float scale = _mm_cvtss_f32(m) / 127.f;
        const __m256 inverse = _mm256_set1_ps(scale > 0 ? 1.f / scale : 0.f);
        for (std::int64_t i = 0; i < block; i += 32) {
            __m256i qi[4];
            for (int j = 0; j < 4; ++j) qi[j] = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + i + 8 * j), inverse));
            // Packing interleaves 128-bit lanes; the permute puts the 32 bytes back in order.
            const __m256i packed8 = _mm256_packs_epi16(_mm256_packs_epi32(qi[0], qi[1]), _mm256_packs_epi32(qi[2], qi[3]));
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + i),
                                _mm256_permutevar8x32_epi32(packed8, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)));
        }
        d[b] = scale;
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

// Bytes 2i and 2i + 1 of every 128-bit lane: the 16-bit value i of each lane in all eight 16-bit places.
FOLIO_AVX2 inline __m256i spread16(__m256i v, int i)
{
    return _mm256_shuffle_epi8(v, _mm256_set1_epi16(std::int16_t(((2 * i + 1) << 8) | (2 * i))));
}

// A Q4_K super-block's eight sub-block scales as 16-bit values, and its eight mins as 16-bit values each
// twice (one per 16 activations, whose sums they multiply).
struct ScalesMinsK4 {
    __m128i scales;
    __m256i mins;
};

FOLIO_AVX2 inline ScalesMinsK4 scalesMinsOf(const std::uint8_t* sc, const std::uint8_t* m)
{
    const __m128i minBytes = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(m));
    return {_mm_cvtepu8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(sc))),
            _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(minBytes, minBytes))};
}

// Q5_K's fifth bits of sub-block `sub` (bit `sub` of each of the 32 qh bytes) as 16 in those bytes: the
// shift moves the bit to place 4 within its byte, and what crosses from the neighbouring byte is masked off.
FOLIO_AVX2 inline __m256i fifthBits(__m256i qh, int sub)
{
    const __m256i atFour = sub <= 4 ? _mm256_slli_epi16(qh, 4 - sub) : _mm256_srli_epi16(qh, sub - 4);
    return _mm256_and_si256(atFour, _mm256_set1_epi8(0x10));
}

// Q4_K and Q5_K pack them in 12 bytes.
template <typename PackedBlock>
FOLIO_AVX2 inline ScalesMinsK4 unpackScalesMins(const PackedBlock& block)
{
    alignas(8) std::uint8_t sc[8], m[8];
    scalesMinsK4(block.scales, sc, m);
    return scalesMinsOf(sc, m);
}

// The wide layout keeps them as bytes: what the bit-shuffling above costs is most of what it saves.
FOLIO_AVX2 inline ScalesMinsK4 unpackScalesMins(const BlockQ4KWide& block)
{
    return scalesMinsOf(block.scales, block.mins);
}

// Which sub-blocks of 32 values the low and the high nibbles of the 32 bytes at qs + 32 j hold: in Q4_K, the
// two halves of values 64j..64j+63; in the wide layout, sub-blocks two apart.
constexpr int lowSubBlock(const BlockQ4K*, int j) { return 2 * j; }
constexpr int highSubBlock(const BlockQ4K*, int j) { return 2 * j + 1; }
constexpr int lowSubBlock(const BlockQ5K*, int j) { return 2 * j; }
constexpr int highSubBlock(const BlockQ5K*, int j) { return 2 * j + 1; }
constexpr int lowSubBlock(const BlockQ4KWide*, int j) { return 4 * (j / 2) + j % 2; }
constexpr int highSubBlock(const BlockQ4KWide*, int j) { return 4 * (j / 2) + j % 2 + 2; }

// Per super-block: the 6-bit sub-block scales as 16-bit values, spread one per sub-block of 32 over the
// products of vpmaddubsw by vpmaddwd; the mins times the activations' sums of 16 (each min twice) in one
// vpmaddwd. Both stay integers until the super-block's two float scales. Q4_K in either layout: lane i of the
// sums takes values 4i..4i+3 of every sub-block, so both give the same integers and the same result. Q5_K adds
// each value's fifth bit.
template <int N, typename Block>
FOLIO_AVX2 void dotAvx2ScaleMin(const Block* w, const ActivationRow* x, std::int64_t nb, float* out)
{
    const __m256i lowNibbles = _mm256_set1_epi8(0x0F);
    __m256 acc[N];
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) acc[k] = _mm256_setzero_ps();
    for (std::int64_t b = 0; b < nb; ++b) {
        const ScalesMinsK4 sm = unpackScalesMins(w[b]);
        const __m256i scales = _mm256_broadcastsi128_si256(sm.scales), mins = sm.mins;
        __m256i dots[N];
        #pragma GCC unroll 4
        for (int k = 0; k < N; ++k) dots[k] = _mm256_setzero_si256();
        #pragma GCC unroll 4
        for (int j = 0; j < 4; ++j) {
            const int lowSub = lowSubBlock(w, j), highSub = highSubBlock(w, j);
            const __m256i q = loadBytes(w[b].qs + 32 * j);
            __m256i lo = _mm256_and_si256(q, lowNibbles), hi = _mm256_and_si256(_mm256_srli_epi16(q, 4), lowNibbles);
            if constexpr (std::is_same_v<Block, BlockQ5K>) {
                const __m256i qh = loadBytes(w[b].qh);
                lo = _mm256_or_si256(lo, fifthBits(qh, lowSub));
                hi = _mm256_or_si256(hi, fifthBits(qh, highSub));
            }
            const __m256i loScale = spread16(scales, lowSub), hiScale = spread16(scales, highSub);
            #pragma GCC unroll 4
            for (int k = 0; k < N; ++k) {
                const std::int8_t* a = x[k].qK + 256 * b;
                dots[k] = _mm256_add_epi32(dots[k], _mm256_madd_epi16(_mm256_maddubs_epi16(lo, loadBytes(a + 32 * lowSub)), loScale));
                dots[k] = _mm256_add_epi32(dots[k], _mm256_madd_epi16(_mm256_maddubs_epi16(hi, loadBytes(a + 32 * highSub)), hiScale));
            }
        }
        const float d = _cvtsh_ss(w[b].d), dmin = _cvtsh_ss(w[b].dmin);
        #pragma GCC unroll 4
        for (int k = 0; k < N; ++k) {
            const __m256i minSums = _mm256_madd_epi16(mins, loadBytes(x[k].sumsK16 + 16 * b));
            acc[k] = _mm256_fmadd_ps(_mm256_set1_ps(d * x[k].dK[b]), _mm256_cvtepi32_ps(dots[k]), acc[k]);
            acc[k] = _mm256_fnmadd_ps(_mm256_set1_ps(dmin * x[k].dK[b]), _mm256_cvtepi32_ps(minSums), acc[k]);
        }
    }
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) out[k] = hsum(acc[k]);
}

template <int N>
FOLIO_AVX2 void dotAvx2(const BlockQ4K* w, const ActivationRow* x, std::int64_t nb, float* out)
{
    dotAvx2ScaleMin<N>(w, x, nb, out);
}

template <int N>
FOLIO_AVX2 void dotAvx2(const BlockQ4KWide* w, const ActivationRow* x, std::int64_t nb, float* out)
{
    dotAvx2ScaleMin<N>(w, x, nb, out);
}

template <int N>
FOLIO_AVX2 void dotAvx2(const BlockQ5K* w, const ActivationRow* x, std::int64_t nb, float* out)
{
    dotAvx2ScaleMin<N>(w, x, nb, out);
}

// The eight signed scales of a Q6_K half block as 16-bit values.
FOLIO_AVX2 inline __m128i q6HalfScales(const BlockQ6K& block, int half)
{
    return _mm_cvtepi8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(block.scales + 8 * half)));
}

// scale * sum(a) for each sub-block of 16 of a half block starting at value `first`, added to offsets.
template <int N>
FOLIO_AVX2 inline void addQ6Offsets(__m128i halfScales, const ActivationRow* x, std::int64_t first, __m128i* offsets)
{
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k)
        offsets[k] = _mm_add_epi32(offsets[k], _mm_madd_epi16(halfScales, _mm_loadu_si128(reinterpret_cast<const __m128i*>(x[k].sumsK16 + first / 16))));
}

// Per half block (eight sub-blocks of 16): the signed 8-bit scales as 16-bit values; a group of 32 values covers
// two sub-blocks, one per 128-bit lane, so each lane spreads its own scale. The offset, 32 * scale * sum(a) per
// sub-block, is one vpmaddwd of the scales and the activations' sums of 16. Integers until the block's scale.
template <int N>
FOLIO_AVX2 void dotAvx2(const BlockQ6K* w, const ActivationRow* x, std::int64_t nb, float* out)
{
    const __m256i low4 = _mm256_set1_epi8(0x0F), low2 = _mm256_set1_epi8(0x03);
    __m256 acc[N];
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) acc[k] = _mm256_setzero_ps();
    for (std::int64_t b = 0; b < nb; ++b) {
        __m256i dots[N];
        __m128i offsets[N];
        #pragma GCC unroll 4
        for (int k = 0; k < N; ++k) {
            dots[k] = _mm256_setzero_si256();
            offsets[k] = _mm_setzero_si128();
        }
        for (int half = 0; half < 2; ++half) {
            const __m128i halfScales = q6HalfScales(w[b], half);
            const __m256i scales = _mm256_broadcastsi128_si256(halfScales);
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
            for (int g = 0; g < 4; ++g) {
                const __m256i groupScales = _mm256_shuffle_epi8(
                    scales, _mm256_setr_epi8(4 * g, 4 * g + 1, 4 * g, 4 * g + 1, 4 * g, 4 * g + 1, 4 * g, 4 * g + 1, 4 * g,
                                             4 * g + 1, 4 * g, 4 * g + 1, 4 * g, 4 * g + 1, 4 * g, 4 * g + 1, 4 * g + 2, 4 * g + 3,
                                             4 * g + 2, 4 * g + 3, 4 * g + 2, 4 * g + 3, 4 * g + 2, 4 * g + 3, 4 * g + 2,
                                             4 * g + 3, 4 * g + 2, 4 * g + 3, 4 * g + 2, 4 * g + 3, 4 * g + 2, 4 * g + 3));
                #pragma GCC unroll 4
                for (int k = 0; k < N; ++k)
                    dots[k] = _mm256_add_epi32(
                        dots[k], _mm256_madd_epi16(_mm256_maddubs_epi16(q[g], loadBytes(x[k].qK + first + 32 * g)), groupScales));
            }
            addQ6Offsets<N>(halfScales, x, first, offsets);
        }
        const float d = _cvtsh_ss(w[b].d);
        #pragma GCC unroll 4
        for (int k = 0; k < N; ++k) {
            const __m256i total = _mm256_sub_epi32(dots[k], _mm256_zextsi128_si256(_mm_slli_epi32(offsets[k], 5)));
            acc[k] = _mm256_fmadd_ps(_mm256_set1_ps(d * x[k].dK[b]), _mm256_cvtepi32_ps(total), acc[k]);
        }
    }
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) out[k] = hsum(acc[k]);
}

#define FOLIO_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx2,fma,f16c")))

// Q8_0 with 512-bit registers: two blocks per instruction. AVX-512 has no vpsignb, so the signs of the weights go
// onto the activations through a mask (a negation where a weight is negative; where it is zero its magnitude is).
template <int N>
FOLIO_AVX512 inline void dotAvx512(const BlockQ8_0* w, const ActivationRow* x, std::int64_t nb, float* out)
{
    __m512 acc[N];
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) acc[k] = _mm512_setzero_ps();
    std::int64_t b = 0;
    for (; b + 2 <= nb; b += 2) {
        const __m512i wq = _mm512_inserti64x4(_mm512_castsi256_si512(loadBytes(w[b].qs)), loadBytes(w[b + 1].qs), 1);
        const __m512i magnitude = _mm512_abs_epi8(wq);
        const __mmask64 negative = _mm512_movepi8_mask(wq);
        const float d0 = _cvtsh_ss(w[b].d), d1 = _cvtsh_ss(w[b + 1].d);
        #pragma GCC unroll 4
        for (int k = 0; k < N; ++k) {
            const __m512i a = _mm512_loadu_si512(x[k].q + 32 * b);
            const __m512i p = _mm512_madd_epi16(
                _mm512_maddubs_epi16(magnitude, _mm512_mask_sub_epi8(a, negative, _mm512_setzero_si512(), a)), _mm512_set1_epi16(1));
            const __m512 scale = _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castps_pd(_mm512_set1_ps(d0 * x[k].d[b])),
                                                                     _mm256_castps_pd(_mm256_set1_ps(d1 * x[k].d[b + 1])), 1));
            acc[k] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p), scale, acc[k]);
        }
    }
    // An odd last block in the lower half.
    if (b < nb) {
        __m256 last[N];
        #pragma GCC unroll 4
        for (int k = 0; k < N; ++k) last[k] = _mm256_setzero_ps();
        addQ8_0Block<N>(w[b], x, b, last);
        #pragma GCC unroll 4
        for (int k = 0; k < N; ++k) acc[k] = _mm512_add_ps(acc[k], _mm512_zextps256_ps512(last[k]));
    }
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) out[k] = _mm512_reduce_add_ps(acc[k]);
}

// Q6_K with 512-bit registers: the groups of 32 values of a half block in pairs (0 and 1 from the low nibbles,
// 2 and 3 from the high), each 128-bit lane one sub-block of 16, whose scale a per-lane shuffle spreads.
// vpshufb patterns: lane L of the first pair takes sub-block L's 16-bit scale (bytes 2L, 2L + 1), of the second
// pair sub-block L + 4's.
constexpr auto kQ6LaneScale = [] {
    struct alignas(64) Pattern {
        std::int16_t v[32];
    };
    std::array<Pattern, 2> patterns{};
    for (int pair = 0; pair < 2; ++pair)
        for (int i = 0; i < 32; ++i) {
            const int sub = i / 8 + 4 * pair;
            patterns[pair].v[i] = std::int16_t(((2 * sub + 1) << 8) | (2 * sub));
        }
    return patterns;
}();

template <int N>
FOLIO_AVX512 inline void dotAvx512(const BlockQ6K* w, const ActivationRow* x, std::int64_t nb, float* out)
{
    const __m512i low4 = _mm512_set1_epi8(0x0F), low2 = _mm512_set1_epi8(0x03);
    const __m512i laneScale[2] = {_mm512_load_si512(kQ6LaneScale[0].v), _mm512_load_si512(kQ6LaneScale[1].v)};
    __m512 acc[N];
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) acc[k] = _mm512_setzero_ps();
    for (std::int64_t b = 0; b < nb; ++b) {
        __m512i dots[N];
        __m128i offsets[N];
        #pragma GCC unroll 4
        for (int k = 0; k < N; ++k) {
            dots[k] = _mm512_setzero_si512();
            offsets[k] = _mm_setzero_si128();
        }
        for (int half = 0; half < 2; ++half) {
            const __m128i halfScales = q6HalfScales(w[b], half);
            const __m512i scales = _mm512_broadcast_i32x4(halfScales);
            const __m512i l = _mm512_loadu_si512(w[b].ql + 64 * half);
            const __m256i h = loadBytes(w[b].qh + 32 * half);
            // Top bits: pairs 0-1 of qh for groups 0 and 1, pairs 2-3 (the same shifted by 4) for groups 2 and 3.
            const __m512i h01 = _mm512_inserti64x4(_mm512_castsi256_si512(h), _mm256_srli_epi16(h, 2), 1);
            const __m512i q[2] = {
                _mm512_or_si512(_mm512_and_si512(l, low4), _mm512_slli_epi16(_mm512_and_si512(h01, low2), 4)),
                _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(l, 4), low4),
                                _mm512_slli_epi16(_mm512_and_si512(_mm512_srli_epi16(h01, 4), low2), 4))};
            const std::int64_t first = 256 * b + 128 * half;  // first value of this half block
            #pragma GCC unroll 2
            for (int pair = 0; pair < 2; ++pair) {
                const __m512i pairScales = _mm512_shuffle_epi8(scales, laneScale[pair]);
                #pragma GCC unroll 4
                for (int k = 0; k < N; ++k)
                    dots[k] = _mm512_add_epi32(dots[k], _mm512_madd_epi16(_mm512_maddubs_epi16(q[pair], _mm512_loadu_si512(x[k].qK + first + 64 * pair)),
                                                                          pairScales));
            }
            addQ6Offsets<N>(halfScales, x, first, offsets);
        }
        const float d = _cvtsh_ss(w[b].d);
        #pragma GCC unroll 4
        for (int k = 0; k < N; ++k) {
            const __m512i total = _mm512_sub_epi32(dots[k], _mm512_zextsi128_si512(_mm_slli_epi32(offsets[k], 5)));
            acc[k] = _mm512_fmadd_ps(_mm512_set1_ps(d * x[k].dK[b]), _mm512_cvtepi32_ps(total), acc[k]);
        }
    }
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) out[k] = _mm512_reduce_add_ps(acc[k]);
}

// Values 64j..64j+63 of a Q4_K block for 512-bit registers: the low and the high nibbles of 32 bytes are 64
// values in a row (a low group and the high group after it).
FOLIO_AVX512 inline __m512i valuesOf(const BlockQ4K& block, int j)
{
    const __m256i q = loadBytes(block.qs + 32 * j);
    return _mm512_and_si512(_mm512_inserti64x4(_mm512_castsi256_si512(q), _mm256_srli_epi16(q, 4), 1), _mm512_set1_epi8(0x0F));
}

// The same from the wide layout: one 64-byte load and a mask or a shift, no lane inserted (the two chunks of a
// half block load the same bytes, which the compiler loads once).
FOLIO_AVX512 inline __m512i valuesOf(const BlockQ4KWide& block, int j)
{
    const __m512i q = _mm512_loadu_si512(block.qs + 64 * (j / 2));
    return _mm512_and_si512(j % 2 ? _mm512_srli_epi16(q, 4) : q, _mm512_set1_epi8(0x0F));
}

// Q5_K the same way, each value with its fifth bit (sub-blocks 2j and 2j + 1).
FOLIO_AVX512 inline __m512i valuesOf(const BlockQ5K& block, int j)
{
    const __m256i q = loadBytes(block.qs + 32 * j), qh = loadBytes(block.qh), low = _mm256_set1_epi8(0x0F);
    const __m256i lo = _mm256_or_si256(_mm256_and_si256(q, low), fifthBits(qh, 2 * j));
    const __m256i hi = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(q, 4), low), fifthBits(qh, 2 * j + 1));
    return _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
}

// Q4_K with 512-bit registers: 64 values at a time, so one vpmaddubsw and one vpmaddwd take them; the scale of
// each half comes from one shuffle of all eight scales. A third fewer instructions per super-block than AVX2 in
// the file's layout and about half again in the wide one, which is what limits this kernel (it reads from cache
// faster than one core's share of memory bandwidth only this way). Lane i takes values 4i..4i+3 of every 64 in
// either layout, so the two agree to the bit.
template <int N, typename Block>
FOLIO_AVX512 inline void dotAvx512ScaleMin(const Block* w, const ActivationRow* x, std::int64_t nb, float* out)
{
    // Group j: the 16-bit scale 2j in the lower 256 bits, 2j + 1 in the upper (bytes of each 128-bit lane).
    __m512i scaleOf[4];
    #pragma GCC unroll 4
    for (int j = 0; j < 4; ++j)
        scaleOf[j] = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_set1_epi16(std::int16_t(((4 * j + 1) << 8) | (4 * j)))),
                                        _mm256_set1_epi16(std::int16_t(((4 * j + 3) << 8) | (4 * j + 2))), 1);
    __m512 acc[N];
    __m256 minAcc[N];
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) {
        acc[k] = _mm512_setzero_ps();
        minAcc[k] = _mm256_setzero_ps();
    }
    for (std::int64_t b = 0; b < nb; ++b) {
        const ScalesMinsK4 sm = unpackScalesMins(w[b]);
        const __m512i scales = _mm512_broadcast_i32x4(sm.scales);
        __m512i dots[N];
        #pragma GCC unroll 4
        for (int k = 0; k < N; ++k) dots[k] = _mm512_setzero_si512();
        #pragma GCC unroll 4
        for (int j = 0; j < 4; ++j) {
            const __m512i values = valuesOf(w[b], j);
            const __m512i groupScales = _mm512_shuffle_epi8(scales, scaleOf[j]);
            #pragma GCC unroll 4
            for (int k = 0; k < N; ++k)
                dots[k] = _mm512_add_epi32(dots[k], _mm512_madd_epi16(_mm512_maddubs_epi16(values, _mm512_loadu_si512(x[k].qK + 256 * b + 64 * j)),
                                                                      groupScales));
        }
        const float d = _cvtsh_ss(w[b].d), dmin = _cvtsh_ss(w[b].dmin);
        #pragma GCC unroll 4
        for (int k = 0; k < N; ++k) {
            const __m256i minSums = _mm256_madd_epi16(sm.mins, loadBytes(x[k].sumsK16 + 16 * b));
            acc[k] = _mm512_fmadd_ps(_mm512_set1_ps(d * x[k].dK[b]), _mm512_cvtepi32_ps(dots[k]), acc[k]);
            minAcc[k] = _mm256_fmadd_ps(_mm256_set1_ps(dmin * x[k].dK[b]), _mm256_cvtepi32_ps(minSums), minAcc[k]);
        }
    }
    #pragma GCC unroll 4
    for (int k = 0; k < N; ++k) out[k] = _mm512_reduce_add_ps(acc[k]) - hsum(minAcc[k]);
}

template <int N>
FOLIO_AVX512 inline void dotAvx512(const BlockQ4K* w, const ActivationRow* x, std::int64_t nb, float* out)
{
    dotAvx512ScaleMin<N>(w, x, nb, out);
}

template <int N>
FOLIO_AVX512 inline void dotAvx512(const BlockQ4KWide* w, const ActivationRow* x, std::int64_t nb, float* out)
{
    dotAvx512ScaleMin<N>(w, x, nb, out);
}

template <int N>
FOLIO_AVX512 inline void dotAvx512(const BlockQ5K* w, const ActivationRow* x, std::int64_t nb, float* out)
{
    dotAvx512ScaleMin<N>(w, x, nb, out);
}

#endif

// The kernels are overloaded on the block type and instantiated for 1 to 4 tokens; a family of them is one of
// these, which the row loop below takes as a parameter.
struct Portable {
    template <int N, typename Block>
    static void dot(const Block* w, const ActivationRow* x, std::int64_t nb, float* out)
    {
        dotPortable(w, x, N, nb, out);
    }
};

// Rows times N tokens (y row t at y + t * yStride).
template <typename Kernels, typename Block, int N>
[[gnu::always_inline]] inline void rowsTimesTokenGroup(const std::uint8_t* firstRow, std::size_t rowBytes, std::int64_t nRows,
                                                       const ActivationRow* x, std::int64_t nb, float* y, std::int64_t yStride)
{
    for (std::int64_t r = 0; r < nRows; ++r) {
        float out[N];
        Kernels::template dot<N>(reinterpret_cast<const Block*>(firstRow + std::size_t(r) * rowBytes), x, nb, out);
        for (int k = 0; k < N; ++k) y[k * yStride + r] = out[k];
    }
}

// Rows times tokens, four tokens at a time against all the rows: the four tokens' activations stay in the
// core's first-level cache while the rows (a thread's piece of a matrix, at most a few hundred KiB) come from
// the second; the other way round, each call of the kernel read four rows of activations from the second.
// Always inlined into a caller compiled for the family's instructions, so the kernels inline into the loop.
template <typename Kernels, typename Block>
[[gnu::always_inline]] inline void rowsTimesTokens(const std::uint8_t* firstRow, std::size_t rowBytes, std::int64_t nRows,
                                                   const ActivationRow* x, std::int64_t nTokens, std::int64_t nb,
                                                   float* y, std::int64_t yStride)
{
    for (std::int64_t t = 0; t < nTokens; t += kMaxTokens) {
        float* yt = y + t * yStride;
        switch (std::min<std::int64_t>(kMaxTokens, nTokens - t)) {
        case 1: rowsTimesTokenGroup<Kernels, Block, 1>(firstRow, rowBytes, nRows, x + t, nb, yt, yStride); break;
        case 2: rowsTimesTokenGroup<Kernels, Block, 2>(firstRow, rowBytes, nRows, x + t, nb, yt, yStride); break;
        case 3: rowsTimesTokenGroup<Kernels, Block, 3>(firstRow, rowBytes, nRows, x + t, nb, yt, yStride); break;
        default: rowsTimesTokenGroup<Kernels, Block, 4>(firstRow, rowBytes, nRows, x + t, nb, yt, yStride); break;
        }
    }
}

template <typename Block>
void productsPortable(const std::uint8_t* firstRow, std::size_t rowBytes, std::int64_t nRows, const ActivationRow* x,
                      std::int64_t nTokens, std::int64_t nb, float* y, std::int64_t yStride)
{
    rowsTimesTokens<Portable, Block>(firstRow, rowBytes, nRows, x, nTokens, nb, y, yStride);
}

#ifdef FOLIO_X86
struct Avx2 {
    template <int N, typename Block>
    FOLIO_AVX2 static void dot(const Block* w, const ActivationRow* x, std::int64_t nb, float* out)
    {
        dotAvx2<N>(w, x, nb, out);
    }
};

struct Avx512 {
    template <int N, typename Block>
    FOLIO_AVX512 static void dot(const Block* w, const ActivationRow* x, std::int64_t nb, float* out)
    {
        dotAvx512<N>(w, x, nb, out);
    }
};

template <typename Block>
FOLIO_AVX2 void productsAvx2(const std::uint8_t* firstRow, std::size_t rowBytes, std::int64_t nRows, const ActivationRow* x,
                             std::int64_t nTokens, std::int64_t nb, float* y, std::int64_t yStride)
{
    rowsTimesTokens<Avx2, Block>(firstRow, rowBytes, nRows, x, nTokens, nb, y, yStride);
}

template <typename Block>
FOLIO_AVX512 void productsAvx512(const std::uint8_t* firstRow, std::size_t rowBytes, std::int64_t nRows,
                                 const ActivationRow* x, std::int64_t nTokens, std::int64_t nb, float* y, std::int64_t yStride)
{
    rowsTimesTokens<Avx512, Block>(firstRow, rowBytes, nRows, x, nTokens, nb, y, yStride);
}
#endif

template <typename Block, std::int64_t kValues>
void products(const std::uint8_t* firstRow, std::size_t rowBytes, std::int64_t nRows, const ActivationRow* x,
              std::int64_t nTokens, std::int64_t n, float* y, std::int64_t yStride)
{
    const std::int64_t nb = n / kValues;
#ifdef FOLIO_X86
    if (haveAvx512()) return productsAvx512<Block>(firstRow, rowBytes, nRows, x, nTokens, nb, y, yStride);
    if (haveAvx2()) return productsAvx2<Block>(firstRow, rowBytes, nRows, x, nTokens, nb, y, yStride);
#endif
    productsPortable<Block>(firstRow, rowBytes, nRows, x, nTokens, nb, y, yStride);
}

}  // namespace

void quantizeActivations(const float* x, std::int64_t n, std::int64_t block, std::int8_t* q, float* d)
{
#ifdef FOLIO_X86
    if (haveAvx2()) {
        quantizeActivationsAvx2(x, n, block, q, d);
        return;
    }
#endif
    quantizeActivationsPortable(x, n, block, q, d);
}

void quantizedProducts(TensorType type, const std::uint8_t* firstRow, std::size_t rowBytes, std::int64_t nRows,
                       const ActivationRow* x, std::int64_t nTokens, std::int64_t n, float* y, std::int64_t yStride)
{
    switch (type) {
    case TensorType::Q8_0: return products<BlockQ8_0, kQK8>(firstRow, rowBytes, nRows, x, nTokens, n, y, yStride);
    case TensorType::Q4_K: return products<BlockQ4K, kQKK>(firstRow, rowBytes, nRows, x, nTokens, n, y, yStride);
    case TensorType::Q5_K: return products<BlockQ5K, kQKK>(firstRow, rowBytes, nRows, x, nTokens, n, y, yStride);
    case TensorType::Q6_K: return products<BlockQ6K, kQKK>(firstRow, rowBytes, nRows, x, nTokens, n, y, yStride);
    case TensorType::Q4_K_WIDE: return products<BlockQ4KWide, kQKK>(firstRow, rowBytes, nRows, x, nTokens, n, y, yStride);
    default: throw std::invalid_argument(toString(type) + " weights take float activations");
    }
}

}  // namespace folio::engine::kernels
