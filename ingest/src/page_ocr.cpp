#include "folio/ingest/page_ocr.h"

#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <leptonica/allheaders.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace folio::ingest {
namespace {

constexpr const char* kLanguage = "eng";

// tesseract's CANCEL_FUNC: polled while it recognises, so a cancel does not wait for the end of a page.
bool cancelRequested(void* flag, int)
{
    return static_cast<const std::atomic<bool>*>(flag)->load();
}

struct PixDeleter {
    void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

PixPtr greyPix(const std::uint8_t* gray, int width, int height, int bytesPerRow)
{
    PixPtr pix(pixCreate(width, height, 8));
    if (!pix) return pix;
    l_uint32* data = pixGetData(pix.get());
    const int wordsPerLine = pixGetWpl(pix.get());
    for (int y = 0; y < height; ++y) {
        l_uint32* line = data + std::ptrdiff_t(y) * wordsPerLine;
        const std::uint8_t* row = gray + std::ptrdiff_t(y) * bytesPerRow;
        for (int x = 0; x < width; ++x) SET_DATA_BYTE(line, x, row[x]);  // Leptonica's byte order in its words
    }
    return pix;
}

std::string takeText(char* text)
{
    std::string out = text ? text : "";
    delete[] text;
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
    return out;
}

}  // namespace

struct PageOcr::Engine {
    tesseract::TessBaseAPI api;
};

PageOcr::PageOcr() : engine_(std::make_unique<Engine>())
{
    // tesseract and Leptonica write their diagnostics to stderr; a batch ingest must not flood the user's terminal
    // with them.
    setMsgSeverity(L_SEVERITY_NONE);
    const std::vector<std::string> names = {"debug_file"}, values = {"/dev/null"};
    if (engine_->api.Init(nullptr, kLanguage, tesseract::OEM_DEFAULT, nullptr, 0, &names, &values, false) != 0) {
        engine_.reset();
        const char* prefix = std::getenv("TESSDATA_PREFIX");
        unavailableReason_ = std::string("tesseract cannot load its English language data (") + kLanguage
            + ".traineddata) from " + (prefix ? "TESSDATA_PREFIX=" + std::string(prefix) : std::string("its default folder"))
            + ": install tesseract-ocr-eng or point TESSDATA_PREFIX at a folder holding it";
        return;
    }
    engine_->api.SetPageSegMode(tesseract::PSM_AUTO);
    engineName_ = std::string("tesseract ") + tesseract::TessBaseAPI::Version() + " (" + kLanguage + ")";
}

PageOcr::~PageOcr() = default;

bool PageOcr::available() const { return engine_ != nullptr; }
const std::string& PageOcr::unavailableReason() const { return unavailableReason_; }
const std::string& PageOcr::engine() const { return engineName_; }

OcrPage PageOcr::read(const std::uint8_t* gray, int width, int height, int bytesPerRow, int dpi,
                      const std::atomic<bool>* cancel)
{
    OcrPage out;
    if (!engine_) {
        out.error = unavailableReason_;
        return out;
    }
    // Debian's tesseract runs its recogniser in OpenMP threads; ingest already reads one page per worker thread,
    // and both together oversubscribe the cores (measured 4x slower on two). Parallel regions that start on this
    // thread run on it alone.
    omp_set_max_active_levels(0);
    tesseract::TessBaseAPI& api = engine_->api;
    // A page fed in askew by 2 degrees comes back from tesseract's layout analysis in pieces, out of order (word
    // accuracy 40% against 99% at 1 degree): straighten it first (Leptonica finds the skew from text lines) and
    // turn the word boxes back onto the page as scanned.
    const PixPtr page = greyPix(gray, width, height, bytesPerRow);
    if (!page) {
        out.error = "cannot hold the page image (" + std::to_string(width) + "x" + std::to_string(height) + " pixels)";
        return out;
    }
    float skewDegrees = 0, skewConfidence = 0;
    const PixPtr straight(pixFindSkewAndDeskew(page.get(), 0, &skewDegrees, &skewConfidence));
    const bool turned = straight && straight.get() != page.get();  // otherwise a clone: no skew worth turning
    api.SetImage(straight ? straight.get() : page.get());
    api.SetSourceResolution(dpi);
    tesseract::ETEXT_DESC monitor;
    if (cancel) {
        monitor.cancel = cancelRequested;
        monitor.cancel_this = const_cast<std::atomic<bool>*>(cancel);
    }
    const int status = api.Recognize(&monitor);
    if (cancel && cancel->load()) {
        out.cancelled = true;
        api.Clear();
        return out;
    }
    if (status != 0) {
        out.error = "tesseract could not recognise the page image (" + std::to_string(width) + "x"
            + std::to_string(height) + " pixels)";
        api.Clear();
        return out;
    }

    const float pointsPerPixel = 72.0f / float(dpi);
    // Leptonica turned the page clockwise by skewDegrees about its centre; undo that for each corner of a box.
    const double radians = turned ? double(skewDegrees) * 3.14159265358979 / 180 : 0;
    const double cosine = std::cos(radians), sine = std::sin(radians), cx = width / 2.0, cy = height / 2.0;
    const auto onPage = [&](int left, int top, int right, int bottom) {
        Rect box{1e9f, 1e9f, -1e9f, -1e9f};
        for (const auto& [x, y] : {std::pair{left, top}, std::pair{right, top}, std::pair{left, bottom}, std::pair{right, bottom}}) {
            const double dx = x - cx, dy = y - cy;
            const float px = float((cx + dx * cosine + dy * sine) * pointsPerPixel);
            const float py = float((cy - dx * sine + dy * cosine) * pointsPerPixel);
            box = Rect{std::min(box.x0, px), std::min(box.y0, py), std::max(box.x1, px), std::max(box.y1, py)};
        }
        return box;
    };
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    double confidenceSum = 0;
    int paragraph = -1;
    if (it) {
        do {
            if (it->IsAtBeginningOf(tesseract::RIL_PARA)) ++paragraph;
            const bool lineStart = it->IsAtBeginningOf(tesseract::RIL_TEXTLINE);
            const std::string text = takeText(it->GetUTF8Text(tesseract::RIL_WORD));
            int left, top, right, bottom;
            if (text.empty() || !it->BoundingBox(tesseract::RIL_WORD, &left, &top, &right, &bottom)) continue;
            const Rect box = onPage(left, top, right, bottom);
            if (lineStart || out.lines.empty()) {
                out.lines.push_back(TextLine{text, box, 0, false, LineRole::Body, std::max(paragraph, 0), {box}});
            } else {
                TextLine& line = out.lines.back();
                line.text += ' ';
                line.text += text;
                line.box = line.box.united(box);
                line.wordBoxes.push_back(box);
            }
            // A scan gives no font sizes: the tallest word of a line (ascender to descender) is close to it.
            TextLine& line = out.lines.back();
            line.fontSize = std::max(line.fontSize, std::round(box.height() * 2) / 2);
            confidenceSum += it->Confidence(tesseract::RIL_WORD);
            ++out.words;
        } while (it->Next(tesseract::RIL_WORD));
    }
    out.meanConfidence = out.words ? float(confidenceSum / out.words) : 0.0f;
    api.Clear();
    return out;
}

}  // namespace folio::ingest
