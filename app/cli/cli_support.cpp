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

std::int64_t peakResidentBytes()
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;  // "VmHWM:   1234 kB"
    return -1;
}

}  // namespace folio::cli
