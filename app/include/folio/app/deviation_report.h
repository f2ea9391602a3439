#pragma once

#include "folio/analysis/contract_deviations.h"
#include "folio/app/clause_matrix.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace folio::app {

class WorkspaceStore;

// How a workspace's contracts depart from a reference contract (a playbook) or from the set's norm, from the
// stored analysis: a contract's clauses are the clause matrix's best ones at the confidence threshold, its
// values the stored normalised answers. Contracts with no clause at the threshold (scans without text, files
// never analysed) are not part of the set. What `folio deviations` prints and exports and the workbench shows.
struct DeviationReport {
    std::vector<ClauseMatrix::Row> contracts;     // the set
    std::optional<std::size_t> reference;         // index into contracts; none: the set's norm
    std::vector<analysis::Deviation> deviations;  // `contract` and `baselineContract` index contracts

    // Throws std::runtime_error naming the document when `referenceDocument` is not one of the set.
    static DeviationReport build(const WorkspaceStore& store, const AnalysisStore& analysis, double minConfidence,
                                 std::optional<std::int64_t> referenceDocument,
                                 const analysis::DeviationOptions& options = {});
    // What the deviation is measured against, in words: "reference Lease.pdf" or "norm of 5 contracts".
    std::string baselineName() const;
};

// XLSX: a "Deviations" sheet (one row per deviation, the word diff with deletions struck through in red and
// insertions underlined in green, filterable) and "Contracts" (counts per contract). Throws
// std::runtime_error naming the file on failure.
void writeDeviationsXlsx(const std::string& file, const DeviationReport& report);

}  // namespace folio::app
