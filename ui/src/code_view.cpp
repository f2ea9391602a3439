#include "folio/ui/code_view.h"

#include <QFontDatabase>
#include <QPaintEvent>
#include <QPainter>
#include <QTextBlock>

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

CodeView::CodeView(QWidget* parent) : QPlainTextEdit(parent)
{
    setReadOnly(true);
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
