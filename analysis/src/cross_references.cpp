#include "folio/analysis/cross_references.h"

#include "numbering.h"
#include "regex.h"
#include "text_utils.h"

#include <algorithm>
#include <cctype>

namespace folio::analysis {
namespace {

// Sub-item labels are (b), (iii), (B) or (12); "(Term)" after a number is its title, which a list may carry:
// "Sections 10.1 (Term) or 10.2 (Survival)".
#define ITEM R"(\((?:[a-z]{1,4}|[A-Z]{1,3}|\d{1,3})\))"
// "5.l" (a letter l for the digit 1) and "3.4.(A)" are slips in the text, read as 5.1 and 3.4(A).
#define LABEL R"((?:\d{1,3}(?:\.(?:\d{1,3}|[lI](?![\w])))*(?![\w-])(?:[.\s]?)" ITEM R"()*|)" ITEM R"((?:)" ITEM R"()*|[IVXLC]{1,6}(?![\w])|[A-Z](?:-\d{1,2})?(?![\w])))"
#define TITLE R"((?:\s*\((?=[A-Z][a-z])[^()]{3,80}\))?)"
#define JOINER TITLE R"((?:\s*(?:,|;|and/or|and|or|through|thru|to|-|–)\s*(?:and\s+|or\s+)?(?:(?i:sections?|articles?|clauses?|paragraphs?)\s+)?))"

const Regex& referenceRe()
{
    static const Regex re(
        R"((?:\b((?i:sections?|secs?\.|articles?|clauses?|paragraphs?|subparagraphs?|subsections?|sub-sections?|exhibits?|schedules?|annex(?:es)?|appendix|appendices|attachments?|addend(?:um|a)))|(§§?))\s*()" LABEL
        R"((?:)" JOINER LABEL R"()*))");
    return re;
}
const Regex& labelRe()
{
    static const Regex re(LABEL);
    return re;
}
const Regex& thisRe()
{
    static const Regex re(R"(\b(?:this|the\s+foregoing|the\s+preceding)\s+((?i:section|article|exhibit|schedule|annex|appendix|paragraph|subsection|clause))\b(?!\s*(?:\d|\([a-zA-Z0-9]{1,4}\)|[IVX]+\b)))");
    return re;
}
// What follows a reference and names another instrument: "of the Securities Act", "under the Credit Agreement".
const Regex& followedByRe()
{
    static const Regex re(R"(\s*,?\s*(?:respectively\s*,\s*)?(?:of|under|in|to|pursuant\s+to)\s+(?:the\s+|that\s+certain\s+|such\s+)?((?:[A-Z0-9][\w.&'’-]*\s*(?:of\s+)?){1,8}))");
    return re;
}

// "subsections (f) and (g) of Section 5": the section the bare items are in.
const Regex& ofSectionRe()
{
    static const Regex re(R"(\s*,?\s*(?:of|in|under)\s+(?:this\s+)?(?i:sections?|articles?|clauses?|paragraphs?)\s+(\d{1,3}(?:\.\d{1,3})*(?:\([a-zA-Z0-9]{1,4}\))*))");
    return re;
}

bool isStatute(std::string_view name)
{
    static const char* const words[] = {"Act", "Code", "Regulation", "Rule", "U.S.C", "USC", "Statute", "Law",
                                        "Treaty", "Convention", "Constitution", "Directive", "C.F.R", "CFR",
                                        "Title", "Bankruptcy", "Securities", "Exchange", "Revenue", "Ordinance"};
    for (const char* w : words)
        if (name.find(w) != std::string_view::npos)
            return true;
    return false;
}

bool isOtherDocument(std::string_view name)
{
    static const char* const words[] = {"Agreement", "Contract", "Plan", "Lease", "License", "Licence",
                                        "Indenture", "Note", "Policy", "Guaranty", "Guarantee", "Certificate",
                                        "Charter", "Bylaws", "Amendment", "Order", "Statement", "Warrant",
                                        "Declaration", "Deed", "Mortgage", "Supplement", "Prospectus"};
    std::string n(name);
    while (!n.empty() && (n.back() == ' ' || n.back() == ',' || n.back() == '.' || n.back() == ';'))
        n.pop_back();
    if (n == "Agreement" || n == "Contract" || n.empty())
        return false;  // "of the Agreement" is this one
    // "Article 7.1 of the SPA": an instrument known by its initials.
    if (n.size() >= 2 && n.size() <= 6 && std::all_of(n.begin(), n.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); }))
        return true;
    for (const char* w : words)
        if (n.find(w) != std::string::npos)
            return true;
    return false;
}

std::string kindOf(std::string_view keyword)
{
    std::string k = lowerAscii(keyword);
    if (k.empty() || k[0] == '\xc2' || startsWith(k, "sec"))
        return "section";
    if (startsWith(k, "article"))
        return "article";
    if (startsWith(k, "exhibit"))
        return "exhibit";
    if (startsWith(k, "schedule"))
        return "schedule";
    if (startsWith(k, "annex"))
        return "annex";
    if (startsWith(k, "appendi"))
        return "appendix";
    if (startsWith(k, "attachment"))
        return "attachment";
    if (startsWith(k, "addend"))
        return "addendum";
    return "paragraph";  // clause, paragraph, subparagraph, subsection
}

struct LabelParts {
    std::vector<int> decimal;         // {5, 2}
    std::string head;                 // roman / letter when not decimal
    std::vector<std::string> parens;  // {"b", "iii"}
};

LabelParts splitLabel(std::string_view label)
{
    LabelParts p;
    size_t i = 0;
    if (i < label.size() && std::isdigit(static_cast<unsigned char>(label[0]))) {
        int v = 0;
        for (; i < label.size() && (std::isdigit(static_cast<unsigned char>(label[i])) || label[i] == '.'); ++i) {
            if (label[i] == '.') {
                p.decimal.push_back(v);
                v = 0;
            } else {
                v = v * 10 + (label[i] - '0');
            }
        }
        p.decimal.push_back(v);
    } else if (i < label.size() && label[0] != '(') {
        while (i < label.size() && label[i] != '(')
            p.head += label[i++];
    }
    while (i < label.size()) {
        size_t open = label.find('(', i);
        if (open == std::string_view::npos)
            break;
        size_t close = label.find(')', open);
        if (close == std::string_view::npos)
            break;
        p.parens.emplace_back(label.substr(open + 1, close - open - 1));
        i = close + 1;
    }
    return p;
}

std::string compactLabel(std::string_view label)
{
    std::string out;
    for (size_t i = 0; i < label.size(); ++i) {
        char c = label[i];
        bool afterNumber = i > 0 && label[i - 1] == '.' && (i + 1 == label.size() || label[i + 1] == '.' || label[i + 1] == '(');
        if (c == ' ' || (c == '.' && i + 1 < label.size() && label[i + 1] == '('))
            continue;
        out += afterNumber && (c == 'l' || c == 'I') ? '1' : c;
    }
    return out;
}

class Resolver {
public:
    explicit Resolver(const Outline& outline) : outline_(outline) {}

    void resolve(CrossReference& ref, const std::string& exhibitWord) const
    {
        LabelParts parts = splitLabel(ref.target);
        const auto& nodes = outline_.nodes();
        if (ref.kind == "exhibit" || ref.kind == "schedule" || ref.kind == "annex" || ref.kind == "appendix" ||
            ref.kind == "attachment" || ref.kind == "addendum") {
            for (const OutlineNode& n : nodes)
                if (n.kind == NodeKind::Exhibit && lowerAscii(n.exhibitWord) == ref.kind &&
                    upperAscii(n.label) == upperAscii(ref.target)) {
                    ref.targetNode = n.id;
                    return;
                }
            ref.reason = exhibitWord + " " + ref.target + " is not in this document (attached or filed separately)";
            return;
        }
        int node = -1;
        if (!parts.decimal.empty()) {
            node = findPreferred(ref.range.start, [&](const OutlineNode& n) {
                return n.style == NumberStyle::Decimal && n.number == parts.decimal;
            });
            if (node < 0 && parts.decimal.size() == 1)
                node = findPreferred(ref.range.start, [&](const OutlineNode& n) {
                    return n.kind == NodeKind::Article && n.number[0] == parts.decimal[0];
                });
            // Sections numbered "17.0" are cited as "Section 17".
            if (node < 0 && parts.decimal.size() == 1)
                node = findPreferred(ref.range.start, [&](const OutlineNode& n) {
                    return n.style == NumberStyle::Decimal && n.number == std::vector<int>{parts.decimal[0], 0};
                });
            if (node < 0) {
                ref.reason = "no " + capitalised(ref.kind) + " " + joinDecimal(parts.decimal) + " in this contract";
                return;
            }
        } else if (!parts.head.empty()) {
            auto roman = romanValue(parts.head);
            int value = roman ? *roman : 0;
            node = findPreferred(ref.range.start, [&](const OutlineNode& n) {
                return n.kind == NodeKind::Article && (n.label == parts.head || (value && n.number[0] == value));
            });
            if (node < 0 && value)
                node = findPreferred(ref.range.start, [&](const OutlineNode& n) {
                    return n.style == NumberStyle::Decimal && n.number.size() == 1 && n.number[0] == value;
                });
            if (node < 0) {
                ref.reason = "no " + capitalised(ref.kind) + " " + parts.head + " in this contract";
                return;
            }
        }
        size_t firstParen = 0;
        if (node < 0) {
            // "paragraph (c) above": the nearest enclosing level that has a (c).
            if (parts.parens.empty())
                return;
            for (int a : outline_.ancestorsAt(ref.range.start)) {
                int parent = nodes[a].parent;
                node = childLabelled(a, parts.parens[0]);
                if (node < 0 && parent >= 0)
                    node = childLabelled(parent, parts.parens[0]);
                if (node >= 0)
                    break;
            }
            if (node < 0) {
                for (int top : outline_.topLevel())
                    if (nodes[top].label == parts.parens[0] && nodes[top].kind == NodeKind::Item)
                        node = top;
            }
            if (node < 0) {
                ref.reason = "no (" + parts.parens[0] + ") in the enclosing sections";
                return;
            }
            firstParen = 1;
        }
        for (size_t i = firstParen; i < parts.parens.size(); ++i) {
            int child = childLabelled(node, parts.parens[i]);
            if (child < 0) {
                ref.reason = nodes[node].citation + " has no (" + parts.parens[i] + ")";
                return;
            }
            node = child;
        }
        ref.targetNode = node;
    }

    void resolveThis(CrossReference& ref) const
    {
        const auto& nodes = outline_.nodes();
        std::vector<int> chain = outline_.ancestorsAt(ref.range.start);
        for (int a : chain) {
            NodeKind k = nodes[a].kind;
            bool match = (ref.target == "section" && k == NodeKind::Section) ||
                         (ref.target == "article" && (k == NodeKind::Article ||
                                                      (k == NodeKind::Section && nodes[a].number.size() == 1))) ||
                         ((ref.target == "exhibit" || ref.target == "schedule" || ref.target == "annex" ||
                           ref.target == "appendix") && k == NodeKind::Exhibit) ||
                         ((ref.target == "paragraph" || ref.target == "subsection" || ref.target == "clause") &&
                          (k == NodeKind::Section || k == NodeKind::Item));
            if (match) {
                ref.targetNode = a;
                break;
            }
        }
        if (ref.targetNode < 0)
            ref.reason = "not inside any " + ref.target;
        ref.target.clear();
    }

private:
    const Outline& outline_;

    static std::string capitalised(std::string s)
    {
        if (!s.empty())
            s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
        return s;
    }
    static std::string joinDecimal(const std::vector<int>& d)
    {
        std::string s;
        for (size_t i = 0; i < d.size(); ++i)
            s += (i ? "." : "") + std::to_string(d[i]);
        return s;
    }

    int exhibitOf(int offset) const
    {
        for (int a : outline_.ancestorsAt(offset))
            if (outline_.nodes()[a].kind == NodeKind::Exhibit)
                return a;
        return -1;
    }

    // Numbering may restart inside an exhibit: prefer the node in the same exhibit (or outside all exhibits).
    // Within it, a summary page or cover sheet may repeat a number ("12.3 Term: 5 years") before the body's
    // section: the section is the longer one.
    template <typename Pred>
    int findPreferred(int offset, Pred pred) const
    {
        int home = exhibitOf(offset);
        int best = -1, fallback = -1;
        for (const OutlineNode& n : outline_.nodes()) {
            if (!pred(n))
                continue;
            if (exhibitOf(n.heading.start) == home) {
                if (best < 0 || n.range.length() > outline_.nodes()[best].range.length())
                    best = n.id;
            } else if (fallback < 0) {
                fallback = n.id;
            }
        }
        return best >= 0 ? best : fallback;
    }

    // A child with the label, looking through one level of unlabelled headings.
    int childLabelled(int node, const std::string& label) const
    {
        for (int c : outline_.nodes()[node].children) {
            const OutlineNode& n = outline_.nodes()[c];
            if (n.kind == NodeKind::Item && n.label == label)
                return c;
        }
        return -1;
    }
};

bool headingAtLineStart(const ContractText& text, const Regex::Match& m)
{
    const ContractLine& line = text.lines()[text.lineAt(m.start)];
    if (line.range.start != m.start)
        return false;
    std::string_view rest = std::string_view(text.text()).substr(m.end, line.range.end - std::min(m.end, line.range.end));
    while (!rest.empty() && rest.front() == ' ')
        rest.remove_prefix(1);
    if (rest.empty())
        return false;
    if (rest.size() > 2 && rest[0] == '.' && rest[1] == ' ' && std::isupper(static_cast<unsigned char>(rest[2])))
        return true;
    // "CLAUSE 14 OF THE AGREEMENT" in a capitalised disclaimer goes on like a sentence; a heading names a topic.
    std::string head = upperAscii(rest.substr(0, std::min<size_t>(rest.size(), 12)));
    for (const char* word : {"OF ", "IN ", "UNDER ", "TO ", "HEREOF", "HERETO", "ABOVE", "BELOW", "AND ", "OR "})
        if (startsWith(head, word))
            return false;
    return isUpperCaseText(rest.substr(0, std::min<size_t>(rest.size(), 40))) && wordCount(rest) >= 2;
}

}  // namespace

std::vector<CrossReference> findCrossReferences(const ContractText& text, const Outline& outline)
{
    std::vector<CrossReference> out;
    std::string_view s = text.text();
    Resolver resolver(outline);
    std::vector<int> headingStarts;
    for (const OutlineNode& n : outline.nodes())
        headingStarts.push_back(n.heading.start);

    for (const Regex::Match& m : referenceRe().findAll(s)) {
        // A node's own label ("Section 5.2 Deliverables" as a heading) is not a reference to itself.
        if (std::find(headingStarts.begin(), headingStarts.end(), m.start) != headingStarts.end())
            continue;
        std::string_view keyword = m.has(1) ? m.group(s, 1) : m.group(s, 2);
        std::string kind = kindOf(keyword);
        std::string exhibitWord(keyword);
        if (!exhibitWord.empty())
            exhibitWord[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(exhibitWord[0])));
        if (exhibitWord.size() > 1 && (exhibitWord.back() == 's') && kind != "section")
            exhibitWord.pop_back();
        // Statutes and other instruments: "Section 365(n) of the Bankruptcy Code", "11 U.S.C. § 101".
        std::string_view before = s.substr(std::max(0, m.start - 16), std::min(m.start, 16));
        if (before.find("U.S") != std::string_view::npos || before.find("C.F.R") != std::string_view::npos ||
            before.find("Code") != std::string_view::npos)
            continue;
        // A heading the outline did not take ("ARTICLE 4 QUALITY SPECIFICATIONS", "Section 11. Survival"): the
        // reference would point at itself.
        if (headingAtLineStart(text, m))
            continue;
        std::string otherDocument;
        if (auto f = followedByRe().matchAt(s.substr(0, std::min<size_t>(s.size(), m.end + 120)), m.end); f.start >= 0) {
            std::string name = text.flat({f.groupStart(1), f.groupEnd(1)});
            if (isStatute(name))
                continue;
            if (isOtherDocument(name))
                otherDocument = name;
        }
        int labelsStart = m.groupStart(3);
        std::string_view labels = m.group(s, 3);
        std::vector<Regex::Match> parts = labelRe().findAll(labels);
        std::string enclosing;
        if (auto o = ofSectionRe().matchAt(s.substr(0, std::min<size_t>(s.size(), m.end + 40)), m.end); o.start >= 0)
            enclosing = compactLabel(o.group(s, 1));
        // The filing's own exhibit number above the title ("EXHIBIT 10.13") is not a reference.
        if (kind == "exhibit" && !outline.nodes().empty() && m.start < outline.nodes().front().range.start)
            continue;
        for (size_t i = 0; i < parts.size(); ++i) {
            const Regex::Match& p = parts[i];
            std::string label = compactLabel(labels.substr(p.start, p.end - p.start));
            if (label[0] == '(' && !enclosing.empty())
                label = enclosing + label;
            // "Section 4.01(a) or (b)": the bare "(b)" hangs off the label before it.
            else if (label[0] == '(' && i > 0 && !out.empty() && out.back().range.end <= labelsStart + p.start) {
                LabelParts prev = splitLabel(out.back().target);
                if (!prev.decimal.empty() || !prev.head.empty()) {
                    std::string base = prev.head;
                    for (size_t k = 0; k < prev.decimal.size(); ++k)
                        base += (k ? "." : "") + std::to_string(prev.decimal[k]);
                    for (size_t k = 0; k + 1 < prev.parens.size(); ++k)
                        base += "(" + prev.parens[k] + ")";
                    label = base + label;
                }
            }
            // "Sections 5.2 and Article 8": a keyword in the list changes the kind of what follows it.
            std::string_view joiner = i ? labels.substr(parts[i - 1].end, p.start - parts[i - 1].end) : "";
            std::string joinerLower = lowerAscii(joiner);
            // A title between the items ("10.1 (Right to Audit) or 10.2") is not part of the joining words.
            size_t titleLength = 0;
            if (size_t open = joinerLower.find('('); open != std::string::npos) {
                titleLength = joinerLower.find(')', open) + 1;
                joinerLower.erase(0, titleLength);
            }
            size_t keywordAt = std::min(joinerLower.find("article"), joinerLower.find("section"));
            if (keywordAt != std::string::npos)
                keywordAt += titleLength;
            if (joinerLower.find("article") != std::string::npos)
                kind = "article";
            else if (joinerLower.find("section") != std::string::npos)
                kind = "section";
            // Exhibit letters and Article numerals only follow their own keywords; "Section A" is not a thing.
            bool letter = std::isalpha(static_cast<unsigned char>(label[0]));
            bool exhibitLike = kind != "section" && kind != "article" && kind != "paragraph";
            if (letter && !exhibitLike && kind != "article")
                continue;
            auto makeRef = [&](TextRange range, const std::string& target) {
                CrossReference ref;
                ref.range = range;
                ref.text = text.flat(ref.range);
                ref.kind = kind;
                ref.target = target;
                if (!otherDocument.empty())
                    ref.reason = "refers to another document: the " + otherDocument;
                else
                    resolver.resolve(ref, exhibitWord);
                out.push_back(std::move(ref));
            };
            // "Sections 6.1 through 6.3" also points at 6.2.
            bool range = i > 0 && (joinerLower.find("through") != std::string::npos ||
                                   joinerLower.find("thru") != std::string::npos ||
                                   joinerLower.find(" to ") != std::string::npos || joinerLower.find('-') != std::string::npos);
            if (range && !out.empty()) {
                LabelParts a = splitLabel(out.back().target), b = splitLabel(label);
                if (!a.decimal.empty() && a.decimal.size() == b.decimal.size() && a.parens.empty() && b.parens.empty() &&
                    std::equal(a.decimal.begin(), a.decimal.end() - 1, b.decimal.begin()) &&
                    b.decimal.back() - a.decimal.back() <= 20) {
                    TextRange whole{labelsStart + parts[i - 1].start, labelsStart + p.end};
                    for (int v = a.decimal.back() + 1; v < b.decimal.back(); ++v) {
                        std::string mid;
                        for (size_t k = 0; k + 1 < a.decimal.size(); ++k)
                            mid += std::to_string(a.decimal[k]) + ".";
                        makeRef(whole, mid + std::to_string(v));
                    }
                }
            }
            TextRange r{labelsStart + p.start, labelsStart + p.end};
            if (i == 0)
                r.start = m.start;
            else if (keywordAt != std::string::npos)
                r.start = labelsStart + parts[i - 1].end + static_cast<int>(keywordAt);
            makeRef(r, label);
        }
    }
    for (const Regex::Match& m : thisRe().findAll(s)) {
        CrossReference ref;
        ref.range = {m.start, m.end};
        ref.text = text.flat(ref.range);
        ref.kind = "this";
        ref.target = lowerAscii(m.group(s, 1));
        resolver.resolveThis(ref);
        out.push_back(std::move(ref));
    }
    std::sort(out.begin(), out.end(),
              [](const CrossReference& a, const CrossReference& b) { return a.range.start < b.range.start; });
    return out;
}

}  // namespace folio::analysis
