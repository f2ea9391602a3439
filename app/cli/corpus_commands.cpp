#include "corpus_commands.h"

#include "cli_support.h"
#include "terminal_progress.h"

#include "folio/app/ask_history.h"
#include "folio/app/corpus_session.h"
#include "folio/app/workspace_store.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <filesystem>
#include <set>

namespace folio::cli {
namespace {

using nlohmann::json;

engine::Thinking thinkingOption(const std::string& value)
{
    return value == "on" ? engine::Thinking::On : value == "off" ? engine::Thinking::Off : engine::Thinking::Default;
}

std::set<std::int64_t> scopeOf(const app::WorkspaceStore& store, const std::vector<std::string>& documents)
{
    std::set<std::int64_t> ids;
    for (const auto& d : documents) {
        const auto record = store.findDocument(d);
        if (!record) throw std::runtime_error("no document '" + d + "' in the workspace " + store.directory().string());
        ids.insert(record->id);
    }
    return ids;
}

// A corpus session as the command line sets it up, with a progress bar for the prefill.
struct CorpusContext {
    app::WorkspaceStore store;
    std::unique_ptr<app::CorpusSession> corpus;

    CorpusContext(const GlobalOptions& g, const CorpusArgs& a, bool withCache, engine::Thinking thinking = engine::Thinking::Default,
                  app::CorpusSessionOptions o = {})
        : store(workspaceDir(g))
    {
        o.model = a.model;
        o.weights = weightMemory(a.weights, a.model);
        o.threads = a.threads;
        o.attention = attentionOptions(a.attention);
        o.raw = a.raw;
        o.thinking = thinking;
        o.snapshotEvery = a.snapshotEvery;
        if (o.documents.empty()) o.documents = scopeOf(store, a.documents);
        o.useCache = withCache;
        o.warn = [](const std::string& w) { std::cerr << "warning: " << w << "\n"; };
        corpus = std::make_unique<app::CorpusSession>(store, o);
    }

    app::CorpusPrefillReport prefill()
    {
        TerminalProgress bar;
        return corpus->prefill([&](std::int64_t done, std::int64_t total) { bar.update("prefill", std::uint64_t(done), std::uint64_t(total), ""); },
                               interruptFlag());
    }
};

json statsJson(const app::CacheStats& s)
{
    json tiers = json::object();
    for (int t = 0; t < 3; ++t)
        tiers[app::toString(app::CacheTier(t))] = {{"entries", s.tiers[t].entries}, {"bytes", s.tiers[t].bytes}, {"hits", s.tiers[t].hits}};
    return {{"tiers", tiers}, {"misses", s.misses}, {"dropped", s.dropped}, {"write_failures", s.writeFailures}};
}

// The attention mode, and in selected mode what the corpus prefill's queries read.
json attentionReport(const engine::AttentionOptions& options, const engine::AttentionStats& stats)
{
    json j = attentionJson(options);
    if (options.mode == engine::AttentionMode::Selected) {
        j["queries"] = stats.queries;
        j["selecting_queries"] = stats.selectingQueries;
        j["cold_blocks"] = stats.coldBlocks;
        j["selected_blocks"] = stats.selectedBlocks;
    }
    return j;
}

}  // namespace

int corpusBuildCommand(const GlobalOptions& g, const CorpusArgs& a)
{
    CorpusContext ctx(g, a, true);
    const auto report = ctx.prefill();
    const auto stats = ctx.corpus->cache()->stats();
    const auto& corpus = ctx.corpus->corpus();
    const std::size_t points = corpus.snapshotPoints(ctx.corpus->snapshotEvery()).size();
    const auto attention = attentionOptions(a.attention);
    const auto& selection = ctx.corpus->session().attentionStats();
    if (g.json) {
        printJson({{"documents", corpus.documents().size()}, {"tokens", corpus.tokens().size()},
               {"snapshot_points", points}, {"resumed_at", report.resumedAt},
               {"computed_tokens", report.computedTokens}, {"snapshots_saved", report.snapshotsSaved},
               {"restore_failures", report.restoreFailures},
               {"restore_seconds", report.restoreSeconds}, {"prefill_seconds", report.prefillSeconds},
               {"cancelled", report.cancelled}, {"cache", statsJson(stats)}, {"attention", attentionReport(attention, selection)}});
    } else {
        std::printf("corpus: %zu documents, %zu tokens, %zu snapshot points\n", corpus.documents().size(),
                    corpus.tokens().size(), points);
        std::printf("resumed at token %lld (%.2f s), computed %lld tokens in %.2f s (%.1f t/s), %d snapshots saved\n",
                    static_cast<long long>(report.resumedAt), report.restoreSeconds, static_cast<long long>(report.computedTokens),
                    report.prefillSeconds, report.prefillSeconds > 0 ? double(report.computedTokens) / report.prefillSeconds : 0.0,
                    report.snapshotsSaved);
        std::printf("attention: %s\n", describe(attention).c_str());
        if (selection.selectingQueries > 0)
            std::printf("selected attention: %llu of %llu queries left cold blocks out, reading %.1f of %.1f cold blocks on average\n",
                        static_cast<unsigned long long>(selection.selectingQueries), static_cast<unsigned long long>(selection.queries),
                        double(selection.selectedBlocks) / double(selection.selectingQueries),
                        double(selection.coldBlocks) / double(selection.selectingQueries));
        std::printf("cache on disk: %llu entries, %.1f MiB\n", static_cast<unsigned long long>(stats.tiers[2].entries),
                    double(stats.tiers[2].bytes) / 1048576);
        if (report.restoreFailures > 0)
            std::printf("%d cached state(s) could not be restored and were dropped (see the warnings above)\n", report.restoreFailures);
        if (stats.writeFailures > 0)
            std::printf("%llu cache entries could not be written to disk (see the warnings above): questions will compute "
                        "those parts of the corpus again; free some space and run it again\n",
                        static_cast<unsigned long long>(stats.writeFailures));
        if (report.cancelled) std::printf("Stopped early: run it again to continue from the last snapshot.\n");
    }
    // A build exists to leave the corpus's state on disk: one that could not is not a success.
    return report.cancelled || stats.writeFailures > 0 ? 1 : 0;
}

namespace {

json answerJson(const std::string& question, const app::AskAnswer& result)
{
    return {{"question", question}, {"answer", result.answer}, {"thinking", result.thinking},
            {"citations", json::parse(app::citationsToJson(result.citations))}, {"tokens", result.generation.tokens.size()},
            {"question_tokens", result.questionTokens}, {"stop_reason", result.generation.stopReason}};
}

void printSources(const app::AskAnswer& result)
{
    if (result.citations.empty()) return;
    std::cout << "\nSources:\n";
    for (const auto& c : result.citations) std::cout << "  [" << c.text << "]  " << app::describe(c) << "\n";
}

}  // namespace

std::vector<std::string> askedQuestions(const AskArgs& a)
{
    std::vector<std::string> questions;
    if (!a.question.empty()) {
        std::string question;
        for (const auto& w : a.question) question += (question.empty() ? "" : " ") + w;
        questions.push_back(question);
    }
    questions.insert(questions.end(), a.questions.begin(), a.questions.end());
    if (questions.empty()) throw std::runtime_error("ask: no question (give one, or --question once or more)");
    return questions;
}

int askCommand(const GlobalOptions& g, const AskArgs& a)
{
    const auto start = std::chrono::steady_clock::now();
    const std::vector<std::string> questions = askedQuestions(a);
    CorpusContext ctx(g, a.corpus, !a.noCache, thinkingOption(a.thinking));
    const auto report = ctx.prefill();
    if (report.cancelled) return 1;
    engine::GenerationOptions options = generationOptions(a.sampling);
    const bool several = !a.questions.empty();
    std::vector<double> firstToken(questions.size(), -1);
    std::vector<app::AskRequest> requests;
    for (std::size_t i = 0; i < questions.size(); ++i) {
        requests.push_back({questions[i], options});
        requests.back().options.afterPrefill = [&, i, several](const engine::Session& s) {
            if (!a.logitsFile.empty()) writeLogits(several ? a.logitsFile + "." + std::to_string(i + 1) : a.logitsFile, s.logits());
            firstToken[i] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        };
    }
    // One question streams as it is generated (thinking to stderr, the answer to stdout); several are printed
    // in order once all are answered.
    std::vector<app::AskAnswer> results;
    if (several)
        results = ctx.corpus->askAll(requests, a.parallel, interruptFlag());
    else
        results.push_back(ctx.corpus->ask(questions[0], requests[0].options,
                                          [&](std::string_view t) { if (!g.json) std::cerr << t << std::flush; },
                                          [&](std::string_view t) { if (!g.json) std::cout << t << std::flush; }, interruptFlag()));
    const auto& corpus = ctx.corpus->corpus();
    app::ContextCache* cache = ctx.corpus->cache();
    std::string scope;
    for (const auto& d : a.corpus.documents) scope += (scope.empty() ? "" : ", ") + d;
    const auto askedAt = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
    app::AskHistory history(ctx.store.directory());
    for (std::size_t i = 0; i < results.size(); ++i)
        history.add({0, askedAt.count(), scope.empty() ? "the whole workspace" : scope, questions[i], results[i].answer,
                     results[i].thinking, results[i].citations, a.corpus.model, results[i].generation.stopReason});
    const std::int64_t peak = peakResidentBytes();
    if (g.json) {
        json out = {{"prompt_format", ctx.corpus->prompt().formatName()}, {"corpus_documents", corpus.documents().size()},
                    {"corpus_tokens", corpus.tokens().size()}, {"resumed_at", report.resumedAt},
                    {"computed_tokens", report.computedTokens}, {"restore_failures", report.restoreFailures},
                    {"peak_rss_bytes", peak}, {"cache", cache ? statsJson(cache->stats()) : json(nullptr)},
                    {"attention", attentionJson(attentionOptions(a.corpus.attention))}};
        if (several) {
            json answers = json::array();
            for (std::size_t i = 0; i < results.size(); ++i) {
                answers.push_back(answerJson(questions[i], results[i]));
                answers.back()["time_to_first_token_seconds"] = firstToken[i];
            }
            out["answers"] = answers;
            out["parallel"] = a.parallel;
        } else {
            out.update(answerJson(questions[0], results[0]));
            out["time_to_first_token_seconds"] = firstToken[0];
        }
        printJson(out);
    } else {
        for (std::size_t i = 0; i < results.size(); ++i) {
            if (several) std::cout << (i > 0 ? "\n" : "") << "Q" << i + 1 << ": " << questions[i] << "\n" << results[i].answer;
            std::cout << "\n";
            printSources(results[i]);
        }
        std::cerr << "[corpus " << corpus.tokens().size() << " tokens, resumed at " << report.resumedAt << ", computed "
                  << report.computedTokens << "; first token after " << firstToken[0] << " s; peak memory "
                  << double(peak) / 1048576 << " MiB]\n";
        if (report.restoreFailures > 0)
            std::cerr << "[" << report.restoreFailures << " cached state(s) could not be restored and were dropped: see the warnings above]\n";
    }
    if (cache) cache->persist();
    return 0;
}

CompletionSite completionSite(const app::WorkspaceStore& store, const std::string& location)
{
    CompletionSite site;
    const auto [doc, line, column] = findFileLocation(store, location);
    for (const auto& d : store.documents(doc.sourceId)) site.documents.insert(d.id);
    const auto source = store.source(doc.sourceId);
    site.repositoryName = source ? std::filesystem::path(source->location).filename().string() : "";
    const std::string text = store.loadDocument(doc.id).text;
    std::size_t offset = 0;
    for (int l = 1; l < line; ++l) {
        const std::size_t nl = text.find('\n', offset);
        if (nl == std::string::npos)
            throw std::runtime_error(location + ": " + doc.path + " has only " + std::to_string(l) + " lines");
        offset = nl + 1;
    }
    const std::size_t lineEnd = std::min(text.find('\n', offset), text.size());
    if (offset + std::size_t(column - 1) > lineEnd)
        throw std::runtime_error(location + ": line " + std::to_string(line) + " has only " + std::to_string(lineEnd - offset) + " bytes");
    offset += std::size_t(column - 1);
    site.path = doc.path;
    site.prefix = text.substr(0, offset);
    site.suffix = text.substr(offset);
    return site;
}

int modelCompleteCommand(const GlobalOptions& g, const ModelCompleteArgs& a)
{
    const auto start = std::chrono::steady_clock::now();
    const CompletionSite site = completionSite(app::WorkspaceStore(workspaceDir(g)), a.location);
    app::CorpusSessionOptions o;
    o.purpose = app::CorpusPurpose::CodeCompletion;
    o.documents = site.documents;
    o.repositoryName = site.repositoryName;
    const std::string& path = site.path;
    CorpusContext ctx(g, a.corpus, !a.noCache, engine::Thinking::Default, o);
    const auto report = ctx.prefill();
    if (report.cancelled) return 1;
    engine::GenerationOptions options = generationOptions(a.sampling);
    double firstToken = -1;
    options.afterPrefill = [&](const engine::Session&) {
        firstToken = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    const auto completion = ctx.corpus->complete(path, site.prefix, site.suffix, options,
                                                 [&](std::string_view t) { if (!g.json) std::cout << t << std::flush; },
                                                 interruptFlag());
    const auto& corpus = ctx.corpus->corpus();
    app::ContextCache* cache = ctx.corpus->cache();
    if (g.json) {
        printJson({{"completion", completion.text}, {"form", completion.form}, {"path", path},
                   {"tokens", completion.generation.tokens.size()}, {"stop_reason", completion.generation.stopReason},
                   {"prompt_tokens", completion.promptTokens}, {"corpus_documents", corpus.documents().size()},
                   {"corpus_tokens", corpus.tokens().size()}, {"resumed_at", report.resumedAt},
                   {"computed_tokens", report.computedTokens}, {"restore_failures", report.restoreFailures},
                   {"time_to_first_token_seconds", firstToken}, {"cache", cache ? statsJson(cache->stats()) : json(nullptr)},
                   {"attention", attentionJson(attentionOptions(a.corpus.attention))}});
    } else {
        std::cout << "\n";
        std::cerr << "[" << completion.form << "; corpus " << corpus.tokens().size() << " tokens, resumed at " << report.resumedAt
                  << ", computed " << report.computedTokens << "; first token after " << firstToken << " s]\n";
    }
    if (cache) cache->persist();
    return 0;
}

int cacheStatsCommand(const GlobalOptions& g)
{
    const auto folder = workspaceDir(g) / "cache";
    const auto usage = app::ContextCache::diskUsage(folder);
    const std::uint64_t dropped = app::ContextCache::dropCount(folder);
    const auto recent = app::ContextCache::recentDrops(folder, 5);
    if (g.json) {
        json entries = json::array();
        for (const auto& u : usage)
            entries.push_back({{"fingerprint", u.fingerprint}, {"kind", u.kind}, {"entries", u.entries},
                               {"stored_bytes", u.storedBytes}, {"raw_bytes", u.rawBytes}});
        json drops = json::array();
        for (const auto& d : recent)
            drops.push_back({{"fingerprint", d.fingerprint}, {"kind", d.kind}, {"key", d.key}, {"reason", d.reason}, {"at_ms", d.atMs}});
        printJson({{"entries", entries}, {"dropped", dropped}, {"recent_drops", drops}});
        return 0;
    }
    if (usage.empty()) std::cout << "The context cache in " << folder.string() << " is empty.\n";
    for (const auto& u : usage)
        std::printf("model %s  %-9s %6llu entries  %8.1f MiB on disk (%.1f MiB before compression)\n",
                    u.fingerprint.substr(0, 12).c_str(), u.kind.c_str(), static_cast<unsigned long long>(u.entries),
                    double(u.storedBytes) / 1048576, double(u.rawBytes) / 1048576);
    if (dropped > 0) {
        std::printf("%llu entries dropped as unusable; the latest:\n", static_cast<unsigned long long>(dropped));
        for (const auto& d : recent)
            std::printf("  %s %s: %s\n", d.kind.c_str(), d.key.substr(0, 16).c_str(), d.reason.c_str());
    }
    return 0;
}

int cachePruneCommand(const GlobalOptions& g, std::uint64_t maxBytes)
{
    const auto folder = workspaceDir(g) / "cache";
    const std::uint64_t removed = app::ContextCache::pruneFolder(folder, maxBytes);
    if (g.json) printJson({{"removed_bytes", removed}});
    else std::printf("removed %.1f MiB from the context cache\n", double(removed) / 1048576);
    return 0;
}

}  // namespace folio::cli
