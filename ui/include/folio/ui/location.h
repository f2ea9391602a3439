#pragma once

#include <QColor>
#include <QRectF>
#include <QVector>

namespace folio::ui {

// A place to show: a page of a document with the rectangles (PDF points) to highlight on it, or a line of a
// file with the characters to select on it (an identifier a jump landed on).
struct Location {
    qint64 document = 0;
    int page = 0;
    QVector<QRectF> boxes;
    QColor color;
    int line = 0;                 // files: 1-based (0 for a PDF's page)
    int column = 0, length = 0;   // files: characters (not bytes) on that line
    bool operator==(const Location& o) const
    {
        return document == o.document && page == o.page && boxes == o.boxes && line == o.line && column == o.column;
    }
};

}  // namespace folio::ui
