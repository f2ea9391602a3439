#pragma once

#include "folio/analysis/contract_text.h"
#include "folio/analysis/outline.h"

#include <string>
#include <vector>

namespace folio::analysis {

// "Section 5.2(b)", "Article IV", "Exhibit A", "this Section", "paragraph (c) above": a place in the contract
// one clause points at. Statute citations ("Section 365(n) of the Bankruptcy Code") are not references.
struct CrossReference {
    TextRange range;       // as written; for "Sections 3 through 5" each number has its own reference
    std::string text;      // the words of the range
    std::string kind;      // section, article, exhibit, schedule, annex, appendix, attachment, paragraph, this
    std::string target;    // the label looked for: "5.2(b)", "IV", "A"; "" for "this Section"
    int targetNode = -1;   // outline node, or -1 when unresolved
    std::string reason;    // why it is unresolved; "" when resolved
};

std::vector<CrossReference> findCrossReferences(const ContractText& text, const Outline& outline);

}  // namespace folio::analysis
