// `folio ask --remote URL` and `folio complete --remote URL`: a remote OpenAI-compatible engine answers instead of
// a local model (app::RemoteSession). The corpus is the text the local engine reads, first and unchanged in every
// request, so the server's prefix cache serves it again; the cached tokens it reports are shown.

#include "corpus_commands.h"

#include "cli_support.h"

#include "folio/app/ask_history.h"
#include "folio/app/remote_session.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>

#include <iostream>

namespace folio::cli {

using nlohmann::json;

void addRemoteOptions(CLI::App& command, RemoteArgs& args)
{
    auto* url = command.add_option("--remote", args.url,
                                   "An OpenAI-compatible server (vLLM, SGLang, llama-server, folio serve) at this URL instead of --model");
    if (auto* model = command.get_option_no_throw("--model")) url->excludes(model);
    command.add_option("--remote-model", args.model, "The remote's model (default: the first it lists)")->needs(url);
    command.add_option("--api-key-file", args.apiKeyFile, "The remote's API key: the first line of this file (else FOLIO_REMOTE_API_KEY)")
        ->needs(url)->check(CLI::ExistingFile);
    command.add_option("--connect-timeout", args.connectTimeout, "Seconds to wait for the remote's connection")
        ->needs(url)->check(CLI::PositiveNumber)->capture_default_str();
    command.add_option("--read-timeout", args.readTimeout, "Seconds the remote may send nothing (its prefill included)")
        ->needs(url)->check(CLI::PositiveNumber)->capture_default_str();
}

namespace {

app::RemoteSessionOptions sessionOptions(const RemoteArgs& a)
{
    app::RemoteSessionOptions o;
    o.remote = {a.url, remote::readApiKey(a.apiKeyFile), a.connectTimeout, a.readTimeout};
    o.model = a.model;
    o.warn = [](const std::string& w) { std::cerr << "warning: " << w << "\n"; };
    return o;
}

remote::RemoteRequest remoteRequest(const SamplingArgs& s)
{
    remote::RemoteRequest r;
    r.maxTokens = s.maxTokens;
    r.temperature = s.temperature;
    r.topP = s.topP;
    if (s.seed != 0) r.seed = s.seed;
    r.stop = s.stop;
    return r;
}

json usageJson(const std::optional<remote::RemoteUsage>& u)
{
    if (!u) return nullptr;
    return {{"prompt_tokens", u->promptTokens}, {"completion_tokens", u->completionTokens},
            {"cached_tokens", u->cachedTokens ? json(*u->cachedTokens) : json(nullptr)}};
}

std::string stopReason(const remote::RemoteResult& r)
{
    return r.cancelled ? "cancelled" : r.finishReason;
}

// "[model at URL: 5,210 prompt tokens, 5,100 from the server's cache; first token after 0.31 s]"
std::string usageLine(const app::RemoteSession& s, const remote::RemoteResult& r)
{
    std::string line = "[" + s.model().id + " at " + s.url();
    if (r.usage) {
        line += ": " + std::to_string(r.usage->promptTokens) + " prompt tokens, ";
        line += r.usage->cachedTokens ? std::to_string(*r.usage->cachedTokens) + " of them from the server's cache"
                                      : std::string("the server reports no cached tokens");
    } else {
        line += ": the server reported no usage";
    }
    char first[64];
    std::snprintf(first, sizeof first, "; first token after %.2f s]", r.secondsToFirstToken);
    return line + first;
}

}  // namespace

int remoteAskCommand(const GlobalOptions& g, const AskArgs& a)
{
    const std::vector<std::string> questions = askedQuestions(a);
    if (a.noCache || !a.logitsFile.empty() || a.corpus.raw)
        throw std::runtime_error("ask --remote: --no-cache, --logits and --raw are for a local model");
    const app::WorkspaceStore store(workspaceDir(g));
    app::RemoteSessionOptions o = sessionOptions(a.remote);
    for (const auto& d : a.corpus.documents) {
        const auto record = store.findDocument(d);
        if (!record) throw std::runtime_error("no document '" + d + "' in the workspace " + store.directory().string());
        o.documents.insert(record->id);
    }
    o.thinking = a.thinking == "on" ? engine::Thinking::On : a.thinking == "off" ? engine::Thinking::Off : engine::Thinking::Default;
    app::RemoteSession session(store, o);
    const remote::RemoteRequest request = remoteRequest(a.sampling);
    const bool several = questions.size() > 1;
    std::string scope;
    for (const auto& d : a.corpus.documents) scope += (scope.empty() ? "" : ", ") + d;
    app::AskHistory history(store.directory());
    json answers = json::array();
    bool cancelled = false;
    // With --parallel, the questions go to the server at once and are printed in order when all are answered;
    // otherwise each streams as it comes.
    std::vector<app::RemoteAnswer> all;
    if (a.parallel > 1) all = session.askAll(questions, request, a.parallel, interruptFlag());
    for (std::size_t i = 0; i < questions.size() && !cancelled; ++i) {
        if (several && !g.json) std::cout << (i > 0 ? "\n" : "") << "Q" << i + 1 << ": " << questions[i] << "\n";
        if (a.parallel > 1 && !g.json) {
            if (!all[i].thinking.empty()) std::cerr << all[i].thinking;
            std::cout << all[i].answer;
        }
        const auto answer = a.parallel > 1 ? all[i]
                                           : session.ask(questions[i], request,
                                                         [&](std::string_view t) { if (!g.json) std::cerr << t << std::flush; },
                                                         [&](std::string_view t) { if (!g.json) std::cout << t << std::flush; },
                                                         interruptFlag());
        cancelled = answer.result.cancelled;
        const auto askedAt = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
        history.add({0, askedAt.count(), scope.empty() ? "the whole workspace" : scope, questions[i], answer.answer, answer.thinking,
                     answer.citations, session.model().id + " at " + session.url(), stopReason(answer.result)});
        if (g.json) {
            answers.push_back({{"question", questions[i]}, {"answer", answer.answer}, {"thinking", answer.thinking},
                               {"citations", json::parse(app::citationsToJson(answer.citations))},
                               {"stop_reason", stopReason(answer.result)}, {"usage", usageJson(answer.result.usage)},
                               {"time_to_first_token_seconds", answer.result.secondsToFirstToken},
                               {"seconds", answer.result.seconds}});
            continue;
        }
        std::cout << "\n";
        if (!answer.citations.empty()) {
            std::cout << "\nSources:\n";
            for (const auto& c : answer.citations) std::cout << "  [" << c.text << "]  " << app::describe(c) << "\n";
        }
        std::cerr << usageLine(session, answer.result) << "\n";
    }
    if (g.json) {
        json out = {{"remote", session.url()}, {"model", session.model().id},
                    {"model_context_length", session.model().contextLength},
                    {"corpus_documents", session.corpus().documents().size()}, {"corpus_bytes", session.corpus().text().size()},
                    {"corpus_tokens", session.corpusTokens() ? json(*session.corpusTokens()) : json(nullptr)}};
        if (several) out["answers"] = answers;
        else out.update(answers[0]);
        printJson(out);
    }
    return cancelled ? 1 : 0;
}

int remoteCompleteCommand(const GlobalOptions& g, const ModelCompleteArgs& a)
{
    const app::WorkspaceStore store(workspaceDir(g));
    const CompletionSite site = completionSite(store, a.location);
    app::RemoteSessionOptions o = sessionOptions(a.remote);
    o.purpose = app::CorpusPurpose::CodeCompletion;
    o.documents = site.documents;
    o.repositoryName = site.repositoryName;
    app::RemoteSession session(store, o);
    const auto r = session.complete(site.path, site.prefix, site.suffix, remoteRequest(a.sampling),
                                    [&](std::string_view t) { if (!g.json) std::cout << t << std::flush; }, interruptFlag());
    if (g.json) {
        printJson({{"completion", r.text}, {"form", "fill-in-the-middle"}, {"path", site.path}, {"remote", session.url()},
                   {"model", session.model().id}, {"stop_reason", stopReason(r)}, {"usage", usageJson(r.usage)},
                   {"corpus_documents", session.corpus().documents().size()}, {"corpus_bytes", session.corpus().text().size()},
                   {"time_to_first_token_seconds", r.secondsToFirstToken}});
    } else {
        std::cout << "\n";
        std::cerr << usageLine(session, r) << "\n";
    }
    return r.cancelled ? 1 : 0;
}

}  // namespace folio::cli
