#include "folio/engine/gpu.h"

#include <QTest>

#include <cmath>
#include <random>
#include <vector>

using namespace folio::engine;

// Runs everywhere: what the build and the machine can do, said plainly.
class TestGpuStatus : public QObject {
    Q_OBJECT
private slots:
    void probeExplainsItself()
    {
        const gpu::Status status = gpu::probe();
        if (status.available()) {
            QVERIFY(status.compiledWithCuda);
            QVERIFY(!status.devices.front().name.empty());
            QVERIFY(status.devices.front().memoryBytes > 0);
        } else {
            QVERIFY(!status.unavailableReason.empty());
        }
#ifdef FOLIO_HAVE_CUDA
        QVERIFY(status.compiledWithCuda);
        QVERIFY(!status.runtimeVersion.empty());
        QVERIFY(!status.ncclVersion.empty());  // NCCL is linked and answers without a GPU
#endif
    }
    void kernelsRefuseWithoutGpu()
    {
        if (gpu::probe().available()) return;  // tst_gpukernels runs them
        QVERIFY_THROWS_EXCEPTION(gpu::Unavailable, gpu::rmsNormRows(nullptr, nullptr, nullptr, 1, 1, 1e-6f));
    }
};

QTEST_APPLESS_MAIN(TestGpuStatus)
#include "tst_gpustatus.moc"
