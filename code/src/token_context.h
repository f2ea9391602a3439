#pragma once

// The tokens that stand before a position in source text, for completion's context model: a name is likelier
// where it followed the same tokens elsewhere (`uv_loop_t* loop`, `return UV_`, `->data`). A light lexer, not a
// parser: comments are skipped and literals are one token each, by the grammar's comment syntax; a text it
// misreads only ranks worse.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace folio::code {

class TokenContext {
public:
    TokenContext(std::string_view text, const std::string& grammar);

    // The two tokens before the byte offset, nearest last ("" where the text starts).
    struct Before {
        std::string_view second, first;  // first: the token right before
        bool operator==(const Before&) const = default;
    };
    Before before(std::size_t offset) const;

    // Each identifier, where it starts, and the two tokens before it.
    template <class F>
    void forEachName(F&& f) const
    {
        for (std::size_t k = 0; k < tokens_.size(); ++k)
            if (tokens_[k].isName)
                f(tokens_[k].text, tokens_[k].offset,
                  Before{k >= 2 ? tokens_[k - 2].text : std::string_view(), k >= 1 ? tokens_[k - 1].text : std::string_view()});
    }

private:
    struct Token {
        std::size_t offset;
        std::string_view text;
        bool isName = false;
    };
    std::vector<Token> tokens_;
};

}  // namespace folio::code
