#include "corpus_commands.h"

#include "cli_support.h"
#include "terminal_progress.h"

#include "folio/app/context_cache.h"
#include "folio/app/corpus.h"
#include "folio/app/corpus_runner.h"
#include "folio/app/workspace_store.h"
#include "folio/engine/generation.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace folio::cli {
namespace {

using nlohmann::json;

// Everything a corpus command needs, opened in order: store, model, tokenizer, corpus, cache, session.
struct CorpusContext {
    app::WorkspaceStore store;
    std::unique_ptr<engine::Model> model;
    std::unique_ptr<engine::Tokenizer> tokenizer;
    app::Corpus corpus;
    std::vector<std::int64_t> points;
    engine::SessionOptions sessionOptions;
    std::unique_ptr<app::ContextCache> cache;
    std::unique_ptr<engine::Session> session;

    CorpusContext(const GlobalOptions& g, const CorpusArgs& a, bool withCache) : store(workspaceDir(g))
    {
        model = engine::Model::load(a.model, weightMemory(a.weights, a.model));
        tokenizer = std::make_unique<engine::Tokenizer>(model->file());
        corpus = app::Corpus::build(store, *tokenizer);
        if (corpus.documents().empty())
            throw std::runtime_error("the workspace " + store.directory().string() + " has no readable documents: run 'folio ingest' first");
        points = corpus.snapshotPoints(a.snapshotEvery);
        const std::int64_t trained = model->config().contextLength;
        if (trained > 0 && std::int64_t(corpus.tokens().size()) > trained)
            std::cerr << "warning: the corpus has " << corpus.tokens().size() << " tokens, more than the context length of "
                      << trained << " that " << a.model << " was trained for; positions past it may give worse answers\n";
        sessionOptions.threads = a.threads;
        sessionOptions.maxContext = std::int64_t(corpus.tokens().size()) + 1024;
        if (withCache) {
            const auto folder = store.directory() / "cache";
            cache = std::make_unique<app::ContextCache>(folder, app::modelFingerprint(folder, a.model, sessionOptions),
                                                        app::CacheBudgets{},
                                                        [](const std::string& w) { std::cerr << "warning: " << w << "\n"; });
        }
        session = std::make_unique<engine::Session>(*model, sessionOptions);
    }

    app::CorpusPrefillReport prefill()
    {
        TerminalProgress bar;
        app::CorpusRunner runner(*session, cache.get());
        auto report = runner.prefill(corpus.tokens(), points,
                                     [&](std::int64_t done, std::int64_t total) { bar.update("prefill", std::uint64_t(done), std::uint64_t(total), ""); },
                                     interruptFlag());
        bar.finish();
        if (cache) cache->persist();
        return report;
    }
};

json statsJson(const app::CacheStats& s)
{
    json tiers = json::object();
    for (int t = 0; t < 3; ++t)
        tiers[app::toString(app::CacheTier(t))] = {{"entries", s.tiers[t].entries}, {"bytes", s.tiers[t].bytes}, {"hits", s.tiers[t].hits}};
    return {{"tiers", tiers}, {"misses", s.misses}, {"dropped", s.dropped}, {"write_failures", s.writeFailures}};
}

}  // namespace

int corpusBuildCommand(const GlobalOptions& g, const CorpusArgs& a)
{
    CorpusContext ctx(g, a, true);
    const auto report = ctx.prefill();
    const auto stats = ctx.cache->stats();
    if (g.json) {
        printJson({{"documents", ctx.corpus.documents().size()}, {"tokens", ctx.corpus.tokens().size()},
               {"snapshot_points", ctx.points.size()}, {"resumed_at", report.resumedAt},
               {"computed_tokens", report.computedTokens}, {"snapshots_saved", report.snapshotsSaved},
               {"restore_failures", report.restoreFailures},
               {"restore_seconds", report.restoreSeconds}, {"prefill_seconds", report.prefillSeconds},
               {"cancelled", report.cancelled}, {"cache", statsJson(stats)}});
    } else {
        std::printf("corpus: %zu documents, %zu tokens, %zu snapshot points\n", ctx.corpus.documents().size(),
                    ctx.corpus.tokens().size(), ctx.points.size());
        std::printf("resumed at token %lld (%.2f s), computed %lld tokens in %.2f s (%.1f t/s), %d snapshots saved\n",
                    static_cast<long long>(report.resumedAt), report.restoreSeconds, static_cast<long long>(report.computedTokens),
                    report.prefillSeconds, report.prefillSeconds > 0 ? double(report.computedTokens) / report.prefillSeconds : 0.0,
                    report.snapshotsSaved);
        std::printf("cache on disk: %llu entries, %.1f MiB\n", static_cast<unsigned long long>(stats.tiers[2].entries),
                    double(stats.tiers[2].bytes) / 1048576);
        if (report.restoreFailures > 0)
            std::printf("%d cached state(s) could not be restored and were dropped (see the warnings above)\n", report.restoreFailures);
        if (report.cancelled) std::printf("Stopped early: run it again to continue from the last snapshot.\n");
    }
    return report.cancelled ? 1 : 0;
}

int askCommand(const GlobalOptions& g, const AskArgs& a)
{
    const auto start = std::chrono::steady_clock::now();
    CorpusContext ctx(g, a.corpus, !a.noCache);
    const auto report = ctx.prefill();
    if (report.cancelled) return 1;
    std::string question;
    for (const auto& w : a.question) question += (question.empty() ? "" : " ") + w;
    engine::GenerationOptions options;
    options.maxTokens = a.sampling.maxTokens;
    options.sampling = {a.sampling.temperature, a.sampling.topK, a.sampling.topP, a.sampling.repeatPenalty, 64, a.sampling.seed};
    options.stop = a.sampling.stop;
    double firstToken = -1;
    const auto promptTokens = ctx.tokenizer->encode(app::questionPrompt(question), false);
    options.afterPrefill = [&](const engine::Session& s) {
        if (!a.logitsFile.empty()) writeLogits(a.logitsFile, s.logits());
        firstToken = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    const auto result = engine::generate(*ctx.session, *ctx.tokenizer, std::span<const std::int32_t>(promptTokens), options,
                                         [&](std::string_view text) {
                                             if (!g.json) {
                                                 std::cout << text;
                                                 std::cout.flush();
                                             }
                                             return true;
                                         }, interruptFlag());
    if (g.json) {
        printJson({{"answer", result.text}, {"tokens", result.tokens.size()}, {"stop_reason", result.stopReason},
               {"corpus_tokens", ctx.corpus.tokens().size()}, {"resumed_at", report.resumedAt},
               {"computed_tokens", report.computedTokens}, {"question_tokens", promptTokens.size()},
               {"restore_failures", report.restoreFailures}, {"time_to_first_token_seconds", firstToken},
               {"cache", a.noCache ? json(nullptr) : statsJson(ctx.cache->stats())}});
    } else {
        std::cout << "\n";
        std::cerr << "[corpus " << ctx.corpus.tokens().size() << " tokens, resumed at " << report.resumedAt << ", computed "
                  << report.computedTokens << "; first token after " << firstToken << " s]\n";
        if (report.restoreFailures > 0)
            std::cerr << "[" << report.restoreFailures << " cached state(s) could not be restored and were dropped: see the warnings above]\n";
    }
    if (ctx.cache) ctx.cache->persist();
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
