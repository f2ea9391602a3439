#pragma once

// The model behind the server: one Model and Tokenizer shared by every request, the chat format and the
// fill-in-the-middle tokens it offers, and the context cache. A request is first prepared (its prompt tokens,
// snapshot points and stop strings, or an ApiError), then run on a Session of its own: the session resumes
// from the furthest cached snapshot point of the prompt through CorpusRunner, saving the points it computes,
// and generates the rest. Both runs prefill the same segments, so an answer is the same with the cache or
// without it.

#include "folio/app/context_cache.h"
#include "folio/engine/chat_format.h"
#include "folio/engine/generation.h"
#include "folio/engine/model.h"
#include "folio/engine/session.h"
#include "folio/engine/tokenizer.h"
#include "folio/serve/request.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace folio::serve {

struct EngineOptions {
    std::string modelPath;
    std::string modelName;  // the id clients name in "model"; empty: the file's name without .gguf
    engine::WeightMemory weights = engine::WeightMemory::Mapped;
    int parallel = 1;       // sessions that run at once
    int threads = 0;        // per session; 0: the cores shared among the parallel sessions
    engine::AttentionOptions attention;
    std::int64_t snapshotEvery = 256;
    std::optional<std::filesystem::path> cacheFolder;  // none: no cache
    int defaultMaxTokens = 256;
};

struct PreparedPrompt {
    std::vector<std::int32_t> tokens;
    std::vector<std::int64_t> points;  // snapshot points, each before the last prompt token
    std::vector<std::string> stop;
    // Where the generated text begins: inside a thinking block the prompt opened, where the model may open one,
    // or in a format without one.
    engine::AnswerStream::Start streamStart = engine::AnswerStream::Start::NoThinking;
    int maxTokens = 0;
};

struct RunResult {
    engine::GenerationResult generation;
    std::int64_t cachedTokens = 0;  // prompt tokens restored from the cache
};

class EngineWorker {
public:
    explicit EngineWorker(EngineOptions options, std::function<void(const std::string&)> warn);
    ~EngineWorker();

    const std::string& modelName() const { return name_; }
    std::int64_t contextLength() const;
    bool hasChatFormat() const { return chat_.has_value(); }
    const std::string& chatFormatError() const { return chatError_; }
    bool hasFillInTheMiddle() const { return fim_.has_value(); }

    // Throws ApiError: no chat format, no FIM tokens, a prompt longer than the context, thinking the format
    // cannot switch.
    PreparedPrompt prepare(const GenerationRequest& request) const;
    // The prompt's tokens alone, not checked against the context (vLLM's /tokenize).
    std::vector<std::int32_t> tokenize(const GenerationRequest& request) const;
    std::unique_ptr<engine::Session> newSession() const;
    RunResult run(engine::Session& session, const PreparedPrompt& prompt, const GenerationRequest& request,
                  const std::function<bool(std::string_view)>& onText, const std::atomic<bool>* cancel);
    // The generated text of a chat answer split into thinking and answer (all answer when the format has no
    // thinking block).
    engine::AnswerParts splitAnswer(const std::string& generated, const GenerationRequest& request) const;
    // Writes the cache's in-memory entries to disk (before the process exits).
    void persistCache();

private:
    struct FimTokens {
        std::int32_t prefix, suffix, middle;
    };
    std::vector<std::int64_t> snapshotPoints(std::int64_t promptTokens, const std::vector<std::int64_t>& boundaries) const;
    // The prompt's tokens, stream start and stop strings; `boundaries` gets the end of every chat message.
    PreparedPrompt promptOf(const GenerationRequest& request, std::vector<std::int64_t>& boundaries) const;

    EngineOptions options_;
    std::string name_;
    std::unique_ptr<engine::Model> model_;
    std::unique_ptr<engine::Tokenizer> tokenizer_;
    std::optional<engine::ChatFormat> chat_;
    std::string chatError_;
    std::optional<FimTokens> fim_;
    engine::SessionOptions sessionOptions_;
    std::unique_ptr<app::ContextCache> cache_;
};

}  // namespace folio::serve
