#pragma once

#include "folio/analysis/contract_analysis.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace folio::app {

struct StoredClause {
    std::int64_t documentId = 0;
    std::string documentPath;
    std::string category, text;
    double confidence = 0;
    int page = 0;
    analysis::TextRange range;
    std::vector<analysis::PageRegion> regions;
};

struct StoredTerm {
    std::int64_t documentId = 0;
    std::string documentPath;
    std::string term, form, definedIn, definition;
    bool definedTwice = false;
    bool undefined = false;  // a capitalised phrase used like a term that nothing defines
    int page = 0;
    int useCount = 0;
    std::vector<analysis::PageRegion> regions;
    std::vector<analysis::TextRange> uses;  // ranges of the analysed text (analysis::ContractText)
};

struct StoredReference {
    std::int64_t documentId = 0;
    std::string documentPath;
    std::string text, kind, target, reason;
    int targetNode = -1;
    std::string targetCitation, targetTitle;
    int targetPage = 0;
    int page = 0;
    std::vector<analysis::PageRegion> regions;
};

struct StoredNode {
    int node = 0, parent = -1, depth = 0, page = 0;
    std::string kind, label, citation, title;
    analysis::TextRange range;
    std::vector<analysis::PageRegion> regions;
};

struct StoredAnswer {
    std::int64_t documentId = 0;
    std::string documentPath, category, answer;
};

// The analysis tables of a workspace (schema 3; WorkspaceStore creates and migrates them). One writer per
// document at a time; each document's results are replaced in one transaction.
class AnalysisStore {
public:
    explicit AnalysisStore(const std::filesystem::path& workspaceDir);
    ~AnalysisStore();

    // Whether the document's stored analysis is current for this content, analyser version and extractor.
    bool isCurrent(std::int64_t documentId, const std::string& contentHash, const std::string& extractor) const;
    void write(std::int64_t documentId, const std::string& contentHash, const std::string& extractor,
               const analysis::ContractAnalysis& result);

    std::vector<StoredClause> clauses(std::optional<std::string> category = std::nullopt,
                                      std::optional<std::int64_t> documentId = std::nullopt) const;
    std::vector<StoredTerm> terms(std::optional<std::int64_t> documentId = std::nullopt) const;
    std::vector<StoredReference> references(bool unresolvedOnly = false,
                                            std::optional<std::int64_t> documentId = std::nullopt) const;
    std::vector<StoredNode> outline(std::int64_t documentId) const;
    std::vector<StoredAnswer> answers() const;
    int analysedDocumentCount() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

}  // namespace folio::app
