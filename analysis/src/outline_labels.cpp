// What the outline builder reads off a single line: its label in every plausible numbering style, whether it
// starts a paragraph or looks like a heading, and whether it belongs to a table of contents.
#include "outline_builder.h"

#include "numbering.h"
#include "regex.h"
#include "text_utils.h"

#include <algorithm>
#include <cctype>

namespace folio::analysis {

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

}  // namespace folio::analysis
