#include "folio/engine/tensor_type.h"

#include <QTest>

#include <cmath>
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
        for (auto t : {TensorType::F32, TensorType::F16, TensorType::BF16, TensorType::Q8_0, TensorType::Q4_K, TensorType::Q6_K})
            QTest::newRow(traits(t).name) << int(t);
    }
    void quantisedDotEqualsDequantisedDot()
    {
        QFETCH(int, type);
        const auto t = TensorType(type);
        const auto w = randomRow(2048, 7), x = randomRow(2048, 8);
        std::vector<std::uint8_t> q(rowBytes(t, 2048));
        quantizeRow(t, w.data(), q.data(), 2048);
        std::vector<float> deq(2048);
        dequantizeRow(t, q.data(), deq.data(), 2048);
        double reference = 0, magnitude = 0;
        for (int i = 0; i < 2048; ++i) {
            reference += double(deq[std::size_t(i)]) * x[std::size_t(i)];
            magnitude += std::fabs(double(deq[std::size_t(i)]) * x[std::size_t(i)]);
        }
        const float dot = dotRow(t, q.data(), x.data(), 2048);
        // float32 accumulation over 2048 terms: relative to the sum of magnitudes.
        QVERIFY2(std::fabs(dot - reference) <= 1e-5 * magnitude, qPrintable(QString("%1 vs %2").arg(dot).arg(reference)));
    }
    void zeroRowsStayZero()
    {
        const std::vector<float> zeros(256, 0.f);
        for (auto t : {TensorType::Q8_0, TensorType::Q4_K, TensorType::Q6_K})
            for (float v : roundTrip(t, zeros)) QCOMPARE(v, 0.f);
    }
};

QTEST_APPLESS_MAIN(TestTensorType)
#include "tst_tensortype.moc"
