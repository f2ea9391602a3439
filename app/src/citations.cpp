#include "folio/app/citations.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace folio::app {
namespace {

// The longest bracket read as a list of citations: a model that never closes one must not make the parser scan
// the rest of the answer for each '['.
constexpr std::size_t kMaxBracket = 200;

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool readNumber(std::string_view& s, int& out)
{
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || out <= 0) return false;
    s.remove_prefix(std::size_t(ptr - s.data()));
    return true;
}

// "N" or "N-M" (also with an en dash), the whole of `s`.
bool readRange(std::string_view s, int& first, int& last)
{
    s = trim(s);
    if (!readNumber(s, first)) return false;
    last = first;
    s = trim(s);
    if (s.empty()) return true;
    if (s.starts_with("-")) s.remove_prefix(1);
    else if (s.starts_with("\u2013")) s.remove_prefix(std::string_view("\u2013").size());
    else return false;
    s = trim(s);
    return readNumber(s, last) && s.empty() && last >= first;
}

bool startsWithLabel(std::string_view s)
{
    return s.size() >= 2 && s[0] == 'D' && std::isdigit(static_cast<unsigned char>(s[1]));
}

// The part after the label: "", "p.3", "pp.3-4", "page 3", "L25", "L21-30", "lines 21-30".
bool readLocation(std::string_view s, Citation& c, bool pdf)
{
    s = trim(s);
    if (s.empty()) return true;
    for (std::string_view prefix : {"pages", "page", "pp.", "pp", "p.", "p"})
        if (s.starts_with(prefix)) return pdf && readRange(s.substr(prefix.size()), c.page, c.pageEnd);
    for (std::string_view prefix : {"lines", "line", "L"})
        if (s.starts_with(prefix)) return !pdf && readRange(s.substr(prefix.size()), c.line, c.lineEnd);
    // A bare number continues the previous item's kind ("[D1 p.3, 5]"), read by the caller as a page or line.
    return false;
}

void resolve(Citation& c, const Corpus& corpus, std::string_view location, bool inherited)
{
    const CorpusDocument* doc = corpus.byLabel(c.label);
    if (!doc) {
        c.problem = "there is no document " + c.label + " in the corpus";
        return;
    }
    c.documentId = doc->documentId;
    c.path = doc->path;
    c.kind = doc->kind;
    const bool pdf = doc->kind == "pdf";
    bool ok = readLocation(location, c, pdf);
    if (!ok && inherited) ok = readRange(location, pdf ? c.page : c.line, pdf ? c.pageEnd : c.lineEnd);
    if (!ok) {
        c.problem = "'" + c.text + "' is not a " + (pdf ? "page (p.N)" : "line (LN or LN-M)") + " of " + c.label;
        return;
    }
    const int first = pdf ? c.page : c.line, last = pdf ? c.pageEnd : c.lineEnd;
    if (first == 0) return;
    const bool present = std::any_of(doc->anchors.begin(), doc->anchors.end(), [&](const auto& a) { return a.second == first; }) &&
                         std::any_of(doc->anchors.begin(), doc->anchors.end(), [&](const auto& a) { return a.second == last; });
    if (!present)
        c.problem = doc->path + " has no " + (pdf ? "page" : "line") +
                    (first == last ? " " + std::to_string(first) : "s " + std::to_string(first) + "-" + std::to_string(last));
}

}  // namespace

std::vector<Citation> findCitations(std::string_view answer, const Corpus& corpus)
{
    std::vector<Citation> out;
    for (std::size_t open = answer.find('['); open != std::string_view::npos; open = answer.find('[', open + 1)) {
        const std::size_t close = answer.find(']', open + 1);
        if (close == std::string_view::npos || close - open > kMaxBracket) continue;
        const std::string_view inside = answer.substr(open + 1, close - open - 1);
        if (!startsWithLabel(trim(inside))) continue;
        std::string label;
        std::size_t from = 0;
        while (from <= inside.size()) {
            std::size_t sep = inside.find_first_of(";,", from);
            if (sep == std::string_view::npos) sep = inside.size();
            const std::string_view item = trim(inside.substr(from, sep - from));
            from = sep + 1;
            if (item.empty()) continue;
            Citation c;
            c.text = std::string(item);
            c.offset = open;
            std::string_view location = item;
            const bool inherited = !startsWithLabel(item);
            if (!inherited) {
                std::size_t end = 1;
                while (end < item.size() && std::isdigit(static_cast<unsigned char>(item[end]))) ++end;
                label = std::string(item.substr(0, end));
                location = item.substr(end);
            }
            c.label = label;
            resolve(c, corpus, location, inherited);
            out.push_back(std::move(c));
        }
    }
    return out;
}

std::string describe(const Citation& c)
{
    if (!c.resolved()) return "not found: " + c.problem;
    auto range = [](int a, int b) { return a == b ? std::to_string(a) : std::to_string(a) + "-" + std::to_string(b); };
    if (c.page > 0) return c.path + (c.page == c.pageEnd ? ", page " : ", pages ") + range(c.page, c.pageEnd);
    if (c.line > 0) return c.path + (c.line == c.lineEnd ? ", line " : ", lines ") + range(c.line, c.lineEnd);
    return c.path;
}

}  // namespace folio::app
