#pragma once

#include "folio/ui/code_intelligence.h"

#include <QDialog>

class QLineEdit;
class QTreeWidget;

namespace folio::ui {

// Go to symbol (Ctrl+T): the workspace's symbols matching what is typed (fuzzy, best first) as kind, name,
// container and path:line, refreshed as the query changes; Enter or a double-click opens the one selected.
class SymbolSearchDialog : public QDialog {
    Q_OBJECT
public:
    SymbolSearchDialog(CodeIntelligence* code, QWidget* parent = nullptr);
    QLineEdit* query() const { return query_; }
    QTreeWidget* list() const { return list_; }

signals:
    void symbolChosen(const CodeSpot& spot);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void fill(const QVector<CodeSymbol>& symbols);
    void choose();

    CodeIntelligence* code_;
    QLineEdit* query_;
    QTreeWidget* list_;
    QVector<CodeSymbol> symbols_;
};

}  // namespace folio::ui
