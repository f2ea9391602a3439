#pragma once

#include "folio/analysis/contract_text.h"

#include <string>
#include <vector>

namespace folio::analysis {

enum class NodeKind { Title, Preamble, Recitals, Article, Section, Item, Heading, Exhibit, Signature };
const char* toString(NodeKind kind);
NodeKind nodeKindFromString(const std::string& text);

// How a node's label is written. A new style met in the text opens a level below the current one; a style
// already open continues its level (the way a reader follows 1 / 1.1 / (a) / (i) without being told).
enum class NumberStyle {
    None,
    ArticleWord,       // ARTICLE IV, Article 4
    Decimal,           // 5, 5.2, 5.2.1 (also "Section 5.2"); the depth is the number of parts
    ParenLowerAlpha,   // (a)
    ParenLowerRoman,   // (iv)
    ParenUpperAlpha,   // (A)
    ParenUpperRoman,   // (IV)
    ParenDigit,        // (1)
    LowerAlpha,        // a. a)
    LowerRoman,        // iv. iv)
    UpperAlpha,        // A.
    UpperRoman,        // IV.
    Exhibit,           // Exhibit A, Schedule 2, Annex I, Appendix, Attachment
};

struct OutlineNode {
    int id = 0;
    int parent = -1;  // -1: top level
    int depth = 0;
    NodeKind kind = NodeKind::Heading;
    NumberStyle style = NumberStyle::None;
    std::string label;       // as written without decoration: "5.2", "b", "IV", "A"
    std::vector<int> number; // decimal parts {5, 2}; one value otherwise (b = 2, IV = 4)
    std::string exhibitWord; // Exhibits: "Exhibit", "Schedule", "Annex", ...
    std::string citation;    // how another clause would cite it: "Section 5.2(b)", "Article IV", "Exhibit A"
    std::string title;       // heading text without the label
    TextRange heading;       // the label and its title on the node's first line
    TextRange range;         // the node and everything under it, up to the next node at its level or above
    int page = 0;
    std::vector<PageRegion> regions;  // of the heading
    std::vector<int> children;
};

// The contract's structure as one hierarchy: title, preamble, recitals, articles, sections, subsections and
// list items, unnumbered headings, signature blocks, exhibits and schedules. Page headers and footers were left
// out by ContractText already.
class Outline {
public:
    static Outline build(const ContractText& text);

    const std::vector<OutlineNode>& nodes() const { return nodes_; }
    std::vector<int> topLevel() const;
    // The innermost node whose range holds `offset`, or -1.
    int nodeAt(int offset) const;
    // Innermost first: the node at `offset` and its ancestors.
    std::vector<int> ancestorsAt(int offset) const;

private:
    friend class OutlineBuilder;
    std::vector<OutlineNode> nodes_;
};

}  // namespace folio::analysis
