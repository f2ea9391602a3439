#pragma once

// The workspace asked through a remote OpenAI-compatible engine (remote/: vLLM, SGLang, llama-server, another
// Folio's `folio serve`) instead of a local model. The corpus is CorpusSession's, as text: the same
// instructions, document labels and page and line markers, in the system message; the question follows in a
// user message, and the answer's citations are resolved against the corpus as for a local model. The corpus
// comes first and unchanged in every request, so the server's prefix cache serves it from the second request on
// (`cached_tokens` in the answer's usage says how much).
//
// Code completion sends the repository in the Qwen coders' repository-level fill-in-the-middle form, markup
// written out as text (the server tokenises it into the FIM tokens), to /v1/completions: vLLM accepts no
// `suffix`, so the cursor is marked in the prompt itself.

#include "folio/app/citations.h"
#include "folio/app/corpus.h"
#include "folio/app/corpus_session.h"
#include "folio/app/workspace_store.h"
#include "folio/remote/openai_client.h"

#include <atomic>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace folio::app {

struct RemoteSessionOptions {
    remote::RemoteOptions remote;
    std::string model;                        // empty: the first model the server lists
    CorpusPurpose purpose = CorpusPurpose::Questions;
    std::string repositoryName;               // code completion: <|repo_name|>
    std::set<std::int64_t> documents;         // the scope; empty: every readable document
    engine::Thinking thinking = engine::Thinking::Default;
    std::function<void(const std::string&)> warn;  // what could not be checked, and why
};

struct RemoteAnswer {
    std::string answer, thinking;
    std::vector<Citation> citations;
    remote::RemoteResult result;  // finish reason, usage (cached tokens), timings, cancelled
};

class RemoteSession {
public:
    // Asks the server for its models and builds the corpus. Throws remote::RemoteError (no answer, a refusal, no
    // such model) or std::runtime_error (an empty scope).
    RemoteSession(const WorkspaceStore& store, RemoteSessionOptions options);

    // Throws remote::RemoteError, or std::runtime_error when the corpus and the answer cannot fit in the remote
    // model's context (both sizes named).
    RemoteAnswer ask(const std::string& question, const remote::RemoteRequest& request,
                     const std::function<void(std::string_view)>& thinking, const std::function<void(std::string_view)>& answer,
                     const std::atomic<bool>* cancel = nullptr);
    // The questions sent up to `parallel` at a time, each on a connection of its own (the server batches them),
    // answered in the order of `questions`. The first error met is thrown once every request has ended.
    std::vector<RemoteAnswer> askAll(const std::vector<std::string>& questions, const remote::RemoteRequest& request,
                                     int parallel, const std::atomic<bool>* cancel = nullptr);
    // Fill-in-the-middle at the cursor between `prefix` and `suffix` of the file at `path` (CorpusPurpose::CodeCompletion).
    remote::RemoteResult complete(const std::string& path, const std::string& prefix, const std::string& suffix,
                                  remote::RemoteRequest request, const std::function<void(std::string_view)>& onText = {},
                                  const std::atomic<bool>* cancel = nullptr);

    const Corpus& corpus() const { return corpus_; }
    const remote::RemoteModel& model() const { return model_; }
    const std::string& url() const { return client_.url(); }
    // The corpus's size as the remote counts it (chat form), once a question has checked it; nothing when the
    // server cannot count tokens.
    std::optional<std::int64_t> corpusTokens() const { return corpusTokens_; }

private:
    std::vector<remote::RemoteMessage> messages(const std::string& question) const;
    // One question through `client` (after checkFits): reads only what the session holds, so several run at once.
    RemoteAnswer answerWith(remote::OpenAiClient& client, const std::string& question, const remote::RemoteRequest& request,
                            const std::function<void(std::string_view)>& thinking,
                            const std::function<void(std::string_view)>& answer, const std::atomic<bool>* cancel) const;
    // The corpus's tokens as the server counts them, once, with a warning for what it cannot say.
    void measureCorpus();
    // Refuses a corpus that cannot fit with `maxTokens` of answer, when the server says enough to tell.
    void checkFits(int maxTokens);

    RemoteSessionOptions options_;
    remote::OpenAiClient client_;
    remote::RemoteModel model_;
    Corpus corpus_;
    std::optional<std::int64_t> corpusTokens_;
    bool measured_ = false;
};

}  // namespace folio::app
