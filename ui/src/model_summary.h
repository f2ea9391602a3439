#pragma once

#include <QString>

namespace folio::ui {

// The model file as the engine dock describes it, in rich text: architecture, layers by kind, width, heads,
// experts used of all, tensors per type (count and size), the file's size; or why it cannot be read.
QString modelSummaryHtml(const QString& path);

}  // namespace folio::ui
