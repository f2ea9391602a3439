#include "folio/ui/code_outline_tree.h"

#include <QHeaderView>

namespace folio::ui {
namespace {

constexpr int SymbolRole = Qt::UserRole + 1;  // index into the symbols shown

}  // namespace

CodeOutlineTree::CodeOutlineTree(QWidget* parent) : QTreeWidget(parent)
{
    setHeaderLabels({tr("Definition"), tr("Kind"), tr("Line")});
    setUniformRowHeights(true);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    auto request = [this](QTreeWidgetItem* item) {
        const int i = item->data(0, SymbolRole).toInt();
        if (i >= 0 && i < symbols_.size()) emit spotRequested(symbols_[i].spot);
    };
    connect(this, &QTreeWidget::itemActivated, this, request);
    connect(this, &QTreeWidget::itemClicked, this, request);
}

void CodeOutlineTree::setSymbols(const QVector<CodeSymbol>& symbols)
{
    clear();
    symbols_ = symbols;
    // The definitions still open around the one being placed: it goes under the innermost that encloses it.
    QVector<std::pair<QTreeWidgetItem*, int>> open;  // item, last line
    for (int i = 0; i < symbols.size(); ++i) {
        const CodeSymbol& s = symbols[i];
        while (!open.isEmpty() && (s.spot.line > open.last().second || s.endLine > open.last().second)) open.removeLast();
        const QStringList columns{s.name, s.kind, QString::number(s.spot.line + 1)};
        auto* item = open.isEmpty() ? new QTreeWidgetItem(this, columns) : new QTreeWidgetItem(open.last().first, columns);
        item->setData(0, SymbolRole, i);
        item->setToolTip(0, s.signature);
        open.push_back({item, s.endLine});
    }
    expandAll();
}

}  // namespace folio::ui
