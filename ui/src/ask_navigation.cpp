// The window's part of the Ask dock: its place among the docks, the scopes it offers (sources, the open document,
// the selection), and citations opened as places in the history.

#include "folio/ui/ask_dock.h"
#include "folio/ui/ask_engine.h"
#include "folio/ui/code_view.h"
#include "folio/ui/engine_status_view.h"
#include "folio/ui/main_window.h"

#include "folio/app/workspace_store.h"

#include <QDockWidget>
#include <QFileInfo>
#include <QTextBlock>

namespace folio::ui {

void MainWindow::setUpAsk()
{
    ask_ = new AskDock;
    auto* dock = new QDockWidget(tr("Ask"), this);
    dock->setObjectName("askDock");
    dock->setWidget(ask_);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    tabifyDockWidget(outlineDock_, dock);
    connect(ask_, &AskDock::citationActivated, this, &MainWindow::showCitation);
    connect(text_, &CodeView::modelCompletionRequested, this, &MainWindow::requestModelCompletion);
    connect(text_, &CodeView::modelCompletionCancelled, this, [this] {
        ++completionRequest_;
        ask_->cancelCompletion();
    });
    connect(ask_, &AskDock::completionReady, this, [this](quint64 id, const QString& text) {
        if (id == completionRequest_ && codeFileShown()) text_->setGhostText(text);
    });
    connect(ask_, &AskDock::engineMeasured, this,
            [this] { engineStatus_->showRun(ask_->engine()->lastRun(), ask_->engine()->cacheStats()); });
    connect(text_, &QPlainTextEdit::selectionChanged, this, [this] {
        if (codeFileShown()) ask_->setSelection(currentDocument_, text_->textCursor().selectedText().replace(QChar(0x2029), '\n'));
    });
}

void MainWindow::updateAskScopes()
{
    QVector<QPair<QString, std::set<std::int64_t>>> sources;
    for (const auto& s : store_->sources()) {
        std::set<std::int64_t> ids;
        for (const auto& d : store_->documents(s.id)) ids.insert(d.id);
        sources.append({QFileInfo(QString::fromStdString(s.location)).fileName(), ids});
    }
    ask_->setSources(sources);
}

void MainWindow::updateModelCompletion()
{
    // A pause of half a second: long enough not to ask in the middle of a word typed at speed.
    text_->setModelCompletionDelay(ask_->hasEngine() ? 500 : 0);
}

void MainWindow::requestModelCompletion()
{
    if (!codeFileShown() || !ask_->hasEngine()) return;
    const auto record = store_->document(currentDocument_);
    if (!record) return;
    CompletionRequest request;
    request.id = ++completionRequest_;
    for (const auto& d : store_->documents(record->sourceId)) request.documents.insert(d.id);
    if (const auto source = store_->source(record->sourceId))
        request.repositoryName = QFileInfo(QString::fromStdString(source->location)).fileName();
    request.path = currentPath_;
    // The buffer as edited, not the stored file: the completion is for what the user sees.
    const QString text = text_->toPlainText();
    const int caret = text_->textCursor().position();
    request.prefix = text.left(caret);
    request.suffix = text.mid(caret);
    ask_->requestCompletion(request);
}

void MainWindow::showCitation(const app::Citation& c)
{
    Location l;
    l.document = c.documentId;
    if (c.kind == "pdf") {
        // The cited page with its body text highlighted.
        l.page = c.page > 0 ? c.page : 1;
        const auto doc = store_->loadDocument(c.documentId);
        for (const auto& page : doc.pages)
            if (page.number == l.page)
                for (const auto& line : page.lines)
                    if (line.role == ingest::LineRole::Body) l.boxes.append(QRectF(line.box.x0, line.box.y0, line.box.width(), line.box.height()));
        l.color = QColor(120, 190, 255);
    } else {
        // The cited lines selected: from the first line's start over every character to the last line's end.
        l.line = c.line > 0 ? c.line : 1;
        const QStringList lines = QString::fromStdString(store_->loadDocument(c.documentId).text).split('\n');
        const int last = std::min<int>(c.lineEnd > 0 ? c.lineEnd : l.line, int(lines.size()));
        for (int i = l.line; i <= last; ++i) l.length += int(lines[i - 1].size()) + (i < last ? 1 : 0);
    }
    navigateTo(l);
}

}  // namespace folio::ui
