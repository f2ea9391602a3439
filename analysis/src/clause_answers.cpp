#include "folio/analysis/clauses.h"

#include "regex.h"
#include "text_utils.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>

namespace folio::analysis {
namespace {

const char* const kMonths[] = {"january", "february", "march", "april", "may", "june", "july", "august",
                               "september", "october", "november", "december"};

// "March 3, 2025", "3rd day of March, 2025", "3/3/2025" -> "03/03/2025" (CUAD's mm/dd/yyyy).
std::string normaliseDate(std::string_view s)
{
    static const Regex monthFirst(R"(([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4}))");
    static const Regex dayFirst(R"((\d{1,2})(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?([A-Za-z]+)\s*,?\s*(\d{4}))");
    static const Regex numeric(R"((\d{1,2})/(\d{1,2})/(\d{2,4}))");
    auto month = [](std::string_view name) {
        std::string n = lowerAscii(name);
        for (int i = 0; i < 12; ++i)
            if (n.size() >= 3 && std::string_view(kMonths[i]).substr(0, n.size()) == n)
                return i + 1;
        return 0;
    };
    char buf[32];
    if (auto m = monthFirst.find(s); m.start >= 0 && month(m.group(s, 1))) {
        std::snprintf(buf, sizeof buf, "%02d/%02d/%s", month(m.group(s, 1)), std::atoi(std::string(m.group(s, 2)).c_str()),
                      std::string(m.group(s, 3)).c_str());
        return buf;
    }
    if (auto m = dayFirst.find(s); m.start >= 0 && month(m.group(s, 2))) {
        std::snprintf(buf, sizeof buf, "%02d/%02d/%s", month(m.group(s, 2)), std::atoi(std::string(m.group(s, 1)).c_str()),
                      std::string(m.group(s, 3)).c_str());
        return buf;
    }
    if (auto m = numeric.find(s); m.start >= 0) {
        std::string year(m.group(s, 3));
        if (year.size() == 2)
            year = "20" + year;
        std::snprintf(buf, sizeof buf, "%02d/%02d/%s", std::atoi(std::string(m.group(s, 1)).c_str()),
                      std::atoi(std::string(m.group(s, 2)).c_str()), year.c_str());
        return buf;
    }
    return {};
}

const Regex& periodRe()
{
    static const Regex re(R"((?:\(?(\d{1,3})\)?)\s*(?:calendar\s+|business\s+|full\s+)?(day|month|year|week)s?\b)", true);
    return re;
}

std::string periodText(std::string_view s, const Regex::Match& m)
{
    int n = std::atoi(std::string(m.group(s, 1)).c_str());
    std::string unit = lowerAscii(m.group(s, 2));
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

// "ninety (90) days" / "30 days" / "one (1) year" -> "90 days", "1 year": the first period in the passage.
std::string normalisePeriod(std::string_view s)
{
    auto m = periodRe().find(s);
    return m.start >= 0 ? periodText(s, m) : std::string();
}

// A term clause may name the initial term before the renewal ("continues for three (3) years. It then renews
// for successive one (1) year terms"): the first period after "renew", else the first one.
std::string normaliseRenewalTerm(std::string_view s)
{
    const std::string lower = lowerAscii(s);
    if (auto at = lower.find("renew"); at != std::string::npos)
        if (std::string after = normalisePeriod(s.substr(at)); !after.empty())
            return after;
    return normalisePeriod(s);
}

// A renewal clause names the term first and the notice after it ("renews for one (1) year terms unless notice
// is given at least ninety (90) days before"): the period followed by "before"/"prior", else the last one.
std::string normaliseNoticePeriod(std::string_view s)
{
    std::vector<Regex::Match> all = periodRe().findAll(s);
    if (all.empty())
        return {};
    for (const Regex::Match& m : all) {
        std::string after = lowerAscii(s.substr(m.end, 40));
        if (after.find("before") != std::string::npos || after.find("prior") != std::string::npos)
            return periodText(s, m);
    }
    return periodText(s, all.back());
}

std::string governingLaw(std::string_view s)
{
    static const Regex law(
        R"(laws?\s+of\s+(?:the\s+)?(?:State\s+of\s+|Commonwealth\s+of\s+|Province\s+of\s+)?([A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+){0,3}))");
    if (auto m = law.find(s); m.start >= 0) {
        std::string place(m.group(s, 1));
        for (const char* stop : {" And", " Without", " Applicable", " Excluding", " The"})
            if (auto p = place.find(stop); p != std::string::npos)
                place.resize(p);
        return place;
    }
    return {};
}

// The cap on liability: an amount ("$1,000,000", "USD 2 million" -> "USD 1,000,000", "USD 2,000,000") or a
// multiple of the fees paid over a period ("the Fees paid in the twelve (12) months before" -> "fees paid in 12
// months", "two (2) times the fees paid" -> "2 x fees paid").
std::string capAmount(std::string_view s)
{
    static const Regex money(R"((USD|US\$|EUR|GBP|\$|€|£)\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?(?:\s+(million|billion)\b)?)",
                             true);
    if (auto m = money.find(s); m.start >= 0) {
        const std::string symbol = upperAscii(m.group(s, 1));
        const std::string currency = symbol == "€" ? "EUR" : symbol == "£" ? "GBP" : symbol.size() == 3 ? symbol : "USD";
        std::string digits;
        for (char c : m.group(s, 2))
            if (c != ',')
                digits += c;
        long long amount = std::atoll(digits.c_str());
        const std::string scale = lowerAscii(m.group(s, 3));
        amount *= scale == "million" ? 1000000LL : scale == "billion" ? 1000000000LL : 1LL;
        std::string grouped = std::to_string(amount);
        for (int at = int(grouped.size()) - 3; at > 0; at -= 3)
            grouped.insert(std::size_t(at), ",");
        return currency + " " + grouped;
    }
    static const Regex fees(R"(\b(?:fees?|amounts?|charges)\s+(?:actually\s+)?(?:paid|payable))", true);
    auto f = fees.find(s);
    if (f.start < 0)
        return {};
    static const Regex times(R"((?:\(?(\d{1,2})\)?\s*(?:x|times)\b)|\b(twice)\b)", true);
    std::string out = "fees paid";
    if (auto t = times.find(s.substr(0, f.start)); t.start >= 0)
        out = (t.has(2) ? std::string("2") : std::string(t.group(s, 1))) + " x " + out;
    if (auto p = periodRe().find(s.substr(f.end)); p.start >= 0)
        out += " in " + periodText(s.substr(f.end), p);
    return out;
}

// Party names: what a preamble defines in parentheses ("... by and between Acme Widgets, Inc., a Delaware
// corporation with offices at 1 Main Street, Springfield, USA ("Acme"), and Beta LLC ("Beta")"), each with the name
// that opens the stretch before its definition: after the previous definition and a leading "by", "between",
// "among", "with" or "and", up to the description that follows the name (", a Delaware corporation", ", located").
std::string parties(std::string_view s)
{
    static const Regex definition(
        R"(\(\s*(?:the\s+|hereinafter\s+(?:referred\s+to\s+as\s+|called\s+)?(?:the\s+)?)?["“]([^"”]{1,40})["”])", true);
    static const Regex lead(R"(^[\s,;:]*(?:(?:by|and|between|among|amongst|with)\b[\s,]*)+)");
    static const Regex keyword(R"(\b(?:by|between|among|amongst|with|and)\b)");
    static const Regex description(
        R"(,?\s+(?:a|an|having|located|whose|with|which|organi[sz]ed|incorporated|registered|residing|acting)\s|,\s*(?:[a-z]|\d)|\s*\()");
    static const Regex date(R"(\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d|^\d)",
                            true);
    std::string out;
    int from = 0;
    for (const Regex::Match& m : definition.findAll(s)) {
        std::string_view stretch = s.substr(from, m.start - from);
        from = m.end;
        const std::string term(m.group(s, 1));
        const std::string lowerTerm = lowerAscii(term);
        if (lowerTerm == "agreement" || lowerTerm.find("date") != std::string::npos || lowerTerm == "party" ||
            lowerTerm == "parties")
            continue;
        // The stretch opens at its first "by"/"between"/"and" (a name rarely holds one before its own words).
        if (auto k = keyword.find(stretch); k.start >= 0)
            stretch = stretch.substr(k.start);
        if (auto l = lead.find(stretch); l.start >= 0)
            stretch = stretch.substr(l.end);
        if (auto d = description.find(stretch); d.start >= 0)
            stretch = stretch.substr(0, d.start);
        std::string name(stretch);
        while (!name.empty() && (name.back() == ',' || name.back() == ' ' || name.back() == '\n'))
            name.pop_back();
        if (name.empty() || !std::isupper(static_cast<unsigned char>(name[0])) || wordCount(name) > 12 ||
            date.find(name).start >= 0 || lowerAscii(name).find("agreement") != std::string::npos)
            continue;
        out += (out.empty() ? "" : "; ") + collapseWhitespace(name) + " (\"" + term + "\")";
    }
    return out;
}

// The parties are introduced first, in the preamble, which the model may cut into several Parties passages
// (a sentence per party, a heading line): the likely Parties passages near the first one, read together.
std::optional<ClauseAnswer> partiesAnswer(const std::vector<Clause>& clauses)
{
    std::vector<const Clause*> passages;
    for (const Clause& c : clauses)
        if (c.category == "Parties" && c.confidence >= 0.1)
            passages.push_back(&c);
    if (passages.empty())
        return std::nullopt;
    std::sort(passages.begin(), passages.end(), [](const Clause* a, const Clause* b) { return a->range.start < b->range.start; });
    constexpr int kPreamble = 2500;  // characters: the preamble and the recitals' first lines
    std::string text;
    TextRange source = passages.front()->range;
    for (const Clause* c : passages)
        if (c->range.start < passages.front()->range.start + kPreamble) {
            text += (text.empty() ? "" : " ") + c->text;
            source.end = std::max(source.end, c->range.end);
        }
    std::string answer = parties(text);
    if (answer.empty())
        return std::nullopt;
    return ClauseAnswer{"Parties", answer, source};
}

}  // namespace

std::vector<ClauseAnswer> normalisedAnswers(const std::vector<Clause>& clauses)
{
    // The most confident passage answers a category.
    std::map<std::string, const Clause*> best;
    for (const Clause& c : clauses) {
        auto& b = best[c.category];
        if (!b || c.confidence > b->confidence)
            b = &c;
    }
    std::vector<ClauseAnswer> out;
    if (auto p = partiesAnswer(clauses))
        out.push_back(*p);
    auto add = [&](const std::string& category, auto normalise) {
        auto it = best.find(category);
        if (it == best.end() || it->second->confidence < 0.2)
            return;
        std::string answer = normalise(std::string_view(it->second->text));
        if (!answer.empty())
            out.push_back({category, answer, it->second->range});
    };
    add("Agreement Date", normaliseDate);
    add("Effective Date", normaliseDate);
    add("Expiration Date", normaliseDate);
    add("Renewal Term", normaliseRenewalTerm);
    add("Notice Period To Terminate Renewal", normaliseNoticePeriod);
    add("Governing Law", governingLaw);
    add("Cap On Liability", capAmount);
    return out;
}

}  // namespace folio::analysis
