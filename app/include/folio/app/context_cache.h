#pragma once

// The tiered context cache: saved engine states keyed by what produced them, kept in three tiers with byte
// budgets. Hot and warm are in-process memory (on a GPU build hot is device memory; on the CPU it is the
// arena the engine reads from directly), cold is files in the workspace's cache folder, zstd-compressed with a
// checksum, indexed in SQLite so several processes share them. Least recently used entries move down a tier
// when a budget is exceeded, and up to hot when used. Every read is verified: a damaged, truncated or foreign
// entry is dropped with a warning and reported as a miss, so the cache can make Folio faster, never wrong.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace folio::app {

using CacheBytes = std::vector<std::uint8_t>;

struct CacheBudgets {
    std::uint64_t hotBytes = 256ull << 20;
    std::uint64_t warmBytes = 2ull << 30;
    std::uint64_t diskBytes = 32ull << 30;
};

enum class CacheTier { Hot = 0, Warm = 1, Disk = 2 };
const char* toString(CacheTier tier);

struct CacheTierStats {
    std::uint64_t entries = 0, bytes = 0;  // bytes as stored (compressed on disk)
    std::uint64_t hits = 0;
};

struct CacheStats {
    CacheTierStats tiers[3];
    std::uint64_t misses = 0, dropped = 0, writeFailures = 0;
};

// What a cache folder holds on disk, per model fingerprint and kind of entry.
struct CacheDiskUsage {
    std::string fingerprint, kind;
    std::uint64_t entries = 0, storedBytes = 0, rawBytes = 0;
};

// An entry removed because it could not be used (damaged on disk, or a state the engine refused), as the
// cache folder records it for `folio cache stats`.
struct CacheDrop {
    std::string fingerprint, kind, key, reason;
    std::int64_t atMs = 0;  // Unix time
};

class ContextCache {
public:
    static std::vector<CacheDiskUsage> diskUsage(const std::filesystem::path& folder);
    // How many entries were dropped in this folder, and the most recent `limit` of them, newest first.
    static std::uint64_t dropCount(const std::filesystem::path& folder);
    static std::vector<CacheDrop> recentDrops(const std::filesystem::path& folder, int limit);
    // SHA-256 of a file, remembered in the folder's index per path, size and modification time.
    static std::string fileSha256(const std::filesystem::path& folder, const std::string& path);
    // prune() for a whole cache folder, whatever the models.
    static std::uint64_t pruneFolder(const std::filesystem::path& folder, std::uint64_t maxBytes);

    using Warning = std::function<void(const std::string&)>;

    // `folder`: the workspace's cache folder (created). `fingerprint`: the model and every setting that changes
    // numerics; entries of other fingerprints in the same folder are never hits.
    ContextCache(std::filesystem::path folder, std::string fingerprint, CacheBudgets budgets = {}, Warning warn = {});
    ~ContextCache();
    ContextCache(const ContextCache&) = delete;
    ContextCache& operator=(const ContextCache&) = delete;

    // The bytes of (kind, key), from the highest tier that has them; promoted to hot.
    std::shared_ptr<const CacheBytes> get(const std::string& kind, const std::string& key);
    // Whether a tier has (kind, key), without reading it.
    bool contains(const std::string& kind, const std::string& key) const;
    std::optional<CacheTier> tierOf(const std::string& kind, const std::string& key) const;
    void put(const std::string& kind, const std::string& key, CacheBytes bytes);
    // Removes (kind, key) from every tier because its user found it unusable (a state the engine cannot
    // restore): warned about with the reason, counted in stats().dropped and recorded in the folder.
    void drop(const std::string& kind, const std::string& key, const std::string& reason);

    // Writes every in-memory entry that is not on disk yet: what a short-lived process does before it exits.
    void persist();
    // Moves every hot entry to warm, or every memory entry to disk (benchmarks and tests of the tiers).
    void demoteAll(CacheTier to);
    // Removes the least recently used disk entries (of every fingerprint) until at most `maxBytes` remain;
    // returns the bytes removed.
    std::uint64_t prune(std::uint64_t maxBytes);

    CacheStats stats() const;
    const std::string& fingerprint() const;
    const std::filesystem::path& folder() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

}  // namespace folio::app
