#include "matmul.h"

#include "kernels.h"

#include <algorithm>
#include <vector>

namespace folio::engine {
namespace {

// Tokens whose 8-bit activations a thread multiplies into its weight rows before taking the next rows: 64
// tokens of the widest input (3584 values) are 280 KiB, so they stay in the core's cache while every row of the
// thread's share is read once from memory per 64 tokens.
constexpr std::int64_t kTokenTile = 64;

// Products smaller than this (such as the DeltaNet beta and alpha projections of one token, 16 x 1024) take less
// time on the calling thread than handing half of them to another thread and waiting for it.
constexpr std::int64_t kSerialMultiplyAdds = 1 << 16;

// Several products of the same input with 8-bit activations (see ActivationRow): the input is rounded once,
// and all their rows form one loop for the threads, so a token's projections cost one hand-off, not one each.
void matmulQuantized(ThreadPool& pool, std::span<const Product> products, const float* x, std::int64_t T)
{
    const std::int64_t cols = products.front().w->cols;
    std::vector<TensorType> types;
    for (const Product& p : products) types.push_back(p.w->type);
    QuantizedActivations xq;
    xq.assign(x, T, cols, types);
    std::vector<ActivationRow> tokenRows(static_cast<std::size_t>(T));
    for (std::int64_t t = 0; t < T; ++t) tokenRows[t] = xq.row(t);
    std::vector<std::int64_t> firstRow{0};  // of each product in the joint loop
    for (const Product& p : products) firstRow.push_back(firstRow.back() + p.w->rows);
    pool.parallelFor(firstRow.back(), [&](std::int64_t begin, std::int64_t end) {
        std::size_t i = std::size_t(std::upper_bound(firstRow.begin(), firstRow.end(), begin) - firstRow.begin()) - 1;
        for (std::int64_t part = begin; part < end; ++i) {
            const Product& p = products[i];
            const std::int64_t partEnd = std::min(end, firstRow[i + 1]), r0 = part - firstRow[i];
            const std::int64_t yStride = p.yStride < 0 ? p.w->rows : p.yStride;
            for (std::int64_t t0 = 0; t0 < T; t0 += kTokenTile)
                kernels::quantizedProducts(p.w->type, p.w->row(r0, p.expert), p.w->rowBytes(), partEnd - part,
                                           tokenRows.data() + t0, std::min(kTokenTile, T - t0), p.w->cols,
                                           p.y + t0 * yStride + r0, yStride);
            part = partEnd;
        }
    });
}

}  // namespace

// Float weights are multiplied four rows at a time into every token.
void matmul(ThreadPool& pool, const Weight& w, std::int64_t expert, const float* x, std::int64_t T, float* y,
            std::int64_t yStride)
{
    if (quantizesActivations(w.type)) {
        const Product p{&w, y, expert, yStride};
        matmulQuantized(pool, std::span(&p, 1), x, T);
        return;
    }
    if (yStride < 0) yStride = w.rows;
    const auto rowRange = [&](std::int64_t begin, std::int64_t end) {
        if (T == 1) {
            for (std::int64_t r = begin; r < end; ++r) y[r] = dotRow(w.type, w.row(r, expert), x, w.cols);
            return;
        }
        std::vector<float> rows(4 * w.cols);
        const float* rowPointers[4];
        for (std::int64_t r = begin; r < end; r += 4) {
            const int n = int(std::min<std::int64_t>(4, end - r));
            for (int k = 0; k < n; ++k) {
                dequantizeRow(w.type, w.row(r + k, expert), rows.data() + k * w.cols, w.cols);
                rowPointers[k] = rows.data() + k * w.cols;
            }
            kernels::rowsTimesTokens(rowPointers, n, x, T, w.cols, y + r, yStride);
        }
    };
    if (w.rows * w.cols * T <= kSerialMultiplyAdds) rowRange(0, w.rows);
    else pool.parallelFor(w.rows, rowRange);
}

// Small float matrices, such as F32 gate projections, go on their own.
void matmuls(ThreadPool& pool, std::span<const Product> products, const float* x, std::int64_t T)
{
    std::vector<Product> quantized;
    for (const Product& p : products) {
        if (quantizesActivations(p.w->type)) quantized.push_back(p);
        else matmul(pool, *p.w, p.expert, x, T, p.y, p.yStride);
    }
    if (!quantized.empty()) matmulQuantized(pool, quantized, x, T);
}

}  // namespace folio::engine
