#include "folio/serve/openai_json.h"

#include <atomic>
#include <chrono>
#include <random>

namespace folio::serve {

using nlohmann::json;

ResponseHeader ResponseHeader::make(Endpoint endpoint, const std::string& model)
{
    // Ids need only be unique within a server's life: a random start and a counter.
    static std::atomic<std::uint64_t> counter{std::random_device()()};
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return {endpoint, std::string(endpoint == Endpoint::Chat ? "chatcmpl-" : "cmpl-") + std::to_string(counter++),
            std::chrono::duration_cast<std::chrono::seconds>(now).count(), model};
}

json modelsJson(const std::string& model, std::int64_t contextLength, std::int64_t created)
{
    return {{"object", "list"},
            {"data", json::array({{{"id", model}, {"object", "model"}, {"created", created}, {"owned_by", "folio"},
                                   {"max_model_len", contextLength}}})}};
}

json usageJson(const Usage& u)
{
    return {{"prompt_tokens", u.promptTokens}, {"completion_tokens", u.completionTokens},
            {"total_tokens", u.promptTokens + u.completionTokens},
            {"prompt_tokens_details", {{"cached_tokens", u.cachedTokens}}}};
}

std::string finishReason(const std::string& stopReason)
{
    return stopReason == "length" ? "length" : "stop";
}

namespace {

json base(const ResponseHeader& h, bool chunk)
{
    const char* object = h.endpoint == Endpoint::Chat ? (chunk ? "chat.completion.chunk" : "chat.completion") : "text_completion";
    return {{"id", h.id}, {"object", object}, {"created", h.created}, {"model", h.model}};
}

json nullable(const std::string& s)
{
    return s.empty() ? json(nullptr) : json(s);
}

}  // namespace

json completionJson(const ResponseHeader& h, const std::string& text, const std::string& reasoning, const std::string& finish,
                    const Usage& usage)
{
    json j = base(h, false);
    json choice = {{"index", 0}, {"finish_reason", finish}};
    if (h.endpoint == Endpoint::Chat) {
        choice["message"] = {{"role", "assistant"}, {"content", text}};
        if (!reasoning.empty()) choice["message"]["reasoning_content"] = reasoning;
        choice["logprobs"] = nullptr;
    } else {
        choice["text"] = text;
        choice["logprobs"] = nullptr;
    }
    j["choices"] = json::array({choice});
    j["usage"] = usageJson(usage);
    return j;
}

json chatDelta(const std::string& text, bool reasoning)
{
    return {{reasoning ? "reasoning_content" : "content", text}};
}

json chunkJson(const ResponseHeader& h, const json& delta, const std::string& finish)
{
    json j = base(h, true);
    json choice = {{"index", 0}, {"finish_reason", nullable(finish)}, {"logprobs", nullptr}};
    if (h.endpoint == Endpoint::Chat) choice["delta"] = delta;
    else choice["text"] = delta.is_string() ? delta : json("");
    j["choices"] = json::array({choice});
    return j;
}

json usageChunkJson(const ResponseHeader& h, const Usage& usage)
{
    json j = base(h, true);
    j["choices"] = json::array();
    j["usage"] = usageJson(usage);
    return j;
}

std::string sseEvent(const json& data)
{
    return "data: " + data.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
}

}  // namespace folio::serve
