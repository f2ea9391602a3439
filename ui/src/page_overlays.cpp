#include "folio/ui/page_overlays.h"

#include "folio/analysis/contract_text.h"
#include "folio/app/analysis_store.h"

#include <algorithm>
#include <map>

namespace folio::ui {

namespace {

QRectF toQRect(const ingest::Rect& r)
{
    return QRectF(QPointF(r.x0, r.y0), QPointF(r.x1, r.y1));
}

}  // namespace

QVector<QVector<PageWord>> wordsOf(const ingest::Document& doc)
{
    QVector<QVector<PageWord>> pages;
    for (const ingest::Page& page : doc.pages) {
        QVector<PageWord> words;
        for (const ingest::TextLine& line : page.lines) {
            const QStringList texts = QString::fromStdString(line.text).split(' ');
            const int n = std::min(int(texts.size()), int(line.wordBoxes.size()));
            for (int i = 0; i < n; ++i) words.push_back({toQRect(line.wordBoxes[i]), texts[i], i == n - 1});
        }
        pages.push_back(words);
    }
    return pages;
}

QVector<HotSpot> hotSpotsOf(const ingest::Document& doc, qint64 documentId, const app::AnalysisStore& analysis)
{
    QVector<HotSpot> spots;
    const analysis::ContractText text = analysis::ContractText::fromDocument(doc);
    std::map<int, std::vector<analysis::PageRegion>> targets;
    for (const auto& n : analysis.outline(documentId)) targets[n.node] = n.regions;
    for (const auto& r : analysis.references(false, documentId)) {
        Location target;
        QString tip = QObject::tr("%1: unresolved, %2").arg(QString::fromStdString(r.text), QString::fromStdString(r.reason));
        if (r.targetNode >= 0) {
            target = {documentId, r.targetPage, {}, QColor(90, 140, 230)};
            for (const auto& region : targets[r.targetNode])
                if (region.page == r.targetPage) target.boxes.push_back(toQRect(region.box));
            tip = QObject::tr("%1 %2 (page %3): click to follow")
                      .arg(QString::fromStdString(r.targetCitation), QString::fromStdString(r.targetTitle))
                      .arg(r.targetPage);
        }
        for (const auto& region : r.regions) spots.push_back({region.page, toQRect(region.box), tip, target});
    }
    for (const auto& t : analysis.terms(documentId)) {
        if (t.undefined) continue;
        const QString tip = QString("<b>%1</b>: %2").arg(QString::fromStdString(t.term).toHtmlEscaped(),
                                                         QString::fromStdString(t.definition).toHtmlEscaped());
        for (const auto& use : t.uses)
            for (const auto& region : text.regions(use)) spots.push_back({region.page, toQRect(region.box), tip, {}});
    }
    return spots;
}

}  // namespace folio::ui
