#include "training_set.h"

#include "folio/analysis/outline.h"

#include <set>

namespace folio::cuad {

namespace {

int words(const std::string& s)
{
    int n = 0;
    bool in = false;
    for (char c : s) {
        bool space = c == ' ';
        n += !space && !in;
        in = !space;
    }
    return n;
}

}  // namespace

std::vector<analysis::TrainingExample> trainingExamples(const ingest::Document& document,
                                                        const LabelledContract& labels,
                                                        const std::vector<std::string>& categories,
                                                        int* labelled, int* reachable)
{
    analysis::ContractText text = analysis::ContractText::fromDocument(document);
    analysis::Outline outline = analysis::Outline::build(text);
    std::vector<analysis::TrainingExample> out;
    std::set<std::pair<size_t, const std::string*>> matched;
    for (const analysis::ClauseCandidate& c : analysis::clauseCandidates(text, outline)) {
        analysis::TrainingExample ex;
        ex.features = analysis::clauseFeatures(text, outline, c);
        ex.labels.assign(categories.size(), 0);
        std::string flat = text.flat(c.range);
        int n = words(flat);
        for (size_t k = 0; k < categories.size(); ++k) {
            auto gold = labels.clauses.find(categories[k]);
            if (gold == labels.clauses.end())
                continue;
            for (const std::string& g : gold->second) {
                int m = words(g);
                // Jaccard >= 0.5 needs word counts within a factor of two; skip the set work otherwise.
                bool possible = categories[k] == "Parties" || (n <= 2 * m + 2 && m <= 2 * n + 2);
                if (possible && matches(categories[k], flat, g)) {
                    ex.labels[k] = 1;
                    matched.insert({k, &g});
                }
            }
        }
        out.push_back(std::move(ex));
    }
    if (labelled)
        for (const std::string& category : categories)
            if (auto it = labels.clauses.find(category); it != labels.clauses.end())
                *labelled += static_cast<int>(it->second.size());
    if (reachable)
        *reachable += static_cast<int>(matched.size());
    return out;
}

}  // namespace folio::cuad
