#pragma once

#include "commands.h"

#include <cstdint>
#include <string>
#include <vector>

namespace folio::cli {

struct CorpusArgs {
    std::string model;
    std::int64_t snapshotEvery = 4096;
    int threads = 0;
};

struct AskArgs {
    CorpusArgs corpus;
    std::vector<std::string> question;
    int maxTokens = 128;
    float temperature = 0.f;
    int topK = 0;
    float topP = 1.f;
    float repeatPenalty = 1.f;
    std::uint64_t seed = 0;
    std::vector<std::string> stop;
    bool noCache = false;
};

int corpusBuildCommand(const GlobalOptions& g, const CorpusArgs& a);
int askCommand(const GlobalOptions& g, const AskArgs& a);
int cacheStatsCommand(const GlobalOptions& g);
int cachePruneCommand(const GlobalOptions& g, std::uint64_t maxBytes);

}  // namespace folio::cli
