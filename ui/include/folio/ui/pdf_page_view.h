#pragma once

#include <QColor>
#include <QImage>
#include <QVector>
#include <QWidget>

#include <memory>

class QLabel;
class QScrollArea;
class QSpinBox;

namespace poppler {
class document;
}

namespace folio::ui {

// One page of a PDF at a time, rendered by Poppler to the view's width (or at a chosen zoom), with highlight
// rectangles (in PDF points) for search hits, clauses, terms and reference targets.
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
    int currentPage() const;
    int pageCount() const;
    QString errorString() const { return error_; }
    const QImage& renderedPage() const { return image_; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void render();

    std::unique_ptr<poppler::document> document_;
    QScrollArea* scroll_;
    QLabel* pageLabel_;
    QSpinBox* pageBox_;
    QLabel* countLabel_;
    QImage image_;
    QVector<QRectF> highlights_;
    QColor color_;
    double zoom_ = 1.5;
    bool fitWidth_ = true;
    QString error_;
};

}  // namespace folio::ui
