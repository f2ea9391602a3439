#include "serve_command.h"

#include "folio/serve/server.h"

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include <pthread.h>

namespace folio::cli {
namespace {

std::string readApiKey(const ServeArgs& a)
{
    std::string key;
    if (!a.apiKeyFile.empty()) {
        std::ifstream in(a.apiKeyFile);
        if (!in || !std::getline(in, key)) throw std::runtime_error(a.apiKeyFile + ": cannot read the API key");
    } else if (const char* env = std::getenv("FOLIO_API_KEY")) {
        key = env;
    }
    const auto end = key.find_last_not_of(" \t\r\n");
    key.erase(end == std::string::npos ? 0 : end + 1);
    key.erase(0, key.find_first_not_of(" \t"));
    if (!a.apiKeyFile.empty() && key.empty()) throw std::runtime_error(a.apiKeyFile + ": the API key file is empty");
    return key;
}

}  // namespace

CLI::App* addServeCommand(CLI::App& app, ServeArgs& a)
{
    auto* cmd = app.add_subcommand("serve", "Serve a model over HTTP with OpenAI's API (chat, completions, models)");
    cmd->add_option("--model", a.model, "GGUF file")->required()->check(CLI::ExistingFile);
    cmd->add_option("--model-name", a.modelName, "The model's id in the API (default: the file's name without .gguf)");
    cmd->add_option("--host", a.host, "Address to listen on; other than loopback only with an API key")->capture_default_str();
    cmd->add_option("--port", a.port, "Port (0: any free one, printed at start)")->capture_default_str();
    cmd->add_option("--api-key-file", a.apiKeyFile, "File whose first line is the API key clients must send as a Bearer "
                                                    "token (default: the FOLIO_API_KEY variable, if set)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--parallel", a.parallel, "Requests generated at once, each with its own session")
        ->check(CLI::Range(1, 64))->capture_default_str();
    cmd->add_option("--queue", a.queue, "Requests that may wait beyond those; more are refused with 429")
        ->check(CLI::Range(0, 4096))->capture_default_str();
    cmd->add_option("--threads", a.threads, "Threads per request (default: the cores shared among --parallel)");
    cmd->add_option("--snapshot-every", a.snapshotEvery, "Tokens between cached states inside a prompt")->capture_default_str();
    cmd->add_option("--max-tokens", a.maxTokens, "Tokens generated when a request does not say")->capture_default_str();
    cmd->add_option("--max-body-bytes", a.maxBodyBytes, "Larger request bodies are refused with 413")->capture_default_str();
    cmd->add_flag("--no-cache", a.noCache, "Prefill every prompt in full, neither reading nor writing the context cache");
    addWeightsOption(*cmd, a.weights);
    addAttentionOptions(*cmd, a.attention);
    return cmd;
}

int serveCommand(const GlobalOptions& g, const ServeArgs& a)
{
    serve::ServerOptions options{a.host, a.port, readApiKey(a), a.maxBodyBytes, a.parallel, a.queue};
    serve::checkServerOptions(options);  // before the model loads: a refusal should not take minutes

    // SIGINT and SIGTERM are taken by one thread that stops the server, so requests end and the cache is
    // written; every thread made from here on inherits the mask. A client gone mid-write is a failed write,
    // not a signal.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    std::mutex logMutex;
    auto log = [&logMutex](const std::string& line) {
        std::lock_guard lock(logMutex);
        std::cerr << "folio serve: " << line << std::endl;
    };
    serve::EngineOptions engineOptions;
    engineOptions.modelPath = a.model;
    engineOptions.modelName = a.modelName;
    engineOptions.weights = weightMemory(a.weights, a.model);
    engineOptions.parallel = a.parallel;
    engineOptions.threads = a.threads;
    engineOptions.attention = attentionOptions(a.attention);
    engineOptions.snapshotEvery = a.snapshotEvery;
    engineOptions.defaultMaxTokens = a.maxTokens;
    if (!a.noCache) engineOptions.cacheFolder = workspaceDir(g) / "cache";
    serve::EngineWorker engine(engineOptions, [&log](const std::string& w) { log("warning: " + w); });
    if (!engine.hasChatFormat()) log("chat completions are off: " + engine.chatFormatError());

    serve::Server server(engine, options, log);
    const int port = server.bind();
    std::cout << "folio serve: " << engine.modelName() << " on http://" << a.host << ":" << port << "/v1 (parallel "
              << a.parallel << ", queue " << a.queue << ", cache " << (a.noCache ? "off" : "on") << ", attention " << describe(engineOptions.attention) << ")" << std::endl;
    std::thread stopper([&] {
        int signal = 0;
        sigwait(&stopSignals, &signal);
        server.stop();
    });
    server.run();
    pthread_kill(stopper.native_handle(), SIGTERM);  // wakes it when the server ended on its own
    stopper.join();
    engine.persistCache();
    log("stopped");
    return 0;
}

}  // namespace folio::cli
