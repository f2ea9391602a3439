#include "folio/app/contract_pdf.h"

#include <QFontMetricsF>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>

#include <stdexcept>

namespace folio::app {
namespace {

constexpr double kPageWidth = 612, kPageHeight = 792, kMargin = 72, kIndent = 24;

struct PlacedLine {
    QString text;
    QFont font;
    double x, baseline;
};

using PageLines = std::vector<PlacedLine>;

QFont fontFor(ContractParagraph::Style style)
{
    QFont font("DejaVu Serif");
    font.setPointSizeF(style == ContractParagraph::Style::Title ? 15 : style == ContractParagraph::Style::Heading ? 12 : 10.5);
    font.setBold(style == ContractParagraph::Style::Title || style == ContractParagraph::Style::Heading);
    return font;
}

// Greedy word wrap: as many words as fit the width on each line.
QStringList wrap(const QString& text, const QFontMetricsF& metrics, double width)
{
    QStringList lines;
    QString current;
    for (const QString& word : text.split(' ', Qt::SkipEmptyParts)) {
        const QString candidate = current.isEmpty() ? word : current + ' ' + word;
        if (!current.isEmpty() && metrics.horizontalAdvance(candidate) > width) {
            lines << current;
            current = word;
        } else {
            current = candidate;
        }
    }
    if (!current.isEmpty()) lines << current;
    return lines;
}

std::vector<PageLines> layout(const ContractPdfSpec& spec, QPaintDevice* device)
{
    std::vector<PageLines> pages(1);
    const double top = kMargin, bottom = kPageHeight - kMargin;
    double y = top;
    for (const ContractParagraph& p : spec.paragraphs) {
        const QFont font = fontFor(p.style);
        const QFontMetricsF metrics(font, device);
        const double left = kMargin + kIndent * p.indent;
        const double width = kPageWidth - kMargin - left;
        const double lineHeight = metrics.lineSpacing();
        const double spaceBefore = p.style == ContractParagraph::Style::Body ? lineHeight * 0.6 : lineHeight * 1.2;
        if (y > top) y += spaceBefore;
        const QStringList lines = wrap(QString::fromStdString(p.text), metrics, width);
        // Keep a heading with the first lines that follow it.
        if (p.style == ContractParagraph::Style::Heading && y + 3 * lineHeight > bottom) {
            pages.emplace_back();
            y = top;
        }
        for (const QString& line : lines) {
            if (y + lineHeight > bottom) {
                pages.emplace_back();
                y = top;
            }
            double x = left;
            if (p.style == ContractParagraph::Style::Title || p.style == ContractParagraph::Style::Centered)
                x = (kPageWidth - metrics.horizontalAdvance(line)) / 2;
            pages.back().push_back({line, font, x, y + metrics.ascent()});
            y += lineHeight;
        }
    }
    return pages;
}

void paintPage(QPainter& painter, const ContractPdfSpec& spec, const PageLines& lines, int number, int count)
{
    for (const PlacedLine& l : lines) {
        painter.setFont(l.font);
        painter.drawText(QPointF(l.x, l.baseline), l.text);
    }
    QFont small("DejaVu Sans");
    small.setPointSizeF(8.5);
    painter.setFont(small);
    const QFontMetricsF metrics(small, painter.device());
    if (!spec.runningHeader.empty()) {
        const QString header = QString::fromStdString(spec.runningHeader);
        painter.drawText(QPointF((kPageWidth - metrics.horizontalAdvance(header)) / 2, 40), header);
    }
    if (spec.pageNumbers) {
        const QString footer = QString("Page %1 of %2").arg(number).arg(count);
        painter.drawText(QPointF((kPageWidth - metrics.horizontalAdvance(footer)) / 2, kPageHeight - 36), footer);
    }
}

}  // namespace

int writeContractPdf(const ContractPdfSpec& spec, const std::string& file)
{
    QPdfWriter writer(QString::fromStdString(file));
    writer.setResolution(72);  // one device unit per point
    writer.setPageSize(QPageSize(QPageSize::Letter));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    writer.setCreator("Folio");
    const std::vector<PageLines> pages = layout(spec, &writer);

    QPainter painter;
    if (!painter.begin(&writer)) throw std::runtime_error(file + ": cannot write the PDF");
    for (std::size_t i = 0; i < pages.size(); ++i) {
        if (i > 0) writer.newPage();
        if (spec.asImage) {
            // Rendered at 2x and drawn as a picture: no text operators reach the PDF.
            QImage image(int(kPageWidth * 2), int(kPageHeight * 2), QImage::Format_RGB32);
            image.fill(Qt::white);
            QPainter imagePainter(&image);
            imagePainter.scale(2, 2);
            paintPage(imagePainter, spec, pages[i], int(i) + 1, int(pages.size()));
            imagePainter.end();
            painter.drawImage(QRectF(0, 0, kPageWidth, kPageHeight), image);
        } else {
            paintPage(painter, spec, pages[i], int(i) + 1, int(pages.size()));
        }
    }
    if (!painter.end()) throw std::runtime_error(file + ": cannot finish the PDF");
    return int(pages.size());
}

}  // namespace folio::app
