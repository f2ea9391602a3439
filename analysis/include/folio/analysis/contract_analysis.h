#pragma once

#include "folio/analysis/clauses.h"
#include "folio/analysis/contract_text.h"
#include "folio/analysis/cross_references.h"
#include "folio/analysis/defined_terms.h"
#include "folio/analysis/outline.h"
#include "folio/ingest/document.h"

namespace folio::analysis {

// Bumped whenever an analyser changes what it finds: stored analyses of an older version are redone.
constexpr int kAnalyzerVersion = 2;

struct ContractAnalysis {
    ContractText text;
    Outline outline;
    DefinedTerms terms;
    std::vector<CrossReference> references;
    std::vector<Clause> clauses;
    std::vector<ClauseAnswer> answers;
};

// Everything about one contract; `extractor` may be null (structure, terms and references only).
ContractAnalysis analyzeContract(const ingest::Document& document, const ClauseExtractor* extractor);

}  // namespace folio::analysis
