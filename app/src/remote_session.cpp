#include "folio/app/remote_session.h"

#include "folio/app/ask_prompt.h"
#include "folio/engine/fill_in_middle.h"

#include <algorithm>
#include <exception>
#include <functional>
#include <memory>
#include <thread>

namespace folio::app {

namespace {

remote::RemoteModel chooseModel(remote::OpenAiClient& client, const std::string& wanted)
{
    const auto models = client.models();
    if (models.empty()) throw remote::RemoteError("remote " + client.url() + " lists no models");
    if (wanted.empty()) return models.front();
    std::string served;
    for (const auto& m : models) {
        if (m.id == wanted) return m;
        served += (served.empty() ? "" : ", ") + m.id;
    }
    throw remote::RemoteError("remote " + client.url() + " has no model '" + wanted + "'; it serves: " + served);
}

CorpusFrame frameFor(const RemoteSessionOptions& o)
{
    if (o.purpose == CorpusPurpose::Questions) return {engine::Prompt().text(corpusInstructions()), engine::Prompt(), std::nullopt};
    const auto fim = engine::FillInMiddle::qwenCoder();
    return {fim.repositoryHeader(o.repositoryName), engine::Prompt(), fim};
}

}  // namespace

RemoteSession::RemoteSession(const WorkspaceStore& store, RemoteSessionOptions options)
    : options_(std::move(options)), client_(options_.remote), model_(chooseModel(client_, options_.model)),
      corpus_(Corpus::buildText(store, frameFor(options_), options_.documents))
{
    if (corpus_.documents().empty())
        throw std::runtime_error("no readable document in the scope of workspace " + store.directory().string());
}

std::vector<remote::RemoteMessage> RemoteSession::messages(const std::string& question) const
{
    return {{"system", corpus_.text()}, {"user", question}};
}

void RemoteSession::measureCorpus()
{
    measured_ = true;
    const auto count = client_.countChatTokens(model_.id, {{"system", corpus_.text()}});
    if (!count) {
        if (options_.warn)
            options_.warn("remote " + url() + " has no /tokenize: the corpus (" + std::to_string(corpus_.text().size()) +
                          " bytes) is not measured before it is sent, and only the server checks that it fits its context");
        return;
    }
    corpusTokens_ = count->tokens;
    if (model_.contextLength == 0) model_.contextLength = count->contextLength;
    if (model_.contextLength == 0 && options_.warn)
        options_.warn("remote " + url() + " does not say model " + model_.id + "'s context length: the corpus (" +
                      std::to_string(count->tokens) + " tokens) is not checked against it");
}

void RemoteSession::checkFits(int maxTokens)
{
    if (!measured_) measureCorpus();
    if (!corpusTokens_ || model_.contextLength == 0 || *corpusTokens_ + maxTokens <= model_.contextLength) return;
    throw std::runtime_error("the corpus is " + std::to_string(*corpusTokens_) + " tokens as remote model " + model_.id +
                             " counts them, and with " + std::to_string(maxTokens) + " for the answer it needs " +
                             std::to_string(*corpusTokens_ + maxTokens) + "; the model at " + url() + " takes at most " +
                             std::to_string(model_.contextLength) + " tokens. Narrow the scope (fewer documents) or use a "
                             "model with a longer context.");
}

RemoteAnswer RemoteSession::ask(const std::string& question, const remote::RemoteRequest& request,
                                const std::function<void(std::string_view)>& thinking, const std::function<void(std::string_view)>& answer,
                                const std::atomic<bool>* cancel)
{
    checkFits(request.maxTokens);
    return answerWith(client_, question, request, thinking, answer, cancel);
}

std::vector<RemoteAnswer> RemoteSession::askAll(const std::vector<std::string>& questions, const remote::RemoteRequest& request,
                                                int parallel, const std::atomic<bool>* cancel)
{
    checkFits(request.maxTokens);
    std::vector<RemoteAnswer> answers(questions.size());
    std::vector<std::exception_ptr> errors(questions.size());
    std::atomic<std::size_t> next{0};
    // A libcurl handle serves one request at a time: each worker has a client of its own.
    std::vector<std::unique_ptr<remote::OpenAiClient>> clients;
    for (int t = 0; t < std::clamp<int>(parallel, 1, int(std::max<std::size_t>(1, questions.size()))); ++t)
        clients.push_back(std::make_unique<remote::OpenAiClient>(options_.remote));
    auto worker = [&](remote::OpenAiClient& client) {
        for (std::size_t i; (i = next++) < questions.size();) {
            try {
                answers[i] = answerWith(client, questions[i], request, {}, {}, cancel);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        }
    };
    std::vector<std::thread> pool;
    for (auto& client : clients) pool.emplace_back(worker, std::ref(*client));
    for (auto& t : pool) t.join();
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
    return answers;
}

RemoteAnswer RemoteSession::answerWith(remote::OpenAiClient& client, const std::string& question,
                                       const remote::RemoteRequest& request,
                                       const std::function<void(std::string_view)>& thinking,
                                       const std::function<void(std::string_view)>& answer, const std::atomic<bool>* cancel) const
{
    remote::RemoteRequest r = request;
    if (options_.thinking != engine::Thinking::Default) r.enableThinking = options_.thinking == engine::Thinking::On;
    // A server without a reasoning parser leaves a thinking block in the content: split it off as it streams.
    RemoteAnswer out;
    engine::AnswerStream split(engine::AnswerStream::Start::MayThink,
                               [&](std::string_view t) { out.thinking += t; if (thinking) thinking(t); },
                               [&](std::string_view t) { out.answer += t; if (answer) answer(t); });
    out.result = client.chat(model_.id, messages(question), r,
                              [&](std::string_view t) { out.thinking += t; if (thinking) thinking(t); },
                              [&](std::string_view t) { split.feed(t); }, cancel);
    split.finish();
    out.citations = findCitations(out.answer, corpus_);
    return out;
}

remote::RemoteResult RemoteSession::complete(const std::string& path, const std::string& prefix, const std::string& suffix,
                                             remote::RemoteRequest request, const std::function<void(std::string_view)>& onText,
                                             const std::atomic<bool>* cancel)
{
    if (options_.purpose != CorpusPurpose::CodeCompletion)
        throw std::logic_error("RemoteSession::complete needs a session made for code completion");
    const auto fim = engine::FillInMiddle::qwenCoder();
    // OpenAI's API takes at most four stop strings, and servers that follow it (folio serve among them) refuse
    // more: the caller's first, then the FIM markers in the order a model most often goes on with.
    for (const auto& s : fim.stopStrings())
        if (request.stop.size() < 4) request.stop.push_back(s);
    return client_.complete(model_.id, corpus_.text() + fim.tail(path, prefix, suffix).str(), request, onText, cancel);
}

}  // namespace folio::app
