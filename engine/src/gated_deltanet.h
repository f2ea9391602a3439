#pragma once

#include "folio/engine/model.h"
#include "folio/engine/thread_pool.h"

#include <cstdint>

namespace folio::engine {

// One Gated DeltaNet layer over T tokens: out (T x nEmbd) from the normalised input h (T x nEmbd). The layer's
// recurrent state changes in place: conv holds the last convKernel - 1 inputs of the convolution (oldest first,
// convKernel - 1 x convChannels), ssm the delta-rule state of each value head (valueHeads x valueDim x keyDim).
// Runs of chunkSize tokens take the chunked (WY) form of the delta rule, single tokens the recurrence; the
// numbers depend only on where chunks start.
void gatedDeltaNet(ThreadPool& pool, const ModelConfig& c, int chunkSize, const LayerWeights& L, float* conv, float* ssm,
                   const float* h, std::int64_t T, float* out);

}  // namespace folio::engine
