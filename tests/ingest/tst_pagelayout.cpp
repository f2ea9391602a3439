#include "folio/ingest/page_layout.h"

#include <QTest>

using namespace folio::ingest;

namespace {

WordBox word(const char* text, float x, float y, float size = 10, bool bold = false)
{
    return {text, Rect{x, y, x + 8.0f * float(std::strlen(text)) * size / 10, y + size}, size, bold};
}

Page pageWith(int number, std::vector<std::string> texts)
{
    Page p;
    p.number = number;
    p.width = 612;
    p.height = 792;
    float y = 30;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        // first line in the top zone, last line in the bottom zone, the rest in between
        if (i == texts.size() - 1) y = 760;
        else if (i == 1) y = 200;
        p.lines.push_back(TextLine{texts[i], Rect{72, y, 400, y + 10}, 10, false, LineRole::Body, 0, {}});
        y += 20;
    }
    return p;
}

}  // namespace

class TestPageLayout : public QObject {
    Q_OBJECT
private slots:
    void groupsWordsIntoLines()
    {
        const auto lines = assembleLines({word("1.1", 72, 100), word("Definitions.", 100, 100, 10, true),
                                          word("The", 72, 114), word("terms", 110, 114),
                                          word("below", 72, 128)});
        QCOMPARE(lines.size(), std::size_t(3));
        QCOMPARE(lines[0].text, std::string("1.1 Definitions."));
        QCOMPARE(lines[0].wordBoxes.size(), std::size_t(2));
        QCOMPARE(lines[1].text, std::string("The terms"));
        QCOMPARE(lines[0].box.x0, 72.0f);
        QCOMPARE(lines[0].fontSize, 10.0f);
    }
    void boldNeedsMostWords()
    {
        auto lines = assembleLines({word("ARTICLE", 72, 100, 12, true), word("I", 150, 100, 12, true),
                                    word("plain", 72, 130), word("text", 120, 130), word("x", 160, 130, 10, true)});
        QVERIFY(lines[0].bold);
        QVERIFY(!lines[1].bold);
        QCOMPARE(lines[0].fontSize, 12.0f);
    }
    void blocksSplitOnGapsAndStyle()
    {
        auto lines = assembleLines({word("Heading", 72, 100, 12, true), word("para", 72, 118), word("more", 72, 130),
                                    word("next", 72, 160)});
        assignBlocks(lines);
        QCOMPARE(lines[0].block, 0);
        QCOMPARE(lines[1].block, 1);
        QCOMPARE(lines[2].block, 1);  // 2 pt gap: same paragraph
        QCOMPARE(lines[3].block, 2);  // 20 pt gap: a new one
    }
    void repeatedEdgeLinesAreRunningHeads()
    {
        std::vector<Page> pages;
        for (int i = 1; i <= 4; ++i)
            pages.push_back(pageWith(i, {"ACME CONFIDENTIAL", "Section " + std::to_string(i) + " body text",
                                         "Page " + std::to_string(i) + " of 4"}));
        markPageHeadersAndFooters(pages);
        for (const Page& p : pages) {
            QCOMPARE(p.lines[0].role, LineRole::PageHeader);
            QCOMPARE(p.lines[1].role, LineRole::Body);
            QCOMPARE(p.lines[2].role, LineRole::PageFooter);
        }
    }
    void uniqueEdgeLinesStayBody()
    {
        std::vector<Page> pages = {pageWith(1, {"MASTER AGREEMENT", "body", "Signed by the parties"}),
                                   pageWith(2, {"1. Definitions", "body", "continued overleaf"}),
                                   pageWith(3, {"2. Term", "body", "- 3 -"})};
        markPageHeadersAndFooters(pages);
        QCOMPARE(pages[0].lines[0].role, LineRole::Body);
        QCOMPARE(pages[1].lines[2].role, LineRole::Body);
        QCOMPARE(pages[2].lines[2].role, LineRole::PageFooter);  // a lone page number
    }
    void ligaturesAndBoldNames()
    {
        QCOMPARE(expandLigatures("\xEF\xAC\x81nal \xEF\xAC\x82oor"), std::string("final floor"));
        QVERIFY(isBoldFontName("ABCDEF+TimesNewRoman,Bold"));
        QVERIFY(isBoldFontName("DejaVuSerif-Bold"));
        QVERIFY(!isBoldFontName("DejaVuSerif"));
    }
};

QTEST_APPLESS_MAIN(TestPageLayout)
#include "tst_pagelayout.moc"
