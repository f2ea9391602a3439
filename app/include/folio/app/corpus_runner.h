#pragma once

// Reads a corpus into an engine session once and resumes from saved states afterwards. The corpus is
// prefilled in the segments between its snapshot points; after each segment the recurrent state and the
// segment's attention KV are put in the context cache under a hash chain over the segments and the model
// fingerprint. A later run restores the furthest point whose state and every earlier KV segment are cached,
// and prefills only the rest: because both runs prefill the same segments, the result is bitwise the same as
// without the cache. A cached state the engine refuses is dropped with a warning and counted, never silently
// recomputed.

#include "folio/app/context_cache.h"
#include "folio/app/corpus.h"
#include "folio/engine/generation.h"
#include "folio/engine/session.h"

#include <atomic>
#include <functional>
#include <string>

namespace folio::app {

// SHA-256 of the model file (remembered per path, size and modification time in the cache folder, so a
// multi-gigabyte file is read once) combined with the session's numerics signature.
std::string modelFingerprint(const std::filesystem::path& cacheFolder, const std::string& modelPath,
                             const engine::SessionOptions& options);

struct CorpusPrefillReport {
    std::int64_t resumedAt = 0;      // tokens restored from the cache
    std::int64_t computedTokens = 0;
    int snapshotsSaved = 0;
    int restoreFailures = 0;         // cached states the engine refused: each one dropped with a warning
    double restoreSeconds = 0, prefillSeconds = 0;
    bool cancelled = false;
};

class CorpusRunner {
public:
    using Progress = std::function<void(std::int64_t done, std::int64_t total)>;

    // `cache` may be null: then nothing is read or saved (the slow way, for comparison).
    CorpusRunner(engine::Session& session, ContextCache* cache);

    // Brings the session to the end of tokens[0, points.back()], resuming from the cache where it can.
    CorpusPrefillReport prefill(const std::vector<std::int32_t>& tokens, const std::vector<std::int64_t>& points,
                                const Progress& progress = {}, const std::atomic<bool>* cancel = nullptr);

    // The chain keys of the points: key i names the state after points[i].
    std::vector<std::string> pointKeys(const std::vector<std::int32_t>& tokens, const std::vector<std::int64_t>& points) const;

private:
    // Restores the furthest point it can and returns the index of the first segment still to compute.
    std::size_t restoreFurthest(const std::vector<std::int32_t>& tokens, const std::vector<std::int64_t>& points,
                                const std::vector<std::string>& keys, CorpusPrefillReport& report);

    engine::Session& session_;
    ContextCache* cache_;
};

}  // namespace folio::app
