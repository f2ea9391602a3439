#pragma once

// `folio serve`'s HTTP side: OpenAI's /v1/models, /v1/chat/completions and /v1/completions over cpp-httplib,
// answered by an EngineWorker through a RequestQueue. Every refusal is an OpenAI error object with its HTTP
// status; the server goes on serving after each. It listens on loopback unless told otherwise, and then only
// with an API key, which it never logs or echoes.

#include "folio/serve/engine_worker.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace folio::serve {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;                         // 0: any free port (bind() returns it)
    std::string apiKey;                      // required as "Authorization: Bearer KEY" when not empty
    std::size_t maxBodyBytes = 4u << 20;     // larger bodies get 413
    int parallel = 1, queue = 8;             // requests running at once, and waiting beyond those
};

bool isLoopback(const std::string& host);
// Throws std::runtime_error when the options are unsafe: a non-loopback host without an API key.
void checkServerOptions(const ServerOptions& options);

class Server {
public:
    using Log = std::function<void(const std::string&)>;
    Server(EngineWorker& engine, ServerOptions options, Log log);
    ~Server();

    int bind();  // the port it listens on; throws std::runtime_error when it cannot bind
    void run();  // serves until stop()
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

}  // namespace folio::serve
