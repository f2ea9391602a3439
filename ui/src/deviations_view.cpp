#include "folio/ui/deviations_view.h"

#include "folio/ui/analysis_views.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace folio::ui {
namespace {

const char* const kHeaders[] = {"Contract", "Deviation", "Category", "Value", "Expected", "Similarity", "Page"};

QString fileNameOf(const std::string& path)
{
    return QFileInfo(QString::fromStdString(path)).fileName();
}

}  // namespace

QString diffHtml(const std::vector<analysis::WordEdit>& diff)
{
    QString html;
    for (const analysis::WordEdit& e : diff) {
        const QString words = QString::fromStdString(e.text).toHtmlEscaped();
        if (!html.isEmpty()) html += ' ';
        switch (e.op) {
        case analysis::WordEdit::Op::Same: html += words; break;
        case analysis::WordEdit::Op::Deleted: html += "<s style=\"color:#c0392b\">" + words + "</s>"; break;
        case analysis::WordEdit::Op::Inserted: html += "<u style=\"color:#1e8449\">" + words + "</u>"; break;
        }
    }
    return html;
}

DeviationsModel::DeviationsModel(QObject* parent) : QAbstractTableModel(parent) {}

void DeviationsModel::setReport(app::DeviationReport report)
{
    beginResetModel();
    report_ = std::move(report);
    endResetModel();
}

int DeviationsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(report_.deviations.size());
}

int DeviationsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeviationsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid()) return {};
    const analysis::Deviation& d = deviationAt(index.row());
    const bool wording = d.kind == analysis::Deviation::Kind::DifferentWording;
    if (role == Qt::BackgroundRole && index.column() == Category)
        return categoryColor(QString::fromStdString(d.category)).lighter(150);
    if (role == Qt::ToolTipRole && index.column() == Contract)
        return QString::fromStdString(report_.contracts[d.contract].path);
    if (role != Qt::DisplayRole && role != Qt::EditRole) return {};
    switch (index.column()) {
    case Contract: return fileNameOf(report_.contracts[d.contract].path);
    case Kind: return QString(analysis::toString(d.kind));
    case Category: return QString::fromStdString(d.category);
    case Value: return QString::fromStdString(d.value);
    case Expected:
        return wording ? tr("as in %1").arg(fileNameOf(report_.contracts[*d.baselineContract].path))
                       : QString::fromStdString(d.expected);
    case Similarity:
        if (role == Qt::EditRole) return wording ? d.similarity : 2.0;  // the least alike sort first
        return wording ? QString("%1%").arg(int(d.similarity * 100 + 0.5)) : QString();
    case Page:
        if (!d.clause) return role == Qt::EditRole ? QVariant(0) : QVariant();
        return d.clause->page;
    default: return {};
    }
}

QVariant DeviationsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section >= ColumnCount) return {};
    return tr(kHeaders[section]);
}

DeviationsView::DeviationsView(QWidget* parent) : QWidget(parent, Qt::Window)
{
    setWindowTitle(tr("Deviations"));
    resize(1200, 700);
    model_ = new DeviationsModel(this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(Qt::EditRole);
    table_ = new QTableView;
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    reference_ = new QComboBox;
    details_ = new QTextBrowser;
    auto* xlsx = new QPushButton(tr("Export XLSX..."));
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Compare with:")));
    bar->addWidget(reference_, 1);
    bar->addWidget(xlsx);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(table_);
    split->addWidget(details_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(split);
    layout->addWidget(new QLabel(tr("Select a row for its word diff; double-click it to open the clause on its page.")));

    connect(reference_, &QComboBox::currentIndexChanged, this,
            [this](int i) { emit referenceChosen(reference_->itemData(i).toLongLong()); });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { showDetails(current); });
    connect(table_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const analysis::Deviation& d = model_->deviationAt(proxy_->mapToSource(index).row());
        if (!d.clause) return;  // a missing clause has no place in its contract
        emit locationRequested({model_->report().contracts[d.contract].documentId, d.clause->page,
                                boxesOn(d.clause->regions, d.clause->page),
                                categoryColor(QString::fromStdString(d.category))});
    });
    connect(xlsx, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(this, tr("Export deviations"), "deviations.xlsx",
                                                          tr("Excel workbooks (*.xlsx)"));
        if (!file.isEmpty()) exportTo(file);
    });
}

void DeviationsView::setReport(app::DeviationReport report)
{
    {
        const QSignalBlocker block(reference_);
        reference_->clear();
        reference_->addItem(tr("The set's norm (%1 contracts)").arg(report.contracts.size()), qint64(0));
        for (std::size_t i = 0; i < report.contracts.size(); ++i) {
            reference_->addItem(fileNameOf(report.contracts[i].path), qint64(report.contracts[i].documentId));
            if (report.reference == i) reference_->setCurrentIndex(reference_->count() - 1);
        }
    }
    model_->setReport(std::move(report));
    table_->resizeColumnsToContents();
    for (int c = DeviationsModel::Value; c <= DeviationsModel::Expected; ++c)
        table_->setColumnWidth(c, std::min(table_->columnWidth(c), 260));
    details_->clear();
    if (proxy_->rowCount() > 0) table_->selectRow(0);
}

void DeviationsView::showDetails(const QModelIndex& proxyIndex)
{
    if (!proxyIndex.isValid()) return details_->clear();
    const app::DeviationReport& r = model_->report();
    const analysis::Deviation& d = model_->deviationAt(proxy_->mapToSource(proxyIndex).row());
    const QString contract = fileNameOf(r.contracts[d.contract].path).toHtmlEscaped();
    const QString category = QString::fromStdString(d.category).toHtmlEscaped();
    QString html;
    switch (d.kind) {
    case analysis::Deviation::Kind::MissingClause:
        html = tr("<p><b>%1</b> has no <b>%2</b> clause; expected %3.</p>")
                   .arg(contract, category, QString::fromStdString(d.expected).toHtmlEscaped());
        break;
    case analysis::Deviation::Kind::UnusualValue:
        html = tr("<p><b>%1</b> in <b>%2</b>: %3, expected %4.</p><p>%5</p>")
                   .arg(category, contract, QString::fromStdString(d.value).toHtmlEscaped(),
                        QString::fromStdString(d.expected).toHtmlEscaped(),
                        d.clause ? QString::fromStdString(d.clause->text).toHtmlEscaped() : QString());
        break;
    case analysis::Deviation::Kind::DifferentWording:
        html = tr("<p><b>%1</b> in <b>%2</b> against %3, page %4 (%5% alike):</p><p>%6</p>")
                   .arg(category, contract, fileNameOf(r.contracts[*d.baselineContract].path).toHtmlEscaped())
                   .arg(d.baselineClause->page)
                   .arg(int(d.similarity * 100 + 0.5))
                   .arg(diffHtml(d.diff));
        break;
    }
    details_->setHtml(html);
}

void DeviationsView::exportTo(const QString& file)
{
    try {
        app::writeDeviationsXlsx(file.toStdString(), model_->report());
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Export"), QString::fromStdString(e.what()));
    }
}

}  // namespace folio::ui
