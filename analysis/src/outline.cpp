#include "folio/analysis/outline.h"

#include "numbering.h"
#include "regex.h"
#include "text_utils.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace folio::analysis {

const char* toString(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Title: return "title";
    case NodeKind::Preamble: return "preamble";
    case NodeKind::Recitals: return "recitals";
    case NodeKind::Article: return "article";
    case NodeKind::Section: return "section";
    case NodeKind::Item: return "item";
    case NodeKind::Heading: return "heading";
    case NodeKind::Exhibit: return "exhibit";
    case NodeKind::Signature: return "signature";
    }
    return "heading";
}

NodeKind nodeKindFromString(const std::string& text)
{
    for (NodeKind k : {NodeKind::Title, NodeKind::Preamble, NodeKind::Recitals, NodeKind::Article, NodeKind::Section,
                       NodeKind::Item, NodeKind::Heading, NodeKind::Exhibit, NodeKind::Signature})
        if (text == toString(k))
            return k;
    throw std::invalid_argument("unknown outline node kind: " + text);
}

std::vector<int> Outline::topLevel() const
{
    std::vector<int> out;
    for (const OutlineNode& n : nodes_)
        if (n.parent < 0)
            out.push_back(n.id);
    return out;
}

int Outline::nodeAt(int offset) const
{
    int best = -1;
    for (const OutlineNode& n : nodes_) {
        if (n.range.start > offset)
            break;
        if (n.range.contains(offset) && (best < 0 || n.depth >= nodes_[best].depth))
            best = n.id;
    }
    return best;
}

std::vector<int> Outline::ancestorsAt(int offset) const
{
    std::vector<int> chain;
    for (int n = nodeAt(offset); n >= 0; n = nodes_[n].parent)
        chain.push_back(n);
    return chain;
}

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

namespace {

const Regex& articleRe()
{
    static const Regex re(R"((?:ARTICLE|Article)\s+([IVXLC]+|\d{1,3})\b\.?\s*(?:[-–—:.]\s*)?)");
    return re;
}
const Regex& sectionWordRe()
{
    static const Regex re(R"((?:SECTION|Section|Sec\.|§)\s*(\d{1,3}(?:\.\d{1,3})*)\.?(?=\s|$)\s*(?:[-–—:.]\s*)?)");
    return re;
}
const Regex& decimalRe()
{
    static const Regex re(R"((\d{1,3}(?:\.\d{1,3})*)(\.?)(?:\s+|$)(?=[A-Z"“(\[]|$))");
    return re;
}
const Regex& parenRe()
{
    static const Regex re(R"(\(([a-z]{1,4}|[A-Z]{1,4}|\d{1,2})\)\s*)");
    return re;
}
const Regex& plainListRe()
{
    static const Regex re(R"(([a-z]{1,4}|[A-Z]{1,4})[.)]\s+(?=\S))");
    return re;
}
const Regex& exhibitRe()
{
    static const Regex re(
        R"((EXHIBIT|Exhibit|SCHEDULE|Schedule|ANNEX|Annex|APPENDIX|Appendix|ATTACHMENT|Attachment|ADDENDUM|Addendum)(?:\s+([A-Z]{1,2}(?:-\d{1,2})?|\d{1,2}(?:\.\d{1,2})?|[IVX]{1,5}))?\b\.?\s*(?:[-–—:.]\s*)?)");
    return re;
}

std::vector<int> parseDecimal(std::string_view s)
{
    std::vector<int> parts;
    int v = 0;
    bool any = false;
    for (char c : s) {
        if (c == '.') {
            parts.push_back(v);
            v = 0;
            any = false;
        } else {
            v = v * 10 + (c - '0');
            any = true;
        }
    }
    if (any)
        parts.push_back(v);
    return parts;
}

bool isFirstValue(int v) { return v == 1; }

std::string capitalised(std::string word)
{
    for (size_t i = 0; i < word.size(); ++i)
        word[i] = static_cast<char>(i == 0 ? std::toupper(static_cast<unsigned char>(word[i]))
                                           : std::tolower(static_cast<unsigned char>(word[i])));
    return word;
}

}  // namespace

std::vector<OutlineBuilder::Label> OutlineBuilder::labelsAt(int lineIndex) const
{
    const ContractLine& line = text_.lines()[lineIndex];
    std::string_view all = text_.text();
    int at = line.range.start;
    while (at < line.range.end && (all[at] == ' ' || all[at] == '\t'))
        ++at;
    std::vector<Label> out;
    auto group = [&](const Regex::Match& m, int g) { return std::string(m.group(all, g)); };

    if (auto m = exhibitRe().matchAt(all, at); m.start >= 0) {
        Label l;
        l.style = NumberStyle::Exhibit;
        l.exhibitWord = capitalised(group(m, 1));
        l.label = group(m, 2);
        l.titleStart = m.end;
        out.push_back(l);
        return out;
    }
    if (auto m = articleRe().matchAt(all, at); m.start >= 0) {
        Label l;
        l.style = NumberStyle::ArticleWord;
        l.label = group(m, 1);
        auto roman = romanValue(l.label);
        l.number = {roman ? *roman : std::atoi(l.label.c_str())};
        l.titleStart = m.end;
        out.push_back(l);
        return out;
    }
    Regex::Match m = sectionWordRe().matchAt(all, at);
    if (m.start < 0)
        m = decimalRe().matchAt(all, at);
    if (m.start >= 0) {
        Label l;
        l.style = NumberStyle::Decimal;
        l.label = group(m, 1);
        l.number = parseDecimal(l.label);
        l.titleStart = m.end;
        bool sectionWord = std::isalpha(static_cast<unsigned char>(all[at])) || all[at] == '\xc2';
        // "12 months" or "2019 Annual Report" at the start of a wrapped line are not section numbers.
        // A number alone on its line is a section number only when a heading follows ("8" / "TRADEMARKS");
        // otherwise it is usually a page number the layout did not recognise.
        bool alone = m.end >= line.range.end && lineIndex + 1 < static_cast<int>(text_.lines().size()) &&
                     looksLikeHeading(lineIndex + 1);
        bool plausible = sectionWord || l.number.size() > 1 ||
                         (l.number[0] <= 200 && ((m.has(2) && m.groupEnd(2) > m.groupStart(2)) || alone));
        if (!l.number.empty() && plausible)
            out.push_back(l);
        return out;
    }
    auto addLetterStyles = [&](const std::string& s, bool paren, int titleStart) {
        bool lower = std::islower(static_cast<unsigned char>(s[0]));
        if (auto r = romanValue(s)) {
            Label l;
            l.style = paren ? (lower ? NumberStyle::ParenLowerRoman : NumberStyle::ParenUpperRoman)
                            : (lower ? NumberStyle::LowerRoman : NumberStyle::UpperRoman);
            l.label = s;
            l.number = {*r};
            l.titleStart = titleStart;
            out.push_back(l);
        }
        if (auto a = alphaValue(s)) {
            Label l;
            l.style = paren ? (lower ? NumberStyle::ParenLowerAlpha : NumberStyle::ParenUpperAlpha)
                            : (lower ? NumberStyle::LowerAlpha : NumberStyle::UpperAlpha);
            l.label = s;
            l.number = {*a};
            l.titleStart = titleStart;
            out.push_back(l);
        }
    };
    if (auto p = parenRe().matchAt(all, at); p.start >= 0) {
        std::string s = group(p, 1);
        if (std::isdigit(static_cast<unsigned char>(s[0]))) {
            Label l;
            l.style = NumberStyle::ParenDigit;
            l.label = s;
            l.number = {std::atoi(s.c_str())};
            l.titleStart = p.end;
            out.push_back(l);
        } else {
            addLetterStyles(s, true, p.end);
        }
        return out;
    }
    if (auto p = plainListRe().matchAt(all, at); p.start >= 0)
        addLetterStyles(group(p, 1), false, p.end);
    return out;
}

bool OutlineBuilder::labelStartsLine(int lineIndex) const
{
    const ContractLine& line = text_.lines()[lineIndex];
    if (line.paragraphStart || lineIndex == 0)
        return true;
    const ContractLine& prev = text_.lines()[lineIndex - 1];
    std::string_view p = text_.slice(prev.range);
    while (!p.empty() && p.back() == ' ')
        p.remove_suffix(1);
    if (p.empty())
        return true;
    char last = p.back();
    if (last == '.' || last == ':' || last == ';')
        return true;
    // A short line before this one ended its paragraph (a heading, a label alone, a list item).
    return prev.range.length() * 2 < medianLineLength_;
}

bool OutlineBuilder::looksLikeHeading(int lineIndex) const
{
    const ContractLine& line = text_.lines()[lineIndex];
    std::string_view s = text_.slice(line.range);
    if (s.empty() || !labelStartsLine(lineIndex))
        return false;
    int words = wordCount(s);
    if (words == 0 || words > 12)
        return false;
    char last = s.back();
    if (last == ',' || last == ';' || (last == '.' && words > 6))
        return false;
    // The next line should start a new paragraph (or be another short line): headings stand alone.
    if (lineIndex + 1 < static_cast<int>(text_.lines().size())) {
        const ContractLine& next = text_.lines()[lineIndex + 1];
        if (!next.paragraphStart && line.range.length() * 2 > medianLineLength_ && next.page == line.page)
            return false;
    }
    bool larger = line.fontSize > text_.bodyFontSize() + 0.9f;
    return isUpperCaseText(s) || (line.bold && s.size() > 2) || larger;
}

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
                bool first = isFirstValue(l.number.back());
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

std::vector<bool> OutlineBuilder::tableOfContents() const
{
    const auto& lines = text_.lines();
    const int n = static_cast<int>(lines.size());
    std::vector<bool> contents(n, false);
    // An entry: a numbered or exhibit label, or a line ending in a page number or dot leaders, that is not a
    // sentence (sentences end in . ; or ,).
    auto entry = [&](int i) {
        std::string_view s = text_.slice(lines[i].range);
        while (!s.empty() && s.back() == ' ')
            s.remove_suffix(1);
        if (s.empty())
            return false;
        size_t lastSpace = s.find_last_of(' ');
        std::string_view lastWord = lastSpace == std::string_view::npos ? s : s.substr(lastSpace + 1);
        bool pageNumber = !lastWord.empty() && lastWord.size() <= 3 &&
                          std::all_of(lastWord.begin(), lastWord.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
                          lastSpace != std::string_view::npos;
        bool leaders = s.find("....") != std::string_view::npos;
        if (pageNumber || leaders) {
            char last = s.back();
            return last != ';' && last != ',' && s.size() < 110;
        }
        // A label and a title, nothing more: "8.1 Confidential Information", "ARTICLE IV", "EXHIBIT B - FORMS".
        std::vector<Label> labels = labelsAt(i);
        if (labels.empty())
            return false;
        std::string_view rest = std::string_view(text_.text()).substr(labels[0].titleStart, lines[i].range.end - labels[0].titleStart);
        while (!rest.empty() && (rest.back() == ' ' || rest.back() == '.' || rest.back() == ':'))
            rest.remove_suffix(1);
        return rest.empty() || headingTitle(rest) == rest;
    };
    auto loneNumber = [&](int i) {
        std::string_view s = text_.slice(lines[i].range);
        return !s.empty() && s.size() <= 4 &&
               std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '-'; });
    };
    auto prose = [&](int i) { return wordCount(text_.slice(lines[i].range)) >= 9 && !entry(i); };
    const int limit = std::max(40, n / 4);
    for (int i = 0; i < std::min(n, limit); ++i) {
        std::string heading;
        for (char c : upperAscii(text_.slice(lines[i].range)))
            if (c != ' ')
                heading += c;
        if (heading == "TABLEOFCONTENTS" || heading == "CONTENTS" || heading == "INDEX") {
            // Announced: everything up to the first prose, or up to the body's first heading, which repeats the
            // first entry ("ARTICLE 1 DEFINITIONS" again), is the table, whatever its columns came out as.
            std::string first;
            int j = i + 1, entries = 0;
            for (; j < n && j < i + 800 && !prose(j); ++j) {
                std::string start(text_.slice(lines[j].range).substr(0, 12));
                if (entry(j)) {
                    if (first.empty())
                        first = start;
                    else if (entries >= 5 && start == first)
                        break;
                    ++entries;
                }
            }
            if (entries >= 3)
                for (int k = i; k < j; ++k)
                    contents[k] = true;
            return contents;
        }
        // Unannounced: six entries in a row, one other line allowed between them (a title that wraps).
        int j = i, entries = 0, gap = 0, lastEntry = i - 1;
        while (j < n && gap <= 1) {
            if (entry(j) || loneNumber(j)) {
                entries += entry(j);
                gap = 0;
                lastEntry = j;
            } else {
                ++gap;
            }
            ++j;
        }
        if (entries >= 6) {
            for (int k = i; k <= lastEntry; ++k)
                contents[k] = true;
            break;
        }
    }
    return contents;
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

Outline Outline::build(const ContractText& text)
{
    return OutlineBuilder(text).build();
}

}  // namespace folio::analysis
