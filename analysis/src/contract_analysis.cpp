#include "folio/analysis/contract_analysis.h"

namespace folio::analysis {

ContractAnalysis analyzeContract(const ingest::Document& document, const ClauseExtractor* extractor)
{
    ContractAnalysis a;
    a.text = ContractText::fromDocument(document);
    a.outline = Outline::build(a.text);
    a.terms = findDefinedTerms(a.text, a.outline);
    a.references = findCrossReferences(a.text, a.outline);
    if (extractor) {
        a.clauses = extractor->extract(a.text, a.outline);
        a.answers = normalisedAnswers(a.clauses);
    }
    return a;
}

}  // namespace folio::analysis
