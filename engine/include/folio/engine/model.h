#pragma once

// A hybrid linear-attention model of the Qwen3-Next / Qwen3.5 family loaded from GGUF: hyperparameters and views
// of the weights inside the file's memory (see WeightMemory), Q4_K ones of a copied file in the CPU kernels'
// wide layout. Architectures are looked up in a registry by `general.architecture`, one builder per family, so a
// new family is a new builder.

#include "folio/engine/gguf.h"

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace folio::engine {

// A weight matrix as GGUF stores it: `rows` rows of `cols` values each, y = W x has `rows` outputs.
// Three-dimensional expert tensors are `experts` such matrices one after the other.
struct Weight {
    const std::uint8_t* data = nullptr;
    TensorType type = TensorType::F32;
    std::int64_t cols = 0, rows = 0, experts = 1;
    std::string name;
    std::vector<float> values;  // small tensors (norms, biases, conv taps) dequantised once at load
    explicit operator bool() const { return data != nullptr; }
    std::size_t rowBytes() const { return engine::rowBytes(type, cols); }
    const std::uint8_t* row(std::int64_t r, std::int64_t expert = 0) const
    {
        return data + std::size_t(expert * rows + r) * rowBytes();
    }
};

enum class LayerKind { DeltaNet, Attention };
// Which key head a value head reads: Qwen3-Next groups value heads per key head (h / r), Qwen3.5 tiles them
// (h mod Hk).
enum class ValueHeadOrder { Grouped, Tiled };

struct ModelConfig {
    std::string architecture;
    std::int64_t vocab = 0, nEmbd = 0, nLayer = 0, contextLength = 0;
    // Multi-token-prediction blocks the file carries after the nLayer layers (`nextn_predict_layers`): a draft
    // head for speculative decoding, which Folio does not run.
    std::int64_t nextnLayers = 0;
    float rmsEps = 1e-6f;
    // Gated attention
    std::int64_t nHead = 0, nHeadKv = 0, headDim = 0, ropeDims = 0;
    float ropeBase = 10000.f;
    // Multi-section RoPE (Qwen3.5, `rope.dimension_sections`): how many rotary frequencies take their angle from
    // each axis of a position (time, height, width, extra). Empty for the plain rotation.
    std::vector<std::int64_t> ropeSections;
    // Gated DeltaNet: Hk key heads of Dk, Hv value heads of Dv, causal conv of convKernel taps
    std::int64_t convKernel = 4, keyHeads = 0, keyDim = 0, valueHeads = 0, valueDim = 0;
    ValueHeadOrder valueHeadOrder = ValueHeadOrder::Grouped;
    // FFN: dense (nFF) or MoE (experts, used per token, expert and shared-expert widths)
    std::int64_t nFF = 0, nExpert = 0, nExpertUsed = 0, nFFExpert = 0, nFFShared = 0;
    std::vector<LayerKind> layers;

    std::int64_t convChannels() const { return 2 * keyHeads * keyDim + valueHeads * valueDim; }
    bool isMoe() const { return nExpert > 0; }
    // The key head that value head h reads.
    std::int64_t keyHeadOf(std::int64_t h) const
    {
        return valueHeadOrder == ValueHeadOrder::Tiled ? h % keyHeads : h / (valueHeads / keyHeads);
    }
};

struct LayerWeights {
    Weight attnNorm, postAttnNorm;
    // DeltaNet: either qkv + gate, or the legacy interleaved ssm_in; either ba or beta + alpha.
    Weight qkv, gate, ssmIn, convWeight, dtBias, ssmA, ba, beta, alpha, ssmNorm, ssmOut;
    // convWeight's taps one tap after another (K x channels; the file holds them channel by channel), so that a
    // token's convolution runs along contiguous channels.
    std::vector<float> convTaps;
    // Attention
    Weight wq, wk, wv, wo, qNorm, kNorm;
    // FFN
    Weight ffnGate, ffnUp, ffnDown;
    Weight router, expGate, expUp, expGateUp, expDown, sharedGateInp, sharedGate, sharedUp, sharedDown;

    // Every weight above, present or not, for code that treats them all alike.
    std::array<Weight*, 31> all();
};

class Model {
public:
    // Opens, validates and builds the model. Throws GgufError naming the file and the missing or misshapen
    // tensor, or the unknown architecture. The weights are mapped from the file unless `memory` says to copy them.
    static std::unique_ptr<Model> load(const std::string& path, WeightMemory memory = WeightMemory::Mapped);

    const ModelConfig& config() const { return config_; }
    const GgufFile& file() const { return *file_; }
    const Weight& tokenEmbedding() const { return tokenEmbd_; }
    const Weight& outputNorm() const { return outputNorm_; }
    const Weight& output() const { return output_; }  // the embedding itself when the file ties them
    const LayerWeights& layer(std::int64_t i) const { return layers_[std::size_t(i)]; }
    // The memory the weights take as the engine holds them (the file's tensors the model uses, Q4_K ones in the
    // wide layout for a copied file).
    std::uint64_t weightBytes() const;

    // The builder of one architecture family fills config and weights from the file.
    using Builder = std::function<void(const GgufFile&, Model&)>;
    static void registerArchitecture(const std::string& name, Builder builder);
    static std::vector<std::string> architectures();

    // For builders.
    ModelConfig config_;
    Weight tokenEmbd_, outputNorm_, output_;
    std::vector<LayerWeights> layers_;

private:
    void widenQ4K();
    void releaseUnusedTensors();

    std::unique_ptr<GgufFile> file_;
    std::shared_ptr<void> wideWeights_;  // the Q4_K weights of a copied file in the wide layout
    std::uint64_t wideBytes_ = 0, widenedFileBytes_ = 0, unusedFileBytes_ = 0;
};

// Looks a tensor up and checks its shape: {cols, rows} or {cols, rows, experts}, or {cols} for vectors
// (rows = 1). `required` false returns an empty Weight when absent.
Weight findWeight(const GgufFile& file, const std::string& name, std::vector<std::int64_t> shape, bool required = true);

}  // namespace folio::engine
