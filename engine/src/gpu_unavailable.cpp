// Built when CMake found no CUDA toolkit: every GPU entry point says so instead of pretending.
#include "folio/engine/gpu.h"

namespace folio::engine::gpu {

Status probe()
{
    Status status;
    status.unavailableReason = "this build of Folio has no CUDA support (nvcc was not found at build time)";
    return status;
}

void rmsNormRows(const float*, const float*, float*, std::size_t, std::size_t, float)
{
    throw Unavailable(probe().unavailableReason);
}

}  // namespace folio::engine::gpu
