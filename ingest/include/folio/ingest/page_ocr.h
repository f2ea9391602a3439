#pragma once

#include "folio/ingest/document.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace folio::ingest {

// What OCR read from one page image: lines of words with rectangles in PDF points, in tesseract's reading order.
struct OcrPage {
    std::vector<TextLine> lines;   // block = tesseract's paragraph; fontSize estimated from the line's height
    float meanConfidence = 0;      // mean of the words' confidences, 0..100
    int words = 0;
    bool cancelled = false;
    std::string error;             // why recognition failed; empty on success (also when nothing was found)
};

// Reads the words on a page image with tesseract (English). A TessBaseAPI must not be shared between threads:
// use one PageOcr per thread. Loading the language data takes a fraction of a second, so keep it for many pages.
class PageOcr {
public:
    static constexpr int kDpi = 300;  // the resolution pages are rendered at for OCR

    PageOcr();
    ~PageOcr();
    PageOcr(const PageOcr&) = delete;
    PageOcr& operator=(const PageOcr&) = delete;

    // False when tesseract could not start (its language data missing); unavailableReason() says why.
    bool available() const;
    const std::string& unavailableReason() const;
    // "tesseract 5.3.0 (eng)".
    const std::string& engine() const;

    // gray: 8-bit grey pixels, rows bytesPerRow apart, at `dpi`. Boxes come back in points from the top-left.
    // cancel, when set during recognition, stops it (the result says cancelled).
    OcrPage read(const std::uint8_t* gray, int width, int height, int bytesPerRow, int dpi,
                 const std::atomic<bool>* cancel = nullptr);

private:
    struct Engine;
    std::unique_ptr<Engine> engine_;
    std::string unavailableReason_;
    std::string engineName_;
};

}  // namespace folio::ingest
