// The deviations window in the workbench over analysed sample contracts (one a copy of the services agreement
// under Delaware law): the norm, a chosen reference, the word diff of a row, double-click to the clause's page,
// export; with FOLIO_SCREENSHOT_DIR set, docs/screenshots/deviations.png.

#include "folio/app/analysis_service.h"
#include "folio/app/ingest_service.h"
#include "folio/app/sample_contracts.h"
#include "folio/ui/deviations_view.h"
#include "folio/ui/main_window.h"
#include "folio/ui/pdf_page_view.h"

#include <QComboBox>
#include <QFile>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

using namespace folio;
using Kind = analysis::Deviation::Kind;

class TestDeviationsView : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    QString workspace;

    // The proxy row of the first deviation of `kind` in `category` of a contract whose name holds `file`.
    static int rowOf(ui::DeviationsView& view, const QString& file, Kind kind, const std::string& category)
    {
        for (int row = 0; row < view.proxy()->rowCount(); ++row) {
            const int source = view.proxy()->mapToSource(view.proxy()->index(row, 0)).row();
            const auto& d = view.model()->deviationAt(source);
            if (view.proxy()->index(row, ui::DeviationsModel::Contract).data().toString().contains(file) &&
                d.kind == kind && d.category == category)
                return row;
        }
        return -1;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        const QString pdfs = tmp.filePath("contracts");
        app::writeSampleContracts(pdfs.toStdString());
        app::ContractPdfSpec delaware = app::sampleContracts().front().spec;
        for (auto& p : delaware.paragraphs)
            if (auto at = p.text.find("State of New York"); at != std::string::npos)
                p.text.replace(at, 17, "State of Delaware");
        app::writeContractPdf(delaware, (pdfs + "/Northwind-Harbor MSA (Delaware).pdf").toStdString());
        workspace = tmp.filePath("ws");
        app::WorkspaceStore store(workspace.toStdString());
        app::IngestService(store).ingest({pdfs.toStdString()}, {});
        QCOMPARE(app::analyseWorkspace(workspace.toStdString(), false, {}).analysed, 4);
    }
    void showsTheNormThenAReferenceAndOpensClauses()
    {
        ui::MainWindow window(workspace);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ui::DeviationsView* view = window.showDeviations();
        QVERIFY(QTest::qWaitForWindowExposed(view));
        QCOMPARE(view->model()->columnCount(), int(ui::DeviationsModel::ColumnCount));
        QCOMPARE(view->referenceBox()->count(), 5);  // the norm, then the four contracts
        QCOMPARE(view->referenceBox()->currentIndex(), 0);
        QVERIFY(!view->model()->report().reference);
        QVERIFY(view->model()->rowCount() > 0);

        // Against the services agreement: the Delaware copy's governing law stands out, on page 3.
        int services = -1;
        for (int i = 1; i < view->referenceBox()->count(); ++i)
            if (view->referenceBox()->itemText(i) == "Northwind-Harbor Master Services Agreement.pdf") services = i;
        QVERIFY(services > 0);
        view->referenceBox()->setCurrentIndex(services);
        QVERIFY(view->model()->report().reference);
        QCOMPARE(view->referenceBox()->currentIndex(), services);
        const int law = rowOf(*view, "Delaware", Kind::UnusualValue, "Governing Law");
        QVERIFY(law >= 0);
        QCOMPARE(view->proxy()->index(law, ui::DeviationsModel::Value).data().toString(), QString("Delaware"));
        QCOMPARE(view->proxy()->index(law, ui::DeviationsModel::Expected).data().toString(), QString("New York"));
        view->table()->selectRow(law);
        QVERIFY(view->details()->toPlainText().contains("Delaware, expected New York"));
        emit view->table()->doubleClicked(view->proxy()->index(law, 0));
        QCOMPARE(window.pdfView()->currentPage(), 3);
        const auto& lawDeviation =
            view->model()->deviationAt(view->proxy()->mapToSource(view->proxy()->index(law, 0)).row());
        const qint64 opened = window.currentDocumentId();
        QCOMPARE(opened, view->model()->report().contracts[lawDeviation.contract].documentId);

        // The licence's governing-law clause is worded apart from the reference's: the diff strikes out the
        // reference's words and underlines the licence's.
        const int wording = rowOf(*view, "Software License", Kind::DifferentWording, "Governing Law");
        QVERIFY(wording >= 0);
        view->table()->selectRow(wording);
        const QString details = view->details()->toPlainText();
        QVERIFY2(details.contains("alike") && details.contains("New York") && details.contains("California"),
                 qPrintable(details));
        QVERIFY(view->details()->toHtml().contains("line-through"));
        QCOMPARE(ui::diffHtml(analysis::wordDiff("laws of New York", "laws of Delaware")),
                 QString("laws of <s style=\"color:#c0392b\">New York</s> <u style=\"color:#1e8449\">Delaware</u>"));

        // A missing clause has no page to open: the open document stays.
        const int missing = rowOf(*view, "Commercial Lease", Kind::MissingClause, "Cap On Liability");
        QVERIFY(missing >= 0);
        emit view->table()->doubleClicked(view->proxy()->index(missing, 0));
        QCOMPARE(window.currentDocumentId(), opened);

        // Sorting by similarity puts the least alike wording first.
        view->table()->sortByColumn(ui::DeviationsModel::Similarity, Qt::AscendingOrder);
        const QString first = view->proxy()->index(0, ui::DeviationsModel::Similarity).data().toString();
        QVERIFY2(first.endsWith('%'), qPrintable(first));
        view->table()->selectRow(0);
        QTest::qWait(50);
        const QString dir = qEnvironmentVariable("FOLIO_SCREENSHOT_DIR");
        if (!dir.isEmpty()) QVERIFY(view->grab().save(dir + "/deviations.png"));

        view->exportTo(tmp.filePath("deviations.xlsx"));
        QFile xlsx(tmp.filePath("deviations.xlsx"));
        QVERIFY(xlsx.open(QIODevice::ReadOnly));
        QCOMPARE(xlsx.read(2), QByteArray("PK"));

        // Back to the norm.
        view->referenceBox()->setCurrentIndex(0);
        QVERIFY(!view->model()->report().reference);
    }
};

QTEST_MAIN(TestDeviationsView)
#include "tst_deviationsview.moc"
