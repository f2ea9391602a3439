#pragma once

#include <cstddef>

namespace folio::engine {

// y = x / sqrt(mean(x^2) + eps) * w over one row of n values. The norm weight already carries
// the +1 of Qwen's zero-centred norm in GGUF files, so it is applied as stored.
void rmsNorm(const float* x, const float* weight, float* y, std::size_t n, float eps);

// The same for `rows` consecutive rows of n values.
void rmsNormRows(const float* x, const float* weight, float* y, std::size_t rows, std::size_t n, float eps);

}  // namespace folio::engine
