#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace folio::test {

// A float64 forward pass of the Qwen3-Next / Qwen3.5 hybrid written straight from the math in the model-family
// notes: one token at a time, the plain DeltaNet recurrence, full softmax attention. It reads the GGUF file
// itself and shares no kernels with the engine (only the decoding of stored values). Slow, and meant to be.
// A copy carries the sequence state so far (the weights are shared), so a caller can try a token again.
class ReferenceModel {
public:
    explicit ReferenceModel(const std::string& modelPath);

    // Runs the next token and returns its logits. For weights that take 8-bit activations in the engine the
    // activations are rounded the same way; `flip` names one such rounding of this token (an ordinal from
    // closeCalls) to go to the other neighbouring step, as float32 arithmetic may take it when the value lies
    // within a hair of half a step.
    std::vector<double> step(std::int32_t token, std::int64_t flip = -1);
    // The roundings of the last step within kCloseCall steps of half a step, closest first.
    static constexpr double kCloseCall = 1e-3;
    std::vector<std::int64_t> closeCalls;

private:
    struct Weights;
    std::shared_ptr<const Weights> weights_;
    std::size_t position = 0;
    std::vector<std::vector<std::vector<double>>> convHist;  // per layer: past inputs, newest last
    std::vector<std::vector<std::vector<double>>> S;         // per layer and value head: DeltaNet state
    std::vector<std::vector<std::vector<double>>> keys, values;
};

}  // namespace folio::test
