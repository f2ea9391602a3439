#include "token_context.h"

#include "navigator_impl.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace folio::code {

namespace {

bool hashComments(const std::string& grammar)
{
    return grammar == "python" || grammar == "ruby" || grammar == "bash";
}

// Operators of two or three characters that read as one token in the languages Folio indexes.
std::size_t operatorLength(std::string_view rest)
{
    static constexpr std::array<std::string_view, 3> three = {"...", "===", "!=="};
    static constexpr std::array<std::string_view, 17> two = {"->", "::", "=>", "==", "!=", "<=", ">=", "&&", "||",
                                                             "++", "--", "+=", "-=", "<<", ">>", ":=", "?."};
    for (auto op : three)
        if (rest.starts_with(op)) return op.size();
    for (auto op : two)
        if (rest.starts_with(op)) return op.size();
    return 1;
}

}  // namespace

TokenContext::TokenContext(std::string_view text, const std::string& grammar)
{
    const bool hash = hashComments(grammar);
    const bool rust = grammar == "rust";
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if ((!hash && text.compare(i, 2, "//") == 0) || (hash && c == '#')) {
            i = std::min(n, text.find('\n', i));
        } else if (!hash && text.compare(i, 2, "/*") == 0) {
            const auto end = text.find("*/", i + 2);
            i = end == std::string_view::npos ? n : end + 2;
        } else if (c == '"' || c == '`' || (c == '\'' && !(rust && i + 2 < n && text[i + 2] != '\''))) {
            // A literal is one token; a Rust lifetime (`'a`) is not a character literal.
            const std::size_t begin = i;
            const std::string_view tripleQuote = c == '"' ? "\"\"\"" : c == '`' ? "```" : "'''";
            const bool triple = text.substr(i).starts_with(tripleQuote);
            i += triple ? 3 : 1;
            while (i < n) {
                if (text[i] == '\\') i += 2;
                else if (triple ? text.substr(i).starts_with(tripleQuote) : text[i] == c) break;
                else if (text[i] == '\n' && c != '`' && !triple) break;
                else ++i;
            }
            i = std::min(n, i + (triple ? 3 : 1));
            tokens_.push_back({begin, text.substr(begin, 1)});  // all literals of one quote alike
        } else if (isIdentifierChar(c)) {
            const std::size_t begin = i;
            while (i < n && isIdentifierChar(text[i])) ++i;
            // Numbers are all alike as context.
            if (std::isdigit(static_cast<unsigned char>(c))) tokens_.push_back({begin, std::string_view("0")});
            else tokens_.push_back({begin, text.substr(begin, i - begin), true});
        } else {
            const std::size_t len = operatorLength(text.substr(i));
            tokens_.push_back({i, text.substr(i, len)});
            i += len;
        }
    }
}

TokenContext::Before TokenContext::before(std::size_t offset) const
{
    const auto at = std::lower_bound(tokens_.begin(), tokens_.end(), offset,
                                     [](const Token& t, std::size_t o) { return t.offset < o; });
    const std::size_t k = std::size_t(at - tokens_.begin());
    Before b;
    if (k >= 1) b.first = tokens_[k - 1].text;
    if (k >= 2) b.second = tokens_[k - 2].text;
    return b;
}

}  // namespace folio::code
