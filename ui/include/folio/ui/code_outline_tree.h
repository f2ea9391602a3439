#pragma once

#include "folio/ui/code_intelligence.h"

#include <QTreeWidget>

namespace folio::ui {

// The open code file's definitions as a tree (a class holds its members, a namespace what is in it), nested by
// their ranges; clicking one asks the window to show it.
class CodeOutlineTree : public QTreeWidget {
    Q_OBJECT
public:
    explicit CodeOutlineTree(QWidget* parent = nullptr);
    // The file's symbols, outer ones before those inside them (CodeIntelligence::outline gives them so).
    void setSymbols(const QVector<CodeSymbol>& symbols);

signals:
    void spotRequested(const CodeSpot& spot);

private:
    QVector<CodeSymbol> symbols_;
};

}  // namespace folio::ui
