#pragma once

// How a question about the corpus is put to the model: in the model's own chat format (the corpus and the
// instructions in a system turn, the question in a user turn), or as plain completion for a base model
// (`--raw`). The corpus part never depends on the question, so one cached corpus state serves every question
// asked in the same form.

#include "folio/app/corpus.h"
#include "folio/engine/chat_format.h"

#include <optional>
#include <string>
#include <vector>

namespace folio::app {

class AskPrompt {
public:
    static AskPrompt raw();
    static AskPrompt chat(engine::ChatFormat format, engine::Thinking thinking);

    // What comes before and after the documents.
    CorpusFrame corpusFrame() const;
    // What follows the corpus for one question, up to where the model starts to answer.
    engine::Prompt question(const std::string& question) const;
    std::vector<std::string> stopStrings() const;
    // Where the generated text starts, for an engine::AnswerStream that splits it as split() does.
    engine::AnswerStream::Start streamStart() const
    {
        return format_ ? format_->streamStart(thinking_) : engine::AnswerStream::Start::NoThinking;
    }
    // The generated text split into the thinking block (chat formats that think) and the answer.
    engine::AnswerParts split(const std::string& generated) const;
    std::string formatName() const;

private:
    std::optional<engine::ChatFormat> format_;
    engine::Thinking thinking_ = engine::Thinking::Default;
};

// The instructions before the documents: how they are marked and how to cite them.
std::string corpusInstructions();

}  // namespace folio::app
