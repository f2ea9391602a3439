#pragma once

#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace folio::test {

// How a page is "scanned": rendered at dpi, turned by rotationDegrees, grey noise of noiseSigma levels (0..255)
// and that many black specks per million pixels added.
struct ScanConditions {
    int dpi = 300;
    double rotationDegrees = 0;
    double noiseSigma = 0;
    double specksPerMillion = 0;
    std::uint32_t seed = 1;
};

// The words a scanned page shows, in reading order.
struct ScannedPage {
    std::vector<std::string> words;
};

// Lays the paragraphs out on US Letter pages (1-inch margins, DejaVu Serif 11 pt, a blank line between
// paragraphs) as grey images at the scan's resolution, degrades them, and writes a PDF with each page as one
// picture and no text layer. Needs a QGuiApplication (fonts). Throws std::runtime_error naming the file when it
// cannot be written.
std::vector<ScannedPage> writeScannedPdf(const QString& path, const std::vector<std::string>& paragraphs,
                                         const ScanConditions& scan);

// Contract-like paragraphs of known text, different for each seed: numbered sections of legal prose.
std::vector<std::string> contractParagraphs(int count, std::uint32_t seed);

// Words split at white space, with punctuation around them (quotes, brackets, commas, full stops) removed.
std::vector<std::string> comparableWords(const std::string& text);

// 1 - (word edit distance / expected words), at least 0: the share of the expected words read right and in order.
double wordAccuracy(const std::vector<std::string>& expected, const std::vector<std::string>& read);

// Left edge and top of the text on every page, in points: where the first word of a page starts.
constexpr double kScanMarginPoints = 72;

}  // namespace folio::test
