#pragma once

#include <Qt>

namespace folio::ui {

// What a row of the results dock carries: a search hit (document, page or line, box on the page) or a reference
// (document, line and the identifier's column and length in characters).
enum ResultRole { HitDocument = Qt::UserRole + 1, HitPage, HitLine, HitRect, HitColumn, HitLength };

}  // namespace folio::ui
