#include "routing_table.h"

#include <QHeaderView>

#include <algorithm>

namespace folio::ui {

RoutingTable::RoutingTable(QWidget* parent) : QTableWidget(parent)
{
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionMode(QAbstractItemView::NoSelection);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
}

void RoutingTable::showCounts(const engine::RoutingCounts& counts)
{
    clear();
    setRowCount(int(counts.layers));
    setColumnCount(int(counts.experts) + 1);
    QStringList columns{tr("CV")};
    for (std::int64_t e = 0; e < counts.experts; ++e) columns << QString::number(e);
    setHorizontalHeaderLabels(columns);
    horizontalHeaderItem(0)->setToolTip(tr("Load balance: the coefficient of variation of the layer's counts "
                                           "(standard deviation / mean); 0 is perfectly even"));
    for (std::int64_t l = 0; l < counts.layers; ++l) {
        setVerticalHeaderItem(int(l), new QTableWidgetItem(tr("layer %1").arg(l)));
        setItem(int(l), 0, new QTableWidgetItem(QString::number(counts.imbalance(l), 'f', 2)));
        std::uint64_t most = 1;
        for (std::int64_t e = 0; e < counts.experts; ++e) most = std::max(most, counts.at(l, e));
        for (std::int64_t e = 0; e < counts.experts; ++e) {
            const std::uint64_t n = counts.at(l, e);
            auto* item = new QTableWidgetItem(QString::number(n));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            // White for an idle expert to a deep orange for the layer's busiest: hot spots stand out.
            const double share = double(n) / double(most);
            item->setBackground(QColor::fromRgbF(1.0, 1.0 - 0.45 * share, 1.0 - 0.85 * share));
            item->setForeground(Qt::black);
            setItem(int(l), expertColumn(e), item);
        }
    }
}

}  // namespace folio::ui
