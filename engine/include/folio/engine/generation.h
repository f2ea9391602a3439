#pragma once

// Sampling and text generation on top of a Session and a Tokenizer.

#include "folio/engine/session.h"
#include "folio/engine/tokenizer.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace folio::engine {

struct SamplingOptions {
    float temperature = 0.f;        // 0 = greedy
    int topK = 0;                   // 0 = all tokens
    float topP = 1.f;               // nucleus: smallest set whose probability reaches topP
    float repetitionPenalty = 1.f;  // > 1 discourages tokens seen in the last `repetitionWindow` tokens
    int repetitionWindow = 64;
    std::uint64_t seed = 0;
};

class Sampler {
public:
    explicit Sampler(SamplingOptions options);
    std::int32_t sample(const std::vector<float>& logits, std::span<const std::int32_t> history);

private:
    SamplingOptions options_;
    std::mt19937_64 rng_;
};

struct GenerationOptions {
    int maxTokens = 128;
    SamplingOptions sampling;
    std::vector<std::string> stop;  // generation ends before the first of these strings
    std::function<void(const Session&)> afterPrefill;  // sees the prompt's logits before anything is sampled
};

struct GenerationResult {
    std::string text;
    std::vector<std::int32_t> tokens;
    std::string stopReason;  // "eos", "stop", "length" or "cancelled"
    std::int64_t promptTokens = 0;
    double prefillSeconds = 0, decodeSeconds = 0;
};

// Prefills the prompt's tokens and samples up to maxTokens more. `onText` receives the text as it grows, in
// whole UTF-8 characters, never text that may turn out to be part of a stop string; returning false cancels.
GenerationResult generate(Session& session, const Tokenizer& tokenizer, std::string_view prompt,
                          const GenerationOptions& options, const std::function<bool(std::string_view)>& onText = {},
                          const std::atomic<bool>* cancel = nullptr);
// The same with the prompt already tokenised (appended to whatever the session holds).
GenerationResult generate(Session& session, const Tokenizer& tokenizer, std::span<const std::int32_t> promptTokens,
                          const GenerationOptions& options, const std::function<bool(std::string_view)>& onText = {},
                          const std::atomic<bool>* cancel = nullptr);

}  // namespace folio::engine
