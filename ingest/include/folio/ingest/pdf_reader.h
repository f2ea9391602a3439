#pragma once

#include "folio/ingest/document.h"

#include <atomic>
#include <string>

namespace folio::ingest {

// Reads one PDF into a Document: per page, lines of words with rectangles, font size and weight in reading
// order, paragraph blocks, and running headers/footers marked apart from the body; the info dictionary as
// metadata. Pages with ink but no text layer (a scan) are rendered and read by OCR (PageOcr, one engine per
// thread); such a file comes back with status Warning, a reason saying which pages were read by OCR and with what
// confidence, or why they could not be (OCR unavailable, failed, found no words), and per page its TextSource.
// Never throws: a file that cannot be read comes back with status Error and a reason. Safe to call from several
// threads at once.
class PdfReader {
public:
    // Raised whenever what the reader extracts changes, so workspaces re-read their PDFs.
    static constexpr int kVersion = 2;

    // cancel is checked before each page and during OCR; once set, the document comes back as an Error
    // ("cancelled ...") with no pages, not to be stored.
    Document read(const std::string& path, const std::atomic<bool>* cancel = nullptr) const;
};

// SHA-256 of a file's bytes, hex; "" when it cannot be read.
std::string sha256OfFile(const std::string& path);

}  // namespace folio::ingest
