#include "folio/serve/request.h"

#include "folio/serve/api_error.h"

#include <nlohmann/json.hpp>

namespace folio::serve {
namespace {

using nlohmann::json;

json parseBody(const std::string& body)
{
    json j;
    try {
        j = json::parse(body);
    } catch (const json::exception& e) {  // a syntax error, or a number too large for a double (out_of_range)
        throw ApiError::badRequest(std::string("the request body is not valid JSON: ") + e.what(), "invalid_json");
    }
    if (!j.is_object()) throw ApiError::badRequest("the request body must be a JSON object", "invalid_json");
    return j;
}

// The field, or nullptr when it is absent or null (the API treats both as "not given").
const json* field(const json& j, const std::string& name)
{
    const auto it = j.find(name);
    return it == j.end() || it->is_null() ? nullptr : &*it;
}

const json& required(const json& j, const std::string& name, const std::string& path)
{
    const json* f = field(j, name);
    if (!f) throw ApiError::badRequest("'" + path + "' is required", "missing_field", path);
    return *f;
}

float number(const json& j, const std::string& name, float fallback, float low, float high)
{
    const json* f = field(j, name);
    if (!f) return fallback;
    if (!f->is_number()) throw ApiError::wrongType(name, "a number");
    const double v = f->get<double>();
    if (v < low || v > high)
        throw ApiError::badRequest("'" + name + "' must be between " + json(low).dump() + " and " + json(high).dump(),
                                   "invalid_value", name);
    return float(v);
}

bool boolean(const json& j, const std::string& name, const std::string& path)
{
    const json* f = field(j, name);
    if (!f) return false;
    if (!f->is_boolean()) throw ApiError::wrongType(path, "a boolean");
    return f->get<bool>();
}

std::string text(const json& j, const std::string& path)
{
    if (!j.is_string()) throw ApiError::wrongType(path, "a string");
    return j.get<std::string>();
}

// Message content: a string, or an array of {"type": "text", "text": ...} parts joined.
std::string messageContent(const json& content, const std::string& path)
{
    if (content.is_string()) return content.get<std::string>();
    if (!content.is_array()) throw ApiError::wrongType(path, "a string or an array of text parts");
    std::string out;
    for (std::size_t i = 0; i < content.size(); ++i) {
        const json& part = content[i];
        const std::string partPath = path + "[" + std::to_string(i) + "]";
        if (!part.is_object() || part.value("type", json()) != "text" || !part.contains("text") || !part["text"].is_string())
            throw ApiError::badRequest("'" + partPath + "' must be a text part ({\"type\": \"text\", \"text\": ...}); "
                                       "Folio's models read text only", "invalid_value", partPath);
        out += part["text"].get<std::string>();
    }
    return out;
}

GenerationRequest commonFields(const json& j, Endpoint endpoint)
{
    GenerationRequest r;
    r.endpoint = endpoint;
    r.model = text(required(j, "model", "model"), "model");
    for (const char* name : {"max_completion_tokens", "max_tokens"}) {
        const json* f = field(j, name);
        if (!f) continue;
        if (!f->is_number_integer()) throw ApiError::wrongType(name, "an integer");
        if (f->get<std::int64_t>() < 1 || f->get<std::int64_t>() > 1'000'000)
            throw ApiError::badRequest(std::string("'") + name + "' must be between 1 and 1000000", "invalid_value", name);
        r.maxTokens = int(f->get<std::int64_t>());
        break;
    }
    r.temperature = number(j, "temperature", 1.f, 0.f, 2.f);
    r.topP = number(j, "top_p", 1.f, 0.f, 1.f);
    if (r.topP <= 0.f) throw ApiError::badRequest("'top_p' must be greater than 0", "invalid_value", "top_p");
    if (const json* stop = field(j, "stop")) {
        if (stop->is_string()) r.stop.push_back(stop->get<std::string>());
        else if (stop->is_array() && stop->size() <= 4) {
            for (std::size_t i = 0; i < stop->size(); ++i) r.stop.push_back(text((*stop)[i], "stop[" + std::to_string(i) + "]"));
        } else throw ApiError::wrongType("stop", "a string or an array of at most 4 strings");
    }
    if (const json* seed = field(j, "seed")) {
        if (!seed->is_number_integer()) throw ApiError::wrongType("seed", "an integer");
        r.seed = seed->is_number_unsigned() ? seed->get<std::uint64_t>() : std::uint64_t(seed->get<std::int64_t>());
    }
    r.stream = boolean(j, "stream", "stream");
    if (const json* options = field(j, "stream_options")) {
        if (!options->is_object()) throw ApiError::wrongType("stream_options", "an object");
        r.includeUsage = boolean(*options, "include_usage", "stream_options.include_usage");
    }
    if (const json* n = field(j, "n")) {
        if (!n->is_number_integer()) throw ApiError::wrongType("n", "an integer");
        if (n->get<std::int64_t>() != 1) throw ApiError::badRequest("'n' must be 1: Folio writes one choice per request", "invalid_value", "n");
    }
    for (const char* name : {"logprobs", "echo"}) {
        const json* f = field(j, name);
        if (f && !(f->is_boolean() && !f->get<bool>()))
            throw ApiError::badRequest(std::string("'") + name + "' is not supported by Folio", "unsupported", name);
    }
    return r;
}

}  // namespace

GenerationRequest parseChatRequest(const std::string& body)
{
    const json j = parseBody(body);
    GenerationRequest r = commonFields(j, Endpoint::Chat);
    const json& messages = required(j, "messages", "messages");
    if (!messages.is_array() || messages.empty()) throw ApiError::wrongType("messages", "a non-empty array");
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const json& m = messages[i];
        const std::string path = "messages[" + std::to_string(i) + "]";
        if (!m.is_object()) throw ApiError::wrongType(path, "an object");
        std::string roleName = text(required(m, "role", path + ".role"), path + ".role");
        if (roleName == "developer") roleName = "system";  // the newer name of the system role
        if (roleName != "system" && roleName != "user" && roleName != "assistant")
            throw ApiError::badRequest("'" + path + ".role' must be system, developer, user or assistant", "invalid_value",
                                       path + ".role");
        const json* content = field(m, "content");
        r.messages.push_back({roleName, content ? messageContent(*content, path + ".content") : std::string()});
    }
    if (const json* kwargs = field(j, "chat_template_kwargs")) {
        if (!kwargs->is_object()) throw ApiError::wrongType("chat_template_kwargs", "an object");
        if (const json* thinking = field(*kwargs, "enable_thinking")) {
            if (!thinking->is_boolean()) throw ApiError::wrongType("chat_template_kwargs.enable_thinking", "a boolean");
            r.thinking = thinking->get<bool>() ? engine::Thinking::On : engine::Thinking::Off;
        }
    }
    return r;
}

GenerationRequest parseCompletionRequest(const std::string& body)
{
    const json j = parseBody(body);
    GenerationRequest r = commonFields(j, Endpoint::Completion);
    const json& prompt = required(j, "prompt", "prompt");
    if (prompt.is_array() && prompt.size() == 1 && prompt[0].is_string()) r.prompt = prompt[0].get<std::string>();
    else if (prompt.is_string()) r.prompt = prompt.get<std::string>();
    else throw ApiError::wrongType("prompt", "a string (or an array of one string)");
    if (const json* suffix = field(j, "suffix")) r.suffix = text(*suffix, "suffix");
    return r;
}

GenerationRequest parseTokenizeRequest(const std::string& body)
{
    return field(parseBody(body), "messages") ? parseChatRequest(body) : parseCompletionRequest(body);
}

}  // namespace folio::serve
