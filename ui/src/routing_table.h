#pragma once

#include "folio/engine/routing_counts.h"

#include <QTableWidget>

namespace folio::ui {

// A MoE model's routing as a grid: a row per layer, its load balance (the coefficient of variation of its
// counts) first, then the tokens each expert received, shaded by their share of the layer's busiest expert.
class RoutingTable : public QTableWidget {
    Q_OBJECT
public:
    explicit RoutingTable(QWidget* parent = nullptr);
    void showCounts(const engine::RoutingCounts& counts);
    // Column of expert e.
    static int expertColumn(std::int64_t expert) { return int(expert) + 1; }
};

}  // namespace folio::ui
