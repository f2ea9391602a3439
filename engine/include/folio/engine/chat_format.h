#pragma once

// The chat format a model was trained on, recognised from the template its GGUF file carries
// (tokenizer.chat_template). Folio does not run Jinja: the Qwen family's templates all frame turns as ChatML
// (<|im_start|>role\n ... <|im_end|>\n) and differ only in how the assistant's thinking block opens, so the
// template is checked for those markers and the prompt is written directly. A template without them is refused
// with the reason, never guessed at.
//
// Prompts are kept as pieces because only the format's own markers may become control tokens: text from a
// document or a user that happens to contain "<|im_end|>" must stay text, or it could end a turn.

#include "folio/engine/gguf.h"
#include "folio/engine/tokenizer.h"

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace folio::engine {

class ChatFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Whether the assistant thinks (a <think>...</think> block) before it answers. Default: as the template does when
// it is given no option (Qwen3 and Qwen3.5: on).
enum class Thinking { Default, On, Off };

struct PromptPiece {
    std::string text;
    bool markup = false;  // the format's own markers: special tokens are parsed in it, never in other text
};

class Prompt {
public:
    Prompt& markup(std::string text);
    Prompt& text(std::string text);
    Prompt& append(const Prompt& other);
    std::vector<std::int32_t> tokens(const Tokenizer& tokenizer) const;
    std::string str() const;  // the pieces joined, for display and tests
    const std::vector<PromptPiece>& pieces() const { return pieces_; }

private:
    std::vector<PromptPiece> pieces_;
};

struct ChatMessage {
    std::string role;  // "system", "user" or "assistant"
    std::string content;
};

// An answer split at the end of its thinking block.
struct AnswerParts {
    std::string thinking;
    std::string answer;
};

// Routes generated text, as it streams, to the thinking block or to the answer: the same split as
// ChatFormat::split, but on pieces, holding back only what may be the start of a marker.
class AnswerStream {
public:
    using Sink = std::function<void(std::string_view)>;
    // Where the generated text begins: inside a block the prompt opened, where the model may open one, or in a
    // format without thinking (all answer). ChatFormat::streamStart says which.
    enum class Start { InsideThinking, MayThink, NoThinking };
    AnswerStream(Start start, Sink thinking, Sink answer);
    void feed(std::string_view text);
    void finish();  // flushes what was held back

private:
    // ThinkingStart and AnswerStart drop the newlines that split() trims from the start of each part.
    enum class State { Start, ThinkingStart, Thinking, AnswerStart, Answer };
    State state_;
    // Drops the newlines pending_ starts with; false when nothing else is pending yet.
    bool dropLeadingNewlines();
    std::string pending_;
    Sink thinking_, answer_;
};

class ChatFormat {
public:
    // Reads tokenizer.chat_template from the file. Throws ChatFormatError naming the model and what is missing
    // (no template, no ChatML markers, markers absent from the vocabulary).
    static ChatFormat fromModel(const GgufFile& file, const Tokenizer& tokenizer);
    // Recognises a template's text; `source` names it in errors.
    static ChatFormat fromTemplate(const std::string& chatTemplate, const Tokenizer& tokenizer, const std::string& source);

    std::string name() const;            // "chatml", "chatml+thinking switch" or "chatml+always thinking"
    bool hasThinkingSwitch() const { return thinkingSwitch_; }
    bool hasThinking() const { return thinkingSwitch_ || thinksByDefault_; }
    bool thinksByDefault() const { return thinksByDefault_; }

    Prompt turnStart(const std::string& role) const;  // "<|im_start|>role\n"
    Prompt turnEnd() const;                           // "<|im_end|>\n"
    Prompt turn(const ChatMessage& message) const;
    // The opening of the assistant's turn, with the thinking block opened, closed empty or left to the model.
    Prompt generationPrompt(Thinking thinking) const;
    // Every message, then the generation prompt when `addGenerationPrompt`.
    Prompt render(const std::vector<ChatMessage>& messages, bool addGenerationPrompt, Thinking thinking) const;

    // Whether generationPrompt(thinking) leaves the model inside an open thinking block.
    bool opensThinking(Thinking thinking) const { return thinksByDefault_ && thinking != Thinking::Off; }
    // Where generated text begins, for an AnswerStream that splits it as split() does.
    AnswerStream::Start streamStart(Thinking thinking) const
    {
        if (!hasThinking()) return AnswerStream::Start::NoThinking;
        return opensThinking(thinking) ? AnswerStream::Start::InsideThinking : AnswerStream::Start::MayThink;
    }


    // Text that ends the assistant's turn.
    std::vector<std::string> stopStrings() const;
    // Splits generated text (which begins after generationPrompt(thinking)) into thinking and answer. A format
    // without a thinking block has none: its text is all answer.
    AnswerParts split(const std::string& generated, Thinking thinking) const;

private:
    bool thinkingSwitch_ = false;  // the template reads enable_thinking
    bool thinksByDefault_ = false; // the generation prompt opens <think> unless thinking is switched off
};

}  // namespace folio::engine
