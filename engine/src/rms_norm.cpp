#include "folio/engine/rms_norm.h"

#include <cmath>

namespace folio::engine {

void rmsNorm(const float* x, const float* weight, float* y, std::size_t n, float eps)
{
    // Accumulate in double: n reaches several thousand and the GPU kernel is checked against this.
    double sumSquares = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        sumSquares += double(x[i]) * double(x[i]);
    const float scale = float(1.0 / std::sqrt(sumSquares / double(n) + double(eps)));
    for (std::size_t i = 0; i < n; ++i)
        y[i] = x[i] * scale * weight[i];
}

void rmsNormRows(const float* x, const float* weight, float* y, std::size_t rows, std::size_t n, float eps)
{
    for (std::size_t r = 0; r < rows; ++r)
        rmsNorm(x + r * n, weight, y + r * n, n, eps);
}

}  // namespace folio::engine
