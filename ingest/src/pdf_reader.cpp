#include "folio/ingest/pdf_reader.h"

#include "folio/ingest/page_layout.h"
#include "folio/ingest/page_ocr.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>

#include <cmath>
#include <memory>
#include <mutex>

namespace folio::ingest {
namespace {

// Poppler reports parse problems through one global callback. Keep the last message per thread so a damaged
// file's error can say what Poppler saw, and keep Poppler from writing to the user's terminal.
thread_local std::string tlsPopplerMessage;

void collectPopplerMessage(const std::string& message, void*)
{
    tlsPopplerMessage = message;
}

void installPopplerMessageHandler()
{
    static std::once_flag once;
    std::call_once(once, [] { poppler::set_debug_error_function(collectPopplerMessage, nullptr); });
}

std::string utf8(const poppler::ustring& s)
{
    const poppler::byte_array bytes = s.to_utf8();
    return std::string(bytes.begin(), bytes.end());
}

Document failed(Document doc, DocumentStatus status, std::string reason)
{
    doc.status = status;
    doc.reason = std::move(reason);
    doc.pages.clear();
    return doc;
}

bool hasPdfHeader(const poppler::byte_array& bytes)
{
    // The PDF specification lets the header follow up to 1024 bytes of junk.
    const std::string_view head(bytes.data(), std::min<std::size_t>(bytes.size(), 1024));
    return head.find("%PDF-") != std::string_view::npos;
}

// Poppler builds a colour-management transform for every page of a PDF that declares an output intent (most
// HTML-to-PDF conversions do): measured at nine tenths of the time of text extraction, for colours that text
// extraction never uses. Renaming the catalog key in memory, to a name of the same length so that every byte
// offset stays valid, makes Poppler skip it. Catalogs inside compressed object streams keep it; that is only slower.
void hideOutputIntents(poppler::byte_array& bytes)
{
    static constexpr std::string_view key = "/OutputIntents";
    std::string_view view(bytes.data(), bytes.size());
    for (std::size_t at = view.find(key); at != std::string_view::npos; at = view.find(key, at + key.size()))
        bytes[at + key.size() - 1] = '_';
}

Page readPage(const poppler::page& page, int number)
{
    Page out;
    out.number = number;
    const poppler::rectf media = page.page_rect(poppler::crop_box);
    out.width = float(media.width());
    out.height = float(media.height());
    std::vector<WordBox> words;
    for (const poppler::text_box& box : page.text_list(poppler::page::text_list_include_font)) {
        const poppler::rectf r = box.bbox();
        words.push_back(WordBox{utf8(box.text()),
                                Rect{float(r.left()), float(r.top()), float(r.right()), float(r.bottom())},
                                float(box.get_font_size()), isBoldFontName(box.get_font_name())});
    }
    out.lines = assembleLines(words);
    assignBlocks(out.lines);
    return out;
}

// A page without text is either blank (HTML-to-PDF conversions end sections with empty pages) or a picture of
// text (a scan). A thumbnail tells them apart: blank pages, and pages with only a rule or a page border (common in
// EDGAR filings), mark under 1% of it; a scanned page of text 5% and more. A scanned page with a line or two (the
// end of a contract, a signature) marks less: pages with some ink are given to OCR too, and are blank only when it
// finds no words.
enum class Ink { None, Little, Scan };

Ink inkOn(const poppler::page& page)
{
    poppler::page_renderer renderer;
    const poppler::image img = renderer.render_page(&page, 18, 18);
    if (!img.is_valid() || img.format() != poppler::image::format_argb32) return Ink::Scan;  // cannot tell: assume ink
    int inked = 0;
    const int total = img.width() * img.height();
    for (int y = 0; y < img.height(); ++y) {
        const auto* row = reinterpret_cast<const std::uint32_t*>(img.const_data() + std::ptrdiff_t(y) * img.bytes_per_row());
        for (int x = 0; x < img.width(); ++x) {
            const std::uint32_t px = row[x];
            const int luminance = (int((px >> 16) & 0xFF) + int((px >> 8) & 0xFF) + int(px & 0xFF)) / 3;
            if (luminance < 240) ++inked;
        }
    }
    return inked * 50 > total ? Ink::Scan : inked > 0 ? Ink::Little : Ink::None;  // over 2%: a scan
}

// tesseract's engine is not shared between threads: each thread that meets a scanned page loads its own, once.
PageOcr& threadOcr()
{
    thread_local std::unique_ptr<PageOcr> ocr;
    if (!ocr) ocr = std::make_unique<PageOcr>();
    return *ocr;
}

// Renders the page in grey at PageOcr::kDpi (less for pages so large that the image would pass 40 megapixels)
// and reads it.
OcrPage ocrPage(const poppler::page& page, const Page& size, const std::atomic<bool>* cancel)
{
    PageOcr& ocr = threadOcr();
    if (!ocr.available()) return OcrPage{{}, 0, 0, false, ocr.unavailableReason()};
    const double squareInches = double(size.width) * size.height / (72.0 * 72.0);
    const int dpi = std::min(PageOcr::kDpi, int(std::sqrt(40e6 / std::max(squareInches, 1.0))));
    poppler::page_renderer renderer;
    renderer.set_image_format(poppler::image::format_gray8);
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    const poppler::image img = renderer.render_page(&page, dpi, dpi);
    if (!img.is_valid() || img.format() != poppler::image::format_gray8)
        return OcrPage{{}, 0, 0, false, "Poppler cannot render the page at " + std::to_string(dpi) + " dpi"};
    return ocr.read(reinterpret_cast<const std::uint8_t*>(img.const_data()), img.width(), img.height(),
                    img.bytes_per_row(), dpi, cancel);
}

std::string pageList(const std::vector<int>& pages)
{
    std::string out;
    for (std::size_t i = 0; i < pages.size() && i < 10; ++i) out += (i ? ", " : "") + std::to_string(pages[i]);
    if (pages.size() > 10) out += ", ... (" + std::to_string(pages.size()) + " in all)";
    return out;
}

}  // namespace

std::string sha256OfFile(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly)) return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file)) return {};
    return hash.result().toHex().toStdString();
}

Document PdfReader::read(const std::string& path, const std::atomic<bool>* cancel) const
{
    installPopplerMessageHandler();
    Document doc;
    doc.path = path;
    doc.kind = DocumentKind::Pdf;
    doc.language = "PDF";
    doc.readerVersion = kVersion;

    QFile file(QString::fromStdString(path));
    if (!file.exists()) return failed(doc, DocumentStatus::Error, "file not found");
    if (!file.open(QIODevice::ReadOnly)) return failed(doc, DocumentStatus::Error, "cannot open: " + file.errorString().toStdString());
    // One read into the buffer Poppler takes over: hashed, checked and parsed from the same bytes.
    poppler::byte_array bytes(std::size_t(file.size()));
    if (!bytes.empty() && file.read(bytes.data(), qint64(bytes.size())) != qint64(bytes.size()))
        return failed(doc, DocumentStatus::Error, "cannot read: " + file.errorString().toStdString());
    file.close();
    doc.size = bytes.size();
    doc.contentHash = QCryptographicHash::hash(QByteArrayView(bytes.data(), qsizetype(bytes.size())),
                                               QCryptographicHash::Sha256).toHex().toStdString();
    if (doc.size == 0) return failed(doc, DocumentStatus::Error, "empty file (0 bytes)");
    if (!hasPdfHeader(bytes)) return failed(doc, DocumentStatus::Error, "not a PDF file (no %PDF- header)");
    hideOutputIntents(bytes);

    tlsPopplerMessage.clear();
    std::unique_ptr<poppler::document> pdf(poppler::document::load_from_data(&bytes));
    if (!pdf) {
        std::string reason = "damaged PDF: Poppler cannot parse it";
        if (!tlsPopplerMessage.empty()) reason += " (" + tlsPopplerMessage + ")";
        return failed(doc, DocumentStatus::Error, reason);
    }
    if (pdf->is_locked())
        return failed(doc, DocumentStatus::Error, "encrypted PDF: it needs a password to open, none was given");
    const int pageCount = pdf->pages();
    if (pageCount <= 0) return failed(doc, DocumentStatus::Error, "the PDF has no pages");

    for (const std::string& key : pdf->info_keys()) {
        std::string value = utf8(pdf->info_key(key));
        if (key == "CreationDate" || key == "ModDate") {
            // PDF dates ("D:20250303120000Z") become ISO 8601 in UTC.
            const time_t t = pdf->info_date_t(key);
            if (t != time_t(-1) && t != 0)
                value = QDateTime::fromSecsSinceEpoch(qint64(t), Qt::UTC).toString(Qt::ISODate).toStdString();
        }
        if (!value.empty()) doc.metadata[key] = value;
    }

    // Pages with ink but no text layer go through OCR; what it could not read is named in the reason.
    std::vector<int> unreadable, blank, ocrRead, ocrFoundNothing, ocrUnavailable;
    std::vector<std::string> ocrFailures;
    std::string unavailableReason;
    double confidenceSum = 0;
    int ocrWords = 0;
    for (int i = 0; i < pageCount; ++i) {
        if (cancel && cancel->load()) return failed(doc, DocumentStatus::Error, "cancelled before page " + std::to_string(i + 1));
        std::unique_ptr<poppler::page> page(pdf->create_page(i));
        if (!page) {
            unreadable.push_back(i + 1);
            continue;
        }
        Page p = readPage(*page, i + 1);
        const Ink ink = p.lines.empty() ? inkOn(*page) : Ink::None;
        if (p.lines.empty() && (ink == Ink::None || (ink == Ink::Little && !threadOcr().available()))) {
            blank.push_back(i + 1);
        } else if (p.lines.empty()) {
            OcrPage ocr = ocrPage(*page, p, cancel);
            if (ocr.cancelled) return failed(doc, DocumentStatus::Error, "cancelled while reading page " + std::to_string(i + 1) + " by OCR");
            p.source = TextSource::Unread;
            if (ink == Ink::Little && (!ocr.error.empty() || ocr.lines.empty())) {
                p.source = TextSource::TextLayer;  // a rule or a border, no words: blank as before
                blank.push_back(i + 1);
            } else if (!threadOcr().available()) {
                ocrUnavailable.push_back(i + 1);
                unavailableReason = ocr.error;
            } else if (!ocr.error.empty()) {
                ocrFailures.push_back("OCR failed on page " + std::to_string(i + 1) + ": " + ocr.error);
            } else if (ocr.lines.empty()) {
                ocrFoundNothing.push_back(i + 1);
            } else {
                p.source = TextSource::Ocr;
                p.ocrConfidence = ocr.meanConfidence;
                p.lines = std::move(ocr.lines);
                ocrRead.push_back(i + 1);
                confidenceSum += double(ocr.meanConfidence) * ocr.words;
                ocrWords += ocr.words;
            }
        }
        doc.pages.push_back(std::move(p));
    }
    markPageHeadersAndFooters(doc.pages);

    if (!unreadable.empty() && unreadable.size() == std::size_t(pageCount))
        return failed(doc, DocumentStatus::Error, "damaged PDF: none of its " + std::to_string(pageCount) + " pages can be read");
    if (!blank.empty()) doc.metadata["blank_pages"] = pageList(blank);
    if (blank.size() == std::size_t(pageCount)) {
        doc.status = DocumentStatus::Warning;
        doc.reason = "every page is blank";
        return doc;
    }
    std::vector<std::string> notes;
    if (!ocrRead.empty()) {
        const int confidence = int(std::lround(confidenceSum / std::max(ocrWords, 1)));
        doc.metadata["ocr_engine"] = threadOcr().engine();
        doc.metadata["ocr_pages"] = pageList(ocrRead);
        doc.metadata["ocr_confidence"] = std::to_string(confidence);
        notes.push_back("no text layer: page " + pageList(ocrRead) + " read by OCR (" + threadOcr().engine()
                        + ", mean word confidence " + std::to_string(confidence) + "%)");
    }
    if (!ocrUnavailable.empty()) {
        const bool all = ocrUnavailable.size() + unreadable.size() + blank.size() == std::size_t(pageCount);
        notes.push_back((all ? "no text layer on any of its " + std::to_string(pageCount - int(blank.size())) + " non-blank pages"
                             : "no text layer on page " + pageList(ocrUnavailable))
                        + " (scanned?) and OCR is unavailable: " + unavailableReason + "; "
                        + (all ? "it cannot" : "those pages cannot") + " be searched or analysed");
    }
    if (!ocrFoundNothing.empty()) notes.push_back("no text layer on page " + pageList(ocrFoundNothing) + " and OCR found no words on it");
    notes.insert(notes.end(), ocrFailures.begin(), ocrFailures.end());
    if (!unreadable.empty()) notes.push_back("page " + pageList(unreadable) + " cannot be read");
    for (const std::string& note : notes) doc.reason += (doc.reason.empty() ? "" : "; ") + note;
    if (!notes.empty()) doc.status = DocumentStatus::Warning;
    return doc;
}

}  // namespace folio::ingest
