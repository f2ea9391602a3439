#include "folio/engine/gpu.h"
#include "folio/engine/rms_norm.h"

#include <QTest>

#include <cmath>
#include <random>
#include <vector>

using namespace folio::engine;

// Needs a GPU: the whole executable reports SKIP where there is none.
class TestGpuKernels : public QObject {
    Q_OBJECT
    static std::vector<float> randomValues(std::size_t n, unsigned seed)
    {
        std::mt19937 rng(seed);
        std::normal_distribution<float> dist(0.f, 1.f);
        std::vector<float> v(n);
        for (float& x : v) x = dist(rng);
        return v;
    }

private slots:
    void initTestCase()
    {
        const gpu::Status status = gpu::probe();
        if (!status.available()) QSKIP(("no GPU: " + status.unavailableReason).c_str());
    }
    void gpuRmsNormMatchesCpu()
    {
        const std::size_t rows = 37, n = 2048;
        const auto x = randomValues(rows * n, 1), w = randomValues(n, 2);
        std::vector<float> expected(rows * n), actual(rows * n);
        rmsNormRows(x.data(), w.data(), expected.data(), rows, n, 1e-6f);
        gpu::rmsNormRows(x.data(), w.data(), actual.data(), rows, n, 1e-6f);
        // float32 sums in a different order: agreement to a few ulps of the row scale.
        for (std::size_t i = 0; i < rows * n; ++i)
            QVERIFY2(std::fabs(actual[i] - expected[i]) <= 1e-5f * (1 + std::fabs(expected[i])),
                     qPrintable(QString("element %1: %2 vs %3").arg(i).arg(actual[i]).arg(expected[i])));
    }
};

QTEST_APPLESS_MAIN(TestGpuKernels)
#include "tst_gpukernels.moc"
