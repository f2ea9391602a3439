#pragma once

// Server-sent events as OpenAI-compatible servers stream them: "data: {...}" lines, an event ending at a blank
// line, ":" comment lines (keep-alives) ignored, lines ending in "\n" or "\r\n". Bytes arrive in arbitrary
// pieces; each complete event's data goes to the sink.

#include <functional>
#include <string>
#include <string_view>

namespace folio::remote {

class ServerSentEvents {
public:
    explicit ServerSentEvents(std::function<void(const std::string& data)> sink) : sink_(std::move(sink)) {}
    void feed(std::string_view bytes);
    void finish();  // an event the stream ended without a blank line after

private:
    void line(std::string_view line);

    std::function<void(const std::string&)> sink_;
    std::string pending_, data_;
    bool hasData_ = false;
};

}  // namespace folio::remote
