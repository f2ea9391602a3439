#pragma once

#include "folio/ingest/document.h"

#include <string>

namespace folio::ingest {

// Reads one PDF into a Document: per page, lines of words with rectangles, font size and weight in reading
// order, paragraph blocks, and running headers/footers marked apart from the body; the info dictionary as
// metadata. Never throws: a file that cannot be read comes back with status Error and a reason, a file with
// pages lacking a text layer (a scan) with status Warning. Safe to call from several threads at once.
class PdfReader {
public:
    // Raised whenever what the reader extracts changes, so workspaces re-read their PDFs.
    static constexpr int kVersion = 1;

    Document read(const std::string& path) const;
};

// SHA-256 of a file's bytes, hex; "" when it cannot be read.
std::string sha256OfFile(const std::string& path);

}  // namespace folio::ingest
