#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace folio::test {

// A float64 forward pass of the Qwen3-Next / Qwen3.5 hybrid written straight from the math in the model-family
// notes: one token at a time, the plain DeltaNet recurrence, full softmax attention. It reads the GGUF file
// itself and shares no kernels with the engine (only the decoding of stored values). Slow, and meant to be.
// Returns the logits after every token.
std::vector<std::vector<double>> referenceLogits(const std::string& modelPath, const std::vector<std::int32_t>& tokens);

}  // namespace folio::test
