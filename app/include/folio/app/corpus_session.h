#pragma once

// A model reading a workspace (or some of its documents): the prompt form (the model's chat format, or raw),
// the corpus, the context cache and an engine session, ready to answer questions or complete code. `folio ask`,
// `folio corpus build`, `folio complete --model` and the workbench all go through it, so they read the same
// corpus and share its cached states. The state at the corpus's end is frozen as an engine::SessionSnapshot, and
// every question or completion goes on from it in a session of its own that shares the corpus's KV cache: asking
// again never prefills the corpus again, and several questions at once (askAll) cost only their own tokens' KV
// and a copy of the fixed-size recurrent state each.
//
// For code completion the corpus is the repository in the vocabulary's repository-level fill-in-the-middle form
// when it has the tokens (Qwen coder vocabularies), and the file being edited follows it with the cursor marked;
// otherwise the completion is asked for in the chat format, after the usual corpus.

#include "folio/app/ask_prompt.h"
#include "folio/app/citations.h"
#include "folio/app/context_cache.h"
#include "folio/app/corpus.h"
#include "folio/app/corpus_runner.h"
#include "folio/app/workspace_store.h"
#include "folio/engine/fill_in_middle.h"
#include "folio/engine/generation.h"
#include "folio/engine/model.h"
#include "folio/engine/session.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace folio::app {

enum class CorpusPurpose { Questions, CodeCompletion };

inline constexpr std::int64_t kDefaultSnapshotEvery = 4096;

struct CorpusSessionOptions {
    CorpusPurpose purpose = CorpusPurpose::Questions;
    std::string repositoryName;              // code completion: <|repo_name|>
    std::string model;                       // GGUF file
    engine::WeightMemory weights = engine::WeightMemory::Mapped;
    int threads = 0;                         // 0: one per core
    engine::AttentionOptions attention;      // exact, or selected blocks (long corpora)
    bool raw = false;                        // plain completion instead of the chat format
    engine::Thinking thinking = engine::Thinking::Default;
    // Tokens between snapshots inside long documents. The cache's keys follow the snapshot points, so a question
    // resumes only from a build with the same spacing: 0 takes the spacing of the workspace's last completed
    // prefill (kept in cache/snapshot-every), else kDefaultSnapshotEvery.
    std::int64_t snapshotEvery = 0;
    std::set<std::int64_t> documents;        // the scope; empty: every readable document
    bool useCache = true;
    CacheBudgets budgets;
    std::function<void(const std::string&)> warn;  // cache warnings, a corpus longer than the trained context
};

struct AskAnswer {
    std::string answer, thinking;
    std::vector<Citation> citations;
    engine::GenerationResult generation;
    std::int64_t questionTokens = 0;
    engine::RoutingCounts routing;  // the question's and its answer's tokens (MoE models)
};

// What the engine did in the last corpus prefill that computed tokens, or the last question(s): token counts and
// times of the prefill and of the decode, and for a MoE model the experts its tokens were routed to.
struct EngineRun {
    enum class Kind { None, Corpus, Questions } kind = Kind::None;
    std::int64_t prefillTokens = 0, decodeTokens = 0;
    double prefillSeconds = 0, decodeSeconds = 0;
    engine::RoutingCounts routing;

    double prefillTokensPerSecond() const { return prefillSeconds > 0 ? double(prefillTokens) / prefillSeconds : 0; }
    double decodeTokensPerSecond() const { return decodeSeconds > 0 ? double(decodeTokens) / decodeSeconds : 0; }
};

struct CodeCompletion {
    std::string text;   // what goes at the cursor
    std::string form;   // "fill-in-the-middle" or "chat"
    engine::GenerationResult generation;
    std::int64_t promptTokens = 0;  // after the corpus: the edited file's prefix and suffix and the markers
};

// One of several questions asked at once; `options.afterPrefill` runs on the question's own thread.
struct AskRequest {
    std::string question;
    engine::GenerationOptions options;
};

class CorpusSession {
public:
    // Throws: the model cannot be read, its chat template is not usable (ChatFormatError), the scope is empty.
    CorpusSession(const WorkspaceStore& store, CorpusSessionOptions options);
    ~CorpusSession();

    // Brings the engine to the corpus's end, resuming from the cache where it can.
    CorpusPrefillReport prefill(const CorpusRunner::Progress& progress = {}, const std::atomic<bool>* cancel = nullptr);

    // Prefills what is missing, then answers. `thinking` and `answer` receive the text as it is generated.
    AskAnswer ask(const std::string& question, engine::GenerationOptions options,
                  const std::function<void(std::string_view)>& thinking, const std::function<void(std::string_view)>& answer,
                  const std::atomic<bool>* cancel = nullptr);
    // Prefills what is missing, then answers the questions, up to `parallel` at once, each on its share of the
    // threads (at least one). Every answer is the one ask() gives alone: the questions share only the corpus's
    // frozen state. In the order of `requests`.
    std::vector<AskAnswer> askAll(const std::vector<AskRequest>& requests, int parallel, const std::atomic<bool>* cancel = nullptr);

    // Code completion at the cursor between `prefix` and `suffix` of the file at `path` (CorpusPurpose::CodeCompletion).
    CodeCompletion complete(const std::string& path, const std::string& prefix, const std::string& suffix,
                            engine::GenerationOptions options, const std::function<void(std::string_view)>& onText = {},
                            const std::atomic<bool>* cancel = nullptr);
    // "fill-in-the-middle", "chat" or "raw": how completions are asked for.
    std::string completionForm() const;

    const Corpus& corpus() const { return corpus_; }
    std::int64_t snapshotEvery() const { return snapshotEvery_; }  // the spacing in use
    const AskPrompt& prompt() const { return prompt_; }
    const engine::Model& model() const { return *model_; }
    const engine::Tokenizer& tokenizer() const { return *tokenizer_; }
    ContextCache* cache() { return cache_.get(); }
    engine::Session& session() { return *session_; }  // the corpus's own: at its end once prefilled
    const CorpusPrefillReport& lastPrefill() const { return lastPrefill_; }
    const EngineRun& lastRun() const { return lastRun_; }

private:
    // Brings the corpus session to its end if it is not there; false if cancelled.
    bool ready(const std::atomic<bool>* cancel);
    // Adds a question's numbers to lastRun_.
    void noteQuestion(const AskAnswer& answer);
    // One question in a session forked from the corpus's snapshot, on `threads` threads.
    AskAnswer answerOne(const std::string& question, engine::GenerationOptions options, int threads,
                     const std::function<void(std::string_view)>& thinking, const std::function<void(std::string_view)>& answer,
                     const std::atomic<bool>* cancel) const;

    CorpusSessionOptions options_;
    std::unique_ptr<engine::Model> model_;
    std::unique_ptr<engine::Tokenizer> tokenizer_;
    AskPrompt prompt_ = AskPrompt::raw();
    std::optional<engine::FillInMiddle> fim_;  // code completion in the repository-level form
    Corpus corpus_;
    std::filesystem::path cacheFolder_;
    std::int64_t snapshotEvery_ = kDefaultSnapshotEvery;
    std::vector<std::int64_t> points_;
    std::unique_ptr<ContextCache> cache_;
    engine::SessionOptions sessionOptions_;
    std::unique_ptr<engine::Session> session_;
    std::shared_ptr<const engine::SessionSnapshot> snapshot_;  // the corpus's end, once prefilled
    CorpusPrefillReport lastPrefill_;
    EngineRun lastRun_;
};

}  // namespace folio::app
