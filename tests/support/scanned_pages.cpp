#include "scanned_pages.h"

#include <QFont>
#include <QFontMetrics>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <random>
#include <stdexcept>

namespace folio::test {
namespace {

constexpr double kPageWidth = 612, kPageHeight = 792, kFontPoints = 11, kLineSpacing = 1.35;

std::vector<std::string> splitWords(const std::string& text)
{
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        std::size_t j = i;
        while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
        if (j > i) out.push_back(text.substr(i, j - i));
        i = j;
    }
    return out;
}

// A page's text as lines that fit the text width, paragraph by paragraph; an empty line between paragraphs.
struct LaidOutPage {
    std::vector<std::string> lines;
    std::vector<std::string> words;
};

std::vector<LaidOutPage> layOut(const std::vector<std::string>& paragraphs, const QFontMetricsF& metrics, double textWidth,
                                int linesPerPage)
{
    std::vector<LaidOutPage> pages(1);
    auto addLine = [&](const std::string& line, const std::vector<std::string>& words) {
        if (int(pages.back().lines.size()) >= linesPerPage) pages.emplace_back();
        if (line.empty() && pages.back().lines.empty()) return;  // no blank line at the top of a page
        pages.back().lines.push_back(line);
        pages.back().words.insert(pages.back().words.end(), words.begin(), words.end());
    };
    for (std::size_t p = 0; p < paragraphs.size(); ++p) {
        if (p > 0) addLine({}, {});
        std::string line;
        std::vector<std::string> lineWords;
        for (const std::string& word : splitWords(paragraphs[p])) {
            const std::string candidate = line.empty() ? word : line + " " + word;
            if (!line.empty() && metrics.horizontalAdvance(QString::fromStdString(candidate)) > textWidth) {
                addLine(line, lineWords);
                line = word;
                lineWords = {word};
            } else {
                line = candidate;
                lineWords.push_back(word);
            }
        }
        if (!line.empty()) addLine(line, lineWords);
    }
    return pages;
}

QImage degrade(const QImage& page, const ScanConditions& scan, std::mt19937& random)
{
    QImage turned(page.size(), QImage::Format_Grayscale8);
    turned.fill(Qt::white);
    {
        QPainter painter(&turned);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.translate(page.width() / 2.0, page.height() / 2.0);
        painter.rotate(scan.rotationDegrees);
        painter.translate(-page.width() / 2.0, -page.height() / 2.0);
        painter.drawImage(0, 0, page);
    }
    if (scan.noiseSigma <= 0 && scan.specksPerMillion <= 0) return turned;
    std::normal_distribution<double> noise(0, std::max(scan.noiseSigma, 1e-9));
    const double speckChance = scan.specksPerMillion / 1e6;
    for (int y = 0; y < turned.height(); ++y) {
        uchar* row = turned.scanLine(y);
        for (int x = 0; x < turned.width(); ++x) {
            double v = row[x] + (scan.noiseSigma > 0 ? noise(random) : 0);
            if (speckChance > 0 && double(random()) / double(std::mt19937::max()) < speckChance) v = 0;
            row[x] = uchar(std::clamp(v, 0.0, 255.0));
        }
    }
    return turned;
}

}  // namespace

std::vector<ScannedPage> writeScannedPdf(const QString& path, const std::vector<std::string>& paragraphs,
                                         const ScanConditions& scan)
{
    const double pixelsPerPoint = scan.dpi / 72.0;
    QFont font("DejaVu Serif");
    font.setPixelSize(int(std::lround(kFontPoints * pixelsPerPoint)));
    const QFontMetricsF metrics(font);
    const double lineHeight = kFontPoints * kLineSpacing * pixelsPerPoint;
    const double margin = kScanMarginPoints * pixelsPerPoint;
    const int linesPerPage = int((kPageHeight - 2 * kScanMarginPoints) * pixelsPerPoint / lineHeight);
    const std::vector<LaidOutPage> pages =
        layOut(paragraphs, metrics, (kPageWidth - 2 * kScanMarginPoints) * pixelsPerPoint, linesPerPage);

    QPdfWriter writer(path);
    writer.setResolution(72);
    writer.setPageSize(QPageSize(QPageSize::Letter));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    writer.setCreator("Folio test scanner");
    QPainter pdf;
    if (!pdf.begin(&writer)) throw std::runtime_error(path.toStdString() + ": cannot write the PDF");
    std::mt19937 random(scan.seed);
    std::vector<ScannedPage> out;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        QImage image(int(std::lround(kPageWidth * pixelsPerPoint)), int(std::lround(kPageHeight * pixelsPerPoint)),
                     QImage::Format_Grayscale8);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            painter.setRenderHint(QPainter::TextAntialiasing);
            painter.setFont(font);
            painter.setPen(Qt::black);
            double baseline = margin + metrics.ascent();
            for (const std::string& line : pages[i].lines) {
                painter.drawText(QPointF(margin, baseline), QString::fromStdString(line));
                baseline += lineHeight;
            }
        }
        if (i > 0) writer.newPage();
        pdf.drawImage(QRectF(0, 0, kPageWidth, kPageHeight), degrade(image, scan, random));
        ScannedPage page;
        for (const std::string& w : pages[i].words)
            for (std::string& c : comparableWords(w)) page.words.push_back(std::move(c));
        out.push_back(std::move(page));
    }
    if (!pdf.end()) throw std::runtime_error(path.toStdString() + ": cannot finish the PDF");
    return out;
}

std::vector<std::string> contractParagraphs(int count, std::uint32_t seed)
{
    static const char* parties[] = {"Supplier", "Buyer", "Licensee", "Licensor", "Contractor", "Customer"};
    static const char* verbs[] = {"shall deliver", "shall indemnify", "may terminate", "shall notify", "shall maintain",
                                  "shall not assign", "may audit", "shall pay"};
    static const char* objects[] = {"the Products", "all invoices", "this Agreement", "the Confidential Information",
                                    "the Services", "any Deliverables", "the insurance policies", "the records"};
    static const char* conditions[] = {"within thirty (30) days after the Effective Date",
                                       "upon written notice to the other Party",
                                       "in accordance with Section 4.2 and Exhibit A",
                                       "at its own cost and expense",
                                       "subject to the limitations set out in Article 9",
                                       "during the Term and for two years thereafter",
                                       "without the prior written consent of the other Party",
                                       "as required by applicable law"};
    static const char* headings[] = {"Delivery", "Payment", "Warranties", "Indemnification", "Termination",
                                     "Confidentiality", "Insurance", "Governing Law"};
    std::mt19937 random(seed);
    auto pick = [&](const auto& list) { return std::string(list[random() % std::size(list)]); };
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) {
        std::string text = std::to_string(i + 1) + ". " + pick(headings) + ".";
        const int sentences = 2 + int(random() % 3);
        for (int s = 0; s < sentences; ++s)
            text += " The " + pick(parties) + " " + pick(verbs) + " " + pick(objects) + " " + pick(conditions) + ".";
        out.push_back(text);
    }
    return out;
}

std::vector<std::string> comparableWords(const std::string& text)
{
    // ASCII punctuation, and the UTF-8 curly quotes OCR reads straight quotes as.
    static const std::vector<std::string> marks = {"\"", "'", "(", ")", "[", "]", ",", ".", ";", ":", "!", "?",
                                                   "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98", "\xE2\x80\x99"};
    std::vector<std::string> out;
    for (std::string word : splitWords(text)) {
        for (bool trimmed = true; trimmed && !word.empty();) {
            trimmed = false;
            for (const std::string& m : marks) {
                if (word.size() >= m.size() && word.compare(0, m.size(), m) == 0) { word.erase(0, m.size()); trimmed = true; }
                if (word.size() >= m.size() && word.compare(word.size() - m.size(), m.size(), m) == 0) {
                    word.erase(word.size() - m.size());
                    trimmed = true;
                }
            }
        }
        if (!word.empty()) out.push_back(word);
    }
    return out;
}

double wordAccuracy(const std::vector<std::string>& expected, const std::vector<std::string>& read)
{
    if (expected.empty()) return read.empty() ? 1.0 : 0.0;
    std::vector<std::size_t> previous(read.size() + 1), current(read.size() + 1);
    for (std::size_t j = 0; j <= read.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= expected.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= read.size(); ++j)
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1,
                                   previous[j - 1] + (expected[i - 1] == read[j - 1] ? 0 : 1)});
        std::swap(previous, current);
    }
    return std::max(0.0, 1.0 - double(previous[read.size()]) / double(expected.size()));
}

}  // namespace folio::test
