#include "folio/ingest/document.h"

#include <algorithm>
#include <stdexcept>

namespace folio::ingest {

Rect Rect::united(const Rect& other) const
{
    return {std::min(x0, other.x0), std::min(y0, other.y0), std::max(x1, other.x1), std::max(y1, other.y1)};
}

const char* toString(LineRole role)
{
    switch (role) {
    case LineRole::Body: return "body";
    case LineRole::PageHeader: return "header";
    case LineRole::PageFooter: return "footer";
    }
    return "body";
}

LineRole lineRoleFromString(const std::string& text)
{
    if (text == "header") return LineRole::PageHeader;
    if (text == "footer") return LineRole::PageFooter;
    return LineRole::Body;
}

const char* toString(TextSource source)
{
    switch (source) {
    case TextSource::TextLayer: return "text";
    case TextSource::Ocr: return "ocr";
    case TextSource::Unread: return "unread";
    }
    return "text";
}

TextSource textSourceFromString(const std::string& text)
{
    if (text == "ocr") return TextSource::Ocr;
    if (text == "unread") return TextSource::Unread;
    return TextSource::TextLayer;
}

const char* toString(DocumentKind kind)
{
    return kind == DocumentKind::Pdf ? "pdf" : "file";
}

DocumentKind documentKindFromString(const std::string& text)
{
    return text == "pdf" ? DocumentKind::Pdf : DocumentKind::File;
}

const char* toString(DocumentStatus status)
{
    switch (status) {
    case DocumentStatus::Ok: return "ok";
    case DocumentStatus::Warning: return "warning";
    case DocumentStatus::Skipped: return "skipped";
    case DocumentStatus::Error: return "error";
    }
    return "error";
}

DocumentStatus documentStatusFromString(const std::string& text)
{
    if (text == "ok") return DocumentStatus::Ok;
    if (text == "warning") return DocumentStatus::Warning;
    if (text == "skipped") return DocumentStatus::Skipped;
    if (text == "error") return DocumentStatus::Error;
    throw std::invalid_argument("unknown document status: " + text);
}

}  // namespace folio::ingest
