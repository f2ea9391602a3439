#include "folio/app/corpus_session.h"

#include <algorithm>
#include <exception>
#include <fstream>
#include <thread>

#include <unistd.h>

namespace folio::app {

namespace {

constexpr const char* kSpacingFile = "snapshot-every";

// The spacing a file in the cache folder remembers; none when it is missing or not a positive number.
std::optional<std::int64_t> remembered(const std::filesystem::path& file)
{
    std::ifstream in(file);
    std::int64_t every = 0;
    if (in >> every && every > 0) return every;
    return std::nullopt;
}

// Written whole under another name, then renamed: a reader never sees half a number.
void remember(const std::filesystem::path& file, std::int64_t every, const std::function<void(const std::string&)>& warn)
{
    if (remembered(file) == every) return;
    const std::filesystem::path temporary = file.string() + ".tmp" + std::to_string(::getpid());
    std::error_code ec;
    {
        std::ofstream out(temporary);
        out << every << "\n";
        if (!out.flush()) ec = std::make_error_code(std::errc::io_error);
    }
    if (!ec) std::filesystem::rename(temporary, file, ec);
    if (ec) {
        std::filesystem::remove(temporary);
        if (warn) warn(file.string() + ": cannot remember the snapshot spacing (" + ec.message() + "); questions without "
                       "--snapshot-every use " + std::to_string(kDefaultSnapshotEvery));
    }
}

}  // namespace

CorpusSession::CorpusSession(const WorkspaceStore& store, CorpusSessionOptions options) : options_(std::move(options))
{
    model_ = engine::Model::load(options_.model, options_.weights);
    tokenizer_ = std::make_unique<engine::Tokenizer>(model_->file());
    if (options_.purpose == CorpusPurpose::CodeCompletion) {
        fim_ = engine::FillInMiddle::fromTokenizer(*tokenizer_);
        if (fim_ && !fim_->repositoryLevel()) fim_.reset();  // no repository context to cache: ask in the chat form
    }
    CorpusFrame frame;
    if (fim_) {
        frame.before = fim_->repositoryHeader(options_.repositoryName);
        frame.repositoryFiles = fim_;
    } else {
        if (!options_.raw) {
            const auto format = engine::ChatFormat::fromModel(model_->file(), *tokenizer_);
            // A completion is code, not a discussion: no thinking where the template can switch it off.
            const bool quiet = options_.purpose == CorpusPurpose::CodeCompletion && format.hasThinkingSwitch();
            prompt_ = AskPrompt::chat(format, quiet ? engine::Thinking::Off : options_.thinking);
        }
        frame = prompt_.corpusFrame();
    }
    corpus_ = Corpus::build(store, *tokenizer_, frame, options_.documents);
    if (corpus_.documents().empty())
        throw std::runtime_error("the workspace " + store.directory().string() + " has no readable documents" +
                                 (options_.documents.empty() ? ": run 'folio ingest' first" : " in the chosen scope"));
    cacheFolder_ = store.directory() / "cache";
    snapshotEvery_ = options_.snapshotEvery > 0 ? options_.snapshotEvery : remembered(cacheFolder_ / kSpacingFile).value_or(kDefaultSnapshotEvery);
    points_ = corpus_.snapshotPoints(snapshotEvery_);
    const std::int64_t trained = model_->config().contextLength;
    if (trained > 0 && std::int64_t(corpus_.tokens().size()) > trained && options_.warn)
        options_.warn("the corpus has " + std::to_string(corpus_.tokens().size()) + " tokens, more than the context length of " +
                      std::to_string(trained) + " that " + options_.model + " was trained for; positions past it may give worse answers");
    sessionOptions_.threads = options_.threads;
    sessionOptions_.attention = options_.attention;
    sessionOptions_.maxContext = std::int64_t(corpus_.tokens().size());
    if (options_.useCache) {
        cache_ = std::make_unique<ContextCache>(cacheFolder_, modelFingerprint(cacheFolder_, options_.model, sessionOptions_), options_.budgets,
                                                options_.warn);
    }
    session_ = std::make_unique<engine::Session>(*model_, sessionOptions_);
}

CorpusSession::~CorpusSession() = default;

CorpusPrefillReport CorpusSession::prefill(const CorpusRunner::Progress& progress, const std::atomic<bool>* cancel)
{
    if (snapshot_) {
        lastPrefill_ = {};
        lastPrefill_.resumedAt = points_.back();
        return lastPrefill_;
    }
    // A cancelled prefill stopped part-way: the runner resumes from the furthest cached state.
    if (session_->position() > 0) session_->reset();
    CorpusRunner runner(*session_, cache_.get());
    session_->resetRoutingCounts();
    lastPrefill_ = runner.prefill(corpus_.tokens(), points_, progress, cancel);
    if (lastPrefill_.computedTokens > 0)
        lastRun_ = {EngineRun::Kind::Corpus, lastPrefill_.computedTokens, 0, lastPrefill_.prefillSeconds, 0,
                    session_->routingCounts()};
    if (!lastPrefill_.cancelled) snapshot_ = session_->share();
    if (cache_) {
        cache_->persist();
        if (!lastPrefill_.cancelled) remember(cacheFolder_ / kSpacingFile, snapshotEvery_, options_.warn);
    }
    return lastPrefill_;
}

bool CorpusSession::ready(const std::atomic<bool>* cancel)
{
    if (!snapshot_) prefill({}, cancel);
    return snapshot_ != nullptr;
}

AskAnswer CorpusSession::ask(const std::string& question, engine::GenerationOptions options,
                             const std::function<void(std::string_view)>& thinking,
                             const std::function<void(std::string_view)>& answer, const std::atomic<bool>* cancel)
{
    if (!ready(cancel)) {
        AskAnswer out;
        out.generation.stopReason = "cancelled";
        return out;
    }
    AskAnswer out = answerOne(question, std::move(options), options_.threads, thinking, answer, cancel);
    lastRun_ = {};
    noteQuestion(out);
    return out;
}

void CorpusSession::noteQuestion(const AskAnswer& answer)
{
    lastRun_.kind = EngineRun::Kind::Questions;
    lastRun_.prefillTokens += answer.generation.promptTokens;
    lastRun_.prefillSeconds += answer.generation.prefillSeconds;
    lastRun_.decodeTokens += std::int64_t(answer.generation.tokens.size());
    lastRun_.decodeSeconds += answer.generation.decodeSeconds;
    lastRun_.routing.add(answer.routing);
}

std::vector<AskAnswer> CorpusSession::askAll(const std::vector<AskRequest>& requests, int parallel, const std::atomic<bool>* cancel)
{
    std::vector<AskAnswer> out(requests.size());
    if (!ready(cancel)) {
        for (auto& a : out) a.generation.stopReason = "cancelled";
        return out;
    }
    const int workers = std::clamp(parallel, 1, std::max(1, int(requests.size())));
    const int cores = options_.threads > 0 ? options_.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    const int threadsEach = std::max(1, cores / workers);
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> errors(requests.size());
    const auto work = [&] {
        for (std::size_t i = next++; i < requests.size(); i = next++) {
            try {
                out[i] = answerOne(requests[i].question, requests[i].options, threadsEach, {}, {}, cancel);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        }
    };
    std::vector<std::thread> threads;
    for (int w = 1; w < workers; ++w) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
    // Questions run side by side: their times add up to more than the wall time, so the rates are per question.
    lastRun_ = {};
    for (const auto& a : out) noteQuestion(a);
    return out;
}

AskAnswer CorpusSession::answerOne(const std::string& question, engine::GenerationOptions options, int threads,
                                   const std::function<void(std::string_view)>& thinking,
                                   const std::function<void(std::string_view)>& answer, const std::atomic<bool>* cancel) const
{
    AskAnswer out;
    for (const auto& s : prompt_.stopStrings()) options.stop.push_back(s);
    const auto tokens = prompt_.question(question).tokens(*tokenizer_);
    out.questionTokens = std::int64_t(tokens.size());
    // The question's own KV: room for it and the longest answer, past the corpus's shared one.
    engine::SessionOptions sessionOptions = sessionOptions_;
    sessionOptions.threads = threads;
    sessionOptions.maxContext = out.questionTokens + options.maxTokens;
    engine::Session session(*model_, snapshot_, sessionOptions);
    engine::AnswerStream stream(prompt_.streamStart(), thinking ? thinking : [](std::string_view) {},
                                answer ? answer : [](std::string_view) {});
    out.generation = engine::generate(session, *tokenizer_, std::span<const std::int32_t>(tokens), options,
                                      [&](std::string_view text) {
                                          stream.feed(text);
                                          return true;
                                      }, cancel);
    stream.finish();
    const auto parts = prompt_.split(out.generation.text);
    out.answer = parts.answer;
    out.thinking = parts.thinking;
    out.citations = findCitations(out.answer, corpus_);
    out.routing = session.routingCounts();
    return out;
}

namespace {

// A chat model may fence its code although asked not to: the fence is not part of the completion.
std::string withoutFence(std::string text)
{
    const std::size_t first = text.find_first_not_of(" \n");
    if (first == std::string::npos || text.compare(first, 3, "```") != 0) return text;
    const std::size_t lineEnd = text.find('\n', first);
    if (lineEnd == std::string::npos) return "";
    text.erase(0, lineEnd + 1);
    const std::size_t close = text.rfind("```");
    if (close != std::string::npos) text.erase(close);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
}

}  // namespace

std::string CorpusSession::completionForm() const
{
    return fim_ ? "fill-in-the-middle" : prompt_.formatName() == "raw" ? "raw" : "chat";
}

CodeCompletion CorpusSession::complete(const std::string& path, const std::string& prefix, const std::string& suffix,
                                       engine::GenerationOptions options, const std::function<void(std::string_view)>& onText,
                                       const std::atomic<bool>* cancel)
{
    CodeCompletion out;
    out.form = completionForm();
    if (!ready(cancel)) {
        out.generation.stopReason = "cancelled";
        return out;
    }
    std::vector<std::int32_t> tokens;
    if (fim_) {
        for (const auto& s : fim_->stopStrings()) options.stop.push_back(s);
        tokens = fim_->tail(path, prefix, suffix).tokens(*tokenizer_);
    } else {
        for (const auto& s : prompt_.stopStrings()) options.stop.push_back(s);
        tokens = prompt_.question("Complete the code at <CURSOR> in " + path + ". Reply with only the code that goes "
                                  "there: no explanation, no code fence.\n\n" + prefix + "<CURSOR>" + suffix)
                     .tokens(*tokenizer_);
    }
    out.promptTokens = std::int64_t(tokens.size());
    // Like a question: a session of its own from the corpus's frozen state.
    engine::SessionOptions sessionOptions = sessionOptions_;
    sessionOptions.maxContext = out.promptTokens + options.maxTokens;
    engine::Session session(*model_, snapshot_, sessionOptions);
    engine::AnswerStream stream(prompt_.streamStart(), [](std::string_view) {}, onText ? onText : [](std::string_view) {});
    out.generation = engine::generate(session, *tokenizer_, std::span<const std::int32_t>(tokens), options,
                                      [&](std::string_view text) {
                                          if (fim_) {
                                              if (onText) onText(text);
                                          } else {
                                              stream.feed(text);
                                          }
                                          return true;
                                      }, cancel);
    stream.finish();
    out.text = fim_ ? out.generation.text : withoutFence(prompt_.split(out.generation.text).answer);
    return out;
}

}  // namespace folio::app
