#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace folio::cli {

struct EngineRunArgs {
    std::string model;
    std::string prompt;
    int maxTokens = 64;
    int threads = 0;
    std::string logitsFile;  // the last prompt position's logits, raw little-endian float32
    float temperature = 0.f;
    int topK = 0;
    float topP = 1.f;
    float repeatPenalty = 1.f;
    std::uint64_t seed = 0;
    std::vector<std::string> stop;
};

struct EngineBenchArgs {
    std::string model;
    int promptTokens = 512;
    int generateTokens = 32;
    int threads = 0;
};

int engineInfoCommand(const std::string& model, bool json);
int engineRunCommand(const EngineRunArgs& args, bool json);
int engineBenchCommand(const EngineBenchArgs& args, bool json);

}  // namespace folio::cli
