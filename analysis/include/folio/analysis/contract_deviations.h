#pragma once

#include "folio/analysis/clause_similarity.h"
#include "folio/analysis/clauses.h"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace folio::analysis {

// One contract of a set as the comparison sees it: the clauses taken as present (at most one per category, the
// best) and its normalised answers.
struct ContractClauses {
    std::string name;
    std::vector<Clause> clauses;
    std::map<std::string, std::string> answers;  // category -> normalised answer
};

// Where a contract departs from the reference contract or from the set's norm.
struct Deviation {
    enum class Kind { MissingClause, UnusualValue, DifferentWording };
    Kind kind = Kind::MissingClause;
    std::size_t contract = 0;  // index into the set
    std::string category;
    // UnusualValue: this contract's answer and the reference's (or the set's majority or median) one.
    // MissingClause: `expected` says where the clause is expected ("in the reference", "in 4 of 5 contracts").
    std::string value, expected;
    // UnusualValue and DifferentWording: the contract's clause (its page and regions lead to it).
    std::optional<Clause> clause;
    // DifferentWording: the clause compared against (the reference's, or the set's most typical one), its
    // contract, the similarity of the wording and the word-level edits from it to this contract's clause.
    std::optional<Clause> baselineClause;
    std::optional<std::size_t> baselineContract;
    double similarity = 1;
    std::vector<WordEdit> diff;
};
const char* toString(Deviation::Kind kind);

struct DeviationOptions {
    std::optional<std::size_t> reference;  // index of the reference contract (the playbook); none: the set's norm
    double standardShare = 0.6;   // norm: a category present in at least this share of the set is standard
    double wordingBelow = 0.75;   // a clause whose wordingSimilarity to the baseline is below this is flagged
    double valueTolerance = 0.25; // norm: a period or amount further than this share from the median stands out
};

// The answer categories whose values are compared (periods, amounts, places).
const std::vector<std::string>& comparedAnswerCategories();

// Every deviation of every contract (the reference itself has none): ordered by contract, then missing clauses
// and unusual values by category, then different wording, least alike first. In norm mode (values of at least
// three contracts) a value stands out against the median
// when periods or amounts of one currency are compared, else against a value that most contracts share; the
// wording baseline of a category is its most typical clause when at least three contracts have one. The title,
// parties and dates are not compared for wording: they name each contract.
// Throws std::invalid_argument when the reference is not an index into the set.
std::vector<Deviation> findDeviations(const std::vector<ContractClauses>& set, const DeviationOptions& options);

}  // namespace folio::analysis
