// MainWindow's code navigation: go-to-definition with its chooser, references in the results dock, the hover
// description, go to symbol, the code outline and completion. The index is asked through CodeIntelligence (on
// its worker); the answers come back here and jumps go through the window's history.

#include "folio/app/workspace_store.h"
#include "folio/ui/code_intelligence.h"
#include "folio/ui/code_outline_tree.h"
#include "folio/ui/code_view.h"
#include "folio/ui/main_window.h"
#include "folio/ui/symbol_search_dialog.h"
#include "result_roles.h"

#include <QDockWidget>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTextBlock>
#include <QToolTip>

namespace folio::ui {
namespace {

QString where(const CodeSpot& spot)
{
    return QString("%1:%2").arg(spot.path).arg(spot.line + 1);
}

QString qualified(const CodeSymbol& s)
{
    return s.container.isEmpty() ? s.name : s.container + "::" + s.name;
}

}  // namespace

void MainWindow::setUpCodeNavigation(QMenu* go)
{
    go->addSeparator();
    go->addAction(tr("Go to &definition"), QKeySequence(Qt::Key_F12), this, &MainWindow::goToDefinition);
    go->addAction(tr("Find &references"), QKeySequence(Qt::SHIFT | Qt::Key_F12), this, &MainWindow::findReferences);
    go->addAction(tr("Go to &symbol..."), QKeySequence(tr("Ctrl+T")), this, [this] { showSymbolSearch(); });

    connect(text_, &CodeView::definitionRequested, this, &MainWindow::showDefinitions);
    connect(text_, &CodeView::hoverRequested, this, &MainWindow::showHover);
    connect(text_, &CodeView::completionRequested, this, [this] {
        if (!codeFileShown()) return;
        code_->complete(currentPath_, CodeView::positionOf(text_->textCursor()), text_->toPlainText(),
                        [this](const QVector<CodeCompletion>& items) { text_->showCompletions(items); });
    });
    connect(codeOutline_, &CodeOutlineTree::spotRequested, this, &MainWindow::jumpTo);
}

bool MainWindow::codeFileShown() const
{
    return currentDocument_ && stack_->currentWidget() == codePage_;
}

void MainWindow::rememberCaret()
{
    if (!codeFileShown()) return;
    const QTextCursor caret = text_->textCursor();
    QTextCursor start(text_->document());
    start.setPosition(caret.selectionStart());
    const int length = std::min(caret.selectionEnd(), start.block().position() + start.block().length() - 1) - start.position();
    const Location here{currentDocument_, 0, {}, {}, start.blockNumber() + 1, start.positionInBlock(), length};
    if (historyIndex_ >= 0 && history_[historyIndex_] == here) return;
    history_.resize(historyIndex_ + 1);
    history_.push_back(here);
    historyIndex_ = int(history_.size()) - 1;
}

void MainWindow::jumpTo(const CodeSpot& spot)
{
    std::optional<app::DocumentRecord> document;
    try {
        document = store_->findDocument(spot.path.toStdString());
    } catch (const std::exception& e) {  // the same path in two sources
        statusBar()->showMessage(QString::fromStdString(e.what()));
        return;
    }
    if (!document) {
        statusBar()->showMessage(tr("%1 is no longer in the workspace").arg(spot.path));
        return;
    }
    rememberCaret();
    navigateTo({document->id, 0, {}, {}, spot.line + 1, spot.column, spot.length});
}

void MainWindow::goToDefinition()
{
    if (codeFileShown()) showDefinitions(text_->identifierCursor(text_->textCursor()));
}

void MainWindow::showDefinitions(const QTextCursor& at)
{
    const QPoint below = text_->viewport()->mapToGlobal(text_->cursorRect(at).bottomLeft());
    code_->definitions(currentPath_, CodeView::positionOf(at), CodeIntelligence::Purpose::Jump,
                       [this, below](const QString& name, const QVector<CodeSymbol>& found) {
        if (found.isEmpty()) {
            statusBar()->showMessage(name.isEmpty() ? tr("Not on an identifier")
                                                    : tr("No definition of %1 is known in the workspace (it may come from a library)").arg(name));
            return;
        }
        // The user picks only when the index cannot tell: another definition as near as the best one.
        const bool tie = found.size() > 1 && found[1].tier == found[0].tier && !found[1].declaration;
        if (!tie) {
            jumpTo(found.first().spot);
            return;
        }
        if (chooser_) chooser_->close();
        chooser_ = new QMenu(this);
        chooser_->setAttribute(Qt::WA_DeleteOnClose);
        chooser_->setToolTipsVisible(true);
        chooser_->addSection(tr("%n definition(s) of %1", nullptr, int(found.size())).arg(name));
        for (const CodeSymbol& s : found) {
            const QString text = QString("%1   %2 %3   (%4%5)").arg(where(s.spot), s.kind, qualified(s), s.tier,
                                                                   s.declaration ? tr(", declaration") : QString());
            QAction* action = chooser_->addAction(text, this, [this, spot = s.spot] { jumpTo(spot); });
            action->setToolTip(s.signature);
        }
        chooser_->popup(below);
    });
}

void MainWindow::showHover(const QTextCursor& at, const QPoint& globalPos)
{
    code_->definitions(currentPath_, CodeView::positionOf(at), CodeIntelligence::Purpose::Hover,
                       [this, globalPos](const QString&, const QVector<CodeSymbol>& found) {
        if (found.isEmpty()) {
            QToolTip::hideText();
            return;
        }
        const CodeSymbol& s = found.first();
        // A definition often has its comment on the prototype in the header instead.
        QString doc = s.doc;
        for (const CodeSymbol& other : found)
            if (doc.isEmpty() && qualified(other) == qualified(s)) doc = other.doc;
        QString html = "<pre>" + (s.signature.isEmpty() ? s.kind + ' ' + qualified(s) : s.signature).toHtmlEscaped() + "</pre>";
        if (!doc.isEmpty()) html += "<p>" + doc.toHtmlEscaped().replace('\n', "<br>") + "</p>";
        html += "<p><i>" + tr("%1 %2, %3").arg(s.kind, qualified(s), where(s.spot)).toHtmlEscaped() + "</i></p>";
        QToolTip::showText(globalPos, html, text_);
    });
}

void MainWindow::findReferences()
{
    if (!codeFileShown()) return;
    statusBar()->showMessage(tr("Finding references..."));
    const QTextCursor at = text_->identifierCursor(text_->textCursor());
    code_->references(currentPath_, CodeView::positionOf(at), [this](const QString& name, const QVector<CodeReference>& found) {
        if (found.isEmpty()) {
            statusBar()->showMessage(name.isEmpty() ? tr("Not on an identifier")
                                                    : tr("No definition of %1 is known, so no references are either").arg(name));
            return;
        }
        results_->clear();
        resultsDock_->setWindowTitle(tr("References to %1").arg(name));
        resultsDock_->raise();
        QHash<QString, qint64> documents;
        for (const CodeReference& r : found) {
            if (!documents.contains(r.spot.path)) {
                std::optional<app::DocumentRecord> document;
                try {
                    document = store_->findDocument(r.spot.path.toStdString());
                } catch (const std::exception&) {  // ambiguous: the row stays, without a place to open
                }
                documents.insert(r.spot.path, document ? document->id : 0);
            }
            auto* item = new QListWidgetItem(QString("%1: %2").arg(where(r.spot), r.lineText));
            item->setData(HitDocument, documents.value(r.spot.path));
            item->setData(HitLine, r.spot.line + 1);
            item->setData(HitColumn, r.spot.column);
            item->setData(HitLength, r.spot.length);
            results_->addItem(item);
        }
        statusBar()->showMessage(tr("%n reference(s) to %1", nullptr, int(found.size())).arg(name));
    });
}

SymbolSearchDialog* MainWindow::showSymbolSearch()
{
    if (!symbolSearch_) {
        symbolSearch_ = new SymbolSearchDialog(code_, this);
        connect(symbolSearch_, &SymbolSearchDialog::symbolChosen, this, &MainWindow::jumpTo);
    }
    symbolSearch_->show();
    symbolSearch_->raise();
    symbolSearch_->activateWindow();
    symbolSearch_->query()->setFocus();
    symbolSearch_->query()->selectAll();
    return symbolSearch_;
}

void MainWindow::loadCodeOutline()
{
    codeOutline_->clear();
    code_->outline(currentPath_, [this](const QVector<CodeSymbol>& symbols) { codeOutline_->setSymbols(symbols); });
}

}  // namespace folio::ui
