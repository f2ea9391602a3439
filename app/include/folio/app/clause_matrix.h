#pragma once

#include "folio/app/analysis_store.h"

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace folio::app {

class WorkspaceStore;

// Contracts x clause categories: the best clause of each pair at or above a confidence, and each contract's
// summary (normalised answers, standard clauses it lacks). What `folio clauses` prints and exports, and what the
// workbench's clause matrix shows.
struct ClauseMatrix {
    struct Row {
        std::int64_t documentId = 0;
        std::string path;
        std::map<std::string, std::string> answers;   // category -> normalised answer
        std::vector<std::string> missingStandard;     // standard clauses with no passage at the threshold
    };
    std::vector<Row> rows;
    std::vector<std::string> categories;
    std::vector<StoredClause> clauses;  // every clause of these categories at or above the threshold
    std::map<std::pair<std::int64_t, std::string>, std::size_t> best;  // (document, category) -> index in clauses

    static ClauseMatrix build(const WorkspaceStore& store, const AnalysisStore& analysis,
                              const std::vector<std::string>& categories, double minConfidence);
    const StoredClause* at(std::int64_t documentId, const std::string& category) const;
};

// The clauses every commercial contract is expected to have; a matrix row lists those it lacks.
const std::vector<std::string>& standardClauseCategories();

// CSV: document, category, confidence, page, text (RFC 4180 quoting).
void writeClausesCsv(std::ostream& out, const std::vector<StoredClause>& clauses);
// XLSX: a "Clause matrix" sheet (contracts x categories), "Clauses" (every clause, filterable) and "Summary"
// (answers and missing standard clauses per contract). Throws std::runtime_error naming the file on failure.
void writeClausesXlsx(const std::string& file, const ClauseMatrix& matrix);

}  // namespace folio::app
