#pragma once

#include "folio/engine/model.h"
#include "folio/engine/thread_pool.h"

#include <cstdint>

namespace folio::engine {

// The feed-forward block of one layer over T tokens: out (T x nEmbd) from the normalised input h (T x nEmbd).
// For a mixture of experts, `routed` (nExpert counters, may be null) gains the tokens each expert was given.
void feedForward(ThreadPool& pool, const ModelConfig& c, const LayerWeights& L, const float* h, std::int64_t T, float* out,
                 std::uint64_t* routed = nullptr);

}  // namespace folio::engine
