#include "folio/analysis/contract_text.h"

#include "regex.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

namespace folio::analysis {

namespace {

// "2.2", "7.3.", "(ii)", "b." alone on a line: a section or item number.
bool loneLabel(std::string_view text)
{
    static const Regex re(R"((?:\d{1,3}(?:\.\d{1,3})*\.?|\([a-zA-Z0-9]{1,4}\)|[a-zA-Z]{1,4}[.)]))");
    Regex::Match m = re.matchAt(text, 0);
    return m.start == 0 && m.end == static_cast<int>(text.size());
}

// Some layouts set the numbers in a column of their own, which the text layer reads out as a block of bare
// numbers before (or after) the headings they belong to. For each such number: the body line to its right on the
// same baseline, or -1.
std::vector<int> labelsSetApart(const std::vector<ingest::TextLine>& lines)
{
    std::vector<int> owner(lines.size(), -1);
    std::vector<bool> taken(lines.size(), false);
    for (size_t i = 0; i < lines.size(); ++i) {
        const ingest::TextLine& label = lines[i];
        if (label.role != ingest::LineRole::Body || !loneLabel(label.text))
            continue;
        // "... under Section" / "2.2.3 of ...": a number the sentence wrapped onto its own line stays there.
        if (i > 0 && lines[i - 1].block == label.block && !lines[i - 1].text.empty()) {
            unsigned char last = static_cast<unsigned char>(lines[i - 1].text.back());
            if (std::isalpha(last) || last == ',')
                continue;
        }
        for (size_t j = 0; j < lines.size(); ++j) {
            const ingest::TextLine& line = lines[j];
            if (j == i || taken[j] || line.role != ingest::LineRole::Body || loneLabel(line.text) ||
                line.box.x0 <= label.box.x1)
                continue;
            float overlap = std::min(label.box.y1, line.box.y1) - std::max(label.box.y0, line.box.y0);
            if (overlap > 0.6f * std::min(label.box.height(), line.box.height())) {
                owner[i] = static_cast<int>(j);
                taken[j] = true;
                break;
            }
        }
    }
    return owner;
}

}  // namespace

ContractText ContractText::fromDocument(const ingest::Document& document)
{
    if (document.kind != ingest::DocumentKind::Pdf)
        return fromPlainText(document.text);
    ContractText t;
    for (const ingest::Page& page : document.pages) {
        std::vector<int> owner = labelsSetApart(page.lines);
        std::vector<int> labelOf(page.lines.size(), -1);
        for (size_t i = 0; i < owner.size(); ++i)
            if (owner[i] >= 0)
                labelOf[owner[i]] = static_cast<int>(i);
        int previousBlock = -1;
        for (size_t i = 0; i < page.lines.size(); ++i) {
            const ingest::TextLine& line = page.lines[i];
            if (line.role != ingest::LineRole::Body || owner[i] >= 0)
                continue;
            ContractLine cl;
            cl.range.start = static_cast<int>(t.text_.size());
            cl.box = line.box;
            if (labelOf[i] >= 0) {
                // The number goes back in front of its heading, as the reader sees it.
                const ingest::TextLine& label = page.lines[labelOf[i]];
                t.text_ += label.text + " ";
                cl.box = label.box.united(line.box);
                cl.wordBoxes = label.wordBoxes;
            }
            t.text_ += line.text;
            cl.range.end = static_cast<int>(t.text_.size());
            t.text_ += '\n';
            cl.page = page.number;
            cl.fontSize = line.fontSize;
            cl.bold = line.bold;
            cl.paragraphStart = line.block != previousBlock || labelOf[i] >= 0;
            cl.wordBoxes.insert(cl.wordBoxes.end(), line.wordBoxes.begin(), line.wordBoxes.end());
            previousBlock = line.block;
            t.lines_.push_back(std::move(cl));
        }
    }
    t.computeBodyMetrics();
    return t;
}

ContractText ContractText::fromPlainText(const std::string& text)
{
    ContractText t;
    t.text_.reserve(text.size() + 1);
    bool afterBlank = true;
    size_t pos = 0;
    int lineNumber = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string::npos)
            nl = text.size();
        std::string line = text.substr(pos, nl - pos);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        pos = nl + 1;
        ++lineNumber;
        if (line.find_first_not_of(" \t") == std::string::npos) {
            afterBlank = true;
            continue;
        }
        ContractLine cl;
        cl.range.start = static_cast<int>(t.text_.size());
        t.text_ += line;
        cl.range.end = static_cast<int>(t.text_.size());
        t.text_ += '\n';
        cl.page = 0;
        cl.box = {0, float(lineNumber), float(line.size()), float(lineNumber + 1)};
        cl.box.x0 = float(line.find_first_not_of(" \t"));
        cl.paragraphStart = afterBlank;
        afterBlank = false;
        t.lines_.push_back(std::move(cl));
    }
    t.computeBodyMetrics();
    return t;
}

void ContractText::computeBodyMetrics()
{
    std::map<int, int> sizeWeight, leftWeight;
    for (const ContractLine& l : lines_) {
        sizeWeight[int(std::lround(l.fontSize * 2))] += l.range.length();
        leftWeight[int(std::lround(l.box.x0))] += 1;
    }
    auto heaviest = [](const std::map<int, int>& m) {
        int best = 0, weight = -1;
        for (auto [k, w] : m)
            if (w > weight)
                best = k, weight = w;
        return best;
    };
    bodyFontSize_ = heaviest(sizeWeight) / 2.0f;
    // The leftmost margin that many lines share: indentation is measured from there.
    int left = heaviest(leftWeight);
    for (auto [x, w] : leftWeight)
        if (x < left && w * 20 >= static_cast<int>(lines_.size()))
            left = x;
    bodyLeft_ = float(left);
}

std::string collapseWhitespace(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    bool space = false;
    for (char c : text) {
        if (c == '\n' || c == ' ' || c == '\t' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    return out;
}

std::string ContractText::flat(const TextRange& r) const
{
    return collapseWhitespace(slice(r));
}

int ContractText::lineAt(int offset) const
{
    auto it = std::upper_bound(lines_.begin(), lines_.end(), offset,
                               [](int o, const ContractLine& l) { return o < l.range.start; });
    if (it == lines_.begin())
        return 0;
    return static_cast<int>(it - lines_.begin()) - 1;
}

int ContractText::pageAt(int offset) const
{
    return lines_.empty() ? 0 : lines_[lineAt(offset)].page;
}

std::vector<PageRegion> ContractText::regions(const TextRange& r) const
{
    std::vector<PageRegion> out;
    if (lines_.empty() || r.length() <= 0)
        return out;
    for (int i = lineAt(r.start); i < static_cast<int>(lines_.size()) && lines_[i].range.start < r.end; ++i) {
        const ContractLine& l = lines_[i];
        int from = std::max(r.start, l.range.start) - l.range.start;
        int to = std::min(r.end, l.range.end) - l.range.start;
        if (to <= from)
            continue;
        ingest::Rect box = l.box;
        if (!l.wordBoxes.empty()) {
            // Words are separated by single spaces: count them to find the boxes the range covers.
            std::string_view line = slice(l.range);
            int firstWord = 0, lastWord = 0;
            for (int k = 0; k < from; ++k)
                firstWord += line[k] == ' ';
            lastWord = firstWord;
            for (int k = from; k < to - 1; ++k)
                lastWord += line[k] == ' ';
            int n = static_cast<int>(l.wordBoxes.size());
            firstWord = std::min(firstWord, n - 1);
            lastWord = std::min(lastWord, n - 1);
            box = l.wordBoxes[firstWord];
            for (int w = firstWord + 1; w <= lastWord; ++w)
                box = box.united(l.wordBoxes[w]);
        }
        out.push_back({l.page, box});
    }
    return out;
}

}  // namespace folio::analysis
