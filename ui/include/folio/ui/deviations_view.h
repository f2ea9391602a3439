#pragma once

#include "folio/app/deviation_report.h"
#include "folio/ui/location.h"

#include <QAbstractTableModel>
#include <QWidget>

class QComboBox;
class QSortFilterProxyModel;
class QTableView;
class QTextBrowser;

namespace folio::ui {

// One row per deviation: contract, kind, category, value, expected, similarity (a number to sort by), page.
class DeviationsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Contract, Kind, Category, Value, Expected, Similarity, Page, ColumnCount };
    explicit DeviationsModel(QObject* parent = nullptr);
    void setReport(app::DeviationReport report);
    const app::DeviationReport& report() const { return report_; }
    const analysis::Deviation& deviationAt(int row) const { return report_.deviations[std::size_t(row)]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    app::DeviationReport report_;
};

// The word diff as HTML: deletions struck through in red, insertions underlined in green.
QString diffHtml(const std::vector<analysis::WordEdit>& diff);

// The deviations window (View > Deviations): choose the reference contract or the set's norm, sort the
// deviations, read the selected one's word diff, double-click to open the clause on its page, export to XLSX.
class DeviationsView : public QWidget {
    Q_OBJECT
public:
    explicit DeviationsView(QWidget* parent = nullptr);
    // Shows a report; the reference chooser lists its contracts with the report's reference selected.
    void setReport(app::DeviationReport report);
    DeviationsModel* model() const { return model_; }
    QSortFilterProxyModel* proxy() const { return proxy_; }
    QTableView* table() const { return table_; }
    QComboBox* referenceBox() const { return reference_; }
    QTextBrowser* details() const { return details_; }
    void exportTo(const QString& file);

signals:
    void locationRequested(const Location& location);
    // The user chose another baseline: a document id, or 0 for the set's norm.
    void referenceChosen(qint64 documentId);

private:
    void showDetails(const QModelIndex& proxyIndex);

    DeviationsModel* model_;
    QSortFilterProxyModel* proxy_;
    QTableView* table_;
    QComboBox* reference_;
    QTextBrowser* details_;
};

}  // namespace folio::ui
