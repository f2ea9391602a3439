#include "folio/app/ingest_service.h"
#include "folio/app/sample_contracts.h"
#include "folio/ui/clause_matrix_view.h"
#include "folio/ui/code_outline_tree.h"
#include "folio/ui/code_view.h"
#include "folio/ui/document_tree_model.h"
#include "folio/ui/engine_status_view.h"
#include "folio/ui/main_window.h"
#include "folio/ui/pdf_page_view.h"
#include "repo_builder.h"
#include "screenshot.h"

#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QSpinBox>
#include <QTimer>
#include <QFile>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QTreeView>
#include <QTreeWidget>

using namespace folio;
using test::saveScreenshot;

class TestMainWindow : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    QString workspace;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);  // recent workspaces and layout go to a test settings file
        QSettings().clear();                        // every run starts from the default layout
        workspace = tmp.filePath("ws");
        const auto contracts = app::writeSampleContracts(tmp.filePath("contracts").toStdString());
        test::RepoBuilder repo(tmp.filePath("repo").toStdString());
        repo.setFile("src/widget.cpp", "// line 1\n// line 2\nint renderWidget() { return 42; }\n");
        repo.commit("one file");
        app::WorkspaceStore store(workspace.toStdString());
        app::IngestService(store).ingest({tmp.filePath("contracts").toStdString()}, {});
    }
    void showsSourcesAndOpensDocuments()
    {
        ui::MainWindow window(workspace);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* model = window.documentModel();
        QCOMPARE(model->rowCount(), 1);
        QCOMPARE(model->index(0, 0).model()->rowCount(model->index(0, 0)), 3);

        // Selecting a contract shows its first page, rendered.
        const QModelIndex first = model->index(0, 0, model->index(0, 0));
        window.documentTree()->setCurrentIndex(first);
        QCOMPARE(window.currentDocumentId(), first.data(ui::DocumentTreeModel::DocumentIdRole).toLongLong());
        QVERIFY(window.pdfView()->isVisible());
        QCOMPARE(window.pdfView()->currentPage(), 1);
        QVERIFY(window.pdfView()->pageCount() >= 2);
        QVERIFY(window.pdfView()->renderedPage().width() > 600);
        QTest::qWait(50);
        saveScreenshot(window, "main-window.png");
    }
    void searchOpensTheHitOnItsPage()
    {
        ui::MainWindow window(workspace);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.searchBox()->setText("consumer price index");
        QTest::keyClick(window.searchBox(), Qt::Key_Return);
        QCOMPARE(window.searchResults()->count(), 1);
        window.searchResults()->setCurrentRow(0);
        QVERIFY(window.pdfView()->isVisible());
        QCOMPARE(window.pdfView()->currentPage(), 2);  // Section 4.3 of the services agreement is on page 2
        QTest::qWait(50);
        saveScreenshot(window, "search-hit-on-page.png");
    }
    void switchesWorkspaces()
    {
        ui::MainWindow window(workspace);
        QCOMPARE(window.documentModel()->rowCount(), 1);
        window.openWorkspace(tmp.filePath("empty-ws"));
        QCOMPARE(window.workspaceDir(), tmp.filePath("empty-ws"));
        QCOMPARE(window.documentModel()->rowCount(), 0);
        QVERIFY(window.windowTitle().contains("empty-ws"));
        window.openWorkspace(workspace);
        QCOMPARE(window.documentModel()->rowCount(), 1);
        QCOMPARE(QSettings().value("recentWorkspaces").toStringList().first(), workspace);
    }
    void contractAnalysisDocksClausesAndReferences()
    {
        ui::MainWindow window(workspace);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy analysed(&window, &ui::MainWindow::analysisFinished);
        window.analyseContracts();
        QVERIFY(analysed.wait(60000));
        QVERIFY2(analysed.first().first().toString().startsWith("3 contracts analysed"),
                 qPrintable(analysed.first().first().toString()));

        // Select the services agreement: its outline, clauses, terms and references fill the docks.
        auto* model = window.documentModel();
        QModelIndex services;
        for (int i = 0; i < model->rowCount(model->index(0, 0)); ++i) {
            const QModelIndex child = model->index(i, 0, model->index(0, 0));
            if (child.data().toString().contains("Master Services")) services = child;
        }
        QVERIFY(services.isValid());
        window.documentTree()->setCurrentIndex(services);
        auto find = [](QTreeWidget* tree, const QString& text) -> QTreeWidgetItem* {
            const auto items = tree->findItems(text, Qt::MatchStartsWith | Qt::MatchRecursive);
            return items.isEmpty() ? nullptr : items.first();
        };
        QVERIFY(find(window.outlineTree(), "Article 4  FEES AND PAYMENT"));
        QVERIFY(find(window.outlineTree(), "Section 2.2(b)"));
        QTreeWidgetItem* term = find(window.termTree(), "Services");
        QVERIFY(term);
        QVERIFY(term->toolTip(0).contains("forecasting, reporting and support services"));
        window.termTree()->parentWidget()->raise();
        QTest::qWait(50);
        saveScreenshot(window, "defined-terms.png");

        // On the page itself: a reference names its target and follows it, a term shows its definition, dragging
        // selects words for copying.
        const ui::HotSpot* article4 = nullptr;
        const ui::HotSpot* servicesTerm = nullptr;
        for (const ui::HotSpot& h : window.pdfView()->hotSpots()) {
            if (h.tooltip.startsWith("Article 4 FEES AND PAYMENT") && h.page == 1) article4 = &h;
            if (h.tooltip.startsWith("<b>Services</b>") && h.page == 1) servicesTerm = &h;
        }
        QVERIFY(article4 && servicesTerm);
        QCOMPARE(article4->page, 1);
        QVERIFY(servicesTerm->tooltip.contains("forecasting, reporting and support services"));
        QCOMPARE(window.pdfView()->hotSpotAt(article4->box.center()), article4);
        QVERIFY(window.pdfView()->selectWords(article4->box.adjusted(-200, -1, 200, 1)).contains("Article 4"));
        window.pdfView()->copySelection();
        QVERIFY(QApplication::clipboard()->text().contains("Article 4"));
        // Find in the document: a phrase across a line break, each match in turn.
        QCOMPARE(window.pdfView()->find("Confidential Information"), 3);  // Sections 1.4, 6.1, 6.2
        QCOMPARE(window.pdfView()->currentPage(), 1);
        QVERIFY(window.pdfView()->findNext() && window.pdfView()->findNext());
        QCOMPARE(window.pdfView()->currentPage(), 2);
        QCOMPARE(window.pdfView()->highlights().size(), 2);
        emit window.pdfView()->hotSpotActivated(article4->target);
        QCOMPARE(window.pdfView()->currentPage(), 2);
        window.goBack();

        // Clicking a clause shows it on its page, highlighted in its category's colour.
        QTreeWidgetItem* law = find(window.clauseTree(), "Governing Law");
        QVERIFY(law);
        window.clauseTree()->setCurrentItem(law);
        emit window.clauseTree()->itemActivated(law, 0);
        QCOMPARE(window.pdfView()->currentPage(), 3);
        QVERIFY(!window.pdfView()->highlights().isEmpty());
        window.clauseTree()->parentWidget()->raise();
        QTest::qWait(50);
        saveScreenshot(window, "clause-on-its-page.png");

        // Following "Article 4" from page 1 jumps to Article 4 on page 2; Back returns.
        QTreeWidgetItem* reference = find(window.referenceTree(), "Article 4");
        QVERIFY(reference);
        QCOMPARE(reference->text(1), QString("Article 4 FEES AND PAYMENT"));
        emit window.referenceTree()->itemActivated(reference, 0);
        QCOMPARE(window.pdfView()->currentPage(), 2);
        QVERIFY(window.canGoBack());
        window.referenceTree()->parentWidget()->raise();
        QTest::qWait(50);
        saveScreenshot(window, "reference-followed.png");
        window.goBack();
        QCOMPARE(window.pdfView()->currentPage(), 3);
        QVERIFY(window.canGoForward());
        window.goForward();
        QCOMPARE(window.pdfView()->currentPage(), 2);

        // The clause matrix: one row per contract, summary columns then the 41 categories.
        ui::ClauseMatrixView* matrix = window.showClauseMatrix();
        QVERIFY(QTest::qWaitForWindowExposed(matrix));
        QCOMPARE(matrix->model()->rowCount(), 3);
        QCOMPARE(matrix->model()->columnCount(), ui::ClauseMatrixModel::kSummaryColumns + 41);
        int lawColumn = -1;
        for (int c = 0; c < matrix->model()->columnCount(); ++c)
            if (matrix->model()->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString() == "Governing Law") lawColumn = c;
        QVERIFY(lawColumn > 0);
        matrix->filter()->setText("Master Services");
        QCOMPARE(matrix->proxy()->rowCount(), 1);
        QCOMPARE(matrix->proxy()->index(0, 3).data().toString(), QString("New York"));
        const QModelIndex cell = matrix->proxy()->index(0, lawColumn);
        QVERIFY(cell.data().toString().endsWith('%'));
        emit matrix->table()->doubleClicked(cell);
        QCOMPARE(window.pdfView()->currentPage(), 3);
        matrix->filter()->clear();
        matrix->table()->sortByColumn(lawColumn, Qt::DescendingOrder);
        QTest::qWait(50);
        saveScreenshot(*matrix, "clause-matrix.png");
        matrix->exportTo(tmp.filePath("matrix.xlsx"));
        matrix->exportTo(tmp.filePath("matrix.csv"));
        QFile xlsx(tmp.filePath("matrix.xlsx"));
        QVERIFY(xlsx.open(QIODevice::ReadOnly));
        QCOMPARE(xlsx.read(2), QByteArray("PK"));
        QFile csv(tmp.filePath("matrix.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QVERIFY(csv.readAll().contains("Governing Law"));
    }
    void rememberslayout()
    {
        {
            ui::MainWindow window(workspace);
            window.resize(1000, 700);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            // Under a real X server the size arrives asynchronously; close only once the window has it, or
            // the geometry saved on closing may still be the one restored at construction.
            QTRY_COMPARE(window.size(), QSize(1000, 700));
            window.close();
        }
        ui::MainWindow again(workspace);
        QCOMPARE(again.size(), QSize(1000, 700));
    }
    void sessionAndSettingsPersist()
    {
        qint64 lease = 0;
        {
            ui::MainWindow window(workspace);
            lease = window.documentModel()->match(window.documentModel()->index(0, 0), Qt::DisplayRole, "Riverside",
                                                  1, Qt::MatchStartsWith | Qt::MatchRecursive)
                        .first().data(ui::DocumentTreeModel::DocumentIdRole).toLongLong();
            window.openDocument(lease, 2);
            window.close();
        }
        ui::MainWindow again(workspace);
        again.restoreSession();
        QCOMPARE(again.currentDocumentId(), lease);
        QCOMPARE(again.pdfView()->currentPage(), 2);

        // Settings: Cancel keeps them, OK stores them and the clause dock follows the new threshold.
        QTimer::singleShot(0, [] {
            auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            dialog->findChildren<QSpinBox*>()[1]->setValue(90);
            dialog->accept();
        });
        QCOMPARE(again.editSettings(), int(QDialog::Accepted));
        QCOMPARE(QSettings().value("analysis/minConfidence").toInt(), 90);
        QSettings().setValue("analysis/minConfidence", 50);
    }
    void engineStatusSaysWhatIsThere()
    {
        ui::MainWindow window(workspace);
        QVERIFY(window.engineStatus()->text().contains("GPU"));
        QVERIFY(window.engineStatus()->text().contains("Model</b>: none chosen"));
        QVERIFY(window.engineStatus()->text().contains("Context cache</b>: empty"));
        QSettings().setValue("engine/model", tmp.filePath("missing.gguf"));
        window.engineStatus()->refresh(workspace);
        QVERIFY2(window.engineStatus()->text().contains("missing.gguf"), qPrintable(window.engineStatus()->text()));
        QSettings().remove("engine/model");
        QCOMPARE(window.engineStatus()->pruneToBudget(), std::uint64_t(0));  // nothing cached, nothing removed
        QVERIFY(window.engineStatus()->text().contains("Context cache</b>: empty"));
    }
    void removesASource()
    {
        const QString copy = tmp.filePath("ws-remove");
        {
            app::WorkspaceStore store(copy.toStdString());
            app::IngestService(store).ingest({tmp.filePath("contracts").toStdString()}, {});
        }
        ui::MainWindow window(copy);
        QCOMPARE(window.documentModel()->rowCount(), 1);
        const qint64 source = window.documentModel()->index(0, 0).data(ui::DocumentTreeModel::SourceIdRole).toLongLong();
        window.removeSource(source);
        QCOMPARE(window.documentModel()->rowCount(), 0);
    }
    void ingestRunsOnAWorkerAndOpensCode()
    {
        ui::MainWindow window(workspace);
        window.show();
        QSignalSpy finished(&window, &ui::MainWindow::ingestFinished);
        window.ingestPaths({tmp.filePath("repo")});
        QVERIFY(window.isIngesting());
        QVERIFY(finished.wait(30000));
        QVERIFY2(finished.first().first().toString().startsWith("1 added"), qPrintable(finished.first().first().toString()));
        QCOMPARE(window.documentModel()->rowCount(), 2);

        window.runSearch("renderWidget");
        QCOMPARE(window.searchResults()->count(), 1);
        window.searchResults()->setCurrentRow(0);
        QVERIFY(window.textView()->isVisible());
        QVERIFY(window.textView()->toPlainText().contains("return 42"));
        QCOMPARE(window.textView()->textCursor().blockNumber(), 2);  // line 3
        // Line numbers in the gutter, C++ colours: "int" is a keyword, "// line 1" a comment.
        QVERIFY(window.textView()->gutterWidth() > 10);
        QCOMPARE(window.textView()->highlighter()->language(), QString("C++"));
        const QTextBlock third = window.textView()->document()->findBlockByNumber(2);
        const auto formats = third.layout()->formats();
        QVERIFY(!formats.isEmpty());
        QVERIFY(formats.first().format.fontWeight() == QFont::Bold);
        const QTextBlock first = window.textView()->document()->findBlockByNumber(0);
        QVERIFY(first.layout()->formats().first().format.fontItalic());
        // The Outline dock shows the file's definitions, from the code index ingest wrote.
        QTRY_COMPARE(window.codeOutline()->topLevelItemCount(), 1);
        QCOMPARE(window.codeOutline()->topLevelItem(0)->text(0), QString("renderWidget"));
        saveScreenshot(window, "code-search-hit.png");
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
