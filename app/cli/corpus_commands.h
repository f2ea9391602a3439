#pragma once

#include "cli_support.h"
#include "commands.h"

#include "folio/app/workspace_store.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace folio::cli {

struct CorpusArgs {
    std::string model;
    std::int64_t snapshotEvery = 0;  // 0: as the workspace's last corpus build (app::CorpusSessionOptions)
    int threads = 0;
    std::string weights = "auto";  // see addWeightsOption
    bool raw = false;               // plain completion instead of the model's chat format
    std::vector<std::string> documents;  // the scope: these documents (paths or ids) only; empty: all
    AttentionArgs attention;
};

// A remote OpenAI-compatible engine instead of --model (remote_commands.cpp).
struct RemoteArgs {
    std::string url, model, apiKeyFile;
    int connectTimeout = 10, readTimeout = 600;
};
void addRemoteOptions(CLI::App& command, RemoteArgs& args);

struct AskArgs {
    CorpusArgs corpus;
    RemoteArgs remote;
    std::vector<std::string> question;   // positional: the words of one question
    std::vector<std::string> questions;  // --question, repeated: several, answered from the same corpus state
    int parallel = 1;                    // how many of them at once
    SamplingArgs sampling;
    std::string logitsFile;  // the logits after the question (after question i of several: the file + ".i")
    bool noCache = false;
    std::string thinking = "default";  // "on", "off" or "default": as the chat template does
};

// `folio complete FILE:LINE:COL --model M`: the model's completion at the cursor, with the file's repository as
// its cached context.
struct ModelCompleteArgs {
    CorpusArgs corpus;  // corpus.documents is set from the file's source
    RemoteArgs remote;
    std::string location;
    SamplingArgs sampling;
    bool noCache = false;
};

int corpusBuildCommand(const GlobalOptions& g, const CorpusArgs& a);
// The positional question, then every --question; throws when there is none.
std::vector<std::string> askedQuestions(const AskArgs& a);
int askCommand(const GlobalOptions& g, const AskArgs& a);
int remoteAskCommand(const GlobalOptions& g, const AskArgs& a);
int modelCompleteCommand(const GlobalOptions& g, const ModelCompleteArgs& a);
int remoteCompleteCommand(const GlobalOptions& g, const ModelCompleteArgs& a);

// Where a model completes code: the file at FILE:LINE:COLUMN split at the cursor, and its repository (every
// document of its source) as the context.
struct CompletionSite {
    std::set<std::int64_t> documents;
    std::string repositoryName, path, prefix, suffix;
};
CompletionSite completionSite(const app::WorkspaceStore& store, const std::string& location);
int cacheStatsCommand(const GlobalOptions& g);
int cachePruneCommand(const GlobalOptions& g, std::uint64_t maxBytes);

}  // namespace folio::cli
