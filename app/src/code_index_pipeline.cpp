#include "code_index_pipeline.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace folio::app {
namespace {

// Whether a file is read for code intelligence: by a tree-sitter grammar, or else by universal-ctags.
bool isCode(const std::string& language, const std::string& path)
{
    return !code::grammarFor(language, path).empty() || !code::ctagsLanguageFor(language).empty();
}

// The code index of each document: tree-sitter's on up to `threads` threads, then universal-ctags once for the
// files in languages no grammar reads.
CodeIndexes indexCode(const std::vector<ingest::Document>& docs, int threads)
{
    CodeIndexes out;
    out.files.resize(docs.size());
    const auto readable = [](const ingest::Document& doc) {
        return doc.status == ingest::DocumentStatus::Ok || doc.status == ingest::DocumentStatus::Warning;
    };
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;  // the first one; a worker thread must not let it escape
    std::mutex failureMutex;
    const auto work = [&] {
        try {
            for (std::size_t i; (i = next++) < docs.size();) {
                const ingest::Document& doc = docs[i];
                if (!readable(doc)) continue;
                const std::string grammar = code::grammarFor(doc.language, doc.path);
                if (!grammar.empty()) out.files[i] = code::indexFile(grammar, doc.text);
            }
        } catch (...) {
            std::lock_guard lock(failureMutex);
            if (!failure) failure = std::current_exception();
            next = docs.size();
        }
    };
    std::vector<std::thread> workers;
    for (int t = 1; t < std::min<int>(threads, int(docs.size())); ++t) workers.emplace_back(work);
    work();
    for (auto& w : workers) w.join();
    if (failure) std::rethrow_exception(failure);

    std::vector<code::CtagsFile> ctagsFiles;
    std::vector<std::size_t> ctagsDocs;
    for (std::size_t i = 0; i < docs.size(); ++i)
        if (readable(docs[i]) && !out.files[i] && !code::ctagsLanguageFor(docs[i].language).empty()) {
            ctagsFiles.push_back({docs[i].path, docs[i].text});
            ctagsDocs.push_back(i);
        }
    auto run = code::indexWithCtags(ctagsFiles);
    if (!run.error.empty()) {
        out.ctagsError = run.error;
        out.ctagsFilesNotIndexed = ctagsFiles.size();
        return out;
    }
    for (std::size_t k = 0; k < ctagsDocs.size(); ++k) out.files[ctagsDocs[k]] = std::move(run.files[k]);
    return out;
}

}  // namespace

bool codeIndexIsCurrent(const std::string& path, const KnownDocument& known)
{
    return known.status == "skipped" || known.status == "error" || !isCode(known.language, path)
        || known.codeIndexVersion == code::kIndexerVersion;
}

CodeIndexPipeline::~CodeIndexPipeline()
{
    if (inFlight_.valid()) inFlight_.wait();  // a cancelled or failed ingest drops it
}

std::optional<IndexedBatch> CodeIndexPipeline::submit(std::vector<ingest::Document> batch)
{
    std::optional<IndexedBatch> done = finish();
    if (batch.empty()) return done;
    inFlight_ = std::async(std::launch::async, [this, docs = std::move(batch)]() mutable {
        CodeIndexes code = enabled_ ? indexCode(docs, threads_) : CodeIndexes{std::vector<std::optional<code::FileIndex>>(docs.size()), 0, {}};
        return IndexedBatch{std::move(docs), std::move(code)};
    });
    return done;
}

std::optional<IndexedBatch> CodeIndexPipeline::finish()
{
    if (!inFlight_.valid()) return std::nullopt;
    return inFlight_.get();
}

}  // namespace folio::app
