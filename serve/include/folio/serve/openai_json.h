#pragma once

// The JSON shapes of OpenAI's API that the server writes: the model list, completions and chat completions
// whole or as stream chunks, and usage.

#include "folio/serve/request.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace folio::serve {

struct Usage {
    std::int64_t promptTokens = 0, completionTokens = 0, cachedTokens = 0;
};

// Identifies one response: every chunk of a stream carries the same.
struct ResponseHeader {
    Endpoint endpoint;
    std::string id;  // "chatcmpl-..." or "cmpl-..."
    std::int64_t created = 0;
    std::string model;
    static ResponseHeader make(Endpoint endpoint, const std::string& model);
};

// The one model, with its context length as vLLM reports it (`max_model_len`).
nlohmann::json modelsJson(const std::string& model, std::int64_t contextLength, std::int64_t created);
nlohmann::json usageJson(const Usage& usage);
// "stop" or "length" from a GenerationResult's stop reason.
std::string finishReason(const std::string& stopReason);

nlohmann::json completionJson(const ResponseHeader& h, const std::string& text, const std::string& reasoning,
                              const std::string& finish, const Usage& usage);
// One chunk: a delta of text (or of reasoning, for chat), or the final chunk when `finish` is given.
nlohmann::json chunkJson(const ResponseHeader& h, const nlohmann::json& delta, const std::string& finish = {});
nlohmann::json chatDelta(const std::string& text, bool reasoning);
nlohmann::json usageChunkJson(const ResponseHeader& h, const Usage& usage);
// A server-sent event carrying JSON, or the stream's end.
std::string sseEvent(const nlohmann::json& data);
constexpr const char* kSseDone = "data: [DONE]\n\n";

}  // namespace folio::serve
