// The clause matrix model and window on a matrix made by hand: columns, numeric sorting, filtering, the clause
// behind a cell, double-click, export.

#include "folio/ui/clause_matrix_view.h"

#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace folio;

class TestClauseMatrixView : public QObject {
    Q_OBJECT

    static app::ClauseMatrix matrix()
    {
        app::ClauseMatrix m;
        m.categories = {"Governing Law", "Insurance"};
        m.rows = {{1, "/c/Alpha Lease.pdf", {{"Governing Law", "New York"}, {"Agreement Date", "03/03/2025"}}, {"Insurance"}},
                  {2, "/c/Beta Supply.pdf", {{"Governing Law", "Delaware"}}, {}}};
        m.clauses = {{1, "/c/Alpha Lease.pdf", "Governing Law", "governed by the laws of New York", 0.6, 3, {0, 10}, {{3, {10, 20, 200, 30}}}},
                     {2, "/c/Beta Supply.pdf", "Governing Law", "laws of the State of Delaware", 0.9, 5, {0, 10}, {}},
                     {2, "/c/Beta Supply.pdf", "Insurance", "maintain insurance", 0.7, 2, {0, 10}, {}}};
        m.best = {{{1, "Governing Law"}, 0}, {{2, "Governing Law"}, 1}, {{2, "Insurance"}, 2}};
        return m;
    }

private slots:
    void columnsCellsAndSummary()
    {
        ui::ClauseMatrixModel model;
        model.setMatrix(matrix());
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), ui::ClauseMatrixModel::kSummaryColumns + 2);
        QCOMPARE(model.index(0, 0).data().toString(), QString("Alpha Lease.pdf"));
        QCOMPARE(model.index(0, 2).data().toString(), QString("03/03/2025"));
        QCOMPARE(model.index(0, 3).data().toString(), QString("New York"));
        QCOMPARE(model.index(0, 5).data().toString(), QString("Insurance"));
        const int law = ui::ClauseMatrixModel::kSummaryColumns;
        QCOMPARE(model.headerData(law, Qt::Horizontal, Qt::DisplayRole).toString(), QString("Governing Law"));
        QCOMPARE(model.index(1, law).data().toString(), QString("90%"));
        QCOMPARE(model.index(1, law).data(Qt::EditRole).toDouble(), 0.9);
        QVERIFY(model.index(0, law).data(Qt::ToolTipRole).toString().contains("Page 3"));
        QVERIFY(!model.clauseAt(model.index(0, law + 1)));  // Alpha has no insurance clause
        QCOMPARE(model.clauseAt(model.index(1, law + 1))->text, std::string("maintain insurance"));
    }
    void sortsFiltersOpensAndExports()
    {
        ui::ClauseMatrixView view;
        view.setMatrix(matrix());
        const int law = ui::ClauseMatrixModel::kSummaryColumns;
        view.table()->sortByColumn(law, Qt::DescendingOrder);
        QCOMPARE(view.proxy()->index(0, 0).data().toString(), QString("Beta Supply.pdf"));  // 90% before 60%
        view.filter()->setText("new york");
        QCOMPARE(view.proxy()->rowCount(), 1);
        QSignalSpy opened(&view, &ui::ClauseMatrixView::locationRequested);
        emit view.table()->doubleClicked(view.proxy()->index(0, law));
        QCOMPARE(opened.size(), 1);
        const auto l = opened.first().first().value<ui::Location>();
        QCOMPARE(l.document, qint64(1));
        QCOMPARE(l.page, 3);
        QCOMPARE(l.boxes.size(), 1);
        emit view.table()->doubleClicked(view.proxy()->index(0, 0));  // a summary cell opens nothing
        QCOMPARE(opened.size(), 1);

        QTemporaryDir tmp;
        view.exportTo(tmp.filePath("m.csv"));
        QFile csv(tmp.filePath("m.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QByteArray text = csv.readAll();
        QVERIFY(text.startsWith("document,category,confidence,page,text\n"));
        QCOMPARE(text.count('\n'), 4);
        view.exportTo(tmp.filePath("m.xlsx"));
        QFile xlsx(tmp.filePath("m.xlsx"));
        QVERIFY(xlsx.open(QIODevice::ReadOnly));
        QCOMPARE(xlsx.read(2), QByteArray("PK"));
    }
};

Q_DECLARE_METATYPE(folio::ui::Location)
QTEST_MAIN(TestClauseMatrixView)
#include "tst_clausematrixview.moc"
