#include "folio/app/analysis_service.h"

#include "folio/analysis/contract_analysis.h"
#include "folio/app/analysis_store.h"
#include "folio/app/workspace_store.h"

#include <QCryptographicHash>
#include <QFile>

#include <algorithm>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace folio::app {

namespace {

const char* const kModelResource = ":/folio/clauses/cuad-clause-model.bin";

QByteArray modelBytes()
{
    QFile file(kModelResource);
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error(std::string(kModelResource) + ": the built-in clause model is missing from this build");
    return file.readAll();
}

}  // namespace

std::shared_ptr<const analysis::ClauseModel> embeddedClauseModel()
{
    static std::once_flag once;
    static std::shared_ptr<const analysis::ClauseModel> model;
    std::call_once(once, [] {
        QByteArray bytes = modelBytes();
        model = std::make_shared<analysis::ClauseModel>(
            analysis::ClauseModel::fromBytes(std::string_view(bytes.constData(), bytes.size())));
    });
    return model;
}

std::string embeddedExtractorId()
{
    // The model's hash and a version of the extractor's settings and answer reading (bump it when they change):
    // either change re-analyses stored contracts.
    static const std::string id = "statistical/" +
        QCryptographicHash::hash(modelBytes(), QCryptographicHash::Sha256).toHex().left(16).toStdString() + "/2";
    return id;
}

AnalysisSummary analyseWorkspace(const std::filesystem::path& workspaceDir, bool force,
                                 const std::function<void(const AnalysisProgress&)>& progress,
                                 const std::atomic<bool>* cancel, int threads)
{
    AnalysisSummary summary;
    const std::string extractorId = embeddedExtractorId();
    analysis::StatisticalClauseExtractor extractor(embeddedClauseModel());
    AnalysisStore results(workspaceDir);
    std::vector<DocumentRecord> work;
    {
        WorkspaceStore store(workspaceDir);
        for (const DocumentRecord& d : store.documents()) {
            if (d.kind != "pdf" || d.status == "error" || d.status == "skipped")
                continue;
            if (!force && results.isCurrent(d.id, d.contentHash, extractorId)) {
                ++summary.unchanged;
                continue;
            }
            work.push_back(d);
        }
    }
    if (threads <= 0)
        threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::mutex lock;
    std::atomic<size_t> next{0};
    int done = 0;
    auto worker = [&] {
        WorkspaceStore store(workspaceDir);
        for (size_t i; (i = next++) < work.size();) {
            if (cancel && cancel->load())
                return;
            const DocumentRecord& d = work[i];
            std::optional<analysis::ContractAnalysis> result;
            std::string error;
            try {
                const ingest::Document doc = store.loadDocument(d.id);
                // A scan that OCR could not read has nothing to analyse: say so rather than count it analysed.
                const bool anyText = std::any_of(doc.pages.begin(), doc.pages.end(), [](const ingest::Page& p) { return !p.lines.empty(); });
                if (anyText)
                    result = analysis::analyzeContract(doc, &extractor);
                else
                    error = doc.pages.empty() ? "no pages to analyse"
                                              : "no text to analyse: none of its " + std::to_string(doc.pages.size())
                                                    + " pages has a text layer or text that OCR could read";
            } catch (const std::exception& e) {
                error = e.what();
            }
            std::lock_guard guard(lock);
            if (result) {
                try {
                    results.write(d.id, d.contentHash, extractorId, *result);
                    ++summary.analysed;
                } catch (const std::exception& e) {
                    summary.problems.push_back({d.path, e.what()});
                }
            } else {
                summary.problems.push_back({d.path, error});
            }
            ++done;
            if (progress)
                progress({done, static_cast<int>(work.size()), d.path});
        }
    };
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back(worker);
    for (std::thread& t : pool)
        t.join();
    summary.cancelled = cancel && cancel->load();
    return summary;
}

}  // namespace folio::app
