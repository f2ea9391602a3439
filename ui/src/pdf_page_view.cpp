#include "folio/ui/pdf_page_view.h"

#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QLineF>
#include <QMouseEvent>
#include <QShortcut>
#include <QToolTip>
#include <QResizeEvent>

#include <algorithm>
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
    auto* fitWidth = new QToolButton;
    fitWidth->setText(tr("Fit width"));
    pageBox_ = new QSpinBox;
    pageBox_->setMinimum(1);
    countLabel_ = new QLabel;
    bar->addWidget(prev);
    bar->addWidget(new QLabel(tr("Page")));
    bar->addWidget(pageBox_);
    bar->addWidget(countLabel_);
    bar->addWidget(next);
    bar->addStretch();
    findBox_ = new QLineEdit;
    findBox_->setPlaceholderText(tr("Find in document (Ctrl+Shift+F, F3)"));
    findBox_->setClearButtonEnabled(true);
    findBox_->setMaximumWidth(240);
    bar->addWidget(findBox_);
    bar->addWidget(fitWidth);
    bar->addWidget(zoomOut);
    bar->addWidget(zoomIn);

    pageLabel_ = new QLabel;
    pageLabel_->setAlignment(Qt::AlignCenter);
    pageLabel_->setMouseTracking(true);
    pageLabel_->installEventFilter(this);
    connect(findBox_, &QLineEdit::returnPressed, this, [this] {
        if (currentMatch_ >= 0 && !matches_.isEmpty()) findNext();
        else find(findBox_->text());
    });
    connect(findBox_, &QLineEdit::textEdited, this, [this] { matches_.clear(); currentMatch_ = -1; });
    auto* focusFind = new QShortcut(QKeySequence(tr("Ctrl+Shift+F")), this);
    focusFind->setContext(Qt::WindowShortcut);
    connect(focusFind, &QShortcut::activated, this, [this] { findBox_->setFocus(); findBox_->selectAll(); });
    auto* findNextKey = new QShortcut(QKeySequence::FindNext, this);
    findNextKey->setContext(Qt::WindowShortcut);
    connect(findNextKey, &QShortcut::activated, this, &PdfPageView::findNext);
    auto* copy = new QShortcut(QKeySequence::Copy, this);
    copy->setContext(Qt::WidgetWithChildrenShortcut);
    connect(copy, &QShortcut::activated, this, &PdfPageView::copySelection);
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
    connect(zoomIn, &QToolButton::clicked, this, [this] { fitWidth_ = false; zoom_ = std::min(4.0, zoom_ * 1.25); render(); });
    connect(zoomOut, &QToolButton::clicked, this, [this] { fitWidth_ = false; zoom_ = std::max(0.25, zoom_ / 1.25); render(); });
    connect(fitWidth, &QToolButton::clicked, this, [this] { fitWidth_ = true; render(); });
    connect(pageBox_, &QSpinBox::valueChanged, this, [this](int page) {
        if (page != currentPage()) showPage(page);
    });
}

PdfPageView::~PdfPageView() = default;

QPointF PdfPageView::toPage(const QPoint& labelPoint) const
{
    // The label centres the page when it is smaller than the view.
    const QSizeF shown = QSizeF(image_.size()) / devicePixelRatioF();
    const double dx = std::max(0.0, (pageLabel_->width() - shown.width()) / 2);
    const double dy = std::max(0.0, (pageLabel_->height() - shown.height()) / 2);
    return {(labelPoint.x() - dx) / zoom_, (labelPoint.y() - dy) / zoom_};
}

const HotSpot* PdfPageView::hotSpotAt(const QPointF& point) const
{
    for (const HotSpot& h : hotSpots_)
        if (h.page == currentPage() && h.box.adjusted(-1, -1, 1, 1).contains(point)) return &h;
    return nullptr;
}

QString PdfPageView::selectWords(const QRectF& area)
{
    selectionBoxes_.clear();
    QStringList parts;
    QString line;
    const int page = currentPage();
    if (page >= 1 && page <= words_.size())
        for (const PageWord& w : words_[page - 1]) {
            if (w.box.intersects(area)) {
                selectionBoxes_.push_back(w.box);
                line += (line.isEmpty() ? "" : " ") + w.text;
            }
            if (w.lineEnd && !line.isEmpty()) {
                parts << line;
                line.clear();
            }
        }
    if (!line.isEmpty()) parts << line;
    selection_ = parts.join('\n');
    render();
    return selection_;
}

int PdfPageView::find(const QString& phrase)
{
    matches_.clear();
    currentMatch_ = -1;
    const QStringList wanted = phrase.simplified().toLower().split(' ', Qt::SkipEmptyParts);
    if (wanted.isEmpty()) return 0;
    // Word by word, so a phrase broken across lines is still one match.
    for (int p = 0; p < words_.size(); ++p) {
        const QVector<PageWord>& words = words_[p];
        for (int i = 0; i + wanted.size() <= words.size(); ++i) {
            bool hit = true;
            for (int k = 0; k < wanted.size() && hit; ++k) {
                const QString w = words[i + k].text.toLower();
                const bool last = k + 1 == wanted.size();
                hit = k == 0 && wanted.size() == 1 ? w.contains(wanted[k])
                    : k == 0                       ? w.endsWith(wanted[k])
                    : last                         ? w.startsWith(wanted[k])
                                                   : w == wanted[k];
            }
            if (!hit) continue;
            Match m{p + 1, {}};
            for (int k = 0; k < wanted.size(); ++k) m.boxes.push_back(words[i + k].box);
            matches_.push_back(m);
        }
    }
    if (!matches_.isEmpty()) findNext();
    return int(matches_.size());
}

bool PdfPageView::findNext()
{
    if (matches_.isEmpty()) return false;
    currentMatch_ = (currentMatch_ + 1) % int(matches_.size());
    const Match& m = matches_[currentMatch_];
    showPage(m.page, m.boxes, QColor(255, 214, 0));
    return true;
}

void PdfPageView::copySelection() const
{
    if (!selection_.isEmpty()) QGuiApplication::clipboard()->setText(selection_);
}

bool PdfPageView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched != pageLabel_ || !document_) return QWidget::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        auto* e = static_cast<QMouseEvent*>(event);
        if (e->button() != Qt::LeftButton) break;
        dragStart_ = toPage(e->position().toPoint());
        dragging_ = true;
        return true;
    }
    case QEvent::MouseMove: {
        auto* e = static_cast<QMouseEvent*>(event);
        const QPointF point = toPage(e->position().toPoint());
        if (dragging_) {
            selectWords(QRectF(dragStart_, point).normalized());
            return true;
        }
        const HotSpot* spot = hotSpotAt(point);
        pageLabel_->setCursor(spot && spot->target.document ? Qt::PointingHandCursor : Qt::ArrowCursor);
        if (spot) QToolTip::showText(e->globalPosition().toPoint(), spot->tooltip, pageLabel_);
        else QToolTip::hideText();
        return true;
    }
    case QEvent::MouseButtonRelease: {
        auto* e = static_cast<QMouseEvent*>(event);
        if (!dragging_ || e->button() != Qt::LeftButton) break;
        dragging_ = false;
        const QPointF point = toPage(e->position().toPoint());
        if (QLineF(dragStart_, point).length() * zoom_ < 4) {
            // A click, not a drag: follow a reference under it.
            selectionBoxes_.clear();
            selection_.clear();
            const HotSpot* spot = hotSpotAt(point);
            if (spot && spot->target.document) emit hotSpotActivated(spot->target);
            else render();
        }
        return true;
    }
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void PdfPageView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (fitWidth_ && document_) render();
}

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
    matches_.clear();
    currentMatch_ = -1;
    pageBox_->setMaximum(document_->pages());
    countLabel_->setText(tr("of %1").arg(document_->pages()));
    showPage(1);
    return true;
}

int PdfPageView::currentPage() const { return pageBox_->value(); }
int PdfPageView::pageCount() const { return document_ ? document_->pages() : 0; }

void PdfPageView::showPage(int pageNumber, const QRectF& highlight)
{
    showPage(pageNumber, highlight.isNull() ? QVector<QRectF>{} : QVector<QRectF>{highlight}, QColor(255, 214, 0));
}

void PdfPageView::showPage(int pageNumber, const QVector<QRectF>& highlights, const QColor& color)
{
    if (!document_ || pageNumber < 1 || pageNumber > document_->pages()) return;
    highlights_ = highlights;
    color_ = color;
    selectionBoxes_.clear();
    selection_.clear();
    const QSignalBlocker block(pageBox_);
    pageBox_->setValue(pageNumber);
    render();
    if (highlights_.isEmpty()) {
        scroll_->verticalScrollBar()->setValue(0);
        return;
    }
    // After the next layout pass: only then does the scroll area know the new page's size.
    QTimer::singleShot(0, this, [this] {
        if (highlights_.isEmpty()) return;
        const int top = int(highlights_.front().top() * zoom_);
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
    if (fitWidth_) {
        // The whole width of the page in the view, whatever the window's size: what a reader wants by default.
        const double points = page->page_rect().width();
        const int available = scroll_->viewport()->width() - 24;
        if (points > 0 && available > 100) zoom_ = std::clamp(available / points, 0.25, 4.0);
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
    if (!highlights_.isEmpty()) {
        QPainter painter(&image_);
        const double scale = zoom_ * devicePixelRatioF();
        // Fill only: outlines around every line of a clause would strike through the lines next to it.
        QColor fill = color_;
        fill.setAlpha(90);
        for (const QRectF& h : highlights_) {
            const QRectF r(h.left() * scale, h.top() * scale, h.width() * scale, h.height() * scale);
            painter.fillRect(r.adjusted(-2, -1, 2, 1), fill);
        }
    }
    if (!selectionBoxes_.isEmpty()) {
        QPainter painter(&image_);
        const double scale = zoom_ * devicePixelRatioF();
        for (const QRectF& b : selectionBoxes_)
            painter.fillRect(QRectF(b.left() * scale, b.top() * scale, b.width() * scale, b.height() * scale),
                             QColor(50, 110, 220, 90));
    }
    QPixmap pixmap = QPixmap::fromImage(image_);
    pixmap.setDevicePixelRatio(devicePixelRatioF());
    pageLabel_->setPixmap(pixmap);
}

}  // namespace folio::ui
