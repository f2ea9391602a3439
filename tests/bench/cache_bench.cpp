// Context-cache benchmark (not a test): a corpus of N tokens read once (cold prefill, snapshots every 1024
// tokens), then a follow-up question resumed from RAM and from disk; the time to its first token against the
// cold prefill, as ratios in one run, and the bytes each tier holds per 1K tokens.
//
//   cache_bench MODEL.gguf [--tokens 4096] [--threads 2]
// MODEL: any model of the family, e.g. the one engine_bench writes (random weights, realistic shape).

#include "folio/app/context_cache.h"
#include "folio/app/corpus_runner.h"
#include "folio/engine/model.h"
#include "folio/engine/session.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include <unistd.h>

using namespace folio;

namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: cache_bench MODEL.gguf [--tokens N] [--threads T]\n");
        return 2;
    }
    const std::string modelPath = argv[1];
    std::int64_t n = 4096;
    int threads = 2;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--tokens") n = std::stoll(argv[i + 1]);
        else if (a == "--threads") threads = std::stoi(argv[i + 1]);
    }
    const auto model = engine::Model::load(modelPath);
    const auto vocab = model->config().vocab;
    std::vector<std::int32_t> tokens(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < tokens.size(); ++i) tokens[i] = std::int32_t((i * 7919 + 17) % std::size_t(vocab));
    std::vector<std::int64_t> points;
    for (std::int64_t p = 1024; p < n; p += 1024) points.push_back(p);
    points.push_back(n);
    std::vector<std::int32_t> question(16);
    for (std::size_t i = 0; i < question.size(); ++i) question[i] = std::int32_t((i * 31 + 5) % std::size_t(vocab));

    const auto folder = std::filesystem::temp_directory_path() / ("folio-cache-bench-" + std::to_string(::getpid()));
    const engine::SessionOptions options{threads, n + 64, 64};
    const std::string fingerprint = app::modelFingerprint(folder, modelPath, options);
    app::CacheBudgets budgets{8ull << 30, 8ull << 30, 64ull << 30};

    // Time to first token of the question: (restore or prefill the corpus) + question prefill + one decode.
    auto firstToken = [&](app::ContextCache* cache, app::CorpusPrefillReport* report) {
        engine::Session s(*model, options);
        const double t0 = now();
        *report = app::CorpusRunner(s, cache).prefill(tokens, points);
        s.prefill(question);
        s.decode(std::int32_t(std::max_element(s.logits().begin(), s.logits().end()) - s.logits().begin()));
        return now() - t0;
    };
    app::CorpusPrefillReport cold, ram, disk;
    double coldSeconds, ramSeconds, diskSeconds;
    std::uint64_t hotBytes = 0, diskBytes = 0;
    {
        app::ContextCache cache(folder, fingerprint, budgets);
        coldSeconds = firstToken(&cache, &cold);
        hotBytes = cache.stats().tiers[0].bytes;
        cache.demoteAll(app::CacheTier::Warm);
        ramSeconds = firstToken(&cache, &ram);
        cache.demoteAll(app::CacheTier::Disk);
        diskBytes = cache.stats().tiers[2].bytes;
    }
    {
        app::ContextCache cache(folder, fingerprint, budgets);  // a new process: only the disk tier
        diskSeconds = firstToken(&cache, &disk);
    }
    std::filesystem::remove_all(folder);

    std::printf("corpus %lld tokens, %zu snapshots, %d threads\n", static_cast<long long>(n), points.size(), threads);
    std::printf("cold: prefill of everything + question: %.2f s (%.1f t/s)\n", coldSeconds, double(n) / cold.prefillSeconds);
    std::printf("resume from RAM:  first token after %.3f s (restore %.3f s) = %.2f%% of cold\n", ramSeconds, ram.restoreSeconds,
                100 * ramSeconds / coldSeconds);
    std::printf("resume from disk: first token after %.3f s (restore %.3f s) = %.2f%% of cold\n", diskSeconds, disk.restoreSeconds,
                100 * diskSeconds / coldSeconds);
    std::printf("bytes per 1K tokens: memory tiers %.2f MiB, disk %.2f MiB (zstd)\n", double(hotBytes) / 1048576 / (double(n) / 1000),
                double(diskBytes) / 1048576 / (double(n) / 1000));
    // The resume must reach the corpus end from both tiers, whatever the model's context length: a state the
    // engine refuses is dropped and counted (restore failures), and the run resumes earlier.
    const bool resumedAtEnd = ram.resumedAt == n && disk.resumedAt == n;
    std::printf("resumed at %lld (RAM), %lld (disk) of %lld; restore failures %d; model context length %lld\n",
                static_cast<long long>(ram.resumedAt), static_cast<long long>(disk.resumedAt), static_cast<long long>(n),
                ram.restoreFailures + disk.restoreFailures, static_cast<long long>(model->config().contextLength));
    if (!resumedAtEnd) std::printf("FAILED: a resume did not reach the corpus end\n");
    return resumedAtEnd ? 0 : 1;
}
