// Rewrites of a file's text that a grammar parses where the original defeats its error recovery or hides
// declarations from it. Each keeps every byte's position it keeps at all, so what is indexed from the
// rewritten text points into the original.

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

// The lines of a `#define NAME body` (the directive from `define` to `valueEnd`) with the body as a struct: the
// text from the start of the directive's line, `#define` turned into `struct{`, the name and line continuations
// blanked, `};` after. Columns are those of the file, lines counted from the directive's. C libraries declare
// fields shared by several structs this way (libuv's UV_HANDLE_FIELDS).
std::string macroBodyAsStruct(std::string_view text, std::size_t define, std::size_t valueBegin, std::size_t valueEnd)
{
    const std::size_t lineStart = text.rfind('\n', define) == std::string_view::npos ? 0 : text.rfind('\n', define) + 1;
    std::string out(valueEnd - lineStart, ' ');
    for (std::size_t i = lineStart; i < valueEnd; ++i)
        if (text[i] == '\n') out[i - lineStart] = '\n';
        else if (i >= valueBegin && !(text[i] == '\\' && i + 1 < valueEnd && (text[i + 1] == '\n' || text[i + 1] == '\r')))
            out[i - lineStart] = text[i];
    out.replace(define - lineStart, 7, "struct{");
    return out + "\n};";
}

// tree-sitter-c ends a macro's body at a comment inside it, and parses the continued lines after it as code at
// the top of the file (libuv's `#define UV_REQ_FIELDS \ /* public */ \ void* data; \ ...` gave a
// top-level variable `type`). Blanking the /* */ comments inside #define directives keeps each body whole.
std::string blankCommentsInMacros(std::string_view text)
{
    std::string out(text);
    bool inMacro = false, lineStart = true;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const char c = out[i];
        if (c == '\n') {  // the directive goes on only after a backslash
            std::size_t j = i;
            while (j > 0 && (out[j - 1] == ' ' || out[j - 1] == '\t' || out[j - 1] == '\r')) --j;
            inMacro = inMacro && j > 0 && out[j - 1] == '\\';
            lineStart = true;
            continue;
        }
        if (lineStart && (c == ' ' || c == '\t')) continue;
        if (lineStart && c == '#') {
            const std::size_t word = out.find_first_not_of(" \t", i + 1);
            inMacro = word != std::string::npos && out.compare(word, 6, "define") == 0;
        }
        lineStart = false;
        if (!inMacro) continue;
        if (c == '"' || c == '\'') {  // a literal, skipped whole
            for (++i; i < out.size() && out[i] != c && out[i] != '\n'; ++i)
                if (out[i] == '\\') ++i;
        } else if (out.compare(i, 2, "/*") == 0) {
            const std::size_t close = out.find("*/", i + 2);
            const std::size_t stop = close == std::string::npos ? out.size() : close + 2;
            for (std::size_t j = i; j < stop; ++j)
                if (out[j] != '\n') out[j] = ' ';
            i = stop - 1;
        }
    }
    return out;
}

}  // namespace folio::code
