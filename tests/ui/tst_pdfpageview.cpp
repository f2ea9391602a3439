// The PDF page view on its own: pages, fit to width, highlights, find across line breaks, word selection and
// copy, hot spots, and a clear error for a file that is not a PDF.

#include "folio/app/sample_contracts.h"
#include "folio/ingest/pdf_reader.h"
#include "folio/ui/page_overlays.h"
#include "folio/ui/pdf_page_view.h"

#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace folio;

class TestPdfPageView : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    QString file;
    ingest::Document doc;

private slots:
    void initTestCase()
    {
        const auto files = app::writeSampleContracts(tmp.filePath("c").toStdString());
        for (const auto& f : files)
            if (f.find("Master Services") != std::string::npos) file = QString::fromStdString(f);
        doc = ingest::PdfReader().read(file.toStdString());
        QCOMPARE(doc.status, ingest::DocumentStatus::Ok);
    }
    void pagesFitWidthAndHighlights()
    {
        ui::PdfPageView view;
        view.resize(900, 700);
        view.show();
        QVERIFY(view.openFile(file));
        QCOMPARE(view.pageCount(), 4);
        const int wide = view.renderedPage().width();
        view.resize(600, 700);
        QTest::qWait(20);
        QVERIFY(view.renderedPage().width() < wide);  // fit width follows the window
        view.showPage(3, {QRectF(72, 300, 200, 12)}, QColor(255, 0, 0));
        QCOMPARE(view.currentPage(), 3);
        QCOMPARE(view.highlights().size(), 1);
        view.showPage(99);  // out of range: stays where it is
        QCOMPARE(view.currentPage(), 3);
    }
    void findSelectCopyAndHotSpots()
    {
        ui::PdfPageView view;
        QVERIFY(view.openFile(file));
        view.setWords(ui::wordsOf(doc));
        QCOMPARE(view.find("consumer price index"), 1);
        QCOMPARE(view.currentPage(), 2);
        QCOMPARE(view.highlights().size(), 3);
        QCOMPARE(view.find("no such words anywhere"), 0);

        view.showPage(1);
        const QString selected = view.selectWords(QRectF(0, 0, 612, 140));
        QVERIFY2(selected.contains("MASTER SERVICES AGREEMENT"), qPrintable(selected));
        view.copySelection();
        QCOMPARE(QApplication::clipboard()->text(), selected);

        ui::Location target{7, 2, {QRectF(72, 100, 100, 12)}, QColor(0, 0, 255)};
        view.setHotSpots({{1, QRectF(100, 200, 50, 10), "Section 2.3 Changes", target}, {2, QRectF(0, 0, 10, 10), "elsewhere", {}}});
        QVERIFY(view.hotSpotAt(QPointF(120, 205)));
        QCOMPARE(view.hotSpotAt(QPointF(120, 205))->tooltip, QString("Section 2.3 Changes"));
        QVERIFY(!view.hotSpotAt(QPointF(5, 5)));  // that one is on page 2
    }
    void notAPdf()
    {
        QFile bad(tmp.filePath("bad.pdf"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("this is not a PDF");
        bad.close();
        ui::PdfPageView view;
        QVERIFY(!view.openFile(bad.fileName()));
        QVERIFY(view.errorString().contains("bad.pdf"));
    }
};

QTEST_MAIN(TestPdfPageView)
#include "tst_pdfpageview.moc"
