#pragma once

#include "folio/ui/location.h"

#include <QColor>
#include <QImage>
#include <QVector>
#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QScrollArea;
class QSpinBox;

namespace poppler {
class document;
}

namespace folio::ui {

// A place on a page that answers the mouse: a defined term (hover shows its definition) or a cross-reference
// (hover names the target, a click follows it).
struct HotSpot {
    int page = 0;
    QRectF box;  // PDF points
    QString tooltip;
    Location target;  // document 0: nothing to follow
};

// The words of a page with their boxes, for selecting and copying text.
struct PageWord {
    QRectF box;
    QString text;
    bool lineEnd = false;
};

// One page of a PDF at a time, rendered by Poppler to the view's width (or at a chosen zoom), with highlight
// rectangles (in PDF points) for search hits, clauses, terms and reference targets. Dragging selects words
// (Ctrl+C copies them); terms and references on the page answer hover and click.
class PdfPageView : public QWidget {
    Q_OBJECT
public:
    explicit PdfPageView(QWidget* parent = nullptr);
    ~PdfPageView() override;

    // Returns false, with the reason in errorString(), when the file cannot be opened.
    bool openFile(const QString& path);
    void showPage(int pageNumber, const QRectF& highlight = {});
    // A clause or term over several lines: one rectangle per line, in the colour of its category.
    void showPage(int pageNumber, const QVector<QRectF>& highlights, const QColor& color);
    const QVector<QRectF>& highlights() const { return highlights_; }
    // Per page, for the open document.
    void setHotSpots(QVector<HotSpot> spots) { hotSpots_ = std::move(spots); }
    const QVector<HotSpot>& hotSpots() const { return hotSpots_; }
    void setWords(QVector<QVector<PageWord>> wordsByPage) { words_ = std::move(wordsByPage); }
    // The hot spot under a point of the current page (PDF points), or null.
    const HotSpot* hotSpotAt(const QPointF& point) const;
    // Selects the words whose boxes meet the rectangle (PDF points) on the current page; returns their text.
    QString selectWords(const QRectF& area);
    QString selectedText() const { return selection_; }
    void copySelection() const;
    // Finds a phrase in the open document (case-insensitive, across line breaks) and shows the first match;
    // returns the number of matches. findNext() moves to the next one (F3), wrapping at the end.
    int find(const QString& phrase);
    bool findNext();

    int currentPage() const;
    int pageCount() const;
    QString errorString() const { return error_; }
    const QImage& renderedPage() const { return image_; }

signals:
    void hotSpotActivated(const Location& target);

protected:
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void render();

    std::unique_ptr<poppler::document> document_;
    QScrollArea* scroll_;
    QLabel* pageLabel_;
    QSpinBox* pageBox_;
    QLabel* countLabel_;
    QImage image_;
    QVector<QRectF> highlights_;
    QVector<HotSpot> hotSpots_;
    QVector<QVector<PageWord>> words_;
    QVector<QRectF> selectionBoxes_;
    QString selection_;
    QPointF dragStart_;
    struct Match {
        int page;
        QVector<QRectF> boxes;
    };
    QVector<Match> matches_;
    int currentMatch_ = -1;
    QLineEdit* findBox_;
    bool dragging_ = false;
    QPointF toPage(const QPoint& labelPoint) const;
    QColor color_;
    double zoom_ = 1.5;
    bool fitWidth_ = true;
    QString error_;
};

}  // namespace folio::ui
