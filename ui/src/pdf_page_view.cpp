#include "folio/ui/pdf_page_view.h"

#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace folio::ui {

PdfPageView::PdfPageView(QWidget* parent) : QWidget(parent)
{
    auto* bar = new QHBoxLayout;
    auto* prev = new QToolButton;
    prev->setText(tr("< Previous"));
    auto* next = new QToolButton;
    next->setText(tr("Next >"));
    auto* zoomIn = new QToolButton;
    zoomIn->setText("+");
    auto* zoomOut = new QToolButton;
    zoomOut->setText("-");
    pageBox_ = new QSpinBox;
    pageBox_->setMinimum(1);
    countLabel_ = new QLabel;
    bar->addWidget(prev);
    bar->addWidget(new QLabel(tr("Page")));
    bar->addWidget(pageBox_);
    bar->addWidget(countLabel_);
    bar->addWidget(next);
    bar->addStretch();
    bar->addWidget(zoomOut);
    bar->addWidget(zoomIn);

    pageLabel_ = new QLabel;
    pageLabel_->setAlignment(Qt::AlignCenter);
    scroll_ = new QScrollArea;
    scroll_->setWidget(pageLabel_);
    scroll_->setWidgetResizable(true);
    scroll_->setBackgroundRole(QPalette::Dark);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(scroll_);

    connect(prev, &QToolButton::clicked, this, [this] { showPage(currentPage() - 1); });
    connect(next, &QToolButton::clicked, this, [this] { showPage(currentPage() + 1); });
    connect(zoomIn, &QToolButton::clicked, this, [this] { zoom_ = std::min(4.0, zoom_ * 1.25); render(); });
    connect(zoomOut, &QToolButton::clicked, this, [this] { zoom_ = std::max(0.25, zoom_ / 1.25); render(); });
    connect(pageBox_, &QSpinBox::valueChanged, this, [this](int page) {
        if (page != currentPage()) showPage(page);
    });
}

PdfPageView::~PdfPageView() = default;

bool PdfPageView::openFile(const QString& path)
{
    document_.reset(poppler::document::load_from_file(path.toStdString()));
    if (!document_ || document_->is_locked() || document_->pages() <= 0) {
        error_ = !document_ ? tr("cannot open %1 as a PDF").arg(path)
                            : document_->is_locked() ? tr("%1 is encrypted").arg(path) : tr("%1 has no pages").arg(path);
        document_.reset();
        pageLabel_->setText(error_);
        image_ = {};
        return false;
    }
    error_.clear();
    pageBox_->setMaximum(document_->pages());
    countLabel_->setText(tr("of %1").arg(document_->pages()));
    showPage(1);
    return true;
}

int PdfPageView::currentPage() const { return pageBox_->value(); }
int PdfPageView::pageCount() const { return document_ ? document_->pages() : 0; }

void PdfPageView::showPage(int pageNumber, const QRectF& highlight)
{
    if (!document_ || pageNumber < 1 || pageNumber > document_->pages()) return;
    highlight_ = highlight;
    const QSignalBlocker block(pageBox_);
    pageBox_->setValue(pageNumber);
    render();
    if (highlight_.isNull()) {
        scroll_->verticalScrollBar()->setValue(0);
        return;
    }
    // After the next layout pass: only then does the scroll area know the new page's size.
    QTimer::singleShot(0, this, [this] {
        const int top = int(highlight_.top() * zoom_);
        scroll_->verticalScrollBar()->setValue(top - scroll_->viewport()->height() / 3);
    });
}

void PdfPageView::render()
{
    if (!document_) return;
    std::unique_ptr<poppler::page> page(document_->create_page(currentPage() - 1));
    if (!page) {
        pageLabel_->setText(tr("page %1 cannot be rendered").arg(currentPage()));
        return;
    }
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    const double dpi = 72.0 * zoom_ * devicePixelRatioF();
    const poppler::image img = renderer.render_page(page.get(), dpi, dpi);
    if (!img.is_valid()) {
        pageLabel_->setText(tr("page %1 cannot be rendered").arg(currentPage()));
        return;
    }
    // Poppler's buffer is only valid while `img` lives: copy it.
    image_ = QImage(reinterpret_cast<const uchar*>(img.const_data()), img.width(), img.height(), img.bytes_per_row(),
                    QImage::Format_ARGB32).copy();
    if (!highlight_.isNull()) {
        QPainter painter(&image_);
        const double scale = zoom_ * devicePixelRatioF();
        const QRectF r(highlight_.left() * scale, highlight_.top() * scale, highlight_.width() * scale,
                       highlight_.height() * scale);
        painter.fillRect(r.adjusted(-3, -3, 3, 3), QColor(255, 214, 0, 80));
        painter.setPen(QPen(QColor(230, 160, 0), 2));
        painter.drawRect(r.adjusted(-3, -3, 3, 3));
    }
    QPixmap pixmap = QPixmap::fromImage(image_);
    pixmap.setDevicePixelRatio(devicePixelRatioF());
    pageLabel_->setPixmap(pixmap);
}

}  // namespace folio::ui
