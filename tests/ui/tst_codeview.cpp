// The code view: line numbers need a wider gutter as files grow; keywords, strings and comments get their
// formats per language, and none at all for unknown files.

#include "folio/ui/code_view.h"

#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

using namespace folio;

class TestCodeView : public QObject {
    Q_OBJECT

    static QTextCharFormat formatAt(const ui::CodeView& view, int line, int column)
    {
        const QTextBlock block = view.document()->findBlockByNumber(line);
        for (const auto& range : block.layout()->formats())
            if (column >= range.start && column < range.start + range.length) return range.format;
        return {};
    }

private slots:
    void gutterGrowsWithLineCount()
    {
        ui::CodeView view;
        view.setSource("a\nb\n", "");
        const int small = view.gutterWidth();
        QString many;
        for (int i = 0; i < 12000; ++i) many += "x\n";
        view.setSource(many, "");
        QVERIFY(view.gutterWidth() > small);
    }
    void cppKeywordsStringsAndComments()
    {
        ui::CodeView view;
        view.setSource("int main() { return 0; } // done\nconst char* s = \"// not a comment\";\n/* block\nstill */ int x;\n", "C++");
        QVERIFY(formatAt(view, 0, 0).fontWeight() == QFont::Bold);   // int
        QVERIFY(formatAt(view, 0, 27).fontItalic());                 // // done
        QVERIFY(!formatAt(view, 1, 20).fontItalic());                // inside the string
        QVERIFY(formatAt(view, 1, 20).foreground().color().green() > 100);
        QVERIFY(formatAt(view, 2, 3).fontItalic());                  // block comment
        QVERIFY(formatAt(view, 3, 2).fontItalic());                  // ... on its second line
        QVERIFY(formatAt(view, 3, 9).fontWeight() == QFont::Bold);   // int after the comment
    }
    void pythonAndPlainText()
    {
        ui::CodeView view;
        view.setSource("def f():  # note\n    return None\n", "Python");
        QVERIFY(formatAt(view, 0, 0).fontWeight() == QFont::Bold);
        QVERIFY(formatAt(view, 0, 12).fontItalic());
        view.setSource("def f(): # plain\n", "");
        QVERIFY(view.document()->firstBlock().layout()->formats().isEmpty());
    }
};

QTEST_MAIN(TestCodeView)
#include "tst_codeview.moc"
