#pragma once

// A chat or completion request of the OpenAI API, parsed and checked. Parsing never trusts the body: malformed
// JSON, a field of the wrong type or an out-of-range value is an ApiError (400) naming the field.

#include "folio/engine/chat_format.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace folio::serve {

enum class Endpoint { Chat, Completion };

struct GenerationRequest {
    Endpoint endpoint = Endpoint::Completion;
    std::string model;
    std::vector<engine::ChatMessage> messages;  // chat
    std::string prompt;                         // completion
    std::optional<std::string> suffix;          // completion: fill in the middle
    engine::Thinking thinking = engine::Thinking::Default;  // chat_template_kwargs.enable_thinking
    std::optional<int> maxTokens;               // max_tokens or max_completion_tokens
    float temperature = 1.f;
    float topP = 1.f;
    std::vector<std::string> stop;
    std::optional<std::uint64_t> seed;
    bool stream = false;
    bool includeUsage = false;                  // stream_options.include_usage
};

GenerationRequest parseChatRequest(const std::string& body);
GenerationRequest parseCompletionRequest(const std::string& body);
// vLLM's /tokenize: `messages` as a chat request has them, or a `prompt`.
GenerationRequest parseTokenizeRequest(const std::string& body);

}  // namespace folio::serve
