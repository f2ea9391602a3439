#include "planted_model.h"

#include "tiny_model.h"

#include "folio/engine/gguf.h"

#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace folio::test {
namespace {

using engine::TensorType;

// The embedding channels that carry the plant, and the key channel (past the 32 rotary ones, so no position
// turns it) where queries meet the marker.
constexpr std::int64_t kMarkerChannel = 0, kConstantChannel = 1, kKeyChannel = 40;
constexpr std::int64_t kHeadDim = 64;

// A float tensor's values, row r (one output) at r * shape[0].
struct Values {
    std::vector<std::uint64_t> shape;
    std::vector<float> v;
    float* row(std::int64_t r) { return v.data() + r * std::int64_t(shape[0]); }
    std::int64_t rows() const { return std::int64_t(v.size() / shape[0]); }
};

}  // namespace

void writePlantedRetrievalModel(const std::string& path, const PlantedRetrievalSpec& spec)
{
    const std::string base = path + ".random";
    TinyModelSpec tiny;
    tiny.variant = TinyVariant::Qwen35;
    tiny.seed = spec.seed;
    tiny.contextLength = 1 << 20;
    writeTinyModel(base, tiny);
    engine::GgufWriter w;
    {
        engine::GgufFile random(base);
        for (const auto& [k, v] : random.metadata()) w.set(k, v);
        for (const auto& t : random.tensors()) {
            if (t.type != TensorType::F32) throw std::logic_error("the planted model edits F32 tensors only: " + t.name);
            const auto data = random.tensorData(t);
            Values x{t.shape, std::vector<float>(data.size() / sizeof(float))};
            std::memcpy(x.v.data(), data.data(), data.size());
            const auto is = [&](const char* name) { return t.name.ends_with(name); };
            if (t.name == "token_embd.weight") {
                for (std::int64_t tok = 0; tok < x.rows(); ++tok) {
                    x.row(tok)[kMarkerChannel] = tok == spec.marker ? 6.f : 0.f;
                    x.row(tok)[kConstantChannel] = 3.f;
                }
            } else if (is("ssm_out.weight") || is("ffn_down.weight") || is("attn_output.weight")) {
                // No layer writes the two channels.
                for (std::int64_t c : {kMarkerChannel, kConstantChannel}) std::fill(x.row(c), x.row(c) + x.shape[0], 0.f);
            } else if (is("attn_norm.weight")) {
                x.v[kMarkerChannel] = x.v[kConstantChannel] = 1.f;
            } else if (is("attn_k.weight")) {
                // Key channel kKeyChannel of each KV head reads the marker channel alone; no other reads it.
                for (std::int64_t r = 0; r < x.rows(); ++r) {
                    float* row = x.row(r);
                    if (r % kHeadDim == kKeyChannel) {
                        std::fill(row, row + x.shape[0], 0.f);
                        row[kMarkerChannel] = 4.f;
                    } else {
                        row[kMarkerChannel] = 0.f;
                    }
                }
            } else if (is("attn_q.weight")) {
                // Each head's query [q | gate]: channel kKeyChannel reads the constant channel; the rest of q is
                // made small, so that the queries point along kKeyChannel.
                for (std::int64_t r = 0; r < x.rows(); ++r) {
                    float* row = x.row(r);
                    const std::int64_t within = r % (2 * kHeadDim);
                    if (within >= kHeadDim) continue;  // the gate
                    if (within == kKeyChannel) {
                        std::fill(row, row + x.shape[0], 0.f);
                        row[kConstantChannel] = 4.f;
                    } else {
                        for (std::uint64_t i = 0; i < x.shape[0]; ++i) row[i] *= 0.1f;
                    }
                }
            } else if (is("attn_q_norm.weight") || is("attn_k_norm.weight")) {
                x.v[kKeyChannel] = 2.f;
            }
            std::vector<std::uint8_t> bytes(x.v.size() * sizeof(float));
            std::memcpy(bytes.data(), x.v.data(), bytes.size());
            w.addTensor(t.name, t.shape, t.type, std::move(bytes));
        }
    }
    std::remove(base.c_str());
    w.write(path);
}

}  // namespace folio::test
