#pragma once

// Code intelligence during a repository ingest: which files an indexer reads, whether a stored index is current,
// and the pipeline that indexes one batch of files on worker threads while ingest reads the next and writes the
// one before.

#include "folio/app/workspace_store.h"
#include "folio/code/code_index.h"
#include "folio/ingest/document.h"

#include <future>
#include <optional>
#include <string>
#include <vector>

namespace folio::app {

// Whether a stored document's code index is what this Folio would make (files no indexer reads need none).
bool codeIndexIsCurrent(const std::string& path, const KnownDocument& known);

struct CodeIndexes {
    std::vector<std::optional<code::FileIndex>> files;  // none for files no indexer reads
    std::size_t ctagsFilesNotIndexed = 0;
    std::string ctagsError;
};

struct IndexedBatch {
    std::vector<ingest::Document> docs;
    CodeIndexes code;
};

// One batch of documents being indexed for code intelligence on worker threads at a time, while the caller reads
// the next one and writes the one before.
class CodeIndexPipeline {
public:
    CodeIndexPipeline(bool enabled, int threads) : enabled_(enabled), threads_(threads) {}
    ~CodeIndexPipeline();

    // Starts indexing `batch` and returns the batch before it, indexed (nothing the first time).
    std::optional<IndexedBatch> submit(std::vector<ingest::Document> batch);
    // The batch in flight, indexed (nothing if none).
    std::optional<IndexedBatch> finish();

private:
    const bool enabled_;
    const int threads_;
    std::future<IndexedBatch> inFlight_;
};

}  // namespace folio::app
