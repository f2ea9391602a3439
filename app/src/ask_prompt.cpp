#include "folio/app/ask_prompt.h"

namespace folio::app {

std::string corpusInstructions()
{
    return "You answer questions about the documents below, using only what they say. Each document begins with "
           "<document id=\"D1\" path=\"...\">. Pages of a PDF are marked [D1 p.3]; every tenth line of a file is "
           "marked [D2 L21]. After each statement, cite where it stands in the same form: [D1 p.3] for a page, "
           "[D2 L25] or [D2 L21-30] for lines of a file. If the documents do not answer the question, say so.\n\n";
}

AskPrompt AskPrompt::raw()
{
    return AskPrompt();
}

AskPrompt AskPrompt::chat(engine::ChatFormat format, engine::Thinking thinking)
{
    AskPrompt p;
    p.format_ = std::move(format);
    p.thinking_ = thinking;
    p.format_->generationPrompt(thinking);  // refuses a thinking choice the template cannot honour, before any work
    return p;
}

CorpusFrame AskPrompt::corpusFrame() const
{
    if (!format_) return {engine::Prompt().text("Folio corpus. " + corpusInstructions()), engine::Prompt(), std::nullopt};
    return {format_->turnStart("system").text(corpusInstructions()), format_->turnEnd(), std::nullopt};
}

engine::Prompt AskPrompt::question(const std::string& question) const
{
    if (!format_) return engine::Prompt().text("\nQuestion: " + question + "\nAnswer:");
    return format_->turn({"user", question}).append(format_->generationPrompt(thinking_));
}

std::vector<std::string> AskPrompt::stopStrings() const
{
    return format_ ? format_->stopStrings() : std::vector<std::string>{};
}

engine::AnswerParts AskPrompt::split(const std::string& generated) const
{
    return format_ ? format_->split(generated, thinking_) : engine::AnswerParts{"", generated};
}

std::string AskPrompt::formatName() const
{
    return format_ ? format_->name() : "raw";
}

}  // namespace folio::app
