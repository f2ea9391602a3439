#include "folio/analysis/contract_deviations.h"

#include "text_utils.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace folio::analysis {
namespace {

// A value that compares by size: a period in days or an amount in its currency.
struct Magnitude {
    double amount = 0;
    std::string unit;
};

// "90 days", "1 year" (what normalisedAnswers writes for periods) and "USD 1,000,000" (for amounts).
std::optional<Magnitude> magnitude(const std::string& value)
{
    char unit[16] = {};
    double n = 0;
    if (std::sscanf(value.c_str(), "%lf %15[a-z]", &n, unit) == 2) {
        const std::string u = unit;
        for (const auto& [name, days] : {std::pair{"day", 1}, {"week", 7}, {"month", 30}, {"year", 365}})
            if (u == name || u == std::string(name) + "s")
                return Magnitude{n * days, "days"};
        return std::nullopt;
    }
    if (value.size() > 4 && value[3] == ' ' && std::all_of(value.begin(), value.begin() + 3, ::isupper)) {
        std::string digits;
        for (char c : value.substr(4))
            if (c != ',')
                digits += c;
        char* end = nullptr;
        const double amount = std::strtod(digits.c_str(), &end);
        if (end && *end == 0 && !digits.empty())
            return Magnitude{amount, value.substr(0, 3)};
    }
    return std::nullopt;
}

bool sameValue(const std::string& a, const std::string& b)
{
    const auto ma = magnitude(a), mb = magnitude(b);
    if (ma && mb && ma->unit == mb->unit)
        return ma->amount == mb->amount;
    return lowerAscii(a) == lowerAscii(b);
}

// Passages that name the contract (its title, parties, dates) are worded apart in every contract of a set:
// their wording says nothing about its terms.
bool namesTheContract(const std::string& category)
{
    for (const char* c : {"Document Name", "Parties", "Agreement Date", "Effective Date", "Expiration Date"})
        if (category == c)
            return true;
    return false;
}

const Clause* clauseOf(const ContractClauses& c, const std::string& category)
{
    for (const Clause& clause : c.clauses)
        if (clause.category == category)
            return &clause;
    return nullptr;
}

// The set's expected value of a category, or "" when the set has none: the median period or amount, or a value
// more than half of the contracts with an answer share. Two values make no norm: neither is the odd one.
std::string normValue(const std::vector<std::string>& values, bool& byMedian)
{
    byMedian = false;
    if (values.size() < 3)
        return {};
    const auto first = magnitude(values.front());
    std::vector<std::pair<double, std::string>> sized;
    for (const std::string& v : values)
        if (auto m = magnitude(v); m && first && m->unit == first->unit)
            sized.emplace_back(m->amount, v);
    if (sized.size() == values.size()) {
        std::stable_sort(sized.begin(), sized.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        byMedian = true;
        return sized[(sized.size() - 1) / 2].second;  // the lower median: a value some contract has
    }
    for (const std::string& v : values) {
        const auto n = std::count_if(values.begin(), values.end(), [&](const std::string& w) { return sameValue(v, w); });
        if (2 * std::size_t(n) > values.size())
            return v;
    }
    return {};
}

bool standsOut(const std::string& value, const std::string& expected, bool byMedian, double tolerance)
{
    if (!byMedian)
        return !sameValue(value, expected);
    const double v = magnitude(value)->amount, e = magnitude(expected)->amount;
    return std::fabs(v - e) > tolerance * e;
}

}  // namespace

const char* toString(Deviation::Kind kind)
{
    switch (kind) {
    case Deviation::Kind::MissingClause: return "missing clause";
    case Deviation::Kind::UnusualValue: return "unusual value";
    case Deviation::Kind::DifferentWording: return "different wording";
    }
    return "missing clause";
}

const std::vector<std::string>& comparedAnswerCategories()
{
    static const std::vector<std::string> categories = {"Governing Law", "Renewal Term",
                                                        "Notice Period To Terminate Renewal", "Cap On Liability"};
    return categories;
}

std::vector<Deviation> findDeviations(const std::vector<ContractClauses>& set, const DeviationOptions& options)
{
    if (options.reference && *options.reference >= set.size())
        throw std::invalid_argument("reference contract " + std::to_string(*options.reference) + " is not in the set of " +
                                    std::to_string(set.size()));
    const ContractClauses* reference = options.reference ? &set[*options.reference] : nullptr;

    // Categories, each with how many contracts have it.
    std::map<std::string, std::size_t> presence;
    for (const ContractClauses& c : set)
        for (const Clause& clause : c.clauses)
            ++presence[clause.category];

    // Expected clauses: the reference's, or those most of the set has.
    std::map<std::string, std::string> expectedClauses;
    for (const auto& [category, count] : presence) {
        if (reference && clauseOf(*reference, category))
            expectedClauses[category] = "in the reference";
        else if (!reference && double(count) >= options.standardShare * double(set.size()))
            expectedClauses[category] = "in " + std::to_string(count) + " of " + std::to_string(set.size()) + " contracts";
    }

    // Expected values.
    std::map<std::string, std::pair<std::string, bool>> expectedValues;  // category -> (value, by median)
    for (const std::string& category : comparedAnswerCategories()) {
        if (reference) {
            if (auto it = reference->answers.find(category); it != reference->answers.end())
                expectedValues[category] = {it->second, false};
            continue;
        }
        std::vector<std::string> values;
        for (const ContractClauses& c : set)
            if (auto it = c.answers.find(category); it != c.answers.end())
                values.push_back(it->second);
        bool byMedian = false;
        if (std::string v = normValue(values, byMedian); !v.empty())
            expectedValues[category] = {v, byMedian};
    }

    // Wording baselines: the reference's clause, or the most typical of the set's.
    std::map<std::string, std::size_t> baselines;  // category -> contract
    for (const auto& [category, count] : presence) {
        if (namesTheContract(category))
            continue;
        if (reference) {
            if (clauseOf(*reference, category))
                baselines[category] = *options.reference;
            continue;
        }
        if (count < 3)
            continue;
        std::vector<std::string> texts;
        std::vector<std::size_t> owners;
        for (std::size_t i = 0; i < set.size(); ++i)
            if (const Clause* clause = clauseOf(set[i], category)) {
                texts.push_back(clause->text);
                owners.push_back(i);
            }
        baselines[category] = owners[mostTypical(texts)];
    }

    std::vector<Deviation> out;
    for (std::size_t i = 0; i < set.size(); ++i) {
        if (options.reference && i == *options.reference)
            continue;
        const ContractClauses& c = set[i];
        for (const auto& [category, where] : expectedClauses)
            if (!clauseOf(c, category)) {
                Deviation d;
                d.kind = Deviation::Kind::MissingClause;
                d.contract = i;
                d.category = category;
                d.expected = where;
                out.push_back(std::move(d));
            }
        for (const auto& [category, expected] : expectedValues) {
            auto it = c.answers.find(category);
            if (it == c.answers.end() || !standsOut(it->second, expected.first, expected.second, options.valueTolerance))
                continue;
            Deviation d;
            d.kind = Deviation::Kind::UnusualValue;
            d.contract = i;
            d.category = category;
            d.value = it->second;
            d.expected = expected.first;
            if (const Clause* clause = clauseOf(c, category))
                d.clause = *clause;
            out.push_back(std::move(d));
        }
        std::vector<Deviation> wording;
        for (const auto& [category, owner] : baselines) {
            const Clause* clause = clauseOf(c, category);
            if (!clause || owner == i)
                continue;
            const Clause& base = *clauseOf(set[owner], category);
            const double similarity = wordingSimilarity(base.text, clause->text);
            if (similarity >= options.wordingBelow)
                continue;
            Deviation d;
            d.kind = Deviation::Kind::DifferentWording;
            d.contract = i;
            d.category = category;
            d.clause = *clause;
            d.baselineClause = base;
            d.baselineContract = owner;
            d.similarity = similarity;
            d.diff = wordDiff(base.text, clause->text);
            wording.push_back(std::move(d));
        }
        std::stable_sort(wording.begin(), wording.end(),
                         [](const Deviation& a, const Deviation& b) { return a.similarity < b.similarity; });
        out.insert(out.end(), std::make_move_iterator(wording.begin()), std::make_move_iterator(wording.end()));
    }
    return out;
}

}  // namespace folio::analysis
