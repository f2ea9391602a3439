#include "numbering.h"

#include <cctype>
#include <string>

namespace folio::analysis {

std::optional<int> romanValue(std::string_view text)
{
    if (text.empty() || text.size() > 12)
        return std::nullopt;
    auto digit = [](char c) -> int {
        switch (std::tolower(static_cast<unsigned char>(c))) {
        case 'i': return 1;
        case 'v': return 5;
        case 'x': return 10;
        case 'l': return 50;
        case 'c': return 100;
        case 'd': return 500;
        case 'm': return 1000;
        default: return 0;
        }
    };
    bool upper = std::isupper(static_cast<unsigned char>(text[0]));
    int total = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        if (bool(std::isupper(static_cast<unsigned char>(text[i]))) != upper)
            return std::nullopt;
        int v = digit(text[i]);
        if (!v)
            return std::nullopt;
        int next = i + 1 < text.size() ? digit(text[i + 1]) : 0;
        total += next > v ? -v : v;
    }
    // Only the canonical spelling counts: "IIII" or "VX" are not numerals.
    if (total <= 0 || romanNumeral(total, upper) != text)
        return std::nullopt;
    return total;
}

std::string romanNumeral(int value, bool upper)
{
    static const std::pair<int, const char*> table[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"},
                                                        {100, "c"},  {90, "xc"},  {50, "l"},  {40, "xl"},
                                                        {10, "x"},   {9, "ix"},   {5, "v"},   {4, "iv"},
                                                        {1, "i"}};
    std::string out;
    for (auto [v, s] : table)
        while (value >= v) {
            out += s;
            value -= v;
        }
    if (upper)
        for (char& c : out)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::optional<int> alphaValue(std::string_view text)
{
    if (text.empty() || text.size() > 2 || !std::isalpha(static_cast<unsigned char>(text[0])))
        return std::nullopt;
    if (text.size() == 2 && text[1] != text[0])
        return std::nullopt;
    int v = std::tolower(static_cast<unsigned char>(text[0])) - 'a' + 1;
    return text.size() == 2 ? v + 26 : v;
}

}  // namespace folio::analysis
