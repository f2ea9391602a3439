#pragma once

#include "folio/ingest/document.h"

#include <string>
#include <string_view>
#include <vector>

namespace folio::ingest {

// A word as the PDF back-end reports it, in reading order.
struct WordBox {
    std::string text;
    Rect box;
    float fontSize = 0;
    bool bold = false;
};

bool isBoldFontName(std::string_view fontName);

// "ﬁ" -> "fi" and the other Latin ligatures of U+FB00..U+FB06.
std::string expandLigatures(std::string_view text);

// Groups words into lines: a word starts a new line when it does not overlap the current line vertically or
// when it jumps back to the left (the next line of a paragraph). Reading order is kept.
std::vector<TextLine> assembleLines(const std::vector<WordBox>& words);

// Numbers paragraphs on one page: a new block starts after a vertical gap larger than about half a line,
// or where the font size or weight changes (a heading).
void assignBlocks(std::vector<TextLine>& lines);

// Marks lines near the top or bottom edge that repeat across pages (digits ignored, so "Page 3 of 9" repeats)
// as page headers/footers, and lone page numbers at the edges as footers/headers. Needs two pages or more for
// the repetition rule; lone page numbers are recognised on any page.
void markPageHeadersAndFooters(std::vector<Page>& pages);

}  // namespace folio::ingest
