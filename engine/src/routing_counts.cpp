#include "folio/engine/routing_counts.h"

#include <cmath>
#include <numeric>
#include <stdexcept>

namespace folio::engine {

std::uint64_t RoutingCounts::layerTotal(std::int64_t layer) const
{
    const auto row = counts.begin() + layer * experts;
    return std::accumulate(row, row + experts, std::uint64_t(0));
}

double RoutingCounts::imbalance(std::int64_t layer) const
{
    const double mean = double(layerTotal(layer)) / double(experts);
    if (mean == 0) return 0;
    double squares = 0;
    for (std::int64_t e = 0; e < experts; ++e) {
        const double d = double(at(layer, e)) - mean;
        squares += d * d;
    }
    return std::sqrt(squares / double(experts)) / mean;
}

void RoutingCounts::add(const RoutingCounts& other)
{
    if (other.empty()) return;
    if (empty()) {
        *this = other;
        return;
    }
    if (other.layers != layers || other.experts != experts)
        throw std::invalid_argument("routing counts of models of different shapes cannot be added");
    for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
    tokens += other.tokens;
}

}  // namespace folio::engine
