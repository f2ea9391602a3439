#pragma once

#include "folio/analysis/contract_text.h"
#include "folio/analysis/outline.h"

#include <string>
#include <vector>

namespace folio::analysis {

enum class DefinitionForm {
    Means,          // "X" means ..., "X" shall have the meaning ..., "X" includes ...
    Parenthetical,  // ... (the "X"), (each a "X"), (collectively, the "X")
    Hereinafter,    // hereinafter referred to as "X"
    ByReference,    // "X" has the meaning given in Section 6.1; X (as defined in the Credit Agreement)
};
const char* toString(DefinitionForm form);

struct DefinedTerm {
    std::string term;
    DefinitionForm form = DefinitionForm::Means;
    TextRange termRange;    // the term where it is defined
    TextRange definition;   // the sentence or paragraph that defines it
    std::string definedIn;  // ByReference: where the meaning is given ("Section 6.1", "the Credit Agreement")
    int scopeNode = -1;     // -1: the whole contract; else the outline node "for purposes of this Section" names
    std::vector<TextRange> uses;  // every use in scope, never inside its own definition
    bool definedTwice = false;    // another definition of the same term in an overlapping scope
};

// A capitalised phrase used like a defined term (several times, mid-sentence) that nothing defines.
struct UndefinedTerm {
    std::string term;
    std::vector<TextRange> uses;
};

struct DefinedTerms {
    std::vector<DefinedTerm> terms;  // in the order they are defined
    std::vector<UndefinedTerm> undefined;
};

DefinedTerms findDefinedTerms(const ContractText& text, const Outline& outline);

}  // namespace folio::analysis
