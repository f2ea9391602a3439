#pragma once

#include "folio/code/code_index.h"
#include "folio/ui/code_intelligence.h"

#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QTextCharFormat>
#include <QVector>
#include <QSyntaxHighlighter>

class QCompleter;
class QTimer;
class QStandardItemModel;

namespace folio::ui {

// Keywords, strings, numbers and comments for the languages repositories are mostly made of (C, C++, Python,
// JavaScript/TypeScript, Java, Go, Rust, shell, CMake). A plain file gets no colours.
class SyntaxHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    explicit SyntaxHighlighter(QTextDocument* document);
    // Language as ingest names it ("C++", "Python", ...); unknown ones turn highlighting off.
    void setLanguage(const QString& language);
    QString language() const { return language_; }

protected:
    void highlightBlock(const QString& text) override;

private:
    struct Rule {
        QRegularExpression pattern;
        QTextCharFormat format;
    };
    QString language_;
    QVector<Rule> rules_;
    QString lineComment_;
    bool blockComments_ = false;
    QTextCharFormat comment_;
};

// A source view with line numbers in a gutter and syntax highlighting. It takes typing as a scratch buffer (the
// window says that edits are not saved) so that completion can be offered: the popup opens on Ctrl+Space or after
// two typed identifier characters, Tab or Enter accepts, Esc closes. When typing pauses with no popup open it asks
// for a model's completion, shown as grey ghost text at the caret: Tab accepts it, Esc dismisses it, and any other
// key drops it (and the request behind it). Ctrl+click asks for the definition of the identifier under the mouse,
// hovering for its description; the window answers.
class CodeView : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit CodeView(QWidget* parent = nullptr);
    void setSource(const QString& text, const QString& language);
    SyntaxHighlighter* highlighter() const { return highlighter_; }
    int gutterWidth() const;
    // Paints the line numbers of the visible blocks; called by the gutter widget.
    void paintGutter(QPaintEvent* event);

    // Where a cursor is as the code index counts: 0-based line and byte (UTF-8) column.
    static code::Position positionOf(const QTextCursor& cursor);
    // The cursor on the identifier at or just before `cursor` (a caret right after a word still means the word).
    QTextCursor identifierCursor(QTextCursor cursor) const;
    // Selects `length` characters at (0-based line, character column) and scrolls them into the middle.
    void showSpot(int line, int column, int length);

    // The identifier characters just before the caret: what completion completes.
    QString wordBeforeCursor() const;
    // Fills the completion popup (best first) and opens it at the caret; an empty list closes it.
    void showCompletions(const QVector<CodeCompletion>& completions);
    QCompleter* completer() const { return completer_; }

    // The model's completion at the caret as ghost text (empty: none). It stays only while the caret does not move.
    void setGhostText(const QString& text);
    QString ghostText() const { return ghost_; }
    // How long typing must pause before a model completion is asked for (0: never, no model set).
    void setModelCompletionDelay(int milliseconds);

signals:
    void definitionRequested(const QTextCursor& at);
    void hoverRequested(const QTextCursor& at, const QPoint& globalPos);
    void completionRequested();
    // Typing paused: the window may ask the model for a completion at the caret.
    void modelCompletionRequested();
    // The user typed or moved on: a pending model completion is no longer wanted.
    void modelCompletionCancelled();

protected:
    void resizeEvent(QResizeEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    void acceptCompletion();

    QWidget* gutter_;
    SyntaxHighlighter* highlighter_;
    QCompleter* completer_;
    QStandardItemModel* completions_;
    QString ghost_;
    int ghostPosition_ = -1;  // the caret position the ghost text belongs to
    QTimer* pause_;
};

}  // namespace folio::ui
