#pragma once

#include "cli_support.h"

#include <cstdint>
#include <string>
#include <vector>

namespace folio::cli {

struct EngineRunArgs {
    std::string model;
    std::string prompt;
    int threads = 0;
    std::string logitsFile;  // the last prompt position's logits, raw little-endian float32
    std::string weights = "auto";  // see addWeightsOption
    SamplingArgs sampling;
};

struct EngineBenchArgs {
    std::string model;
    int promptTokens = 512;
    int generateTokens = 32;
    int threads = 0;
    std::string weights = "auto";
};

int engineInfoCommand(const std::string& model, bool json);
int engineRunCommand(const EngineRunArgs& args, bool json);
int engineBenchCommand(const EngineBenchArgs& args, bool json);

}  // namespace folio::cli
