// Outline: the hierarchy a reader sees in a contract, from plain text and from a laid-out PDF.

#include "contract_fixtures.h"

#include "folio/analysis/outline.h"
#include "folio/app/contract_pdf.h"
#include "folio/ingest/pdf_reader.h"

#include <QTemporaryDir>
#include <QTest>

using namespace folio;
using analysis::NodeKind;

class TestOutline : public QObject {
    Q_OBJECT

    // kind, citation, title and parent citation of every node, one line each: easy to compare and to read.
    static QStringList describe(const analysis::Outline& outline)
    {
        QStringList out;
        for (const auto& n : outline.nodes()) {
            QString parent = n.parent < 0 ? "-" : QString::fromStdString(outline.nodes()[n.parent].citation.empty()
                                                                            ? analysis::toString(outline.nodes()[n.parent].kind)
                                                                            : outline.nodes()[n.parent].citation);
            out << QString("%1|%2|%3|%4")
                       .arg(analysis::toString(n.kind), QString::fromStdString(n.citation),
                            QString::fromStdString(n.title), parent);
        }
        return out;
    }

    static QStringList expected()
    {
        return {"title||SUPPLY AGREEMENT|-",
                "preamble||Preamble|-",
                "recitals||RECITALS|-",
                "article|Article I|DEFINITIONS|-",
                "section|Section 1.1||Article I",
                "section|Section 1.2||Article I",
                "section|Section 1.3||Article I",
                "article|Article II|SUPPLY|-",
                "section|Section 2.1|Orders|Article II",
                "section|Section 2.2|Delivery|Article II",
                "item|Section 2.2(a)||Section 2.2",
                "item|Section 2.2(b)||Section 2.2",
                "item|Section 2.2(b)(i)||Section 2.2(b)",
                "item|Section 2.2(b)(ii)||Section 2.2(b)",
                "article|Article III|TERM|-",
                "section|Section 3.1|Term|Article III",
                "section|Section 3.2|Renewal|Article III",
                "section|Section 3.3|Termination|Article III",
                "article|Article IV|MISCELLANEOUS|-",
                "section|Section 4.1|Survival|Article IV",
                "section|Section 4.2|Notices|Article IV",
                "signature||Signatures|-",
                "exhibit|Exhibit A|DELIVERY POINT|-",
                "exhibit|Schedule 2|PRODUCTS|-",
                "section|Section 1||Schedule 2",
                "section|Section 2||Schedule 2"};
    }

private slots:
    void plainTextHierarchy()
    {
        auto text = analysis::ContractText::fromPlainText(test::supplyAgreementText());
        auto outline = analysis::Outline::build(text);
        QCOMPARE(describe(outline), expected());
    }
    void rangesNestAndCoverTheirText()
    {
        auto text = analysis::ContractText::fromPlainText(test::supplyAgreementText());
        auto outline = analysis::Outline::build(text);
        for (const auto& n : outline.nodes()) {
            QVERIFY(n.range.start < n.range.end);
            if (n.parent >= 0) {
                const auto& p = outline.nodes()[n.parent];
                QVERIFY2(p.range.start <= n.range.start && n.range.end <= p.range.end, n.citation.c_str());
            }
        }
        // Section 2.2 runs from its label to Article III, and holds its items.
        const int offset = static_cast<int>(text.text().find("a packing list"));
        std::vector<int> chain = outline.ancestorsAt(offset);
        QCOMPARE(outline.nodes()[chain[0]].citation, std::string("Section 2.2(b)(i)"));
        QCOMPARE(outline.nodes()[chain.back()].citation, std::string("Article II"));
        QCOMPARE(text.slice(outline.nodes()[9].range).substr(0, 13), std::string_view("2.2 Delivery."));
    }
    void pdfHasTheSameOutlineWithPagesAndRectangles()
    {
        QTemporaryDir tmp;
        const QString file = tmp.filePath("supply.pdf");
        app::writeContractPdf(test::supplyAgreementPdf(), file.toStdString());
        ingest::Document doc = ingest::PdfReader().read(file.toStdString());
        QCOMPARE(doc.status, ingest::DocumentStatus::Ok);
        auto text = analysis::ContractText::fromDocument(doc);
        auto outline = analysis::Outline::build(text);
        QCOMPARE(describe(outline), expected());
        // Running headers are not part of any node; every heading has a page and a box on it.
        QVERIFY(text.text().find("Acme / Borealis") == std::string::npos);
        for (const auto& n : outline.nodes()) {
            QVERIFY(n.page >= 1);
            if (n.heading.length() > 0) {
                QVERIFY(!n.regions.empty());
                QCOMPARE(n.regions.front().page, n.page);
                QVERIFY(n.regions.front().box.width() > 0);
            }
        }
        QVERIFY(outline.nodes().back().page >= 2);
    }
    void numbersInTextAreNotSections()
    {
        // Wrapped lines that start with numbers, amounts or years stay inside their paragraph.
        auto text = analysis::ContractText::fromPlainText(
            "1. Payment. Buyer shall pay the price within\n"
            "30 days of the invoice, and in any case by\n"
            "2024. The price is USD\n"
            "1,250.00 per unit.\n\n"
            "2. Taxes. Each Party pays its own taxes.\n");
        auto outline = analysis::Outline::build(text);
        QCOMPARE(outline.nodes().size(), std::size_t(2));
        QCOMPARE(outline.nodes()[1].citation, std::string("Section 2"));
    }
    void numbersSetApartInTheLayout()
    {
        // The numbers stand in a column of their own, which the text layer reads out before the headings: each
        // number goes back in front of the line beside it, and a number a sentence wrapped onto its own line stays.
        auto line = [](std::string text, float x0, float y0, int block) {
            ingest::TextLine l;
            l.text = std::move(text);
            l.box = {x0, y0, x0 + 6.0f * static_cast<float>(l.text.size()), y0 + 10};
            l.fontSize = 10;
            l.block = block;
            float x = x0;
            for (size_t at = 0; at <= l.text.size();) {
                size_t end = std::min(l.text.find(' ', at), l.text.size());
                l.wordBoxes.push_back({x, y0, x + 6.0f * static_cast<float>(end - at), y0 + 10});
                x += 6.0f * static_cast<float>(end - at + 1);
                at = end + 1;
            }
            return l;
        };
        ingest::Document doc;
        doc.kind = ingest::DocumentKind::Pdf;
        ingest::Page page;
        page.width = 612;
        page.height = 792;
        page.lines = {line("2.1", 72, 100, 0),
                      line("2.2", 72, 160, 1),
                      line("Supply. Seller shall supply the Products ordered by Buyer under", 108, 100, 2),
                      line("this Agreement, subject to the capacity limits set out in Section", 108, 112, 2),
                      line("2.2.", 72, 124, 2),
                      line("Capacity. Seller shall keep enough capacity to meet the forecasts.", 108, 160, 3)};
        doc.pages.push_back(page);
        auto text = analysis::ContractText::fromDocument(doc);
        QCOMPARE(text.text(), std::string("2.1 Supply. Seller shall supply the Products ordered by Buyer under\n"
                                          "this Agreement, subject to the capacity limits set out in Section\n"
                                          "2.2.\n"
                                          "2.2 Capacity. Seller shall keep enough capacity to meet the forecasts.\n"));
        QCOMPARE(text.lines()[0].wordBoxes.size(), std::size_t(11));
        QCOMPARE(text.lines()[0].box.x0, 72.0f);
        auto outline = analysis::Outline::build(text);
        QCOMPARE(describe(outline), QStringList({"section|Section 2.1|Supply|-", "section|Section 2.2|Capacity|-"}));
    }
    void oddInputs()
    {
        // No text at all (a scan), a one-page letter, a contract in German: sensible, never a crash.
        QVERIFY(analysis::Outline::build(analysis::ContractText::fromPlainText("")).nodes().empty());
        auto letter = analysis::ContractText::fromPlainText(
            "Dear Ms Smith,\n\nThank you for your order of 3 May. We will deliver on 10 May.\n\nYours sincerely,\nJ. Doe\n");
        const auto letterOutline = analysis::Outline::build(letter);
        for (const auto& n : letterOutline.nodes())
            QVERIFY(n.kind != NodeKind::Article && n.kind != NodeKind::Section);
        auto german = analysis::ContractText::fromPlainText(
            "KAUFVERTRAG\n\n§ 1 Vertragsgegenstand\n\nDer Verkäufer verkauft dem Käufer das Fahrzeug.\n\n"
            "§ 2 Kaufpreis\n\nDer Kaufpreis beträgt 10.000 Euro.\n");
        auto outline = analysis::Outline::build(german);
        QStringList got = describe(outline);
        QCOMPARE(got, QStringList({"title||KAUFVERTRAG|-", "section|Section 1|Vertragsgegenstand|-",
                                   "section|Section 2|Kaufpreis|-"}));
    }
};

QTEST_MAIN(TestOutline)
#include "tst_outline.moc"
