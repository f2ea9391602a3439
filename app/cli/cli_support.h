#pragma once

// What every `folio` subcommand shares: the workspace folder, JSON output, Ctrl-C, sampling options, how the
// model's weights are held.

#include "commands.h"

#include "folio/app/workspace_store.h"
#include "folio/engine/generation.h"
#include "folio/engine/gguf.h"
#include "folio/engine/session.h"

#include <nlohmann/json_fwd.hpp>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace folio::cli {

std::filesystem::path workspaceDir(const GlobalOptions& g);

// FILE:LINE:COLUMN (1-based, the column in bytes) of a file in the workspace: FILE a path or its unique end.
// Throws with the reason when it is malformed, names no file, or names a PDF.
struct FileLocation {
    app::DocumentRecord document;
    int line = 0, column = 0;
};
FileLocation findFileLocation(const app::WorkspaceStore& store, const std::string& location);
void printJson(const nlohmann::json& j);  // invalid UTF-8 in the data becomes U+FFFD, never an exception

// Ctrl-C sets the flag instead of killing the process, so long work stops at a safe point and keeps what is done.
const std::atomic<bool>* interruptFlag();

struct SamplingArgs {
    int maxTokens = 128;
    float temperature = 0.f;
    int topK = 0;
    float topP = 1.f;
    float repeatPenalty = 1.f;
    std::uint64_t seed = 0;
    std::vector<std::string> stop;
};
void addSamplingOptions(CLI::App& command, SamplingArgs& args);
engine::GenerationOptions generationOptions(const SamplingArgs& args);

// --logits FILE: the logits after the prompt, as raw little-endian float32, for comparing runs bit for bit.
void addLogitsOption(CLI::App& command, std::string& file);
void writeLogits(const std::string& file, const std::vector<float>& logits);

// --weights auto|mapped|copied: where the model's weights live (engine::WeightMemory); auto lets the engine
// choose by the file's size against the memory available (engine::preferredWeightMemory).
void addWeightsOption(CLI::App& command, std::string& weights);
engine::WeightMemory weightMemory(const std::string& weights, const std::string& model);

// --attention exact|selected and the selected mode's --block-size, --hot-window, --sink-tokens, --top-blocks,
// --block-summary (engine::AttentionOptions).
struct AttentionArgs {
    std::string mode = "exact";
    std::int64_t blockSize = 1024, hotWindow = 131072, sinkTokens = 64, topBlocks = 16;
    std::string summary = "minmax";
};
void addAttentionOptions(CLI::App& command, AttentionArgs& args);
engine::AttentionOptions attentionOptions(const AttentionArgs& args);
// "exact", or "selected (top 16 blocks of 1024, hot window 131072, 64 sinks, minmax summaries)".
std::string describe(const engine::AttentionOptions& attention);
nlohmann::json attentionJson(const engine::AttentionOptions& attention);

// The most memory this process has held resident so far (VmHWM), in bytes; -1 where the system does not say.
std::int64_t peakResidentBytes();

}  // namespace folio::cli
