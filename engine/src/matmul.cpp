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

// Products smaller than this (such as one token through a small MoE router, 32 x 1024) take less time on the
// calling thread than handing half of them to another thread and waiting for it.
constexpr std::int64_t kSerialMultiplyAdds = 1 << 16;

// X as the products take it: float rows, and their 8-bit roundings (see ActivationRow) for weights that take those.
struct Input {
    const float* x;
    std::int64_t T;
    std::vector<ActivationRow> rounded;  // one per token; empty when no weight takes 8-bit activations
};

// X for weights of `types`: if one of them takes 8-bit activations, the T rows `given` already rounded for them,
// or (given null) rounded here into `store`, once for all of them.
Input prepare(std::span<const TensorType> types, const float* x, std::int64_t T, std::int64_t cols,
              QuantizedActivations& store, const ActivationRow* given = nullptr)
{
    Input in{x, T, {}};
    if (std::none_of(types.begin(), types.end(), quantizesActivations)) return in;
    if (given) {
        in.rounded.assign(given, given + T);
        return in;
    }
    store.assign(x, T, cols, types);
    for (std::int64_t t = 0; t < T; ++t) in.rounded.push_back(store.row(t));
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

// fn(item, first row, rows) for each item's part of [begin, end) in a joint loop over several items (products,
// jobs) whose rows lie one after another, item j's from first[j] to first[j + 1].
template <typename Fn>
void eachPart(const std::vector<std::int64_t>& first, std::int64_t begin, std::int64_t end, const Fn& fn)
{
    std::size_t j = std::size_t(std::upper_bound(first.begin(), first.end(), begin) - first.begin()) - 1;
    for (std::int64_t part = begin; part < end; ++j) {
        const std::int64_t partEnd = std::min(end, first[j + 1]);
        fn(j, part - first[j], partEnd - part);
        part = partEnd;
    }
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
    const Input in = prepare(types, x, T, cols, store);
    loop(pool, firstRow.back(), firstRow.back() * cols * T, [&](std::int64_t begin, std::int64_t end) {
        eachPart(firstRow, begin, end, [&](std::size_t i, std::int64_t r0, std::int64_t rows) {
            const Product& p = products[i];
            multiplyRows(*p.w, p.expert, r0, rows, in, p.y + r0, p.yStride < 0 ? p.w->rows : p.yStride);
        });
    });
}

void swiglus(ThreadPool& pool, std::span<const SwigluJob> jobs)
{
    const std::size_t n = jobs.size();
    std::vector<std::vector<float>> hidden(n);
    std::vector<QuantizedActivations> stores(n);
    std::vector<Input> inputs;
    std::vector<std::int64_t> firstRow{0};  // of each job's F rows in the first loop
    std::int64_t multiplyAdds = 0;
    for (std::size_t j = 0; j < n; ++j) {
        const SwigluJob& job = jobs[j];
        const TensorType types[] = {job.gate->type, job.up->type};
        inputs.push_back(prepare(types, job.x, job.T, job.gate->cols, stores[j], job.rounded));
        hidden[j].resize(std::size_t(job.T * job.F));
        firstRow.push_back(firstRow.back() + job.F);
        multiplyAdds += 2 * job.F * job.gate->cols * job.T;
    }
    loop(pool, firstRow.back(), multiplyAdds, [&](std::int64_t begin, std::int64_t end) {
        std::vector<float> u;
        eachPart(firstRow, begin, end, [&](std::size_t j, std::int64_t r0, std::int64_t rows) {
            const SwigluJob& job = jobs[j];
            float* g = hidden[j].data() + r0;
            u.resize(std::size_t(job.T * rows));
            multiplyRows(*job.gate, job.expert, r0, rows, inputs[j], g, job.F);
            multiplyRows(*job.up, job.expert, job.upFirstRow + r0, rows, inputs[j], u.data(), rows);
            for (std::int64_t t = 0; t < job.T; ++t) {
                float* gt = g + t * job.F;
                kernels::silu(gt, gt, rows);
                for (std::int64_t i = 0; i < rows; ++i) gt[i] *= u[std::size_t(t * rows + i)];
            }
        });
    });

    inputs.clear();
    firstRow.assign(1, 0);
    multiplyAdds = 0;
    for (std::size_t j = 0; j < n; ++j) {
        const SwigluJob& job = jobs[j];
        inputs.push_back(prepare(std::span(&job.down->type, 1), hidden[j].data(), job.T, job.F, stores[j]));
        firstRow.push_back(firstRow.back() + job.down->rows);
        multiplyAdds += job.down->rows * job.F * job.T;
    }
    loop(pool, firstRow.back(), multiplyAdds, [&](std::int64_t begin, std::int64_t end) {
        eachPart(firstRow, begin, end, [&](std::size_t j, std::int64_t r0, std::int64_t rows) {
            const SwigluJob& job = jobs[j];
            multiplyRows(*job.down, job.expert, r0, rows, inputs[j], job.y + r0, job.down->rows);
        });
    });
}

}  // namespace folio::engine
