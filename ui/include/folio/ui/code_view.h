#pragma once

#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QTextCharFormat>
#include <QVector>
#include <QSyntaxHighlighter>

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

// A read-only source view with line numbers in a gutter and syntax highlighting.
class CodeView : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit CodeView(QWidget* parent = nullptr);
    void setSource(const QString& text, const QString& language);
    SyntaxHighlighter* highlighter() const { return highlighter_; }
    int gutterWidth() const;
    // Paints the line numbers of the visible blocks; called by the gutter widget.
    void paintGutter(QPaintEvent* event);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    QWidget* gutter_;
    SyntaxHighlighter* highlighter_;
};

}  // namespace folio::ui
