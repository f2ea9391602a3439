#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace folio::ingest {

// A rectangle on a PDF page in points, origin at the top-left corner, y growing downwards.
struct Rect {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    float width() const { return x1 - x0; }
    float height() const { return y1 - y0; }
    Rect united(const Rect& other) const;
};

enum class LineRole { Body, PageHeader, PageFooter };
const char* toString(LineRole role);
LineRole lineRoleFromString(const std::string& text);

// One line of PDF text in reading order, with the cues later analysis needs (outline, headings).
struct TextLine {
    std::string text;              // words joined by single spaces, UTF-8
    Rect box;
    float fontSize = 0;            // points, the most common size of the line's characters
    bool bold = false;             // most characters set in a bold/heavy face
    LineRole role = LineRole::Body;
    int block = 0;                 // paragraph number on the page, 0-based
    std::vector<Rect> wordBoxes;   // one per word of `text`, in order
};

// Where a page's text came from: the PDF's text layer (empty on a blank page), OCR of the rendered page (a scan),
// or nowhere: a page with ink but no text layer that OCR could not read (unavailable, failed, found no words).
enum class TextSource { TextLayer, Ocr, Unread };
const char* toString(TextSource source);
TextSource textSourceFromString(const std::string& text);

struct Page {
    int number = 1;  // 1-based
    float width = 0, height = 0;
    std::vector<TextLine> lines;
    TextSource source = TextSource::TextLayer;
    float ocrConfidence = 0;  // Ocr: the mean confidence of the page's words, 0..100
};

enum class DocumentKind { File, Pdf };
const char* toString(DocumentKind kind);
DocumentKind documentKindFromString(const std::string& text);

// Ok: read in full. Warning: read, with something the user should know (e.g. a scanned page).
// Skipped: deliberately not read (binary, too large, LFS pointer, submodule). Error: could not be read.
enum class DocumentStatus { Ok, Warning, Skipped, Error };
const char* toString(DocumentStatus status);
DocumentStatus documentStatusFromString(const std::string& text);

struct Document {
    std::string path;         // repository-relative for git sources, absolute for PDF files
    DocumentKind kind = DocumentKind::File;
    std::string language;     // files: "C++", "Python", ...; "" when unknown
    std::uint64_t size = 0;   // bytes
    std::string contentHash;  // git blob id for repository files, SHA-256 of the file for PDFs
    DocumentStatus status = DocumentStatus::Ok;
    std::string reason;       // why Warning, Skipped or Error
    std::string text;         // files: the whole content as UTF-8
    std::vector<Page> pages;  // PDFs
    std::map<std::string, std::string> metadata;  // PDF info (Title, Author, ...), source encoding, LFS oid
    int readerVersion = 0;    // the reader's kVersion: a newer reader reads unchanged files again
};

}  // namespace folio::ingest
