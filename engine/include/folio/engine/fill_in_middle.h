#pragma once

// Fill-in-the-middle prompts as the Qwen coder vocabularies define them, found by their tokens' text: the
// repository-level form
//     <|repo_name|>NAME\n <|file_sep|>PATH\nCONTENT\n ... <|file_sep|>PATH\n<|fim_prefix|>PRE<|fim_suffix|>SUF<|fim_middle|>
// where the model writes what goes between PRE and SUF. The repository part never depends on the cursor, so
// its state is computed once and every completion resumes from it.

#include "folio/engine/chat_format.h"
#include "folio/engine/tokenizer.h"

#include <optional>
#include <string>
#include <vector>

namespace folio::engine {

class FillInMiddle {
public:
    // The vocabulary's FIM tokens, or nothing when it lacks <|fim_prefix|>, <|fim_suffix|> or <|fim_middle|>.
    static std::optional<FillInMiddle> fromTokenizer(const Tokenizer& tokenizer);
    // The repository-level form by the Qwen coders' token texts, for a remote engine whose vocabulary is not at
    // hand: the server tokenises the markup written out as text.
    static FillInMiddle qwenCoder();

    // Whether the vocabulary has <|repo_name|> and <|file_sep|> for the repository-level form.
    bool repositoryLevel() const { return repositoryLevel_; }
    Prompt repositoryHeader(const std::string& name) const;  // "<|repo_name|>NAME\n"
    Prompt file(const std::string& path, const std::string& content) const;  // "<|file_sep|>PATH\nCONTENT\n"
    // The file being edited, last: its path, then the text before and after the cursor.
    Prompt tail(const std::string& path, const std::string& prefix, const std::string& suffix) const;
    // Text that ends the middle: the end of text and the markers a model writes when it goes on to another file.
    std::vector<std::string> stopStrings() const;

private:
    bool repositoryLevel_ = false;
};

}  // namespace folio::engine
