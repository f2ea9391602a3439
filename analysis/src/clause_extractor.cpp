#include "folio/analysis/clauses.h"

#include <algorithm>
#include <cmath>

namespace folio::analysis {

StatisticalClauseExtractor::StatisticalClauseExtractor(std::shared_ptr<const ClauseModel> model, double floor,
                                                       int maxPerCategory, double rankDecay, int maxPartyPassages)
    : model_(std::move(model)), floor_(floor), maxPerCategory_(maxPerCategory), rankDecay_(rankDecay),
      maxPartyPassages_(maxPartyPassages)
{
}

std::vector<Clause> StatisticalClauseExtractor::extract(const ContractText& text, const Outline& outline) const
{
    std::vector<ClauseCandidate> candidates = clauseCandidates(text, outline);
    size_t k = model_->categories().size();
    std::vector<std::vector<std::pair<float, size_t>>> scored(k);
    for (size_t i = 0; i < candidates.size(); ++i) {
        std::vector<float> p = model_->predict(clauseFeatures(text, outline, candidates[i]));
        for (size_t c = 0; c < k; ++c)
            if (p[c] >= floor_)
                scored[c].push_back({p[c], i});
    }
    std::vector<Clause> out;
    for (size_t c = 0; c < k; ++c) {
        auto& list = scored[c];
        const int most = model_->categories()[c] == "Parties" ? maxPartyPassages_ : maxPerCategory_;
        std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first > b.first : a.second < b.second;
        });
        // The best passage wins; passages overlapping it say the same thing less well.
        std::vector<TextRange> taken;
        for (const auto& [p, i] : list) {
            const TextRange& r = candidates[i].range;
            if (std::any_of(taken.begin(), taken.end(), [&](const TextRange& t) { return t.overlaps(r); }))
                continue;
            taken.push_back(r);
            Clause clause;
            clause.category = model_->categories()[c];
            clause.range = r;
            clause.text = text.flat(r);
            // Most categories occur once per contract: each further passage is less likely to be another one.
            clause.confidence = p * std::pow(rankDecay_, static_cast<double>(taken.size() - 1));
            clause.page = text.pageAt(r.start);
            clause.regions = text.regions(r);
            out.push_back(std::move(clause));
            if (static_cast<int>(taken.size()) >= most)
                break;
        }
    }
    return out;
}

}  // namespace folio::analysis
