#include "folio/ui/symbol_search_dialog.h"

#include <QCoreApplication>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace folio::ui {

SymbolSearchDialog::SymbolSearchDialog(CodeIntelligence* code, QWidget* parent) : QDialog(parent), code_(code)
{
    setWindowTitle(tr("Go to symbol"));
    resize(760, 420);
    query_ = new QLineEdit;
    query_->setPlaceholderText(tr("Symbol name: letters in order, e.g. rw for renderWidget"));
    query_->setClearButtonEnabled(true);
    list_ = new QTreeWidget;
    list_->setHeaderLabels({tr("Kind"), tr("Name"), tr("Container"), tr("Where")});
    list_->setRootIsDecorated(false);
    list_->setUniformRowHeights(true);
    list_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    list_->header()->setStretchLastSection(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(query_);
    layout->addWidget(list_);

    // The arrow keys move through the list while the caret stays in the query.
    query_->installEventFilter(this);
    connect(query_, &QLineEdit::textChanged, this, [this](const QString& text) {
        code_->searchSymbols(text.trimmed(), [this](const QVector<CodeSymbol>& symbols) { fill(symbols); });
    });
    connect(query_, &QLineEdit::returnPressed, this, &SymbolSearchDialog::choose);
    connect(list_, &QTreeWidget::itemActivated, this, &SymbolSearchDialog::choose);
}

void SymbolSearchDialog::fill(const QVector<CodeSymbol>& symbols)
{
    symbols_ = symbols;
    list_->clear();
    for (const CodeSymbol& s : symbols) {
        auto* item = new QTreeWidgetItem(list_, {s.kind, s.name, s.container, QString("%1:%2").arg(s.spot.path).arg(s.spot.line + 1)});
        item->setToolTip(1, s.signature);
    }
    if (list_->topLevelItemCount()) list_->setCurrentItem(list_->topLevelItem(0));
}

void SymbolSearchDialog::choose()
{
    const int row = list_->currentItem() ? list_->indexOfTopLevelItem(list_->currentItem()) : -1;
    if (row < 0 || row >= symbols_.size()) return;
    hide();
    emit symbolChosen(symbols_[row].spot);
}

bool SymbolSearchDialog::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == query_ && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_Up || key == Qt::Key_Down || key == Qt::Key_PageUp || key == Qt::Key_PageDown) {
            QCoreApplication::sendEvent(list_, event);
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

}  // namespace folio::ui
