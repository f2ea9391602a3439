#pragma once

// Splits a streamed chat answer into its thinking block and the answer as the text arrives, the way
// ChatFormat::split splits a whole one: thinking goes out as "reasoning_content" deltas, the rest as "content".
// Text that may turn out to be the start of "<think>" or "</think>", and newlines that split() would trim, are
// held back until the next piece decides them.

#include <string>
#include <string_view>
#include <vector>

namespace folio::serve {

struct StreamDelta {
    bool thinking = false;
    std::string text;
};

class ThinkingStream {
public:
    // `promptOpened`: the generation prompt already opened the thinking block. `enabled`: false when the
    // model has no thinking block at all, so nothing is ever taken for one.
    ThinkingStream(bool promptOpened, bool enabled);

    std::vector<StreamDelta> feed(std::string_view text);
    std::vector<StreamDelta> finish();

private:
    enum class State { Deciding, Thinking, Answer };
    void emit(std::vector<StreamDelta>& out, bool thinking, std::string text);
    void step(std::vector<StreamDelta>& out, bool final);

    State state_;
    std::string pending_;  // received, not yet emitted
    bool atStart_ = true;  // nothing emitted in the current state yet: leading newlines are dropped
};

}  // namespace folio::serve
