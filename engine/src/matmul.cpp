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

// X as the products take it: float rows, and their 8-bit roundings (see ActivationRow) for weights that take those.
struct Input {
    const float* x;
    std::int64_t T, cols;
    std::vector<ActivationRow> rounded;  // one per token; empty when no weight takes 8-bit activations
};

// `rounded` is X already rounded for these types, or null: then X is rounded into `store` here, once for all.
Input prepare(std::span<const TensorType> types, const float* x, std::int64_t T, std::int64_t cols,
              const QuantizedActivations* rounded, QuantizedActivations& store)
{
    Input in{x, T, cols, {}};
    if (std::none_of(types.begin(), types.end(), quantizesActivations)) return in;
    if (!rounded) {
        store.assign(x, T, cols, types);
        rounded = &store;
    }
    for (std::int64_t t = 0; t < T; ++t) in.rounded.push_back(rounded->row(t));
    return in;
}

// y[t * yStride + i] = (row first + i of one expert of w) . X[t] for i < n, t < T. Float weights go four rows at a
// time into every token.
void multiplyRows(const Weight& w, std::int64_t expert, std::int64_t first, std::int64_t n, const Input& in, float* y,
                  std::int64_t yStride)
{
    if (quantizesActivations(w.type)) {
        for (std::int64_t t0 = 0; t0 < in.T; t0 += kTokenTile)
            kernels::quantizedProducts(w.type, w.row(first, expert), w.rowBytes(), n, in.rounded.data() + t0,
                                       std::min(kTokenTile, in.T - t0), w.cols, y + t0 * yStride, yStride);
        return;
    }
    if (in.T == 1) {
        for (std::int64_t i = 0; i < n; ++i) y[i] = dotRow(w.type, w.row(first + i, expert), in.x, w.cols);
        return;
    }
    std::vector<float> rows(4 * w.cols);
    const float* rowPointers[4];
    for (std::int64_t i = 0; i < n; i += 4) {
        const int k = int(std::min<std::int64_t>(4, n - i));
        for (int j = 0; j < k; ++j) {
            dequantizeRow(w.type, w.row(first + i + j, expert), rows.data() + j * w.cols, w.cols);
            rowPointers[j] = rows.data() + j * w.cols;
        }
        kernels::rowsTimesTokens(rowPointers, k, in.x, in.T, w.cols, y + i, yStride);
    }
}

// fn over [0, n) on the threads, or on the calling thread when the whole loop is too small to share.
template <typename Fn>
void loop(ThreadPool& pool, std::int64_t n, std::int64_t multiplyAdds, const Fn& fn)
{
    if (multiplyAdds <= kSerialMultiplyAdds) fn(0, n);
    else pool.parallelFor(n, fn);
}

}  // namespace

void matmul(ThreadPool& pool, const Weight& w, std::int64_t expert, const float* x, std::int64_t T, float* y,
            std::int64_t yStride)
{
    const Product p{&w, y, expert, yStride};
    matmuls(pool, std::span(&p, 1), x, T);
}

void matmuls(ThreadPool& pool, std::span<const Product> products, const float* x, std::int64_t T)
{
    const std::int64_t cols = products.front().w->cols;
    std::vector<TensorType> types;
    std::vector<std::int64_t> firstRow{0};  // of each product in the joint loop
    for (const Product& p : products) {
        types.push_back(p.w->type);
        firstRow.push_back(firstRow.back() + p.w->rows);
    }
    QuantizedActivations store;
    const Input in = prepare(types, x, T, cols, nullptr, store);
    loop(pool, firstRow.back(), firstRow.back() * cols * T, [&](std::int64_t begin, std::int64_t end) {
        std::size_t i = std::size_t(std::upper_bound(firstRow.begin(), firstRow.end(), begin) - firstRow.begin()) - 1;
        for (std::int64_t part = begin; part < end; ++i) {
            const Product& p = products[i];
            const std::int64_t partEnd = std::min(end, firstRow[i + 1]), r0 = part - firstRow[i];
            const std::int64_t yStride = p.yStride < 0 ? p.w->rows : p.yStride;
            multiplyRows(*p.w, p.expert, r0, partEnd - part, in, p.y + r0, yStride);
            part = partEnd;
        }
    });
}

void swiglu(ThreadPool& pool, const Weight& gate, const Weight& up, std::int64_t expert, std::int64_t upFirstRow,
            std::int64_t F, const float* x, std::int64_t T, float* out, const QuantizedActivations* rounded)
{
    const TensorType types[] = {gate.type, up.type};
    QuantizedActivations store;
    const Input in = prepare(types, x, T, gate.cols, rounded, store);
    loop(pool, F, 2 * F * gate.cols * T, [&](std::int64_t begin, std::int64_t end) {
        const std::int64_t n = end - begin;
        std::vector<float> u(std::size_t(T * n));
        multiplyRows(gate, expert, begin, n, in, out + begin, F);
        multiplyRows(up, expert, upFirstRow + begin, n, in, u.data(), n);
        for (std::int64_t t = 0; t < T; ++t) {
            float* g = out + t * F + begin;
            kernels::silu(g, g, n);
            for (std::int64_t i = 0; i < n; ++i) g[i] *= u[std::size_t(t * n + i)];
        }
    });
}

}  // namespace folio::engine
