#pragma once

#include "cli_support.h"
#include "commands.h"

#include <cstdint>
#include <string>

namespace folio::cli {

struct ServeArgs {
    std::string model;
    std::string modelName;
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string apiKeyFile;
    int parallel = 1;
    int queue = 8;
    int threads = 0;
    std::int64_t snapshotEvery = 512;
    int maxTokens = 256;
    std::size_t maxBodyBytes = 4u << 20;
    bool noCache = false;
    std::string weights = "auto";  // see addWeightsOption
    AttentionArgs attention;
};

// Adds `folio serve` and its options to the command line.
CLI::App* addServeCommand(CLI::App& app, ServeArgs& args);
int serveCommand(const GlobalOptions& g, const ServeArgs& args);

}  // namespace folio::cli
