#include "folio/serve/server.h"

#include "folio/serve/api_error.h"
#include "folio/serve/openai_json.h"
#include "folio/serve/request_queue.h"
#include "generation_handler.h"

#include <httplib.h>

#include <arpa/inet.h>

#include <chrono>
#include <stdexcept>

namespace folio::serve {
namespace {

using nlohmann::json;

// Threads beyond the running and queued requests, so a request over the limit is answered 429 at once
// instead of waiting for a thread, and idle keep-alive connections do not hold the busy ones up.
constexpr int kSpareHttpThreads = 64;

void sendError(httplib::Response& res, const ApiError& e)
{
    res.status = e.status();
    res.set_content(e.body().dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

// Compares in time that does not depend on where the strings differ.
bool sameSecret(const std::string& given, const std::string& key)
{
    if (given.size() != key.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < key.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ key[i]);
    return diff == 0;
}

}  // namespace

bool isLoopback(const std::string& host)
{
    if (host == "localhost" || host == "::1") return true;
    in_addr addr{};
    return inet_pton(AF_INET, host.c_str(), &addr) == 1 && (ntohl(addr.s_addr) >> 24) == 127;
}

void checkServerOptions(const ServerOptions& options)
{
    if (!isLoopback(options.host) && options.apiKey.empty())
        throw std::runtime_error("refusing to listen on " + options.host + " without an API key: anyone who can reach it "
                                 "could use the model. Give one with --api-key-file FILE or the FOLIO_API_KEY variable, "
                                 "or listen on 127.0.0.1");
}

struct Server::Impl {
    EngineWorker& engine;
    ServerOptions options;
    Log log;
    RequestQueue queue;
    GenerationContext context;
    httplib::Server http;
    std::int64_t created;

    Impl(EngineWorker& e, ServerOptions o, Log l)
        : engine(e), options(std::move(o)), log(std::move(l)), queue(options.parallel, options.queue, [&e] { return e.newSession(); }),
          context{engine, queue, log},
          created(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count())
    {
        const int threads = options.parallel + options.queue + kSpareHttpThreads;
        http.new_task_queue = [threads] { return new httplib::ThreadPool(std::size_t(threads)); };
        http.set_payload_max_length(options.maxBodyBytes);
        http.set_keep_alive_timeout(2);
        http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) { return authorize(req, res); });
        http.set_error_handler(httplib::Server::Handler([this](const httplib::Request& req, httplib::Response& res) { describeError(req, res); }));
        http.set_tcp_nodelay(true);  // stream events go out as they are written
        http.set_exception_handler([this](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
            try {
                std::rethrow_exception(ep);
            } catch (const ApiError& e) {
                sendError(res, e);
            } catch (const std::exception& e) {
                log(std::string("request failed: ") + e.what());
                sendError(res, ApiError(500, e.what(), "server_error"));
            }
        });
        http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
            log(req.method + " " + req.path + " " + std::to_string(res.status));
        });
        http.Get("/v1/models", [this](const httplib::Request&, httplib::Response& res) {
            res.set_content(modelsJson(engine.modelName(), engine.contextLength(), created).dump(), "application/json");
        });
        http.Get(R"(/v1/models/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
            checkModel(req.matches[1].str());
            res.set_content(modelsJson(engine.modelName(), engine.contextLength(), created)["data"][0].dump(), "application/json");
        });
        http.Post("/v1/chat/completions", [this](const httplib::Request& req, httplib::Response& res) {
            generation(parseChatRequest(req.body), res);
        });
        http.Post("/v1/completions", [this](const httplib::Request& req, httplib::Response& res) {
            generation(parseCompletionRequest(req.body), res);
        });
        // vLLM's shape, so a client can measure a prompt against the context before sending it.
        http.Post("/tokenize", [this](const httplib::Request& req, httplib::Response& res) {
            const GenerationRequest request = parseTokenizeRequest(req.body);
            checkModel(request.model);
            const auto tokens = engine.tokenize(request);
            res.set_content(nlohmann::json({{"count", tokens.size()}, {"max_model_len", engine.contextLength()}, {"tokens", tokens}}).dump(),
                            "application/json");
        });
    }

    httplib::Server::HandlerResponse authorize(const httplib::Request& req, httplib::Response& res)
    {
        if (options.apiKey.empty()) return httplib::Server::HandlerResponse::Unhandled;
        const std::string given = req.get_header_value("Authorization");
        if (given.rfind("Bearer ", 0) == 0 && sameSecret(given.substr(7), options.apiKey))
            return httplib::Server::HandlerResponse::Unhandled;
        // The message never repeats what was given: it may be a real key of another service.
        sendError(res, ApiError(401, given.empty() ? "no API key: send it as 'Authorization: Bearer KEY'" : "incorrect API key",
                                "invalid_request_error", "invalid_api_key"));
        return httplib::Server::HandlerResponse::Handled;
    }

    // httplib's own refusals (unknown path, body too large, unreadable request) reach here with no body;
    // responses that carry an error object already are left as they are.
    void describeError(const httplib::Request& req, httplib::Response& res)
    {
        if (!res.body.empty()) return;
        if (res.status == 404)
            sendError(res, ApiError(404, "no such endpoint: " + req.method + " " + req.path, "invalid_request_error", "unknown_url"));
        else if (res.status == 413)
            sendError(res, ApiError(413, "the request body is larger than " + std::to_string(options.maxBodyBytes) + " bytes",
                                    "invalid_request_error", "payload_too_large"));
        else
            sendError(res, ApiError(res.status, "the HTTP request could not be read", "invalid_request_error"));
    }

    void checkModel(const std::string& model)
    {
        if (model != engine.modelName())
            throw ApiError(404, "the model '" + model + "' does not exist; this server has '" + engine.modelName() + "'",
                           "invalid_request_error", "model_not_found", "model");
    }

    void generation(const GenerationRequest& request, httplib::Response& res)
    {
        checkModel(request.model);
        answerGeneration(context, request, res);
    }
};

Server::Server(EngineWorker& engine, ServerOptions options, Log log)
    : d(std::make_unique<Impl>(engine, std::move(options), std::move(log)))
{
    checkServerOptions(d->options);
}

Server::~Server() = default;

int Server::bind()
{
    const int port = d->options.port == 0 ? d->http.bind_to_any_port(d->options.host)
                                          : (d->http.bind_to_port(d->options.host, d->options.port) ? d->options.port : -1);
    if (port < 0) throw std::runtime_error("cannot listen on " + d->options.host + ":" + std::to_string(d->options.port));
    return port;
}

void Server::run()
{
    d->http.listen_after_bind();
}

void Server::stop()
{
    d->http.stop();
}

}  // namespace folio::serve
