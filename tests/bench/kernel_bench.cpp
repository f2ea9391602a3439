// The quantised dot kernels alone, on one core, with the weights in cache: how fast each type's kernel reads
// weights when memory is not the limit. Decode can reach a share of the memory bandwidth only if each core's
// kernel reads at least that share of it, so this says which of the two bounds a decode number meets.
//   kernel_bench [--rows 256] [--cols 4096] [--tokens 1]
// A matrix of rows x cols random weights (cols a multiple of 256; the defaults make 0.6-1.1 MiB, which fits in
// the L2 cache of current x86 cores) times `--tokens` tokens' activations in one call of the public
// dotRowsTokens, as a thread's share of a matrix product takes them; the best of 50 passes per type. The
// kernels are those this machine runs (FOLIO_NO_AVX512=1 or FOLIO_NO_SIMD=1 choose others).

#include "folio/engine/tensor_type.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace folio::engine;

int main(int argc, char** argv)
{
    std::int64_t rows = 256, cols = 4096;
    int tokens = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--rows") rows = std::stoll(argv[i + 1]);
        else if (a == "--cols") cols = std::stoll(argv[i + 1]);
        else if (a == "--tokens") tokens = std::clamp(std::stoi(argv[i + 1]), 1, 4);
        else {
            std::fprintf(stderr, "usage: kernel_bench [--rows N] [--cols N (a multiple of 256)] [--tokens 1-4]\n");
            return 2;
        }
    }
    if (cols % 256 != 0 || rows < 1) {
        std::fprintf(stderr, "kernel_bench: --cols must be a multiple of 256 and --rows positive\n");
        return 2;
    }
    std::mt19937 rng(1);
    std::normal_distribution<float> normal;
    std::vector<float> weights(static_cast<std::size_t>(rows * cols)), x(static_cast<std::size_t>(tokens * cols));
    for (float& w : weights) w = normal(rng);
    for (float& v : x) v = normal(rng);
    const TensorType types[] = {TensorType::Q8_0, TensorType::Q4_K, TensorType::Q4_K_WIDE, TensorType::Q5_K, TensorType::Q6_K};
    QuantizedActivations activations;
    activations.assign(x.data(), tokens, cols, types);
    std::vector<ActivationRow> tokenRows;
    for (int t = 0; t < tokens; ++t) tokenRows.push_back(activations.row(t));

    std::printf("%lld x %lld weights, %d token(s), one core, weights in cache\n", static_cast<long long>(rows),
                static_cast<long long>(cols), tokens);
    for (TensorType type : types) {
        const std::size_t rowBytes = folio::engine::rowBytes(type, cols);
        std::vector<std::uint8_t> matrix(rowBytes * std::size_t(rows));
        for (std::int64_t r = 0; r < rows; ++r) quantizeRow(type, weights.data() + r * cols, matrix.data() + r * rowBytes, cols);
        std::vector<float> out(static_cast<std::size_t>(rows * tokens));
        float sink = 0;
        double best = 1e30;
        for (int pass = 0; pass < 50; ++pass) {
            const auto t0 = std::chrono::steady_clock::now();
            dotRowsTokens(type, matrix.data(), rows, tokenRows.data(), tokens, cols, out.data(), rows);
            sink += out[0];
            best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        }
        const double bytes = double(matrix.size());
        std::printf("%-9s %7.1f KiB: %6.1f GB/s of weights, %6.1f GFLOP/s (checksum %g)\n", toString(type).c_str(),
                    bytes / 1024, bytes / best / 1e9, 2.0 * double(rows * cols) * tokens / best / 1e9, double(sink));
    }
    return 0;
}
