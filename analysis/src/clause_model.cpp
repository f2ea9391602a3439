#include "folio/analysis/clauses.h"

#include <zstd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>
#include <stdexcept>
#include <thread>
#include <atomic>

namespace folio::analysis {

namespace {

constexpr char kMagic[8] = {'F', 'O', 'L', 'C', 'L', 'S', '0', '1'};

void put32(std::string& out, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out += static_cast<char>((v >> (8 * i)) & 0xff);
}

struct Reader {
    std::string_view data;
    size_t at = 0;
    std::uint32_t u32()
    {
        need(4);
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
            v |= std::uint32_t(static_cast<unsigned char>(data[at + i])) << (8 * i);
        at += 4;
        return v;
    }
    float f32()
    {
        std::uint32_t bits = u32();
        float f;
        std::memcpy(&f, &bits, 4);
        return f;
    }
    std::string_view bytes(size_t n)
    {
        need(n);
        std::string_view v = data.substr(at, n);
        at += n;
        return v;
    }
    void need(size_t n) const
    {
        if (at + n > data.size())
            throw std::runtime_error("clause model is truncated");
    }
};

float sigmoid(float z)
{
    return 1.0f / (1.0f + std::exp(-z));
}

}  // namespace

ClauseModel::ClauseModel(std::vector<std::string> categories, std::vector<std::vector<float>> weights,
                         std::vector<float> bias)
    : categories_(std::move(categories)), weights_(std::move(weights)), bias_(std::move(bias))
{
}

std::string ClauseModel::toBytes() const
{
    // Weights as int8 with one scale per category: 4x smaller, and the probabilities move by < 1e-3.
    std::string raw(kMagic, sizeof kMagic);
    put32(raw, kFeatureBits);
    put32(raw, static_cast<std::uint32_t>(categories_.size()));
    for (size_t c = 0; c < categories_.size(); ++c) {
        put32(raw, static_cast<std::uint32_t>(categories_[c].size()));
        raw += categories_[c];
        float maxAbs = 0;
        for (float w : weights_[c])
            maxAbs = std::max(maxAbs, std::fabs(w));
        float scale = maxAbs > 0 ? maxAbs / 127.0f : 1.0f;
        std::uint32_t bits;
        std::memcpy(&bits, &scale, 4);
        put32(raw, bits);
        std::memcpy(&bits, &bias_[c], 4);
        put32(raw, bits);
        for (float w : weights_[c])
            raw += static_cast<char>(static_cast<std::int8_t>(std::lround(w / scale)));
    }
    std::string out(ZSTD_compressBound(raw.size()), '\0');
    size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), 19);
    if (ZSTD_isError(n))
        throw std::runtime_error(std::string("cannot compress the clause model: ") + ZSTD_getErrorName(n));
    out.resize(n);
    return out;
}

ClauseModel ClauseModel::fromBytes(std::string_view bytes)
{
    unsigned long long size = ZSTD_getFrameContentSize(bytes.data(), bytes.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 31))
        throw std::runtime_error("clause model is not a zstd frame");
    std::string raw(size, '\0');
    size_t n = ZSTD_decompress(raw.data(), raw.size(), bytes.data(), bytes.size());
    if (ZSTD_isError(n) || n != size)
        throw std::runtime_error("clause model does not decompress: damaged file");
    Reader r{raw};
    if (r.bytes(sizeof kMagic) != std::string_view(kMagic, sizeof kMagic))
        throw std::runtime_error("not a Folio clause model (bad magic)");
    if (r.u32() != kFeatureBits)
        throw std::runtime_error("clause model uses another feature size");
    std::uint32_t count = r.u32();
    if (count == 0 || count > 1000)
        throw std::runtime_error("clause model has an implausible number of categories");
    std::vector<std::string> categories;
    std::vector<std::vector<float>> weights;
    std::vector<float> bias;
    for (std::uint32_t c = 0; c < count; ++c) {
        std::uint32_t len = r.u32();
        categories.emplace_back(r.bytes(len));
        float scale = r.f32();
        bias.push_back(r.f32());
        std::string_view q = r.bytes(kFeatureCount);
        std::vector<float> w(kFeatureCount);
        for (std::uint32_t i = 0; i < kFeatureCount; ++i)
            w[i] = static_cast<std::int8_t>(q[i]) * scale;
        weights.push_back(std::move(w));
    }
    if (r.at != raw.size())
        throw std::runtime_error("clause model has trailing bytes");
    return ClauseModel(std::move(categories), std::move(weights), std::move(bias));
}

std::vector<float> ClauseModel::predict(const std::vector<std::uint32_t>& features) const
{
    std::vector<float> p(categories_.size());
    for (size_t c = 0; c < categories_.size(); ++c) {
        float z = bias_[c];
        for (std::uint32_t f : features)
            z += weights_[c][f];
        p[c] = sigmoid(z);
    }
    return p;
}

ClauseModel trainClauseModel(const std::vector<std::string>& categories, const std::vector<TrainingExample>& examples,
                             int epochs, float l2, std::uint32_t seed)
{
    std::vector<size_t> order(examples.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937 rng(seed);
    std::vector<std::vector<size_t>> orders;
    for (int e = 0; e < epochs; ++e) {
        std::shuffle(order.begin(), order.end(), rng);
        orders.push_back(order);
    }
    size_t k = categories.size();
    std::vector<std::vector<float>> weights(k);
    std::vector<float> bias(k, 0);
    // Categories are independent problems: one per thread at a time.
    auto trainOne = [&](size_t c) {
        std::vector<float> w(ClauseModel::kFeatureCount, 0), g2(ClauseModel::kFeatureCount, 1e-2f);
        float b = 0, gb2 = 1e-2f;
        const float rate = 0.2f;
        for (int e = 0; e < epochs; ++e)
            for (size_t i : orders[e]) {
                const TrainingExample& ex = examples[i];
                float z = b;
                for (std::uint32_t f : ex.features)
                    z += w[f];
                float g = sigmoid(z) - float(ex.labels[c]);
                for (std::uint32_t f : ex.features) {
                    float gf = g + l2 * w[f];
                    g2[f] += gf * gf;
                    w[f] -= rate * gf / std::sqrt(g2[f]);
                }
                gb2 += g * g;
                b -= rate * g / std::sqrt(gb2);
            }
        weights[c] = std::move(w);
        bias[c] = b;
    };
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> pool;
    std::atomic<size_t> next{0};
    for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            for (size_t c; (c = next++) < k;)
                trainOne(c);
        });
    for (std::thread& t : pool)
        t.join();
    return ClauseModel(categories, std::move(weights), std::move(bias));
}

}  // namespace folio::analysis
