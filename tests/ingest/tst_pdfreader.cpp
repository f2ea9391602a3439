#include "folio/app/contract_pdf.h"
#include "folio/ingest/pdf_reader.h"
#include "pdf_fixtures.h"

#include <QGuiApplication>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <set>

using namespace folio;
using ingest::DocumentStatus;
using ingest::LineRole;

class TestPdfReader : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    QString path(const char* name) { return dir.filePath(name); }
    ingest::Document read(const QString& p) { return ingest::PdfReader().read(p.toStdString()); }

private slots:
    void readsLinesWithLayoutCues()
    {
        test::writeSampleContract(path("contract.pdf"), 3);
        const auto doc = read(path("contract.pdf"));
        QCOMPARE(doc.status, DocumentStatus::Ok);
        QVERIFY2(doc.pages.size() >= 3, "three pages of body text");
        QCOMPARE(doc.contentHash.size(), std::size_t(64));
        QCOMPARE(doc.metadata.at("Creator"), std::string("Folio"));
        const auto& first = doc.pages[0];
        QCOMPARE(first.width, 612.0f);
        QCOMPARE(first.height, 792.0f);
        // Running header, title, then body; the title is larger and bold.
        QCOMPARE(first.lines[0].role, LineRole::PageHeader);
        QCOMPARE(first.lines[0].text, std::string("Supply Agreement - Acme Corp."));
        QCOMPARE(first.lines[1].text, std::string("SUPPLY AGREEMENT"));
        QVERIFY(first.lines[1].bold);
        QVERIFY(first.lines[1].fontSize > first.lines[2].fontSize + 3);
        QCOMPARE(first.lines.back().role, LineRole::PageFooter);
        QCOMPARE(first.lines.back().text, std::string("Page 1 of ") + std::to_string(doc.pages.size()));
        // Rectangles are in points from the top-left corner, word boxes inside their line.
        for (const auto& line : first.lines) {
            QVERIFY(line.box.x0 >= 0 && line.box.x1 <= 612 && line.box.y0 >= 0 && line.box.y1 <= 792);
            QVERIFY(line.box.y1 > line.box.y0);
            for (const auto& w : line.wordBoxes) QVERIFY(w.x0 >= line.box.x0 - 0.01f && w.x1 <= line.box.x1 + 0.01f);
        }
        QVERIFY(first.lines[1].box.y0 < first.lines[2].box.y0);  // reading order runs down the page
        QVERIFY(first.lines[2].box.y0 > 60);
    }
    void headingStartsItsOwnBlock()
    {
        test::writeSampleContract(path("blocks.pdf"), 1);
        const auto doc = read(path("blocks.pdf"));
        const auto& lines = doc.pages[0].lines;
        auto heading = std::find_if(lines.begin(), lines.end(), [](auto& l) { return l.text == "1. SECTION 1"; });
        QVERIFY(heading != lines.end());
        QVERIFY(heading->bold);
        QVERIFY(heading->block != (heading + 1)->block);
        QVERIFY(heading->block != (heading - 1)->block);
    }
    void encryptedIsAnError()
    {
        test::writeFile(path("locked.pdf"), test::encryptedPdf());
        const auto doc = read(path("locked.pdf"));
        QCOMPARE(doc.status, DocumentStatus::Error);
        QVERIFY2(doc.reason.find("encrypted") != std::string::npos, doc.reason.c_str());
    }
    void corruptIsAnError()
    {
        test::writeSampleContract(path("good.pdf"), 1);
        QFile good(path("good.pdf"));
        QVERIFY(good.open(QIODevice::ReadOnly));
        const QByteArray bytes = good.readAll();
        test::writeFile(path("truncated.pdf"), bytes.left(300).toStdString());
        const auto truncated = read(path("truncated.pdf"));
        QCOMPARE(truncated.status, DocumentStatus::Error);
        QVERIFY(!truncated.reason.empty());

        test::writeFile(path("garbage.pdf"), "this is not a PDF at all");
        const auto garbage = read(path("garbage.pdf"));
        QCOMPARE(garbage.status, DocumentStatus::Error);
        QVERIFY2(garbage.reason.find("not a PDF") != std::string::npos, garbage.reason.c_str());

        test::writeFile(path("empty.pdf"), "");
        QCOMPARE(read(path("empty.pdf")).status, DocumentStatus::Error);
        QCOMPARE(read(path("missing.pdf")).reason, std::string("file not found"));
    }
    void zeroPagesIsAnError()
    {
        test::writeFile(path("zero.pdf"), test::zeroPagePdf());
        const auto doc = read(path("zero.pdf"));
        QCOMPARE(doc.status, DocumentStatus::Error);
        QVERIFY2(doc.reason.find("no pages") != std::string::npos || doc.reason.find("damaged") != std::string::npos,
                 doc.reason.c_str());
    }
    void blankPagesAreNotScans()
    {
        const std::string content = "BT /F1 12 Tf 72 700 Td (Hello from page one) Tj ET";
        // The catalog declares an output intent, as most HTML-to-PDF conversions do: the reader hides it from
        // Poppler (colour management is not needed for text), which must not change what is read.
        test::writeFile(path("blank.pdf"), test::assemblePdf({
            "<< /Type /Catalog /Pages 2 0 R /OutputIntents [] >>",
            "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
            "/Resources << /Font << /F1 6 0 R >> >> >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}));
        const auto doc = read(path("blank.pdf"));
        QCOMPARE(doc.status, DocumentStatus::Ok);
        QCOMPARE(doc.pages[0].lines[0].text, std::string("Hello from page one"));
        QCOMPARE(doc.pages[0].lines[0].fontSize, 12.0f);
        QCOMPARE(doc.metadata.at("blank_pages"), std::string("2"));
    }
    void scannedPageIsReadByOcr()
    {
        app::ContractPdfSpec spec;
        spec.asImage = true;
        // A page full of text, as scanners see contracts. The lines differ in length: identical lines would
        // line up their spaces into what tesseract takes for a gap between columns.
        std::set<std::string> sentences;
        for (int i = 0; i < 25; ++i) {
            std::string sentence = "A scanned page has";
            for (int j = 0; j < i % 5; ++j) sentence += " very";
            sentence += " few words.";
            sentences.insert(sentence);
            spec.paragraphs.push_back({app::ContractParagraph::Style::Body, sentence, 0});
        }
        app::writeContractPdf(spec, path("scan.pdf").toStdString());
        const auto doc = read(path("scan.pdf"));
        QCOMPARE(doc.status, DocumentStatus::Warning);
        QVERIFY2(doc.reason.starts_with("no text layer: page 1 read by OCR (tesseract "), doc.reason.c_str());
        QCOMPARE(doc.pages.size(), std::size_t(1));
        const auto& page = doc.pages[0];
        QCOMPARE(page.source, ingest::TextSource::Ocr);
        QVERIFY(page.ocrConfidence > 70);
        QCOMPARE(doc.metadata.at("ocr_pages"), std::string("1"));
        // Every body line is the sentence, read whole, with a word box per word inside the page.
        int readWhole = 0;
        for (const auto& line : page.lines) {
            QCOMPARE(line.wordBoxes.size(), std::size_t(std::count(line.text.begin(), line.text.end(), ' ') + 1));
            for (const auto& box : line.wordBoxes)
                QVERIFY(box.x0 >= 0 && box.x1 <= page.width && box.y0 >= 0 && box.y1 <= page.height && box.x0 < box.x1);
            readWhole += int(sentences.count(line.text));
        }
        QVERIFY2(readWhole >= 23, (std::to_string(readWhole) + " of 25, e.g. " + page.lines[1].text).c_str());
        // The running footer, read by OCR too, is recognised as one.
        QCOMPARE(page.lines.back().role, LineRole::PageFooter);
    }
    void cancelStopsBeforeTheNextPage()
    {
        test::writeSampleContract(path("cancelled.pdf"), 2);
        const std::atomic<bool> cancel{true};
        const auto doc = ingest::PdfReader().read(path("cancelled.pdf").toStdString(), &cancel);
        QCOMPARE(doc.status, DocumentStatus::Error);
        QCOMPARE(doc.reason, std::string("cancelled before page 1"));
        QVERIFY(doc.pages.empty());
    }
};

int main(int argc, char** argv)
{
    QGuiApplication app(argc, argv);  // fonts for Qt's PDF writer
    TestPdfReader test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_pdfreader.moc"
