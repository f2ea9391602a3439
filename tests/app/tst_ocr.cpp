// Scanned contracts through the `folio` executable: pages with no text layer are read by OCR, searchable and
// analysed, with OCR named as the text's source; without tesseract's language data the pages are reported unread.

#include "folio_process.h"
#include "scanned_pages.h"

#include <QDir>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>

using namespace folio;

namespace {

// The page a user would scan: a title, a definition the analysis must find, a rare word to search for, and
// contract prose.
std::vector<std::string> scannedContract(int sections)
{
    std::vector<std::string> paragraphs = {
        "MASTER SERVICES AGREEMENT",
        "\"Deliverables\" means the reports and software listed in Exhibit A. The Deliverables shall be shipped to "
        "the Tallinn warehouse of the Customer.",
    };
    for (std::string& p : test::contractParagraphs(sections, 7)) paragraphs.push_back(std::move(p));
    return paragraphs;
}

// How a 200 dpi office scanner sees a page fed in slightly askew.
const test::ScanConditions kOfficeScan{200, 1.0, 12, 200, 3};

}  // namespace

class TestOcr : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    QString scan;
    std::vector<test::ScannedPage> expected;

    test::FolioRun folio(const QString& workspace, const QStringList& args)
    {
        return test::runFolio(QStringList{"--workspace", workspace} + args);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!qgetenv("FOLIO_EXECUTABLE").isEmpty(), "FOLIO_EXECUTABLE names the folio binary (set by ctest)");
        scan = tmp.filePath("scans/scanned-contract.pdf");
        QDir().mkpath(tmp.filePath("scans"));
        expected = test::writeScannedPdf(scan, scannedContract(5), kOfficeScan);
        QCOMPARE(expected.size(), std::size_t(1));
    }
    void scannedPageIsReadSearchedAndAnalysed()
    {
        const QString ws = tmp.filePath("ws");
        const auto ingest = folio(ws, {"ingest", scan, "--json"});
        QVERIFY2(ingest.exitCode == 0, ingest.err.constData());
        const QJsonObject report = ingest.json();
        QCOMPARE(report["pages"].toInt(), 1);
        QCOMPARE(report["ocr_pages"].toInt(), 1);
        QCOMPARE(report["unread_pages"].toInt(), 0);
        const QJsonArray problems = report["problems"].toArray();
        QCOMPARE(problems.size(), 1);
        const QString reason = problems[0].toObject()["reason"].toString();
        QVERIFY2(reason.contains("page 1 read by OCR (tesseract") && reason.contains("mean word confidence"),
                 qPrintable(reason));

        // Provenance: the page's text came from OCR, with the engine's confidence.
        const auto show = folio(ws, {"show", "scanned-contract.pdf", "--json"});
        QCOMPARE(show.exitCode, 0);
        const QJsonObject doc = show.json();
        QVERIFY(doc["metadata"].toObject()["ocr_engine"].toString().startsWith("tesseract "));
        const QJsonObject page = doc["pages"].toArray()[0].toObject();
        QCOMPARE(page["text_source"].toString(), QString("ocr"));
        const double confidence = page["ocr_confidence"].toDouble();
        QVERIFY2(confidence > 70 && confidence <= 100, qPrintable(QString::number(confidence)));

        // The words read back are the words printed, in order; their boxes lie where they were printed.
        std::string text;
        const QJsonArray lines = page["lines"].toArray();
        for (const auto& l : lines) text += l.toObject()["text"].toString().toStdString() + "\n";
        const double accuracy = test::wordAccuracy(expected[0].words, test::comparableWords(text));
        qInfo("word accuracy %.3f over %zu words, mean confidence %.1f", accuracy, expected[0].words.size(), confidence);
        QVERIFY2(accuracy > 0.9, qPrintable(QString::fromStdString(text)));
        const QJsonArray first = lines[0].toObject()["rect"].toArray();
        QVERIFY2(std::abs(first[0].toDouble() - test::kScanMarginPoints) < 8, qPrintable(QString::number(first[0].toDouble())));
        QVERIFY2(std::abs(first[1].toDouble() - test::kScanMarginPoints) < 12, qPrintable(QString::number(first[1].toDouble())));

        // Search finds a word that exists only as pixels in the PDF, on its page, with the paragraph's rectangle.
        const auto search = folio(ws, {"search", "Tallinn", "--json"});
        const QJsonArray hits = QJsonDocument::fromJson(search.out).array();
        QCOMPARE(hits.size(), 1);
        QCOMPARE(hits[0].toObject()["page"].toInt(), 1);
        const QJsonArray rect = hits[0].toObject()["rect"].toArray();
        QVERIFY(rect[0].toDouble() > 50 && rect[2].toDouble() < 562 && rect[1].toDouble() > 50);

        // The analysis reads the OCR text: the definition is found.
        const auto analyze = folio(ws, {"analyze"});
        QVERIFY2(analyze.exitCode == 0, analyze.err.constData());
        const auto terms = folio(ws, {"terms", "scanned-contract.pdf", "--json"});
        QVERIFY2(terms.out.contains("\"Deliverables\""), terms.out.constData());
    }
    void missingLanguageDataIsReportedNotSkipped()
    {
        QTemporaryDir emptyTessdata;
        qputenv("TESSDATA_PREFIX", emptyTessdata.path().toUtf8());
        const QString ws = tmp.filePath("ws-no-ocr");
        const auto ingest = folio(ws, {"ingest", scan, "--json"});
        qunsetenv("TESSDATA_PREFIX");
        QVERIFY2(ingest.exitCode == 0, ingest.err.constData());
        const QJsonObject report = ingest.json();
        QCOMPARE(report["ocr_pages"].toInt(), 0);
        QCOMPARE(report["unread_pages"].toInt(), 1);
        const QString reason = report["problems"].toArray()[0].toObject()["reason"].toString();
        QVERIFY2(reason.contains("OCR is unavailable") && reason.contains("TESSDATA_PREFIX=" + emptyTessdata.path())
                     && reason.contains("cannot be searched"),
                 qPrintable(reason));
        const auto show = folio(ws, {"show", "scanned-contract.pdf", "--json"});
        QCOMPARE(show.json()["pages"].toArray()[0].toObject()["text_source"].toString(), QString("unread"));
        QVERIFY(QJsonDocument::fromJson(folio(ws, {"search", "Tallinn", "--json"}).out).array().isEmpty());
    }
    void interruptStopsBetweenPagesAndTheNextRunFinishes()
    {
        const QString pages = tmp.filePath("long-scan");
        QDir().mkpath(pages);
        const std::size_t pageCount = test::writeScannedPdf(pages + "/long.pdf", scannedContract(40), kOfficeScan).size();
        QVERIFY(pageCount >= 4);
        const QString ws = tmp.filePath("ws-interrupted");
        QProcess process;
        process.start(QString::fromUtf8(qgetenv("FOLIO_EXECUTABLE")), {"--workspace", ws, "ingest", "--threads", "1", pages});
        QVERIFY(process.waitForStarted());
        QThread::msleep(1500);  // into the OCR of the first pages, far from the last
        QCOMPARE(process.state(), QProcess::Running);
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 1);
        QVERIFY2(process.readAllStandardOutput().contains("Stopped early"), "the interrupted run says it stopped");
        // The half-read scan was not stored: the next run reads it whole.
        const auto again = folio(ws, {"ingest", pages, "--json"});
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(again.json()["added"].toInt(), 1);
        QCOMPARE(again.json()["ocr_pages"].toInt(), int(pageCount));
    }
};

int main(int argc, char** argv)
{
    QGuiApplication app(argc, argv);  // fonts for the scanned pages
    TestOcr test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_ocr.moc"
