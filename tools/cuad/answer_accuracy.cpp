#include "answer_accuracy.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

namespace folio::cuad {

namespace {

std::string lower(std::string s)
{
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(const std::string& s)
{
    size_t a = s.find_first_not_of(" \t\n,;");
    size_t b = s.find_last_not_of(" \t\n,;");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

// CUAD joins several answers with ";".
std::vector<std::string> alternatives(const std::string& s, const char* separators = ";")
{
    std::vector<std::string> out;
    size_t from = 0;
    for (size_t at; (at = s.find_first_of(separators, from)) != std::string::npos; from = at + 1)
        if (std::string part = trim(s.substr(from, at - from)); !part.empty())
            out.push_back(part);
    if (std::string part = trim(s.substr(from)); !part.empty())
        out.push_back(part);
    return out;
}

// Month, day and year; an empty part is one CUAD left blank ("[]").
struct Date {
    std::string month, day, year;
};

std::optional<Date> parseDate(const std::string& s)
{
    static const std::regex re(R"(^\s*([0-9\[\] ]+)/([0-9\[\] ]+)/([0-9\[\] ]+)\s*$)");
    std::smatch m;
    if (!std::regex_match(s, m, re))
        return std::nullopt;
    auto part = [](std::string p) -> std::string {
        if (p.find('[') != std::string::npos)
            return {};
        p = trim(p);
        return std::to_string(std::stoi(p));
    };
    Date d{part(m[1]), part(m[2]), part(m[3])};
    if (d.year.size() <= 2 && !d.year.empty()) {
        int y = std::stoi(d.year);
        d.year = std::to_string(y >= 50 ? 1900 + y : 2000 + y);
    }
    return d;
}

bool sameDate(const std::string& folio, const std::string& cuad)
{
    auto a = parseDate(folio), b = parseDate(cuad);
    if (!a || !b || (b->month.empty() && b->day.empty() && b->year.empty()))
        return false;
    auto same = [](const std::string& x, const std::string& y) { return y.empty() || x == y; };
    return same(a->month, b->month) && same(a->day, b->day) && same(a->year, b->year);
}

// A duration in months where it is months or years, else in days; both when a unit converts to both.
struct Duration {
    std::optional<double> months, days;
};

std::optional<Duration> parseDuration(const std::string& s)
{
    static const std::regex re(R"(([0-9]+(?:\.[0-9]+)?)\)?\s*(day|week|month|year)s?)", std::regex::icase);
    std::smatch m;
    if (!std::regex_search(s, m, re))
        return std::nullopt;
    double n = std::stod(m[1]);
    std::string unit = lower(m[2]);
    Duration d;
    if (unit == "year")
        d.months = 12 * n, d.days = 365 * n;
    else if (unit == "month")
        d.months = n, d.days = 30 * n;
    else
        d.days = unit == "week" ? 7 * n : n;
    return d;
}

bool sameDuration(const std::string& folio, const std::string& cuad)
{
    auto a = parseDuration(folio);
    if (!a)
        return lower(trim(folio)) == lower(trim(cuad));
    for (const std::string& alt : alternatives(cuad)) {
        auto b = parseDuration(alt);
        if (!b)
            continue;
        if (a->months && b->months ? *a->months == *b->months : a->days == b->days)
            return true;
    }
    return false;
}

std::string placeName(std::string s)
{
    s = lower(trim(s));
    for (const char* prefix : {"the ", "state of ", "commonwealth of ", "province of "})
        if (s.rfind(prefix, 0) == 0)
            s = s.substr(std::string(prefix).size());
    return s;
}

bool sameJurisdiction(const std::string& folio, const std::string& cuad)
{
    const std::string ours = placeName(folio);
    for (const std::string& alt : alternatives(cuad, ";,"))
        if (!ours.empty() && placeName(alt) == ours)
            return true;
    return false;
}

// A party's name as a set of words: lower case, no punctuation, no corporate suffixes.
std::set<std::string> nameWords(const std::string& name)
{
    static const std::set<std::string> suffixes = {"inc", "incorporated", "llc", "ltd", "limited", "corp",
                                                   "corporation", "co", "company", "plc", "lp", "llp", "sa",
                                                   "ag", "gmbh", "bv", "nv", "the", "and", "of"};
    std::string t;
    for (char c : name)
        t += std::isalnum(static_cast<unsigned char>(c)) || c == '&' ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : ' ';
    std::set<std::string> out;
    std::istringstream in(t);
    for (std::string w; in >> w;)
        if (!suffixes.count(w))
            out.insert(w);
    return out;
}

// The names a Parties answer lists: 'Name ("Term"); Other, Inc. ("Other")' -> "Name", "Other, Inc.".
std::vector<std::string> partyNames(const std::string& answer)
{
    std::vector<std::string> out;
    for (const std::string& party : alternatives(answer)) {
        std::string name = trim(party.substr(party.find_first_not_of("( ") == std::string::npos ? 0 : party.find_first_not_of("( ")));
        name = trim(name.substr(0, name.find('(')));
        if (!name.empty() && std::isupper(static_cast<unsigned char>(name[0])))
            out.push_back(name);
    }
    return out;
}

bool sameParties(const std::string& folio, const std::string& cuad)
{
    std::vector<std::set<std::string>> ours;
    for (const std::string& name : partyNames(folio))
        ours.push_back(nameWords(name));
    std::vector<std::string> theirs = partyNames(cuad);
    if (theirs.empty())
        return false;
    return std::all_of(theirs.begin(), theirs.end(), [&](const std::string& name) {
        std::set<std::string> b = nameWords(name);
        return std::any_of(ours.begin(), ours.end(), [&](const std::set<std::string>& a) {
            size_t common = 0;
            for (const std::string& w : a)
                common += b.count(w);
            size_t all = a.size() + b.size() - common;
            return all > 0 && 2 * common >= all;
        });
    });
}

}  // namespace

const std::vector<std::string>& answerFields()
{
    static const std::vector<std::string> fields = {"Parties",      "Agreement Date", "Effective Date",
                                                    "Expiration Date", "Renewal Term",
                                                    "Notice Period To Terminate Renewal", "Governing Law"};
    return fields;
}

bool sameAnswer(const std::string& field, const std::string& folio, const std::string& cuad)
{
    if (folio.empty())
        return false;
    if (field == "Parties")
        return sameParties(folio, cuad);
    if (field == "Governing Law")
        return sameJurisdiction(folio, cuad);
    if (field == "Renewal Term" || field == "Notice Period To Terminate Renewal")
        return sameDuration(folio, cuad);
    if (field.size() > 5 && field.substr(field.size() - 5) == " Date") {
        if (lower(trim(cuad)) == lower(trim(folio)))
            return true;  // "perpetual"
        const auto alts = alternatives(cuad);
        return std::any_of(alts.begin(), alts.end(), [&](const std::string& alt) { return sameDate(folio, alt); });
    }
    return lower(trim(folio)) == lower(trim(cuad));
}

}  // namespace folio::cuad
