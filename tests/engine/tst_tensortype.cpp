#include "folio/engine/tensor_type.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace folio::engine;

namespace {

std::vector<float> randomRow(std::int64_t n, unsigned seed, float scale = 1.f)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.f, scale);
    std::vector<float> v(static_cast<std::size_t>(n));
    for (float& x : v) x = dist(rng);
    return v;
}

std::vector<float> roundTrip(TensorType type, const std::vector<float>& x)
{
    std::vector<std::uint8_t> q(rowBytes(type, std::int64_t(x.size())));
    quantizeRow(type, x.data(), q.data(), std::int64_t(x.size()));
    std::vector<float> y(x.size());
    dequantizeRow(type, q.data(), y.data(), std::int64_t(x.size()));
    return y;
}

}  // namespace

class TestTensorType : public QObject {
    Q_OBJECT
private slots:
    void halfPrecisionConversions()
    {
        QCOMPARE(f16ToF32(0x3C00), 1.0f);
        QCOMPARE(f16ToF32(0xC000), -2.0f);
        QCOMPARE(f16ToF32(0x7BFF), 65504.0f);
        QCOMPARE(f16ToF32(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
        QVERIFY(std::isinf(f16ToF32(0x7C00)));
        for (std::uint32_t h = 0; h < 0x7C00; ++h)  // every finite positive half survives the round trip
            QCOMPARE(f32ToF16(f16ToF32(std::uint16_t(h))), std::uint16_t(h));
        QCOMPARE(f32ToF16(1.0f + std::ldexp(1.0f, -11)), std::uint16_t(0x3C00));  // tie rounds to even
        QCOMPARE(bf16ToF32(f32ToBf16(3.140625f)), 3.140625f);
        QCOMPARE(f32ToBf16(1.0f), std::uint16_t(0x3F80));
    }
    void blockLayouts()
    {
        QCOMPARE(rowBytes(TensorType::Q8_0, 64), std::size_t(68));
        QCOMPARE(rowBytes(TensorType::Q4_K, 512), std::size_t(288));
        QCOMPARE(rowBytes(TensorType::Q6_K, 256), std::size_t(210));
        QCOMPARE(rowBytes(TensorType::BF16, 10), std::size_t(20));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, rowBytes(TensorType::Q4_K, 100));
        QVERIFY(!isSupportedTensorType(2));  // Q4_0: not one of ours
    }
    void roundTripBounds_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<double>("bound");  // max |x - y| / max|x| over the row
        // F16: 11-bit significand; BF16: 8-bit; Q8_0: half a step of amax/127; Q4_K: half a step of a range/15
        // sub-block (plus 6-bit scale error); Q6_K: half a step of amax/31 (plus 8-bit scale error).
        QTest::newRow("F32") << int(TensorType::F32) << 0.0;
        QTest::newRow("F16") << int(TensorType::F16) << 1.0 / 1024;
        QTest::newRow("BF16") << int(TensorType::BF16) << 1.0 / 128;
        QTest::newRow("Q8_0") << int(TensorType::Q8_0) << 1.0 / 127;
        QTest::newRow("Q4_K") << int(TensorType::Q4_K) << 0.15;
        QTest::newRow("Q5_K") << int(TensorType::Q5_K) << 0.08;
        QTest::newRow("Q6_K") << int(TensorType::Q6_K) << 0.04;
    }
    void roundTripBounds()
    {
        QFETCH(int, type);
        QFETCH(double, bound);
        for (unsigned seed = 1; seed <= 5; ++seed) {
            const auto x = randomRow(1024, seed, float(seed));
            const auto y = roundTrip(TensorType(type), x);
            double amax = 0, err = 0;
            for (std::size_t i = 0; i < x.size(); ++i) {
                amax = std::max(amax, double(std::fabs(x[i])));
                err = std::max(err, double(std::fabs(x[i] - y[i])));
            }
            QVERIFY2(err <= bound * amax, qPrintable(QString("error %1, bound %2").arg(err / amax).arg(bound)));
        }
    }
    void quantisedDotEqualsDequantisedDot_data()
    {
        QTest::addColumn<int>("type");
        for (auto t : {TensorType::F32, TensorType::F16, TensorType::BF16, TensorType::Q8_0, TensorType::Q4_K,
                       TensorType::Q4_K_WIDE, TensorType::Q5_K, TensorType::Q6_K})
            QTest::newRow(traits(t).name) << int(t);
    }
    void quantisedDotEqualsDequantisedDot()
    {
        QFETCH(int, type);
        const auto t = TensorType(type);
        for (std::int64_t n : {256, 768, 2048}) {
            for (unsigned seed = 1; seed <= 8; ++seed) {
                const auto w = randomRow(n, 7 * seed);
                auto x = randomRow(n, 8 * seed, float(seed));
                std::vector<std::uint8_t> q(rowBytes(t, n));
                quantizeRow(t, w.data(), q.data(), n);
                std::vector<float> deq(static_cast<std::size_t>(n));
                dequantizeRow(t, q.data(), deq.data(), n);
                const float dot = dotRow(t, q.data(), x.data(), n);
                if (quantizesActivations(t)) {
                    // These types multiply 8-bit activations: the reference takes x rounded the same way.
                    QuantizedActivations a;
                    a.assign(x.data(), 1, n, std::span(&t, 1));
                    for (std::int64_t i = 0; i < n; ++i) x[std::size_t(i)] = a.row(0).rounded(t, i);
                }
                double reference = 0, magnitude = 0;
                for (std::size_t i = 0; i < std::size_t(n); ++i) {
                    reference += double(deq[i]) * x[i];
                    magnitude += std::fabs(double(deq[i]) * x[i]);
                }
                // float32 accumulation over n terms: relative to the sum of magnitudes.
                QVERIFY2(std::fabs(dot - reference) <= 1e-5 * magnitude,
                         qPrintable(QString("n %1, seed %2: %3 vs %4").arg(n).arg(seed).arg(dot).arg(reference)));
            }
        }
    }
    void activationRounding()
    {
        auto x = randomRow(4096, 11);
        x[40] = 0;  // and a block of zeros
        std::fill(x.begin() + 64, x.begin() + 96, 0.f);
        QuantizedActivations a;
        const TensorType both[] = {TensorType::Q8_0, TensorType::Q4_K};
        a.assign(x.data(), 2, 2048, both);
        QCOMPARE(a.tokens(), std::int64_t(2));
        // Blocks of 32 (Q8_0) and of 256 (the K-quants) with the sums of every 16 values.
        for (auto [block, type] : {std::pair{32, TensorType::Q8_0}, {256, TensorType::Q4_K}}) {
            for (std::size_t b = 0; b < 4096 / std::size_t(block); ++b) {
                const std::size_t perRow = 2048 / std::size_t(block), rb = b % perRow;
                const ActivationRow row = a.row(std::int64_t(b / perRow));
                const std::int8_t* q = block == 32 ? row.q : row.qK;
                const float d = block == 32 ? row.d[rb] : row.dK[rb];
                float amax = 0;
                for (std::size_t i = 0; i < std::size_t(block); ++i) amax = std::max(amax, std::fabs(x[std::size_t(block) * b + i]));
                QCOMPARE(d, amax / 127.f);
                for (std::size_t i = 0; i < std::size_t(block); ++i) {
                    const std::size_t at = std::size_t(block) * rb + i;
                    // Half a step, and a little for the float32 reciprocal.
                    QVERIFY(std::fabs(d * float(q[at]) - x[std::size_t(block) * b + i]) <= 0.5001f * d);
                    QCOMPARE(row.rounded(type, std::int64_t(at)), d * float(q[at]));
                }
            }
        }
        for (std::int64_t t = 0; t < 2; ++t)
            for (std::size_t i = 0; i < 2048 / 16; ++i) {
                int sum = 0;
                for (std::size_t j = 0; j < 16; ++j) sum += a.row(t).qK[16 * i + j];
                QCOMPARE(int(a.row(t).sumsK16[i]), sum);
            }
        QCOMPARE(int(a.row(0).q[40]), 0);
        QCOMPARE(a.row(0).d[2], 0.f);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, a.row(0).rounded(TensorType::F16, 0));
        // Only the roundings asked for are made, and weights refuse activations not rounded for them; K-quants
        // need whole blocks of 256.
        const TensorType q8[] = {TensorType::Q8_0}, k4[] = {TensorType::Q4_K};
        a.assign(x.data(), 1, 2048, q8);
        QVERIFY(a.row(0).q != nullptr && a.row(0).qK == nullptr);
        std::vector<std::uint8_t> weights(rowBytes(TensorType::Q4_K, 2048));
        const ActivationRow token = a.row(0);
        float out;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, dotRowsTokens(TensorType::Q4_K, weights.data(), 1, &token, 1, 2048, &out, 1));
        a.assign(x.data(), 1, 2048, k4);
        QVERIFY(a.row(0).q == nullptr && a.row(0).qK != nullptr);
        const ActivationRow kToken = a.row(0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, dotRowsTokens(TensorType::Q8_0, weights.data(), 1, &kToken, 1, 2048, &out, 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, a.assign(x.data(), 1, 96, k4));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, a.assign(x.data(), 1, 100, q8));
    }
    void severalRowsAndTokensEqualOneAtATime_data()
    {
        QTest::addColumn<int>("type");
        for (auto t : {TensorType::Q8_0, TensorType::Q4_K, TensorType::Q4_K_WIDE, TensorType::Q5_K, TensorType::Q6_K})
            QTest::newRow(traits(t).name) << int(t);
    }
    // A prompt's tokens share each decoded weight block, and a thread's rows one call; every product must still
    // get exactly its own arithmetic, or a prompt and the same tokens decoded one by one would drift apart.
    // Seven tokens: one group of four and a remainder of three.
    void severalRowsAndTokensEqualOneAtATime()
    {
        QFETCH(int, type);
        const auto t = TensorType(type);
        constexpr std::int64_t n = 1024, rows = 5, tokens = 7;
        const std::size_t bytes = rowBytes(t, n);
        std::vector<std::uint8_t> q(bytes * rows);
        for (std::int64_t r = 0; r < rows; ++r) quantizeRow(t, randomRow(n, 3 + unsigned(r)).data(), q.data() + std::size_t(r) * bytes, n);
        std::vector<float> x;
        for (std::int64_t k = 0; k < tokens; ++k) {
            const auto row = randomRow(n, 20 + unsigned(k));
            x.insert(x.end(), row.begin(), row.end());
        }
        QuantizedActivations a;
        a.assign(x.data(), tokens, n, std::span(&t, 1));
        std::vector<ActivationRow> activations;
        for (std::int64_t k = 0; k < tokens; ++k) activations.push_back(a.row(k));
        std::vector<float> together(std::size_t(tokens * rows), -1.f);
        dotRowsTokens(t, q.data(), rows, activations.data(), tokens, n, together.data(), rows);
        for (std::int64_t k = 0; k < tokens; ++k)
            for (std::int64_t r = 0; r < rows; ++r) {
                float alone;
                dotRowsTokens(t, q.data() + std::size_t(r) * bytes, 1, &activations[std::size_t(k)], 1, n, &alone, 1);
                QCOMPARE(together[std::size_t(k * rows + r)], alone);
                QVERIFY(alone == dotRow(t, q.data() + std::size_t(r) * bytes, x.data() + k * n, n));
            }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, dotRowsTokens(t, q.data(), -1, activations.data(), 1, n, nullptr, 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, dotRowsTokens(TensorType::F32, q.data(), 1, activations.data(), 1, n, nullptr, 1));
    }
    // The wide layout moves Q4_K's bytes and nothing else: the same values, and products equal to the bit
    // (the engine switches layouts when a file is copied, and context-cache entries must not tell the difference).
    void wideQ4KIsQ4KMoved()
    {
        constexpr std::int64_t n = 2048, rows = 6, tokens = 5;
        std::vector<std::uint8_t> q4k(rowBytes(TensorType::Q4_K, n) * rows), wide(rowBytes(TensorType::Q4_K_WIDE, n) * rows);
        QCOMPARE(wide.size(), q4k.size() / 144 * 148);
        for (std::int64_t r = 0; r < rows; ++r)
            quantizeRow(TensorType::Q4_K, randomRow(n, 40 + unsigned(r), float(r + 1)).data(),
                        q4k.data() + r * rowBytes(TensorType::Q4_K, n), n);
        repackQ4KWide(q4k.data(), wide.data(), rows * n);
        std::vector<float> a(std::size_t(rows * n)), b(std::size_t(rows * n));
        dequantizeRow(TensorType::Q4_K, q4k.data(), a.data(), rows * n);
        dequantizeRow(TensorType::Q4_K_WIDE, wide.data(), b.data(), rows * n);
        QCOMPARE(b, a);
        // Value 128h + i of a block sits in byte i of half h, value 128h + 64 + i in its high nibble.
        std::vector<std::uint8_t> one(rowBytes(TensorType::Q4_K_WIDE, 256));
        std::vector<float> ramp(256);
        for (int i = 0; i < 256; ++i) ramp[std::size_t(i)] = float((i % 16 + i / 64) % 16);  // each 32 spans 0..15
        quantizeRow(TensorType::Q4_K_WIDE, ramp.data(), one.data(), 256);
        std::vector<float> back(256);
        dequantizeRow(TensorType::Q4_K_WIDE, one.data(), back.data(), 256);
        for (int i = 0; i < 256; ++i) QVERIFY(std::fabs(back[std::size_t(i)] - ramp[std::size_t(i)]) < 0.05f);
        const std::uint8_t* qs = one.data() + 20;  // after d, dmin, scales and mins
        QCOMPARE(int(qs[5] & 0xF), 5);               // value 5
        QCOMPARE(int(qs[5] >> 4), 6);                // value 69
        QCOMPARE(int(qs[64 + 3] & 0xF), 5);          // value 131
        QCOMPARE(int(qs[64 + 3] >> 4), 6);           // value 195

        std::vector<float> x;
        for (std::int64_t k = 0; k < tokens; ++k) {
            const auto row = randomRow(n, 60 + unsigned(k), 3.f);
            x.insert(x.end(), row.begin(), row.end());
        }
        const TensorType types[] = {TensorType::Q4_K, TensorType::Q4_K_WIDE};
        QuantizedActivations act;
        act.assign(x.data(), tokens, n, types);
        std::vector<ActivationRow> tokenRows;
        for (std::int64_t k = 0; k < tokens; ++k) tokenRows.push_back(act.row(k));
        std::vector<float> y4k(std::size_t(rows * tokens)), yWide(std::size_t(rows * tokens));
        dotRowsTokens(TensorType::Q4_K, q4k.data(), rows, tokenRows.data(), tokens, n, y4k.data(), rows);
        dotRowsTokens(TensorType::Q4_K_WIDE, wide.data(), rows, tokenRows.data(), tokens, n, yWide.data(), rows);
        QCOMPARE(yWide, y4k);
        QVERIFY(!isSupportedTensorType(std::uint32_t(TensorType::Q4_K_WIDE)));
    }
    // A Q5_K block written byte by byte as GGUF files lay it out (ggml's block_q5_K), so the reader is checked
    // against the format and not only against our own quantiser: value 64j + l is the low nibble of qs[32j + l]
    // plus 16 times bit 2j of qh[l]; value 64j + 32 + l the high nibble plus bit 2j + 1. Scales and mins are
    // Q4_K's 6-bit packing.
    void q5KBlockAsFilesLayIt()
    {
        std::vector<std::uint8_t> block(176, 0);
        const std::uint16_t one = f32ToF16(1.f), half = f32ToF16(0.5f);
        std::memcpy(block.data(), &one, 2);       // d
        std::memcpy(block.data() + 2, &half, 2);  // dmin
        std::uint8_t* scales = block.data() + 4;
        std::uint8_t* qh = block.data() + 16;
        std::uint8_t* qs = block.data() + 48;
        // Sub-block scales 1, 2, 3, 4 and 33 (needs the top bits), mins 0, 1, ... 7.
        const int sc[8] = {1, 2, 3, 4, 33, 5, 6, 7}, mn[8] = {0, 1, 2, 3, 4, 5, 6, 7};
        for (int j = 0; j < 4; ++j) {
            scales[j] = std::uint8_t(sc[j]);
            scales[j + 4] = std::uint8_t(mn[j]);
        }
        for (int j = 4; j < 8; ++j) {
            scales[j + 4] = std::uint8_t((sc[j] & 0xF) | ((mn[j] & 0xF) << 4));
            scales[j - 4] |= std::uint8_t((sc[j] >> 4) << 6);
            scales[j] |= std::uint8_t((mn[j] >> 4) << 6);
        }
        for (int i = 0; i < 128; ++i) qs[i] = std::uint8_t(i * 37);
        for (int l = 0; l < 32; ++l) qh[l] = std::uint8_t(l * 11 + 5);
        std::vector<float> values(256);
        dequantizeRow(TensorType::Q5_K, block.data(), values.data(), 256);
        for (int j = 0; j < 4; ++j)
            for (int l = 0; l < 32; ++l) {
                const int low = (qs[32 * j + l] & 0xF) + 16 * ((qh[l] >> (2 * j)) & 1);
                const int high = (qs[32 * j + l] >> 4) + 16 * ((qh[l] >> (2 * j + 1)) & 1);
                QCOMPARE(values[std::size_t(64 * j + l)], float(sc[2 * j] * low) - 0.5f * float(mn[2 * j]));
                QCOMPARE(values[std::size_t(64 * j + 32 + l)], float(sc[2 * j + 1] * high) - 0.5f * float(mn[2 * j + 1]));
            }
        QCOMPARE(rowBytes(TensorType::Q5_K, 512), std::size_t(352));
        QVERIFY(isSupportedTensorType(13));
    }
    void zeroRowsStayZero()
    {
        const std::vector<float> zeros(256, 0.f);
        for (auto t : {TensorType::Q8_0, TensorType::Q4_K, TensorType::Q4_K_WIDE, TensorType::Q5_K, TensorType::Q6_K})
            for (float v : roundTrip(t, zeros)) QCOMPARE(v, 0.f);
    }
};

QTEST_APPLESS_MAIN(TestTensorType)
#include "tst_tensortype.moc"
