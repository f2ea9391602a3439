#include "folio/app/context_cache.h"

#include "sqlite.h"

#include <zstd.h>

#include <QCryptographicHash>
#include <QFile>

#include <chrono>
#include <cstring>
#include <fstream>
#include <list>
#include <mutex>
#include <unordered_map>

#include <unistd.h>

namespace fs = std::filesystem;

namespace folio::app {
namespace {

constexpr char kMagic[8] = {'F', 'O', 'L', 'I', 'O', 'C', 'C', '1'};
constexpr int kZstdLevel = 1;  // states are mostly float noise: a fast level keeps nearly all of the gain

// The cache folder's index, shared by every process that uses the folder: one row per disk entry, and the
// hashes of model files already read (a multi-gigabyte file is hashed once per path, size and time).
std::unique_ptr<sqlite::Database> openIndex(const fs::path& folder)
{
    fs::create_directories(folder);
    auto db = std::make_unique<sqlite::Database>((folder / "cache.sqlite").string());
    db->exec("PRAGMA journal_mode = WAL");
    db->exec("CREATE TABLE IF NOT EXISTS entries (fingerprint TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, "
             "file TEXT NOT NULL, raw_bytes INTEGER NOT NULL, stored_bytes INTEGER NOT NULL, last_used INTEGER NOT NULL, "
             "PRIMARY KEY (fingerprint, kind, key)) WITHOUT ROWID");
    db->exec("CREATE TABLE IF NOT EXISTS model_files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, "
             "mtime INTEGER NOT NULL, sha256 TEXT NOT NULL)");
    // Every entry dropped as unusable, so that a defect which keeps recomputing states shows in `cache stats`
    // instead of only as a warning that scrolled past.
    db->exec("CREATE TABLE IF NOT EXISTS drops (fingerprint TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, "
             "reason TEXT NOT NULL, at INTEGER NOT NULL)");
    return db;
}

std::int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void putString(std::string& out, const std::string& s)
{
    const auto n = std::uint16_t(s.size());
    out.append(reinterpret_cast<const char*>(&n), 2);
    out += s;
}

struct MemoryEntry {
    std::string id, kind, key;
    std::shared_ptr<const CacheBytes> bytes;
    bool onDisk = false;
};

// One in-memory tier: an LRU list (front = most recently used) with a byte count.
struct MemoryTier {
    std::list<MemoryEntry> lru;
    std::unordered_map<std::string, std::list<MemoryEntry>::iterator> index;
    std::uint64_t bytes = 0, budget = 0, hits = 0;

    void pushFront(MemoryEntry e)
    {
        bytes += e.bytes->size();
        lru.push_front(std::move(e));
        index[lru.front().id] = lru.begin();
    }
    MemoryEntry take(std::list<MemoryEntry>::iterator it)
    {
        MemoryEntry e = std::move(*it);
        bytes -= e.bytes->size();
        index.erase(e.id);
        lru.erase(it);
        return e;
    }
};

// Removes least recently used disk entries of every model until at most maxBytes remain. `removed` hears of each.
std::uint64_t pruneDisk(sqlite::Database& db, const fs::path& folder, std::uint64_t maxBytes,
                        const std::function<void(const std::string& fingerprint, const std::string& kind, const std::string& key)>& removedEntry)
{
    std::uint64_t total = 0;
    {
        auto s = db.prepare("SELECT coalesce(sum(stored_bytes), 0) FROM entries");
        s.step();
        total = std::uint64_t(s.integer(0));
    }
    std::uint64_t removed = 0;
    while (total > maxBytes) {
        auto s = db.prepare("SELECT fingerprint, kind, key, file, stored_bytes FROM entries ORDER BY last_used LIMIT 64");
        std::vector<std::tuple<std::string, std::string, std::string, std::string, std::uint64_t>> victims;
        while (s.step()) victims.emplace_back(s.text(0), s.text(1), s.text(2), s.text(3), std::uint64_t(s.integer(4)));
        if (victims.empty()) break;
        for (const auto& [fp, kind, key, file, size] : victims) {
            if (total <= maxBytes) break;
            std::error_code ec;
            fs::remove(folder / fp.substr(0, 16) / file, ec);  // each model's entries have their own sub-folder
            db.prepare("DELETE FROM entries WHERE fingerprint = ? AND kind = ? AND key = ?").bind(1, fp).bind(2, kind).bind(3, key).run();
            total -= std::min(total, size);
            removed += size;
            if (removedEntry) removedEntry(fp, kind, key);
        }
    }
    return removed;
}

}  // namespace

const char* toString(CacheTier tier)
{
    switch (tier) {
    case CacheTier::Hot: return "hot";
    case CacheTier::Warm: return "warm";
    case CacheTier::Disk: return "disk";
    }
    return "?";
}

struct ContextCache::Impl {
    fs::path folder, entriesFolder;
    std::string fingerprint;
    CacheBudgets budgets;
    Warning warn;
    std::unique_ptr<sqlite::Database> db;
    MemoryTier hot, warm;
    std::uint64_t diskHits = 0, misses = 0, dropped = 0, writeFailures = 0;
    mutable std::mutex mutex;

    static std::string idOf(const std::string& kind, const std::string& key) { return kind + "/" + key; }
    fs::path fileOf(const std::string& kind, const std::string& key) const { return entriesFolder / (kind + "-" + key + ".zst"); }

    void warning(const std::string& text) const
    {
        if (warn) warn(text);
    }

    // Hot overflow goes to warm, warm overflow to disk.
    void enforceBudgets()
    {
        while (hot.bytes > budgets.hotBytes && !hot.lru.empty()) warm.pushFront(hot.take(std::prev(hot.lru.end())));
        while (warm.bytes > budgets.warmBytes && !warm.lru.empty()) {
            MemoryEntry e = warm.take(std::prev(warm.lru.end()));
            if (!e.onDisk) writeToDisk(e.kind, e.key, *e.bytes);
        }
    }

    bool writeToDisk(const std::string& kind, const std::string& key, const CacheBytes& bytes)
    {
        std::string header(kMagic, 8);
        const std::uint64_t raw = bytes.size();
        header.append(reinterpret_cast<const char*>(&raw), 8);
        putString(header, fingerprint);
        putString(header, kind);
        putString(header, key);
        std::string compressed(ZSTD_compressBound(bytes.size()), '\0');
        ZSTD_CCtx* cctx = ZSTD_createCCtx();
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, kZstdLevel);
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
        const std::size_t n = ZSTD_compress2(cctx, compressed.data(), compressed.size(), bytes.data(), bytes.size());
        ZSTD_freeCCtx(cctx);
        if (ZSTD_isError(n)) {
            ++writeFailures;
            warning(std::string("context cache: cannot compress an entry: ") + ZSTD_getErrorName(n));
            return false;
        }
        compressed.resize(n);
        const fs::path file = fileOf(kind, key);
        // Written aside and renamed: a reader in another process sees the whole file or none.
        const fs::path tmp = file.string() + ".tmp" + std::to_string(::getpid());
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            out.write(header.data(), std::streamsize(header.size()));
            out.write(compressed.data(), std::streamsize(compressed.size()));
            out.close();
            if (!out) {
                std::error_code ec;
                fs::remove(tmp, ec);
                ++writeFailures;
                warning("context cache: cannot write " + file.string() + " (disk full?); the entry stays in memory only");
                return false;
            }
        }
        std::error_code ec;
        fs::rename(tmp, file, ec);
        if (ec) {
            warning("context cache: cannot move " + tmp.string() + " to " + file.string() + ": " + ec.message()
                    + "; the entry stays in memory only");
            fs::remove(tmp, ec);
            ++writeFailures;
            return false;
        }
        db->prepare("INSERT OR REPLACE INTO entries (fingerprint, kind, key, file, raw_bytes, stored_bytes, last_used) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(1, fingerprint).bind(2, kind).bind(3, key).bind(4, file.filename().string())
            .bind(5, std::int64_t(raw)).bind(6, std::int64_t(header.size() + compressed.size())).bind(7, nowMs()).run();
        pruneLocked(budgets.diskBytes);
        return true;
    }

    // Removes (kind, key) from every tier and records why.
    void drop(const std::string& kind, const std::string& key, const std::string& why)
    {
        ++dropped;
        warning("context cache: dropped " + kind + " " + key.substr(0, 16) + ": " + why + "; it will be recomputed");
        const std::string id = idOf(kind, key);
        for (MemoryTier* t : {&hot, &warm})
            if (auto it = t->index.find(id); it != t->index.end()) t->take(it->second);
        std::error_code ec;
        fs::remove(fileOf(kind, key), ec);
        db->prepare("DELETE FROM entries WHERE fingerprint = ? AND kind = ? AND key = ?")
            .bind(1, fingerprint).bind(2, kind).bind(3, key).run();
        db->prepare("INSERT INTO drops (fingerprint, kind, key, reason, at) VALUES (?, ?, ?, ?, ?)")
            .bind(1, fingerprint).bind(2, kind).bind(3, key).bind(4, why).bind(5, nowMs()).run();
    }

    std::shared_ptr<const CacheBytes> readFromDisk(const std::string& kind, const std::string& key)
    {
        {
            auto s = db->prepare("SELECT 1 FROM entries WHERE fingerprint = ? AND kind = ? AND key = ?");
            s.bind(1, fingerprint).bind(2, kind).bind(3, key);
            if (!s.step()) return nullptr;
        }
        std::ifstream in(fileOf(kind, key), std::ios::binary);
        if (!in) {
            drop(kind, key, "its file is missing");
            return nullptr;
        }
        std::string data((std::istreambuf_iterator<char>(in)), {});
        std::size_t pos = 0;
        auto readString = [&](std::string* out) {
            if (pos + 2 > data.size()) return false;
            std::uint16_t n;
            std::memcpy(&n, data.data() + pos, 2);
            pos += 2;
            if (pos + n > data.size()) return false;
            *out = data.substr(pos, n);
            pos += n;
            return true;
        };
        std::uint64_t raw = 0;
        std::string fp, k, y;
        if (data.size() < 16 || std::memcmp(data.data(), kMagic, 8) != 0) {
            drop(kind, key, "not a cache file");
            return nullptr;
        }
        std::memcpy(&raw, data.data() + 8, 8);
        pos = 16;
        if (!readString(&fp) || !readString(&k) || !readString(&y) || fp != fingerprint || k != kind || y != key) {
            drop(kind, key, "its header names another entry or model");
            return nullptr;
        }
        const unsigned long long frameSize = ZSTD_getFrameContentSize(data.data() + pos, data.size() - pos);
        if (frameSize != raw) {
            drop(kind, key, "truncated or damaged");
            return nullptr;
        }
        auto bytes = std::make_shared<CacheBytes>(raw);
        const std::size_t n = ZSTD_decompress(bytes->data(), bytes->size(), data.data() + pos, data.size() - pos);
        if (ZSTD_isError(n) || n != raw) {
            drop(kind, key, std::string("checksum or data error (") + (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "size") + ")");
            return nullptr;
        }
        db->prepare("UPDATE entries SET last_used = ? WHERE fingerprint = ? AND kind = ? AND key = ?")
            .bind(1, nowMs()).bind(2, fingerprint).bind(3, kind).bind(4, key).run();
        return bytes;
    }

    std::uint64_t pruneLocked(std::uint64_t maxBytes)
    {
        return pruneDisk(*db, folder, maxBytes, [&](const std::string& fp, const std::string& kind, const std::string& key) {
            if (fp != fingerprint) return;
            for (MemoryTier* t : {&hot, &warm}) {
                auto it = t->index.find(idOf(kind, key));
                if (it != t->index.end()) it->second->onDisk = false;
            }
        });
    }
};

ContextCache::ContextCache(fs::path folder, std::string fingerprint, CacheBudgets budgets, Warning warn)
    : d(std::make_unique<Impl>())
{
    d->folder = std::move(folder);
    d->fingerprint = std::move(fingerprint);
    d->budgets = budgets;
    d->warn = std::move(warn);
    d->hot.budget = budgets.hotBytes;
    d->warm.budget = budgets.warmBytes;
    d->entriesFolder = d->folder / d->fingerprint.substr(0, 16);
    fs::create_directories(d->entriesFolder);
    d->db = openIndex(d->folder);
}

ContextCache::~ContextCache() = default;

std::uint64_t ContextCache::pruneFolder(const fs::path& folder, std::uint64_t maxBytes)
{
    if (!fs::exists(folder / "cache.sqlite")) return 0;  // nothing cached: do not create an index just to prune
    return pruneDisk(*openIndex(folder), folder, maxBytes, {});
}

std::string ContextCache::fileSha256(const fs::path& folder, const std::string& path)
{
    const auto db = openIndex(folder);
    const auto absolute = fs::absolute(path).string();
    const auto size = std::int64_t(fs::file_size(absolute));
    const auto mtime = std::int64_t(fs::last_write_time(absolute).time_since_epoch().count());
    {
        auto s = db->prepare("SELECT sha256 FROM model_files WHERE path = ? AND size = ? AND mtime = ?");
        s.bind(1, absolute).bind(2, size).bind(3, mtime);
        if (s.step()) return s.text(0);
    }
    QFile f(QString::fromStdString(absolute));
    if (!f.open(QIODevice::ReadOnly)) throw std::runtime_error(absolute + ": cannot read");
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    const std::string sha = h.result().toHex().toStdString();
    db->prepare("INSERT OR REPLACE INTO model_files (path, size, mtime, sha256) VALUES (?, ?, ?, ?)")
        .bind(1, absolute).bind(2, size).bind(3, mtime).bind(4, sha).run();
    return sha;
}

std::vector<CacheDiskUsage> ContextCache::diskUsage(const fs::path& folder)
{
    std::vector<CacheDiskUsage> out;
    if (!fs::exists(folder / "cache.sqlite")) return out;
    const auto db = openIndex(folder);
    auto s = db->prepare("SELECT fingerprint, kind, count(*), sum(stored_bytes), sum(raw_bytes) FROM entries "
                        "GROUP BY fingerprint, kind ORDER BY fingerprint, kind");
    while (s.step())
        out.push_back({s.text(0), s.text(1), std::uint64_t(s.integer(2)), std::uint64_t(s.integer(3)), std::uint64_t(s.integer(4))});
    return out;
}

std::uint64_t ContextCache::dropCount(const fs::path& folder)
{
    if (!fs::exists(folder / "cache.sqlite")) return 0;
    auto s = openIndex(folder)->prepare("SELECT count(*) FROM drops");
    s.step();
    return std::uint64_t(s.integer(0));
}

std::vector<CacheDrop> ContextCache::recentDrops(const fs::path& folder, int limit)
{
    std::vector<CacheDrop> out;
    if (!fs::exists(folder / "cache.sqlite")) return out;
    const auto db = openIndex(folder);
    auto s = db->prepare("SELECT fingerprint, kind, key, reason, at FROM drops ORDER BY at DESC, rowid DESC LIMIT ?");
    s.bind(1, std::int64_t(limit));
    while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.integer(4)});
    return out;
}

std::shared_ptr<const CacheBytes> ContextCache::get(const std::string& kind, const std::string& key)
{
    std::lock_guard lock(d->mutex);
    const std::string id = Impl::idOf(kind, key);
    if (auto it = d->hot.index.find(id); it != d->hot.index.end()) {
        ++d->hot.hits;
        d->hot.lru.splice(d->hot.lru.begin(), d->hot.lru, it->second);
        return d->hot.lru.front().bytes;
    }
    if (auto it = d->warm.index.find(id); it != d->warm.index.end()) {
        ++d->warm.hits;
        d->hot.pushFront(d->warm.take(it->second));
        auto bytes = d->hot.lru.front().bytes;
        d->enforceBudgets();
        return bytes;
    }
    auto bytes = d->readFromDisk(kind, key);
    if (!bytes) {
        ++d->misses;
        return nullptr;
    }
    ++d->diskHits;
    d->hot.pushFront(MemoryEntry{id, kind, key, bytes, true});
    d->enforceBudgets();
    return bytes;
}

std::optional<CacheTier> ContextCache::tierOf(const std::string& kind, const std::string& key) const
{
    std::lock_guard lock(d->mutex);
    const std::string id = Impl::idOf(kind, key);
    if (d->hot.index.count(id)) return CacheTier::Hot;
    if (d->warm.index.count(id)) return CacheTier::Warm;
    auto s = d->db->prepare("SELECT 1 FROM entries WHERE fingerprint = ? AND kind = ? AND key = ?");
    s.bind(1, d->fingerprint).bind(2, kind).bind(3, key);
    if (s.step()) return CacheTier::Disk;
    return std::nullopt;
}

bool ContextCache::contains(const std::string& kind, const std::string& key) const
{
    return tierOf(kind, key).has_value();
}

void ContextCache::put(const std::string& kind, const std::string& key, CacheBytes bytes)
{
    std::lock_guard lock(d->mutex);
    const std::string id = Impl::idOf(kind, key);
    for (MemoryTier* t : {&d->hot, &d->warm})
        if (auto it = t->index.find(id); it != t->index.end()) t->take(it->second);
    d->hot.pushFront(MemoryEntry{id, kind, key, std::make_shared<const CacheBytes>(std::move(bytes)), false});
    d->enforceBudgets();
}

void ContextCache::drop(const std::string& kind, const std::string& key, const std::string& reason)
{
    std::lock_guard lock(d->mutex);
    d->drop(kind, key, reason);
}

void ContextCache::persist()
{
    std::lock_guard lock(d->mutex);
    for (MemoryTier* t : {&d->hot, &d->warm})
        for (auto& e : t->lru)
            if (!e.onDisk) e.onDisk = d->writeToDisk(e.kind, e.key, *e.bytes);
}

void ContextCache::demoteAll(CacheTier to)
{
    std::lock_guard lock(d->mutex);
    while (!d->hot.lru.empty()) d->warm.pushFront(d->hot.take(std::prev(d->hot.lru.end())));
    if (to != CacheTier::Disk) return;
    while (!d->warm.lru.empty()) {
        MemoryEntry e = d->warm.take(std::prev(d->warm.lru.end()));
        if (!e.onDisk) d->writeToDisk(e.kind, e.key, *e.bytes);
    }
}

std::uint64_t ContextCache::prune(std::uint64_t maxBytes)
{
    std::lock_guard lock(d->mutex);
    return d->pruneLocked(maxBytes);
}

CacheStats ContextCache::stats() const
{
    std::lock_guard lock(d->mutex);
    CacheStats s;
    s.tiers[0] = {d->hot.lru.size(), d->hot.bytes, d->hot.hits};
    s.tiers[1] = {d->warm.lru.size(), d->warm.bytes, d->warm.hits};
    auto q = d->db->prepare("SELECT count(*), coalesce(sum(stored_bytes), 0) FROM entries WHERE fingerprint = ?");
    q.bind(1, d->fingerprint);
    q.step();
    s.tiers[2] = {std::uint64_t(q.integer(0)), std::uint64_t(q.integer(1)), d->diskHits};
    s.misses = d->misses;
    s.dropped = d->dropped;
    s.writeFailures = d->writeFailures;
    return s;
}

const std::string& ContextCache::fingerprint() const { return d->fingerprint; }
const fs::path& ContextCache::folder() const { return d->folder; }

}  // namespace folio::app
