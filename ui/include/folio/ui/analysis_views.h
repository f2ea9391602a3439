#pragma once

#include "folio/analysis/contract_text.h"
#include "folio/ui/location.h"

#include <QTreeWidget>

namespace folio::app {
class AnalysisStore;
}

namespace folio::ui {

// The colour a clause category is highlighted in: fixed per category, so a reader learns them.
QColor categoryColor(const QString& category);
// The rectangles of `regions` on one page, to highlight there.
QVector<QRectF> boxesOn(const std::vector<analysis::PageRegion>& regions, int page);

// The analysis of the open contract as a tree; activating an item asks the window to show its place.
class AnalysisTree : public QTreeWidget {
    Q_OBJECT
public:
    explicit AnalysisTree(const QStringList& headers, QWidget* parent = nullptr);
    virtual void load(const app::AnalysisStore& store, qint64 documentId) = 0;
    // The location an item stands for (null document when it has none, e.g. a category heading).
    static Location locationOf(const QTreeWidgetItem* item);

signals:
    void locationRequested(const Location& location);

protected:
    static void setLocation(QTreeWidgetItem* item, const Location& location);
};

// Articles, sections, items and exhibits; an item shows its heading.
class OutlineTree : public AnalysisTree {
    Q_OBJECT
public:
    explicit OutlineTree(QWidget* parent = nullptr);
    void load(const app::AnalysisStore& store, qint64 documentId) override;
};

// Clauses grouped by CUAD category, best first, with confidence and page.
class ClauseTree : public AnalysisTree {
    Q_OBJECT
public:
    explicit ClauseTree(QWidget* parent = nullptr);
    void load(const app::AnalysisStore& store, qint64 documentId) override;
    void setMinimumConfidence(double value) { minimumConfidence_ = value; }

private:
    double minimumConfidence_ = 0.5;
};

// Defined terms with their use counts; the definition is the tooltip. Terms defined twice and capitalised
// terms used but never defined are marked.
class TermTree : public AnalysisTree {
    Q_OBJECT
public:
    explicit TermTree(QWidget* parent = nullptr);
    void load(const app::AnalysisStore& store, qint64 documentId) override;
};

// Cross-references; activating one follows it to its target (unresolved ones say why).
class ReferenceTree : public AnalysisTree {
    Q_OBJECT
public:
    explicit ReferenceTree(QWidget* parent = nullptr);
    void load(const app::AnalysisStore& store, qint64 documentId) override;
};

}  // namespace folio::ui
