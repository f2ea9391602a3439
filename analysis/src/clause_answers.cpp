#include "folio/analysis/clauses.h"

#include "regex.h"
#include "text_utils.h"

#include <algorithm>
#include <cstdio>
#include <map>

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

// Party names: what a preamble defines in parentheses, with the name written before each definition.
std::string parties(std::string_view s)
{
    static const Regex named(
        R"(([A-Z][\w.&,'’-]*(?:\s+[A-Z][\w.&,'’-]*){0,7})\s*(?:,?\s*(?:a|an)\s+[^()]{0,80}?)?\s*\(\s*(?:the\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?)?(?:"|“)([^"”]{1,40})(?:"|”))");
    std::string out;
    for (const Regex::Match& m : named.findAll(s)) {
        std::string name(m.group(s, 1));
        while (!name.empty() && (name.back() == ',' || name.back() == ' '))
            name.pop_back();
        std::string term(m.group(s, 2));
        if (name.empty() || term == "Agreement" || lowerAscii(name).find("agreement") != std::string::npos)
            continue;
        out += (out.empty() ? "" : "; ") + name + " (\"" + term + "\")";
    }
    return out;
}

}  // namespace

std::vector<ClauseAnswer> normalisedAnswers(const std::vector<Clause>& clauses)
{
    // The most confident passage answers a category, except Parties: every sentence naming a party is a Parties
    // passage, and the parties are introduced first, in the preamble.
    std::map<std::string, const Clause*> best;
    for (const Clause& c : clauses) {
        auto& b = best[c.category];
        bool better = c.category == "Parties" ? c.confidence >= 0.5 && (!b || b->confidence < 0.5 || c.range.start < b->range.start)
                                              : !b || c.confidence > b->confidence;
        if (!b || better)
            b = &c;
    }
    std::vector<ClauseAnswer> out;
    auto add = [&](const std::string& category, auto normalise) {
        auto it = best.find(category);
        if (it == best.end() || it->second->confidence < 0.2)
            return;
        std::string answer = normalise(std::string_view(it->second->text));
        if (!answer.empty())
            out.push_back({category, answer, it->second->range});
    };
    add("Parties", [&](std::string_view s) { return parties(s); });
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
