#include "folio/engine/gpu.h"

#include <cuda_runtime.h>
#include <nccl.h>

#include <memory>
#include <string>

namespace folio::engine::gpu {
namespace {

std::string versionString(int packed, int majorDiv, int minorDiv, int minorMod)
{
    return std::to_string(packed / majorDiv) + "." + std::to_string((packed / minorDiv) % minorMod);
}

void check(cudaError_t err, const char* what)
{
    if (err != cudaSuccess)
        throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(err));
}

struct DeviceFree {
    void operator()(float* p) const { cudaFree(p); }
};
using DeviceBuffer = std::unique_ptr<float, DeviceFree>;

DeviceBuffer deviceAlloc(std::size_t count)
{
    float* p = nullptr;
    check(cudaMalloc(&p, count * sizeof(float)), "cudaMalloc");
    return DeviceBuffer(p);
}

// One block per row; each thread sums a strided slice of squares, then a shared-memory tree reduction.
constexpr int kThreads = 256;

__global__ void rmsNormKernel(const float* x, const float* weight, float* y, int n, float eps)
{
    __shared__ float partial[kThreads];
    const float* row = x + std::size_t(blockIdx.x) * n;
    float* out = y + std::size_t(blockIdx.x) * n;
    float sum = 0.f;
    for (int i = threadIdx.x; i < n; i += blockDim.x)
        sum += row[i] * row[i];
    partial[threadIdx.x] = sum;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride /= 2) {
        if (threadIdx.x < stride)
            partial[threadIdx.x] += partial[threadIdx.x + stride];
        __syncthreads();
    }
    const float scale = rsqrtf(partial[0] / float(n) + eps);
    for (int i = threadIdx.x; i < n; i += blockDim.x)
        out[i] = row[i] * scale * weight[i];
}

}  // namespace

Status probe()
{
    Status status;
    status.compiledWithCuda = true;
    int runtime = 0;
    if (cudaRuntimeGetVersion(&runtime) == cudaSuccess)
        status.runtimeVersion = versionString(runtime, 1000, 10, 100);
    int nccl = 0;
    if (ncclGetVersion(&nccl) == ncclSuccess)
        status.ncclVersion = std::to_string(nccl / 10000) + "." + std::to_string((nccl / 100) % 100) + "."
            + std::to_string(nccl % 100);
    int count = 0;
    const cudaError_t err = cudaGetDeviceCount(&count);
    if (err != cudaSuccess) {
        status.unavailableReason = std::string("no usable GPU: ") + cudaGetErrorString(err);
        cudaGetLastError();  // clear the sticky error so later calls start clean
        return status;
    }
    if (count == 0) {
        status.unavailableReason = "no usable GPU: the CUDA runtime reports zero devices";
        return status;
    }
    for (int i = 0; i < count; ++i) {
        cudaDeviceProp prop{};
        if (cudaGetDeviceProperties(&prop, i) != cudaSuccess)
            continue;
        status.devices.push_back({i, prop.name, prop.totalGlobalMem, prop.major, prop.minor});
    }
    if (status.devices.empty())
        status.unavailableReason = "no usable GPU: device properties could not be read";
    return status;
}

void rmsNormRows(const float* x, const float* weight, float* y, std::size_t rows, std::size_t n, float eps)
{
    const Status status = probe();
    if (!status.available())
        throw Unavailable(status.unavailableReason);
    check(cudaSetDevice(0), "cudaSetDevice");
    DeviceBuffer dx = deviceAlloc(rows * n), dw = deviceAlloc(n), dy = deviceAlloc(rows * n);
    check(cudaMemcpy(dx.get(), x, rows * n * sizeof(float), cudaMemcpyHostToDevice), "copy x to device");
    check(cudaMemcpy(dw.get(), weight, n * sizeof(float), cudaMemcpyHostToDevice), "copy weight to device");
    rmsNormKernel<<<unsigned(rows), kThreads>>>(dx.get(), dw.get(), dy.get(), int(n), eps);
    check(cudaGetLastError(), "rmsNormKernel launch");
    check(cudaMemcpy(y, dy.get(), rows * n * sizeof(float), cudaMemcpyDeviceToHost), "copy y to host");
}

}  // namespace folio::engine::gpu
