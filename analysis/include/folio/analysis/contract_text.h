#pragma once

#include "folio/ingest/document.h"

#include <string>
#include <vector>

namespace folio::analysis {

// A range of bytes in ContractText::text(), [start, end).
struct TextRange {
    int start = 0, end = 0;
    int length() const { return end - start; }
    bool contains(int offset) const { return offset >= start && offset < end; }
    bool overlaps(const TextRange& o) const { return start < o.end && o.start < end; }
    bool operator==(const TextRange&) const = default;
};

// Line breaks, tabs and runs of spaces as single spaces, without leading or trailing space.
std::string collapseWhitespace(std::string_view text);

// Where a range of text stands in the PDF: one rectangle per line it covers, in points, top-left origin.
struct PageRegion {
    int page = 0;  // 1-based; 0 for documents without pages (plain text)
    ingest::Rect box;
};

// One line of the contract's body text and the layout cues the analysers read.
struct ContractLine {
    TextRange range;            // the line's text in ContractText::text(), without its trailing newline
    int page = 0;
    ingest::Rect box;
    float fontSize = 0;
    bool bold = false;
    bool paragraphStart = false;  // first line of a paragraph block on its page
    std::vector<ingest::Rect> wordBoxes;
};

// The body text of one contract as one string (line after line, each followed by '\n'), page headers and
// footers left out, with the way back from any byte to its page and rectangle. Every analyser reports ranges
// of this text, so results from different analysers can be compared and stored with their provenance.
class ContractText {
public:
    static ContractText fromDocument(const ingest::Document& document);
    // For text without layout (tests, .txt contracts): one line per '\n', blank lines start paragraphs.
    static ContractText fromPlainText(const std::string& text);

    const std::string& text() const { return text_; }
    const std::vector<ContractLine>& lines() const { return lines_; }
    std::string_view slice(const TextRange& r) const { return std::string_view(text_).substr(r.start, r.length()); }
    // The text of a range with line breaks and runs of spaces as single spaces.
    std::string flat(const TextRange& r) const;

    // Index of the line holding `offset` (the last line for the end of the text).
    int lineAt(int offset) const;
    int pageAt(int offset) const;
    // One rectangle per line the range touches, cut to the words it covers.
    std::vector<PageRegion> regions(const TextRange& r) const;
    // Body font size most characters are set in: headings are larger, footnotes smaller.
    float bodyFontSize() const { return bodyFontSize_; }
    float bodyLeft() const { return bodyLeft_; }

private:
    std::string text_;
    std::vector<ContractLine> lines_;
    float bodyFontSize_ = 0, bodyLeft_ = 0;
    void computeBodyMetrics();
};

}  // namespace folio::analysis
