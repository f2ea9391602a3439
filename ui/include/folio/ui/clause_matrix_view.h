#pragma once

#include "folio/app/clause_matrix.h"
#include "folio/ui/analysis_views.h"

#include <QAbstractTableModel>
#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace folio::ui {

// Contracts x (summary columns, then the clause categories). A category cell holds the best clause's confidence
// (sorts as a number, shows as a percentage, its text as the tooltip).
class ClauseMatrixModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // contract, parties, agreement date, governing law, renewal term, missing standard clauses
    static constexpr int kSummaryColumns = 6;
    explicit ClauseMatrixModel(QObject* parent = nullptr);
    void setMatrix(app::ClauseMatrix matrix);
    const app::ClauseMatrix& matrix() const { return matrix_; }
    // The clause behind a cell, or null (summary columns, empty cells).
    const app::StoredClause* clauseAt(const QModelIndex& index) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    app::ClauseMatrix matrix_;
};

// The clause matrix window: filter by contract name or answer, sort any column, double-click a cell to open its
// clause on its page, export the matrix to CSV or XLSX.
class ClauseMatrixView : public QWidget {
    Q_OBJECT
public:
    explicit ClauseMatrixView(QWidget* parent = nullptr);
    void setMatrix(app::ClauseMatrix matrix);
    ClauseMatrixModel* model() const { return model_; }
    QSortFilterProxyModel* proxy() const { return proxy_; }
    QTableView* table() const { return table_; }
    QLineEdit* filter() const { return filter_; }
    // Writes the matrix as CSV (every clause) or XLSX (matrix, clauses, summary) by the file's extension.
    void exportTo(const QString& file);

signals:
    void locationRequested(const Location& location);

private:
    ClauseMatrixModel* model_;
    QSortFilterProxyModel* proxy_;
    QTableView* table_;
    QLineEdit* filter_;
};

}  // namespace folio::ui
