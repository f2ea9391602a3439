#include "folio/app/deviation_report.h"

#include "folio/app/analysis_service.h"
#include "folio/app/workspace_store.h"

#include "report_cells.h"

#include <stdexcept>

namespace folio::app {

DeviationReport DeviationReport::build(const WorkspaceStore& store, const AnalysisStore& analysis, double minConfidence,
                                       std::optional<std::int64_t> referenceDocument,
                                       const analysis::DeviationOptions& options)
{
    const ClauseMatrix m = ClauseMatrix::build(store, analysis, embeddedClauseModel()->categories(), minConfidence);
    DeviationReport r;
    std::vector<analysis::ContractClauses> set;
    for (const ClauseMatrix::Row& row : m.rows) {
        analysis::ContractClauses c{fileName(row.path), {}, {}};
        for (const std::string& category : m.categories)
            if (const StoredClause* s = m.at(row.documentId, category)) {
                c.clauses.push_back({s->category, s->range, s->text, s->confidence, s->page, s->regions});
                // A value counts only with its clause: one read from a passage below the threshold would
                // stand out where the clause itself is reported missing.
                if (auto it = row.answers.find(category); it != row.answers.end())
                    c.answers.insert(*it);
            }
        if (c.clauses.empty())
            continue;
        if (referenceDocument && row.documentId == *referenceDocument)
            r.reference = set.size();
        r.contracts.push_back(row);
        set.push_back(std::move(c));
    }
    if (referenceDocument && !r.reference) {
        const auto doc = store.document(*referenceDocument);
        const std::string name = doc ? doc->path : "document " + std::to_string(*referenceDocument);
        throw std::runtime_error(name + ": cannot be the reference: it is not an analysed contract with clauses at " +
                                 std::to_string(int(minConfidence * 100 + 0.5)) +
                                 "% confidence (run 'folio analyze', or choose a PDF contract)");
    }
    analysis::DeviationOptions o = options;
    o.reference = r.reference;
    r.deviations = analysis::findDeviations(set, o);
    return r;
}

std::string DeviationReport::baselineName() const
{
    if (reference)
        return "reference " + fileName(contracts[*reference].path);
    return "norm of " + std::to_string(contracts.size()) + " contracts";
}

}  // namespace folio::app
