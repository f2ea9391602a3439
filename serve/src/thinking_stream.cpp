#include "folio/serve/thinking_stream.h"

#include <algorithm>
#include <utility>

namespace folio::serve {
namespace {

constexpr std::string_view kOpen = "<think>";
constexpr std::string_view kClose = "</think>";

// The length of the longest tail of `text` that is a proper prefix of `marker`.
std::size_t partialMarker(std::string_view text, std::string_view marker)
{
    for (std::size_t n = std::min(text.size(), marker.size() - 1); n > 0; --n)
        if (marker.starts_with(text.substr(text.size() - n))) return n;
    return 0;
}

}  // namespace

ThinkingStream::ThinkingStream(bool promptOpened, bool enabled)
    : state_(promptOpened ? State::Thinking : enabled ? State::Deciding : State::Answer)
{
}

void ThinkingStream::emit(std::vector<StreamDelta>& out, bool thinking, std::string text)
{
    if (atStart_) {
        const std::size_t first = text.find_first_not_of('\n');
        text.erase(0, first == std::string::npos ? text.size() : first);
    }
    if (text.empty()) return;
    atStart_ = false;
    if (!out.empty() && out.back().thinking == thinking) out.back().text += text;
    else out.push_back({thinking, std::move(text)});
}

void ThinkingStream::step(std::vector<StreamDelta>& out, bool final)
{
    if (state_ == State::Deciding) {
        const std::size_t first = pending_.find_first_not_of(" \n");
        if (first == std::string::npos && !final) return;
        const std::string_view rest = first == std::string::npos ? std::string_view() : std::string_view(pending_).substr(first);
        if (rest.starts_with(kOpen)) {
            pending_.erase(0, first + kOpen.size());
            state_ = State::Thinking;
        } else if (!final && kOpen.starts_with(rest)) {
            return;
        } else {
            state_ = State::Answer;
            atStart_ = false;  // split() keeps an answer without a thinking block as it is
        }
    }
    if (state_ == State::Thinking) {
        const std::size_t close = pending_.find(kClose);
        if (close == std::string::npos) {
            if (final) {
                emit(out, true, std::exchange(pending_, {}));
                return;
            }
            // Keep what may start the closing marker, and trailing newlines split() would drop before it.
            std::size_t keep = partialMarker(pending_, kClose);
            while (keep < pending_.size() && pending_[pending_.size() - keep - 1] == '\n') ++keep;
            emit(out, true, pending_.substr(0, pending_.size() - keep));
            pending_.erase(0, pending_.size() - keep);
            return;
        }
        std::string thought = pending_.substr(0, close);
        while (!thought.empty() && thought.back() == '\n') thought.pop_back();
        emit(out, true, std::move(thought));
        pending_.erase(0, close + kClose.size());
        state_ = State::Answer;
        atStart_ = true;
    }
    emit(out, false, std::exchange(pending_, {}));
}

std::vector<StreamDelta> ThinkingStream::feed(std::string_view text)
{
    pending_ += text;
    std::vector<StreamDelta> out;
    step(out, false);
    return out;
}

std::vector<StreamDelta> ThinkingStream::finish()
{
    std::vector<StreamDelta> out;
    step(out, true);
    return out;
}

}  // namespace folio::serve
