#include "folio/analysis/clauses.h"

#include "regex.h"
#include "text_utils.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace folio::analysis {

const char* toString(ClauseCandidate::Kind kind)
{
    switch (kind) {
    case ClauseCandidate::Kind::Sentence: return "sentence";
    case ClauseCandidate::Kind::Paragraph: return "paragraph";
    case ClauseCandidate::Kind::Title: return "title";
    case ClauseCandidate::Kind::Date: return "date";
    case ClauseCandidate::Kind::PartyBlock: return "party";
    }
    return "sentence";
}

namespace {

const Regex& dateRe()
{
    static const Regex re(
        R"(\b(?:(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)\s+\d{1,2}(?:st|nd|rd|th)?\s*,?\s*\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December)\s*,?\s*\d{4}|\d{1,2}/\d{1,2}/\d{2,4}|(?:January|February|March|April|May|June|July|August|September|October|November|December)\s*,?\s+\d{4}))",
        true);
    return re;
}

constexpr int kMaxWords = 450;

std::uint32_t hashFeature(std::string_view prefix, std::string_view value)
{
    // FNV-1a: stable across builds and platforms, which the shipped model depends on.
    std::uint32_t h = 2166136261u;
    for (char c : prefix)
        h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    h = (h ^ 0x1f) * 16777619u;
    for (char c : value)
        h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    return h & (ClauseModel::kFeatureCount - 1);
}

std::string normaliseDigits(std::string w)
{
    for (char& c : w)
        if (c >= '0' && c <= '9')
            c = '0';
    return w;
}

}  // namespace

std::vector<ClauseCandidate> clauseCandidates(const ContractText& text, const Outline& outline)
{
    std::vector<ClauseCandidate> out;
    std::set<std::pair<int, int>> seen;
    auto add = [&](ClauseCandidate::Kind kind, TextRange r) {
        while (r.end > r.start && (text.text()[r.end - 1] == '\n' || text.text()[r.end - 1] == ' '))
            --r.end;
        int n = wordCount(text.slice(r));
        if (n == 0 || n > kMaxWords || !seen.insert({r.start, r.end}).second)
            return;
        out.push_back({kind, r});
    };
    // Titles first: a title line is also a one-line "sentence", and the kind tells the model which it is.
    for (const OutlineNode& n : outline.nodes())
        if (n.kind == NodeKind::Title)
            add(ClauseCandidate::Kind::Title, n.heading);
    const auto& lines = text.lines();
    // The first lines: the contract's name is usually there even when the layout shows no title.
    for (size_t i = 0; i < std::min<size_t>(lines.size(), 6); ++i)
        if (wordCount(text.slice(lines[i].range)) <= 12)
            add(ClauseCandidate::Kind::Title, lines[i].range);
    for (const Regex::Match& m : dateRe().findAll(text.text()))
        add(ClauseCandidate::Kind::Date, {m.start, m.end});
    std::vector<TextRange> sentenceList = sentences(text);
    for (const TextRange& s : sentenceList)
        add(ClauseCandidate::Kind::Sentence, s);
    // Two sentences together: many labelled clauses are a provision plus its proviso.
    for (size_t i = 0; i + 1 < sentenceList.size(); ++i)
        if (text.lineAt(sentenceList[i + 1].start) - text.lineAt(sentenceList[i].start) < 12)
            add(ClauseCandidate::Kind::Paragraph, {sentenceList[i].start, sentenceList[i + 1].end});
    for (const OutlineNode& n : outline.nodes()) {
        int end = n.children.empty() ? n.range.end : outline.nodes()[n.children.front()].range.start;
        add(ClauseCandidate::Kind::Paragraph, {n.range.start, end});
        if (n.kind == NodeKind::Section || n.kind == NodeKind::Item)
            add(ClauseCandidate::Kind::Paragraph, n.range);
    }
    // Paragraph blocks of the layout.
    for (size_t i = 0; i < lines.size();) {
        size_t j = i + 1;
        while (j < lines.size() && !lines[j].paragraphStart)
            ++j;
        add(ClauseCandidate::Kind::Paragraph, {lines[i].range.start, lines[j - 1].range.end});
        i = j;
    }
    std::sort(out.begin(), out.end(), [](const ClauseCandidate& a, const ClauseCandidate& b) {
        return a.range.start != b.range.start ? a.range.start < b.range.start : a.range.end < b.range.end;
    });
    return out;
}

std::vector<std::uint32_t> clauseFeatures(const ContractText& text, const Outline& outline,
                                          const ClauseCandidate& candidate)
{
    std::vector<std::uint32_t> f;
    std::string kind = toString(candidate.kind);
    f.push_back(hashFeature("bias", ""));
    f.push_back(hashFeature("kind", kind));
    std::vector<std::string> ws = words(text.slice(candidate.range));
    int n = static_cast<int>(ws.size());
    f.push_back(hashFeature("len", kind + std::to_string(int(std::log2(1 + n)))));
    int total = std::max<int>(1, static_cast<int>(text.text().size()));
    int place = candidate.range.start * 20 / total;
    f.push_back(hashFeature("pos", std::to_string(place)));
    f.push_back(hashFeature("poskind", kind + std::to_string(place)));
    if (candidate.range.start < 3000)
        f.push_back(hashFeature("start", kind));
    for (int i = 0; i < n; ++i) {
        std::string w = normaliseDigits(ws[i]);
        f.push_back(hashFeature("u", w));
        if (i + 1 < n)
            f.push_back(hashFeature("b", w + ' ' + normaliseDigits(ws[i + 1])));
    }
    // The headings above the passage say what it is about ("Governing Law", "Term and Termination"); the
    // innermost one says it most precisely.
    std::vector<int> ancestors = outline.ancestorsAt(candidate.range.start);
    if (!ancestors.empty()) {
        const OutlineNode& inner = outline.nodes()[ancestors.front()];
        for (const std::string& w : words(inner.title))
            f.push_back(hashFeature("hi", w));
        if (inner.range.start == candidate.range.start || inner.heading.end >= candidate.range.start)
            f.push_back(hashFeature("opens", kind));
    }
    int depth = 0;
    for (int a : ancestors) {
        if (depth++ >= 3)
            break;
        for (const std::string& w : words(outline.nodes()[a].title))
            f.push_back(hashFeature("h", w));
        f.push_back(hashFeature("node", toString(outline.nodes()[a].kind)));
    }
    // Short passages (dates, titles) are known by the words around them.
    if (candidate.kind == ClauseCandidate::Kind::Date || candidate.kind == ClauseCandidate::Kind::Title) {
        int from = std::max(0, candidate.range.start - 160);
        std::vector<std::string> before = words(std::string_view(text.text()).substr(from, candidate.range.start - from));
        for (size_t i = before.size() > 8 ? before.size() - 8 : 0; i < before.size(); ++i)
            f.push_back(hashFeature("pre", normaliseDigits(before[i])));
        int to = std::min<int>(text.text().size(), candidate.range.end + 80);
        for (const std::string& w : words(std::string_view(text.text()).substr(candidate.range.end, to - candidate.range.end)))
            f.push_back(hashFeature("post", normaliseDigits(w)));
    }
    std::sort(f.begin(), f.end());
    f.erase(std::unique(f.begin(), f.end()), f.end());
    return f;
}

}  // namespace folio::analysis
