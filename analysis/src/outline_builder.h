#pragma once

#include "folio/analysis/outline.h"

#include <string>
#include <vector>

namespace folio::analysis {

// One pass over the lines with a stack of open numbering levels.
class OutlineBuilder {
public:
    explicit OutlineBuilder(const ContractText& text) : text_(text) {}
    Outline build();

private:
    struct Label {
        NumberStyle style = NumberStyle::None;
        std::string label;
        std::vector<int> number;
        std::string exhibitWord;
        int titleStart = 0;  // offset of the text after the label
    };
    struct Level {
        NumberStyle style;
        int depth;  // decimal parts; 0 otherwise
        int node;
        std::vector<int> last;
    };

    const ContractText& text_;
    Outline outline_;
    std::vector<Level> stack_;
    bool seenNumbered_ = false;
    int lastTopDecimal_ = 0;
    bool inRecitals_ = false;
    int medianLineLength_ = 0;

    std::vector<Label> labelsAt(int lineIndex) const;
    bool labelStartsLine(int lineIndex) const;
    bool looksLikeHeading(int lineIndex) const;
    bool tryNumbered(int lineIndex);
    int addNode(NodeKind kind, int parent, int lineIndex, int titleStart);
    void setHeadingEnd(OutlineNode& node, int end) const
    {
        node.heading.end = end;
        node.regions = text_.regions(node.heading);
    }
    void finishRanges();
    std::vector<bool> tableOfContents() const;
};

}  // namespace folio::analysis
