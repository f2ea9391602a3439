#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace folio::test {

// A float64 forward pass of the Qwen3-Next / Qwen3.5 hybrid written straight from the math in the model-family
// notes: one token at a time, the plain DeltaNet recurrence, full softmax attention. It reads the GGUF file
// itself and shares no kernels with the engine (only the decoding of stored values). Slow, and meant to be.
// The sequence state so far lives in the object (the weights are shared between copies).
class ReferenceModel {
public:
    explicit ReferenceModel(const std::string& modelPath);

    // One rounding the engine made of a token's activations (engine::observeActivationRoundings).
    struct EngineRounding {
        std::vector<float> x;
        std::int64_t block;
        std::vector<std::int8_t> q;
    };

    // Runs the next token and returns its logits. For weights that take 8-bit activations in the engine the
    // activations are rounded the same way. A value within kNearTie steps of half a step may go to the other
    // neighbouring step in float32: where `engine` (the engine's roundings of the same token) holds the same
    // input and took the other step there, the reference takes it too, and counts it in adopted.
    std::vector<double> step(std::int32_t token, const std::vector<EngineRounding>& engine = {});
    static constexpr double kNearTie = 0.05;
    int adopted = 0;
    // MoE models: the tokens each layer routed to each expert so far (layers x experts, empty before a token).
    std::vector<std::vector<std::int64_t>> routed;

private:
    struct Weights;
    std::shared_ptr<const Weights> weights_;
    std::size_t position = 0;
    std::vector<std::vector<std::vector<double>>> convHist;  // per layer: past inputs, newest last
    std::vector<std::vector<std::vector<double>>> S;         // per layer and value head: DeltaNet state
    std::vector<std::vector<std::vector<double>>> keys, values;
};

}  // namespace folio::test
