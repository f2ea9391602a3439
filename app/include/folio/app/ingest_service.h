#pragma once

#include "folio/app/workspace_store.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace folio::app {

struct IngestOptions {
    std::string ref;               // repositories: branch, tag or commit ("" = HEAD)
    bool workingTree = false;      // repositories: the files on disk, .gitignore applied, instead of a commit
    std::uint64_t maxFileSize = 2 * 1024 * 1024;
    int threads = 0;               // PDF readers (OCR included) and code indexers; 0 = one per core
    bool codeIndex = true;         // repositories: symbols, references and imports for code intelligence
};

struct IngestProgress {
    std::string source;   // what is being ingested
    std::uint64_t done = 0, total = 0;
    std::string current;  // the file just finished
};

struct IngestProblem {
    std::string path;
    std::string status;  // "warning", "skipped" or "error"
    std::string reason;
};

struct IngestReport {
    int sources = 0;
    std::uint64_t added = 0, updated = 0, unchanged = 0, removed = 0;
    std::uint64_t pages = 0;      // PDF pages read in this run
    std::uint64_t ocrPages = 0;   // of them, scanned pages read by OCR
    std::uint64_t unreadPages = 0;  // scanned pages OCR could not read (unavailable, failed, no words): see problems
    std::uint64_t bytesRead = 0;  // content bytes read in this run
    std::uint64_t blobsRead = 0;  // repository blobs whose content was read in this run
    std::vector<IngestProblem> problems;  // per file, in the order met; the rest of the batch goes on
    bool cancelled = false;
    int errorCount() const;
};

// Reads repositories, PDF files and folders of PDFs into a workspace. Re-running is incremental (unchanged
// content is not read again) and resumes a run that was killed: each document is committed on its own, and a
// source is marked complete only when all of it is in.
class IngestService {
public:
    using ProgressCallback = std::function<void(const IngestProgress&)>;

    explicit IngestService(WorkspaceStore& store);

    // Each path: a git repository (working or bare), a PDF file, or a folder searched for PDFs. A path that is
    // none of these is reported as a problem; the other paths are still ingested.
    IngestReport ingest(const std::vector<std::string>& paths, const IngestOptions& options,
                        const ProgressCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);

private:
    void ingestRepository(const std::string& path, const IngestOptions& options, IngestReport& report,
                          const ProgressCallback& progress, const std::atomic<bool>* cancel);
    void ingestPdfs(const std::string& location, const std::vector<std::string>& files, bool wholeFolder,
                    const IngestOptions& options, IngestReport& report, const ProgressCallback& progress,
                    const std::atomic<bool>* cancel);

    WorkspaceStore& store_;
};

}  // namespace folio::app
