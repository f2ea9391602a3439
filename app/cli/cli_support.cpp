#include "cli_support.h"

#include "folio/app/workspace_store.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
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

void addCopyWeightsFlag(CLI::App& command, bool& copy)
{
    command.add_flag("--copy-weights", copy,
                     "Read the weights into memory with 2 MiB pages instead of mapping the file: slower to load, faster "
                     "decode");
}

engine::WeightMemory weightMemory(bool copy) { return copy ? engine::WeightMemory::Copied : engine::WeightMemory::Mapped; }

}  // namespace folio::cli
