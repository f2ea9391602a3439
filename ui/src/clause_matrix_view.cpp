#include "folio/ui/clause_matrix_view.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <fstream>

namespace folio::ui {
namespace {

const char* const kSummaryHeaders[] = {"Contract",     "Parties",      "Agreement date",
                                       "Governing law", "Renewal term", "Missing standard clauses"};

QString answer(const app::ClauseMatrix::Row& row, const char* category)
{
    auto it = row.answers.find(category);
    return it == row.answers.end() ? QString() : QString::fromStdString(it->second);
}

}  // namespace

ClauseMatrixModel::ClauseMatrixModel(QObject* parent) : QAbstractTableModel(parent) {}

void ClauseMatrixModel::setMatrix(app::ClauseMatrix matrix)
{
    beginResetModel();
    matrix_ = std::move(matrix);
    endResetModel();
}

int ClauseMatrixModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(matrix_.rows.size());
}

int ClauseMatrixModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : kSummaryColumns + int(matrix_.categories.size());
}

const app::StoredClause* ClauseMatrixModel::clauseAt(const QModelIndex& index) const
{
    if (!index.isValid() || index.column() < kSummaryColumns) return nullptr;
    const auto& row = matrix_.rows[index.row()];
    return matrix_.at(row.documentId, matrix_.categories[index.column() - kSummaryColumns]);
}

QVariant ClauseMatrixModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid()) return {};
    const auto& row = matrix_.rows[index.row()];
    if (index.column() < kSummaryColumns) {
        if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != Qt::EditRole) return {};
        switch (index.column()) {
        case 0: return role == Qt::ToolTipRole ? QString::fromStdString(row.path)
                                               : QFileInfo(QString::fromStdString(row.path)).fileName();
        case 1: return answer(row, "Parties");
        case 2: return answer(row, "Agreement Date");
        case 3: return answer(row, "Governing Law");
        case 4: return answer(row, "Renewal Term");
        default: {
            QStringList missing;
            for (const auto& m : row.missingStandard) missing << QString::fromStdString(m);
            return missing.join(", ");
        }
        }
    }
    const app::StoredClause* clause = clauseAt(index);
    if (!clause) return role == Qt::EditRole ? QVariant(-1.0) : QVariant();
    switch (role) {
    case Qt::DisplayRole: return QString("%1%").arg(int(clause->confidence * 100 + 0.5));
    case Qt::EditRole: return clause->confidence;  // what the proxy sorts by
    case Qt::ToolTipRole: return tr("Page %1: %2").arg(clause->page).arg(QString::fromStdString(clause->text));
    case Qt::BackgroundRole: {
        QColor c = categoryColor(QString::fromStdString(clause->category));
        c.setAlpha(int(40 + 120 * clause->confidence));
        return c;
    }
    case Qt::TextAlignmentRole: return int(Qt::AlignCenter);
    default: return {};
    }
}

QVariant ClauseMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole)) return {};
    if (section < kSummaryColumns) return tr(kSummaryHeaders[section]);
    return QString::fromStdString(matrix_.categories[section - kSummaryColumns]);
}

ClauseMatrixView::ClauseMatrixView(QWidget* parent) : QWidget(parent, Qt::Window)
{
    setWindowTitle(tr("Clause matrix"));
    resize(1200, 600);
    model_ = new ClauseMatrixModel(this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(Qt::EditRole);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy_->setFilterKeyColumn(-1);  // contract names and answers alike
    table_ = new QTableView;
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectItems);
    table_->verticalHeader()->hide();
    table_->setWordWrap(false);
    filter_ = new QLineEdit;
    filter_->setPlaceholderText(tr("Filter contracts by name, party, law..."));
    filter_->setClearButtonEnabled(true);
    auto* csv = new QPushButton(tr("Export CSV..."));
    auto* xlsx = new QPushButton(tr("Export XLSX..."));
    auto* bar = new QHBoxLayout;
    bar->addWidget(filter_, 1);
    bar->addWidget(csv);
    bar->addWidget(xlsx);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(table_);
    layout->addWidget(new QLabel(tr("Cells: the best clause's confidence. Double-click a cell to open the clause.")));

    connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
    connect(table_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const app::StoredClause* c = model_->clauseAt(proxy_->mapToSource(index));
        if (!c) return;
        emit locationRequested({c->documentId, c->page, boxesOn(c->regions, c->page),
                                categoryColor(QString::fromStdString(c->category))});
    });
    auto exportAs = [this](const QString& filter, const QString& suffix) {
        QString file = QFileDialog::getSaveFileName(this, tr("Export clauses"), "clauses." + suffix, filter);
        if (!file.isEmpty()) exportTo(file);
    };
    connect(csv, &QPushButton::clicked, this, [exportAs] { exportAs(tr("CSV files (*.csv)"), "csv"); });
    connect(xlsx, &QPushButton::clicked, this, [exportAs] { exportAs(tr("Excel workbooks (*.xlsx)"), "xlsx"); });
}

void ClauseMatrixView::setMatrix(app::ClauseMatrix matrix)
{
    model_->setMatrix(std::move(matrix));
    // Columns as wide as their names or contents (category names are the column titles), answers capped.
    table_->resizeColumnsToContents();
    for (int c = 1; c < ClauseMatrixModel::kSummaryColumns; ++c)
        table_->setColumnWidth(c, std::min(table_->columnWidth(c), 220));
}

void ClauseMatrixView::exportTo(const QString& file)
{
    try {
        if (file.endsWith(".csv", Qt::CaseInsensitive)) {
            std::ofstream out(file.toStdString(), std::ios::binary | std::ios::trunc);
            if (!out) throw std::runtime_error(file.toStdString() + ": cannot write");
            app::writeClausesCsv(out, model_->matrix().clauses);
        } else {
            app::writeClausesXlsx(file.toStdString(), model_->matrix());
        }
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Export"), QString::fromStdString(e.what()));
    }
}

}  // namespace folio::ui
