#pragma once

// Routing telemetry of a mixture-of-experts model: how many tokens each layer sent to each of its experts.

#include <cstdint>
#include <vector>

namespace folio::engine {

struct RoutingCounts {
    std::int64_t layers = 0, experts = 0, expertsUsed = 0;
    std::int64_t tokens = 0;             // tokens that went through the layers
    std::vector<std::uint64_t> counts;   // layers x experts, row by row

    bool empty() const { return counts.empty(); }
    std::uint64_t at(std::int64_t layer, std::int64_t expert) const { return counts[std::size_t(layer * experts + expert)]; }
    std::uint64_t layerTotal(std::int64_t layer) const;
    // The coefficient of variation of a layer's counts (standard deviation over mean, population form): 0 when
    // every expert got as many tokens, sqrt(experts - 1) when one got them all; 0 for a layer that routed nothing.
    double imbalance(std::int64_t layer) const;
    // Adds the counts of another table of the same shape (several sessions of one run); an empty one takes
    // the other's shape.
    void add(const RoutingCounts& other);
};

}  // namespace folio::engine
