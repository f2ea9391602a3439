// Rewrites of a file's text that a grammar parses where the original defeats its error recovery. Each keeps
// every byte's position (it only turns whitespace into punctuation), so what is indexed from the repaired
// parse points into the original text.

#include "code_languages.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace folio::code {
namespace {

bool endsType(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '>' || c == ')' || c == ']'
        || c == '}' || c == '\'' || c == '"' || c == '`';
}

}  // namespace

// tree-sitter-typescript reads an overloaded call signature on a line of its own (`<T>(x: T): R` after
// another member without a `;`) as type arguments of the type that ends the previous line, and the error
// that follows can swallow the rest of the file (hono's types.ts lost 2,600 of its 2,800 lines). TypeScript
// itself does not continue a type across the line break there; a `;` written into the new line's indentation
// makes the member boundary explicit.
std::string separateCallSignatures(std::string_view text)
{
    std::string out(text);
    char last = 0;              // the last character of the previous line that is not blank or a // comment
    bool lastIsArrow = false;   // `=>` ends it: a generic arrow function may follow
    for (std::size_t pos = 0; pos < out.size();) {
        const std::size_t end = std::min(out.find('\n', pos), out.size());
        const std::size_t first = out.find_first_not_of(" \t", pos);
        if (first < end && out[first] == '<' && first > pos && last && endsType(last) && !lastIsArrow) {
            const char next = first + 1 < end ? out[first + 1] : '\n';
            if (next == '\n' || next == '\r' || std::isalpha(static_cast<unsigned char>(next)) || next == '_')
                out[first - 1] = ';';
        }
        if (first < end && out.compare(first, 2, "//") != 0) {
            std::size_t stop = out.find("//", first);  // a trailing comment (a URL in a string is rare in types)
            stop = stop < end ? stop : end;
            const std::size_t lastChar = out.find_last_not_of(" \t\r", stop - 1);
            if (lastChar != std::string::npos && lastChar >= first) {
                last = out[lastChar];
                lastIsArrow = last == '>' && lastChar > 0 && out[lastChar - 1] == '=';
            }
        }
        pos = end + 1;
    }
    return out;
}

}  // namespace folio::code
