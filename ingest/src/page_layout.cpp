#include "folio/ingest/page_layout.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <regex>
#include <set>

namespace folio::ingest {
namespace {

// Lines whose top is in the top 10% of the page, or whose bottom is in the bottom 10%, can be running heads.
constexpr float kEdgeZone = 0.10f;
// How many lines from each edge are candidates: a header is rarely more than three lines.
constexpr std::size_t kEdgeLines = 3;

std::string lowerAscii(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

// Digits become '#', runs of spaces one space, letters lower case: "Page 3 of 12" == "page 4 of 12".
std::string normalise(std::string_view text)
{
    std::string out;
    bool lastSpace = false, lastDigit = false;
    for (unsigned char c : text) {
        if (std::isdigit(c)) {
            if (!lastDigit) out += '#';
            lastDigit = true;
            lastSpace = false;
            continue;
        }
        lastDigit = false;
        if (std::isspace(c)) {
            if (!lastSpace && !out.empty()) out += ' ';
            lastSpace = true;
            continue;
        }
        lastSpace = false;
        out += char(std::tolower(c));
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

bool isLonePageNumber(const std::string& text)
{
    static const std::regex pattern(
        R"(^\s*(?:page\s*)?[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,7})\s*[-–—]?\s*(?:(?:of|/)\s*\d{1,4})?\s*$)",
        std::regex::icase);
    return std::regex_match(lowerAscii(text), pattern);
}

float mostCommon(const std::vector<float>& values)
{
    std::map<float, int> counts;
    for (float v : values) ++counts[std::round(v * 2) / 2];
    return std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.second < b.second; })
        ->first;
}

}  // namespace

std::string expandLigatures(std::string_view text)
{
    // U+FB00..U+FB06 (ff, fi, fl, ffi, ffl, long st, st): typesetters' glyphs, not letters users search for.
    static constexpr const char* expansions[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xEF
            && static_cast<unsigned char>(text[i + 1]) == 0xAC && static_cast<unsigned char>(text[i + 2]) <= 0x86) {
            out += expansions[static_cast<unsigned char>(text[i + 2]) - 0x80];
            i += 2;
            continue;
        }
        out += text[i];
    }
    return out;
}

bool isBoldFontName(std::string_view fontName)
{
    const std::string name = lowerAscii(fontName);
    for (const char* marker : {"bold", "black", "heavy", "semibold", "demi"})
        if (name.find(marker) != std::string::npos) return true;
    return false;
}

std::vector<TextLine> assembleLines(const std::vector<WordBox>& words)
{
    std::vector<TextLine> lines;
    std::vector<float> sizes;
    int boldWords = 0;
    auto finish = [&] {
        if (lines.empty() || sizes.empty()) return;
        TextLine& line = lines.back();
        line.fontSize = mostCommon(sizes);
        line.bold = boldWords * 2 > int(sizes.size());
        sizes.clear();
        boldWords = 0;
    };
    for (const WordBox& w : words) {
        if (w.text.empty()) continue;
        const std::string text = expandLigatures(w.text);
        bool newLine = lines.empty();
        if (!newLine) {
            const TextLine& line = lines.back();
            const Rect& last = line.wordBoxes.back();
            const float mid = (w.box.y0 + w.box.y1) / 2;
            const bool overlaps = mid >= line.box.y0 && mid <= line.box.y1;
            const bool wrapsLeft = w.box.x0 < last.x0 - 1.0f;
            newLine = !overlaps || wrapsLeft;
        }
        if (newLine) {
            finish();
            lines.push_back(TextLine{text, w.box, 0, false, LineRole::Body, 0, {w.box}});
        } else {
            TextLine& line = lines.back();
            line.text += ' ';
            line.text += text;
            line.box = line.box.united(w.box);
            line.wordBoxes.push_back(w.box);
        }
        sizes.push_back(w.fontSize);
        if (w.bold) ++boldWords;
    }
    finish();
    return lines;
}

void assignBlocks(std::vector<TextLine>& lines)
{
    int block = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) {
            const TextLine& prev = lines[i - 1];
            const TextLine& cur = lines[i];
            const float lineHeight = std::max(prev.box.height(), 1.0f);
            const float gap = cur.box.y0 - prev.box.y1;
            const bool styleChange = std::fabs(cur.fontSize - prev.fontSize) > 1.0f || cur.bold != prev.bold;
            if (gap > 0.5f * lineHeight || gap < -2 * lineHeight || styleChange) ++block;
        }
        lines[i].block = block;
    }
}

void markPageHeadersAndFooters(std::vector<Page>& pages)
{
    auto inTopZone = [](const Page& p, const TextLine& l) { return l.box.y0 < p.height * kEdgeZone; };
    auto inBottomZone = [](const Page& p, const TextLine& l) { return l.box.y1 > p.height * (1 - kEdgeZone); };

    // Count on how many pages each normalised edge line appears.
    std::map<std::string, std::set<int>> topSeen, bottomSeen;
    for (const Page& page : pages) {
        const std::size_t n = page.lines.size();
        for (std::size_t i = 0; i < std::min(n, kEdgeLines); ++i)
            if (inTopZone(page, page.lines[i])) topSeen[normalise(page.lines[i].text)].insert(page.number);
        for (std::size_t i = n > kEdgeLines ? n - kEdgeLines : 0; i < n; ++i)
            if (inBottomZone(page, page.lines[i])) bottomSeen[normalise(page.lines[i].text)].insert(page.number);
    }
    const std::size_t needed = std::max<std::size_t>(2, (pages.size() + 1) / 2);
    const bool repetitionApplies = pages.size() >= 2;

    for (Page& page : pages) {
        const std::size_t n = page.lines.size();
        for (std::size_t i = 0; i < n; ++i) {
            TextLine& line = page.lines[i];
            const bool nearTop = i < kEdgeLines && inTopZone(page, line);
            const bool nearBottom = i + kEdgeLines >= n && inBottomZone(page, line);
            if (!nearTop && !nearBottom) continue;
            const std::string key = normalise(line.text);
            const bool repeats = repetitionApplies
                && (nearTop ? topSeen[key].size() : bottomSeen[key].size()) >= needed;
            if (repeats || isLonePageNumber(line.text))
                line.role = nearTop ? LineRole::PageHeader : LineRole::PageFooter;
        }
    }
}

}  // namespace folio::ingest
