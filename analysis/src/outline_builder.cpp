// The outline builder's pass over the lines: which reading of a label continues or opens a level, headings,
// recitals, signature blocks, exhibits, and the ranges of the nodes.
#include "outline_builder.h"

#include "numbering.h"
#include "text_utils.h"

#include <algorithm>
#include <cctype>

namespace folio::analysis {

int OutlineBuilder::addNode(NodeKind kind, int parent, int lineIndex, int titleStart)
{
    const ContractLine& line = text_.lines()[lineIndex];
    OutlineNode n;
    n.id = static_cast<int>(outline_.nodes_.size());
    n.parent = parent;
    n.depth = parent < 0 ? 0 : outline_.nodes_[parent].depth + 1;
    n.kind = kind;
    n.page = line.page;
    n.heading = {line.range.start, line.range.end};
    n.range = {line.range.start, static_cast<int>(text_.text().size())};
    std::string_view rest = std::string_view(text_.text()).substr(titleStart, line.range.end - std::min(titleStart, line.range.end));
    n.title = headingTitle(rest);
    if (n.title.size() < rest.size())
        n.heading.end = titleStart + static_cast<int>(n.title.size());
    n.heading.end = std::max(n.heading.end, n.heading.start);
    n.regions = text_.regions(n.heading);
    if (parent >= 0)
        outline_.nodes_[parent].children.push_back(n.id);
    outline_.nodes_.push_back(std::move(n));
    return outline_.nodes_.back().id;
}

bool OutlineBuilder::tryNumbered(int lineIndex)
{
    std::vector<Label> labels = labelsAt(lineIndex);
    if (labels.empty() || !labelStartsLine(lineIndex))
        return false;
    const ContractLine& line = text_.lines()[lineIndex];

    if (labels[0].style == NumberStyle::Exhibit) {
        const Label& l = labels[0];
        std::string_view rest = std::string_view(text_.text()).substr(l.titleStart, line.range.end - l.titleStart);
        std::string_view whole = text_.slice(line.range);
        // "Exhibit A attached hereto describes..." is a sentence; an exhibit heading stands alone or has a
        // title in capitals ("EXHIBIT B - FORM OF STATEMENT OF WORK").
        bool heading = rest.empty() || isUpperCaseText(whole) || (line.bold && wordCount(whole) <= 12) ||
                       line.fontSize > text_.bodyFontSize() + 0.9f;
        if (!heading || wordCount(whole) > 14)
            return false;
        // "EXHIBIT 10.13" above the title is the filing's exhibit number, not part of the contract.
        if (outline_.nodes_.empty() && l.label.find('.') != std::string::npos)
            return true;
        stack_.clear();
        inRecitals_ = false;
        int id = addNode(NodeKind::Exhibit, -1, lineIndex, l.titleStart);
        OutlineNode& n = outline_.nodes_[id];
        n.style = NumberStyle::Exhibit;
        n.label = l.label;
        n.exhibitWord = l.exhibitWord;
        n.citation = l.label.empty() ? l.exhibitWord : l.exhibitWord + " " + l.label;
        if (!l.label.empty()) {
            if (auto r = romanValue(l.label))
                n.number = {*r};
            else if (auto a = alphaValue(l.label))
                n.number = {*a};
            else
                n.number = {std::atoi(l.label.c_str())};
        }
        return true;
    }

    // Pick the reading of the label that continues an open level, else one that opens a new level.
    int chosen = -1, level = -1;
    for (int pass = 0; pass < 2 && chosen < 0; ++pass) {
        for (int i = 0; i < static_cast<int>(labels.size()) && chosen < 0; ++i) {
            const Label& l = labels[i];
            int depth = l.style == NumberStyle::Decimal ? static_cast<int>(l.number.size()) : 0;
            int open = -1;
            for (int j = static_cast<int>(stack_.size()) - 1; j >= 0; --j)
                if (stack_[j].style == l.style && stack_[j].depth == depth) {
                    open = j;
                    break;
                }
            if (pass == 0 && open >= 0) {
                const std::vector<int>& last = stack_[open].last;
                bool next = false;
                if (l.style == NumberStyle::Decimal) {
                    bool samePrefix = std::equal(l.number.begin(), l.number.end() - 1, last.begin());
                    int prev = last.back(), v = l.number.back();
                    if (samePrefix)
                        next = v > prev && v <= prev + 3;
                    else if (depth > 1)
                        next = l.number[depth - 2] == last[depth - 2] + 1 && v <= 2;
                } else {
                    next = l.number[0] == last[0] + 1;
                }
                if (next)
                    chosen = i, level = open;
            } else if (pass == 1 && open < 0) {
                bool first = l.number.back() == 1;
                if (l.style == NumberStyle::Decimal && depth > 1) {
                    // 5.1 opens under Section 5 or Article 5; a document may also start at 1.1.
                    for (const Level& s : stack_)
                        if ((s.style == NumberStyle::Decimal && s.depth == depth - 1 &&
                             std::equal(s.last.begin(), s.last.end(), l.number.begin())) ||
                            (s.style == NumberStyle::ArticleWord && depth == 2 && s.last[0] == l.number[0]))
                            first = first || l.number.back() <= 2;
                }
                if (l.style == NumberStyle::Decimal && !seenNumbered_)
                    first = l.number.back() <= 2;
                // A heading between sections closed the level; the numbers still continue from before it.
                if (l.style == NumberStyle::Decimal && depth == 1 && lastTopDecimal_ > 0)
                    first = first || (l.number[0] > lastTopDecimal_ && l.number[0] <= lastTopDecimal_ + 3);
                if (first) {
                    chosen = i;
                    level = static_cast<int>(stack_.size());
                    // Articles and sections never open inside a list item (or a recital's "A."): they go
                    // under the nearest open article or shorter section number, or to the top.
                    if (l.style == NumberStyle::ArticleWord || l.style == NumberStyle::Decimal) {
                        level = 0;
                        for (int j = static_cast<int>(stack_.size()) - 1; j >= 0; --j)
                            if (l.style == NumberStyle::Decimal &&
                                (stack_[j].style == NumberStyle::ArticleWord ||
                                 (stack_[j].style == NumberStyle::Decimal && stack_[j].depth < depth))) {
                                level = j + 1;
                                break;
                            }
                    }
                }
            }
        }
    }
    if (chosen < 0)
        return false;
    const Label& l = labels[chosen];
    stack_.resize(level);
    int parent = stack_.empty() ? -1 : stack_.back().node;
    // A paragraph after the recitals or the signature block is not inside them.
    if (stack_.empty() && !outline_.nodes_.empty()) {
        for (int p = static_cast<int>(outline_.nodes_.size()) - 1; p >= 0; --p) {
            const OutlineNode& n = outline_.nodes_[p];
            if (n.parent >= 0)
                continue;
            if (n.kind == NodeKind::Exhibit || (n.kind == NodeKind::Recitals && inRecitals_ &&
                                                l.style != NumberStyle::Decimal && l.style != NumberStyle::ArticleWord))
                parent = p;
            break;
        }
    }
    NodeKind kind = l.style == NumberStyle::ArticleWord ? NodeKind::Article
                  : l.style == NumberStyle::Decimal    ? NodeKind::Section
                                                       : NodeKind::Item;
    if (kind != NodeKind::Item)
        inRecitals_ = false;
    int id = addNode(kind, parent, lineIndex, l.titleStart);
    OutlineNode& n = outline_.nodes_[id];
    n.style = l.style;
    n.label = l.label;
    n.number = l.number;
    stack_.push_back({l.style, l.style == NumberStyle::Decimal ? static_cast<int>(l.number.size()) : 0, id, l.number});
    seenNumbered_ = true;
    if (l.style == NumberStyle::Decimal && l.number.size() == 1)
        lastTopDecimal_ = l.number[0];

    // Citations read the way the contract cites them: "Section 5.2(b)(iii)", "Article IV".
    switch (l.style) {
    case NumberStyle::ArticleWord: n.citation = "Article " + l.label; break;
    case NumberStyle::Decimal: n.citation = "Section " + l.label; break;
    default: {
        // Every list item is cited in parentheses, however it is written: "Section 14(h)" finds "h.".
        std::string suffix = "(" + l.label + ")";
        const OutlineNode* p = parent >= 0 ? &outline_.nodes_[parent] : nullptr;
        n.citation = p && (p->kind == NodeKind::Section || p->kind == NodeKind::Item) ? p->citation + suffix : suffix;
    }
    }
    return true;
}

Outline OutlineBuilder::build()
{
    const auto& lines = text_.lines();
    if (lines.empty())
        return outline_;
    std::vector<int> lengths;
    for (const ContractLine& l : lines)
        lengths.push_back(l.range.length());
    std::nth_element(lengths.begin(), lengths.begin() + lengths.size() / 2, lengths.end());
    medianLineLength_ = lengths[lengths.size() / 2];

    std::string_view all = text_.text();
    bool titleSeen = false, preambleSeen = false;
    int lastNodeLine = -10;
    std::vector<bool> contents = tableOfContents();
    for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
        std::string_view s = text_.slice(lines[i].range);
        if (contents[i]) {
            // The table of contents repeats the numbering the body uses: it is one node, not the sections.
            if (i == 0 || !contents[i - 1]) {
                stack_.clear();
                addNode(NodeKind::Heading, -1, i, lines[i].range.start);
                outline_.nodes_.back().title = "Table of Contents";
                setHeadingEnd(outline_.nodes_.back(), lines[i].range.start);
                lastNodeLine = i;
            }
            continue;
        }
        if (tryNumbered(i)) {
            lastNodeLine = i;
            continue;
        }
        if (!labelStartsLine(i))
            continue;
        std::string upper = upperAscii(s.substr(0, 40));
        if (startsWith(upper, "IN WITNESS WHEREOF") || startsWith(upper, "IN WITNESS THEREOF")) {
            stack_.clear();
            inRecitals_ = false;
            addNode(NodeKind::Signature, -1, i, lines[i].range.start);
            outline_.nodes_.back().title = "Signatures";
            setHeadingEnd(outline_.nodes_.back(), lines[i].range.start + std::min<int>(18, lines[i].range.length()));
            lastNodeLine = i;
            continue;
        }
        if (startsWith(upper, "WHEREAS") && !inRecitals_ && !seenNumbered_) {
            stack_.clear();
            addNode(NodeKind::Recitals, -1, i, lines[i].range.start);
            outline_.nodes_.back().title = "Recitals";
            setHeadingEnd(outline_.nodes_.back(), lines[i].range.start + 7);
            inRecitals_ = true;
            lastNodeLine = i;
            continue;
        }
        if (startsWith(upper, "NOW, THEREFORE") || startsWith(upper, "NOW THEREFORE"))
            inRecitals_ = false;
        if (looksLikeHeading(i)) {
            std::string title = headingTitle(s);
            std::string key = upperAscii(title);
            if (key == "SIGNATURES" || key == "SIGNATURE PAGE" || key == "SIGNATURE PAGE FOLLOWS") {
                stack_.clear();
                inRecitals_ = false;
                addNode(NodeKind::Signature, -1, i, lines[i].range.start);
                lastNodeLine = i;
                continue;
            }
            bool recitals = key == "RECITALS" || key == "WITNESSETH" || key == "WITNESSETH:" || key == "BACKGROUND" ||
                            key == "RECITALS:" || key == "PRELIMINARY STATEMENT";
            if (!titleSeen && !seenNumbered_ && outline_.nodes_.empty() && !recitals) {
                addNode(NodeKind::Title, -1, i, lines[i].range.start);
                titleSeen = true;
                lastNodeLine = i;
                continue;
            }
            // "ARTICLE 1" on one line and "DEFINITIONS" on the next: the heading is the article's title.
            if (!outline_.nodes_.empty() && lastNodeLine == i - 1) {
                OutlineNode& prev = outline_.nodes_.back();
                if (prev.title.empty() && prev.kind != NodeKind::Title && prev.kind != NodeKind::Signature) {
                    prev.title = title;
                    setHeadingEnd(prev, lines[i].range.end);
                    lastNodeLine = i;
                    continue;
                }
            }
            if (titleSeen && outline_.nodes_.size() == 1 && !seenNumbered_ && !recitals && lastNodeLine == i - 1) {
                // A second title line ("AGREEMENT" under "MASTER SERVICES") belongs to the title.
                continue;
            }
            int parent = -1;
            for (const Level& lv : stack_)
                if (lv.style == NumberStyle::ArticleWord)
                    parent = lv.node;
            if (parent < 0)
                stack_.clear();
            else
                stack_.resize(1);
            if (!stack_.empty() && stack_[0].node != parent)
                stack_.clear();
            if (parent < 0 && !outline_.nodes_.empty()) {
                // Headings inside an exhibit stay inside it.
                for (int p = static_cast<int>(outline_.nodes_.size()) - 1; p >= 0; --p)
                    if (outline_.nodes_[p].parent < 0) {
                        if (outline_.nodes_[p].kind == NodeKind::Exhibit)
                            parent = p;
                        break;
                    }
            }
            addNode(recitals ? NodeKind::Recitals : NodeKind::Heading, parent, i, lines[i].range.start);
            inRecitals_ = recitals;
            lastNodeLine = i;
            continue;
        }
        if (!preambleSeen && !seenNumbered_ && !inRecitals_ && lines[i].paragraphStart) {
            std::string lower = lowerAscii(text_.flat({lines[i].range.start,
                                                       std::min<int>(lines[i].range.start + 400, all.size())}));
            if (lower.find("agreement") != std::string::npos || lower.find(" between ") != std::string::npos ||
                lower.find("entered into") != std::string::npos) {
                addNode(NodeKind::Preamble, -1, i, lines[i].range.start);
                OutlineNode& n = outline_.nodes_.back();
                n.title = "Preamble";
                setHeadingEnd(n, n.heading.start);
                preambleSeen = true;
                lastNodeLine = i;
            }
        }
    }
    finishRanges();
    return std::move(outline_);
}

void OutlineBuilder::finishRanges()
{
    auto& nodes = outline_.nodes_;
    int end = static_cast<int>(text_.text().size());
    for (size_t i = 0; i < nodes.size(); ++i) {
        nodes[i].range.end = end;
        for (size_t j = i + 1; j < nodes.size(); ++j)
            if (nodes[j].depth <= nodes[i].depth) {
                nodes[i].range.end = nodes[j].range.start;
                break;
            }
        if (nodes[i].parent >= 0)
            nodes[i].range.end = std::min(nodes[i].range.end, nodes[nodes[i].parent].range.end);
    }
    // Trailing newlines are not part of a node.
    for (OutlineNode& n : nodes)
        while (n.range.end > n.range.start && text_.text()[n.range.end - 1] == '\n')
            --n.range.end;
}

}  // namespace folio::analysis
