#pragma once

#include "folio/ingest/document.h"
#include "folio/ui/pdf_page_view.h"

namespace folio::app {
class AnalysisStore;
}

namespace folio::ui {

// Words with their boxes, page by page, for selecting text in the PDF view.
QVector<QVector<PageWord>> wordsOf(const ingest::Document& document);

// What answers the mouse on the pages of an analysed contract: each use of a defined term shows its definition,
// each cross-reference names its target and can be followed.
QVector<HotSpot> hotSpotsOf(const ingest::Document& document, qint64 documentId, const app::AnalysisStore& analysis);

}  // namespace folio::ui
