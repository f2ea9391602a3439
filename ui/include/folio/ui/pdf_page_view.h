#pragma once

#include <QImage>
#include <QWidget>

#include <memory>

class QLabel;
class QScrollArea;
class QSpinBox;

namespace poppler {
class document;
}

namespace folio::ui {

// One page of a PDF at a time, rendered by Poppler at the chosen zoom, with a highlight rectangle
// (in PDF points) for search hits.
class PdfPageView : public QWidget {
    Q_OBJECT
public:
    explicit PdfPageView(QWidget* parent = nullptr);
    ~PdfPageView() override;

    // Returns false, with the reason in errorString(), when the file cannot be opened.
    bool openFile(const QString& path);
    void showPage(int pageNumber, const QRectF& highlight = {});
    int currentPage() const;
    int pageCount() const;
    QString errorString() const { return error_; }
    const QImage& renderedPage() const { return image_; }

private:
    void render();

    std::unique_ptr<poppler::document> document_;
    QScrollArea* scroll_;
    QLabel* pageLabel_;
    QSpinBox* pageBox_;
    QLabel* countLabel_;
    QImage image_;
    QRectF highlight_;
    double zoom_ = 1.5;
    QString error_;
};

}  // namespace folio::ui
