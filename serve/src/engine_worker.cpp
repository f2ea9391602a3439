#include "folio/serve/engine_worker.h"

#include "folio/app/corpus_runner.h"
#include "folio/serve/api_error.h"

#include <algorithm>
#include <random>
#include <thread>

namespace folio::serve {
namespace {

std::optional<std::int32_t> tokenByText(const engine::Tokenizer& tokenizer, const std::string& text)
{
    for (std::size_t id = 0; id < tokenizer.vocabSize(); ++id)
        if (tokenizer.isSpecial(std::int32_t(id)) && tokenizer.tokenText(std::int32_t(id)) == text) return std::int32_t(id);
    return std::nullopt;
}

void append(std::vector<std::int32_t>& to, const std::vector<std::int32_t>& tokens)
{
    to.insert(to.end(), tokens.begin(), tokens.end());
}

}  // namespace

EngineWorker::EngineWorker(EngineOptions options, std::function<void(const std::string&)> warn) : options_(std::move(options))
{
    name_ = options_.modelName.empty() ? std::filesystem::path(options_.modelPath).stem().string() : options_.modelName;
    model_ = engine::Model::load(options_.modelPath, options_.weights);
    tokenizer_ = std::make_unique<engine::Tokenizer>(model_->file());
    try {
        chat_ = engine::ChatFormat::fromModel(model_->file(), *tokenizer_);
    } catch (const engine::ChatFormatError& e) {
        chatError_ = e.what();
    }
    const auto prefix = tokenByText(*tokenizer_, "<|fim_prefix|>");
    const auto suffix = tokenByText(*tokenizer_, "<|fim_suffix|>");
    const auto middle = tokenByText(*tokenizer_, "<|fim_middle|>");
    if (prefix && suffix && middle) fim_ = FimTokens{*prefix, *suffix, *middle};
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    sessionOptions_.threads = options_.threads > 0 ? options_.threads : std::max(1, cores / std::max(1, options_.parallel));
    sessionOptions_.attention = options_.attention;
    if (options_.cacheFolder)
        cache_ = std::make_unique<app::ContextCache>(*options_.cacheFolder,
                                                     app::modelFingerprint(*options_.cacheFolder, options_.modelPath, sessionOptions_),
                                                     app::CacheBudgets{}, std::move(warn));
}

EngineWorker::~EngineWorker() = default;

std::int64_t EngineWorker::contextLength() const
{
    const std::int64_t trained = model_->config().contextLength;
    return trained > 0 ? trained : std::int64_t(1) << 20;
}

std::vector<std::int64_t> EngineWorker::snapshotPoints(std::int64_t promptTokens, const std::vector<std::int64_t>& boundaries) const
{
    // Points depend only on the tokens before them (fixed multiples, ends of messages), so a longer prompt
    // that shares a prefix has the same points, and the same chain keys, over it. The last prompt token is
    // always left to generate(), which needs one to compute logits from.
    std::vector<std::int64_t> points;
    for (std::int64_t p = options_.snapshotEvery; options_.snapshotEvery > 0 && p < promptTokens; p += options_.snapshotEvery)
        points.push_back(p);
    for (std::int64_t b : boundaries)
        if (b > 0 && b < promptTokens) points.push_back(b);
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    return points;
}

PreparedPrompt EngineWorker::promptOf(const GenerationRequest& request, std::vector<std::int64_t>& boundaries) const
{
    PreparedPrompt p;
    if (tokenizer_->addBos() && tokenizer_->bos() >= 0) p.tokens.push_back(tokenizer_->bos());
    if (request.endpoint == Endpoint::Chat) {
        if (!chat_)
            throw ApiError(400, chatError_ + ". This server answers /v1/completions with raw prompts only.",
                           "invalid_request_error", "no_chat_template", "messages");
        for (const auto& m : request.messages) {
            append(p.tokens, chat_->turn(m).tokens(*tokenizer_));
            boundaries.push_back(std::int64_t(p.tokens.size()));
        }
        try {
            append(p.tokens, chat_->generationPrompt(request.thinking).tokens(*tokenizer_));
        } catch (const engine::ChatFormatError& e) {
            throw ApiError::badRequest(e.what(), "invalid_value", "chat_template_kwargs.enable_thinking");
        }
        p.streamStart = chat_->streamStart(request.thinking);
        p.stop = chat_->stopStrings();
    } else if (request.suffix) {
        if (!fim_)
            throw ApiError::badRequest("the model " + name_ + " has no fill-in-the-middle tokens (<|fim_prefix|>, <|fim_suffix|>, "
                                       "<|fim_middle|> are not in its vocabulary): 'suffix' cannot be used",
                                       "no_fim_tokens", "suffix");
        p.tokens.push_back(fim_->prefix);
        append(p.tokens, tokenizer_->encode(request.prompt, false));
        p.tokens.push_back(fim_->suffix);
        append(p.tokens, tokenizer_->encode(*request.suffix, false));
        p.tokens.push_back(fim_->middle);
    } else {
        // A raw prompt is the client's own: it may write a model's markers itself.
        append(p.tokens, tokenizer_->encode(request.prompt, true));
    }
    if (p.tokens.empty()) throw ApiError::badRequest("'prompt' is empty", "invalid_value", "prompt");
    p.stop.insert(p.stop.end(), request.stop.begin(), request.stop.end());
    return p;
}

std::vector<std::int32_t> EngineWorker::tokenize(const GenerationRequest& request) const
{
    std::vector<std::int64_t> boundaries;
    return promptOf(request, boundaries).tokens;
}

PreparedPrompt EngineWorker::prepare(const GenerationRequest& request) const
{
    std::vector<std::int64_t> boundaries;
    PreparedPrompt p = promptOf(request, boundaries);
    const std::int64_t room = contextLength() - std::int64_t(p.tokens.size());
    const char* maxField = request.endpoint == Endpoint::Chat ? "max_completion_tokens" : "max_tokens";
    if (room < 1 || (request.maxTokens && *request.maxTokens > room))
        throw ApiError::badRequest("the prompt has " + std::to_string(p.tokens.size()) + " tokens" +
                                   (request.maxTokens ? " and asks for " + std::to_string(*request.maxTokens) + " more" : "") +
                                   ", beyond the model's context of " + std::to_string(contextLength()) + " tokens",
                                   "context_length_exceeded", room < 1 ? "messages" : maxField);
    p.maxTokens = request.maxTokens.value_or(int(std::min<std::int64_t>(options_.defaultMaxTokens, room)));
    p.points = snapshotPoints(std::int64_t(p.tokens.size()), boundaries);
    return p;
}

std::unique_ptr<engine::Session> EngineWorker::newSession() const
{
    return std::make_unique<engine::Session>(*model_, sessionOptions_);
}

RunResult EngineWorker::run(engine::Session& session, const PreparedPrompt& prompt, const GenerationRequest& request,
                            const std::function<bool(std::string_view)>& onText, const std::atomic<bool>* cancel)
{
    RunResult r;
    app::CorpusRunner runner(session, cache_.get());
    const auto report = runner.prefill(prompt.tokens, prompt.points, {}, cancel);
    r.cachedTokens = report.resumedAt;
    if (report.cancelled) {
        r.generation.stopReason = "cancelled";
        return r;
    }
    engine::GenerationOptions options;
    options.maxTokens = prompt.maxTokens;
    options.stop = prompt.stop;
    options.sampling.temperature = request.temperature;
    options.sampling.topP = request.topP;
    options.sampling.seed = request.seed ? *request.seed : std::random_device()();
    const std::size_t resumed = prompt.points.empty() ? 0 : std::size_t(prompt.points.back());
    r.generation = engine::generate(session, *tokenizer_, std::span(prompt.tokens).subspan(resumed), options, onText, cancel);
    return r;
}

engine::AnswerParts EngineWorker::splitAnswer(const std::string& generated, const GenerationRequest& request) const
{
    if (!chat_) return {"", generated};
    return chat_->split(generated, request.thinking);
}

void EngineWorker::persistCache()
{
    if (cache_) cache_->persist();
}

}  // namespace folio::serve
