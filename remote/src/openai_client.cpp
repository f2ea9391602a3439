#include "folio/remote/openai_client.h"

#include "http_transport.h"
#include "server_sent_events.h"

#include <nlohmann/json.hpp>

#include <chrono>

namespace folio::remote {

using nlohmann::json;

struct OpenAiClient::Impl {
    explicit Impl(RemoteOptions options) : http(std::move(options)) {}
    HttpTransport http;

    // The server's own words for a refusal: OpenAI's {"error": {...}}, vLLM's older flat {"message": ...},
    // FastAPI's {"detail": ...}, or the start of the body.
    [[noreturn]] void refuse(const HttpResult& r, const std::string& path) const
    {
        std::string why;
        const json j = json::parse(r.body, nullptr, false);
        if (j.is_object()) {
            const json& e = j.contains("error") && j["error"].is_object() ? j["error"] : j;
            if (e.contains("message") && e["message"].is_string()) why = e["message"].get<std::string>();
            else if (e.contains("detail")) why = e["detail"].is_string() ? e["detail"].get<std::string>() : e["detail"].dump();
            if (e.contains("code") && e["code"].is_string()) why += " (" + e["code"].get<std::string>() + ")";
        }
        if (why.empty()) why = r.body.empty() ? "no explanation" : r.body.substr(0, 300);
        throw RemoteError(http.redact("remote " + http.base() + path + " answered HTTP " + std::to_string(r.status) + ": " + why), r.status);
    }

    json getJson(const std::string& path)
    {
        const HttpResult r = http.get(path);
        if (r.status < 200 || r.status >= 300) refuse(r, path);
        json j = json::parse(r.body, nullptr, false);
        if (j.is_discarded()) throw RemoteError("remote " + http.base() + path + ": the answer is not JSON", r.status);
        return j;
    }

    // Streams a request and hands every event's JSON to `onEvent`. Returns whether the stream was cancelled.
    bool stream(const std::string& path, const json& body, const std::function<void(const json&)>& onEvent,
                const std::atomic<bool>* cancel)
    {
        bool done = false;
        ServerSentEvents events([&](const std::string& data) {
            if (data == "[DONE]") {
                done = true;
                return;
            }
            const json j = json::parse(data, nullptr, false);
            if (j.is_discarded()) throw RemoteError("remote " + http.base() + path + ": a streamed event is not JSON: " + data.substr(0, 200));
            if (j.contains("error")) {
                const json& e = j["error"];
                const std::string message = e.is_object() && e.contains("message") && e["message"].is_string() ? e["message"].get<std::string>() : e.dump();
                throw RemoteError(http.redact("remote " + http.base() + path + " failed mid-answer: " + message));
            }
            onEvent(j);
        });
        const HttpResult r = http.post(path, body.dump(), [&](std::string_view bytes) { events.feed(bytes); }, cancel);
        if (r.cancelled) return true;
        if (r.status < 200 || r.status >= 300) refuse(r, path);
        events.finish();
        if (!done) throw RemoteError("remote " + http.base() + path + ": the stream ended before [DONE]", r.status);
        return false;
    }
};

OpenAiClient::OpenAiClient(RemoteOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
OpenAiClient::~OpenAiClient() = default;

const std::string& OpenAiClient::url() const
{
    return impl_->http.base();
}

std::vector<RemoteModel> OpenAiClient::models()
{
    const json j = impl_->getJson("/v1/models");
    if (!j.contains("data") || !j["data"].is_array())
        throw RemoteError("remote " + url() + "/v1/models: the answer has no \"data\" list of models");
    std::vector<RemoteModel> out;
    for (const auto& m : j["data"]) {
        if (!m.is_object() || !m.contains("id") || !m["id"].is_string()) continue;
        RemoteModel model{m["id"].get<std::string>(), 0};
        if (m.contains("max_model_len") && m["max_model_len"].is_number_integer()) model.contextLength = m["max_model_len"].get<std::int64_t>();
        else if (m.contains("meta") && m["meta"].is_object() && m["meta"].contains("n_ctx_train") && m["meta"]["n_ctx_train"].is_number_integer())
            model.contextLength = m["meta"]["n_ctx_train"].get<std::int64_t>();
        out.push_back(std::move(model));
    }
    return out;
}

namespace {

json messagesJson(const std::vector<RemoteMessage>& messages)
{
    json out = json::array();
    for (const auto& m : messages) out.push_back({{"role", m.role}, {"content", m.content}});
    return out;
}

json requestJson(const std::string& model, const RemoteRequest& r)
{
    json j = {{"model", model}, {"max_tokens", r.maxTokens}, {"temperature", r.temperature}, {"top_p", r.topP},
              {"stream", true}, {"stream_options", {{"include_usage", true}}}};
    if (r.seed) j["seed"] = *r.seed;
    if (!r.stop.empty()) j["stop"] = r.stop;
    return j;
}

std::optional<RemoteUsage> usageOf(const json& j)
{
    if (!j.contains("usage") || !j["usage"].is_object()) return std::nullopt;
    const json& u = j["usage"];
    RemoteUsage usage;
    usage.promptTokens = u.value("prompt_tokens", std::int64_t(0));
    usage.completionTokens = u.value("completion_tokens", std::int64_t(0));
    if (u.contains("prompt_tokens_details") && u["prompt_tokens_details"].is_object()) {
        const json& d = u["prompt_tokens_details"];
        if (d.contains("cached_tokens") && d["cached_tokens"].is_number_integer()) usage.cachedTokens = d["cached_tokens"].get<std::int64_t>();
    }
    return usage;
}

std::string stringField(const json& j, const char* name)
{
    return j.contains(name) && j[name].is_string() ? j[name].get<std::string>() : std::string();
}

// Times the first token and the whole request.
struct Clock {
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); }
};

}  // namespace

std::optional<TokenCount> OpenAiClient::countChatTokens(const std::string& model, const std::vector<RemoteMessage>& messages)
{
    const json body = {{"model", model}, {"messages", messagesJson(messages)}, {"add_generation_prompt", true}};
    const HttpResult r = impl_->http.post("/tokenize", body.dump());
    if (r.status == 404 || r.status == 405) return std::nullopt;
    if (r.status < 200 || r.status >= 300) impl_->refuse(r, "/tokenize");
    const json j = json::parse(r.body, nullptr, false);
    TokenCount count;
    if (j.contains("count") && j["count"].is_number_integer()) count.tokens = j["count"].get<std::int64_t>();
    else if (j.contains("tokens") && j["tokens"].is_array()) count.tokens = std::int64_t(j["tokens"].size());
    else throw RemoteError("remote " + url() + "/tokenize: the answer has neither \"count\" nor \"tokens\"", r.status);
    if (j.contains("max_model_len") && j["max_model_len"].is_number_integer()) count.contextLength = j["max_model_len"].get<std::int64_t>();
    return count;
}

RemoteResult OpenAiClient::chat(const std::string& model, const std::vector<RemoteMessage>& messages, const RemoteRequest& request,
                                const Sink& onReasoning, const Sink& onText, const std::atomic<bool>* cancel)
{
    json body = requestJson(model, request);
    body["messages"] = messagesJson(messages);
    if (request.enableThinking) body["chat_template_kwargs"] = {{"enable_thinking", *request.enableThinking}};
    RemoteResult result;
    Clock clock;
    result.cancelled = impl_->stream("/v1/chat/completions", body, [&](const json& j) {
        if (auto u = usageOf(j)) result.usage = u;
        if (!j.contains("choices") || !j["choices"].is_array() || j["choices"].empty()) return;
        const json& choice = j["choices"][0];
        if (choice.contains("delta") && choice["delta"].is_object()) {
            const json& d = choice["delta"];
            std::string reasoning = stringField(d, "reasoning_content");
            if (reasoning.empty()) reasoning = stringField(d, "reasoning");
            const std::string content = stringField(d, "content");
            if ((!reasoning.empty() || !content.empty()) && result.secondsToFirstToken < 0) result.secondsToFirstToken = clock.seconds();
            if (!reasoning.empty()) {
                result.reasoning += reasoning;
                if (onReasoning) onReasoning(reasoning);
            }
            if (!content.empty()) {
                result.text += content;
                if (onText) onText(content);
            }
        }
        if (const std::string finish = stringField(choice, "finish_reason"); !finish.empty()) result.finishReason = finish;
    }, cancel);
    result.seconds = clock.seconds();
    return result;
}

RemoteResult OpenAiClient::complete(const std::string& model, const std::string& prompt, const RemoteRequest& request,
                                    const Sink& onText, const std::atomic<bool>* cancel)
{
    json body = requestJson(model, request);
    body["prompt"] = prompt;
    RemoteResult result;
    Clock clock;
    result.cancelled = impl_->stream("/v1/completions", body, [&](const json& j) {
        if (auto u = usageOf(j)) result.usage = u;
        if (!j.contains("choices") || !j["choices"].is_array() || j["choices"].empty()) return;
        const json& choice = j["choices"][0];
        if (const std::string text = stringField(choice, "text"); !text.empty()) {
            if (result.secondsToFirstToken < 0) result.secondsToFirstToken = clock.seconds();
            result.text += text;
            if (onText) onText(text);
        }
        if (const std::string finish = stringField(choice, "finish_reason"); !finish.empty()) result.finishReason = finish;
    }, cancel);
    result.seconds = clock.seconds();
    return result;
}

}  // namespace folio::remote
