#pragma once

#include "folio/code/code_index.h"
#include "folio/ingest/document.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace folio::app {

struct SourceRecord {
    std::int64_t id = 0;
    std::string kind;      // "repository", "worktree" or "pdf"
    std::string location;  // absolute path: repository, PDF folder or PDF file
    std::string ref;       // repositories: the ref asked for ("" = HEAD)
    std::string state;     // "ingesting" until a run over the whole source completes, then "complete"
    std::string commitId, treeId;
    std::string addedAt, updatedAt;
    std::int64_t documentCount = 0;
};

struct DocumentRecord {
    std::int64_t id = 0;
    std::int64_t sourceId = 0;
    std::string path, kind, language;
    std::uint64_t size = 0;
    std::string contentHash, status, reason;
    int pageCount = 0;
    int lineCount = 0;  // files: lines of text; PDFs: text lines on all pages
    std::map<std::string, std::string> metadata;
};

struct SearchHit {
    std::int64_t documentId = 0;
    std::string path;
    std::string sourceLocation;
    int page = 0;  // PDFs: 1-based page; 0 for files
    int line = 0;  // files: 1-based line of the first match
    ingest::Rect box;  // PDFs: the paragraph's rectangle on the page
    std::string snippet;  // matches between [ and ]
    double score = 0;     // bm25, lower is better
};

// What is known about a source's documents before an ingest: enough to skip unchanged ones.
struct KnownDocument {
    std::string contentHash;
    std::string status;
    int readerVersion = 0;
    std::string language;
    int codeIndexVersion = 0;  // 0: no code index stored
    std::uint64_t size = 0;
    bool skippedForSize = false;  // skipped as larger than the size limit of the ingest that wrote it
};

// One SQLite file per workspace (WAL, foreign keys, FTS5), migrated to the current schema on open. Every write
// is one transaction, so a process killed at any point leaves the previous consistent state behind.
// One WorkspaceStore per thread; several processes may share a workspace.
class WorkspaceStore {
public:
    static constexpr int kSchemaVersion = 7;

    // Opens or creates <dir>/workspace.sqlite. Throws std::runtime_error naming the file on failure.
    explicit WorkspaceStore(const std::filesystem::path& workspaceDir);
    ~WorkspaceStore();
    WorkspaceStore(const WorkspaceStore&) = delete;
    WorkspaceStore& operator=(const WorkspaceStore&) = delete;

    static std::filesystem::path defaultWorkspaceDir();
    const std::filesystem::path& directory() const;
    std::filesystem::path databaseFile() const;
    int schemaVersion() const;

    // Sources
    // Marks the source as being ingested (adding it if new) and returns it with the state its last run left.
    SourceRecord beginSource(const std::string& kind, const std::string& location, const std::string& ref);
    void completeSource(std::int64_t sourceId, const std::string& commitId, const std::string& treeId);
    std::vector<SourceRecord> sources() const;
    std::optional<SourceRecord> source(std::int64_t id) const;
    void removeSource(std::int64_t id);

    // Documents
    std::map<std::string, KnownDocument> knownDocuments(std::int64_t sourceId) const;
    // Replaces the document at (source, path) with `doc`, its pages, lines and search rows, and its code index
    // when one is given, in one transaction unless a batch is open.
    void writeDocument(std::int64_t sourceId, const ingest::Document& doc, const code::FileIndex* codeIndex = nullptr);
    void removeDocuments(std::int64_t sourceId, const std::vector<std::string>& paths);
    // Groups many small writes into one transaction (repositories write thousands of files).
    void beginBatch();
    void commitBatch();

    std::vector<DocumentRecord> documents(std::optional<std::int64_t> sourceId = std::nullopt) const;
    std::optional<DocumentRecord> document(std::int64_t id) const;
    // By id, exact path, or a unique path suffix ("src/main.cpp", "Lease.pdf"). Throws when ambiguous.
    std::optional<DocumentRecord> findDocument(const std::string& idOrPath) const;
    // The stored content as a Document again: text for files, pages of lines for PDFs.
    ingest::Document loadDocument(std::int64_t id) const;

    // Full-text search. Plain words are ANDed; FTS5 syntax ("phrase", OR, NEAR, prefix*) is accepted.
    std::vector<SearchHit> search(const std::string& query, int limit = 20) const;

    // SHA-256 over the whole content in a canonical order, without row ids and timestamps: two workspaces
    // that ingested the same inputs have the same digest, however the work was interrupted.
    std::string contentDigest() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

}  // namespace folio::app
