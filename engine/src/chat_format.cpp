#include "folio/engine/chat_format.h"

namespace folio::engine {
namespace {

constexpr std::string_view kTurnStart = "<|im_start|>";
constexpr std::string_view kTurnEnd = "<|im_end|>";
constexpr std::string_view kThinkOpen = "<think>";
constexpr std::string_view kThinkClose = "</think>";

// Whether the generation prompt of the template opens a thinking block for the model to fill, as Qwen3.5 and
// the Qwen3 "Thinking" models do ('<think>\n' after '<|im_start|>assistant\n'). An empty block
// ('<think>\n\n</think>\n\n') is how thinking is switched off and does not count. The template source writes
// newlines as the two characters \n inside Jinja strings, or as real newlines; both are accepted.
bool generationPromptOpensThinking(std::string_view tmpl)
{
    const std::size_t gen = tmpl.rfind("add_generation_prompt");
    if (gen == std::string_view::npos) return false;
    const std::string_view tail = tmpl.substr(gen);
    for (std::size_t at = tail.find(kThinkOpen); at != std::string_view::npos; at = tail.find(kThinkOpen, at + 1)) {
        std::string_view rest = tail.substr(at + kThinkOpen.size());
        std::size_t newlines = 0;
        while (true) {
            if (rest.starts_with("\\n")) rest.remove_prefix(2);
            else if (rest.starts_with("\n")) rest.remove_prefix(1);
            else break;
            ++newlines;
        }
        if (!rest.starts_with(kThinkClose) && newlines > 0) return true;
    }
    return false;
}

bool isSingleSpecialToken(const Tokenizer& tokenizer, std::string_view text)
{
    const auto ids = tokenizer.encode(text, true);
    return ids.size() == 1 && tokenizer.isSpecial(ids[0]);
}

std::string trimLeadingNewlines(std::string s)
{
    const std::size_t first = s.find_first_not_of('\n');
    return first == std::string::npos ? std::string() : s.substr(first);
}

}  // namespace

Prompt& Prompt::markup(std::string text)
{
    pieces_.push_back({std::move(text), true});
    return *this;
}

Prompt& Prompt::text(std::string text)
{
    pieces_.push_back({std::move(text), false});
    return *this;
}

Prompt& Prompt::append(const Prompt& other)
{
    pieces_.insert(pieces_.end(), other.pieces_.begin(), other.pieces_.end());
    return *this;
}

std::vector<std::int32_t> Prompt::tokens(const Tokenizer& tokenizer) const
{
    // Each piece is encoded on its own: a piece boundary is also a pre-tokenizer boundary, so the ids do not
    // depend on which pieces a caller has already prefilled (a corpus snapshot ends at a piece boundary).
    std::vector<std::int32_t> out;
    for (const auto& piece : pieces_) {
        const auto ids = tokenizer.encode(piece.text, piece.markup);
        out.insert(out.end(), ids.begin(), ids.end());
    }
    return out;
}

std::string Prompt::str() const
{
    std::string out;
    for (const auto& piece : pieces_) out += piece.text;
    return out;
}

ChatFormat ChatFormat::fromModel(const GgufFile& file, const Tokenizer& tokenizer)
{
    if (!file.has("tokenizer.chat_template"))
        throw ChatFormatError(file.path() + " has no chat template (tokenizer.chat_template): use --raw for plain completion");
    return fromTemplate(file.at("tokenizer.chat_template").asString(), tokenizer, file.path());
}

ChatFormat ChatFormat::fromTemplate(const std::string& chatTemplate, const Tokenizer& tokenizer, const std::string& source)
{
    std::vector<std::string> missing;
    for (auto marker : {kTurnStart, kTurnEnd})
        if (chatTemplate.find(marker) == std::string::npos) missing.push_back(std::string(marker));
    if (!missing.empty()) {
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : " and ") + m;
        throw ChatFormatError("the chat template of " + source + " is not one Folio recognises: it has no " + list +
                              " (the ChatML turn markers of the Qwen family); use --raw for plain completion");
    }
    for (auto marker : {kTurnStart, kTurnEnd})
        if (!isSingleSpecialToken(tokenizer, marker))
            throw ChatFormatError("the chat template of " + source + " uses " + std::string(marker) +
                                  ", which is not a special token of its vocabulary");
    ChatFormat f;
    f.thinkingSwitch_ = chatTemplate.find("enable_thinking") != std::string::npos;
    f.thinksByDefault_ = generationPromptOpensThinking(chatTemplate);
    return f;
}

std::string ChatFormat::name() const
{
    if (thinkingSwitch_) return "chatml, thinking on or off";
    return thinksByDefault_ ? "chatml, always thinking" : "chatml";
}

Prompt ChatFormat::turnStart(const std::string& role) const
{
    return Prompt().markup(std::string(kTurnStart) + role + "\n");
}

Prompt ChatFormat::turnEnd() const
{
    return Prompt().markup(std::string(kTurnEnd) + "\n");
}

Prompt ChatFormat::turn(const ChatMessage& message) const
{
    return turnStart(message.role).text(message.content).append(turnEnd());
}

Prompt ChatFormat::generationPrompt(Thinking thinking) const
{
    Prompt p = turnStart("assistant");
    switch (thinking) {
    case Thinking::Default:
        if (thinksByDefault_) p.markup(std::string(kThinkOpen) + "\n");
        break;
    case Thinking::On:
        if (!thinkingSwitch_ && !thinksByDefault_)
            throw ChatFormatError("this model's chat template has no thinking block: it cannot think before it answers");
        if (thinksByDefault_) p.markup(std::string(kThinkOpen) + "\n");
        break;
    case Thinking::Off:
        if (thinksByDefault_ && !thinkingSwitch_)
            throw ChatFormatError("this model's chat template always thinks: thinking cannot be switched off");
        if (thinkingSwitch_) p.markup(std::string(kThinkOpen) + "\n\n" + std::string(kThinkClose) + "\n\n");
        break;
    }
    return p;
}

Prompt ChatFormat::render(const std::vector<ChatMessage>& messages, bool addGenerationPrompt, Thinking thinking) const
{
    Prompt p;
    for (const auto& m : messages) p.append(turn(m));
    if (addGenerationPrompt) p.append(generationPrompt(thinking));
    return p;
}

std::vector<std::string> ChatFormat::stopStrings() const
{
    return {std::string(kTurnEnd)};
}

AnswerParts ChatFormat::split(const std::string& generated, Thinking thinking) const
{
    if (!hasThinking()) return {"", generated};
    const bool promptOpened = opensThinking(thinking);
    std::string_view rest = generated;
    if (!promptOpened) {
        const std::size_t first = generated.find_first_not_of(" \n");
        if (first == std::string::npos || generated.compare(first, kThinkOpen.size(), kThinkOpen) != 0)
            return {"", generated};
        rest.remove_prefix(first + kThinkOpen.size());
    }
    const std::size_t close = rest.find(kThinkClose);
    if (close == std::string_view::npos) return {trimLeadingNewlines(std::string(rest)), ""};
    std::string thought(rest.substr(0, close));
    while (!thought.empty() && thought.back() == '\n') thought.pop_back();
    return {trimLeadingNewlines(thought), trimLeadingNewlines(std::string(rest.substr(close + kThinkClose.size())))};
}

AnswerStream::AnswerStream(Start start, Sink thinking, Sink answer)
    : state_(start == Start::InsideThinking ? State::ThinkingStart : start == Start::MayThink ? State::Start : State::Answer),
      thinking_(std::move(thinking)), answer_(std::move(answer))
{
}

void AnswerStream::feed(std::string_view text)
{
    pending_ += text;
    while (true) {
        switch (state_) {
        case State::Start: {
            const std::size_t first = pending_.find_first_not_of(" \n");
            if (first == std::string::npos) return;
            const std::string_view rest = std::string_view(pending_).substr(first);
            if (rest.size() < kThinkOpen.size() && kThinkOpen.starts_with(rest)) return;
            if (rest.starts_with(kThinkOpen)) {
                pending_.erase(0, first + kThinkOpen.size());
                state_ = State::ThinkingStart;
            } else {
                state_ = State::Answer;
            }
            break;
        }
        case State::ThinkingStart:
            if (!dropLeadingNewlines()) return;
            state_ = State::Thinking;
            break;
        case State::Thinking: {
            const std::size_t close = pending_.find(kThinkClose);
            if (close == std::string::npos) {
                // Everything but a tail that could be the start of "</think>", and the newlines before it, which
                // split() drops when the block closes after them.
                std::size_t keep = std::min(pending_.size(), kThinkClose.size() - 1);
                while (keep > 0 && !kThinkClose.starts_with(std::string_view(pending_).substr(pending_.size() - keep))) --keep;
                while (keep < pending_.size() && pending_[pending_.size() - keep - 1] == '\n') ++keep;
                if (pending_.size() > keep) thinking_(std::string_view(pending_).substr(0, pending_.size() - keep));
                pending_.erase(0, pending_.size() - keep);
                return;
            }
            std::size_t end = close;
            while (end > 0 && pending_[end - 1] == '\n') --end;
            if (end > 0) thinking_(std::string_view(pending_).substr(0, end));
            pending_.erase(0, close + kThinkClose.size());
            state_ = State::AnswerStart;
            break;
        }
        case State::AnswerStart:
            if (!dropLeadingNewlines()) return;
            state_ = State::Answer;
            break;
        case State::Answer:
            if (!pending_.empty()) answer_(pending_);
            pending_.clear();
            return;
        }
    }
}

bool AnswerStream::dropLeadingNewlines()
{
    const std::size_t first = pending_.find_first_not_of('\n');
    pending_.erase(0, first == std::string::npos ? pending_.size() : first);
    return !pending_.empty();
}

void AnswerStream::finish()
{
    if (pending_.empty()) return;
    if (state_ == State::Thinking) thinking_(pending_);
    else if (state_ != State::AnswerStart && state_ != State::ThinkingStart) answer_(pending_);
    pending_.clear();
}

}  // namespace folio::engine
