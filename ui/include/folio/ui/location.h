#pragma once

#include <QColor>
#include <QRectF>
#include <QVector>

namespace folio::ui {

// A place to show: a page of a document with the rectangles (PDF points) to highlight on it.
struct Location {
    qint64 document = 0;
    int page = 0;
    QVector<QRectF> boxes;
    QColor color;
    bool operator==(const Location& o) const { return document == o.document && page == o.page && boxes == o.boxes; }
};

}  // namespace folio::ui
