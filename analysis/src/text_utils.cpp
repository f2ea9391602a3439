#include "text_utils.h"

#include <cctype>

namespace folio::analysis {

int wordCount(std::string_view s)
{
    int n = 0;
    bool in = false;
    for (char c : s) {
        bool space = c == ' ' || c == '\n' || c == '\t';
        if (!space && !in)
            ++n;
        in = !space;
    }
    return n;
}

bool isUpperCaseText(std::string_view s)
{
    int letters = 0;
    for (char c : s) {
        if (std::islower(static_cast<unsigned char>(c)))
            return false;
        letters += std::isupper(static_cast<unsigned char>(c)) ? 1 : 0;
    }
    return letters >= 2;
}

std::string upperAscii(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string lowerAscii(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}

namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

bool titleLike(std::string_view s)
{
    // Most words capitalised (short function words aside): "Termination for Convenience".
    int capital = 0, total = 0;
    std::string word;
    for (size_t i = 0; i <= s.size(); ++i) {
        char c = i < s.size() ? s[i] : ' ';
        if (c == ' ') {
            if (!word.empty()) {
                ++total;
                bool small = word == "of" || word == "and" || word == "or" || word == "the" || word == "to" ||
                             word == "for" || word == "in" || word == "on" || word == "a" || word == "by" ||
                             word == "with" || word == "an";
                if (!std::islower(static_cast<unsigned char>(word[0])) || small)
                    ++capital;
            }
            word.clear();
            continue;
        }
        word += c;
    }
    return total > 0 && capital == total;
}

}  // namespace

std::string headingTitle(std::string_view rest)
{
    rest = trim(rest);
    if (rest.empty())
        return {};
    size_t stop = rest.find(". ");
    if (stop != std::string_view::npos && stop <= 80) {
        std::string_view head = rest.substr(0, stop);
        if (wordCount(head) <= 10 && titleLike(head))
            return std::string(head);
    }
    if (wordCount(rest) <= 12 && (isUpperCaseText(rest) || titleLike(rest))) {
        while (!rest.empty() && (rest.back() == ':' || rest.back() == '.'))
            rest.remove_suffix(1);
        return std::string(rest);
    }
    return {};
}

std::vector<std::string> words(std::string_view s)
{
    std::vector<std::string> out;
    std::string w;
    for (char c : s) {
        unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || u >= 0x80) {
            w += static_cast<char>(std::tolower(u));
        } else if (!w.empty()) {
            out.push_back(std::move(w));
            w.clear();
        }
    }
    if (!w.empty())
        out.push_back(std::move(w));
    return out;
}

}  // namespace folio::analysis

#include "folio/analysis/contract_text.h"

#include <algorithm>

namespace folio::analysis {

namespace {

bool isAbbreviation(std::string_view word)
{
    static const char* const known[] = {"inc", "co", "corp", "ltd", "no", "nos", "sec", "secs", "u.s", "i.e", "e.g",
                                        "etc", "st", "mr", "ms", "mrs", "dr", "vs", "v", "n.a", "l.p", "s.a", "art",
                                        "para", "jr", "sr", "llc", "l.l.c", "p.c", "b.v", "n.v", "s.p.a", "a.g",
                                        "approx", "min", "max", "dept", "assn", "bros", "mfg", "intl", "et al"};
    std::string w = lowerAscii(word);
    if (w.size() == 1)
        return true;  // initials
    for (const char* k : known)
        if (w == k)
            return true;
    return false;
}

}  // namespace

std::vector<TextRange> sentences(const ContractText& text)
{
    std::vector<TextRange> out;
    const std::string& s = text.text();
    std::vector<bool> paragraphStart(s.size() + 1, false);
    for (const ContractLine& l : text.lines())
        if (l.paragraphStart)
            paragraphStart[l.range.start] = true;
    int start = 0;
    auto emit = [&](int end) {
        while (start < end && (s[start] == ' ' || s[start] == '\n'))
            ++start;
        int e = end;
        while (e > start && (s[e - 1] == ' ' || s[e - 1] == '\n'))
            --e;
        if (e > start)
            out.push_back({start, e});
        start = end;
    };
    int n = static_cast<int>(s.size());
    for (int i = 0; i < n; ++i) {
        if (paragraphStart[i] && i > start) {
            emit(i);
            continue;
        }
        char c = s[i];
        if (c != '.' && c != '?' && c != '!' && c != ';')
            continue;
        if (i + 1 < n && s[i + 1] != ' ' && s[i + 1] != '\n' && s[i + 1] != '"' && s[i + 1] != ')')
            continue;  // 5.2, U.S.A.
        if (c == ';')
            continue;  // a list item goes on: only full stops end sentences
        int w = i;
        while (w > 0 && s[w - 1] != ' ' && s[w - 1] != '\n' && s[w - 1] != '(')
            --w;
        std::string_view word(s.data() + w, i - w);
        if (c == '.' && (isAbbreviation(word) || (!word.empty() && std::isdigit(static_cast<unsigned char>(word[0])) &&
                                                 word.size() <= 4 && i - start < 12)))
            continue;
        int j = i + 1;
        while (j < n && (s[j] == ' ' || s[j] == '\n' || s[j] == '"' || s[j] == ')'))
            ++j;
        if (j < n && std::islower(static_cast<unsigned char>(s[j])))
            continue;
        emit(i + 1);
    }
    emit(n);
    return out;
}

TextRange sentenceAt(const std::vector<TextRange>& all, int offset)
{
    auto it = std::upper_bound(all.begin(), all.end(), offset, [](int o, const TextRange& r) { return o < r.end; });
    if (it == all.end())
        return all.empty() ? TextRange{offset, offset} : all.back();
    return *it;
}

}  // namespace folio::analysis
