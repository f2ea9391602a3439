#include "folio/ui/code_view.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QFontDatabase>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStandardItemModel>
#include <QTextBlock>
#include <QTimer>
#include <QToolTip>
#include <QTreeView>

namespace folio::ui {
namespace {

QStringList keywordsOf(const QString& language)
{
    if (language == "C" || language == "C++" || language == "CUDA")
        return {"auto", "bool", "break", "case", "catch", "char", "class", "const", "constexpr", "continue",
                "default", "delete", "do", "double", "else", "enum", "explicit", "extern", "false", "float", "for",
                "friend", "if", "inline", "int", "long", "namespace", "new", "noexcept", "nullptr", "operator",
                "override", "private", "protected", "public", "return", "short", "signed", "sizeof", "static",
                "struct", "switch", "template", "this", "throw", "true", "try", "typedef", "typename", "union",
                "unsigned", "using", "virtual", "void", "volatile", "while", "#include", "#define", "#if", "#ifdef",
                "#ifndef", "#endif", "#else", "#pragma"};
    if (language == "Python")
        return {"and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
                "except", "False", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "None",
                "nonlocal", "not", "or", "pass", "raise", "return", "True", "try", "while", "with", "yield"};
    if (language == "JavaScript" || language == "TypeScript" || language == "Java" || language == "C#" ||
        language == "Kotlin")
        return {"abstract", "async", "await", "boolean", "break", "case", "catch", "class", "const", "continue",
                "default", "do", "else", "enum", "export", "extends", "false", "final", "finally", "for", "function",
                "if", "implements", "import", "instanceof", "interface", "let", "new", "null", "package", "private",
                "protected", "public", "return", "static", "super", "switch", "this", "throw", "true", "try",
                "typeof", "var", "void", "while", "yield"};
    if (language == "Go")
        return {"break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "for",
                "func", "go", "goto", "if", "import", "interface", "map", "package", "range", "return", "select",
                "struct", "switch", "type", "var", "nil", "true", "false"};
    if (language == "Rust")
        return {"as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if",
                "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
                "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while"};
    if (language == "Shell" || language == "CMake")
        return {"if", "then", "else", "elif", "fi", "for", "while", "do", "done", "case", "esac", "function", "return",
                "export", "local", "set", "endif", "foreach", "endforeach", "function", "endfunction", "macro"};
    return {};
}

}  // namespace

SyntaxHighlighter::SyntaxHighlighter(QTextDocument* document) : QSyntaxHighlighter(document)
{
    comment_.setForeground(QColor(110, 120, 130));
    comment_.setFontItalic(true);
}

void SyntaxHighlighter::setLanguage(const QString& language)
{
    language_ = language;
    rules_.clear();
    const QStringList keywords = keywordsOf(language);
    if (!keywords.isEmpty()) {
        QTextCharFormat keyword;
        keyword.setForeground(QColor(30, 80, 170));
        keyword.setFontWeight(QFont::Bold);
        QStringList escaped;
        for (const QString& k : keywords) escaped << QRegularExpression::escape(k);
        rules_.push_back({QRegularExpression("(?<![\\w#])(" + escaped.join('|') + ")\\b"), keyword});
        QTextCharFormat number;
        number.setForeground(QColor(160, 80, 0));
        rules_.push_back({QRegularExpression("\\b(0x[0-9a-fA-F]+|\\d+(\\.\\d+)?)\\b"), number});
        QTextCharFormat string;
        string.setForeground(QColor(20, 130, 60));
        rules_.push_back({QRegularExpression(R"("(\\.|[^"\\])*"|'(\\.|[^'\\])*')"), string});
    }
    const bool hashComments = language == "Python" || language == "Shell" || language == "CMake";
    lineComment_ = keywords.isEmpty() ? QString() : hashComments ? "#" : "//";
    blockComments_ = !keywords.isEmpty() && !hashComments;
    rehighlight();
}

void SyntaxHighlighter::highlightBlock(const QString& text)
{
    for (const Rule& rule : rules_)
        for (auto it = rule.pattern.globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            setFormat(int(m.capturedStart()), int(m.capturedLength()), rule.format);
        }
    // A "//" or "#" inside a string is not a comment: only look outside double-quoted strings.
    if (!lineComment_.isEmpty()) {
        bool inString = false;
        for (int i = 0; i < text.size(); ++i) {
            if (text[i] == '"' && (i == 0 || text[i - 1] != '\\')) inString = !inString;
            if (!inString && text.mid(i, lineComment_.size()) == lineComment_) {
                setFormat(i, int(text.size()) - i, comment_);
                break;
            }
        }
    }
    setCurrentBlockState(0);
    if (!blockComments_) return;
    int start = previousBlockState() == 1 ? 0 : int(text.indexOf("/*"));
    while (start >= 0) {
        const int end = int(text.indexOf("*/", start));
        const int length = end < 0 ? int(text.size()) - start : end - start + 2;
        if (end < 0) setCurrentBlockState(1);
        setFormat(start, length, comment_);
        start = end < 0 ? -1 : int(text.indexOf("/*", start + length));
    }
}

namespace {

class Gutter : public QWidget {
public:
    explicit Gutter(CodeView* view) : QWidget(view), view_(view) {}
    QSize sizeHint() const override { return {view_->gutterWidth(), 0}; }

protected:
    void paintEvent(QPaintEvent* event) override { view_->paintGutter(event); }

private:
    CodeView* view_;
};

}  // namespace

namespace {

bool isIdentifierChar(QChar c)
{
    return c.isLetterOrNumber() || c == '_';
}

}  // namespace

CodeView::CodeView(QWidget* parent) : QPlainTextEdit(parent)
{
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    gutter_ = new Gutter(this);
    highlighter_ = new SyntaxHighlighter(document());
    connect(this, &QPlainTextEdit::blockCountChanged, this, [this] { setViewportMargins(gutterWidth(), 0, 0, 0); });
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect& rect, int dy) {
        if (dy) gutter_->scroll(0, dy);
        else gutter_->update(0, rect.y(), gutter_->width(), rect.height());
    });
    setViewportMargins(gutterWidth(), 0, 0, 0);
    pause_ = new QTimer(this);
    pause_->setSingleShot(true);
    connect(pause_, &QTimer::timeout, this, [this] {
        if (!completer_->popup()->isVisible() && hasFocus()) emit modelCompletionRequested();
    });
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, [this] {
        if (!ghost_.isEmpty() && textCursor().position() != ghostPosition_) setGhostText({});
    });

    // Name, kind and signature in columns; the list comes ranked from the provider, so the completer shows it
    // as it is instead of filtering it again.
    completions_ = new QStandardItemModel(this);
    completer_ = new QCompleter(completions_, this);
    completer_->setWidget(this);
    completer_->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    auto* popup = new QTreeView;
    popup->setHeaderHidden(true);
    popup->setRootIsDecorated(false);
    popup->setUniformRowHeights(true);
    popup->setFont(font());
    completer_->setPopup(popup);
    connect(completer_, qOverload<const QModelIndex&>(&QCompleter::activated), this, [this] { acceptCompletion(); });
}

void CodeView::setSource(const QString& text, const QString& language)
{
    highlighter_->setLanguage(language);
    setPlainText(text);
}

int CodeView::gutterWidth() const
{
    const int digits = QString::number(std::max(1, blockCount())).size();
    return 12 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * digits;
}

code::Position CodeView::positionOf(const QTextCursor& cursor)
{
    return {cursor.blockNumber(), int(cursor.block().text().left(cursor.positionInBlock()).toUtf8().size())};
}

QTextCursor CodeView::identifierCursor(QTextCursor cursor) const
{
    const QString line = cursor.block().text();
    const int column = cursor.positionInBlock();
    if ((column >= line.size() || !isIdentifierChar(line[column])) && column > 0 && isIdentifierChar(line[column - 1]))
        cursor.movePosition(QTextCursor::Left);
    return cursor;
}

void CodeView::showSpot(int line, int column, int length)
{
    QTextCursor cursor(document()->findBlockByNumber(line));
    cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor, column);
    cursor.movePosition(QTextCursor::Right, QTextCursor::KeepAnchor, length);
    setTextCursor(cursor);
    centerCursor();
}

QString CodeView::wordBeforeCursor() const
{
    const QTextCursor cursor = textCursor();
    const QString line = cursor.block().text();
    int start = cursor.positionInBlock();
    while (start > 0 && isIdentifierChar(line[start - 1])) --start;
    return line.mid(start, cursor.positionInBlock() - start);
}

void CodeView::showCompletions(const QVector<CodeCompletion>& completions)
{
    QAbstractItemView* popup = completer_->popup();
    if (completions.isEmpty()) {
        popup->hide();
        return;
    }
    completions_->clear();
    for (const CodeCompletion& c : completions) {
        auto* name = new QStandardItem(c.name);
        name->setToolTip(c.detail);
        completions_->appendRow({name, new QStandardItem(c.kind), new QStandardItem(c.detail)});
    }
    auto* tree = static_cast<QTreeView*>(popup);
    int width = tree->verticalScrollBar()->sizeHint().width() + 8;
    for (int c = 0; c < completions_->columnCount(); ++c) {
        tree->setColumnWidth(c, popup->sizeHintForColumn(c) + 16);
        width += tree->columnWidth(c);
    }
    QRect at = cursorRect();
    at.translate(viewport()->pos());
    at.setWidth(std::min(width, 720));
    completer_->complete(at);
    popup->setCurrentIndex(completer_->completionModel()->index(0, 0));
}

void CodeView::acceptCompletion()
{
    QModelIndex current = completer_->popup()->currentIndex();
    if (!current.isValid()) current = completer_->completionModel()->index(0, 0);
    completer_->popup()->hide();
    if (!current.isValid()) return;
    QTextCursor cursor = textCursor();
    cursor.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, int(wordBeforeCursor().size()));
    cursor.insertText(current.siblingAtColumn(0).data().toString());
    setTextCursor(cursor);
}

void CodeView::setGhostText(const QString& text)
{
    ghost_ = text;
    ghostPosition_ = textCursor().position();
    viewport()->update();
}

void CodeView::setModelCompletionDelay(int milliseconds)
{
    pause_->setInterval(milliseconds);
    if (milliseconds <= 0) pause_->stop();
}

void CodeView::paintEvent(QPaintEvent* event)
{
    QPlainTextEdit::paintEvent(event);
    if (ghost_.isEmpty()) return;
    // The first line continues at the caret, the others start at the text's left edge.
    QPainter painter(viewport());
    painter.setFont(font());
    painter.setPen(palette().color(QPalette::Disabled, QPalette::Text));
    const QRect caret = cursorRect();
    const QStringList lines = ghost_.split('\n');
    const int left = int(contentOffset().x() + document()->documentMargin());
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const int x = i == 0 ? caret.left() : left;
        const int y = caret.top() + int(i) * fontMetrics().lineSpacing();
        painter.drawText(QRect(x, y, viewport()->width() - x, fontMetrics().lineSpacing()), Qt::AlignLeft | Qt::AlignVCenter, lines[i]);
    }
}

void CodeView::keyPressEvent(QKeyEvent* event)
{
    if (!ghost_.isEmpty() && event->key() == Qt::Key_Tab && !completer_->popup()->isVisible()) {
        const QString text = ghost_;
        setGhostText({});
        insertPlainText(text);
        return;
    }
    if (!ghost_.isEmpty() && event->key() == Qt::Key_Escape) {
        setGhostText({});
        return;
    }
    // Anything else makes a pending or shown model completion stale; a pause asks again.
    if (!ghost_.isEmpty()) setGhostText({});
    emit modelCompletionCancelled();
    if (pause_->interval() > 0 && !event->text().isEmpty()) pause_->start();
    // The popup hands the keys it does not use to the view first: accepting and closing are decided here.
    const bool popupOpen = completer_->popup()->isVisible();
    if (popupOpen && (event->key() == Qt::Key_Tab || event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)) {
        acceptCompletion();
        return;
    }
    if (popupOpen && event->key() == Qt::Key_Escape) {
        completer_->popup()->hide();
        return;
    }
    if (event->key() == Qt::Key_Space && event->modifiers().testFlag(Qt::ControlModifier)) {
        emit completionRequested();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
    const bool typedIdentifier = !event->text().isEmpty() && isIdentifierChar(event->text().back());
    const qsizetype word = wordBeforeCursor().size();
    if ((typedIdentifier && word >= 2) || (popupOpen && event->key() == Qt::Key_Backspace && word > 0))
        emit completionRequested();
    else if (popupOpen && (!typedIdentifier || word == 0))
        completer_->popup()->hide();
}

void CodeView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && event->modifiers().testFlag(Qt::ControlModifier)) {
        const QTextCursor at = identifierCursor(cursorForPosition(event->position().toPoint()));
        setTextCursor(at);
        emit definitionRequested(at);
        return;
    }
    QPlainTextEdit::mousePressEvent(event);
}

bool CodeView::viewportEvent(QEvent* event)
{
    if (event->type() != QEvent::ToolTip) return QPlainTextEdit::viewportEvent(event);
    const auto* help = static_cast<QHelpEvent*>(event);
    const QTextCursor at = identifierCursor(cursorForPosition(help->pos()));
    const QString line = at.block().text();
    if (at.positionInBlock() < line.size() && isIdentifierChar(line[at.positionInBlock()]))
        emit hoverRequested(at, help->globalPos());
    else
        QToolTip::hideText();
    return true;
}

void CodeView::resizeEvent(QResizeEvent* event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect r = contentsRect();
    gutter_->setGeometry(QRect(r.left(), r.top(), gutterWidth(), r.height()));
}

void CodeView::paintGutter(QPaintEvent* event)
{
    QPainter painter(gutter_);
    painter.fillRect(event->rect(), palette().color(QPalette::AlternateBase));
    painter.setPen(palette().color(QPalette::PlaceholderText));
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    const int current = textCursor().blockNumber();
    while (block.isValid() && top <= event->rect().bottom()) {
        const int height = qRound(blockBoundingRect(block).height());
        if (block.isVisible() && top + height >= event->rect().top()) {
            QFont f = painter.font();
            f.setBold(block.blockNumber() == current);
            painter.setFont(f);
            painter.drawText(0, top, gutter_->width() - 6, height, Qt::AlignRight | Qt::AlignVCenter,
                             QString::number(block.blockNumber() + 1));
        }
        block = block.next();
        top += height;
    }
}

}  // namespace folio::ui
