#include "folio/engine/rms_norm.h"

#include <QTest>

#include <cmath>
#include <random>
#include <vector>

using namespace folio::engine;

class TestRmsNorm : public QObject {
    Q_OBJECT
private slots:
    void matchesDefinition()
    {
        const std::vector<float> x = {1, -2, 3, -4}, w = {1, 1, 0.5f, 2};
        std::vector<float> y(4);
        rmsNorm(x.data(), w.data(), y.data(), 4, 1e-6f);
        const double rms = std::sqrt((1 + 4 + 9 + 16) / 4.0 + 1e-6);
        for (std::size_t i = 0; i < 4; ++i) QVERIFY(std::fabs(y[i] - float(x[i] / rms * w[i])) < 1e-6f);
    }
    void rowsAreIndependent()
    {
        const std::vector<float> x = {1, 1, 10, 10}, w = {1, 1};
        std::vector<float> y(4);
        rmsNormRows(x.data(), w.data(), y.data(), 2, 2, 0.f);
        for (float v : y) QCOMPARE(v, 1.0f);
    }
};

QTEST_APPLESS_MAIN(TestRmsNorm)
#include "tst_rmsnorm.moc"
