#include "folio/app/corpus_runner.h"

#include <QCryptographicHash>

#include <chrono>

namespace folio::app {
namespace {

double secondsSince(std::chrono::steady_clock::time_point t)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

std::string modelFingerprint(const std::filesystem::path& cacheFolder, const std::string& modelPath,
                             const engine::SessionOptions& options)
{
    const std::string sha = ContextCache::fileSha256(cacheFolder, modelPath);
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(QByteArray::fromStdString(sha + "|" + engine::numericsSignature(options)));
    return h.result().toHex().toStdString();
}

CorpusRunner::CorpusRunner(engine::Session& session, ContextCache* cache) : session_(session), cache_(cache) {}

std::vector<std::string> CorpusRunner::pointKeys(const std::vector<std::int32_t>& tokens,
                                                 const std::vector<std::int64_t>& points) const
{
    std::vector<std::string> keys;
    QByteArray previous = QByteArray::fromStdString(cache_ ? cache_->fingerprint() : std::string());
    std::int64_t begin = 0;
    for (std::int64_t end : points) {
        QCryptographicHash h(QCryptographicHash::Sha256);
        h.addData(previous);
        h.addData(QByteArrayView(reinterpret_cast<const char*>(&begin), sizeof begin));
        h.addData(QByteArrayView(reinterpret_cast<const char*>(&end), sizeof end));
        h.addData(QByteArrayView(reinterpret_cast<const char*>(tokens.data() + begin), qsizetype((end - begin) * 4)));
        previous = h.result();
        keys.push_back(previous.toHex().toStdString());
        begin = end;
    }
    return keys;
}

std::size_t CorpusRunner::restoreFurthest(const std::vector<std::int32_t>& tokens, const std::vector<std::int64_t>& points,
                                          const std::vector<std::string>& keys, CorpusPrefillReport& report)
{
    // Point i can be resumed when its recurrent state and the KV segments of points 0..i are all cached: only
    // points below the first missing KV segment qualify, tried from the furthest down.
    std::size_t kvCached = 0;
    while (kvCached < points.size() && cache_->contains("kv", keys[kvCached])) ++kvCached;
    for (std::size_t i = kvCached; i-- > 0;) {
        if (!cache_->contains("recurrent", keys[i])) continue;
        // A damaged entry is dropped by the cache as it is read: then this point, or the points from that KV
        // segment on, cannot be resumed.
        const auto recurrent = cache_->get("recurrent", keys[i]);
        if (!recurrent) continue;
        std::vector<std::shared_ptr<const CacheBytes>> kv;
        for (std::size_t j = 0; j <= i; ++j) {
            kv.push_back(cache_->get("kv", keys[j]));
            if (!kv.back()) break;
        }
        if (!kv.back()) {
            i = kv.size() - 1;  // the loop goes on at the point before the missing segment
            continue;
        }
        std::vector<std::span<const std::uint8_t>> ranges;
        for (const auto& k : kv) ranges.emplace_back(*k);
        try {
            session_.restoreParts(*recurrent, ranges, std::span(tokens).first(std::size_t(points[i])));
            report.resumedAt = points[i];
            return i + 1;
        } catch (const engine::StateRestoreError& e) {
            // Entries that pass the cache's checks but not the engine's are a defect, never a quiet recompute:
            // the cache warns with the reason, drops exactly the part at fault and counts it.
            ++report.restoreFailures;
            const std::size_t part = e.part() == engine::StateRestoreError::kRecurrentState ? i : std::size_t(e.part());
            const char* kind = e.part() == engine::StateRestoreError::kRecurrentState ? "recurrent" : "kv";
            cache_->drop(kind, keys[part], "the state at token " + std::to_string(points[part]) + " cannot be restored ("
                                               + e.what() + ")");
            if (e.part() != engine::StateRestoreError::kRecurrentState) i = part;
        }
    }
    session_.reset();
    return 0;
}

CorpusPrefillReport CorpusRunner::prefill(const std::vector<std::int32_t>& tokens, const std::vector<std::int64_t>& points,
                                          const Progress& progress, const std::atomic<bool>* cancel)
{
    CorpusPrefillReport report;
    session_.reset();
    const std::vector<std::string> keys = pointKeys(tokens, points);
    std::size_t next = 0;  // the first segment still to compute
    auto t0 = std::chrono::steady_clock::now();
    if (cache_) next = restoreFurthest(tokens, points, keys, report);
    report.restoreSeconds = secondsSince(t0);
    t0 = std::chrono::steady_clock::now();
    const std::int64_t total = points.empty() ? 0 : points.back();
    for (std::size_t i = next; i < points.size(); ++i) {
        const std::int64_t begin = i == 0 ? 0 : points[i - 1];
        session_.prefill(std::span(tokens).subspan(std::size_t(begin), std::size_t(points[i] - begin)), cancel);
        if (cancel && cancel->load()) {
            report.cancelled = true;
            break;
        }
        report.computedTokens += points[i] - begin;
        if (cache_) {
            cache_->put("kv", keys[i], session_.saveKv(begin, points[i]));
            cache_->put("recurrent", keys[i], session_.saveRecurrentState());
            ++report.snapshotsSaved;
        }
        if (progress) progress(points[i], total);
    }
    report.prefillSeconds = secondsSince(t0);
    return report;
}

}  // namespace folio::app
