#include "folio/app/ingest_service.h"

#include "folio/ingest/pdf_reader.h"
#include "folio/ingest/repository_reader.h"
#include "folio/ingest/text_encoding.h"

#include "code_index_pipeline.h"

#include <git2.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>

namespace fs = std::filesystem;

namespace folio::app {
namespace {

// Repository files are committed in batches: one transaction per file would spend the time in commits.
constexpr std::size_t kRepositoryBatch = 500;
// Files read before their code is indexed on the worker threads together.
constexpr std::size_t kIndexBatch = 64;

bool isCancelled(const std::atomic<bool>* cancel)
{
    return cancel && cancel->load();
}

bool isRepository(const std::string& path)
{
    git_libgit2_init();
    git_repository* repo = nullptr;
    const bool ok = git_repository_open_ext(&repo, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) == 0;
    git_repository_free(repo);
    git_libgit2_shutdown();
    return ok;
}

bool hasPdfExtension(const fs::path& p)
{
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".pdf";
}

// Why a file with a PDF's name cannot be read as one, if it cannot: a link to nowhere, a device or a pipe (reading
// a link to /dev/zero would never end), or a name that is not UTF-8, which the workspace can neither store nor
// open again to show.
std::optional<std::string> whyNotReadable(const fs::path& p)
{
    std::error_code ec;
    const fs::file_status status = fs::status(p, ec);
    if (!fs::exists(status)) {
        std::error_code linkEc;
        return fs::is_symlink(fs::symlink_status(p, linkEc)) ? "a link to something that does not exist"
                                                             : "cannot be read: " + (ec ? ec.message() : "no such file");
    }
    if (!fs::is_regular_file(status)) return "not a regular file (a device, a pipe or a socket)";
    if (!ingest::isValidUtf8(p.string())) return "its name is not valid UTF-8, which Folio cannot store or show: rename the file";
    return std::nullopt;
}

void noteProblem(IngestReport& report, const ingest::Document& doc)
{
    if (doc.status != ingest::DocumentStatus::Ok)
        report.problems.push_back({doc.path, ingest::toString(doc.status), doc.reason});
}

// Workers read PDFs in parallel and hand finished documents to the one thread that writes the store. The queue
// is bounded, so a batch of thousands of PDFs never holds more than a few parsed documents in memory.
class PdfPipeline {
public:
    struct Result {
        std::string path;
        std::optional<ingest::Document> document;  // empty: unchanged since the last ingest
    };

    PdfPipeline(std::vector<std::string> files, std::map<std::string, KnownDocument> known, int threads,
                const std::atomic<bool>* cancel)
        : files_(std::move(files)), known_(std::move(known)), cancel_(cancel), capacity_(std::size_t(threads) * 2)
    {
        for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
    }

    ~PdfPipeline()
    {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        changed_.notify_all();
        for (auto& w : workers_) w.join();
    }

    // The next finished document, or nothing when all are done.
    std::optional<Result> next()
    {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return !results_.empty() || finished_ == workers_.size(); });
        if (results_.empty()) return std::nullopt;
        Result r = std::move(results_.front());
        results_.pop_front();
        changed_.notify_all();
        return r;
    }

private:
    void work()
    {
        const ingest::PdfReader reader;
        for (;;) {
            std::size_t index;
            {
                std::lock_guard lock(mutex_);
                if (stopping_ || nextFile_ >= files_.size() || isCancelled(cancel_)) break;
                index = nextFile_++;
            }
            const std::string& path = files_[index];
            Result result{path, std::nullopt};
            const auto known = known_.find(path);
            const bool mayBeUnchanged = known != known_.end() && known->second.status != "error"
                && known->second.readerVersion == ingest::PdfReader::kVersion;
            if (!mayBeUnchanged || ingest::sha256OfFile(path) != known->second.contentHash)
                result.document = reader.read(path, cancel_);
            // A document cancelled part-way is not stored: the next run reads it again.
            if (result.document && isCancelled(cancel_)) break;
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [&] { return results_.size() < capacity_ || stopping_; });
            if (stopping_) break;
            results_.push_back(std::move(result));
            changed_.notify_all();
        }
        std::lock_guard lock(mutex_);
        ++finished_;
        changed_.notify_all();
    }

    const std::vector<std::string> files_;
    const std::map<std::string, KnownDocument> known_;
    const std::atomic<bool>* cancel_;
    const std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Result> results_;
    std::size_t nextFile_ = 0;
    std::size_t finished_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace

int IngestReport::errorCount() const
{
    return int(std::count_if(problems.begin(), problems.end(), [](auto& p) { return p.status == "error"; }));
}

IngestService::IngestService(WorkspaceStore& store) : store_(store) {}

IngestReport IngestService::ingest(const std::vector<std::string>& paths, const IngestOptions& options,
                                   const ProgressCallback& progress, const std::atomic<bool>* cancel)
{
    IngestReport report;
    for (const std::string& given : paths) {
        if (isCancelled(cancel)) break;
        std::error_code ec;
        const fs::path absolute = fs::weakly_canonical(fs::absolute(given), ec);
        const std::string path = ec ? given : absolute.string();
        if (!fs::exists(path, ec)) {
            report.problems.push_back({given, "error", "no such file or folder"});
            continue;
        }
        try {
            if (fs::is_directory(path) && isRepository(path)) {
                ingestRepository(path, options, report, progress, cancel);
            } else if (fs::is_directory(path)) {
                std::vector<std::string> files;
                for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
                     !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                    std::error_code entryEc;
                    if (!hasPdfExtension(it->path()) || it->is_directory(entryEc)) continue;
                    if (const auto why = whyNotReadable(it->path()))
                        report.problems.push_back({ingest::escapeInvalidUtf8(it->path().string()), "error", *why});
                    else
                        files.push_back(it->path().string());
                }
                if (ec) report.problems.push_back({path, "error", "cannot list the folder: " + ec.message()});
                std::sort(files.begin(), files.end());
                if (files.empty())
                    report.problems.push_back({path, "warning", "neither a git repository nor a folder with PDF files"});
                ingestPdfs(path, files, true, options, report, progress, cancel);
            } else if (hasPdfExtension(path) || fs::is_regular_file(path)) {
                if (const auto why = whyNotReadable(path))
                    report.problems.push_back({ingest::escapeInvalidUtf8(path), "error", *why});
                else
                    ingestPdfs(path, {path}, false, options, report, progress, cancel);
            } else {
                report.problems.push_back({path, "error", "not a git repository, a PDF file or a folder"});
            }
        } catch (const std::exception& e) {
            // Readers name the path in their messages; the report names it once.
            std::string reason = e.what();
            if (reason.starts_with(path + ": ")) reason.erase(0, path.size() + 2);
            report.problems.push_back({path, "error", reason});
        }
    }
    report.cancelled = isCancelled(cancel);
    return report;
}

void IngestService::ingestRepository(const std::string& path, const IngestOptions& options, IngestReport& report,
                                     const ProgressCallback& progress, const std::atomic<bool>* cancel)
{
    ingest::RepositoryReader reader(path, {options.ref, options.workingTree, options.maxFileSize});
    const std::string kind = options.workingTree ? "worktree" : "repository";
    const SourceRecord previous = store_.beginSource(kind, path, reader.refName());
    ++report.sources;
    std::map<std::string, KnownDocument> known = store_.knownDocuments(previous.id);

    // After a complete ingest by the current reader, a tree diff names exactly what changed; otherwise (first run,
    // a run that was killed, a newer reader) compare every entry's blob id and reader version with what is stored.
    std::vector<ingest::TreeEntry> candidates;
    std::vector<std::string> gone;
    // Without a code index wanted, a stored one (or its absence) needs no reading again.
    const auto indexIsCurrent = [&](const std::string& p, const KnownDocument& k) { return !options.codeIndex || codeIndexIsCurrent(p, k); };
    // A file skipped for its size is read when the limit has grown past it, and one read is skipped when the
    // limit has fallen below it.
    const auto sizeDecisionHolds = [&](const KnownDocument& k) {
        return k.status == "error" || k.skippedForSize == (k.size > options.maxFileSize);
    };
    const bool currentReader = std::all_of(known.begin(), known.end(), [&](const auto& k) {
        return k.second.readerVersion == ingest::RepositoryReader::kVersion && indexIsCurrent(k.first, k.second)
            && sizeDecisionHolds(k.second);
    });
    const bool diffable = previous.state == "complete" && !previous.treeId.empty() && !options.workingTree && currentReader;
    if (diffable) {
        ingest::TreeChanges changes = reader.changesSince(previous.treeId);
        candidates = std::move(changes.addedOrModified);
        gone = std::move(changes.deleted);
        std::set<std::string> touched(gone.begin(), gone.end());
        for (const auto& e : candidates) touched.insert(e.path);
        for (const auto& [p, k] : known)
            if (!touched.count(p)) ++report.unchanged;
    } else {
        candidates = reader.entries();
        std::set<std::string> present;
        for (const auto& e : candidates) present.insert(e.path);
        for (const auto& [p, k] : known)
            if (!present.count(p)) gone.push_back(p);
    }

    // Files are read here (libgit2 is not shared between threads), indexed for code intelligence on the worker
    // threads a batch at a time while the next batch is read and the previous one written, here, in order.
    const int threads = options.threads > 0 ? options.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    IngestProgress step{path, 0, candidates.size(), {}};
    std::size_t inBatch = 0;
    std::vector<ingest::Document> pending;
    std::size_t ctagsFilesNotIndexed = 0;
    std::string ctagsError;
    CodeIndexPipeline pipeline(options.codeIndex, threads);
    const auto write = [&](std::optional<IndexedBatch> batch) {
        if (!batch) return;
        const auto& indexes = batch->code.files;
        if (batch->code.ctagsFilesNotIndexed > 0) {
            ctagsFilesNotIndexed += batch->code.ctagsFilesNotIndexed;
            ctagsError = batch->code.ctagsError;
        }
        for (std::size_t i = 0; i < batch->docs.size(); ++i) {
            const ingest::Document& doc = batch->docs[i];
            noteProblem(report, doc);
            if (indexes[i] && !indexes[i]->skipped.empty())
                report.problems.push_back({doc.path, "warning", "code index: " + indexes[i]->skipped});
            store_.writeDocument(previous.id, doc, indexes[i] ? &*indexes[i] : nullptr);
            ++(known.count(doc.path) ? report.updated : report.added);
            if (++inBatch == kRepositoryBatch) {
                store_.commitBatch();
                store_.beginBatch();
                inBatch = 0;
            }
            ++step.done;
            step.current = doc.path;
            if (progress) progress(step);
        }
    };
    store_.beginBatch();
    try {
        for (const ingest::TreeEntry& entry : candidates) {
            if (isCancelled(cancel)) break;
            const auto old = known.find(entry.path);
            const bool same = old != known.end() && old->second.contentHash == entry.blobId && old->second.status != "error"
                && old->second.readerVersion == ingest::RepositoryReader::kVersion && indexIsCurrent(entry.path, old->second)
                && sizeDecisionHolds(old->second);
            if (same) {
                ++report.unchanged;
                ++step.done;
                step.current = entry.path;
                if (progress) progress(step);
                continue;
            }
            pending.push_back(reader.read(entry));
            report.bytesRead += pending.back().text.size();
            if (pending.size() == kIndexBatch) write(pipeline.submit(std::exchange(pending, {})));
        }
        if (!isCancelled(cancel)) {
            write(pipeline.submit(std::exchange(pending, {})));
            write(pipeline.finish());
        }
        if (!isCancelled(cancel)) {
            store_.removeDocuments(previous.id, gone);
            report.removed += gone.size();
        }
        store_.commitBatch();
    } catch (...) {
        store_.commitBatch();  // keep what was written: the next run resumes from it
        throw;
    }
    // One warning for the source, not one per file: the files stay searchable, and are indexed again on the
    // next ingest (they have no code index stored).
    if (ctagsFilesNotIndexed > 0)
        report.problems.push_back({path, "warning", ctagsError + ": the definitions of " + std::to_string(ctagsFilesNotIndexed)
                                                        + " files in languages without a tree-sitter grammar were not indexed"});
    report.blobsRead += reader.blobsRead();
    if (!isCancelled(cancel)) store_.completeSource(previous.id, reader.commitId(), reader.treeId());
}

void IngestService::ingestPdfs(const std::string& location, const std::vector<std::string>& files, bool wholeFolder,
                               const IngestOptions& options, IngestReport& report, const ProgressCallback& progress,
                               const std::atomic<bool>* cancel)
{
    const SourceRecord source = store_.beginSource("pdf", location, "");
    ++report.sources;
    std::map<std::string, KnownDocument> known = store_.knownDocuments(source.id);
    const int threads = options.threads > 0 ? options.threads : int(std::max(1u, std::thread::hardware_concurrency()));

    IngestProgress step{location, 0, files.size(), {}};
    {
        PdfPipeline pipeline(files, known, std::min<int>(threads, int(std::max<std::size_t>(1, files.size()))), cancel);
        while (auto result = pipeline.next()) {
            if (!result->document) {
                ++report.unchanged;
            } else {
                const ingest::Document& doc = *result->document;
                report.pages += doc.pages.size();
                for (const ingest::Page& page : doc.pages) {
                    if (page.source == ingest::TextSource::Ocr) ++report.ocrPages;
                    if (page.source == ingest::TextSource::Unread) ++report.unreadPages;
                }
                report.bytesRead += doc.size;
                noteProblem(report, doc);
                store_.writeDocument(source.id, doc);
                // A PDF that failed is tried again on every ingest; failing again on the same bytes changes nothing.
                const auto old = known.find(doc.path);
                const bool failedAgain = old != known.end() && old->second.status == "error"
                    && doc.status == ingest::DocumentStatus::Error && old->second.contentHash == doc.contentHash;
                ++(failedAgain ? report.unchanged : old != known.end() ? report.updated : report.added);
            }
            ++step.done;
            step.current = result->path;
            if (progress) progress(step);
        }
    }
    if (isCancelled(cancel)) return;
    if (wholeFolder) {
        // PDFs deleted from the folder since the last run leave the workspace too.
        std::set<std::string> present(files.begin(), files.end());
        std::vector<std::string> gone;
        for (const auto& [path, k] : known)
            if (!present.count(path)) gone.push_back(path);
        store_.removeDocuments(source.id, gone);
        report.removed += gone.size();
    }
    store_.completeSource(source.id, "", "");
}

}  // namespace folio::app
