#include "cli_support.h"

#include "folio/app/workspace_store.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <fstream>
#include <iostream>

namespace folio::cli {
namespace {

std::atomic<bool> gInterrupted{false};

void onInterrupt(int)
{
    gInterrupted = true;
}

}  // namespace

std::filesystem::path workspaceDir(const GlobalOptions& g)
{
    return g.workspace.empty() ? app::WorkspaceStore::defaultWorkspaceDir() : std::filesystem::path(g.workspace);
}

FileLocation findFileLocation(const app::WorkspaceStore& store, const std::string& location)
{
    const auto second = location.rfind(':');
    const auto first = second == std::string::npos || second == 0 ? std::string::npos : location.rfind(':', second - 1);
    if (first == std::string::npos)
        throw std::runtime_error("'" + location + "' is not FILE:LINE:COLUMN (1-based, e.g. src/main.cpp:12:5)");
    int line = 0, column = 0;
    try {
        line = std::stoi(location.substr(first + 1, second - first - 1));
        column = std::stoi(location.substr(second + 1));
    } catch (const std::exception&) {
        throw std::runtime_error("'" + location + "': LINE and COLUMN must be numbers (1-based)");
    }
    if (line < 1 || column < 1) throw std::runtime_error("'" + location + "': LINE and COLUMN count from 1");
    const std::string file = location.substr(0, first);
    const auto doc = store.findDocument(file);
    if (!doc) throw std::runtime_error("no file '" + file + "' in the workspace " + store.directory().string());
    if (doc->kind != "file") throw std::runtime_error(doc->path + " is a PDF, not a code file");
    return {*doc, line, column};
}

void printJson(const nlohmann::json& j)
{
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

const std::atomic<bool>* interruptFlag()
{
    std::signal(SIGINT, onInterrupt);
    return &gInterrupted;
}

void addSamplingOptions(CLI::App& command, SamplingArgs& args)
{
    command.add_option("-n,--tokens", args.maxTokens, "Most tokens to generate")->capture_default_str();
    command.add_option("--temp", args.temperature, "Sampling temperature (0: greedy)")->capture_default_str();
    command.add_option("--top-k", args.topK, "Sample from the k most likely tokens (0: all)");
    command.add_option("--top-p", args.topP, "Nucleus sampling threshold")->capture_default_str();
    command.add_option("--repeat-penalty", args.repeatPenalty, "Penalty for recently seen tokens")->capture_default_str();
    command.add_option("--seed", args.seed, "Random seed for sampling")->capture_default_str();
    command.add_option("--stop", args.stop, "Stop before this string (repeatable)");
}

engine::GenerationOptions generationOptions(const SamplingArgs& args)
{
    engine::GenerationOptions options;
    options.maxTokens = args.maxTokens;
    options.sampling = {args.temperature, args.topK, args.topP, args.repeatPenalty, 64, args.seed};
    options.stop = args.stop;
    return options;
}

void addLogitsOption(CLI::App& command, std::string& file)
{
    command.add_option("--logits", file, "Write the logits after the prompt here (raw float32)");
}

void writeLogits(const std::string& file, const std::vector<float>& logits)
{
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(logits.data()), std::streamsize(logits.size() * sizeof(float)));
    if (!out) throw std::runtime_error(file + ": cannot write the logits");
}

void addWeightsOption(CLI::App& command, std::string& weights)
{
    command
        .add_option("--weights", weights,
                    "copied: read the file into memory (2 MiB pages, Q4_K repacked for the CPU): slower to load, faster "
                    "prefill and decode; mapped: map the file, read as used; auto: copied when the file takes at most "
                    "half of the available memory")
        ->check(CLI::IsMember({"auto", "mapped", "copied"}))
        ->capture_default_str();
}

engine::WeightMemory weightMemory(const std::string& weights, const std::string& model)
{
    if (weights == "copied") return engine::WeightMemory::Copied;
    if (weights == "mapped") return engine::WeightMemory::Mapped;
    return engine::preferredWeightMemory(model);
}

void addAttentionOptions(CLI::App& command, AttentionArgs& args)
{
    command.add_option("--attention", args.mode, "exact: every key (the numbers of the plain engine); selected: attention "
                                                 "sinks, the hot window and the best cold blocks by their key summaries")
        ->check(CLI::IsMember({"exact", "selected"}))->capture_default_str();
    command.add_option("--block-size", args.blockSize, "Selected attention: tokens per cold block (a multiple of 64)")
        ->check(CLI::PositiveNumber)->capture_default_str();
    command.add_option("--hot-window", args.hotWindow, "Selected attention: recent tokens always read")
        ->check(CLI::PositiveNumber)->capture_default_str();
    command.add_option("--sink-tokens", args.sinkTokens, "Selected attention: first tokens always read (a multiple of 64)")
        ->check(CLI::NonNegativeNumber)->capture_default_str();
    command.add_option("--top-blocks", args.topBlocks, "Selected attention: cold blocks each query reads")
        ->check(CLI::NonNegativeNumber)->capture_default_str();
    command.add_option("--block-summary", args.summary, "Selected attention: how cold blocks are scored (minmax: per-channel key "
                                                        "bounds; vq: a small codebook of each block's keys)")
        ->check(CLI::IsMember({"minmax", "vq"}))->capture_default_str();
}

engine::AttentionOptions attentionOptions(const AttentionArgs& args)
{
    engine::AttentionOptions o;
    o.mode = engine::parseAttentionMode(args.mode);
    o.blockSize = args.blockSize;
    o.hotWindow = args.hotWindow;
    o.sinkTokens = args.sinkTokens;
    o.topBlocks = args.topBlocks;
    o.summary = engine::parseBlockSummaryKind(args.summary);
    return o;
}

std::string describe(const engine::AttentionOptions& a)
{
    if (a.mode == engine::AttentionMode::Exact) return "exact";
    return "selected (top " + std::to_string(a.topBlocks) + " blocks of " + std::to_string(a.blockSize) + ", hot window "
        + std::to_string(a.hotWindow) + ", " + std::to_string(a.sinkTokens) + " sinks, " + engine::toString(a.summary) + " summaries)";
}

nlohmann::json attentionJson(const engine::AttentionOptions& a)
{
    nlohmann::json j{{"mode", engine::toString(a.mode)}};
    if (a.mode == engine::AttentionMode::Selected) {
        j["block_size"] = a.blockSize;
        j["hot_window"] = a.hotWindow;
        j["sink_tokens"] = a.sinkTokens;
        j["top_blocks"] = a.topBlocks;
        j["block_summary"] = engine::toString(a.summary);
    }
    return j;
}

std::int64_t peakResidentBytes()
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;  // "VmHWM:   1234 kB"
    return -1;
}

}  // namespace folio::cli
