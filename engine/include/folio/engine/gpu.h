#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace folio::engine::gpu {

struct DeviceInfo {
    int index = 0;
    std::string name;
    std::size_t memoryBytes = 0;
    int computeMajor = 0;
    int computeMinor = 0;
};

struct Status {
    bool compiledWithCuda = false;
    std::string runtimeVersion;  // CUDA runtime, e.g. "13.0"
    std::string ncclVersion;     // e.g. "2.27.3"
    std::vector<DeviceInfo> devices;
    std::string unavailableReason;  // why devices is empty
    bool available() const { return !devices.empty(); }
};

// Asks the CUDA runtime which devices this process can use. Never throws.
Status probe();

class Unavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Row-wise RMSNorm on device 0: copies x and weight to the GPU, runs one block per row, copies y back.
// Throws Unavailable when there is no usable GPU, std::runtime_error on a CUDA error.
void rmsNormRows(const float* x, const float* weight, float* y, std::size_t rows, std::size_t n, float eps);

}  // namespace folio::engine::gpu
